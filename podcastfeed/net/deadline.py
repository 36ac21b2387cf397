"""A wall-clock deadline per HTTP request, and bodies read under a size cap (issue 12).

requests' timeout bounds each wait for data, so a host that trickles one byte a second (in the
status line, the headers or the body) never trips it. Here every request runs under a
`Deadline`: the session's connection pools hand each connection they give out to the deadline
of the calling thread, and a timer shuts that connection's socket down when time is up. A read
blocked in the status line then returns at once, urllib3 raises, and the caller, seeing
`deadline.expired`, says which limit was hit. Retries and their back-off stop at the deadline too.
"""

from __future__ import annotations

import socket
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_local = threading.local()
# Which deadline a connection works for now: a kept-alive connection passes from request to
# request, and a deadline that fires late must not cut the next request's connection.
_owners: weakref.WeakKeyDictionary[HTTPConnection, Deadline] = weakref.WeakKeyDictionary()
_owners_lock = threading.Lock()


class Deadline:
    """`seconds` from now; `start()` arms the watchdog, `cancel()` disarms it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.expired = False
        self._connections: list[HTTPConnection] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def remaining(self) -> float:
        return max(0.0, self.ends - time.monotonic())

    def timeout(self, per_read: float) -> tuple[float, float]:
        """requests' (connect, read) timeout: never past the deadline."""
        wait = max(0.001, min(per_read, self.remaining()))
        return wait, wait

    def check(self) -> None:
        """Note the deadline as expired once its time has passed (a fast body is not slow to
        read chunk by chunk, but may still be endless)."""
        if not self.expired and time.monotonic() >= self.ends:
            self._expire()

    def watch(self, connection: HTTPConnection) -> None:
        with _owners_lock:
            _owners[connection] = self
        with self._lock:
            self._connections.append(connection)
            expired = self.expired
        if expired:
            _shut(connection)

    def _owns(self, connection: HTTPConnection) -> bool:
        with _owners_lock:
            return _owners.get(connection) is self

    def start(self) -> Deadline:
        self._timer.start()
        return self

    def cancel(self) -> None:
        """Disarm; a connection the deadline cut is closed, so the pool never reuses it."""
        self._timer.cancel()
        with self._lock:
            connections, self._connections = self._connections, []
            expired = self.expired
        if expired:
            for connection in connections:
                if self._owns(connection):
                    connection.close()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            connections = list(self._connections)
        for connection in connections:
            if self._owns(connection):
                _shut(connection)


def _shut(connection: HTTPConnection) -> None:
    """Wake whatever thread is blocked reading this connection: its reads return end-of-file."""
    sock = connection.sock or getattr(connection, "answering", None)
    if isinstance(sock, socket.socket):  # an SSLSocket too: shut the TCP socket under it
        with suppress(OSError):  # already closed
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


def current() -> Deadline | None:
    """The deadline of the request this thread is making, if any."""
    found: Deadline | None = getattr(_local, "deadline", None)
    return found


@contextmanager
def deadline(seconds: float) -> Iterator[Deadline]:
    """Requests this thread makes in the block run under one deadline (and their bodies, if
    read in the block)."""
    found = Deadline(seconds).start()
    try:
        with making(found):
            yield found
    finally:
        found.cancel()


@contextmanager
def making(found: Deadline) -> Iterator[Deadline]:
    """Make requests under `found` (armed and cancelled by the caller), for a response whose
    body is read later."""
    previous = current()
    _local.deadline = found
    try:
        yield found
    finally:
        _local.deadline = previous


class _Watched:
    """Mixed into the pools: each connection handed out is watched by the caller's deadline."""

    def _get_conn(self, timeout: float | None = None) -> HTTPConnection:
        connection: HTTPConnection = super()._get_conn(timeout)  # type: ignore[misc]
        found = current()
        if found is not None:
            found.watch(connection)
        return connection


class _Answering:
    """Mixed into the connections: the socket of the answer being read. A body read to the
    close (HTTP/1.0 without a length, `Connection: close`) takes the socket from the connection
    (`sock` is None), and a host trickling such a body outlived every deadline."""

    answering: socket.socket | None = None

    def getresponse(self) -> Any:
        self.answering = self.sock  # type: ignore[attr-defined]
        return super().getresponse()  # type: ignore[misc]


class _Connection(_Answering, HTTPConnection):
    pass


class _SecureConnection(_Answering, HTTPSConnection):
    pass


class _Pool(_Watched, HTTPConnectionPool):
    ConnectionCls = _Connection


class _SecurePool(_Watched, HTTPSConnectionPool):
    ConnectionCls = _SecureConnection


class DeadlineAdapter(HTTPAdapter):
    """An HTTPAdapter whose pools put every connection under the calling thread's deadline."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _Pool, "https": _SecurePool}


class BodyTooLarge(Exception):
    """More body than the cap allows (counted after decompression)."""


def read_body(
    response: requests.Response, limit: int, found: Deadline, *, chunk: int = 16 * 1024
) -> bytes:
    """The whole body, decompressed, at most `limit` bytes, before `found` expires.

    Raises:
        BodyTooLarge: the body (or its announced length) passes `limit`.
        requests.RequestException: the connection failed (or the deadline cut it: check
            `found.expired`).
    """
    length = response.headers.get("Content-Length", "")
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if length.isdigit() and int(length) > limit and encoding in ("", "identity"):
        raise BodyTooLarge
    body = bytearray()
    for part in response.iter_content(chunk_size=chunk):
        body += part
        if len(body) > limit:
            raise BodyTooLarge
        found.check()
        if found.expired:
            break
    return bytes(body)
