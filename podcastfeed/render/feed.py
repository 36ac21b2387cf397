"""Show + episodes + probe results -> RSS bytes. Pure: no file, network or clock access.

feedgen serializes; the loaders have validated. Output is deterministic: items newest first,
lastBuildDate from the data, fixed namespace order, no timestamps from the clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from lxml import etree

from podcastfeed.ids import podcast_guid
from podcastfeed.model import MIME_BY_EXTENSION, AudioInfo, Episode, Show
from podcastfeed.render.namespaces import (
    NSMAP,
    OPTIONAL_NSMAP,
    ChannelExtension,
    ItemExtension,
)
from podcastfeed.source.analytics import prefixed_tags
from podcastfeed.values import format_duration, with_prefix
from podcastfeed.xmlns import ATOM, CONTENT

GENERATOR = "podcastfeed"
GENERATOR_URI = "https://pypi.org/project/podcastfeed/"


@dataclass(frozen=True)
class Enclosure:
    """What an item publishes about its audio, after front-matter overrides."""

    url: str
    length: int
    mime_type: str
    duration: int


def enclosure_for(episode: Episode, info: AudioInfo | None) -> Enclosure:
    """Front matter wins over probing; the type falls back to the URL's extension.

    Raises:
        ValueError: neither gives a duration, length or type (the build checks this first).
    """
    if episode.audio is None:
        raise ValueError(f"{episode.source}: a published episode needs audio")
    duration = (
        episode.duration if episode.duration is not None else (info.seconds if info else None)
    )
    length = episode.length if episode.length is not None else (info.size if info else None)
    mime_type = episode.mime_type or (info.mime_type if info else None)
    if mime_type is None:
        suffix = "." + episode.audio.url.split("?")[0].rsplit(".", 1)[-1].lower()
        mime_type = MIME_BY_EXTENSION.get(suffix)
    if duration is None or length is None or mime_type is None:
        raise ValueError(f"{episode.source}: no probe result for {episode.audio.url}")
    return Enclosure(episode.audio.url, length, mime_type, duration)


def sort_episodes(episodes: Sequence[Episode]) -> list[Episode]:
    """Newest first; episodes at the same instant by file name, so the order never flips."""
    by_name = sorted(episodes, key=lambda e: str(e.source))
    return sorted(by_name, key=lambda e: e.date, reverse=True)


def build_feed(
    show: Show,
    episodes: Sequence[Episode],
    audio: Mapping[str, AudioInfo],
    *,
    build_date: datetime | None = None,
) -> bytes:
    """The RSS document for `show` with the published `episodes`, each with a resolved guid.

    Args:
        audio: probe results by enclosure URL; front-matter duration/length override them.
        build_date: lastBuildDate; default the show's setting, else the newest pubDate.
    """
    return b"".join(iter_feed(show, episodes, audio, build_date=build_date))


def iter_feed(
    show: Show,
    episodes: Sequence[Episode],
    audio: Mapping[str, AudioInfo],
    *,
    build_date: datetime | None = None,
    cached: Callable[[Episode, Mapping[str, str]], bytes | None] | None = None,
) -> Iterator[bytes]:
    """`build_feed` in pieces: the channel's head, one piece per item (newest first), the
    channel's tail, so a large feed is never held as one tree (10,000 episodes with long notes
    would take hundreds of MB).

    Args:
        cached: an item's bytes as rendered before (given the episode and the root's
            namespaces), or None to render it.
    """
    items = sort_episodes(episodes)
    fg = FeedGenerator()
    fg.register_extension("podcastfeed", ChannelExtension, ItemExtension)
    fg.title(show.title)
    fg.link(href=show.feed_url, rel="self", type="application/rss+xml")
    fg.link(href=show.link)  # feedgen's RSS <link> is the last link set
    fg.description(show.description)
    fg.language(show.language)
    if show.copyright:
        fg.copyright(show.copyright)
    fg.generator(GENERATOR, uri=GENERATOR_URI)
    if show.image:  # none yet: a warning of load_config
        fg.image(url=show.image, title=show.title, link=show.link)
    last = build_date or show.last_build_date or (items[0].date if items else None)
    # feedgen stamps lastBuildDate with the clock when it is created; never let that through.
    fg._FeedGenerator__rss_lastBuildDate = last

    tags = fg.podcastfeed.tags
    tags.author = show.author
    tags.owner_name, tags.owner_email = show.owner.name, show.owner.email
    tags.image = show.image or ""
    tags.categories = show.categories
    tags.is_explicit = show.is_explicit
    tags.type = show.type
    tags.podcast_guid = show.guid or podcast_guid(show.feed_url)
    tags.page_url = show.page_url
    tags.extra = show.tags
    tags.nsmap = channel_nsmap(show, items)

    document = bytes(fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True))
    head, tail = document.split(_CHANNEL_END)
    yield head
    # Items are serialized one by one under a stand-in channel that declares the same
    # namespaces, so their prefixes match the document's; lxml then repeats the declarations on
    # the item, which are dropped (they are exactly the root's, in the root's order).
    nsmap = {**tags.nsmap, "atom": ATOM, "content": CONTENT}
    channel = etree.SubElement(etree.Element("rss", nsmap=nsmap), "channel")
    declared = etree.tostring(etree.SubElement(channel, "item"))[len(b"<item") : -len(b"/>")]
    channel.remove(channel[0])
    for episode in items:
        known = cached(episode, nsmap) if cached else None
        if known is not None:
            yield known
            continue
        url = episode.audio.url if episode.audio else ""
        item = _item(show, episode, enclosure_for(episode, audio.get(url)))
        channel.append(item)
        etree.indent(item, space="  ", level=2)
        text = etree.tostring(item, encoding="UTF-8", xml_declaration=False)
        channel.remove(item)
        opening = b"<item" + declared + b">"
        if not text.startswith(opening):
            raise ValueError(f"unexpected namespace declarations on an item: {text[:300]!r}")
        yield b"    <item>" + text[len(opening) :] + b"\n"
    yield _CHANNEL_END + tail


def channel_nsmap(show: Show, episodes: Sequence[Episode]) -> dict[str, str]:
    """The namespaces the root declares: always itunes and podcast; spotify and psc only when a
    tag of theirs is written, so feeds without them stay as they were."""
    nsmap = dict(NSMAP)
    if show.tags.uses_spotify:
        nsmap["spotify"] = OPTIONAL_NSMAP["spotify"]
    if any(episode.tags.inline_chapters for episode in episodes):
        nsmap["psc"] = OPTIONAL_NSMAP["psc"]
    return nsmap


_CHANNEL_END = b"  </channel>\n"
_CDATA = ("description",)  # content:encoded is CDATA from the start (above)


def _item(show: Show, episode: Episode, enclosure: Enclosure) -> etree._Element:
    if episode.guid is None:
        raise ValueError(f"{episode.source}: guid not resolved")
    entry = FeedEntry()
    entry.register_extension("podcastfeed", ItemExtension)
    entry.title(episode.title)
    if episode.link:
        entry.link(href=episode.link)
    entry.description(episode.description or episode.title)
    if episode.notes:
        notes = episode.notes_html
        # CDATA cannot carry "]]>"; such notes stay escaped text, which parses the same.
        entry.content(notes, type="text" if "]]>" in notes else "CDATA")
    entry.guid(episode.guid, permalink=episode.guid_is_permalink)
    for keyword in episode.keywords:
        entry.category(term=keyword)
    prefix = show.tags.enclosure_prefix  # analytics redirect: only the feed says it
    entry.enclosure(with_prefix(enclosure.url, prefix), str(enclosure.length), enclosure.mime_type)
    entry.pubDate(episode.date)
    tags = entry.podcastfeed.tags
    tags.duration = format_duration(enclosure.duration)
    tags.image = episode.image
    tags.is_explicit = show.is_explicit if episode.is_explicit is None else episode.is_explicit
    tags.season = episode.season
    tags.number = episode.number
    tags.episode_type = episode.episode_type
    tags.cdata = _CDATA
    tags.extra = prefixed_tags(episode.tags, prefix)
    item: etree._Element = entry.rss_entry()
    return item
