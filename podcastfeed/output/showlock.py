"""One build at a time in a show: an exclusive lock on a file in the cache folder (or, when the
cache folder cannot be used, on feed.toml itself), held by the operating system (fcntl on
POSIX, msvcrt on Windows), so a killed build never leaves it taken.

A second build in the same show fails at once with "another build is running" (it does not
wait: a CI job or an editor's save should not queue behind a build that may be stuck). The lock
is re-entrant within a process: `build()` and `write_report()` each take it, and a caller that
wants both under one hold (the CLI) wraps them in `hold()` too.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from podcastfeed import cache
from podcastfeed.errors import ConfigError
from podcastfeed.source.config import load_config

LOCK_NAME = "build.lock"

_held: dict[str, tuple[int, int]] = {}  # lock file -> (descriptor, depth) in this process
_guard = threading.Lock()


class BusyError(ConfigError):
    """Another build holds the show's lock."""


@contextlib.contextmanager
def hold(cache_dir: Path, config_path: Path) -> Iterator[None]:
    """Hold the show's build lock (`<cache_dir>/build.lock`, or feed.toml when the cache folder
    cannot hold it) for the block.

    Raises:
        BusyError: another process holds it.
        ConfigError: no lock can be taken.
    """
    path = cache_dir / LOCK_NAME
    with contextlib.suppress(OSError):  # unusable() says why
        cache_dir.mkdir(parents=True, exist_ok=True)
    if cache.unusable(cache_dir) is not None or not cache_dir.is_dir():
        path = config_path
    key = os.path.abspath(path)
    with _guard:
        if key in _held:
            fd, depth = _held[key]
            _held[key] = (fd, depth + 1)
        else:
            _held[key] = (_acquire(path), 1)
    try:
        yield
    finally:
        with _guard:
            fd, depth = _held[key]
            if depth > 1:
                _held[key] = (fd, depth - 1)
            else:
                del _held[key]
                _release(fd)


@contextlib.contextmanager
def hold_show(config_path: Path) -> Iterator[None]:
    """Hold the lock of the show of `config_path` across several calls (`build`, then
    `write_report`), so that no other build of the show runs between them.

    Raises:
        ConfigError: another build is running; feed.toml is missing or invalid.
    """
    settings = load_config(config_path).build
    with hold(settings.cache_dir, settings.config_path):
        yield


def _forget_inherited() -> None:
    """In a forked child (the build's parse workers): close the inherited lock descriptors
    without unlocking, so the lock goes with the process that took it, even when that one is
    killed and its workers linger."""
    for fd, _depth in _held.values():
        with contextlib.suppress(OSError):
            os.close(fd)
    _held.clear()


if hasattr(os, "register_at_fork"):  # POSIX
    os.register_at_fork(after_in_child=_forget_inherited)


def _acquire(path: Path) -> int:
    mine = path.name == LOCK_NAME  # else feed.toml, which is only read and locked
    if mine and path.is_dir() and not path.is_symlink():
        with contextlib.suppress(OSError):  # an empty folder in its way goes (as cache.py's)
            path.rmdir()
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666) if mine else os.open(path, os.O_RDONLY)
    except OSError as exc:
        hint = "a file podcastfeed makes: delete the folder in its way" if path.is_dir() else None
        raise ConfigError(
            f"cannot take the build lock: {exc.strerror}", source=path, hint=hint
        ) from exc
    try:
        _lock(fd)
    except OSError:
        holder = _read_holder(fd) if mine else ""
        os.close(fd)
        raise BusyError(
            "another build is running in this show" + (f" (process {holder})" if holder else ""),
            hint="wait for it to finish and build again",
        ) from None
    if mine:
        with contextlib.suppress(OSError, AttributeError):  # who holds it, for a second build
            os.pwrite(fd, f"{os.getpid():<20}".encode(), 0)  # one write: never seen half done
    return fd


def _release(fd: int) -> None:
    with contextlib.suppress(OSError):
        _unlock(fd)
    os.close(fd)


def _read_holder(fd: int) -> str:
    """The pid the holder wrote (it writes it just after taking the lock: wait a moment)."""
    for _attempt in range(10):
        try:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        except (OSError, AttributeError):  # no pread on Windows
            return ""
        if holder:
            return holder
        time.sleep(0.02)
    return ""


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
