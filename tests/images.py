"""Real images made with Pillow for the tests (one place: the artwork, local artwork, init,
check --online and serve tests each had their own copy)."""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

from PIL import Image

RED = (200, 30, 30)


def make_image(
    path: Path,
    size: tuple[int, int] = (1400, 1400),
    *,
    mode: str = "RGB",
    fmt: str = "JPEG",
    color: object = None,
    **save: object,
) -> Path:
    """A one-colour image file (folders made), in `mode` and Pillow's format `fmt`."""
    if color is None:
        color = {"CMYK": (0, 0, 0, 0), "P": 0, "L": 128}.get(mode, RED)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new(mode, size, color).save(path, fmt, **save)  # type: ignore[arg-type]
    return path


def jpeg_bytes(color: tuple[int, int, int] = RED, size: tuple[int, int] = (1400, 1400)) -> bytes:
    """A one-colour JPEG's bytes (for the test HTTP server)."""
    stream = io.BytesIO()
    Image.new("RGB", size, color).save(stream, "JPEG")
    return stream.getvalue()


def make_bomb(path: Path, side: int = 20000) -> Path:
    """A PNG of a few bytes whose header claims side × side pixels."""
    out = io.BytesIO()
    Image.new("RGB", (1, 1)).save(out, "PNG")
    data = bytearray(out.getvalue())
    data[16:24] = struct.pack(">II", side, side)  # IHDR width, height
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    path.write_bytes(bytes(data))
    return path


def make_noise(path: Path, side: int = 1400) -> Path:
    """A JPEG of random pixels: large (about 2 MB at 1400 px), and a cut one is found only by
    decoding it (its header is whole)."""
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    image.save(path, "JPEG", quality=95)
    return path
