"""Read an existing RSS podcast feed into what `podcastfeed import` writes (issue 7).

Pure: bytes in, an `Import` (the channel, the items, the normalizations and warnings) out; the
file texts come from `import_write.py`. Hardened: no network, no DTD, no external entities.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lxml import etree

from podcastfeed.errors import shorten
from podcastfeed.feeds import feedvalues, import_parts
from podcastfeed.feeds.feedvalues import clean_title, is_true, parse_pub_date
from podcastfeed.feeds.import_show import (
    PODCAST,
    Notes,
    absolute_link,
    find_in,
    link_href,
    persons,
    read_show,
    text_of,
)
from podcastfeed.feeds.xml import SAFE, Repair, logged, parse_feed, prepare, rss_root, unreadable
from podcastfeed.source.chapters import JSON_CHAPTERS_TYPE
from podcastfeed.values import DateRangeError, parse_duration, parse_link
from podcastfeed.xmlns import CONTENT, ITUNES

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
    itunes_author: str | None = None  # when not the channel's (set by read_feed)
    block: bool = False
    transcripts: list[dict[str, str]] = field(default_factory=list)
    chapters: str | None = None
    persons: list[dict[str, str]] = field(default_factory=list)
    persons_replace: bool = False  # the item's persons leave out some of the channel's
    images: list[dict[str, Any]] = field(default_factory=list)
    locations: list[dict[str, Any]] = field(default_factory=list)
    soundbites: list[dict[str, Any]] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # RSS <category>: the build writes them
    value: list[dict[str, Any]] = field(default_factory=list)  # replaces the show's for it
    todos: list[str] = field(default_factory=list)  # `# TODO:` lines for the front matter


@dataclass
class Import:
    show: dict[str, Any]
    items: list[Item]
    normalizations: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)  # what reading the XML repaired
    todos: dict[str, str] = field(default_factory=dict)  # feed.toml key -> a TODO comment
    read: int = 0  # <item> elements read (skipped ones too)
    next_page: str | None = None  # atom:link rel="next" (RFC 5005 paging), as written


def parse_xml(data: bytes, source: str) -> etree._Element:
    """The feed's <channel>, parsed without network, DTD or entity expansion."""
    channel = parse_feed(data, source).find("channel")
    assert channel is not None  # parse_feed checked it
    return channel


def read_feed(data: bytes, source: str, source_url: str | None = None) -> Import:
    """Everything podcastfeed keeps from the feed at `source` (a path or URL, for messages);
    `next_page` is where a paged feed's next page is (feeds/paging.py reads the others).

    The items are read as the parser reaches them and then dropped from the tree (issue 12):
    a 100,000-item feed never sits in memory as one lxml tree, and nothing looks at all the
    items again per item.

    Raises:
        PodcastfeedError: the bytes are not an RSS feed.
    """
    result, channel = read_page(data, source)
    notes = Notes()  # the channel's notes come first, as they did before streaming
    result.show = read_show(channel, source_url, notes)
    settle(result, result.items)
    result.normalizations[:0] = notes.normalizations
    result.warnings[:0] = notes.warnings
    result.todos = notes.todos
    if any(channel.find(f"{{{ns}}}liveItem") is not None for ns in PODCAST):
        result.warnings.append("podcast:liveItem elements are not imported (no live episodes)")
    result.next_page = link_href(channel, "next")
    return result


def read_page(data: bytes, source: str) -> tuple[Import, etree._Element]:
    """The items of one page of a feed (the channel's are read by read_feed), and its channel.

    Raises:
        PodcastfeedError: the bytes are not an RSS feed.
    """
    try:
        result, root = _read_items(data, recover=False)
    except etree.XMLSyntaxError as exc:
        fixed, repairs = prepare(data, source, exc)
        try:
            result, root = _read_items(fixed, recover=True)
        except etree.XMLSyntaxError as again:
            raise unreadable(source, again.msg, again.lineno, repairs) from again
        if root is None:
            raise unreadable(source, "no root element", None, repairs) from exc
        result.repairs = repairs + result.repairs
        stated = len(re.findall(rb"<item[\s>]", data))
        if stated > result.read:
            result.warnings.append(
                f"{stated - result.read} of {stated} <item> elements were lost in the repair "
                "of the XML: TODO compare with the source feed"
            )
    channel = rss_root(root, source).find("channel")
    assert channel is not None  # rss_root checked it
    return result, channel


def settle(result: Import, items: list[Item]) -> None:
    """What `items` keep of the channel's author and persons (the channel is `result.show`)."""
    for item in items:  # the channel's author is every item's: only another is kept
        if item.itunes_author == result.show["author"]:
            item.itunes_author = None
    for item in items:  # issue 16: an item's persons replace the channel's
        names = {p["name"] for p in item.persons}
        item.persons_replace = bool(names) and any(
            p["name"] not in names for p in result.show.get("persons", ())
        )


def _read_items(data: bytes, *, recover: bool) -> tuple[Import, Any]:
    """The items, read as the parser reaches them, and the document's root (None when a
    recovering parser found none); with `recover`, lxml's repairs go to `result.repairs`."""
    result = Import({}, [])
    seen: dict[str, int] = {}
    urls: dict[str, int] = {}
    events = etree.iterparse(io.BytesIO(data), events=("end",), tag="item", recover=recover, **SAFE)
    for _event, element in events:
        parent = element.getparent()
        if parent is None or parent.tag != "channel" or not _is_top(parent):
            continue  # an <item> elsewhere: not an episode (it goes with its parent)
        result.read += 1
        item = _read_item(element, result.read, result)
        element.clear()
        parent.remove(element)
        if item is None:
            continue
        if item.guid in seen:
            result.warnings.append(
                f"item {result.read} ({shorten(item.title)}): same guid as item {seen[item.guid]}; "
                "kept the first"
            )
            continue
        if item.url in urls:  # the build refuses a reused enclosure: directories ignore it
            result.warnings.append(
                f"item {result.read} ({shorten(item.title)}): same enclosure URL as item "
                f"{urls[item.url]}; skipped (directories ignore a URL they have seen)"
            )
            continue
        seen[item.guid] = urls[item.url] = result.read
        result.items.append(item)
    if recover:
        result.repairs = logged(events.error_log)
    return result, events.root


def _is_top(channel: etree._Element) -> bool:
    """`channel` is the child of the document's root element."""
    root = channel.getparent()
    return root is not None and root.getparent() is None


def _read_item(element: etree._Element, number: int, result: Import) -> Item | None:
    raw_title = (
        text_of(element.find("title")) or text_of(find_in(element, "title", (ITUNES,))) or ""
    )
    title = clean_title(raw_title)
    where = f"item {number} ({shorten(title)})"
    if title != " ".join(raw_title.split()):  # white space alone is not worth a note
        result.normalizations.append(f"{where}: HTML tags/entities removed from the title")
    enclosure = element.find("enclosure")
    if enclosure is None or not enclosure.get("url"):
        result.warnings.append(f"{where}: no enclosure; skipped")
        return None
    url = enclosure.get("url", "").strip()
    try:  # the build's rule: written as it is (the episode is kept), and named now
        parse_link(url)
    except ValueError:
        result.warnings.append(
            f"{where}: enclosure {shorten(url)} is no http(s) URL with a host (a port up to "
            "65535): written as it is; the build refuses it until you correct it"
        )
    length_text = (enclosure.get("length") or "").strip()
    is_bytes = length_text.isascii() and length_text.isdigit()
    length = int(length_text) if is_bytes else 0
    if not is_bytes:
        result.warnings.append(f"{where}: enclosure length {length_text!r} is not bytes; wrote 0")
    if is_bytes and length == 0:
        result.warnings.append(
            f"{where}: enclosure length 0 (the host's 'unknown'): the first online build "
            "measures it; until then the feed says 0"
        )
    mime = (enclosure.get("type") or "").strip().lower()
    if mime in MIME_FIXES:
        result.normalizations.append(f"{where}: enclosure type {mime} -> {MIME_FIXES[mime]}")
        mime = MIME_FIXES[mime]
    guid, changed = feedvalues.published_guid(text_of(element.find("guid")))
    result.warnings += [f"{where}: {changed}"] if changed else []
    if not guid:
        result.normalizations.append(f"{where}: no guid; pinned the enclosure URL as its guid")
        guid = url
    date_text = text_of(element.find("pubDate"))
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
    duration_text = text_of(find_in(element, "duration", (ITUNES,)))
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
    encoded = text_of(find_in(element, "encoded", (CONTENT,)))
    description = text_of(element.find("description")) or text_of(
        find_in(element, "summary", (ITUNES,))
    )
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
        link=absolute_link(text_of(element.find("link")), f"{where}: <link>", result.warnings),
    )
    image = find_in(element, "image", (ITUNES,))
    href = image.get("href") if image is not None else None
    item.image = absolute_link(href, f"{where}: itunes:image", result.warnings)
    item.season = feedvalues.season_number(text_of(find_in(element, "season", (ITUNES,))))
    episode = text_of(find_in(element, "episode", (ITUNES,))) or text_of(
        find_in(element, "episode", PODCAST)
    )
    item.episode = feedvalues.episode_number(episode)
    episode_type = (text_of(find_in(element, "episodeType", (ITUNES,))) or "").lower()
    item.episode_type = episode_type if episode_type in ("trailer", "bonus") else None
    explicit = text_of(find_in(element, "explicit", (ITUNES,)))
    item.explicit = is_true(explicit)
    if explicit and explicit.lower() not in ("true", "false"):
        result.normalizations.append(
            f"{where}: itunes:explicit {explicit!r} -> {str(item.explicit).lower()}"
        )
    item.transcripts = import_parts.transcripts(
        element, where, result.warnings, result.normalizations
    )
    chapters = find_in(element, "chapters", PODCAST)
    if chapters is not None and not chapters.get("url", "").startswith("https://"):
        dropped = shorten(chapters.get("url", ""))
        result.warnings.append(f"{where}: podcast:chapters {dropped} is no https:// URL; dropped")
    elif chapters is not None:
        item.chapters = chapters.get("url")
        if (chapters.get("type") or JSON_CHAPTERS_TYPE) != JSON_CHAPTERS_TYPE:
            result.normalizations.append(
                f"{where}: podcast:chapters type {chapters.get('type')} -> {JSON_CHAPTERS_TYPE}"
            )
    item.persons = persons(element, where, result.warnings)
    item.images = feedvalues.podcast_images(element, PODCAST)
    item.locations = feedvalues.podcast_locations(element, PODCAST)
    item.soundbites = import_parts.soundbites(element, duration, where, result.warnings)
    item.value, refused = feedvalues.podcast_values(element, PODCAST)
    if refused:
        result.warnings.append(f"{where}: {refused} podcast:value block(s) the build refuses")
    for category in element.findall("category"):
        word = text_of(category)
        if word and word not in item.categories:
            item.categories.append(word)
    itunes_title = text_of(find_in(element, "title", (ITUNES,)))
    item.itunes_title = itunes_title if itunes_title and itunes_title != title else None
    item.itunes_author = text_of(find_in(element, "author", (ITUNES,)))
    item.block = bool(is_true(text_of(find_in(element, "block", (ITUNES,)))))
    if not item.title:  # the build needs one; import cannot know it
        item.title = f"Untitled episode of {item.date.date().isoformat()}"
        item.todos.append("the feed gives this episode no title: write its title")
        result.warnings.append(f"{where}: no title; wrote {item.title!r} with a TODO")
    return item
