"""Rules on the Podcasting 2.0 tags (podcast:…) as the namespace defines them: values, sizes,
formats and where each tag may stand (the Podcast Index's tag pages are the source).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from podcastfeed.lint.base import (
    Feed,
    Hit,
    is_absolute_url,
    pub_date,
    rule,
    text_of,
)
from podcastfeed.values import EMAIL
from podcastfeed.xmlns import PODCAST, PODCAST_LEGACY

PI_TAGS = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/tags/"
TRANSCRIPT_TYPES = (
    "text/plain",
    "text/html",
    "text/vtt",
    "application/json",
    "application/x-subrip",
)
#: Types seen in feeds for the ones the namespace lists.
TRANSCRIPT_FIXES = {"application/srt": "application/x-subrip", "text/srt": "application/x-subrip"}
_NUMBER = re.compile(r"^\d+(\.\d+)?$")


def _podcast(parent: etree._Element, name: str) -> list[etree._Element]:
    """The parent's podcast:NAME children (current or legacy namespace URI)."""
    return list(parent.iterchildren(f"{{{PODCAST}}}{name}", f"{{{PODCAST_LEGACY}}}{name}"))


def _parents(feed: Feed) -> list[etree._Element]:
    return [feed.channel, *feed.items]


@rule("podcastindex/locked", "error", "podcast:locked is yes or no", PI_TAGS + "locked.md")
def locked(feed: Feed) -> Iterator[Hit]:
    """`podcast:locked` tells other hosts whether they may import the feed: its text is `yes` or
    `no` (lower case), and its optional `owner` attribute is the e-mail address a host asks
    before importing it."""
    for element in _podcast(feed.channel, "locked"):
        value = text_of(element) or ""
        if value not in ("yes", "no"):
            yield Hit(element, f"podcast:locked must be yes or no (got {value!r})", key="locked")
        owner = element.get("owner")
        if owner is not None and not EMAIL.match(owner.strip()):
            yield Hit(
                element,
                f"podcast:locked owner must be an e-mail address (got {owner!r})",
                key="locked_owner",
            )


@rule(
    "podcastindex/transcript",
    "error",
    "podcast:transcript has a url and a known type",
    PI_TAGS + "transcript.md",
)
def transcript(feed: Feed) -> Iterator[Hit]:
    """Each `podcast:transcript` needs a `url` and a `type` apps can read: `text/plain`,
    `text/html`, `text/vtt`, `application/json` or `application/x-subrip`. Without them apps
    drop the tag (the url should be https: podcastindex/https)."""
    for item in feed.items:
        for element in _podcast(item, "transcript"):
            kind = (element.get("type") or "").strip()
            fix = TRANSCRIPT_FIXES.get(kind)
            if not (element.get("url") or "").strip():
                yield Hit(element, "podcast:transcript has no url", key="transcript")
            if kind not in TRANSCRIPT_TYPES:
                yield Hit(
                    element,
                    f"podcast:transcript type must be one of {', '.join(TRANSCRIPT_TYPES)} "
                    f"(got {kind!r})",
                    hint=f'write type="{fix}"' if fix else None,
                    key="transcript",
                )


@rule(
    "podcastindex/transcript-rel",
    "warning",
    "podcast:transcript rel is captions or absent",
    PI_TAGS + "transcript.md",
)
def transcript_rel(feed: Feed) -> Iterator[Hit]:
    """The optional `rel` of `podcast:transcript` has one value, `captions` (the file has
    timecodes fit for closed captions); apps ignore any other."""
    for item in feed.items:
        for element in _podcast(item, "transcript"):
            rel = element.get("rel")
            if rel is not None and rel != "captions":
                yield Hit(
                    element,
                    f"podcast:transcript rel can only be 'captions' (got {rel!r})",
                    hint="remove rel unless the file is captions",
                    key="transcript",
                )


@rule(
    "podcastindex/chapters",
    "error",
    "podcast:chapters has a url and type application/json+chapters",
    PI_TAGS + "chapters.md",
)
def chapters(feed: Feed) -> Iterator[Hit]:
    """An episode has at most one `podcast:chapters`, with a `url` and the `type`
    `application/json+chapters` (the JSON chapters format apps read)."""
    for item in feed.items:
        elements = _podcast(item, "chapters")
        for element in elements[1:]:
            yield Hit(element, "a second podcast:chapters in one episode", key="chapters")
        for element in elements:
            if not (element.get("url") or "").strip():
                yield Hit(element, "podcast:chapters has no url", key="chapters")
            kind = (element.get("type") or "").strip()
            if kind != "application/json+chapters":
                yield Hit(
                    element,
                    f"podcast:chapters type must be application/json+chapters (got {kind!r})",
                    key="chapters",
                )


#: (tag, attribute or None for the text, limit in characters, feed.toml / front-matter key)
TEXT_LIMITS = (
    ("funding", None, 128, "funding"),
    ("person", None, 128, "persons"),
    ("trailer", None, 128, "trailers"),
    ("season", "name", 128, "season_name"),
    ("episode", "display", 32, "episode_display"),
    ("txt", None, 4000, "txt"),
    ("txt", "purpose", 128, "txt"),
    ("soundbite", None, 128, "soundbites"),
    ("image", "purpose", 128, "images"),
)


@rule(
    "podcastindex/text-length",
    "warning",
    "podcast: tag texts are within the namespace's limits",
    PI_TAGS + "funding.md",
)
def podcast_text_length(feed: Feed) -> Iterator[Hit]:
    """The namespace limits its texts: `podcast:funding`, `podcast:person` and `podcast:trailer`
    text, `podcast:soundbite` text and `podcast:season` `name` to 128 characters,
    `podcast:episode` `display` to 32, `podcast:txt` to 4,000 and its `purpose` (and
    `podcast:image`'s) to 128. Aggregators may cut longer ones."""
    for parent in _parents(feed):
        for name, attribute, limit, key in TEXT_LIMITS:
            for element in _podcast(parent, name):
                value = element.get(attribute) or "" if attribute else text_of(element) or ""
                if len(value) > limit:
                    what = f"podcast:{name}" + (f" {attribute}" if attribute else "")
                    yield Hit(
                        element,
                        f"{what} is {len(value):,} characters (at most {limit:,}): {value[:40]!r}…",
                        key=key,
                    )


@rule(
    "podcastindex/season-episode",
    "error",
    "podcast:season is a whole number, podcast:episode a decimal number",
    PI_TAGS + "episode.md",
)
def season_episode(feed: Feed) -> Iterator[Hit]:
    """`podcast:season` is a whole number (`1`); `podcast:episode` is a number that may have a
    fraction (`3`, `100.5` for a bonus between two episodes). A name goes in `name` (season) or
    `display` (episode), not in the text."""
    for item in feed.items:
        for element in _podcast(item, "season"):
            value = text_of(element) or ""
            if not value.isdigit():
                yield Hit(
                    element, f"podcast:season must be a whole number (got {value!r})", key="season"
                )
        for element in _podcast(item, "episode"):
            value = text_of(element) or ""
            if not _NUMBER.match(value):
                yield Hit(
                    element,
                    f"podcast:episode must be a number such as 3 or 100.5 (got {value!r})",
                    hint="put a name in the display attribute",
                    key="episode",
                )


@rule(
    "podcastindex/soundbite",
    "error",
    "podcast:soundbite has a numeric startTime and duration",
    PI_TAGS + "soundbite.md",
)
def soundbite(feed: Feed) -> Iterator[Hit]:
    """`podcast:soundbite` marks a clip of the episode: `startTime` and `duration`, in seconds
    (decimals allowed), are both required."""
    for item in feed.items:
        for element in _podcast(item, "soundbite"):
            for attribute in ("startTime", "duration"):
                value = (element.get(attribute) or "").strip()
                if not _NUMBER.match(value):
                    state = "has no" if not value else f"has a {attribute} that is not seconds:"
                    shown = attribute if not value else repr(value)
                    yield Hit(element, f"podcast:soundbite {state} {shown}", key="soundbites")


@rule(
    "podcastindex/soundbite-length",
    "info",
    "A podcast:soundbite lasts 15 to 120 seconds",
    PI_TAGS + "soundbite.md",
)
def soundbite_length(feed: Feed) -> Iterator[Hit]:
    """The namespace recommends a `duration` between 15 and 120 seconds for a soundbite (a clip
    for previews and sharing); a shorter or longer one is valid but outside that advice."""
    for item in feed.items:
        for element in _podcast(item, "soundbite"):
            value = (element.get("duration") or "").strip()
            if _NUMBER.match(value) and not 15 <= float(value) <= 120:
                yield Hit(
                    element,
                    f"podcast:soundbite lasts {value} s (15 to 120 s advised)",
                    key="soundbites",
                )


@rule(
    "podcastindex/trailer",
    "error",
    "podcast:trailer has a url and an RFC 2822 pubdate",
    PI_TAGS + "trailer.md",
)
def trailer(feed: Feed) -> Iterator[Hit]:
    """A channel `podcast:trailer` needs a `url` (the media file) and a `pubdate` in RFC 2822
    form (`Mon, 01 Jan 2024 09:00:00 +0000`), the date apps sort trailers by."""

    for element in _podcast(feed.channel, "trailer"):
        url = (element.get("url") or "").strip()
        if not is_absolute_url(url):
            shown = "has no url" if not url else f"url must be an absolute URL (got {url!r})"
            yield Hit(element, f"podcast:trailer {shown}", key="trailers")
        date = element.get("pubdate")
        if not date:
            yield Hit(element, "podcast:trailer has no pubdate", key="trailers")
        elif pub_date(date) is None:
            yield Hit(
                element,
                f"podcast:trailer pubdate is not an RFC 2822 date (got {date!r})",
                hint="e.g. Mon, 01 Jan 2024 09:00:00 +0000",
                key="trailers",
            )


@rule(
    "podcastindex/license",
    "warning",
    "podcast:license is a lower-case licence id, or has a url",
    PI_TAGS + "license.md",
)
def license_tag(feed: Feed) -> Iterator[Hit]:
    """`podcast:license` names the licence by a lower-case id from the namespace's
    `licenses.json` (SPDX ids such as `cc-by-4.0`); a custom licence needs a `url` to its text.
    Flagged: an empty or upper-case id, an id podcastfeed does not know (a subset of
    `licenses.json` and SPDX) without a `url`, and a `url` that is not an absolute URL."""
    from podcastfeed.source.tagvalues import LICENSES

    for parent in _parents(feed):
        for element in _podcast(parent, "license"):
            value = text_of(element) or ""
            url = element.get("url")
            if not value:
                yield Hit(element, "podcast:license is empty", key="license")
            elif value != value.lower():
                yield Hit(
                    element,
                    f"podcast:license must be a lower-case id (got {value!r})",
                    hint=f"write {value.lower()!r}",
                    key="license",
                )
            elif value not in LICENSES and url is None:
                yield Hit(
                    element,
                    f"podcast:license {value!r} is not a known licence id and has no url",
                    hint="use an id from licenses.json, or add url= with the licence text",
                    key="license",
                )
            if url is not None and not is_absolute_url(url.strip()):
                yield Hit(
                    element,
                    f"podcast:license url must be an absolute URL (got {url!r})",
                    key="license",
                )


@rule(
    "podcastindex/medium",
    "error",
    "podcast:medium is one of the namespace's mediums",
    PI_TAGS + "medium.md",
)
def medium(feed: Feed) -> Iterator[Hit]:
    """`podcast:medium` says what the feed is: `podcast`, `music`, `video`, `film`, `audiobook`,
    `newsletter`, `blog`, `publisher` or `course`, the same with an `L` suffix for a list of
    feeds (`musicL`), or `mixed` (a list of feeds of several mediums). Case matters."""
    from podcastfeed.source.tagvalues import MEDIUM_VALUES

    for element in _podcast(feed.channel, "medium"):
        value = text_of(element) or ""
        if value not in MEDIUM_VALUES:
            fix = next((m for m in MEDIUM_VALUES if m.lower() == value.lower()), None)
            yield Hit(
                element,
                f"podcast:medium must be one of the namespace's mediums (got {value!r})",
                hint=f"write {fix!r}" if fix else "e.g. podcast, music, video, audiobook",
                key="medium",
            )
