"""`podcastfeed serve` (issue 8): a real server in a subprocess, fetched with requests."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
import requests
from conftest import Site
from images import make_image
from serving import Served

from podcastfeed.serve import _parse_range, error_page
from podcastfeed.source.localart import published_name


def _until(check: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


@pytest.fixture
def served(site: Site) -> Iterator[Served]:
    site.episode("first", title="First light")
    with Served(site.config) as server:
        yield server


def test_serve_page_feed_and_audio_with_range(served: Served, site: Site) -> None:
    page = requests.get(served.url, timeout=5)
    assert page.status_code == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "First light" in page.text
    assert 'src="/audio/episodes/audio/sine-3s-cbr.mp3"' in page.text
    feed = requests.get(served.url + "feed.xml", timeout=5)
    assert feed.status_code == 200
    assert b"<title>First light</title>" in feed.content
    audio_url = served.url + "audio/episodes/audio/sine-3s-cbr.mp3"
    whole = (site.episodes / "audio" / "sine-3s-cbr.mp3").read_bytes()
    ranged = requests.get(audio_url, headers={"Range": "bytes=10-19"}, timeout=5)
    assert ranged.status_code == 206
    assert ranged.headers["Content-Range"] == f"bytes 10-19/{len(whole)}"
    assert ranged.content == whole[10:20]
    assert requests.get(audio_url, timeout=5).content == whole
    tail = requests.get(audio_url, headers={"Range": "bytes=-5"}, timeout=5)
    assert (tail.status_code, tail.content) == (206, whole[-5:])
    past = requests.get(audio_url, headers={"Range": f"bytes={len(whole)}-"}, timeout=5)
    assert past.status_code == 416
    episode = requests.get(served.url + "episodes/first", timeout=5)
    assert episode.history[0].status_code == 301
    assert "First light" in episode.text
    for path in ("../feed.toml", "%2e%2e/feed.toml", "audio/feed.toml", "nothing.html"):
        assert requests.get(served.url + path, timeout=5).status_code == 404, path
    assert not (site.root / "podcastfeed.lock").exists()  # a preview writes no lock


def test_serve_says_the_build_s_warnings_once(site: Site) -> None:
    """A preview hid every warning a build gives (a misspelt key, an episode file that is a
    link to nothing): said at the first build, and again only when they change."""
    site.episode("typo", date="2024-01-01\nexerpt: A summary.")
    with Served(site.config) as server:
        server.wait_for(r"Built 1 episode in")
        assert server.lines[:2] == [
            "episodes/typo.md:4: warning: unknown key 'exerpt' (ignored)",
            "  hint: did you mean 'excerpt'?",
        ]
        site.episode("other", date="2024-01-02", audio=site.audio("sine-2s.ogg"))  # a rebuild
        server.wait_for(r"Built 2 episodes in")
        assert sum("exerpt" in line for line in server.lines) == 1


@pytest.mark.slow  # waits for the polling rebuild, twice
def test_serve_rebuilds_on_change_and_shows_errors(served: Served, site: Site) -> None:
    site.episode("first", title="Second light")
    _until(lambda: "Second light" in requests.get(served.url, timeout=5).text)
    site.episode("broken", date="not a date")
    _until(lambda: requests.get(served.url, timeout=5).status_code == 500)
    page = requests.get(served.url, timeout=5)
    assert "Build failed" in page.text
    assert "broken.md" in page.text
    assert requests.get(served.url + "feed.xml", timeout=5).status_code == 200  # the last good
    served.wait_for(r"broken\.md.*date")
    (site.episodes / "broken.md").unlink()
    _until(lambda: requests.get(served.url, timeout=5).status_code == 200)
    site.show(title='"Renamed show"')
    _until(lambda: "Renamed show" in requests.get(served.url, timeout=5).text)


@pytest.mark.slow  # waits for the polling rebuild
def test_serve_shows_local_artwork_and_rebuilds_when_it_changes(site: Site) -> None:
    """`[show] image = "cover.jpg"`: the page shows the published copy, which the preview
    serves; a new picture (feed.toml and the episodes unchanged) is a new copy (issue 15)."""
    cover = site.root / "cover.jpg"
    make_image(cover)
    site.show(image='"cover.jpg"')
    site.episode("first", title="First light")
    with Served(site.config) as served:
        old = published_name(cover)
        assert f'<img src="{old}"' in requests.get(served.url, timeout=5).text
        assert requests.get(served.url + old, timeout=5).content == cover.read_bytes()
        make_image(cover, color=(0, 0, 255))
        new = published_name(cover)
        _until(lambda: f'<img src="{new}"' in requests.get(served.url, timeout=5).text)


def test_serve_ctrl_c_stops_cleanly(served: Served) -> None:
    assert served.stop() == 0
    assert served.lines[-1] == "Stopped"
    assert not any("Traceback" in line for line in served.lines)


def test_serve_starts_with_a_broken_show(site: Site) -> None:
    site.episode("broken", date="not a date")
    with Served(site.config) as server:
        page = requests.get(server.url, timeout=5)
        assert page.status_code == 500
        assert "broken.md" in page.text
        site.episode("broken")
        _until(lambda: requests.get(server.url, timeout=5).status_code == 200)


def test_error_page_escapes() -> None:
    assert b"&lt;script&gt;" in error_page(["<script>x</script>"])


def test_parse_range() -> None:
    assert _parse_range(None, 10) is None
    assert _parse_range("bytes=0-0", 10) == (0, 1)
    assert _parse_range("bytes=2-", 10) == (2, 10)
    assert _parse_range("bytes=5-99", 10) == (5, 10)
    assert _parse_range("bytes=-3", 10) == (7, 10)
    assert _parse_range("bytes=10-", 10) == "invalid"
    assert _parse_range("bytes=0-1,4-5", 10) is None
    assert _parse_range("items=0-1", 10) is None


def test_serve_plays_audio_whose_name_needs_quoting(site: Site) -> None:
    """The sample show's `developer experience.mp3` answered 404: its player's src is quoted
    ("%20"), the server looked the request's decoded path up among quoted ones."""
    site.episode("spaced", audio=site.audio("sine-3s-cbr.mp3", "a b#1.mp3"))
    with Served(site.config) as server:
        page = requests.get(server.url, timeout=5).text
        assert 'src="/audio/episodes/audio/a%20b%231.mp3"' in page
        answer = requests.get(server.url + "audio/episodes/audio/a%20b%231.mp3", timeout=5)
        assert answer.status_code == 200
        assert answer.content == (site.episodes / "audio" / "a b#1.mp3").read_bytes()
