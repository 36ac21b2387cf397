"""The rules, one module per area; importing this package registers them all (each imports
only lint/base.py)."""

from podcastfeed.lint.rules import (
    artwork,
    channel,
    durations,
    flags,
    items,
    measured,
    namespaces,
    online,
    podcasting,
    rss,
    text,
    wellformed,
)

__all__ = [
    "artwork",
    "channel",
    "durations",
    "flags",
    "items",
    "measured",
    "namespaces",
    "online",
    "podcasting",
    "rss",
    "text",
    "wellformed",
]
