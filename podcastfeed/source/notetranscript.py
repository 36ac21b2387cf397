"""A transcript section of the show notes ("## Transcript", "Read the whole episode …
(Transcript)") as an HTML transcript (issue 16). Pure.

The format is the Podcast Index namespace's (docs/examples/transcripts/transcripts.md, "HTML"):
`<cite>` names the speaker, `<time>` gives when the turn starts, `<p>` holds what was said:

    <cite>Kevin:</cite>
    <time>0:00</time>
    <p>We have an update planned …</p>

A turn opens with `**Name:**` (or `**Name**:`), `Name:` (one to four words, the first
capitalized), either optionally with a time before it or in brackets after the name
(`[00:01:02] Kevin:`, `**Kevin (1:02):**`). Other paragraphs are what the last speaker goes on
saying.
"""

from __future__ import annotations

import functools
import re
from html import escape, unescape
from typing import NamedTuple

import nh3

from podcastfeed.source.notechapters import STAMP, seconds
from podcastfeed.source.notelines import has_text, headings, parts, text_of, text_start

_TIME = re.compile(rf"([\[(]?)\s*({STAMP})\s*([\])]?)(?=\s|<|$)")
_PAIRS = {"": "", "[": "]", "(": ")"}
_LINK = re.compile(r"<a [^>]*>.*?</a>", re.DOTALL)
_ANY_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.DOTALL)
_BOLD = re.compile(r"<(strong|b)>([^<]{1,80})</\1>(\s*:)?")
_PLAIN = re.compile(rf"([^<>:\[(]{{1,40}}?)\s*(?:[\[(]({STAMP})[\])])?\s*:(?=\s|$)")
_IN_LABEL = re.compile(rf"(.*?)\s*[\[(]({STAMP})[\])]\s*:?")
_TAGS = {"cite", "time", "p", "a", "strong", "b", "em", "i", "u", "s", "code", "sub", "sup"}
# What nh3 (as transcript_html calls it) writes back as it is: text without a raw "<" or ">", a
# NUL or a CR (nh3 drops the one, makes the other a LF; every other character it keeps, but
# writes U+00A0 as &nbsp;: tests/test_same_notes.py), with only the entities nh3 writes; tags of
# _TAGS without attributes but an <a>'s href nh3 keeps, all closed in the order opened, <p>
# only at the top, no link inside a link. An HTML parser builds the tree those tags spell, and
# nh3 writes that tree back the same.
_ANY_TAG = re.compile(r"<[^>]*>")
_TAGS_SEEN = ("em", "cite", "time", "code", "strong", "b", "i")  # the most frequent first
_BAD_ENTITY = re.compile(r"&(?!(?:amp|lt|gt|nbsp);)")
# An href nh3 keeps: http(s) with a host name the URL parser takes as it is (not a number, no
# punycode, no user, no port past 9999), or mailto:; nh3 drops a URL it cannot parse.
_HREF = (
    r"(?:[hH][tT][tT][pP][sS]?://(?![^/?#\"]*?[xX][nN]--)(?:[A-Za-z0-9-]+\.)*[A-Za-z][A-Za-z0-9-]*"
    r'(?::[0-9]{1,4})?(?:[/?#][^"]*+)?|[mM][aA][iI][lL][tT][oO]:[^"]*+)'
)
_LINK_PAIR = re.compile(rf'<a href="{_HREF}"></a>')
_TAG_PAIRS = tuple(f"<{t}></{t}>" for t in (*_TAGS_SEEN, *sorted(_TAGS - {"a", "p", *_TAGS_SEEN})))
HEAD = '<meta charset="utf-8">\n'
POINTER_WORDS = 25  # a section this short with a link and no speaker points elsewhere


class Section(NamedTuple):
    """Where the transcript section is in the notes: the heading, then its content up to the
    next heading of its level or above (or the end of the notes)."""

    start: int
    content: int  # where the content after the heading begins
    end: int


class Turn(NamedTuple):
    speaker: str | None
    time: str | None
    html: str  # what was said


def matches(text: str, patterns: tuple[str, ...]) -> bool:
    """Whether a heading's text is one of `patterns`: case does not matter, `*` stands for
    any text, a trailing colon is ignored."""
    return _matcher(patterns).fullmatch(text.strip().rstrip(":").strip()) is not None


@functools.lru_cache(maxsize=8)
def _matcher(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for all of `patterns` (matches() says what they mean)."""
    each = (".*".join(re.escape(part) for part in p.strip().split("*")) for p in patterns)
    return re.compile("|".join(f"(?:{one})" for one in each) or "(?!)", re.DOTALL | re.IGNORECASE)


@functools.lru_cache(maxsize=8)
def _needles(patterns: tuple[str, ...]) -> tuple[str, ...] | None:
    """Text (lower case) one of which every heading the patterns name holds: the longest part
    of each between `*`s; None when a pattern could name any heading."""
    parts = tuple(max(p.split("*"), key=len).strip().lower() for p in patterns)
    return None if not all(parts) else parts


def _holds(notes_html: str, needles: tuple[str, ...]) -> bool:
    """Whether the notes in lower case hold one of `needles` (lower case)."""
    for needle in needles:  # as written in a heading: found without lowering all the notes
        if needle.isascii() and any(
            written in notes_html for written in (needle.title(), needle.capitalize(), needle)
        ):
            return True  # the ASCII letters of the notes are lowered on their own
    lowered = notes_html.lower()  # C speed: a case-blind regex takes ten times as long
    return any(needle in lowered for needle in needles)


def find_section(notes_html: str, patterns: tuple[str, ...]) -> Section | None:
    """The first heading `patterns` name, and its section."""
    needles = _needles(patterns)
    if needles is not None and not _holds(notes_html, needles):
        return None  # the common case, at the cost of one scan (episode parsing is a hot path)
    candidates = (text_of(m[2]) for m in _ANY_HEADING.finditer(notes_html))
    if not any(matches(text, patterns) for text in candidates):
        return None
    found = headings(notes_html)
    for number, heading in enumerate(found):
        if matches(heading.text, patterns):
            after = (h.start for h in found[number + 1 :] if h.level <= heading.level)
            return Section(heading.start, heading.end, next(after, len(notes_html)))
    return None


def turn(html: str) -> Turn:
    """The speaker and time a line opens with, and the rest."""
    html = html.strip()
    time = None
    first = html[:1]  # what _TIME can start with, html being stripped: no \s
    lead = _TIME.match(html) if first in ("[", "(") or first.isdecimal() else None
    if lead is not None and _PAIRS[lead[1]] == lead[3] and seconds(lead[2]) is not None:
        time, html = lead[2], html[lead.end() :].lstrip()
    bold = _BOLD.match(html)
    if bold is not None:
        label = unescape(bold[2]).strip()
        if bold[3] or label.endswith(":"):
            inner = _IN_LABEL.fullmatch(label) if _ends_in_bracket(label) else None
            if inner is not None:
                label, time = inner[1], time or inner[2]
            label = label.rstrip(":").strip()
            if label and len(label.split()) <= 6:
                return Turn(label, time, html[bold.end() :].strip())
    # _PLAIN's colon comes before any "<" or ">" (the cheap test spares the lazy label most
    # lines: ones without a colon, or with one only in a link)
    colon = html.find(":")
    plain = None
    if colon > 0 and html.find("<", 0, colon) < 0 and html.find(">", 0, colon) < 0:
        plain = _PLAIN.match(html)
    if plain is not None:
        label = unescape(plain[1]).strip()
        words = label.split()
        if 1 <= len(words) <= 4 and label[0].isalpha() and not label[0].islower():
            return Turn(label, time or plain[2], html[plain.end() :].strip())
    return Turn(None, time, html)


def _ends_in_bracket(label: str) -> bool:
    """Whether _IN_LABEL can match `label`: it ends with "]" or ")", then blanks and a colon
    (each perhaps)."""
    if "[" not in label and "(" not in label:
        return False
    return label.removesuffix(":").rstrip().endswith(("]", ")"))


def opens_turn(text: str) -> bool:
    found = turn(escape(text, quote=False))
    return found.speaker is not None or found.time is not None


def transcript_html(section_html: str) -> str | None:
    """The section as an HTML transcript; "" when it holds no words; None when it points to
    the transcript elsewhere: its words all links, or a link in a few words without a speaker
    or a time ("Read it [here](https://…)")."""
    if _words_all_links(section_html):
        return None
    out: list[str] = []
    said_any = spoken = False
    for part, _ in parts(section_html, opens_turn):  # the lines (notelines.lines) that
        if not has_text(part):  # have text
            continue
        said = turn(part)
        if said.speaker is not None:
            out.append(f"<cite>{escape(said.speaker, quote=False)}:</cite>")
            spoken = True
        if said.time is not None:
            out.append(f"<time>{said.time}</time>")
            spoken = True
        if has_text(said.html):
            out.append(f"<p>{said.html}</p>")
            said_any = True
    if not said_any:
        return ""
    if (
        not spoken
        and _LINK.search(section_html)
        and len(text_of(section_html).split()) < POINTER_WORDS
    ):
        return None
    body = "\n".join(out)
    if _settled(body):  # the common case: nh3 would write it back as it is
        return HEAD + body.replace("\xa0", "&nbsp;") + "\n"
    # A line break inside an inline tag leaves it open on one line; nh3 closes it there.
    body = nh3.clean(body, tags=_TAGS, attributes={"a": {"href"}}, link_rel=None)
    return HEAD + body.replace("<br>", "<br/>") + "\n"


def _words_all_links(html: str) -> bool:
    """has_text(html) and not has_text(html without its links), without taking them out
    when the first text comes before any link (most sections: a speaker's line)."""
    start = text_start(html)
    if start == len(html):
        return False  # no text
    if html[start] != "&" and "<a " not in html[:start]:
        return False  # the same text first, links or not
    return has_text(html) and not has_text(_LINK.sub("", html))


def _settled(html: str) -> bool:
    """Whether nh3 (as transcript_html calls it) writes `html` back as it is but for U+00A0,
    which it writes as &nbsp;: see _ANY_TAG."""
    if "\r" in html or "\x00" in html or ("&" in html and _BAD_ENTITY.search(html)):
        return False
    tags = _ANY_TAG.findall(html)  # each "<" and ">" is a tag's: none is left in the text
    if html.count("<") != len(tags) or html.count(">") != len(tags):
        return False
    left = "".join(tags)
    if "<a " in left:  # each link closed before the next opens: none inside another
        links = left.split("<a ")
        if "</a>" in links[0] or any(link.count("</a>") != 1 for link in links[1:]):
            return False
    while True:  # take out innermost pairs of tags until none is left: all nested right
        before = len(left)
        for pair in _TAG_PAIRS:
            left = left.replace(pair, "")
        if "<a " in left:
            left = _LINK_PAIR.sub("", left)  # each href one nh3 keeps
        if len(left) == before:
            break
    return not left.replace("<p></p>", "")  # what is left: <p>s at the top only
