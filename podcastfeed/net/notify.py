"""Tell the world a published feed changed: WebSub hubs and the Podcast Index.

WebSub (https://www.w3.org/TR/websub/#x7-publishing): `POST hub.mode=publish&hub.url=FEED` to
each hub of `[show] hubs`. Podcast Index: `GET /api/1.0/hub/pubnotify?url=FEED` (no API key
needed; https://podcastindex-org.github.io/docs-api/#get-/hub/pubnotify). Requests go through
fetch.py with the session the CLI made (it retries connection errors, 429 and 5xx).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from podcastfeed.model import Show
from podcastfeed.net import fetch
from podcastfeed.net.limits import DEFAULT_DEADLINE, MAX_PING_ANSWER_BYTES, mask_url

if TYPE_CHECKING:
    from requests import Session

PODCAST_INDEX = "https://api.podcastindex.org/api/1.0/hub/pubnotify"


@dataclass(frozen=True)
class Ping:
    """One notification to send."""

    what: str  # "WebSub hub" or "Podcast Index"
    method: str  # POST or GET
    url: str
    form: dict[str, str] | None = None

    def __str__(self) -> str:
        """The ping as people read it, with passwords in URLs masked."""
        if self.form:
            form = urlencode({key: mask_url(value) for key, value in self.form.items()})
            return mask_url(f"{self.what}: {self.method} {self.url} ({form})")
        return mask_url(f"{self.what}: {self.method} {self.url}")


@dataclass(frozen=True)
class Result:
    ping: Ping
    ok: bool
    detail: str  # "HTTP 204", or what went wrong


def plan(show: Show, *, pubnotify_url: str | None = PODCAST_INDEX) -> list[Ping]:
    """The pings for `show`'s feed: one per WebSub hub, then the Podcast Index (unless None)."""
    pings = [
        Ping("WebSub hub", "POST", hub, {"hub.mode": "publish", "hub.url": show.feed_url})
        for hub in show.tags.hubs
    ]
    if pubnotify_url:
        query = urlencode({"url": show.feed_url})
        separator = "&" if "?" in pubnotify_url else "?"
        pings.append(Ping("Podcast Index", "GET", f"{pubnotify_url}{separator}{query}"))
    return pings


def send(
    session: Session,
    pings: list[Ping],
    *,
    timeout: float = 15.0,
    deadline: float = DEFAULT_DEADLINE,
) -> list[Result]:
    """Send each ping; a 2xx answer is success (hubs answer 202 or 204, the index 200). Each
    ping must be answered within `deadline` seconds, with at most MAX_PING_ANSWER_BYTES."""
    results = []
    for ping in pings:
        answer = fetch.ask(
            session,
            ping.url,
            method=ping.method,
            form=ping.form,
            timeout=timeout,
            deadline=deadline,
            max_body=MAX_PING_ANSWER_BYTES,
            limit_name="ping answer",
        )
        if answer.error:
            results.append(Result(ping, False, answer.error))
            continue
        detail = f"HTTP {answer.status}"
        text = answer.body[:200].decode("utf-8", "replace").strip()
        if not 200 <= answer.status < 300 and text:
            detail += f": {' '.join(text.split())}"
        results.append(Result(ping, 200 <= answer.status < 300, detail))
    return results
