"""What a cover image is, from its first bytes: format, pixel size, colour mode, transparency.

Pillow reads only the header (`Image.open` is lazy: no pixel is decoded). Local files are opened
in place; for a URL the caller passes the first bytes of a ranged read (remote.read_head).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

#: Enough for the header of almost every JPEG (EXIF and ICC profiles come before the frame).
HEAD_BYTES = 256 * 1024

#: The format each file extension promises.
FORMAT_BY_EXTENSION = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}


@dataclass(frozen=True)
class Artwork:
    """What the header of an image says."""

    format: str  # Pillow's name: JPEG, PNG, GIF, WEBP ...
    width: int
    height: int
    mode: str  # RGB, RGBA, CMYK, P, L ...
    has_transparency: bool  # a palette or grey image with a transparent colour
    size: int | None  # bytes, when known


class ArtworkError(Exception):
    """The bytes are not an image Pillow can read."""


def read_file(path: Path) -> Artwork:
    """The header of a local image file.

    Raises:
        ArtworkError: unreadable or not an image.
    """
    try:
        with path.open("rb") as stream:
            size = path.stat().st_size
            return _identify(stream, size)
    except OSError as exc:
        raise ArtworkError(f"cannot read {path}: {exc.strerror or exc}") from exc


def read_bytes(head: bytes, size: int | None) -> Artwork:
    """The header of an image from its first bytes (`size`: the whole file's, when known).

    Raises:
        ArtworkError: not an image, or its header does not fit in `head`.
    """
    return _identify(io.BytesIO(head), size)


def _identify(stream: io.BufferedIOBase | io.BytesIO | object, size: int | None) -> Artwork:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # DecompressionBombWarning: we never decode
            with Image.open(stream) as image:  # type: ignore[arg-type]
                transparent = "transparency" in image.info
                return Artwork(
                    format=image.format or "unknown",
                    width=image.width,
                    height=image.height,
                    mode=image.mode,
                    has_transparency=transparent,
                    size=size,
                )
    except UnidentifiedImageError as exc:
        raise ArtworkError("not an image Pillow can read (JPEG or PNG expected)") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ArtworkError(f"damaged or truncated image header ({exc})") from exc
