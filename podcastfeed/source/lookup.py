"""Where a value was written, for `podcastfeed check`: the line of each key in an episode's front
matter, and the rules the show (`[check] ignore`) or an episode (`check_ignore:`) skips. Read
with the same YAML loader and front-matter split as the episodes themselves.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from podcastfeed.source.fields import ALIASES, key_lines, toml_key_lines
from podcastfeed.source.frontparts import split_front_matter
from podcastfeed.source.yamlload import YAML_ERRORS, load_yaml


def read_front_matter(path: Path) -> tuple[dict[str, int], frozenset[str]]:
    """(key -> line, the rule ids of `check_ignore`) of an episode file; empty when it cannot
    be read (read_episode reports why)."""
    try:
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        return {}, frozenset()
    parts = split_front_matter(text)
    if parts is None:
        return {}, frozenset()
    try:
        meta = tomllib.loads(parts[0]) if parts.is_toml else load_yaml(parts[0]) or {}
    except (*YAML_ERRORS, tomllib.TOMLDecodeError):  # read_episode reports them
        meta = {}
    ignore = meta.get("check_ignore") if isinstance(meta, dict) else None
    if isinstance(ignore, str):
        ignore = [ignore]
    ids = frozenset(str(i) for i in ignore) if isinstance(ignore, list) else frozenset()
    lines = toml_key_lines(parts[0]) if parts.is_toml else key_lines(parts[0])
    return lines, ids


def read_notes(path: Path) -> list[tuple[int, str]]:
    """(line, text) of each line of an episode file's show notes (the body after the front
    matter), as written; empty when it cannot be read (read_episode reports why)."""
    try:
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        return []
    parts = split_front_matter(text)
    if parts is None:
        return []
    first = text.count("\n", 0, len(text) - len(parts.body)) + 1
    return list(enumerate(parts.body.split("\n"), start=first))


def read_ignore(config: Path) -> frozenset[str]:
    """feed.toml's `[check] ignore = [...]` (empty when feed.toml cannot be read: load_config
    reports why)."""
    try:
        data = tomllib.loads(config.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return frozenset()
    table = data.get("check")
    ignore = table.get("ignore", []) if isinstance(table, dict) else []
    return frozenset(str(i) for i in ignore) if isinstance(ignore, list) else frozenset()


def field_line(path: Path, name: str) -> int | None:
    """The line of an episode's front matter that sets field `name` (any of its keys)."""
    return line_of(read_front_matter(path)[0], name)


def line_of(lines: dict[str, int], name: str | None) -> int | None:
    """The line, among front-matter `lines` (key -> line), that sets field `name`."""
    if name is None:
        return None
    return next((lines[key] for key in ALIASES.get(name, (name,)) if key in lines), None)
