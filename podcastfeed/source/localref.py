"""Local files an episode names (audio, transcripts, chapters, alternate enclosures): found
beside the episode or in the show's folder, and only published when, with every symbolic link
followed, they lie inside the show's folder or a source folder feed.toml names.

That one rule keeps `/etc/passwd`, `../../secret.mp3`, a sibling `.vtt` that links outside and
a path through a linked folder out of the feed and the published folder.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from podcastfeed.errors import shorten
from podcastfeed.files import what_it_is
from podcastfeed.model import Episode


def find_local(
    ref: str, looked_in: Sequence[Path], allowed: Sequence[Path], *, inside: str = "the show folder"
) -> Path:
    """The file `ref` names, first in `looked_in` order, as it was found (not resolved);
    `inside` names the `allowed` folders in the error.

    Raises:
        ValueError: no such file, or it lies outside every folder of `allowed` (resolved).
    """
    for folder in looked_in:
        # os.path on text, not Path: this runs for every episode's audio and image
        candidate = os.path.join(folder, ref)
        if not os.path.isfile(candidate):  # False for a name too long, a link loop, a NUL
            continue
        try:
            real = os.path.realpath(candidate)  # a file is there: no link loop on the way
        except (OSError, ValueError):
            continue
        if not any(_is_inside(real, str(base)) for base in allowed):
            raise ValueError(
                f"is outside {inside} (got {shorten(ref)}"
                + (f", which leads to {shorten(real)})" if real != ref else ")")
            )
        return Path(candidate)
    for folder in looked_in:  # something of that name, but no file: say what (not "not found")
        candidate = os.path.join(folder, ref)
        if os.path.exists(candidate):  # False for a dangling link, a link loop, a NUL
            raise ValueError(f"is {what_it_is(candidate)}, not a file (got {shorten(ref)})")
    raise ValueError(f"file not found: {shorten(ref)}")


def find_written(
    ref: str, looked_in: Sequence[Path], allowed: Sequence[Path], *, inside: str = "the show folder"
) -> tuple[str, Path]:
    """`find_local`, with the reference that names the file: `ref`, or, when no file has that
    name, `ref` with its runs of white space made one space, the file podcastfeed took it for
    before it read local paths as written (`audio: "a  b.mp3"` published `a b.mp3`, under the
    URL `a%20b.mp3`: a show built so keeps its file and enclosure URL).

    Raises:
        ValueError: as find_local, about `ref`.
    """
    try:
        return ref, find_local(ref, looked_in, allowed, inside=inside)
    except ValueError as exc:
        collapsed = " ".join(ref.split())
        if collapsed == ref or not str(exc).startswith("file not found"):
            raise
        try:
            return collapsed, find_local(collapsed, looked_in, allowed, inside=inside)
        except ValueError:
            raise exc from None


def _is_inside(real: str, base: str) -> bool:
    """Path(real).is_relative_to(base) for a resolved `real` and resolved `base`."""
    return real == base or real.startswith(base if base.endswith("/") else base + "/")


def url_path(ref: str, found: Path, allowed: Sequence[Path]) -> str:
    """The path under `[show] audio_base_url` that publishes `found`: `ref` as written when
    it is a plain relative path, else the file's place in the folder of `allowed` it is in."""
    written = PurePosixPath(ref.replace("\\", "/"))
    if not written.is_absolute() and ".." not in written.parts:
        return str(written).removeprefix("./")
    real = found.resolve()
    base = next(base for base in allowed if real.is_relative_to(base))
    return Path(os.path.relpath(real, base)).as_posix()


def moved(episode: Episode, allowed: Sequence[Path], real: dict[str, str]) -> bool:
    """Whether the local files of an episode parsed before (the build cache's) are no longer
    where and what the parse found: one gone, its audio now in the folder looked in first
    (beside the episode, before the show's), or a symbolic link that leads elsewhere now.
    Then the episode is parsed again, as a build without the cache would. `real`: each
    folder's resolved path, kept for the build (10,000 episodes share a few folders)."""
    paths = []
    audio, tags = episode.audio, episode.tags
    if audio is not None and audio.path is not None:
        found, beside = str(audio.path), os.path.join(os.path.dirname(episode.source), audio.ref)
        if found != beside and os.path.normpath(beside) != found and os.path.isfile(beside):
            return True
        paths.append(found)
    paths += [str(linked.source) for linked in tags.transcripts if linked.source is not None]
    if tags.chapters is not None and tags.chapters.source is not None:
        paths.append(str(tags.chapters.source))
    paths += [str(alt.path) for alt in tags.alternate_enclosures if alt.path is not None]
    return not all(_still_inside(path, allowed, real) for path in paths)


def _still_inside(path: str, allowed: Sequence[Path], real: dict[str, str]) -> bool:
    try:
        mode = os.lstat(path).st_mode  # one call a file unless it is a link
    except OSError:
        return False
    if stat.S_ISLNK(mode):
        found = os.path.realpath(path)
        if not os.path.isfile(found):
            return False
    elif not stat.S_ISREG(mode):
        return False
    else:
        folder, name = os.path.split(path)
        if (top := real.get(folder)) is None:
            top = real[folder] = os.path.realpath(folder)
        found = os.path.join(top, name)
    return any(_is_inside(found, str(base)) for base in allowed)
