"""Episode files (Markdown or HTML with YAML front matter) -> Episode.

Reads one file at a time and reports every problem in it with `path:line:`; the seed's
WordPress-to-Jekyll keys work unchanged and common synonyms are accepted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit
from zoneinfo import ZoneInfo

import frontmatter
import yaml

from podcastfeed.errors import EpisodeError, Problem, quote_name, shorten
from podcastfeed.files import relative_name
from podcastfeed.model import EMPTY_EPISODE_TAGS, MIME_BY_EXTENSION, Audio, Episode, Show
from podcastfeed.source.cleanup import first_paragraph, repair_episode
from podcastfeed.source.config import BuildSettings
from podcastfeed.source.episode_tags import SIBLING_SUFFIXES, read_episode_tags, read_number
from podcastfeed.source.fields import (
    ALIASES,
    FieldReader,
    LimitedLoader,
    YAMLLimitError,
    yaml_error_line,
)
from podcastfeed.source.localref import find_local, url_path
from podcastfeed.source.shownotes import make_description, render_notes
from podcastfeed.source.tables import clean_text
from podcastfeed.values import (
    LINK_SCHEMES,
    parse_bool,
    parse_date,
    parse_duration,
    parse_link,
    parse_positive_int,
    url_scheme,
)

PUBLISHED_STATUSES = frozenset({"publish", "published"})
UNPUBLISHED_STATUSES = frozenset({"draft", "future", "pending", "private", "trash", "scheduled"})
EPISODE_TYPES = ("full", "trailer", "bonus")
_YAML = frontmatter.default_handlers.YAMLHandler()
_DATED_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-")


def split_front_matter(text: str) -> tuple[str, str] | None:
    """(front matter, body) of a file that opens with `---`, else None."""
    if not text.startswith("---"):
        return None
    first_newline = text.find("\n")
    if first_newline == -1 or text[:first_newline].strip() != "---":
        return None
    end = re.search(r"^(?:---|\.\.\.)[ \t]*\r?$", text[first_newline + 1 :], re.MULTILINE)
    if end is None:
        return None
    fm = text[first_newline + 1 : first_newline + 1 + end.start()]
    body = text[first_newline + 1 + end.end() :].lstrip("\r\n")
    return fm, body


def read_episode(
    path: Path,
    show: Show,
    settings: BuildSettings,
    siblings: tuple[str, ...] | None = None,
) -> tuple[Episode | None, list[Problem]]:
    """Read one episode file; returns the Episode (None when it has errors) and its problems.
    `siblings`: its transcript/chapters files, as find_episodes_and_siblings lists them; None
    looks for them."""
    display = relative_name(path, settings.root)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [EpisodeError(f"cannot read: {exc.strerror}", source=display).to_problem()]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
        message = f"not UTF-8 text (byte {exc.start} is {data[exc.start : exc.start + 1]!r})"
        return None, [
            EpisodeError(
                message, source=display, line=bad_line, hint="save the file as UTF-8"
            ).to_problem()
        ]
    text = text.replace("\r\n", "\n")
    parts = split_front_matter(text)
    if parts is None:
        return None, [
            EpisodeError(
                "no YAML front matter",
                source=display,
                line=1,
                hint="start the file with a --- line, the keys, and another ---",
            ).to_problem()
        ]
    fm_text, body = parts
    try:
        meta = _YAML.load(fm_text, Loader=LimitedLoader) if fm_text.strip() else {}
    except YAMLLimitError as exc:  # alias bomb or deep nesting: refused unbuilt (issue 12)
        return None, [
            EpisodeError(
                f"front matter refused: {exc.problem}",
                source=display,
                line=yaml_error_line(exc, fm_text),
                hint="write the value out instead of through aliases (docs/limits.md)",
            ).to_problem()
        ]
    except yaml.YAMLError as exc:
        line = yaml_error_line(exc, fm_text)
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, [
            EpisodeError(
                f"front matter is not valid YAML: {reason}", source=display, line=line
            ).to_problem()
        ]
    except (ValueError, TypeError) as exc:  # e.g. a YAML date out of range
        return None, [
            EpisodeError(
                f"front matter is not valid YAML: {exc}", source=display, line=None
            ).to_problem()
        ]
    if not isinstance(meta, dict):
        return None, [
            EpisodeError(
                "front matter must be a mapping of key: value", source=display, line=2
            ).to_problem()
        ]
    meta = {str(key): value for key, value in meta.items()}
    repaired: list[tuple[str | None, str]] = []
    if settings.fix_text:  # issue 14: "Lucaâ€™s" -> "Luca’s", noted per file
        meta, body, repaired = repair_episode(meta, body)
    f = FieldReader(path, display, fm_text, meta, settings.fields, [])
    for key, change in repaired:
        where = f"'{key}'" if key else "the show notes"
        message = f"repaired garbled text (UTF-8 read as Windows-1252) in {where}: {change}"
        f.problems.append(Problem("note", message, source=display, line=f.line(key)))
    if siblings is None:
        siblings = tuple(
            path.stem + suffix
            for suffix in SIBLING_SUFFIXES
            if path.with_name(path.stem + suffix).is_file()
        )
    episode = _episode(f, body, show, settings, siblings)
    if any(p.is_error for p in f.problems):
        return None, f.problems
    return episode, f.problems


def _episode(
    f: FieldReader, body: str, show: Show, settings: BuildSettings, siblings: tuple[str, ...]
) -> Episode | None:
    zone = ZoneInfo(show.timezone)
    title = f.text("title")
    if title is None:
        f.problem(None, "'title' is required", hint="add title: … to the front matter")

    is_published = True
    status = f.text("status")
    if status is not None:
        status = status.lower()
        if status in UNPUBLISHED_STATUSES:
            is_published = False
        elif status not in PUBLISHED_STATUSES:
            f.problem(
                "status",
                f"must be publish or one of {', '.join(sorted(UNPUBLISHED_STATUSES))} "
                f"(got {shorten(status)})",
            )
    if f.parsed("draft", parse_bool):
        is_published = False

    date = f.parsed("date", lambda value: parse_date(value, zone))
    if date is None and f.raw("date") is None:
        dated = _DATED_NAME.match(f.path.name)
        if dated:  # Jekyll's convention: the date is in the file name
            try:
                date = parse_date(dated.group(1), zone)
            except ValueError as exc:
                f.problem(None, f"the date in the file name {exc} (got {dated.group(1)!r})")
        else:
            f.problem(
                None,
                "'date' is required",
                hint="add date: 2024-03-12 (or name the file 2024-03-12-slug.md)",
            )

    # http(s), or relative to the show's link (the seed's `/2023/03/slug/`): never javascript:
    permalink = f.parsed("permalink", lambda value: parse_link(_text(value), relative=True))
    page = _page_url(show.link, permalink)
    summary = f.text("summary")
    is_html = f.path.suffix.lower() in (".html", ".htm")
    warnings: list[str] = []
    notes = render_notes(
        body,
        base_url=page or show.link,
        is_html=is_html,
        warnings=warnings,
        clean=settings.clean_notes,
    )
    if summary is None and settings.clean_notes:  # the first real paragraph, not the cruft
        summary = first_paragraph(notes)
    for warning in warnings:  # issue 12: nesting so deep the sanitizer would take minutes
        f.problem(None, f"the show notes {warning}", level="warning")

    image = f.parsed("image", lambda value: parse_link(_text(value), relative=True))
    if image is not None:
        image = _absolute(image, page or show.link)

    audio = _audio(f, show, settings, needs_audio=is_published)
    episode_type = f.text("episode_type")
    if episode_type is not None and episode_type.lower() not in EPISODE_TYPES:
        f.problem(
            "episode_type",
            f"must be one of {', '.join(EPISODE_TYPES)} (got {shorten(episode_type)})",
        )
        episode_type = None
    number, podcast_episode = read_number(f)
    if show.type == "serial" and is_published and number is None and episode_type in (None, "full"):
        f.problem(
            "episode" if f.raw("episode") is not None else None,
            "'episode' must be a whole number: the show is serial, so Apple needs "
            f"itunes:episode on every full episode (got {shorten(f.raw('episode'))})",
            hint="add episode: 1 (or episode_type: bonus / trailer)",
        )
    duration = f.parsed("duration", parse_duration)
    try:
        slug = f.path.relative_to(settings.episodes_dir).with_suffix("").as_posix()
    except ValueError:  # a file read on its own (podcastfeed new, tests)
        slug = f.path.stem
    tags = read_episode_tags(f, show, settings, slug=slug, duration=duration, siblings=siblings)
    if podcast_episode is not None and podcast_episode != str(number):
        tags = replace(tags, podcast_episode=podcast_episode)
    season = f.parsed("season", parse_positive_int)
    for name, needs in (("season_name", "season"), ("episode_display", "episode")):
        if tags is not EMPTY_EPISODE_TAGS and f.raw(name) is not None and f.raw(needs) is None:
            f.problem(name, f"needs '{needs}' to name (got no {needs})")
    mime_type = f.text("mime_type")
    if audio is not None and audio.is_remote and is_published:
        _check_remote_audio(f, audio, mime_type)

    if title is None or date is None or (audio is None and is_published):
        return None
    return Episode(
        source=f.path,
        title=title,
        date=date,
        audio=audio,
        notes=notes.encode("utf-8"),
        description=make_description(notes, summary=summary),
        is_published=is_published,
        guid=f.text("guid"),
        guid_is_permalink=_guid_is_link(f),
        permalink=permalink,
        link=page,
        author=f.text("author"),
        image=image,
        keywords=_keywords(f),
        season=season,
        number=number,
        episode_type=episode_type.lower() if episode_type else None,
        is_explicit=f.parsed("explicit", parse_bool),
        duration=duration,
        length=f.parsed("length", parse_positive_int),
        mime_type=mime_type,
        tags=tags,
        slug=slug,
    )


def _guid_is_link(f: FieldReader) -> bool:
    """`guid_is_permalink: true` makes readers follow the guid: it must be a link then."""
    is_link = bool(f.parsed("guid_is_permalink", parse_bool))
    guid = f.text("guid")
    if is_link and guid is not None:
        try:
            parse_link(guid)
        except ValueError:
            f.problem(
                "guid", f"must be an http(s) URL, as guid_is_permalink is true (got {guid!r})"
            )
            return False
    return is_link


def _text(value: object) -> str:
    """A scalar front-matter value as text (a list or table is no link)."""
    if isinstance(value, list | dict):
        raise ValueError(f"must be text (got {type(value).__name__})")
    return clean_text(str(value))


def _page_url(site: str, permalink: str | None) -> str | None:
    if not permalink:
        return None
    base = site if site.endswith("/") else site + "/"
    return _absolute(permalink, base)


def _absolute(ref: str, base: str) -> str:
    ref = ref.strip()
    if ref.startswith("//"):
        return "https:" + ref
    return urljoin(base, quote(ref, safe="/:?#[]@!$&'()*+,;=%~"))


def _keywords(f: FieldReader) -> tuple[str, ...]:
    found: list[str] = []
    for key in ALIASES["keywords"]:
        value = f.meta.get(key)
        items: Iterable[Any] = (
            value.split(",") if isinstance(value, str) else value if isinstance(value, list) else ()
        )
        for item in items:
            if isinstance(item, str | int | float) and not isinstance(item, bool):
                word = clean_text(str(item))
                if word and word not in found:
                    found.append(word)
    return tuple(found)


def _audio(
    f: FieldReader, show: Show, settings: BuildSettings, *, needs_audio: bool
) -> Audio | None:
    ref = f.text("audio")
    if ref is None:
        if needs_audio:
            f.problem(
                None,
                "no audio: set 'audio' to a file next to the episode or a URL",
                hint="keys read: " + ", ".join(ALIASES["audio"]),
            )
        return None
    scheme = url_scheme(ref)
    if scheme in LINK_SCHEMES:
        return Audio(ref=ref, url=ref)
    if scheme:  # javascript:, file: … (issue 12)
        f.problem("audio", f"must be an http(s) URL or a local path (got {shorten(ref)})")
        return None
    try:
        local = find_local(ref, (f.path.parent, settings.root), settings.source_folders)
    except ValueError as exc:
        message, missing = str(exc), str(exc).startswith("file not found")
        if missing:
            where = relative_name(f.path.parent, settings.root)
            message += f" (looked in {quote_name(where)} and the show folder)"
        f.problem("audio", message, probe=missing)
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
    return Audio(ref=ref, url=url, path=local)


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # e.g. a name too long for the file system (issue 12)
        return False


def _check_remote_audio(f: FieldReader, audio: Audio, mime_type: str | None) -> None:
    """A URL episode whose front matter states duration and length is not fetched, so its type
    must come from the front matter or the URL's extension."""
    stated = f.raw("duration") is not None and f.raw("length") is not None
    suffix = Path(urlsplit(audio.url).path).suffix.lower()
    if stated and mime_type is None and suffix not in MIME_BY_EXTENSION:
        f.problem(
            "audio",
            f"has no known audio extension (got {shorten(suffix or 'none')}) and is not fetched, "
            "since duration and length are set",
            hint="set mime_type: audio/mpeg (or the right type)",
        )
