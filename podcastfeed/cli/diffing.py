"""`podcastfeed diff`: what changed between two feeds (files or URLs)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from podcastfeed.cli.common import (
    DEFAULT_TIMEOUT,
    DeadlineOption,
    DebugOption,
    TimeoutOption,
    command,
    err,
)
from podcastfeed.errors import ExitCode, PodcastfeedError
from podcastfeed.net.limits import DEFAULT_DEADLINE, USER_AGENT, is_url, mask_urls

if TYPE_CHECKING:
    from podcastfeed.feeds.diff import FeedDiff


@command("diff")
def diff_command(
    old: Annotated[str, typer.Argument(metavar="OLD", help="A feed file or http(s) URL.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="A feed file or http(s) URL.")],
    exact: Annotated[
        bool,
        typer.Option("--exact", help="Compare spellings: `GMT` vs `+0000`, `16:00` vs `960` …"),
    ] = False,
    output_format: Annotated[
        str, typer.Option("--format", help="text or json (schema: docs/diff.md).")
    ] = "text",
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    deadline: DeadlineOption = DEFAULT_DEADLINE,
    debug: DebugOption = False,
) -> None:
    """Show what changed between two feeds: episodes added, removed or changed (by guid, with
    the fields that changed) and channel fields changed. Values are compared by meaning (dates
    as instants, durations as seconds, the defaults the specs define) and shown as written;
    --exact compares spellings. Exit 0 when they are the same, 1 when they differ (like diff)
    or a feed cannot be read, 3 when a URL cannot be fetched.

    Examples:

      podcastfeed diff https://example.org/feed.xml public/feed.xml   # live feed vs new build

      podcastfeed diff old-feed.xml new-feed.xml --format json
    """
    import json

    from podcastfeed.feeds.diff import diff_json, format_diff, summary, tried_repairs

    if output_format not in ("text", "json"):
        err(f"Error: --format must be one of text, json (got {output_format!r})")
        raise typer.Exit(int(ExitCode.USAGE))
    found, error = _compare(old, new, exact=exact, timeout=timeout, deadline=deadline)
    for source, repair in (found.repairs if found is not None else []) + tried_repairs(error):
        err(repair.shown(source))  # a feed that is not well-formed was read after these
    if output_format == "json":  # valid JSON on stdout, also for an error (then on stderr too)
        report = diff_json(found, old=old, new=new, exact=exact, error=error)
        print(mask_urls(json.dumps(report, ensure_ascii=False, indent=2)))
    if error is not None:
        raise error
    assert found is not None  # _compare returns one or the other
    if output_format == "text":
        for line in format_diff(found):
            print(mask_urls(line))
    if not found:
        err("The feeds have the same channel and episodes")
        return
    err(summary(found))
    raise typer.Exit(int(ExitCode.CONTENT))


def _compare(
    old: str, new: str, *, exact: bool, timeout: float, deadline: float
) -> tuple[FeedDiff | None, PodcastfeedError | None]:
    """diff's comparison of the feeds named by `old` and `new` (files or URLs), or the error
    that stopped it, for the command to report (as JSON too) and raise."""
    from podcastfeed.feeds.diff import diff_feeds
    from podcastfeed.net.sources import read_source

    session = None
    try:
        data = []
        for source in (old, new):
            if is_url(source) and session is None:
                from podcastfeed.net import fetch

                session = fetch.make_session(USER_AGENT)
            data.append(read_source(source, session=session, timeout=timeout, deadline=deadline))
        return diff_feeds(data[0], data[1], old_name=old, new_name=new, exact=exact), None
    except PodcastfeedError as exc:
        return None, exc
    finally:
        if session is not None:
            session.close()
