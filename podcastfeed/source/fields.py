"""Reading one episode file's front-matter fields: key aliases, typed values, and a problem
for each bad one at its line. Pure: works on text already read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Any

import yaml

from podcastfeed.errors import EpisodeError, ProbeError, Problem, shorten
from podcastfeed.source.frontparts import toml_nested_written, toml_written
from podcastfeed.source.tables import clean_text
from podcastfeed.source.wordpress import decode_entities
from podcastfeed.source.written import (
    ALL_TEXT_KEYS,
    NOT_TEXT,
    NUMBER_FIELDS,
    is_number,
    needs_written,
    number_as_written,
    with_written,
)
from podcastfeed.source.yamlload import YAML_ERRORS, LimitedLoader, WrittenLoader

#: One-line fields whose HTML entities are decoded once (WordPress writes `&#8211;` into
#: titles); summaries are HTML and keep theirs for the sanitizer.
ONE_LINE_FIELDS = frozenset(
    {"title", "author", "itunes_author", "itunes_title", "season_name", "episode_display", "guid"}
)

#: Fields read as written whatever YAML 1.1 makes of the scalar (FieldReader.raw): `title: off`
#: is "off" (not False), `title: 1.10` "1.10" (not 1.1), `episode: 010` 10 (octal: 8). Not
#: `guid`: a feed already published with `guid: 0123` as "83" keeps its guids (guids.py).
TEXT_FIELDS = ONE_LINE_FIELDS - {"guid"} | {"summary", "status", "season", "episode", "permalink"}

_TOML = (*NOT_TEXT, time)  # TOML's typed values besides text

#: Canonical field -> the keys that may hold it, first match wins. `type` is not here on purpose:
#: WordPress exports use it for the post type (`type: post`).
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    # Hugo's publishDate first: the post appears then, whatever its `date` says
    "date": ("publishDate", "publishdate", "date", "pubDate", "pubdate", "published", "pub_date"),
    "post_time": ("post_time",),  # Jekyll: the time of a date taken from the file name
    "expiry_date": ("expiryDate", "expirydate", "expiry_date"),  # Hugo
    "status": ("status",),
    "draft": ("draft",),
    "permalink": ("permalink", "link", "url"),
    "author": ("author",),
    "summary": ("excerpt", "description", "summary", "subtitle"),
    "image": ("image", "thumbnail", "episode_image"),
    "keywords": ("category", "categories", "tag", "tags", "keywords"),
    "audio": ("audio", "enclosure", "file", "media", "mp3", "podcast_file"),
    # issue 14: a second format beside the main audio, written as an alternate enclosure
    "other_formats": ("ogg", "opus", "m4a", "aac", "flac"),
    "guid": ("guid",),
    "guid_is_permalink": ("guid_is_permalink",),
    "season": ("season", "series"),
    "episode": ("episode", "episode_number", "number"),
    "episode_type": ("episode_type", "episodeType", "itunes_episode_type"),
    "explicit": ("explicit",),
    "duration": ("duration", "podcast_duration"),
    "length": ("length", "size", "mp3length", "filesize", "podcast_bytes"),
    "mime_type": ("mime_type", "audio_type"),
    # issue 4: the optional tags, read in podcastfeed/episode_tags.py
    "itunes_title": ("itunes_title",),
    "itunes_author": ("itunes_author",),
    "block": ("block", "itunes_block"),
    "season_name": ("season_name",),
    "episode_display": ("episode_display",),
    "transcript": ("transcript", "transcripts"),
    "chapters": ("chapters", "podcast_chapters"),  # rpodcast/castanet's archetype
    "persons": ("persons", "person", "guests"),
    "persons_replace": ("persons_replace",),
    "soundbites": ("soundbites", "soundbite"),
    "location": ("location", "locations"),
    "license": ("license",),
    "images": ("images",),
    "alternate_enclosures": ("alternate_enclosures", "alternate_enclosure"),
    "value": ("value",),  # podcast:value, read in source/value.py
}


def key_lines(front_matter: str) -> dict[str, int]:
    """Top-level front-matter keys -> their 1-based line in the file (the `---` is line 1)."""
    return {key: line for key, (line, _text) in _keys(front_matter).items()}


def toml_key_lines(front_matter: str) -> dict[str, int]:
    """Top-level keys of TOML front matter (Hugo's `+++`) -> their line (the `+++` is line 1)."""
    found: dict[str, int] = {}
    for number, line in enumerate(front_matter.splitlines(), start=2):
        if line.lstrip().startswith("["):
            break  # a table: the keys after it are not top-level
        key = re.match(r"""^\s*["']?([A-Za-z0-9_-]+)["']?\s*=""", line)
        if key:
            found.setdefault(key.group(1), number)
    return found


def _keys(front_matter: str) -> dict[str, tuple[int, str | None]]:
    """Top-level keys -> (line, the value's text as written when it is a scalar)."""
    try:
        node = yaml.compose(front_matter, Loader=LimitedLoader)
    except yaml.YAMLError:
        return {}
    found: dict[str, tuple[int, str | None]] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                text = str(value.value) if isinstance(value, yaml.ScalarNode) else None
                found[str(key.value)] = (key.start_mark.line + 2, text)  # the last is read
    return found


@dataclass
class FieldReader:
    """One episode file being read, collecting its problems."""

    path: Path
    display: str
    front_matter: str
    meta: dict[str, Any]
    fields: dict[str, str]
    problems: list[Problem]
    is_toml: bool = False  # Hugo's `+++` front matter
    taken: set[str] = field(default_factory=set)  # keys another field used (`url:` as audio)
    spelt: dict[str, str] = field(default_factory=dict)  # known key -> as written (`Date`)
    nested: dict[str, str] = field(default_factory=dict)  # `episode.size` -> `episode`
    _lines: dict[str, int] | None = None
    _written: dict[str, Any] | None = None

    def line(self, key: str | None) -> int | None:
        if key is None:
            return None
        if self._lines is None:  # composed only when a problem needs it
            self._lines = (
                toml_key_lines(self.front_matter) if self.is_toml else key_lines(self.front_matter)
            )
        return self._lines.get(self.spelt.get(key, key)) or self._lines.get(
            self.nested.get(key, "")
        )

    def key_for(self, name: str) -> str | None:
        """The key in this file that holds canonical field `name`."""
        mapped = self.fields.get(name)
        for key in ((mapped,) if mapped else ()) + ALIASES.get(name, (name,)):
            if key in self.taken:
                continue
            if key in self.meta and self.meta[key] is not None and self.meta[key] != "":
                return key
        return None

    def raw(self, name: str) -> Any:
        key = self.key_for(name)
        if key is None:
            return None
        value = self.meta[key]
        if self.is_toml:  # typed already, but a text field's `title = 1.10` is "1.10"
            if name in TEXT_FIELDS - {"season", "episode"} and isinstance(value, _TOML):
                return self.as_written(key, value)
            if not needs_written(value, name):  # (else `persons = [{name = 1.10}]`: "1.10")
                return value
        elif name in TEXT_FIELDS and isinstance(value, NOT_TEXT):
            return self.as_written(key, value)
        elif name in NUMBER_FIELDS and is_number(value):
            return number_as_written(value, self.as_written(key, value))
        if needs_written(value, name):
            return with_written(value, self.as_written(key, value), name)
        return value

    def as_written(self, key: str, value: object) -> Any:
        """The value of `key` with YAML's booleans, numbers and dates as the file spells them
        (the front matter is read again, only when asked); TOML's as its text has it."""
        key = self.spelt.get(key, key)
        if self.is_toml:
            if isinstance(value, list | dict):
                return toml_nested_written(self.front_matter, key, value, ALL_TEXT_KEYS)
            return toml_written(self.front_matter, key, value) or value
        if self._written is None:
            try:
                loaded = yaml.load(self.front_matter, Loader=WrittenLoader)
            except YAML_ERRORS:
                loaded = None
            self._written = loaded if isinstance(loaded, dict) else {}
        written = self._written.get(key)
        return written if isinstance(written, str | list | dict) else value

    def problem(
        self,
        name: str | None,
        message: str,
        *,
        hint: str | None = None,
        level: str = "error",
        probe: bool = False,
    ) -> None:
        key = self.key_for(name) if name else None
        prefix = f"'{key}' " if key else ""
        error = (ProbeError if probe else EpisodeError)(
            prefix + message, source=self.display, line=self.line(key), hint=hint
        )
        problem = error.to_problem()
        self.problems.append(problem if level == "error" else _at_level(problem, level))

    def parsed(self, name: str, parse: Callable[[Any], Any]) -> Any:
        value = self.raw(name)
        if value is None:
            return None
        try:
            return parse(value)
        except ValueError as exc:
            if isinstance(value, date | int | float) and not self.is_toml:  # YAML made it a
                # date or number: show it as the file has it (`date: 12:30` is not 750)
                written = _keys(self.front_matter).get(self.key_for(name) or "", (0, None))[1]
                if isinstance(value, date):
                    value = written or value.isoformat()
                elif written and written != str(value):
                    value = written
            elif self.is_toml and isinstance(value, date | time):  # 14:30:00, not datetime.time(…)
                value = self.as_written(self.key_for(name) or name, value)
            self.problem(name, f"{exc} (got {shorten(value)})", hint=getattr(exc, "hint", None))
            return None

    def text(self, name: str) -> str | None:
        value = self.raw(name)
        if value is None:
            return None
        if not isinstance(value, str | int | float | date):  # a list, a table, !!binary, !!set
            self.problem(name, f"must be text (got {type(value).__name__})")
            return None
        text = clean_text(str(value))
        if name in ONE_LINE_FIELDS and "&" in text:  # `&#1;` decodes to what XML cannot carry
            text = clean_text(decode_entities(text))
        return text or None


def _at_level(problem: Problem, level: str) -> Problem:
    """A warning or a note (never fatal) of the same words and place."""
    return Problem(level, problem.message, problem.source, problem.line, problem.hint)
