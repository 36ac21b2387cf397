"""Inline chapters -> a Podcast Index JSON chapters file and Podlove Simple Chapters. Pure.

JSON chapters: https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/examples/chapters/jsonChapters.md
Simple Chapters: https://podlove.org/simple-chapters/ (start as normal play time, HH:MM:SS.mmm).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from podcastfeed.errors import shorten
from podcastfeed.model import Chapter

JSON_CHAPTERS_TYPE = "application/json+chapters"

_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")


def parse_time(value: object) -> float:
    """Seconds from `190`, `190.5`, `"03:10"` or `"00:03:10.500"`.

    YAML 1.1 reads an unquoted 00:03:10 as the number 190 already (base 60); both work.
    """
    if isinstance(value, bool):
        raise ValueError(f"must be seconds or HH:MM:SS (got {shorten(value)})")
    if isinstance(value, int | float) and value >= 0:
        return float(value)
    if isinstance(value, str):
        written = value.strip()
        if re.fullmatch(r"\d+(\.\d+)?", written):
            return float(written)
        found = _CLOCK.match(written)
        if found and int(found.group(2)) < 60 and float(found.group(3)) < 60:
            hours, minutes, seconds = found.groups()
            return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    raise ValueError(f"must be seconds or HH:MM:SS (got {shorten(value)})")


def chapters_json(chapters: Sequence[Chapter]) -> bytes:
    """The JSON chapters file (version 1.2.0), deterministic."""
    items = []
    for chapter in chapters:
        item: dict[str, object] = {"startTime": _number(chapter.start), "title": chapter.title}
        if chapter.img:
            item["img"] = chapter.img
        if chapter.url:
            item["url"] = chapter.url
        items.append(item)
    text = json.dumps({"version": "1.2.0", "chapters": items}, ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


def psc_start(seconds: float) -> str:
    """Normal play time as Simple Chapters writes it: HH:MM:SS, with .mmm when not whole."""
    millis = round(seconds * 1000)
    whole, rest = divmod(millis, 1000)
    clock = f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}"
    return clock + (f".{rest:03d}" if rest else "")


def _number(seconds: float) -> int | float:
    return int(seconds) if seconds == int(seconds) else seconds


def validate_json_chapters(data: bytes) -> None:
    """A JSON chapters file as the Podcast Index reads it: `version` and `chapters`, each with
    a numeric `startTime`.

    Raises:
        ValueError: what is wrong, naming the chapter.
    """
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"is not JSON ({exc})") from None
    if not isinstance(document, dict) or "version" not in document:
        raise ValueError("needs a 'version' (e.g. \"1.2.0\") at the top")
    chapters = document.get("chapters")
    if not isinstance(chapters, list):
        raise ValueError(f"needs a 'chapters' list (got {type(chapters).__name__})")
    for number, chapter in enumerate(chapters, start=1):
        start = chapter.get("startTime") if isinstance(chapter, dict) else None
        if isinstance(start, bool) or not isinstance(start, int | float) or start < 0:
            raise ValueError(
                f"chapter {number} needs a 'startTime' in seconds (got {shorten(start)})"
            )
