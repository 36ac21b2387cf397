"""A rule on secrets in the feed's URLs: a password in a link every app downloads."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from podcastfeed.lint.base import Feed, Hit, rule

#: The attributes that hold a URL apps fetch or follow (enclosure, image, transcript, chapters,
#: person, alternate enclosure source, funding, atom:link, …); <link> and <url> texts too.
_URL_ATTRIBUTES = ("url", "href", "uri", "img")
_URL_TEXTS = {"link", "url", "{http://www.itunes.com/dtds/podcast-1.0.dtd}new-feed-url"}


def _password(url: str) -> bool:
    try:
        return urlsplit(url.strip()).password is not None
    except ValueError:  # (not a URL: other rules say so)
        return False


@rule(
    "podcastfeed/url-password",
    "warning",
    "No URL in the feed holds a password",
    "https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1",
)
def url_password(feed: Feed) -> Iterator[Hit]:
    """A URL written `https://user:password@host/…` (an enclosure on a server behind basic
    authentication, say) gives the password to every app, directory and listener that reads
    the feed: it is public once published. RFC 3986 deprecates the form. Use a URL without
    it (a private feed's token in its path, or a public copy of the file)."""
    for element in feed.root.iter():
        if not isinstance(element.tag, str):
            continue  # (comments, processing instructions)
        values = [element.get(name) or "" for name in _URL_ATTRIBUTES]
        if element.tag in _URL_TEXTS:
            values.append(element.text or "")
        for url in values:
            if "@" in url and _password(url):
                host = urlsplit(url.strip()).hostname or "?"
                yield Hit(
                    element,
                    f"a URL holds a password (for {host}): every reader of the feed gets it",
                    hint="publish a URL without user:password@ (a token in the path, say)",
                    key="audio" if element.tag == "enclosure" else None,
                )
