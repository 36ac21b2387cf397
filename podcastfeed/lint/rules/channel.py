"""Rules on the channel: required tags, category, language, owner, values Apple accepts, GUID.

Also the rules that apply to channel and items alike (explicit, description length, https).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from lxml import etree

from podcastfeed.ids import podcast_guid
from podcastfeed.lint.base import PSP1, Feed, Hit, rule, text_of
from podcastfeed.source.categories import parse_category
from podcastfeed.values import EMAIL, LANGUAGE

APPLE_CATEGORIES = "https://podcasters.apple.com/support/1691-apple-podcasts-categories"
PI_GUID = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/tags/guid.md"
PI_SPEC = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"
DESCRIPTION_LIMIT = 4000  # bytes

#: Required channel elements and the feed.toml key that sets each.
REQUIRED = {
    "title": "title",
    "description": "description",
    "link": "link",
    "language": "language",
    "itunes:category": "categories",
    "itunes:explicit": "explicit",
    "itunes:image": "image",
}


@rule(
    "apple/required-tags",
    "error",
    "The channel has title, description, link, language, category, explicit and image",
    PSP1 + "#required-channel-elements",
)
def required_tags(feed: Feed) -> Iterator[Hit]:
    """Apple Podcasts refuses a feed whose channel lacks any of `title`, `description`, `link`,
    `language`, `itunes:category`, `itunes:explicit` or `itunes:image` (an empty one counts as
    missing; `itunes:image` needs an `href`)."""
    channel = feed.channel
    for path, key in REQUIRED.items():
        element = feed.find(channel, path)
        if path in ("itunes:category", "itunes:image"):
            attribute = "text" if path == "itunes:category" else "href"
            value = element.get(attribute) if element is not None else None
        else:
            value = text_of(element)
        if not value:
            state = "is missing" if element is None else "is empty"
            yield Hit(
                element if element is not None else channel,
                f"the channel's <{path}> {state}",
                hint=f"set {key} in feed.toml" if feed.origin else None,
                key=key,
            )


@rule(
    "apple/category",
    "error",
    "Categories come from Apple's current (2019+) list",
    APPLE_CATEGORIES,
)
def category(feed: Feed) -> Iterator[Hit]:
    """Each `itunes:category` (and a nested subcategory) must be one of Apple's current
    categories, spelled as Apple spells them (`&amp;` in XML). Pre-2019 names such as
    "Games & Hobbies" are no longer listed; the hint names the category that replaced them."""
    for element in feed.findall(feed.channel, "itunes:category"):
        name = element.get("text") or ""
        subs: list[etree._Element | None] = [*feed.findall(element, "itunes:category")]
        for sub in subs or [None]:
            text = name + (f" > {sub.get('text') or ''}" if sub is not None else "")
            try:
                parse_category(text)
            except ValueError as exc:
                message = str(exc)
                hint = None
                if "Apple now calls it" in message:
                    hint = "use " + message.split("Apple now calls it ", 1)[1]
                yield Hit(sub if sub is not None else element, message, hint, "categories")


@rule(
    "apple/language-code",
    "warning",
    "The language is a language code such as en or en-US",
    PSP1 + "#required-channel-elements",
)
def language_code(feed: Feed) -> Iterator[Hit]:
    """`language` is an ISO 639 language code, optionally with a region (BCP 47 shape: `en`,
    `de-AT`, `pt-BR`). Directories use it to list the show in the right store."""
    element = feed.find(feed.channel, "language")
    value = text_of(element)
    if element is not None and value and not LANGUAGE.match(value):
        yield Hit(
            element,
            f"<language> must be a code like 'en' or 'en-US' (got {value!r})",
            key="language",
        )


@rule(
    "spotify/owner-email",
    "error",
    "itunes:owner has a valid e-mail address",
    "https://github.com/mxpv/podsync/issues/171",
)
def owner_email(feed: Feed) -> Iterator[Hit]:
    """Spotify (and Apple, for ownership questions) mails a code to `itunes:owner/itunes:email`
    to verify that the submitter owns the show; without a valid address the show cannot be
    claimed."""
    owner = feed.find(feed.channel, "itunes:owner")
    email = feed.find(owner, "itunes:email") if owner is not None else None
    value = text_of(email)
    if not value:
        yield Hit(
            email if email is not None else owner if owner is not None else feed.channel,
            "the channel has no itunes:owner/itunes:email",
            hint="add an owner e-mail: Spotify verifies ownership through it",
            key="owner",
        )
    elif not EMAIL.match(value):
        yield Hit(
            email, f"itunes:owner e-mail is not an e-mail address (got {value!r})", key="owner"
        )


@rule(
    "podcastindex/https",
    "warning",
    "Links, feed URL, artwork and media use https",
    PI_SPEC,
)
def https(feed: Feed) -> Iterator[Hit]:
    """The Podcast Index namespace requires `https:` for linked resources, and Apple fetches
    artwork and media over https. Checked: the channel `link`, `atom:link rel="self"`,
    `itunes:new-feed-url`, every `itunes:image` and every enclosure."""
    channel = feed.channel
    checks: list[tuple[etree._Element | None, str | None, str]] = [
        (link := feed.find(channel, "link"), text_of(link), "link"),
    ]
    for atom in feed.findall(channel, "atom:link"):
        if atom.get("rel") == "self":
            checks.append((atom, atom.get("href"), "feed_url"))
    moved = feed.find(channel, "itunes:new-feed-url")
    checks.append((moved, text_of(moved), "feed_url"))
    for parent in (channel, *feed.items):
        for image in feed.findall(parent, "itunes:image"):
            checks.append((image, image.get("href"), "image"))
        enclosure = parent.find("enclosure")
        checks.append((enclosure, enclosure.get("url") if enclosure is not None else "", "audio"))
    for element, url, key in checks:
        if element is not None and url and url.lower().startswith("http://"):
            yield Hit(
                element,
                f"<{_name(element)}> is not https: {url}",
                hint="serve it over https",
                key=key,
            )


@rule(
    "apple/description-length",
    "error",
    "Channel and episode descriptions are at most 4,000 bytes",
    PSP1 + "#required-channel-elements",
)
def description_length(feed: Feed) -> Iterator[Hit]:
    """Apple cuts or rejects a `description` longer than 4,000 bytes (UTF-8, markup included),
    for the channel and for each episode. podcastfeed shortens episode descriptions itself; the
    full notes go to `content:encoded`."""
    for parent in (feed.channel, *feed.items):
        element = parent.find("description")
        size = len((element.text or "").encode("utf-8")) if element is not None else 0
        if size > DESCRIPTION_LIMIT:
            where = "the channel's" if parent is feed.channel else "the episode's"
            yield Hit(
                element,
                f"{where} description is {size:,} bytes (at most 4,000)",
                hint="shorten it; put the full text in content:encoded",
                key="description" if parent is feed.channel else "summary",
            )


def _self_url(feed: Feed) -> str | None:
    for atom in feed.findall(feed.channel, "atom:link"):
        if atom.get("rel") == "self" and atom.get("href"):
            return atom.get("href")
    return text_of(feed.find(feed.channel, "itunes:new-feed-url")) or None


@rule("podcastindex/guid-format", "warning", "podcast:guid is a UUID", PI_GUID)
def guid_format(feed: Feed) -> Iterator[Hit]:
    """`podcast:guid` must be a UUID (the spec says a version 5 UUID made from the feed URL);
    apps use it to follow a show across moves."""
    element = feed.find(feed.channel, "podcast:guid")
    value = text_of(element)
    if element is None:
        return
    try:
        parsed = uuid.UUID(value or "")
    except ValueError:
        yield Hit(element, f"podcast:guid is not a UUID (got {value!r})", key="guid")
        return
    if parsed.version != 5:
        yield Hit(
            element,
            f"podcast:guid is a version {parsed.version} UUID, not version 5",
            hint="derive it from the feed URL as the spec says",
            key="guid",
        )


@rule(
    "podcastindex/guid-derived",
    "info",
    "podcast:guid is the one derived from the feed URL",
    PI_GUID,
)
def guid_derived(feed: Feed) -> Iterator[Hit]:
    """The spec's `podcast:guid` is UUIDv5(ead4c236-bf58-58c6-a2c6-a6b28d128cb6, the feed URL
    without scheme and trailing slashes). A different value is fine when it was pinned on purpose
    (a show that moved keeps its GUID); this note says so, so a typo does not go unnoticed."""
    element = feed.find(feed.channel, "podcast:guid")
    url = _self_url(feed)
    value = (text_of(element) or "").lower()
    if element is None or not url or not value:
        return
    expected = podcast_guid(url)
    if value != expected:
        yield Hit(
            element,
            f"podcast:guid {value} is not the one derived from {url} ({expected}): pinned?",
            key="guid",
        )


def _name(element: etree._Element) -> str:
    """`itunes:explicit` for {itunes namespace}explicit."""
    qname = etree.QName(element)
    return f"{element.prefix}:{qname.localname}" if element.prefix else qname.localname


@rule(
    "apple/explicit-value",
    "error",
    "itunes:explicit is true or false",
    PSP1 + "#required-channel-elements",
)
def explicit_value(feed: Feed) -> Iterator[Hit]:
    """Apple's current spec wants `true` or `false` in `itunes:explicit` (channel, required, and
    episodes, optional). The old `yes`/`no`/`clean` values are errors in Podcasts Connect."""
    fixes = {"yes": "true", "explicit": "true", "no": "false", "clean": "false"}
    for parent in (feed.channel, *feed.items):
        element = feed.find(parent, "itunes:explicit")
        value = text_of(element)
        if element is not None and value not in ("true", "false"):
            fix = fixes.get((value or "").lower())
            yield Hit(
                element,
                f"itunes:explicit must be true or false (got {value!r})",
                hint=f"write <itunes:explicit>{fix}</itunes:explicit>" if fix else None,
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
            if value != "yes":
                yield Hit(
                    element,
                    f"{path} only means something as 'yes' (got {value!r})",
                    hint="remove the tag",
                    key=key,
                )


@rule(
    "apple/duplicate-image",
    "warning",
    "The channel has one itunes:image",
    PSP1 + "#required-channel-elements",
)
def duplicate_image(feed: Feed) -> Iterator[Hit]:
    """Two channel `itunes:image` elements leave it to each app which one to show."""
    images = feed.findall(feed.channel, "itunes:image")
    for extra in images[1:]:
        first = images[0]
        yield Hit(
            extra,
            f"a second channel itunes:image ({extra.get('href')!r}; the first, "
            f"line {first.sourceline}, is {first.get('href')!r})",
            hint="keep one",
            key="image",
        )
