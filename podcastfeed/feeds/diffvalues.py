"""What `podcastfeed diff` compares instead of spellings: a channel or item in one spelling per
meaning, with the defaults the specs define filled in (issue 15). Pure.

Only equivalences a spec defines: dates as instants (RFC 822/2822, `-0000`, `GMT` and the
zone names it lists), `itunes:duration` as whole seconds (the way the build writes it), Apple's
spellings of `itunes:explicit`, `itunes:episodeType` `full` and `itunes:type` `episodic` when
absent, `itunes:title` the title when absent, `itunes:block`/`itunes:complete` other than `Yes`
as absent, `guid isPermaLink` true when absent, an enclosure `length` absent or empty as `0`
(unknown), MIME types and language tags in any case, `podcast:person` role `host` and group
`cast` when absent or unknown (read case-insensitively) and the channel's persons on an item
that has none, URLs as RFC 3986 normalizes them (scheme and host case, default port, empty
path, percent-encoding), whitespace around values, and HTML entities as the characters they
stand for; the item equivalences of feeds/diffitems.py (what an item inherits, its notes,
MIME aliases, the episode number in either namespace); and what a migration leaves out
(feeds/diffchannel.py: tags about the file or the old host, tags Apple no longer reads, retired
categories). Anything that does not parse is compared as written.
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Callable
from datetime import UTC
from urllib.parse import urlsplit

from lxml import etree

from podcastfeed import xmlns
from podcastfeed.feeds.diffchannel import channel_rules, item_rules
from podcastfeed.feeds.diffitems import inherited, same_notes
from podcastfeed.feeds.feedvalues import parse_pub_date
from podcastfeed.source.tagvalues import taxonomy
from podcastfeed.values import parse_duration


def _itunes(local: str) -> str:
    return f"{{{xmlns.ITUNES}}}{local}"


PERSON = f"{{{xmlns.PODCAST}}}person"
#: Notes that hold HTML: `&lt;`, `&gt;`, `&amp;` and quotes are markup there, every other
#: character reference is just the character.
HTML_TEXT = frozenset({"description", f"{{{xmlns.CONTENT}}}encoded", _itunes("summary")})
#: Elements whose text is a URL (`image`'s `url` and `link` too: matched by local name).
URL_TEXT = frozenset({"link", "url", "comments", "docs", _itunes("new-feed-url")})
#: Attributes that hold a URL, on any element (enclosure, atom:link, itunes:image, podcast:*).
URL_ATTRIBUTES = frozenset({"url", "href", "img", "src", "uri"})
#: Elements whose `type` attribute is a MIME type (RFC 2045: case-insensitive).
MIME_TYPED = frozenset(
    {
        "enclosure",
        f"{{{xmlns.ATOM}}}link",
        f"{{{xmlns.PODCAST}}}transcript",
        f"{{{xmlns.PODCAST}}}chapters",
        f"{{{xmlns.PODCAST}}}alternateEnclosure",
        f"{{{xmlns.PODCAST}}}source",
    }
)
#: Apple's spellings of itunes:explicit (`yes`/`explicit` and `no`/`clean` are the old ones).
EXPLICIT = {"true": "true", "yes": "true", "explicit": "true"} | {
    "false": "false",
    "no": "false",
    "clean": "false",
}
DEFAULT_PORTS = {"http": 80, "https": 443}
_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_BARE_AMPERSAND = re.compile(r"&(?!#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_MARKUP = {"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&#x27;"}


def channel_meaning(channel: etree._Element) -> etree._Element:
    """A copy of `channel` without its items, each value in one spelling, defaults filled in."""
    result = etree.Element(channel.tag)
    for child in channel:
        if child.tag != "item":
            result.append(copy.deepcopy(child))
    _normalize(result)
    channel_rules(result)
    _default(result, _itunes("type"), "episodic")
    return result


def item_meaning(item: etree._Element, channel: etree._Element) -> etree._Element:
    """A copy of `item`, as channel_meaning; `channel` is channel_meaning's result, whose
    persons an item without any of its own has (the Podcasting 2.0 spec)."""
    result = copy.deepcopy(item)
    _normalize(result)
    item_rules(result)
    _default(result, _itunes("episodeType"), "full")
    if result.find(PERSON) is None:
        for person in channel.iterfind(PERSON):
            result.append(copy.deepcopy(person))
    inherited(result, channel)
    same_notes(result)
    return result


def _normalize(top: etree._Element) -> None:
    for element in list(top.iter()):
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            element.set(name, _attribute(str(element.tag), str(name), str(value)))
        if element.text is not None and not len(element):
            element.text = _text(str(element.tag), element.text)
        if element.tag == "enclosure":  # RSS Best Practices: 0 says "unknown"; so do these
            element.set("length", element.get("length") or "0")
        elif element.tag == "guid":
            element.set("isPermaLink", element.get("isPermaLink", "true").lower())
        elif element.tag == PERSON:
            _person(element)
    for local in ("block", "complete"):  # Apple: "Yes", else the tag has no effect
        for flag in top.findall(_itunes(local)):
            if (flag.text or "").strip().lower() != "yes":
                top.remove(flag)
    title = top.find("title")
    if title is not None:
        _default(top, _itunes("title"), title.text or "")


def _person(element: etree._Element) -> None:
    """group and role as the spec reads them: case-insensitive, `cast` and `host` when absent
    or not in the taxonomy (a role known in another group is kept: apps show it)."""
    groups = taxonomy()
    group = element.get("group", "").lower()
    role = element.get("role", "").lower()
    element.set("group", group if group in groups else "cast")
    element.set("role", role if any(role in roles for roles in groups.values()) else "host")


def _default(top: etree._Element, tag: str, value: str) -> None:
    if top.find(tag) is None:
        etree.SubElement(top, tag).text = value


def _attribute(tag: str, name: str, value: str) -> str:
    value = value.strip()
    if name in URL_ATTRIBUTES:
        return same_url(value)
    if name == "type" and tag in MIME_TYPED:
        return value.lower()
    return value


def _text(tag: str, raw: str) -> str:
    text = " ".join(raw.split())
    local = tag.rsplit("}", 1)[-1]
    convert = _BY_TAG.get(tag)
    if convert is not None:
        return convert(text)
    if tag in URL_TEXT or local in URL_TEXT:
        return same_url(text)
    if tag == "guid":
        return text  # an identifier: apps compare it as written
    if tag in HTML_TEXT:  # an `&` that starts no reference is the character `&` in HTML
        text = _BARE_AMPERSAND.sub("&amp;", text)
        return " ".join(_REFERENCE.sub(_character, text).split())
    return " ".join(html.unescape(text).split())


def _instant(text: str) -> str:
    try:
        moment, guessed = parse_pub_date(text)
    except ValueError:
        return text
    return text if guessed else moment.astimezone(UTC).isoformat()


def _seconds(text: str) -> str:
    try:
        return str(parse_duration(text))
    except ValueError:
        return text


def _explicit(text: str) -> str:
    return EXPLICIT.get(text.lower(), text)


_BY_TAG: dict[str, Callable[[str], str]] = {
    "pubDate": _instant,
    "lastBuildDate": _instant,
    _itunes("duration"): _seconds,
    _itunes("explicit"): _explicit,
    "language": str.lower,  # BCP 47 tags are case-insensitive
    f"{{{xmlns.PODCAST}}}guid": str.lower,  # a UUID
}


def _character(found: re.Match[str]) -> str:
    """A character reference as its character, unless the character is markup in HTML."""
    character = html.unescape(found.group(0))
    return _MARKUP.get(character, character)


def same_url(text: str) -> str:
    """`text` as RFC 3986 section 6 normalizes an http(s) URL: scheme and host in lower case,
    no default port, `/` for an empty path, percent-encodings in upper case and unreserved
    characters decoded. Anything else (other schemes, relative or broken URLs) as written."""
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return text
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return text
    host = parts.hostname  # lower case, without brackets
    if ":" in host:
        host = f"[{host}]"
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = (userinfo + "@" if "@" in parts.netloc else "") + host
    if port is not None and port != DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    before_fragment, has_fragment, _ = text.partition("#")
    url = f"{scheme}://{netloc}{_percent(parts.path) or '/'}"
    if "?" in before_fragment:
        url += "?" + _percent(parts.query)
    if has_fragment:
        url += "#" + _percent(parts.fragment)
    return url


def _percent(text: str) -> str:
    def one(found: re.Match[str]) -> str:
        character = chr(int(found.group(0)[1:], 16))
        return character if character in _UNRESERVED else found.group(0).upper()

    return _PERCENT.sub(one, text)
