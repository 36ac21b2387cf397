"""The data podcastfeed works on: frozen dataclasses, validated by the loaders. No I/O.

Durations are seconds, sizes bytes, datetimes timezone-aware.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

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
class Show:
    """The channel, as feed.toml's `[show]` describes it."""

    title: str
    description: str
    link: str
    feed_url: str
    language: str
    author: str
    owner: Owner
    image: str
    categories: tuple[Category, ...]
    is_explicit: bool
    type: str = "episodic"  # or "serial"
    audio_base_url: str | None = None
    copyright: str | None = None
    timezone: str = "UTC"
    guid: str | None = None  # a pinned podcast:guid; else derived from feed_url
    last_build_date: datetime | None = None  # else the newest episode's pubDate


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

    @property
    def is_remote(self) -> bool:
        return self.path is None


@dataclass(frozen=True)
class Episode:
    """One published (or unpublished) episode, as its file says."""

    source: Path  # the episode file
    title: str
    date: datetime  # aware
    audio: Audio | None  # None only for an unpublished episode without audio yet
    # The sanitized show notes for content:encoded, as UTF-8: a str with one curly quote takes
    # two bytes a character, and 10,000 episodes of notes are hundreds of MB.
    notes: bytes = b""
    description: str = ""  # sanitized HTML <= 4,000 bytes, for description
    is_published: bool = True
    guid: str | None = None  # from the front matter
    guid_is_permalink: bool = False
    permalink: str | None = None  # as written; with the file name, the key of a derived GUID
    link: str | None = None  # the episode's page, absolute
    author: str | None = None
    image: str | None = None
    keywords: tuple[str, ...] = ()
    season: int | None = None
    number: int | None = None  # itunes:episode
    episode_type: str | None = None  # full, trailer, bonus
    is_explicit: bool | None = None  # None: as the show
    duration: int | None = None  # front-matter override, seconds
    length: int | None = None  # front-matter override, bytes
    mime_type: str | None = None  # front-matter override

    @property
    def notes_html(self) -> str:
        return self.notes.decode("utf-8")
