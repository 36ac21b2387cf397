"""Remote probing against a real HTTP server on 127.0.0.1 (tests/httpserver.py), never mocks.

Byte and request counts are asserted from the server's own log. Long files are made here from
the fixtures (frames repeated, a cover prepended, mdat padded): nothing large is committed.
"""

from __future__ import annotations

import io
import itertools
import os
import random
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, cast

import pytest
import requests
from httpserver import GOOD, AudioServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mutagen.id3 import APIC, ID3

from podcastfeed.errors import ProbeError
from podcastfeed.media import audio
from podcastfeed.media.rangefile import BLOCK, MIN_FETCH, TAIL, RangeFile, ShortReadError
from podcastfeed.media.remote import FIRST_BLOCK, RemoteAudio, probe_url, probe_urls
from podcastfeed.net import fetch
from podcastfeed.net.fetch import make_session

AUDIO = Path(__file__).parent / "data" / "audio"
BAD = ["empty.mp3", "truncated.mp3", "random-bytes.mp3", "not-audio.mp3", "sine-1s.aac"]
KB = 1024


# The fixtures (tests/conftest.py may take these over).


@pytest.fixture
def session() -> Iterator[requests.Session]:
    """A probing session whose retries do not wait (the backoff is 10 ms)."""
    with make_session("podcastfeed-test", backoff=0.01) as probe_session:
        yield probe_session


# Files made from the fixtures.


def long_mp3(repeat: int, *, header: bool = True) -> bytes:
    """sine-3s-cbr.mp3's audio frames `repeat` times (3.06 s each), behind its 20-byte ID3v2
    tag and its LAME "Info" frame with the frame and byte counts made to match; without
    `header`, no Info frame (so a frame scan is needed)."""
    data = (AUDIO / "sine-3s-cbr.mp3").read_bytes()
    tag, info, frames = data[:20], bytearray(data[20:202]), data[202:]
    assert info[13:17] == b"Info"
    body = frames * repeat
    if not header:
        return tag + body
    info[21:25] = (117 * repeat).to_bytes(4, "big")
    info[25:29] = (len(info) + len(body)).to_bytes(4, "big")
    return tag + bytes(info) + body


def with_cover(mp3: bytes, picture_size: int) -> tuple[bytes, int]:
    """`mp3` (with its own ID3v2 tag dropped) behind an ID3v2.3 tag holding a picture of
    random bytes; returns the file and where the tag ends."""
    tags = ID3()
    picture = random.Random(1).randbytes(picture_size)
    tags.add(APIC(encoding=0, mime="image/jpeg", type=3, desc="Cover", data=picture))
    out = io.BytesIO()
    tags.save(out, v2_version=3, padding=lambda info: 0)
    return out.getvalue() + mp3[20:], len(out.getvalue())


def pad_mdat(m4a: bytes, extra: int) -> bytes:
    """`m4a` with `extra` zero bytes at the end of its mdat box: sample offsets stay valid,
    and a moov after mdat moves `extra` bytes further from the start."""
    pos = 0
    while pos < len(m4a):
        size, kind = int.from_bytes(m4a[pos : pos + 4], "big"), m4a[pos + 4 : pos + 8]
        if kind == b"mdat":
            grown = (size + extra).to_bytes(4, "big")
            return m4a[:pos] + grown + m4a[pos + 4 : pos + size] + bytes(extra) + m4a[pos + size :]
        pos += size
    raise AssertionError("no mdat box")


def local(tmp_path: Path, name: str, data: bytes) -> audio.AudioInfo:
    path = tmp_path / name
    path.write_bytes(data)
    return audio.probe_file(path)


def outcome(session, url: str) -> RemoteAudio | ProbeError:
    """The probe's result or its ProbeError (anything else fails the test)."""
    try:
        return probe_url(session, url)
    except ProbeError as error:
        return error


def assert_same(remote: RemoteAudio, expected: audio.AudioInfo) -> None:
    assert remote.info.duration == pytest.approx(expected.duration, abs=0.5)
    assert (remote.info.size, remote.info.mime_type) == (expected.size, expected.mime_type)
    assert remote.info.method == expected.method


# Formats and what they cost.


@pytest.mark.parametrize("name", GOOD)
def test_probe_url_matches_local_probe(http_server: AudioServer, session, name: str) -> None:
    result = probe_url(session, http_server.url(name))
    assert_same(result, audio.probe_file(AUDIO / name))
    log = http_server.settle()
    size = (AUDIO / name).stat().st_size
    first = ("GET", f"bytes=0-{FIRST_BLOCK - 1}", 206)
    assert (log[0].method, log[0].range, log[0].status) == first
    # A fixture no bigger than the first request comes whole in it; a bigger one in one more
    # (the tail, and the small hole between: issue 18), and no byte comes twice.
    spans = sorted(span for e in log for span in e.ranges)
    assert all(end <= start for (_, end), (start, _) in itertools.pairwise(spans))
    assert result.bytes_read == sum(e.sent for e in log) == sum(b - a for a, b in spans) <= size
    assert result.requests == len(log) == (1 if size <= FIRST_BLOCK else 2)
    if size <= FIRST_BLOCK:
        assert result.cost.startswith("1 request, ")
    assert result.url == result.final_url == http_server.url(name)
    assert result.etag is not None
    assert result.etag.startswith('"')
    assert result.last_modified == "Sat, 01 Jun 2024 00:00:00 GMT"
    assert {e.user_agent for e in log} == {"podcastfeed-test"}


@pytest.mark.parametrize("name", BAD)
def test_probe_url_refuses_what_probe_file_refuses(
    http_server: AudioServer, session, name: str
) -> None:
    with pytest.raises(ProbeError) as local_error:
        audio.probe_file(AUDIO / name)
    with pytest.raises(ProbeError) as remote_error:
        probe_url(session, http_server.url(name))
    assert remote_error.value.message.startswith(http_server.url(name) + ": ")
    if name != "not-audio.mp3":  # that one is caught earlier, as HTML
        assert remote_error.value.message.endswith(local_error.value.message)


def test_probe_url_hour_long_mp3_reads_header_and_tail(
    http_server: AudioServer, session, tmp_path: Path
) -> None:
    """Issue 18: two requests, at most 16 KiB in all (it was 2 requests and 22 KB: a 16 KiB
    first block, and the tail read brought the file's last partial 16 KiB block)."""
    data = long_mp3(1200)  # 1 hour, 14 MB
    result = probe_url(session, http_server.add("long.mp3", data))
    assert_same(result, local(tmp_path, "long.mp3", data))
    assert result.info.duration == pytest.approx(3667.6, abs=0.1)
    log = http_server.settle()
    sent = sum(e.sent for e in log)
    assert len(log) == result.requests == 2
    assert sent == result.bytes_read <= 16 * KB
    assert [e.ranges for e in log] == [
        [(0, FIRST_BLOCK)],  # the ID3v2 tag, the Info frame and the first frames
        # the tail, for ID3v1/APEv2 trailers: TAIL bytes or more, in whole blocks
        [((len(data) - TAIL) // BLOCK * BLOCK, len(data))],
    ]


def test_probe_url_skips_an_id3_cover(http_server: AudioServer, session, tmp_path: Path) -> None:
    data, tag_end = with_cover(long_mp3(100), 300 * KB)
    result = probe_url(session, http_server.add("cover.mp3", data))
    assert_same(result, local(tmp_path, "cover.mp3", data))
    log = http_server.settle()
    assert len(log) == 3  # the first bytes (the tag's size), after the tag, the tail
    assert sum(e.sent for e in log) <= FIRST_BLOCK + MIN_FETCH + TAIL + 2 * BLOCK
    # Only the first block and the block where the tag ends touch the picture.
    for entry in log:
        for start, end in entry.ranges:
            assert end <= FIRST_BLOCK or start >= tag_end - FIRST_BLOCK, (start, end)


@pytest.mark.parametrize("name", ["sine-2s-moov-end.m4a", "sine-2s-faststart.m4a"])
def test_probe_url_m4a_with_a_big_mdat(
    http_server: AudioServer, session, tmp_path: Path, name: str
) -> None:
    data = pad_mdat((AUDIO / name).read_bytes(), 5_000_000)
    result = probe_url(session, http_server.add(name, data))
    assert_same(result, local(tmp_path, name, data))
    log = http_server.settle()
    assert len(log) <= 3
    assert sum(e.sent for e in log) <= 16 * KB  # it was 26 KB (16 KiB blocks)


def test_probe_url_frame_scan_reads_the_file_once(
    http_server: AudioServer, session, tmp_path: Path
) -> None:
    data = long_mp3(200, header=False)  # 10 minutes, 2.4 MB, no Xing header
    result = probe_url(session, http_server.add("noxing.mp3", data))
    assert_same(result, local(tmp_path, "noxing.mp3", data))
    assert "frame scan" in result.info.method
    assert audio.needs_full_read(result.info)
    log = http_server.settle()
    spans = sorted(span for e in log for span in e.ranges)
    assert sum(end - start for start, end in spans) == len(data)  # each byte once
    assert len(log) <= 12  # read-ahead grows: not one request per block


# A server that ignores Range.


@pytest.mark.parametrize("name", ["sine-3s-cbr.mp3", "sine-2s-moov-end.m4a", "sine-2s.ogg"])
def test_probe_url_without_range_support(http_server: AudioServer, session, name: str) -> None:
    result = probe_url(session, http_server.url(f"no-range/{name}"))
    assert_same(result, audio.probe_file(AUDIO / name))
    assert result.requests == 1
    assert "ignores Range" in result.cost


def test_probe_url_without_range_support_streams_once(
    http_server: AudioServer, session, tmp_path: Path
) -> None:
    """mutagen reads every file's last bytes, so the whole body comes, but once, in one
    request, and the long file's blocks are not kept twice."""
    data = long_mp3(1200)
    result = probe_url(session, http_server.add("long.mp3", data).replace("long", "no-range/long"))
    assert_same(result, local(tmp_path, "long.mp3", data))
    assert (result.requests, result.bytes_read) == (1, len(data))


def test_probe_url_without_range_support_stops_early_on_html(
    http_server: AudioServer, session
) -> None:
    """An HTML page served as audio/mpeg: the client stops reading and drops the connection."""
    page = b"<!DOCTYPE html><html>" + b" " * 64 * 1024 * 1024
    http_server.add("page.mp3", page)
    with pytest.raises(ProbeError, match="HTML page, not audio"):
        probe_url(session, http_server.url("no-range/page.mp3"))
    (entry,) = http_server.settle()
    assert entry.sent < len(page) // 2  # socket buffers hold some, not all of it


# Redirects.


def test_probe_url_follows_redirects_and_keeps_the_url(http_server: AudioServer, session) -> None:
    url = http_server.url("redirect/3/sine-3s-cbr.mp3")
    result = probe_url(session, url)
    assert (result.url, result.final_url) == (url, http_server.url("sine-3s-cbr.mp3"))
    log = http_server.settle()
    assert [e.status for e in log] == [302, 302, 302, 206, 206]
    assert log[-1].path == "/sine-3s-cbr.mp3"  # the tail: at the final URL, no redirects again
    assert result.requests == 5


def test_probe_url_follows_ten_redirects(http_server: AudioServer, session) -> None:
    assert probe_url(session, http_server.url("redirect/10/sine-2s.opus")).requests == 11


def test_probe_url_refuses_eleven_redirects(http_server: AudioServer, session) -> None:
    url = http_server.url("redirect/11/sine-2s.opus")
    with pytest.raises(ProbeError, match=r"too many redirects \(more than 10\)") as error:
        probe_url(session, url)
    assert error.value.message.startswith(url + " (at ")
    assert http_server.requests() == 11


def test_probe_url_detects_a_redirect_loop(http_server: AudioServer, session) -> None:
    url = http_server.url("loop/sine-2s.opus")
    with pytest.raises(ProbeError) as error:
        probe_url(session, url)
    assert error.value.message.endswith(
        ": redirect loop (/loop/sine-2s.opus → /loop-back/sine-2s.opus → /loop/sine-2s.opus)"
    )
    assert http_server.requests() == 2


# HTTP errors, retries, timeouts.


def test_probe_url_404_is_not_retried(http_server: AudioServer, session) -> None:
    url = http_server.url("404/sine-2s.opus")
    with pytest.raises(ProbeError) as error:
        probe_url(session, url)
    assert error.value.message == f"{url}: HTTP 404 Not Found"
    assert http_server.requests() == 1


def test_probe_url_retries_a_500(http_server: AudioServer, session) -> None:
    result = probe_url(session, http_server.url("500-then-ok/sine-2s.opus"))
    assert [e.status for e in http_server.settle()] == [500, 206]
    assert result.requests == 2


def test_probe_url_retries_a_429(http_server: AudioServer, session) -> None:
    result = probe_url(session, http_server.url("429/sine-2s.opus"))
    assert [e.status for e in http_server.settle()] == [429, 206]
    assert result.requests == 2


def test_probe_url_gives_up_after_three_retries(http_server: AudioServer, session) -> None:
    url = http_server.url("500/sine-2s.opus")
    with pytest.raises(ProbeError) as error:
        probe_url(session, url)
    assert error.value.message == f"{url}: HTTP 500 Internal Server Error (after 3 retries)"
    assert http_server.requests() == 4


def test_probe_url_times_out(http_server: AudioServer, session) -> None:
    url = http_server.url("slow/sine-2s.opus")
    began = time.monotonic()
    with pytest.raises(ProbeError) as error:
        probe_url(session, url, timeout=0.3)
    assert error.value.message == f"{url}: timed out after 0.3 s (read)"
    assert time.monotonic() - began < 1.5  # one retry of the read, then it gives up


def test_probe_url_refuses_html(http_server: AudioServer, session) -> None:
    url = http_server.url("html/sine-2s.opus")
    with pytest.raises(ProbeError) as error:
        probe_url(session, url)
    assert error.value.message == (
        f"{url}: the server sent an HTML page, not audio (Content-Type text/html)"
    )
    assert error.value.hint is not None


def test_probe_url_wrong_length_fails_without_hanging(http_server: AudioServer, session) -> None:
    began = time.monotonic()
    with pytest.raises(ProbeError, match="closed before the whole body came"):
        probe_url(session, http_server.url("wrong-length/sine-3s-cbr.mp3"), timeout=5)
    assert time.monotonic() - began < 2


def test_probe_url_needs_a_size(http_server: AudioServer, session) -> None:
    with pytest.raises(ProbeError, match="size is unknown"):
        probe_url(session, http_server.url("no-length/sine-3s-cbr.mp3"))


@pytest.mark.parametrize(
    "url", ["ftp://example.org/ep.mp3", "file:///etc/passwd", "episodes/ep.mp3", "data:,x"]
)
def test_probe_url_only_http(http_server: AudioServer, session, url: str) -> None:
    with pytest.raises(ProbeError, match=r"only http and https URLs can be probed \(") as error:
        probe_url(session, url)
    assert error.value.message.startswith(url + ": ")
    assert http_server.requests() == 0


def test_probe_url_connection_refused(session) -> None:
    with socket.socket() as sock:  # a port nobody listens on once it is closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/ep.mp3"
    with pytest.raises(ProbeError) as error:
        probe_url(session, url)
    assert error.value.message == f"{url}: cannot connect (connection refused)"


def test_probe_url_unknown_host(session) -> None:
    url = "http://podcastfeed-test.invalid/ep.mp3"  # RFC 6761: never resolves
    with pytest.raises(ProbeError) as error:
        probe_url(session, url, timeout=2)
    assert error.value.message.startswith(f"{url}: ")
    assert "podcastfeed-test.invalid" in error.value.message.removeprefix(url)


def test_make_session_retries_what_may_pass() -> None:
    with make_session("podcastfeed-test") as probing:
        retry = probing.get_adapter("https://example.org/").max_retries
        assert probing.headers["User-Agent"] == "podcastfeed-test"
    assert (retry.total, retry.connect, retry.status) == (3, 3, 3)
    assert set(retry.status_forcelist or ()) == {429, 500, 502, 503, 504}
    assert retry.parse_retry_after("3600") == 30  # honoured, within reason
    assert retry.parse_retry_after("2") == 2


# Many URLs at once.


def test_probe_urls_runs_concurrently(http_server: AudioServer, session) -> None:
    urls = [http_server.url(f"delay/0.1/{GOOD[i % len(GOOD)]}?n={i}") for i in range(19)]
    urls.append(http_server.url("404/sine-2s.opus"))
    seen: list[tuple[str, str]] = []
    results = probe_urls(
        session,
        [*urls, urls[0]],  # a duplicate is probed once
        jobs=8,
        on_done=lambda url, result: seen.append((url, threading.current_thread().name)),
    )
    assert list(results) == urls
    assert all(isinstance(results[url], RemoteAudio) for url in urls[:-1])
    assert isinstance(results[urls[-1]], ProbeError)
    assert sorted(url for url, _ in seen) == sorted(urls)
    assert {thread for _, thread in seen} == {threading.current_thread().name}
    made = sum(r.requests for r in results.values() if isinstance(r, RemoteAudio))
    assert http_server.requests() == made + 1  # the duplicate made none
    assert http_server.max_active > 1


def test_probe_urls_one_job_is_sequential(http_server: AudioServer, session) -> None:
    urls = [http_server.url(f"delay/0.05/{name}") for name in GOOD[:4]]
    results = probe_urls(session, urls, jobs=1)
    assert all(isinstance(result, RemoteAudio) for result in results.values())
    assert http_server.max_active == 1


# Bad input: any prefix of a fixture, as a server would send a partial upload.


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.sampled_from(GOOD), cut=st.floats(0, 1), no_range=st.booleans())
def test_probe_url_prefixes_give_info_or_probe_error(
    http_server: AudioServer, session, name: str, cut: float, no_range: bool
) -> None:
    data = (AUDIO / name).read_bytes()
    prefix = data[: int(len(data) * cut)]
    key = f"prefix-{len(prefix)}-{name}"
    http_server.add(key, prefix)
    result = outcome(session, http_server.url(("no-range/" if no_range else "") + key))
    if isinstance(result, ProbeError):
        assert result.message.startswith(http_server.base)
    else:
        assert result.info.size == len(prefix)


# The range file itself (no HTTP).


class Source:
    """Bytes served through `fetch`, counting calls and the chunks pulled."""

    def __init__(self, data: bytes, *, ranged: bool = True, chunk: int = 1000) -> None:
        self.data, self.ranged, self.chunk = data, ranged, chunk
        self.calls: list[tuple[int, int]] = []
        self.pulled = 0

    def fetch(self, start: int, end: int) -> Iterator[bytes]:
        self.calls.append((start, end))
        body = self.data[start:end] if self.ranged else self.data[start:]
        for at in range(0, len(body), self.chunk):
            self.pulled += min(self.chunk, len(body) - at)
            yield body[at : at + self.chunk]


def test_rangefile_small_reads_hit_the_cache() -> None:
    data = os.urandom(100_000)
    source = Source(data)
    with RangeFile(source.fetch, len(data), head=data[:16384]) as fileobj:
        for offset in (0, 2, 6, 14, 100, 16000):
            fileobj.seek(offset)
            assert fileobj.read(8) == data[offset : offset + 8]
        assert source.calls == []
        fileobj.seek(40_000)
        assert fileobj.read(4) == data[40_000:40_004]
        assert fileobj.read(4) == data[40_004:40_008]
        start = 40_000 // BLOCK * BLOCK
        assert source.calls == [(start, start + MIN_FETCH)]


def test_rangefile_fetches_a_spanning_read_in_one_request() -> None:
    data = os.urandom(200_000)
    source = Source(data)
    fileobj = RangeFile(source.fetch, len(data), head=data[:16384])
    fileobj.seek(30_000)
    assert fileobj.read(70_000) == data[30_000:100_000]
    assert source.calls == [(30_000 // BLOCK * BLOCK, -(-100_000 // BLOCK) * BLOCK)]


def test_rangefile_reads_the_tail_exactly_and_brings_small_holes_along() -> None:
    """The tail read of a long file brings TAIL bytes (whole blocks); of a small one, all that
    is missing (else what lies between head and tail costs a third request)."""
    data = os.urandom(1_000_000 + 54)
    source = Source(data)
    fileobj = RangeFile(source.fetch, len(data), head=data[:8192])
    fileobj.seek(-160, os.SEEK_END)
    assert fileobj.read() == data[-160:]
    fileobj.seek(-280, os.SEEK_END)  # an MP4's udta, when moov is last
    assert fileobj.read(8) == data[-280:-272]
    assert source.calls == [((len(data) - TAIL) // BLOCK * BLOCK, len(data))]
    small = data[: 8192 + 2 * MIN_FETCH + 100]
    source = Source(small)
    fileobj = RangeFile(source.fetch, len(small), head=small[:8192])
    fileobj.seek(-160, os.SEEK_END)
    assert fileobj.read() == small[-160:]
    fileobj.seek(0)
    assert fileobj.read() == small
    assert source.calls == [(8192, len(small))]


def test_rangefile_reads_ahead_when_reading_forward() -> None:
    data = os.urandom(3_000_000)
    source = Source(data)
    fileobj = RangeFile(source.fetch, len(data), head=data[:16384], max_ahead=1 << 20)
    while fileobj.read(4096):
        pass
    sizes = [end - start for start, end in source.calls]
    assert sizes[:4] == [2 * MIN_FETCH, 4 * MIN_FETCH, 8 * MIN_FETCH, 16 * MIN_FETCH]
    assert max(sizes) == 1 << 20
    assert len(sizes) < 10
    assert source.pulled == len(data) - 16384


def test_rangefile_reads_ahead_with_a_full_cache() -> None:
    """A frame scan of a file bigger than the cache (8 MiB by default): read-ahead was queued
    for eviction first, so once the cache was full it went at once; 14 MB took 108 requests of
    64 KB, 1.2 MB of it twice. Now each byte comes once, in runs growing to max_ahead."""
    data = os.urandom(3_000_000)
    source = Source(data)
    head = data[:8192]
    fileobj = RangeFile(source.fetch, len(data), head=head, max_ahead=256 * KB, cache_size=512 * KB)
    while fileobj.read(64 * KB):  # mp3scan's chunk
        pass
    assert source.pulled == len(data) - len(head)
    assert len(source.calls) <= 4 + len(data) // (256 * KB)


def test_rangefile_streams_lazily_without_range() -> None:
    data = os.urandom(500_000)
    source = Source(data, ranged=False)
    stream = source.fetch(16384, len(data))
    fileobj = RangeFile(source.fetch, len(data), head=data[:16384], stream=stream, ranged=False)
    fileobj.seek(30_000)
    assert fileobj.read(10) == data[30_000:30_010]
    assert source.pulled <= 16384 + 1000  # up to the end of the block needed, not the file
    fileobj.seek(0)
    assert fileobj.read(20) == data[:20]
    assert len(source.calls) == 1  # behind the stream, but cached


def test_rangefile_starts_over_when_the_cache_dropped_a_block() -> None:
    data = os.urandom(400_000)
    source = Source(data, ranged=False)
    fileobj = RangeFile(
        source.fetch,
        len(data),
        stream=source.fetch(0, len(data)),
        ranged=False,
        cache_size=64 * KB,
    )
    fileobj.seek(-10, os.SEEK_END)
    assert fileobj.read() == data[-10:]
    fileobj.seek(100_000)
    assert fileobj.read(50_000) == data[100_000:150_000]
    assert [start for start, _ in source.calls] == [0, 100_000 // BLOCK * BLOCK]


def test_rangefile_short_source_is_an_error() -> None:
    data = os.urandom(50_000)
    fileobj = RangeFile(lambda start, end: [data[start : end - 5]], len(data) + 0)
    fileobj.seek(20_000)
    with pytest.raises(ShortReadError):
        fileobj.read(10)


@settings(max_examples=80, deadline=None)
@given(
    size=st.integers(0, 120_000),
    ops=st.lists(st.tuples(st.integers(-1, 130_000), st.integers(-1, 70_000)), max_size=12),
    ranged=st.booleans(),
    cache=st.sampled_from([16 * KB, 48 * KB, 1 << 20]),
)
def test_rangefile_reads_like_bytesio(
    size: int, ops: list[tuple[int, int]], ranged: bool, cache: int
) -> None:
    data = random.Random(size).randbytes(size)
    source = Source(data, ranged=ranged, chunk=777)
    head = data[:16384]
    stream = None if ranged else source.fetch(len(head), size)
    fileobj = RangeFile(
        source.fetch, size, head=head, stream=stream, ranged=ranged, cache_size=cache
    )
    expected = io.BytesIO(data)
    for offset, length in ops:
        if offset >= 0:
            assert fileobj.seek(offset) == expected.seek(offset)
        assert fileobj.read(length) == expected.read(length)
        assert fileobj.tell() == expected.tell()


def test_rangefile_works_with_probe_stream() -> None:
    data = long_mp3(50)
    source = Source(data)
    fileobj = RangeFile(source.fetch, len(data), head=data[:FIRST_BLOCK])
    info = audio.probe_stream(cast(BinaryIO, fileobj), name="x.mp3", size=len(data))
    assert info.duration == pytest.approx(152.8, abs=0.1)
    assert len(source.calls) == 1


# The server itself: it must speak HTTP ranges as real hosts do, or the tests prove nothing.


def test_server_speaks_http_ranges(http_server: AudioServer) -> None:
    url = http_server.url("sine-2s.opus")
    data = (AUDIO / "sine-2s.opus").read_bytes()
    with requests.Session() as client:
        part = client.get(url, headers={"Range": "bytes=10-19"})
        assert (part.status_code, part.content) == (206, data[10:20])
        assert part.headers["Content-Range"] == f"bytes 10-19/{len(data)}"
        suffix = client.get(url, headers={"Range": "bytes=-100"})
        assert (suffix.status_code, suffix.content) == (206, data[-100:])
        beyond = client.get(url, headers={"Range": f"bytes={len(data)}-"})
        assert (beyond.status_code, beyond.headers["Content-Range"]) == (
            416,
            f"bytes */{len(data)}",
        )
        head = client.head(url)
        assert (head.status_code, head.content) == (200, b"")
        assert head.headers["Content-Length"] == str(len(data))
        assert head.headers["Accept-Ranges"] == "bytes"
        assert head.headers["ETag"] == part.headers["ETag"]
        whole = client.get(http_server.url("no-range/sine-2s.opus"), headers={"Range": "bytes=0-9"})
        assert (whole.status_code, whole.content) == (200, data)
        assert client.head(http_server.url("head-405/sine-2s.opus")).status_code == 405
    log = http_server.settle()
    assert [e.status for e in log] == [206, 206, 416, 200, 200, 405]
    assert [e.sent for e in log] == [10, 100, 0, 0, len(data), 0]
    assert len({e.port for e in log}) == 1  # one kept-alive connection


def test_ask_post_after_303_fetches_the_answer_with_get(http_server: AudioServer, session) -> None:
    answer = fetch.ask(session, http_server.url("see-other/ping"), method="POST", form={"a": "1"})
    assert (answer.status, answer.redirects, answer.error) == (200, 1, None)
    assert [(e.method, e.path) for e in http_server.settle()] == [
        ("POST", "/see-other/ping"),
        ("GET", "/ping"),
    ]
