"""Reading an RSS feed's XML safely: no network, no DTD, no entity expansion. Pure.

check, diff and import all read feeds, ours or anyone's, through this one parser.
"""

from __future__ import annotations

from lxml import etree

from podcastfeed.errors import PodcastfeedError


def parse_feed(data: bytes, source: str) -> etree._Element:
    """The root element of a feed (`huge_tree`: a 10,000-episode feed is hundreds of MB).

    Raises:
        PodcastfeedError: not well-formed XML, or not RSS.
    """
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise PodcastfeedError(
            f"not well-formed XML: {exc.msg}", source=source, line=exc.lineno
        ) from exc
    return rss_root(root, source)


def rss_root(root: etree._Element, source: str) -> etree._Element:
    """`root` if it is an RSS document with a channel."""
    if root.tag != "rss" or root.find("channel") is None:
        raise PodcastfeedError(
            f"not an RSS feed (the root element is <{root.tag}>)",
            source=source,
            hint="podcastfeed reads RSS 2.0 podcast feeds",
        )
    return root
