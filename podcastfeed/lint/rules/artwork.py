"""Rules on the cover art (show and episodes): format, size, colour mode, file size.

A local image is always checked, decoded in full (a truncated file is found): the show's own
local artwork (`[show] image = "cover.jpg"`, published beside the feed) or a path in a feed
file, inside the feed file's folder (a feed read from a URL names no local file). An http(s)
one only with --online, through a ranged read of its first bytes, whose header Pillow reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from lxml import etree

from podcastfeed.lint.base import Feed, Hit, rule
from podcastfeed.media import artwork
from podcastfeed.media.artwork import Artwork, ArtworkError
from podcastfeed.source.localref import find_local

APPLE_ARTWORK = "https://podcasters.apple.com/support/896-artwork-requirements"
MIN_SIDE, MAX_SIDE = 1400, 3000
MAX_BYTES = 512 * 1024
BAD_MODES = {
    "CMYK": "CMYK",
    "YCbCr": "YCbCr",
    "LAB": "Lab",
    "I": "32-bit integer",
    "F": "32-bit float",
    "I;16": "16-bit grey",
    "1": "1-bit black and white",
}


def _read(feed: Feed, href: str) -> Artwork | ArtworkError | None:
    """The image's facts; None when it cannot be looked at (a URL without --online)."""
    if href in feed.artwork_cache:
        return feed.artwork_cache[href]
    scheme = urlsplit(href).scheme.lower()
    result: Artwork | ArtworkError | None = None
    local = feed.origin.artwork.get(href) if feed.origin is not None else None
    if local is not None:  # our own build's local file, published at this URL
        try:
            result = artwork.read_file(local[0])
        except ArtworkError as exc:
            result = exc
    elif scheme in ("http", "https"):
        if feed.online is not None:
            result = feed.online.artwork(href)
    elif scheme in ("", "file") and feed.base is not None:
        # Only a feed file's own folder, by the one rule for local files (localref.py): a feed
        # (a URL's above all) naming /etc/passwd, ../secret.jpg, /dev/stdin or a link out of
        # it must not have `check` read, or say anything of, a file elsewhere.
        written = unquote(urlsplit(href).path) if scheme == "file" else href
        try:
            base = (feed.base,)
            path = find_local(written, base, (feed.base.resolve(),), inside="the feed's folder")
            result = artwork.read_file(path)
        except ValueError as exc:
            result = ArtworkError(str(exc))
        except ArtworkError as exc:
            result = exc
    feed.artwork_cache[href] = result
    return result


def _images(feed: Feed) -> Iterator[tuple[etree._Element, str, Artwork | ArtworkError]]:
    """(element, the image's name as the user knows it, its facts) for each image looked at."""
    for parent in (feed.channel, *feed.items):
        for element in feed.findall(parent, "itunes:image"):
            href = (element.get("href") or "").strip()
            found = _read(feed, href) if href else None
            if found is not None:
                yield element, _name(feed, href), found


def _name(feed: Feed, href: str) -> str:
    """A local file's path in the show; else the URL's or path's file name."""
    local = feed.origin.artwork.get(href) if feed.origin is not None else None
    return local[1] if local is not None else PurePosixPath(urlsplit(href).path).name or href


@rule(
    "apple/artwork-format",
    "error",
    "Artwork is a JPEG or PNG file that is what its name says",
    APPLE_ARTWORK,
)
def artwork_format(feed: Feed) -> Iterator[Hit]:
    """Cover art must be a JPEG or PNG image, and its bytes must match its extension (a PNG named
    `.jpg` is rejected by some apps and CDNs send it with the wrong type)."""
    for element, name, found in _images(feed):
        if isinstance(found, ArtworkError):
            yield Hit(element, f"artwork {name} cannot be read: {found}", key="image")
            continue
        if found.format not in ("JPEG", "PNG"):
            yield Hit(
                element,
                f"artwork {name} is {found.format}, not JPEG or PNG",
                hint="save it as JPEG or PNG",
                key="image",
            )
            continue
        promised = artwork.misnamed(PurePosixPath(name).suffix, found.format)
        if promised:
            yield Hit(
                element,
                f"artwork {name} is a {found.format} file named as {promised}",
                hint=f"rename it to {artwork.extension_for(found.format)}",
                key="image",
            )


#: Image formats Apple Podcasts does not take, by the extension of an artwork URL.
NOT_TAKEN = {".gif": "GIF", ".webp": "WebP", ".svg": "SVG", ".avif": "AVIF", ".heic": "HEIC"}
NOT_TAKEN |= {".bmp": "BMP", ".tif": "TIFF", ".tiff": "TIFF"}


@rule(
    "apple/artwork-url-format",
    "warning",
    "Artwork URLs do not end in .gif, .webp or another format Apple does not take",
    APPLE_ARTWORK,
)
def artwork_url_format(feed: Feed) -> Iterator[Hit]:
    """An artwork URL ending in `.gif`, `.webp`, `.svg` (…) most likely serves that format,
    and Apple Podcasts takes only JPEG and PNG; offline the image itself is not
    looked at, so this is a warning (online, `check` reads it: apple/artwork-format)."""
    for parent in (feed.channel, *feed.items):
        for element in feed.findall(parent, "itunes:image"):
            href = (element.get("href") or "").strip()
            local = feed.origin is not None and href in feed.origin.artwork
            kind = NOT_TAKEN.get(PurePosixPath(urlsplit(href).path).suffix.lower())
            if kind and not local and feed.online is None:
                yield Hit(
                    element,
                    f"artwork {href} is named as {kind}: Apple takes JPEG or PNG",
                    hint="export it as JPEG or PNG",
                    key="image",
                )


@rule("apple/artwork-size", "error", "Artwork is square, 1400 to 3000 pixels a side", APPLE_ARTWORK)
def artwork_size(feed: Feed) -> Iterator[Hit]:
    """Apple requires square cover art of at least 1400 × 1400 and at most 3000 × 3000 pixels;
    Spotify and the others accept the same (3000 × 3000 is the usual choice)."""
    for element, name, found in _images(feed):
        if isinstance(found, ArtworkError):
            continue
        size = f"{found.width} × {found.height}"
        if found.width != found.height:
            yield Hit(
                element,
                f"artwork {name} is not square ({size} px)",
                hint="crop it to a square of 1400-3000 px",
                key="image",
            )
        elif not MIN_SIDE <= found.width <= MAX_SIDE:
            yield Hit(
                element,
                f"artwork {name} is {size} px (must be 1400-3000 a side)",
                hint="export it at 3000 × 3000",
                key="image",
            )


@rule(
    "apple/artwork-color",
    "error",
    "Artwork is RGB: not CMYK, not a palette with transparency",
    APPLE_ARTWORK,
)
def artwork_color(feed: Feed) -> Iterator[Hit]:
    """Apple wants cover art in the RGB colour space. CMYK images (print exports) are rejected
    or shown with wrong colours, and a palette or grey image with a transparent colour shows
    black or white where the transparency was."""
    for element, name, found in _images(feed):
        if isinstance(found, ArtworkError):
            continue
        if found.mode in BAD_MODES:
            yield Hit(
                element,
                f"artwork {name} is {BAD_MODES[found.mode]}, not RGB",
                hint="convert it to RGB (sRGB)",
                key="image",
            )
        elif found.has_transparency and found.mode in ("P", "L", "LA", "PA"):
            yield Hit(
                element,
                f"artwork {name} is a {found.mode} image with a transparent colour",
                hint="save it as RGB without transparency",
                key="image",
            )


@rule("apple/artwork-file-size", "warning", "Artwork files are at most 512 KB", APPLE_ARTWORK)
def artwork_file_size(feed: Feed) -> Iterator[Hit]:
    """Apple and several hosting guides advise keeping cover art small (a few hundred KB) because
    every app downloads it; podcastfeed warns above 512 KB (the figure most hosts cite; Apple's
    own page asks for a compressed image without stating a number)."""
    for element, name, found in _images(feed):
        if isinstance(found, ArtworkError) or found.size is None:
            continue
        if found.size > MAX_BYTES:
            yield Hit(
                element,
                f"artwork {name} is {found.size / 1024:,.0f} KB (at most 512 KB)",
                hint="compress it (JPEG quality 80-90)",
                key="image",
            )
