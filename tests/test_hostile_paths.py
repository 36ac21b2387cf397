"""A local path that names something other than a file (a folder, a FIFO, a device) is named
as such by every command that reads one, not 'file not found', and never waited on."""

import os
import shutil
from pathlib import Path

import pytest
from conftest import DATA, Site, run_podcastfeed
from images import jpeg_bytes
from typer.testing import CliRunner

from podcastfeed.cli import app

EPISODE = """---
title: A
date: 2024-01-01
status: publish
guid: a-1
audio: {audio}
---
Notes.
"""


_run = run_podcastfeed


@pytest.mark.parametrize(("kind", "said"), [("folder", "a folder"), ("fifo", "a pipe")])
def test_build_names_audio_that_is_no_file(tmp_path: Path, kind: str, said: str) -> None:
    """An episode's audio that is a folder or a FIFO was 'file not found' (it is there)."""
    assert _run(["init", "--yes", "s"], tmp_path).returncode == 0
    episodes = tmp_path / "s" / "episodes"
    for old in episodes.glob("*.md"):
        old.unlink()
    if kind == "folder":
        (episodes / "a.mp3").mkdir()
    else:
        os.mkfifo(episodes / "a.mp3")
    (episodes / "2024-01-01-a.md").write_text(EPISODE.format(audio="a.mp3"))
    result = _run(["build"], tmp_path / "s")
    assert result.returncode == 1
    assert result.stderr.startswith(f"episodes/2024-01-01-a.md:6: error: 'audio' is {said}"), (
        result.stderr
    )
    assert "not a file (got 'a.mp3')" in result.stderr


@pytest.mark.parametrize(("kind", "said"), [("folder", "a folder"), ("fifo", "a pipe")])
def test_init_names_an_image_that_is_no_file(tmp_path: Path, kind: str, said: str) -> None:
    if kind == "folder":
        (tmp_path / "cover.jpg").mkdir()
    else:
        os.mkfifo(tmp_path / "cover.jpg")
    result = _run(["init", "--yes", "--image", "cover.jpg", "s"], tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: --image: 'cover.jpg' is {said}"), result.stderr
    assert not (tmp_path / "s").exists()


def test_new_keeps_its_message_on_one_line(tmp_path: Path) -> None:
    """A --dir holding a newline split 'Wrote …' over two lines; stdout keeps the path as it
    is, for `$EDITOR "$(podcastfeed new …)"`."""
    (tmp_path / "a\nb").mkdir()
    result = _run(["new", "X", "--dir", "a\nb", "--date", "2024-01-01"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "a\nb/2024-01-01-x.md\n"
    assert result.stderr.startswith("Wrote 'a\\nb/2024-01-01-x.md' (a draft")
    assert result.stderr.count("\n") == 1


def test_a_name_written_with_white_space_runs_still_finds_the_file_it_found(site: Site) -> None:
    """Local paths are read as written now (`two  spaces.mp3`); a show built before, whose
    front matter says `b  x.mp3` for the file `b x.mp3` (white space runs were made one space),
    builds as it did, with the same enclosure URL (the lock refuses another): it was 'file not
    found', and such an image was published as a page-relative link instead of the file."""
    audio = site.audio("sine-3s-cbr.mp3", "b x.mp3")
    shutil.copyfile(DATA / "audio" / "sine-2s.ogg", site.episodes / "audio" / "alt x.ogg")
    (site.episodes / "art 1.jpg").write_bytes(jpeg_bytes())
    doubled = audio.replace(" ", "  ")
    site.episode(
        "b",
        f"---\ntitle: B\ndate: 2024-01-01\naudio: {doubled}\nimage: art  1.jpg\n"
        "ogg: audio/alt  x.ogg\n---\nNotes.\n",
    )
    result = CliRunner().invoke(app, ["build", "-q", "-c", str(site.config)])
    assert result.exit_code == 0, result.stderr
    assert "warning" not in result.stderr
    feed = (site.root / "public" / "feed.xml").read_text(encoding="utf-8")
    assert 'url="https://cdn.example.org/media/audio/b%20x.mp3"' in feed
    assert '<itunes:image href="https://example.org/artwork/art-1-' in feed
    assert '<podcast:source uri="https://cdn.example.org/media/audio/alt%20x.ogg"/>' in feed
