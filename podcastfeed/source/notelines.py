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
_LEVELS = {f"h{n}": n for n in range(1, 7)}
# `\s` is str.isspace(), which str.split() splits at.
_GAPS_AND_TAGS = re.compile(r"(?:\s|<[^>]*>)*")
# The tags _blocks acts on, written as _TAG would match them.
# (Factored by first letters: the same names, a third faster than their plain alternation;
# only one name can be followed by what comes after it, so the order does not matter.)
_CUT_NAMES = (
    "b(?:lockquote|r)|caption|fig(?:caption|ure)|h[1-6r]|li|ol|p(?:re)?"
    "|t(?:able|body|foot|head|[dhr])|ul"
)
_CUT = re.compile(rf'<(/?)({_CUT_NAMES})((?: [a-z-]+="[^"]*")*)/?>')
_LT_IN_VALUE = re.compile(r'="[^"]*<')  # where _TAG and _CUT could part ways
# The other tags headings() counts (the ones that are no heading and no void element).
_NOT_COUNTED = "(?!(?:br|hr|img|h[1-6])[ />])"
# One scan for both kinds: findall gives "/" for each closing tag, "" for each opening one.
_COUNTED = re.compile(rf'<(/?){_NOT_COUNTED}[a-z][a-z0-9]*(?: [a-z-]+="[^"]*")*/?>')
_HEADING_TAG = re.compile(r'<(/?)h([1-6])(?: [a-z-]+="[^"]*")*/?>')


def text_of(html: str) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(unescape(_ANY_TAG.sub(" ", html)).split())


def has_text(html: str) -> bool:
    """Whether text_of(html) is not empty, mostly without computing it."""
    stop = _GAPS_AND_TAGS.match(html).end()  # type: ignore[union-attr]  # text_start, inline
    if stop == len(html):
        return False
    return html[stop] != "&" or bool(text_of(html))  # "&nbsp;" may be all there is


def text_start(html: str) -> int:
    """Where the first character past the leading whitespace and tags is (len(html): none)."""
    return _GAPS_AND_TAGS.match(html).end()  # type: ignore[union-attr]  # matches ""


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
    for part, in_pre in parts(html, opens):
        text = text_of(part)
        if text:
            yield Line(part.strip(), text, in_pre or part.lstrip().startswith("<code>"))


def parts(html: str, opens: Callable[[str], bool]) -> Iterator[tuple[str, bool]]:
    """What lines() makes its lines of: (markup, inside <pre>), not stripped, some of them
    without text (whitespace, empty tags)."""
    for block, in_pre in _blocks(html):
        if "\n" not in block and _BREAK not in block:
            yield block, in_pre  # the common case: a block on one line
            continue
        if block.isspace():
            continue  # no text in any part: what opens() says of them does not matter
        found: list[str] = []
        for hard in block.split(_BREAK):
            for number, soft in enumerate(hard.split("\n")):
                if number and found and not opens(text_of(soft)):
                    found[-1] += " " + soft
                else:
                    found.append(soft)
        for part in found:
            yield part, in_pre


def headings(html: str) -> list[Heading]:
    """The headings outside any list, quote or link, in order."""
    if _LT_IN_VALUE.search(html) is None:
        return _headings_counted(html)
    found: list[Heading] = []
    depth, opened = 0, None
    for m in _TAG.finditer(html):
        slash, name = m.group(1, 2)
        level = _LEVELS.get(name)
        if level is None:
            if name not in _VOID:
                depth += -1 if slash else 1
        elif depth:
            pass
        elif not slash:
            opened = m
        elif opened is not None:
            text = text_of(html[opened.end() : m.start()])
            found.append(Heading(opened.start(), m.end(), level, text))
            opened = None
    return found


def _blocks(html: str) -> Iterator[tuple[str, bool]]:
    """(inline markup, inside <pre>) of each run of content between block tags; a <br/> is
    _BREAK."""
    if _LT_IN_VALUE.search(html) is None:  # every "<" starts its own tag or none: only the
        yield from _cut(html)  # tags cut at need to be found
        return
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


def _cut(html: str) -> Iterator[tuple[str, bool]]:
    """_blocks' result when no attribute value holds a "<", finding only the tags it cuts at."""
    tokens = _CUT.split(html)  # text, then (slash, name, attributes, text) for each tag
    names = tokens[2::4]
    if "br" not in names and "pre" not in names:
        for block in tokens[::4]:
            yield block, False
        return
    pending, pre = tokens[0], 0
    for at in range(1, len(tokens), 4):
        if tokens[at + 1] == "br":
            pending += _BREAK + tokens[at + 3]
            continue
        yield pending, pre > 0
        if tokens[at + 1] == "pre":
            pre += -1 if tokens[at] else 1
        pending = tokens[at + 3]
    yield pending, pre > 0


def _headings_counted(html: str) -> list[Heading]:
    """headings() when no attribute value holds a "<": the depth at each heading tag counted
    from the tags between them."""
    found: list[Heading] = []
    depth, opened, pos = 0, None, 0
    for m in _HEADING_TAG.finditer(html):
        # (with no "<" in an attribute value, no tag can hide another: one scan finds them all)
        between = _COUNTED.findall(html, pos, m.start())
        depth += len(between) - 2 * between.count("/")
        pos = m.end()
        if depth:
            continue
        if not m[1]:
            opened = m
        elif opened is not None:
            text = text_of(html[opened.end() : m.start()])
            found.append(Heading(opened.start(), m.end(), int(m[2]), text))
            opened = None
    return found
