"""--online rules against the loopback server: Range, content type, redirects, artwork HEAD."""

from __future__ import annotations

import json
from pathlib import Path

from httpserver import AudioServer
from images import jpeg_bytes
from test_checks import NOW, make_feed

from podcastfeed.lint.base import Finding
from podcastfeed.lint.online import Online
from podcastfeed.lint.runner import lint_data, run
from podcastfeed.net.fetch import make_session

AUDIO = "sine-3s-cbr.mp3"
SKIP = ["podcastindex/https"]  # the loopback server is http


def _cover(server: AudioServer) -> str:
    return server.add("cover.jpg", jpeg_bytes((9, 9, 9)))


def _online(
    server: AudioServer,
    paths: list[str],
    image: str = "",
    cache: Path | None = None,
    sample: int | None = None,
) -> list[Finding]:
    image = image or _cover(server)
    items = [
        {"enclosure": f'<enclosure url="{server.url(p)}" length="9" type="audio/mpeg"/>'}
        for p in paths
    ]
    data = make_feed({"image": f'<itunes:image href="{image}"/>'}, items)
    with make_session("test", retries=0) as session:
        online = Online(session, 5.0, cache_file=cache)
        feed = lint_data(data, "feed.xml", NOW, online=online, sample=sample)
        found = run(feed, online=True, ignore=SKIP)
        online.save()
    return found


def test_online_good_host_passes(http_server: AudioServer) -> None:
    assert _online(http_server, [AUDIO]) == []
    assert [e.range for e in http_server.settle() if "sine" in e.path] == ["bytes=0-1"]


def test_online_no_range_is_an_error(http_server: AudioServer) -> None:
    [finding] = _online(http_server, [f"no-range/{AUDIO}"])
    assert finding.rule == "apple/byte-range"
    assert finding.message.endswith("a Range request got HTTP 200, not 206")


def test_online_redirects_are_counted(http_server: AudioServer) -> None:
    [finding] = _online(http_server, [f"redirect/2/{AUDIO}"])
    assert finding.rule == "apple/redirects"
    assert finding.message.endswith(f": 2 redirects to {http_server.url(AUDIO)}")


def test_online_html_is_not_media(http_server: AudioServer) -> None:
    [finding] = _online(http_server, [f"html/{AUDIO}"])
    assert finding.rule == "apple/media-content-type"
    assert "Content-Type 'text/html'" in finding.message


def test_online_404_is_unreachable(http_server: AudioServer) -> None:
    [finding] = _online(http_server, [f"404/{AUDIO}"])
    assert (finding.rule, finding.message) == (
        "apple/media-reachable",
        f"{http_server.url('404/' + AUDIO)}: HTTP 404",
    )


def test_online_artwork_must_answer_head(http_server: AudioServer) -> None:
    _cover(http_server)
    [finding] = _online(http_server, [AUDIO], image=http_server.url("head-405/cover.jpg"))
    assert finding.rule == "apple/artwork-head"
    assert finding.message.endswith("head-405/cover.jpg: HEAD got HTTP 405")


def test_online_artwork_host_unreachable_says_the_request_failed(http_server: AudioServer) -> None:
    """Not 'HEAD got cannot connect …': the request failed, and why."""
    findings = _online(http_server, [AUDIO], image="http://127.0.0.1:9/cover.jpg")
    [message] = [f.message for f in findings if f.rule == "apple/artwork-head"]
    assert message.startswith("artwork http://127.0.0.1:9/cover.jpg: HEAD failed: ")
    assert "HEAD got" not in message


def test_online_sample_and_day_long_cache(http_server: AudioServer, tmp_path: Path) -> None:
    cache = tmp_path / "cache" / "online.json"
    paths = [AUDIO, f"no-range/{AUDIO}"]
    assert _online(http_server, paths, sample=1, cache=cache) == []
    assert _online(http_server, paths, cache=cache)[0].rule == "apple/byte-range"
    http_server.clear()
    assert _online(http_server, paths, cache=cache)[0].rule == "apple/byte-range"
    assert http_server.requests("sine") == 0  # from the cache (the artwork header is read again)
    stored = json.loads(cache.read_text())
    assert stored["format"] == 1
    assert len(stored["answers"]) == 3  # 2 enclosures, 1 artwork HEAD
