"""Reading every episode file of a show: through the build cache (a file whose content is
unchanged is not parsed again), in worker processes when many files changed.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from podcastfeed import cache
from podcastfeed.errors import EpisodeError, Problem
from podcastfeed.files import relative_name
from podcastfeed.model import Episode
from podcastfeed.pools import map_in_workers
from podcastfeed.source.config import Config
from podcastfeed.source.discovery import (
    EPISODE_SUFFIXES,
    LINKED_FOLDER,
    find_episodes_and_siblings,
)
from podcastfeed.source.episodes import read_episode
from podcastfeed.source.fields import ALIASES
from podcastfeed.source.localart import episode_image
from podcastfeed.source.localref import moved
from podcastfeed.source.lookup import read_front_matter

#: Below this many files to parse, a process pool costs more than it saves.
PARALLEL_THRESHOLD = 200

#: What to do about a link to a folder of episodes (not followed).
LINKED_FOLDER_HINT = (
    "move the folder into the episodes folder, or link its episode files one by one"
)

_worker_config: Config | None = None


def _start_worker(config: Config) -> None:
    global _worker_config  # one config per worker process, sent once
    _worker_config = config  # (pools.py stops the worker when the build dies)


def _unusable_name(relative: str) -> Problem | None:
    """An error for a file whose name is not text (bytes that are not UTF-8, from an old
    archive or another system's file names): the lock, the feed's URLs and the pages name
    episodes by it, as UTF-8."""
    try:
        relative.encode("utf-8")
    except UnicodeEncodeError:
        hint = "rename it (or the folder): names go into the feed and podcastfeed.lock as UTF-8"
        message = "the file's name is not valid UTF-8"
        return EpisodeError(message, source=relative, hint=hint).to_problem()
    return None


Job = tuple[Path, tuple[str, ...], str | None]  # (file, its siblings, its name to key it)
Parsed = tuple[str | None, Episode | None, list[Problem]]


def _read_in_worker(job: Job) -> Parsed:
    assert _worker_config is not None  # set by _start_worker
    return _parse(job, _worker_config)


def _parse(job: Job, config: Config) -> Parsed:
    """read_episode; a file not keyed yet (`relative` given) is read once, for its content key
    and its parser both."""
    path, siblings, relative = job
    data, key = None, None
    if relative is not None:
        try:
            data = path.read_bytes()
        except OSError:
            pass  # read_episode reports it
        else:
            key = cache.content_key(relative, data)
    episode, found = read_episode(path, config.show, config.build, siblings, data=data)
    return key, episode, found


def read_all(
    config: Config, store: cache.BuildCache, problems: list[Problem], jobs: int
) -> tuple[list[Episode], int]:
    """Every episode of the show (drafts too), and how many files were parsed this time (the
    rest came from `store`); problems go to `problems`.

    Args:
        jobs: processes for parsing, when there are many files to parse.
    """
    settings = config.build
    unread: list[tuple[str, str]] = []
    siblings = find_episodes_and_siblings(settings.episodes_dir, unread)
    for name, why in unread:  # its episodes would be left out without a word
        hint = LINKED_FOLDER_HINT if why == LINKED_FOLDER else None
        source = relative_name(Path(name), settings.root)
        problems.append(Problem("warning", f"skipped: {why}", source=source, hint=hint))
    files = list(siblings)
    if not files:  # a folder set wrong publishes an empty feed: every listener loses the show
        where = relative_name(settings.episodes_dir, settings.root)
        suffixes = ", ".join(EPISODE_SUFFIXES)
        hint = f"episodes are {suffixes} files with front matter; [build] episodes names the folder"
        problems.append(Problem("warning", f"no episode files in {where}/", hint=hint))
    results: dict[Path, tuple[Episode | None, list[Problem]]] = {}
    todo: list[tuple[str | tuple[int, ...], Path, str]] = []  # (key, or the identity to key)
    known = store.identities
    cold = not store.episodes  # nothing to find: each file is keyed where it is parsed
    identities: dict[str, tuple[tuple[int, ...], str]] = {}
    folders = settings.source_folders  # resolved once, not once per cached episode
    # whether each image path looked for is a file: 10,000 episodes share a few
    files_found: dict[tuple[str, str], bool] = {}
    real: dict[str, str] = {}  # each folder's resolved path (localref.moved)
    for path in files:
        relative = relative_name(path, settings.root)
        if not relative.isascii() and (problem := _unusable_name(relative)):
            problems.append(problem)
            continue
        if siblings[path]:  # a transcript added beside the episode changes what it reads
            relative += "\0" + "\0".join(siblings[path])
        try:
            stat = os.stat(path)
            identity = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
            recorded = known.get(relative)
            key: str | None = None
            if recorded and recorded[0] == identity and stat.st_mtime_ns < store.trusted_before:
                key = recorded[1]  # as last read: not read again to be known (cache.py)
            elif not cold:
                key = cache.content_key(relative, path.read_bytes())
        except OSError as exc:
            problems.append(EpisodeError(f"cannot read: {exc.strerror}", source=path).to_problem())
            continue
        if key is None:
            todo.append((identity, path, relative))
            continue
        identities[relative] = (identity, key)
        store.keys[path] = key
        hit = store.episodes.get(key)
        store.used_episodes.add(key)
        if hit is not None and not moved(hit[0], folders, real):
            found = list(hit[1])
            results[path] = (_current_image(hit[0], config, folders, found, files_found), found)
        else:
            # Only the key is kept: a worker reads the file again (from the page cache), so
            # the parent never holds every file's text at once.
            todo.append((key, path, relative))
    paths = [
        (path, siblings[path], None if isinstance(key, str) else relative)
        for key, path, relative in todo
    ]
    if jobs > 1 and len(paths) >= PARALLEL_THRESHOLD:
        parsed = map_in_workers(
            _read_in_worker,
            paths,
            jobs,
            chunksize=64,
            initializer=_start_worker,
            initargs=(config,),
        )
    else:
        parsed = [_parse(job, config) for job in paths]
    for (pending, path, relative), (made, episode, found) in zip(todo, parsed, strict=True):
        results[path] = (episode, found)
        if isinstance(pending, str):
            key = pending
        elif made is None:
            continue  # not read: read_episode said why
        else:  # keyed by its parser (a cold build); `pending` is the file's identity
            identities[relative] = (pending, made)
            key = store.keys[path] = made
            store.used_episodes.add(key)
        if episode is not None and not any(p.is_error for p in found):
            store.episodes[key] = (episode, tuple(found))
            store.changed = True
    if identities != known:
        store.identities, store.changed = identities, True
    episodes = []
    for path in files:
        if path in results:
            episode, found = results[path]
            problems.extend(found)
            if episode is not None:
                episodes.append(episode)
    return episodes, len(todo)


def _current_image(
    episode: Episode,
    config: Config,
    folders: Sequence[Path],
    problems: list[Problem],
    files_found: dict[tuple[str, str], bool],
) -> Episode | None:
    """A cached episode with its relative `image` looked for again: since the file was parsed,
    a local image may have been added, changed (a new published name) or removed. `folders`:
    the show's source folders; `files_found`: whether each path looked for is a file, kept for
    the build (10,000 episodes name the pictures of a few hosts)."""
    if episode.image_ref is None:
        return episode
    ref, beside = episode.image_ref.strip(), os.path.dirname(str(episode.source))
    if episode.image_file is None and not (
        _is_file(beside, ref, files_found) or _is_file(str(folders[0]), ref, files_found)
    ):  # still no such file: the link to it made when the file was parsed (localart.py)
        return episode
    page = episode.link or config.show.link
    try:
        image = episode_image(episode.image_ref, episode.source, page, config.show, folders)
        if image.file is None and page != config.show.link and _site_root(episode.source):
            link = config.show.link  # castanet's `episode_image`, as episodes.py reads it
            image = episode_image(episode.image_ref, episode.source, link, config.show, folders)
    except ValueError as exc:
        lines = read_front_matter(episode.source)[0]
        key = next((k for k in ALIASES["image"] if k in lines), "image")
        shown = relative_name(episode.source, config.build.root)
        problems.append(
            EpisodeError(f"'{key}' {exc}", source=shown, line=lines.get(key)).to_problem()
        )
        return None
    if (image.url, image.file) == (episode.image, episode.image_file):
        return episode  # the usual case: no copy of each of 10,000 cached episodes
    return replace(episode, image=image.url, image_file=image.file)


def _site_root(source: Path) -> bool:
    """Does the episode's picture come from castanet's `episode_image` (read from the site's
    root)? Asked only of a cached episode whose local picture went away."""
    lines = read_front_matter(source)[0]
    return next((k for k in ALIASES["image"] if k in lines), None) == "episode_image"


def _is_file(folder: str, ref: str, found: dict[tuple[str, str], bool]) -> bool:
    known = found.get((folder, ref))
    if known is None:
        known = found[folder, ref] = os.path.isfile(os.path.join(folder, ref))
    return known
