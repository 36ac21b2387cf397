"""What the command modules share: the typer app, the --debug option, printing to stderr and
turning a PodcastfeedError into its message and exit code."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from podcastfeed.errors import BuildFailed, PodcastfeedError, quote_name
from podcastfeed.net.limits import DEFAULT_DEADLINE, mask_urls

app = typer.Typer(
    help="Turn a folder of podcast episode files and their audio into a podcast RSS feed.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=True,
)

DebugOption = Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")]
DeadlineOption = Annotated[
    float,
    typer.Option(
        "--deadline",
        min=0.1,
        metavar="SECONDS",
        help="Seconds one HTTP request may take in all: connect, headers and body "
        f"(default {DEFAULT_DEADLINE:g}; docs/limits.md).",
    ),
]
ConfigOption = Annotated[
    Path, typer.Option("--config", "-c", help="The show's feed.toml.", dir_okay=False)
]


def err(text: str) -> None:
    """A diagnostic line on stderr; passwords in URLs are masked (the feed keeps them)."""
    print(mask_urls(text), file=sys.stderr)


def fail(exc: PodcastfeedError, debug: bool) -> NoReturn:
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    if isinstance(exc, BuildFailed):
        for problem in exc.problems:
            err(str(problem))
        err(f"Error: {exc.message}")
    else:
        err(f"Error: {exc}")
    raise typer.Exit(int(exc.exit_code))


def shown(path: Path, root: Path) -> str:
    """`path` for a message: relative to the working folder when inside it, quoted when it
    holds a control character such as a newline (issue 12)."""
    try:
        return quote_name(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return quote_name(path)
