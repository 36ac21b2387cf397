"""Issue 16, defects against the Podcast Index namespace as it reads today: item persons restate
the show's, podcast:image replaces podcast:images, podcast:location's rel/country and several
locations, and derived guids from the path under episodes/."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
from conftest import Site
from lxml import etree

from podcastfeed.build import build, write_report
from podcastfeed.ids import episode_guid, podcast_guid
from podcastfeed.xmlns import PODCAST

NOW = datetime(2026, 1, 1, tzinfo=UTC)
NS = {"podcast": PODCAST}

HOSTS = """\
persons = [
  { name = "Big Daddy", role = "host", href = "https://example.org/bigdaddy" },
  { name = "June Whitfield", role = "host" },
]
"""


def _episode(site: Site, name: str, front: str) -> None:
    audio = site.audio("sine-3s-cbr.mp3", f"{name.replace('/', '-')}.mp3")
    path = site.episodes / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    up = "../" * name.count("/")
    text = f"---\ntitle: {name}\ndate: 2024-01-02\naudio: {up}{audio}\n{front}---\n\nNotes.\n"
    path.write_text(text, encoding="utf-8")


def _items(feed: bytes) -> dict[str, etree._Element]:
    root = etree.fromstring(feed)
    return {str(i.findtext("title")): i for i in root.iter("item")}


def _persons(item: etree._Element) -> list[tuple[str | None, str | None]]:
    return [(p.text, p.get("role")) for p in item.findall("podcast:person", NS)]


def test_item_persons_restate_the_show_persons(site: Site) -> None:
    """The namespace's "Big Daddy" example: a guest episode lists the host too."""
    site.show(HOSTS)
    _episode(site, "guest", "persons:\n  - {name: Sid James, role: guest}\n")
    _episode(site, "plain", "")
    report = build(site.config, now=NOW, check=False)
    items = _items(report.feed)
    assert _persons(items["guest"]) == [
        ("Big Daddy", "host"),
        ("June Whitfield", "host"),
        ("Sid James", "guest"),
    ]
    assert _persons(items["plain"]) == []  # no persons of its own: the channel's apply
    index = next(p.content for p in report.pages() if p.path == "index.html")
    names = lxml.html.fromstring(index).xpath("//ul[@class='persons']/li")
    assert [li.text_content() for li in names] == [
        "Big Daddy (host)",
        "June Whitfield (host)",
        "Sid James (guest)",
    ]


def test_item_persons_restated_once_with_the_episodes_details(site: Site) -> None:
    site.show(HOSTS)
    restated = (
        "persons:\n  - {name: Sid James, role: guest}\n"
        "  - {name: big daddy, img: 'https://example.org/bd.jpg'}\n"
    )
    _episode(site, "guest", restated)
    item = _items(build(site.config, now=NOW, check=False).feed)["guest"]
    persons = item.findall("podcast:person", NS)
    assert [(p.text, dict(p.attrib)) for p in persons] == [
        ("big daddy", {"img": "https://example.org/bd.jpg"}),  # host by default, as the show's
        ("June Whitfield", {"role": "host"}),
        ("Sid James", {"role": "guest"}),
    ]


def test_persons_replace_writes_the_episodes_persons_alone(site: Site) -> None:
    """The namespace's "Terry and June" example: a stand-in host replaces the regular one."""
    site.show(HOSTS)
    front = "persons_replace: true\npersons:\n  - {name: Reginald Marsh, role: host}\n"
    _episode(site, "stand-in", front + "  - {name: June Whitfield, role: host}\n")
    _episode(site, "empty", "persons_replace: true\n")
    report = build(site.config, now=NOW, check=False)
    items = _items(report.feed)
    assert _persons(items["stand-in"]) == [("Reginald Marsh", "host"), ("June Whitfield", "host")]
    assert _persons(items["empty"]) == []
    [warning] = [p for p in report.problems if "persons_replace" in p.message]
    assert (warning.level, warning.source, warning.line) == ("warning", "episodes/empty.md", 5)


IMPORTED = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
  xmlns:podcast="{PODCAST}" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title>Terry and June</title>
  <link>https://example.org/</link>
  <description>A sitcom podcast.</description>
  <atom:link href="https://example.org/feed.xml" rel="self" type="application/rss+xml"/>
  <itunes:author>Terry</itunes:author>
  <itunes:image href="https://example.org/cover.jpg"/>
  <itunes:category text="Comedy"/>
  <podcast:person role="host">Terry Scott</podcast:person>
  <podcast:person role="host">June Whitfield</podcast:person>
  <podcast:images srcset="https://example.org/c-1500.jpg 1500w,
    https://example.org/c-600.jpg 600w"/>
  <podcast:location rel="creator" country="gb">Marlow</podcast:location>
  <podcast:location geo="geo:bad">Nowhere</podcast:location>
  <item>
    <title>Away</title><guid>away</guid>
    <pubDate>Tue, 02 Jan 2024 09:00:00 +0000</pubDate>
    <enclosure url="https://cdn.example.org/away.mp3" length="1000" type="audio/mpeg"/>
    <itunes:duration>60</itunes:duration>
    <podcast:person role="host">Reginald Marsh</podcast:person>
    <podcast:person role="host">June Whitfield</podcast:person>
    <podcast:image href="https://example.org/away.jpg" aspect-ratio="16/9" width="1920"/>
    <podcast:image href="http://example.org/insecure.jpg"/>
  </item>
  <item>
    <title>Guest</title><guid>guest</guid>
    <pubDate>Tue, 09 Jan 2024 09:00:00 +0000</pubDate>
    <enclosure url="https://cdn.example.org/guest.mp3" length="1000" type="audio/mpeg"/>
    <itunes:duration>60</itunes:duration>
    <podcast:person role="host">Terry Scott</podcast:person>
    <podcast:person role="host">June Whitfield</podcast:person>
    <podcast:person role="guest">Sid James</podcast:person>
  </item>
</channel>
</rss>
"""


def test_import_reads_image_location_and_replaced_persons(tmp_path: Path) -> None:
    from podcastfeed.feeds.import_write import import_feed
    from podcastfeed.media.probing import ProbeOptions

    import_feed(IMPORTED.encode(), "feed.xml", tmp_path)
    toml = (tmp_path / "feed.toml").read_text(encoding="utf-8")
    assert 'images = [{ href = "https://example.org/c-1500.jpg", width = 1500 }, ' in toml
    assert (
        'location = [{ name = "Marlow", rel = "creator", country = "gb" }]' in toml
    )  # not geo:bad
    away = next(tmp_path.rglob("*away*.html")).read_text(encoding="utf-8")
    assert "persons_replace: true" in away  # the item leaves Terry out: he was away
    assert "guest" not in away
    guest = next(p for p in tmp_path.rglob("*.html") if "guest" in p.name)
    assert "persons_replace" not in guest.read_text(encoding="utf-8")
    built = build(tmp_path / "feed.toml", now=NOW, probe=ProbeOptions(offline=True)).feed
    items = _items(built)
    assert _persons(items["Away"]) == [("Reginald Marsh", "host"), ("June Whitfield", "host")]
    assert _persons(items["Guest"]) == [
        ("Terry Scott", "host"),
        ("June Whitfield", "host"),
        ("Sid James", "guest"),
    ]
    images = items["Away"].findall("podcast:image", NS)
    assert [dict(i.attrib) for i in images] == [
        {"href": "https://example.org/away.jpg", "aspect-ratio": "16/9", "width": "1920"}
    ]
    channel = etree.fromstring(built).find("channel")
    assert channel is not None
    assert [dict(e.attrib) for e in channel.findall("podcast:image", NS)] == [
        {"href": "https://example.org/c-1500.jpg", "width": "1500"},
        {"href": "https://example.org/c-600.jpg", "width": "600"},
    ]
    [place] = channel.findall("podcast:location", NS)
    assert (place.text, dict(place.attrib)) == ("Marlow", {"rel": "creator", "country": "GB"})


def _guids(feed: bytes) -> dict[str, str]:
    return {str(i.findtext("title")): str(i.findtext("guid")) for i in _items(feed).values()}


def test_same_file_name_in_two_folders_gets_two_guids(site: Site) -> None:
    """Derived from the path under episodes/: the file name alone made both `intro`."""
    _episode(site, "season1/intro", "")
    _episode(site, "season2/intro", "")
    _episode(site, "intro", "")
    channel = podcast_guid("https://example.org/feed.xml")
    guids = _guids(build(site.config, now=NOW, check=False).feed)
    assert guids == {
        "season1/intro": episode_guid(channel, "season1/intro"),
        "season2/intro": episode_guid(channel, "season2/intro"),
        # directly in episodes/: the path is the file name, the guid the one it always had
        "intro": str(uuid.uuid5(uuid.UUID(channel), "intro")),
    }


def test_locked_guid_of_an_episode_in_a_folder_survives_the_upgrade(site: Site) -> None:
    """A show published before issue 16 has its episodes' file-name guids in podcastfeed.lock:
    they stay, though a fresh derivation would now give another."""
    _episode(site, "season1/intro", "")
    _episode(site, "flat", "")
    write_report(build(site.config, now=NOW, check=False))
    lock_path = site.root / "podcastfeed.lock"
    channel = podcast_guid("https://example.org/feed.xml")
    old = episode_guid(channel, "intro")  # what the previous version derived and locked
    text = lock_path.read_text(encoding="utf-8")
    new = episode_guid(channel, "season1/intro")
    assert new in text
    lock_path.write_text(text.replace(new, old), encoding="utf-8")
    before = lock_path.read_bytes()
    report = build(site.config, now=NOW, check=False)
    assert _guids(report.feed) == {
        "season1/intro": old,
        "flat": episode_guid(channel, "flat"),
    }
    write_report(report)
    assert lock_path.read_bytes() == before
    _episode(site, "season2/intro", "")  # a new episode of the same name: the path's guid
    assert _guids(build(site.config, now=NOW, check=False).feed)["season2/intro"] == (
        episode_guid(channel, "season2/intro")
    )


def test_check_feed_flags_podcast_images_as_deprecated_with_the_replacement() -> None:
    from podcastfeed.lint.runner import lint_data, run

    srcset = "https://example.org/c-1500.jpg 1500w, https://example.org/c-600.jpg 600w"
    feed = IMPORTED.replace('<podcast:location geo="geo:bad">Nowhere</podcast:location>', "")
    feed = feed.replace(
        '<podcast:images srcset="https://example.org/c-1500.jpg 1500w,\n'
        '    https://example.org/c-600.jpg 600w"/>',
        f'<podcast:images srcset="{srcset}"/>',
    )
    found = run(lint_data(feed.encode(), "feed.xml", NOW))
    [deprecated] = [f for f in found if f.rule == "podcastindex/images-deprecated"]
    assert deprecated.severity == "warning"
    assert deprecated.message == (
        "podcast:images is deprecated: write a podcast:image for each image (2 in its srcset)"
    )
    assert (
        deprecated.hint
        == 'e.g. <podcast:image href="https://example.org/c-1500.jpg" width="1500"/>'
    )
    assert not [f for f in found if f.rule in ("podcastindex/image", "podcastindex/location")]
