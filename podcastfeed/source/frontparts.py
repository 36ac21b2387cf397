"""Splitting an episode file into front matter and body: YAML between `---` lines (Jekyll,
WordPress exports) or TOML between `+++` lines (Hugo), and reading the TOML kind. Pure.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection
from datetime import date, time
from typing import Any, NamedTuple

from podcastfeed.errors import EpisodeError, Problem

_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")
_YAML_END = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)
_TOML_END = re.compile(r"^\+\+\+[ \t]*\r?$", re.MULTILINE)


class Parts(NamedTuple):
    front_matter: str
    body: str
    is_toml: bool = False


def split_front_matter(text: str) -> Parts | None:
    """(front matter, body, is TOML) of a file that opens with `---` or `+++`, else None."""
    fence = text[:3]
    if fence not in ("---", "+++"):
        return None
    first_newline = text.find("\n")
    if first_newline == -1 or text[:first_newline].strip() != fence:
        return None
    closing = _YAML_END if fence == "---" else _TOML_END
    end = closing.search(text, first_newline + 1)
    if end is None:
        return None
    fm = text[first_newline + 1 : end.start()]
    body = text[end.end() :].lstrip("\r\n")
    return Parts(fm, body, fence == "+++")


def load_toml(front_matter: str, display: str) -> tuple[dict[str, Any] | None, Problem | None]:
    """Hugo's TOML front matter as a mapping, or the problem with its line in the file."""
    try:
        return tomllib.loads(front_matter), None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _TOML_LINE.search(message)
        line = int(found.group(1)) + 1 if found else None  # +1: the opening +++
        reason = _TOML_LINE.sub("", message).strip()
        error = EpisodeError(f"front matter is not valid TOML: {reason}", source=display, line=line)
        return None, error.to_problem()
    except RecursionError:  # arrays nested thousands deep (issue 12's limits)
        error = EpisodeError("front matter refused: it nests too deeply", source=display, line=2)
        return None, error.to_problem()


def toml_written(front_matter: str, key: str, value: object) -> str | None:
    """A top-level TOML number, boolean or date as the file spells it (`title = 1.10` is
    "1.10", where TOML reads 1.1), when it is written on its key's line; else None."""
    pattern = rf"""^\s*["']?{re.escape(key)}["']?\s*=\s*([^"'\[{{#\s][^#]*?)\s*(?:#.*)?$"""
    for line in front_matter.splitlines():
        if line.lstrip().startswith("["):
            return None  # a table: the keys after it are not top-level
        found = re.match(pattern, line)
        if found:
            try:
                same = tomllib.loads(f"x = {found.group(1)}")["x"] == value
            except tomllib.TOMLDecodeError:
                return None
            return found.group(1) if same else None
    return None


def toml_nested_written(
    front_matter: str, key: str, value: Any, text_keys: Collection[str], section: str = ""
) -> Any:
    """`value` (a table or array of `key`, top-level or in `[section]`) with each number,
    boolean or date under one of `text_keys` (and each such plain item of an array) as the
    file spells it (`persons = [{name = 1.10}]` is "1.10", where TOML reads 1.1): the shape
    the YAML side's written values have. What cannot be found in the text stays as TOML read
    it."""
    start = _field_start(front_matter, key, section)
    if start is None:
        return value
    return _walk(front_matter, value, [start], frozenset(text_keys))


def _field_start(text: str, key: str, section: str) -> int | None:
    """Where `key` is set: its `key =` line in [section] (top level: before any table), or
    its own table's header ([section.key], [[section.key]])."""
    name = rf"""["']?{re.escape(key)}["']?"""
    if section:
        name = rf"""["']?{re.escape(section)}["']?[ \t]*\.[ \t]*{name}"""
    header = re.search(rf"^[ \t]*\[\[?[ \t]*{name}[ \t]*[\].]", text, re.MULTILINE)
    begin = 0
    if section:
        opened = re.search(rf"^[ \t]*\[[ \t]*{re.escape(section)}[ \t]*\]", text, re.MULTILINE)
        begin = opened.end() if opened else len(text)
    next_table = re.compile(r"^[ \t]*\[", re.MULTILINE).search(text, begin)
    region = text[begin : next_table.start() if next_table else len(text)]
    assigned = re.search(
        rf"^[ \t]*{re.escape(key)}[ \t]*=|^[ \t]*[\"']{re.escape(key)}[\"'][ \t]*=",
        region,
        re.MULTILINE,
    )
    starts = [found.start() for found in (header,) if found is not None]
    if assigned is not None:
        starts.append(begin + assigned.start())
    return min(starts) if starts else None


def _walk(text: str, value: Any, cursor: list[int], text_keys: frozenset[str]) -> Any:
    if isinstance(value, dict):
        found = dict(value)
        for key, item in value.items():
            if isinstance(item, list | dict):
                found[key] = _walk(text, item, cursor, text_keys)
            elif key in text_keys and isinstance(item, _TYPED):
                pattern = rf"""(?:^|[\s{{,])["']?{re.escape(key)}["']?[ \t]*=[ \t]*{_LITERAL}"""
                found[key] = _written_at(text, pattern, item, cursor)
        return found
    if isinstance(value, list):
        return [
            _walk(text, item, cursor, text_keys)
            if isinstance(item, list | dict)
            else _written_at(text, rf"[\[,]\s*{_LITERAL}", item, cursor)
            if isinstance(item, _TYPED)
            else item
            for item in value
        ]
    return value


#: A TOML value that is not text, an array or a table, up to what ends it in an array or table.
_LITERAL = r"""([^\s"'\[{,}\]#][^,}\]\r\n#]*)"""
_TYPED = (bool, int, float, date, time)


def _written_at(text: str, pattern: str, value: object, cursor: list[int]) -> object:
    """The first spelling of `value` that `pattern` finds from `cursor` on (moved past it)."""
    for found in re.compile(pattern, re.MULTILINE).finditer(text, cursor[0]):
        literal = found.group(1).strip()
        try:
            same = tomllib.loads(f"x = {literal}")["x"]
        except tomllib.TOMLDecodeError:
            continue
        if type(same) is type(value) and same == value:
            cursor[0] = found.end()
            return literal
    return value
