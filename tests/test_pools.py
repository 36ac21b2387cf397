"""Worker processes for parsing and probing leave Ctrl-C and SIGTERM to the build (pools.py)."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

CHILD = """\
import os, signal, sys, time
from podcastfeed.pools import map_in_workers

def work(n):
    if n == 0:
        os.killpg(0, signal.{name})  # as a terminal's Ctrl-C: to the whole process group
    time.sleep(0.5)
    return n

try:
    print(map_in_workers(work, range(4), 2, chunksize=1))
except KeyboardInterrupt:
    print("interrupted", flush=True)
    sys.exit(130)
"""


@pytest.mark.parametrize("name", ["SIGINT", "SIGTERM"])
def test_a_signal_to_the_process_group_is_left_to_the_build(name: str) -> None:
    """The workers ignore it: no traceback of theirs, no broken pool; the build's process
    takes it (SIGTERM: here by its default action; the workers follow it within 0.5 s)."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD.format(name=name)],
        capture_output=True,
        text=True,
        start_new_session=True,
        timeout=60,
        check=False,
    )
    if name == "SIGINT":
        assert (done.returncode, done.stdout) == (130, "interrupted\n")
    else:
        assert done.returncode == -signal.SIGTERM
    assert done.stderr == ""
