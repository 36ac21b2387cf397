"""Builds killed with SIGKILL at random moments, and builds started together (issue 11): the
files on disk are always the previous complete build's or the new one's, and the next build
makes the same bytes as one that was never interrupted."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SHOW_TOML
from lxml import etree

from podcastfeed import lock
from podcastfeed.output import commit

CACHE = ".podcastfeed-cache"
EPISODE = """\
---
title: Episode {n}{suffix}
date: {date}
status: {status}
audio: https://cdn.example.org/media/ep{n:05d}.mp3
duration: 600
length: {length}
---

Notes for episode {n}, with a [link](https://example.org/{n}) and *emphasis*.
"""


def _write_show(root: Path, count: int) -> None:
    (root / "episodes").mkdir(parents=True)
    (root / "feed.toml").write_text(SHOW_TOML, encoding="utf-8")
    for n in range(count):
        _episode(root, n)


def _episode(root: Path, n: int, suffix: str = "", status: str = "publish") -> None:
    day = 1 + n % 28
    month = 1 + n // 28 % 12
    year = 2000 + n // 336
    date = f"{year}-{month:02d}-{day:02d}T{n % 24:02d}:00:00Z"
    text = EPISODE.format(n=n, suffix=suffix, date=date, status=status, length=1_000_000 + n)
    (root / "episodes" / f"ep{n:05d}.md").write_text(text, encoding="utf-8")


def _edit(root: Path, count: int) -> list[str]:
    """Add episodes, retitle some, unpublish a few; returns the --allow-changes arguments."""
    for n in range(count, count + 40):
        _episode(root, n)
    for n in range(0, count, count // 40):
        _episode(root, n, suffix=" (revised)")
    allow = []
    for n in range(3, count, count // 4):
        _episode(root, n, status="draft")
        allow += ["--allow-changes", f"ep{n:05d}"]
    return allow


def _clone(base: Path, work: Path) -> None:
    """A copy of the show; its outputs and cache as hard links (a build only ever replaces or
    removes those files, never writes into them), which keeps 20 copies quick."""
    outputs = ("public", CACHE)
    shutil.copytree(
        base, work, ignore=lambda folder, _names: outputs if folder == str(base) else ()
    )
    for name in outputs:
        shutil.copytree(base / name, work / name, copy_function=os.link)


def _build(root: Path, *args: str) -> subprocess.Popen[bytes]:
    """A build, in a process group of its own (with its parse and writer processes)."""
    return subprocess.Popen(
        [sys.executable, "-m", "podcastfeed", "build", "-q", "-c", str(root / "feed.toml"), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _finish(process: subprocess.Popen[bytes]) -> tuple[int, str]:
    try:
        _out, err = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()  # not left running (with its pipes) into the next tests
        _out, err = process.communicate()
        pytest.fail(f"the build still ran after 120 s: {err.decode()[-2000:]}")
    return process.returncode, err.decode()


def _processes_of(root: Path) -> list[int]:
    """Processes whose command line names `root` (a build, or its parse workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and str(root).encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _state(root: Path) -> dict[str, str]:
    """Every output file (feed, pages, assets, manifest, lock) by path, with its digest."""
    found = {}
    for path in sorted((root / "public").rglob("*")):
        if path.is_file():
            found[path.relative_to(root).as_posix()] = _digest(path.read_bytes())
    found["podcastfeed.lock"] = _digest((root / "podcastfeed.lock").read_bytes())
    return found


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _guids(feed: bytes) -> set[str]:
    tree = etree.fromstring(feed)
    return {guid.text or "" for guid in tree.iterfind("channel/item/guid")}


def _assert_consistent(root: Path, old: dict[str, str], new: dict[str, str]) -> str:
    """The state right after a kill: the old one, or the new one once the journal is
    finished (as the next build does first). Returns which."""
    feed = (root / "public" / "feed.xml").read_bytes()
    etree.fromstring(feed)  # the feed parses at any instant
    parsed = lock.load(root / "podcastfeed.lock")  # and the lock is valid
    journal = root / "public" / commit.JOURNAL_NAME
    state = json.loads(journal.read_text())["state"] if journal.exists() else None
    if state == "commit":  # killed while switching: the next build finishes the switch
        commit.recover(root / "public", root / CACHE)
        feed = (root / "public" / "feed.xml").read_bytes()
        parsed = lock.load(root / "podcastfeed.lock")
    current = {k: v for k, v in _state(root).items() if k in old or k in new}
    stray = [p for p in (root / "public").rglob("*") if p.name.endswith(".tmp")]
    if state is None:  # nothing half done: no temporary file of the killed build is left,
        # but the journal's own while it was being written (killed inside write_atomic, before
        # its rename: nothing else was written yet; the next build removes it, checked below)
        journal_temp = "." + commit.JOURNAL_NAME + "."
        assert not [p for p in stray if not p.name.startswith(journal_temp)], stray
    assert current in (old, new), "a mix of two builds"
    assert {entry.guid for entry in parsed.entries} == _guids(feed)  # lock agrees with feed
    return "old" if current == old else "new"


def _built_and_edited(tmp_path: Path, count: int) -> tuple[Path, Path, dict[str, str], list[str]]:
    """A show of `count` episodes built (`base`, its state), and a copy of it (`reference`)
    with the edits of _edit made, and the --allow-changes they need."""
    base = tmp_path / "base"
    _write_show(base, count)
    assert _finish(_build(base))[0] == 0
    old = _state(base)
    reference = tmp_path / "reference"
    _clone(base, reference)
    return base, reference, old, _edit(reference, count)


@pytest.mark.slow
def test_build_killed_at_20_random_moments_leaves_the_old_or_the_new_build(
    tmp_path: Path,
) -> None:
    count = 2000
    base, reference, old, allow = _built_and_edited(tmp_path, count)
    started = time.monotonic()
    code, stderr = _finish(_build(reference, *allow))
    duration = time.monotonic() - started
    assert code == 0, stderr
    new = _state(reference)
    assert new != old

    rng = random.Random(20261130)
    seen = []
    for attempt in range(20):
        work = tmp_path / f"kill{attempt}"
        _clone(base, work)
        _edit(work, count)
        process = _build(work, *allow)
        # Half the moments in the last third, where the files are written.
        moment = rng.uniform(0, duration) if attempt % 2 else rng.uniform(duration * 0.6, duration)
        time.sleep(moment)
        os.kill(process.pid, signal.SIGKILL)
        process.communicate()
        seen.append(_assert_consistent(work, old, new))
        deadline = time.monotonic() + 5  # the killed build's parse workers follow it
        while _processes_of(work) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _processes_of(work)
        code, stderr = _finish(_build(work, *allow))
        assert code == 0, stderr
        assert _state(work) == new
        assert not [p for p in work.rglob("*.tmp")]
        assert not (work / "public" / commit.JOURNAL_NAME).exists()
        shutil.rmtree(work)
    assert "old" in seen  # the moments did land before and after the switch


@pytest.mark.slow
def test_two_builds_started_together_one_fails_clearly_and_one_wins(tmp_path: Path) -> None:
    root = tmp_path / "show"
    _write_show(root, 300)
    reference = tmp_path / "reference"
    shutil.copytree(root, reference)
    assert _finish(_build(reference))[0] == 0
    first, second = _build(root), _build(root)
    results = [_finish(first), _finish(second)]
    assert any(code == 0 for code, _err in results), results
    for code, stderr in results:
        if code != 0:
            assert code == 1
            assert "another build is running in this show (process " in stderr
    assert _state(root) == _state(reference)


@pytest.mark.slow
@pytest.mark.parametrize("group", [False, True], ids=["build", "process group"])
def test_sigterm_while_writing_rolls_back_says_so_and_exits_143(
    tmp_path: Path, group: bool
) -> None:
    """SIGTERM (a CI runner cancelling the job, `timeout`, `docker stop`) once the build is
    writing its files, to the build or to its whole process group (its writers too): the same
    roll-back as Ctrl-C, one line, exit 143, no journal or temporary file left."""
    root = tmp_path / "show"
    _write_show(root, 300)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "podcastfeed",
            "build",
            "-q",
            "-j",
            "2",
            "-c",
            str(root / "feed.toml"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    journal = root / "public" / commit.JOURNAL_NAME
    deadline = time.monotonic() + 60
    while not journal.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.0005)
    (os.killpg if group else os.kill)(process.pid, signal.SIGTERM)
    code, stderr = _finish(process)
    assert code == 143, stderr
    assert stderr.splitlines()[-1] == (
        "Interrupted; the previous feed, lock and pages are as they were"
    )
    assert "Traceback" not in stderr
    assert not [p for p in root.rglob("*") if p.name.endswith(".tmp")]
    assert not journal.exists()
    assert not (root / "public" / "feed.xml").exists()


def _switching(process: subprocess.Popen[bytes], journal: Path) -> bool:
    """Wait until `process` switches its files (its journal says "commit"); False when it
    ended first."""
    while process.poll() is None:
        try:
            if '"state": "commit"' in journal.read_text():
                return True
        except OSError:
            continue
    return False


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupt_once_the_build_switches_its_files_is_too_late(
    tmp_path: Path, how: signal.Signals
) -> None:
    """Ctrl-C or SIGTERM once the build's files are being switched into place: the build
    completes, says "Wrote …" and exits 0, its files current (it said "Interrupted" and exited
    130 about a build that was complete)."""
    root = tmp_path / "show"
    _write_show(root, 600)  # (a switch long enough to be seen on a busy machine: CI missed
    journal = root / "public" / commit.JOURNAL_NAME  # five of 300 pages' under a load of 5)
    for _attempt in range(10):
        process = _build(root)
        if not _switching(process, journal):
            _finish(process)  # (its pipe closed) done before the signal could come: again,
            for made in ("public", CACHE):  # as a first build (all its pages to switch)
                shutil.rmtree(root / made)
            (root / "podcastfeed.lock").unlink()
            continue
        os.killpg(process.pid, how)
        code, stderr = _finish(process)
        break
    else:
        pytest.fail("the signal never came while the files were switched")
    assert code == 0, stderr
    assert stderr.splitlines()[-1].startswith("Wrote "), stderr
    assert not journal.exists()
    check = [sys.executable, "-m", "podcastfeed", "build", "--check", "-c", str(root / "feed.toml")]
    assert subprocess.run(check, capture_output=True).returncode == 0


SWITCHING = """\
import sys
from pathlib import Path
from podcastfeed.output import commit

folder, what = Path(sys.argv[1]), sys.argv[2].encode()
files = [folder / f"d{n % 20}" / f"f{n}.html" for n in range(3000)]
outputs = [commit.Output(path, commit.given(what), durable=False) for path in files]
try:
    commit.commit(commit.read_manifest(folder), outputs, [])
except KeyboardInterrupt as exc:
    print(str(exc), flush=True)
    sys.exit(130)
"""


@pytest.mark.slow
def test_ctrl_c_while_the_files_are_switched_waits_for_the_switch(tmp_path: Path) -> None:
    """Ctrl-C (or SIGTERM) that comes while the files are renamed into place takes effect once
    they all are, and says so: the folder is all the new build's, with no journal left (it was
    a mix of both, the journal left for the next build to finish, under a message that the
    previous files were as they were)."""
    folder = tmp_path / "site"
    folder.mkdir()
    assert subprocess.run([sys.executable, "-c", SWITCHING, str(folder), "old"]).returncode == 0
    journal = folder / commit.JOURNAL_NAME
    for _attempt in range(5):
        process = subprocess.Popen(
            [sys.executable, "-c", SWITCHING, str(folder), "new"], stdout=subprocess.PIPE
        )
        _switching(process, journal)
        process.send_signal(signal.SIGINT)
        out, _err = process.communicate(timeout=60)
        if process.returncode == 0:  # it came after the switch: once more
            continue
        assert process.returncode == 130
        break
    else:
        pytest.fail("the signal never came while the files were switched")
    contents = {path.read_bytes() for path in folder.rglob("f*.html")}
    assert contents == {b"new"}
    assert not journal.exists()
    assert not [p for p in folder.rglob("*") if p.name.endswith(".tmp")]
    assert out.decode().strip() == commit.SWITCHED


RECOVERING = """\
import sys
from pathlib import Path
from podcastfeed.output import commit

try:
    commit.recover(Path(sys.argv[1]))
except KeyboardInterrupt:
    sys.exit(130)
"""


@pytest.mark.slow
def test_ctrl_c_while_a_killed_build_s_switch_is_finished_waits_for_it(tmp_path: Path) -> None:
    """The next build finishes the switch of one killed in the middle of it (its journal says
    "commit"); Ctrl-C then waits for the last rename too: the folder is all the killed build's,
    with no journal left (it was a mix again)."""
    folder = tmp_path / "site"
    folder.mkdir()
    assert subprocess.run([sys.executable, "-c", SWITCHING, str(folder), "old"]).returncode == 0
    journal = folder / commit.JOURNAL_NAME
    for _attempt in range(5):
        process = subprocess.Popen([sys.executable, "-c", SWITCHING, str(folder), "new"])
        while process.poll() is None:
            with contextlib.suppress(OSError):
                if '"state": "commit"' in journal.read_text():
                    process.kill()
        process.wait()
        if journal.exists():
            break
    else:
        pytest.fail("no build was killed while it switched its files")
    data = json.loads(journal.read_text())
    temps = [
        Path(name).with_name(f".{Path(name).name}.{data['token']}.tmp") for name in data["writes"]
    ]
    first = next(temp for temp in temps if temp.exists())
    process = subprocess.Popen([sys.executable, "-c", RECOVERING, str(folder)])
    while first.exists() and process.poll() is None:
        pass
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) in (0, 130, -signal.SIGINT)  # (done before it came)
    contents = {path.read_bytes() for path in folder.rglob("f*.html")}
    assert contents == {b"new"}
    assert not journal.exists()
    assert not [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


def _started(process: subprocess.Popen[bytes], root: Path) -> None:
    """Wait until the build holds the show's lock (its CLI has started: no interrupt lands in
    Python's own start-up)."""
    holder = root / CACHE / "build.lock"
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if holder.read_text().strip() == str(process.pid):
                return
        time.sleep(0.002)


@pytest.mark.slow
def test_builds_interrupted_at_8_random_moments_finish_or_roll_back(tmp_path: Path) -> None:
    """SIGINT or SIGTERM, to the build or to its whole process group (its writers too), at
    random moments of a build that writes 280 pages: interrupted before its files are switched,
    it exits 130 or 143 with one line and the old files; once they are, too late: it completes,
    says "Wrote" and exits 0 with the new files (it once exited 130 after "Wrote" when the
    signal came after the command returned, and by the signal during Python's finalization).
    Never a traceback, a mix, a journal or a temporary file left; the next build makes the new
    one."""
    count = 240
    base, reference, old, allow = _built_and_edited(tmp_path, count)
    process = _build(reference, *allow)
    _started(process, reference)
    started = time.monotonic()
    code, stderr = _finish(process)
    duration = time.monotonic() - started
    assert code == 0, stderr
    new = _state(reference)
    rng = random.Random(20261201)
    seen = set()
    for attempt in range(8):
        work = tmp_path / f"interrupted{attempt}"
        _clone(base, work)
        _edit(work, count)
        process = _build(work, *allow)
        _started(process, work)
        time.sleep(rng.uniform(0, duration))
        how = (signal.SIGINT, signal.SIGTERM)[attempt % 2]
        with contextlib.suppress(ProcessLookupError):
            (os.killpg if attempt % 4 > 1 else os.kill)(process.pid, how)
        code, stderr = _finish(process)
        assert code in (0, 128 + how), stderr
        assert "Traceback" not in stderr
        last = stderr.splitlines()[-1]
        if code:
            assert last == "Interrupted; the previous feed, lock and pages are as they were"
        else:
            assert last.startswith("Wrote "), stderr
        assert not (work / "public" / commit.JOURNAL_NAME).exists()
        assert not [p for p in work.rglob("*") if p.name.endswith(".tmp")]
        state = {k: v for k, v in _state(work).items() if k in old or k in new}
        assert state == (old if code else new), "not what the build said"
        seen.add("old" if state == old else "new")
        assert _finish(_build(work, *allow))[0] == 0
        assert _state(work) == new
        shutil.rmtree(work)
    assert "old" in seen  # (and "new" when the machine is not too busy)
