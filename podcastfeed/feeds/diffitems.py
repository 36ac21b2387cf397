"""The item equivalences of `podcastfeed diff` that look at more than one value (issue 15):
what an item inherits from its channel, the notes and their copies, the aliases of MIME types
import normalizes, and the episode number said in either namespace. Pure; used by
feeds/diffvalues.py on values it has already put in one spelling. docs/diff.md lists each with
the spec or app behaviour that defines it.
"""

from __future__ import annotations

import html
import re

from lxml import etree

from podcastfeed import xmlns
from podcastfeed.feeds.import_parts import TRANSCRIPT_FIXES
from podcastfeed.feeds.importer import MIME_FIXES
from podcastfeed.source.chapters import JSON_CHAPTERS_TYPE

ITUNES = f"{{{xmlns.ITUNES}}}"
PODCAST = f"{{{xmlns.PODCAST}}}"
ENCODED = f"{{{xmlns.CONTENT}}}encoded"
#: Item tags that say the channel's value when absent: Apple reads an episode's explicit flag
#: and author from the show when the episode has none.
INHERITED = (f"{ITUNES}explicit", f"{ITUNES}author")
#: Per element, the MIME types that are another name of a registered one (what import prints
#: as `normalized:`): `audio/mp3` is no registered type, RFC 3003 registers `audio/mpeg`.
ALIASES = {
    "enclosure": MIME_FIXES,
    f"{PODCAST}transcript": TRANSCRIPT_FIXES,
    f"{PODCAST}chapters": {"application/json": JSON_CHAPTERS_TYPE},
}
_TAG = re.compile(r"<[^>]*>")
#: The markup plain text becomes as HTML (import writes text notes so): `<p>`, `<br>`.
_PLAIN = re.compile(
    r"</?(?:p|br)(?:\s+(?:class|id)\s*=\s*(?:\"[^\"]*\"|'[^']*'))*\s*/?>", re.IGNORECASE
)
_INLINE = re.compile(r"</?(?:a|b|i|em|strong|span|u|code|small)(?:\s[^>]*)?>", re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
#: Attributes that style notes rather than say something.
PRESENTATION = frozenset({"style", "class", "id", "target", "rel"})
_VOID = frozenset({"br", "hr", "img"})
_START_TAG = re.compile(
    r"<([A-Za-z][A-Za-z0-9]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*/?>"
)
_ATTR = re.compile(r"""([^\s=>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_BLOCK = r"</?(?:p|ul|ol|li|h[1-6]|blockquote|pre|table|figure|hr|div)\b[^>]*>"
_BR_AT_BLOCK = re.compile(rf"({_BLOCK})\s*(?:<br/>\s*)+|(?:\s*<br/>)+\s*({_BLOCK})")
_PLAYER = re.compile(r"<audio\b[^>]*>.*?</audio\s*>", re.IGNORECASE | re.DOTALL)
_SRC = re.compile(r"""\ssrc\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
_EMPTY_DIV = re.compile(r"<div\b[^>]*>\s*</div\s*>", re.IGNORECASE)
_END_TAG = re.compile(r"</([A-Za-z][A-Za-z0-9]*)\s*>")
_BETWEEN_TAGS = re.compile(r">\s+<")
_HREF = re.compile(r"""<a\s[^>]*?href\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


def inherited(item: etree._Element, channel: etree._Element) -> None:
    """Fill in what `item` inherits from `channel`, put MIME aliases and the episode number in
    one spelling (both already normalized by diffvalues)."""
    for tag in INHERITED:
        stated = channel.find(tag)
        if item.find(tag) is None and stated is not None and stated.text:
            etree.SubElement(item, tag).text = stated.text
    for element in item.iter(*ALIASES):
        kind = element.get("type")
        if kind is not None:
            element.set("type", ALIASES[str(element.tag)].get(kind, kind))
    guid = item.find("guid")
    enclosure = item.find("enclosure")
    if (guid is None or not guid.text) and enclosure is not None and enclosure.get("url"):
        # Apple and the apps match an episode without a guid by its enclosure URL
        if guid is None:
            guid = etree.SubElement(item, "guid")
        guid.text = enclosure.get("url")
        guid.set("isPermaLink", "false")
    if guid is not None and not (guid.text or "").startswith(("http://", "https://")):
        guid.set("isPermaLink", "false")  # RSS 2.0: a permalink is a URL; this cannot be one
    for local in ("episode", "season"):
        _one_number(item, local)


def _one_number(item: etree._Element, local: str) -> None:
    """`podcast:episode`/`podcast:season` with a whole number and no display name says what
    `itunes:episode`/`itunes:season` says: the same number, shown the same way."""
    ours = item.find(f"{PODCAST}{local}")
    name = "display" if local == "episode" else "name"
    if ours is None or ours.get(name) or not (ours.text or "").isdigit():
        return
    apple = item.find(f"{ITUNES}{local}")
    if apple is None:
        etree.SubElement(item, f"{ITUNES}{local}").text = str(int(ours.text or "0"))
    elif (apple.text or "").isdigit() and int(apple.text or "0") != int(ours.text or "0"):
        return  # they disagree: both stay, so the change shows
    item.remove(ours)


def same_notes(item: etree._Element) -> None:
    """The notes are `content:encoded`, else `description` (what apps show): an item without
    `content:encoded` has its description's. `description` beside the notes is their summary,
    compared as its words and links; an `itunes:summary` whose words are the notes' words is a
    copy of the notes (apps that read it show the same)."""
    notes = item.find(ENCODED)
    description = item.find("description")
    if notes is None and description is not None and description.text:
        notes = etree.SubElement(item, ENCODED)
        notes.text = description.text
    if notes is not None and notes.text:
        enclosure = item.find("enclosure")
        audio = "" if enclosure is None else enclosure.get("url", "")
        notes.text = _without_own_player(_COMMENT.sub("", notes.text), audio)
    if notes is not None and notes.text and not _TAG.search(_PLAIN.sub("", notes.text)):
        notes.text = words(notes.text)  # only paragraphs and line breaks: plain text
    elif notes is not None and notes.text:
        notes.text = without_presentation(notes.text)
    if description is not None and description.text:
        description.text = _words_and_links(description.text)
    summary = item.find(f"{ITUNES}summary")
    if summary is not None and notes is not None and notes.text:
        copied = words(summary.text or "") == words(notes.text)
        if copied:
            item.remove(summary)


def _without_own_player(notes: str, audio: str) -> str:
    """Notes without a player of the episode's own audio (WordPress' and PowerPress'): the app
    plays the enclosure. A player of other audio stays."""

    def drop(found: re.Match[str]) -> str:
        sources = {src.split("?", 1)[0] for src in _SRC.findall(found.group(0))}
        return "" if audio and sources == {audio.split("?", 1)[0]} else found.group(0)

    text = _PLAYER.sub(drop, notes)
    return _EMPTY_DIV.sub("", text) if text != notes else text


def without_presentation(notes: str) -> str:
    """Notes without what only styles them: `style`, `class`, `id`, `target`, `rel` (apps show
    notes in their own style; Apple's guide allows tags, no styling), either quote, a void
    element with or without `/`, line breaks beside a block, whitespace between tags."""
    text = _START_TAG.sub(_one_spelling, notes)
    text = _END_TAG.sub(lambda m: f"</{m.group(1).lower()}>", text)
    text = _BR_AT_BLOCK.sub(lambda m: m.group(1) or m.group(2) or "", text)
    return " ".join(_BETWEEN_TAGS.sub("><", text).split())


def _one_spelling(found: re.Match[str]) -> str:
    name = found.group(1).lower()
    kept = [
        f'{key.lower()}="{html.escape(html.unescape(value), quote=True)}"'
        for key, value in _attributes(found.group(2))
        if key.lower() not in PRESENTATION
    ]
    end = "/>" if name in _VOID else ">"
    return "<" + " ".join([name, *kept]) + end


def _attributes(raw: str) -> list[tuple[str, str]]:
    """Each attribute and its value (`""` for one without a value)."""
    return [(m.group(1), "".join(g or "" for g in m.groups()[1:])) for m in _ATTR.finditer(raw)]


def words(notes: str) -> str:
    """The text a reader sees: no tags, no comments, entities as characters."""
    text = _INLINE.sub("", _COMMENT.sub(" ", notes))  # `<a>x</a>.` reads "x."
    return " ".join(html.unescape(_TAG.sub(" ", text)).split())


def _words_and_links(notes: str) -> str:
    links = " ".join(f"<{href}>" for href in _HREF.findall(notes))
    return f"{words(notes)} {links}".strip()
