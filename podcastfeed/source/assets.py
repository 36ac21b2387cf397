"""Which local artwork, transcript and chapters files are published next to the feed, where,
and under which URL. Pure planning: build.write_report does the copying.

A file goes to `<feed folder>/transcripts/<slug><ext>`, `<feed folder>/chapters/<slug>.json` or
`<feed folder>/artwork/<name>-<hash><ext>` (localart.py) and is linked by absolute URL from the
folder of `[show] feed_url`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from podcastfeed.model import Episode, LocalImage, Show
from podcastfeed.source.chapters import chapters_json

TRANSCRIPTS = "transcripts"
CHAPTERS = "chapters"
ARTWORK = "artwork"


@dataclass(frozen=True)
class Asset:
    """One file to write under the output folder: a copy of `source`, or `content`."""

    target: Path
    source: Path | None = None
    content: bytes = b""


def base_url(feed_url: str) -> str:
    """The folder of the feed's URL, with its trailing slash."""
    return feed_url.split("?")[0].rsplit("/", 1)[0] + "/"


def asset_url(feed_url: str, published_as: str) -> str:
    return base_url(feed_url) + quote(published_as, safe="/")


def transcript_name(slug: str, suffix: str, taken: Iterable[str]) -> str:
    """`transcripts/<slug><suffix>`, or `<slug>-2<suffix>` … when an episode has several."""
    used = set(taken)
    name, number = f"{TRANSCRIPTS}/{slug}{suffix}", 2
    while name in used:
        name, number = f"{TRANSCRIPTS}/{slug}-{number}{suffix}", number + 1
    return name


def chapters_name(slug: str) -> str:
    return f"{CHAPTERS}/{slug}.json"


def plan(show: Show, episodes: Iterable[Episode], output_dir: Path) -> list[Asset]:
    """Every file the show and its published `episodes` need beside the feed, in a stable
    order; an image that several of them use, once."""
    assets: list[Asset] = []
    images: dict[str, LocalImage] = {}
    if show.image_file is not None:
        images[show.image_file.published_as] = show.image_file
    for episode in episodes:
        if episode.image_file is not None:  # the same name is the same content (localart.py)
            images.setdefault(episode.image_file.published_as, episode.image_file)
        tags = episode.tags
        for linked in (*tags.transcripts, tags.chapters):
            if linked is None or linked.published_as is None:
                continue
            target = output_dir / linked.published_as
            if linked.source is not None:
                assets.append(Asset(target, source=linked.source))
            elif linked.content:  # made from the show notes (issue 16)
                assets.append(Asset(target, content=linked.content))
            elif tags.inline_chapters:
                assets.append(Asset(target, content=chapters_json(tags.inline_chapters)))
    assets += [Asset(output_dir / name, source=image.source) for name, image in images.items()]
    return sorted(assets, key=lambda a: str(a.target))
