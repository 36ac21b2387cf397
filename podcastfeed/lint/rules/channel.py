"""Rules on the channel: required tags, category, language, owner, GUID, one cover.

Also the description length of channel and items alike; Apple's flag tags (explicit, block,
complete) are in flags.py, the rules on URLs (https, their characters) in links.py.
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
#: What to write for a key a show imported without it lacks (issue 15: the build's one warning).
_SET = {
    "image": 'add image = "cover.jpg" (or an https:// URL) to [show] in feed.toml',
    "categories": 'set categories in feed.toml, e.g. ["Technology"]: '
    "https://podcasters.apple.com/support/1691-apple-podcasts-categories",
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
                hint=_SET.get(key, f"set {key} in feed.toml") if feed.origin else None,
                key=key,
            )


def _category_problems(feed: Feed) -> Iterator[tuple[etree._Element, str]]:
    """(element, message) for each itunes:category (or subcategory) Apple does not list."""
    for element in feed.findall(feed.channel, "itunes:category"):
        name = element.get("text") or ""
        subs: list[etree._Element | None] = [*feed.findall(element, "itunes:category")]
        for sub in subs or [None]:
            text = name + (f" > {sub.get('text') or ''}" if sub is not None else "")
            try:
                parse_category(text)
            except ValueError as exc:
                yield (sub if sub is not None else element), str(exc)


@rule(
    "apple/has-episodes",
    "warning",
    "The feed has at least one episode",
    "https://podcasters.apple.com/support/823-podcast-requirements",
)
def has_episodes(feed: Feed) -> Iterator[Hit]:
    """Apple Podcasts Connect and Spotify take a show for review only when its feed has at least
    one episode: a new show's drafts (`podcastfeed init` writes one) are not in the feed.
    Publish one, a trailer will do, before you submit the feed."""
    if not feed.items:
        yield Hit(
            feed.channel,
            "the feed has no episodes: Apple and Spotify take a show only with one",
            hint="publish an episode (a trailer will do) before you submit the feed",
        )


@rule(
    "podcastfeed/todo",
    "warning",
    "feed.toml has no TODO left by podcastfeed init or import",
    "https://podcasters.apple.com/support/823-podcast-requirements",
)
def import_todo(feed: Feed) -> Iterator[Hit]:
    """`podcastfeed import` writes a `# TODO:` comment above each value it could not know (the
    feed's new address, the owner's e-mail) and put a placeholder in (`https://example.org/…`,
    `owner@example.org`), `podcastfeed init` above each default that is no one's (`Your
    Name`, `you@example.org`): the show builds, but Apple and Spotify would get the
    placeholder. Each TODO left in feed.toml is a warning at its line until it is done and
    deleted."""
    if feed.origin is None:
        return
    text = feed.origin.config.read_text(encoding="utf-8-sig")
    shown = feed.origin.config_shown
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("# TODO:"):
            todo = line.split("# TODO:", 1)[1].strip()
            yield Hit(
                None,
                f"TODO left in feed.toml: {todo}",
                "do it, then delete the comment",
                at=(shown, number),
            )


@rule(
    "apple/category",
    "error",
    "Categories come from Apple's list",
    APPLE_CATEGORIES,
)
def category(feed: Feed) -> Iterator[Hit]:
    """Each `itunes:category` (and a nested subcategory) must be one of Apple's categories,
    spelled as Apple spells them (`&amp;` in XML); Apple refuses a feed with another one."""
    for element, message in _category_problems(feed):
        if "Apple now calls it" not in message:
            yield Hit(element, message, None, "categories")


@rule(
    "apple/legacy-category",
    "warning",
    "Categories are from Apple's current (2019+) list",
    APPLE_CATEGORIES,
)
def legacy_category(feed: Feed) -> Iterator[Hit]:
    """Pre-2019 names such as "Games & Hobbies" or "Technology > Podcasting" are no longer
    listed: Apple files such a show under the category that replaced it, which may not be the
    one you would choose. The hint names it (`podcastfeed import` writes it)."""
    for element, message in _category_problems(feed):
        if "Apple now calls it" in message:
            hint = "use " + message.split("Apple now calls it ", 1)[1]
            yield Hit(element, message, hint, "categories")


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
    return feed.self_href or text_of(feed.find(feed.channel, "itunes:new-feed-url")) or None


@rule("podcastindex/guid-format", "error", "podcast:guid is a UUID", PI_GUID)
def guid_format(feed: Feed) -> Iterator[Hit]:
    """`podcast:guid` must be a UUID (the spec says a version 5 UUID made from the feed URL,
    podcastindex/guid-derived); apps use it to follow a show across moves, and drop a value
    that is not a UUID."""
    element = feed.find(feed.channel, "podcast:guid")
    value = text_of(element)
    if element is None:
        return
    try:
        uuid.UUID(value or "")
    except ValueError:
        yield Hit(element, f"podcast:guid is not a UUID (got {value!r})", key="guid")


@rule(
    "podcastindex/guid-derived",
    "info",
    "podcast:guid is the version 5 UUID derived from the feed URL",
    PI_GUID,
)
def guid_derived(feed: Feed) -> Iterator[Hit]:
    """The spec's `podcast:guid` is UUIDv5(ead4c236-bf58-58c6-a2c6-a6b28d128cb6, the feed URL
    without scheme and trailing slashes). A different value (another UUID version, another
    URL) is fine when it was pinned on purpose (a show that moved keeps its GUID); this note
    says so, so a typo does not go unnoticed."""
    element = feed.find(feed.channel, "podcast:guid")
    url = _self_url(feed)
    value = (text_of(element) or "").lower()
    if element is None or not value:
        return
    try:
        version = uuid.UUID(value).version
    except ValueError:
        return  # podcastindex/guid-format
    if version != 5:
        yield Hit(
            element,
            f"podcast:guid is a version {version} UUID, not version 5: pinned?",
            hint="derive it from the feed URL as the spec says",
            key="guid",
        )
        return
    expected = podcast_guid(url) if url else value
    if value != expected:
        yield Hit(
            element,
            f"podcast:guid {value} is not the one derived from {url} ({expected}): pinned?",
            key="guid",
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
