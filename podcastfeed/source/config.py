"""feed.toml -> Show and build settings. Every key is validated; all problems are reported at once.

Unknown keys are warnings (a typo should not silently do nothing); missing or invalid keys are
errors naming the key, the file and the line.
"""

from __future__ import annotations

import re
import tomllib
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from podcastfeed.errors import BuildFailed, ConfigError, Problem, shorten
from podcastfeed.files import NotAFile, missing_config_hint, read_file
from podcastfeed.model import Category, Owner, Show
from podcastfeed.source import CONFIG_NAME as CONFIG_NAME  # re-exported
from podcastfeed.source.buildtable import BUILD_KEYS as BUILD_KEYS  # re-exported
from podcastfeed.source.buildtable import BuildSettings as BuildSettings  # re-exported
from podcastfeed.source.buildtable import read_build
from podcastfeed.source.categories import CATEGORIES_HINT, parse_category
from podcastfeed.source.localart import publish_show_image, read_show_image
from podcastfeed.source.show_tags import TAG_KEYS, read_show_tags
from podcastfeed.source.shownotes import strip_control_chars
from podcastfeed.source.tables import TableReader, clean_text, key_line, unknown_key_hint
from podcastfeed.values import EMAIL, LANGUAGE, parse_date, parse_url_template

#: The optional tags' front-matter fields (issue 4), read by episode_tags.
TAG_FIELDS = (
    *("itunes_title", "itunes_author", "block", "season_name", "episode_display", "transcript"),
    *("chapters", "persons", "persons_replace", "soundbites", "location", "license", "images"),
    *("alternate_enclosures", "value"),
)

#: Canonical front-matter fields a `[fields]` table may map to a site's own key names.
MAPPABLE_FIELDS = (
    "title",
    "date",
    "status",
    "draft",
    "permalink",
    "author",
    "summary",
    "image",
    "keywords",
    "audio",
    "guid",
    "season",
    "episode",
    "episode_type",
    "explicit",
    "duration",
    "length",
    "mime_type",
    "post_time",
    "expiry_date",
    "other_formats",
    *TAG_FIELDS,
)

SHOW_KEYS = {
    "title",
    "description",
    "link",
    "feed_url",
    "language",
    "author",
    "owner",
    "image",
    "categories",
    "explicit",
    "type",
    "audio_base_url",
    "audio_url",
    "copyright",
    "timezone",
    "guid",
    "last_build_date",
    "page_url",
    "subscribe",
    *TAG_KEYS,
}
#: The fields `[show] audio_url` may use (docs/configuration.md).
TEMPLATE_FIELDS = frozenset({"episode", "season", "slug", "date"})


@dataclass(frozen=True)
class Config:
    show: Show
    build: BuildSettings
    warnings: tuple[Problem, ...] = ()


def load_config(path: Path) -> Config:
    """Read and validate feed.toml.

    Raises:
        ConfigError: the file is missing or not TOML.
        BuildFailed: one or more keys are missing or invalid (every one is listed).
    """
    try:
        raw = read_file(path)
    except NotAFile:  # (-c <(cat feed.toml): a pipe, read once)
        why = "not a file: the show is the folder its feed.toml is in"
        raise ConfigError(why, source=path, hint="pass the show's feed.toml") from None
    except FileNotFoundError:
        raise ConfigError("no such file", source=path, hint=missing_config_hint(path)) from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", source=path) from exc
    try:
        text = raw.decode("utf-8-sig")  # Windows editors' byte order mark is no TOML error
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        hint = "save the file as UTF-8"
        raise ConfigError(f"not UTF-8 text (byte {exc.start})", source=path, hint=hint) from exc
    except tomllib.TOMLDecodeError as exc:
        line = _toml_error_line(str(exc))
        raise ConfigError(f"not valid TOML: {exc}", source=path, line=line) from exc

    problems: list[Problem] = []
    tables = {"show", "build", "fields", "check"}
    for key in sorted(set(data) - tables):
        problems.append(
            Problem(
                "warning",
                f"unknown table or key '{key}' (ignored)",
                source=path,
                line=key_line(text, key, "") or _top_key_line(text, key),
                hint=unknown_key_hint(key, tables, {"show": SHOW_KEYS, "build": BUILD_KEYS}),
            )
        )
    show_table = data.get("show")
    if not isinstance(show_table, dict):
        raise ConfigError("a [show] table is required", source=path, hint="see the README")
    show, show_problems = _read_show(path, text, show_table)
    settings, build_problems = read_build(
        path, text, data, show_keys=set(SHOW_KEYS), mappable=MAPPABLE_FIELDS
    )
    problems += show_problems + build_problems
    show = publish_show_image(show, settings.source_folders, path, text, problems)
    if any(p.is_error for p in problems) or show is None:
        raise BuildFailed(problems)
    return Config(show, settings, tuple(problems))


def _toml_error_line(message: str) -> int | None:
    found = re.search(r"at line (\d+)", message)
    return int(found.group(1)) if found else None


def _top_key_line(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"^\s*{re.escape(key)}\s*=", line):
            return number
    return None


def _read_show(path: Path, text: str, table: dict[str, Any]) -> tuple[Show | None, list[Problem]]:
    r = TableReader(path, text, "show", table)
    r.unknown(SHOW_KEYS, {"build": BUILD_KEYS})

    title = r.get("title", str, required=True)
    description = r.get("description", str, required=True)
    if description:  # paragraphs may matter here; keep line breaks, drop what XML cannot carry
        description = strip_control_chars(str(table["description"])).strip()
    author = r.get("author", str, required=True)
    link = r.url("link", required=True)
    feed_url = r.url("feed_url", required=True)
    image = read_show_image(r)  # a local file is resolved in load_config
    audio_base_url = r.url("audio_base_url")
    if audio_base_url and not audio_base_url.endswith("/"):
        audio_base_url += "/"
    copyright_ = r.get("copyright", str)
    audio_url = r.check(
        "audio_url",
        table.get("audio_url"),
        lambda value: parse_url_template(value, TEMPLATE_FIELDS),
        "{error}",
    )

    language = r.get("language", str, required=True)
    if language and not LANGUAGE.match(language):
        r.problem(
            "language",
            f"'language' must be a language code like 'en' or 'en-US' (got {shorten(language)})",
        )

    owner = None
    owner_table = r.get("owner", dict, required=True, what="a table { name = …, email = … }")
    if owner_table is not None:
        name, email = owner_table.get("name"), owner_table.get("email")
        if not isinstance(name, str) or not clean_text(name):
            r.problem("owner", "'owner.name' is required (a string)")
        elif not isinstance(email, str) or not EMAIL.match(email.strip()):
            r.problem(
                "owner",
                f"'owner.email' must be an e-mail address (got {shorten(email)})",
                hint="Apple and Spotify send ownership mail to it",
            )
        else:
            owner = Owner(clean_text(name), email.strip())

    categories: list[Category] = []
    raw_categories = r.get("categories", list, required=True, what="a list of strings")
    if raw_categories is not None:
        for item in raw_categories:
            if not isinstance(item, str):
                r.problem(
                    "categories", f"'categories' entries must be strings (got {shorten(item)})"
                )
                continue
            try:
                category = parse_category(item)
            except ValueError as exc:
                r.problem(
                    "categories",
                    f"'categories': {exc}",
                    hint=CATEGORIES_HINT,
                )
                continue
            if category not in categories:
                categories.append(category)

    explicit = table.get("explicit")
    if "explicit" not in table:
        r.problem(
            "explicit",
            "'explicit' is required (true or false)",
            hint="Apple rejects feeds without itunes:explicit",
        )
    elif not isinstance(explicit, bool):
        r.problem(
            "explicit",
            f"'explicit' must be true or false (got {shorten(explicit)})",
            hint="Apple's spec now wants true/false, not yes/no/clean",
        )

    show_type = r.get("type", str) or "episodic"
    if show_type not in ("episodic", "serial"):
        r.problem("type", f"'type' must be 'episodic' or 'serial' (got {shorten(show_type)})")

    timezone = r.get("timezone", str) or "UTC"
    r.check("timezone", timezone, ZoneInfo, "is not a known time zone (got {value})")
    guid = r.get("guid", str)
    if guid is not None and r.check("guid", guid, uuid.UUID, "must be a UUID (got {value})"):
        guid = str(uuid.UUID(guid))
    last_build = table.get("last_build_date")
    if last_build is not None:
        try:
            last_build = _aware(last_build, timezone)
        except ValueError as exc:
            r.problem("last_build_date", f"'last_build_date' {exc} (got {str(last_build)!r})")
        else:
            if last_build is None:
                r.problem("last_build_date", "'last_build_date' must be a TOML date or datetime")
    tags = read_show_tags(r, timezone)
    page_url = r.url("page_url")
    subscribe: list[tuple[str, str]] = []
    apps = r.get("subscribe", dict, what='a table { apple = "https://…" }') or {}
    for app, url in apps.items():
        if not isinstance(url, str) or not url.startswith("https://"):
            r.problem("subscribe", f"'subscribe.{app}' must be an https URL (got {shorten(url)})")
        else:
            subscribe.append((app, url))

    if any(p.is_error for p in r.problems):
        return None, r.problems
    if owner is None or link is None or feed_url is None:
        return None, r.problems  # not reached: each None came with an error above
    show = Show(
        title=title,
        description=description,
        link=link,
        feed_url=feed_url,
        language=language,
        author=author,
        owner=owner,
        image=image,
        categories=tuple(categories),
        is_explicit=bool(explicit),
        type=show_type,
        audio_base_url=audio_base_url,
        audio_url=audio_url,
        copyright=copyright_,
        timezone=timezone,
        guid=guid,
        last_build_date=last_build,
        tags=tags,
        page_url=page_url,
        subscribe=tuple(subscribe),
    )
    return show, r.problems


def _aware(value: Any, timezone: str) -> datetime | None:
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    if isinstance(value, date):
        return parse_date(value, zone)  # ValueError: before 1970 or after 2100
    return None
