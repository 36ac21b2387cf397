"""Issue 4: every optional tag, from feed.toml and front matter to the feed, validated."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import GoldenCheck, Site
from feedcheck import parse_both
from lxml import etree

from podcastfeed.build import build, write_report
from podcastfeed.errors import BuildFailed, Problem
from podcastfeed.source.config import load_config
from podcastfeed.source.episodes import read_episode
from podcastfeed.xmlns import ATOM, ITUNES, PODCAST, PSC, SPOTIFY

NOW = datetime(2025, 1, 1, tzinfo=UTC)
NS = {"itunes": ITUNES, "podcast": PODCAST, "atom": ATOM, "spotify": SPOTIFY, "psc": PSC}

FULL_SHOW = """\
type = "serial"
itunes_title = "Test"
block = true
complete = true
new_feed_url = "https://new.example.org/feed.xml"
locked = true
locked_owner = "ada@example.org"
funding = [{ url = "https://example.org/donate", text = "Support the show" }]
persons = [
  { name = "Ada Lovelace", role = "Host", group = "Cast", img = "https://example.org/ada.jpg", href = "https://example.org/ada" },
  { name = "Charles Babbage", role = "producer", group = "creative direction" },
]
license = "CC-BY-4.0"
medium = "podcast"
location = { name = "London", geo = "geo:51.5,-0.12", osm = "R65606" }
txt = [{ text = "verify-123", purpose = "applepodcastsverify" }, "plain note"]
trailers = [{ title = "Coming soon", url = "https://cdn.example.org/trailer.mp3", pubdate = 2024-01-01T09:00:00Z, length = 12345, season = 1 }]
podroll = [{ feed_guid = "9b024349-ccf0-5f69-a609-6b82873eab3c", feed_url = "https://podnews.net/rss" }]
update_frequency = { text = "Weekly", rrule = "FREQ=WEEKLY", complete = false, dtstart = 2024-01-01T00:00:00Z }
images = [{ url = "https://example.org/cover-1500.jpg", width = 1500 }, { url = "https://example.org/cover-600.jpg", width = 600 }]
country_of_origin = ["gb", "us"]
spotify_limit = 10
hubs = ["https://pubsubhubbub.appspot.com/", "https://websub.example.org/"]
"""  # noqa: E501 - TOML inline tables must be on one line

FULL_EPISODE = """\
---
title: One
date: 2024-01-02
audio: audio/sine-3s-cbr.mp3
season: 1
season_name: The Beginning
episode: 1
episode_display: Pilot
itunes_title: One
block: yes
transcript:
  - transcripts/e1.vtt
  - {url: "https://example.org/e1.srt", language: en, rel: captions}
chapters:
  - {start: "00:00:00", title: Intro}
  - {start: "00:00:01.500", title: Topic, url: "https://example.org/topic", img: "https://example.org/topic.jpg"}
persons:
  - {name: Grace Hopper, role: guest, href: "https://example.org/grace"}
soundbites:
  - {start: 0.5, duration: 2, title: Best bit}
location:
  - {name: Paris, geo: "geo:48.85,2.35"}
  - {name: Marlow, rel: creator, country: gb}
license: {name: my-license, url: "https://example.org/license"}
images:
  - {href: "https://example.org/e1-1500.jpg", width: 1500, alt: Episode one, aspect_ratio: 1/1}
  - {href: "https://example.org/e1-wide.mp4", aspect-ratio: 16/9, type: video/mp4, purpose: artwork social}
alternate_enclosures:
  - {url: "https://cdn.example.org/e1.ogg", length: 4567, bitrate: 96000, title: Ogg, integrity: {type: sri, value: sha384-abc}}
---
Notes.
"""  # noqa: E501 - one front-matter line per mapping reads best

BONUS_EPISODE = """\
---
title: Two
date: 2024-01-03
audio: audio/two.mp3
episode_type: bonus
episode: 2.5
alternate_enclosures:
  - {url: audio/alt.ogg, title: Ogg}
---
Bonus.
"""

VTT = "WEBVTT\n\n00:00.000 --> 00:01.000\nHello.\n"
CHAPTERS_FILE = '{"version": "1.2.0", "chapters": [{"startTime": 0, "title": "All"}]}\n'


def _full_site(site: Site) -> Site:
    site.show(FULL_SHOW)
    site.audio("sine-3s-cbr.mp3")
    site.audio("sine-3s-cbr.mp3", "two.mp3")
    site.audio("sine-2s.ogg", "alt.ogg")
    (site.episodes / "transcripts").mkdir()
    (site.episodes / "transcripts" / "e1.vtt").write_text(VTT, encoding="utf-8")
    site.episode("e1", FULL_EPISODE)
    site.episode("e2", BONUS_EPISODE)
    (site.episodes / "e2.vtt").write_text(VTT + "Two.\n", encoding="utf-8")
    (site.episodes / "e2.chapters.json").write_text(CHAPTERS_FILE, encoding="utf-8")
    return site


def _item(root: etree._Element, title: str) -> etree._Element:
    return next(i for i in root.iter("item") if i.findtext("title") == title)


def test_full_feed_uses_every_tag(site: Site, golden: GoldenCheck) -> None:
    report = build(_full_site(site).config, now=NOW, use_cache=False)
    data = report.feed
    golden("full", data)
    parsed = parse_both(data)
    assert [(i.title, i.duration, i.mime_type) for i in parsed] == [
        ("Two", 3, "audio/mpeg"),
        ("One", 3, "audio/mpeg"),
    ]
    root = etree.fromstring(data)
    assert root.nsmap["spotify"] == SPOTIFY
    assert root.nsmap["psc"] == PSC
    channel = root.find("channel")
    assert channel is not None
    tags = {etree.QName(e).localname for e in channel if etree.QName(e).namespace}
    assert tags >= {
        "title", "block", "complete", "new-feed-url", "locked", "funding", "person", "license",
        "medium", "location", "txt", "trailer", "podroll", "updateFrequency", "image",
        "countryOfOrigin", "limit", "link",
    }  # fmt: skip
    one = _item(root, "One")
    item_tags = {etree.QName(e).localname for e in one if etree.QName(e).namespace}
    assert item_tags >= {
        "title", "block", "season", "episode", "transcript", "chapters", "person", "soundbite",
        "location", "license", "image", "alternateEnclosure",
    }  # fmt: skip


def test_channel_tags_match_feed_toml(site: Site) -> None:
    channel = etree.fromstring(build(_full_site(site).config, now=NOW).feed).find("channel")
    assert channel is not None

    def attrs(path: str) -> list[dict[str, str]]:
        return [dict(e.attrib) for e in channel.findall(path, NS)]

    assert channel.findtext("itunes:title", namespaces=NS) == "Test"
    assert channel.findtext("itunes:block", namespaces=NS) == "Yes"
    assert channel.findtext("itunes:complete", namespaces=NS) == "Yes"
    assert channel.findtext("itunes:new-feed-url", namespaces=NS) == (
        "https://new.example.org/feed.xml"
    )
    assert attrs("atom:link[@rel='hub']") == [
        {"href": "https://pubsubhubbub.appspot.com/", "rel": "hub"},
        {"href": "https://websub.example.org/", "rel": "hub"},
    ]
    assert attrs("podcast:locked") == [{"owner": "ada@example.org"}]
    assert channel.findtext("podcast:locked", namespaces=NS) == "yes"
    assert attrs("podcast:funding") == [{"url": "https://example.org/donate"}]
    assert channel.findtext("podcast:funding", namespaces=NS) == "Support the show"
    assert attrs("podcast:person") == [
        {
            "role": "host",
            "group": "cast",
            "img": "https://example.org/ada.jpg",
            "href": "https://example.org/ada",
        },
        {"role": "producer", "group": "creative direction"},
    ]
    assert [e.text for e in channel.findall("podcast:person", NS)] == [
        "Ada Lovelace",
        "Charles Babbage",
    ]
    assert channel.findtext("podcast:license", namespaces=NS) == "cc-by-4.0"
    assert channel.findtext("podcast:medium", namespaces=NS) == "podcast"
    assert attrs("podcast:location") == [{"geo": "geo:51.5,-0.12", "osm": "R65606"}]
    assert attrs("podcast:txt") == [{"purpose": "applepodcastsverify"}, {}]
    assert [e.text for e in channel.findall("podcast:txt", NS)] == ["verify-123", "plain note"]
    assert attrs("podcast:trailer") == [
        {
            "url": "https://cdn.example.org/trailer.mp3",
            "pubdate": "Mon, 01 Jan 2024 09:00:00 +0000",
            "length": "12345",
            "type": "audio/mpeg",
            "season": "1",
        }
    ]
    assert attrs("podcast:podroll/podcast:remoteItem") == [
        {"feedGuid": "9b024349-ccf0-5f69-a609-6b82873eab3c", "feedUrl": "https://podnews.net/rss"}
    ]
    assert attrs("podcast:updateFrequency") == [
        {"complete": "false", "dtstart": "2024-01-01T00:00:00+00:00", "rrule": "FREQ=WEEKLY"}
    ]
    # feed.toml's images in the old podcast:images syntax: one podcast:image each (issue 16)
    assert attrs("podcast:image") == [
        {"href": "https://example.org/cover-1500.jpg", "width": "1500"},
        {"href": "https://example.org/cover-600.jpg", "width": "600"},
    ]
    assert attrs("podcast:images") == []
    assert channel.findtext("spotify:countryOfOrigin", namespaces=NS) == "gb us"
    assert attrs("spotify:limit") == [{"recentCount": "10"}]


def test_item_tags_match_front_matter(site: Site) -> None:
    root = etree.fromstring(build(_full_site(site).config, now=NOW).feed)
    one = _item(root, "One")

    def attrs(path: str) -> list[dict[str, str]]:
        return [dict(e.attrib) for e in one.findall(path, NS)]

    assert one.findtext("itunes:title", namespaces=NS) == "One"
    assert one.findtext("itunes:block", namespaces=NS) == "Yes"
    assert attrs("podcast:season") == [{"name": "The Beginning"}]
    assert one.findtext("podcast:season", namespaces=NS) == "1"
    assert attrs("podcast:episode") == [{"display": "Pilot"}]
    assert one.findtext("podcast:episode", namespaces=NS) == "1"
    assert attrs("podcast:transcript") == [
        {"url": "https://example.org/transcripts/e1.vtt", "type": "text/vtt"},
        {
            "url": "https://example.org/e1.srt",
            "type": "application/x-subrip",
            "language": "en",
            "rel": "captions",
        },
    ]
    assert attrs("podcast:chapters") == [
        {"url": "https://example.org/chapters/e1.json", "type": "application/json+chapters"}
    ]
    # the show's persons first: the item's replace the channel's in apps (issue 16)
    assert attrs("podcast:person")[2:] == [{"role": "guest", "href": "https://example.org/grace"}]
    assert [e.text for e in one.findall("podcast:person", NS)] == [
        "Ada Lovelace",
        "Charles Babbage",
        "Grace Hopper",
    ]
    assert attrs("podcast:soundbite") == [{"startTime": "0.5", "duration": "2"}]
    assert one.findtext("podcast:soundbite", namespaces=NS) == "Best bit"
    assert attrs("podcast:location") == [
        {"geo": "geo:48.85,2.35"},
        {"rel": "creator", "country": "GB"},
    ]
    assert [e.text for e in one.findall("podcast:location", NS)] == ["Paris", "Marlow"]
    assert attrs("podcast:license") == [{"url": "https://example.org/license"}]
    assert one.findtext("podcast:license", namespaces=NS) == "my-license"
    assert attrs("podcast:image") == [
        {
            "href": "https://example.org/e1-1500.jpg",
            "alt": "Episode one",
            "aspect-ratio": "1/1",
            "width": "1500",
        },
        {
            "href": "https://example.org/e1-wide.mp4",
            "aspect-ratio": "16/9",
            "type": "video/mp4",
            "purpose": "artwork social",
        },
    ]
    assert attrs("podcast:alternateEnclosure") == [
        {"type": "audio/ogg", "length": "4567", "bitrate": "96000", "title": "Ogg"}
    ]
    assert attrs("podcast:alternateEnclosure/podcast:source") == [
        {"uri": "https://cdn.example.org/e1.ogg"}
    ]
    assert attrs("podcast:alternateEnclosure/podcast:integrity") == [
        {"type": "sri", "value": "sha384-abc"}
    ]
    assert attrs("psc:chapters") == [{"version": "1.2"}]
    assert attrs("psc:chapters/psc:chapter") == [
        {"start": "00:00:00", "title": "Intro"},
        {
            "start": "00:00:01.500",
            "title": "Topic",
            "href": "https://example.org/topic",
            "image": "https://example.org/topic.jpg",
        },
    ]
    two = _item(root, "Two")
    assert two.findtext("itunes:episode", namespaces=NS) is None  # 2.5 is not Apple's
    ogg = (site.episodes / "audio" / "alt.ogg").stat().st_size
    assert [dict(e.attrib) for e in two.findall("podcast:alternateEnclosure", NS)] == [
        {"type": "audio/ogg", "length": str(ogg), "title": "Ogg"}  # measured: not in front matter
    ]
    assert two.find("podcast:alternateEnclosure/podcast:source", NS).get("uri") == (
        "https://cdn.example.org/media/audio/alt.ogg"
    )
    assert two.findtext("podcast:episode", namespaces=NS) == "2.5"


def test_sibling_files_are_found_and_published_by_absolute_url(site: Site, tmp_path: Path) -> None:
    report = build(_full_site(site).config, now=NOW, use_cache=False)
    two = _item(etree.fromstring(report.feed), "Two")
    assert [dict(e.attrib) for e in two.findall("podcast:transcript", NS)] == [
        {"url": "https://example.org/transcripts/e2.vtt", "type": "text/vtt"}
    ]
    assert two.find("podcast:chapters", NS).get("url") == "https://example.org/chapters/e2.json"
    assert two.find("psc:chapters", NS) is None  # only inline chapters become psc
    out = tmp_path / "out" / "feed.xml"
    write_report(report, out)
    assert (out.parent / "transcripts" / "e1.vtt").read_text(encoding="utf-8") == VTT
    assert (out.parent / "transcripts" / "e2.vtt").read_text(encoding="utf-8") == VTT + "Two.\n"
    assert (out.parent / "chapters" / "e2.json").read_text(encoding="utf-8") == CHAPTERS_FILE
    inline = json.loads((out.parent / "chapters" / "e1.json").read_text(encoding="utf-8"))
    assert inline == {
        "version": "1.2.0",
        "chapters": [
            {"startTime": 0, "title": "Intro"},
            {
                "startTime": 1.5,
                "title": "Topic",
                "img": "https://example.org/topic.jpg",
                "url": "https://example.org/topic",
            },
        ],
    }


def test_sibling_added_later_is_seen_through_the_cache(site: Site) -> None:
    site.episode("e")
    assert b"podcast:transcript" not in build(site.config, now=NOW).feed
    (site.episodes / "e.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nHi\n", "utf-8")
    feed = build(site.config, now=NOW).feed
    assert b'<podcast:transcript url="https://example.org/transcripts/e.srt"' in feed
    assert b'type="application/x-subrip"' in feed


def test_feed_without_the_tags_declares_no_optional_namespace(site: Site) -> None:
    site.episode("e")
    root = etree.fromstring(build(site.config, now=NOW).feed)
    assert set(root.nsmap) == {"itunes", "podcast", "atom", "content"}


def _errors(problems: list[Problem]) -> list[str]:
    return [str(p).split("\n")[0] for p in problems if p.is_error]


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        (
            'medium = "radio"',
            "[show] 'medium' must be one of podcast, music, video, film, audiobook, newsletter, "
            "blog, publisher, course (or a list form) (got 'radio')",
        ),
        (
            'funding = [{ url = "http://example.org/d", text = "x" }]',
            "[show] 'funding' must be an https:// URL (got 'http://example.org/d')",
        ),
        (
            'funding = [{ url = "https://example.org/d", text = "' + "x" * 129 + '" }]',
            "[show] 'funding' must be at most 128 characters (got 129)",
        ),
        (
            'persons = [{ name = "A", img = "ada.jpg" }]',
            "[show] 'persons' 'img' must be an http(s) URL (got 'ada.jpg')",
        ),
        (
            'license = "my-own"',
            "[show] 'license' 'my-own' is not a known licence id (e.g. cc-by-4.0, cc0-1.0, arr); "
            "give a url for another licence",
        ),
        (
            'txt = ["' + "x" * 4001 + '"]',
            "[show] 'txt' must be at most 4000 characters (got 4001)",
        ),
        ("spotify_limit = 0", "[show] 'spotify_limit' must be a whole number above 0 (got 0)"),
        (
            'country_of_origin = ["usa"]',
            "[show] 'country_of_origin' must list ISO 3166 country codes like 'us' (got 'usa')",
        ),
        (
            'podroll = [{ feed_url = "https://x.org/rss" }]',
            "[show] 'podroll' needs 'feed_guid' (got {'feed_url': 'https://x.org/rss'})",
        ),
        (
            'trailers = [{ title = "T", url = "https://x.org/t.mp3" }]',
            "[show] 'trailers' needs 'pubdate' (got {'title': 'T', 'url': 'https://x.org/t.mp3'})",
        ),
        ('locked = "yes"', "[show] 'locked' must be true or false (got 'yes')"),
        (
            'location = { name = "X", geo = "51.5,0.1" }',
            "[show] 'location' 'geo' must be a geo: URI like geo:30.2672,97.7431 (got '51.5,0.1')",
        ),
        (  # issue 16: the 2025 revision's rel and country, several places
            'location = ["Austin", { name = "Marlow", rel = "made" }]',
            "[show] 'location' entry 2: 'rel' must be subject (what the content is about) or "
            "creator (where it is made) (got 'made')",
        ),
        (
            'location = { name = "Marlow", country = "GBR" }',
            "[show] 'location' 'country' must be an ISO 3166-1 alpha-2 code like US (got 'GBR')",
        ),
        (
            'images = [{ width = 1500, alt = "Cover" }]',
            "[show] 'images' needs 'href' (got {'alt': 'Cover', 'width': 1500})",
        ),
        (
            'images = [{ url = "https://x.org/a.jpg", href = "https://x.org/b.jpg" }]',
            "[show] 'images' has both 'url' and 'href': give one",
        ),
        (
            'images = [{ href = "https://x.org/a.jpg", aspect_ratio = "wide" }]',
            "[show] 'images' 'aspect_ratio' must be a ratio like 1/1 or 16/9 (got 'wide')",
        ),
        (
            'images = ["http://x.org/a.jpg"]',
            "[show] 'images' must be an https:// URL (got 'http://x.org/a.jpg')",
        ),
    ],
)
def test_show_tag_errors_name_key_line_and_value(site: Site, toml: str, expected: str) -> None:
    site.show(toml + "\n")
    with pytest.raises(BuildFailed) as info:
        load_config(site.config)
    line = len(site.config.read_text().splitlines())
    assert _errors(info.value.problems) == [f"{site.config}:{line}: error: {expected}"]


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        (
            "transcript: missing.vtt",
            "'transcript' file not found: 'missing.vtt' "
            "(looked beside the episode and in the show)",
        ),
        (
            "transcript: http://example.org/t.vtt",
            "'transcript' must be an https:// URL (got 'http://example.org/t.vtt')",
        ),
        (
            "transcript: https://example.org/t.pdf",
            "'transcript' 'type' must be one of application/json, application/x-subrip, "
            "text/html, text/plain, text/vtt (got '.pdf')",
        ),
        ("episode: 1.2.3", "'episode' must be a number above 0, like 12 or 12.5 (got '1.2.3')"),
        (
            "episode_display: " + "x" * 33 + "\nepisode: 3",
            "'episode_display' must be at most 32 characters (got 33)",
        ),
        ("season_name: Origins", "'season_name' needs 'season' to name (got no season)"),
        (
            "chapters:\n  - {start: soon, title: A}",
            "'chapters' 'start' must be seconds or HH:MM:SS (got 'soon')",
        ),
        (
            "images:\n  - {href: https://x.org/a.mp4, type: video}",
            "'images' 'type' must be a MIME type like image/jpeg (got 'video')",
        ),
        (
            "locations:\n  - {name: Paris, osm: Paris}",
            "'locations' 'osm' must be an OpenStreetMap id like R113314 (got 'Paris')",
        ),
        (
            "persons_replace: maybe\npersons: [A]",
            "'persons_replace' must be true or false (got 'maybe')",
        ),
        (
            "soundbites:\n  - {start: 10}",
            "'soundbites' needs 'duration' (got {'start': 10})",
        ),
        (
            "alternate_enclosures:\n  - {url: https://x.org/a.ogg, length: -1}",
            "'alternate_enclosures' 'length' must be a whole number above 0 (got -1)",
        ),
        (
            "alternate_enclosures:\n  - {url: https://x.org/a, length: 5}",
            "'alternate_enclosures' needs 'type': 'no extension' is not a known type",
        ),
    ],
)
def test_episode_tag_errors_name_file_line_and_value(site: Site, front: str, expected: str) -> None:
    site.audio("sine-3s-cbr.mp3")
    path = site.episode(
        "e", f"---\ntitle: T\ndate: 2024-01-01\naudio: audio/sine-3s-cbr.mp3\n{front}\n---\n"
    )
    episode, problems = site.read(path)
    assert episode is None
    assert _errors(problems) == [f"episodes/e.md:5: error: {expected}"]


def test_persons_outside_the_taxonomy_are_kept_with_a_warning(site: Site) -> None:
    """Issue 15: the spec reads a group or role it does not know as the default (cast, host);
    the build writes what the source said and warns, for the show and for an episode."""
    site.show(
        'persons = [{ name = "A", role = "Boss" }, '
        '{ name = "B", group = "cast", role = "composer" }, { name = "C", role = "HOST" }]\n'
    )
    site.audio("sine-3s-cbr.mp3")
    path = site.episode(
        "e",
        "---\ntitle: T\ndate: 2024-01-01\naudio: audio/sine-3s-cbr.mp3\n"
        "persons:\n  - {name: G, group: band, role: guitar}\n---\n",
    )
    config = load_config(site.config)
    line = len(site.config.read_text().splitlines())
    assert [str(p).split("\n")[0] for p in config.warnings] == [
        f"{site.config}:{line}: warning: [show] 'persons' entry 1: 'role' 'Boss' is not a role "
        "in the Podcast Index taxonomy (e.g. host, guest, producer): apps read it as host",
        f"{site.config}:{line}: warning: [show] 'persons' entry 2: 'role' 'composer' is not a "
        "role in group 'cast' of the Podcast Index taxonomy (e.g. host, guest, producer): apps "
        "read it as host",
    ]
    episode, problems = site.read(path)
    assert episode is not None
    assert [str(p).split("\n")[0] for p in problems] == [
        "episodes/e.md:5: warning: 'persons' 'group' 'band' is not a group of the Podcast Index "
        "taxonomy (e.g. cast, writing, audio production): apps read it as cast",
        "episodes/e.md:5: warning: 'persons' 'role' 'guitar' is not a role in the Podcast Index "
        "taxonomy (e.g. host, guest, producer): apps read it as host",
    ]
    feed = build(site.config, now=NOW).feed
    assert b'<podcast:person role="Boss">A</podcast:person>' in feed
    assert b'<podcast:person role="host">C</podcast:person>' in feed
    assert b'<podcast:person role="guitar" group="band">G</podcast:person>' in feed


def test_serial_show_needs_an_episode_number_on_full_episodes(site: Site) -> None:
    site.show('type = "serial"\n')
    site.episode("e1")
    site.episode("bonus", date="2024-01-01\nepisode_type: bonus")
    with pytest.raises(BuildFailed) as info:
        build(site.config, now=NOW, use_cache=False)
    assert _errors(info.value.problems) == [
        "episodes/e1.md: error: 'episode' must be a whole number: the show is serial, so Apple "
        "needs itunes:episode on every full episode (got None)"
    ]


def test_soundbite_must_lie_inside_the_measured_duration(site: Site) -> None:
    site.episode("e", date="2024-01-01\nsoundbites:\n  - {start: 2, duration: 1.5}")
    with pytest.raises(BuildFailed) as info:
        build(site.config, now=NOW, use_cache=False)
    assert _errors(info.value.problems) == [
        "episodes/e.md:4: error: 'soundbites' must lie inside the episode's 3 s "
        "(got start 2 s + duration 1.5 s = 3.5 s)"
    ]


def test_local_chapters_file_must_be_json_chapters(site: Site) -> None:
    site.episode("e")
    (site.episodes / "e.chapters.json").write_text('{"chapters": []}', encoding="utf-8")
    with pytest.raises(BuildFailed) as info:
        build(site.config, now=NOW, use_cache=False)
    assert _errors(info.value.problems) == [
        "episodes/e.chapters.json: error: chapters file needs a 'version' (e.g. \"1.2.0\") at "
        "the top (read for episodes/e.md)"
    ]
    (site.episodes / "e.chapters.json").write_text(
        '{"version": "1.2.0", "chapters": [{"title": "x"}]}', encoding="utf-8"
    )
    with pytest.raises(BuildFailed) as info:
        build(site.config, now=NOW, use_cache=False)
    assert _errors(info.value.problems) == [
        "episodes/e.chapters.json: error: chapters file chapter 1 needs a 'startTime' in "
        "seconds (got None) (read for episodes/e.md)"
    ]


def test_episodes_in_subfolders_publish_their_files_apart(site: Site, tmp_path: Path) -> None:
    audio = site.audio("sine-3s-cbr.mp3")
    site.audio("sine-3s-cbr.mp3", "other.mp3")
    for year, name in (("2023", audio), ("2024", "audio/other.mp3")):
        (site.episodes / year).mkdir()
        (site.episodes / year / "intro.md").write_text(
            f"---\ntitle: {year}\ndate: {year}-01-01\naudio: ../{name}\n"
            f"permalink: /{year}/intro\n---\n",
            encoding="utf-8",
        )
        (site.episodes / year / "intro.vtt").write_text(VTT + year, encoding="utf-8")
    report = build(site.config, now=NOW, use_cache=False)
    urls = [
        e.get("url") for e in etree.fromstring(report.feed).iterfind(".//podcast:transcript", NS)
    ]
    assert urls == [
        "https://example.org/transcripts/2024/intro.vtt",
        "https://example.org/transcripts/2023/intro.vtt",
    ]
    out = tmp_path / "out" / "feed.xml"
    write_report(report, out)
    assert (out.parent / "transcripts" / "2023" / "intro.vtt").read_text("utf-8") == VTT + "2023"
    assert (out.parent / "transcripts" / "2024" / "intro.vtt").read_text("utf-8") == VTT + "2024"


def test_field_mapping_reaches_the_tag_fields(site: Site) -> None:
    site.show('\n[fields]\ntranscript = "captions_file"\n')
    site.episode("e", date="2024-01-01\ncaptions_file: https://example.org/e.vtt")
    item = etree.fromstring(build(site.config, now=NOW).feed).find("channel/item")
    assert [dict(e.attrib) for e in item.findall("podcast:transcript", NS)] == [
        {"url": "https://example.org/e.vtt", "type": "text/vtt"}
    ]


def test_locked_owner_needs_locked(site: Site) -> None:
    site.show('locked_owner = "ada@example.org"\n')
    with pytest.raises(BuildFailed) as info:
        load_config(site.config)
    line = len(site.config.read_text().splitlines())
    assert _errors(info.value.problems) == [
        f"{site.config}:{line}: error: [show] 'locked_owner' needs 'locked = true' or false"
    ]


def test_local_alternate_enclosure_must_exist(site: Site) -> None:
    site.episode("e", date="2024-01-01\nalternate_enclosures:\n  - {url: audio/nope.ogg}")
    config = load_config(site.config)
    episode, problems = read_episode(site.episodes / "e.md", config.show, config.build)
    assert episode is None
    assert _errors(problems) == [
        "episodes/e.md:4: error: 'alternate_enclosures' file not found: 'audio/nope.ogg' "
        "(looked beside the episode and in the show)"
    ]


def test_a_local_alternate_that_is_not_audio_is_named_at_its_line(site: Site) -> None:
    """(A probe error named the file only: no line.)"""
    (site.root / "audio").mkdir(exist_ok=True)
    (site.root / "audio" / "bad.ogg").write_bytes(b"not audio at all" * 64)
    site.episode("e", date="2024-01-01\nalternate_enclosures:\n  - {url: audio/bad.ogg}")
    with pytest.raises(BuildFailed) as info:
        build(site.config, now=NOW)
    (problem,) = info.value.problems
    assert str(problem).startswith("episodes/e.md:4: error: 'alternate_enclosures' bad.ogg: ")


def test_a_clone_in_another_folder_builds_the_same_files_manifest_and_all(tmp_path: Path) -> None:
    """Local transcripts, chapters and alternate enclosures: the show built in two folders
    writes the same bytes, the committed manifest too (its pages' digest held the episode
    files' absolute paths: a CI clone rewrote it); the files of one, committed and cloned into
    the other, are current there."""
    here = _full_site(Site(tmp_path / "here"))
    there = Site(tmp_path / "ci" / "builds" / "show")
    shutil.copytree(here.root, there.root, dirs_exist_ok=True)
    for site in (here, there):
        command = [sys.executable, "-m", "podcastfeed", "build", "-q", "-c", str(site.config)]
        assert subprocess.run(command, capture_output=True).returncode == 0
    files = sorted(p.relative_to(here.root) for p in (here.root / "public").rglob("*"))
    assert Path("public/.podcastfeed-manifest") in files
    for name in [*files, Path("podcastfeed.lock")]:
        if (here.root / name).is_file():
            assert (here.root / name).read_bytes() == (there.root / name).read_bytes(), name
    check = [sys.executable, "-m", "podcastfeed", "build", "--check", "-c", str(there.config)]
    assert subprocess.run(check, capture_output=True).returncode == 0


def test_a_keyword_entry_that_is_a_table_or_a_list_is_named_not_dropped(site: Site) -> None:
    """`tags: [a, {name: b}]` lost b without a word (WordPress-style category tables)."""
    audio = site.audio("sine-3s-cbr.mp3")
    path = site.episode(
        "ep",
        f"---\ntitle: t\ndate: 2024-01-01\naudio: {audio}\ntags: [a, {{name: b}}, [c], ~]\n---\n",
    )
    episode, problems = site.read(path)
    assert episode is not None
    assert episode.keywords == ("a",)
    assert [(p.level, p.line, p.message) for p in problems] == [
        ("warning", 5, "'tags' holds {'name': 'b'}, which is no keyword (ignored)"),
        ("warning", 5, "'tags' holds ['c'], which is no keyword (ignored)"),
    ]
    assert problems[0].hint == "write tags: [word, another word]"
