"""Creating a new file and writing bytes into it; run as a script, a writer process of
workers.py.

As a script (`python -I -S writer.py`, standard library only, so it starts in a few ms and
holds a few MB: none of the build's memory) it reads batches of files from its standard input
and writes each, answering for each batch the position of the first file it could not write
(-1: none). A batch is an 8-byte little-endian length, then that many bytes: for each file
the lengths of its path and its content (4 bytes each), the path (file-system encoded) and the
content. It stops at the end of its input: when the build closes it, or dies (even by
SIGKILL), after the batch at hand. Ctrl-C is the build's to handle: the writer ignores it.
"""

from __future__ import annotations

import os
import struct
import sys
from collections.abc import Iterable, Iterator
from typing import BinaryIO

_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
BATCH_HEAD = struct.Struct("<Q")
FILE_HEAD = struct.Struct("<II")
ANSWER = struct.Struct("<i")


def open_new(temp: str | bytes) -> int:
    """A descriptor of the new file `temp`, mode 0666 minus the umask (by the open itself: a
    fresh file, so no chmod per file); a file left there (a killed build's, of the same 32-bit
    token) is replaced."""
    try:
        return os.open(temp, _NEW_FILE, 0o666)
    except FileExistsError:
        os.unlink(temp)
        return os.open(temp, _NEW_FILE, 0o666)


def write_all(fd: int, data: bytes | memoryview) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def write_bytes(temp: str | bytes, data: bytes | memoryview) -> None:
    """`data` into the new file `temp` (an error names it: a full disk's does not)."""
    fd = open_new(temp)
    try:
        write_all(fd, data)
    except OSError as exc:
        exc.filename = exc.filename or temp
        raise
    finally:
        os.close(fd)


def write_files(files: Iterable[tuple[str | bytes, bytes | memoryview]]) -> int:
    """Each (temporary file, content) of `files`, its folder made if missing; the position of
    the first that could not be written, or -1. (A writer's batch, or one written by the build's
    process when its writer has died.)"""
    position = 0
    folders: set[str | bytes] = set()
    try:
        for temp, data in files:
            folder = os.path.dirname(temp)
            if folder not in folders:  # made by the build before the batch, or by a writer
                os.makedirs(folder, exist_ok=True)
                folders.add(folder)
            write_bytes(temp, data)
            position += 1
    except Exception:
        return position
    return -1


def write_batch(body: bytes) -> int:
    """The files of one batch (see the module's docstring): write_files's answer."""
    return write_files(_files_of(body))


def _files_of(body: bytes) -> Iterator[tuple[bytes, memoryview]]:
    view = memoryview(body)
    at = 0
    while at < len(body):
        path_size, size = FILE_HEAD.unpack_from(body, at)
        at += FILE_HEAD.size
        yield bytes(view[at : at + path_size]), view[at + path_size : at + path_size + size]
        at += path_size + size


def serve(source: BinaryIO, answers: BinaryIO) -> None:
    """Write the batches read from `source` until its end, answering each on `answers`."""
    while True:
        head = source.read(BATCH_HEAD.size)
        if len(head) < BATCH_HEAD.size:
            return
        (size,) = BATCH_HEAD.unpack(head)
        body = source.read(size)
        if len(body) < size:  # the build stopped in the middle of sending it
            return
        answers.write(ANSWER.pack(write_batch(body)))
        answers.flush()


if __name__ == "__main__":  # pragma: no cover - run by workers.Spread, in its own process
    import contextlib
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(BrokenPipeError):  # the build is gone
        serve(sys.stdin.buffer, sys.stdout.buffer)
