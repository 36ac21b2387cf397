"""The show page's episode blocks are taken from the last build while their inputs are the
same (output/fragments.ShowBlocks, issue 18); every change that shows on the page renders the
block again, and the page is always what a first build of the show writes."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import Site
from typer.testing import CliRunner

from podcastfeed.cli import app
from podcastfeed.output import fragments

runner = CliRunner()


def _build(config: Path) -> None:
    result = runner.invoke(app, ["build", "-c", str(config), "-q"])
    assert result.exit_code == 0, result.stderr


def _index(site: Site) -> bytes:
    return (site.root / "public" / "index.html").read_bytes()


def _fresh(site: Site, tmp_path: Path) -> bytes:
    copy = tmp_path / "fresh"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site.root, copy, ignore=shutil.ignore_patterns("public", ".podcastfeed-*"))
    _build(copy / "feed.toml")
    return (copy / "public" / "index.html").read_bytes()


def _blocks(site: Site) -> Path:
    return site.root / ".podcastfeed-cache" / fragments.BLOCKS_NAME


def _show(site: Site) -> None:
    site.episode("a", date="2024-01-01")
    site.episode("b", date="2024-02-01", audio=site.audio("sine-3s-cbr.mp3", "b.mp3"))
    _build(site.config)
    assert _blocks(site).exists()


def test_an_edited_or_added_episode_is_rendered_again(site: Site, tmp_path: Path) -> None:
    _show(site)
    site.episode("a", date="2024-01-01", title="A new title")
    _build(site.config)
    assert b"A new title" in _index(site)
    assert _index(site) == _fresh(site, tmp_path)
    site.episode("c", date="2024-03-01", audio=site.audio("sine-3s-cbr.mp3", "c.mp3"))
    _build(site.config)
    assert _index(site) == _fresh(site, tmp_path)


def test_feed_toml_and_the_pages_setting_are_inputs(site: Site, tmp_path: Path) -> None:
    _show(site)
    site.show("\n[build]\npages = false\n")
    _build(site.config)
    page = _index(site)
    assert b"Show notes</a>" not in page  # the notes in full: no page of their own
    assert page == _fresh(site, tmp_path)


def test_a_shows_own_episode_template_is_always_rendered(site: Site, tmp_path: Path) -> None:
    """A show's `_episode.html` may read anything (`loop` here): its blocks are not kept."""
    site.show('\n[build]\ntemplates = "templates"\n')
    (site.root / "templates").mkdir()
    _show(site)
    number = "{% if loop is defined %}{{ loop.index }}{% endif %}"  # (episode pages: none)
    own = '<p id="{{ e.slug }}">' + number + ": {{ e.title }}</p>\n"
    (site.root / "templates" / "_episode.html").write_text(own, encoding="utf-8")
    _build(site.config)
    assert b'<p id="b">1: b</p>\n<p id="a">2: a</p>\n' in _index(site)
    site.episode("c", date="2024-03-01", audio=site.audio("sine-3s-cbr.mp3", "c.mp3"))
    _build(site.config)
    assert b'<p id="c">1: c</p>\n<p id="b">2: b</p>\n<p id="a">3: a</p>\n' in _index(site)
    assert _index(site) == _fresh(site, tmp_path)


def test_unreadable_blocks_are_rendered_again(site: Site, tmp_path: Path) -> None:
    _show(site)
    _blocks(site).write_bytes(b"not a pickle")
    site.episode("a", date="2024-01-01", title="Changed")
    _build(site.config)
    assert _index(site) == _fresh(site, tmp_path)
    assert _blocks(site).read_bytes() != b"not a pickle"
