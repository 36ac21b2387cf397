"""`podcastfeed import`: an existing feed into feed.toml, episode files and a lock."""

from __future__ import annotations

import contextlib
import functools
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from podcastfeed.cli.common import (
    DEFAULT_TIMEOUT,
    DeadlineOption,
    DebugOption,
    TimeoutOption,
    command,
    err,
)
from podcastfeed.cli.progress import StepProgress
from podcastfeed.errors import ExitCode, quote_name, shorten
from podcastfeed.net.limits import DEFAULT_DEADLINE, USER_AGENT, is_url, mask_url
from podcastfeed.source import CONFIG_NAME

#: Imports of this many items or more show their progress (issue 12: 100,000 items ran for
#: minutes without a word); feeds this large say so before they are read.
PROGRESS_FROM = 200
LARGE_FEED_BYTES = 20_000_000
#: A paged feed's pages are named as they are read: the second, then every this many.
PAGES_SHOWN = 25


#: What a failed --verify build leaves: the imported files (docs/import.md, "--verify").
VERIFY_FAILED = (
    "the imported files are written: fix them, or measure the audio online with `podcastfeed build`"
)


@command("import", failed_build=VERIFY_FAILED)
def import_command(
    source: Annotated[
        str, typer.Argument(metavar="FEED_FILE_OR_URL", help="The show's current RSS feed.")
    ],
    folder: Annotated[
        Path | None,
        typer.Argument(metavar="DIR", help="Write the show here (as --dir).", show_default=False),
    ] = None,
    directory: Annotated[
        Path, typer.Option("--dir", "-d", help="Write feed.toml, episodes/ and the lock here.")
    ] = Path(),
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Convert the show notes to Markdown if possible.")
    ] = False,
    feed_url: Annotated[
        str | None,
        typer.Option("--feed-url", metavar="URL", help="Where podcastfeed will publish the feed."),
    ] = None,
    redirect_old_feed: Annotated[
        bool,
        typer.Option(
            "--redirect-old-feed",
            help="Also write old-feed-redirect.xml: the old feed with itunes:new-feed-url.",
        ),
    ] = False,
    verify: Annotated[
        bool,
        typer.Option("--verify", help="Build in memory and compare every episode with the source."),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
    first_page_only: Annotated[
        bool,
        typer.Option(
            "--first-page-only",
            help='Of a paged feed (atom:link rel="next"), import only the first page.',
        ),
    ] = False,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    deadline: DeadlineOption = DEFAULT_DEADLINE,
    debug: DebugOption = False,
) -> None:
    """Migrate an existing show: read its RSS feed (file or URL) and write feed.toml, one
    episode file per item and podcastfeed.lock, keeping every guid, audio URL and date
    (docs/import.md).

    Examples:

      podcastfeed import https://old-host.example/feed.rss myshow --verify

      podcastfeed import old.xml --feed-url https://example.org/feed.xml --redirect-old-feed
    """
    from podcastfeed.build import build
    from podcastfeed.feeds.import_verify import compare
    from podcastfeed.feeds.import_write import import_feed
    from podcastfeed.media.probing import ProbeOptions
    from podcastfeed.net.sources import read_source

    if folder is not None:  # `import FEED DIR`, as `git clone URL DIR` (and `init DIR`)
        if directory != Path() and directory != folder:
            err(f"Error: two folders: {quote_name(folder)} and --dir {quote_name(directory)}")
            raise typer.Exit(int(ExitCode.USAGE))
        directory = folder
    if feed_url is not None:  # the one link rule: else feed.toml holds what the build refuses
        from podcastfeed.values import parse_link

        try:
            parse_link(feed_url)
        except ValueError:
            err(f"Error: --feed-url must be an http(s) URL (got {shorten(feed_url)})")
            raise typer.Exit(int(ExitCode.USAGE)) from None
    source_url = source if is_url(source) else None
    with contextlib.ExitStack() as stack:
        session, fetch = None, None
        if source_url:  # one session (and its connections) for every page of a paged feed
            from podcastfeed.net.fetch import make_session

            session = stack.enter_context(make_session(USER_AGENT))
            fetch = functools.partial(
                read_source, session=session, timeout=timeout, deadline=deadline
            )
        data = read_source(source, session=session, timeout=timeout, deadline=deadline)
        if len(data) >= LARGE_FEED_BYTES:
            err(f"Reading {source} ({len(data) / 1e6:,.0f} MB)…")
        progress = StepProgress(quiet=False, label="Writing episodes")

        def advance(done: int, total: int) -> None:
            if total < PROGRESS_FROM:
                return  # a small import is over before a bar would show anything
            if done == 1:
                progress.every = max(100, total // 10)
                progress.start(total, f"Writing {total} episode files")
            progress.advance("episode files")

        def next_page(number: int, url: str) -> None:
            if number == 2 or number % PAGES_SHOWN == 0:
                err(f"Reading page {number} of the feed: {mask_url(url)}")

        try:
            result = import_feed(
                data,
                source,
                directory,
                source_url=source_url,
                feed_url=feed_url,
                redirect=redirect_old_feed,
                markdown=markdown,
                force=force,
                progress=advance,
                fetch=fetch,
                first_page_only=first_page_only,
                page_progress=next_page,
            )
        finally:
            progress.stop()
    for repair in result.repairs:
        err(repair.shown(source))
    for text in result.normalizations:
        err(f"normalized: {text}")
    for text in result.warnings:
        err(f"warning: {text}")
    err(f"Imported {result.items} episode(s) into {directory}: {len(result.files)} file(s)")
    if verify:
        report = build(
            directory / CONFIG_NAME,
            now=datetime.now(UTC),
            include_future=True,  # every imported item, even one the host had scheduled
            use_cache=False,
            probe=ProbeOptions(offline=True, timeout=timeout),
        )
        differences = compare(result.source_items, report.feed)
        for text in differences:
            err(f"differs: {text}")
        if differences:
            err(f"Error: the rebuilt feed differs from the source ({len(differences)})")
            raise typer.Exit(int(ExitCode.CONTENT))
        err("Verified: the rebuilt feed has the source's episodes, unchanged")
