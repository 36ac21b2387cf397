"""feedgen extensions for what feedgen 1.0 gets wrong or lacks: Apple's current itunes tags
(explicit true/false, any artwork URL) and the Podcast Index namespace. Pure.

feedgen's own podcast extension writes yes/no/clean and silently drops `.jpeg` or query-string
artwork, so podcastfeed writes these tags itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from lxml import etree

from podcastfeed.model import EMPTY_EPISODE_TAGS, Category, EpisodeTags, ShowTags
from podcastfeed.render.elements import sub as _sub
from podcastfeed.render.podcast_ns import write_channel_tags, write_item_tags
from podcastfeed.xmlns import ATOM, ITUNES, PODCAST, PSC, SPOTIFY

#: The namespaces every feed declares, in this order (feedgen adds atom and content itself).
NSMAP = {"itunes": ITUNES, "podcast": PODCAST}
#: Declared only by feeds that use them (spotify: tags on the channel, psc: inline chapters).
OPTIONAL_NSMAP = {"spotify": SPOTIFY, "psc": PSC}


def _bool(value: bool) -> str:
    return "true" if value else "false"


@dataclass
class ChannelTags:
    """What the channel carries beyond plain RSS."""

    author: str = ""
    owner_name: str = ""
    owner_email: str = ""
    image: str = ""
    categories: tuple[Category, ...] = ()
    is_explicit: bool = False
    type: str = "episodic"
    podcast_guid: str = ""
    page_url: str | None = None  # atom:link rel="alternate" type="text/html"
    extra: ShowTags = field(default_factory=ShowTags)
    nsmap: dict[str, str] = field(default_factory=lambda: dict(NSMAP))


@dataclass
class ItemTags:
    """What an item carries beyond plain RSS."""

    duration: str = ""
    image: str | None = None
    is_explicit: bool = False
    season: int | None = None
    number: int | None = None
    episode_type: str | None = None
    cdata: tuple[str, ...] = ()  # tags (Clark notation) whose text goes in CDATA
    extra: EpisodeTags = EMPTY_EPISODE_TAGS


class ChannelExtension(BaseExtension):  # type: ignore[misc]  # feedgen is untyped
    """Writes itunes:* and podcast:guid on the channel."""

    def __init__(self) -> None:
        self.tags = ChannelTags()

    def extend_ns(self) -> dict[str, str]:
        return dict(self.tags.nsmap)

    def extend_rss(self, rss: etree._Element) -> etree._Element:
        channel = rss[0]
        t = self.tags
        if t.page_url:
            self_link = channel.find(f"{{{ATOM}}}link")
            page = etree.Element(
                f"{{{ATOM}}}link", href=t.page_url, rel="alternate", type="text/html"
            )
            if self_link is not None:
                self_link.addnext(page)
            else:
                channel.append(page)
        _sub(channel, ITUNES, "author", t.author)
        owner = _sub(channel, ITUNES, "owner")
        _sub(owner, ITUNES, "name", t.owner_name)
        _sub(owner, ITUNES, "email", t.owner_email)
        if t.image:  # none yet: the build warns, check errors (Apple requires it)
            _sub(channel, ITUNES, "image", href=t.image)
        parents: dict[str, etree._Element] = {}
        for category in t.categories:
            parent = parents.get(category.name)
            if parent is None:
                parent = parents[category.name] = _sub(
                    channel, ITUNES, "category", None, text=category.name
                )
            if category.subcategory:
                # Apple names the category in a `text` attribute, not in element text.
                _sub(parent, ITUNES, "category", None, text=category.subcategory)
        _sub(channel, ITUNES, "explicit", _bool(t.is_explicit))
        _sub(channel, ITUNES, "type", t.type)
        _sub(channel, PODCAST, "guid", t.podcast_guid)
        if t.extra != ShowTags():
            write_channel_tags(channel, t.extra)
        return rss


class ItemExtension(BaseEntryExtension):  # type: ignore[misc]  # feedgen is untyped
    """Writes itunes:* on an item and wraps HTML fields in CDATA."""

    def __init__(self) -> None:
        self.tags = ItemTags()

    def extend_ns(self) -> dict[str, str]:
        return dict(NSMAP)

    def extend_rss(self, item: etree._Element) -> etree._Element:
        t = self.tags
        for element in item:
            # CDATA cannot carry "]]>"; such text stays as escaped text, which parses the same.
            if element.tag in t.cdata and element.text and "]]>" not in element.text:
                element.text = etree.CDATA(element.text)
        _sub(item, ITUNES, "duration", t.duration)
        if t.image:
            _sub(item, ITUNES, "image", href=t.image)
        _sub(item, ITUNES, "explicit", _bool(t.is_explicit))
        if t.season is not None:
            _sub(item, ITUNES, "season", str(t.season))
        if t.number is not None:
            _sub(item, ITUNES, "episode", str(t.number))
        if t.episode_type:
            _sub(item, ITUNES, "episodeType", t.episode_type)
        if t.extra is not EMPTY_EPISODE_TAGS:
            write_item_tags(item, t.extra, t.season, t.number)
        return item
