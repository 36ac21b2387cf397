"""The rules, one module per area; importing this package registers them all (each imports
only lint/base.py)."""

from podcastfeed.lint.rules import (
    artwork,
    channel,
    credentials,
    durations,
    flags,
    image_location,
    items,
    links,
    measured,
    namespaces,
    online,
    podcasting,
    rss,
    text,
    value,
    wellformed,
)

__all__ = [
    "artwork",
    "channel",
    "credentials",
    "durations",
    "flags",
    "image_location",
    "items",
    "links",
    "measured",
    "namespaces",
    "online",
    "podcasting",
    "rss",
    "text",
    "value",
    "wellformed",
]
