"""Writing the temporary files of a commit (commit.py); the small ones (episode pages and
assets) by worker processes when there are many (issue 18).

A full build writes a file per episode page and per transcript (19,000 at 10,000 episodes).
Making them is cheap now (render/pagefast.py); creating the files is the kernel's work, and on
a file system that has just deleted as many (a fresh output folder), a few hundred µs of CPU
each. The build's process makes each file's bytes and sends them, a batch at a time, to
workers that create and write the files, while it goes on with the next ones, the show page
and the feed. The workers are forked then: they touch none of the build's objects (which would
copy its memory), they only write temporary files of the journal commit.py keeps, and the
build's process waits for them before it switches anything. A file a worker could not write
is written again by the build's process (which raises what went wrong). A worker follows the
build when it is killed (Linux: PR_SET_PDEATHSIG) and leaves Ctrl-C to it. Linux only (fork);
elsewhere, and for few files, the build's process writes everything.
"""

from __future__ import annotations

import collections
import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Protocol

#: Below this many files, forking costs more than it saves.
THRESHOLD = 200
_PR_SET_PDEATHSIG = 1
_CHUNK = 1 << 16
_BATCH = 1 << 20  # bytes sent to a worker at once
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)

Batch = list[tuple[str, bytes]]  # temporary file, content


class File(Protocol):
    """A file to write (commit.Output)."""

    @property
    def content(self) -> Callable[[], Iterable[bytes]]: ...

    @property
    def durable(self) -> bool: ...  # fsync'ed

    @property
    def anywhere(self) -> bool: ...  # small and not fsync'ed: may go to a worker


def write_temps(temps: list[str], files: Sequence[File], jobs: int, created: list[Path]) -> None:
    """Write each of `files` into its new temporary file (`temps`, same order), making the
    folders they need (added to `created`); those that may be written `anywhere` by `jobs`
    worker processes when they are many. Every worker has stopped when this returns or raises.

    Raises:
        OSError, PodcastfeedError: what making or writing a file raised (the first met here).
    """
    spread = [at for at, file in enumerate(files) if file.anywhere and not file.durable]
    if not _usable(jobs, len(spread)):
        _write_here(temps, files, range(len(files)), created)
        return
    created += _missing({os.path.dirname(temps[at]) for at in spread})  # before any is made
    pool = Spread(jobs)
    try:
        batch: Batch = []
        size = 0
        for at in spread:  # first: the workers start at once
            data = b"".join(files[at].content())
            batch.append((temps[at], data))
            size += len(data)
            if size >= _BATCH or len(batch) >= 64:
                pool.submit(batch)
                batch, size = [], 0
        if batch:
            pool.submit(batch)
        here = set(spread)
        _write_here(temps, files, [at for at in range(len(files)) if at not in here], created)
        pool.finish()
    finally:
        pool.close()  # no worker writes after this returns (or after a roll-back)


def _write_here(
    temps: list[str], files: Sequence[File], indices: Iterable[int], created: list[Path]
) -> None:
    folders: set[str] = set()  # known to exist: 20,000 files, one check per folder
    for at in indices:
        temp = temps[at]
        name = os.path.dirname(temp)
        if name not in folders:
            make_folders(name, created)
            folders.add(name)
        _write_temp(temp, files[at])


def _write_batch(batch: Batch) -> int | None:
    """In a worker: the files of `batch`; the position of the first that failed (the build's
    process writes it again, and raises), else None."""
    folders: set[str] = set()
    for position, (temp, data) in enumerate(batch):
        try:
            name = os.path.dirname(temp)
            if name not in folders:
                make_folders(name, [])
                folders.add(name)
            _write_bytes(temp, data)
        except Exception:
            return position
    return None


def _open_new(temp: str) -> int:
    try:
        return os.open(temp, _NEW_FILE, 0o666)
    except FileExistsError:  # a killed build's, of the same 32-bit token, or a worker's
        os.unlink(temp)
        return os.open(temp, _NEW_FILE, 0o666)


def _write_bytes(temp: str, data: bytes) -> None:
    """`data` into the new file `temp` (a worker's batch, or what a worker did not write)."""
    fd = _open_new(temp)
    try:
        _write_all(fd, data)
    finally:
        os.close(fd)


def _write_temp(temp: str, file: File) -> None:
    """Write `file` into the new file `temp`, mode 0666 minus the umask (by the open itself:
    a fresh file, so no chmod per file)."""
    fd = _open_new(temp)
    try:  # the descriptor itself: a file object's fstat, ioctl and lseek, 20,000 times, add up
        pieces: list[bytes] = []
        size = 0
        for piece in file.content():
            pieces.append(piece)
            size += len(piece)
            if size >= _CHUNK:  # (the show page comes in many small pieces)
                _write_all(fd, b"".join(pieces))
                pieces, size = [], 0
        if pieces:
            _write_all(fd, b"".join(pieces))
        if file.durable:
            os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def make_folders(folder: str, created: list[Path]) -> None:
    """Make `folder` and its missing parents, adding those made to `created` (one made
    meanwhile by a worker is not this call's)."""
    try:
        os.mkdir(folder)
    except FileExistsError:
        return
    except FileNotFoundError:
        parent = os.path.dirname(folder)
        if parent == folder:
            raise
        make_folders(parent, created)
        try:
            os.mkdir(folder)
        except FileExistsError:
            return
    created.append(Path(folder))


def _missing(folders: Iterable[str]) -> list[Path]:
    """The folders of `folders` and above that do not exist, each after its parent."""
    found: set[str] = set()
    for folder in folders:
        while folder not in found and not os.path.isdir(folder):
            found.add(folder)
            folder = os.path.dirname(folder)
    return [Path(name) for name in sorted(found, key=len)]


Job = Callable[[Sequence[int]], "int | None"]
_job: Job | None = None  # what the workers run, set while they are forked


def _usable(jobs: int, count: int) -> bool:
    """Whether `count` files are worth `jobs` worker processes here."""
    return jobs > 1 and count >= THRESHOLD and sys.platform == "linux"


def _start(parent: int) -> None:
    # The build's objects are shared with it until written: a full collection here would
    # write to each (its gc header) and copy the build's memory into the worker.
    gc.freeze()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build stops us, after the batch at hand
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (ImportError, OSError, AttributeError):  # pragma: no cover - not glibc
        pass
    if os.getppid() != parent:  # killed before the line above
        os._exit(1)


class Spread:
    """`jobs` worker processes writing batches of files (_write_batch), at most a few batches
    ahead of them in flight (each is held here until written: a failed file is written again
    by `finish`)."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        context = multiprocessing.get_context("fork")
        self.pool = ProcessPoolExecutor(
            jobs, mp_context=context, initializer=_start, initargs=(os.getpid(),)
        )
        self.sent: collections.deque[tuple[Batch, Future[int | None]]] = collections.deque()
        self.left: Batch = []  # what the workers did not write

    def submit(self, batch: Batch) -> None:
        while len(self.sent) >= 3 * self.jobs:
            self._collect(*self.sent.popleft())
        self.sent.append((batch, self.pool.submit(_write_batch, batch)))

    def _collect(self, batch: Batch, future: Future[int | None]) -> None:
        try:
            failed = future.result()
        except Exception:  # a worker died (BrokenProcessPool), or could not say
            failed = 0
        if failed is not None:
            self.left += batch[failed:]

    def finish(self) -> None:
        """Wait for the workers, then write what they did not (raising what that raises)."""
        while self.sent:
            self._collect(*self.sent.popleft())
        for temp, data in self.left:
            make_folders(os.path.dirname(temp), [])  # (among the folders found missing)
            _write_bytes(temp, data)

    def close(self) -> None:
        """Stop the workers and wait for them (each finishes the batch at hand)."""
        self.pool.shutdown(wait=True, cancel_futures=True)
