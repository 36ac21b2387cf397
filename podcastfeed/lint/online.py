"""The HTTP side of `check --online`: what the media host answers (a Range GET of two bytes, a
HEAD), each answer kept for a day in the build cache folder (online.json). The rules that read
the answers are in rules/online.py.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from podcastfeed.files import write_atomic
from podcastfeed.media import artwork
from podcastfeed.media.artwork import Artwork, ArtworkError
from podcastfeed.net.limits import DEFAULT_DEADLINE

if TYPE_CHECKING:
    from requests import Session

CACHE_NAME = "online.json"
CACHE_SECONDS = 24 * 3600


@dataclass
class Online:
    """The HTTP side of `check --online`: one answer per URL and kind, cached for a day."""

    session: Session
    timeout: float = 15.0
    cache_file: Path | None = None
    now: float = field(default_factory=time.time)
    requests: int = 0
    deadline: float = DEFAULT_DEADLINE  # per request, in all (connect, headers, body)
    _cache: dict[str, dict[str, Any]] | None = None

    def _entries(self) -> dict[str, dict[str, Any]]:
        if self._cache is None:
            self._cache = {}
            if self.cache_file is not None:
                try:
                    data = json.loads(self.cache_file.read_text(encoding="utf-8"))
                    self._cache = {
                        k: v
                        for k, v in data.get("answers", {}).items()
                        if self.now - float(v.get("at", 0)) < CACHE_SECONDS
                    }
                except (OSError, ValueError, AttributeError, TypeError):
                    self._cache = {}
        return self._cache

    def answer(self, url: str, method: str) -> dict[str, Any]:
        """status, final_url, redirects, content_type, content_range, error of GET Range 0-1
        (method GET) or HEAD."""
        key = f"{method} {url}"
        entries = self._entries()
        if key not in entries:
            from podcastfeed.net import fetch  # requests only when a host is asked

            self.requests += 1
            got = fetch.ask(
                self.session,
                url,
                method=method,
                first_bytes=2 if method == "GET" else None,
                timeout=self.timeout,
                deadline=self.deadline,
            )
            entries[key] = {
                "at": self.now,
                "status": got.status,
                "final_url": got.final_url,
                "redirects": got.redirects,
                "content_type": got.headers.get("content-type", ""),
                "content_range": got.headers.get("content-range", ""),
                "error": got.error,
            }
        return entries[key]

    def artwork(self, url: str) -> Artwork | ArtworkError | None:
        """The image header at `url`, from a ranged read of its first bytes; None when the host
        does not answer with it (apple/artwork-head reports that)."""
        from podcastfeed.net import fetch

        self.requests += 1
        got = fetch.ask(
            self.session,
            url,
            first_bytes=artwork.HEAD_BYTES,
            timeout=self.timeout,
            deadline=self.deadline,
        )
        if got.error or not 200 <= got.status < 300:
            return None
        total = got.headers.get("content-range", "").rpartition("/")[2]
        length = got.headers.get("content-length", "")
        size = int(total) if total.isdigit() else int(length) if length.isdigit() else None
        try:
            return artwork.read_bytes(got.body, size)
        except ArtworkError as exc:
            return exc

    def save(self) -> None:
        if self.cache_file is None or self._cache is None:
            return
        text = json.dumps({"format": 1, "answers": self._cache}, indent=1, sort_keys=True)
        try:
            self.cache_file.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.cache_file, text.encode("utf-8"))
        except OSError:
            pass  # a cache folder that is a file or read-only: the answers are not kept
