"""What a build wrote, piece by piece, for the next build (issue 18): the feed's items and the
pages, each under a key of everything it is made of.

A build with one new episode renders that episode's item and page, and takes every other item
from the feed it wrote last time (by offset, while that file is as it was written) and leaves
every other page as it is (while its size, mtime and inode are as written). The record lives in
the cache folder (`outputs.json`), beside the build cache, and like it is only a shortcut:
missing, corrupt, or made by another version, it is ignored (corrupt: with a note) and
everything is rendered.

A key holds podcastfeed's version and code (codekey.py), feed.toml's bytes, the show's image (a
local one's name holds its content's hash), the episode file's content key (with its siblings),
its guid, measured audio and alternate enclosures; a page's key also the templates' content (the
show's and packaged ones), the way to the feed's folder; the show page's, the inputs digest.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import time
from collections.abc import Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from podcastfeed.codekey import code_key
from podcastfeed.files import atomic_writer, write_atomic
from podcastfeed.model import AudioInfo, Episode, Show
from podcastfeed.render.feed import iter_feed
from podcastfeed.render.page import episode_slug
from podcastfeed.source.assets import Asset
from podcastfeed.source.config import BuildSettings

FILE_NAME = "outputs.json"
BLOCKS_NAME = "blocks.pickle"
FORMAT = 2  # 2: keys without a digest each; identities with the ctime (skip.py's)
_READ_AHEAD = 1 << 20  # bytes of the feed on disk read at once for the items kept


def _digest(*parts: object) -> str:
    data = repr(parts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _identity(path: str) -> list[int] | None:
    """Size, mtime, ctime and inode (as skip.py digests them: its record reuses these)."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


def _read_at(fd: int, size: int, offset: int) -> bytes:
    if hasattr(os, "pread"):
        return os.pread(fd, size, offset)
    os.lseek(fd, offset, os.SEEK_SET)  # pragma: no cover - Windows has no pread
    return os.read(fd, size)


def _templates(settings: BuildSettings) -> str:
    """The content of every template a page may use: the show's own and the packaged ones."""
    digest = hashlib.blake2b(digest_size=16)
    packaged = resources.files("podcastfeed").joinpath("templates")
    for entry in sorted(packaged.iterdir(), key=lambda e: e.name):
        if entry.is_file():
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes() + b"\0")
    folder = settings.templates_dir
    if folder is not None and folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                name = path.relative_to(folder).as_posix().encode("utf-8", "surrogateescape")
                digest.update(b"show/" + name + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class Fragments:
    """The record of the last build's items and pages, and this build's."""

    def __init__(
        self,
        settings: BuildSettings,
        feed: Path,
        show: Show,
        audio: Mapping[str, AudioInfo],
        keys: Mapping[Path, str],
    ) -> None:
        self.path = settings.cache_dir / FILE_NAME
        self.settings, self.feed, self.show = settings, str(feed), show
        self.audio, self.keys = audio, keys
        try:
            config = settings.config_path.read_bytes()
        except OSError:
            config = b""
        self.base = _digest(FORMAT, code_key(), config, show.image)  # (see the docstring)
        self.page_bases: dict[str, str] = {}  # by assets path; made when pages are asked
        # about (it reads the templates)
        self.note: str | None = None
        self.items: dict[str, Any] = {}  # key -> [offset, length] in the feed on disk
        self.item_base = ""  # their base (feed_pieces)
        self.pages: dict[str, list[Any]] = {}  # path -> [key, size, mtime, ctime, inode]
        self.fd: int | None = None  # the feed on disk, read item by item (os.pread: a map
        # of it would count its 200 MB in the build's memory)
        self.new_items: dict[str, list[int]] = {}
        self.new_item_base = ""
        self.new_pages: dict[str, str] = {}  # path -> key, for the pages written or kept
        self._seen: dict[str, list[Any]] = {}  # pages found current, as recorded
        self._load()

    def _load(self) -> None:
        try:
            data: Any = json.loads(self.path.read_bytes())
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                return
            if data["base"] != self.base:
                return
            pages = data["pages"]  # as JSON made them: a value of another type is no match
            if not isinstance(pages, dict):
                raise TypeError("pages")
            self.pages = pages
            if data["feed"] == self.feed and data["feed_id"] == _identity(self.feed):
                items = data["items"]
                if not isinstance(items, dict) or not isinstance(data["item_base"], str):
                    raise TypeError("items")
                self.fd = os.open(self.feed, os.O_RDONLY | getattr(os, "O_BINARY", 0))
                self.items, self.item_base = items, data["item_base"]
        except FileNotFoundError:
            return
        except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
            self.pages, self.items = {}, {}
            self.note = f"{self.path}: unreadable ({type(exc).__name__}), ignored"

    def episode_key(self, episode: Episode) -> str:
        return self.keys[episode.source]

    def feed_pieces(self, episodes: Sequence[Episode]) -> Iterator[bytes]:
        """The feed, taking each item whose key is known from the feed on disk. An item's key
        is its episode's; the namespaces of the feed's root and the record's base make the
        items' base (`item_base`), one for all of them."""
        order: list[str | None] = []
        # the root's namespaces seen, their base, whether the record's items have that base
        state: list[Any] = [None, "", False]
        window: list[Any] = [0, b""]  # the feed on disk read ahead: [offset, bytes]
        items = self.items

        def cached(episode: Episode, nsmap: Mapping[str, str]) -> bytes | None:
            if state[0] is not nsmap:  # (one map for every item: made into a key once)
                base = _digest(self.base, "item", sorted(nsmap.items()))
                state[:] = [nsmap, base, base == self.item_base]
                self.new_item_base = self.new_item_base or base
            key = self.episode_key(episode)
            order.append(key if state[1] == self.new_item_base else None)
            span = items.get(key) if state[2] else None
            if span is None or self.fd is None:
                return None
            start, length = span  # (as JSON made them: checked here, once used)
            if type(start) is not int or type(length) is not int or min(start, length) < 0:
                return None
            at, data = window
            if not at <= start <= start + length <= at + len(data):
                # items follow each other as they did last time: read many at once
                at, data = start, _read_at(self.fd, max(length, _READ_AHEAD), start)
                window[:] = [at, data]
            found = data[start - at : start - at + length]
            return found if len(found) == length else None

        self.new_items, self.new_item_base = {}, ""
        offset = seen = 0
        for piece in iter_feed(self.show, episodes, self.audio, cached=cached):
            if len(order) > seen:  # an item (the head and the tail come without a key)
                if (key := order[seen]) is not None:
                    self.new_items[key] = [offset, len(piece)]
                seen += 1
            offset += len(piece)
            yield piece

    def page_key(self, episode: Episode | None, assets_path: str, inputs: str) -> str:
        """A page's key (the page's path is the record's key): the base of every page (the
        templates, the assets path), and its episode's key or, for the show page, `inputs`.
        Made without a digest per page (10,000 pages)."""
        base = self.page_bases.get(assets_path)
        if base is None:
            base = _digest(self.base, _templates(self.settings), self.settings.pages, assets_path)
            self.page_bases[assets_path] = base
        return base + (self.episode_key(episode) if episode is not None else inputs)

    def asset_key(self, asset: Asset, episode_key: str | None = None) -> str:
        """An artwork, transcript or chapters file's key (its path is the record's key): the
        key of the episode whose tags made its content (`episode_key`: the tags' digest
        covers it), else its content's digest (transcripts made from the notes: 160 MB at
        10,000 episodes), or the identity of the file it copies ("" when that cannot be
        read)."""
        if asset.source is None:
            if episode_key:
                return "episode " + episode_key
            return "made " + hashlib.blake2b(asset.content, digest_size=16).hexdigest()
        try:
            stat = os.stat(asset.source)
        except OSError:
            return ""
        if stat.st_mtime_ns >= time.time_ns() - 1_000_000_000:
            return ""  # changed just now: a change in the same clock tick would not show
        found = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
        return f"copy {asset.source}\0{found}"

    def page_is_current(self, path: str, key: str) -> bool:
        """Whether the page at `path` is the one last written for `key`, untouched since."""
        known = self.pages.get(path)
        if not isinstance(known, list) or known[:1] != [key] or known[1:] != _identity(path):
            return False
        self._seen[path] = known  # as found: save() records it without a stat of its own
        return True

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def save(self) -> None:
        """Record the feed and pages as they are now on disk (after the commit)."""
        self.close()
        pages = {}
        for path, key in self.new_pages.items():
            seen = self._seen.get(path)
            if seen is not None and seen[0] == key:  # kept, not written: as it was found
                pages[path] = seen
                continue
            found = _identity(path)
            if found is not None:
                pages[path] = [key, *found]
        data = {
            "format": FORMAT,
            "base": self.base,
            "feed": self.feed,
            "feed_id": _identity(self.feed),
            "item_base": self.new_item_base,
            "items": self.new_items,
            "pages": pages,
        }
        with contextlib.suppress(OSError):
            if self.settings.cache_dir.is_dir():
                write_atomic(self.path, json.dumps(data).encode("utf-8"), durable=False)


def identities(settings: BuildSettings, feed: Path) -> dict[str, list[int]]:
    """The identities (size, mtime, ctime, inode) of the feed `feed` and the pages and assets
    as the build that has just written them recorded them (save), for skip.record: no stat
    of its own for each (20,000 files at 10,000 episodes). Empty unless the record is of
    that very feed, as it is on disk."""
    feed_name = str(feed)
    try:
        data: Any = json.loads((settings.cache_dir / FILE_NAME).read_bytes())
        if data["format"] != FORMAT or data["feed"] != feed_name:
            return {}
        feed_id = _identity(feed_name)
        if feed_id is None or data["feed_id"] != feed_id:
            return {}
        found = {
            str(path): entry[1:]
            for path, entry in data["pages"].items()
            if isinstance(entry, list) and len(entry) == 5
        }
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    found[feed_name] = feed_id
    return found


class ShowBlocks:
    """Each episode's block of the show page as last rendered (render/page.py's
    `episode_block`), under a key of what it is made of: podcastfeed's version, feed.toml's
    bytes, the packaged `_episode.html`, the episode's key (episodekeys.py), the assets path and
    whether episodes have pages. Kept in the cache folder (`blocks.pickle`); like the rest of
    it only a shortcut: missing, unreadable or of another format, every block is rendered."""

    def __init__(self, settings: BuildSettings, keys: Mapping[Path, str]) -> None:
        self.path = settings.cache_dir / BLOCKS_NAME
        self.settings, self.keys = settings, keys
        try:
            config = settings.config_path.read_bytes()
        except OSError:
            config = b""
        template = resources.files("podcastfeed").joinpath("templates", "_episode.html")
        self.base = _digest(FORMAT, code_key(), config, template.read_bytes(), settings.pages)
        self.known: dict[str, str] = {}
        self.used: dict[str, str] = {}
        try:
            with self.path.open("rb") as stream:
                data = pickle.load(stream)
            if isinstance(data, dict) and data.get("base") == self.base:
                self.known = {k: v for k, v in data["blocks"].items() if isinstance(v, str)}
        except Exception:  # only a shortcut: every block is rendered again
            self.known = {}

    def _key(self, episode: Episode, assets_path: str) -> str | None:
        key = self.keys.get(episode.source)  # (the base: the record's, checked once)
        return None if key is None else f"{key} {assets_path}"

    def get(self, episode: Episode, assets_path: str) -> str | None:
        key = self._key(episode, assets_path)
        found = self.known.get(key) if key is not None else None
        if key is not None and found is not None:
            self.used[key] = found
        return found

    def put(self, episode: Episode, assets_path: str, html: str) -> None:
        key = self._key(episode, assets_path)
        if key is not None:
            self.used[key] = html

    def save(self) -> None:
        """Keep the blocks this build used (after the commit), if any changed."""
        if not self.used or self.used.keys() == self.known.keys():
            return
        data = {"base": self.base, "blocks": self.used}
        with contextlib.suppress(OSError):
            if self.settings.cache_dir.is_dir():
                with atomic_writer(self.path, durable=False) as stream:
                    pickle.dump(data, stream, protocol=pickle.HIGHEST_PROTOCOL)


def page_episodes(episodes: Sequence[Episode]) -> dict[str, Episode]:
    """Each episode page's path (relative to the site folder) and its episode."""
    return {f"episodes/{episode_slug(e)}/index.html": e for e in episodes}
