"""A rebuild with nothing changed does nothing (issue 18, output/skip.py), and neither that
shortcut nor the caches hide a change: after each kind of change `build --check` reports what
is stale, and the next `build` brings every output up to date (real builds, through the CLI)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import DATA, Site
from typer.testing import CliRunner

from podcastfeed.cli import app
from podcastfeed.output import commit, skip

runner = CliRunner()
TEMPLATE = "{{ show.title }}: {% for e in episodes %}{{ e.title }} {% endfor %}\n"


def _run(site: Site, *args: str) -> tuple[int, str]:
    """The exit code and what the build printed besides its summary line."""
    result = runner.invoke(app, ["build", "-c", str(site.config), "-q", *args])
    lines = [
        line
        for line in result.stderr.splitlines(True)
        if not line.startswith("Wrote ") and " are current (" not in line
    ]
    return result.exit_code, "".join(lines)


def _age(site: Site) -> None:
    """Every file and folder of the show 10 s old, as if written long before this build: the
    shortcut does not trust times within a second of a build (see skip.RACY_NS)."""
    old = time.time() - 10
    for path in [site.root, *site.root.rglob("*")]:
        os.utime(path, (old, old))


def _outputs(site: Site) -> dict[str, bytes]:
    found = {"podcastfeed.lock": (site.root / "podcastfeed.lock").read_bytes()}
    for path in sorted((site.root / "public").rglob("*")):
        if path.is_file() and not path.name.startswith(".podcastfeed-journal"):
            found[str(path.relative_to(site.root))] = path.read_bytes()
    return found


@pytest.fixture
def built(site: Site) -> Site:
    """A show with a template folder, two episodes, built and recorded as current."""
    site.show('\n[build]\ntemplates = "templates"\n')
    (site.root / "templates").mkdir()
    (site.root / "templates" / "index.html").write_text(TEMPLATE, encoding="utf-8")
    site.episode("a", date="2024-01-01")
    site.episode("b", date="2024-02-01", audio=site.audio("sine-3s-cbr.mp3", "b.mp3"))
    _age(site)
    assert _run(site) == (0, "")
    assert (site.root / ".podcastfeed-cache" / skip.FILE_NAME).exists()
    return site


def _fresh(site: Site, tmp_path: Path) -> dict[str, bytes]:
    """What a first build of the show as it is now writes (no cache, no outputs)."""
    copy = tmp_path / "fresh"
    shutil.copytree(site.root, copy, ignore=shutil.ignore_patterns("public", ".podcastfeed-*"))
    result = runner.invoke(app, ["build", "-c", str(copy / "feed.toml"), "-q"])
    assert result.exit_code == 0, result.stderr
    return _outputs(Site(copy))


def _times(site: Site) -> dict[Path, int]:
    """Every file's time but the build lock's (which says who holds it)."""
    return {p: p.stat().st_mtime_ns for p in site.root.rglob("*") if p.name != "build.lock"}


def test_nothing_changed_reads_nothing_and_writes_nothing(built: Site) -> None:
    pickle = built.root / ".podcastfeed-cache" / "build.pickle"
    pickle.unlink()
    assert _run(built, "--no-check") == (0, "")  # other options: not the recorded build
    assert pickle.exists()  # (the build ran: it wrote its cache again)
    pickle.unlink()
    _age(built)
    assert _run(built) == (0, "")  # a full build, recorded again
    pickle.unlink()
    before = _times(built)
    result = runner.invoke(app, ["build", "-c", str(built.config)])
    assert result.exit_code == 0
    assert ": 2 episodes; 0 file(s) read, 0 probed" in result.stderr
    assert not pickle.exists()  # the build itself did not run
    assert _times(built) == before  # and nothing was written


def test_a_corrupt_record_is_ignored_with_a_note(built: Site) -> None:
    (built.root / ".podcastfeed-cache" / skip.FILE_NAME).write_bytes(b'{"format": 1, "ke')
    code, stderr = _run(built)
    assert code == 0
    assert "noop.json: unreadable (JSONDecodeError), ignored; building" in stderr
    (built.root / ".podcastfeed-cache" / skip.FILE_NAME).unlink()
    (built.root / ".podcastfeed-cache" / "build.pickle").write_bytes(b"\x80\x05truncated")
    code, stderr = _run(built)
    assert code == 0
    assert "unreadable build cache" in stderr


KILLED_WRITE = """\
import os, signal, sys
from pathlib import Path
from podcastfeed.output import commit

folder = Path(sys.argv[1])
manifest = commit.read_manifest(folder)

def feed():
    yield b"<?xml version='1.0' encoding='UTF-8'?>\\n<rss"
    os.kill(os.getpid(), signal.SIGKILL)  # half the feed written

commit.commit(manifest, [commit.Output(folder / "feed.xml", feed)], [])
"""


def test_what_a_killed_build_left_is_cleaned_up_though_nothing_changed(built: Site) -> None:
    """A build the record does not stop (`--no-cache`, `--refresh` ...) killed while writing
    leaves its journal and a temporary feed; the next build, with nothing changed, is a full
    one that removes them (the record's replay left them there)."""
    public = built.root / "public"
    before = _outputs(built)
    killed = subprocess.run([sys.executable, "-c", KILLED_WRITE, str(public)], check=False)
    assert killed.returncode == -9
    assert sorted(p.name for p in public.iterdir() if p.name.endswith(".tmp")) != []
    assert (public / commit.JOURNAL_NAME).exists()
    pickle = built.root / ".podcastfeed-cache" / "build.pickle"
    pickle.unlink()
    assert _run(built) == (0, "")
    assert pickle.exists()  # the build ran (it wrote its cache again): not a replay
    assert not [p for p in built.root.rglob("*") if p.name.endswith(".tmp")]
    assert not (public / commit.JOURNAL_NAME).exists()
    assert _outputs(built) == before


def test_a_record_of_pages_with_values_of_other_types_only_costs_a_rewrite(
    built: Site, tmp_path: Path
) -> None:
    record = built.root / ".podcastfeed-cache" / "outputs.json"
    data = json.loads(record.read_bytes())
    assert len(data["pages"]) >= 3  # the show page and the two episode pages
    for path, value in zip(sorted(data["pages"]), [7, "text", None, {}], strict=False):
        data["pages"][path] = value
    record.write_text(json.dumps(data), encoding="utf-8")
    _edit_episode(built)
    code, stderr = _run(built)
    assert (code, stderr) == (0, "")
    assert _outputs(built) == _fresh(built, tmp_path)


def _edit_episode(site: Site) -> None:
    site.episode("a", date="2024-01-01", title="A renamed")


def _replace_audio(site: Site) -> None:
    shutil.copyfile(DATA / "audio" / "with-cover.mp3", site.episodes / "audio" / "b.mp3")


def _edit_config(site: Site) -> None:
    site.show('\n[build]\ntemplates = "templates"\n', title='"Renamed Show"')


def _edit_template(site: Site) -> None:
    (site.root / "templates" / "index.html").write_text("New: " + TEMPLATE, encoding="utf-8")


def _delete_output(site: Site) -> None:
    (site.root / "public" / "episodes" / "a" / "index.html").unlink()


def _edit_feed_by_hand(site: Site) -> None:
    feed = site.root / "public" / "feed.xml"
    feed.write_bytes(feed.read_bytes().replace(b"<title>a</title>", b"<title>x</title>"))


def _edit_lock_by_hand(site: Site) -> None:
    lock = site.root / "podcastfeed.lock"
    lock.write_text(lock.read_text(encoding="utf-8") + "\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "stale"),
    [
        (_edit_episode, ["public/feed.xml is out of date:", "episodes/a/index.html"]),
        (_replace_audio, ["public/feed.xml is out of date:", "podcastfeed.lock is out of date"]),
        (_edit_config, ["public/feed.xml is out of date:", "public/index.html is out of date"]),
        (_edit_template, ["public/index.html is out of date"]),
        (_delete_output, ["public/episodes/a/index.html is out of date"]),
        (_edit_feed_by_hand, ["public/feed.xml is out of date:"]),
        (_edit_lock_by_hand, ["podcastfeed.lock is out of date"]),
    ],
    ids=[
        "episode-edited",
        "audio-replaced",
        "config-edited",
        "template-edited",
        "output-deleted",
        "feed-edited-by-hand",
        "lock-edited-by-hand",
    ],
)
def test_check_notices_each_change_and_build_repairs_it(
    built: Site,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    change: Callable[[Site], None],
    stale: list[str],
) -> None:
    monkeypatch.chdir(built.root)
    assert _run(built, "--check")[0] == 0
    current = _outputs(built)
    _age(built)  # the change is made long after the build: only its content tells
    change(built)
    code, stderr = _run(built, "--check")
    assert code == 1
    for line in stale:
        assert any(line in reported for reported in stderr.splitlines()), stderr
    assert _run(built) == (0, "")
    assert _run(built, "--check") == (0, "")
    rebuilt = _outputs(built)
    repaired = change in (_delete_output, _edit_feed_by_hand, _edit_lock_by_hand)
    assert (rebuilt == current) == repaired  # (outputs damaged: written as they were)
    assert rebuilt == _fresh(built, tmp_path)
    assert _run(built) == (0, "")  # and again, through whatever shortcut there is
    assert _outputs(built) == rebuilt


def test_a_change_within_the_same_second_is_not_trusted(built: Site) -> None:
    """Times that cannot tell a later write apart: no record, the next build reads."""
    record = built.root / ".podcastfeed-cache" / skip.FILE_NAME
    built.episode("a", date="2024-01-01", title="Now")
    assert _run(built) == (0, "")
    assert not record.exists()  # "a" changed less than a second before that build began
    feed = (built.root / "public" / "feed.xml").read_bytes()
    assert b"<title>Now</title>" in feed
    data = json.loads(record.read_text()) if record.exists() else None
    assert data is None


def test_a_scheduled_episode_is_published_when_its_time_comes(site: Site) -> None:
    site.episode("a", date="2024-01-01")
    site.episode("later", date="2099-01-01", audio=site.audio("sine-3s-cbr.mp3", "l.mp3"))
    _age(site)
    assert _run(site) == (0, "")
    record = site.root / ".podcastfeed-cache" / skip.FILE_NAME
    data = json.loads(record.read_text())
    assert data["valid_until"] == "2099-01-01T00:00:00+00:00"
    pickle = site.root / ".podcastfeed-cache" / "build.pickle"
    pickle.unlink()
    assert _run(site) == (0, "")
    assert not pickle.exists()  # nothing to do yet
    data["valid_until"] = "2024-06-01T00:00:00+00:00"  # as if that time had come
    record.write_text(json.dumps(data))
    assert _run(site) == (0, "")
    assert pickle.exists()  # built again


def _typed(site: Site, name: str, date: str, mime_type: str) -> None:
    audio = site.audio("sine-3s-cbr.mp3", f"{name}.mp3")
    text = f"---\ntitle: {name}\ndate: {date}\naudio: {audio}\nmime_type: {mime_type}\n---\n"
    site.episode(name, text + "\nNotes.\n")


def test_the_check_runs_on_a_new_item_and_on_all_when_the_channel_changes(site: Site) -> None:
    """The build's check skips items that passed before, not items that did not."""
    _typed(site, "a", "2024-01-01", "audio/mpeg")
    assert _run(site) == (0, "")
    _typed(site, "b", "2024-02-01", "text/plain")  # only the check's rules refuse it
    code, stderr = _run(site)
    assert code == 1
    assert "episodes/b.md:5: error: enclosure type 'text/plain' does not fit" in stderr
    _typed(site, "b", "2024-02-01", "audio/mpeg")
    assert _run(site) == (0, "")
    site.show(extra='[check]\nignore = ["apple/enclosure-type"]\n')
    _typed(site, "c", "2024-03-01", "text/plain")
    assert _run(site) == (0, "")  # ignored
    site.show()  # the channel's context changed: c is checked again, and fails
    code, stderr = _run(site)
    assert code == 1
    assert "episodes/c.md:5: error: enclosure type 'text/plain' does not fit" in stderr


def test_an_edit_that_keeps_size_and_mtime_is_still_read(built: Site) -> None:
    """Episode files are known by their identity without being read (cache.py): the ctime,
    which no write can keep, tells an edit that kept the size and the mtime."""
    path = built.episodes / "a.md"
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("title: a", "title: z"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    assert _run(built) == (0, "")
    assert b"<title>z</title>" in (built.root / "public" / "feed.xml").read_bytes()


def test_audio_replaced_with_the_same_size_and_mtime_is_measured_again(built: Site) -> None:
    """Local audio is known by its identity, ctime and inode too: a copy over it that keeps the
    size and sets the mtime back (here: the LAME header's frame count halved) is probed."""
    path = built.episodes / "audio" / "b.mp3"
    stat = path.stat()
    data = bytearray(path.read_bytes())
    at = data.index(b"Info") + 8  # the frame count (its flags say it is there)
    data[at : at + 4] = (int.from_bytes(data[at : at + 4], "big") // 2).to_bytes(4, "big")
    path.write_bytes(bytes(data))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    assert _run(built) == (0, "")
    feed = (built.root / "public" / "feed.xml").read_bytes()
    assert b"<itunes:duration>2</itunes:duration>" in feed  # 3 s before


def test_a_duration_edited_in_the_lock_is_believed_with_or_without_the_cache(
    built: Site, tmp_path: Path
) -> None:
    """The lock's probe of a file whose fingerprint it still has is what a build without the
    cache publishes; the cache's own probe of that file does not overrule it."""
    lock = built.root / "podcastfeed.lock"
    text = lock.read_text(encoding="utf-8")
    assert text.count('"duration": 3.0') == 2
    lock.write_text(text.replace('"duration": 3.0', '"duration": 42.0', 1), encoding="utf-8")
    assert _run(built) == (0, "")
    assert (
        b"<itunes:duration>42</itunes:duration>"
        in (built.root / "public" / "feed.xml").read_bytes()
    )
    assert _outputs(built) == _fresh(built, tmp_path)
    lock.unlink()  # the cache took that probe from the lock: gone with it
    assert _run(built) == (0, "")
    assert b'"duration": 42.0' not in lock.read_bytes()
    assert _outputs(built) == _fresh(built, tmp_path / "again")


@pytest.mark.parametrize("without", ["outputs-record", "cache"])
def test_pages_kept_by_the_manifest_follow_the_templates_content(
    built: Site, tmp_path: Path, without: str
) -> None:
    """Without the outputs record (deleted, or --no-cache), pages are kept while the digest of
    their inputs in the manifest is the same: a template edited to the same size, its mtime
    set back, changes it."""
    template = built.root / "templates" / "index.html"
    stat = template.stat()
    template.write_text(TEMPLATE.replace("}}:", "}};"), encoding="utf-8")
    os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    if without == "cache":
        assert _run(built, "--no-cache") == (0, "")
    else:
        (built.root / ".podcastfeed-cache" / "outputs.json").unlink()
        assert _run(built) == (0, "")
    assert (built.root / "public" / "index.html").read_text(encoding="utf-8") == "Test Show; b a "
    assert _outputs(built) == _fresh(built, tmp_path)


@pytest.mark.parametrize("text", ["/", "/a", "/a/b c/d.md", "a", "a/b", ".", "", "/a//b", "../x"])
def test_cache_paths_come_back_equal(text: str) -> None:
    from podcastfeed.cache import posix_path

    found = posix_path(text)
    assert found == Path(text)
    assert str(found) == str(Path(text))
    assert hash(found) == hash(Path(text))
    assert found.parts == Path(text).parts


@pytest.mark.parametrize("html", ["", "<p>a</p>", "<p>Zoë’s “notes” &amp; more</p>\n" * 40])
def test_packed_notes_read_as_written(html: str) -> None:
    from datetime import UTC, datetime

    from podcastfeed.model import Episode, pack_notes

    date = datetime(2024, 1, 1, tzinfo=UTC)
    packed = Episode(Path("a.md"), "a", date, None, notes=pack_notes(html))
    assert packed.notes_html == html
    assert bool(packed.notes) == bool(html)
    if len(html) > 1000:
        assert len(packed.notes) < len(html.encode()) / 4  # what it is for: memory
    plain = Episode(Path("a.md"), "a", date, None, notes=html.encode())
    assert plain.notes_html == html


def test_artwork_outside_the_episodes_folder_is_an_input(site: Site) -> None:
    """The show's folder is not walked (the build writes its lock there): a replaced image, and
    an image that appears where an episode's `image:` named no file yet, are still seen."""
    from images import make_image

    audio = site.audio("sine-3s-cbr.mp3")
    for name, image in (("a", "art.jpg"), ("b", "later.jpg")):
        text = f"---\ntitle: {name}\ndate: 2024-01-0{'ab'.index(name) + 1}\naudio: {audio}\n"
        site.episode(name, text + f"image: {image}\n---\n\nNotes.\n")
        audio = site.audio("sine-3s-cbr.mp3", "b.mp3")
    make_image(site.root / "art.jpg", color=(200, 30, 30))
    feed = site.root / "public" / "feed.xml"
    for _ in range(2):  # recorded once nothing is newer than a second
        _age(site)
        assert _run(site) == (0, "")
    before = feed.read_bytes()
    assert b"later.jpg" in before  # a link relative to the page: no such file yet
    make_image(site.root / "art.jpg", color=(30, 200, 30))
    assert _run(site, "--check")[0] == 1
    assert _run(site) == (0, "")
    after = feed.read_bytes()
    assert after != before  # the copy's name holds its content's hash
    _age(site)
    assert _run(site) == (0, "")
    make_image(site.root / "later.jpg", color=(30, 30, 200))
    assert _run(site) == (0, "")
    assert b"artwork/later-" in feed.read_bytes()
    assert _run(site, "--check") == (0, "")


def test_transcripts_copied_are_written_again_when_they_change(site: Site) -> None:
    """A copy is left as it is while its source and itself are as last written."""
    site.episode("a")
    source = site.episodes / "a.vtt"
    source.write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n", encoding="utf-8")
    _age(site)
    assert _run(site) == (0, "")
    copies = list((site.root / "public" / "transcripts").iterdir())
    assert [p.read_bytes() for p in copies] == [source.read_bytes()]
    copies[0].write_text("edited by hand\n", encoding="utf-8")
    assert _run(site) == (0, "")
    assert copies[0].read_bytes() == source.read_bytes()
    _age(site)
    source.write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHello again\n", encoding="utf-8")
    os.utime(source, (time.time() - 5, time.time() - 5))  # an mtime that does not tell
    assert _run(site) == (0, "")
    assert copies[0].read_bytes() == source.read_bytes()
    assert _run(site, "--check") == (0, "")


def test_links_that_loop_in_the_sources_do_not_stop_the_shortcut(built: Site) -> None:
    """A link back up in the episodes or templates folder: the walk that records a build's
    inputs followed it until the system refused (a traceback at every build). A template
    reached through a link inside the templates folder is watched like the others."""
    (built.episodes / "loop").symlink_to("..")
    templates = built.root / "templates"
    (templates / "loop").symlink_to(".")
    (templates / "parts").mkdir()
    (templates / "parts" / "part.html").write_text("one", encoding="utf-8")
    (templates / "linked").symlink_to("parts")
    include = TEMPLATE.replace("\n", "{% include 'linked/part.html' %}\n")
    (templates / "index.html").write_text(include, encoding="utf-8")
    _age(built)
    skipped = ""  # (the loop is not followed, and nothing is missed: no warning)
    assert _run(built) == (0, skipped)
    pickle = built.root / ".podcastfeed-cache" / "build.pickle"
    pickle.unlink()
    assert _run(built) == (0, skipped)  # (the shortcut says it again)
    assert not pickle.exists()  # nothing changed: the shortcut held
    (templates / "parts" / "part.html").write_text("two", encoding="utf-8")
    _age(built)
    assert _run(built) == (0, skipped)
    page = (built.root / "public" / "index.html").read_text(encoding="utf-8")
    assert page == "Test Show: b a two"
