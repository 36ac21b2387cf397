"""Issue 12, network: no command hangs on a slow host or fills memory on an endless or bombed
body; redirect loops and file: redirects are named; passwords in URLs never reach a message.

The hang and bomb cases run the real CLI in subprocesses (started together) against the
loopback server of httpserver.py, with a deadline of half a second; the others run the CLI in
this process.
"""

from __future__ import annotations

import gzip
import os
import re
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Site
from httpserver import AudioServer
from typer.testing import CliRunner

from podcastfeed.cli import app
from podcastfeed.errors import ProbeError
from podcastfeed.media import remote
from podcastfeed.net import fetch
from podcastfeed.net.limits import feed_limit, mask_url, mask_urls
from podcastfeed.net.notify import Ping

DEADLINE = "0.5"
WAIT = 30  # seconds: a command still running after this hangs (the old code did, forever)
HIT = "no complete answer within 0.5 s (the overall deadline per request; raise it with --deadline)"

FEED = """<?xml version="1.0"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel><title>T</title><link>https://example.org</link><description>D</description>
<item><title>One</title><guid>one</guid><pubDate>Mon, 01 Jan 2024 00:00:00 +0000</pubDate>
<enclosure url="{audio}" length="1000" type="audio/mpeg"/></item>
</channel></rss>
"""


def invoke(*args: str) -> tuple[int, str, str, float]:
    """The CLI in this process (typer's runner), for the cases that cannot hang."""
    started = time.monotonic()
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr, time.monotonic() - started


def run(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> tuple[int, str, str, float]:
    """`python -m podcastfeed ARGS`: (exit code, stdout, stderr, seconds)."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "podcastfeed", *args],
        capture_output=True,
        text=True,
        timeout=WAIT,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        check=False,
    )
    return done.returncode, done.stdout, done.stderr, time.monotonic() - started


@pytest.fixture
def server() -> Iterator[AudioServer]:
    with AudioServer(trickle=0.2) as found:
        yield found


def _feed_file(tmp_path: Path, audio: str) -> Path:
    path = tmp_path / "feed.xml"
    path.write_text(FEED.format(audio=audio), encoding="utf-8")
    return path


def _bomb(megabytes: int = 100) -> bytes:
    """A feed that is ~100 KB gzipped and `megabytes` MB of XML comment once decompressed."""
    block = b" " * (1024 * 1024)
    packer = gzip.compress  # one call per MB keeps the test's own memory small
    parts = [packer(b'<?xml version="1.0"?><rss version="2.0"><channel><!--', mtime=0)]
    parts += [packer(block, mtime=0) for _ in range(megabytes)]
    return b"".join(parts)  # concatenated gzip members: one gzip stream to a reader


# -- the overall deadline, command by command (a status line trickled one byte at a time) --


def _commands(site: Site, tmp_path: Path, url: str) -> dict[str, list[str]]:
    feed = _feed_file(tmp_path, url)
    return {
        "probe": ["probe", url],
        "build": ["build", "--config", str(site.config), "--output", str(tmp_path / "out.xml")],
        "new": ["new", "Title", "--audio", url, "--dir", str(tmp_path / "new")],
        "import": ["import", url, "--dir", str(tmp_path / "imported")],
        "diff": ["diff", url, str(feed)],
        "check --feed": ["check", "--feed", url],
        "check --online": ["check", "--feed", str(feed), "--online"],
        "notify": ["notify", "--config", str(site.config), "--no-podcastindex"],
    }


Launched = dict[tuple[str, str], tuple[subprocess.Popen[str], float]]


@pytest.fixture(scope="module")
def launched(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Launched]:
    """Every fetching command against a trickled status line, and the feed readers against a
    gzip bomb: real processes, started together so the module takes seconds, not a minute."""
    root = tmp_path_factory.mktemp("limits")
    with AudioServer(trickle=0.2) as server:
        url = server.url("trickle-status/ep.mp3")
        site = Site(root / "show")
        site.episode("ep", audio=url)
        site.show(extra=f'hubs = ["{server.url("trickle-status/ping")}"]\n')
        server.add("bomb.xml", _bomb())
        jobs: dict[tuple[str, str], list[str]] = {}
        for command, args in _commands(site, _folder(root / "hang"), url).items():
            if command != "build":  # build has no --timeout (15 s per read)
                args += ["--timeout", "5"]
            jobs["hang", command] = [*args, "--deadline", DEADLINE]
        bomb = _commands(site, _folder(root / "bomb"), server.url("gzip/bomb.xml"))
        for command in ("import", "diff", "check --feed"):
            jobs["bomb", command] = bomb[command]
        started = {
            key: (
                subprocess.Popen(
                    [sys.executable, "-m", "podcastfeed", *args],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                ),
                time.monotonic(),
            )
            for key, args in jobs.items()
        }
        yield started
        for process, _ in started.values():
            if process.poll() is None:
                process.kill()
            process.communicate()


def _folder(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


def _finish(launched: Launched, key: tuple[str, str]) -> tuple[int, str, str, float]:
    process, started = launched[key]
    out, errors = process.communicate(timeout=WAIT)
    return process.returncode, out, errors, time.monotonic() - started


@pytest.mark.slow  # the first to run waits for the whole batch of processes
@pytest.mark.parametrize(
    ("command", "code"),
    [
        ("probe", 3),
        ("build", 3),
        ("new", 3),
        ("import", 3),
        ("diff", 3),
        ("check --feed", 3),
        ("check --online", 1),  # a finding (apple/media-reachable), reported like the others
        ("notify", 3),
    ],
)
def test_deadline_stops_every_command_on_a_trickled_status_line(
    launched: Launched, command: str, code: int
) -> None:
    """A host that sends its status line one byte every 0.2 s never trips the per-read
    timeout; the overall deadline stops the command and names itself."""
    status, out, errors, seconds = _finish(launched, ("hang", command))
    assert HIT in out + errors
    assert status == code, errors
    assert "Traceback" not in errors
    assert seconds < WAIT  # all start together: a second or two each on an idle machine


@pytest.mark.parametrize("route", ["trickle-status", "trickle-body"])
def test_ask_deadline_covers_status_line_headers_and_body(server: AudioServer, route: str) -> None:
    server.add("feed.xml", b"<rss>" + b" " * 1000 + b"</rss>")
    with fetch.make_session("test") as session:
        started = time.monotonic()
        got = fetch.ask(session, server.url(f"{route}/feed.xml"), timeout=5, deadline=0.5)
    assert got.error == HIT
    assert time.monotonic() - started < 3


def test_probe_url_deadline_covers_a_trickled_body(server: AudioServer) -> None:
    """The first ranged read of a probe, answered 200 with the whole file a byte at a time."""
    url = server.url("trickle-body/sine-3s-cbr.mp3")
    with fetch.make_session("test") as session:
        started = time.monotonic()
        with pytest.raises(ProbeError, match=r"no complete answer within 0\.5 s"):
            remote.probe_url(session, url, timeout=5, deadline=0.5)
    assert time.monotonic() - started < 3


def test_deadline_leaves_the_next_request_on_a_kept_alive_connection_alone(
    server: AudioServer,
) -> None:
    """A deadline disarmed after its request must not cut a later request's connection."""
    with fetch.make_session("test") as session:
        for _ in range(3):
            found = remote.probe_url(session, server.url("sine-3s-cbr.mp3"), deadline=0.3)
            assert found.info.seconds == 3
            time.sleep(0.35)


# -- size caps: a gzip bomb and an endless body --


@pytest.mark.slow
@pytest.mark.parametrize("command", ["import", "diff", "check --feed"])
def test_feed_size_cap_stops_a_gzip_bomb(launched: Launched, command: str) -> None:
    """100 KB on the wire, 100 MB of XML once decompressed: stopped at 64 MB, quickly, with
    memory bounded, and the message names the limit."""
    status, _, errors, seconds = _finish(launched, ("bomb", command))
    assert status == 3, errors
    assert re.search(
        r"http://127\.0\.0\.1:\d+/gzip/bomb\.xml: the answer is larger than 64 MB after "
        r"decompression \(the feed size limit; set PODCASTFEED_MAX_FEED_MB to raise it\)",
        errors,
    )
    assert "Traceback" not in errors
    assert seconds < WAIT
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # KB on Linux
    assert peak < 400 * 1024 * 1024


def test_feed_size_cap_stops_an_endless_body(server: AudioServer, tmp_path: Path) -> None:
    """A feed that never ends; the cap is lowered to 2 MB through the environment."""
    url = server.url("endless/feed.xml")
    status, _, errors, seconds = run(
        "diff", url, str(_feed_file(tmp_path, url)), env={"PODCASTFEED_MAX_FEED_MB": "2"}
    )
    assert status == 3
    assert f"{url}: the answer is larger than 2 MB after decompression" in errors
    assert seconds < 10


def test_notify_caps_a_hubs_answer(server: AudioServer, site: Site) -> None:
    """A hub answering its ping with a gzip bomb is a failure named by its limit, not "ok"
    after a minute and a half."""
    server.add("bomb", _bomb(20))
    site.show(extra=f'hubs = ["{server.url("gzip/bomb")}"]\n')
    status, out, errors, seconds = run("notify", "--config", str(site.config), "--no-podcastindex")
    assert status == 3, errors
    assert "FAILED: WebSub hub" in out
    assert "the answer is larger than 1 MB after decompression (the ping answer size limit" in out
    assert seconds < 10


def test_feed_limit_reads_the_environment() -> None:
    assert feed_limit({}) == 64 * 1024 * 1024
    assert feed_limit({"PODCASTFEED_MAX_FEED_MB": "256"}) == 256 * 1024 * 1024
    assert feed_limit({"PODCASTFEED_MAX_FEED_MB": "lots"}) == 64 * 1024 * 1024


def test_check_online_reads_two_bytes_of_an_endless_enclosure(server: AudioServer) -> None:
    with fetch.make_session("test") as session:
        got = fetch.ask(session, server.url("endless/ep.mp3"), first_bytes=2, deadline=2)
    assert (got.status, got.error, len(got.body)) == (200, None, 2)


# -- redirects --


@pytest.mark.parametrize("command", ["import", "diff", "check --feed"])
def test_redirect_loop_is_named(
    server: AudioServer, site: Site, tmp_path: Path, command: str
) -> None:
    url = server.url("loop/feed.xml")
    status, _, errors, _ = invoke(*_commands(site, tmp_path, url)[command])
    assert status == 3
    assert f"{url}: redirect loop (/loop/feed.xml → /loop-back/feed.xml → /loop/feed.xml)" in errors


def test_notify_names_a_redirect_loop(server: AudioServer, site: Site) -> None:
    site.show(extra=f'hubs = ["{server.url("loop/ping")}"]\n')
    status, out, _, _ = invoke("notify", "--config", str(site.config), "--no-podcastindex")
    assert status == 3
    assert "-> redirect loop (/loop/ping → /loop-back/ping → /loop/ping)" in out


@pytest.mark.parametrize("command", ["import", "diff", "check --feed", "probe"])
def test_redirect_to_file_is_refused_by_name(
    server: AudioServer, site: Site, tmp_path: Path, command: str
) -> None:
    url = server.url("to-file/feed.xml")
    status, _, errors, _ = invoke(*_commands(site, tmp_path, url)[command])
    assert status == 3
    assert "refuses to follow a redirect to file:///etc/passwd (only http and https)" in errors
    assert "InvalidSchema" not in errors


def test_notify_refuses_a_redirect_to_file(server: AudioServer, site: Site) -> None:
    site.show(extra=f'hubs = ["{server.url("to-file/ping")}"]\n')
    status, out, _, _ = invoke("notify", "--config", str(site.config), "--no-podcastindex")
    assert status == 3
    assert "refuses to follow a redirect to file:///etc/passwd (only http and https)" in out


# -- passwords in URLs --


def _secret(server: AudioServer, path: str) -> str:
    return server.base.replace("http://", "http://ada:s3cret@") + "/" + path


def test_mask_url_hides_only_the_password() -> None:
    assert mask_url("https://ada:s3cret@host/f.xml") == "https://ada:***@host/f.xml"
    assert mask_url("https://ada@host/f.xml") == "https://ada@host/f.xml"
    assert mask_url("https://ada:p@ss@host/a?b=c@d") == "https://ada:***@host/a?b=c@d"
    assert mask_urls("x http://a:b@h/ y ftp://c:d@e z") == "x http://a:***@h/ y ftp://c:***@e z"


@pytest.mark.parametrize(
    "command", ["probe", "new", "import", "diff", "check --feed", "check --online"]
)
def test_passwords_are_masked_in_errors(
    server: AudioServer, site: Site, tmp_path: Path, command: str
) -> None:
    url = _secret(server, "404/ep.mp3")
    status, out, errors, _ = invoke(*_commands(site, tmp_path, url)[command])
    assert status in (1, 3)
    assert "s3cret" not in out + errors
    assert "ada:***@127.0.0.1" in out + errors


def test_passwords_are_masked_in_build_progress_but_kept_in_the_feed(
    server: AudioServer, site: Site, tmp_path: Path
) -> None:
    url = _secret(server, "sine-3s-cbr.mp3")
    site.episode("ep", audio=url)
    status, _, errors, _ = invoke("build", "--config", str(site.config))
    assert status == 0, errors
    assert "ada:***@127.0.0.1" in errors  # the progress line
    assert "s3cret" not in errors
    assert url in (site.root / "public" / "feed.xml").read_text(encoding="utf-8")


def test_passwords_are_masked_in_a_redirect_loop_and_in_notify(
    server: AudioServer, site: Site
) -> None:
    hub = _secret(server, "loop/ping")
    site.show(extra=f'hubs = ["{hub}"]\n')
    assert "s3cret" not in str(Ping("WebSub hub", "POST", hub, {"hub.url": hub}))
    status, out, errors, _ = invoke("notify", "--config", str(site.config), "--no-podcastindex")
    assert status == 3
    assert "s3cret" not in out + errors
    assert "ada:***@" in out


def test_a_host_name_that_does_not_exist_is_not_asked_again() -> None:
    """A resolver's "no such name" is final: three retries with backoff only made every online
    check of a mistyped host wait ~3 s (a temporary resolver failure is still retried)."""
    with fetch.make_session("podcastfeed-test") as session:
        started = time.monotonic()
        answer = fetch.ask(session, "http://podcastfeed-test.invalid/feed.xml", deadline=20)
    assert answer.error == "cannot resolve the host name 'podcastfeed-test.invalid' (DNS)"
    assert time.monotonic() - started < 1.0  # the retries' backoff alone was 0 + 1 + 2 s
