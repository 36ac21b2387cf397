"""feed.toml's `[build]` and `[fields]` tables -> BuildSettings, with paths made absolute and
the folders' clashes refused (config.py reads the rest)."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from podcastfeed.errors import Problem, shorten
from podcastfeed.files import folder_clash, walks_into
from podcastfeed.source import fromnotes
from podcastfeed.source.tables import TableReader

BUILD_KEYS = {"episodes", "output", "site", "cache", "pages", "templates"}
BUILD_KEYS |= {"clean_notes", "fix_text"} | fromnotes.BUILD_KEYS  # issues 14 and 16


@dataclass(frozen=True)
class BuildSettings:
    """feed.toml's `[build]` and `[fields]`, with paths made absolute."""

    root: Path  # the folder that holds feed.toml
    config_path: Path
    episodes_dir: Path
    output: Path
    cache_dir: Path
    fields: dict[str, str] = field(default_factory=dict)  # canonical name -> the site's key
    pages: bool = True  # per-episode pages beside the show page
    templates_dir: Path | None = None  # the show's own page templates, searched first
    site: Path | None = None  # the show page's folder (default: the feed's, if it is its own)
    clean_notes: bool = True  # source/cleanup.py's show-notes transformations (issue 14)
    fix_text: bool = True  # repair mojibake in text and notes (issue 14)
    notes: fromnotes.NotesSettings = field(default_factory=fromnotes.NotesSettings)  # issue 16

    @functools.cached_property  # resolved once per build, not ~3 times per episode
    def source_folders(self) -> tuple[Path, ...]:
        """Where an episode's files may be: the show's and feed.toml's source folders (resolved)."""
        found = [self.root, self.episodes_dir.resolve()]
        if self.templates_dir is not None:
            found.append(self.templates_dir.resolve())
        return tuple(found)


def read_build(
    path: Path, text: str, data: dict[str, Any], *, show_keys: set[str], mappable: tuple[str, ...]
) -> tuple[BuildSettings, list[Problem]]:
    """feed.toml's `[build]` and `[fields]` tables (`show_keys`: [show]'s, for a key put in the
    wrong table; `mappable`: the fields `[fields]` may map)."""
    root = path.parent.resolve()
    table = data.get("build", {})
    problems: list[Problem] = []
    if not isinstance(table, dict):
        problems.append(Problem("error", "[build] must be a table", source=path))
        table = {}
    r = TableReader(path, text, "build", table)
    r.unknown(BUILD_KEYS, {"show": show_keys})
    episodes = r.get("episodes", str) or "episodes"
    output = r.get("output", str) or "public/feed.xml"
    cache_dir = r.get("cache", str) or ".podcastfeed-cache"
    pages = r.get("pages", bool)
    templates = r.get("templates", str)
    site = r.get("site", str)
    clean_notes, fix_text = r.get("clean_notes", bool), r.get("fix_text", bool)

    fields_table = data.get("fields", {})
    fr = TableReader(path, text, "fields", fields_table if isinstance(fields_table, dict) else {})
    fields: dict[str, str] = {}
    if not isinstance(fields_table, dict):
        fr.problem("fields", '[fields] must be a table of field = "your key"')
    else:
        for name, value in fields_table.items():
            if name not in mappable:
                fr.problem(
                    name,
                    f"unknown field '{name}'",
                    hint="mappable fields: " + ", ".join(mappable),
                )
            elif not isinstance(value, str) or not value:
                fr.problem(name, f"'{name}' must name a front-matter key (got {shorten(value)})")
            else:
                fields[name] = value
    settings = BuildSettings(
        root=root,
        config_path=path,
        episodes_dir=_absolute(root, episodes),
        output=_absolute(root, output),
        cache_dir=_absolute(root, cache_dir),
        fields=fields,
        pages=True if pages is None else pages,
        templates_dir=_absolute(root, templates) if templates else None,
        site=_absolute(root, site) if site else None,
        clean_notes=clean_notes is not False,
        fix_text=fix_text is not False,
        notes=fromnotes.read_settings(r),
    )
    others = (settings.episodes_dir, settings.templates_dir, settings.output.parent, settings.site)
    if root.is_relative_to(settings.episodes_dir) and root != settings.episodes_dir:
        what = f"'episodes' holds the show's folder ({settings.episodes_dir}): all of it is read"
        hint = 'name a folder inside the show ("episodes"), or "." for the show folder itself'
        r.problem("episodes", what, hint=hint)
    elif clash := folder_clash(settings.cache_dir, root, others):  # git-ignored, written, pruned
        hint = 'the default is ".podcastfeed-cache" (a build writes a .gitignore of "*" there)'
        r.problem("cache", f"'cache' {clash}: it must be a folder of its own", hint=hint)
    if walks_into(settings.episodes_dir, settings.templates_dir):
        hint = "move it out of the episodes folder, or start its name with _ (_templates)"
        r.problem("templates", "the templates would be read as episodes", hint=hint)
    return settings, problems + r.problems + fr.problems


def _absolute(root: Path, written: str) -> Path:
    """A path from feed.toml, relative to the show's folder unless absolute, with `..` and
    `~` resolved once here (symbolic links are kept: the user named this path)."""
    return Path(os.path.abspath(root / Path(written).expanduser()))
