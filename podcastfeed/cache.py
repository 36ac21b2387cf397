"""The local build cache (git-ignored): parsed episodes by file content, probes by file identity.

A rebuild with nothing changed skips YAML, Markdown, sanitizing and probing. The cache is only
ever a shortcut: a missing, corrupt or old-format cache is rebuilt, never trusted.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from podcastfeed.codekey import code_key
from podcastfeed.errors import Problem
from podcastfeed.files import atomic_writer
from podcastfeed.lock import Probe
from podcastfeed.model import Episode
from podcastfeed.packs import Block, drop_unused, pickler, read_packs, write_packs
from podcastfeed.packs import posix_path as posix_path  # where source/discovery.py finds it

FORMAT = 8  # 2: audio entries are lock.Probe; 3: the digest of the last checked build;
# 4: the items checked, by key (incremental.py); 5: episode files' keys by file identity;
# 6: each episode pickled on its own, so that an unchanged one is saved as it was loaded;
# 7: the episodes first, one after the other, then the rest, then TRAILER (one file);
# 8: FILE_NAME holds the rest and names where the episodes lie: blocks of immutable pack files
# (packs.py), so that a build writes only its new and changed episodes (issue 18)
#: Format 7's file ended with this, then "7" and 8 bytes: rebuilt without a word.
OLD_TRAILER = b"podcastfeed-cache-"
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
    # description and tags, and of its tags (output/episodekeys.episode_keys)
    digests: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)
    # where each episode's entry lies on disk (packs.py): the blocks as loaded or saved, each
    # entry's (block, position, entry as loaded) by key, and the packs' identities by name
    blocks: list[Block] = field(default_factory=list, repr=False)
    packed: dict[str, tuple[int, int, object]] = field(default_factory=dict, repr=False)
    packs: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False)
    used_episodes: set[str] = field(default_factory=set, repr=False)
    used_audio: set[str] = field(default_factory=set, repr=False)
    keys: dict[Path, str] = field(default_factory=dict, repr=False)  # this build's content keys
    # an episode file's identity (size, mtime, ctime, inode) and content key, by name: a file
    # whose identity is as recorded (and older than `trusted_before`) is not read to be known;
    # nor is local audio probed again (`audio`, by file_key) on the same terms
    identities: dict[str, tuple[tuple[int, ...], str]] = field(default_factory=dict, repr=False)
    trusted_before: int = 0  # ns: when the build that recorded them began, less RACY_NS
    started: int = field(default_factory=time.time_ns, repr=False)  # ns: this build's start
    changed: bool = False
    usable: bool = True  # False: the folder is a file or not writable; never saved


def content_key(relative: str, data: bytes) -> str:
    return relative + "\0" + hashlib.blake2b(data, digest_size=20).hexdigest()


def file_key(path: Path, stat: os.stat_result | None = None) -> str:
    """Local audio is known by path and identity (size, mtime, ctime, inode: a copy over it
    that keeps the size and sets the mtime back still changes the ctime); `stat`: the file's,
    when the caller has it."""
    stat = stat or path.stat()
    return f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}\0{stat.st_ino}"


def load(folder: Path, fingerprint: str) -> tuple[BuildCache, str | None]:
    """The cache for this configuration, and a warning when an unusable one was found."""
    problem = unusable(folder)
    if problem:
        return BuildCache(fingerprint, usable=False), f"{folder}: {problem}; building without it"
    path = folder / FILE_NAME
    try:
        stored = _read_header(path)
        # the header first: episodes another version or configuration made are not unpickled
        if stored.get("format") != FORMAT or stored.get("version") != code_key():
            return BuildCache(fingerprint), None
        found = BuildCache(fingerprint, audio=stored.get("audio", {}))
        found.trusted_before = int(stored.get("started", 0)) - RACY_NS
        if stored.get("fingerprint") != fingerprint:
            return found, None
        _unpickled(folder, stored, found)
    except _OtherFormat:
        return BuildCache(fingerprint), None
    except IsADirectoryError:  # made by hand: an empty one is replaced by the save
        kept = "delete it" if any(path.iterdir()) else "rebuilding"
        return BuildCache(fingerprint), f"{path}: a folder, not the build cache; {kept}"
    except Exception as exc:
        return BuildCache(
            fingerprint
        ), f"{path}: unreadable build cache ({type(exc).__name__}); rebuilding"
    found.checked_channel = str(stored.get("checked_channel", ""))
    found.identities = dict(stored.get("identities", {}))
    found.checked_items = set(stored.get("checked_items", ()))
    found.digests = dict(stored.get("digests", {}))
    return found, None


def _unpickled(folder: Path, stored: dict[str, Any], found: BuildCache) -> None:
    """The entries into `found`, with no collection while they are made, then frozen
    (gc.freeze) until save(): a build holds them to its end and they hold no cycles, so
    collections would traverse 400,000 objects for nothing (issue 18: 0.06-0.1 s of a
    one-new-episode build of 10,000). Not where the garbage collector is off, or something
    else froze objects (thawing them is theirs to do)."""
    _thaw()
    if not gc.isenabled() or gc.get_freeze_count():
        read_packs(folder, stored, found)
        return
    gc.disable()
    try:
        read_packs(folder, stored, found)
        gc.freeze()  # (not when it raised: that cache is dropped)
        _FROZEN[0] = True
    finally:
        gc.enable()


#: load() froze the objects and no save() thawed them yet (a build that failed between them
#: leaves them to the next load() or save()).
_FROZEN = [False]


def _thaw() -> None:
    if _FROZEN[0]:
        gc.unfreeze()
        _FROZEN[0] = False


class _OtherFormat(Exception):
    """No cache of this format (none, or an older podcastfeed's): rebuilt without a word."""


def _read_header(path: Path) -> dict[str, Any]:
    try:
        stream = path.open("rb")
    except FileNotFoundError:
        raise _OtherFormat from None
    with stream:
        size = os.fstat(stream.fileno()).st_size
        stream.seek(max(size - len(OLD_TRAILER) - 9, 0))
        if stream.read(len(OLD_TRAILER)) == OLD_TRAILER:  # format 7: one file, its header last
            raise _OtherFormat
        stream.seek(0)
        stored = pickle.load(stream)
    if not isinstance(stored, dict):
        raise ValueError("not a build cache")
    return stored


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
    _thaw()  # what load() froze can be collected again
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
    folder.mkdir(parents=True, exist_ok=True)
    gitignore = folder / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("*\n", encoding="utf-8")
    with contextlib.suppress(OSError):
        os.rmdir(folder / FILE_NAME)  # an empty folder in the way: no one's
    if (folder / FILE_NAME).is_dir():
        return  # one with files in it: load() says so; no new pack that nothing would name
    live = {key: cache.episodes[key] for key in cache.episodes if key in cache.used_episodes}
    # the new and changed entries go to a new pack, the rest stay where they are (packs.py)
    blocks, packs = write_packs(folder, cache, live)
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
        "packs": {name: identity[0] for name, identity in packs.items()},
        "blocks": blocks,
    }
    with atomic_writer(folder / FILE_NAME, durable=False) as stream:
        pickler(stream).dump(header)
    # only now are the packs the header no longer names unused: a build killed before this
    # leaves them to the next save (kill -9 at any moment leaves a cache that loads)
    drop_unused(folder, set(packs), FILE_NAME)
