"""Parsers for the values people type into front matter: dates, links, durations, yes/no. Pure.

Each raises ValueError with a message that says what was expected; the loaders add the file and
line.
"""

from __future__ import annotations

import re
import string
from collections.abc import Collection
from datetime import UTC, date, datetime, time, tzinfo
from urllib.parse import quote, urljoin, urlsplit

from podcastfeed.errors import shorten

_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:\.\d+)?$")
# Jekyll writes `2023-03-21 05:31:18 +0000`; fromisoformat wants the offset without the space.
# The year of an RFC 2822 date as written: email.utils reads `0001` and `1` as 2001.
_RFC822_YEAR = re.compile(r"\b\d{1,2}\s+[A-Za-z]{3,}\.?\s+(\d+)\b")
_EPOCH = re.compile(r"^\d{9,13}$")
_TIME_OF_DAY = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]m)?")
#: From 13 digits on, an epoch number is milliseconds (seconds that large are past year 2100).
EPOCH_MILLISECONDS = 10**11
_SPACED_OFFSET = re.compile(r"^(.*\d)\s+(Z|UTC|GMT|[+-]\d{2}:?\d{2})$")

#: An e-mail address as the directories check it: name@host.tld, the top-level domain two or
#: more letters, digits or hyphens. feed.toml, front matter and `check` all use this one (issue
#: 13: feed.toml took `a@b.c`, which `check` then rejected).
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z0-9-]{2,}$")
#: BCP 47 in the shape directories accept: a 2-3 letter language, optional subtags.
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
#: An ISO 3166-1 alpha-2 country code, lower case (spotify:countryOfOrigin).
COUNTRY = re.compile(r"^[a-z]{2}$")

# Longer than any recording (31 years): a bigger number is a typo, or an attempt to overflow.
MAX_DURATION = 10**9
#: Every date podcastfeed reads or writes is in these years (issue 12): podcasts did not exist
#: earlier, RFC 822 readers take `Mon, 01 Jan 1` for 2001, and time zones before 1970 are
#: local mean times with offsets no feed can state (`+000921`). docs/limits.md.
FIRST_YEAR, LAST_YEAR = 1970, 2100
DATE_RANGE_MESSAGE = f"must be between {FIRST_YEAR} and {LAST_YEAR}"
FIRST_YEAR_EPOCH = 0  # 1970-01-01 UTC
LAST_YEAR_EPOCH = int(datetime(LAST_YEAR + 1, 1, 1, tzinfo=UTC).timestamp())
#: The only schemes a link may have: `javascript:`, `data:`, `file:`, `vbscript:` … would run
#: or read something in the reader that follows it (issue 12). docs/limits.md.
LINK_SCHEMES = frozenset({"http", "https"})

TRUE_WORDS = frozenset({"true", "yes", "y", "on", "1", "explicit"})
FALSE_WORDS = frozenset({"false", "no", "n", "off", "0", "clean"})


def parse_duration(value: object) -> int:
    """Seconds from `3723`, `"3723"`, `"1:02:03"`, `"62:03"` or `"02:03"`; fractions round."""
    if isinstance(value, bool):
        raise ValueError("must be seconds or HH:MM:SS")
    if isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value.strip()):
        value = float(value.strip())  # "1e999"-sized digit strings become inf, caught below
    if isinstance(value, int | float):
        if value < 0 or value != value:  # NaN check
            raise ValueError("must not be negative")
        if value > MAX_DURATION:  # also inf, which round() cannot take (issue 12)
            raise ValueError(f"must be at most {MAX_DURATION:,} seconds")
        return round(value)
    if isinstance(value, str):
        text = value.strip()
        found = _CLOCK.match(text)
        if found:
            hours, minutes, seconds = (int(part or 0) for part in found.groups())
            if seconds >= 60 or (found.group(1) is not None and minutes >= 60):
                raise ValueError("minutes and seconds must be below 60")
            return hours * 3600 + minutes * 60 + seconds
    raise ValueError("must be seconds or HH:MM:SS")


def format_duration(seconds: int) -> str:
    """itunes:duration as whole seconds, the form Apple documents first."""
    return str(int(seconds))


def format_clock(seconds: float) -> str:
    """H:MM:SS for people (1:02:03, 0:04:05), fractions dropped; feeds get format_duration."""
    whole = int(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def parse_bool(value: object) -> bool:
    """true/false, yes/no (and `clean`, which Apple now spells false); require_bool takes
    only a boolean."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str | int) and str(value).strip().lower() in TRUE_WORDS:
        return True
    if isinstance(value, str | int) and str(value).strip().lower() in FALSE_WORDS:
        return False
    raise ValueError("must be true or false")


def require_bool(value: object) -> bool:
    """A TOML or YAML boolean and nothing else: the optional tags' switches (`locked`,
    `block`, `complete`), where `"yes"` is a mistake to report; parse_bool reads words."""
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false (got {shorten(value)})")
    return value


def parse_positive_int(value: object) -> int:
    """A whole number above 0, also written as digits in a string (front matter's `season:
    "2"`); require_positive_int takes only a number."""
    if isinstance(value, bool):
        raise ValueError("must be a whole number")
    if isinstance(value, str) and value.strip().isdigit():
        if len(value.strip()) > 20:  # int() refuses past 4,300 digits, with a long message
            raise ValueError("must be a whole number of at most 20 digits")
        value = int(value.strip())
    if isinstance(value, int) and value > 0:
        return value
    raise ValueError("must be a whole number above 0")


def require_positive_int(value: object) -> int:
    """A TOML or YAML integer above 0 and nothing else (the optional tags' numbers)."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"must be a whole number above 0 (got {shorten(value)})")
    return value


class DateRangeError(ValueError):
    """A readable date outside FIRST_YEAR..LAST_YEAR (import keeps such an item as a draft)."""


def check_date_range(moment: date) -> None:
    """Raises DateRangeError unless `moment`'s calendar date (as written, in its own zone) is
    from FIRST_YEAR-01-01 to LAST_YEAR-12-31."""
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise DateRangeError(DATE_RANGE_MESSAGE)


def check_rfc822_year(text: str, year: int) -> None:
    """Raises DateRangeError when `text`, an RFC 2822 date that email.utils read as `year`,
    states another year (`0001`, `1`); two-digit years are RFC 822's and stay."""
    found = _RFC822_YEAR.search(text)
    if found and len(found.group(1)) != 2 and int(found.group(1)) != year:
        raise DateRangeError(DATE_RANGE_MESSAGE)


def parse_date(value: object, zone: tzinfo) -> datetime:
    """An aware datetime from a YAML date/datetime or an ISO 8601 / RFC 2822 string, from
    1970 to 2100.

    A value without an offset is in `zone` (the show's timezone); the range is checked first,
    so a zone's offset is only ever looked up for a year it has real rules for.
    """
    if isinstance(value, date):  # a datetime too
        check_date_range(value)
        return make_aware(value, zone)
    if isinstance(value, str) and _EPOCH.match(value.strip()):
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and value >= 10**8:
        return _from_epoch(value)  # 9 digits or more: a year such as 2024 is no epoch
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a date like 2024-03-12 or 2024-03-12T09:30:00+01:00")
    text = iso = value.strip()
    spaced = _SPACED_OFFSET.match(text)
    if spaced:
        offset = spaced.group(2)
        iso = spaced.group(1) + ("+00:00" if offset in ("Z", "UTC", "GMT") else offset)
    try:
        parsed = datetime.fromisoformat(iso)
    except ValueError as exc:
        if _ISO_SHAPE.match(iso):  # 2024-02-30, 25:00, +25:00: the shape, not the date
            why = "its UTC offset is 24 hours or more" if "offset" in str(exc) else str(exc)
            raise DateFormatError(f"is not a date that exists: {why}", None) from None
        try:
            parsed = parse_rfc822(text, zone)
            check_rfc822_year(text, parsed.year)
        except DateRangeError:
            raise
        except ValueError:
            raise DateFormatError(
                "must be an ISO 8601 date like 2024-03-12 or 2024-03-12T09:30:00+01:00",
                as_iso(text),
            ) from None
    check_date_range(parsed)
    return make_aware(parsed, zone)


class DateFormatError(ValueError):
    """A date not written as ISO 8601; `hint` is the same date in ISO 8601, when the text
    says it without doubt (`March 5, 2024`, `2024/3/5`; never `05/03/2024`)."""

    def __init__(self, message: str, iso: str | None) -> None:
        super().__init__(message)
        self.hint = f"write {iso}" if iso else None


#: ISO 8601 as fromisoformat reads it: a date, maybe a time, maybe an offset.
_ISO_SHAPE = re.compile(
    r"\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?$"
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_MDY = re.compile(r"(?:[a-z]+, )?([a-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})")
_DMY = re.compile(r"(?:[a-z]+, )?(\d{1,2})(?:st|nd|rd|th)?\.? ([a-z]{3,9})\.?,? (\d{4})")


def as_iso(text: str) -> str | None:
    """`text`, a date written another common way, as ISO 8601 (None when it is not one)."""
    text = text.strip().lower()
    parts: list[str | None] = []
    if found := _YMD.fullmatch(text):
        parts = list(found.groups())
    elif found := _MDY.fullmatch(text) or _DMY.fullmatch(text):
        day, month = (2, 1) if found.re is _MDY else (1, 2)
        if found.group(month)[:3] in _MONTHS:
            parts = [found[3], str(_MONTHS.index(found.group(month)[:3]) + 1), found[day]]
    if not parts:
        return None
    year, month, day, hour, minute, second = (int(p or 0) for p in (parts + [None] * 6)[:6])
    try:
        written = datetime(year, month, day, hour, minute, second)
    except ValueError:  # 30 February, 25:00
        return None
    return written.date().isoformat() if len(parts) < 4 or parts[3] is None else written.isoformat()


def _from_epoch(value: int) -> datetime:
    """Epoch seconds, or milliseconds (13 digits, as JavaScript and some exporters write),
    in UTC (issue 14: `date: 1499256000000`)."""
    seconds = value / 1000 if abs(value) >= EPOCH_MILLISECONDS else value
    if not FIRST_YEAR_EPOCH <= seconds < LAST_YEAR_EPOCH:
        raise DateRangeError(DATE_RANGE_MESSAGE)
    return datetime.fromtimestamp(seconds, UTC)


def is_date_only(value: object) -> bool:
    """A date written without a time: a YAML/TOML date, or `2024-03-12` as text."""
    if isinstance(value, datetime):
        return False
    return isinstance(value, date) or (
        isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()) is not None
    )


def parse_time_of_day(value: object) -> time:
    """`14:30`, `14:30:05`, `2:30 pm`; YAML 1.1 reads an unquoted `14:30` as the base-60
    number 870, which is read back as 14:30; TOML's `14:30:00` is a time already."""
    if isinstance(value, time):
        return value.replace(tzinfo=None)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return time(value // 60, value % 60)
    if isinstance(value, str):
        found = _TIME_OF_DAY.fullmatch(value.strip().lower())
        if found:
            hour, minute, second = int(found[1]), int(found[2]), int(found[3] or 0)
            if found[4] and 1 <= hour <= 12:
                hour = hour % 12 + (12 if found[4] == "pm" else 0)
            elif found[4]:
                hour = 99
            if hour < 24 and minute < 60 and second < 60:
                return time(hour, minute, second)
    raise ValueError("must be a time of day like 14:30 or 14:30:00")


def make_aware(moment: date, zone: tzinfo) -> datetime:
    """`moment` as an aware datetime: a date is its midnight in `zone`, a datetime without an
    offset is in `zone`, one with an offset keeps it."""
    if isinstance(moment, datetime):
        return moment if moment.tzinfo else moment.replace(tzinfo=zone)
    return datetime.combine(moment, time(), zone)


def parse_rfc822(text: str, zone: tzinfo = UTC) -> datetime:
    """An aware datetime from an RFC 2822 date (`Tue, 04 Apr 2023 06:00:00 +0200`); `-0000`
    (no zone stated) means `zone`. Any year email.utils reads: callers check the range.

    Raises:
        ValueError: `text` is not an RFC 2822 date.
    """
    from email.utils import parsedate_to_datetime  # socket, random...: not at --help (issue 18)

    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        raise ValueError("must be an RFC 2822 date like Tue, 04 Apr 2023 06:00:00 +0200") from None
    return make_aware(parsed, zone)


def parse_link(value: object, *, relative: bool = False) -> str:
    """An http(s) URL; with `relative`, also a reference without a scheme (`/2023/03/slug/`,
    `//host/path`) that the caller resolves against the show's link. Any other scheme is
    refused, however it is spelled (`JavaScript:`, leading spaces or control characters), and so
    is a port over 65535 or not a number (`https://host:99999/`, `https://host:x/`)."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be an http(s) URL")
    text = value.strip()
    try:
        parts = urlsplit(text)  # drops what browsers drop: tabs, newlines, leading controls
        parts.port  # noqa: B018 (raises for a port over 65535 or not a number: no app fetches it)
    except ValueError:
        raise ValueError("must be an http(s) URL") from None
    if parts.scheme.lower() in LINK_SCHEMES and parts.netloc:
        return text
    if relative and not parts.scheme and not text.startswith("\\"):
        return text
    raise ValueError("must be an http(s) URL")


def resolve_link(ref: str, base: str) -> str:
    """A link as written (absolute, `/2023/03/slug/`, `//host/path`, `cover.jpg`) made absolute
    against the page or site `base`; characters a URL cannot hold are percent-encoded."""
    ref = ref.strip()
    if ref.startswith("//"):
        return "https:" + ref
    return urljoin(base, quote(ref, safe="/:?#[]@!$&'()*+,;=%~"))


def parse_url_template(value: object, allowed: Collection[str]) -> str | None:
    """An http(s) URL with `{name}` fields (str.format) from `allowed`, such as `[show]
    audio_url = "https://cdn.example.org/ep{episode:03}.mp3"`; None stays None."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"must be text (got {shorten(value)})")
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError as exc:
        raise ValueError(f"is not a template: {exc} (got {shorten(value)})") from None
    unknown = sorted(repr(name) for name in names if name not in allowed)
    if unknown:
        fields = ", ".join("{" + name + "}" for name in sorted(allowed))
        raise ValueError(f"may use {fields} only (got {', '.join(unknown)})")
    try:
        parse_link(value)
    except ValueError:
        raise ValueError(f"must be an absolute http(s) URL (got {shorten(value)})") from None
    return value


def url_scheme(ref: str) -> str:
    """The scheme of `ref`, lower-cased; "" for a path (`c:` is a Windows drive, not one)."""
    try:
        scheme = urlsplit(ref.strip()).scheme.lower()
    except ValueError:
        return ""
    return scheme if len(scheme) > 1 else ""


def with_prefix(url: str, prefix: str | None) -> str:
    """`url` as the feed publishes it behind an analytics `prefix` ([show] enclosure_prefix):
    without its `https://`, the form the prefix services document (source/analytics.py)."""
    if not prefix:
        return url
    if url[:8].lower() == "https://":
        return prefix + url[8:]
    return prefix + url
