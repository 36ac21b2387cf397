"""`podcastfeed import --verify`: every difference between the source feed's items and the
rebuilt feed's, by guid."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from podcastfeed.feeds.feedvalues import clean_title, parse_pub_date
from podcastfeed.feeds.importer import Item, parse_xml, read_feed
from podcastfeed.values import parse_duration
from podcastfeed.xmlns import CONTENT, ITUNES

#: An HTML tag (notes that hold one are HTML; their words are what lies between).
BLOCK_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def compare(source: bytes | Sequence[Item], built: bytes) -> list[str]:
    """Every difference between the source feed's items (or the items an import read from all
    its pages) and the rebuilt feed's (guid, enclosure url/length/type, pubDate instant,
    duration, title, the notes' text)."""
    items = read_feed(source, "source").items if isinstance(source, bytes) else source
    want = {i.guid: i for i in items}
    got: dict[str, dict[str, Any]] = {}
    for element in parse_xml(built, "built").findall("item"):
        guid = (element.findtext("guid") or "").strip()
        enclosure = element.find("enclosure")
        assert enclosure is not None
        duration = element.findtext(f"{{{ITUNES}}}duration")
        notes = element.findtext(f"{{{CONTENT}}}encoded")
        got[guid] = {
            "url": enclosure.get("url"),
            "length": int(enclosure.get("length") or 0),
            "type": enclosure.get("type"),
            "date": parse_pub_date(element.findtext("pubDate") or "")[0],
            "duration": parse_duration(duration) if duration else None,
            "title": clean_title(element.findtext("title") or ""),
            "notes": notes or element.findtext("description") or "",
        }
    differences = [f"{guid}: missing from the rebuilt feed" for guid in want if guid not in got]
    differences += [f"{guid}: not in the source feed" for guid in got if guid not in want]
    for guid, item in want.items():
        if guid not in got:
            continue
        built_item = got[guid]
        expected = {
            "url": item.url,
            "length": item.length,
            "type": item.type,
            "date": item.date,
            "duration": item.duration,
            "title": item.title,
            "notes": item.notes,
        }
        for key, value in expected.items():
            have = built_item[key]
            if key == "notes":
                value, have = words(str(value)), words(str(have))
            if value is None or value == "":
                continue  # the source states none: podcastfeed measures or derives it
            if value != have:
                differences.append(f"{guid}: {key} {value!r} became {have!r}")
    return differences


def words(notes: str) -> str:
    """The notes' words: no tags, no comments (PowerPress marks its player with one, and the
    build's cleanup removes the player: issue 14)."""
    return " ".join(html.unescape(BLOCK_TAG.sub(" ", _COMMENT.sub(" ", notes))).split())
