"""The equivalences of `podcastfeed diff` that say what a migration changes without changing the
show (issue 15): tags about the file or the old host, tags Apple no longer reads, copies of a
value stated elsewhere, Apple's categories before 2019, and what the build adds that it derives
from the rest of the feed (noted, not counted as a change). Pure; used by feeds/diffvalues.py
and feeds/diff.py on values already in one spelling. docs/diff.md gives each its source.
"""

from __future__ import annotations

from lxml import etree

from podcastfeed import xmlns
from podcastfeed.ids import podcast_guid
from podcastfeed.source.categories import current_name, parse_category

ITUNES = f"{{{xmlns.ITUNES}}}"
PODCAST = f"{{{xmlns.PODCAST}}}"
ATOM_LINK = f"{{{xmlns.ATOM}}}link"
#: Channel tags about the file rather than the show: the program that wrote it, the spec it
#: follows, when it was built or published, how long to cache it, whom to write about it (RSS
#: 2.0; directories take the owner from itunes:owner), the Atom id and paging of a blog feed.
ABOUT_THE_FILE = frozenset(
    {
        "generator",
        "docs",
        "lastBuildDate",
        "pubDate",
        "ttl",
        "webMaster",
        "managingEditor",
        f"{{{xmlns.ATOM}}}id",
    }
)
#: Tags Apple's current spec no longer has (Podcastindex-org/podcast-namespace
#: itunes_reference.md, the archived "A Podcaster's Guide to RSS"): no app shows them in place of
#: `description`, the notes, or the title; nor the channel's itunes:summary (the show's
#: `description` is what Apple shows; an item's is compared as a copy of its notes).
NOT_READ = frozenset({f"{ITUNES}subtitle", f"{ITUNES}keywords", f"{ITUNES}order"})
#: Also the channel's RSS `<category>` (Apple and the Podcast Index read itunes:category) and
#: `author`, no RSS 2.0 channel element (Anchor's copy of itunes:author).
CHANNEL_NOT_READ = ABOUT_THE_FILE | {f"{ITUNES}summary", "category", "author"}
#: atom:link relations about the file: the old host's pages of a paged feed (RFC 5005).
PAGES = frozenset({"first", "last", "next", "previous", "prev"})
#: Item tags of RSS 2.0 no podcast app shows: the old host's comments page, the entry's edit
#: time (Atom), the author's e-mail (apps show itunes:author, the item's or the show's).
ITEM_NOT_READ = frozenset({"comments", "author", f"{{{xmlns.ATOM}}}updated"})
#: Namespaces of the old host or its blog software, read by no podcast app as the show's: Acast's
#: ids and signatures, the BBC's programme data, FeedBurner's original links, Fireside's and
#: Blubrry's (RawVoice) settings, Blogger's OpenSearch paging and comment counts, the
#: syndication module's update hints (ttl's), Google Podcasts' (closed in 2024), Dublin Core's
#: creator (an item's author, as `author`), Media RSS (a copy of the enclosure, keywords, rating).
HOST_NAMESPACES = frozenset(
    {
        "https://schema.acast.com/1.0/",
        "http://bbc.co.uk/2009/01/ppgRss",
        "http://rssnamespace.org/feedburner/ext/1.0",
        "http://fireside.fm/modules/rss/fireside",
        "https://blubrry.com/developer/rawvoice-rss/",
        "http://a9.com/-/spec/opensearchrss/1.0/",
        "http://purl.org/syndication/thread/1.0",
        "http://purl.org/rss/1.0/modules/syndication/",
        "http://www.google.com/schemas/play-podcasts/1.0",
        "http://purl.org/dc/elements/1.1/",
        "http://search.yahoo.com/mrss/",
        "http://www.rssboard.org/media-rss",
        "https://anchor.fm/xmlns",
    }
)


def not_compared(element: etree._Element, *, item: bool) -> bool:
    """Whether plain `diff` leaves `element` (a child of a channel or item) out."""
    tag = element.tag
    if not isinstance(tag, str):
        return True
    if tag in NOT_READ or (tag in ITEM_NOT_READ if item else tag in CHANNEL_NOT_READ):
        return True
    if tag == ATOM_LINK and element.get("rel") in PAGES:
        return True
    return tag.startswith("{") and tag[1:].split("}", 1)[0] in HOST_NAMESPACES


def channel_rules(channel: etree._Element) -> None:
    """Leave out what plain `diff` does not compare, put Apple's categories in today's names,
    and the self link in its one meaning (its href: `type` and `title` are hints)."""
    for child in [c for c in channel if not_compared(c, item=False)]:
        channel.remove(child)
    _categories(channel)
    for link in channel.iterchildren(ATOM_LINK):
        if link.get("rel") == "self":
            for hint in ("type", "title"):
                if hint in link.attrib:
                    del link.attrib[hint]
    moved = channel.find(f"{ITUNES}new-feed-url")
    if moved is not None and (moved.text or "") in {_self(channel) or "", ""}:
        channel.remove(moved)  # the feed's own URL: Apple reads it as no move


def item_rules(item: etree._Element) -> None:
    """Leave out what plain `diff` does not compare; a `description` that is the title says
    nothing more than the title."""
    for child in [c for c in item if not_compared(c, item=True)]:
        item.remove(child)
    description = item.find("description")
    if description is not None and (description.text or "") == (item.findtext("title") or ""):
        item.remove(description)


def _self(channel: etree._Element) -> str | None:
    return next(
        (str(e.get("href")) for e in channel.iterchildren(ATOM_LINK) if e.get("rel") == "self"),
        None,
    )


def _categories(channel: etree._Element) -> None:
    """Each itunes:category in Apple's current tree: a name Apple retired in 2019 as the one
    Apple moved shows to (import's table, `normalized:`), duplicates once, in order."""
    tops = list(channel.iterchildren(f"{ITUNES}category"))
    if not tops:
        return
    names: list[tuple[str, str | None]] = []
    for top in tops:
        children = [c.get("text") or "" for c in top.iterchildren(f"{ITUNES}category")]
        for child in children or [""]:
            stated = f"{top.get('text')} > {child}" if child else str(top.get("text"))
            try:
                category = parse_category(stated)
            except ValueError:
                mapped = current_name(stated)
                if mapped is None:
                    return  # not Apple's: compared as written
                category = parse_category(mapped)
            found = (category.name, category.subcategory)
            if found not in names:
                names.append(found)
    at = list(channel).index(tops[0])
    for top in tops:
        channel.remove(top)
    parents: dict[str, etree._Element] = {}
    for name, sub in names:
        if name not in parents:
            parents[name] = etree.Element(f"{ITUNES}category", text=name)
            channel.insert(at + len(parents) - 1, parents[name])
        if sub:
            etree.SubElement(parents[name], f"{ITUNES}category", text=sub)


def build_additions(old: etree._Element, new: etree._Element) -> list[etree._Element]:
    """What the build adds to a channel that did not have it, derived from the rest of the
    feed, taken out of `new` (channel meanings): `podcast:guid` from the feed's URL (the
    Podcasting 2.0 spec's derivation), the self link (the feed's own address), the `<link>`
    RSS requires (the feed's site), an RSS `<image>` that is the itunes:image. An RSS
    `<image>` that is the itunes:image is then left out of both sides: the same artwork."""
    added = []
    own = _self(new)
    guid = new.find(f"{PODCAST}guid")
    derived = own is not None and guid is not None and guid.text == podcast_guid(own)
    if guid is not None and derived and old.find(f"{PODCAST}guid") is None:
        added.append(guid)
    if own is not None and _self(old) is None:
        added += [e for e in new.iterchildren(ATOM_LINK) if e.get("rel") == "self"]
    link = new.find("link")
    if link is not None and old.find("link") is None:
        added.append(link)  # RSS 2.0 requires one; import names the feed's site (normalized:)
    artwork = [_same_artwork(channel) for channel in (old, new)]
    if artwork[1] is not None and old.find("image") is None:
        added.append(artwork[1])
    for element in added:
        new.remove(element)
    for channel, image in zip((old, new), artwork, strict=True):
        if image is not None and image.getparent() is channel:
            channel.remove(image)
    return added


def _same_artwork(channel: etree._Element) -> etree._Element | None:
    image = channel.find("image")
    apple = channel.find(f"{ITUNES}image")
    if image is None or apple is None:
        return None
    return image if (image.findtext("url") or "") == apple.get("href") else None
