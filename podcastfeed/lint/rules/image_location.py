"""Rules on podcast:image (and the podcast:images it replaces) and podcast:location, as the
namespace's tag pages read today (docs/tags/image.md, docs/tags/location.md revised in 2025).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from podcastfeed.lint.base import Feed, Hit, is_absolute_url, rule, text_of
from podcastfeed.xmlns import PODCAST, PODCAST_LEGACY

PI_TAGS = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/tags/"
_RATIO = re.compile(r"^\d+(\.\d+)?\s*(/\s*\d+(\.\d+)?)?$")  # CSS <ratio>: 16/9, 1.5
_MIME = re.compile(r"^[a-z]+/[a-z0-9][a-z0-9!#$&^_.+-]*$", re.I)
_GEO = re.compile(r"^geo:-?\d+(\.\d+)?,-?\d+(\.\d+)?(,-?\d+(\.\d+)?)?(;[a-z0-9-]+=[^;]+)*$", re.I)
_OSM = re.compile(r"^[NWR]\d+(#\d+)?$")
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
_REL = ("subject", "creator")


def _tags(feed: Feed, name: str) -> Iterator[etree._Element]:
    """podcast:NAME in the channel and every item (current or legacy namespace URI)."""
    for parent in (feed.channel, *feed.items):
        yield from parent.iterchildren(f"{{{PODCAST}}}{name}", f"{{{PODCAST_LEGACY}}}{name}")


@rule(
    "podcastindex/image",
    "error",
    "podcast:image has an href; its width, height, aspect-ratio and type are well formed",
    PI_TAGS + "image.md",
)
def podcast_image(feed: Feed) -> Iterator[Hit]:
    """`podcast:image` (channel or episode, one tag per image) needs `href`, the image's
    absolute URL. Its optional attributes have a form apps rely on to pick an image: `width`
    and `height` in whole pixels, `aspect-ratio` in CSS syntax (`1/1`, `16/9`), `type` a MIME
    type (`image/jpeg`, `video/mp4`). (`alt` and `purpose` are free text; `purpose` is held to 128
    characters by `podcastindex/text-length`.)"""
    for element in _tags(feed, "image"):
        href = (element.get("href") or "").strip()
        if not href:
            yield Hit(element, "podcast:image has no href", key="images")
        elif not is_absolute_url(href):
            yield Hit(
                element, f"podcast:image href must be an absolute URL (got {href!r})", key="images"
            )
        for name in ("width", "height"):
            value = element.get(name)
            if value is not None and not (value.strip().isdigit() and int(value) > 0):
                yield Hit(
                    element,
                    f"podcast:image {name} must be a whole number of pixels (got {value!r})",
                    key="images",
                )
        for name, pattern, example in (
            ("aspect-ratio", _RATIO, "1/1 or 16/9"),
            ("type", _MIME, "image/jpeg or video/mp4"),
        ):
            value = element.get(name)
            if value is not None and not pattern.match(value.strip()):
                yield Hit(
                    element,
                    f"podcast:image {name} must be like {example} (got {value!r})",
                    key="images",
                )


@rule(
    "podcastindex/images-deprecated",
    "warning",
    "podcast:images (srcset) is deprecated: one podcast:image per image",
    PI_TAGS + "images-(deprecated).md",
)
def images_deprecated(feed: Feed) -> Iterator[Hit]:
    """The namespace deprecated `podcast:images`, a `srcset` list of `URL WIDTHw` entries, in
    favour of `podcast:image`: one tag per image, with `href` and optionally `width`, `height`,
    `aspect-ratio`, `alt`, `type` and `purpose`. Apps that read the new tag ignore the old one.
    (podcastfeed reads its `images` key, in either syntax, as podcast:image tags.)"""
    for element in _tags(feed, "images"):
        entries = [e.split() for e in (element.get("srcset") or "").split(",") if e.strip()]
        first = entries[0] if entries else []
        width = first[1].rstrip("wW") if len(first) > 1 else ""
        example = (
            f'<podcast:image href="{first[0]}"' + (f' width="{width}"' if width.isdigit() else "")
            if first
            else "<podcast:image href=…"
        )
        yield Hit(
            element,
            "podcast:images is deprecated: write a podcast:image for each image"
            + (f" ({len(entries)} in its srcset)" if len(entries) > 1 else ""),
            hint=f"e.g. {example}/>",
            key="images",
        )


@rule(
    "podcastindex/location",
    "warning",
    "podcast:location names a place; its rel, geo, osm and country are well formed",
    PI_TAGS + "location.md",
)
def location(feed: Feed) -> Iterator[Hit]:
    """`podcast:location` (channel or episode, several allowed since the 2025 revision) names a
    place in its text (not blank, at most 128 characters). Its attributes: `rel` is `subject`
    (what the content is about, the default) or `creator` (where it is made); `geo` a geo URI
    (RFC 5870, `geo:30.2672,-97.7431`); `osm` an OpenStreetMap type letter and id (`R113314`);
    `country` an ISO 3166-1 alpha-2 code (`US`). A malformed value places the show wrongly or
    not at all."""
    for element in _tags(feed, "location"):
        name = text_of(element) or ""
        if not name:
            yield Hit(element, "podcast:location has no place name", key="location")
        elif len(name) > 128:
            yield Hit(
                element,
                f"podcast:location is {len(name):,} characters (at most 128): {name[:40]!r}…",
                key="location",
            )
        checks = (
            ("rel", lambda v: v in _REL, "subject or creator"),
            ("geo", _GEO.match, "a geo URI like geo:30.2672,-97.7431"),
            ("osm", _OSM.match, "an OpenStreetMap id like R113314"),
            ("country", _COUNTRY.match, "an ISO 3166-1 alpha-2 code like US"),
        )
        for attribute, valid, expected in checks:
            value = element.get(attribute)
            if value is not None and not valid(value.strip()):
                yield Hit(
                    element,
                    f"podcast:location {attribute} must be {expected} (got {value!r})",
                    key="location",
                )
