"""Finding a show's episode files: every Markdown or HTML file under the episodes folder, with
the transcript and chapters files beside each, skipping hidden and `_` folders and the folders
a build writes into (they hold a manifest)."""

from __future__ import annotations

import os
from pathlib import Path

from podcastfeed.files import MANIFEST_NAME
from podcastfeed.source.episode_tags import SIBLING_SUFFIXES

EPISODE_SUFFIXES = (".md", ".markdown", ".html", ".htm")


def find_episode_files(folder: Path) -> list[Path]:
    """Every episode file under `folder`, in a stable order (hidden files and folders skipped)."""
    return list(find_episodes_and_siblings(folder))


def find_episodes_and_siblings(folder: Path) -> dict[Path, tuple[str, ...]]:
    """Every episode file under `folder`, in a stable order, with the names of its sibling
    transcript/chapters files (`<slug>.vtt`, `.srt`, `.chapters.json`), from the same listing.
    Hidden folders, `_folders` and folders holding a podcastfeed manifest are skipped."""
    found: list[tuple[str, tuple[str, ...]]] = []
    for directory, folders, names in os.walk(folder):  # os.walk: pathlib is slow at 10,000
        if MANIFEST_NAME in names and directory != str(folder):
            folders[:] = []  # a folder a build writes into (pages are .html): not a source
            continue
        folders[:] = [name for name in folders if not name.startswith((".", "_"))]
        extras = {name for name in names if name.endswith(SIBLING_SUFFIXES)}
        for name in names:
            if name.lower().endswith(EPISODE_SUFFIXES) and not name.startswith((".", "_")):
                path = os.path.join(directory, name)
                if os.path.isfile(path):
                    found.append((path, siblings_of(name, extras) if extras else ()))
    return {Path(path): siblings for path, siblings in sorted(found)}


def siblings_of(name: str, names: set[str]) -> tuple[str, ...]:
    """The sibling files of episode file `name` among a folder's `names`."""
    stem = name.rsplit(".", 1)[0]
    return tuple(stem + suffix for suffix in SIBLING_SUFFIXES if stem + suffix in names)
