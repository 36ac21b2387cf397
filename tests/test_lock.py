"""podcastfeed.lock: published episodes stay stable; rebuilds reuse what was measured."""

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import Site

from podcastfeed import lock
from podcastfeed.build import BuildReport, build, write_report
from podcastfeed.errors import BuildFailed, EpisodeError

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _publish(site: Site, **kwargs: object) -> BuildReport:
    report = build(site.config, now=NOW, **kwargs)  # type: ignore[arg-type]
    write_report(report)
    return report


def _two(site: Site) -> None:
    site.episode("one", date="2024-01-01")
    site.episode("two", date="2024-02-01", audio=site.audio("sine-2s.flac"))


def _refused(site: Site, **kwargs: object) -> list[str]:
    feed, locked = site.root / "public" / "feed.xml", site.root / lock.LOCK_NAME
    before = (feed.read_bytes(), locked.read_bytes())
    with pytest.raises(BuildFailed) as info:
        _publish(site, **kwargs)
    assert (feed.read_bytes(), locked.read_bytes()) == before  # nothing touched
    return [str(p) for p in info.value.problems if p.is_error]


def test_lock_written_with_guid_url_date_and_probe(site: Site) -> None:
    _two(site)
    report = _publish(site)
    data = json.loads((site.root / lock.LOCK_NAME).read_text())
    assert [e["file"] for e in data["episodes"]] == ["episodes/two.md", "episodes/one.md"]
    two = data["episodes"][0]
    assert two["guid"] == report.published[1].guid or two["guid"] == report.published[0].guid
    assert two["url"] == "https://cdn.example.org/media/audio/sine-2s.flac"
    assert two["pub_date"] == "2024-02-01T00:00:00+00:00"
    assert two["audio"]["path"] == "episodes/audio/sine-2s.flac"
    assert two["audio"]["size"] == (site.episodes / "audio" / "sine-2s.flac").stat().st_size
    assert two["audio"]["type"] == "audio/flac"
    assert two["audio"]["fingerprint"].startswith("b2:")


def test_lock_fresh_clone_with_new_mtimes_probes_nothing(site: Site) -> None:
    """A CI checkout: no build cache, every mtime new; the lock's fingerprints still match."""
    _two(site)
    first = _publish(site)
    shutil.rmtree(site.root / ".podcastfeed-cache")
    later = datetime(2031, 1, 1).timestamp()
    for path in site.root.rglob("*"):
        os.utime(path, (later, later))
    again = _publish(site)
    assert (again.feed, again.probed) == (first.feed, 0)


def test_lock_changed_audio_content_is_measured_again(site: Site) -> None:
    _two(site)
    _publish(site)
    shutil.rmtree(site.root / ".podcastfeed-cache")
    audio = site.episodes / "audio" / "sine-2s.flac"
    data = bytearray(audio.read_bytes())
    data[-100] ^= 0xFF  # same size, same format, other content
    audio.write_bytes(bytes(data))
    assert _publish(site).probed == 1


def test_lock_refuses_a_changed_date_unless_allowed(site: Site) -> None:
    _two(site)
    _publish(site)
    site.episode("one", date="2024-01-05")
    (error,) = _refused(site)
    assert error.startswith(
        "episodes/one.md: error: changes its published date from 2024-01-01T00:00:00+00:00 to "
        "2024-01-05T00:00:00+00:00"
    )
    assert "--allow-changes one" in error
    _publish(site, allow_changes=["one"])
    assert "2024-01-05" in (site.root / lock.LOCK_NAME).read_text()


def test_lock_refuses_a_changed_guid_and_audio_url(site: Site) -> None:
    _two(site)
    _publish(site)
    site.episode("one", date="2024-01-01\nguid: brand-new")
    site.episode("two", date="2024-02-01", audio=site.audio("sine-2s.ogg"))
    errors = _refused(site)
    assert any("one.md: error: changes its published guid from" in e for e in errors)
    assert any(
        "two.md: error: changes its published enclosure URL from "
        "https://cdn.example.org/media/audio/sine-2s.flac to "
        "https://cdn.example.org/media/audio/sine-2s.ogg" in e
        for e in errors
    )
    _publish(site, allow_changes=["one", "episodes/two.md"])


def test_lock_refuses_a_removed_episode_unless_allowed(site: Site) -> None:
    _two(site)
    report = _publish(site)
    guid = next(e.guid for e in report.published if e.title == "one")
    (site.episodes / "one.md").unlink()
    (error,) = _refused(site)
    assert error.startswith(f"episodes/one.md: error: was published (guid {guid}) and is gone")
    _publish(site, allow_changes=[str(guid)])
    assert "one.md" not in (site.root / lock.LOCK_NAME).read_text()


def test_lock_unpublishing_counts_as_removal(site: Site) -> None:
    _two(site)
    _publish(site)
    site.episode("one", date="2024-01-01\nstatus: draft")
    (error,) = _refused(site)
    assert "is gone from the feed" in error


def test_lock_keeps_the_guid_when_a_file_is_renamed(site: Site) -> None:
    _two(site)
    first = _publish(site)
    guid = next(e.guid for e in first.published if e.title == "one")
    (site.episodes / "one.md").rename(site.episodes / "2024-01-01-first-episode.md")
    report = _publish(site)
    moved = next(e for e in report.published if e.title == "one")
    assert moved.guid == guid  # derived from the new name it would differ
    assert "2024-01-01-first-episode.md" in (site.root / lock.LOCK_NAME).read_text()


def test_lock_reusing_a_published_url_for_a_new_episode_is_refused(site: Site) -> None:
    _two(site)
    _publish(site)
    (site.episodes / "one.md").unlink()
    site.episode("three", date="2024-03-01\nguid: three", audio="audio/sine-3s-cbr.mp3")
    (error,) = _refused(site)
    assert error.startswith("episodes/three.md: error: reuses the enclosure URL of episodes/one.md")


def test_lock_damaged_file_is_a_clear_error(site: Site) -> None:
    _two(site)
    _publish(site)
    (site.root / lock.LOCK_NAME).write_text("{not json", encoding="utf-8")
    with pytest.raises(EpisodeError) as info:
        build(site.config, now=NOW)
    assert str(info.value).startswith(f"{site.root.resolve() / lock.LOCK_NAME}:1: the lock is not")
    assert "restore it from git" in str(info.value)


def test_lock_merge_conflict_is_named_and_one_side_builds(site: Site) -> None:
    """Two branches that each published an episode, merged: git leaves both sides' entries
    between conflict markers. Named as such, at the marker; one side's lock then builds,
    keeping that side's guids and adding the other side's episode."""
    site.episode("one", date="2024-01-01")
    _publish(site)
    path = site.root / lock.LOCK_NAME
    ours = path.read_text(encoding="utf-8")
    site.episode("two", date="2024-02-01", audio=site.audio("sine-2s.flac"))
    _publish(site)
    theirs = path.read_text(encoding="utf-8")
    head, _, tail = ours.partition('  "episodes": [\n')
    entries = theirs.partition('  "episodes": [\n')[2].removesuffix(tail)
    conflict = f'{head}  "episodes": [\n<<<<<<< HEAD\n=======\n{entries}>>>>>>> other\n{tail}'
    path.write_text(conflict, encoding="utf-8")
    with pytest.raises(EpisodeError) as info:
        build(site.config, now=NOW)
    line = conflict[: conflict.index("<<<<<<<")].count("\n") + 1
    assert str(info.value).startswith(f"{path.resolve()}:{line}: the lock holds a merge conflict")
    assert "git checkout --theirs podcastfeed.lock" in str(info.value)
    path.write_text(ours, encoding="utf-8")  # one side: the episode "two" is new to it
    report = _publish(site)
    assert [e.source.stem for e in report.published] == ["one", "two"]
    assert path.read_text(encoding="utf-8") == theirs


def test_lock_replaced_by_a_folder_is_a_one_line_error(site: Site) -> None:
    _two(site)
    _publish(site)
    (site.root / lock.LOCK_NAME).unlink()
    (site.root / lock.LOCK_NAME).mkdir()
    with pytest.raises(EpisodeError) as info:
        build(site.config, now=NOW)
    path = site.root.resolve() / lock.LOCK_NAME
    assert str(info.value) == f"{path}: cannot read the lock: Is a directory"


def test_lock_text_is_stable(site: Site) -> None:
    _two(site)
    _publish(site)
    path: Path = site.root / lock.LOCK_NAME
    text = path.read_text()
    _publish(site, use_cache=False)
    assert path.read_text() == text
    assert lock.dumps(lock.load(path)) == text


def test_lock_allowed_names() -> None:
    assert lock.allowed(["one"], "episodes/one.md", "guid-1")
    assert lock.allowed(["episodes/one.md"], "episodes/one.md", None)
    assert lock.allowed(["guid-1"], "episodes/one.md", "guid-1")
    assert not lock.allowed(["two"], "episodes/one.md", "guid-1")


def test_lock_an_episode_that_cannot_be_read_is_not_called_gone(site: Site) -> None:
    """A published episode whose file now has an error is reported for that error only, not
    as removed with a hint to --allow-changes its removal."""
    _two(site)
    _publish(site)
    site.episode("one", date='"March 5, 2024"')
    (error,) = _refused(site)
    assert error.startswith("episodes/one.md:3: error: 'date' must be an ISO 8601 date")


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("podcastfeed.lock", "cannot read the lock: not a file (a pipe, a device or a socket)"),
        ("public/.podcastfeed-manifest", "unreadable manifest (NotAFile)"),
    ],
)
def test_lock_or_manifest_that_is_a_pipe_is_an_error_without_waiting(
    site: Site, where: str, message: str
) -> None:
    """A FIFO where the lock or the manifest goes: reading it waited for a writer forever (as
    feed.toml's did); files.read_file refuses it before opening it."""
    _two(site)
    _publish(site)
    path = site.root / where
    path.unlink()
    os.mkfifo(path)
    command = [sys.executable, "-m", "podcastfeed", "build", "-c", str(site.config), "-q"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1
    assert done.stderr.startswith(f"Error: {path.resolve()}: {message}"), done.stderr
