"""What changed between two RSS feeds: channel fields, and episodes added, removed or changed.

Pure: takes the feeds' bytes, returns a FeedDiff; `format_diff` turns it into short lines for
`podcastfeed diff` and `podcastfeed build --check`, `diff_json` into the JSON of `diff --format
json` (docs/diff.md documents its schema). Episodes are matched by guid (else by enclosure URL,
else by title), as podcast apps match them. Values are compared by meaning (feeds/diffvalues.py:
the same instant, the same seconds, a default the spec defines), and shown as written; with
`exact`, by spelling.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from podcastfeed import xmlns
from podcastfeed.errors import PodcastfeedError
from podcastfeed.feeds.diffchannel import build_additions
from podcastfeed.feeds.diffvalues import channel_meaning, item_meaning
from podcastfeed.feeds.xml import FeedReadError, Repair, parse_feed

#: Prefixes for the namespaces a podcast feed uses, for readable field names.
PREFIXES = {
    xmlns.ITUNES: "itunes",
    xmlns.PODCAST: "podcast",
    xmlns.ATOM: "atom",
    xmlns.CONTENT: "content",
    xmlns.SPOTIFY: "spotify",
    xmlns.PSC: "psc",
}
#: Values longer than this are not shown in full, only said to have changed.
SHOWN = 60


Fields = dict[str, str]


@dataclass(frozen=True)
class FieldChange:
    name: str  # e.g. "title", "itunes:duration", "enclosure"
    old: str | None  # None: the field is new
    new: str | None  # None: the field was removed


@dataclass(frozen=True)
class EpisodeRef:
    key: str  # guid (or enclosure URL, or title)
    title: str


@dataclass
class FeedDiff:
    channel: list[FieldChange] = field(default_factory=list)
    added: list[EpisodeRef] = field(default_factory=list)
    removed: list[EpisodeRef] = field(default_factory=list)
    changed: list[tuple[EpisodeRef, list[FieldChange]]] = field(default_factory=list)
    #: What reading a feed that is not well-formed repaired: (the feed's name, the repair).
    repairs: list[tuple[str, Repair]] = field(default_factory=list)
    #: Channel fields the build added, derived from the rest of the feed (podcast:guid from its
    #: URL, the self link, `<image>` from itunes:image): not changes (feeds/diffchannel.py).
    notes: list[FieldChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.channel or self.added or self.removed or self.changed)


def diff_feeds(
    old: bytes, new: bytes, *, old_name: str = "old", new_name: str = "new", exact: bool = False
) -> FeedDiff:
    """The differences from feed `old` to feed `new`: values that mean something else (with
    `exact`, values spelled differently), each shown as written.

    Raises:
        PodcastfeedError: either is not an RSS feed (named by `old_name`/`new_name`).
    """
    repairs: list[tuple[str, Repair]] = []
    old_fields, old_meant, old_items = _read(old, old_name, exact, repairs)
    new_fields, new_meant, new_items = _read(new, new_name, exact, repairs)
    notes: list[FieldChange] = []
    if old_meant is not None and new_meant is not None:
        added = etree.Element("added")
        added.extend(build_additions(old_meant, new_meant))
        notes = [FieldChange(name, None, value) for name, value in _fields(added).items()]
    old_channel = _Side(old_fields, old_fields if old_meant is None else _fields(old_meant))
    new_channel = _Side(new_fields, new_fields if new_meant is None else _fields(new_meant))
    result = FeedDiff(channel=_changes(old_channel, new_channel), repairs=repairs, notes=notes)
    for key, (title, fields) in new_items.items():
        if key not in old_items:
            result.added.append(EpisodeRef(key, title))
            continue
        changes = _changes(old_items[key][1], fields)
        if changes:
            result.changed.append((EpisodeRef(key, title), changes))
    result.removed = [EpisodeRef(k, t) for k, (t, _) in old_items.items() if k not in new_items]
    return result


def format_diff(diff: FeedDiff) -> list[str]:
    """Short lines: `~ channel …`, `= channel …` (added by the build, no change), `+ episode …`,
    `- episode …`, `~ episode …: fields`."""
    lines = [f"~ channel {_change(change)}" for change in diff.channel]
    lines += [f"= channel {_change(change)}, derived by the build" for change in diff.notes]
    lines += [f"+ episode {_ref(ref)}" for ref in diff.added]
    lines += [f"- episode {_ref(ref)}" for ref in diff.removed]
    for ref, changes in diff.changed:
        lines.append(f"~ episode {_ref(ref)}: {', '.join(c.name for c in changes)}")
        lines += [f"    {_change(change)}" for change in changes]
    return lines


def summary(diff: FeedDiff) -> str:
    """One line: how many episodes were added, removed, changed, and channel fields changed."""
    parts = [
        f"{len(diff.added)} episode(s) added",
        f"{len(diff.removed)} removed",
        f"{len(diff.changed)} changed",
        f"{len(diff.channel)} channel field(s) changed",
    ]
    return ", ".join(parts)


#: The version of diff_json's schema: a change that breaks a reader of it bumps this number.
JSON_VERSION = 1


def diff_json(
    diff: FeedDiff | None,
    *,
    old: str,
    new: str,
    exact: bool,
    error: PodcastfeedError | None = None,
) -> dict[str, object]:
    """`podcastfeed diff --format json`: every key always present, values in full (not cut
    like format_diff's); `diff` None and `error` set when a feed could not be read. `repairs`
    are what reading a feed that is not well-formed repaired (feeds/xml.py)."""
    found = diff if diff is not None else FeedDiff()
    return {
        "version": JSON_VERSION,
        "old": old,
        "new": new,
        "exact": exact,
        "same": None if diff is None else not diff,
        "channel": [_change_json(change) for change in found.channel],
        "added": [_ref_json(ref) for ref in found.added],
        "removed": [_ref_json(ref) for ref in found.removed],
        "changed": [
            _ref_json(ref) | {"changes": [_change_json(change) for change in changes]}
            for ref, changes in found.changed
        ],
        "notes": [_change_json(change) for change in found.notes],
        "repairs": [
            {"source": source, "line": repair.line, "what": repair.what}
            for source, repair in found.repairs + tried_repairs(error)
        ],
        "error": None if error is None else _error_json(error),
    }


def tried_repairs(error: PodcastfeedError | None) -> list[tuple[str, Repair]]:
    """The repairs tried on a feed that could not be read even so (FeedReadError's)."""
    if not isinstance(error, FeedReadError):
        return []
    return [(str(error.source or ""), repair) for repair in error.repairs]


def _change_json(change: FieldChange) -> dict[str, object]:
    return {"field": change.name, "old": change.old, "new": change.new}


def _ref_json(ref: EpisodeRef) -> dict[str, object]:
    return {"key": ref.key, "title": ref.title}


def _error_json(error: PodcastfeedError) -> dict[str, object]:
    source = None if error.source is None else str(error.source)
    return {"source": source, "line": error.line, "message": error.message, "hint": error.hint}


def _ref(ref: EpisodeRef) -> str:
    return f"{ref.key} {_short(ref.title)!r}" if ref.title and ref.title != ref.key else ref.key


def _change(change: FieldChange) -> str:
    if change.old is None:
        return f"{change.name}: added {_shown(change.new)}"
    if change.new is None:
        return f"{change.name}: removed (was {_shown(change.old)})"
    if len(change.old) > SHOWN or len(change.new) > SHOWN:
        return f"{change.name}: changed"
    return f"{change.name}: {change.old!r} → {change.new!r}"


def _shown(value: str | None) -> str:
    return "" if value is None else repr(_short(value))


def _short(value: str) -> str:
    return value if len(value) <= SHOWN else value[: SHOWN - 1] + "…"


@dataclass(frozen=True)
class _Side:
    """A channel's or item's fields as written (what a change shows) and as meant (what is
    compared: feeds/diffvalues.py; the written ones again with `exact`)."""

    written: Fields
    meant: Fields


def _changes(old: _Side, new: _Side) -> list[FieldChange]:
    names = list(new.meant) + [name for name in old.meant if name not in new.meant]
    return [
        FieldChange(name, old.written.get(name), new.written.get(name))
        for name in names
        if old.meant.get(name) != new.meant.get(name)
        # Written on neither side: a default or the channel's persons differ, and the change
        # that made them differ (the title, the channel) is reported where it is written.
        and (name in old.written or name in new.written)
    ]


def _read(
    data: bytes, name: str, exact: bool, repairs: list[tuple[str, Repair]]
) -> tuple[Fields, etree._Element | None, dict[str, tuple[str, _Side]]]:
    """The channel's fields as written, its meaning (None with `exact`), and the items."""
    found: list[Repair] = []
    channel = parse_feed(data, name, found).find("channel")
    repairs += [(name, repair) for repair in found]
    assert channel is not None  # parse_feed checked it
    meant_channel = None if exact else channel_meaning(channel)
    items: dict[str, tuple[str, _Side]] = {}
    for item in channel.iterfind("item"):
        fields = _fields(item)
        title = fields.get("title", "")
        key = fields.get("guid") or _enclosure_url(item) or title
        while key in items:  # duplicates stay visible rather than hiding each other
            key += "'"
        meant = fields if meant_channel is None else _fields(item_meaning(item, meant_channel))
        items[key] = (title, _Side(fields, meant))
    return _fields(channel, skip="item"), meant_channel, items


def _enclosure_url(item: etree._Element) -> str:
    enclosure = item.find("enclosure")
    return "" if enclosure is None else enclosure.get("url", "")


def _fields(parent: etree._Element, skip: str = "") -> Fields:
    """Each child element by name; repeated elements (categories, persons) are one field."""
    found: dict[str, list[etree._Element]] = {}
    for child in parent:
        if not isinstance(child.tag, str) or child.tag == skip:
            continue  # comments, processing instructions
        found.setdefault(_name(child.tag), []).append(child)
    fields: Fields = {}
    for name, elements in found.items():
        (first, *more) = elements
        if more or not (first.attrib or len(first)):
            fields[name] = " | ".join(_value(element) for element in elements)
            continue
        # One element with attributes or children (enclosure, image, itunes:owner): a field per
        # attribute and child, so a diff says "enclosure length" rather than repeating the URL.
        for key, value in sorted(first.attrib.items()):
            fields[f"{name} {_name(str(key))}"] = str(value)
        for sub, value in _fields(first).items():
            fields[f"{name} {sub}"] = value
        text = " ".join((first.text or "").split())
        if text:
            fields[name] = text
    return fields


def _name(tag: str) -> str:
    if tag.startswith("{"):
        uri, local = tag[1:].split("}", 1)
        return f"{PREFIXES.get(uri, uri)}:{local}"
    return tag


def _value(element: etree._Element) -> str:
    parts = [f"{_name(str(k))}={v!s}" for k, v in sorted(element.attrib.items())]
    text = " ".join((element.text or "").split())
    if text:
        parts.append(text)
    for child in element:
        if isinstance(child.tag, str):
            parts.append(f"{_name(child.tag)}({_value(child)})")
    return " ".join(parts)
