"""Directory-readiness rules on a parsed RSS feed: the registry, the runner, the findings.

Rules read an lxml tree, so the same rules lint our own build and any existing feed
(`check --feed`). For our own build an `Origin` maps findings back to feed.toml or the episode
file and the line of the key that sets the value; otherwise a finding points at the feed file and
the XML element's line. The rules live in checks_channel.py, checks_items.py, checks_text.py,
checks_namespaces.py, checks_artwork.py and checks_online.py; docs/rules.md documents each one.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from lxml import etree

from podcastfeed.errors import PodcastfeedError, Problem
from podcastfeed.feeds.xml import rss_root
from podcastfeed.source.config import key_line
from podcastfeed.source.fields import ALIASES, key_lines, load_yaml
from podcastfeed.xmlns import ATOM, CONTENT, ITUNES, PODCAST, PODCAST_LEGACY

if TYPE_CHECKING:
    from podcastfeed.lint.online import Online
    from podcastfeed.media.artwork import Artwork, ArtworkError

SEVERITIES = ("error", "warning", "info")
NS = {"itunes": ITUNES, "podcast": PODCAST, "atom": ATOM}


@dataclass(frozen=True)
class Hit:
    """What a rule found: the element it concerns and the key (feed.toml or front matter) that
    sets it, when the feed is ours."""

    element: etree._Element | None
    message: str
    hint: str | None = None
    key: str | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    summary: str
    source: str  # where the requirement comes from (a URL)
    explanation: str
    check: Callable[[Feed], Iterable[Hit]]
    online: bool = False  # needs --online (it makes HTTP requests)


@dataclass(frozen=True)
class Finding:
    """One rule broken at one place."""

    rule: str
    severity: str
    message: str
    file: str | None = None
    line: int | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: " if self.file and self.line else ""
        where = where or (f"{self.file}: " if self.file else "")
        text = f"{where}{self.severity}: {self.message} [{self.rule}]"
        return text + (f"\n  hint: {self.hint}" if self.hint else "")

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "hint": self.hint,
        }

    def to_problem(self) -> Problem:
        level = "error" if self.severity == "error" else "warning"
        return Problem(
            level, f"{self.message} [{self.rule}]", source=self.file, line=self.line, hint=self.hint
        )


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str, severity: str, summary: str, source: str, *, online: bool = False
) -> Callable[[Callable[[Feed], Iterable[Hit]]], Callable[[Feed], Iterable[Hit]]]:
    """Register a rule; its docstring is the explanation docs/rules.md expands on."""
    assert severity in SEVERITIES, severity

    def register(check: Callable[[Feed], Iterable[Hit]]) -> Callable[[Feed], Iterable[Hit]]:
        assert rule_id not in RULES, rule_id
        explanation = " ".join((check.__doc__ or "").split())
        RULES[rule_id] = Rule(rule_id, severity, summary, source, explanation, check, online)
        return check

    return register


def all_rules() -> dict[str, Rule]:
    """Every registered rule, by id (importing the rule modules registers them)."""
    from podcastfeed.lint import online  # noqa: F401 - imported for their @rule registrations
    from podcastfeed.lint.rules import artwork, channel, items, namespaces, text  # noqa: F401

    return RULES


@dataclass
class Origin:
    """Where the parts of our own feed come from: feed.toml and the episode files."""

    config: Path
    config_shown: str
    episodes: dict[str, tuple[Path, str]]  # item guid -> (episode file, as shown)
    probe_methods: dict[str, str] = field(default_factory=dict)  # enclosure URL -> method
    ignore: frozenset[str] = frozenset()  # [check] ignore
    _config_text: str | None = None
    _front: dict[Path, tuple[dict[str, int], frozenset[str]]] = field(default_factory=dict)

    def config_line(self, key: str | None) -> int | None:
        if key is None:
            return None
        if self._config_text is None:
            self._config_text = self.config.read_text(encoding="utf-8")
        return key_line(self._config_text, "show", key)

    def front_matter(self, path: Path) -> tuple[dict[str, int], frozenset[str]]:
        """(key -> line, check_ignore ids) of an episode file, read once when first needed."""
        if path not in self._front:
            self._front[path] = read_front_matter(path)
        return self._front[path]


def read_front_matter(path: Path) -> tuple[dict[str, int], frozenset[str]]:
    from podcastfeed.source.episodes import split_front_matter

    try:
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        return {}, frozenset()
    parts = split_front_matter(text)
    if parts is None:
        return {}, frozenset()
    try:
        meta = load_yaml(parts[0]) or {}
    except (yaml.YAMLError, ValueError, TypeError):  # as read_episode reports them
        meta = {}
    ignore = meta.get("check_ignore") if isinstance(meta, dict) else None
    if isinstance(ignore, str):
        ignore = [ignore]
    ids = frozenset(str(i) for i in ignore) if isinstance(ignore, list) else frozenset()
    return key_lines(parts[0]), ids


def read_ignore(config: Path) -> frozenset[str]:
    """feed.toml's `[check] ignore = [...]` (read here: config.py builds the Show)."""
    try:
        data = tomllib.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return frozenset()
    table = data.get("check")
    ignore = table.get("ignore", []) if isinstance(table, dict) else []
    return frozenset(str(i) for i in ignore) if isinstance(ignore, list) else frozenset()


@dataclass
class Feed:
    """A parsed feed and what the rules may use besides it."""

    root: etree._Element
    source: str  # the feed file or URL, as shown in findings
    now: datetime
    origin: Origin | None = None  # set for our own build
    base: Path | None = None  # folder that relative (local) artwork paths start from
    online: Online | None = None  # with --online
    sample: int | None = None  # --sample N: enclosures to test online
    artwork_cache: dict[str, Artwork | ArtworkError | None] = field(default_factory=dict)

    @cached_property
    def channel(self) -> etree._Element:
        found = self.root.find("channel")
        return found if found is not None else self.root

    @cached_property
    def items(self) -> list[etree._Element]:
        return self.channel.findall("item")

    def find(self, parent: etree._Element, path: str) -> etree._Element | None:
        """The first element at `path` (itunes:/podcast:/atom: prefixes; podcast: also matches
        the legacy namespace URI)."""
        found = parent.find(path, NS)
        if found is None and path.startswith("podcast:"):
            found = parent.find(path, {"podcast": PODCAST_LEGACY})
        return found

    def findall(self, parent: etree._Element, path: str) -> list[etree._Element]:
        return list(parent.findall(path, NS))


def repeats(
    feed: Feed, value_of: Callable[[etree._Element], tuple[etree._Element | None, str | None]]
) -> Iterator[tuple[etree._Element | None, str, etree._Element]]:
    """(element, value, first item) for each item whose value an earlier item already has."""
    seen: dict[str, etree._Element] = {}
    for item in feed.items:
        element, value = value_of(item)
        if not value:
            continue
        first = seen.setdefault(value, item)
        if first is not item:
            yield element, value, first


def text_of(element: etree._Element | None) -> str | None:
    """The element's text, stripped; None when there is no element."""
    if element is None:
        return None
    if len(element) == 0:  # no children: the common case, and 5x faster
        return (element.text or "").strip()
    return "".join(str(part) for part in element.itertext()).strip()


#: Elements no rule reads, dropped while parsing our own feed: most of its bytes are notes.
_UNREAD = (f"{{{CONTENT}}}encoded",)


def parse_pieces(pieces: Iterable[bytes], source: str) -> etree._Element:
    """The root of a feed given piece by piece (as a build renders it), without the full show
    notes (content:encoded), so a 10,000-episode feed never sits in memory whole.

    Raises:
        PodcastfeedError: not well-formed XML, or not RSS.
    """
    parser = etree.XMLPullParser(
        events=("end",), tag=_UNREAD, resolve_entities=False, no_network=True, huge_tree=True
    )
    try:
        for piece in pieces:
            parser.feed(piece)
            for _event, element in parser.read_events():
                if isinstance(element, etree._Element):
                    element.text = None
        root = parser.close()
    except etree.XMLSyntaxError as exc:
        raise PodcastfeedError(
            f"not well-formed XML: {exc.msg}", source=source, line=exc.lineno
        ) from exc
    return rss_root(root, source)


def run(
    feed: Feed,
    *,
    severities: Iterable[str] = SEVERITIES,
    online: bool = False,
    ignore: Iterable[str] = (),
) -> list[Finding]:
    """Run the rules (online ones only with `online`) and return what they found, in order."""
    wanted = set(severities)
    skipped = set(ignore) | (feed.origin.ignore if feed.origin else frozenset())
    findings: list[Finding] = []
    for current in all_rules().values():
        if current.severity not in wanted or current.id in skipped:
            continue
        if current.online and not online:
            continue
        for hit in current.check(feed):
            finding = _locate(feed, current, hit)
            if finding is not None:
                findings.append(finding)
    return findings


def _item_of(element: etree._Element | None) -> etree._Element | None:
    while element is not None and element.tag != "item":
        element = element.getparent()
    return element


def _locate(feed: Feed, current: Rule, hit: Hit) -> Finding | None:
    """The finding for a hit, at its source; None when the episode's check_ignore lists it."""
    line: int | None = getattr(hit.element, "sourceline", None)
    where: tuple[str | None, int | None] = (feed.source, line)
    origin = feed.origin
    if origin is not None:
        item = _item_of(hit.element)
        if item is None:
            where = (origin.config_shown, origin.config_line(_config_key(hit.key)))
        else:
            guid = text_of(item.find("guid")) or ""
            if guid in origin.episodes:
                path, shown = origin.episodes[guid]
                lines, ignored = origin.front_matter(path)
                if current.id in ignored:
                    return None
                where = (shown, _front_line(lines, hit.key))
    return Finding(current.id, current.severity, hit.message, where[0], where[1], hit.hint)


def _config_key(key: str | None) -> str | None:
    return {"owner_email": "owner", "itunes_image": "image"}.get(key or "", key)


def _front_line(lines: dict[str, int], key: str | None) -> int | None:
    if key is None:
        return None
    for name in ALIASES.get(key, (key,)):
        if name in lines:
            return lines[name]
    return None


def count(findings: Iterable[Finding]) -> dict[str, int]:
    totals = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        totals[finding.severity] += 1
    return totals


def shout(text: str) -> bool:
    """ALL CAPS text (at least 8 letters): directories treat it as spam."""
    letters = re.sub(r"[^A-Za-zÀ-ÿ]", "", text)
    return len(letters) >= 8 and letters.isupper()


def iter_texts(feed: Feed) -> Iterator[tuple[etree._Element, str]]:
    """(element, text) for the channel's and items' title, author and description."""
    paths = ("title", "itunes:author", "description", "itunes:subtitle", "itunes:summary")
    for parent in (feed.channel, *feed.items):
        for path in paths:
            element = feed.find(parent, path)
            if element is not None and element.text:
                yield element, element.text
