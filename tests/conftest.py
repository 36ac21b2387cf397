"""Shared fixtures: the test data folder, a show builder, golden files."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from httpserver import AudioServer
from typer.testing import CliRunner, Result

from podcastfeed.cli import app
from podcastfeed.errors import Problem
from podcastfeed.model import Episode
from podcastfeed.source.config import load_config
from podcastfeed.source.episodes import read_episode

DATA = Path(__file__).parent / "data"
GOLDEN = Path(__file__).parent / "golden"
REPO = Path(__file__).parent.parent

SHOW_TOML = """\
[show]
title = "Test Show"
description = "A show for tests."
link = "https://example.org"
feed_url = "https://example.org/feed.xml"
language = "en"
author = "Ada Lovelace"
owner = { name = "Ada Lovelace", email = "ada@example.org" }
image = "https://example.org/cover.jpg"
categories = ["Technology"]
explicit = false
audio_base_url = "https://cdn.example.org/media/"
"""

EPISODE = """\
---
title: {title}
date: {date}
audio: {audio}
---

Notes for {title}.
"""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/ from the output"
    )


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


class Site:
    """A show folder in tmp_path: feed.toml, episodes/, audio copied from tests/data/audio."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.episodes = root / "episodes"
        self.episodes.mkdir(parents=True, exist_ok=True)
        self.config = root / "feed.toml"
        self.config.write_text(SHOW_TOML, encoding="utf-8")

    def audio(self, fixture: str, name: str | None = None) -> str:
        """Copy a real audio fixture next to the episodes; returns the path to write in `audio:`."""
        target = self.episodes / "audio" / (name or fixture)
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(DATA / "audio" / fixture, target)
        return f"audio/{target.name}"

    def episode(self, name: str, text: str | None = None, **fields: str) -> Path:
        if text is None:
            values = {"title": name, "date": "2024-01-01", "audio": ""} | fields
            if not values["audio"]:
                values["audio"] = self.audio("sine-3s-cbr.mp3")
            text = EPISODE.format(**values)
        path = self.episodes / f"{name}.md"
        path.write_text(text, encoding="utf-8")
        return path

    def read(self, path: Path) -> tuple[Episode | None, list[Problem]]:
        """read_episode of `path` under this show's feed.toml."""
        config = load_config(self.config)
        return read_episode(path, config.show, config.build)

    def build_cli(self, *args: str) -> Result:
        """`podcastfeed build -c feed.toml ARGS` in-process (typer's CliRunner)."""
        return CliRunner().invoke(app, ["build", "-c", str(self.config), *args])

    def show(self, extra: str = "", **replace: str) -> None:
        text = SHOW_TOML
        for key, value in replace.items():
            lines = [line for line in text.splitlines() if not line.startswith(f"{key} =")]
            text = "\n".join(lines) + "\n" + (f"{key} = {value}\n" if value else "")
        self.config.write_text(text + extra, encoding="utf-8")


def run_podcastfeed(
    args: list[str | bytes], cwd: Path, **env: str
) -> subprocess.CompletedProcess[str]:
    """`podcastfeed ARGS` as a real process in `cwd` (with `env` added), within 60 s."""
    return subprocess.run(
        [sys.executable, "-m", "podcastfeed", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        errors="backslashreplace",
        timeout=60,
        env={**os.environ, **env},
        check=False,
    )


def build_with_a_file_size_limit(
    root: Path, *args: str, command: tuple[str, ...] = ("build", "-q", "-c", "feed.toml")
) -> subprocess.CompletedProcess[str]:
    """`podcastfeed build -q` (or `command`, with `args`) in `root` as a real process that
    cannot write a file over 64 KiB (RLIMIT_FSIZE: EFBIG, a write error that names no file, as
    a full disk's)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))  # (Python ignores SIGXFSZ)

    return subprocess.run(
        [sys.executable, "-m", "podcastfeed", *command, *args],
        cwd=root,
        capture_output=True,
        text=True,
        preexec_fn=limit,
        check=False,
    )


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return Site(tmp_path / "show")


@pytest.fixture
def sample_show(tmp_path: Path) -> Path:
    """A copy of the repository's sample show (feed.toml + episodes/)."""
    target = tmp_path / "sample"
    target.mkdir()
    shutil.copyfile(REPO / "feed.toml", target / "feed.toml")
    shutil.copytree(REPO / "episodes", target / "episodes")
    return target


def assert_golden(name: str, data: bytes, update: bool) -> None:
    """`name` is a file in tests/golden; without a suffix, `<name>.xml`."""
    path = GOLDEN / (name if "." in name else f"{name}.xml")
    if update:
        path.write_bytes(data)
    assert path.exists(), f"no golden file {path}; run pytest --update-golden and review it"
    assert data == path.read_bytes(), f"output differs from {path}; run pytest --update-golden"


GoldenCheck = Callable[[str, bytes], None]


@pytest.fixture
def golden(update_golden: bool) -> GoldenCheck:
    return lambda name, data: assert_golden(name, data, update_golden)


@pytest.fixture
def http_server() -> Iterator[AudioServer]:
    """A real HTTP server on 127.0.0.1 serving tests/data/audio, with routes that misbehave the
    way real hosts do; see tests/httpserver.py."""
    with AudioServer(slow=2.0) as server:
        yield server
