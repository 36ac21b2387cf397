"""Where an episode's audio is, in the shapes sites write it (issue 14): an audio key holding a
path or URL; PowerPress' `enclosure:` list (`"URL\\nLENGTH\\nTYPE\\nMETA"`); a mapping of formats
(octopod's `audio: {mp3: …, m4a: …}`); `url:`/`link:` holding an audio URL; a second format
under its own key (`ogg:`); or no key at all and `[show] audio_url`'s template. Pure apart from
checking that a local file exists.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote, urlsplit

from podcastfeed.errors import EpisodeError, quote_name, shorten
from podcastfeed.files import relative_name
from podcastfeed.model import MIME_BY_EXTENSION, Audio, Show
from podcastfeed.source.config import BuildSettings
from podcastfeed.source.fields import ALIASES, FieldReader
from podcastfeed.source.localref import find_written, url_path
from podcastfeed.source.tables import clean_ref
from podcastfeed.source.wordpress import read_powerpress
from podcastfeed.values import LINK_SCHEMES, parse_link, url_scheme

#: Hosts whose URLs are audio even without an audio extension: podcast hosts and the
#: analytics prefixes in front of them.
AUDIO_HOSTS = frozenset(
    {
        "traffic.libsyn.com",
        "traffic.megaphone.fm",
        "dcs.megaphone.fm",
        "dts.podtrac.com",
        "www.podtrac.com",
        "media.blubrry.com",
        "chrt.fm",
        "pdst.fm",
        "pscrb.fm",
        "op3.dev",
        "audio.buzzsprout.com",
        "anchor.fm",  # only its /s/…/podcast/play/ URLs, see is_audio_url
    }
)


def is_audio_url(value: object) -> bool:
    """An http(s) URL whose path ends in an audio or video extension, or on an audio host;
    such a URL under `url:` or `link:` is the enclosure, not the episode's page."""
    if not isinstance(value, str) or url_scheme(value) not in LINK_SCHEMES:
        return False
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    if PurePosixPath(parts.path).suffix.lower() in MIME_BY_EXTENSION:
        return True
    host = (parts.hostname or "").lower()
    if host == "anchor.fm":
        return "/podcast/play/" in parts.path
    return host in AUDIO_HOSTS


@dataclass(frozen=True)
class FoundAudio:
    """The episode's audio, what its key stated about it, and its other formats."""

    audio: Audio | None
    length: int | None = None  # stated by PowerPress
    mime_type: str | None = None
    duration: int | None = None
    alternates: tuple[str, ...] = ()  # other formats' refs, for alternate enclosures


@dataclass(frozen=True)
class TemplateValues:
    """What `[show] audio_url`'s template may use (docs/configuration.md)."""

    episode: int | None
    season: int | None
    slug: str
    date: datetime | None


def read_audio(
    f: FieldReader,
    show: Show,
    settings: BuildSettings,
    values: TemplateValues,
    *,
    needs_audio: bool,
) -> FoundAudio:
    """The audio of one episode; problems go to f.problems."""
    found = _written(f)
    if found is None:
        return FoundAudio(None)
    ref, stated = found
    if ref is None and show.audio_url is not None:
        ref = _from_template(f, show.audio_url, values)
        if ref is None:
            return FoundAudio(None)
    if ref is None:
        if needs_audio:
            _no_audio(f)
        return FoundAudio(None)
    audio = _resolve(f, show, settings, ref)
    return FoundAudio(audio, *stated) if audio is not None else FoundAudio(None)


def _no_audio(f: FieldReader) -> None:
    """The error of an episode without audio; when a key podcastfeed does not read holds an
    audio URL or file (`podcast_link:`, `audio_url:`, `podcast:` of sites built on
    joebuhlig/Jekyll-Podcast-Feed, gliush/devzen, Kubecast/kubecast-hugo), it is named at its
    line with the [fields] line that reads it."""
    known = {key for keys in ALIASES.values() for key in keys} | set(f.fields.values())
    for key, value in f.meta.items():
        if key in known or not isinstance(value, str) or not _looks_like_audio(value):
            continue
        f.problems.append(
            EpisodeError(
                f"no audio: '{quote_name(key)}' looks like the audio, but podcastfeed does not "
                f"read that key (got {shorten(value)})",
                source=f.display,
                line=f.line(key),
                hint=f'if it is, say so in feed.toml: [fields] audio = "{key}"',
            ).to_problem()
        )
        return
    keys = ALIASES["audio"] + ALIASES["other_formats"]
    f.problem(
        None,
        "no audio: set 'audio' to a file next to the episode or a URL",
        hint="keys read: " + ", ".join(keys) + ' (or set [show] audio_url = "…")',
    )


def _looks_like_audio(value: str) -> bool:
    """An audio URL, or a path or URL whose name ends in an audio or video extension."""
    if is_audio_url(value):
        return True
    try:
        path = urlsplit(value.strip()).path
    except ValueError:
        return False
    return PurePosixPath(path).suffix.lower() in MIME_BY_EXTENSION


Stated = tuple[int | None, str | None, int | None, tuple[str, ...]]


def _written(f: FieldReader) -> tuple[str | None, Stated] | None:
    """(the main audio ref, (length, type, duration, other formats)); None after a problem."""
    others = [
        clean_ref(written)
        for name in (f.fields.get("other_formats"), *ALIASES["other_formats"])
        if name and isinstance(written := f.meta.get(name), str) and clean_ref(written)
    ]
    key = f.key_for("audio")
    value: Any = f.meta[key] if key is not None else None
    if key is None:  # `url:` or `link:` holding the MP3 is the audio, not the page
        for name in (f.fields.get("permalink"), *ALIASES["permalink"]):
            if name and is_audio_url(f.meta.get(name)):
                f.taken.add(name)
                key, value = name, f.meta[name]
                break
    if isinstance(value, dict):  # octopod: {mp3: URL, m4a: URL}, the first one the enclosure
        refs = [v for v in value.values() if v not in (None, "")]
        if not refs or not all(isinstance(v, str) for v in refs):
            f.problem("audio", f"must map formats to URLs or paths (got {shorten(value)})")
            return None
        value, others = refs[0], [*map(clean_ref, refs[1:]), *others]
    if isinstance(value, list):  # WordPress exports: a list of PowerPress enclosures
        items = [item for item in value if item not in (None, "")]
        if not items or not all(isinstance(item, str) for item in items):
            f.problem("audio", f"must be a URL, a path or a list of them (got {shorten(value)})")
            return None
        value = items[0]
        others += [item.strip().splitlines()[0] for item in items[1:]]
    if isinstance(value, str) and "\n" in value.strip():
        try:
            power = read_powerpress(value)
        except ValueError as exc:
            f.problem("audio", f"(a PowerPress enclosure) {exc}")
            return None
        return power.url, (power.length, power.mime_type, power.duration, tuple(others))
    ref = None if value is None else clean_ref(str(value)) or None
    if ref is None and others:  # only a second format's key: it is the audio
        ref, others = others[0], others[1:]
    return ref, (None, None, None, tuple(others))


def _from_template(f: FieldReader, template: str, values: TemplateValues) -> str | None:
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    given = {n: getattr(values, n) for n in ("episode", "season", "slug", "date")}
    missing = sorted(name for name in names if given.get(name) is None)
    if missing:
        f.problem(
            None,
            f"no audio key, and [show] audio_url needs {', '.join(map(repr, missing))} "
            f"(got none in the front matter)",
            hint="set " + " and ".join(f"{name}: …" for name in missing) + " or audio: …",
        )
        return None
    try:
        return template.format(**given)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        f.problem(None, f"[show] audio_url {shorten(template)} cannot be filled in: {exc}")
        return None


def _resolve(f: FieldReader, show: Show, settings: BuildSettings, ref: str) -> Audio | None:
    scheme = url_scheme(ref)
    line = line_of(f, f.key_for("audio"))
    if scheme in LINK_SCHEMES:
        try:  # the one URL rule (values.py), as every other link: `https:///a.mp3` has no host
            return Audio(ref=ref, url=parse_link(ref), line=line)
        except ValueError:
            f.problem("audio", f"must be an http(s) URL with a host (got {shorten(ref)})")
            return None
    if scheme:  # javascript:, file: … (issue 12)
        f.problem("audio", f"must be an http(s) URL or a local path (got {shorten(ref)})")
        return None
    try:
        ref, local = find_written(ref, (f.path.parent, settings.root), settings.source_folders)
    except ValueError as exc:
        message, missing = str(exc), str(exc).startswith("file not found")
        hint = None
        if missing:
            where = relative_name(f.path.parent, settings.root)
            message += f" (looked in {quote_name(where)} and the show folder)"
        if missing and ref.startswith("/"):  # a site's root-relative path (/assets/ep1.mp3)
            inside = ref.lstrip("/")
            hint = "a path starting with / is absolute: write it from the episode file's folder"
            hint += f" or the show's ({inside})" if (settings.root / inside).is_file() else ""
        f.problem("audio", message, probe=missing, hint=hint)
        return None
    if show.audio_base_url is None:
        f.problem(
            "audio",
            "is a local file, but feed.toml sets no [show] audio_base_url",
            hint='add audio_base_url = "https://…/", where the audio files are published',
        )
        return None
    written = url_path(ref, local, settings.source_folders)
    url = show.audio_base_url + quote(written, safe="/")
    return Audio(ref=ref, url=url, path=local, line=line)


def check_remote_audio(
    f: FieldReader, audio: Audio, mime_type: str | None, *, is_stated: bool
) -> None:
    """A URL episode whose front matter states duration and length is not fetched, so its type
    must come from the front matter or the URL's extension."""
    suffix = PurePosixPath(urlsplit(audio.url).path).suffix.lower()
    if is_stated and mime_type is None and suffix not in MIME_BY_EXTENSION:
        f.problem(
            "audio",
            f"has no known audio extension (got {shorten(suffix or 'none')}) and is not fetched, "
            "since duration and length are set",
            hint="set mime_type: audio/mpeg (or the right type)",
        )


def line_of(f: FieldReader, key: str | None) -> int | None:
    """The line of the top-level `key` (for a probe's error, later): a search of the text, as
    the YAML is not composed again for every episode (FieldReader.line, for errors now)."""
    if key is None:
        return None
    found = re.search(rf"^([\"']?){re.escape(key)}\1[ \t]*[:=]", f.front_matter, re.MULTILINE)
    return None if found is None else f.front_matter.count("\n", 0, found.start()) + 2
