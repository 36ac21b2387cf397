"""feed.toml `[show]` keys for the optional channel tags (Apple, Podcast Index, Spotify, WebSub).

Every value is checked with podcastfeed.source.tagvalues; a bad one is a problem at its key's line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from podcastfeed.errors import shorten
from podcastfeed.model import MIME_BY_EXTENSION, ShowTags, Trailer, UpdateFrequency
from podcastfeed.source import tagvalues as tv
from podcastfeed.source.analytics import parse_enclosure_prefix
from podcastfeed.source.value import read_show_value, show_value
from podcastfeed.values import COUNTRY, parse_link, require_bool, require_positive_int

if TYPE_CHECKING:
    from podcastfeed.source.tables import TableReader

T = TypeVar("T")

#: The keys this module reads, with the tag each becomes (docs/configuration.md lists them too).
TAG_KEYS = {
    "itunes_title": "itunes:title",
    "block": "itunes:block",
    "complete": "itunes:complete",
    "new_feed_url": "itunes:new-feed-url",
    "locked": "podcast:locked",
    "locked_owner": "podcast:locked owner",
    "funding": "podcast:funding",
    "persons": "podcast:person",
    "license": "podcast:license",
    "medium": "podcast:medium",
    "location": "podcast:location",
    "txt": "podcast:txt",
    "trailers": "podcast:trailer",
    "podroll": "podcast:podroll",
    "update_frequency": "podcast:updateFrequency",
    "images": "podcast:image",
    "country_of_origin": "spotify:countryOfOrigin",
    "spotify_limit": "spotify:limit",
    "hubs": 'atom:link rel="hub"',
    "value": "podcast:value",
    "podping": "podcast:podping",
    "enclosure_prefix": "enclosure url, podcast:source uri",
}


def read_show_tags(r: TableReader, timezone: str) -> ShowTags:
    """The optional channel tags of `[show]` (r.table); problems go to r.problems."""
    table = r.table
    if not any(key in table for key in TAG_KEYS):
        return ShowTags()
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")

    def get(key: str, parse: Callable[[Any], T]) -> T | None:
        if key not in table:
            return None
        try:
            return parse(show_value(r, key))
        except ValueError as exc:
            r.problem(key, f"'{key}' {exc}")
            return None

    def trailer(value: object) -> Trailer:
        data = tv.table(value, tv.TABLE_KEYS["trailers"], set())
        for needed in ("title", "url", "pubdate"):
            if needed not in data:
                raise ValueError(f"needs {shorten(needed)} (got {shorten(value)})")
        url = data["url"]
        try:
            url = parse_link(url)
        except ValueError:
            raise ValueError(f"'url' must be an http(s) URL (got {shorten(url)})") from None
        suffix = "." + url.split("?")[0].rsplit(".", 1)[-1].lower()
        mime = tv.field(data, "type", lambda v: tv.text(v, 128)) or MIME_BY_EXTENSION.get(suffix)
        return Trailer(
            title=tv.text(data["title"], 128),
            url=url,
            pub_date=tv.aware(data["pubdate"], zone),
            length=tv.field(data, "length", require_positive_int),
            mime_type=mime,
            season=tv.field(data, "season", require_positive_int),
        )

    def update_frequency(value: object) -> UpdateFrequency:
        if isinstance(value, str):
            return UpdateFrequency(tv.text(value, 128))
        data = tv.table(value, tv.TABLE_KEYS["update_frequency"], {"text"})
        rrule = tv.field(data, "rrule", lambda v: tv.text(v, 500))
        if rrule is not None and not re.match(r"^(FREQ|COUNT|UNTIL|INTERVAL|BY\w+)=", rrule):
            raise ValueError(
                f"'rrule' must be an RFC 5545 rule like FREQ=WEEKLY (got {shorten(rrule)})"
            )
        return UpdateFrequency(
            tv.text(data["text"], 128),
            rrule=rrule,
            complete=tv.field(data, "complete", require_bool),
            dtstart=tv.field(data, "dtstart", lambda v: tv.aware(v, zone)),
        )

    def countries(value: object) -> tuple[str, ...]:
        found = tv.several(value, lambda v: str(v).strip().lower())
        for code in found:
            if not COUNTRY.match(code):
                raise ValueError(
                    f"must list ISO 3166 country codes like 'us' (got {shorten(code)})"
                )
        if len(found) > 25:
            raise ValueError(f"lists at most 25 countries (got {len(found)})")
        return found

    def hub(value: object) -> str:
        try:
            return parse_link(value)
        except ValueError:
            raise ValueError(f"must be an http(s) URL (got {shorten(value)})") from None

    persons = get("persons", lambda v: tv.several(v, tv.person)) or ()
    for warning in tv.person_warnings(persons):
        r.problem("persons", f"'persons' {warning}", level="warning")
    is_locked = get("locked", require_bool)
    locked_owner = get("locked_owner", tv.email)
    if locked_owner is not None and is_locked is None:
        r.problem("locked_owner", "'locked_owner' needs 'locked = true' or false")
    return ShowTags(
        itunes_title=get("itunes_title", lambda v: tv.text(v, 255)),
        is_blocked=bool(get("block", require_bool)),
        is_complete=bool(get("complete", require_bool)),
        new_feed_url=get("new_feed_url", hub),
        is_locked=is_locked,
        locked_owner=locked_owner,
        funding=get("funding", lambda v: tv.several(v, tv.funding)) or (),
        persons=persons,
        license=get("license", tv.license_),
        medium=get("medium", tv.medium),
        locations=get("location", lambda v: tv.several(v, tv.location)) or (),
        txt=get("txt", lambda v: tv.several(v, tv.txt)) or (),
        trailers=get("trailers", lambda v: tv.several(v, trailer)) or (),
        podroll=get("podroll", lambda v: tv.several(v, tv.remote_item)) or (),
        update_frequency=get("update_frequency", update_frequency),
        images=get("images", lambda v: tv.several(v, tv.image)) or (),
        country_of_origin=get("country_of_origin", countries) or (),
        spotify_limit=get("spotify_limit", require_positive_int),
        hubs=get("hubs", lambda v: tv.several(v, hub)) or (),
        value=read_show_value(r),
        uses_podping=get("podping", require_bool),
        enclosure_prefix=get("enclosure_prefix", parse_enclosure_prefix),
    )
