"""Paged feeds (RFC 5005 section 3): a host that publishes its feed in pages (SoundCloud, some
WordPress setups) lists only the newest episodes in it, and an `atom:link rel="next"` leads to
the page with the older ones. `podcastfeed import` reads every page, so no episode is left
behind without a word. Pure apart from `fetch`, which the caller gives (net/sources.py).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urljoin

from podcastfeed.errors import PodcastfeedError
from podcastfeed.feeds.import_show import link_href
from podcastfeed.feeds.importer import Import, Item, read_feed, read_page, settle
from podcastfeed.net.limits import FEED_LIMIT_ENV, amount, is_url, mask_url

#: At most this many pages are read (a host that makes up pages forever stops here).
MAX_PAGES = 10_000

Fetch = Callable[[str], bytes]
Progress = Callable[[int, str], None]  # (page number, its URL): a page is being read


def read_pages(
    data: bytes,
    source: str,
    source_url: str | None,
    fetch: Fetch | None,
    *,
    limit: int,
    first_page_only: bool = False,
    progress: Progress | None = None,
) -> Import:
    """The feed `data` with the items of every later page (a later page's item whose guid or
    audio URL an earlier one has is skipped, as within a page).

    Args:
        fetch: the bytes at an http(s) URL (None: `source` is a file, and a next page is a
            warning).
        limit: bytes all pages may hold together (the feed size limit).
        first_page_only: read no other page; a warning says what is left.

    Raises:
        PodcastfeedError: a page cannot be read or is not an RSS feed, or the pages together
            are larger than `limit`: the import stops rather than lose their episodes.
    """
    found = read_feed(data, source, source_url)
    number = 1
    here = source_url or source
    seen = {here}
    total = len(data)
    guids = {item.guid for item in found.items}
    urls = {item.url for item in found.items}
    link = found.next_page
    while link:
        number += 1
        target = urljoin(here, link) if is_url(here) else link
        why = _why_not(target, fetch, first_page_only, seen, number)
        if why:
            found.warnings.append(
                f"the feed is paged: its next page ({mask_url(target)}) was not read: {why}"
            )
            break
        assert fetch is not None  # _why_not said so
        if progress is not None:
            progress(number, target)
        page = _fetch(fetch, target, number)
        total += len(page)
        if total > limit:
            raise PodcastfeedError(
                f"the feed's {number} pages are larger than {amount(limit)} together "
                "(the feed size limit)",
                source=mask_url(target),
                hint=f"set {FEED_LIMIT_ENV} to raise it",
            )
        seen.add(target)
        items, link = _later_page(page, target, found, guids, urls, number)
        here = target
        if not items and link:
            found.warnings.append(
                f"page {number} ({mask_url(target)}) adds no episode: its next page was not read"
            )
            break
    return found


def _why_not(
    url: str, fetch: Fetch | None, first_page_only: bool, seen: set[str], number: int
) -> str | None:
    if first_page_only:
        return "--first-page-only: TODO import its older episodes by hand"
    if not is_url(url):
        return "not an http(s) URL"
    if fetch is None:
        return "the feed was read from a file: import it from its URL to get every page"
    if url in seen:
        return "it is a page read before (the pages link in a loop)"
    if number > MAX_PAGES:
        return f"more than {MAX_PAGES:,} pages"
    return None


def _fetch(fetch: Fetch, url: str, number: int) -> bytes:
    try:
        return fetch(url)
    except PodcastfeedError as exc:  # its class keeps its exit code (network, file ...)
        exc.message = f"page {number} of the feed: {exc.message}"
        exc.hint = exc.hint or (
            "its episodes would be lost: try again later, or import with --first-page-only "
            "and add them by hand"
        )
        raise


def _later_page(
    data: bytes, url: str, found: Import, guids: set[str], urls: set[str], number: int
) -> tuple[list[Item], str | None]:
    """Adds page `number`'s items to `found`; returns them and the page's next link."""
    page, channel = read_page(data, mask_url(url))  # not an RSS feed: an error names it
    where = f"page {number}, "
    shown = mask_url(url)
    for repair in page.repairs:
        found.warnings.append(
            f"{shown}{f':{repair.line}' if repair.line else ''}: repaired {repair.what}"
        )
    found.normalizations += [where + text for text in page.normalizations]
    found.warnings += [where + text for text in page.warnings]
    found.read += page.read
    kept = []
    for item in page.items:
        if item.guid in guids or item.url in urls:
            what = "guid" if item.guid in guids else "enclosure URL"
            found.warnings.append(
                f"{where}item {item.title!r}: same {what} as an item of an earlier page; "
                "kept the first"
            )
            continue
        guids.add(item.guid)
        urls.add(item.url)
        kept.append(item)
    settle(found, kept)
    found.items += kept
    return kept, link_href(channel, "next")
