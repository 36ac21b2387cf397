"""Inline chapters -> a Podcast Index JSON chapters file and Podlove Simple Chapters. Pure.

Chapters made from the show notes' times (notechapters.py) must lie inside the measured audio:
keep_inside drops those that do not, once it is measured.

JSON chapters: https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/examples/chapters/jsonChapters.md
Simple Chapters: https://podlove.org/simple-chapters/ (start as normal play time, HH:MM:SS.mmm).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from podcastfeed.errors import Problem, shorten
from podcastfeed.files import relative_name
from podcastfeed.lock import Probe
from podcastfeed.model import Chapter, Episode
from podcastfeed.source.notechapters import HINT
from podcastfeed.values import MAX_DURATION, parse_link

JSON_CHAPTERS_TYPE = "application/json+chapters"

_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")


def parse_time(value: object) -> float:
    """Seconds from `190`, `190.5`, `"03:10"` or `"00:03:10.500"`.

    YAML 1.1 reads an unquoted 00:03:10 as the number 190 already (base 60); both work.
    """
    seconds = _seconds(value)
    if seconds is None or not seconds >= 0:  # (not NaN)
        raise ValueError(f"must be seconds or HH:MM:SS (got {shorten(value)})")
    if seconds > MAX_DURATION:  # inf made a traceback, as an int of 400 digits did
        raise ValueError(f"must be at most {MAX_DURATION:,} seconds (got {shorten(value)})")
    return seconds


def _seconds(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(min(value, MAX_DURATION + 1))  # (an int of 400 digits is no float)
    if isinstance(value, str):
        written = value.strip()
        if re.fullmatch(r"\d+(\.\d+)?", written):
            return float(written)  # (many digits: inf, refused)
        found = _CLOCK.match(written)
        if found and int(found.group(2)) < 60 and float(found.group(3)) < 60:
            hours, minutes, seconds = found.groups()
            return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    return None


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
    a numeric `startTime`, and an `img` or `url` that is an http(s) URL (not a local path such
    as `../secret.jpg` or `/etc/passwd`, which the published copy would name as it is).

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
        for key in ("img", "url"):  # published as written: a path names nothing an app finds
            if key in chapter:
                try:
                    parse_link(chapter[key])
                except ValueError:
                    raise ValueError(
                        f"chapter {number}: '{key}' must be an http(s) URL (got "
                        f"{shorten(chapter[key])}); the file is published as it is, and no "
                        "file it names is published with it"
                    ) from None


def is_derived(chapters: Iterable[Chapter]) -> bool:
    return any(c.line is not None for c in chapters)


def keep_inside(
    episodes: list[Episode], probes: Mapping[str, Probe], root: Path, problems: list[Problem]
) -> list[Episode]:
    """Chapters made from the show notes (notechapters.py), once the audio is measured: a time
    past the end of the episode means the list is not this audio's chapters, so the episode
    has none (a warning in `problems`)."""
    kept = []
    for episode in episodes:
        derived = episode.tags.inline_chapters
        probe = probes.get(episode.audio.url) if episode.audio else None
        duration = episode.duration
        if duration is None and probe is not None:
            duration = probe.info.seconds
        late = [c for c in derived if duration is not None and c.start >= duration]
        if not late or not is_derived(derived):
            kept.append(episode)
            continue
        message = (
            f"the show notes' time {psc_start(late[0].start)} lies past the end of the episode "
            f"({duration} s): no chapters made from them"
        )
        source = relative_name(episode.source, root)
        problems.append(Problem("warning", message, source, late[0].line, HINT))
        tags = replace(episode.tags, inline_chapters=(), chapters=None)
        kept.append(replace(episode, tags=tags))
    return kept
