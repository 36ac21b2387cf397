"""The one user-facing error, the problems a build collects, and the exit codes.

Every failure a user can fix is a `PodcastfeedError` that says where it happened
(`path:line: message`), so editors can jump to it.
"""

from __future__ import annotations

import reprlib
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """What `podcastfeed` exits with."""

    OK = 0
    CONTENT = 1  # config or episode errors (or warnings under --strict)
    USAGE = 2  # bad arguments (click/typer use 2 as well)
    PROBE = 3  # audio unreadable or URL unreachable; often worth a retry
    INTERRUPTED = 130  # 128 + SIGINT
    TERMINATED = 143  # 128 + SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM (a CI runner cancelling the job, `timeout`, `docker stop`), raised where Ctrl-C
    would be, so that it is cleaned up as Ctrl-C is (cli/common.py)."""


#: The most characters of a user's value a message shows (issue 12: a 2 GB value once was one).
SHOWN_LIMIT = 80


def shorten(value: object, limit: int = SHOWN_LIMIT) -> str:
    """`repr(value)` for a message, at most `limit` characters (cut with "…").

    Never builds the whole repr first: a YAML alias bomb's repr runs to gigabytes, and a 1 MB
    string value must not become a 1 MB message (issue 12)."""
    if isinstance(value, str):
        text = repr(value[:limit])
    else:  # lists, dicts, numbers, dates: reprlib bounds the items and levels it visits
        bounded = reprlib.Repr()
        bounded.maxlevel = 3
        bounded.maxstring = bounded.maxother = bounded.maxlong = limit
        text = bounded.repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quote_name(name: Path | str) -> str:
    """A file name as a message shows it: as is, unless it holds a newline or another control
    character, which would split or garble the `path:line:` line; then quoted like a Python
    string literal (issue 12)."""
    text = str(name)
    return text if text.isprintable() else repr(text)


def format_location(source: Path | str | None, line: int | None) -> str:
    """`path:line: `, `path: ` or nothing, the prefix every message starts with."""
    if source is None or source == "":
        return ""
    if line:
        return f"{quote_name(source)}:{line}: "
    return f"{quote_name(source)}: "


class PodcastfeedError(Exception):
    """A problem the user can fix by editing a file or the command line."""

    exit_code = ExitCode.CONTENT

    def __init__(
        self,
        message: str,
        *,
        source: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        text = format_location(self.source, self.line) + self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def to_problem(self) -> Problem:
        return Problem(
            "error",
            self.message,
            source=self.source,
            line=self.line,
            hint=self.hint,
            exit_code=self.exit_code,
        )


class ConfigError(PodcastfeedError):
    """feed.toml is missing, unreadable or invalid."""


class EpisodeError(PodcastfeedError):
    """An episode file is unreadable or invalid."""


class ProbeError(PodcastfeedError):
    """Audio that cannot be read or measured (a missing, empty or corrupt file, a bad URL)."""

    exit_code = ExitCode.PROBE


@dataclass(frozen=True)
class Problem:
    """One finding: an error stops the build, a warning is reported (fatal with --strict), a
    note says what the build did for the user (repaired text) and is never fatal."""

    level: str  # "error", "warning" or "note"
    message: str
    source: Path | str | None = None
    line: int | None = None
    hint: str | None = None
    exit_code: ExitCode = ExitCode.CONTENT

    @property
    def is_error(self) -> bool:
        return self.level == "error"

    def __str__(self) -> str:
        text = format_location(self.source, self.line) + f"{self.level}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class BuildFailed(PodcastfeedError):
    """A build stopped on one or more problems, all of them listed."""

    def __init__(self, problems: list[Problem]) -> None:
        errors = [p for p in problems if p.is_error]
        self.errors = len(errors)
        super().__init__(self.summary("nothing was written"))
        self.problems = problems
        codes = {p.exit_code for p in errors} or {ExitCode.CONTENT}
        # Content errors win: they need an edit, a probe failure may only need a retry.
        self.exit_code = ExitCode.CONTENT if ExitCode.CONTENT in codes else max(codes)

    def summary(self, outcome: str) -> str:
        """Its last line, with what the command left (`build`: "nothing was written")."""
        return f"build failed with {self.errors} error(s); {outcome}"
