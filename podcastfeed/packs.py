"""The build cache's episodes on disk (issue 18): immutable pack files of blocks of entries.

A block is up to BLOCK entries pickled together (one `pickle.loads` for 128 entries loads 10,000
in about 60% of the time 10,000 one at a time take). A pack is written once and never changed:
a build writes its new and changed entries to a new pack, and the cache's header (cache.py,
replaced atomically) says which blocks of which packs hold which entries. Packs the header does
not name are deleted after it is written, so a build killed at any moment leaves the previous
header and every pack it names intact. Packs mostly garbage, or too many, are written again.
"""

from __future__ import annotations

import contextlib
import copyreg
import io
import os
import pickle
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path, PosixPath
from typing import Any, BinaryIO, Protocol, cast

PREFIX, SUFFIX = "episodes-", ".pack"
#: Entries pickled together: 50 to 200 load fastest (10,000 entries of the benchmark).
BLOCK = 128
#: More packs than this are merged: all but the one with the most entries written again.
MAX_PACKS = 8
#: (pack name, offset, length, each entry's key by position: "" for an entry no longer used)
Block = tuple[str, int, int, tuple[str, ...]]


class Holder(Protocol):
    """What packs fill and read (cache.BuildCache): entries by key, and where they lie."""

    episodes: dict[str, Any]
    blocks: list[Block]  # as loaded or saved
    packed: dict[str, tuple[int, int, object]]  # by key: (block, position, entry as loaded)
    packs: dict[str, tuple[int, ...]]  # by name: (size, inode, mtime) as loaded or written


def read_packs(folder: Path, stored: dict[str, Any], cache: Holder) -> None:
    """Unpickle the entries the header `stored` names into `cache`, with where each lies.

    Raises:
        ValueError: a pack is not the size the header says, or a block not what it says.
        OSError: a pack is missing or unreadable.
    """
    sizes = cast(dict[str, int], stored["packs"])
    fds: dict[str, int] = {}
    try:
        for name, size in sizes.items():
            if not is_pack(name):
                raise ValueError("not a pack name")
            fds[name] = fd = os.open(folder / name, os.O_RDONLY)
            stat = os.fstat(fd)
            if stat.st_size != size:
                raise ValueError("a pack of another size")
            cache.packs[name] = (stat.st_size, stat.st_ino, stat.st_mtime_ns)
        for index, (name, offset, length, keys) in enumerate(stored["blocks"]):
            if min(offset, length) < 0 or offset + length > sizes[name]:
                raise ValueError("a block out of its pack")
            entries = pickle.loads(os.pread(fds[name], length, offset))
            if not isinstance(entries, list) or len(entries) != len(keys):
                raise ValueError("a block of other entries")
            for position, key in enumerate(keys):
                if key:
                    cache.episodes[key] = entry = entries[position]
                    cache.packed[key] = (index, position, entry)
            cache.blocks.append((name, offset, length, tuple(keys)))
    finally:
        for fd in fds.values():
            os.close(fd)


def write_packs(
    folder: Path, cache: Holder, live: dict[str, Any]
) -> tuple[list[Block], dict[str, tuple[int, ...]]]:
    """Write the entries of `live` that lie in no pack (new, changed, or in a pack merged
    away) to a new pack; the blocks and packs that hold `live` after, also set in `cache`."""
    valid = {name for name, identity in cache.packs.items() if _identity(folder / name) == identity}
    slots: dict[int, list[str]] = {}  # kept blocks: each entry's key by position
    fresh: list[str] = []
    for key, entry in live.items():
        found = cache.packed.get(key)
        if found is None or found[2] is not entry or cache.blocks[found[0]][0] not in valid:
            fresh.append(key)
            continue
        keys = slots.setdefault(found[0], [""] * len(cache.blocks[found[0]][3]))
        keys[found[1]] = key
    again = _merged(cache.blocks, slots, valid, bool(fresh))
    for index in sorted(slots):
        if cache.blocks[index][0] in again:
            fresh.extend(key for key in slots.pop(index) if key)
    blocks = [(*cache.blocks[index][:3], tuple(keys)) for index, keys in sorted(slots.items())]
    if fresh:
        blocks.extend(_write_pack(folder, [(key, live[key]) for key in fresh]))
    packs = {name: _identity(folder / name) for name in dict.fromkeys(b[0] for b in blocks)}
    cache.blocks = blocks
    cache.packs = packs
    cache.packed = {
        key: (index, position, live[key])
        for index, block in enumerate(blocks)
        for position, key in enumerate(block[3])
        if key
    }
    return blocks, packs


def _merged(
    blocks: list[Block], slots: dict[int, list[str]], valid: set[str], adding: bool
) -> set[str]:
    """The packs whose entries still used are to be written again: those over a quarter
    garbage, and when more than MAX_PACKS would remain, all but the one with the most."""
    total: dict[str, int] = dict.fromkeys(valid, 0)
    used: dict[str, int] = dict.fromkeys(valid, 0)
    for index, block in enumerate(blocks):
        if block[0] in total:
            total[block[0]] += len(block[3])
            used[block[0]] += sum(map(bool, slots.get(index, ())))
    again = {name for name in total if used[name] * 4 < total[name] * 3}
    kept = sorted((name for name in total if name not in again), key=lambda n: -used[n])
    if len(kept) + adding > MAX_PACKS:
        again.update(kept[1:])
    return again


def _write_pack(folder: Path, entries: list[tuple[str, Any]]) -> Iterator[Block]:
    """A new pack of `entries`, written whole before any header names it (its blocks)."""
    name = f"{PREFIX}{secrets.token_hex(8)}{SUFFIX}"
    path = folder / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    written: list[Block] = []
    try:
        with os.fdopen(fd, "wb") as stream:
            at = 0
            for start in range(0, len(entries), BLOCK):
                part = entries[start : start + BLOCK]
                data = io.BytesIO()
                pickler(data).dump([entry for _key, entry in part])
                stream.write(data.getbuffer())
                length = len(data.getbuffer())
                written.append((name, at, length, tuple(key for key, _entry in part)))
                at += length
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise
    return iter(written)


def _identity(path: Path) -> tuple[int, ...]:
    try:
        stat = path.stat()
    except OSError:
        return ()
    return (stat.st_size, stat.st_ino, stat.st_mtime_ns)


def is_pack(name: str) -> bool:
    return name.startswith(PREFIX) and name.endswith(SUFFIX) and "/" not in name


def drop_unused(folder: Path, packs: set[str], header: str) -> None:
    """Delete the packs not in `packs`, and temporary headers a killed build left."""
    for entry in os.scandir(folder):
        name = entry.name
        unused = is_pack(name) and name not in packs
        if unused or (name.startswith(f".{header}.") and name.endswith(".tmp")):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def posix_path(text: str) -> Path:
    """A Path from its text, without parsing it again where Python 3.11 allows (pickle
    rebuilds 20,000 of them for a cache of 10,000 episodes: half its load time)."""
    if _FROM_PARTS is None or not text or text == "." or "//" in text:
        return Path(text)
    if text[0] == "/":
        parts = ["/", *text[1:].split("/")] if text != "/" else ["/"]
        path = cast(Path, _FROM_PARTS("", "/", parts))
    else:
        path = cast(Path, _FROM_PARTS("", "", text.split("/")))
    # its text, as str() would make it again from the parts (a build asks for the text of
    # each of 30,000: 1 µs each)
    path._str = text  # type: ignore[attr-defined]
    return path


_FROM_PARTS = (
    getattr(PosixPath, "_from_parsed_parts", None)
    if sys.version_info[:2] == (3, 11) and os.name == "posix"
    else None
)


def _reduce_path(path: PosixPath) -> tuple[Any, tuple[str]]:
    return posix_path, (str(path),)


def pickler(stream: BinaryIO) -> pickle.Pickler:
    """A pickler that writes Paths as their text, rebuilt by posix_path."""
    made = pickle.Pickler(stream, protocol=pickle.HIGHEST_PROTOCOL)
    made.dispatch_table = {**copyreg.dispatch_table, PosixPath: _reduce_path}
    return made
