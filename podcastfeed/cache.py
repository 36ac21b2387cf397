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

FORMAT = 6  # 2: audio entries are lock.Probe; 3: the digest of the last checked build;
# 4: the items checked, by key (incremental.py); 5: episode files' keys by file identity;
# 6: each episode pickled on its own, so that an unchanged one is saved as it was loaded
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
    # each episode's pickled bytes as loaded, with the entry they made (saved again as they
    # are while `episodes` holds that entry: 10,000 episodes are not pickled again for one)
    packed: dict[str, tuple[bytes, object]] = field(default_factory=dict, repr=False)
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
            stored = pickle.load(stream)
        raw = stored.get("episodes", {}) if isinstance(stored, dict) else {}
        episodes = {key: pickle.loads(data) for key, data in raw.items()}
    except FileNotFoundError:
        return BuildCache(fingerprint), None
    except Exception as exc:
        return BuildCache(
            fingerprint
        ), f"{path}: unreadable build cache ({type(exc).__name__}); rebuilding"
    if (
        not isinstance(stored, dict)
        or stored.get("format") != FORMAT
        or stored.get("version") != code_key()
    ):
        return BuildCache(fingerprint), None
    if stored.get("fingerprint") != fingerprint:
        return BuildCache(fingerprint, audio=stored.get("audio", {})), None
    found = BuildCache(fingerprint, episodes, stored.get("audio", {}))
    found.packed = {key: (raw[key], entry) for key, entry in episodes.items()}
    found.checked_channel = str(stored.get("checked_channel", ""))
    found.identities = dict(stored.get("identities", {}))
    found.trusted_before = int(stored.get("started", 0)) - RACY_NS
    found.checked_items = set(stored.get("checked_items", ()))
    found.digests = dict(stored.get("digests", {}))
    return found, None


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
    data = {
        "format": FORMAT,
        "version": code_key(),
        "fingerprint": cache.fingerprint,
        "episodes": {
            key: _packed(cache, key, entry)
            for key, entry in cache.episodes.items()
            if key in cache.used_episodes
        },
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
    # streamed to the file: no second copy of the cache in memory
    with atomic_writer(folder / FILE_NAME, durable=False) as stream:
        _pickler(stream).dump(data)


def _packed(cache: BuildCache, key: str, entry: object) -> bytes:
    """An episode's entry pickled: as it was loaded, when it is still that entry."""
    found = cache.packed.get(key)
    if found is not None and found[1] is entry:
        return found[0]
    stream = io.BytesIO()
    _pickler(stream).dump(entry)
    return stream.getvalue()


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
