"""`podcastfeed check`: the directory-readiness linter on the command line."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from podcastfeed.cli.common import (
    DEFAULT_TIMEOUT,
    ConfigOption,
    DeadlineOption,
    DebugOption,
    TimeoutOption,
    command,
    err,
)
from podcastfeed.errors import ExitCode, PodcastfeedError
from podcastfeed.net.limits import (
    DEFAULT_DEADLINE,
    USER_AGENT,
    is_url,
    mask_url,
    mask_urls,
)
from podcastfeed.source import CONFIG_NAME


def report_failure(exc: PodcastfeedError, arguments: dict[str, Any]) -> None:
    """With --format json or github, what stopped the check goes to stdout as findings too, so
    the output is valid for every input (issue 15); the text format leaves it to stderr."""
    output_format = arguments.get("output_format")
    if output_format in ("json", "github"):
        from podcastfeed.lint.runner import failure_findings, render

        sys.stdout.write(mask_urls(render(failure_findings(exc), output_format)))


@command("check", on_error=report_failure, failed_build="nothing was checked")
def check_command(
    config: ConfigOption = Path(CONFIG_NAME),
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
    offline: Annotated[
        bool,
        typer.Option(
            "--offline", help="Fetch nothing: audio not measured yet is an error (as build's)."
        ),
    ] = False,
    sample: Annotated[
        int | None,
        typer.Option("--sample", min=1, metavar="N", help="With --online: the newest N episodes."),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", metavar="RULE", help="Skip this rule id. Repeatable."),
    ] = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    deadline: DeadlineOption = DEFAULT_DEADLINE,
    debug: DebugOption = False,
) -> None:
    """Check the feed against what Apple Podcasts, Spotify and the Podcast Index require
    (rules and their ids: docs/rules.md). Findings go to stdout; exit 1 on errors (and on
    warnings with --strict).

    Examples:

      podcastfeed check

      podcastfeed check --online --sample 5 --format github   # in CI

      podcastfeed check --offline   # no network: what the lock and front matter say

      podcastfeed check --feed https://example.org/old-feed.xml --format json
    """
    from podcastfeed.build import build, feed_for
    from podcastfeed.lint.base import count
    from podcastfeed.lint.online import CACHE_NAME, Online
    from podcastfeed.lint.runner import (
        BUILD_WARNING,
        FORMATS,
        lint_data,
        problem_findings,
        render,
        run,
    )
    from podcastfeed.media.probing import ProbeOptions

    if output_format not in FORMATS:
        err(f"Error: --format must be one of {', '.join(FORMATS)} (got {output_format!r})")
        raise typer.Exit(int(ExitCode.USAGE))
    from_url = feed is not None and is_url(feed)
    if offline and (online or from_url):
        err(f"Error: --offline fetches nothing: {'--online' if online else '--feed URL'} does")
        raise typer.Exit(int(ExitCode.USAGE))
    now = datetime.now(UTC)
    session = None
    if online or from_url:
        from podcastfeed.net import fetch

        session = fetch.make_session(USER_AGENT)
    checker, found = None, []
    try:
        if feed is not None:
            from podcastfeed.net.sources import read_source

            data = read_source(feed, session=session, timeout=timeout, deadline=deadline)
            base = None if from_url else Path(feed).parent
            if session is not None and online:
                checker = Online(session, timeout, deadline=deadline)
            parsed = lint_data(data, mask_url(feed), now, base=base, online=checker, sample=sample)
        else:
            options = ProbeOptions(offline=offline, timeout=timeout, deadline=deadline)
            report = build(config, now=now, check=False, probe=options)
            for problem in report.warnings:  # the show's are findings; others (cache) are not
                if problem.source is None:
                    err(str(problem))
            if session is not None:
                cache_file = report.config.build.cache_dir / CACHE_NAME
                checker = Online(session, timeout, cache_file=cache_file, deadline=deadline)
            parsed = feed_for(report, now, online=checker, sample=sample)
            skipped = {*(ignore or ()), *(parsed.origin.ignore if parsed.origin else ())}
            if BUILD_WARNING not in skipped:  # --ignore, or [check] ignore in feed.toml
                shows = [p for p in report.warnings if p.source is not None]
                found = problem_findings(shows, BUILD_WARNING)
        findings = found + run(parsed, online=online, ignore=ignore or ())
    finally:
        if checker is not None:
            checker.save()
        if session is not None:
            session.close()
    color = output_format == "text" and sys.stdout.isatty()
    sys.stdout.write(mask_urls(render(findings, output_format, color=color)))
    totals = count(findings)
    if totals["error"] or (strict and totals["warning"]):
        raise typer.Exit(int(ExitCode.CONTENT))
