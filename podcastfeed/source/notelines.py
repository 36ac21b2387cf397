"""Sanitized show notes (shownotes.render_notes' output) read as lines and headings, for what
the notes hold besides notes: a timestamped topic list, a transcript section (issue 16). Pure.

nh3 serializes canonically (lowercase tags, double-quoted attributes, no raw "<" in text), so a
regex tokenizes its output faithfully, as in shownotes.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import unescape

_TAG = re.compile(r'<(/?)([a-z][a-z0-9]*)((?: [a-z-]+="[^"]*")*)/?>')
_LINK = re.compile(r'<a href="([^"]*)"[^>]*>(.*?)</a>', re.DOTALL)
_ANY_TAG = re.compile(r"<[^>]*>")
_BLOCKS = frozenset(
    {"p", "li", "ul", "ol", "blockquote", "pre", "table", "caption", "thead", "tbody", "tfoot"}
    | {"tr", "th", "td", "figure", "figcaption", "hr", "h1", "h2", "h3", "h4", "h5", "h6"}
)
_VOID = frozenset({"br", "hr", "img"})
_BREAK = "\x00"  # a <br/>: strip_control_chars took every NUL out of the notes before
_HEADING = re.compile(r"h([1-6])")


def text_of(html: str) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(unescape(_ANY_TAG.sub(" ", html)).split())


@dataclass(frozen=True)
class Line:
    """One line of the notes: a block, or a part of one between <br/>s or line breaks."""

    html: str  # its markup as the sanitizer wrote it (an inline tag may be cut at the break)
    text: str
    is_code: bool  # inside <pre>, or opening with <code>: shown as code, never read as data

    @property
    def links(self) -> list[tuple[str, str]]:
        """(href, link text) of each link on the line, in order."""
        return [(unescape(href), text_of(inner)) for href, inner in _LINK.findall(self.html)]


@dataclass(frozen=True)
class Heading:
    start: int  # where its start tag begins in the notes
    end: int  # where its end tag ends
    level: int
    text: str


def lines(html: str, opens: Callable[[str], bool]) -> Iterator[Line]:
    """The lines of `html`: each block's content, split at <br/>, and at a line break (Markdown
    keeps a paragraph's line breaks) where the next part `opens` a new entry, judged on its
    text. Elsewhere a line break is a space: a long topic wraps onto the next line."""
    for block, in_pre in _blocks(html):
        parts: list[str] = []
        for hard in block.split(_BREAK):
            for number, soft in enumerate(hard.split("\n")):
                if number and parts and not opens(text_of(soft)):
                    parts[-1] += " " + soft
                else:
                    parts.append(soft)
        for part in parts:
            text = text_of(part)
            if text:
                yield Line(part.strip(), text, in_pre or part.lstrip().startswith("<code>"))


def headings(html: str) -> list[Heading]:
    """The headings outside any list, quote or link, in order."""
    found: list[Heading] = []
    depth, opened = 0, None
    for m in _TAG.finditer(html):
        slash, name = m[1], m[2]
        level = _HEADING.fullmatch(name)
        if name in _VOID:
            continue
        if level and depth == 0 and not slash:
            opened = m
        elif level and depth == 0 and opened is not None:
            text = text_of(html[opened.end() : m.start()])
            found.append(Heading(opened.start(), m.end(), int(level[1]), text))
            opened = None
        elif not level:
            depth += -1 if slash else 1
    return found


def _blocks(html: str) -> Iterator[tuple[str, bool]]:
    """(inline markup, inside <pre>) of each run of content between block tags; a <br/> is
    _BREAK."""
    pending: list[str] = []
    pre = 0
    pos = 0
    for m in _TAG.finditer(html):
        pending.append(html[pos : m.start()])
        pos = m.end()
        slash, name = m[1], m[2]
        if name == "br":
            pending.append(_BREAK)
        elif name in _BLOCKS:
            yield "".join(pending), pre > 0
            pending = []
            if name == "pre":
                pre += -1 if slash else 1
        else:
            pending.append(m[0])
    pending.append(html[pos:])
    yield "".join(pending), pre > 0
