"""An episode's `guid` as the front matter gives it, and whether readers may follow it."""

from __future__ import annotations

from datetime import date

from podcastfeed.errors import shorten
from podcastfeed.source.fields import FieldReader
from podcastfeed.values import parse_bool, parse_link


def read_guid(f: FieldReader) -> str | None:
    """The guid as YAML reads it: a show published with `guid: 0123` as "83" keeps its guids
    (the lock holds them). A guid YAML reads as other than its text (a number, a boolean, a
    date, a time) is published as YAML reads it, with a warning that says so and how to quote
    the guid to keep (a warning until then: `--strict` stops)."""
    guid = f.text("guid")
    key = f.key_for("guid")
    value = f.meta.get(key) if key is not None and not f.is_toml else None
    if guid is not None and isinstance(value, bool | int | float | date):
        written = f.as_written(key or "guid", value)
        if isinstance(written, str) and written.strip() != guid:
            f.problem(
                "guid",
                f"is written {shorten(written)}, which YAML reads as {shorten(guid)}: the guid "
                "the feed publishes",
                hint=f'quote the guid the feed is to publish: guid: "{written.strip()}" for an '
                f'episode not yet published, guid: "{guid}" for one that is (a published '
                "episode's guid must never change)",
                level="warning",
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
