"""An episode's `guid` as the front matter gives it, and whether readers may follow it."""

from __future__ import annotations

from datetime import date, time

from podcastfeed.errors import shorten
from podcastfeed.source.fields import FieldReader
from podcastfeed.values import parse_bool, parse_link


def read_guid(f: FieldReader) -> str | None:
    """The guid as YAML (or TOML) reads it: a show published with `guid: 0123` as "83" keeps its
    guids (the lock holds them). A guid read as other than its text (a number, a boolean, a
    date, a time) is published as read, with a note that says so and how to quote it
    before the episode is published."""
    guid = f.text("guid")
    key = f.key_for("guid")
    value = f.meta.get(key) if key is not None else None
    if guid is not None and isinstance(value, bool | int | float | date | time):
        written = f.as_written(key or "guid", value)
        if isinstance(written, str) and written.strip() != guid:
            # a note, never fatal: a published guid stays as it was (the lock keeps it), and a
            # new one is as good as any; quoting it is for who wants the text as written
            kind, equals = ("TOML", "guid =") if f.is_toml else ("YAML", "guid:")
            f.problem(
                "guid",
                f"is written {shorten(written)}, which {kind} reads as {shorten(guid)}: the guid "
                "the feed publishes",
                hint=f'to publish it as written, quote it ({equals} "{written.strip()}") before '
                "the episode is published: a published episode's guid must never change",
                level="note",
            )
    return guid


def guid_is_link(f: FieldReader, guid: str | None, page: str | None) -> bool:
    """`guid_is_permalink: true` makes readers follow the guid (`read_guid`'s: read once, its
    problem said once): it must be a link then. Not written, it is true only when the guid is
    the episode's page (WordPress' `?p=142` guid is not a page to follow)."""
    if f.raw("guid_is_permalink") is None:
        return guid is not None and guid == page
    is_link = bool(f.parsed("guid_is_permalink", parse_bool))
    if is_link and guid is not None:
        try:
            parse_link(guid)
        except ValueError:
            f.problem(
                "guid", f"must be an http(s) URL, as guid_is_permalink is true (got {guid!r})"
            )
            return False
    return is_link
