"""Splitting an episode file into front matter and body: YAML between `---` lines (Jekyll,
WordPress exports) or TOML between `+++` lines (Hugo), and reading the TOML kind. Pure.
"""

from __future__ import annotations

import re
import tomllib
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
