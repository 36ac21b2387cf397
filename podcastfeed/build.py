"""One build as a library call: load -> probe what is new -> validate -> render -> write.

Returns a report and prints nothing; the CLI (and tests) decide what to show. Nothing is written
unless the whole build succeeds.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from podcastfeed import cache, incremental, lock
from podcastfeed.errors import BuildFailed, EpisodeError, Problem
from podcastfeed.files import relative_name
from podcastfeed.ids import episode_guid, episode_key, podcast_guid
from podcastfeed.lint.base import Feed
from podcastfeed.lint.runner import origin_for, own_feed
from podcastfeed.media.probing import ProbeOptions, measure, measure_alternates
from podcastfeed.model import AudioInfo, Episode
from podcastfeed.output import fragments, showlock, write
from podcastfeed.render import page
from podcastfeed.render.feed import enclosure_for, iter_feed, sort_episodes
from podcastfeed.source.chapters import keep_inside, validate_json_chapters
from podcastfeed.source.config import Config, load_config
from podcastfeed.source.episode_tags import soundbite_problems
from podcastfeed.source.lookup import field_line
from podcastfeed.source.reading import read_all

_GUID_HINT = "every episode needs its own guid; directories merge or drop duplicates"
_URL_HINT = "directories ignore an enclosure URL they have seen before"


@dataclass
class BuildReport:
    """What a build did."""

    config: Config
    output: Path
    published: list[Episode] = field(default_factory=list)
    audio: dict[str, AudioInfo] = field(default_factory=dict)  # by enclosure URL
    drafts: int = 0
    scheduled: int = 0
    problems: list[Problem] = field(default_factory=list)  # warnings and notes; errors raise
    lock: lock.Lock = field(default_factory=lambda: lock.Lock())
    parsed: int = 0  # episode files read this time (the rest came from the cache)
    checked: bool = False  # the error rules ran (not skipped: same inputs as a passing build)
    inputs: str = ""  # digest of everything the feed and pages are made of (incremental.py)
    keys: dict[Path, str] | None = None  # episodes' keys, by file (None: --no-cache)
    probed: int = 0  # audio files and URLs probed this time
    requests: int = 0  # HTTP requests made
    bytes_read: int = 0  # bytes downloaded for probing
    seconds: float = 0.0
    changes_at: datetime | None = None  # when the clock alone changes the feed (output/skip.py)
    notes: list[str] = field(default_factory=list)  # what write_report decided, for the user
    jobs: int = 1  # processes for writing pages and assets (output/workers.py)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    @property
    def file_notes(self) -> list[Problem]:
        """What the build did to the text as written (mojibake, issue 14); never fails it."""
        return [p for p in self.problems if p.level == "note"]

    def feed_pieces(self) -> Iterator[bytes]:  # the feed, piece by piece (for write_report)
        return iter_feed(self.config.show, self.published, self.audio)

    @property
    def feed(self) -> bytes:  # the whole feed in memory, rendered on each access
        return b"".join(self.feed_pieces())

    def pages(
        self,
        audio_src: Callable[[Episode], str] | None = None,
        *,
        assets_path: str = "",
        blocks: page.Blocks | None = None,
    ) -> list[page.Page]:
        """The show page and episode pages (paths relative to the pages' folder; `assets_path`
        leads from there to the feed's folder, with its transcripts and chapters).

        Raises:
            ConfigError: a template of the show's own folder is broken or missing.
        """
        settings = self.config.build
        return page.render_pages(
            self.config.show,
            self.published,
            self.audio,
            pages=settings.pages,
            templates_dir=settings.templates_dir,
            audio_src=audio_src,
            assets_path=assets_path,
            config_path=settings.config_path,
            blocks=blocks,
        )


def build(
    config_path: Path,
    *,
    now: datetime,
    include_future: bool = False,
    use_cache: bool = True,
    jobs: int = 2,
    probe: ProbeOptions | None = None,
    allow_changes: Sequence[str] = (),
    check: bool = True,
) -> BuildReport:
    """Build the feed for the show whose feed.toml is `config_path` (nothing is written).

    Args:
        now: the current time, deciding which dated episodes are out yet (aware).
        include_future: publish episodes dated after `now` too.
        use_cache: read and update the local build cache.
        jobs: processes for parsing many changed episode files.
        probe: how to measure audio (offline, refresh, remote jobs, progress).
        allow_changes: episodes (file, name or guid) whose published guid, URL or date may
            change, or that may leave the feed.
        check: run the error rules of `podcastfeed check` on the feed (issue 5); any finding
            fails the build.

    Raises:
        ConfigError: feed.toml is missing or unreadable; another build is running.
        BuildFailed: with every problem found, when any is an error.
    """
    started = time.perf_counter()
    config = load_config(config_path)
    with showlock.hold(config.build.cache_dir, config.build.config_path):
        return _build(
            config,
            started,
            now=now,
            include_future=include_future,
            use_cache=use_cache,
            jobs=jobs,
            probe=probe,
            allow_changes=allow_changes,
            check=check,
        )


def _build(
    config: Config,
    started: float,
    *,
    now: datetime,
    include_future: bool,
    use_cache: bool,
    jobs: int,
    probe: ProbeOptions | None,
    allow_changes: Sequence[str],
    check: bool,
) -> BuildReport:
    config_path = config.build.config_path
    show, settings = config.show, config.build
    problems: list[Problem] = list(config.warnings)
    if not settings.episodes_dir.is_dir():
        raise BuildFailed(
            [
                *problems,
                EpisodeError(
                    f"episodes folder not found: {settings.episodes_dir}",
                    source=config_path,
                    hint='create it, or set [build] episodes = "…" in feed.toml',
                ).to_problem(),
            ]
        )

    what = (show, sorted(settings.fields.items()), str(settings.root), settings.clean_notes)
    fingerprint = hashlib.blake2b(
        repr((*what, settings.fix_text, settings.notes)).encode(), digest_size=16
    ).hexdigest()
    unused = (cache.BuildCache(fingerprint), None)
    store, warning = cache.load(settings.cache_dir, fingerprint) if use_cache else unused
    if warning:
        problems.append(Problem("warning", warning))

    report = BuildReport(config, settings.output, jobs=jobs)
    episodes, report.parsed = read_all(config, store, problems, jobs)
    published: list[Episode] = []
    for episode in episodes:
        if not episode.is_published or (episode.expires is not None and episode.expires <= now):
            report.drafts += 1  # a draft, or expired (Hugo's expiryDate)
        elif episode.date > now and not include_future:
            report.scheduled += 1
        else:
            published.append(episode)
        when = episode.date if episode.date > now else episode.expires
        if episode.is_published and when and when > now:
            report.changes_at = min(when, report.changes_at or when)
    old_lock = lock.load(settings.root / lock.LOCK_NAME)
    pairs = [(e, relative_name(e.source, settings.root)) for e in published]
    matches, removed = lock.match(old_lock, pairs)
    removed = lock.unread_kept(removed, problems, settings.root)
    prefixes = (show.tags.enclosure_prefix, old_lock.enclosure_prefix)
    problems += lock.protect(matches, removed, allow_changes, *prefixes)
    published = _resolve_guids(config, lock.pin(matches), problems)

    options = replace(probe or ProbeOptions(), processes=jobs)
    refresh = list(options.refresh)

    def is_refreshed(episode: Episode) -> bool:
        if not refresh:
            return False
        name = relative_name(episode.source, settings.root)
        return refresh == ["*"] or lock.allowed(refresh, name, episode.guid)

    measured = measure(
        published,
        root=settings.root,
        lock=old_lock,
        store=store,
        options=options,
        is_refreshed=is_refreshed,
    )
    problems += measured.problems
    published, alternate_problems, alternate_probes = measure_alternates(
        published, settings.root, store, old_lock, options, is_refreshed
    )
    problems += alternate_problems + _check_tags(published, measured.probes, settings.root)
    published = keep_inside(published, measured.probes, settings.root, problems)  # issue 16
    if any(p.is_error for p in problems):
        raise BuildFailed(problems)

    report.audio = {url: probe.info for url, probe in measured.probes.items()}
    report.lock = _new_lock(published, settings.root, measured.probes, alternate_probes)
    report.lock.enclosure_prefix = show.tags.enclosure_prefix  # the entries keep their URLs
    report.published = published
    report.problems = problems
    report.inputs, keys = incremental.inputs(config_path, show, published, store, report.audio)
    report.keys = keys if use_cache else None  # each episode's key (episodekeys.episode_keys)
    if check:  # on the channel and the items not checked before (incremental.py)
        few = functools.partial(feed_for, report, now)
        args = (config.show, published, keys, config_path, store, include_future, few)
        report.checked = incremental.check_changed(*args, problems)
        if any(p.is_error for p in problems):
            raise BuildFailed(problems)
    report.probed = measured.local + measured.remote
    report.requests, report.bytes_read = measured.requests, measured.bytes_read
    if use_cache:
        cache.save(settings.cache_dir, store)
    report.seconds = time.perf_counter() - started
    return report


def feed_for(
    report: BuildReport, now: datetime, only: Sequence[Episode] | None = None, **options: Any
) -> Feed:
    """The report's feed (or of `only` these episodes), parsed for the rules of `podcastfeed
    check`, with where each part comes from; without content:encoded, which no rule reads."""
    settings = report.config.build
    light = [replace(e, notes=b"") for e in (report.published if only is None else only)]
    pieces = iter_feed(report.config.show, light, report.audio)
    repaired = [(str(p.source), p.line, p.message) for p in report.file_notes]
    origin = origin_for(report.config, report.published, report.audio, repaired)
    shown = relative_name(report.output, settings.root)
    return own_feed(pieces, shown, now, origin, settings.root, **options)


def write_report(
    report: BuildReport,
    output: Path | None = None,
    *,
    audio_src: Callable[[Episode], str] | None = None,
    save_lock: bool = True,
) -> Path:
    """Write the feed, its transcripts and chapters, the show page and episode pages, and the
    lock, as one step (see commit.py): on failure, or when killed, the old files stay intact.
    Only files the build wrote before (its manifest) are replaced or removed. What the build
    decided about where files go (pages not written ...) is added to `report.notes`.

    Args:
        audio_src: the page's player source for an episode (`serve`); default the enclosure
            (then items and pages made of the same as last time are reused: fragments.py).
        save_lock: write podcastfeed.lock (not for a preview).

    Raises:
        ConfigError, EpisodeError, OSError: as write.write_outputs (nothing was replaced).
    """
    audio, keys, settings = report.audio, report.keys, report.config.build
    reused = audio_src is None and keys is not None and not cache.unusable(settings.cache_dir)
    blocks = fragments.ShowBlocks(settings, keys) if reused and keys is not None else None
    written = write.write_outputs(
        report.config,
        report.published,
        output or report.output,
        feed=report.feed_pieces,
        pages=lambda way: report.pages(audio_src, assets_path=way, blocks=blocks),
        pages_inputs=report.inputs if audio_src is None else "",
        lock_text=lock.dumps(report.lock).encode("utf-8") if save_lock else None,
        reuse=None if audio_src or keys is None else (report.config.show, audio, keys),
        jobs=report.jobs,
    )
    if blocks is not None:
        blocks.save()  # the show page's episode blocks, for the next build (fragments.py)
    report.notes = written.notes
    return written.feed


def _check_tags(
    episodes: list[Episode], probes: dict[str, lock.Probe], root: Path
) -> list[Problem]:
    """What can only be checked once audio is measured and files are read (issue 4):
    soundbites inside the episode, local JSON chapters files readable as such."""
    found: list[Problem] = []
    for episode in episodes:
        tags = episode.tags
        if tags.soundbites and episode.audio is not None:
            probe = probes.get(episode.audio.url)
            try:
                duration = enclosure_for(episode, probe.info if probe else None).duration
            except ValueError:
                continue  # not measured: reported already
            outside = soundbite_problems(
                relative_name(episode.source, root), tags.soundbites, duration
            )
            if outside:  # the key's line: the file is read again only for a message
                line = field_line(episode.source, "soundbites")
                found += [replace(problem, line=line) for problem in outside]
        if tags.chapters is not None and tags.chapters.source is not None:
            source = relative_name(tags.chapters.source, root)
            try:
                validate_json_chapters(tags.chapters.source.read_bytes())
            except OSError as exc:
                found.append(
                    EpisodeError(f"cannot read: {exc.strerror}", source=source).to_problem()
                )
            except ValueError as exc:
                message = f"chapters file {exc} (read for {relative_name(episode.source, root)})"
                found.append(EpisodeError(message, source=source).to_problem())
    return found


def _new_lock(
    episodes: list[Episode],
    root: Path,
    probes: dict[str, lock.Probe],
    alternates: dict[str, lock.Probe],
) -> lock.Lock:
    entries = []
    for episode in sort_episodes(episodes):
        assert episode.guid is not None  # resolved by _resolve_guids
        assert episode.audio is not None  # published episodes have audio
        entries.append(
            lock.Entry(
                guid=episode.guid,
                file=relative_name(episode.source, root),
                url=episode.audio.url,
                pub_date=episode.date.isoformat(),
                permalink=episode.permalink,
                probe=probes.get(episode.audio.url),
                alternates=tuple(
                    alternates[alt.url]
                    for alt in episode.tags.alternate_enclosures
                    if alt.url in alternates
                ),
            )
        )
    return lock.Lock(entries)


def _resolve_guids(
    config: Config, episodes: list[Episode], problems: list[Problem]
) -> list[Episode]:
    """Front-matter guid wins (the lock's is pinned before); else one derived from the
    permalink, or the path under episodes/ (ids.episode_key)."""
    channel = config.show.guid or podcast_guid(config.show.feed_url)
    resolved: list[Episode] = []
    seen_guid: dict[str, Episode] = {}
    seen_url: dict[str, Episode] = {}
    root = config.build.root
    for episode in episodes:
        if episode.guid is None:
            episode = replace(episode, guid=episode_guid(channel, episode_key(episode)))
        assert episode.guid is not None
        url, line = (episode.audio.url, episode.audio.line) if episode.audio else ("", None)
        for seen, key, what, hint, at in (
            (seen_guid, episode.guid, f"duplicate guid {episode.guid!r}:", _GUID_HINT, None),
            (seen_url, url, f"same audio URL {url}:", _URL_HINT, line),
        ):
            other = seen.setdefault(key, episode)
            if other is not episode:
                problems.append(
                    EpisodeError(
                        f"{what} {relative_name(other.source, root)} has it too",
                        source=relative_name(episode.source, root),
                        line=at,
                        hint=hint,
                    ).to_problem()
                )
        resolved.append(episode)
    return resolved
