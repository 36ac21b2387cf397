"""The build's check on what changed (issue 18): the error rules of `podcastfeed check` run on
the channel and the items that have not passed them before, not on all 10,000.

Every error rule but two looks at the channel, or at one item at a time in the channel's
context; the two that compare items (a guid or an enclosure URL used twice) are also refused
by the build itself before the check (build._resolve_guids). So a feed passes when its channel
passes and each item passed once under the same channel: the cache keeps the key of the
channel's context (podcastfeed's version, feed.toml with its [check] table, the root's
namespaces) and of each item that passed (fragments.episode_key). A different channel context
checks every item again; `--include-future` (dates in the future are the one thing the error
rules read the clock for) always checks all and keeps nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from podcastfeed import __version__, cache
from podcastfeed.errors import Problem
from podcastfeed.lint.base import Feed
from podcastfeed.lint.runner import check_build
from podcastfeed.model import AudioInfo, Episode, Show
from podcastfeed.output.fragments import episode_key
from podcastfeed.render.feed import channel_nsmap


def check_changed(
    show: Show,
    published: Sequence[Episode],
    audio: Mapping[str, AudioInfo],
    config_path: Path,
    store: cache.BuildCache,
    include_future: bool,
    feed_of: Callable[[Sequence[Episode]], Feed],
    problems: list[Problem],
) -> bool:
    """Run the error rules on the channel and the items not checked before (`feed_of` renders
    the feed of some episodes, parsed for the rules); whether they ran. What they find goes to
    `problems`; when nothing is found, `store` remembers every item as checked."""
    context = hashlib.blake2b(
        repr((__version__, config_path.read_bytes(), channel_nsmap(show, published))).encode(),
        digest_size=16,
    ).hexdigest()
    keys = [episode_key(e, store.keys, audio) for e in published]
    if include_future or context != store.checked_channel:
        todo = list(published)
    else:
        known = store.checked_items
        todo = [e for e, key in zip(published, keys, strict=True) if key not in known]
        if not todo and published:
            return False  # the channel and every item passed before
    found = [finding.to_problem() for finding in check_build(feed_of(todo))]
    problems += found
    if not any(p.is_error for p in found):
        store.checked_channel = "" if include_future else context
        store.checked_items = set() if include_future else set(keys)
        store.changed = True
    return True
