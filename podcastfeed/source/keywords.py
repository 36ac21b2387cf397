"""An episode's keywords from every key that holds them (`tags`, `categories` …), merged in
order: a comma-separated text or a list of words. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from podcastfeed.errors import Problem, shorten
from podcastfeed.source.fields import ALIASES, FieldReader
from podcastfeed.source.tables import clean_text
from podcastfeed.source.wordpress import decode_entities


def _not_text(value: object) -> bool:
    if isinstance(value, list):
        return any(type(item) is not str for item in value)
    return value is not None and not isinstance(value, str | dict)


def read_keywords(f: FieldReader) -> tuple[str, ...]:
    """The keywords, each once; an entry that is a table or a list (no word) is named in a
    warning (it was dropped without a word)."""
    found: list[str] = []
    for key in ALIASES["keywords"]:
        value = f.meta.get(key)
        if _not_text(value):  # `tag: [no, 1.10]`: YAML's False and 1.1 (TOML's 1.1)
            value = f.as_written(key, value)
        if isinstance(value, dict):
            value = [value]
        items: Iterable[Any] = (
            value.split(",") if isinstance(value, str) else value if isinstance(value, list) else ()
        )
        for item in items:
            if isinstance(item, str | int | float) and not isinstance(item, bool):  # (TOML)
                word = clean_text(decode_entities(str(item)))  # WordPress' `&amp;`
                if word and word not in found:
                    found.append(word)
            elif item is not None:
                message = f"'{key}' holds {shorten(item)}, which is no keyword (ignored)"
                hint = f'write {key} = ["word", "another word"]' if f.is_toml else None
                hint = hint or f"write {key}: [word, another word]"
                f.problems.append(Problem("warning", message, f.display, f.line(key), hint))
    return tuple(found)
