"""A large, realistic RSS podcast feed for timing `podcastfeed import` (bench/README.md).

    python bench/make_feed.py 20000 /tmp/feed-20k.xml

Items carry itunes tags, podcast:transcript/person, an HTML description and content:encoded
about 2.5 KB each, dates four hours apart going back from 2024: a 100,000-item feed is about
280 MB, like the one in issue 12.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:atom="http://www.w3.org/2005/Atom"
 xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel>
<title>Big Show</title>
<link>https://big.example.org/</link>
<atom:link href="https://big.example.org/feed.xml" rel="self" type="application/rss+xml"/>
<description>A show with very many episodes.</description>
<language>en</language>
<itunes:author>Ada Lovelace</itunes:author>
<itunes:owner><itunes:name>Ada</itunes:name><itunes:email>ada@example.org</itunes:email></itunes:owner>
<itunes:image href="https://big.example.org/cover.jpg"/>
<itunes:category text="Technology"/>
<itunes:explicit>false</itunes:explicit>
"""

PARAGRAPH = (
    'We talk about <b>feeds</b>, <a href="https://example.org/{n}">links</a> and '
    "the <i>long tail</i> of podcast history, episode {n}. "
)


def item(n: int, start: datetime) -> str:
    """Item `n`; every tenth shares its title with the one before (slug collisions)."""
    date = start - timedelta(hours=4 * n)  # 100,000 items go back to 1978
    title = f"Episode {n - (n % 10 == 1)}: on feeds &amp; things"
    notes = "".join(f"<p>{PARAGRAPH.format(n=n)}</p>" for _ in range(6))
    return (
        "<item>\n"
        f"<title>{title}</title>\n"
        f"<link>https://big.example.org/episodes/{n}/</link>\n"
        f'<guid isPermaLink="false">big-{n}</guid>\n'
        f"<pubDate>{format_datetime(date)}</pubDate>\n"
        f"<description>{escape(notes[:600])}</description>\n"
        f"<content:encoded><![CDATA[{notes}]]></content:encoded>\n"
        f'<enclosure url="https://cdn.example.org/big/{n}.mp3" length="{1000000 + n}" '
        'type="audio/mpeg"/>\n'
        f"<itunes:duration>{1800 + n % 600}</itunes:duration>\n"
        f"<itunes:episode>{n}</itunes:episode><itunes:season>{1 + n // 100}</itunes:season>\n"
        "<itunes:explicit>false</itunes:explicit>\n"
        f'<itunes:image href="https://big.example.org/art/{n}.jpg"/>\n'
        f'<podcast:transcript url="https://big.example.org/t/{n}.vtt" type="text/vtt"/>\n'
        '<podcast:person role="host" href="https://example.org/ada">Ada</podcast:person>\n'
        "</item>\n"
    )


def make_feed(count: int) -> bytes:
    """A feed of `count` items, newest first."""
    start = datetime(2024, 1, 1, 9, tzinfo=UTC)
    body = "".join(item(n, start) for n in range(1, count + 1))
    return (HEAD + body + "</channel>\n</rss>\n").encode()


if __name__ == "__main__":
    Path(sys.argv[2]).write_bytes(make_feed(int(sys.argv[1])))
