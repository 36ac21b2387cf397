"""The files `podcastfeed import` writes from an `Import`: feed.toml, one episode file per item
and podcastfeed.lock (the comparison `--verify` prints: import_verify.py).

`plan` is pure (texts by relative path); `write` refuses to overwrite unless forced.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from lxml import etree

from podcastfeed import lock
from podcastfeed.errors import PodcastfeedError, quote_name
from podcastfeed.feeds import paging
from podcastfeed.feeds.import_verify import BLOCK_TAG, words
from podcastfeed.feeds.importer import Item, parse_xml
from podcastfeed.feeds.xml import Repair
from podcastfeed.files import write_atomic
from podcastfeed.ids import podcast_guid
from podcastfeed.net.limits import feed_limit, without_userinfo
from podcastfeed.source.cleanup import first_paragraph
from podcastfeed.source.config import CONFIG_NAME
from podcastfeed.source.scaffold import slugify
from podcastfeed.xmlns import ITUNES

METHOD = "from the imported feed"
#: What the old host should serve (with itunes:new-feed-url) during the move.
REDIRECT_NAME = "old-feed-redirect.xml"
#: libyaml's emitter when PyYAML has it: the pure-Python one was 80 % of a large import.
_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
#: Called after each episode file is written: (files written, episode files in all).
Progress = Callable[[int, int], None]


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    raise TypeError(type(value))


def feed_toml(show: dict[str, Any], source: str, todos: dict[str, str] | None = None) -> str:
    """feed.toml's text; each key in `todos` gets a `# TODO:` line above it (issue 15: what
    import cannot decide is left to the user, and the build still runs)."""
    lines = [
        f"# Imported by `podcastfeed import` from {without_userinfo(source)}.",
        "# Every key is documented in docs/configuration.md.",
        "",
        "[show]",
    ]
    for key, value in show.items():
        if todos and key in todos:
            lines.append(f"# TODO: {todos[key]}")
        lines.append(f"{key} = {_toml(value)}")
    # what has no value to write (artwork the feed lacks): the TODO alone, for the user to add
    lines += [f"# TODO: {todo}" for key, todo in (todos or {}).items() if key not in show]
    return "\n".join(lines) + "\n"


def body_html(notes: str) -> str:
    """The notes as HTML: HTML stays as it is; plain text keeps its paragraphs and lines."""
    if BLOCK_TAG.search(notes):
        return notes.strip() + "\n"
    paragraphs = re.split(r"\n\s*\n", notes.strip())
    return (
        "\n\n".join(
            "<p>" + "<br>\n".join(html.escape(line) for line in p.splitlines()) + "</p>"
            for p in paragraphs
            if p.strip()
        )
        + "\n"
    )


def front_matter(item: Item) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": item.title,
        "date": item.date.isoformat(),
        "status": "publish",
        "guid": item.guid,
    }
    if item.link:
        data["permalink"] = item.link
    if item.summary:
        data["excerpt"] = item.summary
    elif item.notes and _more_than_first_paragraph(item.notes):
        # The build's description is the notes' first paragraph when there is no excerpt: the
        # source's description said all of its notes, and keeps saying so (issue 15).
        data["excerpt"] = body_html(item.notes).strip()  # HTML: no Markdown is read in it
    data["audio"] = item.url
    if item.duration is None:
        # No stated duration: the build measures the audio, but the enclosure keeps the
        # source's length and type. Otherwise the lock holds all three (see `plan`).
        if item.length:  # 0 is the host's "unknown": the build measures it
            data["length"] = item.length
        if item.type:
            data["mime_type"] = item.type
    optional = {
        "image": item.image,
        "season": item.season,
        "episode": float(item.episode) if item.episode and "." in item.episode else item.episode,
        "episode_type": item.episode_type,
        "explicit": item.explicit,
        "itunes_title": item.itunes_title,
        "itunes_author": item.itunes_author,
        "block": item.block or None,
        "transcript": item.transcripts or None,
        "chapters": item.chapters,
        "persons": item.persons or None,
        "persons_replace": item.persons_replace or None,
        "location": item.locations or None,
        "images": item.images or None,
        "soundbites": item.soundbites or None,
        "category": item.categories or None,
        "value": (item.value[0] if len(item.value) == 1 else item.value) or None,
    }
    if isinstance(optional["episode"], str):
        optional["episode"] = int(optional["episode"])
    data.update({key: value for key, value in optional.items() if value is not None})
    return data


def _more_than_first_paragraph(notes: str) -> bool:
    first = first_paragraph(body_html(notes))
    return first is None or words(first) != words(notes)


def episode_text(item: Item) -> str:
    head = yaml.dump(
        front_matter(item), Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1000
    )
    todos = "".join(f"# TODO: {todo}\n" for todo in item.todos)
    return f"---\n{todos}{head}---\n\n{body_html(item.notes)}"


@dataclass
class Plan:
    files: dict[str, str]  # relative path -> text: feed.toml, the lock (small)
    episodes: list[tuple[str, Item]]  # episode file path -> its item, rendered when written
    lock: lock.Lock


def plan(
    items: Iterable[Item],
    show: dict[str, Any],
    source: str,
    todos: dict[str, str] | None = None,
) -> Plan:
    """File names and the lock; the episode texts are made one at a time by `write`, so a
    100,000-item import never holds them all (issue 12)."""
    files = {CONFIG_NAME: feed_toml(show, source, todos)}
    taken: set[str] = set(files)
    # the next number to try per name: items sharing a date and title cost one set lookup
    # each, not one per earlier namesake (10,000 of them took 24 s, issue 12)
    next_number: dict[str, int] = {}
    episodes: list[tuple[str, Item]] = []
    entries = []
    for item in sorted(items, key=lambda i: i.date, reverse=True):
        base = f"episodes/{item.date.strftime('%Y-%m-%d')}-{slugify(item.title)}"
        name, n = f"{base}.html", next_number.get(base, 1)
        if n > 1:
            name = f"{base}-{n}.html"
        while name in taken:
            n += 1
            name = f"{base}-{n}.html"
        next_number[base] = n + 1
        taken.add(name)
        episodes.append((name, item))
        probe = lock.Probe(float(item.duration or 0), item.length, item.type, METHOD, url=item.url)
        entries.append(
            lock.Entry(
                item.guid,
                name,
                item.url,
                item.date.isoformat(),
                permalink=item.link,
                probe=probe if item.duration is not None else None,
            )
        )
    files[lock.LOCK_NAME] = lock.dumps(lock.Lock(entries))
    return Plan(files, episodes, lock.Lock(entries))


def write(
    target: Path, planned: Plan, *, force: bool, progress: Progress | None = None
) -> list[Path]:
    """Write every file under `target`, atomically each: feed.toml, the episode files, then
    the lock and the other small files.

    Raises:
        PodcastfeedError: one of them exists (without `force`), or is a folder; one cannot be
            written (naming it and how many were).
    """
    names = [*planned.files, *(name for name, _item in planned.episodes)]
    episodes = target / "episodes"  # made even for no episode: the build needs the folder
    for folder in sorted({target, episodes, *((target / name).parent for name in names)}):
        if os.path.lexists(folder) and not folder.is_dir():  # a file, a FIFO, a dangling link
            raise PodcastfeedError("is not a folder", source=quote_name(folder))
    # a folder where a file goes, even with --force: replacing it fails, after the others
    if folders := [name for name in names if (target / name).is_dir()]:
        why = f"cannot write {folders[0]}: a folder is in the way"
        raise PodcastfeedError(why, source=target, hint="move it away and import again")
    existing = [name for name in names if os.path.lexists(target / name)]
    if existing and not force:
        raise PodcastfeedError(
            f"would overwrite {', '.join(existing[:3])}"
            + (f" and {len(existing) - 3} more" if len(existing) > 3 else ""),
            source=target,
            hint="import into an empty folder, or pass --force",
        )
    written: list[Path] = []

    def put(name: str, text: str, *, durable: bool = True) -> None:
        path = target / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, text.encode("utf-8"), durable=durable)
        except OSError as exc:
            raise PodcastfeedError(  # (a file where a folder goes was refused above)
                f"cannot write {name}: {exc.strerror}; {len(written)} of {len(names)} files "
                "were written",
                source=target,
                hint="fix what stops it and import again with --force",
            ) from exc
        written.append(path)

    small = iter(planned.files.items())
    put(*next(small))  # feed.toml
    episodes.mkdir(exist_ok=True)
    total = len(planned.episodes)
    for done, (name, item) in enumerate(planned.episodes, start=1):
        # no fsync per episode: 10,000 of them cost seconds, and an import cut short is
        # simply run again with --force
        put(name, episode_text(item), durable=False)
        if progress is not None:
            progress(done, total)
    for name, text in small:
        put(name, text)
    return written


def redirect_feed(source: bytes, new_feed_url: str) -> bytes:
    """The source feed with `<itunes:new-feed-url>` pointing at `new_feed_url`, for the old
    host to serve (with a 301) while directories learn the move."""
    channel = parse_xml(source, "source")
    name = f"{{{ITUNES}}}new-feed-url"
    element = channel.find(name)
    if element is None:
        element = etree.Element(name, nsmap={"itunes": ITUNES})
        element.tail = channel.text
        channel.insert(0, element)
    element.text = new_feed_url
    tree = channel.getroottree()
    return bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))


@dataclass
class Result:
    files: list[Path]
    normalizations: list[str]
    warnings: list[str]
    items: int
    repairs: list[Repair] = field(default_factory=list)  # what reading the XML repaired
    source_items: list[Item] = field(default_factory=list)  # as read, every page's (--verify)


def import_feed(
    data: bytes,
    source: str,
    target: Path,
    *,
    source_url: str | None = None,
    feed_url: str | None = None,
    redirect: bool = False,
    markdown: bool = False,
    force: bool = False,
    progress: Progress | None = None,
    fetch: paging.Fetch | None = None,
    first_page_only: bool = False,
    page_progress: paging.Progress | None = None,
) -> Result:
    """Read the feed `data` (from `source`), and its later pages when it is paged (with
    `fetch`, see paging.py), and write feed.toml, episodes/ and the lock under `target`; with
    `redirect`, also `old-feed-redirect.xml` for the old host.

    Raises:
        PodcastfeedError: the data is not an RSS feed, a later page cannot be read, or a file
            exists (without `force`).
    """
    found = paging.read_pages(
        data,
        source,
        source_url,
        fetch,
        limit=feed_limit(),
        first_page_only=first_page_only,
        progress=page_progress,
    )
    old_url = found.show["feed_url"]
    if feed_url and feed_url != old_url:
        found.show["feed_url"] = feed_url
        if "guid" not in found.show:
            # The channel's podcast:guid is derived from the feed URL: keep the old one.
            found.show["guid"] = podcast_guid(old_url)
            found.normalizations.append(
                f"channel: pinned podcast:guid {found.show['guid']} (derived from {old_url})"
            )
    if redirect:
        if not feed_url or feed_url == old_url:
            raise PodcastfeedError(
                "--redirect-old-feed needs --feed-url with the feed's new address",
                hint=f"the source feed lives at {old_url}",
            )
        found.show.pop("new_feed_url", None)
    if markdown:
        found.warnings.append(
            "--markdown: no HTML-to-Markdown converter is installed; show notes kept as HTML"
        )
    planned = plan(found.items, found.show, source, found.todos)
    if redirect:
        assert feed_url is not None
        planned.files[REDIRECT_NAME] = redirect_feed(data, feed_url).decode("utf-8")
    files = write(target, planned, force=force, progress=progress)
    return Result(
        files, found.normalizations, found.warnings, len(found.items), found.repairs, found.items
    )
