"""A seekable, read-only file object over a remote resource, read in cached blocks.

HTTP-agnostic: it only calls `fetch(start, end)`, which yields the bytes from `start` on. With a
server that honours Range, a fetch yields exactly [start, end); with one that does not, it yields
everything from `start` to the end of the file, and this object reads that stream lazily, as far
as the reads need, and never further.

mutagen reads in 2-, 4- and 8-byte steps; those hit the block cache. A read that needs several
missing blocks fetches them in one request, of at least `MIN_FETCH` bytes; reads that keep going
forward fetch ever larger runs (up to `max_ahead`), so a frame scan of a long MP3 takes tens of
requests, not thousands. Blocks are small (1 KiB) so that a fetch brings little more than was
read: a probe of a long MP3 reads ~1 KB at the start and 160 bytes at the end (issue 18).
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator

#: Yields the bytes from `start` on: exactly [start, end) when ranged, else up to the end of file.
Fetch = Callable[[int, int], Iterable[bytes]]

BLOCK = 1024  # the cache's unit: every fetch starts and ends on a multiple (or the file's end)
#: A fetch that does not continue the previous one brings at least this much: what one probe
#: reads at one place (an MP3's first frames, an MP4's box headers) is a few hundred bytes.
MIN_FETCH = 4 * 1024
#: A fetch that ends the file brings at least this much: trailers are read backwards from the
#: end (mutagen's APEv2 check 160 bytes, ID3v1 128), and an MP4 whose moov comes last has its
#: udta box (read after the trailers) in the last few hundred bytes.
TAIL = 1024


class ShortReadError(OSError):
    """The source ended before the bytes it promised (a short body, a wrong Content-Length)."""

    def __init__(self, expected: int, got: int, offset: int) -> None:
        super().__init__(
            f"the server sent {got} of the {expected} bytes asked for at offset {offset}"
        )
        self.expected, self.got, self.offset = expected, got, offset


class RangeFile:
    """Bytes [0, size) of a remote resource as a seekable binary file object (read, seek, tell).

    Args:
        fetch: see `Fetch`; called for each run of missing blocks.
        size: the resource's size in bytes, known up front (Content-Range or Content-Length).
        head: the resource's first bytes, already received (the answer to the first request).
        stream: for a server that ignores Range, the rest of that first answer, continuing at
            offset len(head); it is read on demand, and `fetch` is only called to start over.
        ranged: whether `fetch` honours `end` (Range works); False for a streamed source.
        block_size: the cache's unit; every fetch starts and ends at block boundaries.
        min_fetch: the fewest bytes a fetch asks for (the first of a forward run).
        max_ahead: the most bytes one fetch asks for when reads go forward block after block.
        cache_size: how many bytes of blocks to keep; blocks passed over (read ahead or
            streamed past) go first, then the least recently read.
    """

    def __init__(
        self,
        fetch: Fetch,
        size: int,
        *,
        head: bytes = b"",
        stream: Iterable[bytes] | None = None,
        ranged: bool = True,
        block_size: int = BLOCK,
        min_fetch: int = MIN_FETCH,
        max_ahead: int = 2 * 1024 * 1024,
        cache_size: int = 8 * 1024 * 1024,
    ) -> None:
        if block_size <= 0 or len(head) > size:
            raise ValueError("bad block size or head longer than the file")
        self._fetch, self.size, self.ranged = fetch, size, ranged
        self.block, self.max_ahead, self.cache_size = block_size, max_ahead, cache_size
        self.min_fetch = min_fetch
        self._cache: OrderedDict[int, bytes] = OrderedDict()
        self._pos = 0
        self._ahead = min_fetch  # the next sequential fetch's length; doubles up to max_ahead
        self._last_end = -1  # where the previous fetch ended (set below: the head's end)
        self.fetches = 0  # calls to fetch (the head and the initial stream are not counted)
        self.closed = False
        # The open stream (no Range): its iterator, where it stands, and a partly filled block.
        self._stream: Iterator[bytes] | None = None
        self._stream_pos = 0
        self._pending = bytearray()
        whole = len(head) - len(head) % block_size if len(head) < size else size
        for index, offset in enumerate(range(0, whole, block_size)):
            self._store(index, head[offset : offset + block_size], wanted=True)
        self._last_end = whole
        if stream is not None:
            self._stream, self._stream_pos = iter(stream), whole
            self._pending = bytearray(head[whole:])

    # -- the file object interface mutagen and audio.py use --

    def read(self, size: int | None = -1, /) -> bytes:
        self._check_open()
        end = self.size if size is None or size < 0 else min(self.size, self._pos + size)
        if self._pos >= end:
            return b""
        parts: list[bytes] = []
        pos = self._pos
        while pos < end:
            index = pos // self.block
            data = self._get(index, end)
            offset = pos - index * self.block
            part = data[offset : end - index * self.block]
            if not part:  # a block shorter than the file says: cannot happen with a sane fetch
                raise ShortReadError(end - pos, 0, pos)
            parts.append(part)
            pos += len(part)
        self._pos = pos
        return b"".join(parts)

    def seek(self, offset: int, whence: int = os.SEEK_SET, /) -> int:
        self._check_open()
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self.size}[whence]
        if base + offset < 0:
            raise OSError(22, f"negative seek position {base + offset}")
        self._pos = base + offset
        return self._pos

    def tell(self) -> int:
        return self._pos

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def writable(self) -> bool:
        return False

    def close(self) -> None:
        """Close the open stream, if any (with HTTP: drop the connection mid-body)."""
        self._close_stream()
        self._cache.clear()
        self.closed = True

    def __enter__(self) -> RangeFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the cache --

    def _check_open(self) -> None:
        if self.closed:
            raise ValueError("I/O operation on a closed RangeFile")

    def _get(self, index: int, end: int) -> bytes:
        """Block `index`, fetching it (and the other missing blocks up to `end`) if needed."""
        data = self._cache.get(index)
        if data is not None:
            self._cache.move_to_end(index)
            return data
        last = (end - 1) // self.block
        while last > index and last in self._cache:
            last -= 1
        fetched = self._load(index, last)
        return fetched[index]

    def _store(self, index: int, data: bytes, *, wanted: bool) -> None:
        """Cache a block; one nobody asked for yet goes to the eviction end of the queue."""
        self._cache[index] = data
        self._cache.move_to_end(index, last=wanted)
        while len(self._cache) * self.block > self.cache_size and len(self._cache) > 1:
            self._cache.popitem(last=False)

    def _load(self, first: int, last: int) -> dict[int, bytes]:
        """Fetch blocks first..last (and read-ahead) in one request; returns those it got."""
        if not self.ranged:
            return self._load_streamed(first, last)
        asked = range(first, last + 1)
        start, end = first * self.block, min(self.size, (last + 1) * self.block)
        # Forward, block after block (a frame scan): ask for more each time.
        self._ahead = (
            min(self._ahead * 2, self.max_ahead) if start == self._last_end else self.min_fetch
        )
        end = max(end, min(self.size, start + self._ahead))
        end = self._until_cached(last + 1, end)
        while end == self.size and end - start < TAIL and first and first - 1 not in self._cache:
            # The last block can be a few bytes long, and trailers are read backwards from the
            # end (APEv2 160 bytes, ID3v1 128, the next read before them): take those before.
            first -= 1
            start -= self.block
        # A hole of up to 2 * min_fetch left before or after this fetch would cost a request of
        # its own when it is read (a small file: the head, then the tail, then what lies
        # between): bring it along.
        hole = 2 * self.min_fetch
        reach = min(self.size, end + hole)
        stop = self._until_cached(-(-end // self.block), reach)
        if stop < reach or reach == self.size:
            end = stop
        low = max(0, first - hole // self.block)
        while first > low and first - 1 not in self._cache:
            first -= 1
        if first > 0 and first - 1 not in self._cache:  # too far from the cached bytes before
            first = start // self.block
        start = first * self.block
        data = self._fetch_exact(start, end)
        self._last_end = end
        self._ahead = max(self._ahead, end - start)  # the next forward fetch: twice this one
        fetched: dict[int, bytes] = {}
        for offset in range(0, len(data), self.block):
            fetched[(start + offset) // self.block] = data[offset : offset + self.block]
        # All are kept as wanted: read-ahead is fetched to be read next (were it queued for
        # eviction first, a full cache would drop it at once and a long frame scan would fetch
        # 64 KB at a time, some bytes twice). The blocks asked for go last: read first.
        for index in sorted(fetched, key=lambda index: index in asked):
            self._store(index, fetched[index], wanted=True)
        return fetched

    def _until_cached(self, index: int, end: int) -> int:
        """`end`, cut back to the first cached block at or after block `index`."""
        while index * self.block < end:
            if index in self._cache:
                return index * self.block
            index += 1
        return end

    def _fetch_exact(self, start: int, end: int) -> bytes:
        self.fetches += 1
        data = bytearray()
        chunks = self._fetch(start, end)
        try:
            for chunk in chunks:
                data += chunk
                if len(data) >= end - start:
                    break
        finally:
            _close(chunks)
        if len(data) < end - start:
            raise ShortReadError(end - start, len(data), start)
        return bytes(data[: end - start])

    # -- a server that ignores Range: one stream, read forward; starting over is the last resort

    def _load_streamed(self, first: int, last: int) -> dict[int, bytes]:
        start = first * self.block
        if self._stream is None or self._stream_pos > start:
            # Behind the stream (evicted from the cache) or no stream: start over.
            self._close_stream()
            self.fetches += 1
            self._stream = iter(self._fetch(start, self.size))
            self._stream_pos, self._pending = start, bytearray()
        fetched: dict[int, bytes] = {}
        stream = self._stream
        while self._stream_pos <= last * self.block:
            index = self._stream_pos // self.block
            want = min(self.block, self.size - self._stream_pos)
            while len(self._pending) < want:
                chunk = next(stream, None)
                if chunk is None:
                    got = self._stream_pos + len(self._pending)
                    raise ShortReadError(self.size - start, got - start, start)
                self._pending += chunk
            block = bytes(self._pending[:want])
            del self._pending[:want]
            self._stream_pos += want
            if index >= first:
                fetched[index] = block
            # Blocks streamed past stay only while there is room; the ones asked for always do.
            self._store(index, block, wanted=index >= first)
        if self._stream_pos >= self.size:
            self._close_stream()
        return fetched

    def _close_stream(self) -> None:
        if self._stream is not None:
            _close(self._stream)
            self._stream = None


def _close(chunks: Iterable[bytes]) -> None:
    close = getattr(chunks, "close", None)
    if callable(close):
        close()
