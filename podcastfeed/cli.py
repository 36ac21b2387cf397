"""The command line: the only module that prints, reads argv or exits.

Each command is load -> core -> write -> map errors to exit codes. Diagnostics go to stderr;
stdout carries data only (the feed with `-o -`, `probe --json`).
"""

from __future__ import annotations

import json
import os
import re
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from podcastfeed import __version__
from podcastfeed.audio import probe_file
from podcastfeed.build import BuildReport, build, write_report
from podcastfeed.config import CONFIG_NAME
from podcastfeed.errors import BuildFailed, ExitCode, PodcastfeedError, ProbeError
from podcastfeed.probing import USER_AGENT, ProbeOptions

app = typer.Typer(
    help="Turn a folder of podcast episode files and their audio into a podcast RSS feed.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=True,
)

DebugOption = Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")]


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def _fail(exc: PodcastfeedError, debug: bool) -> NoReturn:
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    if isinstance(exc, BuildFailed):
        for problem in exc.problems:
            _err(str(problem))
        _err(f"Error: {exc.message}")
    else:
        _err(f"Error: {exc}")
    raise typer.Exit(int(exc.exit_code))


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


@app.command("build")
def build_command(
    config: Annotated[
        Path,
        typer.Option("--config", "-c", help="The show's feed.toml.", dir_okay=False),
    ] = Path(CONFIG_NAME),
    output: Annotated[
        str | None,
        typer.Option(
            "--output", "-o", help="Write the feed here instead ([build] output); - for stdout."
        ),
    ] = None,
    include_future: Annotated[
        bool, typer.Option("--include-future", help="Also publish episodes dated in the future.")
    ] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Ignore and do not update the local build cache.")
    ] = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", min=1, help="Audio URLs probed at once (parsing uses up to the CPUs)."
        ),
    ] = 8,
    offline: Annotated[
        bool,
        typer.Option("--offline", help="Never use the network: audio URLs come from the lock."),
    ] = False,
    refresh: Annotated[
        list[str] | None,
        typer.Option(
            "--refresh",
            metavar="EPISODE",
            help="Measure this episode's audio again (file, name or guid; * for all). Repeatable.",
        ),
    ] = None,
    allow_changes: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-changes",
            metavar="EPISODE",
            help="Let this published episode change its guid, audio URL or date, or leave the "
            "feed (file, name or guid). Repeatable.",
        ),
    ] = None,
    no_check: Annotated[
        bool, typer.Option("--no-check", help="Skip the error rules of `podcastfeed check`.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
    debug: DebugOption = False,
) -> None:
    """Build the feed: read feed.toml and the episodes, measure the audio, write the RSS file
    and podcastfeed.lock (commit the lock: it keeps published episodes stable).

    Examples:

      podcastfeed build

      podcastfeed build --offline          # CI without network: audio from the lock

      podcastfeed build --allow-changes 2023-03-21-platform-engineering

      podcastfeed build --config shows/demo/feed.toml --output -   (the lock is not written)
    """
    progress = _Progress(quiet=quiet)
    options = ProbeOptions(
        offline=offline,
        refresh=refresh or (),
        jobs=jobs,
        on_start=progress.start,
        on_progress=progress.advance,
    )
    try:
        report = build(
            config,
            now=datetime.now(UTC),
            include_future=include_future,
            use_cache=not no_cache,
            jobs=min(jobs, os.cpu_count() or 1),
            probe=options,
            allow_changes=allow_changes or (),
            check=not no_check,
        )
    except PodcastfeedError as exc:
        progress.stop()
        _fail(exc, debug)
    except KeyboardInterrupt:
        progress.stop()
        _err("Interrupted; nothing was written")
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    progress.stop()
    for problem in report.warnings:
        _err(str(problem))
    if strict and report.warnings:
        _err(f"Error: {len(report.warnings)} warning(s) with --strict; nothing was written")
        raise typer.Exit(int(ExitCode.CONTENT))
    if output == "-":
        sys.stdout.buffer.write(report.feed)
        sys.stdout.buffer.flush()
        _err(_summary(report, "stdout"))
        return
    try:
        target = write_report(report, Path(output) if output else None)
    except OSError as exc:
        _err(f"Error: cannot write {output or report.output}: {exc.strerror}")
        raise typer.Exit(int(ExitCode.CONTENT)) from None
    _err(_summary(report, _shown(target, report.config.build.root)))


class _Progress:
    """Remote probing progress on stderr: a bar on a terminal, plain lines otherwise."""

    def __init__(self, *, quiet: bool) -> None:
        self.quiet = quiet
        self.total = self.done = 0
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    def start(self, total: int) -> None:
        self.total = total
        if self.quiet:
            return
        if sys.stderr.isatty():
            self.bar = Progress(
                TextColumn("Probing audio"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("probe", total=total)
        else:
            _err(f"Probing {total} audio URL{'s' if total != 1 else ''}")

    def advance(self, url: str, error: str | None) -> None:
        self.done += 1
        if self.quiet:
            return
        if self.bar is not None and self.task is not None:
            self.bar.advance(self.task)
        else:
            _err(f"  [{self.done}/{self.total}] {url}: {'failed' if error else 'ok'}")

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _summary(report: BuildReport, where: str) -> str:
    held = []
    if report.drafts:
        held.append(f"{report.drafts} draft{'s' if report.drafts != 1 else ''}")
    if report.scheduled:
        held.append(f"{report.scheduled} scheduled")
    count = len(report.published)
    text = f"Wrote {where}: {count} episode{'s' if count != 1 else ''}"
    if held:
        text += f" ({', '.join(held)} not published)"
    text += f"; {report.parsed} file(s) read, {report.probed} probed"
    if report.requests:
        text += f" ({report.requests} requests, {report.bytes_read / 1024:,.0f} KB)"
    return text + f", {report.seconds:.2f} s"


@app.command("probe")
def probe_command(
    sources: Annotated[
        list[str], typer.Argument(metavar="FILE_OR_URL...", help="Audio files or http(s) URLs.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON to stdout.")] = False,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1, help="Seconds to wait for a server.")
    ] = 15.0,
    debug: DebugOption = False,
) -> None:
    """Measure audio: duration, size, MIME type, and how it was measured (for a URL, also the
    requests and bytes it took).

    Examples:

      podcastfeed probe episodes/audio/ep1.mp3

      podcastfeed probe --json https://cdn.example.org/ep1.mp3 *.m4a
    """
    results = []
    failed = False
    session = None
    for source in sources:
        cost = None
        try:
            if re.match(r"^https?://", source, re.IGNORECASE):
                from podcastfeed import remote  # requests only when a URL is probed

                session = session or remote.make_session(USER_AGENT)
                found = remote.probe_url(session, source, timeout=timeout)
                info, cost = found.info, found.cost
            else:
                info = probe_file(Path(source))
        except ProbeError as exc:
            if debug:
                traceback.print_exception(exc, file=sys.stderr)
            _err(f"Error: {exc}")
            failed = True
            continue
        result = {
            "file": source,
            "duration": round(info.duration, 3),
            "seconds": info.seconds,
            "size": info.size,
            "type": info.mime_type,
            "method": info.method,
        }
        if cost:
            result["transfer"] = cost
        results.append(result)
        if not as_json:
            print(
                f"{source}: {_clock(info.seconds)} ({info.duration:.2f} s), {info.size:,} bytes, "
                f"{info.mime_type}, by {info.method}" + (f" ({cost})" if cost else "")
            )
    if as_json:
        print(json.dumps(results, indent=2))
    if failed:
        raise typer.Exit(int(ExitCode.PROBE))


def _clock(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


@app.command("check")
def check_command(
    config: Annotated[
        Path,
        typer.Option("--config", "-c", help="The show's feed.toml.", dir_okay=False),
    ] = Path(CONFIG_NAME),
    feed: Annotated[
        str | None,
        typer.Option(
            "--feed", metavar="FILE_OR_URL", help="Lint this existing feed instead of the show."
        ),
    ] = None,
    output_format: Annotated[
        str,
        typer.Option("--format", help="text, json or github (workflow-command annotations)."),
    ] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    online: Annotated[
        bool,
        typer.Option("--online", help="Also test the hosts: Range, type, redirects, artwork."),
    ] = False,
    sample: Annotated[
        int | None,
        typer.Option("--sample", min=1, metavar="N", help="With --online: the newest N episodes."),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", metavar="RULE", help="Skip this rule id. Repeatable."),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1, help="Seconds to wait for a server.")
    ] = 15.0,
    debug: DebugOption = False,
) -> None:
    """Check the feed against what Apple Podcasts, Spotify and the Podcast Index require
    (rules and their ids: docs/rules.md). Findings go to stdout; exit 1 on errors (and on
    warnings with --strict).

    Examples:

      podcastfeed check

      podcastfeed check --online --sample 5 --format github   # in CI

      podcastfeed check --feed https://example.org/old-feed.xml --format json
    """
    from podcastfeed.checks import count, run
    from podcastfeed.checks_online import CACHE_NAME, Online
    from podcastfeed.checks_run import FORMATS, feed_for, lint_data, render

    if output_format not in FORMATS:
        _err(f"Error: --format must be one of {', '.join(FORMATS)} (got {output_format!r})")
        raise typer.Exit(int(ExitCode.USAGE))
    now = datetime.now(UTC)
    session = None
    is_url = feed is not None and re.match(r"^https?://", feed, re.IGNORECASE) is not None
    if online or is_url:
        from podcastfeed import remote

        session = remote.make_session(USER_AGENT)
    checker = None
    try:
        if feed is not None:
            if is_url:
                from podcastfeed import remote

                assert session is not None
                got = remote.ask(session, feed, timeout=timeout)
                if got.error or got.status != 200:
                    raise ProbeError(f"{feed}: {got.error or f'HTTP {got.status}'}")
                data, base = got.body, None
            else:
                try:
                    data, base = Path(feed).read_bytes(), Path(feed).parent
                except OSError as exc:
                    raise PodcastfeedError(f"cannot read: {exc.strerror}", source=feed) from exc
            if session is not None and online:
                checker = Online(session, timeout)
            parsed = lint_data(data, feed, now, base=base, online=checker, sample=sample)
        else:
            report = build(config, now=now, check=False, probe=ProbeOptions(timeout=timeout))
            for problem in report.warnings:
                _err(str(problem))
            if session is not None:
                cache_file = report.config.build.cache_dir / CACHE_NAME
                checker = Online(session, timeout, cache_file=cache_file)
            parsed = feed_for(report, now, online=checker, sample=sample)
        findings = run(parsed, online=online, ignore=ignore or ())
    except PodcastfeedError as exc:
        _fail(exc, debug)
    finally:
        if checker is not None:
            checker.save()
        if session is not None:
            session.close()
    color = output_format == "text" and sys.stdout.isatty()
    sys.stdout.write(render(findings, output_format, color=color))
    totals = count(findings)
    if totals["error"] or (strict and totals["warning"]):
        raise typer.Exit(int(ExitCode.CONTENT))
