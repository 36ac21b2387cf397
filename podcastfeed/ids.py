"""Stable identifiers: the channel's podcast:guid and derived episode GUIDs. Pure.

The channel GUID follows the Podcast Index spec: UUIDv5 of the feed URL without its scheme and
trailing slashes, in the namespace ead4c236-bf58-58c6-a2c6-a6b28d128cb6
(https://podcastindex.org/namespace/1.0#guid).
"""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from podcastfeed.model import Episode

PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")


def podcast_guid(feed_url: str) -> str:
    """`podcast:guid` for a feed URL: `podnews.net/rss` -> 9b024349-ccf0-5f69-a609-6b82873eab3c."""
    bare = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://", "", feed_url.strip()).rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


def episode_key(episode: Episode) -> str:
    """What a derived episode GUID is made from: the permalink without its outer slashes, else
    the file's path under episodes/ without its suffix (`season1/intro`).

    The path, not the file name (issue 16): `season1/intro.md` and `season2/intro.md` got the
    same GUID from the name `intro`. For a file directly in episodes/ the path is the name
    (`intro`), so its GUID is the one it always had; one in a folder that was published before
    keeps the GUID podcastfeed.lock recorded (pinned before anything is derived).
    """
    if episode.permalink:
        return episode.permalink.strip("/")
    return episode.slug or episode.source.stem


def episode_guid(channel_guid: str, key: str) -> str:
    """A derived episode GUID: UUIDv5 of the episode's key (episode_key) under the channel's.

    Derived once and then pinned (front matter or lock), so moving the feed later keeps it.
    """
    return str(uuid.uuid5(uuid.UUID(channel_guid), key))
