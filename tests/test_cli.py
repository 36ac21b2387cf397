"""The command line: exit codes, exact messages, stdout for data only."""

import gc
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, REPO, Site
from feedcheck import parse_both
from httpserver import AudioServer
from typer.testing import CliRunner

from podcastfeed import __version__
from podcastfeed.cli import app
from podcastfeed.cli.common import handled

runner = CliRunner()


def test_cli_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert (result.exit_code, result.stdout) == (0, f"podcastfeed {__version__}\n")


def test_cli_build_writes_the_feed_and_says_so(site: Site) -> None:
    site.episode("a")
    result = runner.invoke(app, ["build", "--config", str(site.config)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith(f"Wrote {site.root / 'public' / 'feed.xml'}: 1 episode;")
    parse_both((site.root / "public" / "feed.xml").read_bytes())


def test_cli_build_to_stdout(site: Site) -> None:
    site.episode("a")
    result = runner.invoke(app, ["build", "-c", str(site.config), "-o", "-"])
    assert result.exit_code == 0
    assert [i.title for i in parse_both(result.stdout_bytes)] == ["a"]
    assert not (site.root / "public").exists()


@pytest.mark.parametrize("folder", ["public/", "public"])
def test_cli_build_output_folder_names_the_file_to_give(
    site: Site, folder: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`-o public/` (a folder): a usage error that says `-o public/feed.xml`, not the build's
    'a folder is in the way', whose hint is to move the folder away."""
    monkeypatch.chdir(site.root)
    site.episode("a")
    (site.root / "public").mkdir()
    result = runner.invoke(app, ["build", "-c", str(site.config), "-o", folder])
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: --output names the feed file, and {folder} is a folder\n"
        "  hint: -o public/feed.xml\n",
    )


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://example.org/feed.xml", "https://example.org/feed.xml is a URL (https://)"),
        ("ftp://ada:secret@host/feed.xml", "ftp://ada:***@host/feed.xml is a URL (ftp://)"),
    ],
)
def test_cli_build_output_url_is_no_file(
    site: Site, url: str, shown: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`-o https://example.org/feed.xml` wrote the folders `https:/example.org/` (a URL on
    the command line is no path: probe, import and diff say so too)."""
    monkeypatch.chdir(site.root)
    site.episode("a")
    result = runner.invoke(app, ["build", "-c", str(site.config), "-o", url])
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: --output names the feed file, and {shown}\n"
        "  hint: -o public/feed.xml, then publish the folder to your host (docs/ci.md)\n",
    )
    assert sorted(p.name for p in site.root.iterdir()) == ["episodes", "feed.toml"]


def test_cli_build_bad_episode_exit_1_with_location_no_traceback(site: Site) -> None:
    site.episode("bad", date="12/03/24")
    result = runner.invoke(app, ["build", "-c", str(site.config)])
    assert result.exit_code == 1
    assert result.stderr == (
        "episodes/bad.md:3: error: 'date' must be an ISO 8601 date like 2024-03-12 or "
        "2024-03-12T09:30:00+01:00 (got '12/03/24')\n"
        "Error: build failed with 1 error(s); nothing was written\n"
    )
    assert "Traceback" not in result.output


def test_cli_build_corrupt_audio_exit_3(site: Site) -> None:
    site.episode("x", audio=site.audio("truncated.mp3"))
    site.episode("y", audio=site.audio("empty.mp3"))
    result = runner.invoke(app, ["build", "-c", str(site.config)])
    assert result.exit_code == 3, result.stderr
    assert "episodes/y.md:4: error: audio 'audio/empty.mp3'" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_build_debug_shows_the_traceback(site: Site) -> None:
    site.episode("bad", date="12/03/24")
    result = runner.invoke(app, ["build", "-c", str(site.config), "--debug"])
    assert result.exit_code == 1
    assert "Traceback" in result.stderr


def test_cli_build_missing_config(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", "-c", str(tmp_path / "feed.toml")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {tmp_path / 'feed.toml'}: no such file\n  hint:")


def test_cli_build_strict_fails_on_warnings(site: Site) -> None:
    site.show(titel='"typo"')
    site.episode("a")
    result = runner.invoke(app, ["build", "-c", str(site.config), "--strict"])
    assert result.exit_code == 1
    assert "warning: [show] unknown key 'titel' (ignored)" in result.stderr
    assert not (site.root / "public").exists()


def test_cli_probe_text_and_json() -> None:
    path = DATA / "audio" / "sine-3s-cbr.mp3"
    result = runner.invoke(app, ["probe", str(path)])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{path}: 0:00:03 (")
    assert "audio/mpeg" in result.stdout
    result = runner.invoke(app, ["probe", "--json", str(path)])
    (info,) = json.loads(result.stdout)
    assert info["seconds"] == 3
    assert info["size"] == path.stat().st_size
    assert info["type"] == "audio/mpeg"


def test_cli_probe_bad_files_exit_3_and_still_report_the_good_ones() -> None:
    good, bad = DATA / "audio" / "sine-2s.flac", DATA / "audio" / "not-audio.mp3"
    result = runner.invoke(app, ["probe", "--json", str(bad), str(good)])
    assert result.exit_code == 3
    assert [r["file"] for r in json.loads(result.stdout)] == [str(good)]
    assert result.stderr.startswith(f"Error: {bad}")


@pytest.mark.parametrize("command", [[], ["build"], ["probe"]])
def test_cli_help_for_every_command(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.stdout


def test_python_dash_m_runs_in_a_real_process(sample_show: Path) -> None:
    """The README's command, as a user runs it, in the sample show."""
    result = subprocess.run(
        [sys.executable, "-m", "podcastfeed", "build"],
        cwd=sample_show,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # The seed's "Lucaâ€™s" is repaired, and said so (a note, issue 14), before the summary.
    note, summary = result.stderr.splitlines()
    assert re.match(r"episodes/2023-03-21-platform-engineering\.md:\d+: note: repaired", note)
    assert summary.startswith("Wrote public/feed.xml: 3 episodes (1 draft not published)")
    assert (sample_show / "public" / "feed.xml").read_bytes() == (
        REPO / "tests" / "golden" / "sample.xml"
    ).read_bytes()


def test_cli_probe_url_says_how_it_was_read(http_server: AudioServer) -> None:
    url = http_server.url("sine-3s-cbr.mp3")
    result = runner.invoke(app, ["probe", "--json", url])
    assert result.exit_code == 0, result.stderr
    (info,) = json.loads(result.stdout)
    assert (info["file"], info["seconds"], info["type"]) == (url, 3, "audio/mpeg")
    # The first 8 KiB, then the rest (12 KB: the tail and the small hole before it, issue 18).
    assert info["transfer"] == f"2 requests, {info['size'] / 1024:.0f} KB"
    assert http_server.requests() == 2


def test_cli_probe_url_not_found_exit_3(http_server: AudioServer) -> None:
    url = http_server.url("404/sine-3s-cbr.mp3")
    result = runner.invoke(app, ["probe", url])
    assert result.exit_code == 3
    assert result.stderr.startswith(f"Error: {url}: HTTP 404 Not Found")


def test_a_command_runs_with_the_collector_s_first_threshold_at_a_million() -> None:
    """A command's body runs with the collector's first threshold at 1,000,000 (issue 18: at
    200,000 a one-new-episode build of 10,000 still spent 70 ms in one collection), and the
    threshold is put back after it (tests run commands in-process)."""
    before = gc.get_threshold()
    seen: list[tuple[int, int, int]] = []
    handled(lambda: seen.append(gc.get_threshold()))()
    assert seen == [(1_000_000, 30, 30)]
    assert gc.get_threshold() == before
