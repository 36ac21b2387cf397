"""What a cover image is: format, pixel size, colour mode, transparency.

For a URL the caller passes the first bytes of a ranged read (remote.read_head) and Pillow reads
only the header (`Image.open` is lazy: no pixel is decoded). A local file is decoded in full, so
a truncated or damaged one is found before it is published; an image of more pixels than
Pillow's decompression-bomb limit is refused unread (its header says how big it is).
"""

from __future__ import annotations

import io
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

#: Enough for the header of almost every JPEG (EXIF and ICC profiles come before the frame).
HEAD_BYTES = 256 * 1024

#: Local images up to this many pixels are decoded in full (a truncated file is found); a larger
#: one is far above the 3000 × 3000 directories take, and its header says so (artwork-size).
DECODE_PIXELS = 4000 * 4000

#: The format each file extension promises.
FORMAT_BY_EXTENSION = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}


def misnamed(suffix: str, found: str) -> str | None:
    """The format a file extension promises (`.jpg`: JPEG) when the file is another (`found`,
    Pillow's name); None when it keeps its promise or promises nothing."""
    promised = FORMAT_BY_EXTENSION.get(suffix.lower())
    return promised if promised is not None and promised != found else None


def extension_for(found: str) -> str:
    """The usual extension of a JPEG or PNG file."""
    return ".png" if found == "PNG" else ".jpg"


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
    """A local image file, decoded in full when it is not far too big to use anyway.

    Raises:
        ArtworkError: unreadable, not an image, truncated or damaged, or more pixels than
            Pillow decodes (a decompression bomb).
    """
    try:
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            return _identify(stream, size, decode=True)
    except OSError as exc:
        raise ArtworkError(f"cannot read {path}: {exc.strerror or exc}") from exc


def read_bytes(head: bytes, size: int | None) -> Artwork:
    """The header of an image from its first bytes (`size`: the whole file's, when known).

    Raises:
        ArtworkError: not an image, or its header does not fit in `head`.
    """
    return _identify(io.BytesIO(head), size)


def _identify(
    stream: io.BufferedIOBase | io.BytesIO | object, size: int | None, *, decode: bool = False
) -> Artwork:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # DecompressionBombWarning: checked below
            with Image.open(stream) as image:  # type: ignore[arg-type]
                pixels = image.width * image.height
                limit = Image.MAX_IMAGE_PIXELS or 0
                if limit and pixels > limit:
                    raise ArtworkError(_too_big(f"{image.width} × {image.height} px"))
                if decode and pixels <= DECODE_PIXELS:
                    try:
                        image.load()
                    except (OSError, SyntaxError, ValueError, EOFError) as exc:
                        raise ArtworkError(f"damaged or truncated image ({exc})") from exc
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
    except Image.DecompressionBombError as exc:  # over twice the limit: Image.open refuses it
        found = re.search(r"\((\d+) pixels\)", str(exc))
        raise ArtworkError(_too_big(f"{int(found[1]):,} pixels" if found else "it")) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ArtworkError(f"damaged or truncated image header ({exc})") from exc


def _too_big(size: str) -> str:
    limit = Image.MAX_IMAGE_PIXELS or 0
    return f"{size} is more than the {limit:,} pixels Pillow decodes (a decompression bomb?)"
