"""Writing the temporary files of a commit (commit.py); the small ones (episode pages and
assets) by worker processes when there are many (issue 18).

A full build writes a file per episode page and per transcript (19,000 at 10,000 episodes).
Making them is cheap now (render/pagefast.py); creating the files is the kernel's work, and on
a file system that has just deleted as many (a fresh output folder), a few hundred µs of CPU
each. The build's process makes each file's bytes and sends them, a batch at a time, to
writer processes (writer.py) that create and write the files, while it goes on with the next
ones, the show page and the feed. The writers are fresh processes of a few MB that import
nothing of the build's; they only write temporary files of the journal commit.py keeps, and
the build's process waits for them before it switches anything. A file a writer could not
write is written again by the build's process (which raises what went wrong). A writer stops
at the end of its input, so it follows the build when the build is killed, and it leaves
Ctrl-C to the build. Linux only (where it is tested); elsewhere, and for few files, the
build's process writes everything.
"""

from __future__ import annotations

import contextlib
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Protocol

from podcastfeed.output import writer

#: Below this many files, starting writers costs more than it saves.
THRESHOLD = 200
_CHUNK = 1 << 16
_BATCH = 1 << 20  # bytes sent to a writer at once

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


def _write_temp(temp: str, file: File) -> None:
    """Write `file` into the new file `temp` (an error names it: a full disk's does not)."""
    fd = writer.open_new(temp)
    try:  # the descriptor itself: a file object's fstat, ioctl and lseek, 20,000 times, add up
        pieces: list[bytes] = []
        size = 0
        for piece in file.content():
            pieces.append(piece)
            size += len(piece)
            if size >= _CHUNK:  # (the show page comes in many small pieces)
                writer.write_all(fd, b"".join(pieces))
                pieces, size = [], 0
        if pieces:
            writer.write_all(fd, b"".join(pieces))
        if file.durable:
            os.fsync(fd)
    except OSError as exc:
        exc.filename = exc.filename or temp
        raise
    finally:
        os.close(fd)


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


def _usable(jobs: int, count: int) -> bool:
    """Whether `count` files are worth `jobs` writer processes here."""
    return jobs > 1 and count >= THRESHOLD and sys.platform == "linux"


class Spread:
    """`jobs` writer processes (writer.py run as a script) writing batches of files, each fed
    by a thread of the build's process, at most a few batches ahead of them in flight (each
    is held until written: a failed file is written again by `finish`).

    They are started afresh, not forked: a forked worker shares the build's memory only until
    the build writes to it, and the build goes on making pages and the feed while they write
    (its copy-on-write pages doubled the build's peak memory, issue 18)."""

    def __init__(self, jobs: int) -> None:
        self.queue: queue.Queue[tuple[int, Batch] | None] = queue.Queue(maxsize=2 * jobs)
        self.left: list[tuple[int, Batch]] = []  # what the writers did not write
        self.lock = threading.Lock()
        self.stopping = False
        self.sent = 0
        self.children: list[subprocess.Popen[bytes]] = []
        self.threads: list[threading.Thread] = []
        for _ in range(jobs):
            child = _start()
            if child is not None:
                self.children.append(child)
            thread = threading.Thread(target=self._feed, args=(child,), daemon=True)
            thread.start()
            self.threads.append(thread)

    def submit(self, batch: Batch) -> None:
        self.queue.put((self.sent, batch))  # waits while the writers are behind
        self.sent += 1

    def _feed(self, child: subprocess.Popen[bytes] | None) -> None:
        """A thread's work: send the batches to `child`, one at a time, or write them itself
        once `child` has died (or never started: nothing piles up, nothing waits for it), and
        note the files that failed, for `finish` (none once the build is stopping)."""
        while (item := self.queue.get()) is not None:
            if self.stopping:
                continue  # (rolled back: dropped)
            failed: int | None = None
            if child is not None:
                failed, alive = _send(child, item[1])
                if not alive:
                    child = None
            if child is None:
                position = writer.write_files(item[1])
                failed = None if position < 0 else position
            if failed is not None:
                with self.lock:
                    self.left.append((item[0], item[1][failed:]))

    def _stop_feeding(self) -> None:
        for _ in self.threads:
            self.queue.put(None)
        for thread in self.threads:
            thread.join()
        self.threads = []

    def finish(self) -> None:
        """Wait for the writers, then write what they did not, in the order sent (raising
        what that raises)."""
        self._stop_feeding()
        for _, batch in sorted(self.left, key=lambda item: item[0]):
            for temp, data in batch:
                make_folders(os.path.dirname(temp), [])  # (among the folders found missing)
                writer.write_bytes(temp, data)

    def close(self) -> None:
        """Stop the writers and wait for them (each finishes the batch at hand)."""
        self.stopping = True
        self._stop_feeding()
        for child in self.children:
            with contextlib.suppress(OSError):
                child.stdin.close()  # type: ignore[union-attr]
            child.wait()
            child.stdout.close()  # type: ignore[union-attr]
        self.children = []


def _start() -> subprocess.Popen[bytes] | None:
    """A writer process, or None if none can be started (the build's process writes)."""
    script = writer.__file__
    if not sys.executable or not script or not os.path.isfile(script):
        return None  # (a frozen application)
    try:
        return subprocess.Popen(
            [sys.executable, "-I", "-S", script],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        return None


def _send(child: subprocess.Popen[bytes], batch: Batch) -> tuple[int | None, bool]:
    """Have `child` write `batch`: the position of the first file it did not write (None if
    it wrote them all), and whether it still runs."""
    parts = [b""]
    for temp, data in batch:
        path = os.fsencode(temp)
        parts += (writer.FILE_HEAD.pack(len(path), len(data)), path, data)
    body = b"".join(parts)
    try:
        child.stdin.write(writer.BATCH_HEAD.pack(len(body)) + body)  # type: ignore[union-attr]
        child.stdin.flush()  # type: ignore[union-attr]
        answer = child.stdout.read(writer.ANSWER.size)  # type: ignore[union-attr]
    except (OSError, ValueError):  # it died (a broken pipe), or was closed
        return 0, False
    if len(answer) < writer.ANSWER.size:
        return 0, False
    (failed,) = writer.ANSWER.unpack(answer)
    return (None if failed < 0 else failed), True
