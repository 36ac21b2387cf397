"""Each episode's key: what its item and page are made of beyond the show (issue 18), for
fragments.py's record of the items and pages a build wrote and for the pages' inputs digest
that the committed manifest keeps (plan.pages_digest)."""

from __future__ import annotations

import dataclasses
import hashlib
import operator
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from podcastfeed import cache
from podcastfeed.model import AudioInfo, Episode, EpisodeTags


def _digest(*parts: object) -> str:
    data = repr(parts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def episode_keys(
    episodes: Sequence[Episode],
    store: cache.BuildCache,
    audio: Mapping[str, AudioInfo],
    root: Path,
) -> tuple[dict[Path, str], dict[Path, str]]:
    """Each episode's key, by its file: what its item and page are made of beyond the show
    (its file's content key with its sibling files, its measured audio, and every field but
    the two made of the file's text alone, notes and description: the guid the lock gives,
    the image a local file gives, the lengths of alternate enclosures, whatever else comes
    from outside the file); and the digest of its tags (for the pages' inputs: local files by
    their path from the show's folder `root`, see tags_key).

    Computed once per build and without a repr of every episode (issue 18): the cache keeps
    the digests of each episode as parsed (`store.digests`), and a field the build left as it
    was parsed (the very same object) is taken from them; only the fields the build replaced
    (a pinned guid, a local image) are digested again."""
    keys: dict[Path, str] = {}
    tags: dict[Path, str] = {}
    for episode in episodes:
        content = store.keys.get(episode.source)
        hit = store.episodes.get(content) if content is not None else None
        parsed = hit[0] if hit is not None else episode
        stored = store.digests.get(content) if hit is not None and content is not None else None
        if stored is None:
            stored = (
                _digest(*(getattr(parsed, n) for n in _KEYED_FIELDS)),
                tags_key(parsed.tags, root),
            )
            if hit is not None and content is not None:
                store.digests[content] = stored
                store.changed = True
        fields, tags_digest = stored
        changed = (
            []
            if episode is parsed
            else [
                (name, value)
                for name, value, was in zip(
                    _KEYED_FIELDS, _keyed(episode), _keyed(parsed), strict=True
                )
                if value is not was
            ]
        )
        if episode.tags is not parsed.tags:
            tags_digest = tags_key(episode.tags, root)
        url = episode.audio.url if episode.audio else ""
        info = audio.get(url)  # (the fields the build replaced: in the same digest)
        what = (
            (content, info, fields, changed, tags_digest)
            if changed
            else (content, info, fields, tags_digest)
        )
        keys[episode.source] = _digest(*what)
        tags[episode.source] = tags_digest
    return keys, tags


def tags_key(tags: EpisodeTags, root: Path) -> str:
    """A digest of the tags' repr, with each transcript made from the notes standing in by the
    digest of its content (a repr of its bytes took seconds at 10,000 episodes), and the paths
    of local files in the show relative to its folder `root`: the digest goes into the
    committed manifest (plan.pages_digest), the same for a clone of the show in another folder."""
    if any(linked.content for linked in tags.transcripts):
        made = tuple(
            dataclasses.replace(t, content=hashlib.blake2b(t.content, digest_size=16).digest())
            for t in tags.transcripts
        )
        tags = dataclasses.replace(tags, transcripts=made)
    return _digest(_relative_paths(tags, root))


def _relative_paths(tags: EpisodeTags, root: Path) -> EpisodeTags:
    """`tags` with the paths of the local files in the show relative to its folder `root`
    (others, in a source folder outside the show, as they are: the same wherever the show is
    cloned); the same tags without any."""
    if not (
        any(t.source for t in tags.transcripts)
        or (tags.chapters is not None and tags.chapters.source is not None)
        or any(a.path for a in tags.alternate_enclosures)
    ):
        return tags

    def moved(path: Path | None) -> Path | None:
        if path is None or not Path(os.path.abspath(path)).is_relative_to(root):
            return path
        return Path(os.path.relpath(path, root))

    chapters = tags.chapters
    return dataclasses.replace(
        tags,
        transcripts=tuple(dataclasses.replace(t, source=moved(t.source)) for t in tags.transcripts),
        chapters=chapters and dataclasses.replace(chapters, source=moved(chapters.source)),
        alternate_enclosures=tuple(
            dataclasses.replace(a, path=moved(a.path)) for a in tags.alternate_enclosures
        ),
    )


_KEYED_FIELDS = tuple(
    f.name for f in dataclasses.fields(Episode) if f.name not in {"notes", "description", "tags"}
)
_keyed = operator.attrgetter(*_KEYED_FIELDS)  # their values, in one call (10,000 episodes)
