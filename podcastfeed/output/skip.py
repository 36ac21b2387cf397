"""A rebuild with nothing changed does nothing (issue 18).

After a build has written its files, `record` keeps in the cache folder (`noop.json`) what the
build was made of and what it left on disk, by file identity (size, mtime, ctime, inode: the
stat fields a write always changes):

- its inputs: feed.toml (by content), every file and folder under the episodes folder that
  discovery walks (a file added or removed changes its folder's times), the templates folder,
  and the local files the show and its episodes name outside them (audio, transcripts,
  chapters, artwork, and where an `image` that names no file yet would appear);
- the options that change what is built (`--include-future`, `--no-check`, `-o`, ...), the
  podcastfeed version and code, and the first instant at which the clock alone changes the feed (a
  scheduled episode's date, an expiry date);
- its outputs: the feed, the lock, the manifest and every file the manifest lists.

`current` answers, with a few thousand `stat` calls and no parsing, whether all of that is
as recorded; then the build's result is known already (the CLI prints the recorded warnings
and summary). Anything else (a missing, corrupt or old record, one field that differs, what a
build killed while writing left: commit.py's journal or a temporary file) means a full build.
A file changed within a second of the build that recorded it is not trusted to show its change
in its times (file systems stamp with a coarse clock): no record is written then, and the next
build is a full one. (Only the mtime is judged so: a later change that
kept both the size and a racy mtime would still have to keep the ctime, which no write does.)
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from podcastfeed.codekey import code_key
from podcastfeed.files import MANIFEST_NAME, SKIPPED, is_leftover, write_atomic
from podcastfeed.lock import LOCK_NAME
from podcastfeed.model import Episode
from podcastfeed.source.config import BuildSettings, Config

FILE_NAME = "noop.json"
FORMAT = 2  # 2: the identities of the files named digested as numbers
#: Times within this of the snapshot are not trusted (coarse file-system timestamps).
RACY_NS = 1_000_000_000


@dataclass
class Snapshot:
    """The inputs of a build as it starts: what `record` keeps and `current` compares."""

    key: str  # options, version and feed.toml's content
    inputs: str  # digest of the identities of the files and folders read
    taken_ns: int  # when (the clock files are stamped with)
    newest_ns: int  # the newest mtime among them
    settings: BuildSettings = field(repr=False)


@dataclass(frozen=True)
class Replay:
    """What the CLI prints for a build that had nothing to do."""

    lines: list[str]  # warnings and notes, as the build printed them
    warnings: int
    notes: list[str]  # report.notes
    published: int
    drafts: int
    scheduled: int
    target: str


def _identity(stat: os.stat_result) -> tuple[int, int, int, int]:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def _walk(folder: Path, digest: Any, *, like_discovery: bool) -> int:
    """Feed `digest` with every folder and file under `folder` and its identity; returns the
    newest time among them. `like_discovery` skips what episode discovery skips (hidden and
    `_` folders, folders holding a manifest). Listing order is the file system's: a folder
    listed in another order only costs a full build."""
    newest = 0
    todo = [str(folder)]
    seen: set[tuple[int, int]] = set()  # folders walked: a link back up is not walked again
    while todo:
        current = todo.pop()
        numbers = array("q")
        try:
            found = os.stat(current)
            entries = list(os.scandir(current))
        except OSError:
            digest.update(f"{current}\0missing\n".encode("utf-8", "surrogatepass"))
            continue
        if (found.st_dev, found.st_ino) in seen:
            continue
        seen.add((found.st_dev, found.st_ino))
        numbers.extend(_identity(found))
        names = [current]
        inner = like_discovery and current != str(folder)
        if inner and any(e.name == MANIFEST_NAME for e in entries):
            continue
        for entry in entries:
            try:  # (discovery does not enter a linked folder; a template may be in one)
                is_dir = entry.is_dir(follow_symlinks=not like_discovery)
            except OSError:  # a link that loops or leads nowhere: no folder to walk
                is_dir = False
            if is_dir:
                if not (like_discovery and entry.name.startswith(SKIPPED)):
                    todo.append(entry.path)
                continue
            try:
                stat = entry.stat()
            except OSError:
                continue
            names.append(entry.name)
            numbers.extend((stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino))
        digest.update("\0".join(names).encode("utf-8", "surrogatepass") + b"\n")
        digest.update(numbers.tobytes())
        if len(numbers) > 4:  # the files' (a folder's own times change with its entries,
            newest = max(newest, max(numbers[5::4]))  # which are in the digest by name)
    return newest


def take(settings: BuildSettings, options: Iterable[object]) -> Snapshot:
    """The snapshot of a build's inputs, taken before the build reads them."""
    taken = time.time_ns()
    try:
        config = settings.config_path.read_bytes()
    except OSError:
        config = b""
    key = hashlib.blake2b(
        repr((FORMAT, code_key(), tuple(options), str(settings.config_path))).encode()
        + b"\0"
        + config,
        digest_size=20,
    ).hexdigest()
    digest = hashlib.blake2b(digest_size=20)
    newest = _walk(settings.episodes_dir, digest, like_discovery=True)
    if settings.templates_dir is not None:
        newest = max(newest, _walk(settings.templates_dir, digest, like_discovery=False))
    return Snapshot(key, digest.hexdigest(), taken, newest, settings)


def _stats(paths: Iterable[Path | str], known: Mapping[str, Sequence[int]] | None = None) -> str:
    """A digest of the identities of `paths` (a missing file counts as such); `known`: those
    of some of them, found already (size, mtime, ctime, inode)."""
    names: list[str] = []
    numbers = array("q")  # four numbers a path (no text made of each: 30,000 paths)
    stat = os.stat
    for path in paths:
        name = str(path)
        names.append(name)
        if known is not None and (given := known.get(name)) is not None:
            numbers.extend(given)
            continue
        try:
            found = stat(path)
        except OSError:
            numbers.extend((-1, -1, -1, -1))  # missing (no file has a negative size)
            continue
        numbers.extend((found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino))
    digest = hashlib.blake2b(digest_size=20)
    digest.update("\0".join(names).encode("utf-8", "surrogatepass") + b"\n")
    digest.update(numbers.tobytes())
    return digest.hexdigest()


def _outputs(settings: BuildSettings, feed: Path) -> list[str] | None:
    """Every file the last build left: the feed, its manifest and what it lists, the lock."""
    folder = feed.parent
    try:
        data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
        names = [str(name) for name in data["files"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    found = [str(folder / MANIFEST_NAME), str(settings.root / LOCK_NAME), str(feed)]
    top, join, norm = str(folder), os.path.join, os.path.normpath  # (strings: 10,000 pages)
    return found + [norm(join(top, name)) for name in names]


def externals(config: Config, episodes: Iterable[Episode]) -> list[str]:
    """The local files the show and its episodes name outside the folders the snapshot walks:
    audio, transcripts, chapters, artwork, and where a relative `image` that names no file
    yet would be found in the show's folder (so that adding it is seen)."""
    settings = config.build
    walked = [str(settings.episodes_dir) + os.sep]
    if settings.templates_dir is not None:
        walked.append(str(settings.templates_dir) + os.sep)
    paths: list[Path | str | None] = [
        config.show.image_file.source if config.show.image_file else None
    ]
    root = str(settings.root)
    for episode in episodes:
        tags = episode.tags
        paths.append(episode.audio.path if episode.audio else None)
        if tags.transcripts:
            paths += [t.source for t in tags.transcripts]
        paths.append(tags.chapters.source if tags.chapters else None)
        if tags.alternate_enclosures:
            paths += [alt.path for alt in tags.alternate_enclosures]
        paths.append(episode.image_file.source if episode.image_file else None)
        if episode.image_ref and not episode.image_file:
            paths.append(os.path.normpath(os.path.join(root, episode.image_ref)))
    outside = tuple(walked)
    found = {text for p in paths if p is not None and not (text := str(p)).startswith(outside)}
    return sorted(found)


def record(
    snapshot: Snapshot,
    feed: Path,
    replay: Replay,
    external: Callable[[], list[str]],
    valid_until: datetime | None,
    written: Callable[[Path], Mapping[str, Sequence[int]]] | None = None,
) -> None:
    """Keep what a build that has just written its files was made of (see the module
    docstring); nothing when an input changed too recently to be told apart by its times.

    Args:
        external: makes the list of the local files named outside the folders walked
            (externals); not called when no record is kept.
        written: the identities of outputs as the build found or wrote them, given the feed
            (no stat of their own: a file changed since then only costs the next build a
            full one).
    """
    settings = snapshot.settings
    path = settings.cache_dir / FILE_NAME
    with contextlib.suppress(OSError):
        path.unlink()  # whatever happens next, an older record no longer describes the files
    if snapshot.newest_ns >= snapshot.taken_ns - RACY_NS:
        return  # (before anything is read: an episode added just now, the common case)
    feed = Path(os.path.abspath(feed))
    outputs = _outputs(settings, feed)
    if outputs is None:
        return
    names = external()
    for name in names:
        try:
            stat = os.stat(name)
        except OSError:
            continue
        if stat.st_mtime_ns >= snapshot.taken_ns - RACY_NS:
            return
    data = {
        "format": FORMAT,
        "key": snapshot.key,
        "inputs": snapshot.inputs,
        "external": names,
        "external_stats": _stats(names),
        "outputs": outputs,
        "output_stats": _stats(outputs, written(feed) if written is not None else None),
        "valid_until": valid_until.isoformat() if valid_until else None,
        "replay": replay.__dict__,
    }
    with contextlib.suppress(OSError):
        if settings.cache_dir.is_dir():
            write_atomic(path, json.dumps(data).encode("utf-8"), durable=False)


def _left_over(folders: Iterable[Path | str]) -> bool:
    """Whether a build killed while writing left its journal or temporary files in the feed's
    folder (the manifest's, the first output) or the cache folder (one that was not recorded:
    `--no-cache`, `--refresh`, `--include-future` ...); they are below only beside a journal."""
    for folder in folders:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        if any(is_leftover(name) for name in names):
            return True
    return False


def current(snapshot: Snapshot, now: datetime) -> tuple[Replay | None, str | None]:
    """The recorded result when nothing the build depends on changed since it was recorded
    (else None), and a note when the record could not be read."""
    path = snapshot.settings.cache_dir / FILE_NAME
    try:
        data: Any = json.loads(path.read_bytes())
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return None, None
        if data["key"] != snapshot.key or data["inputs"] != snapshot.inputs:
            return None, None
        until = data["valid_until"]
        if until is not None and now >= datetime.fromisoformat(until):
            return None, None
        if _stats(data["external"]) != data["external_stats"]:
            return None, None
        if _stats(data["outputs"]) != data["output_stats"]:
            return None, None
        if _left_over((os.path.dirname(data["outputs"][0]), snapshot.settings.cache_dir)):
            return None, None  # the full build finishes or undoes what a killed one left
        return Replay(**data["replay"]), None
    except FileNotFoundError:
        return None, None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return None, f"{path}: unreadable ({type(exc).__name__}), ignored; building"
