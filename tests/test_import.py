"""podcastfeed import (issue 7): real feeds in, episodes + feed.toml + lock out, and a build of
those reproduces the source's episodes."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from feedcheck import parse_both
from lxml import etree
from typer.testing import CliRunner

from podcastfeed import lock
from podcastfeed.build import build
from podcastfeed.cli import app
from podcastfeed.errors import BuildFailed, PodcastfeedError
from podcastfeed.feeds.import_verify import compare
from podcastfeed.feeds.import_write import REDIRECT_NAME, import_feed
from podcastfeed.feeds.importer import read_feed
from podcastfeed.ids import podcast_guid
from podcastfeed.media.probing import ProbeOptions
from podcastfeed.values import parse_duration

DATA = Path(__file__).parent / "data"
REAL = DATA / "realfeeds"
GOLDEN = Path(__file__).parent / "golden"
NOW = datetime(2030, 1, 1, tzinfo=UTC)
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"

#: Feeds whose every episode round-trips with no fix by hand.
CLEAN = [
    REAL / "changing-the-tide.xml",
    REAL / "dk-podcast.xml",
    REAL / "resilientwebdesign.rss",
    GOLDEN / "sample.xml",
    GOLDEN / "full.xml",
]


def _build(root: Path) -> bytes:
    return build(
        root / "feed.toml", now=NOW, use_cache=False, probe=ProbeOptions(offline=True)
    ).feed


def _source_items(data: bytes) -> list[dict[str, object]]:
    """The source's items read with plain XPath (not the importer's code)."""
    items = []
    for item in etree.fromstring(data).iter("item"):
        enclosure = item.find("enclosure")
        if enclosure is None:
            continue
        guid = (item.findtext("guid") or "").strip() or enclosure.get("url")
        duration = item.findtext(f"{ITUNES}duration")
        items.append(
            {
                "guid": guid,
                "url": enclosure.get("url"),
                "length": int(enclosure.get("length") or 0),
                "date": parsedate_to_datetime(item.findtext("pubDate") or ""),
                "duration": parse_duration(duration.strip()) if duration else None,
            }
        )
    return items


def _assert_same_episodes(source: bytes, built: bytes, *, durations: bool = True) -> None:
    want = {i["guid"]: i for i in _source_items(source)}
    got = {i.guid: i for i in parse_both(built)}
    assert set(got) == set(want)
    dates = {
        (e.findtext("guid") or "").strip(): parsedate_to_datetime(e.findtext("pubDate") or "")
        for e in etree.fromstring(built).iter("item")
    }
    for guid, item in want.items():
        assert got[guid].url == item["url"]
        assert got[guid].length == item["length"]
        assert dates[guid] == item["date"]  # the same instant
        if durations and item["duration"] is not None:
            assert got[guid].duration == item["duration"]


@pytest.mark.parametrize("feed", CLEAN, ids=lambda p: p.name)
def test_import_round_trips(feed: Path, tmp_path: Path) -> None:
    data = feed.read_bytes()
    result = import_feed(data, str(feed), tmp_path)
    built = _build(tmp_path)
    assert compare(data, built) == []
    _assert_same_episodes(data, built)
    assert result.items == len(_source_items(data))


def test_import_lists_normalizations(tmp_path: Path) -> None:
    result = import_feed((REAL / "changing-the-tide.xml").read_bytes(), "ctt.xml", tmp_path)
    text = "\n".join(result.normalizations)
    assert "enclosure type audio/mp3 -> audio/mpeg" in text
    assert "itunes:explicit 'no' -> false" in text
    assert "no <link>; used the feed's site https://podcasts.subsplash.com/" in text
    assert 'link = "https://podcasts.subsplash.com/"' in (tmp_path / "feed.toml").read_text()


def test_import_pins_enclosure_url_for_empty_guid(tmp_path: Path) -> None:
    data = (REAL / "dk-podcast.xml").read_bytes()
    result = import_feed(data, "dk.xml", tmp_path)
    assert any("no guid; pinned the enclosure URL" in n for n in result.normalizations)
    entries = lock.load(tmp_path / "podcastfeed.lock").entries
    assert len(entries) == 59
    assert any(e.guid == e.url for e in entries)
    assert all(e.probe and e.probe.method == "from the imported feed" for e in entries)


def test_import_writes_the_lock_the_build_keeps(tmp_path: Path) -> None:
    import_feed((REAL / "resilientwebdesign.rss").read_bytes(), "rwd.rss", tmp_path)
    before = lock.load(tmp_path / "podcastfeed.lock")
    report = build(tmp_path / "feed.toml", now=NOW, use_cache=False, probe=ProbeOptions())
    assert report.probed == 0  # nothing measured: the feed said it
    assert report.requests == 0
    assert lock.dumps(report.lock) == lock.dumps(before)  # the first build changes nothing
    assert (tmp_path / "podcastfeed.lock").read_text() == lock.dumps(before)


def _add_durations(root: Path, seconds: float = 60.0) -> None:
    """What the first online build does for items without itunes:duration: measure them."""
    path = root / "podcastfeed.lock"
    old = lock.load(path)
    entries = [
        replace(e, probe=e.probe or lock.Probe(seconds, 1, "audio/mpeg", "test", url=e.url))
        for e in old.entries
    ]
    path.write_text(lock.dumps(lock.Lock(entries)), encoding="utf-8")


def test_import_homegrown_hits_needs_durations_measured(tmp_path: Path) -> None:
    """No itunes:duration and a podcast:liveItem: documented in docs/import.md."""
    data = (REAL / "homegrown-hits.xml").read_bytes()
    result = import_feed(data, "hh.xml", tmp_path)
    assert result.items == 4
    assert any("podcast:liveItem" in w for w in result.warnings)
    assert sum("no itunes:duration" in w for w in result.warnings) == 4
    with pytest.raises(BuildFailed) as failed:
        _build(tmp_path)
    errors = [p for p in failed.value.problems if p.level == "error"]
    assert len(errors) == 4
    assert all("--offline forbids" in p.message for p in errors)
    # its value blocks are imported (issue 15): the namespace allows overlapping time splits
    assert [p.level for p in failed.value.problems if "time split" in p.message] == ["warning"]
    _add_durations(tmp_path, 7200.0)  # its value time splits run to over an hour
    built = _build(tmp_path)
    assert compare(data, built) == []
    _assert_same_episodes(data, built, durations=False)


def test_import_animated_no_agenda_without_a_category_builds_with_a_todo(tmp_path: Path) -> None:
    """A video feed without itunes:category or durations (docs/import.md): feed.toml gets
    `categories = []` under a TODO, and the build warns instead of stopping (issue 15)."""
    data = (REAL / "animated-no-agenda.xml").read_bytes()
    result = import_feed(data, "ana.xml", tmp_path)
    assert any("no Apple category" in w for w in result.warnings)
    assert any("no <language>" in n for n in result.normalizations)
    lines = (tmp_path / "feed.toml").read_text().splitlines()
    todo = lines.index("categories = []") - 1
    assert lines[todo].startswith("# TODO: pick at least one Apple category")
    with pytest.raises(BuildFailed) as failed:
        _build(tmp_path)
    errors = [p for p in failed.value.problems if p.is_error]
    assert len(errors) == 20
    assert all("--offline forbids" in p.message for p in errors)
    _add_durations(tmp_path)
    report = build(tmp_path / "feed.toml", now=NOW, use_cache=False, include_future=True)
    assert sum("categor" in p.message for p in report.warnings) == 1  # apple/required-tags
    assert compare(data, report.feed) == []
    _assert_same_episodes(data, report.feed, durations=False)


MESSY = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel>
  <title>Messy &amp; Co</title>
  <link>https://messy.example</link>
  <description><![CDATA[A <b>messy</b> show &secret;]]></description>
  <language>en</language>
  <copyright>&secret;</copyright>
  <itunes:author>Ann</itunes:author>
  <itunes:owner><itunes:name>Ann</itunes:name><itunes:email>ann@messy.example</itunes:email>
  </itunes:owner>
  <itunes:image href="https://messy.example/cover.jpg"/>
  <itunes:category text="Arts"><itunes:category text="Books"/></itunes:category>
  <itunes:explicit>yes</itunes:explicit>
  <item>
    <title>&lt;b&gt;Bold&lt;/b&gt; &amp;amp; brave</title>
    <pubDate>Tue, 05 Mar 2024 10:00:00 EST</pubDate>
    <enclosure url="https://messy.example/1.mp3" length="1000" type="audio/mp3"/>
    <itunes:duration>12:34</itunes:duration>
    <guid></guid>
    <description><![CDATA[<p>Notes &amp; more</p>]]></description>
  </item>
  <item>
    <title>No audio</title>
    <pubDate>Wed, 06 Mar 2024 10:00:00 GMT</pubDate>
    <guid>x</guid>
  </item>
  <item>
    <title>Two</title>
    <pubDate>Thu, 07 Mar 2024 10:00:00 CEST</pubDate>
    <enclosure url="https://messy.example/2.mp3" length="2000" type="audio/mpeg"/>
    <itunes:duration>1:02:03</itunes:duration>
    <guid>two</guid>
    <itunes:explicit>clean</itunes:explicit>
  </item>
  <item>
    <title>Two again</title>
    <pubDate>Thu, 07 Mar 2024 10:00:00 +0000</pubDate>
    <enclosure url="https://messy.example/2b.mp3" length="2000" type="audio/mpeg"/>
    <guid>two</guid>
  </item>
  <item>
    <title>Three</title>
    <pubDate>Fri, 08 Mar 2024 10:00:00 XYZ</pubDate>
    <enclosure url="https://messy.example/3.mp3" length="3000" type="audio/mpeg"/>
    <itunes:duration>30</itunes:duration>
  </item>
</channel>
</rss>
"""


def test_read_feed_messy_input() -> None:
    found = read_feed(MESSY, "messy.xml", "https://messy.example/feed.xml")
    first, second, third = found.items
    assert first.title == "Bold & brave"
    assert first.guid == "https://messy.example/1.mp3"
    assert first.type == "audio/mpeg"
    assert first.duration == 754
    assert first.date.isoformat() == "2024-03-05T10:00:00-05:00"
    assert first.explicit is None  # the show's applies
    assert first.notes == "<p>Notes &amp; more</p>"
    assert second.duration == 3723
    assert second.date.isoformat() == "2024-03-07T10:00:00+02:00"
    assert second.explicit is False
    assert found.show["categories"] == ["Arts > Books"]
    assert found.show["explicit"] is True
    assert found.show["feed_url"] == "https://messy.example/feed.xml"
    assert "root:" not in found.show.get("copyright", "")  # the external entity stays unread
    assert third.date.isoformat() == "2024-03-08T10:00:00+00:00"
    assert third.guid == "https://messy.example/3.mp3"
    warnings = "\n".join(found.warnings)
    assert "unknown time zone in 'Fri, 08 Mar 2024 10:00:00 XYZ'; assumed UTC" in warnings
    assert "('No audio'): no enclosure; skipped" in warnings
    assert "same guid as item 3; kept the first" in warnings
    normalized = "\n".join(found.normalizations)
    assert "HTML tags/entities removed from the title" in normalized
    assert "itunes:explicit 'yes' -> true" in normalized


def test_import_messy_feed_builds(tmp_path: Path) -> None:
    import_feed(MESSY, "messy.xml", tmp_path, source_url="https://messy.example/feed.xml")
    names = sorted(p.name for p in (tmp_path / "episodes").iterdir())
    assert names == ["2024-03-05-bold-brave.html", "2024-03-07-two.html", "2024-03-08-three.html"]
    built = _build(tmp_path)
    assert compare(MESSY, built) == []
    assert [i.title for i in parse_both(built)] == ["Three", "Two", "Bold & brave"]


def test_read_feed_rejects_non_rss() -> None:
    with pytest.raises(PodcastfeedError, match="not an RSS feed"):
        read_feed(b"<feed/>", "atom.xml")
    with pytest.raises(PodcastfeedError, match="not well-formed XML"):
        read_feed(b"<rss><channel>", "broken.xml")


def test_compare_reports_every_difference(tmp_path: Path) -> None:
    data = (REAL / "resilientwebdesign.rss").read_bytes()
    import_feed(data, "rwd.rss", tmp_path)
    built = _build(tmp_path).replace(
        b"<title>Chapter 6: Steps</title>", b"<title>Changed</title>", 1
    )
    differences = compare(data, built)
    assert len(differences) == 1
    assert "title 'Chapter 6: Steps' became 'Changed'" in differences[0]


def test_import_command_from_url_verifies(http_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = http_server.add("feed.rss", (REAL / "resilientwebdesign.rss").read_bytes())
    result = CliRunner().invoke(app, ["import", url, "--dir", str(tmp_path), "--verify"])
    assert result.exit_code == 0, result.stderr
    assert "Imported 8 episode(s)" in result.stderr
    assert "Verified: the rebuilt feed has the source's episodes, unchanged" in result.stderr
    assert (
        "normalized: item 1 ('Chapter 7: Challenges'): itunes:explicit 'no' -> false"
        in result.stderr
    )


def test_import_command_url_error(http_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(
        app, ["import", http_server.url("missing.rss"), "--dir", str(tmp_path)]
    )
    assert result.exit_code == 3
    assert "HTTP 404" in result.stderr
    assert not (tmp_path / "feed.toml").exists()


def test_import_refuses_to_overwrite(tmp_path: Path) -> None:
    feed = str(REAL / "resilientwebdesign.rss")
    runner = CliRunner()
    assert runner.invoke(app, ["import", feed, "--dir", str(tmp_path)]).exit_code == 0
    (tmp_path / "feed.toml").write_text("# mine\n", encoding="utf-8")
    result = runner.invoke(app, ["import", feed, "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "would overwrite feed.toml" in result.stderr
    assert "hint: import into an empty folder, or pass --force" in result.stderr
    assert (tmp_path / "feed.toml").read_text() == "# mine\n"
    result = runner.invoke(app, ["import", feed, "--dir", str(tmp_path), "--force"])
    assert result.exit_code == 0
    assert (tmp_path / "feed.toml").read_text() != "# mine\n"


def test_import_redirect_old_feed(tmp_path: Path) -> None:
    source = REAL / "resilientwebdesign.rss"
    old_url = read_feed(source.read_bytes(), "rwd").show["feed_url"]
    new = "https://example.org/rwd/feed.xml"
    result = CliRunner().invoke(
        app,
        ["import", str(source), "--dir", str(tmp_path), "--feed-url", new, "--redirect-old-feed"],
    )
    assert result.exit_code == 0, result.stderr
    redirect = etree.fromstring((tmp_path / REDIRECT_NAME).read_bytes())
    assert redirect.findtext(f"channel/{ITUNES}new-feed-url") == new
    assert len(redirect.findall("channel/item")) == 8
    toml = (tmp_path / "feed.toml").read_text()
    assert f'feed_url = "{new}"' in toml
    assert f'guid = "{podcast_guid(old_url)}"' in toml  # the channel keeps its podcast:guid


def test_import_redirect_needs_new_url(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["import", str(REAL / "dk-podcast.xml"), "--dir", str(tmp_path), "--redirect-old-feed"]
    )
    assert result.exit_code == 1
    assert "--redirect-old-feed needs --feed-url" in result.stderr


def test_import_markdown_without_converter_keeps_html(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["import", str(REAL / "resilientwebdesign.rss"), "--dir", str(tmp_path), "--markdown"]
    )
    assert result.exit_code == 0
    assert "show notes kept as HTML" in result.stderr


def test_import_verify_fails_when_the_build_fails(tmp_path: Path) -> None:
    """homegrown-hits states no durations: an offline rebuild cannot finish (docs/import.md)."""
    result = CliRunner().invoke(
        app, ["import", str(REAL / "homegrown-hits.xml"), "--dir", str(tmp_path), "--verify"]
    )
    assert result.exit_code == 3  # as `podcastfeed build --offline` exits: audio not measured
    assert "Imported 4 episode(s)" in result.stderr
    assert result.stderr.count("--offline forbids fetching it") == 4
    assert (tmp_path / "feed.toml").exists()
    assert result.stderr.splitlines()[-1] == (  # (it said "nothing was written": they were)
        "Error: build failed with 4 error(s); the imported files are written: fix them, or "
        "measure the audio online with `podcastfeed build`"
    )


def test_import_keeps_item_itunes_title_and_block(tmp_path: Path) -> None:
    data = MESSY.replace(
        b"<guid>two</guid>\n    <itunes:explicit>",
        b"<guid>two</guid><itunes:title>2</itunes:title><itunes:block>yes</itunes:block>"
        b"<itunes:season>2</itunes:season><itunes:episode>7</itunes:episode>"
        b"<itunes:episodeType>bonus</itunes:episodeType>\n    <itunes:explicit>",
    )
    import_feed(data, "messy.xml", tmp_path, source_url="https://messy.example/feed.xml")
    text = (tmp_path / "episodes" / "2024-03-07-two.html").read_text()
    for line in (
        "itunes_title: '2'",
        "block: true",
        "season: 2",
        "episode: 7",
        "episode_type: bonus",
    ):
        assert line in text
    built = _build(tmp_path)
    assert compare(data, built) == []
    assert b"<itunes:title>2</itunes:title>" in built


@pytest.mark.parametrize("feed", [*sorted(REAL.glob("*.*ml")), REAL / "resilientwebdesign.rss"])
def test_read_feed_any_prefix_reads_or_raises_podcastfeed_error(feed: Path) -> None:
    data = feed.read_bytes()
    for end in range(0, len(data), max(1, len(data) // 40)):
        with contextlib.suppress(PodcastfeedError):
            read_feed(data[:end], feed.name)


def test_import_takes_the_folder_after_the_feed_as_git_clone_does(tmp_path: Path) -> None:
    """`podcastfeed import FEED DIR` (as `init DIR`): typer said "unexpected extra argument";
    two different folders are refused before anything is written."""
    feed = str(REAL / "resilientwebdesign.rss")
    result = CliRunner().invoke(app, ["import", feed, str(tmp_path / "show")])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "show" / "feed.toml").is_file()
    both = ["import", feed, str(tmp_path / "a"), "--dir", str(tmp_path / "b")]
    result = CliRunner().invoke(app, both)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: two folders: ")
    assert not (tmp_path / "a").exists()
    assert not (tmp_path / "b").exists()
