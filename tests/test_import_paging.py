"""`podcastfeed import` of a paged feed (RFC 5005: atom:link rel="next"): every page's episodes
are imported from a real HTTP server, and what is not read is said, never lost silently."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from podcastfeed.cli import app
from podcastfeed.errors import PodcastfeedError
from podcastfeed.feeds.paging import read_pages
from podcastfeed.net.sources import read_source

DATA = Path(__file__).parent / "data"
SOURCE = DATA / "realfeeds" / "resilientwebdesign.rss"  # 8 items
ATOM = "http://www.w3.org/2005/Atom"


def _page(items: slice, next_href: str | None) -> bytes:
    """The source feed with only `items` of its items, linking to `next_href`."""
    root = etree.fromstring(SOURCE.read_bytes())
    channel = root.find("channel")
    assert channel is not None
    all_items = channel.findall("item")
    for item in all_items:
        channel.remove(item)
    for item in all_items[items]:
        channel.append(copy.deepcopy(item))
    if next_href is not None:
        link = etree.SubElement(channel, f"{{{ATOM}}}link", nsmap={"atom": ATOM})
        link.set("rel", "next")
        link.set("href", next_href)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _episode_files(folder: Path) -> int:
    return len(list((folder / "episodes").glob("*.html")))


def _serve_three_pages(server) -> str:  # type: ignore[no-untyped-def]
    """Three pages: a relative link to the second, an absolute one to the third."""
    third = server.add("paged/3.rss", _page(slice(6, 8), None))
    server.add("paged/2.rss", _page(slice(3, 6), third))
    return str(server.add("paged/1.rss", _page(slice(0, 3), "2.rss")))


def test_import_reads_every_page_and_verifies(http_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = _serve_three_pages(http_server)
    result = CliRunner().invoke(app, ["import", first, "--dir", str(tmp_path), "--verify"])
    assert result.exit_code == 0, result.stderr
    assert "Reading page 2 of the feed: " in result.stderr
    assert "Imported 8 episode(s)" in result.stderr
    assert "Verified: the rebuilt feed has the source's episodes, unchanged" in result.stderr
    assert _episode_files(tmp_path) == 8
    assert "warning" not in result.stderr
    assert http_server.requests("paged/") == 3  # each page once


def test_first_page_only_says_what_is_left(http_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = _serve_three_pages(http_server)
    args = ["import", first, "--dir", str(tmp_path), "--first-page-only"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert "Imported 3 episode(s)" in result.stderr
    assert (
        f"warning: the feed is paged: its next page ({http_server.url('paged/2.rss')}) was not "
        "read: --first-page-only: TODO import its older episodes by hand"
    ) in result.stderr
    assert http_server.requests("paged/2.rss") == 0


def test_a_page_that_cannot_be_read_stops_the_import(http_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = http_server.add("paged/1.rss", _page(slice(0, 3), "gone.rss"))
    result = CliRunner().invoke(app, ["import", first, "--dir", str(tmp_path)])
    assert result.exit_code == 3, result.stderr  # a network error, as for the first page
    assert "page 2 of the feed: " in result.stderr
    assert "HTTP 404" in result.stderr
    assert "import with --first-page-only" in result.stderr
    assert not (tmp_path / "feed.toml").exists()  # nothing written: no half import


def test_a_page_that_is_not_a_feed_stops_the_import(http_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    http_server.add("paged/2.rss", b"<html><body>Not found</body></html>")
    first = http_server.add("paged/1.rss", _page(slice(0, 3), "2.rss"))
    result = CliRunner().invoke(app, ["import", first, "--dir", str(tmp_path)])
    assert result.exit_code != 0
    assert http_server.url("paged/2.rss") in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "feed.toml").exists()


def test_a_file_with_a_next_page_warns(tmp_path: Path) -> None:
    feed = DATA / "realworld" / "soundcloud.xml"
    result = CliRunner().invoke(app, ["import", str(feed), "--dir", str(tmp_path / "show")])
    assert result.exit_code == 0, result.stderr
    assert (
        "warning: the feed is paged: its next page (https://feeds.soundcloud.com/users/"
        "soundcloud:users:12345678/sounds.rss?before=987654321) was not read: the feed was read "
        "from a file: import it from its URL to get every page"
    ) in result.stderr


def _fetch(url: str) -> bytes:
    return read_source(url, session=None, timeout=5, deadline=10)


def test_pages_in_a_loop_are_read_once(http_server) -> None:  # type: ignore[no-untyped-def]
    second = http_server.url("paged/2.rss")
    first = http_server.add("paged/1.rss", _page(slice(0, 3), second))
    http_server.add("paged/2.rss", _page(slice(3, 8), first))
    data = read_source(first, session=None, timeout=5, deadline=10)
    found = read_pages(data, first, first, _fetch, limit=10**7)
    assert len(found.items) == 8
    assert found.warnings == [
        f"the feed is paged: its next page ({first}) was not read: it is a page read before "
        "(the pages link in a loop)"
    ]
    assert http_server.requests("paged/2.rss") == 1


def test_an_item_repeated_on_a_later_page_is_kept_once(http_server) -> None:  # type: ignore[no-untyped-def]
    http_server.add("paged/2.rss", _page(slice(2, 8), None))  # item 3 is on both pages
    first = http_server.add("paged/1.rss", _page(slice(0, 3), "2.rss"))
    data = read_source(first, session=None, timeout=5, deadline=10)
    found = read_pages(data, first, first, _fetch, limit=10**7)
    assert len(found.items) == 8
    assert len({item.guid for item in found.items}) == 8
    [warning] = [w for w in found.warnings if "earlier page" in w]
    assert warning.startswith("page 2, item ")
    assert warning.endswith(": same guid as an item of an earlier page; kept the first")


def test_a_host_that_makes_up_pages_stops_when_one_adds_nothing(http_server) -> None:  # type: ignore[no-untyped-def]
    for number in range(2, 50):  # every later page repeats the first's items
        http_server.add(f"paged/{number}.rss", _page(slice(0, 3), f"{number + 1}.rss"))
    first = http_server.add("paged/1.rss", _page(slice(0, 3), "2.rss"))
    data = read_source(first, session=None, timeout=5, deadline=10)
    found = read_pages(data, first, first, _fetch, limit=10**7)
    assert len(found.items) == 3
    assert f"page 2 ({http_server.url('paged/2.rss')}) adds no episode" in found.warnings[-1]
    assert http_server.requests("paged/") == 2


def test_pages_together_are_held_to_the_feed_size_limit(http_server) -> None:  # type: ignore[no-untyped-def]
    first = _serve_three_pages(http_server)
    data = read_source(first, session=None, timeout=5, deadline=10)
    with pytest.raises(PodcastfeedError) as caught:
        read_pages(data, first, first, _fetch, limit=len(data) + 100)
    assert "the feed's 2 pages are larger than" in caught.value.message
    assert caught.value.hint == "set PODCASTFEED_MAX_FEED_MB to raise it"


def test_a_next_link_that_is_not_http_is_not_followed(http_server) -> None:  # type: ignore[no-untyped-def]
    first = http_server.add("paged/1.rss", _page(slice(0, 3), "file:///etc/passwd"))
    data = read_source(first, session=None, timeout=5, deadline=10)
    found = read_pages(data, first, first, _fetch, limit=10**7)
    assert len(found.items) == 3
    assert found.warnings == [
        "the feed is paged: its next page (file:///etc/passwd) was not read: not an http(s) URL"
    ]
