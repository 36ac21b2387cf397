"""Rules on Apple's flag tags: itunes:explicit (true or false; the older yes/no/clean spellings
apps still read), itunes:block and itunes:complete (only ever yes)."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from podcastfeed.lint.base import PSP1, Feed, Hit, rule, text_of

#: The values Apple documented before true/false, and what they mean.
EXPLICIT_LEGACY = {"yes": "true", "explicit": "true", "no": "false", "clean": "false"}


def _explicit(feed: Feed) -> Iterator[tuple[etree._Element, str]]:
    """(element, value) for each itunes:explicit that is not exactly true or false."""
    for parent in (feed.channel, *feed.items):
        element = feed.find(parent, "itunes:explicit")
        value = text_of(element) or ""
        if element is not None and value not in ("true", "false"):
            yield element, value


@rule(
    "apple/explicit-value",
    "error",
    "itunes:explicit is true or false",
    PSP1 + "#required-channel-elements",
)
def explicit_value(feed: Feed) -> Iterator[Hit]:
    """Apple's current spec wants `true` or `false` in `itunes:explicit` (channel, required, and
    episodes, optional). Any other value (empty, `maybe`, `0`) means nothing to the apps: they
    drop the tag, and a channel without it is refused. (The older spellings apps still read
    are apple/explicit-legacy.)"""
    for element, value in _explicit(feed):
        if value.lower() not in (*EXPLICIT_LEGACY, "true", "false"):
            yield Hit(
                element,
                f"itunes:explicit must be true or false (got {value!r})",
                key="explicit",
            )


@rule(
    "apple/explicit-legacy",
    "warning",
    "itunes:explicit is spelled true or false, not yes, no or clean",
    "https://github.com/rometools/rome/pull/386",
)
def explicit_legacy(feed: Feed) -> Iterator[Hit]:
    """Apple documented `yes`/`explicit` and `no`/`clean` before it settled on `true` and
    `false`, and apps still read them (big shows still write `yes`), but Podcasts Connect and
    the validators flag them, and a new reader may not know them. The hint gives the current
    spelling. The episodes' are reported once, at the first, with how many more there are."""
    found = []
    for element, value in _explicit(feed):
        fix = EXPLICIT_LEGACY.get(value.lower()) or value.lower()
        if fix in ("true", "false"):
            found.append((element, value, fix))
    channel = [f for f in found if f[0].getparent() is feed.channel]
    items = [f for f in found if f[0].getparent() is not feed.channel]
    for number, (element, value, fix) in enumerate(channel + items[:1]):
        more = len(items) - 1 if number == len(channel) else 0  # (59 for one feed's items)
        yield Hit(
            element,
            f"itunes:explicit should be true or false (got {value!r})"
            + (f" (and {more} more episode(s))" if more else ""),
            hint=f"write <itunes:explicit>{fix}</itunes:explicit>",
            key="explicit",
        )


@rule(
    "apple/block-value",
    "warning",
    "itunes:block is only ever yes",
    PSP1 + "#optional-channel-elements",
)
def block_value(feed: Feed) -> Iterator[Hit]:
    """`itunes:block` hides a show or episode when it is `yes`; any other value does nothing and
    reads as if it meant something: leave the tag out instead."""
    yield from _only_yes(feed, "itunes:block", "block")


@rule(
    "apple/complete-value",
    "warning",
    "itunes:complete is only ever yes",
    PSP1 + "#optional-channel-elements",
)
def complete_value(feed: Feed) -> Iterator[Hit]:
    """`itunes:complete` `yes` says no more episodes will come; any other value does nothing:
    leave the tag out instead."""
    yield from _only_yes(feed, "itunes:complete", "complete")


def _only_yes(feed: Feed, path: str, key: str) -> Iterator[Hit]:
    for parent in (feed.channel, *feed.items):
        for element in feed.findall(parent, path):
            value = text_of(element)
            if (value or "").lower() != "yes":  # Apple's own examples write "Yes"
                yield Hit(
                    element,
                    f"{path} only means something as 'yes' (got {value!r})",
                    hint="remove the tag",
                    key=key,
                )
