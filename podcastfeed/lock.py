"""podcastfeed.lock: what the feed has published, and what the audio measured. Committed by users.

Per published episode: guid, file, enclosure URL, pubDate, and the probe result with what
identifies the audio it came from (local: path, size and a content fingerprint; remote: URL,
ETag, Last-Modified, length). JSON, one episode per block in a stable order, so it diffs cleanly.
The matching and protection rules are pure; only `load` and `save` touch the disk.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from podcastfeed.errors import EpisodeError, Problem, shorten
from podcastfeed.files import read_file
from podcastfeed.model import AudioInfo, Episode
from podcastfeed.values import check_date_range, with_prefix

LOCK_NAME = "podcastfeed.lock"
FORMAT = 1
#: The fingerprint reads this much from each end of a local file: cheap, survives a fresh clone.
FINGERPRINT_BYTES = 16 * 1024


@dataclass(frozen=True)
class Probe:
    """A probe result and what identifies the audio it was measured from."""

    duration: float
    size: int
    type: str
    method: str
    path: str | None = None  # local audio, relative to the show folder
    fingerprint: str | None = None
    url: str | None = None  # remote audio
    etag: str | None = None
    last_modified: str | None = None

    @property
    def info(self) -> AudioInfo:
        return AudioInfo(self.duration, self.size, self.type, self.method)


@dataclass(frozen=True)
class Entry:
    """One published episode."""

    guid: str
    file: str
    url: str
    pub_date: str  # ISO 8601 with offset
    permalink: str | None = None
    probe: Probe | None = None
    alternates: tuple[Probe, ...] = ()  # measured alternate enclosures at URLs


@dataclass
class Lock:
    entries: list[Entry] = field(default_factory=list)
    # [show] enclosure_prefix: published before each URL, but no part of any entry (issue 16)
    enclosure_prefix: str | None = None
    _by_url: dict[str, Probe] | None = field(default=None, repr=False, compare=False)
    _by_path: dict[tuple[str, int], Probe] | None = field(default=None, repr=False, compare=False)

    def probe_for_url(self, url: str) -> Probe | None:
        """The remote probe recorded for `url`."""
        if self._by_url is None:
            self._by_url = {
                probe.url: probe
                for e in reversed(self.entries)
                for probe in (e.probe, *e.alternates)
                if probe and probe.url
            }
        return self._by_url.get(url)

    def probe_for_path(self, path: str, size: int) -> Probe | None:
        """The local probe recorded for the file at `path` (relative) of `size` bytes."""
        if self._by_path is None:
            self._by_path = {
                (e.probe.path, e.probe.size): e.probe
                for e in reversed(self.entries)
                if e.probe and e.probe.path
            }
        return self._by_path.get((path, size))


def fingerprint(stream: BinaryIO, size: int) -> str:
    """A content fingerprint of a local file from its size, head and tail (not its mtime)."""
    digest = hashlib.blake2b(str(size).encode(), digest_size=16)
    digest.update(stream.read(FINGERPRINT_BYTES))
    if size > 2 * FINGERPRINT_BYTES:
        stream.seek(size - FINGERPRINT_BYTES)
    digest.update(stream.read(FINGERPRINT_BYTES))
    return "b2:" + digest.hexdigest()


_CONFLICT = "the lock holds a merge conflict"
_CONFLICT_HINT = (
    "keep both sides' entries (each is one episode) and drop the marker lines, "
    "or take one side (git checkout --theirs podcastfeed.lock) and build"
)


def load(path: Path) -> Lock:
    """Read the lock; no file is an empty lock.

    Raises: EpisodeError: the file exists but is not a lock podcastfeed can read."""
    try:
        text = read_file(path).decode("utf-8")  # (not a FIFO's endless wait)
    except FileNotFoundError:
        return Lock()
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc  # (no path again)
        raise EpisodeError(f"cannot read the lock: {why}", source=path) from exc
    try:
        data = json.loads(text)
        if data.get("podcastfeed_lock") != FORMAT:
            raise ValueError(f"unknown format {shorten(data.get('podcastfeed_lock'))}")
        entries = [_entry(item) for item in data["episodes"]]
        prefix = data.get("enclosure_prefix")
        if not isinstance(prefix, str | None):
            raise ValueError(f"enclosure_prefix is not text (got {shorten(prefix)})")
    except json.JSONDecodeError as exc:
        marker = re.search(r"^(?:<{7}|={7}|>{7})(?: |$)", text, re.MULTILINE)  # git's
        raise EpisodeError(  # (a merge of two branches that each published an episode)
            f"the lock is not valid JSON: {exc.msg}" if not marker else _CONFLICT,
            source=path,
            line=text.count("\n", 0, marker.start()) + 1 if marker else exc.lineno,
            hint=_CONFLICT_HINT if marker else "restore it from git",
        ) from exc
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise EpisodeError(
            f"the lock is damaged: {exc}", source=path, hint="restore it from git"
        ) from exc
    return Lock(entries, prefix)


def _pub_date(text: str) -> str:
    """A published date as the lock keeps it: ISO 8601 with an offset, 1970 to 2100."""
    moment = datetime.fromisoformat(text)  # ValueError: the lock is damaged
    if moment.tzinfo is None:
        raise ValueError(f"pub_date has no offset (got {text!r})")
    try:
        check_date_range(moment)
    except ValueError as exc:
        raise ValueError(f"pub_date {exc} (got {text!r})") from None
    return text


def _entry(item: dict[str, Any]) -> Entry:
    probe = item.get("audio")
    return Entry(
        guid=str(item["guid"]),
        file=str(item["file"]),
        url=str(item["url"]),
        pub_date=_pub_date(str(item["pub_date"])),
        permalink=item.get("permalink"),
        probe=Probe(**probe) if probe else None,
        alternates=tuple(Probe(**alt) for alt in item.get("alternates", ())),
    )


ABOUT = (
    "What this show's feed has published. Commit it: podcastfeed build refuses to change a "
    "published GUID, enclosure URL or date, or to drop an episode, unless --allow-changes names it."
)


def dumps(lock: Lock) -> str:
    """The lock as JSON text: newest episode first (like the feed), one key a line, the audio
    on one line. Formatted by hand because json's indent= runs its slow pure-Python encoder."""
    blocks = [_block(entry) for entry in lock.entries]
    episodes = "[\n" + ",\n".join(blocks) + "\n  ]" if blocks else "[]"
    prefix = lock.enclosure_prefix
    return (
        f'{{\n  "podcastfeed_lock": {FORMAT},\n  "about": {_json(ABOUT)},\n'
        + (f'  "enclosure_prefix": {_json(prefix)},\n' if prefix else "")
        + f'  "episodes": {episodes}\n}}\n'
    )


def _block(entry: Entry) -> str:
    """One entry's lines, as json.dumps would write its object one key a line (issue 18: by
    hand, without a dict per entry; tests/test_same_bytes_lock.py compares the two)."""
    text = (
        f'    {{\n      "guid": {_json(entry.guid)},\n      "file": {_json(entry.file)},\n'
        f'      "pub_date": {_json(entry.pub_date)},\n      "url": {_json(entry.url)}'
    )
    if entry.permalink:
        text += f',\n      "permalink": {_json(entry.permalink)}'
    if entry.probe:
        text += f',\n      "audio": {_probe_json(entry.probe)}'
    if entry.alternates:
        text += ',\n      "alternates": [' + ", ".join(map(_probe_json, entry.alternates)) + "]"
    return text + "\n    }"


_PROBE_FIELDS = tuple(f.name for f in fields(Probe))
_PROBE_KEYS = tuple((name, json.dumps(name)) for name in _PROBE_FIELDS)


def _probe_json(probe: Probe) -> str:
    """The probe's fields that are set, as _json writes an object (dataclasses.asdict
    deep-copies: 0.3 s at 10,000 episodes)."""
    found = [
        f"{key}: {_json(value)}"
        for name, key in _PROBE_KEYS
        if (value := getattr(probe, name)) is not None
    ]
    return "{" + ", ".join(found) + "}"


def _json(value: object) -> str:
    """json.dumps(value, ensure_ascii=False), without making an encoder for each of the
    lock's 100,000 values (issue 18): text, numbers, and objects and lists of them, written
    alike (tests/test_same_bytes.py compares the two)."""
    if isinstance(value, str) and type(value) is str:
        return _text(value)
    kind = type(value)
    if kind is int:
        return int.__repr__(value)
    if isinstance(value, float) and kind is float and value == value and abs(value) != _INF:
        return float.__repr__(value)
    if isinstance(value, dict) and kind is dict and all(type(key) is str for key in value):
        return "{" + ", ".join(f"{_text(key)}: {_json(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list) and kind is list:
        return "[" + ", ".join(_json(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


_text = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) writes for a str
_INF = float("inf")


# --- matching episodes to what was published -------------------------------------------------


@dataclass(frozen=True)
class Match:
    episode: Episode
    file: str  # relative to the show folder
    entry: Entry | None  # None: a new episode


def match(lock: Lock, episodes: Sequence[tuple[Episode, str]]) -> tuple[list[Match], list[Entry]]:
    """Pair each (episode, file) with its lock entry; returns the pairs and the entries left over.

    An episode is its entry by front-matter guid, else by file, else (a renamed file) by its
    enclosure URL or permalink, each entry used once. Indexed: linear in the number of episodes.
    """
    taken: set[int] = set()  # indexes into lock.entries
    found: dict[int, int] = {}  # episode index -> entry index
    entries = lock.entries
    passes: list[tuple[Callable[[Entry], str | None], Callable[[Episode, str], str | None]]] = [
        (lambda e: e.guid, lambda ep, f: ep.guid),
        (lambda e: e.file, lambda ep, f: f),
        (lambda e: e.url, lambda ep, f: ep.audio.url if ep.audio else None),
        (lambda e: e.permalink, lambda ep, f: ep.permalink),
    ]
    for entry_key, episode_key in passes:
        wanted = [
            (i, value)
            for i, (episode, file) in enumerate(episodes)
            if i not in found and (value := episode_key(episode, file)) is not None
        ]
        if not wanted:  # every episode found already (the usual case after the file pass)
            continue
        table: dict[str, list[int]] = {}
        for number, entry in enumerate(entries):
            if number not in taken and (key := entry_key(entry)) is not None:
                table.setdefault(key, []).append(number)
        for i, value in wanted:
            for number in table.get(value, ()):
                if number not in taken:
                    taken.add(number)
                    found[i] = number
                    break
    matches = [
        Match(episode, file, lock.entries[found[i]] if i in found else None)
        for i, (episode, file) in enumerate(episodes)
    ]
    removed = [entry for n, entry in enumerate(lock.entries) if n not in taken]
    return matches, removed


def unread_kept(removed: Sequence[Entry], problems: Iterable[Problem], root: Path) -> list[Entry]:
    """`removed` but the entries whose file has an error (a bad date): unread, not gone."""
    bad = {str(p.source) for p in problems if p.is_error and p.source is not None}
    bad |= {str(Path(name).relative_to(root)) for name in bad if Path(name).is_relative_to(root)}
    return [entry for entry in removed if entry.file not in bad]


def _names(*values: str | None) -> set[str]:
    names = set()
    for value in values:
        if value:
            names.add(value)
            names.add(Path(value).stem)
            names.add(Path(value).name)
    return names


def allowed(allow: Iterable[str], *names: str | None) -> bool:
    """Does `--allow-changes` name this episode (by file, file name, stem or guid)?"""
    wanted = set()
    for item in allow:
        wanted |= _names(item)
    return bool(wanted & _names(*names))


def protect(
    matches: Sequence[Match],
    removed: Sequence[Entry],
    allow: Iterable[str],
    prefix: str | None = None,
    old_prefix: str | None = None,
) -> list[Problem]:
    """What would change for a published episode: each is an error unless allowed. An
    enclosure URL as written that stays is no change whatever the analytics `prefix` ([show]
    enclosure_prefix) before it, nor is a prefix moved from the front matter to feed.toml (the
    `prefix` now turns the URL into the entry's) or back (the `old_prefix` the lock was
    written with turns the entry's URL into the one now): the feed says the same URL.

    A new file that reuses a published enclosure URL is matched to that entry (a rename), so
    reusing it for a different episode shows up as a changed guid; two current episodes with
    one URL are the build's duplicate check.
    """
    allow = list(allow)
    permitted: Callable[..., bool] = allowed if allow else lambda *_names: False
    problems: list[Problem] = []
    hint = "directories treat it as a new episode; if you mean it, run with --allow-changes {}"

    def refuse(file: str, message: str) -> None:  # (the name's Path made only then)
        name = Path(file).stem
        problems.append(EpisodeError(message, source=file, hint=hint.format(name)).to_problem())

    for m in matches:
        entry, episode = m.entry, m.episode
        if entry is None or permitted(allow, m.file, entry.file, entry.guid):
            continue
        if episode.guid is not None and episode.guid != entry.guid and entry.file != m.file:
            refuse(
                m.file,
                f"reuses the enclosure URL of {entry.file}, published as guid {entry.guid}",
            )
            continue  # a different episode: its other differences say nothing more
        if episode.guid is not None and episode.guid != entry.guid:
            refuse(
                m.file,
                f"changes its published guid from {shorten(entry.guid)} to {shorten(episode.guid)}",
            )
        url = episode.audio.url if episode.audio else ""
        if (
            url != entry.url  # (the usual case decided here: 10,000 episodes)
            and with_prefix(url, prefix) != entry.url  # the prefix moved to feed.toml
            and url != with_prefix(entry.url, old_prefix)  # or back from it
        ):
            refuse(m.file, f"changes its published enclosure URL from {entry.url} to {url}")
        if episode.date != datetime.fromisoformat(entry.pub_date):
            refuse(
                m.file,
                f"changes its published date from {entry.pub_date} to {episode.date.isoformat()}",
            )
    for entry in removed:
        if not permitted(allow, entry.file, entry.guid):
            problems.append(
                EpisodeError(
                    f"was published (guid {entry.guid}) and is gone from the feed now",
                    source=entry.file,
                    hint="directories drop it for every listener; to remove it on purpose, run "
                    f"with --allow-changes {Path(entry.file).stem}",
                ).to_problem()
            )
    return problems


def pin(matches: Sequence[Match]) -> list[Episode]:
    """Episodes with the lock's guid where the front matter sets none."""
    return [
        _with_guid(m.episode, m.entry.guid) if m.entry and m.episode.guid is None else m.episode
        for m in matches
    ]


def _with_guid(episode: Episode, guid: str) -> Episode:
    """dataclasses.replace(episode, guid=guid), a sixth of its time: copy.copy's steps by
    hand (Episode has no __post_init__ to run again, no slots and no __reduce__ of its own;
    10,000 episodes are pinned in every build)."""
    pinned = Episode.__new__(type(episode))
    state = pinned.__dict__
    state.update(episode.__dict__)
    state["guid"] = guid
    return pinned
