"""The build's check on what changed (issue 18): the error rules of `podcastfeed check` run on
the channel and the items that have not passed them before, not on all 10,000.

Every error rule but two looks at the channel, or at one item at a time in the channel's
context; the two that compare items (a guid or an enclosure URL used twice) are also refused
by the build itself before the check (build._resolve_guids). So a feed passes when its channel
passes and each item passed once under the same channel: the cache keeps the key of the
channel's context (podcastfeed's version and code, feed.toml with its [check] table, the root's
namespaces) and of each item that passed (episodekeys.episode_keys). A different channel context
checks every item again; `--include-future` (dates in the future are the one thing the error
rules read the clock for) always checks all and keeps nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from podcastfeed import cache
from podcastfeed.codekey import code_key
from podcastfeed.errors import Problem
from podcastfeed.lint.base import Feed
from podcastfeed.lint.runner import check_build
from podcastfeed.model import AudioInfo, Episode, Show
from podcastfeed.output.episodekeys import episode_keys
from podcastfeed.render.feed import channel_nsmap, sort_episodes


def inputs(
    config_path: Path,
    show: Show,
    published: Sequence[Episode],
    store: cache.BuildCache,
    audio: Mapping[str, AudioInfo],
) -> tuple[str, dict[Path, str]]:
    """The digest of what the feed and its check are made of (feed.toml with its [check]
    table, each episode's file content with its sibling files, guid, tags and image, the audio
    measured, and the show's image: a local image's URL changes with its content), and each
    episode's key (episodekeys.episode_keys), by its file."""
    keys, tags = episode_keys(published, store, audio, config_path.parent.resolve())
    key = store.keys.get
    parts = [(key(e.source), e.guid, tags[e.source], e.image) for e in sort_episodes(published)]
    measured = sorted((url, repr(info)) for url, info in audio.items())
    what = (config_path.read_bytes(), show.image, parts, measured)
    data = repr(what).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=20).hexdigest(), keys


def check_changed(
    show: Show,
    published: Sequence[Episode],
    keys: Mapping[Path, str],
    config_path: Path,
    store: cache.BuildCache,
    include_future: bool,
    feed_of: Callable[[Sequence[Episode]], Feed],
    problems: list[Problem],
) -> bool:
    """Run the error rules on the channel and the items not checked before (`keys`: each
    episode's key, by file; `feed_of` renders the feed of some episodes, parsed for the
    rules); whether they ran. What they find goes to
    `problems`; when nothing is found, `store` remembers every item as checked."""
    context = hashlib.blake2b(
        repr((code_key(), config_path.read_bytes(), channel_nsmap(show, published))).encode(),
        digest_size=16,
    ).hexdigest()
    items = [keys[e.source] for e in published]
    if include_future or context != store.checked_channel:
        todo = list(published)
    else:
        known = store.checked_items
        todo = [e for e, key in zip(published, items, strict=True) if key not in known]
        if not todo and published:
            return False  # the channel and every item passed before
    found = [finding.to_problem() for finding in check_build(feed_of(todo))]
    problems += found
    if not any(p.is_error for p in found):
        store.checked_channel = "" if include_future else context
        store.checked_items = set() if include_future else set(items)
        store.changed = True
    return True
