"""A rule on secrets in the feed's URLs: a password in a link every app downloads."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from podcastfeed.lint.base import Feed, Hit, rule


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
    for found in feed.urls:
        if "@" in found.url and _password(found.url):
            host = urlsplit(found.url).hostname or "?"
            yield Hit(
                found.element,
                f"a URL holds a password (for {host}): every reader of the feed gets it",
                hint="publish a URL without user:password@ (a token in the path, say)",
                key=found.key,
            )
