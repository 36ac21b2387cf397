"""Each offline rule: a minimal feed that breaks it, and the clean base feed that does not."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from podcastfeed.ids import podcast_guid
from podcastfeed.lint.base import Finding
from podcastfeed.lint.rules.text import unclosed_bidi
from podcastfeed.lint.runner import all_rules, lint_data, run

NOW = datetime(2026, 1, 1, tzinfo=UTC)
NAMESPACES = (
    'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" '
    'xmlns:podcast="https://podcastindex.org/namespace/1.0" '
    'xmlns:atom="http://www.w3.org/2005/Atom"'
)
CHANNEL = {
    "title": "<title>Test Show</title>",
    "link": "<link>https://example.org/</link>",
    "description": "<description>About the show.</description>",
    "language": "<language>en</language>",
    "category": '<itunes:category text="Technology"/>',
    "explicit": "<itunes:explicit>false</itunes:explicit>",
    "image": '<itunes:image href="https://example.org/cover.jpg"/>',
    "owner": "<itunes:owner><itunes:name>Ada</itunes:name>"
    "<itunes:email>ada@example.org</itunes:email></itunes:owner>",
    "author": "<itunes:author>Ada Lovelace</itunes:author>",
    "self": '<atom:link href="https://example.org/feed.xml" rel="self"/>',
    "guid": f"<podcast:guid>{podcast_guid('https://example.org/feed.xml')}</podcast:guid>",
}
ITEM = {
    "title": "<title>Episode {n}</title>",
    "guid": '<guid isPermaLink="false">ep-{n}</guid>',
    "enclosure": '<enclosure url="https://cdn.example.org/ep{n}.mp3" length="1234" '
    'type="audio/mpeg"/>',
    "pubDate": "<pubDate>Tue, 04 Apr 2023 06:00:00 +0200</pubDate>",
    "duration": "<itunes:duration>300</itunes:duration>",
    "description": "<description>Notes for episode {n}.</description>",
}


ENCLOSURE = '<enclosure url="https://cdn.example.org/ep{n}.mp3" length="1234" type="audio/mpeg"/>'
LENGTH = '<enclosure url="https://e.org/a.mp3" length="{}" type="audio/mpeg"/>'
SRT_URL = "https://e.org/t.srt"
SRT, CHAPTERS = "application/x-subrip", "application/json+chapters"
TRAILER, DATE = "https://e.org/trailer.mp3", "Mon, 01 Jan 2024 09:00:00 +0000"
SPOTIFY = 'xmlns:spotify="http://www.spotify.com/ns/rss"'
IMAGE = "<url>https://example.org/logo.png</url><title>Test Show</title><link>https://example.org/</link>"
_NODE = "02d5c1bf8b940dc9cadca86d1b0a3c37fbe39cee4c7e839e33bef9174531d27f52"
_RECIPIENT = f'<podcast:valueRecipient name="Ann" type="node" address="{_NODE}" split="9"/>'

_LNADDRESS = (
    '<podcast:valueRecipient name="Ann" type="lnaddress" address="ann@getalby.com" split="1"/>'
)


def _value(method: str, inside: str) -> str:
    return f'<podcast:value type="lightning" {method}>{inside}</podcast:value>'


def _split(start: int, duration: int) -> str:
    """A time split of the base item (itunes:duration 300) paying _RECIPIENT."""
    return (
        f'<podcast:valueTimeSplit startTime="{start}" duration="{duration}">{_RECIPIENT}'
        "</podcast:valueTimeSplit>"
    )


def make_feed(
    channel: dict[str, str] | None = None, items: list[dict[str, str]] | None = None
) -> bytes:
    """The base feed with channel parts and items replaced (a value of "" drops the part)."""
    parts = [v for v in ({**CHANNEL, **(channel or {})}).values() if v]
    for n, changes in enumerate(items if items is not None else [{}], start=1):
        fields = {**ITEM, **changes}
        parts.append("<item>" + "".join(v.format(n=n) for v in fields.values() if v) + "</item>")
    body = "\n".join(parts)
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" {NAMESPACES}>'
    return f"{head}<channel>\n{body}\n</channel></rss>\n".encode()


def findings(data: bytes, base: Path | None = None) -> list[Finding]:
    return run(lint_data(data, "feed.xml", NOW, base=base))


def rules_of(data: bytes) -> set[str]:
    return {f.rule for f in findings(data)}


def test_checks_base_feed_is_clean() -> None:
    assert findings(make_feed()) == []


CH, IT = "channel", "items"
# (rule id, what breaks it, what passes); the pass side is the base feed plus its changes.
CASES: list[tuple[str, dict[str, object], dict[str, object]]] = [
    ("apple/required-tags", {CH: {"language": ""}}, {}),
    ("apple/has-episodes", {IT: []}, {}),
    (
        "apple/artwork-url-format",
        {CH: {"image": '<itunes:image href="https://example.org/cover.webp"/>'}},
        {CH: {"image": '<itunes:image href="https://example.org/cover.png"/>'}},
    ),
    ("apple/required-tags", {CH: {"link": "<link></link>"}}, {}),
    (
        "apple/category",
        {CH: {"category": '<itunes:category text="Podcasts"/>'}},
        {CH: {"category": '<itunes:category text="Games &amp; Hobbies"/>'}},
    ),
    (
        "apple/legacy-category",
        {CH: {"category": '<itunes:category text="Games &amp; Hobbies"/>'}},
        {
            CH: {
                "category": '<itunes:category text="Leisure"><itunes:category text="Games"/>'
                "</itunes:category>"
            }
        },
    ),
    (
        "apple/language-code",
        {CH: {"language": "<language>English</language>"}},
        {CH: {"language": "<language>de-AT</language>"}},
    ),
    ("spotify/owner-email", {CH: {"owner": ""}}, {}),
    (
        "spotify/owner-email",
        {CH: {"owner": "<itunes:owner><itunes:email>ada at example</itunes:email></itunes:owner>"}},
        {},
    ),
    ("podcastindex/https", {CH: {"link": "<link>http://example.org/</link>"}}, {}),
    (
        "podcastfeed/url-characters",
        {IT: [{"t": '<podcast:transcript url="https://e.org/my t.vtt" type="text/vtt"/>'}]},
        {IT: [{"t": '<podcast:transcript url="https://e.org/my%20t.vtt" type="text/vtt"/>'}]},
    ),
    (
        "podcastfeed/url-characters",
        {CH: {"link": "<link>https://exämple.org/</link>"}},
        {CH: {"link": "<link>https://xn--exmple-cua.org/</link>"}},
    ),
    (
        "podcastfeed/url-password",
        {IT: [{"enclosure": '<enclosure url="https://a:pw@e.org/a.mp3" type="audio/mpeg"/>'}]},
        {IT: [{"enclosure": '<enclosure url="https://a@e.org/a.mp3" type="audio/mpeg"/>'}]},
    ),
    (
        "podcastfeed/url-password",
        {CH: {"link": "<link>https://a:pw@e.org/</link>"}},
        {CH: {"link": "<link>https://e.org/a:pw@</link>"}},
    ),
    (
        "apple/description-length",
        {CH: {"description": f"<description>{'x' * 4001}</description>"}},
        {CH: {"description": f"<description>{'x' * 4000}</description>"}},
    ),
    (
        "apple/description-length",
        {IT: [{"description": f"<description>{'é' * 2001}</description>"}]},
        {IT: [{"description": f"<description>{'é' * 2000}</description>"}]},
    ),
    ("apple/text-length", {CH: {"title": f"<title>{'Long ' * 60}</title>"}}, {}),
    (
        "apple/all-caps",
        {CH: {"author": "<itunes:author>ADA LOVELACE</itunes:author>"}},
        {CH: {"author": "<itunes:author>NASA Ames</itunes:author>"}},
    ),
    (
        "podcastfeed/bidi-controls",
        {CH: {"title": "<title>\u202eevil.mp3</title>"}},
        {CH: {"title": "<title>\u202bשלום\u202c and \u200fمرحبا</title>"}},
    ),
    ("podcastindex/guid-format", {CH: {"guid": "<podcast:guid>not-a-uuid</podcast:guid>"}}, {}),
    (
        "podcastindex/guid-derived",
        {CH: {"guid": "<podcast:guid>b9d4b2a2-5f3e-4b8e-9d8e-0c6f1a2b3c4d</podcast:guid>"}},
        {},
    ),
    (
        "podcastindex/guid-derived",
        {CH: {"guid": f"<podcast:guid>{podcast_guid('podnews.net/rss')}</podcast:guid>"}},
        {},
    ),
    (
        "apple/explicit-value",
        {CH: {"explicit": "<itunes:explicit>maybe</itunes:explicit>"}},
        {CH: {"explicit": "<itunes:explicit>clean</itunes:explicit>"}},
    ),
    (
        "apple/explicit-legacy",
        {CH: {"explicit": "<itunes:explicit>clean</itunes:explicit>"}},
        {CH: {"explicit": "<itunes:explicit>false</itunes:explicit>"}},
    ),
    (
        "apple/explicit-legacy",
        {IT: [{"x": "<itunes:explicit>yes</itunes:explicit>"}]},
        {IT: [{"x": "<itunes:explicit>true</itunes:explicit>"}]},
    ),
    (
        "apple/block-value",
        {CH: {"block": "<itunes:block>no</itunes:block>"}},
        {CH: {"block": "<itunes:block>Yes</itunes:block>"}},
    ),
    (
        "apple/complete-value",
        {CH: {"complete": "<itunes:complete>No</itunes:complete>"}},
        {CH: {"complete": "<itunes:complete>yes</itunes:complete>"}},
    ),
    (
        "apple/duplicate-image",
        {CH: {"image2": '<itunes:image href="https://example.org/other.jpg"/>'}},
        {},
    ),
    ("apple/item-title", {IT: [{"title": "<title> </title>"}]}, {}),
    ("apple/enclosure", {IT: [{"enclosure": ""}]}, {}),
    ("apple/enclosure", {IT: [{"enclosure": '<enclosure url="https://e.org/a.mp3"/>'}]}, {}),
    (
        "apple/enclosure-length",
        {IT: [{"enclosure": LENGTH.format("12:34")}]},
        {
            IT: [
                {"enclosure": '<enclosure url="https://e.org/a.mp3" length="0" type="audio/mpeg"/>'}
            ]
        },
    ),
    (
        "apple/enclosure-length",
        {IT: [{"enclosure": LENGTH.format("-1")}]},
        {},
    ),
    (
        "podcastfeed/length-unknown",
        {
            IT: [
                {"enclosure": '<enclosure url="https://e.org/a.mp3" length="0" type="audio/mpeg"/>'}
            ]
        },
        {
            IT: [
                {"enclosure": '<enclosure url="https://e.org/a.mp3" length="1" type="audio/mpeg"/>'}
            ]
        },
    ),
    (
        "apple/enclosure-type",
        {IT: [{"enclosure": '<enclosure url="https://e.org/a.mp3" length="9" type="audio/mp3"/>'}]},
        {IT: [{"enclosure": '<enclosure url="https://e.org/a.m4a" length="9" type="audio/mp4"/>'}]},
    ),
    (
        "apple/enclosure-type",
        {
            IT: [
                {"enclosure": '<enclosure url="https://e.org/a.m4a" length="9" type="audio/mpeg"/>'}
            ]
        },
        {
            IT: [
                {
                    "enclosure": '<enclosure url="https://pdst.fm/e/x?id=1" length="9" '
                    'type="audio/mpeg"/>'
                }
            ]
        },
    ),
    (
        "apple/media-format",
        {
            IT: [
                {"enclosure": '<enclosure url="https://e.org/a.opus" length="9" type="audio/ogg"/>'}
            ]
        },
        {IT: [{"enclosure": '<enclosure url="https://e.org/a.m4a" length="9" type="audio/mp4"/>'}]},
    ),
    ("podcastindex/item-guid", {IT: [{"guid": "<guid></guid>"}]}, {}),
    ("podcastindex/item-guid", {IT: [{"guid": ""}]}, {}),
    ("podcastindex/guid-unique", {IT: [{"guid": "<guid>same</guid>"}] * 2}, {IT: [{}, {}]}),
    ("apple/pubdate", {IT: [{"pubDate": "<pubDate>2023-04-04</pubDate>"}]}, {}),
    ("apple/pubdate", {IT: [{"pubDate": ""}]}, {}),
    (
        "podcastfeed/date-range",
        {IT: [{"pubDate": "<pubDate>Mon, 01 Jan 1 00:00:00 +1400</pubDate>"}]},
        {},
    ),
    (
        "podcastindex/future-date",
        {IT: [{"pubDate": "<pubDate>Fri, 01 Jan 2027 06:00:00 +0000</pubDate>"}]},
        {},
    ),
    (
        "apple/description-html",
        {IT: [{"description": "<description><![CDATA[<h2>Hi</h2><p>x</p>]]></description>"}]},
        {
            IT: [
                {
                    "description": '<description><![CDATA[<p><a href="https://e.org">x</a><br/>'
                    "<strong>y</strong></p>]]></description>"
                }
            ]
        },
    ),
    (
        "apple/duration-missing",
        {IT: [{"duration": ""}]},
        {IT: [{"duration": "<itunes:duration>1:02:03</itunes:duration>"}]},
    ),
    (
        "apple/duration",
        {IT: [{"duration": "<itunes:duration>5 min</itunes:duration>"}]},
        {IT: [{"duration": "<itunes:duration>12:34</itunes:duration>"}]},
    ),
    (
        "apple/duration",
        {IT: [{"duration": "<itunes:duration>12 minutes</itunes:duration>"}]},
        {IT: [{"duration": "<itunes:duration>1014.708375</itunes:duration>"}]},
    ),
    (
        "apple/duration-fraction",
        {IT: [{"duration": "<itunes:duration>1014.708375</itunes:duration>"}]},
        {IT: [{"duration": "<itunes:duration>1015</itunes:duration>"}]},
    ),
    (
        "podcastfeed/pubdate-weekday",
        {IT: [{"pubDate": "<pubDate>Sun, 28 May 2022 10:00:00 +0000</pubDate>"}]},
        {IT: [{"pubDate": "<pubDate>Sat, 28 May 2022 10:00:00 +0000</pubDate>"}]},
    ),
    (
        "podcastfeed/pubdate-weekday",
        {IT: [{"pubDate": "<pubDate>Sun, 28 May 2022 23:30:00 -0200</pubDate>"}]},
        {IT: [{"pubDate": "<pubDate>Sat, 28 May 2022 23:30:00 -0200</pubDate>"}]},
    ),
    (
        "podcastfeed/rss-email",
        {CH: {"editor": "<managingEditor>Ada Lovelace</managingEditor>"}},
        {CH: {"editor": "<managingEditor>ada@example.org (Ada Lovelace)</managingEditor>"}},
    ),
    (
        "podcastfeed/rss-email",
        {CH: {"webmaster": "<webMaster>Ada &lt;ada@example.org&gt;</webMaster>"}},
        {CH: {"webmaster": "<webMaster>ada@example.org</webMaster>"}},
    ),
    (
        "podcastfeed/rss-email",
        {IT: [{"author": "<author>Ada Lovelace</author>"}]},
        {IT: [{"author": "<author>ada@example.org (Ada Lovelace)</author>"}]},
    ),
    (
        "podcastfeed/rss-image-size",
        {CH: {"rss_image": f"<image>{IMAGE}<width>1400</width></image>"}},
        {CH: {"rss_image": f"<image>{IMAGE}<width>144</width><height>400</height></image>"}},
    ),
    (
        "podcastfeed/rss-image-size",
        {CH: {"rss_image": f"<image>{IMAGE}<height>1400</height></image>"}},
        {CH: {"rss_image": f"<image>{IMAGE}</image>"}},
    ),
    (
        "apple/serial-episode-number",
        {CH: {"type": "<itunes:type>serial</itunes:type>"}},
        {
            CH: {"type": "<itunes:type>serial</itunes:type>"},
            IT: [
                {"number": "<itunes:episode>1</itunes:episode>"},
                {"kind": "<itunes:episodeType>trailer</itunes:episodeType>"},
            ],
        },
    ),
    (
        "apple/episode-season-number",
        {IT: [{"number": "<itunes:episode>0</itunes:episode>"}]},
        {IT: [{"number": "<itunes:episode>3</itunes:episode>"}]},
    ),
    (
        "apple/episode-season-number",
        {IT: [{"season": "<itunes:season>one</itunes:season>"}]},
        {IT: [{"season": "<itunes:season>1</itunes:season>"}]},
    ),
    ("podcastfeed/duplicate-title", {IT: [{"title": "<title>Same</title>"}] * 2}, {IT: [{}, {}]}),
    (
        "podcastfeed/mojibake",
        {IT: [{"title": "<title>Lucaâ€™s LinkedIn</title>"}]},
        {IT: [{"title": "<title>Luca’s café — Ça va</title>"}]},
    ),
    ("apple/enclosure-reused", {IT: [{"enclosure": ENCLOSURE.format(n=1)}] * 2}, {IT: [{}, {}]}),
    (
        "apple/new-feed-url-self",
        {CH: {"moved": "<itunes:new-feed-url>https://example.org/feed.xml</itunes:new-feed-url>"}},
        {CH: {"moved": "<itunes:new-feed-url>https://new.example.org/rss</itunes:new-feed-url>"}},
    ),
    (
        "apple/new-feed-url",
        {CH: {"moved": "<itunes:new-feed-url>new.example.org/rss</itunes:new-feed-url>"}},
        {},
    ),
    (
        "apple/new-feed-url",
        {IT: [{"moved": "<itunes:new-feed-url>https://e.org/rss</itunes:new-feed-url>"}]},
        {},
    ),
    (
        "apple/feed-moved",
        {CH: {"moved": "<itunes:new-feed-url>https://new.example.org/rss</itunes:new-feed-url>"}},
        {},
    ),
    (
        "spotify/tags",
        {CH: {"limit": f'<spotify:limit {SPOTIFY} recentCount="ten"/>'}},
        {CH: {"limit": f'<spotify:limit {SPOTIFY} recentCount="10"/>'}},
    ),
    (
        "spotify/tags",
        {CH: {"country": f"<spotify:countryOfOrigin {SPOTIFY}>GB, us</spotify:countryOfOrigin>"}},
        {CH: {"country": f"<spotify:countryOfOrigin {SPOTIFY}>gb us</spotify:countryOfOrigin>"}},
    ),
    (
        "podcastindex/locked",
        {CH: {"locked": "<podcast:locked>true</podcast:locked>"}},
        {CH: {"locked": '<podcast:locked owner="ada@example.org">no</podcast:locked>'}},
    ),
    (
        "podcastindex/locked",
        {CH: {"locked": '<podcast:locked owner="Ada">yes</podcast:locked>'}},
        {CH: {"locked": "<podcast:locked>yes</podcast:locked>"}},
    ),
    (
        "podcastindex/transcript",
        {IT: [{"t": '<podcast:transcript url="https://e.org/t.srt" type="text/srt"/>'}]},
        {IT: [{"t": f'<podcast:transcript url="{SRT_URL}" type="{SRT}" rel="captions"/>'}]},
    ),
    (
        "podcastindex/transcript",
        {IT: [{"t": '<podcast:transcript url="https://e.org/t.vtt"/>'}]},
        {IT: [{"t": '<podcast:transcript url="https://e.org/t.vtt" type="text/vtt"/>'}]},
    ),
    (
        "podcastindex/https",
        {IT: [{"t": '<podcast:transcript url="http://e.org/t.vtt" type="text/vtt"/>'}]},
        {IT: [{"t": '<podcast:transcript url="https://e.org/t.vtt" type="text/vtt"/>'}]},
    ),
    (
        "podcastindex/transcript-rel",
        {IT: [{"t": '<podcast:transcript url="https://e.org/t.vtt" type="text/vtt" rel="x"/>'}]},
        {IT: [{"t": '<podcast:transcript url="https://e.org/t.vtt" type="text/vtt"/>'}]},
    ),
    (
        "podcastindex/chapters",
        {IT: [{"c": '<podcast:chapters url="https://e.org/c.json" type="application/json"/>'}]},
        {IT: [{"c": f'<podcast:chapters url="https://e.org/c.json" type="{CHAPTERS}"/>'}]},
    ),
    ("podcastindex/chapters", {IT: [{"c": f'<podcast:chapters type="{CHAPTERS}"/>'}]}, {}),
    (
        "podcastindex/text-length",
        {IT: [{"e": f'<podcast:episode display="{"x" * 33}">1</podcast:episode>'}]},
        {IT: [{"e": f'<podcast:episode display="{"x" * 32}">1</podcast:episode>'}]},
    ),
    (
        "podcastindex/text-length",
        {CH: {"f": f'<podcast:funding url="https://e.org">{"x" * 129}</podcast:funding>'}},
        {CH: {"f": f'<podcast:funding url="https://e.org">{"x" * 128}</podcast:funding>'}},
    ),
    (
        "podcastindex/text-length",
        {CH: {"txt": f"<podcast:txt>{'x' * 4001}</podcast:txt>"}},
        {CH: {"txt": f"<podcast:txt>{'x' * 4000}</podcast:txt>"}},
    ),
    (
        "podcastindex/season-episode",
        {IT: [{"s": "<podcast:season>1.5</podcast:season>"}]},
        {IT: [{"s": '<podcast:season name="One">1</podcast:season>'}]},
    ),
    (
        "podcastindex/season-episode",
        {IT: [{"e": "<podcast:episode>Pilot</podcast:episode>"}]},
        {IT: [{"e": "<podcast:episode>100.5</podcast:episode>"}]},
    ),
    (
        "podcastindex/soundbite",
        {IT: [{"b": '<podcast:soundbite startTime="1:00" duration="30"/>'}]},
        {IT: [{"b": '<podcast:soundbite startTime="60.5" duration="30"/>'}]},
    ),
    ("podcastindex/soundbite", {IT: [{"b": '<podcast:soundbite startTime="60"/>'}]}, {}),
    (
        "podcastindex/soundbite-length",
        {IT: [{"b": '<podcast:soundbite startTime="60" duration="121"/>'}]},
        {IT: [{"b": '<podcast:soundbite startTime="60" duration="120"/>'}]},
    ),
    (
        "podcastindex/trailer",
        {CH: {"tr": f'<podcast:trailer url="{TRAILER}" pubdate="2024-01-01">T</podcast:trailer>'}},
        {CH: {"tr": f'<podcast:trailer url="{TRAILER}" pubdate="{DATE}">T</podcast:trailer>'}},
    ),
    (
        "podcastindex/trailer",
        {CH: {"tr": f'<podcast:trailer pubdate="{DATE}">T</podcast:trailer>'}},
        {},
    ),
    (
        "podcastindex/license",
        {CH: {"lic": "<podcast:license>CC-BY-4.0</podcast:license>"}},
        {CH: {"lic": "<podcast:license>cc-by-4.0</podcast:license>"}},
    ),
    (
        "podcastindex/license",
        {CH: {"lic": "<podcast:license>my-license</podcast:license>"}},
        {CH: {"lic": '<podcast:license url="https://e.org/l">my-license</podcast:license>'}},
    ),
    (
        "podcastindex/medium",
        {CH: {"m": "<podcast:medium>Music</podcast:medium>"}},
        {CH: {"m": "<podcast:medium>musicL</podcast:medium>"}},
    ),
    (
        "podcastindex/image",
        {IT: [{"i": '<podcast:image width="1500"/>'}]},
        {IT: [{"i": '<podcast:image href="https://e.org/i.jpg" width="1500"/>'}]},
    ),
    (
        "podcastindex/image",
        {CH: {"i": '<podcast:image href="https://e.org/i.jpg" aspect-ratio="wide"/>'}},
        {CH: {"i": '<podcast:image href="https://e.org/i.jpg" aspect-ratio="16/9"/>'}},
    ),
    (
        "podcastindex/images-deprecated",
        {CH: {"i": '<podcast:images srcset="https://e.org/i.jpg 1500w"/>'}},
        {CH: {"i": '<podcast:image href="https://e.org/i.jpg" width="1500"/>'}},
    ),
    (
        "podcastindex/location",
        {IT: [{"l": '<podcast:location rel="made" country="USA">Austin</podcast:location>'}]},
        {IT: [{"l": '<podcast:location rel="creator" country="US">Austin</podcast:location>'}]},
    ),
    (
        "podcastindex/value",
        {CH: {"v": _value('method="zap"', _RECIPIENT)}},
        {CH: {"v": _value('method="keysend"', _RECIPIENT)}},
    ),
    ("podcastindex/value", {IT: [{"v": _value('method="keysend"', "")}]}, {}),
    (
        "podcastindex/value-recipient",
        {CH: {"v": _value('method="keysend"', _RECIPIENT.replace(_NODE, _NODE[:-2]))}},
        {CH: {"v": _value('method="amp"', _LNADDRESS)}},
    ),
    (
        "podcastindex/value-recipient",
        {CH: {"v": _value('method="keysend"', _RECIPIENT.replace('split="9"', 'split="0.5"'))}},
        {},
    ),
    (
        "podcastindex/value-time-split",
        {IT: [{"v": _value('method="keysend"', _RECIPIENT + _split(290, 20))}]},
        {IT: [{"v": _value('method="keysend"', _RECIPIENT + _split(280, 20))}]},
    ),
    (
        "podcastindex/value-time-split-overlap",
        {IT: [{"v": _value('method="keysend"', _RECIPIENT + _split(10, 60) + _split(60, 5))}]},
        {IT: [{"v": _value('method="keysend"', _RECIPIENT + _split(10, 50) + _split(60, 5))}]},
    ),
    (
        "podcastindex/value-recipient-name",
        {CH: {"v": _value('method="keysend"', _RECIPIENT.replace('name="Ann" ', ""))}},
        {CH: {"v": _value('method="keysend"', _RECIPIENT)}},
    ),
    (
        "spotify/video",
        {IT: [{"enclosure": '<enclosure url="https://e.org/a.mp4" length="9" type="video/mp4"/>'}]},
        {IT: [{"enclosure": '<enclosure url="https://e.org/a.m4a" length="9" type="audio/mp4"/>'}]},
    ),
]


@pytest.mark.parametrize(("rule", "bad", "good"), CASES, ids=[c[0] for c in CASES])
def test_checks_rule_fails_and_passes(
    rule: str, bad: dict[str, object], good: dict[str, object]
) -> None:
    broken = make_feed(bad.get(CH), bad.get(IT))  # type: ignore[arg-type]
    assert rule in rules_of(broken)
    fine = make_feed(good.get(CH), good.get(IT))  # type: ignore[arg-type]
    assert rule not in rules_of(fine), [str(f) for f in findings(fine)]


def test_checks_every_offline_rule_has_a_case() -> None:
    offline = {r.id for r in all_rules().values() if not r.online}
    artwork = {
        "apple/artwork-format",
        "apple/artwork-size",
        "apple/artwork-color",
        "apple/artwork-file-size",
    }  # in test_checks_artwork.py
    # need the probe: mp3-frame-scan in test_checks_cli.py, stated-vs-measured in test_shapes.py
    own_build = {"podcastfeed/mp3-frame-scan", "podcastfeed/stated-vs-measured"}
    own_build |= {"podcastfeed/todo"}  # reads feed.toml: test_checks_cli.py
    # below: they need the XML declaration or the namespace declarations changed
    namespaces = {
        "apple/itunes-namespace",
        "podcastindex/namespace",
        "podcastindex/legacy-namespace",
        "podcastfeed/atom-namespace",
    }
    namespaces |= {"podcastfeed/not-well-formed"}  # needs a broken file: a test below
    assert offline - artwork - own_build - namespaces == {c[0] for c in CASES}


def test_checks_messages_name_value_and_hint() -> None:
    data = make_feed({"explicit": "<itunes:explicit>yes</itunes:explicit>"})
    [finding] = findings(data)
    assert finding.message == "itunes:explicit should be true or false (got 'yes')"
    assert finding.hint == "write <itunes:explicit>true</itunes:explicit>"
    assert (finding.file, finding.line, finding.severity) == ("feed.xml", 8, "warning")
    assert finding.rule == "apple/explicit-legacy"


def test_checks_legacy_explicit_of_the_episodes_is_reported_once() -> None:
    """59 warnings, one per episode of a feed that writes `clean` everywhere, told nothing the
    first did not: the channel's, then the episodes' once, with how many more."""
    explicit = {"explicit": "<itunes:explicit>{}</itunes:explicit>"}
    legacy = [{"x": explicit["explicit"].format(v)} for v in ("no", "clean", "true", "no")]
    data = make_feed({"explicit": explicit["explicit"].format("yes")}, legacy)
    messages = [f.message for f in findings(data) if f.rule == "apple/explicit-legacy"]
    assert messages == [
        "itunes:explicit should be true or false (got 'yes')",
        "itunes:explicit should be true or false (got 'no') (and 2 more episode(s))",
    ]


@pytest.mark.parametrize(
    ("url", "message", "hint"),
    [
        (
            "https://cdn.example.org/My Episode.mp3",
            "holds a space, which a URL cannot: https://cdn.example.org/My Episode.mp3",
            "percent-encode it (%20), or rename the file without it",
        ),
        (
            "https://cdn.exämple.org/a.mp3",
            "holds 'ä', which a URL cannot: https://cdn.exämple.org/a.mp3",
            "write the host as cdn.xn--exmple-cua.org",
        ),
        (
            "https://cdn.example.org/épisode.mp3",
            "holds 'é', which a URL cannot: https://cdn.example.org/épisode.mp3",
            "percent-encode it (%C3%A9), or rename the file without it",
        ),
    ],
)
def test_checks_url_characters_say_how_to_write_it(url: str, message: str, hint: str) -> None:
    enclosure = f'<enclosure url="{url}" length="9" type="audio/mpeg"/>'
    [finding] = findings(make_feed(items=[{"enclosure": enclosure}]))
    assert (finding.rule, finding.severity) == ("podcastfeed/url-characters", "warning")
    assert (finding.message, finding.hint) == (f"<enclosure> {message}", hint)


def test_checks_legacy_category_hint_names_the_new_one() -> None:
    data = make_feed({"category": '<itunes:category text="Games &amp; Hobbies"/>'})
    [finding] = findings(data)
    assert finding.hint == "use 'Leisure'"


def test_checks_enclosure_type_hint_gives_the_fix() -> None:
    data = make_feed(
        items=[{"enclosure": '<enclosure url="https://e.org/a.mp3" length="9" type="audio/mp3"/>'}]
    )
    [finding] = findings(data)
    assert finding.message == "enclosure type 'audio/mp3' does not fit 'a.mp3'"
    assert finding.hint == 'write type="audio/mpeg"'


def test_checks_mojibake_hint_is_the_repaired_text() -> None:
    data = make_feed(
        items=[{"description": "<description>Find Lucaâ€™s LinkedIn here</description>"}]
    )
    [finding] = findings(data)
    assert finding.rule == "podcastfeed/mojibake"
    assert finding.hint == "it should read 'Find Luca’s LinkedIn here'"


def test_checks_ignore_skips_rules() -> None:
    data = make_feed({"explicit": "<itunes:explicit>no</itunes:explicit>"})
    assert run(lint_data(data, "f", NOW), ignore=["apple/explicit-legacy"]) == []


def test_checks_legacy_podcast_namespace_guid_is_read() -> None:
    data = make_feed({"guid": ""}).replace(
        b"<channel>",
        b'<channel><podcast:guid xmlns:podcast="https://github.com/Podcastindex-org/'
        b'podcast-namespace/blob/main/docs/1.0.md">nope</podcast:guid>',
    )
    assert "podcastindex/guid-format" in rules_of(data)


def test_checks_not_xml_or_not_rss_is_an_error() -> None:
    from podcastfeed.errors import PodcastfeedError

    with pytest.raises(PodcastfeedError, match=r"not well-formed XML"):
        lint_data(b"<rss><channel>", "x.xml", NOW)
    with pytest.raises(PodcastfeedError, match=r"not an RSS feed \(the root element is <feed>\)"):
        lint_data(b"<feed/>", "x.xml", NOW)


def test_checks_not_well_formed_feed_is_read_and_each_repair_reported() -> None:
    """Issue 15: a blank line before <?xml, &nbsp;, an unknown entity and a lone & are each a
    warning at their line; the feed is read (its other rules run)."""
    data = make_feed({"title": "<title>Tom &amp; Jerry&nbsp;&gtgt; A & B</title>"})
    assert "podcastfeed/not-well-formed" not in rules_of(make_feed())
    found = [f for f in findings(b"\n" + data) if f.rule == "podcastfeed/not-well-formed"]
    title_line = 1 + data.split(b"Jerry&nbsp;")[0].count(b"\n") + 1
    assert [(f.severity, f.line, f.message) for f in found] == [
        ("warning", 1, "not well-formed XML, repaired: 1 line break(s) before <?xml: removed"),
        ("warning", title_line, "not well-formed XML, repaired: HTML entity &nbsp; read as U+00A0"),
        (
            "warning",
            title_line,
            "not well-formed XML, repaired: undefined entity '&gtgt;': kept as text",
        ),
        ("warning", title_line, "not well-formed XML, repaired: a lone '&': read as '&amp;'"),
    ]
    assert {f.file for f in found} == {"feed.xml"}
    assert found[0].hint is not None
    assert found[0].hint.startswith("nothing may come before <?xml")
    assert {f.hint for f in found[1:]} == {
        "escape & as &amp; and use numeric references (&#160;) for HTML entities"
    }


def test_checks_parse_pieces_drops_the_full_notes() -> None:
    from podcastfeed.lint.runner import parse_pieces

    data = make_feed().replace(
        b"</item>",
        b'<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        + b"notes " * 1000
        + b"</content:encoded></item>",
    )
    pieces = [data[i : i + 100] for i in range(0, len(data), 100)]
    root = parse_pieces(pieces, "feed.xml")
    [encoded] = root.iter("{http://purl.org/rss/1.0/modules/content/}encoded")
    assert encoded.text is None
    assert run(lint_data(data, "feed.xml", NOW)) == []


def test_checks_parse_pieces_tree_needs_no_garbage_collector() -> None:
    # A build's check parses its whole feed (65 MB at 10,000 episodes): the tree must be freed
    # when the check drops it, not at the garbage collector's next full pass (an XMLPullParser's
    # tree is in a reference cycle with the parser), or the pages are written on top of it.
    import gc

    from podcastfeed.lint.runner import parse_pieces

    data = make_feed()
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        root = parse_pieces([data[:50], data[50:]], "feed.xml")
        assert root.find("channel") is not None
        del root
        gc.collect()
        left = {type(each).__name__ for each in gc.garbage}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert "_Document" not in left


@pytest.mark.parametrize(
    ("declaration", "bad"),
    [
        ('<?xml version="1.0" encoding="UTF-8"?>', None),
        ('<?xml version="1.0" encoding="ISO-8859-1"?>', "encoded as ISO-8859-1, not UTF-8"),
    ],
)
def test_checks_itunes_namespace_encoding(declaration: str, bad: str | None) -> None:
    data = make_feed().replace(b'<?xml version="1.0" encoding="UTF-8"?>', declaration.encode())
    messages = [f.message for f in findings(data) if f.rule == "apple/itunes-namespace"]
    assert messages == ([f"the feed is {bad}"] if bad else [])


@pytest.mark.parametrize(
    "uri",
    [
        "https://www.itunes.com/dtds/podcast-1.0.dtd",
        "http://www.itunes.com/DTDs/Podcast-1.0.dtd",
        "http://itunes.com/dtds/podcast-1.0.dtd/",
    ],
)
def test_checks_itunes_namespace_must_be_exact(uri: str) -> None:
    data = make_feed().replace(b"http://www.itunes.com/dtds/podcast-1.0.dtd", uri.encode())
    [finding] = [f for f in findings(data) if f.rule == "apple/itunes-namespace"]
    assert finding.severity == "error"
    assert finding.message.startswith("the itunes namespace must be exactly http://www.itunes")
    assert (finding.line, finding.hint) == (
        2,
        'declare xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"',
    )


def test_checks_itunes_namespace_ignores_other_itunes_namespaces() -> None:
    data = make_feed().replace(
        b"<channel>", b'<channel xmlns:itunesu="http://www.itunesu.com/feed">'
    )
    assert "apple/itunes-namespace" not in rules_of(data)


@pytest.mark.parametrize(
    ("uri", "rule", "severity", "message"),
    [
        (
            "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
            "podcastindex/legacy-namespace",
            "warning",
            "the podcast namespace is the legacy URI https://github.com/Podcastindex-org/"
            "podcast-namespace/blob/main/docs/1.0.md",
        ),
        (
            "http://podcastindex.org/namespace/1.0",
            "podcastindex/namespace",
            "error",
            "the podcast namespace must be https://podcastindex.org/namespace/1.0 "
            "(got 'http://podcastindex.org/namespace/1.0'): apps see no podcast: tags in it",
        ),
    ],
)
def test_checks_podcast_namespace(uri: str, rule: str, severity: str, message: str) -> None:
    """A misspelled namespace hides every podcast: tag (error); the legacy one works in the
    apps that know it (warning)."""
    data = make_feed().replace(b"https://podcastindex.org/namespace/1.0", uri.encode())
    found = [f for f in findings(data) if f.rule.endswith("namespace")]
    [finding] = found
    assert (finding.rule, finding.severity, finding.message) == (rule, severity, message)
    assert finding.hint == 'declare xmlns:podcast="https://podcastindex.org/namespace/1.0"'
    assert not {"podcastindex/namespace", "podcastindex/legacy-namespace"} & rules_of(make_feed())


def test_checks_new_feed_url_messages() -> None:
    moved = "<itunes:new-feed-url>https://example.org/feed.xml/</itunes:new-feed-url>"
    got = {f.rule: f for f in findings(make_feed({"moved": moved}))}
    assert "apple/new-feed-url" not in got  # issue 15: a warning, not an error
    assert got["apple/new-feed-url-self"].severity == "warning"
    assert got["apple/new-feed-url-self"].message == (
        "itunes:new-feed-url is the feed's own URL (https://example.org/feed.xml): it moves nothing"
    )
    assert got["apple/feed-moved"].hint == (
        "keep the old URL redirecting (301) to the new one for at least two weeks"
    )
    in_item = make_feed(items=[{"m": "<itunes:new-feed-url>https://e.org/x</itunes:new-feed-url>"}])
    [finding] = [f for f in findings(in_item) if f.rule == "apple/new-feed-url"]
    assert finding.message.startswith("itunes:new-feed-url inside an episode is ignored")
    assert "apple/feed-moved" not in rules_of(in_item)


def test_checks_video_is_reported_once_with_a_count() -> None:
    video = '<enclosure url="https://e.org/a{n}.mp4" length="9" type="video/mp4"/>'
    data = make_feed(items=[{"enclosure": video}] * 3)
    [finding] = [f for f in findings(data) if f.rule == "spotify/video"]
    assert finding.message == (
        "video enclosure (video/mp4) (and 2 more episode(s)): "
        "Spotify does not process video from RSS feeds"
    )


def test_checks_podcast_tags_in_the_legacy_namespace_are_read() -> None:
    data = make_feed({"m": "<podcast:medium>radio</podcast:medium>"}).replace(
        b"https://podcastindex.org/namespace/1.0",
        b"https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
    )
    [finding] = [f for f in findings(data) if f.rule == "podcastindex/medium"]
    assert finding.message == "podcast:medium must be one of the namespace's mediums (got 'radio')"


def test_checks_podcast_tag_hints() -> None:
    data = make_feed(
        {
            "m": "<podcast:medium>Music</podcast:medium>",
            "lic": "<podcast:license>CC-BY-4.0</podcast:license>",
        }
    )
    hints = {f.rule: f.hint for f in findings(data)}
    assert hints == {
        "podcastindex/medium": "write 'music'",
        "podcastindex/license": "write 'cc-by-4.0'",
    }


def test_checks_country_of_origin_hint() -> None:
    country = "<spotify:countryOfOrigin {}>GB, us</spotify:countryOfOrigin>"
    [finding] = findings(make_feed({"country": country.format(SPOTIFY)}))
    assert (finding.rule, finding.hint) == ("spotify/tags", "write 'gb us'")


def test_enclosure_type_hint_is_the_type_podcastfeed_writes() -> None:
    """audio/m4a is a misspelling: the hint says audio/x-m4a, never audio/m4a itself."""
    from podcastfeed.lint.rules.items import TYPE_FIXES, TYPES_BY_EXTENSION

    assert "audio/m4a" not in TYPES_BY_EXTENSION[".m4a"]
    assert TYPE_FIXES["audio/m4a"] in TYPES_BY_EXTENSION[".m4a"]


@pytest.mark.parametrize(
    ("text", "left_open"),
    [
        ("plain", None),
        ("\u202eevil", "\u202e"),
        ("\u202bשלום\u202c", None),
        ("\u2067a\u2069 \u202eb", "\u202e"),
        ("\u202a\u2066a\u2069\u202c", None),
        ("\u202cclosed first", None),  # (a closer alone changes nothing)
        ("\u2066a\u202c", "\u2066"),  # (PDF does not close an isolate)
    ],
)
def test_unclosed_bidi(text: str, left_open: str | None) -> None:
    assert unclosed_bidi(text) == left_open
