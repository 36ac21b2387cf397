"""`build --check` and `podcastfeed diff`: is the feed on disk current, and what changed."""

from pathlib import Path

import pytest
from conftest import Site
from httpserver import AudioServer
from typer.testing import CliRunner

from podcastfeed.cli import app
from podcastfeed.errors import PodcastfeedError
from podcastfeed.feeds.diff import diff_feeds, format_diff

runner = CliRunner()


def _build(site: Site) -> None:
    result = runner.invoke(app, ["build", "-c", str(site.config), "-q"])
    assert result.exit_code == 0, result.stderr


def _snapshot(site: Site) -> dict[str, bytes]:
    return {
        str(p.relative_to(site.root)): p.read_bytes()
        for p in sorted(site.root.rglob("*"))
        if p.is_file()
    }


def test_build_check_current_exit_0_writes_nothing(site: Site) -> None:
    site.episode("a")
    _build(site)
    before = _snapshot(site)
    result = runner.invoke(app, ["build", "-c", str(site.config), "--check"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.endswith("and podcastfeed.lock are current (1 episode)\n")
    assert _snapshot(site) == before


def test_build_check_missing_feed_exit_1(site: Site) -> None:
    site.episode("a")
    result = runner.invoke(app, ["build", "-c", str(site.config), "--check"])
    assert result.exit_code == 1
    assert "feed.xml does not exist yet" in result.stderr
    assert "podcastfeed.lock is out of date" in result.stderr
    assert result.stderr.endswith("Error: run `podcastfeed build` and commit the result\n")
    assert not (site.root / "public").exists()
    assert not (site.root / "podcastfeed.lock").exists()


def test_build_check_stale_feed_prints_a_semantic_diff(site: Site) -> None:
    site.episode("a")
    _build(site)
    site.episode("b", date="2024-02-01", audio=site.audio("sine-3s-cbr.mp3", "b.mp3"))
    site.episode("a", title="A renamed")
    site.show(title='"Renamed Show"')
    before = _snapshot(site)
    result = runner.invoke(app, ["build", "-c", str(site.config), "--check"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].endswith("feed.xml is out of date:")
    assert "  ~ channel title: 'Test Show' → 'Renamed Show'" in lines
    assert any(line.startswith("  + episode ") and line.endswith("'b'") for line in lines)
    assert any(line.startswith("  ~ episode ") and ": title" in line for line in lines)
    assert "      title: 'a' → 'A renamed'" in lines
    assert lines[-2].endswith("podcastfeed.lock is out of date")
    assert _snapshot(site) == before


def test_build_check_stale_lock_only(site: Site) -> None:
    site.episode("a")
    _build(site)
    (site.root / "podcastfeed.lock").unlink()
    result = runner.invoke(app, ["build", "-c", str(site.config), "--check"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{site.root / 'podcastfeed.lock'} is out of date",
        "Error: run `podcastfeed build` and commit the result",
    ]


FEED = """<?xml version="1.0"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel><title>{title}</title><link>https://example.org</link>
{items}</channel></rss>
"""
ITEM = """<item><title>{title}</title><guid>{guid}</guid>
<enclosure url="https://cdn.example.org/{guid}.mp3" length="{length}" type="audio/mpeg"/>
<itunes:duration>{duration}</itunes:duration></item>
"""


def _feed(title: str = "Show", **items: tuple[str, int, int]) -> bytes:
    body = "".join(
        ITEM.format(guid=guid, title=t, length=length, duration=duration)
        for guid, (t, length, duration) in items.items()
    )
    return FEED.format(title=title, items=body).encode()


def test_diff_feeds_added_removed_changed() -> None:
    old = _feed(g1=("One", 100, 60), g2=("Two", 200, 120))
    new = _feed("New Show", g1=("One", 101, 61), g3=("Three", 300, 180))
    found = diff_feeds(old, new)
    assert format_diff(found) == [
        "~ channel title: 'Show' → 'New Show'",
        "+ episode g3 'Three'",
        "- episode g2 'Two'",
        "~ episode g1 'One': enclosure length, itunes:duration",
        "    enclosure length: '100' → '101'",
        "    itunes:duration: '60' → '61'",
    ]


def test_diff_feeds_same_content_is_empty() -> None:
    feed = _feed(g1=("One", 100, 60))
    assert not diff_feeds(feed, feed.replace(b"><item>", b">\n\n  <item>"))


def test_diff_feeds_not_a_feed_names_the_source() -> None:
    with pytest.raises(PodcastfeedError, match=r"^b.xml: not an RSS feed"):
        diff_feeds(_feed(), b"<html/>", new_name="b.xml")


def test_cli_diff_files_exit_codes(tmp_path: Path) -> None:
    a, b = tmp_path / "a.xml", tmp_path / "b.xml"
    a.write_bytes(_feed(g1=("One", 100, 60)))
    b.write_bytes(_feed(g1=("One", 100, 60), g2=("Two", 1, 1)))
    same = runner.invoke(app, ["diff", str(a), str(a)])
    assert (same.exit_code, same.stdout) == (0, "")
    result = runner.invoke(app, ["diff", str(a), str(b)])
    assert result.exit_code == 1
    assert result.stdout == "+ episode g2 'Two'\n"
    assert result.stderr == (
        "1 episode(s) added, 0 removed, 0 changed, 0 channel field(s) changed\n"
    )
    missing = runner.invoke(app, ["diff", str(a), str(tmp_path / "nope.xml")])
    assert missing.exit_code == 1
    assert missing.stderr.startswith(f"Error: {tmp_path / 'nope.xml'}: cannot read:")


def test_cli_diff_url_against_file(http_server: AudioServer, tmp_path: Path) -> None:
    url = http_server.add("feed.xml", _feed(g1=("One", 100, 60)))
    local = tmp_path / "feed.xml"
    local.write_bytes(_feed(g1=("One!", 100, 60)))
    result = runner.invoke(app, ["diff", url, str(local)])
    assert result.exit_code == 1, result.stderr
    assert result.stdout.splitlines()[0] == "~ episode g1 'One!': title"
    gone = runner.invoke(app, ["diff", http_server.url("404/feed.xml"), str(local)])
    assert gone.exit_code == 3
    assert gone.stderr.startswith(f"Error: {http_server.url('404/feed.xml')}: HTTP 404")


def test_build_check_stale_transcript(site: Site) -> None:
    site.episode("a")
    (site.episodes / "a.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n")
    _build(site)
    (written,) = (site.root / "public" / "transcripts").iterdir()
    assert runner.invoke(app, ["build", "-c", str(site.config), "--check"]).exit_code == 0
    (site.episodes / "a.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n")
    result = runner.invoke(app, ["build", "-c", str(site.config), "--check"])
    assert result.exit_code == 1
    assert f"{written} is out of date" in result.stderr.splitlines()


def test_diff_feeds_names_the_part_of_a_nested_field() -> None:
    old = _feed().replace(b"<link>", b"<image><url>https://a/1.jpg</url></image><link>")
    new = old.replace(b"1.jpg", b"2.jpg")
    assert format_diff(diff_feeds(old, new)) == [
        "~ channel image url: 'https://a/1.jpg' → 'https://a/2.jpg'"
    ]
