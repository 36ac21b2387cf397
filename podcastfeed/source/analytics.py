"""`[show] enclosure_prefix`: an analytics redirect (OP3, Podtrac, Chartable …) put in front of
every enclosure and alternate enclosure URL the feed publishes. Pure.

The services document one form: the prefix, then the media URL without its `https://`
(`https://op3.dev/e/` + `cdn.example.org/ep1.mp3`; `https://dts.podtrac.com/redirect.mp3/` +
the same). OP3 reads a URL without a scheme as https and also takes one with `http://`
(its redirect parser: `/e/(https?://)?(.+)`), so an `http://` URL keeps its scheme rather than
becoming https. Only the feed says the prefixed URL: the lock, the guids, the probes and the
show page keep the URL as written, so adding, changing or removing a prefix changes no episode.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from podcastfeed.errors import shorten
from podcastfeed.model import EpisodeTags
from podcastfeed.values import parse_link, with_prefix


def parse_enclosure_prefix(value: object) -> str:
    """An absolute http(s) URL without query or fragment, ending in `/` (added if missing:
    `https://op3.dev/e` is `https://op3.dev/e/`)."""
    try:
        url = parse_link(value)
    except ValueError:
        url = ""
    parts = urlsplit(url)
    if not url or parts.query or parts.fragment or "?" in url or "#" in url:
        raise ValueError(
            "must be an http(s) URL that the media URL is appended to, like "
            f"https://op3.dev/e/ (got {shorten(value)})"
        )
    return url if url.endswith("/") else url + "/"


def prefixed_tags(tags: EpisodeTags, prefix: str | None) -> EpisodeTags:
    """An item's tags with each alternate enclosure behind `prefix` too."""
    if not prefix or not tags.alternate_enclosures:
        return tags
    alternates = tuple(
        replace(alt, url=with_prefix(alt.url, prefix)) for alt in tags.alternate_enclosures
    )
    return replace(tags, alternate_enclosures=alternates)
