"""Rules on the media host, with --online: Range answers 206, the type is media, redirects are
few, artwork answers HEAD (the answers come from lint/online.py through `Feed.online`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml import etree

from podcastfeed.lint.base import Feed, Hit, rule
from podcastfeed.net.limits import mask_url

APPLE_RANGE = "https://github.com/BabDev/Podcast-Manager/issues/92"
APPLE_REDIRECT = "https://github.com/AzuraCast/AzuraCast/issues/7009"


def _enclosures(feed: Feed) -> Iterator[tuple[etree._Element, str, dict[str, Any]]]:
    if feed.online is None:
        return
    items = feed.items if feed.sample is None else feed.items[: feed.sample]
    for item in items:
        element = item.find("enclosure")
        url = (element.get("url") or "").strip() if element is not None else ""
        if element is not None and url.lower().startswith(("http://", "https://")):
            yield element, url, feed.online.answer(url, "GET")


def _ok(found: dict[str, Any]) -> bool:
    return not found["error"] and 200 <= int(found["status"]) < 300


def _kind(found: dict[str, Any]) -> str:
    return str(found["content_type"]).split(";")[0].strip().lower()


def _is_media(found: dict[str, Any]) -> bool:
    return _kind(found).startswith(("audio/", "video/"))


@rule(
    "apple/media-reachable",
    "error",
    "Every enclosure URL answers with the file",
    "https://help.prx.org/hc/en-us/articles/360049935673",
    online=True,
)
def media_reachable(feed: Feed) -> Iterator[Hit]:
    """Each enclosure URL must answer a GET with the media (2xx after redirects); a 404, a 500
    or a dead host means the episode cannot be played or is dropped by Apple."""
    for element, url, found in _enclosures(feed):
        if not _ok(found):
            why = found["error"] or f"HTTP {found['status']}"
            yield Hit(element, f"{mask_url(url)}: {why}", key="audio")


@rule(
    "apple/byte-range",
    "error",
    "The media host answers Range requests with 206",
    APPLE_RANGE,
    online=True,
)
def byte_range(feed: Feed) -> Iterator[Hit]:
    """Apple requires byte-range support: a `Range: bytes=0-1` request must get `206 Partial
    Content` with a `Content-Range` header. A host that answers 200 with the whole file is
    rejected by Podcasts Connect, and players cannot seek."""
    for element, url, found in _enclosures(feed):
        if not _ok(found) or not _is_media(found):
            continue  # apple/media-reachable or apple/media-content-type says why
        if int(found["status"]) != 206:
            yield Hit(
                element,
                f"{mask_url(url)}: a Range request got HTTP {found['status']}, not 206",
                hint="host the audio where byte ranges work (most CDNs and S3 do)",
                key="audio",
            )
        elif not found["content_range"]:
            yield Hit(
                element, f"{mask_url(url)}: HTTP 206 without a Content-Range header", key="audio"
            )


@rule(
    "apple/media-content-type",
    "error",
    "The media host sends an audio or video type",
    "https://github.com/Joomla-Bible-Study/Proclaim/issues/1424",
    online=True,
)
def media_content_type(feed: Feed) -> Iterator[Hit]:
    """The enclosure URL must serve `audio/*` or `video/*`; an HTML page (a login, a paywall, an
    error page answered with 200) or `application/octet-stream` means apps get no episode."""
    for element, url, found in _enclosures(feed):
        if not _ok(found):
            continue
        kind = _kind(found)
        if not _is_media(found):
            yield Hit(
                element,
                f"{mask_url(url)}: the host sends Content-Type {kind or '(none)'!r}, "
                "not audio or video",
                hint="a login or error page? open it in a browser",
                key="audio",
            )


@rule(
    "apple/redirects",
    "warning",
    "Enclosure URLs do not redirect (or few times)",
    APPLE_REDIRECT,
    online=True,
)
def redirects(feed: Feed) -> Iterator[Hit]:
    """Apple asks for enclosure URLs that point at the media itself; each redirect (analytics
    prefixes, moved hosts) costs a round trip, and some apps give up after a few. Reported with
    the count and the final URL."""
    for element, url, found in _enclosures(feed):
        hops = int(found["redirects"])
        if hops:
            yield Hit(
                element,
                f"{mask_url(url)}: {hops} redirect{'s' * (hops != 1)} to "
                f"{mask_url(found['final_url'])}",
                key="audio",
            )


@rule(
    "apple/artwork-head",
    "error",
    "Artwork URLs answer HEAD requests",
    "https://github.com/SoftwareEngineeringDaily/sedaily-front-end/issues/657",
    online=True,
)
def artwork_head(feed: Feed) -> Iterator[Hit]:
    """Apple checks cover art with a HEAD request; a host that answers HEAD with 403, 404 or 405
    makes Podcasts Connect report the artwork as missing."""
    if feed.online is None:
        return
    for parent in (feed.channel, *feed.items):
        for element in feed.findall(parent, "itunes:image"):
            href = (element.get("href") or "").strip()
            if not href.lower().startswith(("http://", "https://")):
                continue
            found = feed.online.answer(href, "HEAD")
            if not _ok(found):
                why = f"HEAD failed: {found['error']}" if found["error"] else "HEAD got"
                why += "" if found["error"] else f" HTTP {found['status']}"
                yield Hit(element, f"artwork {mask_url(href)}: {why}", key="image")
