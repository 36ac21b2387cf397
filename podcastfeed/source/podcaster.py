"""eleventy-plugin-podcaster's `episode:` object (nathan-bottomley/eleventy-plugin-podcaster,
docs/episode-information.md): the audio file, numbers, size and duration nested under one key,
read as the top-level keys they stand for. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from podcastfeed.source.fields import ALIASES

#: A key of the object -> the field it gives (the first of two for one field wins).
_FIELDS = {
    "filename": "audio",
    "url": "audio",
    "seasonNumber": "season",
    "episodeNumber": "episode",
    "size": "length",
    "duration": "duration",
    "explicit": "explicit",
    "episodeType": "episode_type",
    "type": "episode_type",
    "title": "itunes_title",
}

#: The tag the plugin needs on every episode, to collect them: no keyword of the episode.
_COLLECTION_TAG = "podcastEpisode"


def read_episode_object(
    meta: dict[str, Any], fields: Mapping[str, str]
) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """`meta` and `fields` with an `episode:` mapping's keys as `episode.<key>` entries that
    `fields` maps to their fields (unless the file sets the field at the top level, or
    [fields] maps it), its `podcastEpisode` tag dropped; and `episode.<key>` -> `episode`, for
    their line. Unchanged when `episode` is no mapping (an episode number)."""
    inner = meta.get("episode")
    if not isinstance(inner, dict):
        return meta, dict(fields), {}
    out = {key: value for key, value in meta.items() if key != "episode"}
    mapped = dict(fields)
    nested: dict[str, str] = {}
    for key, value in inner.items():
        name = _FIELDS.get(str(key))
        if name is None or name in mapped or any(alias in out for alias in ALIASES[name]):
            continue
        out[f"episode.{key}"] = value
        mapped[name] = f"episode.{key}"
        nested[f"episode.{key}"] = "episode"
    tags = out.get("tags")
    if isinstance(tags, list) and _COLLECTION_TAG in tags:
        out["tags"] = [tag for tag in tags if tag != _COLLECTION_TAG]
    return out, mapped, nested
