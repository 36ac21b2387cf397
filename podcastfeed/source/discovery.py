"""Finding a show's episode files: every Markdown or HTML file under the episodes folder, with
the transcript and chapters files beside each, skipping hidden and `_` folders and the folders
a build writes into (they hold a manifest)."""

from __future__ import annotations

import os
from pathlib import Path

from podcastfeed.cache import posix_path
from podcastfeed.files import MANIFEST_NAME, NOT_A_FILE, SKIPPED
from podcastfeed.source.episode_tags import SIBLING_SUFFIXES

EPISODE_SUFFIXES = (".md", ".markdown", ".html", ".htm")

#: Why a link to a folder of episodes is skipped (find_episodes_and_siblings' `unread`).
LINKED_FOLDER = "a link to a folder: not followed"


def find_episode_files(folder: Path) -> list[Path]:
    """Every episode file under `folder`, in a stable order (hidden files and folders skipped)."""
    return list(find_episodes_and_siblings(folder))


def find_episodes_and_siblings(
    folder: Path, unread: list[tuple[str, str]] | None = None
) -> dict[Path, tuple[str, ...]]:
    """Every episode file under `folder`, in a stable order, with the names of its sibling
    transcript/chapters files (`<slug>.vtt`, `.srt`, `.chapters.json`), from the same listing.
    Hidden folders, `_folders` and folders holding a podcastfeed manifest are skipped; what
    looks like an episode or a folder of them but cannot be read goes to `unread` as (path,
    why): a link to nothing, a pipe, a link to a folder elsewhere (not followed: a link to `/`
    would be walked; one to a folder here or above is a loop, skipped quietly), a folder that
    cannot be listed. Their episodes were left out silently."""
    top = str(folder)
    found: list[tuple[str, tuple[str, ...]]] = []
    unread = [] if unread is None else unread
    real_top = ""  # (resolved when a link to a folder is met)
    todo = [top]
    while todo:  # os.walk's walk (symbolic links to folders not followed), without a stat
        directory = todo.pop()  # per file: the listing's types say which are files
        try:
            with os.scandir(directory) as listing:
                entries = list(listing)
        except OSError as exc:
            if directory != top:  # (the episodes folder itself: "no episode files")
                unread.append((directory, f"cannot be listed ({exc.strerror})"))
            continue
        files: list[os.DirEntry[str]] = []
        folders: list[os.DirEntry[str]] = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            (folders if is_dir else files).append(entry)
        names = [entry.name for entry in files]
        if MANIFEST_NAME in names and directory != top:
            continue  # a folder a build writes into (pages are .html): not a source
        for entry in folders:
            if entry.name.startswith(SKIPPED):
                continue
            if entry.is_symlink():
                real_top = real_top or os.path.realpath(top)
                if not _within_or_above(os.path.realpath(entry.path), real_top):
                    unread.append((entry.path, LINKED_FOLDER))  # (else a loop: nothing lost)
            else:
                todo.append(entry.path)
        extras = {name for name in names if name.endswith(SIBLING_SUFFIXES)}
        for entry in files:
            name = entry.name  # is_file: the listing's type (a symbolic link is followed)
            if not name.lower().endswith(EPISODE_SUFFIXES) or name.startswith(SKIPPED):
                continue
            if entry.is_file():
                found.append((entry.path, siblings_of(name, extras) if extras else ()))
            else:  # (rare: a stat only here)
                dangling = entry.is_symlink() and not os.path.exists(entry.path)
                unread.append((entry.path, "a link to nothing" if dangling else NOT_A_FILE))
    # Paths made from their parts: 10,000 parses of the same folder's text add up
    make = posix_path if top.startswith("/") else Path
    return {make(path): siblings for path, siblings in sorted(found)}


def _within_or_above(target: str, top: str) -> bool:
    """Whether folder `target` is `top`, inside it or holds it (a link to it is a loop)."""
    return os.path.commonpath([target, top]) in (target, top)


def siblings_of(name: str, names: set[str]) -> tuple[str, ...]:
    """The sibling files of episode file `name` among a folder's `names`."""
    stem = name.rsplit(".", 1)[0]
    return tuple(stem + suffix for suffix in SIBLING_SUFFIXES if stem + suffix in names)
