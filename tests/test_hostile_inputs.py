"""Hostile input cannot leak a file, exhaust the machine or hang a command (issue 12).

Each test here failed before the fix it goes with; the commands run as real processes where
the issue saw the problem in one (a traceback on the terminal, a server that never answered).
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from podcastfeed.importer import Item
from podcastfeed.importer_write import plan

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel>
<title>Many</title>
<link>https://many.example.org/</link>
<description>A show with many episodes.</description>
<itunes:image href="https://many.example.org/cover.jpg"/>
<itunes:category text="Technology"/>
"""


def make_feed(count: int, *, title: str = "Daily news", date: str | None = None) -> bytes:
    """`count` items with itunes tags and HTML notes; all share `title` (and `date`, if set),
    as a daily show's items do. bench/make_feed.py makes the large, varied ones."""
    start = datetime(2024, 1, 1, 9, tzinfo=UTC)
    items = []
    for n in range(count):
        when = date or (start - timedelta(hours=n)).strftime("%a, %d %b %Y %H:%M:%S +0000")
        items.append(
            f"<item><title>{title}</title><guid>g-{n}</guid><pubDate>{when}</pubDate>"
            f"<description><![CDATA[<p>Notes <b>{n}</b></p>]]></description>"
            f'<enclosure url="https://cdn.example.org/{n}.mp3" length="{1000 + n}" '
            'type="audio/mpeg"/>'
            f"<itunes:duration>{60 + n}</itunes:duration></item>\n"
        )
    return (HEAD + "".join(items) + "</channel></rss>\n").encode()


def podcastfeed(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "podcastfeed", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_import_long_feed_shows_progress(tmp_path: Path) -> None:
    """A long import says how far it is (issue 12: 100,000 items ran for minutes silently)."""
    source = tmp_path / "feed.xml"
    source.write_bytes(make_feed(500))
    result = podcastfeed("import", source, "--dir", tmp_path / "show")
    assert result.returncode == 0, result.stderr
    assert "Writing 500 episode files" in result.stderr
    assert "  [100/500] episode files: ok" in result.stderr
    assert "  [500/500] episode files: ok" in result.stderr
    assert "Imported 500 episode(s)" in result.stderr
    assert len(list((tmp_path / "show" / "episodes").iterdir())) == 500


def _items(count: int) -> list[Item]:
    day = datetime(2024, 1, 1, tzinfo=UTC)
    return [
        Item(
            "Daily news", f"g-{n}", f"https://cdn.example.org/{n}.mp3", 1, "audio/mpeg", day, 1, ""
        )
        for n in range(count)
    ]


def _plan_seconds(count: int) -> float:
    items, show = _items(count), {"title": "t"}
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        plan(items, show, "feed.xml")
        best = min(best, time.perf_counter() - started)
    return best


def test_import_names_items_sharing_a_title_in_linear_time() -> None:
    """Four times the items sharing a date and title take about four times as long, not
    sixteen (the file name's -2, -3 … suffix was searched from 2 for each item)."""
    names = [name for name, _item in plan(_items(3), {}, "f").episodes]
    assert names == [
        "episodes/2024-01-01-daily-news.html",
        "episodes/2024-01-01-daily-news-2.html",
        "episodes/2024-01-01-daily-news-3.html",
    ]
    small, large = _plan_seconds(1500), _plan_seconds(6000)
    assert large < 10 * small  # linear: ~4; quadratic: ~16 (a generous bound, not a timing)


def test_import_suffixes_skip_a_name_another_title_has() -> None:
    """ "News" x3 and "News 2" on one day: the suffixes never reuse a taken name."""
    day = datetime(2024, 1, 1, tzinfo=UTC)
    items = [
        Item(title, f"g{n}", f"https://x.example/{n}.mp3", 1, "audio/mpeg", day, 1, "")
        for n, title in enumerate(["News 2", "News", "News", "News"])
    ]
    names = [name for name, _item in plan(items, {}, "f").episodes]
    assert len(set(names)) == 4
