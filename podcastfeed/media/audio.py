"""Measure an audio file (local, or any seekable file object): duration, exact size, MIME type.

mutagen identifies the format from the content and reads the container's length; MP3s without a
Xing/VBRI header get their frames counted (`mp3scan`). Only the bytes needed are read.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

import mutagen
import mutagen.flac
import mutagen.mp3
import mutagen.mp4
import mutagen.oggflac
import mutagen.oggopus
import mutagen.oggspeex
import mutagen.oggvorbis
import mutagen.wave

from podcastfeed.errors import ProbeError
from podcastfeed.files import NOT_A_FILE, is_special
from podcastfeed.media import mp3scan
from podcastfeed.model import AudioInfo

#: How far off a duration may be: a Xing header this far from the file size means a truncated
#: (or stale) header.
TOLERANCE = 0.5  # seconds

FRAME_SCAN = "frame scan"

_OGG_AUDIO = (
    mutagen.oggvorbis.OggVorbis,
    mutagen.oggopus.OggOpus,
    mutagen.oggflac.OggFLAC,
    mutagen.oggspeex.OggSpeex,
)
_VIDEO_MIME_BY_EXTENSION = {".m4v": "video/x-m4v", ".mov": "video/quicktime"}


def probe_file(path: Path) -> AudioInfo:
    """Measure a local audio file.

    Raises:
        ProbeError: (source=path) for a missing, unreadable, empty, corrupt or unknown file.
    """
    try:
        if is_special(path):  # (a FIFO waits for a writer; /dev/zero has no size to read to)
            raise ProbeError(NOT_A_FILE, source=path)
        with open(path, "rb") as fileobj:
            size = os.fstat(fileobj.fileno()).st_size
            return _probe(fileobj, name=str(path), size=size, source=path)
    except FileNotFoundError as exc:
        raise ProbeError("file not found", source=path) from exc
    except IsADirectoryError as exc:
        raise ProbeError("is a directory, not an audio file", source=path) from exc
    except OSError as exc:  # _probe turns read errors into ProbeError itself
        raise ProbeError(f"cannot read the file ({exc.strerror or exc})", source=path) from exc


def probe_stream(fileobj: BinaryIO, *, name: str, size: int) -> AudioInfo:
    """Measure audio from a seekable binary file object of `size` bytes.

    Reads by seek + read, as little as it can (a header-less MP3 is read in full); never calls
    fileno(). `name`, a file name or URL, hints at the format and appears in errors.

    Raises:
        ProbeError: (source=name) for empty, corrupt, unknown or unreadable audio.
    """
    return _probe(fileobj, name=name, size=size, source=name)


def needs_full_read(info: AudioInfo) -> bool:
    """Whether measuring read the whole file (an MP3 frame scan), so re-probing a URL is costly."""
    return info.method.startswith(FRAME_SCAN)


def _probe(fileobj: BinaryIO, *, name: str, size: int, source: Path | str) -> AudioInfo:
    if size <= 0:
        raise ProbeError("empty file (0 bytes)", source=source, hint="re-export or re-upload it")
    try:
        start = _skip_id3v2(fileobj, size)
        audio = _Window(fileobj, start, size, name=urlsplit(name).path if "://" in name else name)
        found = _identify(audio, fileobj, size, source)
        duration, mime_type, method = _measure(found, audio, start, source)
        if audio.error is not None:  # mutagen swallowed a failed read: the result may be partial
            raise audio.error
    except OSError as exc:
        raise ProbeError(f"cannot read the audio ({exc})", source=source) from exc
    if not (math.isfinite(duration) and duration > 0):
        raise ProbeError(
            f"{type(found).__name__} audio has no duration (got {duration!r} s)", source=source
        )
    return AudioInfo(duration=duration, size=size, mime_type=mime_type, method=method)


def _identify(audio: _Window, fileobj: BinaryIO, size: int, source: Path | str) -> Any:
    """The mutagen FileType for the content (not None)."""
    try:
        found = mutagen.File(audio)
        if found is None and audio.start > 0:
            # Junk after the ID3v2 tag, and no extension to go by (a URL like /download/123):
            # mutagen would have taken the ID3v2 tag itself to mean MP3.
            found = mutagen.mp3.MP3(audio)  # type: ignore[no-untyped-call]
    except Exception as exc:
        if audio.error is not None:
            # The file object failed (e.g. a remote read): not a verdict on the content.
            raise audio.error from None
        # mutagen promises MutagenError, but some of its parsers fail on malformed data with
        # IndexError and the like (a truncated Vorbis comment header): the same verdict.
        why = str(exc) if isinstance(exc, mutagen.MutagenError) else f"{type(exc).__name__}: {exc}"
        raise _unreadable(fileobj, size, source, why or type(exc).__name__) from exc
    if found is None:  # no format scored: mutagen.File returns None rather than raising
        raise _unreadable(fileobj, size, source, None)
    return found


def _unreadable(fileobj: BinaryIO, size: int, source: Path | str, why: str | None) -> ProbeError:
    head = mp3scan.read_at(fileobj, 0, 9)
    reason = f": {why}" if why else ""
    hint = "podcastfeed reads MP3, M4A (AAC), Ogg, Opus, FLAC, WAV and MP4: export it as MP3"
    if head.lstrip()[:1] == b"<":
        hint = "this is HTML or XML, not audio: perhaps an error page was saved in its place"
    return ProbeError(
        f"not an audio file podcastfeed can read{reason} (got {size} bytes starting {head!r})",
        source=source,
        hint=hint,
    )


def _skip_id3v2(fileobj: BinaryIO, size: int) -> int:
    """Where the content starts after any ID3v2 tags (WMP stacks several), read from their
    10-byte headers alone: the tags themselves (pictures) are skipped, not read."""
    start = 0
    while start + 10 <= size:
        head = mp3scan.read_at(fileobj, start, 10)
        if len(head) < 10 or head[:3] != b"ID3" or 0xFF in head[3:5] or max(head[6:10]) > 0x7F:
            break
        tag_size = 10 + ((head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9])
        if head[5] & 0x10:  # a footer follows (ID3v2.4)
            tag_size += 10
        if start + tag_size > size:
            break
        start += tag_size
    return start


def _measure(found: Any, audio: _Window, start: int, source: Path | str) -> tuple[float, str, str]:
    """Duration, MIME type and method for what mutagen recognised."""
    length = float(found.info.length or 0)
    if isinstance(found, mutagen.mp3.MP3):
        return _measure_mp3(found.info, audio, start, source)
    if isinstance(found, mutagen.mp4.MP4):
        handlers = _mp4_handlers(audio)
        if b"vide" in handlers:
            ext = os.path.splitext(audio.name)[1].lower()
            mime_type = _VIDEO_MIME_BY_EXTENSION.get(ext, "video/mp4")
        else:
            mime_type = "audio/x-m4a"
        # mutagen takes the first sound track's mdhd, falling back to the movie's mvhd.
        return length, mime_type, "MP4 mdhd (audio track)" if b"soun" in handlers else "MP4 mvhd"
    if isinstance(found, _OGG_AUDIO):
        return length, "audio/ogg", "Ogg granule position"
    if isinstance(found, mutagen.flac.FLAC):
        return length, "audio/flac", "FLAC STREAMINFO"
    if isinstance(found, mutagen.wave.WAVE):
        return length, "audio/wav", "WAV header"
    kind = type(found).__name__
    raise ProbeError(
        f"{kind} audio is not a format podcastfeed publishes",
        source=source,
        hint="use MP3, M4A/MP4, Ogg (Vorbis or Opus), FLAC or WAV",
    )


def _measure_mp3(
    info: Any, audio: _Window, start: int, source: Path | str
) -> tuple[float, str, str]:
    end = mp3scan.audio_end(audio, audio.size)
    first = mp3scan.find_frame(audio, int(getattr(info, "frame_offset", 0)), end)
    if first is None:
        raise ProbeError("MP3 without a valid MPEG audio frame", source=source)
    offset, frame = first
    header = mp3scan.read_vbr_header(audio, offset, frame)
    if header is not None and header.frames and not _plausible(header, frame):
        why = f"{header.kind} header with impossible counts"
    elif header is not None and header.frames:
        # mutagen's length from the header also drops LAME's encoder delay and padding; if it
        # read another frame than this one, trust this header.
        length = float(info.length)
        counted = header.frames * frame.samples / frame.sample_rate
        if not abs(length - counted) <= TOLERANCE:
            length = counted
        method = {"Xing": "Xing header", "Info": "LAME/Info header"}.get(header.kind, "VBRI header")
        if not header.bytes:
            return length, "audio/mpeg", method
        # Some encoders count the ID3v2 tag in the header's byte count: allow for it.
        missing = header.bytes - (end - offset)
        missing_seconds = max(0, missing - start) * length / header.bytes
        if missing_seconds > TOLERANCE:
            raise ProbeError(
                f"truncated: its {header.kind} header says {header.bytes} bytes of audio, "
                f"only {end - offset} are there (about {missing_seconds:.1f} s missing)",
                source=source,
                hint="a partial upload or copy leaves a file like this: copy or export it again",
            )
        if -missing * length / header.bytes <= TOLERANCE:
            return length, "audio/mpeg", method
        why = f"file longer than its {header.kind} header says"
    elif header is not None:
        why = f"{header.kind} header without a frame count"
    else:
        why = "no Xing/VBRI header"
    # A header frame carries no audio; count from the frame after it.
    scan_from = offset + frame.length if header is not None else offset
    scan = mp3scan.scan_frames(audio, scan_from, end)
    if scan is None:
        raise ProbeError("MP3 with no complete MPEG audio frame", source=source)
    return scan.seconds, "audio/mpeg", f"{FRAME_SCAN} ({why})"


def _plausible(header: mp3scan.VbrHeader, frame: mp3scan.Frame) -> bool:
    """Whether the header's frame and byte counts give a bitrate MP3 can have (8-448 kb/s)."""
    if not header.frames or not header.bytes:
        return True
    bitrate = header.bytes * 8 * frame.sample_rate / (header.frames * frame.samples)
    return 8_000 * 0.9 <= bitrate <= 448_000 * 1.1


def _mp4_handlers(audio: _Window) -> set[bytes]:
    """The handler types (b"soun", b"vide", ...) of the tracks in an MP4's moov box, read from box
    headers alone (mdat is skipped, not read)."""

    def boxes(start: int, end: int) -> list[tuple[bytes, int, int]]:
        found = []
        while start + 8 <= end:
            head = mp3scan.read_at(audio, start, 16)
            size, kind, body = int.from_bytes(head[:4], "big"), head[4:8], start + 8
            if size == 1 and len(head) == 16:  # 64-bit size follows
                size, body = int.from_bytes(head[8:16], "big"), start + 16
            elif size == 0:  # to the end
                size = end - start
            if size < body - start or len(head) < 8:
                break
            found.append((kind, body, min(start + size, end)))
            start += size
        return found

    handlers = set()
    for kind, body, end in boxes(0, audio.size):
        if kind != b"moov":
            continue
        for trak, trak_body, trak_end in boxes(body, end):
            if trak != b"trak":
                continue
            for mdia, mdia_body, mdia_end in boxes(trak_body, trak_end):
                if mdia != b"mdia":
                    continue
                for hdlr, hdlr_body, _ in boxes(mdia_body, mdia_end):
                    if hdlr == b"hdlr":  # version/flags(4) pre_defined(4) handler_type(4)
                        handlers.add(mp3scan.read_at(audio, hdlr_body + 8, 4))
    return handlers


class _Window:
    """Bytes [start, size) of a file object as a file object of its own: what mutagen sees once
    the ID3v2 tags are skipped. Loops over short reads; seeks the raw object only when needed.
    """

    def __init__(self, raw: BinaryIO, start: int, size: int, *, name: str) -> None:
        self.raw, self.start, self.size, self.name = raw, start, size - start, name
        self.pos = 0
        self.raw_pos: int | None = None
        self.error: Exception | None = None  # the first failure of the raw object

    def read(self, n: int | None = -1, /) -> bytes:
        available = max(0, self.size - self.pos)
        n = available if n is None or n < 0 else min(n, available)
        parts: list[bytes] = []
        while n > 0:
            try:
                if self.raw_pos != self.start + self.pos:
                    self.raw.seek(self.start + self.pos)
                part = self.raw.read(n)[:n]
            except Exception as exc:
                self.error = self.error or exc  # mutagen may swallow or wrap it
                self.raw_pos = None
                raise
            if not part:
                self.raw_pos = None
                break
            parts.append(bytes(part))
            self.pos += len(part)
            self.raw_pos = self.start + self.pos
            n -= len(part)
        return b"".join(parts)

    def seek(self, offset: int, whence: int = os.SEEK_SET, /) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self.pos, os.SEEK_END: self.size}[whence]
        if base + offset < 0:
            raise OSError(22, f"negative seek position {base + offset}")
        self.pos = base + offset
        return self.pos

    def tell(self) -> int:
        return self.pos
