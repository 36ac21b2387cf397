"""The rules, one module per area; importing this package registers them all (each imports
only lint/base.py)."""

from podcastfeed.lint.rules import (
    artwork,
    channel,
    items,
    measured,
    namespaces,
    online,
    podcasting,
    text,
    value,
)

__all__ = [
    "artwork",
    "channel",
    "items",
    "measured",
    "namespaces",
    "online",
    "podcasting",
    "text",
    "value",
]
