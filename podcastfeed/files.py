"""Atomic file writes: a temporary file in the same folder, then os.replace.

A crash or an error mid-write leaves the previous file byte-for-byte intact.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

#: The list of files a build wrote into an output folder (output/commit.py keeps it); episode
#: discovery skips a folder that holds one.
MANIFEST_NAME = ".podcastfeed-manifest"
#: The journal of a build's writes, beside the manifest while they are under way (commit.py).
JOURNAL_NAME = ".podcastfeed-journal"
#: Temporary files of `atomic_writer` (mkstemp: 8 random characters) and of a commit (a token
#: of 8 hexadecimal digits).
_LEFTOVER = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


#: Names episode discovery skips, folders and files (source/discovery.py).
SKIPPED = (".", "_")


def current_umask() -> int:
    """The process's umask (reading it means setting it: set it back at once)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: The longest file name most file systems take, in bytes (ext4, XFS, Btrfs, APFS, NTFS).
NAME_MAX = 255
#: What a temporary file's name adds to the name it stands for: "." before it, and
#: ".{8 characters}.tmp" after it.
_TEMP_EXTRA = 14


def temp_stem(name: str) -> str:
    """`name`, or for a name too long to carry a temporary file's additions within NAME_MAX
    (a file allowed a name of up to 255 bytes would otherwise be impossible to write), its
    beginning with a digest of the whole (still one name per name)."""
    data = os.fsencode(name)
    if len(data) + _TEMP_EXTRA <= NAME_MAX:
        return name
    digest = hashlib.blake2b(data, digest_size=8).hexdigest()
    room = NAME_MAX - _TEMP_EXTRA - len(digest) - 1
    return data[:room].decode("utf-8", "ignore") + "-" + digest  # (a character cut: dropped)


@contextlib.contextmanager
def atomic_writer(path: Path, *, durable: bool = True) -> Iterator[BinaryIO]:
    """A stream whose content replaces `path` in one step when the block ends without error
    (mode 0666 minus the umask, like a plain open); on error `path` is left as it was.
    `durable=False` skips the fsync (for caches, where a crash only costs a rebuild), and
    removes an empty folder in the way (a cache's file is no one else's)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not durable:
        with contextlib.suppress(OSError):  # (only an empty folder: rmdir takes no file)
            os.rmdir(path)
    stem = temp_stem(path.name)
    fd, temp = tempfile.mkstemp(prefix=f".{stem}.", suffix=".tmp", dir=path.parent)
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


def is_leftover(name: str) -> bool:
    """Whether a file `name` is one a write killed mid-way leaves: a temporary file of ours, or
    the journal of a commit."""
    return name == JOURNAL_NAME or (name.endswith(".tmp") and _LEFTOVER.match(name) is not None)


def target_of(path: str) -> str:
    """The file a temporary file of ours (`.NAME.XXXXXXXX.tmp`) is to become, for a message
    about it: the user knows NAME; `path` itself when it is no such name."""
    folder, name = os.path.split(path)
    if name.endswith(".tmp") and _LEFTOVER.match(name):
        return os.path.join(folder, name[1 : -len(".XXXXXXXX.tmp")])
    return path


class NotAFile(OSError):
    """A path that is a pipe, a device or a socket where a file is read."""


def what_it_is(path: str | Path) -> str:
    """What a path that exists but is no regular file is, for a message: "a folder", or "a
    pipe, a device or a socket"."""
    return "a folder" if os.path.isdir(path) else "a pipe, a device or a socket"


#: What a pipe, a device or a socket where a file is read is called in messages.
NOT_A_FILE = "not a file (a pipe, a device or a socket)"


def is_special(path: str | Path) -> bool:
    """Whether `path` (through links) is a pipe, a device or a socket: known before it is
    opened, as opening a FIFO waits for a writer, forever. (OSError when it is not there.)"""
    return stat.S_IFMT(os.stat(path).st_mode) not in (stat.S_IFREG, stat.S_IFDIR)


def read_file(path: Path) -> bytes:
    """The bytes of the file `path` (through links), or NotAFile for a pipe, a device or a
    socket (is_special). (A folder raises IsADirectoryError, as reading it does.)"""
    if is_special(path):
        raise NotAFile(errno.EINVAL, NOT_A_FILE, str(path))
    return path.read_bytes()


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
