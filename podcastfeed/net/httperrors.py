"""What a failed HTTP request means, in a few words: for the errors remote probing reports.

Turns requests/urllib3 exceptions and responses into "HTTP 404 Not Found (after 2 retries)",
"timed out after 15 s (read)", "cannot resolve the host name 'x' (DNS)" and the like.
"""

from __future__ import annotations

from http import HTTPStatus
from urllib.parse import urlsplit

import requests
from urllib3 import exceptions as u3

from podcastfeed.net.limits import mask_urls


def retried(response: requests.Response) -> int:
    """How many times urllib3 retried before this response (429, 5xx, connection errors)."""
    return len(getattr(getattr(response.raw, "retries", None), "history", None) or ())


def status_text(response: requests.Response) -> str:
    try:
        phrase = HTTPStatus(response.status_code).phrase
    except ValueError:
        phrase = response.reason or ""
    retries = retried(response)
    after = f" (after {retries} retr{'y' if retries == 1 else 'ies'})" if retries else ""
    return f"HTTP {response.status_code} {phrase}".rstrip() + after


def describe(exc: BaseException, timeout: float) -> str:
    """What a requests/urllib3 exception means, in a few words (passwords in URLs masked)."""
    return mask_urls(_describe(exc, timeout))


def _describe(exc: BaseException, timeout: float) -> str:
    causes = _causes(exc)

    def has(*kinds: type[BaseException]) -> bool:
        return any(isinstance(e, kinds) for e in causes)

    if has(u3.NameResolutionError):
        host = urlsplit(getattr(getattr(exc, "request", None), "url", "") or "").hostname
        return f"cannot resolve the host name {host!r} (DNS)" if host else "DNS lookup failed"
    # urllib3's NewConnectionError is a ConnectTimeoutError too, for history's sake.
    if has(requests.ConnectTimeout, u3.ConnectTimeoutError) and not has(u3.NewConnectionError):
        return f"timed out after {timeout:g} s (connect)"
    if has(requests.ReadTimeout, u3.ReadTimeoutError, TimeoutError):
        return f"timed out after {timeout:g} s (read)"
    if has(ConnectionRefusedError):
        return "cannot connect (connection refused)"
    if has(requests.exceptions.SSLError, u3.SSLError):
        return f"TLS/SSL error ({_innermost(causes)})"
    if has(u3.IncompleteRead):
        return "the connection closed before the whole body came (a short body)"
    if has(ConnectionResetError):
        return "the server reset the connection"
    if has(u3.ProtocolError):
        return f"the connection broke ({_innermost(causes)})"
    if has(
        requests.exceptions.InvalidURL, requests.exceptions.MissingSchema, u3.LocationParseError
    ):
        return f"not a valid URL ({exc})"
    if has(u3.NewConnectionError):
        return f"cannot connect ({_innermost(causes)})"
    return f"{type(exc).__name__}: {exc}"


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and everything it wraps (args, .reason, __cause__, __context__)."""
    found: list[BaseException] = []
    todo: list[object] = [exc]
    while todo:
        current = todo.pop(0)
        if not isinstance(current, BaseException) or any(current is e for e in found):
            continue
        found.append(current)
        todo += [*current.args, getattr(current, "reason", None)]
        todo += [current.__cause__, current.__context__]
    return found


def _innermost(causes: list[BaseException]) -> str:
    """The most wrapped exception's text: usually the OS's own words."""
    return str(causes[-1]) or type(causes[-1]).__name__
