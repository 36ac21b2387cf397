"""An imported item's parts that need rules of their own: its transcripts (types the build
knows, https only) and soundbites (ones the build would refuse are dropped, with a warning)."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from podcastfeed.errors import shorten
from podcastfeed.feeds.import_show import PODCAST, findall_in, text_of
from podcastfeed.source.episode_tags import TRANSCRIPT_TYPES
from podcastfeed.values import LANGUAGE

#: Transcript types feeds write for SubRip, and the registered one the build writes.
TRANSCRIPT_FIXES = dict.fromkeys(
    ("application/srt", "text/srt", "application/x-srt", "text/x-srt"), "application/x-subrip"
)


def transcripts(
    element: etree._Element, where: str, warnings: list[str], normalizations: list[str]
) -> list[dict[str, str]]:
    """podcast:transcript entries with a type the build accepts: `application/srt` and its
    kin become `application/x-subrip` (normalized); one of a type nobody knows is dropped."""
    found = []
    known = set(TRANSCRIPT_TYPES.values())
    for transcript in findall_in(element, "transcript", PODCAST):
        url = transcript.get("url", "")
        if not url.startswith("https://"):  # the namespace's (and the build's) rule
            warnings.append(f"{where}: transcript {shorten(url)} is no https:// URL; dropped")
            continue
        entry = {"url": url}
        for key in ("type", "language", "rel"):
            if transcript.get(key):
                entry[key] = transcript.get(key, "").strip()
        if not LANGUAGE.match(entry.get("language", "en")):  # the build's rule: else it stops
            dropped = f"transcript language {shorten(entry.pop('language'))} is no language code"
            warnings.append(f"{where}: {dropped}; dropped")
        stated = entry.get("type", "")
        if stated.lower() in TRANSCRIPT_FIXES:
            entry["type"] = TRANSCRIPT_FIXES[stated.lower()]
            normalizations.append(f"{where}: transcript type {stated} -> {entry['type']}")
        elif stated.lower() in known:
            entry["type"] = stated.lower()
        else:
            suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
            if suffix not in TRANSCRIPT_TYPES:
                warnings.append(
                    f"{where}: transcript {url} has type {stated or 'none'!r}, which podcastfeed "
                    "does not know; dropped"
                )
                continue
            entry["type"] = TRANSCRIPT_TYPES[suffix]
            normalizations.append(
                f"{where}: transcript type {stated or '(none)'} -> {entry['type']} (from {suffix})"
            )
        found.append(entry)
    return found


def soundbites(
    element: etree._Element, duration: int | None, where: str, warnings: list[str]
) -> list[dict[str, Any]]:
    """podcast:soundbite entries as front matter tables; one the build would refuse (not a
    number, ending after the stated duration) is dropped with a warning."""
    found: list[dict[str, Any]] = []
    for bite in findall_in(element, "soundbite", PODCAST):
        try:
            start, length = (float(bite.get(key) or "") for key in ("startTime", "duration"))
        except ValueError:
            start = length = -1.0
        if start < 0 or length <= 0 or (duration is not None and start + length > duration):
            warnings.append(f"{where}: podcast:soundbite {dict(bite.attrib)} unusable; dropped")
            continue
        entry: dict[str, Any] = {
            "start": int(start) if start.is_integer() else start,
            "duration": int(length) if length.is_integer() else length,
        }
        if text_of(bite):
            entry["title"] = text_of(bite)
        found.append(entry)
    return found
