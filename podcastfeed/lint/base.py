"""What a rule is and what it reads: `Rule` and the `@rule` registry, `Feed` (a parsed feed,
with the `Origin` of our own build), `Hit` and `Finding`, and the helpers rules share.

Rules read an lxml tree, so the same rules lint our own build and any existing feed
(`check --feed`). For our own build an `Origin` maps findings back to feed.toml or the episode
file and the line of the key that sets the value; otherwise a finding points at the feed file and
the XML element's line. The rules live in rules/ and import only this module; runner.py runs
them; docs/rules.md documents each one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from lxml import etree

from podcastfeed.errors import Problem
from podcastfeed.source.lookup import line_of, read_front_matter, read_notes
from podcastfeed.source.tables import key_line
from podcastfeed.values import parse_rfc822
from podcastfeed.xmlns import ATOM, ITUNES, PODCAST, PODCAST_LEGACY

if TYPE_CHECKING:
    from podcastfeed.media.artwork import Artwork, ArtworkError


class Online(Protocol):
    """What the online rules ask the media host (lint/online.py answers, over HTTP)."""

    def answer(self, url: str, method: str) -> dict[str, Any]: ...

    def artwork(self, url: str) -> Artwork | ArtworkError | None: ...


SEVERITIES = ("error", "warning", "info")
NS = {"itunes": ITUNES, "podcast": PODCAST, "atom": ATOM}
PSP1 = "https://github.com/Podcast-Standards-Project/PSP-1-Podcast-RSS-Specification"


@dataclass(frozen=True)
class Hit:
    """What a rule found: the element it concerns and the key (feed.toml or front matter) that
    sets it, when the feed is ours."""

    element: etree._Element | None
    message: str
    hint: str | None = None
    key: str | None = None
    at: tuple[str, int | None] | None = None  # (file, line) when known without an element


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


@dataclass
class Origin:
    """Where the parts of our own feed come from: feed.toml and the episode files."""

    config: Path
    config_shown: str
    episodes: dict[str, tuple[Path, str]]  # item guid -> (episode file, as shown)
    probe_methods: dict[str, str] = field(default_factory=dict)  # enclosure URL -> method
    # enclosure URL -> (seconds, bytes) measured, also where the front matter states them
    measured: dict[str, tuple[float, int]] = field(default_factory=dict)
    ignore: frozenset[str] = frozenset()  # [check] ignore
    # itunes:image URL -> (the local file published there, as shown): checked offline
    artwork: dict[str, tuple[Path, str]] = field(default_factory=dict)
    # (file, line, what was repaired) for each text the build repaired (issue 14, fix_text)
    repaired: tuple[tuple[str, int | None, str], ...] = ()
    # the show notes went into the feed as written ([build] fix_text = false): the mojibake
    # rule reads them in the episode files, where their lines are (issue 15)
    notes_as_written: bool = False
    _config_text: str | None = None
    _front: dict[Path, tuple[dict[str, int], frozenset[str]]] = field(default_factory=dict)

    def config_line(self, key: str | None) -> int | None:
        if key is None:
            return None
        if self._config_text is None:
            self._config_text = self.config.read_text(encoding="utf-8-sig")
        return key_line(self._config_text, "show", key)

    def notes(self, path: Path) -> list[tuple[int, str]]:
        """(line, text) of each line of an episode file's show notes."""
        return read_notes(path)

    def sets(self, guid: str, name: str) -> bool:
        """Does the episode file of the item with `guid` set field `name` (by any key)?"""
        found = self.episodes.get(guid)
        return found is not None and line_of(self.front_matter(found[0])[0], name) is not None

    def front_matter(self, path: Path) -> tuple[dict[str, int], frozenset[str]]:
        """(key -> line, check_ignore ids) of an episode file, read once when first needed."""
        if path not in self._front:
            self._front[path] = read_front_matter(path)
        return self._front[path]


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
    repairs: tuple[tuple[int | None, str], ...] = ()  # (line, what) the XML reader repaired

    @cached_property
    def channel(self) -> etree._Element:
        found = self.root.find("channel")
        return found if found is not None else self.root

    @cached_property
    def items(self) -> list[etree._Element]:
        return self.channel.findall("item")

    @cached_property
    def self_href(self) -> str | None:
        """The href of the channel's first atom:link rel="self" that has one, as written."""
        for atom in self.findall(self.channel, "atom:link"):
            if atom.get("rel") == "self" and atom.get("href"):
                return atom.get("href")
        return None

    @cached_property
    def urls(self) -> tuple[FeedURL, ...]:
        """Every URL of the feed that apps fetch or follow, in document order (find_urls)."""
        return tuple(find_urls(self.root))

    def find(self, parent: etree._Element, path: str) -> etree._Element | None:
        """The first element at `path` (itunes:/podcast:/atom: prefixes; podcast: also matches
        the legacy namespace URI)."""
        found = parent.find(path, NS)
        if found is None and path.startswith("podcast:"):
            found = parent.find(path, {"podcast": PODCAST_LEGACY})
        return found

    def findall(self, parent: etree._Element, path: str) -> list[etree._Element]:
        return list(parent.findall(path, NS))

    def place(self, item: etree._Element) -> str:
        """Where an item is, for a message naming another episode: in our own build its
        episode file (the feed's lines are in no file the user has), else `line N`."""
        if self.origin is not None:
            found = self.origin.episodes.get(text_of(item.find("guid")) or "")
            if found is not None:
                return found[1]
        return f"line {item.sourceline}"


@dataclass(frozen=True)
class FeedURL:
    """One URL of the feed: its element, the attribute that holds it (None: the element's
    text), the item it is in (None: the channel) and the key (feed.toml or front matter) that
    sets it, when the feed is ours."""

    element: etree._Element
    attribute: str | None
    url: str
    item: etree._Element | None
    key: str | None


#: The attributes that hold a URL apps fetch or follow: enclosure, image, transcript, chapters,
#: person (href, img), alternate enclosure source (uri), funding, licence, trailer, podcast:image,
#: remote item (feedUrl), Podlove chapter (href, image), atom:link; <link> and <url> texts too.
URL_ATTRIBUTES = frozenset({"url", "href", "uri", "img", "image", "feedUrl"})
_URL_TEXTS = frozenset({"link", "url", f"{{{ITUNES}}}new-feed-url"})
#: The key that sets each tag's URL, by the tag's local name (feed.toml or front matter).
_URL_KEYS = {
    "enclosure": "audio",
    "person": "persons",
    "license": "license",
    "funding": "funding",
    "trailer": "trailers",
    "chapters": "chapters",
    "chapter": "chapters",
    "transcript": "transcript",
    "source": "alternate_enclosures",
    "new-feed-url": "new_feed_url",
    "url": "image",
}
_ATOM_KEYS = {"self": "feed_url", "hub": "hubs", "alternate": "permalink"}


def find_urls(root: etree._Element) -> Iterator[FeedURL]:
    """Every URL in the feed under `root`, in document order: the one list the URL rules
    (url-characters, url-password) read, so that no field is left out of one of them."""
    for element in root.iter(etree.Element):
        keys = element.keys()
        names = [name for name in keys if name in URL_ATTRIBUTES] if keys else []
        texts = [element.text] if element.tag in _URL_TEXTS and element.text else []
        if not names and not texts:
            continue
        item = element if element.tag == "item" else _item_of(element)
        key = _url_key(element, item)
        for name, url in [(n, element.get(n) or "") for n in names] + [(None, t) for t in texts]:
            if url.strip():
                yield FeedURL(element, name, url.strip(), item, key)


def _item_of(element: etree._Element) -> etree._Element | None:
    for parent in element.iterancestors("item"):
        return parent
    return None


def _url_key(element: etree._Element, item: etree._Element | None) -> str | None:
    name = etree.QName(element).localname
    if element.tag == "link":
        return "permalink" if element.getparent() is item and item is not None else "link"
    if element.tag == f"{{{ATOM}}}link":
        return _ATOM_KEYS.get(element.get("rel") or "")
    if name == "image":
        return "image" if element.tag == f"{{{ITUNES}}}image" else "images"
    if name == "remoteItem":
        parent = element.getparent()
        return "podroll" if parent is not None and parent.tag.endswith("podroll") else "value"
    return _URL_KEYS.get(name)


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


def pub_date(value: str | None) -> datetime | None:
    """An RFC 2822 date as feeds write it (no zone: UTC); None when it is not one."""
    try:
        return parse_rfc822(value or "")
    except ValueError:
        return None


def is_absolute_url(url: str) -> bool:
    """An absolute http(s) URL with a host and a port an app can reach, as the build takes
    (values.parse_link); a space or other character a URL cannot hold as written is
    podcastfeed/url-characters' warning, in every URL alike."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises for a port over 65535 or not a number)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)
