"""Rules on the URLs of the feed that apps fetch or follow: https, and characters a URL cannot
hold as written (a password in one is credentials.py's)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from urllib.parse import quote, urlsplit

from lxml import etree

from podcastfeed.lint.base import URL_ATTRIBUTES, Feed, Hit, rule, text_of
from podcastfeed.xmlns import PODCAST, PODCAST_LEGACY

PI_SPEC = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"
TRANSCRIPT_TAGS = (f"{{{PODCAST}}}transcript", f"{{{PODCAST_LEGACY}}}transcript")


def _linked(feed: Feed) -> Iterator[tuple[etree._Element, str, str]]:
    """The URLs apps fetch or follow, with their element and front-matter key: the channel
    `link`, `atom:link rel="self"`, `itunes:new-feed-url`, every `itunes:image`, enclosure and
    `podcast:transcript`."""
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
        for transcript in parent.iterchildren(*TRANSCRIPT_TAGS):
            checks.append((transcript, transcript.get("url"), "transcript"))
    for element, url, key in checks:
        if element is not None and url:
            yield element, url, key


@rule(
    "podcastindex/https",
    "warning",
    "Links, feed URL, artwork and media use https",
    PI_SPEC,
)
def https(feed: Feed) -> Iterator[Hit]:
    """The Podcast Index namespace requires `https:` for linked resources, and Apple fetches
    artwork and media over https. Checked: the channel `link`, `atom:link rel="self"`,
    `itunes:new-feed-url`, every `itunes:image`, every enclosure and `podcast:transcript`."""
    for element, url, key in _linked(feed):
        if url.lower().startswith("http://"):
            yield Hit(
                element,
                f"<{_name(element)}> is not https: {url}",
                hint="serve it over https",
                key=key,
            )


#: What a URL cannot hold as written (RFC 3986 section 2): spaces and controls, the
#: characters it excludes, and anything not ASCII.
_NOT_IN_URL = re.compile(r'[\x00-\x20"<>\\^`{|}\x7f-\U0010ffff]')


@rule(
    "podcastfeed/url-characters",
    "warning",
    "URLs hold no spaces or other characters a URL cannot",
    "https://www.rfc-editor.org/rfc/rfc3986#section-2",
)
def url_characters(feed: Feed) -> Iterator[Hit]:
    """A URL with a space, a quote, a non-ASCII letter or an invisible control such as a
    right-to-left mark (`https://cdn.example.org/My Episode.mp3`) is not a URL until it is
    percent-encoded: some apps and directories encode it themselves, others fail to fetch it
    or refuse the feed. podcastfeed publishes a URL as it is written (a migrated show keeps its
    URLs) and says which to fix. Checked: every URL in the feed (link, feed URL, artwork,
    enclosure, transcript, chapters, person href and img, alternate enclosure, funding,
    licence, trailer, podcast:image, remote item, Podlove chapter, atom:link), each once:
    a show's value restated on its episodes at the show's line."""
    shown_for: dict[etree._Element | None, set[str]] = {None: set()}
    for found_url in feed.urls:
        url, element = found_url.url, found_url.element
        seen = shown_for.setdefault(found_url.item, set())
        if url in shown_for[None] or url in seen or not (found := _NOT_IN_URL.search(url)):
            continue
        seen.add(url)
        char = found[0]
        what = _name(element) + (f" {found_url.attribute}" if _several(element) else "")
        yield Hit(
            element,
            f"<{what}> holds {'a space' if char == ' ' else repr(char)}, which a URL cannot: "
            + "".join(_visible(c) for c in url),
            hint=_url_hint(url, char),
            key=found_url.key,
        )


def _several(element: etree._Element) -> bool:
    """Whether the element has more than one URL attribute (a person's href and img)."""
    return sum(1 for name in element.attrib if name in URL_ATTRIBUTES) > 1


def _visible(char: str) -> str:
    """A control or bidi mark as its escape: shown raw, it reorders the message around it."""
    return repr(char)[1:-1] if unicodedata.category(char) in ("Cc", "Cf") else char


def _url_hint(url: str, char: str) -> str:
    if unicodedata.category(char) in ("Cc", "Cf"):  # (a bidi mark, a zero-width space …)
        return f"delete it: it is invisible (U+{ord(char):04X})"
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        host = ""
    if char in host:  # (an internationalised name: its ASCII form, as browsers send it)
        try:
            return f"write the host as {host.encode('idna').decode('ascii')}"
        except UnicodeError:
            return "write the host's name in ASCII"
    return f"percent-encode it ({quote(char)}), or rename the file without it"


def _name(element: etree._Element) -> str:
    """`itunes:explicit` for {itunes namespace}explicit."""
    qname = etree.QName(element)
    return f"{element.prefix}:{qname.localname}" if element.prefix else qname.localname
