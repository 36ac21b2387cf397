"""The command line: the only modules that print, read argv or exit are podcastfeed.cli*.

Each command is load -> core -> write -> map errors to exit codes. Diagnostics go to stderr;
stdout carries data only (the feed with `-o -`, `probe --json`). The commands live in
cli_build, cli_workflow, cli_diffing, cli_check, cli_import and cli_serve; importing them
registers them on `app`.
"""

from __future__ import annotations

from typing import Annotated

import typer

from podcastfeed import __version__
from podcastfeed.cli import build as cli_build
from podcastfeed.cli import check as cli_check
from podcastfeed.cli import diffing as cli_diffing
from podcastfeed.cli import importing as cli_import
from podcastfeed.cli import serve as cli_serve
from podcastfeed.cli import workflow as cli_workflow
from podcastfeed.cli.common import app

__all__ = [
    "app",
    "cli_build",
    "cli_check",
    "cli_diffing",
    "cli_import",
    "cli_serve",
    "cli_workflow",
]


def _version(value: bool) -> None:
    if value:
        print(f"podcastfeed {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Turn a folder of podcast episode files and their audio into a podcast RSS feed.

    Run `podcastfeed build` in a folder with feed.toml and episodes/.
    """
