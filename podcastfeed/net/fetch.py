"""One HTTP session for every command, and `ask()`: one request whose whole answer is read.

The session retries what may pass (connection errors, 429, 5xx) and puts every request under
its deadline (deadline.py); `ask()` serves check --online, check --feed, diff, import and
notify: redirects followed by hand (loops and non-http schemes refused), the body read under a
size cap after decompression, errors as words with URLs masked. Probing is in media/remote.py.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urljoin, urlsplit

import requests
from urllib3.connectionpool import ConnectionPool
from urllib3.exceptions import MaxRetryError
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from podcastfeed.net.deadline import BodyTooLarge, Deadline, DeadlineAdapter, current, read_body
from podcastfeed.net.deadline import deadline as _deadline
from podcastfeed.net.httperrors import describe
from podcastfeed.net.limits import (
    DEFAULT_DEADLINE,
    MAX_FEED_BYTES,
    deadline_text,
    mask_url,
    size_text,
)

CHUNK = 16 * 1024
MAX_REDIRECTS = 10
MAX_BODY = MAX_FEED_BYTES  # what ask() reads at most (a feed fetched for check --feed)
RETRIES = 3  # for connection errors, 429 and 5xx
MAX_RETRY_AFTER = 30.0  # seconds: a longer Retry-After fails sooner rather than stalling a build
REDIRECTS = frozenset({301, 302, 303, 307, 308})
#: getaddrinfo's "no such name" answers (EAI_AGAIN, a resolver that did not answer, is retried).
_NO_SUCH_NAME = frozenset(
    code
    for code in (getattr(socket, "EAI_NONAME", None), getattr(socket, "EAI_NODATA", None))
    if code is not None
)


class _Retry(Retry):
    """urllib3's Retry with a bounded Retry-After (urllib3 < 2.6 has no retry_after_max)."""

    def parse_retry_after(self, retry_after: str) -> float:
        return min(super().parse_retry_after(retry_after), MAX_RETRY_AFTER)

    def increment(self, *args: Any, **kwargs: Any) -> _Retry:
        """No retry once the request's deadline has passed (the caller then says so), nor for
        a host name that does not exist (a temporary resolver failure is retried)."""
        error = kwargs.get("error")
        if _unknown_host(error):
            url = kwargs.get("url") or (args[1] if len(args) > 1 else None)
            raise MaxRetryError(cast(ConnectionPool, kwargs.get("_pool")), url or "", error)
        found = current()
        if found is not None:
            found.check()
            if found.expired:
                url = kwargs.get("url") or (args[1] if len(args) > 1 else None)
                pool = cast(ConnectionPool, kwargs.get("_pool"))
                raise MaxRetryError(pool, url or "", kwargs.get("error"))
        return super().increment(*args, **kwargs)

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        """Back off (or honour Retry-After), but never past the request's deadline."""
        wait = self.get_backoff_time()
        if self.respect_retry_after_header and response is not None:
            wait = self.get_retry_after(response) or wait
        found = current()
        if found is not None:
            wait = min(wait, found.remaining())
        if wait > 0:
            time.sleep(wait)


def _unknown_host(error: object) -> bool:
    """`error` says the host name does not exist (EAI_NONAME, EAI_NODATA): asking again in a
    second gives the same answer, so retries only made `check --online` wait (issue 18)."""
    while error is not None and not isinstance(error, socket.gaierror):
        error = getattr(error, "_reason", None) or getattr(error, "__cause__", None)
    return isinstance(error, socket.gaierror) and error.errno in _NO_SUCH_NAME


def make_session(
    user_agent: str,
    *,
    retries: int = RETRIES,
    backoff: float = 0.5,
    methods: Sequence[str] = ("GET", "HEAD"),
) -> requests.Session:
    """A session for probing: up to `retries` retries with exponential backoff (0, 2×backoff,
    4×backoff ... seconds, at most 10 s) for connection errors, 429 and 5xx, honouring
    Retry-After up to 30 s; none for other statuses (404, 403, 410). Read errors get one
    retry: a kept-alive connection the server has closed meanwhile fails on first use (and
    more would multiply a dead server's timeout). `methods` are the ones retried on a status or
    a read error (add POST for idempotent pings such as WebSub's)."""
    retry = _Retry(
        total=retries,
        connect=retries,
        read=1,
        status=retries,
        other=0,
        redirect=False,  # redirects are followed by hand (see _open)
        backoff_factor=backoff,
        backoff_max=10.0,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=tuple(methods),
        respect_retry_after_header=True,
        raise_on_status=False,  # hand back the last response: its status goes in the error
    )
    session = requests.Session()
    adapter = DeadlineAdapter(max_retries=retry, pool_connections=16, pool_maxsize=16)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = user_agent
    return session


@dataclass(frozen=True)
class Answer:
    """How a host answered one request (for `check --online`): redirects followed by hand."""

    url: str
    final_url: str
    redirects: int
    status: int  # 0 when no answer came (then `error` says why)
    headers: dict[str, str]  # lower-case names
    body: bytes  # at most the bytes asked for
    error: str | None = None


def ask(
    session: requests.Session,
    url: str,
    *,
    method: str = "GET",
    first_bytes: int | None = None,
    timeout: float = 15.0,
    deadline: float = DEFAULT_DEADLINE,
    form: dict[str, str] | None = None,
    max_body: int = MAX_BODY,
    limit_name: str = "feed",
) -> Answer:
    """One request (GET, with `Range: bytes=0-(first_bytes-1)` when given; HEAD; or POST of
    `form`, URL-encoded), following up to MAX_REDIRECTS http(s) redirects, all within
    `deadline` seconds. A GET or POST reads at most `first_bytes` of the body (and stops there),
    else the whole body, which must fit in `max_body` bytes after decompression (else an error
    naming the `limit_name` size limit). Never raises for HTTP or network trouble: `error` says
    what happened, with URLs masked."""
    current_url, seen = url, [url]
    headers = {"Accept-Encoding": "identity"}
    if first_bytes:
        headers["Range"] = f"bytes=0-{first_bytes - 1}"
    with _deadline(deadline) as limit:

        def failed(why: str, status: int = 0) -> Answer:
            return Answer(url, current_url, len(seen) - 1, status, {}, b"", why)

        while True:
            try:
                scheme = urlsplit(current_url).scheme.lower()
            except ValueError as exc:
                return failed(f"not a valid URL ({exc})")
            if scheme not in ("http", "https"):
                if len(seen) == 1:
                    return failed(f"only http and https URLs can be fetched (scheme {scheme!r})")
                where = mask_url(current_url)
                return failed(f"refuses to follow a redirect to {where} (only http and https)")
            try:
                with session.request(
                    method,
                    current_url,
                    headers=headers,
                    data=form,
                    stream=True,
                    allow_redirects=False,
                    timeout=limit.timeout(timeout),
                ) as response:
                    found = {k.lower(): v for k, v in response.headers.items()}
                    location = found.get("location")
                    if response.status_code in REDIRECTS and location:
                        target = urljoin(current_url, location)
                        if target in seen:
                            loop = [*seen[seen.index(target) :], target]
                            path = " → ".join(mask_url(short(u, url)) for u in loop)
                            return failed(f"redirect loop ({path})")
                        if len(seen) > MAX_REDIRECTS:
                            return failed(f"too many redirects (more than {MAX_REDIRECTS})")
                        current_url = target
                        seen.append(target)
                        if method == "POST" and response.status_code == 303:
                            method, form = "GET", None  # 303 See Other: fetch it with GET
                        continue
                    body = b""
                    if method == "HEAD":
                        pass
                    elif first_bytes:
                        body = _first(response, first_bytes, limit)
                    else:
                        body = read_body(response, max_body, limit)
                    if limit.expired:
                        return failed(deadline_text(deadline))
                    hops = len(seen) - 1
                    return Answer(url, current_url, hops, response.status_code, found, body)
            except BodyTooLarge:
                return failed(size_text(max_body, limit_name), response.status_code)
            except (requests.RequestException, ValueError) as exc:
                return failed(deadline_text(deadline) if limit.expired else describe(exc, timeout))


def _first(response: requests.Response, count: int, limit: Deadline) -> bytes:
    """At most the first `count` bytes of the body (a server may ignore Range)."""
    body = bytearray()
    for chunk in response.iter_content(chunk_size=min(count, CHUNK)):
        body += chunk
        limit.check()
        if len(body) >= count or limit.expired:
            break
    return bytes(body[:count])


def short(url: str, base: str) -> str:
    """A URL as a path when it is on the same host as `base`."""
    parts, origin = urlsplit(url), urlsplit(base)
    if (parts.scheme, parts.netloc) == (origin.scheme, origin.netloc):
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return url
