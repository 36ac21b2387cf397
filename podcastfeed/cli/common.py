"""What the command modules share: the typer app, the --debug option, printing to stderr and
`command`, the one place that turns a PodcastfeedError or Ctrl-C into a message and exit code."""

from __future__ import annotations

import functools
import gc
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer

from podcastfeed import interrupts
from podcastfeed.errors import (
    BuildFailed,
    ExitCode,
    PodcastfeedError,
    Terminated,
    quote_name,
    shorten,
)
from podcastfeed.net.limits import DEFAULT_DEADLINE, mask_url, mask_urls, url_written

app = typer.Typer(
    help="Turn a folder of podcast episode files and their audio into a podcast RSS feed.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=True,
)

DebugOption = Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")]
TimeoutOption = Annotated[
    float, typer.Option("--timeout", min=0.1, help="Seconds to wait for a server.")
]
DEFAULT_TIMEOUT = 15.0
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


def show_error(exc: PodcastfeedError, debug: bool, outcome: str | None = None) -> None:
    """`Error: …` on stderr (every problem of a BuildFailed first, then what the command left
    when it is not "nothing was written": `outcome`); the traceback with --debug."""
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    if isinstance(exc, BuildFailed):
        for problem in exc.problems:
            err(str(problem))
        err(f"Error: {exc.message if outcome is None else exc.summary(outcome)}")
    else:
        err(f"Error: {exc}")


def fail(exc: PodcastfeedError, debug: bool, outcome: str | None = None) -> NoReturn:
    show_error(exc, debug, outcome)
    raise typer.Exit(int(exc.exit_code))


Command = TypeVar("Command", bound=Callable[..., Any])


#: What a command writes on stdout about the error that stopped it (its output format's
#: report, e.g. check's JSON), given the error and the command's arguments.
OnError = Callable[[PodcastfeedError, dict[str, Any]], None]


def command(
    name: str,
    *,
    interrupted: str = "Interrupted",
    on_error: OnError | None = None,
    failed_build: str | None = None,
) -> Callable[[Command], Command]:
    """Register a command on `app`, its whole body run by `handled`; the module keeps the
    plain function, as `app.command` leaves it."""

    def register(function: Command) -> Command:
        run = handled(
            function, interrupted=interrupted, on_error=on_error, failed_build=failed_build
        )
        app.command(name)(run)
        return function

    return register


def handled(
    function: Command,
    *,
    interrupted: str = "Interrupted",
    on_error: OnError | None = None,
    failed_build: str | None = None,
) -> Command:
    """`function` under the one error handler of every command: a PodcastfeedError prints its
    message(s) and exits with its code (after `on_error` wrote what the command's stdout
    format says about it; a failed build's last line says what the command left,
    `failed_build`, where that is not "nothing was written"), Ctrl-C prints `interrupted` (or
    what the interrupt says: commit.py's once its files are switched) and exits 130 (SIGTERM
    likewise, 143), and `--debug` (the `debug` argument, where a command has it) adds the
    traceback. Anything else keeps its traceback: a bug, not a user's mistake."""

    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        debug = bool(kwargs.get("debug", False))
        # A build holds 10,000 episodes' objects for its whole run: with the default threshold
        # (700) the collector traverses them again and again (1 s of a 3.8 s one-new-episode
        # build, issue 18). Our objects hold few cycles; memory measured the same. At 200,000
        # one collection still came in that build, as it wrote the feed: 70 ms over the
        # objects of the lock, the outputs record and the keys (none at 1,000,000; the tree's
        # peak PSS of a --no-cache build of 10,000: 244-246 MB, 244 at 200,000).
        thresholds = gc.get_threshold()
        gc.set_threshold(1_000_000, 30, 30)  # put back after: tests run commands in-process
        try:
            with interrupts.command():  # (SIGTERM as Ctrl-C; a late one ignored: interrupts.py)
                return function(*args, **kwargs)
        except PodcastfeedError as exc:
            if on_error is not None:
                on_error(exc, kwargs)
            fail(exc, debug, failed_build)
        except KeyboardInterrupt as exc:
            if debug:
                traceback.print_exception(exc, file=sys.stderr)
            err(str(exc) or interrupted)  # (commit.py's says its files are switched)
            code = ExitCode.TERMINATED if isinstance(exc, Terminated) else ExitCode.INTERRUPTED
            raise typer.Exit(int(code)) from None
        finally:
            gc.set_threshold(*thresholds)

    run.interrupted = interrupted  # type: ignore[attr-defined]  # what the tests look for
    return run  # type: ignore[return-value]  # typer reads `function`'s signature through it


def shown(path: Path, root: Path) -> str:
    """`path` for a message: relative to the working folder when inside it, quoted when it
    holds a control character such as a newline (issue 12)."""
    try:
        return quote_name(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return quote_name(path)


def refuse_bad_output(output: str | None) -> None:
    """`-o public/`: --output names the feed file; a folder there is a usage error that says
    the file to name, before a build that would stop at the folder in its way. So is a URL
    (`-o https://example.org/feed.xml` wrote the folders `https:/example.org/`): the build
    writes files, the host publishes them."""
    if output and (scheme := url_written(output)):
        err(f"Error: --output names the feed file, and {mask_url(output)} is a URL ({scheme}://)")
        err("  hint: -o public/feed.xml, then publish the folder to your host (docs/ci.md)")
        raise typer.Exit(int(ExitCode.USAGE))
    if output and output != "-" and (output.endswith(("/", "\\")) or Path(output).is_dir()):
        err(f"Error: --output names the feed file, and {output} is a folder")
        err(f"  hint: -o {(Path(output) / 'feed.xml').as_posix()}")
        raise typer.Exit(int(ExitCode.USAGE))


def shell_word(path: Path) -> str:
    """`path` for a command line to copy: quoted for the shell (`cd 'my show'`), or as a
    message names it when it holds a newline or another control character."""
    import shlex

    text = str(path)
    return shlex.quote(text) if text.isprintable() else shown(path, Path())


def given_text(name: str, value: str) -> str:
    """`value` of the argument or option `name`, refused (a usage error) when it holds bytes
    that are not UTF-8, which no file can be written with (Python reads them as lone
    surrogates: a new episode or feed.toml was left empty, after a traceback)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        err(f"Error: {name} is not UTF-8 text (got {shorten(value)})")
        raise typer.Exit(int(ExitCode.USAGE)) from None
    return value
