"""Stable identifiers: the channel's podcast:guid and derived episode GUIDs. Pure.

The channel GUID follows the Podcast Index spec: UUIDv5 of the feed URL without its scheme and
trailing slashes, in the namespace ead4c236-bf58-58c6-a2c6-a6b28d128cb6
(https://podcastindex.org/namespace/1.0#guid).
"""

from __future__ import annotations

import re
import uuid

PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")


def podcast_guid(feed_url: str) -> str:
    """`podcast:guid` for a feed URL: `podnews.net/rss` -> 9b024349-ccf0-5f69-a609-6b82873eab3c."""
    bare = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://", "", feed_url.strip()).rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


def episode_guid(channel_guid: str, key: str) -> str:
    """A derived episode GUID: UUIDv5 of the episode's permalink (or file name) under the channel's.

    Derived once and then pinned (front matter or lock), so moving the feed later keeps it.
    """
    return str(uuid.uuid5(uuid.UUID(channel_guid), key))
