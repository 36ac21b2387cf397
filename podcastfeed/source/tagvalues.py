"""Parsers for the optional tags' values, shared by feed.toml and front matter. Pure.

Each raises ValueError saying what was expected and what was found; the readers add the key,
the file and the line. Limits are the Podcast Index namespace's (docs/tags/*.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection
from datetime import date, datetime, tzinfo
from functools import cache
from importlib import resources
from typing import Any, TypeVar

from podcastfeed.errors import shorten
from podcastfeed.model import Funding, Image, License, Location, Person, RemoteItem, Txt
from podcastfeed.source.shownotes import strip_control_chars
from podcastfeed.source.tables import clean_ref
from podcastfeed.values import COUNTRY, EMAIL, parse_date, parse_link, require_positive_int

T = TypeVar("T")

MEDIUMS = (
    "podcast",
    "music",
    "video",
    "film",
    "audiobook",
    "newsletter",
    "blog",
    "publisher",
    "course",
)
#: `…L` list forms (a feed of other feeds) are valid too.
MEDIUM_VALUES = MEDIUMS + tuple(m + "L" for m in MEDIUMS) + ("mixed",)

#: Licence ids podcastfeed accepts without a URL: the namespace's licenses.json and common SPDX
#: ids, lower-cased. Anything else needs `url`.
LICENSES = frozenset(
    {
        "none",
        "arr",
        "cc0-1.0",
        "cc-by-4.0",
        "cc-by-sa-4.0",
        "cc-by-nc-4.0",
        "cc-by-nc-sa-4.0",
        "cc-by-nd-4.0",
        "cc-by-nc-nd-4.0",
        "cc-by-3.0",
        "cc-by-sa-3.0",
        "cc-by-nc-3.0",
        "cc-by-nc-sa-3.0",
        "cc-by-nd-3.0",
        "cc-by-nc-nd-3.0",
        "cc-pddc",
        "mit",
        "apache-2.0",
        "gpl-3.0",
        "gfdl-1.3",
    }
)

#: The keys of each table-valued key (feed.toml and front matter), for the docs test too.
TABLE_KEYS: dict[str, frozenset[str]] = {
    "funding": frozenset({"url", "text"}),
    "persons": frozenset({"name", "role", "group", "img", "href"}),
    "license": frozenset({"name", "url"}),
    "location": frozenset({"name", "geo", "osm", "rel", "country"}),
    "txt": frozenset({"text", "purpose"}),
    # `url` and `aspect-ratio`: the old podcast:images syntax and the attribute's own spelling
    "images": frozenset(
        {"href", "url", "alt", "aspect_ratio", "aspect-ratio", "width", "height", "type", "purpose"}
    ),
    "podroll": frozenset({"feed_guid", "feed_url"}),
    "trailers": frozenset({"title", "url", "pubdate", "length", "type", "season"}),
    "update_frequency": frozenset({"text", "rrule", "complete", "dtstart"}),
    "transcript": frozenset({"url", "type", "language", "rel"}),
    "chapters": frozenset({"start", "title", "url", "img"}),
    "soundbites": frozenset({"start", "duration", "title"}),
    "alternate_enclosures": frozenset({"url", "type", "length", "bitrate", "title", "integrity"}),
}

_GEO = re.compile(r"^geo:-?\d{1,2}(\.\d+)?,-?\d{1,3}(\.\d+)?(,-?\d+(\.\d+)?)?(;u=\d+(\.\d+)?)?$")
_OSM = re.compile(r"^[NWR]\d+(#\d+)?$")
_ASPECT_RATIO = re.compile(r"^\d+(\.\d+)? ?(/ ?\d+(\.\d+)?)?$")  # CSS <ratio>: 16/9, 1.5
_MIME = re.compile(r"^[a-z]+/[a-z0-9][a-z0-9!#$&^_.+-]*$", re.I)
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


@cache
def taxonomy() -> dict[str, tuple[str, ...]]:
    """Group -> roles of the namespace's person taxonomy, lower-cased."""
    text = resources.files("podcastfeed").joinpath("data/podcast-taxonomy.json").read_text("utf-8")
    return {group: tuple(roles) for group, roles in json.loads(text)["groups"].items()}


def text(value: object, limit: int, what: str = "text") -> str:
    """One line of text, at most `limit` characters."""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ValueError(f"must be {what} (got {shorten(value)})")
    cleaned = " ".join(strip_control_chars(str(value)).split())
    if not cleaned:
        raise ValueError(f"must not be empty (got {shorten(value)})")
    if len(cleaned) > limit:
        raise ValueError(f"must be at most {limit} characters (got {len(cleaned)})")
    return cleaned


def https_url(value: object) -> str:
    """A linked resource: an http(s) link (values.parse_link), and https, as the namespace
    wants (docs/1.0.md)."""
    try:
        url = parse_link(_ref(value))
    except ValueError:
        url = ""
    if not url.lower().startswith("https://"):
        raise ValueError(f"must be an https:// URL (got {shorten(value)})")
    return url


def image_url(value: object) -> str:
    """An image's URL: https, or http as the namespace's own person examples write `img`
    (docs/tags/person.md; the namespace asks https of hyper-text resources, docs/1.0.md)."""
    try:
        return parse_link(_ref(value))
    except ValueError:
        raise ValueError(f"must be an http(s) URL (got {shorten(value)})") from None


def _ref(value: object) -> object:
    """A URL without what XML cannot carry, as the audio's (tables.clean_ref): a control
    character in a person's `href` was a traceback when the feed was written."""
    return clean_ref(value) if isinstance(value, str) else value


def email(value: object) -> str:
    if not isinstance(value, str) or not EMAIL.match(value.strip()):
        raise ValueError(f"must be an e-mail address (got {shorten(value)})")
    return value.strip()


def table(value: object, keys: Collection[str], required: Collection[str]) -> dict[str, Any]:
    """A table (TOML) or mapping (YAML) with only `keys`, `required` among them."""
    if not isinstance(value, dict):
        raise ValueError(f"must be a table with {', '.join(sorted(keys))} (got {shorten(value)})")
    unknown = sorted(set(map(str, value)) - set(keys))
    if unknown:
        raise ValueError(
            f"has unknown key {shorten(unknown[0])} (known: {', '.join(sorted(keys))})"
        )
    missing = sorted(set(required) - set(value))
    if missing:
        raise ValueError(f"needs {shorten(missing[0])} (got {shorten(value)})")
    return {str(k): v for k, v in value.items()}


def field(data: dict[str, Any], key: str, parse: Callable[[Any], T]) -> T | None:
    """`parse` one key of a table, naming the key in the error; None when absent."""
    if key not in data or data[key] is None:
        return None
    try:
        return parse(data[key])
    except ValueError as exc:
        raise ValueError(f"{shorten(key)} {exc}") from None


def several(value: object, parse: Callable[[Any], T]) -> tuple[T, ...]:
    """A list (or one value) of entries; an error names the entry's 1-based position."""
    items = value if isinstance(value, list) else [value]
    found = []
    for number, item in enumerate(items, start=1):
        try:
            found.append(parse(item))
        except ValueError as exc:
            raise ValueError(f"entry {number}: {exc}" if len(items) > 1 else str(exc)) from None
    return tuple(found)


def person(value: object) -> Person:
    """A person; a group or role outside the taxonomy is kept as written (issue 15: the spec
    reads unknown values as the defaults, cast and host): `person_warning` says so."""
    if isinstance(value, str):
        return Person(text(value, 128))
    data = table(value, TABLE_KEYS["persons"], {"name"})
    groups = taxonomy()
    group = field(data, "group", lambda v: text(v, 128))
    role = field(data, "role", lambda v: text(v, 128))
    if group is not None and group.lower() in groups:
        group = group.lower()
    if role is not None and role.lower() in {r for rs in groups.values() for r in rs}:
        role = role.lower()
    return Person(
        name=text(data["name"], 128),
        role=role,
        group=group,
        img=field(data, "img", image_url),
        href=field(data, "href", https_url),
    )


def with_show_persons(show: tuple[Person, ...], episode: tuple[Person, ...]) -> tuple[Person, ...]:
    """An item's persons when the episode adds its own: the namespace's item persons wholly
    replace the channel's (docs/tags/person.md, "Big Daddy"), so the show's are restated, first
    and in order, then the episode's. The same person in the same role and group is written
    once, with the episode's details (its `img`, `href`)."""

    def key(p: Person) -> tuple[str, str, str]:
        return (p.name.casefold(), p.role or "host", p.group or "cast")

    own = {key(p): p for p in episode}
    merged = [own.pop(key(p), p) for p in show]
    return (*merged, *(p for p in episode if key(p) in own))


def person_warnings(persons: tuple[Person, ...]) -> list[str]:
    """What an app makes of each group or role outside the Podcast Index taxonomy."""
    groups = taxonomy()
    found = []
    for number, found_person in enumerate(persons, start=1):
        where = f"entry {number}: " if len(persons) > 1 else ""
        group, role = found_person.group, found_person.role
        if group is not None and group not in groups:
            found.append(
                f"{where}'group' {shorten(group)} is not a group of the Podcast Index taxonomy "
                "(e.g. cast, writing, audio production): apps read it as cast"
            )
            group = None
        if role is not None:
            allowed = groups[group] if group else tuple(r for rs in groups.values() for r in rs)
            if role not in allowed:
                in_group = f"group {shorten(group)} of " if group else ""
                found.append(
                    f"{where}'role' {shorten(role)} is not a role in {in_group}the Podcast Index "
                    "taxonomy (e.g. host, guest, producer): apps read it as host"
                )
    return found


def funding(value: object) -> Funding:
    data = table(value, TABLE_KEYS["funding"], {"url", "text"})
    return Funding(https_url(data["url"]), text(data["text"], 128))


def license_(value: object) -> License:
    """`cc-by-4.0`, or `{ name = "my-license", url = "https://…" }`."""
    data = (
        {"name": value} if isinstance(value, str) else table(value, TABLE_KEYS["license"], {"name"})
    )
    name = text(data["name"], 128).lower()
    url = field(data, "url", https_url)
    if url is None and name not in LICENSES:
        raise ValueError(
            f"{shorten(name)} is not a known licence id (e.g. cc-by-4.0, cc0-1.0, arr); "
            "give a url for another licence"
        )
    return License(name, url)


def medium(value: object) -> str:
    if value not in MEDIUM_VALUES:
        raise ValueError(
            f"must be one of {', '.join(MEDIUMS)} (or a list form) (got {shorten(value)})"
        )
    return str(value)


def location(value: object) -> Location:
    """`"Austin, TX"` or `{ name, geo, osm, rel, country }` (docs/tags/location.md, 2025)."""
    data = (
        {"name": value}
        if isinstance(value, str)
        else table(value, TABLE_KEYS["location"], {"name"})
    )
    rel = field(data, "rel", lambda v: str(v).strip().lower())
    if rel not in (None, "subject", "creator"):
        raise ValueError(
            f"'rel' must be subject (what the content is about) or creator (where it is made) "
            f"(got {shorten(data['rel'])})"
        )
    country = field(data, "country", lambda v: str(v).strip())
    if country is not None and not COUNTRY.match(country.lower()):
        raise ValueError(
            f"'country' must be an ISO 3166-1 alpha-2 code like US (got {shorten(country)})"
        )
    geo = field(data, "geo", str)
    if geo is not None and not _GEO.match(geo):
        raise ValueError(f"'geo' must be a geo: URI like geo:30.2672,97.7431 (got {shorten(geo)})")
    osm = field(data, "osm", str)
    if osm is not None and not _OSM.match(osm):
        raise ValueError(f"'osm' must be an OpenStreetMap id like R113314 (got {shorten(osm)})")
    return Location(
        text(data["name"], 128), geo, osm, rel, None if country is None else country.upper()
    )


def txt(value: object) -> Txt:
    data = {"text": value} if isinstance(value, str) else table(value, TABLE_KEYS["txt"], {"text"})
    return Txt(text(data["text"], 4000), field(data, "purpose", lambda v: text(v, 128)))


def image(value: object) -> Image:
    """One `podcast:image` (docs/tags/image.md): a URL, or `{ href, alt, aspect_ratio, width,
    height, type, purpose }`. `{ url, width }`, an entry of the deprecated podcast:images, is
    read as `href` and `width`."""
    data = {"href": value} if isinstance(value, str) else table(value, TABLE_KEYS["images"], ())
    for old, new in (("url", "href"), ("aspect-ratio", "aspect_ratio")):
        if old in data and new in data:
            raise ValueError(f"has both {shorten(old)} and {shorten(new)}: give one")
        if old in data:
            data[new] = data.pop(old)
    if "href" not in data:
        raise ValueError(f"needs 'href' (got {shorten(value)})")
    ratio = field(data, "aspect_ratio", lambda v: str(v).strip())
    if ratio is not None and not _ASPECT_RATIO.match(ratio):
        raise ValueError(
            f"'aspect_ratio' must be a ratio like 1/1 or 16/9 (got {shorten(data['aspect_ratio'])})"
        )
    mime = field(data, "type", lambda v: str(v).strip())
    if mime is not None and not _MIME.match(mime):
        raise ValueError(f"'type' must be a MIME type like image/jpeg (got {shorten(mime)})")
    return Image(
        url=https_url(data["href"]),
        width=field(data, "width", require_positive_int),
        alt=field(data, "alt", lambda v: text(v, 4000)),
        aspect_ratio=ratio,
        height=field(data, "height", require_positive_int),
        mime_type=mime,
        purpose=field(data, "purpose", lambda v: text(v, 128)),
    )


def remote_item(value: object) -> RemoteItem:
    data = table(value, TABLE_KEYS["podroll"], {"feed_guid"})
    guid = data["feed_guid"]
    if not isinstance(guid, str) or not _UUID.match(guid):
        raise ValueError(
            f"'feed_guid' must be the show's podcast:guid, a UUID (got {shorten(guid)})"
        )
    return RemoteItem(guid.lower(), field(data, "feed_url", https_url))


def decimal(value: object) -> str:
    """A number above 0 as written, fractions allowed (podcast:episode 100.5)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"must be a number (got {shorten(value)})")
    written = str(value).strip()
    if len(written) > 20:  # float() of more becomes inf or loses digits (issue 12)
        raise ValueError(f"must be a number of at most 20 digits (got {shorten(value)})")
    if not re.fullmatch(r"\d+(\.\d+)?", written) or float(written) <= 0:
        raise ValueError(f"must be a number above 0, like 12 or 12.5 (got {shorten(value)})")
    return str(int(float(written))) if float(written).is_integer() else written


def aware(value: object, zone: tzinfo) -> datetime:
    """A TOML/YAML date or datetime from 1970 to 2100; no offset means `zone`."""
    if isinstance(value, date):
        try:
            return parse_date(value, zone)
        except ValueError as exc:
            raise ValueError(f"{exc} (got {value.isoformat()!r})") from None
    raise ValueError(f"must be a date or datetime (got {shorten(value)})")
