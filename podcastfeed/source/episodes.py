"""Episode files (Markdown or HTML with YAML front matter, or Hugo's TOML) -> Episode.

Reads one file at a time and reports every problem in it with `path:line:`; the seed's
WordPress-to-Jekyll keys work unchanged, and so do the shapes of issue 14 (audiofields.py,
wordpress.py) and common synonyms.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from podcastfeed.errors import EpisodeError, Problem, shorten
from podcastfeed.files import relative_name
from podcastfeed.model import EMPTY_EPISODE_TAGS, Episode, Show, pack_notes
from podcastfeed.source.aliases import unread_aliases
from podcastfeed.source.audiofields import TemplateValues, check_remote_audio, read_audio
from podcastfeed.source.cleanup import first_paragraph, notes_lines, repair_episode
from podcastfeed.source.config import BuildSettings
from podcastfeed.source.episode_tags import SIBLING_SUFFIXES, read_episode_tags, read_number
from podcastfeed.source.fields import FieldReader
from podcastfeed.source.fromnotes import from_notes
from podcastfeed.source.frontparts import load_toml, split_front_matter
from podcastfeed.source.guids import guid_is_link, read_guid
from podcastfeed.source.keywords import read_keywords
from podcastfeed.source.localart import EpisodeImage, episode_image, image_ref
from podcastfeed.source.podcaster import read_episode_object
from podcastfeed.source.shownotes import make_description, render_notes
from podcastfeed.source.tables import clean_ref, clean_text
from podcastfeed.source.templating import expand_templates
from podcastfeed.source.typos import fold_key_case, key_typos
from podcastfeed.source.yamlhints import unclosed_hint, yaml_hint
from podcastfeed.source.yamlload import YAMLLimitError, bad_value_line, load_yaml, yaml_error_line
from podcastfeed.values import (
    is_date_only,
    parse_bool,
    parse_date,
    parse_duration,
    parse_link,
    parse_positive_int,
    parse_time_of_day,
    resolve_link,
)

PUBLISHED_STATUSES = frozenset({"publish", "published"})
UNPUBLISHED_STATUSES = frozenset({"draft", "future", "pending", "private", "trash", "scheduled"})
EPISODE_TYPES = ("full", "trailer", "bonus")
_DATED_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-")


def read_episode(
    path: Path,
    show: Show,
    settings: BuildSettings,
    siblings: tuple[str, ...] | None = None,
    data: bytes | None = None,
) -> tuple[Episode | None, list[Problem]]:
    """Read one episode file; returns the Episode (None when it has errors) and its problems.
    `siblings`: its transcript/chapters files, as find_episodes_and_siblings lists them; None
    looks for them. `data`: the file's bytes, when already read."""
    display = relative_name(path, settings.root)
    try:
        data = path.read_bytes() if data is None else data
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
                hint=unclosed_hint(text),
            ).to_problem()
        ]
    fm_text, body, is_toml = parts
    if is_toml:  # Hugo's +++ front matter
        meta, problem = load_toml(fm_text, display)
        if problem is not None:
            return None, [problem]
    else:
        meta, problems = _load_yaml(fm_text, display)
        if problems:
            return None, problems
    meta = {str(key): value for key, value in (meta or {}).items()}
    repaired: list[tuple[str | None, str]] = []
    written = body
    if settings.fix_text:  # issue 14: "Lucaâ€™s" -> "Luca’s", noted per file
        meta, body, repaired = repair_episode(meta, body)
    spelt: dict[str, str] = {}
    if is_toml:  # Hugo's `Date =` is `date =` (a Jekyll site's `Status:` stays its own key)
        meta, spelt = fold_key_case(meta, settings.fields)
    meta, fields, nested = read_episode_object(meta, settings.fields)  # Eleventy's `episode:`
    f = FieldReader(path, display, fm_text, meta, fields, [], is_toml=is_toml)
    f.spelt, f.nested = spelt, nested
    f.problems += key_typos(meta, fields, display, f.line)
    for key, change in repaired:
        lines = [] if key else notes_lines(text, written, body)  # issue 15: the notes' lines
        where = f"'{key}'" if key else "the show notes"
        where += f" ({len(lines)} lines, the first here)" if len(lines) > 1 else ""
        message = f"repaired garbled text (UTF-8 read as Windows-1252) in {where}: {change}"
        line = f.line(key) if key else next(iter(lines), None)
        f.problems.append(Problem("note", message, source=display, line=line))
    if siblings is None:
        siblings = tuple(
            path.stem + suffix
            for suffix in SIBLING_SUFFIXES
            if path.with_name(path.stem + suffix).is_file()
        )
    first_line = text.count("\n", 0, len(text) - len(written)) + 1  # where the body starts
    episode = _episode(f, body, show, settings, siblings, first_line)
    unread_aliases(f)  # after _episode: `url:` may be the audio, not the page
    if any(p.is_error for p in f.problems):
        return None, f.problems
    return episode, f.problems


def _load_yaml(fm_text: str, display: str) -> tuple[dict[Any, Any] | None, list[Problem]]:
    """YAML front matter as a mapping, or the problems that stop reading it."""
    try:
        meta = load_yaml(fm_text) if fm_text.strip() else {}
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
        hint = yaml_hint(reason, fm_text, line)
        return None, [
            EpisodeError(
                f"front matter is not valid YAML: {reason}", source=display, line=line, hint=hint
            ).to_problem()
        ]
    except (ValueError, TypeError) as exc:  # e.g. a YAML date out of range
        return None, [
            EpisodeError(
                f"front matter is not valid YAML: {exc}",
                source=display,
                line=bad_value_line(fm_text),
            ).to_problem()
        ]
    if not isinstance(meta, dict):
        return None, [
            EpisodeError(
                "front matter must be a mapping of key: value", source=display, line=2
            ).to_problem()
        ]
    return meta, []


def _episode(
    f: FieldReader,
    body: str,
    show: Show,
    settings: BuildSettings,
    siblings: tuple[str, ...],
    first_line: int,
) -> Episode | None:
    zone = ZoneInfo(show.timezone)
    title = f.text("title")
    if title is None and not isinstance(f.raw("title"), list | dict):  # (said so by f.text)
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
        if status in PUBLISHED_STATUSES:  # two keys that disagree: the safe one wins, aloud
            f.problem(
                "draft",
                "is true while 'status' says publish: left out as a draft",
                hint="delete one of the two keys",
                level="warning",
            )
        is_published = False
    if isinstance(f.meta.get("published"), bool):  # Jekyll's `published: false`, not a date
        f.taken.add("published")
        is_published = is_published and f.meta["published"]

    date = _read_date(f, zone)
    expires = f.parsed("expiry_date", lambda value: parse_date(value, zone))
    number, podcast_episode = read_number(f)
    season = _read_season(f)
    try:
        slug = f.path.relative_to(settings.episodes_dir).with_suffix("").as_posix()
    except ValueError:  # a file read on its own (podcastfeed new, tests)
        slug = f.path.stem
    # before the permalink: `url:` holding the MP3 is the audio, not the page (issue 14)
    values = TemplateValues(number, season, slug, date)
    found = read_audio(f, show, settings, values, needs_audio=is_published)
    audio = found.audio

    # http(s), or relative to the show's link (the seed's `/2023/03/slug/`): never javascript:
    permalink = f.parsed("permalink", lambda value: parse_link(_text(value), relative=True))
    page = _page_url(show.link, permalink)
    summary = f.text("summary")
    is_html = f.path.suffix.lower() in (".html", ".htm")
    warnings: list[str] = []
    notes = render_notes(
        body if is_html else expand_templates(body, f.meta),  # Hugo's shortcodes, Liquid
        base_url=page or show.link,
        is_html=is_html,
        warnings=warnings,
        clean=settings.clean_notes,
    )
    for warning in warnings:  # issue 12: nesting so deep the sanitizer would take minutes
        f.problem(None, f"the show notes {warning}", level="warning")

    image = EpisodeImage(None)
    written = f.parsed(
        "image", lambda value: parse_link(_text(image_ref(value), clean_ref), relative=True)
    )
    try:  # source_folders resolves paths: only asked for when there is an image
        folders = settings.source_folders if written else ()
        # castanet publishes `episode_image` with Hugo's absURL: from the site's root, not
        # from the episode's page (alexmurray/ubuntu-security-podcast: img/usp_logo_500.png)
        site_root = f.key_for("image") == "episode_image"
        base = show.link if site_root else page or show.link
        image = episode_image(written, f.path, base, show, folders)
    except ValueError as exc:
        f.problem("image", str(exc))

    episode_type = f.text("episode_type")
    if episode_type is not None and episode_type.lower() not in EPISODE_TYPES:
        f.problem(
            "episode_type",
            f"must be one of {', '.join(EPISODE_TYPES)} (got {shorten(episode_type)})",
        )
        episode_type = None
    if show.type == "serial" and is_published and number is None and episode_type in (None, "full"):
        f.problem(
            "episode" if f.raw("episode") is not None else None,
            "'episode' must be a whole number: the show is serial, so Apple needs "
            f"itunes:episode on every full episode (got {shorten(f.raw('episode'))})",
            hint="add episode: 1 (or episode_type: bonus / trailer)",
        )
    duration = f.parsed("duration", parse_duration)
    if duration is None:
        duration = found.duration
    length = f.parsed("length", parse_positive_int) or found.length
    tags = read_episode_tags(
        f,
        show,
        settings,
        slug=slug,
        duration=duration,
        siblings=siblings,
        other_formats=found.alternates,
    )
    if podcast_episode is not None and podcast_episode != str(number):
        tags = replace(tags, podcast_episode=podcast_episode)
    for name, needs in (("season_name", "season"), ("episode_display", "episode")):
        if tags is not EMPTY_EPISODE_TAGS and f.raw(name) is not None and f.raw(needs) is None:
            f.problem(name, f"needs '{needs}' to name (got no {needs})")
    notes, tags = from_notes(  # a transcript section, timestamped topics (issue 16)
        f,
        notes,
        tags,
        settings.notes,
        feed_url=show.feed_url,
        slug=slug,
        body=body,
        first_line=first_line,
    )
    if summary is None and settings.clean_notes:  # the first real paragraph, not the cruft
        summary = first_paragraph(notes)
    mime_type = f.text("mime_type") or found.mime_type
    if audio is not None and audio.path is None and is_published:
        stated = duration is not None and length is not None
        check_remote_audio(f, audio, mime_type, is_stated=stated)

    guid = read_guid(f)
    if title is None or date is None or (audio is None and is_published):
        return None
    return Episode(
        source=f.path,
        title=title,
        date=date,
        audio=audio,
        notes=pack_notes(notes),
        description=make_description(notes, summary=summary),
        is_published=is_published,
        guid=guid,
        guid_is_permalink=guid_is_link(f, guid, page),
        permalink=permalink,
        link=page,
        author=f.text("author"),
        image=image.url,
        image_file=image.file,
        image_ref=image.ref,
        keywords=read_keywords(f),
        season=season,
        number=number,
        episode_type=episode_type.lower() if episode_type else None,
        is_explicit=f.parsed("explicit", parse_bool),
        duration=duration,
        length=length,
        mime_type=mime_type,
        tags=tags,
        slug=slug,
        expires=expires,
    )


def _read_date(f: FieldReader, zone: ZoneInfo) -> datetime | None:
    """`date` (ISO 8601, RFC 2822, epoch seconds or milliseconds), else Jekyll's file name
    `YYYY-MM-DD-slug.md`; `post_time: "14:30"` gives the time of a date without one."""
    date: datetime | None = f.parsed("date", lambda value: parse_date(value, zone))
    written = f.raw("date")
    if date is None and written is None:
        dated = _DATED_NAME.match(f.path.name)
        if not dated:
            f.problem(
                None,
                "'date' is required",
                hint="add date: 2024-03-12 (or name the file 2024-03-12-slug.md)",
            )
            return None
        try:  # Jekyll's convention: the date is in the file name
            date = parse_date(dated.group(1), zone)
        except ValueError as exc:
            f.problem(None, f"the date in the file name {exc} (got {dated.group(1)!r})")
            return None
    is_day = written is None or is_date_only(written)
    when = f.parsed("post_time", parse_time_of_day)
    if date is not None and when is not None and is_day:
        date = datetime.combine(date.date(), when, date.tzinfo)
    return date


def _read_season(f: FieldReader) -> int | None:
    """`season`, or `series` when it is a number (some sites name their series in words)."""
    if f.key_for("season") == "series":
        try:
            return parse_positive_int(f.raw("season"))
        except ValueError:
            return None
    season: int | None = f.parsed("season", parse_positive_int)
    return season


def _text(value: object, clean: Callable[[str], str] = clean_text) -> str:
    """A scalar front-matter value as text (a list or table is no link)."""
    if not isinstance(value, str | int | float | date):  # a list, a table, !!binary, !!set
        kinds: dict[type, str] = {dict: "a table", list: "a list"}
        kind = kinds.get(type(value), type(value).__name__)
        raise ValueError(f"must be text, not {kind}")  # (f.parsed adds what it got)
    return clean(str(value))


def _page_url(site: str, permalink: str | None) -> str | None:
    if not permalink:
        return None
    base = site if site.endswith("/") else site + "/"
    return resolve_link(permalink, base)
