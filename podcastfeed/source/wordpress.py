"""What WordPress exports put in front matter (issue 14): PowerPress' `enclosure` string
(`URL\\nLENGTH\\nTYPE\\nPHP-serialized meta`), the PHP serialization of its meta, and the HTML
entities WordPress writes into titles. Pure.

The PHP serialization is read by hand, never evaluated: strings, numbers, booleans, null and
arrays only (objects are refused), with caps on size and depth.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from podcastfeed.errors import shorten
from podcastfeed.values import parse_duration, parse_link

#: The most bytes of serialized meta read, and how deep its arrays may nest.
MAX_PHP_BYTES = 64 * 1024
MAX_PHP_DEPTH = 16

# Only an entity closed by `;` is decoded: html.unescape alone also reads `&not` in `&notes`.
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_SCALAR = re.compile(rb"([idb]):([^;]*);")

PHPValue = str | int | float | bool | None | dict[object, object]


def decode_entities(text: str) -> str:
    """`'#54 &#8211; PLEX Cloud'` -> `'#54 – PLEX Cloud'`, once: `&amp;#8211;` becomes
    `&#8211;` and stays so; `<live>` and a bare `&` are left as written."""
    if "&" not in text:
        return text
    return _ENTITY.sub(lambda found: html.unescape(found.group(0)), text)


def php_unserialize(text: str) -> PHPValue:
    """A value written by PHP's serialize() (`a:1:{s:8:"duration";s:8:"00:12:56";}`).

    Raises:
        ValueError: not such a value, an object, or past the size and depth caps.
    """
    data = text.strip().encode("utf-8")  # s:N: counts bytes
    if len(data) > MAX_PHP_BYTES:
        raise ValueError(f"must be at most {MAX_PHP_BYTES:,} bytes")
    value, end = _php_value(data, 0, 0)
    if end != len(data):
        raise ValueError(f"has text after the value at byte {end}")
    return value


def _php_value(data: bytes, at: int, depth: int) -> tuple[PHPValue, int]:
    kind = data[at : at + 1]
    if kind == b"N" and data[at + 1 : at + 2] == b";":
        return None, at + 2
    if kind == b"s":
        colon = data.find(b":", at + 2)
        size = data[at + 2 : colon]
        if data[at + 1 : at + 2] != b":" or colon == -1 or not size.isdigit() or len(size) > 7:
            raise ValueError(f"has a bad string at byte {at}")
        start = colon + 2
        end = start + int(size)
        if data[colon + 1 : start] != b'"' or data[end : end + 2] != b'";':
            raise ValueError(f"has a string whose length is wrong at byte {at}")
        try:
            return data[start:end].decode("utf-8"), end + 2
        except UnicodeDecodeError:
            raise ValueError(f"has a string that is not UTF-8 at byte {at}") from None
    if kind == b"a":
        return _php_array(data, at, depth)
    found = _SCALAR.match(data, at)
    if found is None:
        raise ValueError(f"has an unknown or unsupported value at byte {at}")
    letter, written = found.group(1), found.group(2).decode("ascii", "replace")
    try:
        if letter == b"i":
            return int(written), found.end()
        if letter == b"d":
            return float(written), found.end()
    except ValueError:
        raise ValueError(f"has a bad number at byte {at}") from None
    if written in ("0", "1"):
        return written == "1", found.end()
    raise ValueError(f"has a bad boolean at byte {at}")


def _php_array(data: bytes, at: int, depth: int) -> tuple[PHPValue, int]:
    if depth >= MAX_PHP_DEPTH:
        raise ValueError(f"nests arrays deeper than {MAX_PHP_DEPTH}")
    found = re.compile(rb"a:(\d{1,6}):\{").match(data, at)
    if found is None:
        raise ValueError(f"has a bad array at byte {at}")
    at = found.end()
    result: dict[object, object] = {}
    for _ in range(int(found.group(1))):
        key, at = _php_value(data, at, depth + 1)
        if not isinstance(key, str | int) or isinstance(key, bool):
            raise ValueError(f"has an array key that is not a string or number at byte {at}")
        result[key], at = _php_value(data, at, depth + 1)
    if data[at : at + 1] != b"}":
        raise ValueError(f"has an array that does not end where its count says, at byte {at}")
    return result, at + 1


@dataclass(frozen=True)
class PowerPress:
    """One PowerPress enclosure: what its four lines state."""

    url: str
    length: int | None = None  # None when written 0 or left out
    mime_type: str | None = None
    duration: int | None = None


def read_powerpress(text: str) -> PowerPress:
    """`"URL\\nLENGTH\\nTYPE\\nMETA"` (the lines after the URL may be missing or empty).

    Raises:
        ValueError: the URL is not http(s), the length not a number, or the meta unreadable.
    """
    lines = [line.strip() for line in text.strip().splitlines()] or [""]
    try:
        url = parse_link(lines[0])
    except ValueError:
        raise ValueError(f"must start with an http(s) URL (got {shorten(lines[0])})") from None
    length: int | None = None
    written = lines[1] if len(lines) > 1 else ""
    if written:
        if not written.isdigit() or len(written) > 15:
            raise ValueError(f"has a length that is not a number of bytes (got {shorten(written)})")
        length = int(written) or None
    mime_type = (lines[2] if len(lines) > 2 else "") or None
    if mime_type is not None and not re.fullmatch(r"[\w.+-]+/[\w.+-]+", mime_type):
        raise ValueError(f"has a type that is not a MIME type (got {shorten(mime_type)})")
    duration = None
    meta_text = "\n".join(lines[3:]).strip()
    if meta_text:
        try:
            meta = php_unserialize(meta_text)
        except ValueError as exc:
            raise ValueError(f"has PHP-serialized meta that {exc}") from None
        value = meta.get("duration") if isinstance(meta, dict) else None
        if value not in (None, "", 0):
            try:
                duration = parse_duration(value)
            except ValueError as exc:
                raise ValueError(f"has a meta duration that {exc} (got {shorten(value)})") from None
    return PowerPress(url, length, mime_type, duration)
