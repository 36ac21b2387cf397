"""Chapters from a timestamped topic list in the show notes (issue 16). Pure.

A line that opens with a time is a topic: `00:08:37 What is platform engineering`, `[08:37] …`,
`(1:02:03) – …`, `08:37 - …`, in a list or on lines of their own, its first link (not one on
the time itself) the chapter's link. They become chapters only when they look like a chapter
list, else a warning says why and there are none (docs/configuration.md, "Chapters from the
show notes"):

- at least MIN_LINES such lines (one time in the notes is a mention, not a list);
- in playing order, each after the one before;
- the first within FIRST_WITHIN seconds of the start (JSON chapters and Simple Chapters both
  describe the episode from its start; a list opening at 12:00 lists topics, not chapters);
- each inside the measured episode (checked once the audio is measured: chapters.keep_inside).

A time inside a sentence, in a code block or in inline code at the start of a line is no topic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from podcastfeed.model import Chapter
from podcastfeed.source.notelines import Line, lines
from podcastfeed.values import parse_link

MIN_LINES = 2
FIRST_WITHIN = 5.0  # seconds
TITLE_LIMIT = 128  # characters, as for chapters in the front matter
HINT = "set chapters: false in the front matter to keep the notes' times from being chapters"

STAMP = r"(?:\d{1,3}:)?\d{1,2}:\d{2}(?:\.\d{1,3})?"
_LEAD = re.compile(rf"([\[(]?)\s*({STAMP})\s*([\])]?)(.*)", re.DOTALL)
# A line that may open with a time. Possessive: "\s*[\[(]?\s*" tried every split of a long
# blank run between the two \s* (cubic: seconds for notes with thousands of blanks).
_MAYBE = re.compile(r"[>\n]\s*+(?:[\[(]\s*+)?\d{1,3}:\d\d")
_SEPARATORS = " \t\n\xa0-–—:|·•"
_PAIRS = {"": "", "[": "]", "(": ")"}


@dataclass(frozen=True)
class Topic:
    """A line of the notes that opens with a time."""

    start: float
    stamp: str  # as written
    title: str
    url: str | None


def seconds(stamp: str) -> float | None:
    """`1:02:03` and `62:03` are both 3,723 s; minutes past 59 only without hours, seconds
    never past 59. None for anything else."""
    *hours, minutes, rest = stamp.split(":")
    whole, _, fraction = rest.partition(".")
    if int(whole) > 59 or (hours and int(minutes) > 59):
        return None
    total = int(hours[0]) * 3600 if hours else 0
    return total + int(minutes) * 60 + int(whole) + (float("0." + fraction) if fraction else 0)


def lead_stamp(text: str) -> tuple[str, str] | None:
    """(the time, what follows it) when `text` opens with a time: bare, or in [] or ()."""
    m = _LEAD.match(text)
    if m is None or _PAIRS[m[1]] != m[3]:
        return None
    after = text[m.end(2) : m.end(2) + 1]
    if not m[1] and after and after not in _SEPARATORS:
        return None  # 10:30am, 1:02:03.5x
    if seconds(m[2]) is None:
        return None
    return m[2], m[4].lstrip(_SEPARATORS)


def opens_topic(text: str) -> bool:
    found = lead_stamp(text)
    return found is not None and any(c.isalnum() for c in found[1])


def topics(notes_html: str) -> list[Topic]:
    """Every line of the notes that opens with a time and has a title after it."""
    if len(_MAYBE.findall("\n" + notes_html)) < MIN_LINES:
        return []  # the common case, at the cost of one scan (episode parsing is a hot path)
    found = []
    for line in lines(notes_html, opens_topic):
        topic = None if line.is_code else _topic(line)
        if topic is not None:
            found.append(topic)
    return found


def _topic(line: Line) -> Topic | None:
    lead = lead_stamp(line.text)
    if lead is None or not any(c.isalnum() for c in lead[1]):
        return None
    stamp, title = lead
    if len(title) > TITLE_LIMIT:
        title = title[: TITLE_LIMIT - 1].rsplit(" ", 1)[0].rstrip(_SEPARATORS) + "…"
    url = None
    for href, text in line.links:
        if text.strip("[]() ") == stamp:
            continue  # a link on the time seeks a player; it says nothing of the topic
        try:
            url = parse_link(href)
        except ValueError:
            continue  # mailto:
        break
    start = seconds(stamp)
    assert start is not None  # lead_stamp checked it
    return Topic(start, stamp, title, url)


def chapters_from(
    found: list[Topic], body: str, first_line: int
) -> tuple[tuple[Chapter, ...], tuple[str, int] | None]:
    """The topics as chapters, each with its line in the file; or no chapters and why (with
    the line to point at). `body` is the episode file's text after the front matter, which
    starts at line `first_line`."""
    if len(found) < MIN_LINES:
        return (), None
    where = _lines(found, body, first_line)
    chapters = tuple(
        Chapter(t.start, t.title, url=t.url, line=at) for t, at in zip(found, where, strict=True)
    )
    if found[0].start > FIRST_WITHIN:
        why = (
            f"the show notes' first time is {found[0].stamp}, not the start of the episode: "
            "no chapters made from them (start the list with a 00:00 line)"
        )
        return (), (why, where[0])
    for number, (before, after) in enumerate(pairwise(found), start=1):
        if after.start <= before.start:
            why = (
                f"the show notes' times are not in playing order ({after.stamp} after "
                f"{before.stamp}): no chapters made from them"
            )
            return (), (why, where[number])
    return chapters, None


def _lines(found: list[Topic], body: str, first_line: int) -> list[int]:
    """Where each topic's time is in the file: searched for in order through the body, the
    lines counted as the search goes (counted from the top for each, and a pattern compiled
    for each, 30,000 times took 8 s)."""
    line, counted, pos, out = first_line, 0, 0, []
    for topic in found:
        at = _stamp_at(body, topic.stamp, pos)
        if at >= 0:
            line += body.count("\n", counted, at)
            counted, pos = at, at + len(topic.stamp)
        out.append(line)
    return out


def _stamp_at(body: str, stamp: str, pos: int) -> int:
    """Where `stamp` stands in `body` from `pos` with no digit or colon touching it (as the
    pattern (?<![\\d:])STAMP(?![\\d:]) finds it); -1 where nowhere."""
    while (at := body.find(stamp, pos)) >= 0:
        end = at + len(stamp)
        if not (_touches(body[at - 1 : at]) or _touches(body[end : end + 1])):
            return at
        pos = at + 1
    return -1


def _touches(char: str) -> bool:
    return char == ":" or char.isdecimal()  # (\d: every decimal digit, as str.isdecimal)
