"""Starting files: a new episode (`podcastfeed new`) and a new show (`podcastfeed init`).

The texts are built here without I/O; `create` writes a file only if it does not exist yet.
Prompting for answers is the CLI's job.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from podcastfeed.errors import PodcastfeedError, Problem, quote_name, shorten
from podcastfeed.files import what_it_is
from podcastfeed.model import AudioInfo
from podcastfeed.values import check_date_range, format_clock


def episodes_folder(config_path: Path) -> Path:
    """Where a new episode goes: the `[build] episodes` folder of `config_path` (relative to
    the working folder), else `episodes` when there is no such file or it cannot be read
    (`podcastfeed build` will say what is wrong with it)."""
    from podcastfeed.source.config import load_config  # tomllib and the show's rules: only here

    if config_path.is_file():
        try:
            return Path(os.path.relpath(load_config(config_path).build.episodes_dir))
        except PodcastfeedError:
            pass
    return Path("episodes")


def slugify(title: str) -> str:
    """A file-name slug: lower-case ASCII letters and digits joined by hyphens (at most 60).
    Letters of every script are spelt in ASCII (anyascii: "Straße" strasse, "Łódź" lodz,
    "Привет" privet, "日本語" ribenyu; they were dropped, and a title with no Latin letter was
    "episode", one a day); symbols and emoji go. ASCII, as a name must be the same on every
    file system (macOS keeps "é" and Hangul decomposed: a page's path would differ)."""
    from anyascii import anyascii

    words = "".join(
        char if unicodedata.category(char)[0] in "LMN" else " "
        for char in unicodedata.normalize("NFC", title)
    )
    slug = re.sub(r"[^a-z0-9]+", "-", anyascii(words).lower()).strip("-")
    return slug[:60].rstrip("-") or "episode"


def _yaml_string(value: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def episode_text(
    title: str,
    *,
    when: date | datetime,
    guid: str,
    audio: str | None = None,
    info: AudioInfo | None = None,
    publish: bool = False,
) -> str:
    """The front matter and a stub of show notes for a new episode file."""
    status = "publish" if publish else "draft  # change to publish when it is ready"
    if audio:
        measured = (
            f"  # {format_clock(info.seconds)}, {info.size:,} bytes, {info.mime_type} "
            "(measured by podcastfeed new; the build measures it again)"
            if info
            else ""
        )
        audio_line = f"audio: {_yaml_string(audio)}{measured}"
    else:
        audio_line = "audio:  # a file (relative to this one) or a URL; needed to publish"
    return (
        "---\n"
        f"title: {_yaml_string(title)}\n"
        f"date: {when.isoformat()}\n"
        f"status: {status}\n"
        f"guid: {guid}  # never change it once published\n"
        f"{audio_line}\n"
        'excerpt: ""  # one or two sentences for podcast apps; default: from the notes\n'
        "---\n\n"
        f"Show notes for {title} in **Markdown**.\n"
    )


def episode_date(written: str | None) -> date | datetime:
    """`new --date`: YYYY-MM-DD or an ISO 8601 date-time from 1970 to 2100 (the range every
    date podcastfeed reads is held to), or now when None.

    Raises:
        ValueError: with what the date must be.
    """
    if written is None:
        return datetime.now().astimezone().replace(microsecond=0)
    try:
        day = date.fromisoformat(written) if len(written) == 10 else datetime.fromisoformat(written)
    except ValueError:
        raise ValueError("must be YYYY-MM-DD or an ISO 8601 date-time") from None
    check_date_range(day)  # its message says the range
    return day


def episode_name(title: str, when: date | datetime) -> str:
    day = when.date() if isinstance(when, datetime) else when
    return f"{day.isoformat()}-{slugify(title)}.md"


NEW_EPISODE_HINT = "choose another title or --date"


def create(path: Path, text: str, *, hint: str | None = NEW_EPISODE_HINT) -> None:
    """Write `text` to a new file at `path` (folders made as needed); `hint` goes with the
    error for a file already there.

    Raises:
        PodcastfeedError: the file exists already, or cannot be written (no part of it is
            left behind).
    """
    data = text.encode("utf-8")  # before the file exists: a lone surrogate left it empty
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file, a pipe or a dangling link where the folder goes
        raise PodcastfeedError(
            f"cannot write: {quote_name(path.parent)} is not a folder", source=path
        ) from None
    except OSError as exc:
        raise PodcastfeedError(f"cannot write: {exc.strerror}", source=path) from exc
    try:
        stream = path.open("xb")
    except FileExistsError:
        raise PodcastfeedError("exists already; not overwritten", source=path, hint=hint) from None
    except OSError as exc:
        raise PodcastfeedError(f"cannot write: {exc.strerror}", source=path) from exc
    try:
        with stream:
            stream.write(data)
    except BaseException as exc:
        path.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise PodcastfeedError(f"cannot write: {exc.strerror}", source=path) from exc
        raise


class NewFiles:
    """The files and folders `podcastfeed init` makes, removed again if it fails part-way
    (a dangling .gitignore link, a file named episodes): nothing half-made is left behind."""

    def __init__(self) -> None:
        self.made: list[Path] = []

    def folder(self, path: Path) -> None:
        missing = [path, *path.parents]
        missing = [p for p in missing if not os.path.lexists(p)]
        path.mkdir(parents=True, exist_ok=True)  # create() says what is in the way
        self.made.extend(reversed(missing))

    def create(self, path: Path, text: str, *, hint: str | None) -> None:
        with contextlib.suppress(OSError):
            self.folder(path.parent)
        create(path, text, hint=hint)
        self.made.append(path)

    def copy(self, source: Path, target: Path) -> None:
        self.folder(target.parent)
        shutil.copyfile(source, target)
        self.made.append(target)

    def undo(self) -> None:
        for path in reversed(self.made):
            with contextlib.suppress(OSError):  # a folder someone else wrote in stays
                if path.is_dir() and not path.is_symlink():
                    path.rmdir()
                else:
                    path.unlink()
        self.made.clear()


#: `podcastfeed init`'s defaults that are no one's: a feed.toml keeping one has a `# TODO:`
#: above it, which `podcastfeed check` reports until it is done (rule podcastfeed/todo).
PLACEHOLDER_AUTHOR = "Your Name"
PLACEHOLDER_EMAIL = "you@example.org"
PLACEHOLDER_LINK = "https://example.org"


@dataclass(frozen=True)
class ShowAnswers:
    """What `podcastfeed init` asks for."""

    title: str
    description: str
    author: str
    email: str
    link: str
    language: str
    category: str
    image: str
    explicit: bool = False

    @property
    def feed_url(self) -> str:
        return self.link.rstrip("/") + "/feed.xml"


def _toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def _todo(placeholder: bool, what: str) -> str:
    return f"# TODO: {what}\n" if placeholder else ""


def feed_toml(answers: ShowAnswers) -> str:
    """A commented feed.toml for the answers (docs/configuration.md has every key); a
    `# TODO:` above each value that is still init's placeholder."""
    a = answers
    site = a.link.rstrip("/") == PLACEHOLDER_LINK
    link = _todo(site, "your website and the feed's address (example.org is a placeholder)")
    author = _todo(a.author == PLACEHOLDER_AUTHOR, "the author's name (a placeholder)")
    owner = _todo(
        a.author == PLACEHOLDER_AUTHOR or a.email == PLACEHOLDER_EMAIL,
        "the owner's name and an address you read (placeholders)",
    )
    image = _todo(a.image.startswith(PLACEHOLDER_LINK), "your artwork's URL or file")
    media = _todo(site, "where your audio files are published (a placeholder)")
    return f"""\
# The show. Every key is documented in podcastfeed's docs/configuration.md.
# `podcastfeed check` says what the directories will think of it; `podcastfeed build` builds.

[show]
title = {_toml(a.title)}
description = {_toml(a.description)}
# The show's website, and where the feed will be published.
{link}link = {_toml(a.link)}
feed_url = {_toml(a.feed_url)}
# A language code: en, en-US, de ...
language = {_toml(a.language)}
{author}author = {_toml(a.author)}
# Apple and Spotify write to this address (to verify the show, for example).
{owner}owner = {{ name = {_toml(a.author)}, email = {_toml(a.email)} }}
# Square JPEG or PNG, 1400-3000 px.
{image}image = {_toml(a.image)}
# Apple's list: "Parent" or "Parent > Child", e.g. "Technology", "Arts > Books".
categories = [{_toml(a.category)}]
explicit = {"true" if a.explicit else "false"}
# Where local audio files (`audio: audio/ep1.mp3`) are published; not used for audio URLs.
{media}audio_base_url = {_toml(a.link.rstrip("/") + "/media/")}
# WebSub hubs that `podcastfeed notify` pings after publishing:
# hubs = ["https://pubsubhubbub.appspot.com/"]

[build]
# One Markdown file per episode: `podcastfeed new "Title"` starts one.
episodes = "episodes"
# The feed; publish this folder.
output = "public/feed.xml"
"""


EXAMPLE_EPISODE = """\
---
title: "Welcome to the show"
date: {date}
status: draft  # change to publish when it has audio and is ready
guid: {guid}  # never change it once published
audio:  # a file (relative to this one, published under audio_base_url) or a URL
excerpt: "What the show is about, and who is talking."
---

An example episode: edit it, or delete it and run `podcastfeed new "My first episode"
--audio path/to/audio.mp3`.

Show notes are **Markdown**; [links](https://example.org) are kept.
"""


def show_image(given: str, folder: Path) -> tuple[str, Path | None]:
    """`init --image`: an http(s) URL as given, or a local image file (since issue 15
    `[show] image` may be one). The path is read from the working folder, else from the show's
    `folder`; the file must be a JPEG or PNG that Pillow decodes in full, as the build checks
    it. Returns (what feed.toml says, the file to copy beside feed.toml first, if any): a file
    inside the show (symbolic links followed) is named relative to `folder`; one outside it is
    copied in, as a build publishes nothing from outside the show (localref.py).

    Raises:
        PodcastfeedError: no such file, not an image, or a different file of that name is in
            the way.
    """
    from podcastfeed.media.artwork import (
        FORMAT_BY_EXTENSION,
        ArtworkError,
        extension_for,
        misnamed,
        read_file,
    )
    from podcastfeed.values import url_scheme

    hint = "an https:// URL, or a JPEG or PNG file (cover.jpg)"
    if url_scheme(given):
        return given, None
    written = Path(given).expanduser()
    path = next((p for p in (written, folder / written) if p.is_file()), None)
    if path is None:
        there = next((p for p in (written, folder / written) if p.exists()), None)
        if there is None:
            raise PodcastfeedError(f"--image: file not found: {shorten(given)}", hint=hint)
        what = what_it_is(there)
        raise PodcastfeedError(f"--image: {shorten(given)} is {what}, not a file", hint=hint)
    try:
        found = read_file(path)
    except ArtworkError as exc:
        raise PodcastfeedError(f"--image: {exc}", hint=hint) from None
    if found.format not in ("JPEG", "PNG"):
        raise PodcastfeedError(
            f"--image: {shorten(given)} is {found.format}; Apple takes JPEG or PNG", hint=hint
        )
    promised = misnamed(path.suffix, found.format)
    if promised is not None:  # apple/artwork-format's error
        raise PodcastfeedError(
            f"--image: {shorten(given)} is a {found.format} file named as {promised}",
            hint=f"rename it to {extension_for(found.format)}",
        )
    real, show = path.resolve(), folder.resolve()
    if real.is_relative_to(show):
        return Path(os.path.relpath(real, show)).as_posix(), None
    kept = path.suffix.lower() in FORMAT_BY_EXTENSION  # else the format's usual extension
    name = path.stem + (path.suffix.lower() if kept else extension_for(found.format))
    target = show / name
    if target.exists() and target.read_bytes() != real.read_bytes():
        raise PodcastfeedError(
            f"--image: {shorten(given)} is outside the show and {name} there is another file",
            hint=f"copy it into {folder} yourself, or rename it",
        )
    return name, real


#: feed.toml's [show] keys as init's flags (and questions) give them.
INIT_FLAGS = {
    "title": "--title",
    "description": "--description",
    "author": "--author",
    "owner.name": "--author",
    "owner.email": "--email",
    "link": "--link",
    "language": "--language",
    "categories": "--category",
    "image": "--image",
}
_SHOW_KEY = re.compile(r"\[show\] '([a-z_.]+)'[:,]? ?(.*)", re.DOTALL)


def as_flag(problem: Problem) -> Problem:
    """A problem of the feed.toml init wrote, named as the flag (or answer) that gave the
    value: its line is that of a file init then removes."""
    found = _SHOW_KEY.fullmatch(problem.message)
    if found is None or found.group(1) not in INIT_FLAGS:
        return problem
    message = f"{INIT_FLAGS[found.group(1)]}: {found.group(2)}"
    return Problem(problem.level, message, None, None, problem.hint)
