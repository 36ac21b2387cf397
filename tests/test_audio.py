"""Probing real audio fixtures (tests/data/audio, made by make.sh there): durations, sizes, MIME
types, how much is read, and that bad input only ever raises ProbeError."""

from __future__ import annotations

import io
import math
import os
import random
import shutil
from pathlib import Path

import mutagen
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from podcastfeed.errors import ProbeError
from podcastfeed.media import mp3scan
from podcastfeed.media.audio import needs_full_read, probe_file, probe_stream
from podcastfeed.model import MIME_BY_EXTENSION, AudioInfo

DATA = Path(__file__).parent / "data" / "audio"

GOOD = [
    # name, generated length (s), tolerance (s), MIME type, method
    ("sine-3s-cbr.mp3", 3.0, 0.1, "audio/mpeg", "LAME/Info header"),
    # frame count includes LAME's encoder delay and padding (~0.18 s at 8 kHz): no header says so
    ("sine-13s-vbr-noxing.mp3", 13.0, 0.25, "audio/mpeg", "frame scan (no Xing/VBRI header)"),
    ("with-cover.mp3", 2.0, 0.1, "audio/mpeg", "frame scan (no Xing/VBRI header)"),
    ("sine-2s-moov-end.m4a", 2.0, 0.1, "audio/x-m4a", "MP4 mdhd (audio track)"),
    ("sine-2s-faststart.m4a", 2.0, 0.1, "audio/x-m4a", "MP4 mdhd (audio track)"),
    ("sine-2s.opus", 2.0, 0.02, "audio/ogg", "Ogg granule position"),
    ("sine-2s.ogg", 2.0, 0.02, "audio/ogg", "Ogg granule position"),
    ("sine-2s.flac", 2.0, 0.001, "audio/flac", "FLAC STREAMINFO"),
    ("sine-1s.wav", 1.0, 0.001, "audio/wav", "WAV header"),
    ("video-1s.mp4", 1.0, 0.1, "video/mp4", "MP4 mdhd (audio track)"),
]
GOOD_NAMES = [case[0] for case in GOOD]
FIXTURES = sorted(p.name for p in DATA.iterdir() if p.suffix != ".md" and p.suffix != ".sh")
MIME_TYPES = set(MIME_BY_EXTENSION.values())


@pytest.fixture(scope="module")
def audio_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the fixtures, so nothing can change the committed files."""
    target = tmp_path_factory.mktemp("audio")
    for name in FIXTURES:
        shutil.copyfile(DATA / name, target / name)
    return target


class RecordingIO(io.BytesIO):
    """Bytes in memory that record each read as (offset, length) and refuse fileno()."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.reads: list[tuple[int, int]] = []

    def read(self, size: int | None = -1, /) -> bytes:
        offset = self.tell()
        data = super().read(size)
        self.reads.append((offset, len(data)))
        return data

    def fileno(self) -> int:
        raise AssertionError("probe_stream must not call fileno()")

    @property
    def bytes_read(self) -> int:
        return sum(length for _, length in self.reads)


class TrickleIO(io.BytesIO):
    """At most 100 bytes per read, as a socket or an HTTP body may give."""

    def read(self, size: int | None = -1, /) -> bytes:
        return super().read(100 if size is None or size < 0 else min(size, 100))


class FailingIO(io.BytesIO):
    """Fails on the first read past `limit`, like a dropped connection."""

    def __init__(self, data: bytes, limit: int, error: Exception) -> None:
        super().__init__(data)
        self.limit, self.error = limit, error

    def read(self, size: int | None = -1, /) -> bytes:
        if self.tell() + (size if size is not None and size >= 0 else 1) > self.limit:
            raise self.error
        return super().read(size)


def stream(data: bytes, name: str = "x.mp3") -> AudioInfo:
    return probe_stream(io.BytesIO(data), name=name, size=len(data))


def check_info_or_probe_error(data: bytes, name: str) -> None:
    """The contract for any input: a sane AudioInfo, or ProbeError naming the source."""
    try:
        result: AudioInfo | ProbeError = stream(data, name)
    except ProbeError as exc:
        result = exc
    if isinstance(result, ProbeError):
        assert str(result).startswith(f"{name}: ")
    else:
        assert result.size == len(data)
        assert math.isfinite(result.duration)
        assert result.duration > 0
        assert result.mime_type in MIME_TYPES
        assert result.method


# -- formats -------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "length", "tolerance", "mime_type", "method"), GOOD)
def test_probe_file_measures_each_format(
    audio_dir: Path, name: str, length: float, tolerance: float, mime_type: str, method: str
) -> None:
    path = audio_dir / name
    info = probe_file(path)
    assert info.duration == pytest.approx(length, abs=tolerance)
    assert info.size == os.path.getsize(path)
    assert info.mime_type == mime_type
    assert info.method == method


@pytest.mark.parametrize("name", GOOD_NAMES)
def test_probe_stream_agrees_with_probe_file(audio_dir: Path, name: str) -> None:
    data = (audio_dir / name).read_bytes()
    assert stream(data, name) == probe_file(audio_dir / name)


@pytest.mark.parametrize("name", GOOD_NAMES)
def test_probe_stream_copes_with_short_reads(audio_dir: Path, name: str) -> None:
    data = (audio_dir / name).read_bytes()
    info = probe_stream(TrickleIO(data), name=name, size=len(data))
    assert info == stream(data, name)


@pytest.mark.parametrize(
    ("fixture", "misnamed", "mime_type"),
    [
        ("sine-2s.ogg", "episode.mp3", "audio/ogg"),
        ("sine-3s-cbr.mp3", "episode.m4a", "audio/mpeg"),
        ("sine-2s-faststart.m4a", "episode.mp3", "audio/x-m4a"),
        ("sine-2s.flac", "episode", "audio/flac"),
    ],
)
def test_probe_file_detects_format_from_content(
    audio_dir: Path, tmp_path: Path, fixture: str, misnamed: str, mime_type: str
) -> None:
    path = tmp_path / misnamed
    shutil.copyfile(audio_dir / fixture, path)
    assert probe_file(path).mime_type == mime_type


def test_probe_stream_takes_the_extension_hint_from_a_url(audio_dir: Path) -> None:
    data = (audio_dir / "sine-3s-cbr.mp3").read_bytes()
    info = stream(data, "https://cdn.example.com/show/sine-3s-cbr.mp3?token=abc")
    assert info.mime_type == "audio/mpeg"


def test_probe_stream_reads_mp3_with_junk_after_id3_and_no_extension(audio_dir: Path) -> None:
    data = (audio_dir / "with-cover.mp3").read_bytes()
    tag_end = _first_frame(data)[0]
    junk = data[:tag_end] + bytes(300) + data[tag_end:]
    info = stream(junk, "https://cdn.example.com/download/12345")
    assert info.mime_type == "audio/mpeg"
    assert info.duration == pytest.approx(2.0, abs=0.1)


# -- MP3 without a Xing/VBRI header --------------------------------------------------------


def test_probe_file_counts_frames_of_vbr_mp3_without_xing_header(audio_dir: Path) -> None:
    path = audio_dir / "sine-13s-vbr-noxing.mp3"
    plain = mutagen.File(path).info.length  # guessed from the first frame's bitrate: ~3.8 s
    assert abs(plain - 13.0) > 0.5, "the fixture no longer fools mutagen"
    info = probe_file(path)
    assert info.duration == pytest.approx(13.0, abs=0.5)
    assert "frame scan" in info.method
    assert needs_full_read(info)


def test_needs_full_read_is_false_when_a_header_gives_the_length(audio_dir: Path) -> None:
    assert not needs_full_read(probe_file(audio_dir / "sine-3s-cbr.mp3"))
    assert not needs_full_read(probe_file(audio_dir / "sine-2s-moov-end.m4a"))


def test_frame_scan_agrees_with_bitrate_estimate_for_cbr(audio_dir: Path) -> None:
    path = audio_dir / "with-cover.mp3"  # CBR, no Xing header
    assert probe_file(path).duration == pytest.approx(mutagen.File(path).info.length, abs=0.1)


def test_frame_scan_resyncs_over_garbage(audio_dir: Path) -> None:
    data = (audio_dir / "sine-13s-vbr-noxing.mp3").read_bytes()
    cut = _frame_boundary(data, _first_frame(data)[0], 40)
    garbled = data[:cut] + random.Random(7).randbytes(700) + data[cut:]
    scan = mp3scan.scan_frames(io.BytesIO(garbled), _first_frame(data)[0], len(garbled))
    assert scan is not None
    assert scan.skipped == 700
    assert stream(garbled).duration == stream(data).duration


def test_frame_scan_stops_at_id3v1_and_ape_tags(audio_dir: Path) -> None:
    data = (audio_dir / "sine-13s-vbr-noxing.mp3").read_bytes()
    ape_footer = b"APETAGEX" + (2000).to_bytes(4, "little") + (32).to_bytes(4, "little")
    ape_footer += bytes(8) + bytes(8)
    id3v1 = b"TAG" + bytes(125)
    tagged = data + ape_footer + id3v1
    assert mp3scan.audio_end(io.BytesIO(tagged), len(tagged)) == len(data)
    assert stream(tagged).duration == stream(data).duration


def test_mp3_longer_than_its_info_header_is_scanned(audio_dir: Path) -> None:
    data = (audio_dir / "sine-3s-cbr.mp3").read_bytes()
    offset, frame = _first_frame(data)
    twice = data + data[offset + frame.length :]  # the audio frames again, after the first copy
    info = stream(twice)
    assert info.duration == pytest.approx(6.0, abs=0.2)
    assert info.method == "frame scan (file longer than its Info header says)"


def test_mp3_with_impossible_info_header_is_scanned(audio_dir: Path) -> None:
    data = bytearray((audio_dir / "sine-3s-cbr.mp3").read_bytes())
    frames_field = data.index(b"Info") + 8  # after the tag and its flags
    data[frames_field : frames_field + 4] = (10**8).to_bytes(4, "big")  # 10**8 frames, 12 KB
    info = stream(bytes(data))
    assert info.duration == pytest.approx(3.0, abs=0.1)
    assert info.method == "frame scan (Info header with impossible counts)"


def _first_frame(data: bytes) -> tuple[int, mp3scan.Frame]:
    found = mp3scan.find_frame(io.BytesIO(data), 0, len(data))
    assert found is not None
    return found


def _frame_boundary(data: bytes, offset: int, frames: int) -> int:
    for _ in range(frames):
        frame = mp3scan.parse_header(int.from_bytes(data[offset : offset + 4], "big"))
        assert frame is not None
        offset += frame.length
    return offset


# -- reading only what is needed -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "bound"),
    [
        ("sine-3s-cbr.mp3", 2048),  # of 12,427 bytes
        ("sine-2s-faststart.m4a", 1024),  # of 7,232
        ("sine-2s-moov-end.m4a", 1024),  # mdat is skipped by seeking
        ("sine-1s.wav", 512),  # of 8,044
    ],
)
def test_probe_stream_reads_little_when_a_header_has_the_length(
    audio_dir: Path, name: str, bound: int
) -> None:
    data = (audio_dir / name).read_bytes()
    fileobj = RecordingIO(data)
    probe_stream(fileobj, name=name, size=len(data))
    assert fileobj.bytes_read < bound


def test_probe_stream_skips_the_id3_picture_unread(audio_dir: Path) -> None:
    data = (audio_dir / "with-cover.mp3").read_bytes()
    tags = mutagen.File(audio_dir / "with-cover.mp3").tags
    picture = tags["APIC:Album cover"].data
    start = data.index(picture)
    end = start + len(picture)
    assert len(picture) > 4000
    fileobj = RecordingIO(data)
    probe_stream(fileobj, name="with-cover.mp3", size=len(data))
    for offset, length in fileobj.reads:
        assert offset + length <= start or offset >= end, f"read {length} bytes at {offset}"


# -- broken input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.mp3", "empty file (0 bytes)"),
        ("truncated.mp3", "truncated: its Info header says 12407 bytes of audio, only 4950"),
        ("random-bytes.mp3", "not an audio file podcastfeed can read: can't sync to MPEG frame"),
        (
            "not-audio.mp3",
            "not an audio file podcastfeed can read: can't sync to MPEG frame "
            "(got 514 bytes starting b'<!DOCTYPE')",
        ),
        ("sine-1s.aac", "AAC audio is not a format podcastfeed publishes"),
    ],
)
def test_probe_file_rejects_broken_files(audio_dir: Path, name: str, message: str) -> None:
    path = audio_dir / name
    with pytest.raises(ProbeError) as caught:
        probe_file(path)
    assert caught.value.source == path
    assert str(caught.value).startswith(f"{path}: {message}")


def test_probe_file_names_the_formats_it_reads(audio_dir: Path) -> None:
    """Not "a file mutagen can read" (a library the user never chose): the formats, and the
    way out."""
    with pytest.raises(ProbeError) as caught:
        probe_file(audio_dir / "random-bytes.mp3")
    assert caught.value.hint == (
        "podcastfeed reads MP3, M4A (AAC), Ogg, Opus, FLAC, WAV and MP4: export it as MP3"
    )


def test_probe_file_hints_at_an_error_page(audio_dir: Path) -> None:
    with pytest.raises(ProbeError, match="HTML or XML, not audio"):
        probe_file(audio_dir / "not-audio.mp3")


def test_probe_file_names_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "episodes" / "missing.mp3"
    with pytest.raises(ProbeError) as caught:
        probe_file(path)
    assert str(caught.value) == f"{path}: file not found"


def test_probe_file_rejects_a_directory(tmp_path: Path) -> None:
    with pytest.raises(ProbeError, match="is a directory"):
        probe_file(tmp_path)


def test_probe_stream_names_the_url_in_errors(audio_dir: Path) -> None:
    url = "https://cdn.example.com/show/not-audio.mp3"
    data = (audio_dir / "not-audio.mp3").read_bytes()
    with pytest.raises(ProbeError) as caught:
        probe_stream(io.BytesIO(data), name=url, size=len(data))
    assert caught.value.source == url
    assert str(caught.value).startswith(f"{url}: not an audio file")


def test_truncated_mp3_without_header_measures_what_is_there(audio_dir: Path) -> None:
    """With no header there is nothing to compare against: the frames that are there count."""
    data = (audio_dir / "sine-13s-vbr-noxing.mp3").read_bytes()
    half = data[: _frame_boundary(data, _first_frame(data)[0], 90) + 50]  # 90 frames and a bit
    assert stream(half).duration == pytest.approx(90 * 576 / 8000)


@pytest.mark.parametrize("name", ["sine-3s-cbr.mp3", "sine-2s.ogg", "sine-2s-moov-end.m4a"])
def test_probe_stream_reports_a_failing_file_object(audio_dir: Path, name: str) -> None:
    data = (audio_dir / name).read_bytes()
    fileobj = FailingIO(data, 200, ConnectionResetError(104, "Connection reset by peer"))
    with pytest.raises(ProbeError) as caught:
        probe_stream(fileobj, name=name, size=len(data))
    assert (
        str(caught.value) == f"{name}: cannot read the audio ([Errno 104] Connection reset by peer)"
    )


def test_probe_stream_passes_on_a_probe_error_from_the_file_object(audio_dir: Path) -> None:
    data = (audio_dir / "sine-2s.ogg").read_bytes()
    error = ProbeError("HTTP 503 on a range request", source="https://cdn.example.com/x.ogg")
    with pytest.raises(ProbeError) as caught:
        probe_stream(FailingIO(data, 300, error), name="x.ogg", size=len(data))
    assert caught.value is error


def test_probe_stream_turns_a_mutagen_crash_into_probe_error(audio_dir: Path) -> None:
    """mutagen 1.48 raises IndexError (not MutagenError) for this Vorbis comment header."""
    data = bytearray((audio_dir / "sine-2s.ogg").read_bytes())
    data[120] = 0xFF  # in the comment header's vendor-length field
    with pytest.raises(
        ProbeError, match=r"^x\.ogg: not an audio file podcastfeed can read: IndexError"
    ):
        stream(bytes(data), "x.ogg")


# -- any input: AudioInfo or ProbeError, nothing else ---------------------------------------

_fast = settings(max_examples=300, deadline=None)


@_fast
@given(name=st.sampled_from(FIXTURES), data=st.data())
def test_probe_stream_any_prefix_gives_info_or_probe_error(
    audio_dir: Path, name: str, data: st.DataObject
) -> None:
    content = (audio_dir / name).read_bytes()
    cut = data.draw(st.integers(0, len(content)), label="cut")
    check_info_or_probe_error(content[:cut], name)


@_fast
@given(
    content=st.binary(max_size=4096),
    name=st.sampled_from(["x.mp3", "x.m4a", "x.ogg", "x.opus", "x.flac", "x.wav", "x.mp4", "x"]),
)
def test_probe_stream_any_bytes_give_info_or_probe_error(content: bytes, name: str) -> None:
    check_info_or_probe_error(content, name)


@_fast
@given(
    name=st.sampled_from(GOOD_NAMES),
    edits=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=8),
)
def test_probe_stream_corrupted_fixtures_give_info_or_probe_error(
    audio_dir: Path, name: str, edits: list[tuple[float, int]]
) -> None:
    content = bytearray((audio_dir / name).read_bytes())
    for where, value in edits:
        content[int(where * len(content))] = value
    check_info_or_probe_error(bytes(content), name)
