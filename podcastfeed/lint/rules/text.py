"""Rules on the text: lengths, capitals, the HTML of descriptions, duplicate titles, mojibake."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from lxml import etree

from podcastfeed.lint.base import PSP1, Feed, Hit, iter_texts, rule, shout, text_of

TEXT_LIMIT = 255  # characters, A14
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
DESCRIPTION_TAGS = frozenset(["p", "ol", "ul", "li", "a", "b", "i", "strong", "em", "br"])
_TAG = re.compile(r"<\s*/?\s*([A-Za-z][A-Za-z0-9:-]*)")
_CONTINUATION = "[\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]"
_MOJIBAKE = re.compile(
    f"[\u00c2-\u00df]{_CONTINUATION}|[\u00e0-\u00ef]{_CONTINUATION}{{2}}"
    f"|[\u00f0-\u00f4]{_CONTINUATION}{{3}}"
)


@rule(
    "apple/text-length",
    "warning",
    "Titles and authors are at most 255 characters",
    "https://github.com/simplepie/simplepie-ng/wiki/Spec:-iTunes-Podcast-RSS",
)
def text_length(feed: Feed) -> Iterator[Hit]:
    """Apple's spec limits the other tag values (titles, `itunes:author`, `itunes:subtitle`)
    to 255 characters; longer ones are cut in the apps."""
    for parent in (feed.channel, *feed.items):
        for path in ("title", "itunes:author", "itunes:subtitle"):
            element = feed.find(parent, path)
            value = text_of(element) or ""
            if len(value) > TEXT_LIMIT:
                yield Hit(
                    element,
                    f"<{path}> is {len(value)} characters (at most 255): {value[:40]!r}…",
                    key=path.removeprefix("itunes:"),
                )


@rule(
    "apple/all-caps",
    "warning",
    "Titles and authors are not written in capitals only",
    "https://podcasters.apple.com/support/823-podcast-requirements",
)
def all_caps(feed: Feed) -> Iterator[Hit]:
    """Apple's content guidelines reject titles and author names in capitals only (unless it is
    the brand's spelling) as an attempt to stand out in search."""
    for parent in (feed.channel, *feed.items):
        for path in ("title", "itunes:author"):
            element = feed.find(parent, path)
            value = text_of(element) or ""
            if shout(value):
                yield Hit(
                    element,
                    f"<{path}> is in capitals only: {value!r}",
                    hint=f"write it as {value.title()!r}",
                    key=path.removeprefix("itunes:"),
                )


#: Bidi embeddings and overrides (closed by U+202C) and isolates (closed by U+2069).
_BIDI_OPEN = {
    "\u202a": "\u202c",
    "\u202b": "\u202c",
    "\u202d": "\u202c",
    "\u202e": "\u202c",
    "\u2066": "\u2069",
    "\u2067": "\u2069",
    "\u2068": "\u2069",
}


def unclosed_bidi(text: str) -> str | None:
    """The first bidi embedding, override or isolate in `text` that is never closed (UAX #9:
    it runs to the end of the paragraph), or None."""
    if not any("\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069" for char in text):
        return None
    opened: list[str] = []
    for char in text:
        if char in _BIDI_OPEN:
            opened.append(char)
        elif char == "\u2069":  # PDI ends the last isolate, and what was opened inside it
            isolates = [i for i, each in enumerate(opened) if _BIDI_OPEN[each] == char]
            del opened[isolates[-1] if isolates else len(opened) :]
        elif char == "\u202c" and opened and _BIDI_OPEN[opened[-1]] == char:
            opened.pop()  # PDF ends the last embedding, never an isolate
    return opened[0] if opened else None


@rule(
    "podcastfeed/bidi-controls",
    "warning",
    "Titles and authors close every bidi override they open",
    "https://www.unicode.org/reports/tr9/#Explicit_Directional_Formatting_Characters",
)
def bidi_controls(feed: Feed) -> Iterator[Hit]:
    """A right-to-left override (U+202E) or another bidi embedding or isolate left open runs to
    the end of the line: apps show what follows it reversed or out of order in lists and on
    lock screens, a way to make a title read as another (as "Trojan Source" did in code).
    Balanced ones, and the marks U+200E/U+200F that Arabic and Hebrew text uses, are fine."""
    for parent in (feed.channel, *feed.items):
        for path in ("title", "itunes:title", "itunes:author", "itunes:subtitle"):
            element = feed.find(parent, path)
            char = unclosed_bidi(text_of(element) or "")
            if char is not None:
                name = unicodedata.name(char, "a bidi control")
                yield Hit(
                    element,
                    f"<{path}> opens U+{ord(char):04X} {name} and never closes it: apps show "
                    "what follows it reversed or out of order",
                    hint=f"delete it, or close it with U+{ord(_BIDI_OPEN[char]):04X}",
                    key=path.removeprefix("itunes:"),
                )


@rule(
    "apple/description-html",
    "warning",
    "Episode descriptions use only Apple's HTML tags",
    PSP1 + "#optional-item-elements",
)
def description_html(feed: Feed) -> Iterator[Hit]:
    """Apple shows only `p ol ul li a b i strong em` (and `br`) in a `description`; other tags
    show up as text or are dropped. Put richer notes in `content:encoded`."""
    for item in feed.items:
        element = item.find("description")
        html = element.text if element is not None else None
        if not html or "<" not in html:
            continue
        other = sorted({t.lower() for t in _TAG.findall(html)} - DESCRIPTION_TAGS)
        if other:
            yield Hit(
                element,
                "description uses HTML tags Apple does not show: "
                + ", ".join(f"<{t}>" for t in other),
                key="summary",
            )


@rule(
    "podcastfeed/duplicate-title",
    "warning",
    "No two episodes share a title",
    "https://podcasters.apple.com/support/823-podcast-requirements",
)
def duplicate_title(feed: Feed) -> Iterator[Hit]:
    """Two episodes with the same title look like a duplicate to listeners and to directories'
    review; number or date them."""
    seen: dict[str, etree._Element] = {}
    for item in feed.items:
        element = item.find("title")
        value = text_of(element)
        if not value:
            continue
        first = seen.setdefault(value.casefold(), item)
        if first is not item:
            yield Hit(
                element,
                f"title {value!r} is used by an earlier episode too ({feed.place(first)})",
                key="title",
            )


def repair_mojibake(text: str) -> str:
    """Text with each UTF-8-read-as-Windows-1252 sequence decoded again ("â€™" -> "’")."""

    def fix(match: re.Match[str]) -> str:
        try:
            return match.group(0).encode("cp1252").decode("utf-8")
        except UnicodeError:
            return match.group(0)

    return _MOJIBAKE.sub(fix, text)


def _garbled(text: str) -> tuple[str, str] | None:
    """(the garbled passage, as it should read) around the first mojibake in `text`."""
    match = _MOJIBAKE.search(text)
    if match is None or repair_mojibake(text) == text:
        return None
    start = max(0, match.start() - 20)
    before = text[start : match.end() + 20]
    return before, repair_mojibake(before)


@rule(
    "podcastfeed/mojibake",
    "warning",
    "No UTF-8 text garbled as Windows-1252 (â€™)",
    "https://en.wikipedia.org/wiki/Mojibake",
)
def mojibake(feed: Feed) -> Iterator[Hit]:
    """Text that was UTF-8, read once as Windows-1252 and saved again, shows "â€™" for "’" and
    "Ã©" for "é" (a common scar of WordPress exports). Checked: titles, authors, descriptions
    and the show notes (`content:encoded`); the hint shows the repaired text. In our own build
    (`[build] fix_text`, on by default) the feed is already repaired: each repair is reported at
    the episode file and line it came from, so it can be fixed at its source; with `fix_text =
    false` each garbled line of the notes is reported at its line in the episode file."""
    origin = feed.origin
    for file, line, what in origin.repaired if origin else ():
        yield Hit(
            None,
            what.replace("repaired garbled text", "garbled text", 1),
            hint="the feed has it repaired; fix the file (or set [build] fix_text = false)",
            at=(file, line),
        )
    if origin is not None and origin.notes_as_written:
        for path, shown in dict(origin.episodes.values()).items():
            for line, text in origin.notes(path):
                found = _garbled(text)
                if found is not None:
                    yield Hit(
                        None,
                        "garbled text (UTF-8 read as Windows-1252) in the show notes: "
                        f"{found[0]!r}",
                        hint=f"it should read {found[1]!r}",
                        at=(shown, line),
                    )
    texts = list(iter_texts(feed))
    for item in feed.items:
        notes = item.find(CONTENT_ENCODED)
        if notes is not None and notes.text:
            texts.append((notes, notes.text))
    for element, text in texts:
        found = _garbled(text)
        if found is None:
            continue
        tag = etree.QName(element).localname
        parent = element.getparent()
        is_item = parent is not None and parent.tag == "item"
        key = "summary" if tag == "description" and is_item else tag
        yield Hit(
            element,
            f"garbled text (UTF-8 read as Windows-1252) in <{_prefixed(element)}>: {found[0]!r}",
            hint=f"it should read {found[1]!r}",
            key=key,
        )


def _prefixed(element: etree._Element) -> str:
    """`content:encoded` for the notes, the local name for the others (as before)."""
    return "content:encoded" if element.tag == CONTENT_ENCODED else etree.QName(element).localname
