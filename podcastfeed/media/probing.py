"""Measure each published episode's audio once: from the build cache, the lock, or a probe.

Local files are probed with mutagen; URLs through HTTP Range requests, concurrently. A rebuild
with nothing new reads no audio and makes no network request.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from podcastfeed import cache
from podcastfeed.errors import ProbeError, Problem, shorten
from podcastfeed.files import relative_name
from podcastfeed.lock import Lock, Probe, fingerprint
from podcastfeed.media.audio import probe_file
from podcastfeed.model import AlternateEnclosure, AudioInfo, Episode
from podcastfeed.net.limits import DEFAULT_DEADLINE, USER_AGENT
from podcastfeed.pools import map_in_workers

if TYPE_CHECKING:
    from requests import Session

#: Below this many local files to probe, a process pool costs more than it saves.
PARALLEL_THRESHOLD = 200

#: A build cache key's suffix for a local file's probe taken from the lock, not measured.
FROM_LOCK = "\0lock"

#: Called as each remote probe ends: (url, error message or None).
ProbeProgress = Callable[[str, str | None], None]


@dataclass(frozen=True)
class Need:
    """An episode's file or URL to measure, for its errors: the line that gives it, and what it
    is (its audio, or an alternate enclosure: the hints differ)."""

    episode: Episode
    line: int | None
    alternate: bool = False

    @staticmethod
    def audio(episode: Episode) -> Need:
        return Need(episode, episode.audio.line if episode.audio else None)


@dataclass
class ProbeOptions:
    offline: bool = False  # never touch the network
    refresh: Collection[str] = ()  # episode names (file, stem, guid) to measure again
    jobs: int = 8  # concurrent remote probes
    processes: int = 1  # processes for probing many local files
    timeout: float = 15.0  # per wait for data
    deadline: float = DEFAULT_DEADLINE  # per request, in all (connect, headers, body)
    session: Session | None = None  # made on first need when None
    on_progress: ProbeProgress | None = None
    on_start: Callable[[int], None] | None = None  # how many remote probes are about to run


@dataclass
class ProbeResults:
    probes: dict[str, Probe] = field(default_factory=dict)  # by enclosure URL
    problems: list[Problem] = field(default_factory=list)
    local: int = 0  # files probed this time
    remote: int = 0  # URLs probed this time
    requests: int = 0
    bytes_read: int = 0


def measure(
    episodes: Sequence[Episode],
    *,
    root: Path,
    lock: Lock,
    store: cache.BuildCache,
    options: ProbeOptions,
    is_refreshed: Callable[[Episode], bool],
) -> ProbeResults:
    """The probe for every episode that needs one (front matter may state it instead)."""
    results = ProbeResults()
    local: list[tuple[Episode, Path]] = []
    remote: dict[str, list[Need]] = {}
    unknown: dict[str, list[Need]] = {}
    for episode in episodes:
        audio = episode.audio
        if audio is None:
            continue
        if audio.path is not None:
            local.append((episode, audio.path))
            continue
        known = None if is_refreshed(episode) else lock.probe_for_url(audio.url)
        if known is not None and known.size == 0 and not options.offline:
            unknown.setdefault(audio.url, []).append(Need.audio(episode))  # "0": not known
            results.probes[audio.url] = known
        elif known is not None:  # kept even when the front matter states it: check compares
            results.probes[audio.url] = known
        elif episode.duration is None or episode.length is None:
            remote.setdefault(audio.url, []).append(Need.audio(episode))
        # else the front matter says it all; nothing to fetch
    _measure_local(local, root, lock, store, options, is_refreshed, results)
    if remote:
        _measure_remote(remote, root, options, results)
    if unknown:
        _measure_unknown(unknown, root, options, results)
    return results


def _measure_unknown(
    wanted: dict[str, list[Need]], root: Path, options: ProbeOptions, results: ProbeResults
) -> None:
    """Audio whose lock entry has length 0 (an imported feed's "unknown", issue 15): measured
    when the build is online; when that fails, the lock's entry stays and it is a warning."""
    found = ProbeResults()
    _measure_remote(wanted, root, options, found)
    results.probes.update(found.probes)
    results.problems += [replace(problem, level="warning") for problem in found.problems]
    results.remote += found.remote
    results.requests += found.requests
    results.bytes_read += found.bytes_read


def _measure_local(
    episodes: list[tuple[Episode, Path]],
    root: Path,
    lock: Lock,
    store: cache.BuildCache,
    options: ProbeOptions,
    is_refreshed: Callable[[Episode], bool],
    results: ProbeResults,
) -> None:
    """Local audio: the build cache by path and file identity, else the lock by content
    fingerprint, else mutagen (in a process pool when there are many files to probe).

    The cache answers as a build without it would: with the lock's probe of the file when the
    lock has one (it may have been edited by hand), and with a probe it took from the lock
    only while the lock still has it (deleted, the file is probed). A file changed within a
    second of the build that probed it (its times may not show a later change) is known from
    the cache by its fingerprint, as from the lock."""
    todo: list[tuple[Episode, Path, str, str]] = []  # (episode, path, cache key, fingerprint)
    for episode, path in episodes:
        try:
            stat = path.stat()
            key = cache.file_key(path, stat)
            taken = key + FROM_LOCK  # the key of a probe taken from the lock
            store.used_audio.update((key, taken))
            refresh = is_refreshed(episode)
            cached = None if refresh else store.audio.get(key) or store.audio.get(taken)
            if cached is not None:
                recorded = lock.probe_for_path(cached.path or "", cached.size)
                if recorded != cached and (recorded is not None or key not in store.audio):
                    cached = None  # the lock says otherwise, or no longer what it said
            probe = cached if stat.st_mtime_ns < store.trusted_before else None
            if probe is None:
                with path.open("rb") as stream:
                    size = os.fstat(stream.fileno()).st_size
                    mark = fingerprint(stream, size)
                if cached is not None and cached.fingerprint == mark:
                    results.probes[_url(episode)] = cached
                    continue
                known = None if refresh else lock.probe_for_path(relative_name(path, root), size)
                if known is None or known.fingerprint != mark:
                    todo.append((episode, path, key, mark))
                    continue
                probe = store.audio[taken] = known
                store.audio.pop(key, None)  # (one or the other)
                store.changed = True
        except OSError as exc:
            results.problems.append(_local_problem(episode, root, exc))
            continue
        results.probes[_url(episode)] = probe
    paths = [path for _, path, _, _ in todo]
    if options.processes > 1 and len(paths) >= PARALLEL_THRESHOLD:
        found = map_in_workers(_probe_quietly, paths, options.processes, chunksize=16)
    else:
        found = [_probe_quietly(path) for path in paths]
    for (episode, path, key, mark), result in zip(todo, found, strict=True):
        if isinstance(result, ProbeError):
            results.problems.append(_local_problem(episode, root, result))
            continue
        results.local += 1
        probe = Probe(
            result.duration,
            result.size,
            result.mime_type,
            result.method,
            path=relative_name(path, root),
            fingerprint=mark,
        )
        store.audio[key] = probe
        store.audio.pop(key + FROM_LOCK, None)
        store.changed = True
        results.probes[_url(episode)] = probe


def _probe_quietly(path: Path) -> AudioInfo | ProbeError:
    """probe_file, with its error as the result (a process pool returns either)."""
    try:
        return probe_file(path)
    except ProbeError as exc:
        return exc


def _url(episode: Episode) -> str:
    assert episode.audio is not None  # only episodes with audio are measured
    return episode.audio.url


#: What to do about an audio URL the build could not measure (a probe error without its own).
UNREACHABLE_HINT = (
    "check the URL in a browser; to build without fetching it, set duration and length in the "
    "front matter"
)
#: The same for an alternate enclosure's URL.
UNREACHABLE_ALTERNATE_HINT = (
    "check the URL in a browser; to build without fetching it, set its length in "
    "alternate_enclosures"
)


def _local_problem(episode: Episode, root: Path, exc: OSError | ProbeError) -> Problem:
    assert episode.audio is not None
    ref, source = episode.audio.ref, relative_name(episode.source, root)
    line = episode.audio.line
    if isinstance(exc, FileNotFoundError):
        return ProbeError(f"audio file not found: {ref}", source=source, line=line).to_problem()
    if isinstance(exc, OSError):
        why = f"audio {shorten(ref)}: cannot read ({exc.strerror})"
        return ProbeError(why, source=source, line=line).to_problem()
    why = f"audio {shorten(ref)}: {exc.message}"
    return ProbeError(why, source=source, line=line, hint=exc.hint).to_problem()


def _measure_remote(
    wanted: dict[str, list[Need]], root: Path, options: ProbeOptions, results: ProbeResults
) -> None:
    if options.offline:
        for url, needs in wanted.items():
            for need in needs:
                what, stated = ("audio", "duration and length in the front matter")
                if need.alternate:
                    what, stated = ("alternate enclosure", "its length in alternate_enclosures")
                results.problems.append(
                    ProbeError(
                        f"{what} {url} has not been measured yet and --offline forbids fetching it",
                        source=relative_name(need.episode.source, root),
                        line=need.line,
                        hint=f"build once online (the lock then keeps the result), or set {stated}",
                    ).to_problem()
                )
        return
    from podcastfeed.media import remote  # requests is imported only when something is fetched
    from podcastfeed.net import fetch

    session = options.session or fetch.make_session(USER_AGENT)
    if options.on_start:
        options.on_start(len(wanted))

    def done(url: str, result: remote.RemoteAudio | ProbeError) -> None:
        if options.on_progress:
            options.on_progress(url, result.message if isinstance(result, ProbeError) else None)

    try:
        found = remote.probe_urls(
            session,
            list(wanted),
            jobs=options.jobs,
            timeout=options.timeout,
            deadline=options.deadline,
            on_done=done,
        )
    finally:
        if options.session is None:
            session.close()
    for url, result in found.items():
        if isinstance(result, ProbeError):
            for need in wanted[url]:
                source = relative_name(need.episode.source, root)
                hint = result.hint or (
                    UNREACHABLE_ALTERNATE_HINT if need.alternate else UNREACHABLE_HINT
                )
                message = (
                    f"alternate enclosure: {result.message}" if need.alternate else result.message
                )
                results.problems.append(
                    ProbeError(message, source=source, line=need.line, hint=hint).to_problem()
                )
            continue
        results.remote += 1
        results.requests += result.requests
        results.bytes_read += result.bytes_read
        info = result.info
        results.probes[url] = Probe(
            info.duration,
            info.size,
            info.mime_type,
            info.method,
            url=url,
            etag=result.etag,
            last_modified=result.last_modified,
        )


def measure_alternates(
    episodes: Sequence[Episode],
    root: Path,
    store: cache.BuildCache,
    lock: Lock,
    options: ProbeOptions,
    is_refreshed: Callable[[Episode], bool],
) -> tuple[list[Episode], list[Problem], dict[str, Probe]]:
    """Alternate enclosures (podcast:alternateEnclosure) measured like the main audio: local
    files through the build cache, URLs from the lock or by Range reads; front-matter `length`
    wins. Returns the episodes with lengths filled in, the problems, and the URL probes (for the
    lock). Episodes without alternates to measure pass through untouched."""
    problems: list[Problem] = []
    remote: dict[str, Probe] = {}
    wanted: dict[str, list[Need]] = {}
    for episode in episodes:
        for alt in episode.tags.alternate_enclosures:
            if alt.path is None and alt.length is None:
                known = None if is_refreshed(episode) else lock.probe_for_url(alt.url)
                if known is not None:
                    remote[alt.url] = known
                else:
                    wanted.setdefault(alt.url, []).append(Need(episode, alt.line, True))
    if wanted:
        results = ProbeResults()
        _measure_remote(wanted, root, options, results)
        problems += results.problems
        remote.update(results.probes)
    measured: list[Episode] = []
    for episode in episodes:
        alternates = episode.tags.alternate_enclosures
        if all(alt.length is not None for alt in alternates):
            measured.append(episode)
            continue
        found = []
        for alt in alternates:
            if alt.length is not None:
                found.append(alt)
            elif alt.path is None:
                probe = remote.get(alt.url)
                found.append(alt if probe is None else replace(alt, length=probe.size))
            else:
                size = _local_alternate_size(episode, alt, root, store, problems)
                found.append(alt if size is None else replace(alt, length=size))
        tags = replace(episode.tags, alternate_enclosures=tuple(found))
        measured.append(replace(episode, tags=tags))
    return measured, problems, remote


def _local_alternate_size(
    episode: Episode,
    alt: AlternateEnclosure,
    root: Path,
    store: cache.BuildCache,
    problems: list[Problem],
) -> int | None:
    path = alt.path
    assert path is not None
    try:
        key = cache.file_key(path)
        store.used_audio.add(key)
        probe = store.audio.get(key)
        if probe is None:
            info = probe_file(path)
            probe = Probe(info.duration, info.size, info.mime_type, info.method)
            store.audio[key] = probe
            store.changed = True
    except (OSError, ProbeError) as exc:
        why = exc.message if isinstance(exc, ProbeError) else exc.strerror
        problems.append(
            ProbeError(
                f"'alternate_enclosures' {path.name}: {why}",
                source=relative_name(episode.source, root),
                line=alt.line,
            ).to_problem()
        )
        return None
    return probe.size
