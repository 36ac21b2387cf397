"""Rules on the media host, with --online: Range answers 206, the type is media, redirects are
few, artwork answers HEAD. Answers are kept for a day in the build cache folder (online.json).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from podcastfeed.files import write_atomic
from podcastfeed.lint.base import Feed, Hit, rule
from podcastfeed.media import artwork
from podcastfeed.media.artwork import Artwork, ArtworkError
from podcastfeed.net.limits import DEFAULT_DEADLINE, mask_url

if TYPE_CHECKING:
    from requests import Session

CACHE_NAME = "online.json"
CACHE_SECONDS = 24 * 3600
APPLE_RANGE = "https://github.com/BabDev/Podcast-Manager/issues/92"
APPLE_REDIRECT = "https://github.com/AzuraCast/AzuraCast/issues/7009"


@dataclass
class Online:
    """The HTTP side of `check --online`: one answer per URL and kind, cached for a day."""

    session: Session
    timeout: float = 15.0
    cache_file: Path | None = None
    now: float = field(default_factory=time.time)
    requests: int = 0
    deadline: float = DEFAULT_DEADLINE  # per request, in all (connect, headers, body)
    _cache: dict[str, dict[str, Any]] | None = None

    def _entries(self) -> dict[str, dict[str, Any]]:
        if self._cache is None:
            self._cache = {}
            if self.cache_file is not None:
                try:
                    data = json.loads(self.cache_file.read_text(encoding="utf-8"))
                    self._cache = {
                        k: v
                        for k, v in data.get("answers", {}).items()
                        if self.now - float(v.get("at", 0)) < CACHE_SECONDS
                    }
                except (OSError, ValueError, AttributeError, TypeError):
                    self._cache = {}
        return self._cache

    def answer(self, url: str, method: str) -> dict[str, Any]:
        """status, final_url, redirects, content_type, content_range, error of GET Range 0-1
        (method GET) or HEAD."""
        key = f"{method} {url}"
        entries = self._entries()
        if key not in entries:
            from podcastfeed.media import remote  # requests only when a host is asked

            self.requests += 1
            got = remote.ask(
                self.session,
                url,
                method=method,
                first_bytes=2 if method == "GET" else None,
                timeout=self.timeout,
                deadline=self.deadline,
            )
            entries[key] = {
                "at": self.now,
                "status": got.status,
                "final_url": got.final_url,
                "redirects": got.redirects,
                "content_type": got.headers.get("content-type", ""),
                "content_range": got.headers.get("content-range", ""),
                "error": got.error,
            }
        return entries[key]

    def artwork(self, url: str) -> Artwork | ArtworkError | None:
        """The image header at `url`, from a ranged read of its first bytes; None when the host
        does not answer with it (apple/artwork-head reports that)."""
        from podcastfeed.media import remote

        self.requests += 1
        got = remote.ask(
            self.session,
            url,
            first_bytes=artwork.HEAD_BYTES,
            timeout=self.timeout,
            deadline=self.deadline,
        )
        if got.error or not 200 <= got.status < 300:
            return None
        total = got.headers.get("content-range", "").rpartition("/")[2]
        length = got.headers.get("content-length", "")
        size = int(total) if total.isdigit() else int(length) if length.isdigit() else None
        try:
            return artwork.read_bytes(got.body, size)
        except ArtworkError as exc:
            return exc

    def save(self) -> None:
        if self.cache_file is None or self._cache is None:
            return
        text = json.dumps({"format": 1, "answers": self._cache}, indent=1, sort_keys=True)
        try:
            self.cache_file.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.cache_file, text.encode("utf-8"))
        except OSError:
            pass  # a cache folder that is a file or read-only: the answers are not kept


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
                why = found["error"] or f"HTTP {found['status']}"
                yield Hit(element, f"artwork {mask_url(href)}: HEAD got {why}", key="image")
