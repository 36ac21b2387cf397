"""`podcastfeed notify`: WebSub hub pings and the Podcast Index pubnotify, against a real server."""

from urllib.parse import parse_qs, urlsplit

from conftest import Site
from httpserver import AudioServer
from typer.testing import CliRunner

from podcastfeed.cli import app
from podcastfeed.cli.workflow import notify_command
from podcastfeed.net import notify

runner = CliRunner()
FEED = "https://example.org/feed.xml"


def _hubs(site: Site, *urls: str) -> None:
    site.show(extra="hubs = [" + ", ".join(f'"{u}"' for u in urls) + "]\n")


def test_notify_pings_every_hub_and_the_podcast_index(site: Site, http_server: AudioServer) -> None:
    hub1, hub2 = http_server.url("hub1/ping"), http_server.url("hub2/ping")
    _hubs(site, hub1, hub2)
    index = http_server.url("api/1.0/hub/pubnotify")
    result = runner.invoke(
        app, ["notify", "-c", str(site.config), "--pubnotify-url", index, "--timeout", "5"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"ok: WebSub hub: POST {hub1} (hub.mode=publish&hub.url=https%3A%2F%2Fexample.org"
        "%2Ffeed.xml) -> HTTP 204",
        f"ok: WebSub hub: POST {hub2} (hub.mode=publish&hub.url=https%3A%2F%2Fexample.org"
        "%2Ffeed.xml) -> HTTP 204",
        f"ok: Podcast Index: GET {index}?url=https%3A%2F%2Fexample.org%2Ffeed.xml -> HTTP 200",
    ]
    assert result.stderr == f"Notified 3 service(s) that {FEED} changed\n"
    log = http_server.settle()
    posts = [e for e in log if e.method == "POST"]
    assert [e.path for e in posts] == ["/hub1/ping", "/hub2/ping"]
    for entry in posts:
        assert parse_qs(entry.body.decode()) == {"hub.mode": ["publish"], "hub.url": [FEED]}
        assert (entry.user_agent or "").startswith("podcastfeed/")
    (get,) = [e for e in log if e.method == "GET"]
    assert parse_qs(urlsplit(get.path).query) == {"url": [FEED]}


def test_notify_retries_transient_failures(site: Site, http_server: AudioServer) -> None:
    hub = http_server.url("500-then-ok/ping")
    _hubs(site, hub)
    index = http_server.url("429/pubnotify")
    result = runner.invoke(app, ["notify", "-c", str(site.config), "--pubnotify-url", index])
    assert result.exit_code == 0, result.output
    assert [e.status for e in http_server.settle()] == [500, 204, 429, 200]


def test_notify_failures_exit_3_and_report_each(site: Site, http_server: AudioServer) -> None:
    bad, good = http_server.url("404/ping"), http_server.url("ok/ping")
    _hubs(site, bad, good)
    index = http_server.url("500/pubnotify")
    args = ["notify", "-c", str(site.config), "--pubnotify-url", index, "--retries", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 3
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"FAILED: WebSub hub: POST {bad} (")
    assert lines[0].endswith("-> HTTP 404: <!DOCTYPE html><title>Not Found</title>")
    assert lines[1].startswith(f"ok: WebSub hub: POST {good} (")
    assert lines[2] == (
        f"FAILED: Podcast Index: GET {index}?url=https%3A%2F%2Fexample.org%2Ffeed.xml -> "
        "HTTP 500: Internal Server Error"
    )
    assert result.stderr == "Error: 2 of 3 notification(s) failed; run it again later\n"


def test_notify_unreachable_server_is_a_failure(site: Site) -> None:
    _hubs(site, "http://127.0.0.1:9/ping")
    args = ["notify", "-c", str(site.config), "--no-podcastindex", "--retries", "0"]
    result = runner.invoke(app, args)
    assert result.exit_code == 3
    assert result.stdout.startswith("FAILED: WebSub hub: POST http://127.0.0.1:9/ping (")


def test_notify_dry_run_sends_nothing(site: Site, http_server: AudioServer) -> None:
    hub = http_server.url("hub/ping")
    _hubs(site, hub)
    result = runner.invoke(app, ["notify", "-c", str(site.config), "--dry-run"])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"would send WebSub hub: POST {hub} (hub.mode=publish&hub.url=https%3A%2F%2Fexample.org"
        "%2Ffeed.xml)",
        "would send Podcast Index: GET https://api.podcastindex.org/api/1.0/hub/pubnotify"
        "?url=https%3A%2F%2Fexample.org%2Ffeed.xml",
    ]
    assert http_server.settle() == []


def test_notify_nothing_to_do(site: Site) -> None:
    result = runner.invoke(app, ["notify", "-c", str(site.config), "--no-podcastindex"])
    assert result.exit_code == 0
    assert result.stderr == (
        "Nothing to notify: no [show] hubs in feed.toml, and --no-podcastindex\n"
    )


def test_notify_bad_config_exit_1() -> None:
    result = runner.invoke(app, ["notify", "-c", "nope/feed.toml"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: nope/feed.toml: no such file")


def test_notify_default_endpoint_is_the_podcast_index() -> None:
    default = notify_command.__defaults__  # the CLI keeps the literal: no import at startup
    assert default is not None
    assert notify.PODCAST_INDEX in default
