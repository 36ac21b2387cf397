"""Writes the optional channel and item tags (issue 4): itunes title/block/complete/new-feed-url,
the Podcast Index namespace, Spotify, WebSub hubs and Podlove Simple Chapters. Pure.

Tags follow https://podcastindex.org/namespace/1.0 (docs/tags/*.md); the order is fixed so the
output is deterministic.
"""

from __future__ import annotations

from email.utils import format_datetime

from lxml import etree

from podcastfeed.model import EpisodeTags, Image, License, Location, Person, ShowTags
from podcastfeed.render.elements import sub as _sub
from podcastfeed.render.value import write_value
from podcastfeed.source.chapters import psc_start
from podcastfeed.xmlns import ATOM, ITUNES, PODCAST, PSC, SPOTIFY


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def _persons(parent: etree._Element, persons: tuple[Person, ...]) -> None:
    for p in persons:
        _sub(parent, PODCAST, "person", p.name, role=p.role, group=p.group, img=p.img, href=p.href)


def _common(
    parent: etree._Element,
    locations: tuple[Location, ...],
    license_: License | None,
    images: tuple[Image, ...],
) -> None:
    for place in locations:
        _sub(
            parent,
            PODCAST,
            "location",
            place.name,
            rel=place.rel,
            geo=place.geo,
            osm=place.osm,
            country=place.country,
        )
    if license_ is not None:
        _sub(parent, PODCAST, "license", license_.name, url=license_.url)
    # one podcast:image per image: podcast:images (srcset) is deprecated (docs/tags/image.md)
    for image in images:
        _sub(
            parent,
            PODCAST,
            "image",
            **{
                "href": image.url,
                "alt": image.alt,
                "aspect-ratio": image.aspect_ratio,
                "width": None if image.width is None else str(image.width),
                "height": None if image.height is None else str(image.height),
                "type": image.mime_type,
                "purpose": image.purpose,
            },
        )


def write_channel_tags(channel: etree._Element, t: ShowTags) -> None:
    """The channel's optional tags, after podcast:guid."""
    if t.itunes_title:
        _sub(channel, ITUNES, "title", t.itunes_title)
    if t.new_feed_url:
        _sub(channel, ITUNES, "new-feed-url", t.new_feed_url)
    if t.is_blocked:
        _sub(channel, ITUNES, "block", "Yes")
    if t.is_complete:
        _sub(channel, ITUNES, "complete", "Yes")
    for hub in t.hubs:
        _sub(channel, ATOM, "link", href=hub, rel="hub")
    if t.is_locked is not None:
        _sub(channel, PODCAST, "locked", _yes(t.is_locked), owner=t.locked_owner)
    for funding in t.funding:
        _sub(channel, PODCAST, "funding", funding.text, url=funding.url)
    _persons(channel, t.persons)
    if t.medium:
        _sub(channel, PODCAST, "medium", t.medium)
    _common(channel, t.locations, t.license, t.images)
    for txt in t.txt:
        _sub(channel, PODCAST, "txt", txt.text, purpose=txt.purpose)
    for trailer in t.trailers:
        _sub(
            channel,
            PODCAST,
            "trailer",
            trailer.title,
            url=trailer.url,
            pubdate=format_datetime(trailer.pub_date),
            length=None if trailer.length is None else str(trailer.length),
            type=trailer.mime_type,
            season=None if trailer.season is None else str(trailer.season),
        )
    if t.podroll:
        podroll = _sub(channel, PODCAST, "podroll")
        for item in t.podroll:
            _sub(podroll, PODCAST, "remoteItem", feedGuid=item.feed_guid, feedUrl=item.feed_url)
    if t.update_frequency is not None:
        u = t.update_frequency
        _sub(
            channel,
            PODCAST,
            "updateFrequency",
            u.text,
            complete=None if u.complete is None else str(u.complete).lower(),
            dtstart=None if u.dtstart is None else u.dtstart.isoformat(),
            rrule=u.rrule,
        )
    if t.uses_podping is not None:  # docs/tags/podping.md: the feed announces its updates
        _sub(channel, PODCAST, "podping", usesPodping=str(t.uses_podping).lower())
    if t.country_of_origin:
        _sub(channel, SPOTIFY, "countryOfOrigin", " ".join(t.country_of_origin))
    if t.spotify_limit is not None:
        _sub(channel, SPOTIFY, "limit", recentCount=str(t.spotify_limit))
    write_value(channel, t.value)


def write_item_tags(
    item: etree._Element, t: EpisodeTags, season: int | None, number: int | None
) -> None:
    """An item's optional tags, after its itunes tags."""
    if t.itunes_title:
        _sub(item, ITUNES, "title", t.itunes_title)
    if t.itunes_author:
        _sub(item, ITUNES, "author", t.itunes_author)
    if t.is_blocked:
        _sub(item, ITUNES, "block", "Yes")
    if t.season_name and season is not None:
        _sub(item, PODCAST, "season", str(season), name=t.season_name)
    if t.podcast_episode or t.episode_display:
        value = t.podcast_episode or (None if number is None else str(number))
        if value is not None:
            _sub(item, PODCAST, "episode", value, display=t.episode_display)
    for transcript in t.transcripts:
        _sub(
            item,
            PODCAST,
            "transcript",
            url=transcript.url,
            type=transcript.mime_type,
            language=transcript.language,
            rel=transcript.rel,
        )
    if t.chapters is not None:
        _sub(item, PODCAST, "chapters", url=t.chapters.url, type=t.chapters.mime_type)
    _persons(item, t.persons)
    for bite in t.soundbites:
        _sub(
            item,
            PODCAST,
            "soundbite",
            bite.title,
            startTime=_number(bite.start),
            duration=_number(bite.duration),
        )
    _common(item, t.locations, t.license, t.images)
    for alt in t.alternate_enclosures:
        element = _sub(
            item,
            PODCAST,
            "alternateEnclosure",
            type=alt.mime_type,
            length=None if alt.length is None else str(alt.length),
            bitrate=None if alt.bitrate is None else _number(alt.bitrate),
            title=alt.title,
        )
        _sub(element, PODCAST, "source", uri=alt.url)
        if alt.integrity is not None:
            _sub(element, PODCAST, "integrity", type=alt.integrity.type, value=alt.integrity.value)
    if t.inline_chapters:
        psc = _sub(item, PSC, "chapters", version="1.2")
        for chapter in t.inline_chapters:
            _sub(
                psc,
                PSC,
                "chapter",
                start=psc_start(chapter.start),
                title=chapter.title,
                href=chapter.url,
                image=chapter.img,
            )
    write_value(item, t.value)
