"""`podcastfeed build` and `podcastfeed probe`: the feed, and measuring audio by hand."""

from __future__ import annotations

import functools
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from podcastfeed import interrupts
from podcastfeed.cli.common import (
    DEFAULT_TIMEOUT,
    ConfigOption,
    DeadlineOption,
    DebugOption,
    TimeoutOption,
    command,
    err,
    refuse_bad_output,
    show_error,
    shown,
)
from podcastfeed.cli.progress import StepProgress
from podcastfeed.errors import ExitCode, ProbeError
from podcastfeed.net.limits import DEFAULT_DEADLINE, USER_AGENT, is_url, local_path, mask_url
from podcastfeed.source import CONFIG_NAME

# The command modules import only what `--help` needs; each command imports its own (issue 13).
if TYPE_CHECKING:
    from podcastfeed.build import BuildReport
    from podcastfeed.output.skip import Snapshot


@command("build", interrupted="Interrupted; the previous feed, lock and pages are as they were")
def build_command(
    config: ConfigOption = Path(CONFIG_NAME),
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
    check_only: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Write nothing; exit 1 with a short diff if the feed or lock on disk is stale.",
        ),
    ] = False,
    deadline: DeadlineOption = DEFAULT_DEADLINE,
    debug: DebugOption = False,
) -> None:
    """Build the feed: read feed.toml and the episodes, measure the audio, write the RSS file
    and podcastfeed.lock (commit the lock: it keeps published episodes stable).

    Examples:

      podcastfeed build

      podcastfeed build --offline          # CI without network: audio from the lock

      podcastfeed build --allow-changes 2023-03-21-platform-engineering

      podcastfeed build --config shows/demo/feed.toml --output -   (the lock is not written)

      podcastfeed build --check            # CI: is the committed feed current?
    """
    from podcastfeed.output.showlock import hold_show

    refuse_bad_output(output)
    # one build in this show from reading to the last write; once its files are switched, a
    # Ctrl-C is too late to say "interrupted": the build completes (interrupts.py)
    with hold_show(config), interrupts.finishing():
        now = datetime.now(UTC)
        fast = not (check_only or no_cache or output == "-" or refresh or include_future)
        key = (output and os.path.abspath(output), no_check, offline, allow_changes, os.getcwd())
        snapshot = _take_snapshot(config, key) if fast else None
        if snapshot is not None and _replayed(snapshot, now, strict):
            return  # nothing changed: the build's own modules are not even imported
        from podcastfeed.build import build, write_report
        from podcastfeed.media.probing import ProbeOptions

        progress = StepProgress(quiet=quiet)
        options = ProbeOptions(
            offline=offline,
            refresh=refresh or (),
            jobs=jobs,
            deadline=deadline,
            on_start=progress.start,
            on_progress=progress.advance,
        )
        try:
            report = build(
                config,
                now=now,
                include_future=include_future,
                # --check writes nothing, not even the cache
                use_cache=not (no_cache or check_only),
                jobs=min(jobs, os.cpu_count() or 1),
                probe=options,
                allow_changes=allow_changes or (),
                check=not no_check,
            )
        finally:
            progress.stop()  # before any message
        for problem in report.warnings + report.file_notes:
            err(str(problem))
        if strict and report.warnings:
            err(f"Error: {len(report.warnings)} warning(s) with --strict; nothing was written")
            raise typer.Exit(int(ExitCode.CONTENT))
        if check_only:
            _check_current(report, Path(output) if output and output != "-" else None)
            return
        if output == "-":
            sys.stdout.buffer.write(report.feed)
            sys.stdout.buffer.flush()
            err(_summary(report, "stdout"))
            return
        try:
            target = write_report(report, Path(output) if output else None)
        except OSError as exc:
            for line in write_failure(exc, Path(output or report.output), report.config.build.root):
                err(line)
            raise typer.Exit(int(ExitCode.CONTENT)) from None
        for note in report.notes:
            err(f"note: {note}")
        err(_summary(report, shown(target, report.config.build.root)))
        if snapshot is not None:
            _remember(snapshot, report, target)


def write_failure(exc: OSError, output: Path, root: Path) -> list[str]:
    """What a failed write did (commit.py): nothing, or a switch stopped midway (journal.py)."""
    from podcastfeed.output.journal import SwitchFailed

    name = shown(Path(os.fsdecode(exc.filename or output)), root)
    if not isinstance(exc, SwitchFailed):
        return [
            f"Error: cannot write {name}: {exc.strerror}",
            "Nothing was replaced: the previous feed, lock and pages are as they were",
        ]
    whose = " (an earlier build's switch, left unfinished)" if exc.earlier else ""
    if exc.removing:
        lines = [f"Error: cannot remove {name}{whose or ', an old file'}: {exc.strerror}"]
    else:
        lines = [f"Error: cannot move {name} into place{whose}: {exc.strerror}"]
    if exc.earlier:
        lines.append("Nothing of this build was written; the files are as that build left them")
    elif exc.removing:
        lines.append("The feed, lock and pages are this build's; removing old ones was left undone")
    else:
        lines.append(
            "The switch stopped midway: some files are this build's, the rest the old ones"
        )
    lines.append(
        f"  hint: move what is at {name} away (or fix what stops it) and build again: the "
        f"build finishes the switch first ({shown(exc.journal, root)} lists it)"
    )
    return lines


def _take_snapshot(config: Path, options: tuple[object, ...]) -> Snapshot:
    from podcastfeed.output import skip
    from podcastfeed.source.config import load_config

    return skip.take(load_config(config).build, options)


def _replayed(snapshot: Snapshot, now: datetime, strict: bool) -> bool:
    """A rebuild with nothing changed (output/skip.py): what the build printed, and True."""
    from podcastfeed.output import skip

    started = time.perf_counter()
    replay, note = skip.current(snapshot, now)
    if note:
        err(f"note: {note}")
    if replay is None:
        return False
    for line in replay.lines:
        err(line)
    if strict and replay.warnings:
        err(f"Error: {replay.warnings} warning(s) with --strict; nothing was written")
        raise typer.Exit(int(ExitCode.CONTENT))
    for line in replay.notes:
        err(f"note: {line}")
    counts = (replay.published, replay.drafts, replay.scheduled)
    where, seconds = shown(Path(replay.target), snapshot.settings.root), time.perf_counter()
    err(_summary_line(where, *counts, parsed=0, probed=0, seconds=seconds - started))
    return True


def _remember(snapshot: Snapshot, report: BuildReport, target: Path) -> None:
    from podcastfeed.output import fragments, skip

    lines = [str(problem) for problem in report.warnings + report.file_notes]
    if any(str(report.config.build.cache_dir) in line for line in lines):
        return  # a warning about the cache itself is not the show's: not to be repeated
    counts = (len(report.published), report.drafts, report.scheduled)
    replay = skip.Replay(lines, len(report.warnings), report.notes, *counts, str(target))
    external = functools.partial(skip.externals, report.config, report.published)
    written = functools.partial(fragments.identities, report.config.build)
    skip.record(snapshot, target, replay, external, report.changes_at, written)


def _check_current(report: BuildReport, output: Path | None) -> None:
    """`build --check`: print what is stale on disk (output.plan.check_current)."""
    from podcastfeed import lock
    from podcastfeed.output import plan as outputs

    target = output or report.output
    root = report.config.build.root
    stale = outputs.check_current(
        report.feed,
        target,
        report.config,
        report.published,
        report.lock,
        lambda way: report.pages(assets_path=way),
        lambda path: shown(path, root),
        check_manifest=True,
    )
    if stale:
        for line in stale:
            err(line)
        err("Error: run `podcastfeed build` and commit the result")
        raise typer.Exit(int(ExitCode.CONTENT))
    count = len(report.published)
    name = shown(target, root)
    err(f"{name} and {lock.LOCK_NAME} are current ({count} episode{'s' * (count != 1)})")


def _summary(report: BuildReport, where: str) -> str:
    counts = (len(report.published), report.drafts, report.scheduled)
    return _summary_line(
        where,
        *counts,
        parsed=report.parsed,
        probed=report.probed,
        seconds=report.seconds,
        requests=report.requests,
        bytes_read=report.bytes_read,
    )


def _summary_line(
    where: str,
    count: int,
    drafts: int,
    scheduled: int,
    *,
    parsed: int,
    probed: int,
    seconds: float,
    requests: int = 0,
    bytes_read: int = 0,
) -> str:
    held = []
    if drafts:
        held.append(f"{drafts} draft{'s' if drafts != 1 else ''}")
    if scheduled:
        held.append(f"{scheduled} scheduled")
    text = f"Wrote {where}: {count} episode{'s' if count != 1 else ''}"
    if held:
        text += f" ({', '.join(held)} not published)"
    text += f"; {parsed} file(s) read, {probed} probed"
    if requests:
        text += f" ({requests} requests, {bytes_read / 1024:,.0f} KB)"
    return text + f", {seconds:.2f} s"


@command("probe")
def probe_command(
    sources: Annotated[
        list[str], typer.Argument(metavar="FILE_OR_URL...", help="Audio files or http(s) URLs.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON to stdout.")] = False,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    deadline: DeadlineOption = DEFAULT_DEADLINE,
    debug: DebugOption = False,
) -> None:
    """Measure audio: duration, size, MIME type, and how it was measured (for a URL, also the
    requests and bytes it took).

    Examples:

      podcastfeed probe episodes/audio/ep1.mp3

      podcastfeed probe --json https://cdn.example.org/ep1.mp3 *.m4a
    """

    import json

    from podcastfeed.values import format_clock  # email.utils: not at --help (issue 18)

    paths = {source: local_path(source) for source in sources if not is_url(source)}  # (ftp://)
    results = []
    failed = False
    session = None
    for source in sources:
        cost = None
        try:
            if is_url(source):
                from podcastfeed.media import remote  # requests only when a URL is probed
                from podcastfeed.net import fetch

                session = session or fetch.make_session(USER_AGENT)
                found = remote.probe_url(session, source, timeout=timeout, deadline=deadline)
                info, cost = found.info, found.cost
            else:
                from podcastfeed.media.audio import probe_file

                info = probe_file(paths[source])
        except ProbeError as exc:  # the others are still measured; exit 3 at the end
            show_error(exc, debug)
            failed = True
            continue
        result = {
            "file": mask_url(source),
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
                f"{mask_url(source)}: {format_clock(info.seconds)} ({info.duration:.2f} s), "
                f"{info.size:,} bytes, {info.mime_type}, by {info.method}"
                + (f" ({cost})" if cost else "")
            )
    if as_json:
        print(json.dumps(results, indent=2))
    if failed:
        raise typer.Exit(int(ExitCode.PROBE))
