"""Reading feed.toml's tables: one-line text, the line a key is set on, and `TableReader`, which
collects a Problem (`path:line:`) for each bad key instead of stopping at the first."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfoNotFoundError

from podcastfeed.errors import Problem, shorten
from podcastfeed.source.shownotes import strip_control_chars
from podcastfeed.values import parse_link, url_scheme


def clean_text(value: str) -> str:
    """A one-line text value: what XML 1.0 cannot carry removed, white space runs made one space.

    Parsers disagree on line breaks inside titles (some keep them, some fold them).
    """
    return " ".join(strip_control_chars(value).split())


def clean_ref(value: str) -> str:
    """A reference to a file or a URL: a URL as clean_text makes it; a local path with only what
    XML cannot carry and the white space around it removed. A file name may hold two spaces or
    a tab: collapsed, it named another file (`audio/two spaces.mp3` not found)."""
    text = clean_text(value)
    return text if url_scheme(text) else strip_control_chars(value).strip()


def key_line(text: str, section: str, key: str) -> int | None:
    """The 1-based line where `key` is set in `[section]` of a TOML text (or its own table's
    header, `[section.key]`), where it can be found."""
    current = ""
    header = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")
    assign = re.compile(rf"^\s*(\"?){re.escape(key)}\1\s*=")
    for number, line in enumerate(text.splitlines(), start=1):
        found = header.match(line)
        if found:
            current = found.group(1).lstrip("[ ")
            if current == f"{section}.{key}":  # ([show.funding], [[show.value.recipients]])
                return number
            continue
        if current == section and assign.match(line):
            return number
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"^\s*\[\s*{re.escape(section)}\s*\]", line):
            return number
    return None


def unknown_key_hint(
    key: str, known: Collection[str], tables: dict[str, Collection[str]]
) -> str | None:
    """What an unknown key was meant to be: a key of another table (`tables`: name -> keys),
    else the closest known key, if any is close (a typo such as 'explicti')."""
    home = next((name for name, keys in tables.items() if key in keys), None)
    if home is not None:
        return f"'{key}' belongs in [{home}]"
    close = difflib.get_close_matches(key, known, n=1)
    return f"did you mean '{close[0]}'?" if close else None


class TableReader:
    """Reads one table of feed.toml, collecting a Problem for each bad key."""

    def __init__(self, path: Path, text: str, section: str, table: dict[str, Any]) -> None:
        self.path, self.text, self.section, self.table = path, text, section, table
        self.problems: list[Problem] = []

    def problem(
        self, key: str, message: str, hint: str | None = None, level: str = "error"
    ) -> None:
        line = key_line(self.text, self.section, key)
        self.problems.append(
            Problem(level, f"[{self.section}] {message}", source=self.path, line=line, hint=hint)
        )

    def unknown(self, known: Collection[str], tables: dict[str, Collection[str]]) -> None:
        """A warning, with a guess at what was meant, for each key of the table not `known`."""
        for key in sorted(set(self.table) - set(known)):
            hint = unknown_key_hint(key, known, tables)
            self.problem(key, f"unknown key '{key}' (ignored)", hint=hint, level="warning")

    def get(self, key: str, kind: type, *, required: bool = False, what: str = "") -> Any:
        if key not in self.table:
            if required:
                self.problem(key, f"'{key}' is required", hint=f"add {key} = … to [{self.section}]")
            return None
        value = self.table[key]
        if kind is str and isinstance(value, str):
            value = clean_text(value)
            if required and not value:
                self.problem(key, f"'{key}' must not be empty")
                return None
            return value
        if kind is not str and isinstance(value, kind):
            return value
        names: dict[type, str] = {str: "text", dict: "a table", list: "a list"}
        self.problem(
            key, f"'{key}' must be {what or names.get(kind, kind.__name__)} (got {shorten(value)})"
        )
        return None

    def url(self, key: str, *, required: bool = False) -> str | None:
        value = self.get(key, str, required=required, what="a URL")
        if value is None:
            return None
        try:
            return parse_link(value)  # the one URL rule (values.py): http(s), absolute
        except ValueError:
            self.problem(key, f"'{key}' must be an absolute http(s) URL (got {shorten(value)})")
            return None

    def check(self, key: str, value: Any, test: Callable[[Any], Any], message: str) -> Any:
        try:
            return test(value)
        except (ValueError, KeyError, TypeError, ZoneInfoNotFoundError, OSError) as exc:
            self.problem(key, f"'{key}' {message.format(value=shorten(value), error=exc)}")
            return None
