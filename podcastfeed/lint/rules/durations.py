"""Rules on itunes:duration: missing, unreadable (apps drop it) or with a fraction of a second."""

from __future__ import annotations

import re
from collections.abc import Iterator

from podcastfeed.lint.base import PSP1, Feed, Hit, rule, text_of

#: What apps read: seconds, MM:SS or H:MM:SS (podcastparser also takes a fraction after them).
_READABLE = re.compile(r"^(\d+|\d{1,2}:[0-5]\d|\d+:[0-5]\d:[0-5]\d)(\.\d+)?$")


@rule(
    "apple/duration",
    "error",
    "itunes:duration is seconds or HH:MM:SS",
    PSP1 + "#optional-item-elements",
)
def duration(feed: Feed) -> Iterator[Hit]:
    """`itunes:duration` is the length in seconds (or `HH:MM:SS`, `MM:SS`). A value in any other
    form (`12 minutes`, `1h 5m`, `-3`) is one apps cannot read: they drop the tag and show no
    length, or a wrong one."""
    for item in feed.items:
        element = feed.find(item, "itunes:duration")
        value = text_of(element)
        if element is not None and not _READABLE.match(value or ""):
            yield Hit(
                element,
                f"itunes:duration must be seconds or HH:MM:SS (got {value!r})",
                hint="e.g. 754 or 12:34",
                key="duration",
            )


@rule(
    "apple/duration-missing",
    "warning",
    "Every episode has an itunes:duration",
    PSP1 + "#optional-item-elements",
)
def duration_missing(feed: Feed) -> Iterator[Hit]:
    """Without `itunes:duration` apps show no length until the download ends."""
    for item in feed.items:
        if feed.find(item, "itunes:duration") is None:
            title = text_of(item.find("title")) or "(untitled)"
            yield Hit(item, f"episode {title!r} has no itunes:duration", key="duration")


@rule(
    "apple/duration-fraction",
    "warning",
    "itunes:duration is whole seconds",
    PSP1 + "#optional-item-elements",
)
def duration_fraction(feed: Feed) -> Iterator[Hit]:
    """Apple documents `itunes:duration` in whole seconds. A fraction (`1014.708375`, as some
    hosts write the measured length) is read by some apps and cut or refused by others, and
    the W3C feed validator rejects it."""
    for item in feed.items:
        element = feed.find(item, "itunes:duration")
        value = text_of(element) or ""
        if element is not None and _READABLE.match(value) and "." in value:
            whole = None if ":" in value else round(float(value))
            yield Hit(
                element,
                f"itunes:duration has a fraction of a second (got {value!r})",
                hint=f"write {whole} (whole seconds)" if whole is not None else None,
                key="duration",
            )
