"""Read an existing RSS podcast feed into what `podcastfeed import` writes (issue 7).

Pure: bytes in, an `Import` (the channel, the items, the normalizations and warnings) out; the
file texts come from `import_write.py`. The parser is hardened: no network, no DTD, no external
entities.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from podcastfeed import xmlns
from podcastfeed.errors import PodcastfeedError
from podcastfeed.feeds.feedvalues import clean_title, is_true, parse_pub_date
from podcastfeed.feeds.xml import parse_feed, rss_root
from podcastfeed.values import (
    DateRangeError,
    parse_duration,
)
from podcastfeed.xmlns import ATOM, CONTENT, ITUNES

#: Podcasting 2.0 tags are read in both URIs feeds have declared.
PODCAST = (xmlns.PODCAST, xmlns.PODCAST_LEGACY)

#: Enclosure types hosts write that have a standard name.
MIME_FIXES = {"audio/mp3": "audio/mpeg", "audio/mpeg3": "audio/mpeg", "audio/x-mp3": "audio/mpeg"}


@dataclass
class Item:
    """One episode as the source feed states it (after the listed normalizations)."""

    title: str
    guid: str
    url: str
    length: int
    type: str
    date: datetime
    duration: int | None
    notes: str  # HTML or text: content:encoded, else description
    summary: str | None = None  # description, when content:encoded holds the notes
    link: str | None = None
    image: str | None = None
    season: int | None = None
    episode: str | None = None
    episode_type: str | None = None
    explicit: bool | None = None
    itunes_title: str | None = None
    block: bool = False
    transcripts: list[dict[str, str]] = field(default_factory=list)
    chapters: str | None = None
    persons: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Import:
    show: dict[str, Any]
    items: list[Item]
    normalizations: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse_xml(data: bytes, source: str) -> etree._Element:
    """The feed's <channel>, parsed without network, DTD or entity expansion."""
    channel = parse_feed(data, source).find("channel")
    assert channel is not None  # parse_feed checked it
    return channel


def _text(element: etree._Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    return element.text.strip() or None


def _find(parent: etree._Element, name: str, namespaces: tuple[str, ...] = ("",)) -> Any:
    for space in namespaces:
        found = parent.find(f"{{{space}}}{name}" if space else name)
        if found is not None:
            return found
    return None


def _findall(parent: etree._Element, name: str, namespaces: tuple[str, ...]) -> list[Any]:
    return [e for space in namespaces for e in parent.findall(f"{{{space}}}{name}")]


def read_feed(data: bytes, source: str, source_url: str | None = None) -> Import:
    """Everything podcastfeed keeps from the feed at `source` (a path or URL, for messages).

    The items are read as the parser reaches them and then dropped from the tree (issue 12):
    a 100,000-item feed never sits in memory as one lxml tree, and nothing looks at all the
    items again per item.

    Raises:
        PodcastfeedError: the bytes are not an RSS feed.
    """
    result = Import({}, [])
    seen: dict[str, int] = {}
    number = 0
    events = etree.iterparse(
        io.BytesIO(data),
        events=("end",),
        tag="item",
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=True,
    )
    try:
        for _event, element in events:
            parent = element.getparent()
            if parent is None or parent.tag != "channel" or not _is_top(parent):
                continue  # an <item> elsewhere: not an episode (it goes with its parent)
            number += 1
            item = _read_item(element, number, result)
            element.clear()
            parent.remove(element)
            if item is None:
                continue
            if item.guid in seen:
                result.warnings.append(
                    f"item {number} ({item.title!r}): same guid as item {seen[item.guid]}; "
                    "kept the first"
                )
                continue
            seen[item.guid] = number
            result.items.append(item)
        root = events.root
    except etree.XMLSyntaxError as exc:
        raise PodcastfeedError(
            f"not well-formed XML: {exc.msg}", source=source, line=exc.lineno
        ) from exc
    channel = rss_root(root, source).find("channel")
    assert channel is not None  # rss_root checked it
    show = Import({}, [])  # the channel's notes come first, as they did before streaming
    result.show = _read_show(channel, source_url, show)
    result.normalizations[:0] = show.normalizations
    result.warnings[:0] = show.warnings
    if any(channel.find(f"{{{ns}}}liveItem") is not None for ns in PODCAST):
        result.warnings.append("podcast:liveItem elements are not imported (no live episodes)")
    return result


def _is_top(channel: etree._Element) -> bool:
    """`channel` is the child of the document's root element."""
    root = channel.getparent()
    return root is not None and root.getparent() is None


def _self_link_elsewhere(channel: etree._Element) -> str:
    """Why a self link was not found when one is there in a misspelled Atom namespace (issue 15:
    `http://www.w3.org/2005/Atom/` hides it), else ""."""
    for element in channel.iterchildren("{*}link"):
        uri = etree.QName(element).namespace
        if uri and uri != ATOM and element.get("rel") == "self":
            return f" (its atom:link rel=self is in the namespace {uri!r}, not {ATOM!r})"
    return ""


def _read_show(channel: etree._Element, source_url: str | None, result: Import) -> dict[str, Any]:
    note = result.normalizations.append
    show: dict[str, Any] = {}
    show["title"] = clean_title(_text(channel.find("title")) or "")
    description = _text(channel.find("description")) or _text(_find(channel, "summary", (ITUNES,)))
    show["description"] = description or show["title"]
    self_link = next(
        (
            e.get("href")
            for e in channel.findall(f"{{{ATOM}}}link")
            if e.get("rel") == "self" and e.get("href")
        ),
        None,
    )
    feed_url = self_link or source_url
    if not feed_url:
        feed_url = "https://example.org/feed.xml"
        result.warnings.append(
            "the feed names no URL of its own (atom:link rel=self): set [show] feed_url"
            + _self_link_elsewhere(channel)
        )
    show["feed_url"] = feed_url
    link = _text(channel.find("link"))
    if not link:
        parts = urlsplit(feed_url)
        link = f"{parts.scheme}://{parts.netloc}/"
        note(f"channel: no <link>; used the feed's site {link}")
    show["link"] = link
    language = _text(channel.find("language"))
    if not language:
        language = "en"
        note("channel: no <language>; wrote 'en' (check it)")
    show["language"] = language
    author = _text(_find(channel, "author", (ITUNES,)))
    owner = _find(channel, "owner", (ITUNES,))
    name = _text(_find(owner, "name", (ITUNES,))) if owner is not None else None
    email = _text(_find(owner, "email", (ITUNES,))) if owner is not None else None
    show["author"] = author or name or show["title"]
    if not author:
        note(f"channel: no itunes:author; used {show['author']!r}")
    if not email:
        email = _text(channel.find("managingEditor")) or ""
        email = email.split(" ")[0]
    if not email or "@" not in email:
        email = "owner@example.org"
        result.warnings.append("channel: no owner e-mail; wrote owner@example.org: set yours")
    show["owner"] = {"name": name or show["author"], "email": email}
    images = [e.get("href") for e in _findall(channel, "image", (ITUNES,)) if e.get("href")]
    if len(set(images)) > 1:
        note(f"channel: {len(images)} itunes:image elements; kept the first")
    rss_image = channel.find("image")
    image = images[0] if images else None
    if image is None and rss_image is not None:
        image = _text(rss_image.find("url"))
    if image:
        show["image"] = image
    else:
        result.warnings.append("channel: no artwork; set [show] image")
    categories = []
    for top in _findall(channel, "category", (ITUNES,)):
        parent = top.get("text")
        children = [c.get("text") for c in _findall(top, "category", (ITUNES,)) if c.get("text")]
        categories += [f"{parent} > {c}" for c in children] if children else [parent]
    show["categories"] = [c for c in categories if c]
    if not show["categories"]:
        result.warnings.append(
            "channel: no itunes:category; set [show] categories (podcastfeed build needs one)"
        )
    explicit_text = _text(_find(channel, "explicit", (ITUNES,)))
    show["explicit"] = bool(is_true(explicit_text))
    if explicit_text and explicit_text.lower() not in ("true", "false"):
        note(f"channel: itunes:explicit {explicit_text!r} -> {str(show['explicit']).lower()}")
    optional = {
        "type": _text(_find(channel, "type", (ITUNES,))),
        "copyright": _text(channel.find("copyright")),
        "guid": _text(_find(channel, "guid", PODCAST)),
        "itunes_title": _text(_find(channel, "title", (ITUNES,))),
        "new_feed_url": _text(_find(channel, "new-feed-url", (ITUNES,))),
        "medium": _text(_find(channel, "medium", PODCAST)),
    }
    show.update({key: value for key, value in optional.items() if value})
    if is_true(_text(_find(channel, "block", (ITUNES,)))):
        show["block"] = True
    if is_true(_text(_find(channel, "complete", (ITUNES,)))):
        show["complete"] = True
    locked = _find(channel, "locked", PODCAST)
    if locked is not None and _text(locked):
        show["locked"] = bool(is_true(_text(locked)))
        if locked.get("owner"):
            show["locked_owner"] = locked.get("owner")
    funding = [
        {"url": e.get("url"), "text": _text(e) or ""}
        for e in _findall(channel, "funding", PODCAST)
        if e.get("url")
    ]
    if funding:
        show["funding"] = funding
    persons = _persons(channel)
    if persons:
        show["persons"] = persons
    return show


def _persons(parent: etree._Element) -> list[dict[str, str]]:
    persons = []
    for element in _findall(parent, "person", PODCAST):
        name = _text(element)
        if not name:
            continue
        person = {"name": name}
        for key in ("role", "group", "img", "href"):
            if element.get(key):
                person[key] = element.get(key)
        persons.append(person)
    return persons


def _read_item(element: etree._Element, number: int, result: Import) -> Item | None:
    raw_title = _text(element.find("title")) or _text(_find(element, "title", (ITUNES,))) or ""
    title = clean_title(raw_title)
    where = f"item {number} ({title!r})"
    if title != raw_title.strip():
        result.normalizations.append(f"{where}: HTML tags/entities removed from the title")
    enclosure = element.find("enclosure")
    if enclosure is None or not enclosure.get("url"):
        result.warnings.append(f"{where}: no enclosure; skipped")
        return None
    url = enclosure.get("url", "").strip()
    length_text = (enclosure.get("length") or "").strip()
    is_bytes = length_text.isascii() and length_text.isdigit()
    length = int(length_text) if is_bytes else 0
    if not is_bytes:
        result.warnings.append(f"{where}: enclosure length {length_text!r} is not bytes; wrote 0")
    mime = (enclosure.get("type") or "").strip().lower()
    if mime in MIME_FIXES:
        result.normalizations.append(f"{where}: enclosure type {mime} -> {MIME_FIXES[mime]}")
        mime = MIME_FIXES[mime]
    guid = _text(element.find("guid"))
    if not guid:
        result.normalizations.append(f"{where}: no guid; pinned the enclosure URL as its guid")
        guid = url
    date_text = _text(element.find("pubDate"))
    if not date_text:
        result.warnings.append(f"{where}: no pubDate; skipped")
        return None
    try:
        date, guessed = parse_pub_date(date_text)
    except DateRangeError as exc:
        # Not guessed: the real date is unknown. TODO for the user, in the warning and
        # docs/limits.md: add the episode by hand with its right date.
        result.warnings.append(
            f"{where}: pubDate {date_text!r} {exc}; skipped: TODO add it by hand with its real date"
        )
        return None
    except ValueError as exc:
        result.warnings.append(f"{where}: {exc}; skipped")
        return None
    if guessed:
        result.warnings.append(f"{where}: unknown time zone in {date_text!r}; assumed UTC")
    duration_text = _text(_find(element, "duration", (ITUNES,)))
    duration = None
    if not duration_text:
        result.warnings.append(
            f"{where}: no itunes:duration; the first online `podcastfeed build` measures it"
        )
    else:
        try:
            duration = parse_duration(duration_text)
        except ValueError:
            result.warnings.append(f"{where}: itunes:duration {duration_text!r} unreadable")
    encoded = _text(_find(element, "encoded", (CONTENT,)))
    description = _text(element.find("description")) or _text(_find(element, "summary", (ITUNES,)))
    item = Item(
        title=title,
        guid=guid,
        url=url,
        length=length,
        type=mime,
        date=date,
        duration=duration,
        notes=encoded or description or "",
        summary=description if encoded and description and description != encoded else None,
        link=_text(element.find("link")),
    )
    image = _find(element, "image", (ITUNES,))
    item.image = image.get("href") if image is not None and image.get("href") else None
    season = _text(_find(element, "season", (ITUNES,)))
    is_number = season is not None and season.isascii() and season.isdigit()
    item.season = int(season) if season and is_number and int(season) > 0 else None
    episode = _text(_find(element, "episode", (ITUNES,))) or _text(
        _find(element, "episode", PODCAST)
    )
    item.episode = episode if episode and re.fullmatch(r"[0-9]+(\.[0-9]+)?", episode) else None
    episode_type = (_text(_find(element, "episodeType", (ITUNES,))) or "").lower()
    item.episode_type = episode_type if episode_type in ("trailer", "bonus") else None
    explicit = _text(_find(element, "explicit", (ITUNES,)))
    item.explicit = is_true(explicit)
    if explicit and explicit.lower() not in ("true", "false"):
        result.normalizations.append(
            f"{where}: itunes:explicit {explicit!r} -> {str(item.explicit).lower()}"
        )
    for transcript in _findall(element, "transcript", PODCAST):
        if transcript.get("url", "").startswith("https://"):
            entry = {"url": transcript.get("url", "")}
            for key in ("type", "language", "rel"):
                if transcript.get(key):
                    entry[key] = transcript.get(key, "")
            item.transcripts.append(entry)
    chapters = _find(element, "chapters", PODCAST)
    if chapters is not None and chapters.get("url", "").startswith("https://"):
        item.chapters = chapters.get("url")
    item.persons = _persons(element)
    itunes_title = _text(_find(element, "title", (ITUNES,)))
    item.itunes_title = itunes_title if itunes_title and itunes_title != title else None
    item.block = bool(is_true(_text(_find(element, "block", (ITUNES,)))))
    return item
