"""One rule for the characters of every URL in the feed (podcastfeed/url-characters): a URL is
published as written, and `check` names each one a URL cannot hold at the line that sets it."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Site, run_podcastfeed

SHOW_URLS = """\
funding = [{ url = "https://e.org/fund me", text = "Support" }]
trailers = [{ title = "T", url = "https://e.org/trail er.mp3", pubdate = 2024-01-01T09:00:00Z }]
podroll = [{ feed_guid = "a94f5cc9-8c58-55fc-91fe-a324087a655b", feed_url = "https://e.org/p r" }]
hubs = ["https://hub.org/h ub"]
license = { name = "x", url = "https://e.org/lic ense" }
persons = [{ name = "Ada", href = "https://e.org/a da", img = "https://e.org/äda.jpg" }]
images = [{ href = "https://e.org/im age.jpg", width = 1400 }]
new_feed_url = "https://e.org/new feed.xml"
"""
NODE = "02d5c1bf8b940dc9cadca86d1b0a3c37fbe39cee4c7e839e33bef9174531d27f52"
EPISODE = f"""\
---
title: t
date: 2024-01-01
audio: https://e.org/a.mp3
duration: 300
length: 5
persons: [{{name: B, href: "https://e.org/b\\u202eob", img: "https://ada:pw@e.org/b.jpg"}}]
chapters: "https://e.org/chap ters.json"
transcript: "https://e.org/tr ans.vtt"
alternate_enclosures: [{{url: "https://e.org/alt ernate.ogg", length: 5}}]
images: [{{href: "https://e.org/ép.jpg"}}]
license: {{name: xy, url: "https://e.org/l i"}}
value: [{{type: lightning, method: keysend, recipients: [{{name: a, type: node, address: {NODE},
  split: 1}}], time_splits: [{{start: 1, duration: 2, remote_item: {{feed_guid:
  a94f5cc9-8c58-55fc-91fe-a324087a655b, feed_url: "https://e.org/re mote.xml"}}}}]}}]
---
N.
"""
CHAPTERS = """\
---
title: b
date: 2024-01-02
audio: https://e.org/b.mp3
duration: 300
length: 5
chapters: [{start: 0, title: a, url: "https://e.org/c h", img: "https://e.org/c i.jpg"}]
---
N.
"""


def _findings(site: Site, rule: str) -> list[tuple[str, int, str]]:
    result = run_podcastfeed(["check", "--format", "json"], site.root)
    assert result.returncode == 0, result.stderr  # (warnings)
    return [
        (Path(f["file"]).name, f["line"], f["message"].split(", which")[0])
        for f in json.loads(result.stdout)
        if f["rule"] == rule
    ]


def test_every_url_field_is_checked_for_characters_a_url_cannot_hold(site: Site) -> None:
    """A space, a non-ASCII letter or a bidi mark in an optional tag's URL (a person, chapters,
    an alternate enclosure, funding, a licence, a trailer …) was published without a word;
    podcast:image, podcast:trailer and itunes:new-feed-url with a space were errors (the build
    refused the show) where the enclosure's was this warning."""
    site.show(SHOW_URLS)
    site.episode("a", EPISODE)
    site.episode("b", CHAPTERS)
    assert sorted(_findings(site, "podcastfeed/url-characters")) == [
        ("a.md", 7, "<podcast:person href> holds '\\u202e'"),
        ("a.md", 8, "<podcast:chapters> holds a space"),
        ("a.md", 9, "<podcast:transcript> holds a space"),
        ("a.md", 10, "<podcast:source> holds a space"),
        ("a.md", 11, "<podcast:image> holds 'é'"),
        ("a.md", 12, "<podcast:license> holds a space"),
        ("a.md", 13, "<podcast:remoteItem> holds a space"),
        ("b.md", 7, "<psc:chapter href> holds a space"),
        ("b.md", 7, "<psc:chapter image> holds a space"),
        ("feed.toml", 13, "<podcast:funding> holds a space"),
        ("feed.toml", 14, "<podcast:trailer> holds a space"),
        ("feed.toml", 15, "<podcast:remoteItem> holds a space"),
        ("feed.toml", 16, "<atom:link> holds a space"),
        ("feed.toml", 17, "<podcast:license> holds a space"),
        ("feed.toml", 18, "<podcast:person href> holds a space"),
        ("feed.toml", 18, "<podcast:person img> holds 'ä'"),
        ("feed.toml", 19, "<podcast:image> holds a space"),
        ("feed.toml", 20, "<itunes:new-feed-url> holds a space"),
    ]
    assert _findings(site, "podcastfeed/url-password") == [
        ("a.md", 7, "a URL holds a password (for e.org): every reader of the feed gets it")
    ]
    result = run_podcastfeed(["build", "-o", "-"], site.root)
    assert result.returncode == 0, result.stderr
    for written in ("https://e.org/fund me", "https://e.org/äda.jpg", "https://e.org/c i.jpg"):
        assert f'="{written}"' in result.stdout  # published as written


def test_a_bidi_mark_is_shown_escaped_with_how_to_fix_it(site: Site) -> None:
    """Shown raw, a right-to-left override reorders the message (and the terminal line)."""
    site.episode("a", EPISODE)
    result = run_podcastfeed(["check"], site.root)
    assert "which a URL cannot: https://e.org/b\\u202eob [podcastfeed/url-characters]\n" in (
        result.stdout
    )
    assert "    hint: delete it: it is invisible (U+202E)\n" in result.stdout
    assert "\u202e" not in result.stdout


def test_a_show_url_restated_on_each_episode_is_named_once(site: Site) -> None:
    """The show's persons are restated on an episode that lists its own: its bad URL is the
    show's, at feed.toml's line, not once more at the episode's `persons`."""
    site.show('persons = [{ name = "Ada", img = "https://e.org/ä.jpg" }]\n')
    site.episode("a", EPISODE.replace('"https://e.org/b\\u202eob"', "https://e.org/b"))
    found = _findings(site, "podcastfeed/url-characters")
    assert [f for f in found if "person" in f[2]] == [
        ("feed.toml", 13, "<podcast:person> holds 'ä'")
    ]


def test_check_feed_checks_every_url_of_any_feed(tmp_path: Path) -> None:
    (tmp_path / "f.xml").write_text(
        '<?xml version="1.0"?>\n<rss version="2.0" '
        'xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel>\n'
        "<title>T</title><link>https://e.org/</link><description>D</description>\n"
        "<item><title>A</title><guid>a</guid><pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate>\n"
        '<enclosure url="https://e.org/a.mp3" length="10" type="audio/mpeg"/>\n'
        '<podcast:funding url="https://e.org/f\u200bund">F</podcast:funding>\n'
        "</item></channel></rss>\n",
        encoding="utf-8",
    )
    result = run_podcastfeed(["check", "--feed", "f.xml", "--format", "json"], tmp_path)
    found = [f for f in json.loads(result.stdout) if f["rule"] == "podcastfeed/url-characters"]
    assert [(f["line"], f["message"], f["hint"]) for f in found] == [
        (
            6,
            "<podcast:funding> holds '\\u200b', which a URL cannot: https://e.org/f\\u200bund",
            "delete it: it is invisible (U+200B)",
        )
    ]
