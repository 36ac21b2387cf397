"""Rules on namespaces and on the optional tags of other namespaces: the exact itunes and podcast
namespace URIs and the encoding, a moved feed (itunes:new-feed-url), Spotify's tags and video,
reused enclosure URLs, and the Podcasting 2.0 tags (podcast:…) of any feed, ours or not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from podcastfeed.lint.base import (
    PSP1,
    Feed,
    Hit,
    is_absolute_url,
    repeats,
    rule,
    text_of,
)
from podcastfeed.values import COUNTRY
from podcastfeed.xmlns import ITUNES, PODCAST, PODCAST_LEGACY, SPOTIFY

APPLE_MOVE = "https://github.com/BabDev/Podcast-Manager/issues/13"
FEEDSMITH_SPOTIFY = "https://next.feedsmith.dev/reference/namespaces/spotify"
SPOTIFY_VIDEO = "https://github.com/vpetersson/podcast-rss-generator#known-issues"


def _namespaces(feed: Feed) -> dict[str, etree._Element]:
    """Each namespace URI the feed declares or uses, with the first element that does."""
    found: dict[str, etree._Element] = {}
    for uri in feed.root.nsmap.values():
        found.setdefault(uri, feed.root)
    for element in feed.root.iter(etree.Element):
        uri = etree.QName(element).namespace
        if uri is not None and uri not in found:
            found[uri] = element
    return found


def _bare(uri: str) -> str:
    """A namespace URI without scheme, `www.` and trailing slash, lower-cased: what a
    misspelling of it still shares with the right one."""
    bare = re.sub(r"^[a-z]+://", "", uri.strip().lower()).removeprefix("www.")
    return bare.rstrip("/")


@rule(
    "apple/itunes-namespace",
    "error",
    "The itunes namespace URI is exactly Apple's, and the feed is UTF-8",
    PSP1 + "#required-rss-namespace-declarations",
)
def itunes_namespace(feed: Feed) -> Iterator[Hit]:
    """Apple reads `itunes:` tags only in the namespace `http://www.itunes.com/dtds/podcast-1.0.dtd`,
    spelled exactly so (case-sensitive, `http:`): a feed that declares `https://…` or
    `…/Podcast-1.0.dtd` has, for Apple, no itunes tags at all (no category, no explicit, no
    artwork). Checked: every namespace the root declares or an element uses that looks like the
    itunes one (the same URI but for scheme, `www.`, case or a trailing slash). The feed must
    also be encoded as UTF-8 (the XML declaration's `encoding`)."""
    encoding = feed.root.getroottree().docinfo.encoding or "UTF-8"
    if encoding.upper().replace("_", "-") not in ("UTF-8", "UTF8"):
        yield Hit(
            feed.root,
            f"the feed is encoded as {encoding}, not UTF-8",
            hint='save it as UTF-8 and declare <?xml version="1.0" encoding="UTF-8"?>',
        )
    for uri, element in _namespaces(feed).items():
        if uri != ITUNES and _bare(uri) == _bare(ITUNES):
            yield Hit(
                element,
                f"the itunes namespace must be exactly {ITUNES} (got {uri!r}): Apple sees no "
                "itunes tags in it",
                hint=f'declare xmlns:itunes="{ITUNES}"',
            )


@rule(
    "podcastindex/namespace",
    "error",
    "The podcast namespace URI is spelled exactly",
    "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
)
def podcast_namespace(feed: Feed) -> Iterator[Hit]:
    """The Podcasting 2.0 tags live in `https://podcastindex.org/namespace/1.0` (or the legacy
    URI, podcastindex/legacy-namespace). Any other spelling (http:, a different case, a trailing
    slash, `www.`) is not the namespace at all, and apps drop every `podcast:` tag in it."""
    for uri, element in _namespaces(feed).items():
        if uri in (PODCAST, PODCAST_LEGACY):
            continue
        if _bare(uri) in (_bare(PODCAST), _bare(PODCAST_LEGACY)):
            yield Hit(
                element,
                f"the podcast namespace must be {PODCAST} (got {uri!r}): apps see no "
                "podcast: tags in it",
                hint=f'declare xmlns:podcast="{PODCAST}"',
            )


@rule(
    "podcastindex/legacy-namespace",
    "warning",
    "The podcast namespace URI is the current one",
    "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
)
def legacy_namespace(feed: Feed) -> Iterator[Hit]:
    """The older URI `https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md`
    still works in the apps that know it, but an app that looks only for the current
    `https://podcastindex.org/namespace/1.0` does not see the tags declared under it."""
    element = _namespaces(feed).get(PODCAST_LEGACY)
    if element is not None:
        yield Hit(
            element,
            f"the podcast namespace is the legacy URI {PODCAST_LEGACY}",
            hint=f'declare xmlns:podcast="{PODCAST}"',
        )


@rule(
    "apple/enclosure-reused",
    "error",
    "No two episodes share an enclosure URL",
    PSP1 + "#required-item-elements",
)
def enclosure_reused(feed: Feed) -> Iterator[Hit]:
    """Apple ignores an episode whose enclosure URL an earlier episode already used, and other
    directories drop or merge the two. Every episode needs its own media URL (upload a new file
    under a new name rather than reusing one)."""

    def url(item: etree._Element) -> tuple[etree._Element | None, str | None]:
        element = item.find("enclosure")
        return element, (element.get("url") or "").strip() if element is not None else None

    for element, value, first in repeats(feed, url):
        yield Hit(
            element,
            f"enclosure {value} is used by an earlier episode too ({feed.place(first)})",
            hint="give every episode its own media file and URL",
            key="audio",
        )


@rule(
    "apple/new-feed-url",
    "error",
    "itunes:new-feed-url is a channel tag with an absolute URL",
    APPLE_MOVE,
)
def new_feed_url(feed: Feed) -> Iterator[Hit]:
    """`itunes:new-feed-url` tells Apple (and other apps) that the feed moved. It belongs in the
    channel (some generators put it in an `item`, where nobody reads it), and it must be an
    absolute `http(s)` URL: a malformed one loses the subscribers."""
    for item in feed.items:
        for stray in feed.findall(item, "itunes:new-feed-url"):
            yield Hit(
                stray,
                "itunes:new-feed-url inside an episode is ignored: it belongs in the channel",
                hint="move it to the channel",
                key="new_feed_url",
            )
    element = feed.find(feed.channel, "itunes:new-feed-url")
    if element is None:
        return
    url = text_of(element) or ""
    if not is_absolute_url(url):
        yield Hit(
            element,
            f"itunes:new-feed-url must be an absolute http(s) URL (got {url!r})",
            key="new_feed_url",
        )


@rule(
    "apple/new-feed-url-self",
    "warning",
    "itunes:new-feed-url is not the feed's own URL",
    APPLE_MOVE,
)
def new_feed_url_self(feed: Feed) -> Iterator[Hit]:
    """An `itunes:new-feed-url` equal to the feed's own `atom:link rel="self"` moves nothing:
    apps that follow it land where they are (many hosts write it so after a move, to keep the
    subscribers that polled the old feed). Harmless, but it says the feed moved when it did
    not, and hides a real move's URL if one was meant."""
    element = feed.find(feed.channel, "itunes:new-feed-url")
    url = text_of(element) or ""
    own = (feed.self_href or "").strip() or None
    if element is not None and own and url.rstrip("/") == own.rstrip("/"):
        yield Hit(
            element,
            f"itunes:new-feed-url is the feed's own URL ({own}): it moves nothing",
            hint="point it at the new feed, or remove it",
            key="new_feed_url",
        )


@rule(
    "apple/feed-moved",
    "info",
    "The feed announces a move (itunes:new-feed-url)",
    APPLE_MOVE,
)
def feed_moved(feed: Feed) -> Iterator[Hit]:
    """A channel `itunes:new-feed-url` moves the subscribers to another feed. Apple asks that the
    old URL also answer with a permanent redirect (301) to the new one, and that both stay in
    place for at least two weeks (longer is better: other apps poll less often)."""
    element = feed.find(feed.channel, "itunes:new-feed-url")
    url = text_of(element)
    if element is not None and url:
        yield Hit(
            element,
            f"the feed announces a move to {url}",
            hint="keep the old URL redirecting (301) to the new one for at least two weeks",
            key="new_feed_url",
        )


@rule(
    "spotify/tags",
    "error",
    "spotify:limit and spotify:countryOfOrigin are valid",
    FEEDSMITH_SPOTIFY,
)
def spotify_tags(feed: Feed) -> Iterator[Hit]:
    """Spotify's namespace (`http://www.spotify.com/ns/rss`) has two channel tags:
    `spotify:limit` with a whole-number `recentCount` attribute (how many recent episodes Spotify
    shows) and `spotify:countryOfOrigin`, a space-separated list of lower-case ISO 3166-1
    alpha-2 country codes (`gb us`). Malformed values are ignored."""
    for element in feed.channel.iterchildren(f"{{{SPOTIFY}}}limit"):
        count = (element.get("recentCount") or "").strip()
        if not count.isdigit():
            yield Hit(
                element,
                f"spotify:limit needs a whole-number recentCount (got {count!r})",
                hint='e.g. <spotify:limit recentCount="10"/>',
                key="spotify_limit",
            )
    for element in feed.channel.iterchildren(f"{{{SPOTIFY}}}countryOfOrigin"):
        value = text_of(element) or ""
        bad = [code for code in value.split() if not COUNTRY.match(code)]
        if bad or not value:
            yield Hit(
                element,
                "spotify:countryOfOrigin must list lower-case ISO 3166 country codes like "
                f"'gb us' (got {value!r})",
                hint=f"write {' '.join(re.findall(r'[a-z]+', value.lower()))!r}" if bad else None,
                key="country_of_origin",
            )


@rule(
    "spotify/video",
    "warning",
    "Spotify does not process video enclosures from RSS",
    SPOTIFY_VIDEO,
)
def spotify_video(feed: Feed) -> Iterator[Hit]:
    """Spotify ingests audio from an RSS feed; an episode whose enclosure is video (`video/…`)
    is not processed there (video podcasts reach Spotify by upload, not by RSS). Reported once,
    at the first video episode, with the number of video episodes."""
    videos = []
    for item in feed.items:
        element = item.find("enclosure")
        kind = (element.get("type") or "").strip().lower() if element is not None else ""
        if element is not None and kind.startswith("video/"):
            videos.append((element, kind))
    if videos:
        element, kind = videos[0]
        more = f" (and {len(videos) - 1} more episode(s))" if len(videos) > 1 else ""
        yield Hit(
            element,
            f"video enclosure ({kind}){more}: Spotify does not process video from RSS feeds",
            key="audio",
        )
