"""Read a feed we emitted with two independent parsers and check they agree."""

from __future__ import annotations

import io
from dataclasses import dataclass

import feedparser
import podcastparser
from lxml import etree


@dataclass(frozen=True)
class Item:
    guid: str
    title: str
    url: str
    length: int
    mime_type: str
    duration: int


def parse_both(xml: bytes) -> list[Item]:
    """The items as podcastparser reads them, in feed order, once asserted equal to what
    feedparser reads (allowing for its one known rewrite of text, below)."""
    etree.fromstring(xml)  # well-formed XML 1.0, or this raises
    fp = feedparser.parse(xml)
    assert not fp.bozo, f"feedparser: {fp.bozo_exception}"
    pp = podcastparser.parse("https://example.org/feed.xml", io.BytesIO(xml))

    from_fp = []
    for entry in fp.entries:
        enclosure = next(link for link in entry.links if link.get("rel") == "enclosure")
        from_fp.append(
            Item(
                entry.id,
                entry.title,
                enclosure.href,
                int(enclosure.length),
                enclosure.type,
                _seconds(entry.itunes_duration),
            )
        )
    from_pp = []
    for episode in pp["episodes"]:
        enclosure = episode["enclosures"][0]
        from_pp.append(
            Item(
                episode["guid"],
                episode["title"],
                enclosure["url"],
                enclosure["file_size"],
                enclosure["mime_type"],
                episode["total_time"],
            )
        )
    as_fp_reads = [
        Item(
            **{
                **i.__dict__,
                "guid": _as_feedparser_reads(i.guid),
                "title": _as_feedparser_reads(i.title),
            }
        )
        for i in from_pp
    ]
    assert sorted(from_fp, key=lambda i: i.guid) == sorted(as_fp_reads, key=lambda i: i.guid)
    # podcastparser's view (it keeps text as written), in the feed's order
    order = {item.guid: n for n, item in enumerate(from_fp)}
    return sorted(from_pp, key=lambda i: order[_as_feedparser_reads(i.guid)])


def _as_feedparser_reads(text: str) -> str:
    """feedparser "repairs" UTF-8 text that re-encodes as Latin-1 into valid UTF-8 ("Â¡" -> "¡",
    feedparser/mixin.py `pop`), a guess that changes correct text; model it to compare."""
    try:
        return text.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _seconds(text: str) -> int:
    total = 0
    for part in text.split(":"):
        total = total * 60 + int(part)
    return total
