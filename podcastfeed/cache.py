"""The local build cache (git-ignored): parsed episodes by file content, probes by file identity.

A rebuild with nothing changed skips YAML, Markdown, sanitizing and probing. The cache is only
ever a shortcut: a missing, corrupt or old-format cache is rebuilt, never trusted.
"""

from __future__ import annotations

import contextlib
import copyreg
import hashlib
import io
import os
import pickle
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path, PosixPath
from typing import Any, BinaryIO, cast

from podcastfeed.codekey import code_key
from podcastfeed.errors import Problem
from podcastfeed.files import atomic_writer
from podcastfeed.lock import Probe
from podcastfeed.model import Episode

FORMAT = 7  # 2: audio entries are lock.Probe; 3: the digest of the last checked build;
# 4: the items checked, by key (incremental.py); 5: episode files' keys by file identity;
# 6: each episode pickled on its own, so that an unchanged one is saved as it was loaded;
# 7: the episodes first, one after the other, then the rest (with where each episode lies),
# then TRAILER: written and read one episode at a time, never the whole cache in memory
#: The file's last bytes: this magic, then the offset of the header pickle (8 bytes, little end).
TRAILER = b"podcastfeed-cache-7"
#: Files whose mtime is within this of the build that recorded them are read again (file
#: systems stamp times with a coarse clock: a write just after the stat may keep the mtime).
RACY_NS = 1_000_000_000
FILE_NAME = "build.pickle"


@dataclass
class BuildCache:
    """What one build learned, for the next one."""

    fingerprint: str = ""
    episodes: dict[str, tuple[Episode, tuple[Problem, ...]]] = field(default_factory=dict)
    audio: dict[str, Probe] = field(default_factory=dict)
    checked_channel: str = ""  # the channel's context when the items below passed the check
    checked_items: set[str] = field(default_factory=set)  # items that passed the error rules
    # digests of each cached episode as parsed, by content key: of its fields but notes,
    # description and tags, and of its tags (output/fragments.episode_keys)
    digests: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)
    # where each episode's pickled bytes lie in the file as loaded (offset, length), with the
    # entry they made: copied from that file while `episodes` holds that entry and the file is
    # the one loaded (`loaded`: its identity), so 10,000 episodes are not pickled again for one
    packed: dict[str, tuple[int, int, object]] = field(default_factory=dict, repr=False)
    loaded: tuple[int, ...] = field(default=(), repr=False)
    used_episodes: set[str] = field(default_factory=set, repr=False)
    used_audio: set[str] = field(default_factory=set, repr=False)
    keys: dict[Path, str] = field(default_factory=dict, repr=False)  # this build's content keys
    # an episode file's identity (size, mtime, ctime, inode) and content key, by name: a file
    # whose identity is as recorded (and older than `trusted_before`) is not read to be known
    identities: dict[str, tuple[tuple[int, ...], str]] = field(default_factory=dict, repr=False)
    trusted_before: int = 0  # ns: when the build that recorded them began, less RACY_NS
    started: int = field(default_factory=time.time_ns, repr=False)  # ns: this build's start
    changed: bool = False
    usable: bool = True  # False: the folder is a file or not writable; never saved


def content_key(relative: str, data: bytes) -> str:
    return relative + "\0" + hashlib.blake2b(data, digest_size=20).hexdigest()


def file_key(path: Path) -> str:
    """Local audio is known by path, size and mtime: cheap, and exact enough for a local cache."""
    stat = path.stat()
    return f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}"


def load(folder: Path, fingerprint: str) -> tuple[BuildCache, str | None]:
    """The cache for this configuration, and a warning when an unusable one was found."""
    problem = unusable(folder)
    if problem:
        return BuildCache(fingerprint, usable=False), f"{folder}: {problem}; building without it"
    path = folder / FILE_NAME
    try:
        with path.open("rb") as stream:
            stored, index, identity = _read(stream)
            # the header first: episodes another version or configuration made are not unpickled
            if stored.get("format") != FORMAT or stored.get("version") != code_key():
                return BuildCache(fingerprint), None
            if stored.get("fingerprint") != fingerprint:
                return BuildCache(fingerprint, audio=stored.get("audio", {})), None
            episodes = {}
            for key, (offset, length) in index.items():
                stream.seek(offset)
                episodes[key] = pickle.loads(stream.read(length))
    except (FileNotFoundError, _OtherFormat):
        return BuildCache(fingerprint), None
    except Exception as exc:
        return BuildCache(
            fingerprint
        ), f"{path}: unreadable build cache ({type(exc).__name__}); rebuilding"
    found = BuildCache(fingerprint, episodes, stored.get("audio", {}))
    found.packed = {key: (*index[key], entry) for key, entry in episodes.items()}
    found.loaded = identity
    found.checked_channel = str(stored.get("checked_channel", ""))
    found.identities = dict(stored.get("identities", {}))
    found.trusted_before = int(stored.get("started", 0)) - RACY_NS
    found.checked_items = set(stored.get("checked_items", ()))
    found.digests = dict(stored.get("digests", {}))
    return found, None


class _OtherFormat(Exception):
    """The file is no cache of this format (an older podcastfeed's): rebuilt without a word."""


def _read(stream: BinaryIO) -> tuple[dict[str, Any], dict[str, tuple[int, int]], tuple[int, ...]]:
    """The header, where each episode lies, and the file's identity."""
    stat = os.fstat(stream.fileno())
    end = len(TRAILER) + 8
    stream.seek(max(stat.st_size - end, 0))
    tail = stream.read(end)
    if not tail.startswith(TRAILER):  # an older format's one pickle is rebuilt without a word
        stream.seek(0)
        if isinstance(pickle.load(stream), dict):  # anything else is damage, said
            raise _OtherFormat
        raise ValueError("not a build cache")
    header_at = int.from_bytes(tail[len(TRAILER) :], "little")
    if not 0 <= header_at < stat.st_size - end:
        raise ValueError("header offset out of the file")
    stream.seek(header_at)
    stored = pickle.load(stream)
    if not isinstance(stored, dict):
        raise _OtherFormat
    index: dict[str, tuple[int, int]] = {}
    for key, offset, length in stored.pop("episodes", ()):
        if min(offset, length) < 0 or offset + length > header_at:
            raise ValueError("episode entry out of the file")
        index[key] = (offset, length)
    return stored, index, (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def unusable(folder: Path) -> str | None:
    """Why the cache folder cannot be used (issue 12: a file of that name was a traceback)."""
    if folder.exists() and not folder.is_dir():
        return "the cache folder is a file"
    if folder.is_dir() and not os.access(folder, os.R_OK | os.W_OK | os.X_OK):
        return "the cache folder is not writable"
    return None


def save(folder: Path, cache: BuildCache) -> None:
    """Keep what this build used (so deleted files do not pile up), if anything changed.
    A cache that cannot be written is skipped: it is only ever a shortcut."""
    if not cache.usable:
        return
    with contextlib.suppress(OSError):  # the next load() warns if the folder stays unusable
        _save(folder, cache)


def _save(folder: Path, cache: BuildCache) -> None:
    stale = len(cache.used_episodes) < len(cache.episodes) or len(cache.used_audio) < len(
        cache.audio
    )
    if not cache.changed and not stale:
        return
    header = {
        "format": FORMAT,
        "version": code_key(),
        "fingerprint": cache.fingerprint,
        "audio": {k: v for k, v in cache.audio.items() if k in cache.used_audio},
        "checked_channel": cache.checked_channel,
        "checked_items": cache.checked_items,
        "digests": {k: v for k, v in cache.digests.items() if k in cache.used_episodes},
        "identities": cache.identities,
        "started": cache.started,
    }
    folder.mkdir(parents=True, exist_ok=True)
    gitignore = folder / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("*\n", encoding="utf-8")
    path = folder / FILE_NAME
    old = _same_file(path, cache.loaded)
    try:
        # streamed: one episode at a time, no second copy of the cache in memory
        with atomic_writer(path, durable=False) as stream:
            index, at = [], 0
            run = [0, 0]  # bytes of the file loaded still to copy: [offset, length]
            for key, entry in cache.episodes.items():
                if key not in cache.used_episodes:
                    continue
                found = cache.packed.get(key)
                if old is not None and found is not None and found[2] is entry:
                    # as loaded: copied from that file, runs of them at once (issue 18)
                    if run[1] and run[0] + run[1] != found[0]:
                        _copy(old, stream, *run)
                        run = [found[0], 0]
                    elif not run[1]:
                        run[0] = found[0]
                    run[1] += found[1]
                    index.append((key, at, found[1]))
                    at += found[1]
                    continue
                if run[1]:
                    _copy(old, stream, *run)
                    run = [0, 0]
                data = io.BytesIO()
                _pickler(data).dump(entry)
                stream.write(data.getbuffer())
                index.append((key, at, len(data.getbuffer())))
                at += len(data.getbuffer())
            if run[1]:
                _copy(old, stream, *run)
            _pickler(stream).dump({**header, "episodes": index})
            stream.write(TRAILER + at.to_bytes(8, "little"))
    finally:
        if old is not None:
            os.close(old)


def _same_file(path: Path, identity: tuple[int, ...]) -> int | None:
    """The cache file as loaded, open for reading, or None (none was loaded, or it changed)."""
    if not identity:
        return None
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    stat = os.fstat(fd)
    if (stat.st_ino, stat.st_size, stat.st_mtime_ns) != identity:
        os.close(fd)
        return None
    return fd


def _copy(source: int | None, stream: BinaryIO, offset: int, length: int) -> None:
    """Append `length` bytes of the file `source` from `offset` to `stream`: in the kernel
    where it can (copy_file_range), else read and written.

    Raises:
        OSError: the file loaded is shorter than it was (the cache is not saved).
    """
    assert source is not None
    stream.flush()
    end = offset + length
    with contextlib.suppress(OSError, AttributeError):  # no copy_file_range: read below
        while offset < end:
            done = os.copy_file_range(source, stream.fileno(), end - offset, offset)
            if done <= 0:
                break
            offset += done
    while offset < end:
        data = os.pread(source, min(end - offset, 1 << 20), offset)
        if not data:
            raise OSError("the build cache changed while it was saved")
        stream.write(data)
        offset += len(data)


def posix_path(text: str) -> Path:
    """A Path from its text, without parsing it again where Python 3.11 allows (pickle
    rebuilds 20,000 of them for a cache of 10,000 episodes: half its load time)."""
    if _FROM_PARTS is None or not text or text == "." or "//" in text:
        return Path(text)
    if text[0] == "/":
        parts = ["/", *text[1:].split("/")] if text != "/" else ["/"]
        return cast(Path, _FROM_PARTS("", "/", parts))
    return cast(Path, _FROM_PARTS("", "", text.split("/")))


_FROM_PARTS = (
    getattr(PosixPath, "_from_parsed_parts", None)
    if sys.version_info[:2] == (3, 11) and os.name == "posix"
    else None
)


def _reduce_path(path: PosixPath) -> tuple[Any, tuple[str]]:
    return posix_path, (str(path),)


def _pickler(stream: BinaryIO) -> pickle.Pickler:
    pickler = pickle.Pickler(stream, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, PosixPath: _reduce_path}
    return pickler
