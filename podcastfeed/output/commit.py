"""Writing a build's files as one step, and only the files the build owns.

Every file is first written beside its target under a temporary name (`.NAME.TOKEN.tmp`); a
journal beside the manifest (`.podcastfeed-journal`) lists them; then they are moved into
place, files of episodes that left the feed are removed, and the manifest is updated. A build
killed at any moment leaves either the previous files (the journal still says "prepare": the
next build deletes the temporary files) or the journal saying "commit", which the next build
finishes first. No temporary file outlives the next build.

The manifest (`.podcastfeed-manifest` in the feed's folder, published and committed with the
files it lists, so a fresh clone has it) names every file a build wrote. A build never
overwrites or deletes a file that is not in it: it stops and names the file. A file an earlier
podcastfeed wrote before manifests existed (the same bytes, or podcastfeed's generator mark) is
taken over.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import secrets
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from podcastfeed import interrupts
from podcastfeed.errors import ConfigError
from podcastfeed.files import JOURNAL_NAME, MANIFEST_NAME, read_file
from podcastfeed.output import journal, workers
from podcastfeed.output.journal import SwitchFailed as SwitchFailed
from podcastfeed.output.journal import recover as recover

FORMAT = 1
#: Marks of files podcastfeed wrote before it kept a manifest (its feed and its pages).
_MARKS = (b"<generator>podcastfeed", b'<meta name="generator" content="podcastfeed">')


@dataclass
class Output:
    """One file to write: its path and a function that makes its content."""

    path: Path
    content: Callable[[], Iterable[bytes]]
    durable: bool = True  # fsync before the commit (feed, lock); pages, transcripts and
    # chapters are only rebuilt if lost
    listed: bool = True  # in the manifest (the lock is ours by its name and format instead)
    anywhere: bool = False  # may be made and written by a worker process (workers.py): its
    # content has no side effect the build keeps (episode pages, assets)


def given(data: bytes) -> Callable[[], Iterable[bytes]]:
    """The content function of an Output whose bytes are known already."""
    return lambda: (data,)


@dataclass
class Manifest:
    """What the last build wrote under `folder` (paths relative to it, POSIX style)."""

    folder: Path
    files: set[str] = field(default_factory=set)
    pages: str = ""  # digest of the inputs of the pages last written (plan.pages_digest)

    def name(self, path: Path | str) -> str:
        text, top = str(path), self._top
        if top and text.startswith(top):
            rest = text[len(top) :]  # (20,000 pages and assets: relpath's getcwd calls add up)
            if rest and "/." not in rest and not rest.startswith("."):  # no "." or ".."
                return rest
        return Path(os.path.relpath(path, self.folder)).as_posix()

    @functools.cached_property
    def _top(self) -> str:
        """The folder's name with a trailing slash ("" when names are made by relpath)."""
        top = str(self.folder).rstrip("/")
        return top + "/" if os.sep == "/" and top.startswith("/") else ""

    def owns(self, path: Path | str) -> bool:
        return self.name(path) in self.files


def read_manifest(folder: Path) -> Manifest:
    """The manifest of `folder`; an empty one when there is none.

    Raises:
        ConfigError: the file exists but is not a podcastfeed manifest.
    """
    path = folder / MANIFEST_NAME
    try:
        data = json.loads(read_file(path).decode("utf-8"))
    except (FileNotFoundError, NotADirectoryError):  # (a file where the folder goes: the
        return Manifest(folder)  # check says so, check_writable)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(
            f"unreadable manifest ({type(exc).__name__})",
            source=path,
            hint="delete the output folder's files and this manifest, then build again",
        ) from exc
    if (
        not isinstance(data, dict)
        or data.get("format") != FORMAT
        or not isinstance(data.get("files"), list)
        or not all(isinstance(name, str) for name in data["files"])
    ):
        raise ConfigError(
            "not a podcastfeed manifest this version can read",
            source=path,
            hint="delete the output folder's files and this manifest, then build again",
        )
    return Manifest(folder, set(data["files"]), str(data.get("pages", "")))


def manifest_bytes(manifest: Manifest) -> bytes:
    data = {"format": FORMAT, "pages": manifest.pages, "files": sorted(manifest.files)}
    return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def check_writable(
    outputs: Sequence[Output], manifest: Manifest, shown: Callable[[Path], str]
) -> None:
    """Stop before anything is written when an output cannot be written or is not the build's.

    Raises:
        ConfigError: naming the first such file and how to resolve it.
    """
    files: set[str] = set()  # (a folder of one must not be another's file, nor two one file)
    for output in outputs:
        if str(output.path) in files:
            raise ConfigError(
                f"cannot write {shown(output.path)}: the build writes another file there",
                hint="choose another output (-o FILE, [build] output or [build] site)",
            )
        files.add(str(output.path))
    seen: set[str] = set()  # folders checked already: every page shares the upper ones
    missing: set[str] = set()  # folders not there (a first build's): nothing below them is
    for output in outputs:  # (names as strings: 20,000 outputs' Path.parents add up)
        path = output.path
        folder = os.path.dirname(str(path)) or "."
        chain = []
        while folder not in seen:
            seen.add(folder)
            chain.append(folder)
            up = os.path.dirname(folder) or "."
            if up == folder:
                break
            folder = up
        for name in reversed(chain):
            if name in files:  # (switched into place, it would meet the folder made for this)
                raise ConfigError(
                    f"cannot write {shown(path)}: {shown(Path(name))} is one of the build's "
                    "files, not a folder",
                    hint="choose another output (-o FILE, [build] output or [build] site)",
                )
            if (os.path.dirname(name) or ".") in missing or not os.path.exists(name):
                missing.add(name)
            elif not os.path.isdir(name):
                raise ConfigError(
                    f"cannot write {shown(path)}: {shown(Path(name))} is a file, not a folder",
                    hint="move it away, or choose another output folder ([build] output)",
                )
        if (os.path.dirname(str(path)) or ".") in missing:
            continue
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            continue  # not there (or not to be known: writing it says why)
        if stat.S_ISLNK(mode):  # what it leads to; a link to a folder is replaced as a link
            with contextlib.suppress(OSError):
                target = os.stat(path).st_mode
                mode = mode if stat.S_ISDIR(target) else target
        if stat.S_ISDIR(mode):
            raise ConfigError(
                f"cannot write {shown(path)}: a folder is in the way",
                hint="move it away, or choose another output folder ([build] output)",
            )
        if not stat.S_ISREG(mode) and not stat.S_ISLNK(mode):
            raise ConfigError(  # (reading a pipe to compare its bytes would wait forever)
                f"cannot write {shown(path)}: it is not a file (a device, a pipe or a socket)",
                hint="move it away, or choose another output (-o FILE; -o - prints the feed)",
            )
        if output.listed and not manifest.owns(path) and not _looks_ours(path, output):
            raise ConfigError(
                f"{shown(path)} exists and was not written by podcastfeed; not overwriting it",
                hint="move it away, or choose another output folder ([build] output, or "
                "[build] site for the show page)",
            )


def _looks_ours(path: Path, output: Output) -> bool:
    """A file an earlier podcastfeed wrote: its generator mark, or the very bytes it would get."""
    try:
        with path.open("rb") as stream:
            head = stream.read(4096)
    except OSError:
        return False
    if any(mark in head for mark in _MARKS):
        return True
    return same_bytes(path, b"".join(output.content()))  # (by size first: a user's big file)


def commit(
    manifest: Manifest, outputs: list[Output], keep: Iterable[Path | str], *, jobs: int = 1
) -> list[Path]:
    """Write `outputs`, keep the files `keep` as they are, remove what the manifest lists and
    neither names, and write the new manifest: all as one step (see the module docstring).
    Files are switched in the order of `outputs`, then the manifest, then the removals.

    Args:
        jobs: processes for writing the outputs that may be written anywhere (workers.py).

    Returns:
        The files removed.
    """
    new = Manifest(manifest.folder, pages=manifest.pages)
    new.files = {new.name(o.path) for o in outputs if o.listed} | {new.name(p) for p in keep}
    removed = [manifest.folder / name for name in sorted(manifest.files - new.files)]
    body = manifest_bytes(new)
    manifest_path = manifest.folder / MANIFEST_NAME
    writes = list(outputs)
    if not same_bytes(manifest_path, body):
        writes.append(Output(manifest_path, given(body), listed=False))
    token = secrets.token_hex(4)
    names = [str(o.path) for o in writes]
    record: journal.Journal = {
        "format": journal.FORMAT,
        "token": token,
        "folder": str(manifest.folder),
        "writes": names,
        "removes": [str(p) for p in removed],
    }
    journal_path = manifest.folder / JOURNAL_NAME
    created: list[Path] = []  # folders made for the new files, removed again on failure
    temps = [journal.temp_name(name, token) for name in names]
    try:
        workers.make_folders(str(manifest.folder), created)
        journal.write(journal_path, record, "prepare")
        workers.write_temps(temps, writes, jobs, created)
    except BaseException as exc:
        _undo(record, created, exc)
        raise
    switched = False
    try:
        # Ctrl-C and SIGTERM wait while the files are switched (milliseconds; 20,000 renames at
        # 10,000 episodes), then take effect: the files are all this build's, not half the
        # previous one's with the journal left for the next build to finish
        with interrupts.held():
            try:
                journal.write(journal_path, record, "commit")
            except BaseException as exc:
                _undo(record, created, exc)
                raise
            # a file that cannot be switched (SwitchFailed) stops it: the files switched stay,
            # and the journal, for the next build to finish (journal.py); when it was the
            # first, nothing was replaced: undone as a failure before the switch
            try:
                journal.roll_forward(record, manifest.folder)
            except journal.SwitchFailed as exc:
                if exc.moved or exc.removing:
                    raise
                failed = OSError(exc.errno, exc.strerror, exc.filename)
                _undo(record, created, failed)
                raise failed from None
            with contextlib.suppress(OSError):  # (left, it is finished again: nothing to do)
                journal_path.unlink()
            switched = True
            interrupts.past_the_switch()  # (the build command: what comes now is ignored)
    except KeyboardInterrupt as exc:  # it came while the files were switched: raised after
        if switched:
            raise type(exc)(SWITCHED) from None
        if isinstance(exc.__context__, journal.SwitchFailed):  # stopped midway: say so (not
            raise exc.__context__ from None  # "the previous feed ... as they were")
        raise
    return removed


#: What an interrupt that came while the files were switched says (cli/common.handled).
SWITCHED = "Interrupted once the new files were in place: the feed, lock and pages are this build's"


def _undo(record: journal.Journal, created: list[Path], exc: BaseException) -> None:
    """Undo a commit that failed before its switch: its temporary files, journal and folders."""
    journal.roll_back(record)
    with contextlib.suppress(OSError):
        (Path(str(record["folder"])) / JOURNAL_NAME).unlink()
    for folder in reversed(created):
        with contextlib.suppress(OSError):
            folder.rmdir()
    journal.name_output(exc, record)


def same_bytes(path: Path, data: bytes) -> bool:
    """Whether `path` holds exactly `data` (False when it cannot be read)."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def sweep(folders: Iterable[Path | str]) -> None:
    """Delete leftovers of writes killed mid-way (an older podcastfeed's, or the cache's) in
    `folders` (not below): a build calls it on every folder it writes into."""
    for folder in folders:
        journal.sweep_one(folder)
