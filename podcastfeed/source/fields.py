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
from podcastfeed.source.yamlfast import MAX_INT_BITS, NOT_PLAIN, fast_load

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
    "chapters": ("chapters",),
    "persons": ("persons", "person", "guests"),
    "persons_replace": ("persons_replace",),
    "soundbites": ("soundbites", "soundbite"),
    "location": ("location", "locations"),
    "license": ("license",),
    "images": ("images",),
    "alternate_enclosures": ("alternate_enclosures", "alternate_enclosure"),
    "value": ("value",),  # podcast:value, read in source/value.py
}


#: Issue 12: the most nodes YAML aliases may add to a document (a 2 KB "billion laughs" adds
#: 9**9); a scalar counts one node per 100 characters. Nesting is capped by libyaml (1,000).
ALIAS_BUDGET = 10_000
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: 10x faster


class YAMLLimitError(yaml.MarkedYAMLError):
    """YAML refused before it is built: aliases that expand too far, or refer to themselves."""


class _AliasLimit:
    """yaml's safe loader, refusing alias bombs after composing, in milliseconds and before any
    value is built (PyYAML builds shared values cheaply; our checks and messages then walked
    them for minutes)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)  # type: ignore[call-arg]
        self._has_anchor = "&" in stream  # no anchor, no alias: nothing to count (the hot path)

    def get_single_node(self) -> yaml.Node | None:
        node: yaml.Node | None = super().get_single_node()  # type: ignore[misc]
        if node is not None and self._has_anchor:
            _check_aliases(node)
        return node


class LimitedLoader(_AliasLimit, _SafeLoader):  # type: ignore[misc]
    """The safe loader on libyaml with the alias limit. Every YAML load in podcastfeed goes
    through it."""


class PurePythonLoader(_AliasLimit, yaml.SafeLoader):
    """The same on PyYAML's pure-Python parser: the values are the same as LimitedLoader's
    (tests/test_front_matter_yaml.py); LimitedLoader is this one where libyaml is missing."""


class WrittenLoader(LimitedLoader):
    """LimitedLoader, but booleans, numbers and dates come back as the text the file has."""


def _as_written(loader: WrittenLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


def _bounded_int(loader: Any, node: yaml.ScalarNode) -> int:
    """YAML's int, refused past MAX_INT_BITS: `0x` and 5,000 digits was a number that str()
    and every message quoting it refused with a traceback."""
    try:  # (int() refuses more than 4,300 decimal digits, in Python's words)
        value = int(yaml.SafeLoader.construct_yaml_int(loader, node))
    except ValueError:
        value = 1 << (MAX_INT_BITS + 1)
    if value.bit_length() > MAX_INT_BITS:
        problem = "has a number too large to read (over 4,000 decimal digits)"
        raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark)
    return value


for _loader in (LimitedLoader, PurePythonLoader):
    _loader.add_constructor("tag:yaml.org,2002:int", _bounded_int)
for _tag in ("bool", "int", "float", "timestamp"):
    WrittenLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _as_written)


#: What reading YAML front matter can raise (a syntax error, a refused alias bomb, a bad value).
YAML_ERRORS = (yaml.YAMLError, ValueError, TypeError)


def load_yaml(text: str) -> Any:
    """Safe YAML with the alias budget and depth limit (raises yaml.YAMLError): a plain
    mapping straight from libyaml's events (yamlfast.py), anything else through LimitedLoader."""
    value = fast_load(text)
    return yaml.load(text, Loader=LimitedLoader) if value is NOT_PLAIN else value


class _SelfReference(Exception):
    pass


def _check_aliases(root: yaml.Node) -> None:
    """Refuse a document whose aliases add more than ALIAS_BUDGET nodes, or refer to
    themselves; blames the top-level key whose value crosses the budget."""
    sizes: dict[int, int] = {}  # id(node) -> expanded size, so shared nodes are counted once
    active: set[int] = set()
    own = 0  # the size of the document as written

    def expanded(node: yaml.Node) -> int:
        nonlocal own
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise _SelfReference
        active.add(key)
        if isinstance(node, yaml.ScalarNode):
            size = 1 + len(node.value) // 100
            own += size
        elif isinstance(node, yaml.SequenceNode):
            own += 1
            size = 1 + sum(expanded(child) for child in node.value)
        else:
            own += 1
            size = 1 + sum(expanded(k) + expanded(v) for k, v in node.value)
        active.discard(key)
        sizes[key] = size
        return size

    pairs = root.value if isinstance(root, yaml.MappingNode) else [(None, root)]
    total = 0
    for name, value in pairs:
        label = f"{shorten(name.value)} " if isinstance(name, yaml.ScalarNode) else ""
        mark = (name or value).start_mark
        try:
            total += (expanded(name) if name is not None else 0) + expanded(value)
        except _SelfReference:
            problem = f"{label}uses a YAML alias inside its own anchor"
            raise YAMLLimitError(None, None, problem.strip(), mark) from None
        except RecursionError:  # libyaml allows 1,000 levels, more than Python's stack here
            problem = f"{label}nests too deeply to count its YAML aliases"
            raise YAMLLimitError(None, None, problem.strip(), mark) from None
        if total - own > ALIAS_BUDGET:
            problem = f"{label}uses YAML aliases that expand past {ALIAS_BUDGET:,} nodes"
            raise YAMLLimitError(None, None, problem.strip(), mark)


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
    _lines: dict[str, int] | None = None
    _written: dict[str, Any] | None = None

    def line(self, key: str | None) -> int | None:
        if key is None:
            return None
        if self._lines is None:  # composed only when a problem needs it
            self._lines = (
                toml_key_lines(self.front_matter) if self.is_toml else key_lines(self.front_matter)
            )
        return self._lines.get(key)

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


def yaml_error_line(exc: yaml.YAMLError, fm_text: str) -> int | None:
    """The file line of a YAML error; an error at the end points at where the open thing began."""
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return None
    end = len(fm_text.rstrip())
    if mark.index >= end:  # ran off the end: blame where the open thing began, or the last line
        context = getattr(exc, "context_mark", None)
        if context is not None and context.index < end:
            return int(context.line) + 2
        return fm_text.rstrip().count("\n") + 2
    return int(mark.line) + 2  # +1: 1-based, +1: the opening ---


def bad_value_line(fm_text: str) -> int | None:
    """The file line of the first scalar YAML parses but cannot build (`date: 2024-13-05`)."""
    try:
        pending = [yaml.compose(fm_text, Loader=LimitedLoader)]
    except YAML_ERRORS:
        return None
    builder = yaml.SafeLoader("")
    while pending:  # depth first, in the document's order
        node = pending.pop()
        if isinstance(node, yaml.ScalarNode):
            try:
                builder.construct_object(node)
            except YAML_ERRORS:
                return int(node.start_mark.line) + 2  # +1: 1-based, +1: the opening ---
        elif isinstance(node, yaml.CollectionNode):
            pairs = node.value if isinstance(node, yaml.MappingNode) else [(v,) for v in node.value]
            pending += [item for pair in reversed(pairs) for item in reversed(pair)]
    return None
