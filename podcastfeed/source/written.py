"""Front-matter values as the file spells them where YAML 1.1 would change them: `name: Yes`
is "Yes" (not True), `width: 0100` is 100 (YAML's octal: 64), `aspect_ratio: 16:9` the text
"16:9" (YAML's base 60: 969), refused as no ratio. Pure: FieldReader.raw uses it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

#: What YAML 1.1 makes of `off`, `1.10`, `12:30`, `2024-1-2`.
NOT_TEXT = (bool, int, float, date)

#: The keys of the optional tags' tables that are text (`country: NO` is Norway, `name: Yes` a
#: name, `language: no` Norwegian).
TEXT_KEYS: dict[str, frozenset[str]] = {
    "persons": frozenset({"name", "role", "group"}),
    "location": frozenset({"name", "country", "rel"}),
    "license": frozenset({"name"}),
    "images": frozenset({"alt", "purpose"}),
    "chapters": frozenset({"title"}),
    "soundbites": frozenset({"title"}),
    "alternate_enclosures": frozenset({"title"}),
    "transcript": frozenset({"language", "rel"}),
}
#: Fields whose plain value (or a list's plain items) names a person, a place or a licence.
TEXT_ITEMS = frozenset({"persons", "location", "license"})

#: Numbers read in decimal as written (number_as_written): top-level fields, and keys of the
#: optional tags' tables.
NUMBER_FIELDS = frozenset({"duration", "length", "post_time"})
NUMBER_KEYS: dict[str, frozenset[str]] = {
    "images": frozenset({"width", "height", "aspect_ratio", "aspect-ratio"}),
    "alternate_enclosures": frozenset({"length", "bitrate"}),
    "soundbites": frozenset({"start", "duration"}),
    "chapters": frozenset({"start"}),
}


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def number_as_written(value: Any, written: object) -> Any:
    """YAML's number `value`, unless the text `written` means another one in decimal: `0100`
    (YAML's octal 64) is 100; `0x10`, `16:9` (base 60) and `.nan` stay text, for the field's
    parser to read (`14:30:05`, a time) or refuse with the text in its message."""
    if not isinstance(written, str):
        return value
    text = written.strip()
    plain = text.replace("_", "")
    try:
        if float(plain) == value:
            return value
    except ValueError:
        pass
    return int(plain) if plain.isdigit() and len(plain) <= 20 else text  # (the parsers' cap)


def needs_written(value: object, name: str) -> bool:
    """Whether a field's value (a table, a list of them or a plain item) holds a boolean,
    number or date YAML made of text, or a number it read otherwise than in decimal."""
    texts, numbers = TEXT_KEYS.get(name, frozenset()), NUMBER_KEYS.get(name, frozenset())
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict):
            if any(isinstance(item.get(k), NOT_TEXT) for k in texts):
                return True
            if any(is_number(item.get(k)) for k in numbers):
                return True
        elif isinstance(item, NOT_TEXT) and name in TEXT_ITEMS:
            return True
    return False


def with_written(value: Any, written: Any, name: str) -> Any:
    """`value` with its text keys (and plain items) as `written` has them, and its numbers
    read in decimal as written."""
    if isinstance(value, list) and isinstance(written, list) and len(value) == len(written):
        return [with_written(v, w, name) for v, w in zip(value, written, strict=True)]
    if isinstance(value, dict) and isinstance(written, dict):
        texts, numbers = TEXT_KEYS.get(name, frozenset()), NUMBER_KEYS.get(name, frozenset())
        found = dict(value)
        for key, item in value.items():
            if key in texts and isinstance(item, NOT_TEXT) and isinstance(written.get(key), str):
                found[key] = written[key]
            elif key in numbers and is_number(item):
                found[key] = number_as_written(item, written.get(key))
        return found
    if name in TEXT_ITEMS and isinstance(value, NOT_TEXT) and isinstance(written, str):
        return written
    return value


#: The keys of a value block's tables (source/valueparse.py) that are text, and that are
#: numbers, in both spellings: `name: Yes` is a name, `split: 010` 10 shares (octal: 8).
VALUE_TEXT_KEYS = frozenset(
    {"name", "address", "custom_key", "customKey", "custom_value", "customValue"}
)
VALUE_NUMBER_KEYS = frozenset(
    {
        "split",
        "start",
        "startTime",
        "duration",
        "remote_start",
        "remoteStartTime",
        "remote_percentage",
        "remotePercentage",
    }
)

#: Every key above that holds text (the TOML side finds each one's spelling in the file).
ALL_TEXT_KEYS = frozenset().union(*TEXT_KEYS.values(), VALUE_TEXT_KEYS)


def value_as_written(value: Any, written: Any) -> Any:
    """An episode's `value:` with the text and numbers of its tables, at any depth, as
    `written` (the same value with YAML's scalars as text) has them."""
    if isinstance(value, list) and isinstance(written, list) and len(value) == len(written):
        return [value_as_written(v, w) for v, w in zip(value, written, strict=True)]
    if not isinstance(value, dict) or not isinstance(written, dict):
        return value
    found = dict(value)
    for key, item in value.items():
        text = written.get(key)
        if isinstance(item, list | dict):
            found[key] = value_as_written(item, text)
        elif key in VALUE_TEXT_KEYS and isinstance(item, NOT_TEXT) and isinstance(text, str):
            found[key] = text
        elif key in VALUE_NUMBER_KEYS and is_number(item):
            found[key] = number_as_written(item, text)
    return found


#: feed.toml `[show]` tables whose text keys take a number as written (`name = 1.10` is
#: "1.10"): the keys of TEXT_KEYS, and the show's own tags.
SHOW_TEXT_KEYS: dict[str, frozenset[str]] = {
    **TEXT_KEYS,
    "funding": frozenset({"text"}),
    "trailers": frozenset({"title"}),
    "txt": frozenset({"text", "purpose"}),
    "update_frequency": frozenset({"text", "rrule"}),
    "value": VALUE_TEXT_KEYS,
}


def numbers_as_written(value: Any, written: Any) -> Any:
    """`value` with each number that `written` (the same shape) has as text replaced by that
    text; its booleans and dates stay as read (feed.toml refuses them where text is due, as
    at its top level)."""
    if isinstance(value, list) and isinstance(written, list) and len(value) == len(written):
        return [numbers_as_written(v, w) for v, w in zip(value, written, strict=True)]
    if isinstance(value, dict) and isinstance(written, dict):
        return {k: numbers_as_written(v, written.get(k)) for k, v in value.items()}
    return written if is_number(value) and isinstance(written, str) else value
