"""Measure remote audio by URL: read only the bytes mutagen needs, through HTTP Range requests.

With fetch.py (the session, and ask() for whole answers), the modules that talk HTTP. A
`RangeFile` (rangefile.py) gives `audio.probe_stream` a seekable file whose reads become ranged
GETs; the first request (`Range: bytes=0-8191`) brings the size (Content-Range) and the first
bytes together: enough for the headers of most files, and of an MP3 behind a small ID3v2 tag.
Redirects are followed by hand, so loops and hops can be counted; the enclosure keeps the URL as
written. A server that ignores Range is read as a stream, as far as needed (mutagen looks at the
last bytes of every file, so: to the end).
Every request runs under a wall-clock deadline and every body under a size cap (deadline.py,
netlimits.py); messages show URLs with their passwords masked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import BinaryIO, cast
from urllib.parse import urljoin, urlsplit

import requests

from podcastfeed.errors import ProbeError
from podcastfeed.media import audio
from podcastfeed.media.rangefile import BLOCK, RangeFile
from podcastfeed.model import AudioInfo
from podcastfeed.net.deadline import Deadline, making
from podcastfeed.net.fetch import MAX_REDIRECTS, REDIRECTS, short
from podcastfeed.net.httperrors import describe, retried, status_text
from podcastfeed.net.limits import DEFAULT_DEADLINE, deadline_text, mask_url

#: The first request's size: big enough for most headers (an MP3 needs ~1 KB after its ID3v2
#: tag, an MP4's box headers before stbl a few hundred bytes), small enough that an ID3v2 tag
#: with cover art is skipped, not downloaded (its header gives its size). A multiple of BLOCK.
FIRST_BLOCK = 8 * BLOCK
_CHUNK = 16 * 1024  # what a body is read in
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)", re.IGNORECASE)
_UNSATISFIED_RANGE = re.compile(r"bytes\s+\*/(\d+)", re.IGNORECASE)
_HTML_HINT = "a login, paywall or error page: check the URL in a browser"


@dataclass(frozen=True)
class RemoteAudio:
    """What probing a URL found, and what it cost."""

    info: AudioInfo
    cost: str  # how it was read, e.g. "2 requests, 32 KB" (not in info: the lock keeps info)
    url: str  # as written (the enclosure keeps it)
    final_url: str  # after redirects
    etag: str | None
    last_modified: str | None
    requests: int  # HTTP requests made for this probe, redirects and retries included
    bytes_read: int  # body bytes received


def probe_url(
    session: requests.Session,
    url: str,
    *,
    timeout: float = 15.0,
    deadline: float = DEFAULT_DEADLINE,
) -> RemoteAudio:
    """Measure the audio at `url` (http or https) with as few bytes as the format allows.

    `timeout` applies to connecting and to each wait for data; `deadline` to each request as a
    whole (connect, headers and body).

    Raises:
        ProbeError: naming the URL and what happened (status, timeout, DNS or connection
            error, redirect loop, HTML instead of audio, unreadable audio).
    """
    probe = _Probe(session, url, timeout, deadline)
    try:
        return probe.run()
    finally:
        probe.close()


def probe_urls(
    session: requests.Session,
    urls: Sequence[str],
    *,
    jobs: int = 8,
    timeout: float = 15.0,
    deadline: float = DEFAULT_DEADLINE,
    on_done: Callable[[str, RemoteAudio | ProbeError], None] | None = None,
) -> dict[str, RemoteAudio | ProbeError]:
    """Probe `urls` with `jobs` threads; every URL (duplicates once) gets a result, in order.

    `on_done(url, result)` is called in the calling thread as each probe finishes, so a
    progress bar needs no locking. Anything but a ProbeError (a bug) propagates, as does
    KeyboardInterrupt; probes not yet started are then cancelled.
    """
    unique = list(dict.fromkeys(urls))
    results: dict[str, RemoteAudio | ProbeError] = {}
    pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="probe")
    try:
        futures: dict[Future[RemoteAudio], str] = {
            pool.submit(probe_url, session, url, timeout=timeout, deadline=deadline): url
            for url in unique
        }
        for future in as_completed(futures):
            url = futures[future]
            try:
                result: RemoteAudio | ProbeError = future.result()
            except ProbeError as exc:
                result = exc
            results[url] = result
            if on_done is not None:
                on_done(url, result)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return {url: results[url] for url in unique}


class _Probe:
    """One URL's probe: the requests made, the bytes received, the errors translated."""

    def __init__(
        self, session: requests.Session, url: str, timeout: float, deadline: float
    ) -> None:
        self.session, self.url, self.timeout, self.deadline = session, url, timeout, deadline
        self._limits: dict[int, Deadline] = {}  # by id() of each open response
        self.final_url = url
        self.requests = 0
        self.bytes_read = 0
        self.size = 0
        self.etag: str | None = None
        self.error: ProbeError | None = None  # the first failed read (mutagen may hide it)
        self._response: requests.Response | None = None  # the first, when streamed

    def run(self) -> RemoteAudio:
        head, stream, response = self._open()
        ranged = stream is None
        fileobj = RangeFile(
            self._fetch if ranged else self._refetch,
            self.size,
            head=head,
            stream=stream,
            ranged=ranged,
        )
        try:
            info = audio.probe_stream(
                cast(BinaryIO, fileobj), name=mask_url(self.url), size=self.size
            )
        except ProbeError as exc:
            if self.error is not None:  # the network failed, not the audio
                raise self.error from exc
            raise ProbeError(f"{mask_url(self.url)}: {exc.message}", hint=exc.hint) from exc
        finally:
            fileobj.close()
        if self.error is not None:
            raise self.error
        cost = f"{self.requests} request{'s' * (self.requests != 1)}, {_amount(self.bytes_read)}"
        if not ranged:
            cost += " (the server ignores Range: read as a stream)"
        return RemoteAudio(
            info=info,
            cost=cost,
            url=self.url,
            final_url=self.final_url,
            etag=self.etag,
            last_modified=response.headers.get("Last-Modified"),
            requests=self.requests,
            bytes_read=self.bytes_read,
        )

    def close(self) -> None:
        if self._response is not None:
            self._done(self._response)

    def _done(self, response: requests.Response) -> None:
        """Close a response and disarm its deadline."""
        response.close()
        limit = self._limits.pop(id(response), None)
        if limit is not None:
            limit.cancel()

    def _why(self, exc: BaseException, limit: Deadline | None) -> str:
        if limit is not None and limit.expired:
            return deadline_text(limit.seconds)
        return describe(exc, self.timeout)

    # -- requests --

    def _fail(self, what: str, hint: str | None = None) -> ProbeError:
        """The error to raise; the first one is kept, as mutagen may swallow or wrap it."""
        where = mask_url(
            self.url if self.final_url == self.url else f"{self.url} (at {self.final_url})"
        )
        error = ProbeError(f"{where}: {what}", hint=hint)
        self.error = self.error or error
        return error

    def _get(self, url: str, range_header: str | None) -> requests.Response:
        headers = {"Accept-Encoding": "identity"}
        if range_header:
            headers["Range"] = range_header
        limit = Deadline(self.deadline).start()
        try:
            with making(limit):
                response = self.session.get(
                    url,
                    headers=headers,
                    stream=True,
                    allow_redirects=False,
                    timeout=limit.timeout(self.timeout),
                )
        except requests.RequestException as exc:
            limit.cancel()
            self.requests += 1
            raise self._fail(self._why(exc, limit)) from exc
        self._limits[id(response)] = limit
        self.requests += 1 + retried(response)
        return response

    def _open(self) -> tuple[bytes, Iterator[bytes] | None, requests.Response]:
        """The first request, following redirects: (head, rest of a 200 body or None, response).
        Sets size and final_url."""
        url, seen = self.url, [self.url]
        while True:
            self.final_url = url
            try:
                scheme = urlsplit(url).scheme.lower()
            except ValueError as exc:  # urlsplit's only complaint: a bad [IPv6] host
                raise self._fail(f"not a valid URL ({exc})") from exc
            if scheme not in ("http", "https") and len(seen) > 1:
                self.final_url = seen[-2]
                raise self._fail(
                    f"refuses to follow a redirect to {mask_url(url)} (only http and https)"
                )
            if scheme not in ("http", "https"):
                raise self._fail(
                    "only http and https URLs can be probed "
                    + (f"(scheme {scheme!r})" if scheme else "(no scheme)"),
                    hint="publish the audio on a web server, or give a local path",
                )
            response = self._get(url, f"bytes=0-{FIRST_BLOCK - 1}")
            if response.status_code not in REDIRECTS:
                break
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) <= 64 * 1024:
                _ = response.content  # read, so the connection can be reused for the next hop
            self._done(response)
            location = response.headers.get("Location")
            if not location:
                raise self._fail(f"HTTP {response.status_code} redirect without a Location")
            try:
                url = urljoin(url, location)
            except ValueError as exc:
                raise self._fail(f"redirected to an invalid URL ({location!r}: {exc})") from exc
            if url in seen:
                path = " → ".join(short(u, self.url) for u in [*seen[seen.index(url) :], url])
                raise self._fail(f"redirect loop ({path})")
            seen.append(url)
            if len(seen) > MAX_REDIRECTS + 1:
                raise self._fail(f"too many redirects (more than {MAX_REDIRECTS})")
        self._response = response
        self.etag = response.headers.get("ETag")
        head, stream = self._first_body(response)
        return head, stream, response

    def _first_body(self, response: requests.Response) -> tuple[bytes, Iterator[bytes] | None]:
        status = response.status_code
        self._check_type(response)
        if status == 416:  # nothing to read: an empty file
            match = _UNSATISFIED_RANGE.fullmatch(response.headers.get("Content-Range", "").strip())
            if match and int(match[1]) == 0:
                return b"", None
        if status == 206:
            start, end, self.size = self._content_range(response)
            if start != 0:
                raise self._fail(f"asked for bytes 0-{FIRST_BLOCK - 1}, got {start}-{end}")
            head = self._read_all(response, end + 1)
            self._done(response)  # read: disarm its deadline before the next request
            self._sniff(head)
            return head, None
        if status != 200:
            raise self._fail(status_text(response))
        # The server ignores Range: the whole file is coming. Read on demand.
        self.size = self._content_length(response)
        chunks = self._counted(response)
        head = b""
        for chunk in chunks:  # enough to tell HTML from audio
            head += chunk
            if len(head) >= 512:
                break
        self._sniff(head)
        return head[: self.size], chunks

    # The RangeFile calls these two; their ProbeErrors reach probe_url through mutagen and
    # audio.py (which keep the first failure of a file object), and self.error keeps them too.

    def _fetch(self, start: int, end: int) -> Iterator[bytes]:
        """Bytes [start, end) by a ranged GET."""
        response = self._get(self.final_url, f"bytes={start}-{end - 1}")
        try:
            if response.status_code == 200:
                raise self._fail("the server stopped honouring Range requests mid-probe")
            if response.status_code != 206:
                raise self._fail(f"{status_text(response)} for bytes {start}-{end - 1}")
            first, last, size = self._content_range(response)
            if (first, last) != (start, end - 1) or size != self.size:
                raise self._fail(
                    f"asked for bytes {start}-{end - 1} of {self.size}, "
                    f"got {first}-{last} of {size} (did the file change?)"
                )
            etag = response.headers.get("ETag")
            if self.etag and etag and etag != self.etag:
                raise self._fail("the file changed while it was probed (its ETag changed)")
            yield self._read_all(response, end - start)
        finally:
            self._done(response)

    def _refetch(self, start: int, end: int) -> Iterator[bytes]:
        """Bytes from `start` on, from a server that ignores Range: from the top again."""
        response = self._get(self.final_url, None)
        try:
            if response.status_code != 200:
                raise self._fail(status_text(response))
            if self._content_length(response) != self.size:
                raise self._fail("the file changed while it was probed (its length changed)")
            skip = start
            for chunk in self._counted(response):
                if skip < len(chunk):
                    yield chunk[skip:]
                skip = max(0, skip - len(chunk))
        finally:
            self._done(response)

    def _counted(self, response: requests.Response) -> Iterator[bytes]:
        """The body's chunks as they arrive, counted, with errors translated."""
        limit = self._limits.get(id(response))
        try:
            for chunk in response.iter_content(chunk_size=_CHUNK):
                self.bytes_read += len(chunk)
                if self.bytes_read > 3 * self.size + _CHUNK:  # a bound, whatever happens
                    raise self._fail(f"read {_amount(self.bytes_read)}, giving up")
                if limit is not None:
                    limit.check()
                    if limit.expired:
                        break
                yield chunk
        except requests.RequestException as exc:
            raise self._fail(self._why(exc, limit)) from exc
        if limit is not None and limit.expired:  # the deadline cut the body short
            raise self._fail(deadline_text(limit.seconds))

    def _read_all(self, response: requests.Response, length: int) -> bytes:
        data = bytearray()
        for chunk in self._counted(response):
            data += chunk
            if len(data) > length:
                break
        if len(data) != length:
            got = "more" if len(data) > length else f"only {len(data)}"
            raise self._fail(f"the server sent {got} bytes of the {length} it announced")
        return bytes(data)

    def _content_length(self, response: requests.Response) -> int:
        length = response.headers.get("Content-Length", "")
        if not length.isdigit():
            raise self._fail(
                "the server sends no Content-Length or Content-Range: the file's size is unknown",
                hint="podcast apps need the exact size; ask the host to support Range requests",
            )
        return int(length)

    def _content_range(self, response: requests.Response) -> tuple[int, int, int]:
        value = response.headers.get("Content-Range", "")
        match = _CONTENT_RANGE.fullmatch(value.strip())
        if not match or match[3] == "*" or int(match[1]) > int(match[2]) >= int(match[3]):
            raise self._fail(f"HTTP 206 with an unusable Content-Range ({value!r})")
        return int(match[1]), int(match[2]), int(match[3])

    def _check_type(self, response: requests.Response) -> None:
        kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind in _HTML_TYPES and response.status_code < 300:
            raise self._fail(
                f"the server sent an HTML page, not audio (Content-Type {kind})", _HTML_HINT
            )
        encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding not in ("", "identity"):
            raise self._fail(f"the server compressed the audio (Content-Encoding {encoding})")

    def _sniff(self, head: bytes) -> None:
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].lower()
        if start.startswith((b"<!doctype", b"<html")):
            raise self._fail(
                f"the server sent an HTML page, not audio (it starts {head[:9]!r})", _HTML_HINT
            )


def _amount(count: int) -> str:
    return f"{count / 1024:.0f} KB" if count < 10 * 1024 * 1024 else f"{count / 2**20:.1f} MB"
