"""Pages and transcripts written by worker processes (output/workers.py, issue 18): the same
files as one process writes, and a file a worker cannot write fails the build as it would
without workers."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import SHOW_TOML

from podcastfeed.build import build, write_report
from podcastfeed.output import workers

NOW = datetime(2026, 1, 1, tzinfo=UTC)
COUNT = workers.THRESHOLD + 20
EPISODE = """\
---
title: Episode {n} <&> "quoted"
date: 2024-01-{day:02d}T{hour:02d}:00:00Z
audio: https://cdn.example.org/media/ep{n:04d}.mp3
duration: 600
length: 1000
---

Notes for episode {n}.

## Transcript

**Ada** (00:00): Hello {n}.

**Bob** (00:05): Hi.
"""


def _show(root: Path) -> Path:
    (root / "episodes").mkdir(parents=True)
    (root / "feed.toml").write_text(SHOW_TOML, encoding="utf-8")
    for n in range(COUNT):
        text = EPISODE.format(n=n, day=1 + n % 28, hour=n % 24)
        (root / "episodes" / f"ep{n:04d}.md").write_text(text, encoding="utf-8")
    return root / "feed.toml"


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_workers_write_the_files_one_process_writes(tmp_path: Path) -> None:
    config = _show(tmp_path / "show")
    one = build(config, now=NOW, jobs=1, use_cache=False)
    write_report(one, tmp_path / "one" / "feed.xml")
    two = build(config, now=NOW, jobs=2, use_cache=False)
    assert two.jobs == 2
    write_report(two, tmp_path / "two" / "feed.xml")
    written, expected = _files(tmp_path / "two"), _files(tmp_path / "one")
    manifests = [json.loads(files.pop(".podcastfeed-manifest")) for files in (written, expected)]
    assert manifests[0]["files"] == manifests[1]["files"]  # ("pages" holds the folder's name)
    assert written == expected
    pages = [name for name in written if name.startswith("episodes/")]
    assert len(pages) == COUNT  # enough to be spread over the workers
    assert sum(name.startswith("transcripts/") for name in written) == COUNT
    assert not [name for name in written if name.endswith(".tmp")]


def test_a_file_a_worker_cannot_write_is_written_again_here_and_raises(tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_bytes(b"a file where a folder would go")
    pool = workers.Spread(2)
    try:
        good = [(str(tmp_path / "out" / f"f{n}.tmp"), b"%d" % n) for n in range(50)]
        pool.submit([*good[:25], (str(blocked / "x.tmp"), b"x"), *good[25:]])
        with pytest.raises(NotADirectoryError) as info:
            pool.finish()
        assert info.value.filename == str(blocked / "x.tmp")
    finally:
        pool.close()
    assert sorted(os.listdir(tmp_path / "out")) == sorted(f"f{n}.tmp" for n in range(25))


@pytest.mark.parametrize("killed", [1, 2])
def test_a_writer_that_dies_leaves_its_files_to_the_build(tmp_path: Path, killed: int) -> None:
    """Its thread writes them (both dead: nothing waits for them, nothing piles up)."""
    pool = workers.Spread(2)
    try:
        assert len(pool.children) == 2
        for child in pool.children[:killed]:
            child.kill()  # SIGKILL, as the OOM killer would
            child.wait()
        files = [(str(tmp_path / "out" / f"f{n}.tmp"), b"%d" % n) for n in range(300)]
        for start in range(0, 300, 30):
            pool.submit(files[start : start + 30])
        pool.finish()
        assert not pool.left
    finally:
        pool.close()
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == {
        Path(temp).name: data for temp, data in files
    }
    assert all(child.poll() is not None for child in pool.children)


def test_the_writers_stop_when_the_build_is_killed(tmp_path: Path) -> None:
    script = (
        "import sys, time\n"
        "from podcastfeed.output import workers\n"
        "pool = workers.Spread(2)\n"
        "print(*[child.pid for child in pool.children], flush=True)\n"
        "time.sleep(60)\n"
    )
    build = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert build.stdout is not None
        pids = [int(pid) for pid in build.stdout.readline().split()]
        assert len(pids) == 2
        for pid in pids:
            assert "writer.py" in Path(f"/proc/{pid}/cmdline").read_text()
    finally:
        build.kill()
        build.communicate()
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    states = []
    for pid in pids:
        with contextlib.suppress(FileNotFoundError):  # (gone, maybe since the loop looked)
            states.append(Path(f"/proc/{pid}/stat").read_text().split()[2])
    assert all(state == "Z" for state in states), states  # gone (or a zombie of init's)
