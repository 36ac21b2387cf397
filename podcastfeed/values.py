"""Parsers for the values people type into front matter: dates, durations, yes/no. Pure.

Each raises ValueError with a message that says what was expected; the loaders add the file and
line.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, tzinfo
from email.utils import parsedate_to_datetime

_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:\.\d+)?$")
# Jekyll writes `2023-03-21 05:31:18 +0000`; fromisoformat wants the offset without the space.
_SPACED_OFFSET = re.compile(r"^(.*\d)\s+(Z|UTC|GMT|[+-]\d{2}:?\d{2})$")

# Longer than any recording (31 years): a bigger number is a typo, or an attempt to overflow.
MAX_DURATION = 10**9

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


def parse_bool(value: object) -> bool:
    """true/false, yes/no (and `clean`, which Apple now spells false)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str | int) and str(value).strip().lower() in TRUE_WORDS:
        return True
    if isinstance(value, str | int) and str(value).strip().lower() in FALSE_WORDS:
        return False
    raise ValueError("must be true or false")


def parse_positive_int(value: object) -> int:
    if isinstance(value, bool):
        raise ValueError("must be a whole number")
    if isinstance(value, str) and value.strip().isdigit():
        if len(value.strip()) > 20:  # int() refuses past 4,300 digits, with a long message
            raise ValueError("must be a whole number of at most 20 digits")
        value = int(value.strip())
    if isinstance(value, int) and value > 0:
        return value
    raise ValueError("must be a whole number above 0")


def parse_date(value: object, zone: tzinfo) -> datetime:
    """An aware datetime from a YAML date/datetime or an ISO 8601 / RFC 2822 string.

    A value without an offset is in `zone` (the show's timezone).
    """
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, date):
        return datetime.combine(value, time(), zone)
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a date like 2024-03-12 or 2024-03-12T09:30:00+01:00")
    text = iso = value.strip()
    spaced = _SPACED_OFFSET.match(text)
    if spaced:
        offset = spaced.group(2)
        iso = spaced.group(1) + ("+00:00" if offset in ("Z", "UTC", "GMT") else offset)
    try:
        parsed = datetime.fromisoformat(iso)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            raise ValueError(
                "must be an ISO 8601 date like 2024-03-12 or 2024-03-12T09:30:00+01:00"
            ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
