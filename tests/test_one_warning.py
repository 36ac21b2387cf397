"""One finding, one warning (issue 15's review): a show without artwork or without an Apple
category builds with a single warning naming feed.toml and the line, from apple/required-tags,
whether the show was written by hand or by `podcastfeed import`."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from podcastfeed.cli import app

runner = CliRunner()


def _build(show: Path) -> str:
    result = runner.invoke(app, ["build", "-c", str(show / "feed.toml")])
    assert result.exit_code == 0, result.stderr
    return result.stderr


def _lines(text: str, word: str) -> list[str]:
    """The warnings and errors whose message (not path) mentions `word`."""
    return [line for line in text.splitlines() if word in line.partition(": warning: ")[2]]


def test_sample_show_without_image_warns_once_at_show(sample_show: Path) -> None:
    config = sample_show / "feed.toml"
    text = config.read_text()
    config.write_text(re.sub(r"(?m)^image = .*\n", "", text))
    line = text.splitlines().index("[show]") + 1
    said = _build(sample_show)
    assert _lines(said, "image") == [
        f"{config}:{line}: warning: the channel's <itunes:image> is missing [apple/required-tags]"
    ], said
    assert 'hint: add image = "cover.jpg"' in said


def test_sample_show_without_categories_warns_once_at_its_line(sample_show: Path) -> None:
    config = sample_show / "feed.toml"
    text = re.sub(r"(?m)^categories = .*$", "categories = []", config.read_text())
    config.write_text(text)
    line = text.splitlines().index("categories = []") + 1
    said = _build(sample_show)
    assert _lines(said, "categor") == [
        f"{config}:{line}: warning: the channel's <itunes:category> is missing "
        "[apple/required-tags]"
    ], said


def test_imported_feed_without_artwork_warns_once(tmp_path: Path) -> None:
    """The import writes a `# TODO` for the artwork; the first build says it once."""
    show = tmp_path / "show"
    feed = tmp_path / "old.xml"
    feed.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel><title>Old</title><link>https://e.org/</link><description>d</description>
<language>en</language><itunes:category text="Technology"/><itunes:explicit>false</itunes:explicit>
<itunes:author>A</itunes:author>
<itunes:owner><itunes:name>A</itunes:name><itunes:email>a@e.org</itunes:email></itunes:owner>
<item><title>One</title><guid>g1</guid><pubDate>Mon, 01 Jan 2024 00:00:00 +0000</pubDate>
<enclosure url="https://e.org/a.mp3" length="1000" type="audio/mpeg"/>
<itunes:duration>60</itunes:duration></item>
</channel></rss>
""",
        encoding="utf-8",
    )
    imported = runner.invoke(
        app, ["import", str(feed), "-d", str(show), "--feed-url", "https://e.org/feed.xml"]
    )
    assert imported.exit_code == 0, imported.stderr
    config = (show / "feed.toml").read_text()
    assert "# TODO: no artwork" in config
    said = _build(show)
    assert len(_lines(said, "image")) == 1, said
    assert re.match(r".*feed\.toml:\d+: warning: .*itunes:image", _lines(said, "image")[0])
