"""The channel of a feed `podcastfeed import` reads: feed.toml's [show] table, with what was
normalized on the way and what the user must decide (TODOs). Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from podcastfeed import xmlns
from podcastfeed.errors import shorten
from podcastfeed.feeds import feedvalues
from podcastfeed.feeds.feedvalues import clean_title, is_true
from podcastfeed.net.limits import without_userinfo
from podcastfeed.source.categories import current_name, parse_category
from podcastfeed.source.tagvalues import https_url
from podcastfeed.source.xmlchars import strip_control_chars
from podcastfeed.values import COUNTRY, EMAIL, LANGUAGE, parse_link
from podcastfeed.xmlns import ATOM, ITUNES

#: Apple's limit for the channel description.
DESCRIPTION_BYTES = 4000
#: Language names feeds write instead of a code (RSS wants RFC 5646 codes).
LANGUAGE_NAMES = {
    "english": "en",
    "spanish": "es",
    "español": "es",
    "german": "de",
    "deutsch": "de",
    "french": "fr",
    "français": "fr",
    "italian": "it",
    "italiano": "it",
    "portuguese": "pt",
    "português": "pt",
    "dutch": "nl",
    "nederlands": "nl",
    "swedish": "sv",
    "danish": "da",
    "norwegian": "no",
    "finnish": "fi",
    "polish": "pl",
    "russian": "ru",
    "japanese": "ja",
    "chinese": "zh",
    "korean": "ko",
    "arabic": "ar",
    "hindi": "hi",
    "turkish": "tr",
}
#: Podcasting 2.0 tags are read in both URIs feeds have declared.
PODCAST = (xmlns.PODCAST, xmlns.PODCAST_LEGACY)


@dataclass
class Notes:
    normalizations: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    todos: dict[str, str] = field(default_factory=dict)  # feed.toml key -> a TODO comment


#: `https://host/…` with no port, user or bracket in its host: nothing for urlsplit to refuse.
_PLAIN_LINK = re.compile(r"https?://[^\s/?#\[\]\\:@]+(?:[/?#]|\Z)", re.IGNORECASE)


def text_of(element: etree._Element | None) -> str | None:
    """An element's text without what XML cannot carry (a repaired `&#1;`, DEL, C1), as the
    build reads every text (`itunes:title` DEL was written, and refused as empty), or None."""
    if element is None or element.text is None:
        return None
    text = element.text.strip()  # printable text holds no control character: no regex
    return (text if text.isprintable() else strip_control_chars(text).strip()) or None


def find_in(parent: etree._Element, name: str, namespaces: tuple[str, ...] = ("",)) -> Any:
    for space in namespaces:
        found = parent.find(f"{{{space}}}{name}" if space else name)
        if found is not None:
            return found
    return None


def findall_in(parent: etree._Element, name: str, namespaces: tuple[str, ...]) -> list[Any]:
    return [e for space in namespaces for e in parent.findall(f"{{{space}}}{name}")]


def read_show(channel: etree._Element, source_url: str | None, result: Notes) -> dict[str, Any]:
    note = result.normalizations.append
    show: dict[str, Any] = {}
    show["title"] = clean_title(text_of(channel.find("title")) or "")
    description = text_of(channel.find("description")) or text_of(
        find_in(channel, "summary", (ITUNES,))
    )
    show["description"] = _fit(description or show["title"], result)
    self_link = link_href(channel, "self")
    feed_url = self_link or source_url
    if feed_url and feed_url == source_url and without_userinfo(feed_url) != feed_url:
        feed_url = without_userinfo(feed_url)  # a private feed's password or token, published
        result.warnings.append(  # as its self link
            "the feed's URL holds a password or a user name: feed_url (and the site link made "
            "from it) are written without it, as the feed publishes them; set [show] feed_url "
            "or --feed-url"
        )
    if not feed_url:
        feed_url = "https://example.org/feed.xml"
        result.todos["feed_url"] = "set the address the feed is published at (or --feed-url)"
        result.warnings.append(
            "the feed names no URL of its own (atom:link rel=self): set [show] feed_url"
            + _self_link_elsewhere(channel)
        )
    show["feed_url"] = feed_url
    link = text_of(channel.find("link"))
    if not link or _link(link) is None:
        parts = urlsplit(feed_url)
        site = f"{parts.scheme}://{parts.netloc}/"
        stated = f"<link> {link!r}" if link else "no <link>"
        note(f"channel: {stated}; used the feed's site {site}")
        link = site
    show["link"] = link
    show["language"] = _language(text_of(channel.find("language")), result)
    author = text_of(find_in(channel, "author", (ITUNES,)))
    owner = find_in(channel, "owner", (ITUNES,))
    name = text_of(find_in(owner, "name", (ITUNES,))) if owner is not None else None
    email = text_of(find_in(owner, "email", (ITUNES,))) if owner is not None else None
    show["author"] = author or name or show["title"]
    if not author:
        note(f"channel: no itunes:author; used {show['author']!r}")
    if not email:
        email = text_of(channel.find("managingEditor")) or ""
        email = email.split(" ")[0]
    if not email or not EMAIL.match(email):  # the build's rule (config.py)
        stated = f"owner e-mail {shorten(email)} is not an e-mail address" if email else ""
        email = "owner@example.org"
        result.warnings.append(
            f"channel: {stated or 'no owner e-mail'}; wrote owner@example.org: set yours"
        )
        result.todos["owner"] = "set the owner's e-mail: Apple and Spotify send ownership mail"
    show["owner"] = {"name": name or show["author"], "email": email}
    images = [e.get("href") for e in findall_in(channel, "image", (ITUNES,)) if e.get("href")]
    if len(set(images)) > 1:
        note(f"channel: {len(images)} itunes:image elements; kept the first")
    rss_image = channel.find("image")
    image = images[0] if images else None
    if image is None and rss_image is not None:
        image = text_of(rss_image.find("url"))
    if image and _link(image) is None:
        resolved = urljoin(link, image)
        if _link(resolved) is None:  # javascript:, data:, file: … (the build refuses them)
            result.warnings.append(f"channel: artwork {shorten(image)} is no http(s) URL; dropped")
            image = None
        else:
            note(f"channel: artwork {image!r} is relative; resolved against <link>: {resolved}")
            image = resolved
    if image:
        show["image"] = image
    else:
        result.warnings.append("channel: no artwork; set [show] image")
        result.todos["image"] = (
            'no artwork in the feed: set image = "cover.jpg" (a square JPEG or PNG, '
            "1400-3000 px, which Apple requires) or an https URL"
        )
    categories = []
    for top in findall_in(channel, "category", (ITUNES,)):
        parent = top.get("text")
        children = [c.get("text") for c in findall_in(top, "category", (ITUNES,)) if c.get("text")]
        categories += [f"{parent} > {c}" for c in children] if children else [parent]
    show["categories"] = _categories([c for c in categories if c], result)
    explicit_text = text_of(find_in(channel, "explicit", (ITUNES,)))
    show["explicit"] = bool(is_true(explicit_text))
    if explicit_text and explicit_text.lower() not in ("true", "false"):
        note(f"channel: itunes:explicit {explicit_text!r} -> {str(show['explicit']).lower()}")
    optional = {
        "type": text_of(find_in(channel, "type", (ITUNES,))),
        "copyright": text_of(channel.find("copyright")),
        "guid": text_of(find_in(channel, "guid", PODCAST)),
        "itunes_title": text_of(find_in(channel, "title", (ITUNES,))),
        "new_feed_url": text_of(find_in(channel, "new-feed-url", (ITUNES,))),
        "medium": text_of(find_in(channel, "medium", PODCAST)),
    }
    if optional["new_feed_url"] and _link(optional["new_feed_url"]) is None:
        dropped = optional.pop("new_feed_url")
        result.warnings.append(
            f"channel: itunes:new-feed-url {shorten(dropped)} is no URL; dropped"
        )
    show.update({key: value for key, value in optional.items() if value})
    if show.get("new_feed_url") and show["new_feed_url"] in (feed_url, self_link, source_url):
        own = show.pop("new_feed_url")
        note(f"channel: itunes:new-feed-url {own} is the feed's own URL; dropped")
    if is_true(text_of(find_in(channel, "block", (ITUNES,)))):
        show["block"] = True
    if is_true(text_of(find_in(channel, "complete", (ITUNES,)))):
        show["complete"] = True
    locked = find_in(channel, "locked", PODCAST)
    if locked is not None and text_of(locked):
        show["locked"] = bool(is_true(text_of(locked)))
        if locked.get("owner") and EMAIL.match(locked.get("owner")):
            show["locked_owner"] = locked.get("owner")
        elif locked.get("owner"):
            warned = f"podcast:locked owner {shorten(locked.get('owner'))} is no e-mail address"
            result.warnings.append(f"channel: {warned}; dropped")
    funding = []
    for element in findall_in(channel, "funding", PODCAST):
        try:  # https, as the namespace (and so the build) wants
            funding.append({"url": https_url(element.get("url")), "text": text_of(element) or ""})
        except ValueError as exc:
            result.warnings.append(f"channel: podcast:funding url {exc}; dropped")
    if funding:
        show["funding"] = funding
    found_persons = persons(channel, "channel", result.warnings)
    if found_persons:
        show["persons"] = found_persons
    values, refused = feedvalues.podcast_values(channel, PODCAST)
    if values:  # value-for-value: how listeners' apps pay the show (docs/configuration.md)
        show["value"] = values[0] if len(values) == 1 else values
    if refused:
        result.warnings.append(
            f"channel: {refused} podcast:value block(s) the build refuses; dropped"
        )
    podping = find_in(channel, "podping", PODCAST)
    if podping is not None and podping.get("usesPodping"):
        show["podping"] = bool(is_true(podping.get("usesPodping")))
    countries = text_of(find_in(channel, "countryOfOrigin", (xmlns.SPOTIFY,)))
    if countries:
        show["country_of_origin"] = [c for c in countries.lower().split() if COUNTRY.match(c)]
    hubs = [e.get("href") for e in channel.findall(f"{{{ATOM}}}link") if e.get("rel") == "hub"]
    if hubs:
        show["hubs"] = [hub for hub in hubs if hub and hub.startswith(("https://", "http://"))]
    for key, found in (
        ("images", feedvalues.podcast_images(channel, PODCAST)),
        ("location", feedvalues.podcast_locations(channel, PODCAST)),
    ):
        if found:
            show[key] = found
    return show


def link_href(channel: etree._Element, rel: str) -> str | None:
    """The href of the channel's first `atom:link` with this `rel` and an href, as written."""
    for element in channel.iterchildren(f"{{{ATOM}}}link"):
        if element.get("rel") == rel and element.get("href"):
            return str(element.get("href"))
    return None


def _self_link_elsewhere(channel: etree._Element) -> str:
    """Why a self link was not found when one is there in a misspelled Atom namespace (issue 15:
    `http://www.w3.org/2005/Atom/` hides it), else ""."""
    for element in channel.iterchildren("{*}link"):
        uri = etree.QName(element).namespace
        if uri and uri != ATOM and element.get("rel") == "self":
            return f" (its atom:link rel=self is in the namespace {uri!r}, not {ATOM!r})"
    return ""


def _fit(description: str, result: Notes) -> str:
    """The channel description within Apple's 4,000 bytes: a longer one is cut at the last
    space that fits (normalized, with a TODO to check the cut)."""
    size = len(description.encode("utf-8"))
    if size <= DESCRIPTION_BYTES:
        return description
    cut = description.encode("utf-8")[: DESCRIPTION_BYTES - 3].decode("utf-8", "ignore")
    cut = (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip() + "…"
    result.normalizations.append(
        f"channel: <description> is {size:,} bytes; cut to {len(cut.encode()):,} "
        f"(Apple takes at most {DESCRIPTION_BYTES:,})"
    )
    result.todos["description"] = "cut to fit Apple's 4,000 bytes by import: check the end"
    return cut


def _language(stated: str | None, result: Notes) -> str:
    """A language code the build accepts: `en_US` -> `en-US`, `English` -> `en`; what cannot
    be read becomes `en` with a TODO in feed.toml."""
    if stated and LANGUAGE.match(stated):
        return stated
    code = (stated or "").replace("_", "-")
    if not LANGUAGE.match(code):
        code = LANGUAGE_NAMES.get(code.casefold(), "")
    if code:
        result.normalizations.append(f"channel: <language> {stated!r} -> {code!r}")
        return code
    if stated:
        result.todos["language"] = f"the feed said {stated!r}: set its language code (en, de-CH …)"
        result.warnings.append(f"channel: <language> {stated!r} is not a language code; wrote 'en'")
    else:
        result.normalizations.append("channel: no <language>; wrote 'en' (check it)")
    return "en"


def _categories(names: list[str], result: Notes) -> list[str]:
    """Apple's current categories for the feed's: a pre-2019 name becomes the one that replaced
    it (normalized); one nobody can map is dropped with a warning and a TODO in feed.toml."""
    found: list[str] = []
    for name in names:
        try:
            current = str(parse_category(name))
        except ValueError:
            mapped = current_name(name)
            if mapped is None:
                result.warnings.append(f"channel: itunes:category {name!r} is not Apple's; dropped")
                continue
            current = str(parse_category(mapped))
            result.normalizations.append(f"channel: itunes:category {name!r} -> {current!r}")
        if current not in found:
            found.append(current)
    if not found:
        result.todos["categories"] = (
            'pick at least one Apple category, e.g. categories = ["Technology"]: '
            "https://podcasters.apple.com/support/1691-apple-podcasts-categories"
        )
        result.warnings.append(
            "channel: no Apple category; wrote categories = [] with a TODO in feed.toml "
            "(the build warns, Apple needs one)"
        )
    return found


def persons(parent: etree._Element, where: str, warnings: list[str]) -> list[dict[str, str]]:
    """podcast:person entries; an `img` or `href` the build refuses (not http(s)) is dropped,
    with a warning."""
    persons = []
    for element in findall_in(parent, "person", PODCAST):
        name = text_of(element)
        if not name:
            continue
        person = {"name": name}
        for key in ("role", "group", "img", "href"):
            value = strip_control_chars(element.get(key) or "").strip()
            if value and key in ("img", "href") and _link(value) is None:
                warnings.append(
                    f"{where}: person {name!r} {key} {shorten(value)} is no URL; dropped"
                )
            elif value:
                person[key] = value
        persons.append(person)
    return persons


def absolute_link(url: str | None, what: str, warnings: list[str]) -> str | None:
    """`url` if it is an absolute http(s) URL (what the build accepts); else None, warned."""
    if url and _link(url) is None:
        warnings.append(f"{what} {shorten(url)} is not an absolute http(s) URL; dropped")
        return None
    return url.strip() if url else None


def _link(value: str) -> str | None:
    """`value` if it is an http(s) URL, as every link the build reads (values.parse_link);
    the usual `https://host…` is known without urlsplit (a fifth of a 20,000-item import),
    when urlsplit has nothing to refuse in it: a bracket, a host NFKC changes (not ASCII)."""
    if _PLAIN_LINK.match(value) and value.isascii() and "[" not in value and "]" not in value:
        return value
    try:
        return parse_link(value)
    except ValueError:
        return None
