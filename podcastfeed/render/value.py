"""Writes `podcast:value` blocks with their `podcast:valueRecipient` and
`podcast:valueTimeSplit` children (docs/tags/value.md, value-recipient.md,
value-time-split.md). Pure; the attribute order is fixed, so the output is deterministic.
"""

from __future__ import annotations

from lxml import etree

from podcastfeed.model import Value, ValueRecipient
from podcastfeed.render.elements import sub
from podcastfeed.xmlns import PODCAST


def _sub(parent: etree._Element, tag: str, **attrib: str | None) -> etree._Element:
    return sub(parent, PODCAST, tag, **attrib)


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def _recipients(parent: etree._Element, recipients: tuple[ValueRecipient, ...]) -> None:
    for r in recipients:
        _sub(
            parent,
            "valueRecipient",
            name=r.name,
            type=r.type,
            address=r.address,
            customKey=r.custom_key,
            customValue=r.custom_value,
            split=str(r.split),
            fee="true" if r.is_fee else None,
        )


def write_value(parent: etree._Element, blocks: tuple[Value, ...]) -> None:
    """Each value block under `parent` (the channel, or an item, whose block replaces the
    channel's for that episode)."""
    for block in blocks:
        element = _sub(
            parent, "value", type=block.type, method=block.method, suggested=block.suggested
        )
        _recipients(element, block.recipients)
        for split in block.time_splits:
            timed = _sub(
                element,
                "valueTimeSplit",
                startTime=_number(split.start),
                duration=_number(split.duration),
                remoteStartTime=None if split.remote_start is None else _number(split.remote_start),
                remotePercentage=(
                    None if split.remote_percentage is None else str(split.remote_percentage)
                ),
            )
            remote = split.remote_item
            if remote is not None:
                _sub(
                    timed,
                    "remoteItem",
                    feedGuid=remote.feed_guid,
                    itemGuid=remote.item_guid,
                    feedUrl=remote.feed_url,
                    medium=remote.medium,
                )
            _recipients(timed, split.recipients)
