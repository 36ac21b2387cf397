"""The journal of a commit (commit.py): which temporary files become which outputs and which old
files go, and whether the switch has begun ("prepare", then "commit"). The next build finishes
a switch that was begun and undoes one that was not (`recover`).

A switch that fails midway (a file cannot be moved into place, or an old one removed) is not
undone: some files are the new build's already. It raises `SwitchFailed`, saying so, and its
journal stays for the next build to finish once what stopped it is moved away.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from podcastfeed import interrupts
from podcastfeed.files import JOURNAL_NAME, is_leftover, target_of, temp_stem, write_atomic

FORMAT = 1

Journal = dict[str, object]


class SwitchFailed(OSError):
    """A file could not be switched into place, or an old one removed, once the switch had
    begun; `filename` names it (the output, not its temporary file). The journal (`journal`)
    still says "commit": the next build finishes the switch first.

    Attributes:
        removing: it was an old file to remove (every new file was in place already).
        earlier: the switch was an earlier build's, which this build was finishing (`recover`):
            nothing of this build was written.
        moved: a file was moved into place before it (by this call).
    """

    def __init__(
        self, exc: OSError, name: str, journal: Path, *, removing: bool, moved: bool = True
    ) -> None:
        super().__init__(exc.errno, exc.strerror, name)
        self.journal = journal
        self.removing = removing
        self.earlier = False
        self.moved = moved


def write(path: Path, journal: Journal, state: str) -> None:
    journal["state"] = state
    write_atomic(path, json.dumps(journal).encode("utf-8"))


def temp_name(path: str, token: str) -> str:
    folder, name = os.path.split(path)
    return os.path.join(folder, f".{temp_stem(name)}.{token}.tmp")


def name_output(exc: BaseException, journal: Journal | None = None) -> None:
    """An error about a temporary file names the output it was to become (the user's file):
    by the journal's list (a long name's temporary file has only its beginning), else by its
    name."""
    if not isinstance(exc, OSError) or not isinstance(exc.filename, str):
        return
    if journal is not None:
        token = str(journal["token"])
        for name in journal["writes"]:  # type: ignore[attr-defined]
            if temp_name(name, token) == exc.filename:
                exc.filename = name
                return
    exc.filename = target_of(exc.filename)


def roll_back(journal: Journal, *, prune: bool = False) -> None:
    """Delete the new files' temporary copies (and, with `prune`, the folders that leaves
    empty: a killed build's, whose new folders are not known)."""
    top = Path(str(journal["folder"])).parent
    for name in journal["writes"]:  # type: ignore[attr-defined]
        with contextlib.suppress(OSError):
            os.unlink(temp_name(name, str(journal["token"])))
        if prune:
            prune_up(Path(name).parent, top)


def roll_forward(journal: Journal, folder: Path) -> None:
    """Move the new files into place, in the journal's order, then remove the old ones; what
    was done already (by a build killed or stopped midway) is skipped.

    Raises:
        SwitchFailed: a file could not be moved or removed (the rest is left for next time).
    """
    token = str(journal["token"])
    where = folder / JOURNAL_NAME
    moved = False
    for name in journal["writes"]:  # type: ignore[attr-defined]
        temp = temp_name(name, token)
        try:
            os.replace(temp, name)
            moved = True
        except FileNotFoundError as exc:
            if os.path.exists(temp):  # else moved already, by the build that was stopped
                raise SwitchFailed(exc, name, where, removing=False, moved=moved) from exc
        except OSError as exc:  # (a folder in the way, put there since the build's check)
            raise SwitchFailed(exc, name, where, removing=False, moved=moved) from exc
    for name in journal["removes"]:  # type: ignore[attr-defined]
        path = Path(name)
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise SwitchFailed(exc, name, where, removing=True) from exc
        prune_up(path.parent, folder)


def recover(folder: Path, *others: Path) -> None:
    """Finish or undo a build that was killed while writing into `folder` (its journal says
    which), and delete temporary files of killed writes in `folder` and `others`.

    Raises:
        SwitchFailed: the killed build's switch cannot be finished (`earlier` is set).
        OSError: its temporary files cannot be removed.
    """
    path = folder / JOURNAL_NAME
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        journal = None
    if isinstance(journal, dict) and journal.get("format") == FORMAT:
        try:
            with interrupts.held():  # (as when the killed build switched them)
                if journal.get("state") == "commit":
                    roll_forward(journal, Path(str(journal["folder"])))
                else:
                    roll_back(journal, prune=True)
                with contextlib.suppress(OSError):
                    path.unlink()
        except SwitchFailed as exc:
            exc.earlier = True
            raise
        except OSError as exc:
            name_output(exc, journal)
            raise
    with contextlib.suppress(OSError):
        path.unlink()
    for each in (folder, *others):
        sweep_one(each)


def prune_up(folder: Path, top: Path) -> None:
    """Remove `folder` and its parents up to `top` while they are empty."""
    while folder != top and top in folder.parents:
        try:
            folder.rmdir()
        except OSError:  # not empty (or not ours to remove)
            return
        folder = folder.parent


def sweep_one(folder: Path | str) -> None:
    """Delete leftovers of `files.atomic_writer` killed mid-write in `folder` (not below)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if name.endswith(".tmp") and is_leftover(name):  # (8,000 transcripts in a folder)
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(folder, name))
