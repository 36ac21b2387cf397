"""Artwork rules on real images made here with Pillow: local files and URLs (--online)."""

from __future__ import annotations

from pathlib import Path

import pytest
from httpserver import AudioServer
from images import make_bomb, make_image, make_noise
from test_checks import NOW, make_feed

from podcastfeed.lint.online import Online
from podcastfeed.lint.runner import lint_data, run
from podcastfeed.media import artwork
from podcastfeed.media.artwork import ArtworkError
from podcastfeed.net.fetch import make_session


def _rules(tmp_path: Path, name: str) -> dict[str, str]:
    data = make_feed({"image": f'<itunes:image href="{name}"/>'})
    found = run(lint_data(data, "feed.xml", NOW, base=tmp_path))
    return {f.rule: f.message for f in found}


def test_artwork_good_jpeg_and_png_pass(tmp_path: Path) -> None:
    make_image(tmp_path / "cover.jpg", (1400, 1400))
    make_image(tmp_path / "cover.png", (3000, 3000), fmt="PNG")
    assert _rules(tmp_path, "cover.jpg") == {}
    assert _rules(tmp_path, "cover.png") == {}


def test_artwork_reads_the_header_only(tmp_path: Path) -> None:
    path = make_image(tmp_path / "cover.png", (1400, 1400), fmt="PNG")
    head = path.read_bytes()[:200]  # no pixel data at all
    found = artwork.read_bytes(head, size=path.stat().st_size)
    assert (found.format, found.width, found.height, found.mode) == ("PNG", 1400, 1400, "RGB")


@pytest.mark.parametrize(
    ("name", "mode", "size", "fmt", "rule", "message"),
    [
        (
            "png-named.jpg",
            "RGB",
            (1400, 1400),
            "PNG",
            "apple/artwork-format",
            "artwork png-named.jpg is a PNG file named as JPEG",
        ),
        (
            "cover.gif",
            "P",
            (1400, 1400),
            "GIF",
            "apple/artwork-format",
            "artwork cover.gif is GIF, not JPEG or PNG",
        ),
        (
            "small.jpg",
            "RGB",
            (1080, 1080),
            "JPEG",
            "apple/artwork-size",
            "artwork small.jpg is 1080 × 1080 px (must be 1400-3000 a side)",
        ),
        (
            "wide.jpg",
            "RGB",
            (1500, 1400),
            "JPEG",
            "apple/artwork-size",
            "artwork wide.jpg is not square (1500 × 1400 px)",
        ),
        (
            "print.jpg",
            "CMYK",
            (1400, 1400),
            "JPEG",
            "apple/artwork-color",
            "artwork print.jpg is CMYK, not RGB",
        ),
    ],
)
def test_artwork_rule_fails(
    tmp_path: Path, name: str, mode: str, size: tuple[int, int], fmt: str, rule: str, message: str
) -> None:
    make_image(tmp_path / name, size, mode=mode, fmt=fmt)
    assert _rules(tmp_path, name).get(rule) == message


def test_artwork_palette_with_transparency_fails(tmp_path: Path) -> None:
    make_image(tmp_path / "logo.png", (1400, 1400), mode="P", fmt="PNG", transparency=0)
    assert _rules(tmp_path, "logo.png") == {
        "apple/artwork-color": "artwork logo.png is a P image with a transparent colour"
    }
    make_image(tmp_path / "opaque.png", (1400, 1400), mode="P", fmt="PNG")
    assert _rules(tmp_path, "opaque.png") == {}


def test_artwork_file_size_warns_above_512_kb(tmp_path: Path) -> None:
    path = make_noise(tmp_path / "big.jpg")
    assert path.stat().st_size > 512 * 1024
    found = _rules(tmp_path, "big.jpg")
    assert list(found) == ["apple/artwork-file-size"]
    assert found["apple/artwork-file-size"].startswith("artwork big.jpg is ")


def test_artwork_missing_or_not_an_image(tmp_path: Path) -> None:
    (tmp_path / "text.jpg").write_text("hello")
    assert _rules(tmp_path, "text.jpg")["apple/artwork-format"].startswith(
        "artwork text.jpg cannot be read: not an image"
    )
    assert _rules(tmp_path, "gone.jpg")["apple/artwork-format"] == (
        "artwork gone.jpg cannot be read: file not found: 'gone.jpg'"
    )


def test_artwork_url_needs_online_then_reads_a_range(
    tmp_path: Path, http_server: AudioServer
) -> None:
    small = make_image(tmp_path / "small.jpg", (1000, 1000))
    url = http_server.add("small.jpg", small.read_bytes())
    audio = http_server.url("sine-3s-cbr.mp3")
    item = {"enclosure": f'<enclosure url="{audio}" length="9" type="audio/mpeg"/>'}
    data = make_feed({"image": f'<itunes:image href="{url}"/>'}, [item])
    skip = ["podcastindex/https"]  # the loopback server is http
    assert run(lint_data(data, "feed.xml", NOW), ignore=skip) == []  # offline: not fetched
    with make_session("test") as session:
        feed = lint_data(data, "feed.xml", NOW, online=Online(session, 5.0))
        found = {f.rule for f in run(feed, online=True, ignore=skip)}
    assert found == {"apple/artwork-size"}
    assert [e.range for e in http_server.settle() if "small" in e.path and e.method == "GET"] == [
        f"bytes=0-{artwork.HEAD_BYTES - 1}"
    ]


@pytest.mark.parametrize(
    ("side", "size"), [(20000, "400,000,000 pixels"), (10000, "10000 × 10000 px")]
)
def test_a_header_claiming_a_huge_image_is_an_artwork_error_not_a_crash(
    tmp_path: Path, side: int, size: str
) -> None:
    """The first bytes of a remote image (check --online) or a local file: Pillow's
    DecompressionBombError (past twice its limit) escaped as a traceback, and below that the
    image was decoded in spite of its warning."""
    bomb = make_bomb(tmp_path / "bomb.png", side)
    message = f"{size} is more than the 89,478,485 pixels Pillow decodes"
    with pytest.raises(ArtworkError, match=message):
        artwork.read_bytes(bomb.read_bytes(), size=None)
    with pytest.raises(ArtworkError, match=message):
        artwork.read_file(bomb)
    assert message in _rules(tmp_path, "bomb.png")["apple/artwork-format"]


def test_a_truncated_local_image_is_found(tmp_path: Path) -> None:
    """Its header is whole, so reading the header only took it for a good JPEG."""
    whole = make_noise(tmp_path / "whole.jpg").read_bytes()
    (tmp_path / "cut.jpg").write_bytes(whole[: len(whole) // 2])
    assert _rules(tmp_path, "cut.jpg")["apple/artwork-format"].startswith(
        "artwork cut.jpg cannot be read: damaged or truncated image (image file is truncated"
    )
