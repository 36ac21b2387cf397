"""Builds of shows whose audio is on a web server (a real one on 127.0.0.1): probed once,
pinned in the lock, and never fetched again."""

import re
import shutil
from datetime import UTC, datetime

import pytest
from conftest import Site
from feedcheck import parse_both
from httpserver import AudioServer
from lxml import etree
from typer.testing import CliRunner

from podcastfeed import lock
from podcastfeed.build import BuildReport, build, write_report
from podcastfeed.cli import app
from podcastfeed.errors import BuildFailed, ExitCode
from podcastfeed.media.probing import ProbeOptions
from podcastfeed.xmlns import PODCAST

NOW = datetime(2026, 1, 1, tzinfo=UTC)
NS = {"podcast": PODCAST}
FILES = {"sine-3s-cbr.mp3": 3, "sine-2s-moov-end.m4a": 2, "sine-2s.opus": 2}


@pytest.fixture
def server(http_server: AudioServer) -> AudioServer:
    return http_server


def _remote_show(site: Site, server: AudioServer) -> None:
    for day, name in enumerate(FILES, start=1):
        site.episode(name.split(".")[0], date=f"2024-01-0{day}", audio=server.url(name))
    site.episode("local", date="2024-01-09", audio=site.audio("sine-2s.flac"))


def _publish(site: Site, **kwargs: object) -> BuildReport:
    report = build(site.config, now=NOW, **kwargs)  # type: ignore[arg-type]
    write_report(report)
    return report


def test_remote_probed_once_then_never_again(site: Site, server: AudioServer) -> None:
    _remote_show(site, server)
    first = _publish(site)
    assert first.probed == 4  # three URLs and the local file
    assert server.requests() == first.requests <= 3 * 3
    items = parse_both(first.feed)
    by_url = {i.url: i for i in items}
    for name, seconds in FILES.items():
        item = by_url[server.url(name)]
        assert item.duration == seconds
        assert item.length == len(server.data(name) or b"")
    server.clear()
    again = _publish(site)
    assert (again.feed, again.probed, server.requests()) == (first.feed, 0, 0)
    # a fresh clone: no build cache, the lock alone answers
    for path in (site.root / ".podcastfeed-cache").iterdir():
        path.unlink()
    clone = _publish(site, use_cache=False)
    assert (clone.feed, clone.probed, server.requests()) == (first.feed, 0, 0)


def test_remote_lock_keeps_validators(site: Site, server: AudioServer) -> None:
    _remote_show(site, server)
    _publish(site)
    entries = {e.url: e for e in lock.load(site.root / lock.LOCK_NAME).entries}
    probe = entries[server.url("sine-3s-cbr.mp3")].probe
    assert probe is not None
    assert probe.url == server.url("sine-3s-cbr.mp3")
    assert probe.etag
    assert probe.last_modified == "Sat, 01 Jun 2024 00:00:00 GMT"
    assert probe.size == len(server.data("sine-3s-cbr.mp3") or b"")


def test_remote_offline_uses_the_lock_and_refuses_what_is_new(
    site: Site, server: AudioServer
) -> None:
    _remote_show(site, server)
    _publish(site)
    server.clear()
    assert _publish(site, probe=ProbeOptions(offline=True), use_cache=False).probed == 0
    site.episode("new", date="2024-02-01", audio=server.url("sine-2s.ogg"))
    with pytest.raises(BuildFailed) as info:
        build(site.config, now=NOW, probe=ProbeOptions(offline=True))
    (problem,) = info.value.problems
    assert str(problem).startswith(
        f"episodes/new.md:4: error: audio {server.url('sine-2s.ogg')} has not been measured yet "
        "and --offline forbids fetching it"
    )
    assert info.value.exit_code == ExitCode.PROBE
    assert server.requests() == 0


def test_remote_refresh_probes_only_what_is_named(site: Site, server: AudioServer) -> None:
    _remote_show(site, server)
    _publish(site)
    server.clear()
    report = _publish(site, probe=ProbeOptions(refresh=["sine-2s"]))  # the opus episode's name
    assert report.probed == 1
    assert {e.path for e in server.settle()} == {"/sine-2s.opus"}


def test_remote_failures_name_episode_and_url_and_others_still_probe(
    site: Site, server: AudioServer
) -> None:
    site.episode("gone", date="2024-01-01", audio=server.url("404/sine-3s-cbr.mp3"))
    site.episode("login", date="2024-01-02", audio=server.url("html/sine-2s.opus"))
    site.episode("fine", date="2024-01-03", audio=server.url("sine-2s.ogg"))
    with pytest.raises(BuildFailed) as info:
        build(site.config, now=NOW)
    errors = sorted(str(p) for p in info.value.problems)
    assert errors[0].startswith(
        f"episodes/gone.md:4: error: {server.url('404/sine-3s-cbr.mp3')}: HTTP 404 Not Found\n"
        "  hint: check the URL in a browser; to build without fetching it, set duration and "
        "length in the front matter"
    )
    assert errors[1].startswith(f"episodes/login.md:4: error: {server.url('html/sine-2s.opus')}: ")
    assert "HTML" in errors[1]
    assert info.value.exit_code == ExitCode.PROBE
    assert server.requests("/sine-2s.ogg") >= 1
    assert not (site.root / lock.LOCK_NAME).exists()


def test_remote_redirects_are_followed_but_the_enclosure_keeps_the_url(
    site: Site, server: AudioServer
) -> None:
    url = server.url("redirect/3/sine-3s-cbr.mp3")
    site.episode("tracked", audio=url)
    (item,) = parse_both(build(site.config, now=NOW).feed)
    assert (item.url, item.duration) == (url, 3)


def test_remote_progress_lines_when_not_a_terminal(site: Site, server: AudioServer) -> None:
    _remote_show(site, server)
    result = CliRunner().invoke(app, ["build", "-c", str(site.config), "--jobs", "2"])
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == "Probing 3 audio URLs"
    assert sorted(line.split("] ")[0] for line in lines[1:4]) == ["  [1/3", "  [2/3", "  [3/3"]
    assert all(line.endswith(": ok") for line in lines[1:4])
    assert re.search(r"; 4 file\(s\) read, 4 probed \(\d+ requests, [\d,]+ KB\), ", lines[4])
    site.episode("more", date="2024-03-01", audio=server.url("sine-2s.ogg"))
    quiet = CliRunner().invoke(app, ["build", "-c", str(site.config), "--quiet"])
    assert quiet.exit_code == 0
    assert quiet.stderr.startswith("Wrote ")


def test_remote_alternate_enclosures_measured_once_and_kept_in_the_lock(
    site: Site, server: AudioServer
) -> None:
    ogg, flac = server.url("sine-2s.ogg"), server.url("redirect/1/sine-2s.flac")
    site.episode(
        "alt",
        date=f"2024-01-01\nalternate_enclosures:\n  - {{url: '{ogg}'}}\n  - {{url: '{flac}'}}",
    )
    first = _publish(site)
    root = etree.fromstring(first.feed)
    found = {
        e.find("podcast:source", NS).get("uri"): (e.get("type"), e.get("length"))
        for e in root.iter(f"{{{PODCAST}}}alternateEnclosure")
    }
    assert found == {
        ogg: ("audio/ogg", str(len(server.data("sine-2s.ogg") or b""))),
        flac: ("audio/flac", str(len(server.data("sine-2s.flac") or b""))),
    }
    (entry,) = lock.load(site.root / lock.LOCK_NAME).entries
    assert [a.url for a in entry.alternates] == [ogg, flac]
    server.clear()
    shutil.rmtree(site.root / ".podcastfeed-cache")
    again = _publish(site, probe=ProbeOptions(offline=True))
    assert (again.feed, server.requests()) == (first.feed, 0)


def test_remote_alternate_offline_without_the_lock_is_an_error(
    site: Site, server: AudioServer
) -> None:
    url = server.url("sine-2s.ogg")
    site.episode("alt", date=f"2024-01-01\nalternate_enclosures:\n  - {{url: '{url}'}}")
    with pytest.raises(BuildFailed) as info:
        build(site.config, now=NOW, probe=ProbeOptions(offline=True))
    (problem,) = info.value.problems  # named as the alternate, at its line (not the audio's)
    assert str(problem).startswith(
        f"episodes/alt.md:4: error: alternate enclosure {url} has not been measured yet and "
        "--offline forbids fetching it\n"
    )
    assert "its length in alternate_enclosures" in (problem.hint or "")
    assert server.requests() == 0


def test_an_unreachable_alternate_is_named_at_its_line_with_its_own_hint(
    site: Site, server: AudioServer
) -> None:
    """(It was named at the audio's line, with the audio's hint: "set duration and length".)"""
    url = server.url("404/missing.ogg")
    site.episode("alt", date=f"2024-01-01\nalternate_enclosures:\n  - {{url: '{url}'}}")
    with pytest.raises(BuildFailed) as info:
        build(site.config, now=NOW)
    (problem,) = info.value.problems
    assert str(problem).startswith("episodes/alt.md:4: error: alternate enclosure: "), problem
    assert "404" in str(problem)
    assert "alternate_enclosures" in (problem.hint or "")
