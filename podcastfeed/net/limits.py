"""The network limits every request obeys, and passwords kept out of messages (issue 12).

No requests here (the CLI imports this at start-up): the numbers docs/limits.md documents, the
words that name them in errors, and `mask_url`/`mask_urls`, which every message that shows a URL
goes through. The feed and the lock keep URLs as the user wrote them; only messages are masked.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from podcastfeed import __version__
from podcastfeed.errors import PodcastfeedError

#: Seconds one request may take in all: connecting, the status line, headers and body.
DEFAULT_DEADLINE = 60.0
#: What every request says it is (STYLE.md: the version on every request).
USER_AGENT = f"podcastfeed/{__version__} (+https://pypi.org/project/podcastfeed/)"
#: Bytes of a feed (or any whole answer) after decompression: import, diff, check --feed.
MAX_FEED_BYTES = 64 * 1024 * 1024
#: Bytes of a hub's or the Podcast Index's answer to a ping (only its first words are shown).
MAX_PING_ANSWER_BYTES = 1024 * 1024
#: The environment variable that raises (or lowers) MAX_FEED_BYTES, in MB.
FEED_LIMIT_ENV = "PODCASTFEED_MAX_FEED_MB"

# scheme://user:password@ : the password is what goes; a user name alone stays.
# The password runs to the last @ before the path, as urlsplit reads it.
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://[^/?#@\s:]*):[^/?#\s]*@")


def is_url(text: str) -> bool:
    """Whether a command-line argument names an http(s) URL (else a local path)."""
    return re.match(r"^https?://", text, re.IGNORECASE) is not None


#: A command-line argument written as a URL of any scheme (a path may hold a colon: `a:b.mp3`).
_ANY_URL = re.compile(r"^([a-z][a-z0-9+.-]+)://", re.IGNORECASE)


def url_written(text: str) -> str | None:
    """The scheme of a command-line argument written as a URL (`ftp://…`: "ftp"), or None."""
    found = _ANY_URL.match(text)
    return found.group(1).lower() if found else None


def local_path(text: str) -> Path:
    """A command-line argument that is no http(s) URL, as a path. A URL of another scheme
    (`ftp://`, `file://`) was read as the path `ftp:/host/x.mp3`: "file not found"."""
    scheme = url_written(text)
    if scheme:
        hint = "give an http(s) URL or a file's path"
        if scheme == "file":
            hint = f"give the file's path: {unquote(urlsplit(text).path) or '/'}"
        raise PodcastfeedError(f"{mask_url(text)}: {scheme}:// URLs are not read", hint=hint)
    return Path(text)


def mask_url(url: str) -> str:
    """`url` with the password of its user info replaced by ***; anything else unchanged."""
    return mask_urls(url)


def mask_urls(text: str) -> str:
    """Every `scheme://user:password@` in `text` with the password replaced by ***."""
    return _USERINFO.sub(r"\1:***@", text)


def without_userinfo(url: str) -> str:
    """`url` without its user info (`user:password@`, or a token as the user name alone): what
    a show may publish or keep of the address it was read from."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


def feed_limit(environ: dict[str, str] | None = None) -> int:
    """MAX_FEED_BYTES, or PODCASTFEED_MAX_FEED_MB megabytes when that is set to a number > 0."""
    value = (os.environ if environ is None else environ).get(FEED_LIMIT_ENV, "").strip()
    try:
        megabytes = float(value) if value else 0.0
    except ValueError:
        megabytes = 0.0
    return int(megabytes * 1024 * 1024) if megabytes > 0 else MAX_FEED_BYTES


def amount(count: int) -> str:
    """A byte count as people say it: 512 bytes, 16 KB, 64 MB."""
    if count < 1024:
        return f"{count} bytes"
    if count < 1024 * 1024:
        return f"{count / 1024:g} KB" if count % 1024 == 0 else f"{count / 1024:.0f} KB"
    return f"{count / 2**20:g} MB" if count % 2**20 == 0 else f"{count / 2**20:.1f} MB"


def deadline_text(seconds: float) -> str:
    """What a request that hit the deadline reports."""
    return (
        f"no complete answer within {seconds:g} s "
        "(the overall deadline per request; raise it with --deadline)"
    )


def size_text(limit: int, what: str = "feed") -> str:
    """What a body over its size cap reports."""
    how = f"set {FEED_LIMIT_ENV} to raise it" if what == "feed" else "podcastfeed reads no more"
    return (
        f"the answer is larger than {amount(limit)} after decompression "
        f"(the {what} size limit; {how})"
    )
