"""The rules, one module per area; importing this package registers them all (each imports
only lint/base.py)."""

from podcastfeed.lint.rules import (
    artwork,
    channel,
    image_location,
    items,
    measured,
    namespaces,
    online,
    podcasting,
    text,
)

__all__ = [
    "artwork",
    "channel",
    "image_location",
    "items",
    "measured",
    "namespaces",
    "online",
    "podcasting",
    "text",
]
