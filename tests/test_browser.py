"""The show page in a real browser (issue 8): `podcastfeed serve` loaded in headless Chromium.

Uses Chromium's own command line (no driver): `--dump-dom` gives the DOM after the scripts ran,
`--enable-logging=stderr` the console, `--screenshot` the artefact. Skipped when no chromium
binary exists (.ci/run installs Debian's package).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest
import requests
from conftest import Site
from serving import Served

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium binary (apt-get install chromium; .ci/run does)"
)

# A show template that extends the packaged page: after load it clicks the second chapter link
# and records where the player went, so --dump-dom can tell whether chapter seeking works.
PROBE_TEMPLATE = """\
{% extends "podcastfeed/index.html" %}
{% block body %}{{ super() }}
<script>
window.addEventListener("load", function () {
  var link = document.querySelectorAll("a[data-seek]")[1];
  var player = document.getElementById(link.getAttribute("data-player"));
  link.click();
  setTimeout(function () {
    document.body.setAttribute("data-seeked", String(player.currentTime));
    console.log("seek-probe " + player.currentTime);
  }, 300);
});
</script>
{% endblock %}
"""

CHAPTERED = """\
---
title: "Chapters & <friends>"
date: 2024-02-01
audio: {audio}
chapters:
  - {{start: '00:00:00', title: Intro}}
  - {{start: '00:00:02', title: The end}}
---

Notes with <script>console.error('hostile script')</script> and
<img src="x.png" alt="x" onerror="console.error('hostile onerror')">.
"""


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = tmp_path / "chromium-profile"
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",  # containers give /dev/shm 64 MB
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


@pytest.fixture
def show(site: Site) -> Site:
    site.episode("a", title="First light")
    site.episode("b", CHAPTERED.format(audio=site.audio("sine-3s-cbr.mp3", "b.mp3")))
    site.show('\n[build]\ntemplates = "templates"\n')
    (site.root / "templates").mkdir()
    (site.root / "templates" / "index.html").write_text(PROBE_TEMPLATE, encoding="utf-8")
    return site


def test_browser_loads_the_page_players_seek_no_console_errors(show: Site, tmp_path: Path) -> None:
    with Served(show.config) as served:
        result = _chromium(
            tmp_path,
            "--autoplay-policy=no-user-gesture-required",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=3000",
            "--dump-dom",
            served.url,
        )
        doc = lxml.html.fromstring(result.stdout)
        titles = [h.text_content() for h in doc.xpath("//article/h3")]
        assert titles == ["Chapters & <friends>", "First light"]
        durations = [s.text for s in doc.xpath('//span[@class="duration"]')]
        assert durations == ["0:00:03", "0:00:03"]
        players = doc.xpath("//article//audio")
        assert len(players) == 2
        for player in players:
            src = requests.compat.urljoin(served.url, player.get("src"))
            ranged = requests.get(src, headers={"Range": "bytes=0-1023"}, timeout=5)
            assert ranged.status_code == 206, src
            assert len(ranged.content) == 1024
        assert doc.body.get("data-seeked") == "2"  # the chapter link moved the player
        console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
        assert console, result.stderr[-2000:]
        assert all('"seek-probe 2"' in line for line in console), console  # nothing else
        assert "hostile" not in result.stdout
        assert not doc.xpath("//*[@onerror or @onload or @onclick]")
        assert not any("Traceback" in line for line in served.lines)


def test_browser_screenshot(show: Site, tmp_path: Path) -> None:
    screenshot = tmp_path / "page.png"
    with Served(show.config) as served:
        _chromium(tmp_path, f"--screenshot={screenshot}", "--window-size=1280,2000", served.url)
    data = screenshot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert re.search(rb"IHDR\x00\x00\x05\x00\x00\x00\x07\xd0", data[:32])  # 1280 x 2000
    print(f"screenshot: {screenshot}")
