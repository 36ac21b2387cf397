"""Rules on the episodes: enclosure, media format, guid, date, numbering, probe."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from lxml import etree

from podcastfeed.lint.base import PSP1, Feed, Hit, pub_date, repeats, rule, text_of
from podcastfeed.model import MIME_BY_EXTENSION
from podcastfeed.values import check_date_range, check_rfc822_year

PI_RECOMMENDATIONS = (
    "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/other-recommendations.md"
)
#: The MIME types an extension may be served as.
TYPES_BY_EXTENSION: dict[str, frozenset[str]] = {
    ".mp3": frozenset({"audio/mpeg"}),
    ".m4a": frozenset({"audio/x-m4a", "audio/mp4"}),
    ".m4b": frozenset({"audio/x-m4a", "audio/mp4", "audio/x-m4b"}),
    ".mp4": frozenset({"video/mp4", "audio/mp4"}),
    ".m4v": frozenset({"video/x-m4v", "video/mp4"}),
    ".mov": frozenset({"video/quicktime"}),
    ".aac": frozenset({"audio/aac", "audio/x-aac"}),
    ".ogg": frozenset({"audio/ogg", "audio/vorbis", "application/ogg"}),
    ".oga": frozenset({"audio/ogg"}),
    ".opus": frozenset({"audio/ogg", "audio/opus"}),
    ".flac": frozenset({"audio/flac", "audio/x-flac"}),
    ".wav": frozenset({"audio/wav", "audio/x-wav", "audio/wave"}),
}
#: Common wrong spellings and the type to write instead.
TYPE_FIXES = {
    "audio/mp3": "audio/mpeg",
    "audio/x-mp3": "audio/mpeg",
    "audio/mpeg3": "audio/mpeg",
    "audio/x-mpeg": "audio/mpeg",
    "audio/mpg": "audio/mpeg",
    "audio/m4a": "audio/x-m4a",
}
UNPLAYABLE = {".ogg": "Ogg", ".oga": "Ogg", ".opus": "Opus", ".flac": "FLAC", ".wav": "WAV"}
UNPLAYABLE_TYPES = {
    "audio/ogg": "Ogg",
    "audio/opus": "Opus",
    "audio/flac": "FLAC",
    "audio/x-flac": "FLAC",
    "audio/wav": "WAV",
    "audio/x-wav": "WAV",
}


def _extension(url: str) -> str:
    try:
        return PurePosixPath(urlsplit(url).path).suffix.lower()
    except ValueError:
        return ""


@rule("apple/item-title", "error", "Every episode has a title", PSP1 + "#required-item-elements")
def item_title(feed: Feed) -> Iterator[Hit]:
    """Apple requires a non-empty `title` on every `item`."""
    for item in feed.items:
        if not text_of(item.find("title")):
            yield Hit(item, "an episode has no title", key="title")


@rule(
    "apple/enclosure",
    "error",
    "Every episode has an enclosure with url, length and type",
    PSP1 + "#required-item-elements",
)
def enclosure(feed: Feed) -> Iterator[Hit]:
    """Every `item` needs one `enclosure` with the media's `url`, its `length` in bytes and its
    MIME `type`; an episode without one cannot be played and is dropped."""
    for item in feed.items:
        element = item.find("enclosure")
        title = text_of(item.find("title")) or "(untitled)"
        if element is None:
            yield Hit(item, f"episode {title!r} has no <enclosure>", key="audio")
            continue
        missing = [name for name in ("url", "length", "type") if not element.get(name)]
        if missing:
            yield Hit(
                element,
                f"episode {title!r}: the enclosure has no " + " or ".join(missing),
                key="audio",
            )


@rule(
    "apple/enclosure-length",
    "error",
    "The enclosure length is a whole number of bytes",
    PSP1 + "#required-item-elements",
)
def enclosure_length(feed: Feed) -> Iterator[Hit]:
    """`enclosure length` is the media file's size in bytes, a whole number. A negative number,
    a duration (`12:34`) or text is invalid RSS: apps show a wrong download size or refuse the
    download. (`0` is how feeds say "unknown": podcastfeed/length-unknown.)"""
    for item in feed.items:
        element = item.find("enclosure")
        value = element.get("length") if element is not None else None
        if value is None or value == "":
            continue  # apple/enclosure
        if not value.strip().isdigit():
            yield Hit(
                element,
                f"enclosure length must be the size in bytes (got {value!r})",
                hint="podcastfeed measures it when the audio is a local file or a URL",
                key="length",
            )


@rule(
    "podcastfeed/length-unknown",
    "warning",
    "The enclosure length is known (not 0)",
    "https://www.rssboard.org/rss-profile#element-channel-item-enclosure",
)
def length_unknown(feed: Feed) -> Iterator[Hit]:
    """An enclosure `length="0"` is how hosts say the size is unknown (the RSS Advisory Board's
    profile recommends it then). Apps play the episode but show no download size and cannot
    tell a cut-off download from a complete one."""
    for item in feed.items:
        element = item.find("enclosure")
        value = (element.get("length") or "").strip() if element is not None else ""
        if value.isdigit() and int(value) == 0:
            yield Hit(
                element,
                "enclosure length is 0 (unknown)",
                hint="podcastfeed measures it when the audio is a local file or a URL",
                key="length",
            )


@rule(
    "apple/enclosure-type",
    "error",
    "The enclosure type is the right MIME type for the file",
    PSP1 + "#required-item-elements",
)
def enclosure_type(feed: Feed) -> Iterator[Hit]:
    """`enclosure type` must be the MIME type of the file: `audio/mpeg` for MP3 (`audio/mp3` is
    not a registered type and some apps will not play it), `audio/x-m4a` or `audio/mp4` for M4A,
    `video/mp4` for MP4 and so on. A type that does not match the file's extension is an error."""
    for item in feed.items:
        element = item.find("enclosure")
        if element is None or not element.get("type") or not element.get("url"):
            continue
        kind = (element.get("type") or "").strip().lower()
        url = element.get("url") or ""
        extension = _extension(url)
        fix = TYPE_FIXES.get(kind)
        allowed = TYPES_BY_EXTENSION.get(extension)
        if fix or (allowed and kind not in allowed):
            # the fix for a known misspelling, else the type podcastfeed itself writes
            canonical = MIME_BY_EXTENSION.get(extension)
            better = (
                fix
                if fix and (not allowed or fix in allowed)
                else canonical
                if canonical in (allowed or ())
                else sorted(allowed or [])[0]
            )
            name = PurePosixPath(urlsplit(url).path).name
            hint, key = f'write type="{better}"', "mime_type"
            guid = text_of(item.find("guid")) or ""
            if feed.origin and not fix and not feed.origin.sets(guid, "mime_type"):
                # our own build measured the type: the file's name is what is wrong
                hint = f"the audio is {kind}, not what {extension} says: rename it or convert it"
                key = "audio"
            yield Hit(element, f"enclosure type {kind!r} does not fit {name!r}", hint, key)


@rule(
    "apple/media-format",
    "warning",
    "Media is in a format Apple Podcasts plays",
    "https://podcasters.apple.com/support/893-audio-requirements",
)
def media_format(feed: Feed) -> Iterator[Hit]:
    """Apple Podcasts plays MP3, AAC (M4A), ALAC and MP4/MOV video. Ogg Vorbis, Opus, FLAC and
    WAV files play in some apps but not in Apple Podcasts."""
    for item in feed.items:
        element = item.find("enclosure")
        if element is None:
            continue
        kind = (element.get("type") or "").lower()
        name = UNPLAYABLE.get(_extension(element.get("url") or "")) or UNPLAYABLE_TYPES.get(kind)
        if name:
            yield Hit(
                element,
                f"{name} audio does not play in Apple Podcasts: {element.get('url')}",
                hint="publish an MP3 or M4A (AAC) as well",
                key="audio",
            )


@rule("podcastindex/item-guid", "error", "Every episode has a non-empty guid", PI_RECOMMENDATIONS)
def item_guid(feed: Feed) -> Iterator[Hit]:
    """Apps know an episode by its `guid`; without one (or with an empty one) they fall back to
    the enclosure URL, and some drop the episode. It must be a permanent URI or UUID."""
    for item in feed.items:
        element = item.find("guid")
        if not text_of(element):
            title = text_of(item.find("title")) or "(untitled)"
            state = "no guid" if element is None else "an empty guid"
            yield Hit(
                element if element is not None else item,
                f"episode {title!r} has {state}",
                hint="give every episode a permanent guid (a UUID)",
                key="guid",
            )


@rule("podcastindex/guid-unique", "error", "No two episodes share a guid", PI_RECOMMENDATIONS)
def guid_unique(feed: Feed) -> Iterator[Hit]:
    """Two episodes with one `guid` are one episode to every app: one of them disappears."""

    def guid(item: etree._Element) -> tuple[etree._Element | None, str | None]:
        element = item.find("guid")
        return element, text_of(element)

    for element, value, first in repeats(feed, guid):
        yield Hit(
            element,
            f"guid {value!r} is used by an earlier episode too (line {first.sourceline})",
            key="guid",
        )


@rule(
    "apple/pubdate", "error", "Every pubDate is an RFC 2822 date", PSP1 + "#optional-item-elements"
)
def pubdate(feed: Feed) -> Iterator[Hit]:
    """`pubDate` must be an RFC 2822 date such as `Tue, 04 Apr 2023 06:00:00 +0200`; apps sort
    and date episodes by it, and one they cannot read puts the episode in the wrong place."""
    for item in feed.items:
        element = item.find("pubDate")
        value = text_of(element)
        if element is None:
            title = text_of(item.find("title")) or "(untitled)"
            yield Hit(item, f"episode {title!r} has no <pubDate>", key="date")
        elif pub_date(value) is None:
            yield Hit(
                element,
                f"pubDate is not an RFC 2822 date (got {value!r})",
                hint="e.g. Tue, 04 Apr 2023 06:00:00 +0200",
                key="date",
            )


@rule(
    "podcastfeed/date-range",
    "error",
    "Every pubDate is between 1970 and 2100",
    "https://www.rfc-editor.org/rfc/rfc2822#section-4.3",
)
def date_range(feed: Feed) -> Iterator[Hit]:
    """A `pubDate` before 1970 or after 2100 is a mistake (podcasts did not exist earlier), and
    readers cannot agree on it: `Mon, 01 Jan 1 …` or `0001` is read as 2001 or 2000 (RFC 2822's
    rule for short years), so the episode lands in the wrong place. An error, like a pubDate
    apps cannot read at all (issue 12; podcastfeed build refuses such dates too)."""
    for item in feed.items:
        element = item.find("pubDate")
        value = text_of(element)
        when = pub_date(value)
        if element is None or value is None or when is None:
            continue  # apple/pubdate reports it
        try:
            check_rfc822_year(value, when.year)
            check_date_range(when)
        except ValueError:
            yield Hit(element, f"pubDate must be between 1970 and 2100 (got {value!r})", key="date")


@rule(
    "podcastindex/future-date",
    "warning",
    "No published episode is dated in the future",
    "https://github.com/Podcastindex-org/web-ui/issues/88",
)
def future_date(feed: Feed) -> Iterator[Hit]:
    """The Podcast Index (and other apps) hide an episode until its `pubDate`; one dated in the
    future is published but invisible, and jumps to the top of the list later."""
    for item in feed.items:
        element = item.find("pubDate")
        when = pub_date(text_of(element)) if element is not None else None
        if when is not None and when > feed.now:
            yield Hit(element, f"pubDate {text_of(element)} is in the future", key="date")


@rule(
    "podcastfeed/mp3-frame-scan",
    "info",
    "An MP3 without a Xing/VBRI header was measured by counting its frames",
    "https://github.com/amtopel/epi/issues/1",
)
def mp3_frame_scan(feed: Feed) -> Iterator[Hit]:
    """A variable-bitrate MP3 without a Xing/VBRI header makes players guess its length from
    the first frame's bitrate (iOS shows such files up to twice as long). podcastfeed counted
    the frames, so the feed's duration is right; re-encoding with a header (LAME writes one)
    fixes the players' display too. Only for our own build: an existing feed does not say."""
    if feed.origin is None:
        return
    for item in feed.items:
        element = item.find("enclosure")
        url = element.get("url") if element is not None else None
        method = feed.origin.probe_methods.get(url or "", "")
        if element is not None and method.startswith("frame scan"):
            yield Hit(
                element,
                f"{PurePosixPath(urlsplit(url or '').path).name}: {method}",
                hint="re-encode with a Xing/LAME header so players show the right length",
                key="audio",
            )


@rule(
    "apple/serial-episode-number",
    "error",
    "Every full episode of a serial show is numbered",
    "https://github.com/ben-xo/dir2cast/issues/65",
)
def serial_episode_number(feed: Feed) -> Iterator[Hit]:
    """In a show with `itunes:type` `serial` Apple lists episodes by `itunes:episode`; every full
    episode (not trailers or bonus episodes) must have one."""
    if text_of(feed.find(feed.channel, "itunes:type")) != "serial":
        return
    for item in feed.items:
        kind = text_of(feed.find(item, "itunes:episodeType")) or "full"
        if kind == "full" and feed.find(item, "itunes:episode") is None:
            title = text_of(item.find("title")) or "(untitled)"
            yield Hit(
                item,
                f"episode {title!r} of a serial show has no itunes:episode",
                hint="add episode: N to its front matter",
                key="episode",
            )


@rule(
    "apple/episode-season-number",
    "error",
    "itunes:episode and itunes:season are whole numbers > 0",
    PSP1 + "#optional-item-elements",
)
def episode_season_number(feed: Feed) -> Iterator[Hit]:
    """`itunes:episode` and `itunes:season` must be non-zero whole numbers (1, 2, 3 …)."""
    for item in feed.items:
        for path, key in (("itunes:episode", "episode"), ("itunes:season", "season")):
            element = feed.find(item, path)
            value = text_of(element)
            if element is not None and not (value and value.isdigit() and int(value) > 0):
                yield Hit(element, f"{path} must be a whole number > 0 (got {value!r})", key=key)
