"""Parsing value-for-value blocks (`podcast:value`, `podcast:valueRecipient`,
`podcast:valueTimeSplit`) into the model, with every problem and where in the block it is.
Pure. source/value.py reads them from feed.toml and front matter and finds the lines.

Read as the namespace describes them (docs/tags/value.md, value-recipient.md,
value-time-split.md; docs/examples/value/value.md and lnaddress.md): a block names the payment
layer (`type`, from the slug list value/valueslugs.txt) and how to pay on it (`method`); each
recipient gets `split` shares, `fee` shares come off the top. What the namespace only
recommends is a warning."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from podcastfeed.errors import shorten
from podcastfeed.model import RemoteItem, Value, ValueRecipient, ValueTimeSplit
from podcastfeed.source import tagvalues as tv
from podcastfeed.source.chapters import parse_time
from podcastfeed.values import parse_bool

#: The keys of each table of a value block (docs/configuration.md lists them).
VALUE_TABLE_KEYS: dict[str, frozenset[str]] = {
    "value": frozenset({"type", "method", "suggested", "recipients", "time_splits"}),
    "recipients": frozenset(
        {"name", "type", "address", "split", "fee", "custom_key", "custom_value"}
    ),
    "time_splits": frozenset(
        {"start", "duration", "remote_start", "remote_percentage", "remote_item", "recipients"}
    ),
    "remote_item": frozenset({"feed_guid", "item_guid", "feed_url", "medium"}),
}
#: The namespace's attribute and tag names, accepted as the spec writes them.
SPEC_NAMES = {
    "customKey": "custom_key",
    "customValue": "custom_value",
    "startTime": "start",
    "remoteStartTime": "remote_start",
    "remotePercentage": "remote_percentage",
    "remoteItem": "remote_item",
    "feedGuid": "feed_guid",
    "itemGuid": "item_guid",
    "feedUrl": "feed_url",
    "valueRecipient": "recipients",
    "valueRecipients": "recipients",
    "valueTimeSplit": "time_splits",
    "valueTimeSplits": "time_splits",
}
#: Value types of the namespace's slug list (value/valueslugs.txt) with the methods the spec
#: gives for them ("keysend" or "amp" for lightning; none named for bitcoin).
VALUE_TYPES: dict[str, tuple[str, ...]] = {"lightning": ("keysend", "amp"), "bitcoin": ()}
#: Recipient address types (value.md, "Value Recipient Address Types").
RECIPIENT_TYPES = ("node", "lnaddress")
NODE = re.compile(r"^0[23][0-9a-fA-F]{64}$")  # a compressed secp256k1 public key, in hex
LNADDRESS = re.compile(r"^[a-z0-9._+-]+@(?:[a-z0-9-]+\.)+[a-z]{2,}$", re.IGNORECASE)  # LUD-16
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
#: Lightning custom records: "a 64 bit integer greater than or equal to 2^16" (value.md).
CUSTOM_KEY_RANGE = (2**16, 2**64 - 1)

#: Where a problem is inside a value setting: keys and list positions.
Path_ = tuple[str | int, ...]


class _Walk:
    """Parses one value setting, collecting (level, message, where) for every problem."""

    def __init__(self) -> None:
        self.issues: list[tuple[str, str, Path_]] = []

    def error(self, where: Path_, message: str) -> None:
        self.issues.append(("error", message, where))

    def warn(self, where: Path_, message: str) -> None:
        self.issues.append(("warning", message, where))

    def table(self, value: object, kind: str, where: Path_) -> dict[str, Any] | None:
        keys = VALUE_TABLE_KEYS[kind]
        if not isinstance(value, dict):
            self.error(
                where, f"must be a table with {', '.join(sorted(keys))} (got {shorten(value)})"
            )
            return None
        data = {SPEC_NAMES.get(str(k), str(k)): v for k, v in value.items()}
        for key in sorted(set(data) - keys):
            self.error(
                (*where, key), f"has unknown key {shorten(key)} (known: {', '.join(sorted(keys))})"
            )
        return data

    def get(self, data: dict[str, Any], key: str, where: Path_, parse: Callable[[Any], Any]) -> Any:
        if data.get(key) is None:
            return None
        try:
            return parse(data[key])
        except ValueError as exc:
            self.error((*where, key), f"'{key}' {exc}")
            return None

    def entries(self, value: object) -> list[tuple[Path_, object]]:
        return (
            [((i,), v) for i, v in enumerate(value)] if isinstance(value, list) else [((), value)]
        )

    def blocks(self, value: object) -> tuple[Value, ...]:
        found = (self.value(item, where) for where, item in self.entries(value))
        return tuple(block for block in found if block is not None)

    def value(self, raw: object, where: Path_) -> Value | None:
        data = self.table(raw, "value", where)
        if data is None:
            return None
        kind = self.get(data, "type", where, _slug) or "lightning"
        methods = VALUE_TYPES.get(kind)
        if methods is None:
            self.warn(
                (*where, "type"),
                f"'type' {shorten(kind)} is not in the namespace's list of value types "
                f"({', '.join(VALUE_TYPES)}): apps may not know how to pay it",
            )
        method = self.get(data, "method", where, _slug) or (methods[0] if methods else "default")
        if methods and method not in methods:
            self.error(
                (*where, "method"),
                f"'method' must be {' or '.join(methods)} for {kind} (got {shorten(method)})",
            )
        recipients = self.recipients(data.get("recipients"), (*where, "recipients"), kind)
        if data.get("recipients") is None:
            self.error(where, "needs at least one recipient ('recipients')")
        splits = [
            (at, self.time_split(item, (*where, "time_splits", *at), kind))
            for at, item in self.entries(data.get("time_splits") or [])
        ]
        timed = [(at, split) for at, split in splits if split is not None]
        self.overlaps(timed, (*where, "time_splits"))
        return Value(
            type=kind,
            method=method,
            recipients=recipients,
            suggested=self.get(data, "suggested", where, _amount),
            time_splits=tuple(split for _at, split in timed),
        )

    def recipients(self, raw: object, where: Path_, kind: str) -> tuple[ValueRecipient, ...]:
        if raw is None:
            return ()
        if isinstance(raw, list) and not raw:
            self.error(where, "needs at least one recipient (got an empty list)")
        found = [self.recipient(item, (*where, *at), kind) for at, item in self.entries(raw)]
        recipients = tuple(r for r in found if r is not None)
        seen: set[tuple[str, str | None, str | None]] = set()
        for at, r in zip(self.entries(raw), found, strict=True):
            if r is None:
                continue
            key = (r.address, r.custom_key, r.custom_value)
            if key in seen:
                self.warn((*where, *at[0], "address"), f"pays {shorten(r.address)} twice")
            seen.add(key)
        if recipients and all(r.is_fee for r in recipients):
            self.warn(where, "has only fee recipients: nothing is left for the show")
        return recipients

    def recipient(self, raw: object, where: Path_, kind: str) -> ValueRecipient | None:
        data = self.table(raw, "recipients", where)
        if data is None:
            return None
        address = self.get(data, "address", where, _address)
        split = self.get(data, "split", where, _split)
        for needed in ("address", "split"):
            if data.get(needed) is None:
                self.error(where, f"needs {needed!r} (got {shorten(raw)})")
        if address is None or split is None:
            return None
        written = self.get(data, "type", where, _slug)
        rtype = written or ("lnaddress" if "@" in address else "node")
        at = (*where, "address")
        if rtype == "node" and not NODE.match(address):
            self.error(
                at,
                "'address' of a node must be its public key, 66 hex digits starting 02 or 03 "
                f"(got {shorten(address)})",
            )
        elif rtype == "lnaddress" and not LNADDRESS.match(address):
            self.error(
                at,
                "'address' of an lnaddress must be a Lightning address like name@example.com "
                f"(got {shorten(address)})",
            )
        elif rtype not in RECIPIENT_TYPES:
            if kind == "lightning":
                self.error(
                    (*where, "type"),
                    f"'type' must be node or lnaddress for lightning (got {shorten(rtype)})",
                )
            else:
                self.warn(
                    (*where, "type"),
                    f"'type' {shorten(rtype)} is not one podcastfeed knows (node, lnaddress): "
                    "its address is not checked",
                )
        name = self.get(data, "name", where, lambda v: tv.text(v, 255))
        if data.get("name") is None:
            self.warn(
                where,
                f"recipient {shorten(address)} has no 'name' "
                "(recommended: apps show whom a payment goes to)",
            )
        custom_key = self.get(data, "custom_key", where, _custom)
        custom_value = self.get(data, "custom_value", where, _custom)
        if (data.get("custom_key") is None) != (data.get("custom_value") is None):
            missing = "custom_key" if data.get("custom_key") is None else "custom_value"
            self.error(
                where, f"needs {missing!r} too: custom_value fills the record custom_key names"
            )
        if custom_key is not None and kind == "lightning":
            low, high = CUSTOM_KEY_RANGE
            if not custom_key.isdigit() or not low <= int(custom_key) <= high:
                self.error(
                    (*where, "custom_key"),
                    f"'custom_key' must be a TLV record type, a whole number from {low} (2^16) "
                    f"to 2^64 - 1 (got {shorten(custom_key)})",
                )
        return ValueRecipient(
            type=rtype,
            address=address,
            split=split,
            name=name,
            custom_key=custom_key,
            custom_value=custom_value,
            is_fee=bool(self.get(data, "fee", where, parse_bool)),
        )

    def time_split(self, raw: object, where: Path_, kind: str) -> ValueTimeSplit | None:
        data = self.table(raw, "time_splits", where)
        if data is None:
            return None
        start = self.get(data, "start", where, parse_time)
        duration = self.get(data, "duration", where, parse_time)
        for needed in ("start", "duration"):
            if data.get(needed) is None:
                self.error(where, f"needs {needed!r} (seconds or HH:MM:SS)")
        if duration is not None and duration <= 0:
            self.error(
                (*where, "duration"),
                f"'duration' must be above 0 (got {shorten(data['duration'])})",
            )
            duration = None
        remote = self.get(
            data, "remote_item", where, lambda v: self.remote_item(v, (*where, "remote_item"))
        )
        has_remote, has_recipients = "remote_item" in data, data.get("recipients") is not None
        if has_remote == has_recipients:
            self.error(where, "needs either 'remote_item' or 'recipients' (one of them, not both)")
        recipients = self.recipients(data.get("recipients"), (*where, "recipients"), kind)
        percentage = self.get(data, "remote_percentage", where, _percentage)
        for key in ("remote_start", "remote_percentage"):
            if data.get(key) is not None and not has_remote:
                self.warn((*where, key), f"'{key}' is only used with 'remote_item'")
        if start is None or duration is None:
            return None
        return ValueTimeSplit(
            start=start,
            duration=duration,
            recipients=recipients,
            remote_item=remote,
            remote_start=self.get(data, "remote_start", where, parse_time),
            remote_percentage=percentage,
        )

    def remote_item(self, raw: object, where: Path_) -> RemoteItem | None:
        data = self.table(raw, "remote_item", where)
        if data is None:
            return None
        guid = data.get("feed_guid")
        if not isinstance(guid, str) or not UUID.match(guid):
            self.error(
                (*where, "feed_guid"),
                "'feed_guid' must be the podcast:guid of the remote feed, a UUID "
                f"(got {shorten(guid)})",
            )
            return None
        return RemoteItem(
            guid.lower(),
            feed_url=self.get(data, "feed_url", where, tv.https_url),
            item_guid=self.get(data, "item_guid", where, lambda v: tv.text(v, 4000)),
            medium=self.get(data, "medium", where, tv.medium),
        )

    def overlaps(self, splits: list[tuple[Path_, ValueTimeSplit]], where: Path_) -> None:
        """A warning for each split that starts before the one before it ends: the namespace
        does not forbid it (its own "Locally Specified" example overlaps), but apps switch at
        each startTime, so the earlier split ends early."""
        ordered = sorted(splits, key=lambda pair: pair[1].start)
        for (_, a), (at, b) in itertools.pairwise(ordered):
            if b.start < a.start + a.duration:
                self.warn(
                    (*where, *at, "start"),
                    f"time split at {b.start:g} s starts before the one at {a.start:g} s ends "
                    f"({a.start + a.duration:g} s): apps switch to it then",
                )


def _slug(value: object) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", value.strip()):
        raise ValueError(f"must be a name like lightning, keysend or node (got {shorten(value)})")
    return value.strip()


def _address(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(f"must be text: quote it (YAML read {shorten(value)} as a number)")
    return tv.text(value, 512)


def _split(value: object) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"must be a whole number of shares above 0 (got {shorten(value)})")
    return value


def _custom(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"must be text or a whole number (got {shorten(value)})")
    return tv.text(value, 1000)


def _percentage(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise ValueError(f"must be a whole number from 0 to 100 (got {shorten(value)})")
    return value


def _amount(value: object) -> str:
    """A decimal above 0 as written ("0.00000005000"); a float YAML or TOML read is written
    without an exponent (5e-08 is 0.00000005), in at most 30 characters ("1e999999" would be a
    million digits)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"must be a number like 0.00000005000 (got {shorten(value)})")
    written = value.strip() if isinstance(value, str) else repr(value)
    try:
        amount = Decimal(written) if len(written) <= 30 else Decimal(0)
    except InvalidOperation:
        amount = Decimal(0)
    plain = written if re.fullmatch(r"\d+(\.\d+)?", written) else None
    if amount.is_finite() and amount > 0 and plain is None and abs(amount.adjusted()) < 20:
        plain = format(amount, "f")
    if not amount.is_finite() or amount <= 0 or plain is None or len(plain) > 30:
        raise ValueError(
            f"must be a number above 0 like 0.00000005000, at most 30 characters "
            f"(got {shorten(value)})"
        )
    return plain


def parse_value(raw: object) -> tuple[tuple[Value, ...], list[tuple[str, str, Path_]]]:
    """The value blocks of one `value` setting (a table or a list of tables), and every
    (level, message, where) problem, `where` the path of keys and positions inside it."""
    walk = _Walk()
    blocks = walk.blocks(raw)
    return blocks, walk.issues
