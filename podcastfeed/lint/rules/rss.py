"""Rules on what RSS 2.0 and RFC 2822 themselves require, where the W3C feed validator and
strict parsers disagree with a feed that most apps still read (issue 15): the weekday of a
pubDate, the e-mail fields, the size of `<image>`, and the Atom namespace of the self link.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from podcastfeed.lint.base import Feed, Hit, pub_date, rule, text_of

RSS_SPEC = "https://www.rssboard.org/rss-specification"
RFC2822_DATE = "https://www.rfc-editor.org/rfc/rfc2822#section-3.3"
ATOM = "http://www.w3.org/2005/Atom"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
#: RSS 2.0's e-mail fields: an address, optionally followed by a name in parentheses.
RSS_EMAIL = re.compile(r"^[^@\s()<>,;]+@[^@\s()<>,;]+\.[A-Za-z0-9-]{2,}(\s+\([^()]*\))?$")
#: RSS 2.0's limits for <image>: width at most 144 (default 88), height at most 400 (31).
IMAGE_LIMITS = {"width": 144, "height": 400}


@rule(
    "podcastfeed/pubdate-weekday",
    "warning",
    "A pubDate's weekday is the day its date falls on",
    RFC2822_DATE,
)
def pubdate_weekday(feed: Feed) -> Iterator[Hit]:
    """RFC 2822 says the day of the week, when a date states one, must be the day its date
    falls on (`Sun, 28 May 2022` is wrong: 28 May 2022 was a Saturday). Most apps read the
    date and ignore the weekday, but strict parsers (Java's RFC 1123 formatter, the W3C feed
    validator) refuse the date, so the episode is undated or sorted wrongly there."""
    for item in feed.items:
        element = item.find("pubDate")
        value = text_of(element) or ""
        when = pub_date(value)
        stated = value.split(",", 1)[0].strip() if "," in value else ""
        if element is None or when is None or stated.title() not in WEEKDAYS:
            continue  # no weekday, or apple/pubdate reports the date
        actual = WEEKDAYS[when.weekday()]
        if stated.title() != actual:
            yield Hit(
                element,
                f"pubDate {value!r} says {stated}, but {when:%d %b %Y} is a {actual}",
                hint=f"write {actual}, or check the date",
                key="date",
            )


@rule(
    "podcastfeed/atom-namespace",
    "warning",
    "The Atom namespace URI is exactly http://www.w3.org/2005/Atom",
    "https://www.rfc-editor.org/rfc/rfc4287#section-2",
)
def atom_namespace(feed: Feed) -> Iterator[Hit]:
    """The `atom:link rel="self"` that names the feed's own URL (WebSub, the Podcast Index and
    the W3C validator look for it) counts only in the namespace `http://www.w3.org/2005/Atom`,
    spelled exactly so: with a trailing slash (`…/2005/Atom/`), `https:` or another case, the
    link is in no namespace anyone reads, so the feed has, for them, no self link at all."""
    seen: set[str] = set()
    for element in feed.root.iter():
        if not isinstance(element.tag, str) or not element.tag.startswith("{"):
            continue
        uri = element.tag[1:].split("}", 1)[0]
        if uri == ATOM or uri in seen or _bare(uri) != _bare(ATOM):
            continue
        seen.add(uri)
        what = "the self link is invisible" if element.get("rel") == "self" else "tags are unread"
        yield Hit(
            element,
            f"the Atom namespace must be exactly {ATOM} (got {uri!r}): {what}",
            hint=f'declare xmlns:atom="{ATOM}"',
            key="feed_url",
        )


def _bare(uri: str) -> str:
    bare = re.sub(r"^[a-z]+://", "", uri.strip().lower()).removeprefix("www.")
    return bare.rstrip("/")


@rule(
    "podcastfeed/rss-email",
    "warning",
    "managingEditor, webMaster and an item's author are e-mail addresses",
    RSS_SPEC + "#optionalChannelElements",
)
def rss_email(feed: Feed) -> Iterator[Hit]:
    """RSS 2.0's `managingEditor` and `webMaster` (channel) and `author` (item) hold an e-mail
    address, optionally followed by a name in parentheses: `ada@example.org (Ada Lovelace)`. A
    bare name there is invalid RSS (the W3C validator rejects it) and useless to the readers
    that show it as a mail link; a name belongs in `itunes:author`."""
    fields = [(feed.channel, "managingEditor"), (feed.channel, "webMaster")]
    fields += [(item, "author") for item in feed.items]
    for parent, tag in fields:
        element = parent.find(tag)
        value = text_of(element)
        if element is not None and value is not None and not RSS_EMAIL.match(value):
            yield Hit(
                element,
                f"<{tag}> must be an e-mail address, optionally with a name in parentheses "
                f"(got {value!r})",
                hint="e.g. ada@example.org (Ada Lovelace); put a name alone in itunes:author",
                key="author" if tag == "author" else None,
            )


@rule(
    "podcastfeed/rss-image-size",
    "warning",
    "The RSS <image> is at most 144 pixels wide and 400 high",
    RSS_SPEC + "#ltimagegtSubelementOfLtchannelgt",
)
def rss_image_size(feed: Feed) -> Iterator[Hit]:
    """RSS 2.0's channel `<image>` (the small logo feed readers show, not the cover art of
    `itunes:image`) has an optional `width` of at most 144 and `height` of at most 400 pixels.
    A larger or non-numeric value is invalid RSS (the W3C validator rejects it); readers
    ignore it or draw the logo at the wrong size."""
    image = feed.channel.find("image")
    if image is None:
        return
    for name, limit in IMAGE_LIMITS.items():
        element = image.find(name)
        value = text_of(element)
        if element is None or value is None:
            continue
        if not value.isdigit() or int(value) > limit:
            yield Hit(
                element,
                f"<image> {name} must be a whole number of pixels, at most {limit} (got {value!r})",
                hint=f"remove <{name}> (readers assume 88 × 31) or make it {limit} or less",
                key="image",
            )
