"""The data podcastfeed works on: frozen dataclasses, validated by the loaders. No I/O.

Durations are seconds, sizes bytes, datetimes timezone-aware.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from isal import isal_zlib

#: MIME types of the audio and video containers podcastfeed understands, by extension.
MIME_BY_EXTENSION: dict[str, str] = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/x-m4a",
    ".m4b": "audio/x-m4a",
    ".mp4": "video/mp4",
    ".m4v": "video/x-m4v",
    ".mov": "video/quicktime",
    ".aac": "audio/aac",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/ogg",
    ".flac": "audio/flac",
    ".wav": "audio/wav",
}


@dataclass(frozen=True)
class Owner:
    """`itunes:owner`: who Apple and Spotify contact about the show."""

    name: str
    email: str


@dataclass(frozen=True)
class Category:
    """One Apple Podcasts category, optionally with a subcategory."""

    name: str
    subcategory: str | None = None

    def __str__(self) -> str:
        return f"{self.name} > {self.subcategory}" if self.subcategory else self.name


@dataclass(frozen=True)
class Person:
    """`podcast:person`: a host, guest or crew member (role and group from the namespace's
    taxonomy, lower-cased)."""

    name: str
    role: str | None = None
    group: str | None = None
    img: str | None = None
    href: str | None = None


@dataclass(frozen=True)
class Location:
    """`podcast:location`: a place the show or episode is about, or where it is made."""

    name: str
    geo: str | None = None  # "geo:lat,lon"
    osm: str | None = None  # "R113314"
    rel: str | None = None  # "subject" (the default) or "creator"
    country: str | None = None  # ISO 3166-1 alpha-2, upper case ("US")


@dataclass(frozen=True)
class License:
    """`podcast:license`: an id from the namespace's list, or any name with a URL."""

    name: str
    url: str | None = None


@dataclass(frozen=True)
class Image:
    """`podcast:image`: one image (or video) of the show or episode, a tag per size or use."""

    url: str  # href
    width: int | None = None
    alt: str | None = None
    aspect_ratio: str | None = None  # CSS syntax: "16/9"
    height: int | None = None
    mime_type: str | None = None
    purpose: str | None = None  # space-separated tokens: "artwork social"


@dataclass(frozen=True)
class LocalImage:
    """Cover art that is a local file, published beside the feed as `published_as` (relative to
    the feed's folder, e.g. "artwork/cover-3f2a9c1b7d40.jpg") and linked by absolute URL."""

    source: Path  # the file as found (not resolved)
    published_as: str


@dataclass(frozen=True)
class Funding:
    url: str
    text: str


@dataclass(frozen=True)
class Txt:
    text: str
    purpose: str | None = None


@dataclass(frozen=True)
class Trailer:
    title: str
    url: str
    pub_date: datetime
    length: int | None = None
    mime_type: str | None = None
    season: int | None = None


@dataclass(frozen=True)
class RemoteItem:
    """One show of `podcast:podroll`, or the show or episode a value time split pays."""

    feed_guid: str
    feed_url: str | None = None
    item_guid: str | None = None
    medium: str | None = None


@dataclass(frozen=True)
class UpdateFrequency:
    text: str
    rrule: str | None = None
    complete: bool | None = None
    dtstart: datetime | None = None


@dataclass(frozen=True)
class ValueRecipient:
    """`podcast:valueRecipient`: who gets `split` shares of each payment (docs/tags/
    value-recipient.md); `is_fee` shares come off the top."""

    type: str  # "node" (a lightning node's pubkey) or "lnaddress" (name@domain)
    address: str
    split: int
    name: str | None = None
    custom_key: str | None = None
    custom_value: str | None = None
    is_fee: bool = False


@dataclass(frozen=True)
class ValueTimeSplit:
    """`podcast:valueTimeSplit`: other recipients, or a remote item's, for a stretch of time."""

    start: float  # seconds
    duration: float  # seconds
    recipients: tuple[ValueRecipient, ...] = ()
    remote_item: RemoteItem | None = None
    remote_start: float | None = None
    remote_percentage: int | None = None


@dataclass(frozen=True)
class Value:
    """`podcast:value`: how listeners pay (lightning keysend …) and whom; an item's block
    replaces the channel's for that episode (docs/tags/value.md)."""

    type: str
    method: str
    recipients: tuple[ValueRecipient, ...]
    suggested: str | None = None  # a decimal as written, e.g. "0.00000005000"
    time_splits: tuple[ValueTimeSplit, ...] = ()


@dataclass(frozen=True)
class ShowTags:
    """The channel's optional tags beyond the basics (issue 4); empty when feed.toml sets none."""

    itunes_title: str | None = None
    is_blocked: bool = False
    is_complete: bool = False
    new_feed_url: str | None = None
    is_locked: bool | None = None
    locked_owner: str | None = None
    funding: tuple[Funding, ...] = ()
    persons: tuple[Person, ...] = ()
    license: License | None = None
    medium: str | None = None
    locations: tuple[Location, ...] = ()
    txt: tuple[Txt, ...] = ()
    trailers: tuple[Trailer, ...] = ()
    podroll: tuple[RemoteItem, ...] = ()
    update_frequency: UpdateFrequency | None = None
    images: tuple[Image, ...] = ()
    country_of_origin: tuple[str, ...] = ()
    spotify_limit: int | None = None
    hubs: tuple[str, ...] = ()
    value: tuple[Value, ...] = ()
    uses_podping: bool | None = None  # podcast:podping usesPodping
    enclosure_prefix: str | None = None  # analytics redirect before every enclosure URL

    @property
    def uses_spotify(self) -> bool:
        return bool(self.country_of_origin) or self.spotify_limit is not None


@dataclass(frozen=True)
class Show:
    """The channel, as feed.toml's `[show]` describes it."""

    title: str
    description: str
    link: str
    feed_url: str
    language: str
    author: str
    owner: Owner
    image: (
        str | None
    )  # the absolute URL (of the published copy, for a local file); None: no artwork yet
    categories: tuple[Category, ...]
    is_explicit: bool
    type: str = "episodic"  # or "serial"
    audio_base_url: str | None = None
    audio_url: str | None = None  # a template for episodes without an audio key (issue 14)
    copyright: str | None = None
    timezone: str = "UTC"
    guid: str | None = None  # a pinned podcast:guid; else derived from feed_url
    last_build_date: datetime | None = None  # else the newest episode's pubDate
    tags: ShowTags = ShowTags()
    page_url: str | None = None  # where the show page is published (atom:link alternate)
    subscribe: tuple[tuple[str, str], ...] = ()  # (app, URL) links on the show page
    image_file: LocalImage | None = None  # `image` is a local file, published beside the feed


@dataclass(frozen=True)
class AudioInfo:
    """What probing an audio file found."""

    duration: float  # seconds
    size: int  # bytes, exact
    mime_type: str
    method: str  # how the duration was measured, e.g. "Xing header", "frame scan"

    @property
    def seconds(self) -> int:
        """Whole seconds, as itunes:duration wants them."""
        return round(self.duration)


@dataclass(frozen=True)
class Audio:
    """Where an episode's audio is and which URL the enclosure publishes."""

    ref: str  # as written in the front matter
    url: str  # the enclosure URL
    path: Path | None = None  # the local file, or None for a URL
    line: int | None = None  # where the front matter gives it (for a probe's error)


@dataclass(frozen=True)
class Linked:
    """A transcript or chapters file: a URL as written, or a local file published next to the
    feed (`published_as`, relative to the feed's folder) and linked by absolute URL."""

    url: str
    mime_type: str
    source: Path | None = None  # the local file to publish
    published_as: str | None = None  # e.g. "transcripts/012-intro.vtt"
    language: str | None = None
    rel: str | None = None  # "captions"
    content: bytes = b""  # a file the build makes (a transcript from the notes, issue 16;
    # packed by pack_notes: read it with model.unpack)


@dataclass(frozen=True)
class Chapter:
    """One inline chapter from the front matter, or from the show notes' times (issue 16)."""

    start: float  # seconds
    title: str
    url: str | None = None
    img: str | None = None
    line: int | None = None  # where the show notes give it (None: from the front matter)


@dataclass(frozen=True)
class Soundbite:
    start: float  # seconds
    duration: float  # seconds
    title: str | None = None


@dataclass(frozen=True)
class Integrity:
    type: str  # "sri" or "pgp-signature"
    value: str


@dataclass(frozen=True)
class AlternateEnclosure:
    """`podcast:alternateEnclosure`: the same episode in another format or bitrate."""

    url: str
    mime_type: str
    length: int | None  # None: measured by the build (a local file, or a URL by Range reads)
    bitrate: float | None = None
    title: str | None = None
    integrity: Integrity | None = None
    path: Path | None = None  # the local file, published under audio_base_url
    line: int | None = None  # of `alternate_enclosures` in the front matter (a probe's error)


@dataclass(frozen=True)
class EpisodeTags:
    """An item's optional tags beyond the basics (issue 4); empty without front matter."""

    itunes_author: str | None = None  # only one other than the show's author
    itunes_title: str | None = None
    is_blocked: bool = False
    season_name: str | None = None
    podcast_episode: str | None = None  # decimal allowed, as written ("100.5")
    episode_display: str | None = None
    transcripts: tuple[Linked, ...] = ()
    chapters: Linked | None = None
    inline_chapters: tuple[Chapter, ...] = ()  # also written as psc:chapters
    persons: tuple[Person, ...] = ()
    soundbites: tuple[Soundbite, ...] = ()
    locations: tuple[Location, ...] = ()
    license: License | None = None
    images: tuple[Image, ...] = ()
    alternate_enclosures: tuple[AlternateEnclosure, ...] = ()
    value: tuple[Value, ...] = ()  # replaces the show's for this episode


EMPTY_EPISODE_TAGS = EpisodeTags()


@dataclass(frozen=True)
class Episode:
    """One published (or unpublished) episode, as its file says."""

    source: Path  # the episode file
    title: str
    date: datetime  # aware
    audio: Audio | None  # None only for an unpublished episode without audio yet
    # The sanitized show notes for content:encoded, as UTF-8 (a str with one curly quote takes
    # two bytes a character), or as pack_notes made them: 10,000 episodes of notes are
    # 200 MB as UTF-8, about 50 MB packed. Read them with notes_html.
    notes: bytes = b""
    description: str = ""  # sanitized HTML <= 4,000 bytes, for description
    is_published: bool = True
    guid: str | None = None  # from the front matter
    guid_is_permalink: bool = False
    permalink: str | None = None  # as written; with the file name, the key of a derived GUID
    link: str | None = None  # the episode's page, absolute
    author: str | None = None
    image: str | None = None  # absolute URL (of the published copy, for a local file)
    image_file: LocalImage | None = None
    image_ref: str | None = None  # a relative `image` as written: local when such a file exists
    keywords: tuple[str, ...] = ()
    season: int | None = None
    number: int | None = None  # itunes:episode
    episode_type: str | None = None  # full, trailer, bonus
    is_explicit: bool | None = None  # None: as the show
    duration: int | None = None  # front-matter override, seconds
    length: int | None = None  # front-matter override, bytes
    mime_type: str | None = None  # front-matter override
    tags: EpisodeTags = EMPTY_EPISODE_TAGS
    slug: str = ""  # the file's path in the episodes folder without suffix (`2024/intro`)
    expires: datetime | None = None  # Hugo's expiryDate: not published from then on

    @property
    def notes_html(self) -> str:
        return unpack(self.notes).decode("utf-8")


#: The mark of packed notes: no UTF-8 show notes start with NUL (control characters are
#: stripped from them).
_PACKED = b"\0z"


def pack_notes(html: str) -> bytes:
    """Show notes for Episode.notes (or a transcript for Linked.content), compressed: a zlib
    stream by ISA-L, 3x as fast as zlib's fastest level and smaller (issue 18)."""
    data = html.encode("utf-8")
    return _PACKED + isal_zlib.compress(data, 1) if len(data) > 256 else data


def unpack(data: bytes) -> bytes:
    """The bytes pack_notes packed (other bytes as they are); ISA-L inflates 3x as fast as zlib."""
    return isal_zlib.decompress(data[2:]) if data[:2] == _PACKED else data
