"""The pure core: Show + episodes + probe results -> RSS bytes."""

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from feedcheck import parse_both
from lxml import etree

from podcastfeed.ids import podcast_guid
from podcastfeed.model import Audio, AudioInfo, Category, Episode, Owner, Show
from podcastfeed.render.feed import build_feed, enclosure_for, sort_episodes
from podcastfeed.xmlns import ATOM, CONTENT, ITUNES, PODCAST

NS = {"itunes": ITUNES, "podcast": PODCAST, "content": CONTENT, "atom": ATOM}

SHOW = Show(
    title="Show & Tell",
    description="About <things>.",
    link="https://example.org",
    feed_url="https://example.org/feed.xml",
    language="en",
    author="Ada",
    owner=Owner("Ada", "ada@example.org"),
    image="https://example.org/cover.jpeg?v=2",
    categories=(
        Category("Technology"),
        Category("Business", "Careers"),
        Category("Business", "Investing"),
    ),
    is_explicit=True,
    type="serial",
)


def _episode(n: int, **changes: object) -> Episode:
    base = Episode(
        source=Path(f"episodes/e{n}.md"),
        title=f"Episode {n}",
        date=datetime(2024, 1, n, 12, tzinfo=UTC),
        audio=Audio(ref=f"e{n}.mp3", url=f"https://cdn.example.org/e{n}.mp3"),
        notes=f"<p>Notes {n}</p>".encode(),
        description=f"<p>About {n}</p>",
        guid=f"guid-{n}",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _audio(*episodes: Episode) -> dict[str, AudioInfo]:
    return {
        e.audio.url: AudioInfo(61.6, 1000 + i, "audio/mpeg", "Xing header")
        for i, e in enumerate(episodes)
    }


def _xml(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def test_build_feed_channel_tags() -> None:
    data = build_feed(SHOW, [], {})
    root = _xml(data)
    channel = root.find("channel")
    assert channel is not None
    assert root.nsmap == {"itunes": ITUNES, "podcast": PODCAST, "atom": ATOM, "content": CONTENT}
    assert channel.findtext("title") == "Show & Tell"
    assert channel.findtext("link") == "https://example.org"
    assert channel.findtext("description") == "About <things>."
    assert channel.find("atom:link", NS).attrib == {
        "href": "https://example.org/feed.xml",
        "rel": "self",
        "type": "application/rss+xml",
    }
    assert channel.findtext("itunes:explicit", namespaces=NS) == "true"
    assert channel.findtext("itunes:type", namespaces=NS) == "serial"
    # feedgen drops .jpeg and query-string artwork; ours keeps it
    assert channel.find("itunes:image", NS).get("href") == "https://example.org/cover.jpeg?v=2"
    assert channel.findtext("itunes:owner/itunes:email", namespaces=NS) == "ada@example.org"
    cats = channel.findall("itunes:category", NS)
    assert [c.get("text") for c in cats] == ["Technology", "Business"]
    assert [c.get("text") for c in cats[1]] == ["Careers", "Investing"]
    assert channel.findtext("podcast:guid", namespaces=NS) == podcast_guid(SHOW.feed_url)
    assert channel.find("lastBuildDate") is None  # no episodes, no date, and never the clock
    assert channel.findtext("generator") == "podcastfeed"


def test_build_feed_items_newest_first_with_every_tag() -> None:
    one = _episode(
        1,
        keywords=("DevOps", "Teams"),
        season=2,
        number=5,
        episode_type="full",
        image="https://example.org/e1.jpg",
        link="https://example.org/e1",
        is_explicit=False,
    )
    three = _episode(3)
    two = _episode(2)
    data = build_feed(SHOW, [one, three, two], _audio(one, three, two))
    items = _xml(data).findall("channel/item")
    assert [i.findtext("title") for i in items] == ["Episode 3", "Episode 2", "Episode 1"]
    item = items[2]
    assert item.findtext("link") == "https://example.org/e1"
    assert item.find("guid").attrib == {"isPermaLink": "false"}
    assert item.findtext("guid") == "guid-1"
    assert item.findtext("pubDate") == "Mon, 01 Jan 2024 12:00:00 +0000"
    assert item.find("enclosure").attrib == {
        "url": "https://cdn.example.org/e1.mp3",
        "length": "1000",
        "type": "audio/mpeg",
    }
    assert item.findtext("itunes:duration", namespaces=NS) == "62"
    assert item.findtext("itunes:explicit", namespaces=NS) == "false"
    assert items[0].findtext("itunes:explicit", namespaces=NS) == "true"  # the show's
    assert item.findtext("itunes:season", namespaces=NS) == "2"
    assert item.findtext("itunes:episode", namespaces=NS) == "5"
    assert item.findtext("itunes:episodeType", namespaces=NS) == "full"
    assert item.find("itunes:image", NS).get("href") == "https://example.org/e1.jpg"
    assert [c.text for c in item.findall("category")] == ["DevOps", "Teams"]
    assert item.findtext("content:encoded", namespaces=NS) == "<p>Notes 1</p>"
    assert b"<description><![CDATA[<p>About 1</p>]]></description>" in data
    assert b"<content:encoded><![CDATA[<p>Notes 1</p>]]></content:encoded>" in data
    assert _xml(data).findtext("channel/lastBuildDate") == "Wed, 03 Jan 2024 12:00:00 +0000"
    parsed = parse_both(data)
    assert [(i.guid, i.duration, i.length) for i in parsed] == [
        ("guid-3", 62, 1001),
        ("guid-2", 62, 1002),
        ("guid-1", 62, 1000),
    ]


def test_build_feed_is_deterministic_whatever_the_input_order() -> None:
    episodes = [_episode(n) for n in (1, 2, 3)]
    audio = _audio(*episodes)
    first = build_feed(SHOW, episodes, audio)
    assert build_feed(SHOW, list(reversed(episodes)), audio) == first


def test_sort_episodes_same_instant_by_file_name() -> None:
    a, b = _episode(1, source=Path("b.md")), _episode(1, source=Path("a.md"))
    assert [e.source.name for e in sort_episodes([a, b])] == ["a.md", "b.md"]


def test_front_matter_overrides_probing_and_type_falls_back_to_extension() -> None:
    episode = _episode(1, duration=3723, length=99)
    info = AudioInfo(10.0, 5, "audio/x-m4a", "MP4 mvhd")
    assert enclosure_for(episode, info).duration == 3723
    assert enclosure_for(episode, info).length == 99
    assert enclosure_for(episode, info).mime_type == "audio/x-m4a"
    assert enclosure_for(episode, None).mime_type == "audio/mpeg"
    with pytest.raises(ValueError, match="no probe result"):
        enclosure_for(_episode(2), None)


def test_build_feed_cdata_terminator_in_text_stays_well_formed() -> None:
    episode = _episode(1, notes=b"<p>a ]]> b</p>", description="x ]]> y")
    data = build_feed(SHOW, [episode], _audio(episode))
    item = _xml(data).find("channel/item")
    assert item.findtext("content:encoded", namespaces=NS) == "<p>a ]]> b</p>"
    assert item.findtext("description") == "x ]]> y"


def test_build_feed_last_build_date_from_show_setting() -> None:
    show = replace(SHOW, last_build_date=datetime(2025, 5, 5, tzinfo=UTC))
    episode = _episode(1)
    root = _xml(build_feed(show, [episode], _audio(episode)))
    assert root.findtext("channel/lastBuildDate") == "Mon, 05 May 2025 00:00:00 +0000"
