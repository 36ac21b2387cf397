"""A real HTTP server on 127.0.0.1 that behaves like podcast hosts do, for tests and benchmarks.

Serves tests/data/audio (and files registered with `add`) with Range (206/416), ETag,
Last-Modified and HEAD, over HTTP/1.1 keep-alive, plus routes that misbehave the way real hosts
do. Every request is logged (method, path, Range, status, body bytes sent) so tests can assert
what crossed the wire from the server's side. No pytest dependency: tests/conftest.py and
bench/remote_bench.py both use it.

Routes (FILE is a name under the served folder or registered with `add`):

    /FILE                     the file, with Range
    /redirect/N/FILE          N redirect hops (302), then the file
    /loop/FILE                /loop/FILE → /loop-back/FILE → /loop/FILE ...
    /see-other/FILE           303 See Other to /FILE (a POST is then fetched with GET)
    /404/FILE                 404 with an HTML body
    /500/FILE                 500, always
    /500-then-ok/FILE         500 on the first request for that path, then the file
    /429/FILE                 429 with Retry-After: 0 on the first request, then the file
    /no-range/FILE            ignores Range: 200 with the whole body
    /no-length/FILE           ignores Range, no Content-Length, closes the connection
    /head-405/FILE            405 for HEAD, the file for GET
    /slow/FILE                waits `slow` seconds (2 s) before answering
    /delay/SECONDS/FILE       waits SECONDS, then the file (with Range)
    /html/FILE                200 text/html: a login page
    /wrong-length/FILE        Content-Length 1,000 bytes more than the body, then closes
    /trickle-status/ANY       the status line and headers one byte per `trickle` seconds, forever
    /trickle-body/FILE        the headers at once (200, the file's length), the body one byte
                              per `trickle` seconds
    /endless/ANY              200 with no length, then an RSS start and comments without end
    /gzip/FILE                the file gzip-compressed (Content-Encoding: gzip), whatever the
                              client accepts: register a gzip bomb with `add`
    /to-file/ANY              302 to file:///etc/passwd
    /e/URL                    an analytics prefix as OP3 answers it: 302 to URL, read as
                              https:// when it has no scheme (`/e/(https?://)?(.+)`)
    .../ping, .../pubnotify   a notification endpoint (GET or POST): 204 for POST, 200 with
                              {"status": "true"} for GET; the request body is logged. The
                              prefixes above (/500/, /500-then-ok/, /429/ ...) work before it.
"""

from __future__ import annotations

import hashlib
import re
import sys
import threading
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

AUDIO = Path(__file__).parent / "data" / "audio"
#: The fixtures every probe must read (the others in AUDIO are broken on purpose).
GOOD = [
    "sine-3s-cbr.mp3",
    "sine-13s-vbr-noxing.mp3",
    "with-cover.mp3",
    "sine-2s-moov-end.m4a",
    "sine-2s-faststart.m4a",
    "sine-2s.opus",
    "sine-2s.ogg",
    "sine-2s.flac",
    "sine-1s.wav",
    "video-1s.mp4",
]
_CHUNK = 16 * 1024
_LAST_MODIFIED = formatdate(1_717_200_000, usegmt=True)  # fixed: Sat, 01 Jun 2024 00:00:00 GMT
_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".mp4": "video/mp4",
    ".ogg": "audio/ogg",
    ".opus": "audio/ogg",
    ".flac": "audio/flac",
    ".wav": "audio/wav",
    ".aac": "audio/aac",
}
LOGIN_PAGE = b"""<!DOCTYPE html>
<html><head><title>Sign in</title></head>
<body><form method="post" action="/login"><input name="user"><input name="password" type="password">
<button>Sign in</button></form></body></html>
"""


@dataclass
class Entry:
    """One request as the server saw it."""

    method: str
    path: str
    range: str | None
    user_agent: str | None
    port: int = 0  # the client's: the same for requests on one kept-alive connection
    status: int = 0
    sent: int = 0  # body bytes written to the socket (a closed client may not have read them)
    ranges: list[tuple[int, int]] = field(default_factory=list)  # body byte spans [start, end)
    body: bytes = b""  # the request's body (POST)


class _QuietServer(ThreadingHTTPServer):
    """A client that closes a kept-alive connection (the tool after a 404) resets the socket
    the handler thread is reading: not an error of the test. socketserver prints those to
    sys.stderr, which a CliRunner test captures as the command's own output (flaky failures)."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class AudioServer:
    """The server, its log and its registry; `with AudioServer() as server:` or start/stop."""

    def __init__(
        self,
        root: Path = AUDIO,
        *,
        latency: float = 0.0,
        slow: float = 2.0,
        rate: float | None = None,
        trickle: float = 0.2,
    ) -> None:
        """`latency`: seconds of sleep before each answer; `slow`: the /slow/ route's sleep;
        `rate`: bytes per second per response (None: as fast as loopback goes); `trickle`:
        seconds between the bytes of the /trickle-*/ routes."""
        self.root, self.latency, self.slow, self.rate = root, latency, slow, rate
        self.trickle = trickle
        self.files: dict[str, bytes | Path] = {}
        self.log: list[Entry] = []
        self.lock = threading.Lock()
        self.active = 0
        self.max_active = 0
        self._hits: dict[str, int] = {}
        self._etags: dict[str, tuple[bytes, str]] = {}
        self._idle = threading.Condition(self.lock)
        self._stopping = threading.Event()
        self._httpd = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_port}"

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"

    def add(self, name: str, data: bytes | Path) -> str:
        """Serve `data` (bytes, or a file read on each request) as /name; returns its URL."""
        with self.lock:
            self.files[name] = data
        return self.url(name)

    def start(self) -> AudioServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._thread.join()
        self._httpd.server_close()

    def __enter__(self) -> AudioServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def settle(self, timeout: float = 5.0) -> list[Entry]:
        """The log, once no request is in progress (a handler may still be counting bytes
        after the client has them)."""
        with self._idle:
            self._idle.wait_for(lambda: self.active == 0, timeout)
            return list(self.log)

    def clear(self) -> None:
        with self.lock:
            self.log.clear()
            self.max_active = 0

    def sent(self, path_part: str = "") -> int:
        """Body bytes sent for requests whose path contains `path_part`."""
        return sum(e.sent for e in self.settle() if path_part in e.path)

    def requests(self, path_part: str = "") -> int:
        return sum(1 for e in self.settle() if path_part in e.path)

    # -- used by the handler --

    def data(self, name: str) -> bytes | None:
        with self.lock:
            found = self.files.get(name)
        if isinstance(found, Path):
            return found.read_bytes()
        if found is not None:
            return found
        path = (self.root / name).resolve()
        if name and path.is_file() and path.is_relative_to(self.root.resolve()):
            return path.read_bytes()
        return None

    def etag(self, name: str, data: bytes) -> str:
        """A strong ETag for the content (hashed once per content: 30 MB takes 40 ms)."""
        with self.lock:
            known = self._etags.get(name)
        if known is not None and known[0] is data:
            return known[1]
        tag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
        with self.lock:
            self._etags[name] = (data, tag)
        return tag

    def hit(self, key: str) -> int:
        """How many times `key` was requested before (per-route counters)."""
        with self.lock:
            count = self._hits.get(key, 0)
            self._hits[key] = count + 1
            return count

    def sleep(self, seconds: float) -> None:
        self._stopping.wait(seconds)


def _handler_for(server: AudioServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        owner = server

    return Handler


class _Handler(BaseHTTPRequestHandler):
    owner: AudioServer
    protocol_version = "HTTP/1.1"  # keep-alive, as real hosts
    # Headers and body go out in separate writes: without this, Nagle's algorithm and the
    # client's delayed ACK add 40 ms to every response.
    disable_nagle_algorithm = True
    entry: Entry

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._handle(head=False)

    def do_HEAD(self) -> None:
        self._handle(head=True)

    def do_POST(self) -> None:
        self._handle(head=False)

    def _handle(self, *, head: bool) -> None:
        owner = self.owner
        self.entry = Entry(
            self.command,
            self.path,
            self.headers.get("Range"),
            self.headers.get("User-Agent"),
            self.client_address[1],
        )
        length = self.headers.get("Content-Length", "")
        if length.isdigit():
            self.entry.body = self.rfile.read(int(length))
        with owner.lock:
            owner.log.append(self.entry)
            owner.active += 1
            owner.max_active = max(owner.max_active, owner.active)
        try:
            if owner.latency:
                owner.sleep(owner.latency)
            self._route(head)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            with owner.lock:
                owner.active -= 1
                owner._idle.notify_all()

    def _route(self, head: bool) -> None:
        if self.path.startswith("/e/"):  # OP3's redirect: the target, https:// when schemeless
            target = self.path[len("/e/") :]
            return self._redirect(target if re.match(r"https?://", target) else "https://" + target)
        path = self.path.split("?")[0].lstrip("/")
        match = re.fullmatch(r"redirect/(\d+)/(.+)", path)
        if match:
            hops, name = int(match[1]), match[2]
            target = f"/redirect/{hops - 1}/{name}" if hops > 1 else f"/{name}"
            return self._redirect(target)
        route, _, name = path.partition("/")
        if route in ("trickle-status", "trickle-body", "endless", "gzip", "to-file"):
            return self._misbehave(route, name, head)
        if route == "see-other":  # 303: fetch the answer at /NAME with GET
            self.send_response(303)
            self.send_header("Location", f"/{name}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if route == "loop":
            return self._redirect(f"/loop-back/{name}")
        if route == "loop-back":
            return self._redirect(f"/loop/{name}")
        if route == "404":
            return self._send_simple(404, b"<!DOCTYPE html><title>Not Found</title>", head)
        if route == "500" or (route == "500-then-ok" and self.owner.hit(path) == 0):
            return self._send_simple(500, b"Internal Server Error", head, "text/plain")
        if route == "429" and self.owner.hit(path) == 0:
            return self._send_simple(429, b"slow down", head, "text/plain", {"Retry-After": "0"})
        if path.rsplit("/", 1)[-1] in ("ping", "pubnotify"):
            if self.command == "POST":
                return self._send_simple(204, b"", head)
            return self._send_simple(200, b'{"status": "true"}', head, "application/json")
        if route == "slow":
            self.owner.sleep(self.owner.slow)
        if route == "head-405" and head:
            return self._send_simple(405, b"", head, "text/plain", {"Allow": "GET"})
        match = re.fullmatch(r"delay/([0-9.]+)/(.+)", path)
        if match:
            self.owner.sleep(float(match[1]))
            route, name = "delay", match[2]
        if route == "html":
            return self._send_simple(200, LOGIN_PAGE, head)
        special = {
            "500-then-ok",
            "429",
            "slow",
            "head-405",
            "no-range",
            "no-length",
            "wrong-length",
        }
        if route not in special and route != "delay":
            name = path
        data = self.owner.data(name)
        if data is None:
            return self._send_simple(404, b"<!DOCTYPE html><title>Not Found</title>", head)
        self._send_file(name, data, head, route)

    def _misbehave(self, route: str, name: str, head: bool) -> None:
        """The routes that would keep a client without a deadline or a size cap forever."""
        owner = self.owner
        self.close_connection = True
        if route == "to-file":
            return self._redirect("file:///etc/passwd")
        if route == "trickle-status":  # a status line (then headers) that never ends
            self.entry.status = 200
            start = b"HTTP/1.1 200 OK\r\nContent-Type: audio/mpeg\r\nX-Padding: "
            return self._drip(start + b"a" * 100_000)
        if route == "endless":
            self.entry.status = 200
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n\r\n")
            self.wfile.write(b'<?xml version="1.0"?>\n<rss version="2.0"><channel>')
            comment = b"<!-- " + b"x" * (_CHUNK - 9) + b" -->"
            while not owner._stopping.is_set():
                self.wfile.write(comment)
                with owner.lock:
                    self.entry.sent += len(comment)
            return None
        data = owner.data(name)
        if data is None:
            return self._send_simple(404, b"<!DOCTYPE html><title>Not Found</title>", head)
        kind = _TYPES.get(Path(name).suffix.lower(), "application/rss+xml")
        if route == "gzip":
            return self._send_simple(200, data, head, kind, {"Content-Encoding": "gzip"})
        self.entry.status = 200  # trickle-body
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return None if head else self._drip(data)

    def _drip(self, data: bytes) -> None:
        for at in range(len(data)):
            if self.owner._stopping.wait(self.owner.trickle):
                return
            self.wfile.write(data[at : at + 1])
            with self.owner.lock:
                self.entry.sent += 1

    def _redirect(self, location: str) -> None:
        self.entry.status = 302
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send_simple(
        self,
        status: int,
        body: bytes,
        head: bool,
        kind: str = "text/html; charset=utf-8",
        extra: dict[str, str] | None = None,
    ) -> None:
        self.entry.status = status
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if not head:
            self._write(body, 0)

    def _send_file(self, name: str, data: bytes, head: bool, route: str) -> None:
        size = len(data)
        kind = _TYPES.get(Path(name).suffix.lower(), "application/octet-stream")
        etag = self.owner.etag(name, data)
        ranged = route not in ("no-range", "no-length", "wrong-length")
        span = _parse_range(self.headers.get("Range"), size) if ranged else None
        if span == "unsatisfiable":
            self.entry.status = 416
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        start, end = span if isinstance(span, tuple) else (0, size)
        status = 206 if isinstance(span, tuple) else 200
        self.entry.status = status
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if ranged:
            self.send_header("Accept-Ranges", "bytes")
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", _LAST_MODIFIED)
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end - 1}/{size}")
        if route == "no-length":
            self.send_header("Connection", "close")
            self.close_connection = True
        else:
            extra = 1000 if route == "wrong-length" else 0
            self.send_header("Content-Length", str(end - start + extra))
        if route == "wrong-length":
            self.close_connection = True
        self.end_headers()
        if not head:
            self._write(data[start:end], start)

    def _write(self, body: bytes, offset: int) -> None:
        for at in range(0, len(body), _CHUNK):
            chunk = body[at : at + _CHUNK]
            self.wfile.write(chunk)
            if self.owner.rate:
                self.owner.sleep(len(chunk) / self.owner.rate)
            with self.owner.lock:
                self.entry.sent += len(chunk)
                _add_span(self.entry.ranges, offset + at, offset + at + len(chunk))


def _add_span(spans: list[tuple[int, int]], start: int, end: int) -> None:
    if spans and spans[-1][1] == start:
        spans[-1] = (spans[-1][0], end)
    else:
        spans.append((start, end))


def _parse_range(value: str | None, size: int) -> tuple[int, int] | str | None:
    """[start, end) for a single `bytes=` range; None to send it all; "unsatisfiable" for 416."""
    if not value:
        return None
    match = re.fullmatch(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", value)
    if not match or (not match[1] and not match[2]):
        return None  # multiple or malformed ranges: RFC 9110 lets a server ignore them
    if not match[1]:  # the last N bytes
        length = int(match[2])
        return (max(0, size - length), size) if length and size else "unsatisfiable"
    start = int(match[1])
    end = min(size, int(match[2]) + 1) if match[2] else size
    if start >= size or end <= start:
        return "unsatisfiable"
    return start, end
