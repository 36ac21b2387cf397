"""Hostile input to `new`, `init`, `probe`, `check --feed`, `import` and `diff`, as a new user
or an attacker types it: no traceback, no hang, no half-made file, no message that lies."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

RSS = b'<rss version="2.0"><channel><title>T</title><link>https://e.org/</link></channel></rss>'


def _run(args: list[str | bytes], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "podcastfeed", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        errors="backslashreplace",
        timeout=60,
        env={**os.environ, **env},
        check=False,
    )


def test_a_device_as_the_feed_stops_at_the_feed_size_limit(tmp_path: Path) -> None:
    """`check --feed /dev/zero` read until a MemoryError; a pipe or device is read up to the
    feed size limit, as a URL's answer is (a regular file is read whole)."""
    for args in (["check", "--feed", "/dev/zero"], ["diff", "/dev/zero", "/dev/zero"]):
        result = _run(args, tmp_path, PODCASTFEED_MAX_FEED_MB="1")
        assert result.returncode == 1, result.stderr
        assert result.stderr == (
            "Error: /dev/zero: more than 1 MB from a pipe or device (the feed size limit; "
            "set PODCASTFEED_MAX_FEED_MB to raise it)\n"
        )


def test_a_pipe_as_the_feed_is_still_read(tmp_path: Path) -> None:
    """`check --feed <(curl …)`: a pipe below the limit is a feed like any other."""
    read, write = os.pipe()
    os.write(write, RSS)
    os.close(write)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "podcastfeed", "check", "--feed", f"/dev/fd/{read}"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            pass_fds=(read,),
            check=False,
        )
    finally:
        os.close(read)
    assert "apple/required-tags" in result.stdout, result.stderr


@pytest.mark.parametrize("what", ["fifo", "device"])
def test_probe_and_new_refuse_audio_that_is_not_a_file(tmp_path: Path, what: str) -> None:
    """A FIFO as --audio waited for a writer forever; /dev/zero was 'empty file (0 bytes)'."""
    audio = tmp_path / "a.mp3"
    if what == "fifo":
        os.mkfifo(audio)
    else:
        audio = Path("/dev/zero")
    for args in (["probe", str(audio)], ["new", "Ep", "--audio", str(audio)]):
        result = _run(args, tmp_path)
        assert result.returncode == 3, result.stderr
        assert result.stderr == f"Error: {audio}: not a file (a pipe, a device or a socket)\n"
    assert not (tmp_path / "episodes").exists()
