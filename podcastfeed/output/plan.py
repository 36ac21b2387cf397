"""Where a build's files go, and which of them are out of date.

The feed goes where `[build] output` (or `-o`) says, its local artwork, transcripts and
chapters beside it (`artwork/`, `transcripts/`, `chapters/`), the show page and episode pages
into the site folder (`[build] site`, by default the feed's folder). Two rules keep the
outputs out of the sources:

- nothing is written inside a folder the build reads (the episodes, templates and cache
  folders), unless that folder is the show's own folder (`[build] episodes = "."`), where
  discovery skips every folder that holds a podcastfeed manifest;
- pages need a folder of their own: not the show's folder and holding none of its sources.
  When the feed goes into the show's folder (`-o feed.xml`, a GitHub Pages site served from
  the repository root) the pages are not written unless `[build] site` names such a folder,
  and the build says so.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from podcastfeed import lock
from podcastfeed.codekey import code_key
from podcastfeed.errors import ConfigError, EpisodeError, PodcastfeedError
from podcastfeed.files import JOURNAL_NAME, MANIFEST_NAME, NAME_MAX, relative_name
from podcastfeed.model import Episode, unpack
from podcastfeed.render import page
from podcastfeed.source import assets
from podcastfeed.source.config import BuildSettings, Config


@dataclass
class Plan:
    """Every file a build writes, and where."""

    feed: Path
    folder: Path  # the feed's folder, where the manifest lives
    site: Path | None  # where the pages go; None when they are not written
    assets: list[assets.Asset] = field(default_factory=list)
    pages: list[page.Page] = field(default_factory=list)  # paths relative to `site`
    notes: list[str] = field(default_factory=list)


def make_plan(
    config: Config,
    published: Sequence[Episode],
    feed: Path,
    render_pages: Callable[[str], list[page.Page]],
) -> Plan:
    """Where everything goes (nothing is written); `render_pages` makes the pages (lazily),
    given the way from their folder to the feed's (see page.render_pages' `assets_path`).

    Raises:
        ConfigError: an output would land in a folder the build reads, or `[build] site` is
            not a folder of its own; a template of the show's own folder is broken.
    """
    settings = config.build
    feed = Path(os.path.abspath(feed))
    folder = feed.parent
    root = settings.root
    _refuse_sources(feed, settings, "the feed")
    plan = Plan(feed, folder, None)
    plan.assets = assets.plan(config.show, published, folder)
    read = _read_folders(settings)  # once, not once per asset (10,000 transcripts)
    for target in _inside_any([asset.target for asset in plan.assets], read, settings.root):
        _refuse_sources(target, settings, "an artwork, transcript or chapters file", read)
    _refuse_long_names((str(asset.target) for asset in plan.assets), folder, root)
    site = Path(os.path.abspath(settings.site)) if settings.site else folder
    why = _shared(site, settings)
    if why is None:
        plan.site = site
        way = Path(os.path.relpath(folder, site)).as_posix()
        plan.pages = render_pages("" if way == "." else quote(way) + "/")  # (an href)
    elif settings.site is not None:
        raise ConfigError(
            f"[build] site must be a folder of its own: {relative_name(site, root)} {why}",
            source=settings.config_path,
            hint='for example site = "public"',
        )
    else:
        render_pages("")  # a broken template is still an error
        plan.notes.append(
            f"the show page and episode pages were not written: {relative_name(folder, root)} "
            f'{why}; set [build] site = "public" (a folder of their own) to publish them'
        )
    return plan


def pages_digest(settings: BuildSettings, inputs: str, plan: Plan) -> str:
    """The pages' inputs: the build's (`inputs`), where they go, and the show's own templates
    ("" when they cannot be trusted to repeat: no inputs digest, or no pages)."""
    if not inputs or plan.site is None:
        return ""
    templates: list[tuple[str, str]] = []
    folder = settings.templates_dir
    if folder is not None and folder.is_dir():
        for path in sorted(folder.rglob("*")):  # by content: an edit that kept the size and
            if path.is_file():  # set the mtime back changes the pages (a few small files)
                content = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
                templates.append((relative_name(path, folder), content))
    # Relative paths only: the manifest that keeps this digest is committed, and a clone of
    # the show in another folder has the same pages. podcastfeed's code too: its own templates
    # make the pages.
    site = relative_name(plan.site, settings.root)
    where = relative_name(plan.folder, settings.root)
    data = repr((code_key(), inputs, site, where, settings.pages, templates))
    return hashlib.blake2b(data.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


def asset_bytes(asset: assets.Asset) -> bytes:
    """What an asset file holds: a copy of its source, or its content.

    Raises:
        EpisodeError: the source cannot be read.
    """
    if asset.source is None:
        return unpack(asset.content)
    try:
        return asset.source.read_bytes()
    except OSError as exc:
        raise EpisodeError(f"cannot read: {exc.strerror}", source=asset.source) from exc


def check_current(
    feed: bytes,
    target: Path,
    config: Config,
    published: Sequence[Episode],
    new_lock: lock.Lock,
    render_pages: Callable[[str], list[page.Page]],
    shown: Callable[[Path], str] = str,
    check_manifest: bool = False,
) -> list[str]:
    """What `build --check` reports: the feed `target` on disk (with the feed's differences
    from `feed`, as `podcastfeed diff` words them), the assets, pages and lock that differ
    from this build (and, with `check_manifest`, the manifest's list of files); an empty list
    when all are current. Nothing is written.

    Raises:
        PodcastfeedError: the feed on disk cannot be read or parsed, or a plan's errors (see
            make_plan).
    """
    from podcastfeed.feeds.diff import diff_feeds, format_diff  # lxml only for --check

    found = []
    name = shown(target)
    try:
        on_disk: bytes | None = target.read_bytes()
    except FileNotFoundError:
        on_disk = None
    except OSError as exc:
        raise PodcastfeedError(f"cannot read {target}: {exc.strerror}") from exc
    if on_disk is None:
        found.append(f"{name} does not exist yet")
    elif on_disk != feed:
        # exact: a stale file is about bytes; a respelled value is worth showing here
        found_diff = diff_feeds(on_disk, feed, old_name=name, new_name="the build", exact=True)
        lines = format_diff(found_diff)
        found.append(f"{name} is out of date:")
        found += ["  " + line for line in lines] or ["  (same content, different bytes)"]
    plan = make_plan(config, published, target, render_pages)
    return found + stale(plan, config.build, new_lock, shown, check_manifest)


def stale(
    plan: Plan,
    settings: BuildSettings,
    new_lock: lock.Lock,
    shown: Callable[[Path], str],
    check_manifest: bool = False,
) -> list[str]:
    """What `build --check` reports: each output on disk that differs from this build, named
    by `shown` (the feed's differences are left to the caller: it can show a semantic diff)."""
    root = settings.root
    found = []
    for asset in plan.assets:
        try:
            current: bytes | None = asset.target.read_bytes()
        except OSError:
            current = None
        if current != asset_bytes(asset):
            found.append(f"{shown(asset.target)} is out of date")
    if plan.site is not None:
        for built in plan.pages:
            path = plan.site / built.path
            try:
                current = path.read_bytes()
            except OSError:
                current = None
            if current != built.content:
                found.append(f"{shown(path)} is out of date")
    found += _left_over(plan, shown, check_manifest)
    lock_path = root / lock.LOCK_NAME
    try:
        lock_text: str | None = lock_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        lock_text = None
    if lock_text != lock.dumps(new_lock):
        found.append(f"{shown(lock_path)} is out of date")
    journal = plan.folder / JOURNAL_NAME  # (files it removes are in no list above)
    with contextlib.suppress(OSError, ValueError):
        data = json.loads(journal.read_bytes())
        if isinstance(data, dict) and data.get("state") == "commit":
            found.append(f"{shown(journal)}: a build was killed while it switched its files")
    return found


def _refuse_long_names(paths: Iterable[str], folder: Path, root: Path) -> None:
    """An error before anything is written for an output whose name no file system takes:
    made of an episode file's name (its transcript `<name>.html` is longer than the
    `<name>.md` the file system took). Only the last names: the folders above are the show's
    own (its episode subfolders, transcripts/, …) or the output's, and pages are
    `episodes/<the file's path>/index.html`."""
    for path in paths:
        name = path[path.rfind("/") + 1 :]
        if len(name) * 4 > NAME_MAX and (size := len(os.fsencode(name))) > NAME_MAX:
            raise EpisodeError(
                f"cannot write {relative_name(folder / path, root)}: a name of {size} "
                f"bytes, and file systems take {NAME_MAX} at most",
                hint="it is made of an episode file's name: shorten that name",
            )


def _left_over(plan: Plan, shown: Callable[[Path], str], check_manifest: bool) -> list[str]:
    """The files the last build wrote (its manifest) that this one would remove: episode
    pages turned off, say, which may change no other file; and the manifest, when it does not
    list the files this build writes (deleted, edited by hand)."""
    from podcastfeed.output import commit  # (its writers: not for --help)

    manifest = commit.read_manifest(plan.folder)
    made = {manifest.name(plan.feed), *(manifest.name(a.target) for a in plan.assets)}
    if plan.site is not None:
        made.update(manifest.name(plan.site / built.path) for built in plan.pages)
    gone = [plan.folder / name for name in sorted(manifest.files - made)]
    found = [f"{shown(p)} is left over (the build removes it)" for p in gone if p.exists()]
    # its files, not its pages' digest: that only says whether pages must be made again (it
    # changes with any edit of feed.toml, a comment too), and a build that finds it stale
    # writes the same pages
    expected = commit.manifest_bytes(commit.Manifest(plan.folder, made, manifest.pages))
    path = plan.folder / MANIFEST_NAME
    if check_manifest and not found and not commit.same_bytes(path, expected):
        found.append(f"{shown(path)} is out of date (the record of the files the build wrote)")
    return found


def _read_folders(settings: BuildSettings) -> list[tuple[Path, str]]:
    found = [(settings.episodes_dir, "the episodes folder"), (settings.cache_dir, "the cache")]
    if settings.templates_dir is not None:
        found.append((settings.templates_dir, "the templates folder"))
    return [(Path(os.path.abspath(path)), name) for path, name in found]


def _refuse_sources(
    path: Path, settings: BuildSettings, what: str, read: list[tuple[Path, str]] | None = None
) -> None:
    for folder, name in _read_folders(settings) if read is None else read:
        if folder != settings.root and _inside(path, folder):
            raise ConfigError(
                f"{what} would be written into {name} ({relative_name(path, settings.root)}); "
                "the build reads that folder",
                source=settings.config_path,
                hint="choose an output outside it ([build] output, or -o)",
            )


def _inside_any(paths: list[Path], read: list[tuple[Path, str]], root: Path) -> list[Path]:
    """The `paths` that may be inside a folder of `read` (not the show's own): by their
    strings' prefixes when all are absolute (10,000 transcripts' Path comparisons add up),
    else all of them (for _refuse_sources to judge)."""
    folders = [str(folder) for folder, _name in read if folder != root]
    if os.sep != "/" or not all(top.startswith("/") for top in folders):
        return paths
    prefixes = tuple(top.rstrip("/") + "/" for top in folders)
    found = []
    for path in paths:
        text = str(path)
        if not text.startswith("/") or text.startswith(prefixes) or text in folders:
            found.append(path)
    return found


def _shared(site: Path, settings: BuildSettings) -> str | None:
    """Why `site` is not a folder of its own (None when it is)."""
    if site == settings.root:
        return "holds the show's sources"
    if _inside(settings.root, site):
        return "holds the show's folder"
    for folder, name in _read_folders(settings):
        if _inside(folder, site):
            return f"holds {name}"
        if folder != settings.root and _inside(site, folder):
            return f"is inside {name}"
    return None


def _inside(path: Path, folder: Path) -> bool:
    if path == folder:
        return True
    top = str(folder)
    if os.sep == "/" and top.startswith("/") and str(path).startswith("/"):  # absolute: the
        return str(path).startswith(top.rstrip("/") + "/")  # lexical `parents`, 10,000 times
    return folder in path.parents
