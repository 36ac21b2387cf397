"""Value-for-value blocks from feed.toml's `[show] value` and an episode's `value:` (parsed in
source/valueparse.py), each problem at the file and line of the value that is wrong. Pure:
works on text already read.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from podcastfeed.errors import EpisodeError, Problem
from podcastfeed.model import Value
from podcastfeed.source.frontparts import toml_nested_written
from podcastfeed.source.valueparse import SPEC_NAMES, Path_, parse_value
from podcastfeed.source.written import SHOW_TEXT_KEYS, numbers_as_written, value_as_written
from podcastfeed.source.yamlload import YAML_ERRORS, LimitedLoader

if TYPE_CHECKING:
    from podcastfeed.source.fields import FieldReader
    from podcastfeed.source.tables import TableReader


def yaml_line(front_matter: str, key: str, where: Path_) -> int | None:
    """The file line (the `---` is line 1) of the value at `where` under top-level `key`."""
    try:
        node = LimitedLoader(front_matter).get_single_node()
    except YAML_ERRORS:
        return None
    if node is None or not _is_mapping(node):
        return None
    found = next(((k, v) for k, v in node.value if getattr(k, "value", None) == key), None)
    if found is None:
        return None
    line, current = found[0].start_mark.line, found[1]
    for step in where:
        if isinstance(step, int) and _is_sequence(current) and step < len(current.value):
            current = current.value[step]
            line = current.start_mark.line
        elif isinstance(step, str) and _is_mapping(current):
            pair = next(
                ((k, v) for k, v in current.value if _key(k) == step),
                None,
            )
            if pair is None:
                break
            line, current = pair[0].start_mark.line, pair[1]
        else:
            break
    return int(line) + 2


def _key(node: Any) -> object:
    """A mapping key as the parser names it (a complex key, `? [a]`, names nothing)."""
    return SPEC_NAMES.get(node.value, node.value) if isinstance(node.value, str) else None


def _is_mapping(node: Any) -> bool:  # yaml's node classes, by shape (yaml is read in yamlload.py)
    return isinstance(node.value, list) and all(isinstance(v, tuple) for v in node.value)


def _is_sequence(node: Any) -> bool:
    return isinstance(node.value, list) and not any(isinstance(v, tuple) for v in node.value)


def toml_line(text: str, start: int | None, raw: object, where: Path_) -> int | None:
    """The line of a problem in TOML (tomllib keeps no positions): the line after `start` that
    holds the address (or guid) of the entry at `where`, else `start`."""
    needle, current = None, raw
    for step in where:
        if isinstance(current, dict):
            for name in ("address", "feed_guid", "feedGuid"):
                if isinstance(current.get(name), str):
                    needle = current[name]
            current = current.get(step) if isinstance(step, str) else None
        elif isinstance(current, list) and isinstance(step, int) and step < len(current):
            current = current[step]
        else:
            break
    if isinstance(current, dict):
        needle = next(
            (current[n] for n in ("address", "feed_guid") if isinstance(current.get(n), str)),
            needle,
        )
    elif isinstance(current, str):
        needle = current
    if needle and start is not None:
        for number, line in enumerate(text.splitlines()[start - 1 :], start=start):
            if f'"{needle}"' in line or f"'{needle}'" in line:
                return number
    return start


def _value_start(text: str, section: str = "") -> int | None:
    """The line of `value = …` in [section] (top level: ""), or of the first [section.value] /
    [[section.value]] table or one under it."""
    table, current = f"{section}.value" if section else "value", ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?", line)
        if header:
            current = header.group(1)
            if current == table or current.startswith(table + "."):
                return number
        elif current == section and re.match(r"^\s*value\s*=", line):
            return number
    return None


def show_value(r: TableReader, key: str) -> Any:
    """`[show] key` as read, with a number where text is due as feed.toml spells it
    (`persons = [{name = 1.10}]`: "1.10", not 1.1)."""
    raw = r.table[key]
    if key not in SHOW_TEXT_KEYS or not isinstance(raw, list | dict):
        return raw
    written = toml_nested_written(r.text, key, raw, SHOW_TEXT_KEYS[key], section=r.section)
    return numbers_as_written(raw, written)


def read_show_value(r: TableReader) -> tuple[Value, ...]:
    """`[show] value`, with a problem (feed.toml:line) for each bad part."""
    raw = r.table.get("value")
    if raw is None:
        return ()
    blocks, issues = parse_value(show_value(r, "value"))
    start = _value_start(r.text, "show")
    for level, message, where in issues:
        line = toml_line(r.text, start, raw, where)
        r.problems.append(Problem(level, f"[show] 'value' {message}", source=r.path, line=line))
    return blocks


def read_episode_value(f: FieldReader) -> tuple[Value, ...]:
    """An episode's `value:` (which replaces the show's for it), problems at their lines."""
    key = f.key_for("value")
    if key is None:
        return ()
    raw = f.meta[key]
    # `split: 010` is 10 shares, not YAML's octal 8; `name: Yes` a name (TOML's `name = 1.10`
    # "1.10", not 1.1)
    raw = value_as_written(raw, f.as_written(key, raw))
    blocks, issues = parse_value(raw)
    for level, message, where in issues:
        if f.is_toml:  # Hugo's +++ front matter: its first line is the file's second
            text = "\n" + f.front_matter
            line = toml_line(text, _value_start(text), f.meta[key], where)
        else:
            line = yaml_line(f.front_matter, key, where) or f.line(key)
        error = EpisodeError(f"'{key}' {message}", source=f.display, line=line)
        f.problems.append(replace(error.to_problem(), level=level))
    return blocks
