"""Local files an episode names (audio, transcripts, chapters, alternate enclosures): found
beside the episode or in the show's folder, and only published when, with every symbolic link
followed, they lie inside the show's folder or a source folder feed.toml names.

That one rule keeps `/etc/passwd`, `../../secret.mp3`, a sibling `.vtt` that links outside and
a path through a linked folder out of the feed and the published folder.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from podcastfeed.errors import shorten


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
    raise ValueError(f"file not found: {shorten(ref)}")


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
