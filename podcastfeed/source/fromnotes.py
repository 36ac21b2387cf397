"""What the show notes hold besides notes (issue 16): a timestamped topic list becomes the
episode's chapters, a transcript section its transcript, when the episode has none of its own.
Pure: works on the sanitized notes; the files are written with the other transcripts and
chapters (assets.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from podcastfeed.errors import Problem, shorten
from podcastfeed.model import EpisodeTags, Linked, pack_notes
from podcastfeed.source import assets
from podcastfeed.source.chapters import JSON_CHAPTERS_TYPE
from podcastfeed.source.fields import FieldReader
from podcastfeed.source.notechapters import HINT, chapters_from, topics
from podcastfeed.source.notetranscript import find_section, transcript_html
from podcastfeed.source.tables import TableReader

#: `[build] transcript_headings` unless feed.toml says otherwise; `*` stands for any text.
DEFAULT_HEADINGS = ("Transcript", "Full transcript", "Episode transcript", "* (Transcript)")
BUILD_KEYS = frozenset({"derive_chapters", "transcript_headings"})
HTML_TYPE = "text/html"


@dataclass(frozen=True)
class NotesSettings:
    """feed.toml's `[build] derive_chapters` and `transcript_headings`."""

    derive_chapters: bool = True
    transcript_headings: tuple[str, ...] = DEFAULT_HEADINGS


def read_settings(r: TableReader) -> NotesSettings:
    """The keys of `[build]` (read by `r`) this module uses; problems go to `r`."""
    derive = r.get("derive_chapters", bool)
    written = r.get("transcript_headings", list, what="a list of heading texts")
    headings = DEFAULT_HEADINGS
    if written is not None:
        bad = [h for h in written if not isinstance(h, str) or not h.strip()]
        if bad:
            r.problem(
                "transcript_headings",
                f"'transcript_headings' must be a list of heading texts (got {shorten(bad[0])})",
                hint='for example transcript_headings = ["Transcript", "* (Transcript)"]',
            )
        else:
            headings = tuple(h.strip() for h in written)
    return NotesSettings(derive is not False, headings)


def from_notes(
    f: FieldReader,
    notes: str,
    tags: EpisodeTags,
    settings: NotesSettings,
    *,
    feed_url: str,
    slug: str,
    body: str,
    first_line: int,
) -> tuple[str, EpisodeTags]:
    """The notes without their transcript section, and the tags with what the notes gave.

    Args:
        notes: the sanitized show notes.
        body: the file's text after the front matter (where line numbers are looked up),
            which starts at line `first_line`.
    """
    section = find_section(notes, settings.transcript_headings)
    rest = notes  # where chapters are looked for: a transcript's times are not topics
    transcript = None if section is None else transcript_html(notes[section.content : section.end])
    if section is not None and transcript is not None:  # None: a link to it, kept as notes
        before, after = notes[: section.start].rstrip("\n "), notes[section.end :].lstrip("\n ")
        rest = before + "\n" + after if before and after else before + after
        if not transcript or not tags.transcripts:  # an empty one is a heading left over
            notes = rest
        if transcript and not tags.transcripts:
            name = assets.transcript_name(slug, ".html", ())
            url = assets.asset_url(feed_url, name)
            linked = Linked(url, HTML_TYPE, published_as=name, content=pack_notes(transcript))
            tags = replace(tags, transcripts=(linked,))
    has_own = tags.chapters is not None or tags.inline_chapters or f.raw("chapters") is False
    if settings.derive_chapters and not has_own:
        chapters, why = chapters_from(topics(rest), body, first_line)
        if why is not None:
            f.problems.append(Problem("warning", why[0], f.display, why[1], HINT))
        if chapters:
            name = assets.chapters_name(slug)
            linked = Linked(assets.asset_url(feed_url, name), JSON_CHAPTERS_TYPE, None, name)
            tags = replace(tags, inline_chapters=chapters, chapters=linked)
    return notes, tags
