"""One build as a library call: load -> probe what is new -> validate -> render -> write.

Returns a report and prints nothing; the CLI (and tests) decide what to show. Nothing is written
unless the whole build succeeds.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from podcastfeed import cache
from podcastfeed.audio import probe_file
from podcastfeed.config import Config, load_config
from podcastfeed.episodes import find_episode_files, read_episode
from podcastfeed.errors import BuildFailed, EpisodeError, ProbeError, Problem
from podcastfeed.feed import build_feed
from podcastfeed.files import write_atomic
from podcastfeed.ids import episode_guid, podcast_guid
from podcastfeed.model import AudioInfo, Episode

#: Below this many files to parse, a process pool costs more than it saves.
PARALLEL_THRESHOLD = 200

Progress = Callable[[str], None]


@dataclass
class BuildReport:
    """What a build did."""

    config: Config
    feed: bytes
    output: Path
    published: list[Episode] = field(default_factory=list)
    drafts: int = 0
    scheduled: int = 0
    problems: list[Problem] = field(default_factory=list)  # warnings only; errors raise
    parsed: int = 0  # episode files read this time (the rest came from the cache)
    probed: int = 0  # audio files probed this time
    seconds: float = 0.0

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def build(
    config_path: Path,
    *,
    now: datetime,
    include_future: bool = False,
    use_cache: bool = True,
    jobs: int = 2,
) -> BuildReport:
    """Build the feed for the show whose feed.toml is `config_path` (nothing is written).

    Args:
        now: the current time, deciding which dated episodes are out yet (aware).
        include_future: publish episodes dated after `now` too.
        use_cache: read and update the local build cache.
        jobs: processes for parsing many changed episode files.

    Raises:
        ConfigError: feed.toml is missing or unreadable.
        BuildFailed: with every problem found, when any is an error.
    """
    started = time.perf_counter()
    config = load_config(config_path)
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

    fingerprint = hashlib.blake2b(
        repr((show, sorted(settings.fields.items()), str(settings.root))).encode(), digest_size=16
    ).hexdigest()
    store, warning = (
        cache.load(settings.cache_dir, fingerprint)
        if use_cache
        else (cache.BuildCache(fingerprint), None)
    )
    if warning:
        problems.append(Problem("warning", warning))

    report = BuildReport(config, b"", settings.output)
    episodes = _read_all(config, store, problems, report, jobs)
    published: list[Episode] = []
    for episode in episodes:
        if not episode.is_published:
            report.drafts += 1
        elif episode.date > now and not include_future:
            report.scheduled += 1
        else:
            published.append(episode)
    published = _resolve_guids(config, published, problems)
    audio = _probe_local(config, published, store, problems, report)
    if any(p.is_error for p in problems):
        raise BuildFailed(problems)

    report.feed = build_feed(show, published, audio)
    report.published = published
    report.problems = problems
    if use_cache:
        cache.save(settings.cache_dir, store)
    report.seconds = time.perf_counter() - started
    return report


def write_report(report: BuildReport, output: Path | None = None) -> Path:
    """Write the feed atomically; the previous file stays intact on any failure."""
    target = output or report.output
    write_atomic(target, report.feed)
    return target


def _read_one(args: tuple[Path, Config, bytes]) -> tuple[Episode | None, list[Problem]]:
    path, config, data = args
    return read_episode(path, config.show, config.build, data)


def _read_all(
    config: Config, store: cache.BuildCache, problems: list[Problem], report: BuildReport, jobs: int
) -> list[Episode]:
    settings = config.build
    files = find_episode_files(settings.episodes_dir)
    results: dict[Path, tuple[Episode | None, list[Problem]]] = {}
    todo: list[tuple[str, Path, bytes]] = []
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(EpisodeError(f"cannot read: {exc.strerror}", source=path).to_problem())
            continue
        key = cache.content_key(str(path.relative_to(settings.root)), data)
        hit = store.episodes.get(key)
        store.used_episodes.add(key)
        if hit is not None:
            results[path] = (hit[0], list(hit[1]))
        else:
            todo.append((key, path, data))
    work = [(path, config, data) for _key, path, data in todo]
    if jobs > 1 and len(work) >= PARALLEL_THRESHOLD:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            parsed = list(pool.map(_read_one, work, chunksize=32))
    else:
        parsed = [_read_one(item) for item in work]
    for (key, path, _data), (episode, found) in zip(todo, parsed, strict=True):
        results[path] = (episode, found)
        if episode is not None and not any(p.is_error for p in found):
            store.episodes[key] = (episode, tuple(found))
            store.changed = True
    report.parsed = len(todo)
    episodes = []
    for path in files:
        if path in results:
            episode, found = results[path]
            problems.extend(found)
            if episode is not None:
                episodes.append(episode)
    return episodes


def _resolve_guids(
    config: Config, episodes: list[Episode], problems: list[Problem]
) -> list[Episode]:
    """Front-matter guid wins; else one derived from the permalink (or file name)."""
    channel = config.show.guid or podcast_guid(config.show.feed_url)
    resolved: list[Episode] = []
    seen_guid: dict[str, Episode] = {}
    seen_url: dict[str, Episode] = {}
    root = config.build.root
    for episode in episodes:
        if episode.guid is None:
            key = episode.permalink.strip("/") if episode.permalink else episode.source.stem
            episode = replace(episode, guid=episode_guid(channel, key))
        assert episode.guid is not None
        other = seen_guid.get(episode.guid)
        if other is not None:
            problems.append(
                EpisodeError(
                    f"duplicate guid {episode.guid!r}: {other.source.relative_to(root)} has it too",
                    source=episode.source.relative_to(root),
                    hint="every episode needs its own guid; directories merge or drop duplicates",
                ).to_problem()
            )
        url = episode.audio.url if episode.audio else ""
        other = seen_url.get(url)
        if other is not None:
            problems.append(
                EpisodeError(
                    f"same audio URL as {other.source.relative_to(root)}: {url}",
                    source=episode.source.relative_to(root),
                    hint="directories ignore an enclosure URL they have seen before",
                ).to_problem()
            )
        seen_guid.setdefault(episode.guid, episode)
        seen_url.setdefault(url, episode)
        resolved.append(episode)
    return resolved


def _probe_local(
    config: Config,
    episodes: list[Episode],
    store: cache.BuildCache,
    problems: list[Problem],
    report: BuildReport,
) -> dict[str, AudioInfo]:
    found: dict[str, AudioInfo] = {}
    root = config.build.root
    for episode in episodes:
        if episode.audio is None or episode.audio.path is None:
            continue
        path = episode.audio.path
        try:
            key = cache.file_key(path)
            info = store.audio.get(key)
            if info is None:
                info = probe_file(path)
                store.audio[key] = info
                store.changed = True
                report.probed += 1
            store.used_audio.add(key)
        except FileNotFoundError:
            problems.append(
                ProbeError(
                    f"audio file not found: {path}", source=episode.source.relative_to(root)
                ).to_problem()
            )
            continue
        except ProbeError as exc:
            problems.append(
                ProbeError(
                    f"audio {episode.audio.ref!r}: {exc.message}",
                    source=episode.source.relative_to(root),
                    hint=exc.hint,
                ).to_problem()
            )
            continue
        found[episode.audio.url] = info
    return found
