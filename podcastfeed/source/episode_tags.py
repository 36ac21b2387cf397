"""Front-matter keys for an item's optional tags: itunes title/block, the Podcast Index
namespace (transcripts, chapters, persons, soundbites …) and sibling files found beside the
episode. Pure apart from checking that local files exist.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

from podcastfeed.errors import Problem, shorten
from podcastfeed.model import (
    EMPTY_EPISODE_TAGS,
    MIME_BY_EXTENSION,
    AlternateEnclosure,
    Chapter,
    EpisodeTags,
    Integrity,
    Linked,
    Person,
    Show,
    Soundbite,
)
from podcastfeed.source import assets
from podcastfeed.source import tagvalues as tv
from podcastfeed.source.audiofields import line_of
from podcastfeed.source.chapters import JSON_CHAPTERS_TYPE, parse_time
from podcastfeed.source.config import TAG_FIELDS, BuildSettings
from podcastfeed.source.fields import ALIASES, FieldReader
from podcastfeed.source.localref import find_local, find_written, url_path
from podcastfeed.source.tables import clean_ref, clean_text
from podcastfeed.source.value import read_episode_value
from podcastfeed.source.wordpress import decode_entities
from podcastfeed.values import (
    LANGUAGE,
    LINK_SCHEMES,
    parse_link,
    require_bool,
    require_positive_int,
    url_scheme,
)

T = TypeVar("T")

#: The front-matter keys of the fields this module reads (config.TAG_FIELDS; fields.ALIASES).
_TAG_KEYS = frozenset(key for name in TAG_FIELDS for key in ALIASES[name])

#: Transcript types by extension (docs/tags/transcript.md).
TRANSCRIPT_TYPES = {
    ".vtt": "text/vtt",
    ".srt": "application/x-subrip",
    ".html": "text/html",
    ".htm": "text/html",
    ".json": "application/json",
    ".txt": "text/plain",
}
#: Files next to `<slug>.md` that become its transcript or chapters without front matter.
SIBLING_SUFFIXES = (".vtt", ".srt", ".chapters.json")


def read_number(f: FieldReader) -> tuple[int | None, str | None]:
    """(itunes:episode, podcast:episode) from `episode`: a decimal such as 100.5 is only
    podcast:episode (Apple's is a whole number)."""
    written = _get(f, "episode", tv.decimal)
    if written is None:
        return None, None
    return (int(written) if written.isdigit() else None), written


def read_episode_tags(
    f: FieldReader,
    show: Show,
    settings: BuildSettings,
    *,
    slug: str,
    duration: int | None,
    siblings: tuple[str, ...] = (),
    other_formats: tuple[str, ...] = (),
) -> EpisodeTags:
    """The optional tags of one episode; problems go to f.problems.

    Args:
        slug: the episode file's path in the episodes folder without its suffix
            (`2024/intro`): where its local transcripts and chapters are published.
        other_formats: the audio in other formats (`ogg:`, octopod's `audio: {m4a: …}`),
            written as alternate enclosures after those of `alternate_enclosures`.
    """
    if not siblings and _TAG_KEYS.isdisjoint(f.meta) and not f.fields and not other_formats:
        return EMPTY_EPISODE_TAGS  # the common case: one set operation

    def get(name: str, parse: Callable[[Any], T]) -> T | None:
        return _get(f, name, parse)

    def local_or_url(ref: object) -> tuple[str | None, Path | None]:
        if not isinstance(ref, str) or not clean_ref(ref):
            raise ValueError(f"must be an https:// URL or a file path (got {shorten(ref)})")
        ref = clean_ref(ref)  # (a control character was a traceback writing the feed)
        if url_scheme(ref) in LINK_SCHEMES:
            return tv.https_url(ref), None
        if url_scheme(ref):  # javascript:, data:, file: … (issue 12)
            raise ValueError(f"must be an https:// URL or a file path (got {shorten(ref)})")
        return None, _find(ref, f.path.parent, settings, find_local)

    published: list[str] = []

    def transcript(value: object) -> Linked:
        data = (
            {"url": value}
            if isinstance(value, str)
            else tv.table(value, tv.TABLE_KEYS["transcript"], {"url"})
        )
        url, path = local_or_url(data["url"])
        suffix = (path or Path(urlsplit(str(data["url"])).path)).suffix.lower()  # ("a #1.vtt")
        mime = tv.field(data, "type", lambda v: tv.text(v, 128)) or TRANSCRIPT_TYPES.get(suffix)
        if mime is None or mime not in TRANSCRIPT_TYPES.values():
            raise ValueError(
                f"'type' must be one of {', '.join(sorted(set(TRANSCRIPT_TYPES.values())))} "
                f"(got {shorten(mime or suffix or 'no extension')})"
            )
        language = tv.field(data, "language", str)
        if language is not None and not LANGUAGE.match(language):
            raise ValueError(
                f"'language' must be a language code like 'en' (got {shorten(language)})"
            )
        rel = tv.field(data, "rel", str)
        if rel not in (None, "captions"):
            raise ValueError(f"'rel' must be 'captions' (got {shorten(rel)})")
        if path is not None:
            name = assets.transcript_name(slug, suffix, published)
            published.append(name)
            return Linked(assets.asset_url(show.feed_url, name), mime, path, name, language, rel)
        assert url is not None
        return Linked(url, mime, language=language, rel=rel)

    inline: list[Chapter] = []

    def chapters(value: object) -> Linked:
        if isinstance(value, dict) and isinstance(value.get("chapters"), list):
            value = value["chapters"]  # a JSON chapters file written inline (rpodcast/castanet)
        if isinstance(value, list):
            inline.extend(tv.several(value, lambda item: chapter(_json_chapter(item))))
            name = assets.chapters_name(slug)
            return Linked(assets.asset_url(show.feed_url, name), JSON_CHAPTERS_TYPE, None, name)
        url, path = local_or_url(value)
        if path is not None:
            name = assets.chapters_name(slug)
            return Linked(assets.asset_url(show.feed_url, name), JSON_CHAPTERS_TYPE, path, name)
        assert url is not None
        return Linked(url, JSON_CHAPTERS_TYPE)

    def soundbite(value: object) -> Soundbite:
        data = tv.table(value, tv.TABLE_KEYS["soundbites"], {"start", "duration"})
        start = tv.field(data, "start", parse_time) or 0.0
        length = tv.field(data, "duration", parse_time) or 0.0
        if length <= 0:
            raise ValueError(f"'duration' must be above 0 (got {shorten(data['duration'])})")
        if duration is not None and start + length > duration:
            raise ValueError(_outside(start, length, duration))
        return Soundbite(start, length, tv.field(data, "title", lambda v: tv.text(v, 128)))

    def alternate(value: object) -> AlternateEnclosure:
        data = tv.table(value, tv.TABLE_KEYS["alternate_enclosures"], {"url"})
        ref, path = clean_ref(str(data["url"])), None
        if url_scheme(ref) in LINK_SCHEMES:
            url = parse_link(ref)  # without `length`, the build measures it (the lock keeps it)
        elif url_scheme(ref):  # javascript:, data:, file: … (issue 12)
            raise ValueError(f"'url' must be an http(s) URL or a file path (got {ref!r})")
        else:
            ref, path = _find(ref, f.path.parent, settings, find_written)
            if show.audio_base_url is None:
                raise ValueError("'url' is a local file, but feed.toml sets no audio_base_url")
            written = url_path(ref, path, settings.source_folders)
            url = show.audio_base_url + quote(written, safe="/")
        suffix = (path or Path(urlsplit(ref).path)).suffix.lower()  # (a file's: "a #1.ogg")
        mime = tv.field(data, "type", lambda v: tv.text(v, 128)) or MIME_BY_EXTENSION.get(suffix)
        if mime is None:
            raise ValueError(
                f"needs 'type': {shorten(suffix or 'no extension')} is not a known type"
            )
        integrity = None
        if "integrity" in data:
            raw = tv.table(data["integrity"], {"type", "value"}, {"type", "value"})
            if raw["type"] not in ("sri", "pgp-signature"):
                raise ValueError(
                    f"'integrity.type' must be sri or pgp-signature (got {shorten(raw['type'])})"
                )
            integrity = Integrity(str(raw["type"]), tv.text(raw["value"], 4000))
        return AlternateEnclosure(
            url=url,
            mime_type=mime,
            length=tv.field(data, "length", require_positive_int),
            bitrate=tv.field(data, "bitrate", lambda v: float(tv.decimal(v))),
            title=tv.field(data, "title", lambda v: tv.text(v, 32)),
            integrity=integrity,
            path=path,
            line=line_of(f, f.key_for("alternate_enclosures")),  # (for a probe's error)
        )

    persons = get("persons", lambda v: tv.several(v, tv.person)) or ()
    for warning in tv.person_warnings(persons):
        f.problem("persons", warning, level="warning")
    transcripts = get("transcript", lambda v: tv.several(v, transcript)) or ()
    # `chapters: false`: none, not even from the show notes' times (issue 16)
    linked_chapters = None if f.raw("chapters") is False else get("chapters", chapters)

    def sibling(name: str, read: Callable[[str], Linked]) -> Linked | None:
        try:
            return read(name)
        except ValueError as exc:
            f.problem(None, f"{name} (beside the episode) {exc}")
            return None

    if f.key_for("transcript") is None:
        found = (sibling(n, transcript) for n in siblings if not n.endswith(".chapters.json"))
        transcripts = tuple(linked for linked in found if linked is not None)
    if f.key_for("chapters") is None and f"{f.path.stem}.chapters.json" in siblings:
        linked_chapters = sibling(f"{f.path.stem}.chapters.json", chapters)
    return EpisodeTags(
        itunes_title=get("itunes_title", _one_line(255)),
        itunes_author=get("itunes_author", _one_line(255)),
        is_blocked=bool(get("block", _yes)),
        season_name=get("season_name", _one_line(128)),
        episode_display=get("episode_display", _one_line(32)),
        transcripts=transcripts,
        chapters=linked_chapters,
        inline_chapters=tuple(inline),
        persons=_persons(f, show, persons),
        soundbites=get("soundbites", lambda v: tv.several(v, soundbite)) or (),
        locations=get("location", lambda v: tv.several(v, tv.location)) or (),
        license=get("license", tv.license_),
        images=get("images", lambda v: tv.several(v, lambda i: tv.image(_social(i, show)))) or (),
        alternate_enclosures=(
            *(get("alternate_enclosures", lambda v: tv.several(v, alternate)) or ()),
            *_other_formats(f, other_formats, alternate),
        ),
        value=read_episode_value(f),
    )


def _social(value: object, show: Show) -> object:
    """An `images` entry that is a path, not a URL, is one of Hugo's social images (its
    `images` front matter, a list such as `["img/social/ep12.png"]` that its OpenGraph
    template publishes from the site's root, as castanet's archetype and
    arresteddevops/ado-hugo write it): published from `[show] link` with purpose `social`.
    It was an error ("must be an https:// URL") that stopped the build."""
    if not isinstance(value, str) or not value.strip() or urlsplit(value.strip()).scheme:
        return value
    path = value.strip()
    if path.startswith("//") or ".." in path.split("/"):  # a URL, or out of the site: refused
        return value
    href = f"{show.link.rstrip('/')}/{quote(path.lstrip('/'), safe='/%')}"
    return {"href": href, "purpose": "social"}


def _persons(f: FieldReader, show: Show, own: tuple[Person, ...]) -> tuple[Person, ...]:
    """The episode's persons, after the show's unless `persons_replace: true` (item persons
    replace the channel's in apps, so a guest alone would leave the episode without its host)."""
    replaces = _get(f, "persons_replace", require_bool)
    if replaces and f.key_for("persons") is None:
        f.problem(
            "persons_replace",
            "has nothing to replace the show's persons with: the episode lists no persons",
            hint="list the episode's persons, or remove persons_replace",
            level="warning",
        )
    return own if replaces or not own else tv.with_show_persons(show.tags.persons, own)


def _other_formats(
    f: FieldReader, refs: tuple[str, ...], alternate: Callable[[object], AlternateEnclosure]
) -> list[AlternateEnclosure]:
    found = []
    for ref in refs:
        try:
            found.append(alternate({"url": ref}))
        except ValueError as exc:
            f.problem("other_formats", f"(another format of the audio) {exc}")
    return found


#: Keys of a JSON chapter (the namespace's chapters format) an inline chapter has no use for:
#: the table of contents flag, the end, the place.
_JSON_ONLY = frozenset({"toc", "endTime", "location"})


def _json_chapter(value: object) -> object:
    """A chapter as the JSON chapters format writes it (`{startTime: 115, title: …}`) in the
    inline form (`{start: 115, title: …}`); any other value as it is."""
    if not isinstance(value, dict) or "startTime" not in value or "start" in value:
        return value
    return {
        "start" if key == "startTime" else key: item
        for key, item in value.items()
        if key not in _JSON_ONLY
    }


def chapter(value: object) -> Chapter:
    data = tv.table(value, tv.TABLE_KEYS["chapters"], {"start", "title"})
    return Chapter(
        start=tv.field(data, "start", parse_time) or 0.0,
        title=tv.text(data["title"], 128),
        url=tv.field(data, "url", tv.https_url),
        img=tv.field(data, "img", tv.https_url),
    )


def soundbite_problems(
    display: str, soundbites: tuple[Soundbite, ...], duration: int
) -> list[Problem]:
    """A problem for each soundbite that ends after the episode (known once it is measured)."""
    return [
        Problem("error", "'soundbites' " + _outside(s.start, s.duration, duration), display)
        for s in soundbites
        if s.start + s.duration > duration
    ]


def _outside(start: float, length: float, duration: int) -> str:
    return (
        f"must lie inside the episode's {duration} s "
        f"(got start {start:g} s + duration {length:g} s = {start + length:g} s)"
    )


def _find(ref: str, beside: Path, settings: BuildSettings, find: Callable[..., T]) -> T:
    """`find(ref, ...)`: the file `ref` beside the episode or in the show (inside the show's
    source folders): localref.find_local, or find_written (with the reference that names it).

    Raises:
        ValueError: there is none, or it lies outside them.
    """
    try:
        return find(ref, (beside, settings.root), settings.source_folders)
    except ValueError as exc:
        if str(exc).startswith("file not found"):
            raise ValueError(f"{exc} (looked beside the episode and in the show)") from None
        raise


def _one_line(limit: int) -> Callable[[object], str]:
    """tv.text with HTML entities decoded once, as in the title (fields.ONE_LINE_FIELDS):
    WordPress writes `&amp;` and `&#8211;` into these too."""

    def parse(value: object) -> str:
        text = tv.text(value, limit)
        decoded = clean_text(decode_entities(text)) if "&" in text else text
        if not decoded:
            raise ValueError(f"must not be empty: XML cannot carry its characters (got {text!r})")
        return decoded

    return parse


def _yes(value: object) -> bool:
    if isinstance(value, str) and value.strip().lower() in ("yes", "no"):
        return value.strip().lower() == "yes"
    return require_bool(value)


def _get(f: FieldReader, name: str, parse: Callable[[Any], T]) -> T | None:
    value = f.raw(name)
    if value is None:
        return None
    try:
        return parse(value)
    except ValueError as exc:
        f.problem(name, str(exc))
        return None
