"""Values as other feeds write them: RFC 822 dates with zone names RFC 822 does not define,
titles with HTML in them, the many spellings of "yes", podcast:image and podcast:location."""

from __future__ import annotations

import html
import html.entities
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_tz
from typing import Any

from lxml import etree

from podcastfeed.errors import shorten
from podcastfeed.source import tagvalues
from podcastfeed.source.tables import clean_text
from podcastfeed.source.valueparse import parse_value
from podcastfeed.values import (
    TRUE_WORDS,
    DateRangeError,
    check_date_range,
    check_rfc822_year,
    parse_date,
    parse_positive_int,
)

#: Zone names RFC 822 does not define but feeds use (email.utils knows UT, GMT, EST … PDT).
ZONES = {"CET": 1, "CEST": 2, "BST": 1, "MET": 1, "MEST": 2, "EET": 2, "EEST": 3, "AEST": 10}
_RFC822_ZONES = frozenset(
    ["UT", "UTC", "GMT", "Z", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT"]
)
#: HTML elements a host may leave in a title (issue 15: `<live>` or `<markup>` is text).
_ELEMENTS = """a abbr b bdi bdo big blink br center cite code del dfn div em font h1 h2 h3 h4 h5 h6
hr i img ins kbd mark nobr p q s samp small span strike strong sub sup tt u var wbr"""
HTML_ELEMENTS = frozenset(_ELEMENTS.split())
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)(?:\s[^<>]*)?/?>")
#: An entity with its semicolon: `&gtgt;` or `AT&T` are text, not `>gt;` (html.unescape reads
#: a few names without one).
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def clean_title(raw: str) -> str:
    """A title without HTML tags or entities ("A &amp; <b>B</b>" -> "A & B"); a tag that is no
    HTML element ("Tom's <live> show") is text and stays."""
    text = _TAG.sub(lambda m: "" if m.group(1).lower() in HTML_ELEMENTS else m.group(0), raw)
    return " ".join(_ENTITY.sub(_entity, text).split())


def _entity(found: re.Match[str]) -> str:
    name = found.group(0)
    known = name.startswith("&#") or name[1:] in html.entities.html5
    return html.unescape(name) if known else name


def published_guid(written: str | None) -> tuple[str | None, str | None]:
    """An item's guid as a build reads it back (white space runs made one space, what XML
    cannot carry removed: fields.py's rule for every text), and a warning when that is not the
    guid as written. Import writes that guid to the episode and the lock: the written one made
    the first build stop at 'changes its published guid'."""
    if not written or (written.isprintable() and "  " not in written):  # as clean_text leaves it
        return written, None
    guid = clean_text(written)
    if guid == written or not guid:
        return written, None
    return guid, (
        f"guid {shorten(written)} holds line breaks, runs of white space or control characters; "
        f"the feed will say {shorten(guid)} (apps may list the episode again)"
    )


def season_number(text: str | None) -> int | None:
    """itunes:season when the build reads it as a whole number above 0 (values.parse_positive_int:
    a season of 5,000 digits was a traceback from int())."""
    try:
        return parse_positive_int(text) if text else None
    except ValueError:
        return None


def episode_number(text: str | None) -> str | None:
    """itunes:episode or podcast:episode as written, when the build reads it as a number above
    0 (tagvalues.decimal): `0` and 30 digits were written, and refused by the first build."""
    try:
        return text if text and tagvalues.decimal(text) else None
    except ValueError:
        return None


def parse_pub_date(text: str) -> tuple[datetime, bool]:
    """An aware datetime from an RFC 822 date (named zones too) or ISO 8601; True when the
    zone was unknown and UTC was assumed."""
    parts = parsedate_tz(text)
    if parts is not None:
        offset, guessed = parts[9] or 0, False
        zone = text.strip().rsplit(" ", 1)[-1].upper()
        if zone.isalpha() and zone not in _RFC822_ZONES:  # email.utils reads these as +0000
            hours = ZONES.get(zone)
            offset, guessed = (hours * 3600, False) if hours is not None else (0, True)
        check_rfc822_year(text, parts[0])  # `0001` is not 2001
        try:  # hour 25, 31 February, offset +2500: Python's words named no date
            day = date(*parts[:3])
            moment = datetime(*parts[:6], tzinfo=timezone(timedelta(seconds=offset)))
        except (ValueError, OverflowError):
            raise ValueError(f"pubDate is not a date (got {shorten(text)})") from None
        check_date_range(day)
        return moment, guessed
    try:
        moment = parse_date(text, UTC)
    except DateRangeError:
        raise
    except ValueError:
        raise ValueError(f"pubDate is not a date (got {shorten(text)})") from None
    return moment, False


def is_true(text: str | None) -> bool | None:
    if text is None:
        return None
    return text.strip().lower() in TRUE_WORDS


def _valid(entries: list[dict[str, Any]], parse: Callable[[Any], object]) -> list[dict[str, Any]]:
    """The entries podcastfeed's own reader accepts (the build would refuse the others)."""
    kept = []
    for entry in entries:
        entry = {
            k: int(v) if k in ("width", "height") and v.isdigit() else v for k, v in entry.items()
        }
        try:
            parse(entry)
        except ValueError:
            continue
        kept.append(entry)
    return kept


def podcast_images(parent: etree._Element, spaces: tuple[str, ...]) -> list[dict[str, Any]]:
    """The parent's podcast:image tags as `images` entries; a deprecated podcast:images srcset
    gives one entry per image."""
    found: list[dict[str, Any]] = []
    for space in spaces:
        for element in parent.iterchildren(f"{{{space}}}image"):
            attributes = ("href", "alt", "aspect-ratio", "width", "height", "type", "purpose")
            found.append(
                {
                    k.replace("-", "_"): element.get(k, "").strip()
                    for k in attributes
                    if element.get(k)
                }
            )
        for element in parent.iterchildren(f"{{{space}}}images"):
            for part in (element.get("srcset") or "").split(","):
                href, _, width = part.strip().partition(" ")
                entry = {"href": href, "width": width.strip().rstrip("wW")}
                found.append({k: v for k, v in entry.items() if v})
    return _valid(found, tagvalues.image)


def podcast_locations(parent: etree._Element, spaces: tuple[str, ...]) -> list[dict[str, Any]]:
    """The parent's podcast:location tags as `location` entries."""
    found = []
    for space in spaces:
        for element in parent.iterchildren(f"{{{space}}}location"):
            entry = {"name": " ".join((element.text or "").split())}
            entry |= {k: element.get(k, "").strip() for k in ("rel", "geo", "osm", "country")}
            found.append({k: v for k, v in entry.items() if v})
    return _valid(found, tagvalues.location)


#: podcast:value attributes as feed.toml's `value` keys (docs/configuration.md).
_VALUE_KEYS = {
    "customKey": "custom_key",
    "customValue": "custom_value",
    "startTime": "start",
    "remoteStartTime": "remote_start",
    "remotePercentage": "remote_percentage",
    "feedGuid": "feed_guid",
    "itemGuid": "item_guid",
    "feedUrl": "feed_url",
}


def _value_table(element: etree._Element) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for name, raw in element.attrib.items():
        key = _VALUE_KEYS.get(str(name), str(name))
        text = str(raw).strip()
        if key in ("split", "remote_percentage") and text.isdigit():
            table[key] = int(text)
        elif key == "fee":
            table[key] = bool(is_true(text))
        else:
            table[key] = text
    for child in element:
        local = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if local == "valueRecipient":
            table.setdefault("recipients", []).append(_value_table(child))
        elif local == "valueTimeSplit":
            table.setdefault("time_splits", []).append(_value_table(child))
        elif local == "remoteItem":
            table["remote_item"] = _value_table(child)
    return table


def podcast_values(
    parent: etree._Element, spaces: tuple[str, ...]
) -> tuple[list[dict[str, Any]], int]:
    """The parent's podcast:value blocks as `value` tables the build accepts (no error from
    source/valueparse.py), and how many it does not."""
    kept, refused = [], 0
    for space in spaces:
        for element in parent.iterchildren(f"{{{space}}}value"):
            table = _value_table(element)
            _blocks, issues = parse_value(table)
            if any(level == "error" for level, _message, _where in issues):
                refused += 1
            else:
                kept.append(table)
    return kept, refused
