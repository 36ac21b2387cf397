"""Atomic file writes: a temporary file in the same folder, then os.replace.

A crash or an error mid-write leaves the previous file byte-for-byte intact.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

#: The list of files a build wrote into an output folder (output/commit.py keeps it); episode
#: discovery skips a folder that holds one.
MANIFEST_NAME = ".podcastfeed-manifest"


#: Names episode discovery skips, folders and files (source/discovery.py).
SKIPPED = (".", "_")


def current_umask() -> int:
    """The process's umask (reading it means setting it: set it back at once)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_writer(path: Path, *, durable: bool = True) -> Iterator[BinaryIO]:
    """A stream whose content replaces `path` in one step when the block ends without error
    (mode 0666 minus the umask, like a plain open); on error `path` is left as it was.
    `durable=False` skips the fsync (for caches, where a crash only costs a rebuild)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        os.chmod(temp, 0o666 & ~current_umask())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def write_atomic(path: Path, data: bytes | Iterable[bytes], *, durable: bool = True) -> None:
    """Replace `path` with `data`: bytes, or pieces written as they come (`durable=False`
    skips the fsync)."""
    with atomic_writer(path, durable=durable) as stream:
        for piece in [data] if isinstance(data, bytes) else data:
            stream.write(piece)


def relative_name(path: Path, root: Path) -> str:
    """`path` as the user knows it: relative to the show folder `root` when inside it."""
    if os.sep == "/":  # the string's prefix is the lexical relative_to (a build calls this
        text, top = str(path), str(root).rstrip("/")  # 30,000 times at 10,000 episodes)
        if text.startswith(top + "/") and (top or text.startswith("/")):
            return text[len(top) + 1 :]
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def folder_clash(folder: Path, root: Path, others: Iterable[Path | None]) -> str | None:
    """Why `folder` is no folder of its own: it is or holds the show's folder `root`, or is,
    holds or lies inside one of `others` (the show's folder itself among them is skipped)."""
    if root.is_relative_to(folder):
        return "is the show's folder" if folder == root else "holds the show's folder"
    for other in others:
        if other is not None and other != root:
            if other == folder:
                return f"is {relative_name(other, root)}/"
            if folder.is_relative_to(other) or other.is_relative_to(folder):
                return f"overlaps {relative_name(other, root)}/"
    return None


def walks_into(top: Path, folder: Path | None) -> bool:
    """Whether episode discovery under `top` reads the files of `folder` (it skips the
    folders whose names start with SKIPPED)."""
    if folder is None or not folder.is_relative_to(top):
        return False
    return not any(part.startswith(SKIPPED) for part in folder.relative_to(top).parts)


def config_above(path: Path) -> str | None:
    """A feed.toml (`path`'s name) in a folder above `path`'s, as a path from the working
    folder (`../feed.toml`): the show of a user who runs podcastfeed in its episodes folder."""
    for folder in path.absolute().parent.parents:
        if (folder / path.name).is_file():
            return os.path.relpath(folder / path.name)
    return None


def missing_config_hint(path: Path) -> str:
    """What to do about a feed.toml `path` that is not there."""
    above = config_above(path)
    if above is not None:
        return f"the show is above this folder: pass --config {above}, or run podcastfeed there"
    return "run podcastfeed in the show's folder or pass --config PATH/feed.toml"
