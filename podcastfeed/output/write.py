"""Writing a build's files: the feed, its artwork, transcripts and chapters, the show page and
episode pages, and the lock, as one step (commit.py), under the show's build lock
(showlock.py), and only over files the build wrote before (its manifest).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from podcastfeed.files import relative_name
from podcastfeed.lock import LOCK_NAME
from podcastfeed.model import Episode
from podcastfeed.output import commit, plan, showlock
from podcastfeed.render.page import Page
from podcastfeed.source.config import Config


@dataclass(frozen=True)
class Written:
    feed: Path
    notes: list[str]  # what was decided about where files go (pages not written ...)


def write_outputs(
    config: Config,
    published: Sequence[Episode],
    output: Path,
    *,
    feed: Callable[[], Iterator[bytes]],
    pages: Callable[[str], list[Page]],
    pages_inputs: str,
    lock_text: bytes | None,
) -> Written:
    """Write everything a build makes; on failure, or when killed, the old files stay intact.

    Args:
        output: the feed's path.
        feed: renders the feed, piece by piece.
        pages: renders the pages, given the way from their folder to the feed's.
        pages_inputs: a digest of what the pages are made of ("": always write them); pages
            made of the same inputs as the ones on disk are left as they are.
        lock_text: podcastfeed.lock's new content (None: not written, for a preview).

    Raises:
        ConfigError: an output would overwrite a file the build did not write, or land in a
            folder it reads; a template is broken; another build is running.
        EpisodeError: an artwork, transcript or chapters file cannot be read.
        OSError: a file cannot be written (nothing was replaced).
    """
    settings = config.build
    with showlock.hold(settings.cache_dir, settings.config_path):
        where = plan.make_plan(config, published, output, pages)
        commit.recover(where.folder, settings.cache_dir)
        manifest = commit.read_manifest(where.folder)
        writes: list[commit.Output] = []
        keep: list[Path] = []
        for asset in where.assets:  # artwork, transcripts, chapters: written when they change
            data = plan.asset_bytes(asset)
            if commit.same_bytes(asset.target, data):
                keep.append(asset.target)
            else:
                writes.append(commit.Output(asset.target, commit.given(data)))
        if where.site is not None:
            # Pages whose inputs are those of the pages last written are left as they are:
            # at 10,000 episodes they are hundreds of MB to render and write again.
            digest = plan.pages_digest(settings, pages_inputs, where)
            paths = [where.site / built.path for built in where.pages]
            if (
                digest
                and digest == manifest.pages
                and all(manifest.owns(p) for p in paths)
                and (where.site / "index.html").exists()
            ):
                keep += paths
            else:
                # no fsync per page: 10,000 of them cost seconds; lost ones are rebuilt
                writes += [
                    commit.Output(path, built.pieces, durable=False)
                    for path, built in zip(paths, where.pages, strict=True)
                ]
            manifest.pages = digest
        lock_path = settings.root / LOCK_NAME
        if lock_text is not None and not commit.same_bytes(lock_path, lock_text):
            writes.append(commit.Output(lock_path, commit.given(lock_text), listed=False))
        # The feed last: it is switched after the files it links to (see commit.commit).
        writes.append(commit.Output(where.feed, feed))
        commit.check_writable(writes, manifest, lambda path: relative_name(path, settings.root))
        commit.sweep({each.path.parent for each in writes})
        commit.commit(manifest, writes, keep)
    return Written(where.feed, where.notes)
