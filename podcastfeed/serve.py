"""`podcastfeed serve`: a live local preview of the feed and the show page.

The show is built into a temporary folder (the lock is not written) and served on 127.0.0.1 by a
small static server that answers Range requests with 206, so players can seek. Local audio is
served from the show folder at /audio/<path>; the page's players point there. A watcher polls
feed.toml, the episodes folder and the show's templates every half second and rebuilds; when a
build fails, every page is an error page listing the problems (it reloads itself until fixed).
"""

from __future__ import annotations

import html
import mimetypes
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote, unquote, urlsplit

from podcastfeed.build import build, write_report
from podcastfeed.errors import BuildFailed, PodcastfeedError
from podcastfeed.model import Episode
from podcastfeed.source.config import load_config

POLL_SECONDS = 0.5
MAX_PATH = 4096  # longer request paths are refused (400): no file name is that long
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_TYPES = {".m4a": "audio/mp4", ".mp3": "audio/mpeg", ".vtt": "text/vtt", ".opus": "audio/ogg"}


class Preview:
    """The current build of one show: a folder to serve, or the errors of the last attempt."""

    def __init__(
        self, config_path: Path, *, clock: Callable[[], datetime], log: Callable[[str], None]
    ) -> None:
        self.config_path = config_path
        self.clock, self.log = clock, log
        self.workdir = Path(tempfile.mkdtemp(prefix="podcastfeed-serve-"))
        self.site: Path | None = None  # the folder of the last good build
        self._previous: Path | None = None  # the one before, deleted at the next good build
        self.errors: list[str] = []  # the last build's problems, when it failed
        self.audio: dict[str, Path] = {}  # /audio/... path -> local file
        self.builds = 0
        self._lock = threading.Lock()
        self._seen: tuple[tuple[str, int, int], ...] = ()
        self._warned: list[str] = []  # the last good build's warnings, said once until they change

    def close(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)

    def rebuild(self) -> bool:
        """Build into a fresh folder; True on success. Problems go to `log` and the page."""
        self._seen = self._snapshot()
        folder = Path(tempfile.mkdtemp(prefix="build-", dir=self.workdir))
        audio: dict[str, Path] = {}
        root = self.config_path.resolve().parent

        def audio_src(episode: Episode) -> str:
            assert episode.audio is not None
            path = episode.audio.path
            if path is None:
                return episode.audio.url
            try:
                relative = path.resolve().relative_to(root).as_posix()
            except ValueError:
                return episode.audio.url  # outside the show folder: not served
            audio["/audio/" + relative] = path.resolve()  # (a request's path, decoded)
            return "/audio/" + quote(relative)

        started = time.perf_counter()
        try:
            report = build(self.config_path, now=self.clock())
            output = folder / report.config.build.output.name
            write_report(report, output, audio_src=audio_src, save_lock=False)
        except BuildFailed as exc:
            errors = [str(p) for p in exc.problems] + [f"Error: {exc.message}"]
        except PodcastfeedError as exc:
            errors = [f"Error: {exc}"]
        except OSError as exc:
            errors = [f"Error: cannot write the preview: {exc}"]
        else:
            errors = []
        self.builds += 1
        stale: Path | None
        with self._lock:
            self.errors = errors
            if errors:
                stale = folder
            else:
                # The build before the last goes: requests still reading the last one finish.
                stale, self._previous = self._previous, self.site
                self.site, self.audio = folder, audio
        if stale is not None:
            shutil.rmtree(stale, ignore_errors=True)
        for line in errors:
            self.log(line)
        if not errors:
            warnings = [str(problem) for problem in report.warnings + report.file_notes]
            if warnings != self._warned:  # (not again at every save of an unrelated file)
                for line in warnings:
                    self.log(line)
                self._warned = warnings
            seconds = time.perf_counter() - started
            count = len(report.published)
            self.log(f"Built {count} episode{'s' * (count != 1)} in {seconds:.2f} s")
        return not errors

    def changed(self) -> bool:
        return self._snapshot() != self._seen

    def watch(self, stop: threading.Event) -> None:
        """Rebuild whenever an input changes, until `stop` is set."""
        while not stop.wait(POLL_SECONDS):
            if self.changed():
                self.log("Change detected, rebuilding…")
                self.rebuild()

    def state(self) -> tuple[Path | None, list[str], dict[str, Path]]:
        with self._lock:
            return self.site, list(self.errors), dict(self.audio)

    def _snapshot(self) -> tuple[tuple[str, int, int], ...]:
        """What a rebuild depends on: feed.toml, the show's local artwork, the episodes folder,
        the show's templates."""
        files = [self.config_path]
        try:
            config = load_config(self.config_path)
            settings = config.build
            folders = [settings.episodes_dir, settings.templates_dir]
            files += [config.show.image_file.source] if config.show.image_file else []
        except PodcastfeedError:
            folders = [self.config_path.parent / "episodes"]
        for folder in folders:
            if folder is not None and folder.is_dir():
                files += sorted(p for p in folder.rglob("*") if p.is_file())
        found = []
        for path in files:
            try:
                stat = path.stat()
            except OSError:
                continue
            found.append((str(path), stat.st_mtime_ns, stat.st_size))
        return tuple(found)


def error_page(errors: list[str]) -> bytes:
    items = "\n".join(f"<li><pre>{html.escape(line)}</pre></li>" for line in errors)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="refresh" content="1">\n<title>Build failed · podcastfeed</title>\n'
        "<style>body{font:1rem/1.5 system-ui,sans-serif;max-width:50rem;margin:2rem auto;"
        "padding:0 1rem}pre{white-space:pre-wrap}</style>\n</head>\n<body>\n<main>\n"
        "<h1>Build failed</h1>\n<p>Fix the files below; this page reloads by itself.</p>\n"
        f'<ul class="errors">\n{items}\n</ul>\n</main>\n</body>\n</html>\n'
    ).encode()


def make_server(preview: Preview, port: int) -> ThreadingHTTPServer:
    """A server on 127.0.0.1:`port` (0: any free port) serving `preview`."""

    class Handler(_Handler):
        pass

    Handler.preview = preview
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    return server


class _Handler(BaseHTTPRequestHandler):
    preview: Preview
    server_version = "podcastfeed-serve"

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: the terminal shows builds and errors

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def do_GET(self) -> None:
        self._serve(body=True)

    def _serve(self, *, body: bool) -> None:
        path = _request_path(self.path)
        if path is None:  # issue 12: `GET /%00` was a traceback and no answer
            self._send(HTTPStatus.BAD_REQUEST, "text/plain", b"bad request\n", body)
            return
        try:
            self._serve_path(path, body=body)
        except (OSError, ValueError):  # a name the file system refuses (too long, ...)
            self._send(HTTPStatus.NOT_FOUND, "text/plain", b"not found\n", body)

    def _serve_path(self, path: str, *, body: bool) -> None:
        site, errors, audio = self.preview.state()
        if path in audio:
            self._send_file(audio[path], body)
            return
        if errors and (path.endswith("/") or path.endswith(".html")):
            self._send(
                HTTPStatus.INTERNAL_SERVER_ERROR,
                "text/html; charset=utf-8",
                error_page(errors),
                body,
            )
            return
        if site is None:
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, "text/plain", b"no build yet\n", body)
            return
        target = (site / path.lstrip("/")).resolve()
        if not target.is_relative_to(site.resolve()):
            self._send(HTTPStatus.NOT_FOUND, "text/plain", b"not found\n", body)
            return
        if target.is_dir():
            if not path.endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            target = target / "index.html"
        if not target.is_file():
            self._send(HTTPStatus.NOT_FOUND, "text/plain", b"not found\n", body)
            return
        self._send_file(target, body)

    def _send(self, status: HTTPStatus, kind: str, data: bytes, body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _send_file(self, path: Path, body: bool) -> None:
        try:
            size = path.stat().st_size
            handle: BinaryIO = path.open("rb")
        except OSError:
            self._send(HTTPStatus.NOT_FOUND, "text/plain", b"not found\n", body)
            return
        with handle:
            kind = _TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
            kind = kind or "application/octet-stream"
            if kind.startswith("text/") or kind.endswith(("xml", "json")):
                kind += "; charset=utf-8"
            span = _parse_range(self.headers.get("Range"), size)
            if span == "invalid":
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            start, end = span if isinstance(span, tuple) else (0, size)
            self.send_response(HTTPStatus.PARTIAL_CONTENT if span else HTTPStatus.OK)
            if span:
                self.send_header("Content-Range", f"bytes {start}-{end - 1}/{size}")
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(end - start))
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if body:
                handle.seek(start)
                for chunk in _chunks(handle, end - start):
                    self.wfile.write(chunk)


def _request_path(target: str) -> str | None:
    """The decoded path of a request target; None for one no file can have: invalid UTF-8
    after percent-decoding, a NUL or other control character, or over MAX_PATH bytes."""
    if len(target) > MAX_PATH:
        return None
    try:
        path = unquote(urlsplit(target).path, errors="strict")
    except ValueError:  # UnicodeDecodeError included
        return None
    if any(ord(char) < 32 or ord(char) == 127 for char in path):
        return None
    return path


def _parse_range(header: str | None, size: int) -> tuple[int, int] | str | None:
    """[start, end) of a single `bytes=` range; None for the whole file; "invalid" for 416."""
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if not match or not (match[1] or match[2]):
        return None  # several ranges or another unit: the whole file, as RFC 9110 allows
    if not match[1]:
        length = int(match[2])
        return (max(0, size - length), size) if length and size else "invalid"
    start = int(match[1])
    end = min(size, int(match[2]) + 1) if match[2] else size
    if start >= size or end <= start:
        return "invalid"
    return start, end


def _chunks(handle: BinaryIO, length: int) -> Iterator[bytes]:
    while length > 0:
        chunk = handle.read(min(length, 64 * 1024))
        if not chunk:
            return
        length -= len(chunk)
        yield chunk
