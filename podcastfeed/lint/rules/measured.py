"""Rules comparing what the front matter states with what podcastfeed measured (issue 14).
Only for our own build: an existing feed does not say what was measured."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from podcastfeed.lint.base import PSP1, Feed, Hit, rule, text_of
from podcastfeed.values import format_clock, parse_duration

#: How far a stated value may be from the measured one: a second of duration, 1 % of length.
DURATION_TOLERANCE = 1.0
LENGTH_TOLERANCE = 0.01


@rule(
    "podcastfeed/stated-vs-measured",
    "warning",
    "A duration or length written in the front matter matches the audio's",
    PSP1 + "#required-item-elements",
)
def stated_vs_measured(feed: Feed) -> Iterator[Hit]:
    """A `duration` or `length` written by hand (WordPress' PowerPress string, `mp3length:`,
    `podcast_duration:` …) wins over measuring, and spares fetching a remote file. When
    podcastfeed also knows a measurement (a local file, or the probe podcastfeed.lock kept) and
    they differ by more than a second or 1 % of the size, apps show a wrong length or cut the
    download short: correct the front matter, or remove the value to use the measurement."""
    if feed.origin is None:
        return
    for item in feed.items:
        enclosure = item.find("enclosure")
        url = enclosure.get("url") if enclosure is not None else None
        known = feed.origin.measured.get(url or "")
        if enclosure is None or known is None:
            continue
        name = PurePosixPath(urlsplit(url or "").path).name
        seconds, size = known
        element = feed.find(item, "itunes:duration")
        try:
            stated = parse_duration(text_of(element) or "")
        except ValueError:
            stated = None  # apple/duration reports it
        if stated is not None and abs(stated - seconds) > DURATION_TOLERANCE:
            yield Hit(
                element,
                f"{name}: duration {format_clock(stated)} ({stated} s) is stated, "
                f"{format_clock(seconds)} ({seconds:.1f} s) measured",
                hint="correct duration in the front matter, or remove it to use the measurement",
                key="duration",
            )
        length = enclosure.get("length") or ""
        if length.isdigit() and abs(int(length) - size) > LENGTH_TOLERANCE * size:
            yield Hit(
                enclosure,
                f"{name}: length {int(length):,} bytes is stated, {size:,} bytes measured",
                hint="correct length in the front matter, or remove it to use the measurement",
                key="length",
            )
