"""Writing a build's files: the feed, its artwork, transcripts and chapters, the show page and
episode pages, and the lock, as one step (commit.py), under the show's build lock
(showlock.py), and only over files the build wrote before (its manifest).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from podcastfeed import cache
from podcastfeed.files import MANIFEST_NAME, relative_name
from podcastfeed.lock import LOCK_NAME
from podcastfeed.model import AudioInfo, Episode, Show
from podcastfeed.output import commit, fragments, plan, showlock
from podcastfeed.render.page import Page
from podcastfeed.source import assets
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
    reuse: tuple[Show, Mapping[str, AudioInfo], Mapping[Path, str]] | None = None,
    jobs: int = 1,
) -> Written:
    """Write everything a build makes; on failure, or when killed, the old files stay intact.

    Args:
        output: the feed's path.
        feed: renders the feed, piece by piece.
        pages: renders the pages, given the way from their folder to the feed's.
        pages_inputs: a digest of what the pages are made of ("": always write them); pages
            made of the same inputs as the ones on disk are left as they are.
        lock_text: podcastfeed.lock's new content (None: not written, for a preview).
        reuse: the show, its audio and the episodes' content keys: items and pages made of
            the same as last time are taken from the files on disk (output/fragments.py).

    Raises:
        ConfigError: an output would overwrite a file the build did not write, or land in a
            folder it reads; a template is broken; another build is running.
        EpisodeError: an artwork, transcript or chapters file cannot be read.
        OSError: a file cannot be written (nothing was replaced).
    """
    settings = config.build
    _release_memory()  # before the pages are rendered: they do not add to the check's peak
    with showlock.hold(settings.cache_dir, settings.config_path):
        where = plan.make_plan(config, published, output, pages)
        commit.recover(where.folder, settings.cache_dir)
        manifest = commit.read_manifest(where.folder)
        known = None
        if reuse is not None and not cache.unusable(settings.cache_dir):
            known = fragments.Fragments(settings, where.feed, *reuse)
            if known.note:
                where.notes.append(known.note)
            feed = functools.partial(known.feed_pieces, published)
        writes: list[commit.Output] = []
        keep: list[Path | str] = []
        made_by = _made_by(published, reuse[2]) if known and reuse else {}
        for asset in where.assets:  # artwork, transcripts, chapters: written when they change
            target = str(asset.target)
            by = made_by.get(manifest.name(target)) if made_by else None  # (its feed's folder)
            if _asset_is_current(asset, target, manifest, known, by):
                keep.append(target)
            else:  # made again while it is written: 10,000 transcripts are not held at once
                # no fsync, as for pages: a file lost to a crash is found (its record or its
                # bytes differ) and written again by the next build
                made = functools.partial(_asset, asset)
                writes.append(commit.Output(asset.target, made, durable=False, anywhere=True))
        if where.site is not None:
            digest = plan.pages_digest(settings, pages_inputs, where)
            found = _pages(where, manifest, published, pages_inputs, digest, known)
            writes += found[0]
            keep += found[1]
            manifest.pages = digest
        lock_path = settings.root / LOCK_NAME
        if lock_text is not None and not commit.same_bytes(lock_path, lock_text):
            writes.append(commit.Output(lock_path, commit.given(lock_text), listed=False))
        # The feed last: it is switched after the files it links to (see commit.commit).
        writes.append(commit.Output(where.feed, feed))
        commit.check_writable(writes, manifest, lambda path: relative_name(path, settings.root))
        commit.sweep({os.path.dirname(str(each.path)) for each in writes})
        try:
            commit.commit(manifest, writes, keep, jobs=jobs)
        finally:
            if known is not None:
                known.close()
        if known is not None:
            known.save()
    return Written(where.feed, where.notes)


def _release_memory() -> None:
    """Give the memory freed so far back to the system (glibc keeps it otherwise: the episodes'
    parsing and the check's parsed feed, ~48 MB at 10,000 episodes, freed when the check ends:
    lint/runner.parse_pieces), so that the pages and the feed rendered and written next do not
    add to it. glibc only."""
    try:
        import ctypes

        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (ImportError, OSError, AttributeError):  # not glibc
        return
    trim(0)


def _made_by(published: Sequence[Episode], keys: Mapping[Path, str]) -> dict[str, str]:
    """The key of the episode whose tags make each transcript and chapters file made by the
    build (fragments.Fragments.asset_key), by its name in the feed's folder: a name two
    episodes give, or one not in its plain form, is not in it."""
    found: dict[str, str] = {}
    twice: set[str] = set()
    for episode in published:
        tags = episode.tags
        key = keys.get(episode.source)
        for linked in (*tags.transcripts, tags.chapters):
            if key is None or linked is None or linked.source is not None:
                continue
            name = linked.published_as
            if name is None or os.path.normpath(name) != name or name.startswith(".."):
                continue
            if name in found:
                twice.add(name)
            found[name] = key
    for name in twice:
        del found[name]
    return found


def _pages(
    where: plan.Plan,
    manifest: commit.Manifest,
    published: Sequence[Episode],
    inputs: str,
    digest: str,
    known: fragments.Fragments | None,
) -> tuple[list[commit.Output], list[Path | str]]:
    """The pages to write and the pages to leave as they are. With a record of the pages
    written last time (fragments.py), each page written for the same key and untouched since
    is left; without one, all pages are left when their inputs are those of the pages last
    written (`manifest.pages`) and all are there, untouched since: at 10,000 episodes they are
    hundreds of MB to render and write.
    """
    assert where.site is not None
    site = str(where.site)  # (strings: 10,000 pages' Path joins and str() add up)
    paths = [os.path.join(site, built.path) for built in where.pages]
    keys = [""] * len(paths)
    if known is not None:
        way = Path(os.path.relpath(where.folder, where.site)).as_posix()
        by_path = fragments.page_episodes(published)
        keys = [known.page_key(by_path.get(built.path), way, inputs) for built in where.pages]
    if known is not None and known.pages:
        current = [
            known.page_is_current(path, key) and manifest.owns(path)
            for path, key in zip(paths, keys, strict=True)
        ]
    else:
        same = (
            bool(digest)
            and digest == manifest.pages
            and all(manifest.owns(p) for p in paths)
            and _untouched(paths, where.folder)
        )
        current = [same] * len(paths)
    writes: list[commit.Output] = []
    keep: list[Path | str] = []
    for path, built, key, is_current in zip(paths, where.pages, keys, current, strict=True):
        if is_current:
            keep.append(path)
        else:  # no fsync per page: 10,000 of them cost seconds; lost ones are rebuilt
            # (the show page in this process: it keeps its episodes' blocks, fragments.py)
            anywhere = built.path != "index.html"
            writes.append(commit.Output(Path(path), built.pieces, durable=False, anywhere=anywhere))
        if known is not None and (known.pages or not is_current):
            known.new_pages[path] = key  # (a page kept by the digest alone is not vouched for)
    return writes, keep


def _untouched(paths: Sequence[str], folder: Path) -> bool:
    """Whether every file of `paths` is there as the build that wrote the manifest in `folder`
    left it: none changed later (by hand too: any write or rename makes its ctime later)."""
    try:
        written = os.stat(folder / MANIFEST_NAME).st_ctime_ns
        return all(os.stat(path).st_ctime_ns <= written for path in paths)
    except OSError:  # (a page deleted)
        return False


def _asset(asset: assets.Asset) -> tuple[bytes]:
    return (plan.asset_bytes(asset),)


def _asset_is_current(
    asset: assets.Asset,
    target: str,
    manifest: commit.Manifest,
    known: fragments.Fragments | None,
    made_by: str | None,
) -> bool:
    """Whether an artwork, transcript or chapters file on disk (at `target`) is the one to
    write: as written last time for the same key (fragments.py; `made_by`: the key of the
    episode that makes it), else byte for byte.

    Raises:
        EpisodeError: the file to copy cannot be read.
    """
    key = known.asset_key(asset, made_by) if known is not None else ""
    if key and known is not None:
        known.new_pages[target] = key
        if known.page_is_current(target, key) and manifest.owns(target):
            return True
    try:
        size = os.stat(target).st_size
    except OSError:
        return False
    data = plan.asset_bytes(asset)
    return size == len(data) and commit.same_bytes(asset.target, data)
