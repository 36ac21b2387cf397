"""Rules on value-for-value blocks (`podcast:value`, `podcast:valueRecipient`,
`podcast:valueTimeSplit`) of any feed, ours or not: what an app needs to pay the recipients.
The same rules as source/valueparse.py applies to feed.toml and front matter.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from lxml import etree

from podcastfeed.lint.base import Feed, Hit, rule, text_of
from podcastfeed.source.valueparse import CUSTOM_KEY_RANGE, LNADDRESS, NODE, UUID, VALUE_TYPES
from podcastfeed.values import parse_duration
from podcastfeed.xmlns import PODCAST, PODCAST_LEGACY

PI_TAGS = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/tags/"
VALUE_SPEC = (
    "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/examples/value/value.md"
)
_NUMBER = re.compile(r"^\d+(\.\d+)?$")


def _children(parent: etree._Element, name: str) -> list[etree._Element]:
    return list(parent.iterchildren(f"{{{PODCAST}}}{name}", f"{{{PODCAST_LEGACY}}}{name}"))


def _blocks(feed: Feed) -> Iterator[tuple[etree._Element, etree._Element]]:
    """(channel or item, podcast:value) for every value block."""
    for parent in (feed.channel, *feed.items):
        for block in _children(parent, "value"):
            yield parent, block


def _recipients(block: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """(valueRecipient, the block's type) of a block and of its time splits."""
    kind = (block.get("type") or "").strip()
    for element in _children(block, "valueRecipient"):
        yield element, kind
    for split in _children(block, "valueTimeSplit"):
        for element in _children(split, "valueRecipient"):
            yield element, kind


@rule(
    "podcastindex/value", "error", "podcast:value names its type, method and recipients", VALUE_SPEC
)
def value_block(feed: Feed) -> Iterator[Hit]:
    """A `podcast:value` block needs a `type` (the payment layer, `lightning`) and a `method`
    (for lightning `keysend` or `amp`) and at least one `podcast:valueRecipient`; `suggested`,
    when present, is an amount such as `0.00000005000`. Apps cannot pay a block without them."""
    for _parent, block in _blocks(feed):
        kind, method = (block.get("type") or "").strip(), (block.get("method") or "").strip()
        missing = [name for name, got in (("type", kind), ("method", method)) if not got]
        if missing:
            yield Hit(block, f"podcast:value has no {' or '.join(missing)}", key="value")
        methods = VALUE_TYPES.get(kind)
        if methods and method and method not in methods:
            yield Hit(
                block,
                f"podcast:value method for {kind} must be {' or '.join(methods)} (got {method!r})",
                key="value",
            )
        if not _children(block, "valueRecipient"):
            yield Hit(block, "podcast:value has no podcast:valueRecipient", key="value")
        suggested = (block.get("suggested") or "").strip()
        if block.get("suggested") is not None and not _NUMBER.match(suggested):
            yield Hit(
                block,
                f"podcast:value suggested must be an amount like 0.00000005000 (got {suggested!r})",
                key="value",
            )


@rule(
    "podcastindex/value-recipient",
    "error",
    "podcast:valueRecipient has a type, an address of that type and a whole split",
    PI_TAGS + "value-recipient.md",
)
def value_recipient(feed: Feed) -> Iterator[Hit]:
    """Each `podcast:valueRecipient` needs `type`, `address` and `split` (a whole number of
    shares above 0). A `node` address is the node's public key, 66 hex digits starting 02 or
    03; an `lnaddress` is a Lightning address, `name@domain`; a lightning block pays only
    those two. `customKey` and `customValue` come together (for lightning the key is a TLV
    record type from 2^16 to 2^64 − 1); `fee` is `true` or `false`."""
    for element, kind in ((e, k) for _p, block in _blocks(feed) for e, k in _recipients(block)):
        rtype, address = (element.get("type") or "").strip(), (element.get("address") or "").strip()
        split, fee = (element.get("split") or "").strip(), element.get("fee")
        who = f"podcast:valueRecipient {element.get('name') or address or ''!r}"
        missing = [
            n for n, got in (("type", rtype), ("address", address), ("split", split)) if not got
        ]
        if missing:
            yield Hit(element, f"{who} has no {', '.join(missing)}", key="value")
        if split and (not split.isdigit() or len(split) > 20 or int(split) == 0):
            yield Hit(
                element, f"{who}: split must be a whole number above 0 (got {split!r})", key="value"
            )
        if rtype == "node" and address and not NODE.match(address):
            yield Hit(
                element,
                f"{who}: a node address is a public key, 66 hex digits starting 02 or 03 "
                f"(got {address!r})",
                key="value",
            )
        elif rtype == "lnaddress" and address and not LNADDRESS.match(address):
            yield Hit(element, f"{who}: an lnaddress is name@domain (got {address!r})", key="value")
        elif rtype and kind == "lightning" and rtype not in ("node", "lnaddress"):
            yield Hit(
                element,
                f"{who}: type must be node or lnaddress for lightning (got {rtype!r})",
                key="value",
            )
        if fee is not None and fee.strip().lower() not in ("true", "false"):
            yield Hit(element, f"{who}: fee must be true or false (got {fee!r})", key="value")
        custom_key, custom_value = element.get("customKey"), element.get("customValue")
        if (custom_key is None) != (custom_value is None):
            yield Hit(element, f"{who}: customKey and customValue come together", key="value")
        low, high = CUSTOM_KEY_RANGE
        if custom_key is not None and kind == "lightning":
            key = custom_key.strip()
            if not key.isdigit() or len(key) > 20 or not low <= int(key) <= high:
                yield Hit(
                    element,
                    f"{who}: customKey must be a TLV record type from {low} to 2^64 - 1 "
                    f"(got {custom_key!r})",
                    key="value",
                )


def _seconds(element: etree._Element, name: str) -> float | None:
    value = (element.get(name) or "").strip()
    return float(value) if _NUMBER.match(value) else None


@rule(
    "podcastindex/value-time-split",
    "error",
    "podcast:valueTimeSplit has a start and duration inside the episode, and whom to pay",
    PI_TAGS + "value-time-split.md",
)
def value_time_split(feed: Feed) -> Iterator[Hit]:
    """A `podcast:valueTimeSplit` needs `startTime` and `duration` in seconds (duration above
    0), and either exactly one `podcast:remoteItem` (with `feedGuid`) or one or more
    `podcast:valueRecipient`, not both. In an episode it must end inside the episode's
    `itunes:duration`: apps never reach a split that starts after the end."""
    for parent, block in _blocks(feed):
        length = None
        if parent.tag == "item":
            try:
                length = parse_duration(text_of(feed.find(parent, "itunes:duration")) or "")
            except ValueError:
                length = None  # apple/duration reports it
        for split in _children(block, "valueTimeSplit"):
            start, duration = _seconds(split, "startTime"), _seconds(split, "duration")
            if start is None or duration is None or duration <= 0:
                got = f"startTime={split.get('startTime')!r}, duration={split.get('duration')!r}"
                yield Hit(
                    split,
                    f"podcast:valueTimeSplit needs startTime and duration in seconds (got {got})",
                    key="value",
                )
            elif length is not None and start + duration > length:
                yield Hit(
                    split,
                    f"podcast:valueTimeSplit at {start:g} s + {duration:g} s ends after the "
                    f"episode's {length} s",
                    hint="measure the times against the published audio",
                    key="value",
                )
            remotes, recipients = _children(split, "remoteItem"), _children(split, "valueRecipient")
            if len(remotes) + bool(recipients) != 1 or len(remotes) > 1:
                yield Hit(
                    split,
                    "podcast:valueTimeSplit holds either one podcast:remoteItem or "
                    f"podcast:valueRecipient tags (got {len(remotes)} and {len(recipients)})",
                    key="value",
                )
            for remote in remotes:
                guid = (remote.get("feedGuid") or "").strip()
                if not UUID.match(guid.lower()):
                    yield Hit(
                        remote,
                        f"podcast:remoteItem feedGuid must be a UUID (got {guid!r})",
                        key="value",
                    )


@rule(
    "podcastindex/value-time-split-overlap",
    "warning",
    "A block's podcast:valueTimeSplit tags do not overlap",
    PI_TAGS + "value-time-split.md",
)
def value_time_split_overlap(feed: Feed) -> Iterator[Hit]:
    """Apps switch to a time split's recipients at its `startTime` and back after its
    `duration`; a split that starts before the previous one ends cuts that one short (the
    namespace's own "Locally Specified" example does: 63 + 388 s runs past 367 s). Valid, but
    rarely meant."""
    for _parent, block in _blocks(feed):
        timed = []
        for split in _children(block, "valueTimeSplit"):
            start, duration = _seconds(split, "startTime"), _seconds(split, "duration")
            if start is not None and duration is not None:
                timed.append((start, duration, split))
        timed.sort(key=lambda t: t[0])
        for (start, duration, _), (later, _d, split) in itertools.pairwise(timed):
            if later < start + duration:
                yield Hit(
                    split,
                    f"podcast:valueTimeSplit at {later:g} s starts before the one at {start:g} s "
                    f"ends ({start + duration:g} s)",
                    key="value",
                )


@rule(
    "podcastindex/value-recipient-name",
    "warning",
    "Each podcast:valueRecipient has a name",
    PI_TAGS + "value-recipient.md",
)
def value_recipient_name(feed: Feed) -> Iterator[Hit]:
    """The namespace recommends a `name` on every `podcast:valueRecipient` ("Alice
    (Podcaster)", "Hosting Provider"): apps show it when they say whom a payment goes to."""
    for element, _kind in ((e, k) for _p, block in _blocks(feed) for e, k in _recipients(block)):
        if not (element.get("name") or "").strip():
            address = element.get("address") or ""
            yield Hit(element, f"podcast:valueRecipient {address!r} has no name", key="value")
