"""Cover art that is a local file: `[show] image = "cover.jpg"` beside feed.toml, or an episode's
`image:` beside the episode file or in the show. Found by the one rule for local files
(localref.py: inside the show's folders, symbolic links followed), published beside the feed as
`artwork/<name>-<hash><ext>` and linked by absolute URL from the folder of `[show] feed_url`,
like local transcripts and chapters.

The hash is of the content: a new cover gets a new URL, so apps that keep artwork by its URL
(Apple Podcasts does, for weeks) fetch it again, and two different `cover.jpg` never share one.
The artwork rules (lint/rules/artwork.py) check the file itself with Pillow.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from podcastfeed.errors import Problem, shorten
from podcastfeed.model import LocalImage, Show
from podcastfeed.source.assets import ARTWORK, asset_url
from podcastfeed.source.localref import find_local, find_written
from podcastfeed.source.tables import TableReader, key_line
from podcastfeed.values import LINK_SCHEMES, resolve_link, url_scheme

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
_SUFFIX = re.compile(r"\.[a-z0-9]{1,8}")
_HINT = "an https:// URL, or a path relative to feed.toml's folder (cover.jpg)"


@dataclass(frozen=True)
class EpisodeImage:
    url: str | None  # what itunes:image links
    file: LocalImage | None = None  # the local file published for it
    ref: str | None = None  # a relative reference as written (looked for as a file)


def read_show_image(r: TableReader) -> str | None:
    """`[show] image` as written: an http(s) URL, or a path that publish_show_image resolves
    once the show's folders are known; None (with a problem) when it is neither."""
    if "image" not in r.table:  # issue 15: what import cannot know must not stop the first build
        return None  # apple/required-tags says it, once, at [show] (a warning in a build)
    value = r.get("image", str, required=True, what=_HINT)
    if not isinstance(value, str):
        return None
    scheme = url_scheme(value)
    if scheme in LINK_SCHEMES:
        return r.url("image")  # the one URL rule (values.parse_link)
    if scheme:  # javascript:, data:, file: … (issue 12)
        r.problem("image", f"'image' must be {_HINT} (got {shorten(value)})")
        return None
    return value


def publish_show_image(
    show: Show | None, folders: Sequence[Path], config: Path, text: str, problems: list[Problem]
) -> Show | None:
    """The show with a local `image` resolved to its published copy's URL; a problem at the
    key's line when the file is not there or outside the show's `folders` (BuildSettings'
    source_folders; the first is feed.toml's, where the path starts)."""
    if show is None or show.image is None or url_scheme(show.image):
        return show
    try:
        url, found = local_image(show.image, folders[:1], folders, show)
    except ValueError as exc:
        line = key_line(text, "show", "image")
        hint = _HINT if str(exc).startswith("file not found") else "move it into the show"
        problems.append(Problem("error", f"[show] 'image' {exc}", config, line, hint=hint))
        return show
    return replace(show, image=url, image_file=found)


#: The keys of an `image:` table that give the picture: jekyll-seo-tag's `path` (with `alt`,
#: `width`, `height`), a theme's `url` or `src` (falkoin/und_was_podcast: `{url: …, alt: …}`).
IMAGE_KEYS = ("path", "url", "src", "href")


def image_ref(value: object) -> object:
    """An `image:` table's picture (`{path: /img/ep1.png, alt: …}`); any other value as is."""
    if isinstance(value, dict):
        found = [value[key] for key in IMAGE_KEYS if isinstance(value.get(key), str)]
        if len(found) == 1:
            return found[0]
    return value


def episode_image(
    written: str | None, episode: Path, page: str, show: Show, folders: Sequence[Path]
) -> EpisodeImage:
    """An episode's `image`: a URL as written; a relative reference (`cover.jpg`,
    `./art/ep1.png`) that names a file beside the episode or in the show, that file's published
    copy; else, as before local images, a link relative to the episode's page (WordPress'
    `thumbnail: luca_galante.jpeg`, `/wp-content/…`). `./` and `../` always mean a file.
    `folders`: the show's source folders (the first is feed.toml's).

    Raises:
        ValueError: a `./` or `../` file that is not there, or a file outside the show.
    """
    if written is None:
        return EpisodeImage(None)
    ref = written.strip()
    if url_scheme(ref) or ref.startswith(("/", "\\")):
        return EpisodeImage(resolve_link(ref, page))
    try:  # (a name of white space runs as written, or as builds before read it: localref)
        ref, path = find_written(ref, (episode.parent, folders[0]), folders)
        url, found = _published(path, show)
    except ValueError as exc:
        if not str(exc).startswith("file not found") or ref.startswith(("./", "../")):
            raise ValueError(f"{exc} (looked beside the episode and in the show)") from None
        return EpisodeImage(resolve_link(ref, page), ref=ref)
    return EpisodeImage(url, found, ref)


def local_image(
    ref: str, looked_in: Sequence[Path], allowed: Sequence[Path], show: Show
) -> tuple[str, LocalImage]:
    """(absolute URL, the file to publish) for the local image `ref`.

    Raises:
        ValueError: there is no such file, it lies outside `allowed`, or it cannot be read.
    """
    return _published(find_local(ref, looked_in, allowed), show)


def _published(path: Path, show: Show) -> tuple[str, LocalImage]:
    name = published_name(path)
    return asset_url(show.feed_url, name), LocalImage(path, name)


def published_name(path: Path) -> str:
    """`artwork/<stem>-<hash of the content><ext>`: the same for the same bytes, new for new
    ones, and a safe URL path whatever the file is called.

    Raises:
        ValueError: the file cannot be read.
    """
    try:
        stat = path.stat()
        found = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
        digest = _digest(str(path.resolve()), found)
    except OSError as exc:
        raise ValueError(f"cannot read {shorten(str(path))}: {exc.strerror or exc}") from None
    stem = _UNSAFE.sub("-", path.stem).strip("-")[:60] or "image"
    suffix = path.suffix.lower()
    return f"{ARTWORK}/{stem}-{digest}{suffix if _SUFFIX.fullmatch(suffix) else ''}"


@lru_cache(maxsize=4096)
def _digest(real: str, identity: tuple[int, int, int, int]) -> str:
    """The content's hash, once per file and version (its size, mtime, ctime and inode: a copy
    over it that keeps the size and the mtime still changes the ctime) in a process (10,000
    episodes may share one cover; `serve` builds again in the same process)."""
    with open(real, "rb") as stream:
        return hashlib.file_digest(stream, lambda: hashlib.blake2b(digest_size=6)).hexdigest()
