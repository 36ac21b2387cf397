"""Issue 16: `[show] enclosure_prefix`, an analytics redirect before every enclosure URL. Only
the feed says it: guids, the lock's entries and the probes keep the URL as written."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import feedparser
import pytest
from conftest import Site
from httpserver import AudioServer
from lxml import etree
from typer.testing import CliRunner

from podcastfeed import lock
from podcastfeed.build import BuildReport, build, write_report
from podcastfeed.cli import app
from podcastfeed.errors import BuildFailed
from podcastfeed.values import with_prefix
from podcastfeed.xmlns import PODCAST

NOW = datetime(2026, 1, 1, tzinfo=UTC)
NS = {"podcast": PODCAST}
OP3 = "https://op3.dev/e/"
PODTRAC = "https://dts.podtrac.com/redirect.mp3/"
ALTERNATE = """\
---
title: {name}
date: {date}
audio: audio/{name}.mp3
alternate_enclosures:
  - {{url: audio/{name}.ogg, title: Ogg}}
---
Notes.
"""


def _show(site: Site, prefix: str | None = None) -> None:
    site.show(enclosure_prefix=f'"{prefix}"' if prefix else "")


def _episodes(site: Site) -> None:
    for day, name in enumerate(("one", "two"), start=1):
        site.audio("sine-3s-cbr.mp3", f"{name}.mp3")
        site.audio("sine-2s.ogg", f"{name}.ogg")
        site.episode(name, text=ALTERNATE.format(name=name, date=f"2024-01-0{day}"))


def _publish(site: Site) -> BuildReport:
    report = build(site.config, now=NOW)  # no allow_changes
    write_report(report)
    return report


@pytest.mark.parametrize(
    ("url", "prefix", "published"),
    [
        ("https://cdn.example.org/ep1.mp3", OP3, "https://op3.dev/e/cdn.example.org/ep1.mp3"),
        (
            "https://cdn.example.org/ep1.mp3",
            PODTRAC,
            "https://dts.podtrac.com/redirect.mp3/cdn.example.org/ep1.mp3",
        ),
        ("HTTPS://cdn.example.org/a.mp3", OP3, "https://op3.dev/e/cdn.example.org/a.mp3"),
        ("http://cdn.example.org/ep1.mp3", OP3, "https://op3.dev/e/http://cdn.example.org/ep1.mp3"),
        ("https://cdn.example.org/ep1.mp3", None, "https://cdn.example.org/ep1.mp3"),
    ],
)
def test_prefix_form(url: str, prefix: str | None, published: str) -> None:
    assert with_prefix(url, prefix) == published


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ('"ftp://op3.dev/e/"', "must be an http(s) URL that the media URL is appended to"),
        ('"https://op3.dev/e/?x=1"', "must be an http(s) URL that the media URL is appended to"),
        ("true", "must be an http(s) URL that the media URL is appended to"),
    ],
)
def test_prefix_must_be_an_http_url(site: Site, written: str, problem: str) -> None:
    site.show(enclosure_prefix=written)
    site.episode("one")
    with pytest.raises(BuildFailed) as failed:
        build(site.config, now=NOW)
    (error,) = failed.value.problems
    lines = site.config.read_text(encoding="utf-8").splitlines()
    assert problem in error.message
    assert error.line is not None
    assert lines[error.line - 1] == f"enclosure_prefix = {written}"


def test_prefix_every_enclosure_and_alternate_in_the_feed(site: Site) -> None:
    _show(site, "https://op3.dev/e")  # the missing slash is added
    _episodes(site)
    report = _publish(site)
    parsed = feedparser.parse(report.feed)
    assert not parsed.bozo
    for entry in parsed.entries:
        name = entry.title
        (enclosure,) = [link for link in entry.links if link.rel == "enclosure"]
        assert enclosure.href == f"{OP3}cdn.example.org/media/audio/{name}.mp3"
        assert entry.podcast_source["uri"] == f"{OP3}cdn.example.org/media/audio/{name}.ogg"
    root = etree.fromstring(report.feed)
    sources = root.findall("channel/item/podcast:alternateEnclosure/podcast:source", NS)
    assert len(sources) == 2
    assert all(s.get("uri", "").startswith(OP3) for s in sources)
    page = (site.root / "public" / "index.html").read_text(encoding="utf-8")
    assert "op3.dev" not in page  # the show page plays the file itself
    assert "https://cdn.example.org/media/audio/one.mp3" in page


def test_prefix_added_changed_removed_changes_no_published_episode(site: Site) -> None:
    _show(site)
    _episodes(site)
    first = _publish(site)
    entries = lock.load(site.root / lock.LOCK_NAME).entries
    guids = [e.guid for e in first.published]
    for prefix in (OP3, PODTRAC, None):
        _show(site, prefix)
        report = _publish(site)  # would raise without --allow-changes if the lock saw a change
        saved = lock.load(site.root / lock.LOCK_NAME)
        assert saved.entries == entries
        assert saved.enclosure_prefix == prefix
        assert [e.guid for e in report.published] == guids
        urls = [link.href for e in feedparser.parse(report.feed).entries for link in e.links]
        assert all(url.startswith(prefix or "https://cdn.example.org/") for url in urls)
    assert "enclosure_prefix" not in (site.root / lock.LOCK_NAME).read_text(encoding="utf-8")


def test_prefix_probing_asks_the_file_not_the_prefix(site: Site, http_server: AudioServer) -> None:
    """A build measures the audio at its own URL: no download is counted by the service."""
    _show(site, http_server.url("e/"))
    site.episode("one", audio=http_server.url("sine-3s-cbr.mp3"))
    report = _publish(site)
    assert report.probed == 1
    assert http_server.requests("/sine-3s-cbr.mp3") >= 1
    assert http_server.requests("/e/") == 0
    enclosure = etree.fromstring(report.feed).find("channel/item/enclosure")
    assert enclosure is not None
    assert enclosure.get("url") == http_server.url("e/") + http_server.url("sine-3s-cbr.mp3")


def test_prefix_check_online_follows_the_redirect(site: Site, http_server: AudioServer) -> None:
    """The loopback server answers /e/URL as OP3 does (302 to URL): the online rules get the
    file's answer through it and report the one hop."""
    _show(site, http_server.url("e/"))
    audio = http_server.url("sine-3s-cbr.mp3")
    site.episode("one", audio=audio)
    _publish(site)
    http_server.clear()
    result = CliRunner().invoke(
        app, ["check", "-c", str(site.config), "--online", "--format", "json"]
    )
    findings = {f["rule"]: f for f in json.loads(result.stdout)}
    for rule in ("apple/media-reachable", "apple/byte-range", "apple/media-content-type"):
        assert rule not in findings, findings
    assert "1 redirect to" in findings["apple/redirects"]["message"]
    paths = [(e.path, e.status) for e in http_server.settle() if e.method == "GET"]
    assert (f"/e/{audio}", 302) in paths
    assert ("/sine-3s-cbr.mp3", 206) in paths


def test_prefix_keeps_the_rules_that_compare_with_the_measurement(site: Site) -> None:
    """check finds what was measured for an enclosure by the URL the feed says (prefixed)."""
    _show(site, OP3)
    site.episode("one", text=ALTERNATE.format(name="one", date="2024-01-01") + "\n")
    site.audio("sine-3s-cbr.mp3", "one.mp3")
    site.audio("sine-2s.ogg", "one.ogg")
    text = (site.episodes / "one.md").read_text(encoding="utf-8")
    (site.episodes / "one.md").write_text(text.replace("title:", "duration: 60\ntitle:", 1))
    result = CliRunner().invoke(app, ["check", "-c", str(site.config), "--format", "json"])
    rules = {f["rule"]: f for f in json.loads(result.stdout)}
    message = rules["podcastfeed/stated-vs-measured"]["message"]
    assert "(60 s) is stated, 0:00:03 (3.1 s) measured" in message


def test_prefix_moved_from_the_front_matter_to_feed_toml_changes_nothing(site: Site) -> None:
    """An episode published with the prefix in its audio URL (as an import of a Podtrac or
    OP3 feed writes it) keeps its enclosure when the prefix moves to feed.toml: the feed says
    the same URL, so no --allow-changes; a URL the prefix does not explain still needs it."""
    episode = "---\ntitle: One\ndate: 2024-01-01\naudio: {url}\nduration: 3\nlength: 12345\n---\n"
    site.episode("one", text=episode.format(url=f"{OP3}cdn.example.org/one.mp3"))
    before = _publish(site).feed
    _show(site, OP3)
    site.episode("one", text=episode.format(url="https://cdn.example.org/one.mp3"))
    assert _publish(site).feed == before
    (entry,) = lock.load(site.root / lock.LOCK_NAME).entries
    assert entry.url == "https://cdn.example.org/one.mp3"
    site.episode("one", text=episode.format(url="https://cdn.example.org/other.mp3"))
    with pytest.raises(BuildFailed, match="1 error"):
        build(site.config, now=NOW)


def test_prefix_moved_back_from_feed_toml_to_the_front_matter_changes_nothing(site: Site) -> None:
    """The reverse move: the feed says the same URL, so no --allow-changes either; a prefix
    dropped from both places changes the published URL and still needs it."""
    episode = "---\ntitle: One\ndate: 2024-01-01\naudio: {url}\nduration: 3\nlength: 12345\n---\n"
    _show(site, OP3)
    site.episode("one", text=episode.format(url="https://cdn.example.org/one.mp3"))
    before = _publish(site).feed
    _show(site)
    site.episode("one", text=episode.format(url=f"{OP3}cdn.example.org/one.mp3"))
    assert _publish(site).feed == before
    (entry,) = lock.load(site.root / lock.LOCK_NAME).entries
    assert entry.url == f"{OP3}cdn.example.org/one.mp3"
    site.episode("one", text=episode.format(url="https://cdn.example.org/one.mp3"))
    with pytest.raises(BuildFailed, match="1 error") as failed:
        build(site.config, now=NOW)
    assert "changes its published enclosure URL" in failed.value.problems[0].message
