"""A feed named on the command line: a local path, or an http(s) URL fetched under the
network limits (requests is imported only for a URL)."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from podcastfeed.errors import PodcastfeedError, ProbeError
from podcastfeed.net.limits import (
    FEED_LIMIT_ENV,
    USER_AGENT,
    amount,
    feed_limit,
    is_url,
    local_path,
    mask_url,
)

if TYPE_CHECKING:
    from requests import Session


def read_source(source: str, *, session: Session | None, timeout: float, deadline: float) -> bytes:
    """The bytes of a feed named by a local path or an http(s) URL (a URL's answer capped at
    the feed size limit, after decompression); `session` is made (and closed) when None.

    Raises:
        ProbeError: the URL cannot be fetched (HTTP error, deadline, size limit ...).
        PodcastfeedError: the file cannot be read.
    """
    if not is_url(source):
        try:
            return _read_local(local_path(source))
        except OSError as exc:
            raise PodcastfeedError(f"cannot read: {exc.strerror}", source=source) from exc
    from podcastfeed.net.fetch import ask, make_session  # requests only when a URL is read

    with contextlib.nullcontext(session) if session else make_session(USER_AGENT) as using:
        got = ask(using, source, timeout=timeout, deadline=deadline, max_body=feed_limit())
    if got.error or got.status != 200:
        raise ProbeError(f"{mask_url(source)}: {got.error or f'HTTP {got.status}'}")
    return got.body


def _read_local(path: Path) -> bytes:
    """A file's bytes, whatever its size (its size is known); a pipe's or a device's (`<(curl
    …)`, /dev/stdin, /dev/zero) up to the feed size limit, as a URL's answer: /dev/zero filled
    the memory until a MemoryError."""
    with path.open("rb") as stream:
        if stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            return stream.read()
        limit = feed_limit()
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise PodcastfeedError(
            f"more than {amount(limit)} from a pipe or device (the feed size limit; "
            f"set {FEED_LIMIT_ENV} to raise it)",
            source=str(path),
        )
    return data
