"""Find MPEG audio frames, read Xing/Info/VBRI headers, count frames where no header has the length.

Pure: works on any seekable binary file object by seek + read, in 64 KB chunks; never fileno().
Frame layout: http://mpgedit.org/mpgedit/mpeg_format/mpeghdr.htm
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

CHUNK = 64 * 1024
# The longest frame (MPEG 2.5 layer II, 160 kb/s at 8 kHz: 2,881 bytes) plus the next header.
_MAX_FRAME = 2881 + 4

# Bitrates in kb/s by (MPEG-1?, layer) and index; index 0 (free format) and 15 are invalid.
_BITRATES = {
    (True, 1): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_BITRATES[(False, 3)] = _BITRATES[(False, 2)]
# Sample rates by the header's 2-bit version field: 0 = MPEG 2.5, 2 = MPEG 2, 3 = MPEG 1.
_SAMPLE_RATES = {0: (11025, 12000, 8000), 2: (22050, 24000, 16000), 3: (44100, 48000, 32000)}


class Readable(Protocol):
    """What the scan needs of a file object (a real file, io.BytesIO, or one reading over HTTP)."""

    def read(self, size: int = -1, /) -> bytes: ...
    def seek(self, offset: int, whence: int = 0, /) -> int: ...


@dataclass(frozen=True)
class Frame:
    """One MPEG audio frame header, decoded."""

    is_mpeg1: bool
    layer: int  # 1, 2 or 3
    sample_rate: int  # Hz
    samples: int  # per frame
    length: int  # bytes, header included
    is_mono: bool

    def continues(self, other: Frame) -> bool:
        """Whether `other` can belong to the same stream as this frame."""
        return other.sample_rate == self.sample_rate and other.layer == self.layer


@dataclass(frozen=True)
class VbrHeader:
    """A Xing, Info (LAME's name for a CBR Xing header) or VBRI header in the first frame."""

    kind: str  # "Xing", "Info" or "VBRI"
    frames: int | None  # audio frames after this one, if the header says
    bytes: int | None  # stream bytes including this frame, if the header says


@dataclass(frozen=True)
class FrameScan:
    """The result of counting frames."""

    frames: int
    samples: int
    sample_rate: int
    skipped: int  # bytes of garbage between frames that were resynced over

    @property
    def seconds(self) -> float:
        return self.samples / self.sample_rate


@lru_cache(maxsize=1024)
def parse_header(word: int) -> Frame | None:
    """Decode a 32-bit big-endian frame header, or None if it is not a valid one."""
    if word >> 21 != 0x7FF:
        return None
    version = (word >> 19) & 3
    layer = 4 - ((word >> 17) & 3)
    bitrate_index = (word >> 12) & 0xF
    rate_index = (word >> 10) & 3
    # Reserved values; emphasis 2 is reserved too and rejecting it cuts false syncs.
    if version == 1 or layer == 4 or bitrate_index in (0, 15) or rate_index == 3 or word & 3 == 2:
        return None
    is_mpeg1 = version == 3
    bitrate = _BITRATES[(is_mpeg1, layer)][bitrate_index] * 1000
    sample_rate = _SAMPLE_RATES[version][rate_index]
    padding = (word >> 9) & 1
    if layer == 1:
        samples, length = 384, (12 * bitrate // sample_rate + padding) * 4
    else:
        samples = 576 if layer == 3 and not is_mpeg1 else 1152
        length = samples // 8 * bitrate // sample_rate + padding
    is_mono = (word >> 6) & 3 == 3
    return Frame(is_mpeg1, layer, sample_rate, samples, length, is_mono)


def read_at(fileobj: Readable, offset: int, size: int) -> bytes:
    """Read up to `size` bytes at `offset`, looping over short reads; fewer only at the end."""
    fileobj.seek(offset)
    parts: list[bytes] = []
    while size > 0:
        part = fileobj.read(size)
        if not part:
            break
        parts.append(bytes(part))
        size -= len(part)
    return b"".join(parts)


def audio_end(fileobj: Readable, size: int) -> int:
    """Where the audio ends: before an ID3v1 "TAG" trailer and an APEv2 tag, if there are any."""
    end = size
    if end >= 128 and read_at(fileobj, end - 128, 3) == b"TAG":
        end -= 128
    if end >= 32:
        footer = read_at(fileobj, end - 32, 32)
        if footer[:8] == b"APETAGEX":
            tag_size = int.from_bytes(footer[12:16], "little")  # items + footer
            has_header = footer[23] & 0x80
            end = max(0, end - tag_size - (32 if has_header else 0))
    return end


def read_vbr_header(fileobj: Readable, offset: int, frame: Frame) -> VbrHeader | None:
    """The Xing/Info or VBRI header in the layer III frame at `offset`, if it has one."""
    if frame.layer != 3:
        return None
    data = read_at(fileobj, offset, min(frame.length, 64))
    # Xing/Info sits right after the side information, whose size depends on version and mode.
    side = (
        (36 if not frame.is_mono else 21) if frame.is_mpeg1 else (21 if not frame.is_mono else 13)
    )
    tag = data[side : side + 4]
    if tag in (b"Xing", b"Info") and len(data) >= side + 8:
        flags = int.from_bytes(data[side + 4 : side + 8], "big")
        fields = data[side + 8 : side + 16]
        frames = nbytes = None
        if flags & 1 and len(fields) >= 4:
            frames, fields = int.from_bytes(fields[:4], "big"), fields[4:]
        if flags & 2 and len(fields) >= 4:
            nbytes = int.from_bytes(fields[:4], "big")
        return VbrHeader(tag.decode(), frames, nbytes)
    if data[36:40] == b"VBRI" and len(data) >= 54:
        # version(2) delay(2) quality(2) bytes(4) frames(4)
        nbytes = int.from_bytes(data[46:50], "big")
        frames = int.from_bytes(data[50:54], "big")
        return VbrHeader("VBRI", frames, nbytes)
    return None


class _Buffer:
    """A sliding ~64 KB window over [start, end) of a file, so frames are not read one by one."""

    def __init__(self, fileobj: Readable, start: int, end: int, chunk: int = CHUNK) -> None:
        self.fileobj, self.end, self.chunk = fileobj, end, chunk
        self.base, self.data = start, b""

    def _load(self, pos: int, size: int) -> None:
        """Load [pos, pos + size) as far as the end allows, keeping one frame before `pos`
        (resyncing steps back by up to a frame)."""
        loaded = self.base + len(self.data)
        keep_from = max(self.base, pos - _MAX_FRAME)
        if pos < self.base or keep_from >= loaded:
            self.base, self.data, loaded = pos, b"", pos
        elif keep_from > self.base:
            self.data, self.base = self.data[keep_from - self.base :], keep_from
        want = min(max(self.chunk, pos + size - loaded), self.end - loaded)
        if want > 0:
            self.data += read_at(self.fileobj, loaded, want)

    def word(self, pos: int) -> int | None:
        """The 4 bytes at `pos` as a big-endian int, or None past the end."""
        rel = pos - self.base
        if rel < 0 or rel + 4 > len(self.data):
            self._load(pos, 4)
            rel = pos - self.base
            if rel + 4 > len(self.data):
                return None
        return int.from_bytes(self.data[rel : rel + 4], "big")

    def find_sync(self, pos: int) -> int | None:
        """The offset of the next 0xFF byte at or after `pos`; None if none comes before the end."""
        while pos < self.end:
            rel = pos - self.base
            if rel < 0 or rel >= len(self.data):
                self._load(pos, 1)
                rel = pos - self.base
                if rel >= len(self.data):
                    return None  # the file is shorter than it said
            index = self.data.find(b"\xff", rel)
            if index != -1:
                return self.base + index
            pos = self.base + len(self.data)
        return None


def _valid_at(buf: _Buffer, pos: int, like: Frame | None) -> Frame | None:
    word = buf.word(pos)
    frame = None if word is None else parse_header(word)
    if frame is None or (like is not None and not like.continues(frame)):
        return None
    return frame


def _sync(buf: _Buffer, pos: int, end: int, like: Frame | None) -> tuple[int, Frame] | None:
    """The first frame at or after `pos` whose header validates and is followed by another valid
    header (or ends exactly at `end`): one valid-looking header alone is too often chance."""
    while True:
        found = buf.find_sync(pos)
        if found is None or found + 4 > end:
            return None
        frame = _valid_at(buf, found, like)
        if frame is not None:
            after = found + frame.length
            if after == end or (after < end and _valid_at(buf, after, like or frame) is not None):
                return found, frame
        pos = found + 1


def find_frame(fileobj: Readable, start: int, end: int) -> tuple[int, Frame] | None:
    """The offset and header of the first MPEG audio frame in [start, end) (see `_sync`)."""
    # Small reads: this usually only confirms the frame mutagen found, and a header may make
    # a scan unnecessary.
    return _sync(_Buffer(fileobj, start, end, chunk=1024), start, end, None)


def scan_frames(fileobj: Readable, start: int, end: int) -> FrameScan | None:
    """Count the complete frames in [start, end), resyncing over garbage; None if there are none.

    Frames must match the first one's layer and sample rate. A partial last frame isn't counted.
    """
    buf = _Buffer(fileobj, start, end)
    found = _sync(buf, start, end, None)
    if found is None:
        return None
    pos, first = found
    frames = samples = skipped = 0
    while True:
        word = buf.word(pos)
        frame = None if word is None else parse_header(word)
        if frame is None or not first.continues(frame):
            resync = _sync(buf, pos + 1, end, first)
            if resync is None:
                break
            skipped += resync[0] - pos
            pos, frame = resync
        if pos + frame.length > end:
            break
        frames += 1
        samples += frame.samples
        pos += frame.length
    return FrameScan(frames, samples, first.sample_rate, skipped)
