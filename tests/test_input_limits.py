"""Issue 12, input limits: YAML alias bombs, values cut in messages, deeply nested show notes,
control characters in file names. Each test failed (or hung) on the code before the fix."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import Site
from typer.testing import CliRunner

from podcastfeed.cli import app
from podcastfeed.errors import EpisodeError, Problem, shorten
from podcastfeed.model import Episode
from podcastfeed.source.config import load_config
from podcastfeed.source.episodes import read_episode
from podcastfeed.source.shownotes import html_to_text, make_description, render_notes

runner = CliRunner()


def _read(site: Site, path: Path) -> tuple[Episode | None, list[Problem]]:
    config = load_config(site.config)
    return read_episode(path, config.show, config.build)


# --- values cut in messages ---------------------------------------------------------------


def test_shorten_cuts_long_values_without_building_them() -> None:
    assert shorten("abc") == "'abc'"
    assert len(shorten("x" * 1_000_000)) == 80
    assert shorten("x" * 1_000_000).endswith("…")
    bomb: list[object] = ["lol"] * 9
    for _ in range(9):  # 9**10 strings if expanded: repr() would never finish
        bomb = [bomb] * 9
    assert len(shorten(bomb)) <= 80


@pytest.mark.parametrize(
    "key",
    ["date", "duration", "season", "episode", "episode_type", "status", "audio", "explicit"],
)
def test_read_episode_message_cuts_a_1mb_value(site: Site, key: str) -> None:
    """A 1 MB value gives a message of a line, not a megabyte."""
    huge = "9" * 1_000_000
    fields = {"title": "t", "date": "2024-01-01", "audio": site.audio("sine-3s-cbr.mp3")}
    fields[key] = huge
    text = "---\n" + "".join(f"{k}: '{v}'\n" for k, v in fields.items()) + "---\nNotes.\n"
    episode, problems = _read(site, site.episode("huge", text))
    assert episode is None
    assert problems
    for problem in problems:
        assert len(str(problem)) < 200, str(problem)[:300]


def test_load_config_message_cuts_a_1mb_value(site: Site) -> None:
    site.show(language=f'"{"x" * 1_000_000}"', timezone=f'"{"y" * 1_000_000}"')
    result = runner.invoke(app, ["build", "-c", str(site.config)])
    assert result.exit_code == 1
    assert "language" in result.stderr
    assert len(result.stderr) < 1000, result.stderr[:2000]


# --- control characters in file names ----------------------------------------------------


def test_error_message_quotes_a_file_name_with_a_newline() -> None:
    error = EpisodeError("'date' is required", source="episodes/a\nb.md", line=3)
    assert str(error) == "'episodes/a\\nb.md':3: 'date' is required"
    assert str(error.to_problem()) == "'episodes/a\\nb.md':3: error: 'date' is required"
    plain = EpisodeError("bad", source="episodes/ça va.md", line=2)
    assert str(plain) == "episodes/ça va.md:2: bad"  # printable names stay as they are


def test_build_reports_a_newline_file_name_on_one_line(site: Site) -> None:
    site.episode("good")
    (site.episodes / "two\nlines.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    result = runner.invoke(app, ["build", "-c", str(site.config)])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if "'date' is required" in line]
    assert lines == ["'episodes/two\\nlines.md': error: 'date' is required"], result.stderr


# --- YAML alias budget -------------------------------------------------------------------


def _alias_bomb(key: str) -> str:
    """Nine levels of `&a [*a, …]` under `key`: 2 KB of YAML, 9**9 strings once expanded."""
    levels = ["&l0 [" + ", ".join(["lol"] * 9) + "]"]
    levels += [f"&l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 9)]
    return f"{key}: [{', '.join(levels)}]\n"


def _bomb_show(site: Site, key: str) -> Path:
    audio = site.audio("sine-3s-cbr.mp3")
    fields = f"title: Bomb\ndate: 2024-01-01\naudio: {audio}\n"
    fields = "".join(line + "\n" for line in fields.splitlines() if not line.startswith(key))
    return site.episode("bomb", f"---\n{_alias_bomb(key)}{fields}---\nNotes.\n")


@pytest.mark.parametrize("key", ["date", "duration", "season", "episode", "location", "license"])
def test_read_episode_refuses_a_yaml_alias_bomb(site: Site, key: str) -> None:
    path = _bomb_show(site, key)
    episode, problems = _read(site, path)
    assert episode is None
    assert [str(p).splitlines()[0] for p in problems] == [
        f"episodes/bomb.md:2: error: front matter refused: '{key}' uses YAML aliases that "
        "expand past 10,000 nodes"
    ]


def test_read_episode_refuses_a_self_referring_alias(site: Site) -> None:
    path = site.episode("loop", "---\ntitle: t\ndate: 2024-01-01\npersons: &p [*p]\n---\n")
    _, problems = _read(site, path)
    assert [str(p).splitlines()[0] for p in problems] == [
        "episodes/loop.md:4: error: front matter refused: 'persons' uses a YAML alias inside "
        "its own anchor"
    ]


def test_read_episode_keeps_small_aliases(site: Site) -> None:
    audio = site.audio("sine-3s-cbr.mp3")
    text = f"---\ntitle: &t Small\ndate: 2024-01-01\naudio: {audio}\nitunes_title: *t\n---\n"
    episode, problems = _read(site, site.episode("small", text))
    assert problems == []
    assert episode is not None
    assert episode.title == "Small"


def test_check_refuses_a_yaml_alias_bomb(site: Site) -> None:
    _bomb_show(site, "date")
    result = runner.invoke(app, ["check", "-c", str(site.config)])
    assert result.exit_code == 1
    assert "uses YAML aliases that expand past 10,000 nodes" in result.output + result.stderr


@pytest.mark.parametrize("key", ["date", "duration"])
def test_build_process_refuses_a_yaml_alias_bomb_quickly(site: Site, key: str) -> None:
    """The real command, in its own process: refused in well under a second before; it ran
    62 s and took 8.3 GB (date) or never finished (duration)."""
    _bomb_show(site, key)
    result = subprocess.run(
        [sys.executable, "-m", "podcastfeed", "build", "-c", str(site.config)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"episodes/bomb.md:2: error: front matter refused: '{key}' uses YAML aliases that "
        "expand past 10,000 nodes"
    )
    assert len(result.stderr) < 1000


# --- show notes nesting --------------------------------------------------------------------

_PATHOLOGICAL = {  # ~250-300 KB each; the first five took 10-40 s or more before the cap
    "block quotes": ">" * 50_000,
    "spaced block quotes": "> " * 50_000,
    "html block quotes": "<blockquote>" * 25_000,
    "divs": "<div>" * 50_000,
    "lists": "<ul><li>" * 30_000,
    "quoted lists": "> - " * 60_000,
    "markdown lists": "- " * 100_000,
    "emphasis": "*a " * 100_000,
    "brackets": "[" * 250_000,
    "backticks": "`" * 250_000,
    "backtick runs": "".join("`" * n + " " for n in range(1, 700)),
    "less-thans": "<" * 100_000,
    "links in italics": "<i><a href='x'>" * 20_000,
    "tables": "<table><tr><td>" * 20_000,
    "balanced divs": "<div>" * 25_000 + "</div>" * 25_000,
}


@pytest.mark.slow
@pytest.mark.parametrize("body", _PATHOLOGICAL.values(), ids=_PATHOLOGICAL.keys())
def test_render_notes_pathological_body_is_fast(body: str) -> None:
    """Every pass a build makes over the notes, within a budget 10x what it takes here."""
    start = time.perf_counter()
    notes = render_notes(body, base_url="https://example.org/e/", warnings=[])
    make_description(notes)
    html_to_text(notes)
    assert time.perf_counter() - start < 5


def test_read_episode_warns_about_deep_nesting(site: Site) -> None:
    audio = site.audio("sine-3s-cbr.mp3")
    text = f"---\ntitle: t\ndate: 2024-01-01\naudio: {audio}\n---\n{'>' * 50_000}x\n"
    path = site.episode("deep", text)
    start = time.perf_counter()
    episode, problems = _read(site, path)
    assert time.perf_counter() - start < 5  # 43 s before
    assert episode is not None
    assert [str(p) for p in problems] == [
        "episodes/deep.md: warning: the show notes nest 50,000 levels deep; tags past level "
        "100 were dropped (their text is kept)"
    ]
    assert episode.notes_html.count("<blockquote>") == 100
    assert "x" in episode.notes_html


def test_render_notes_keeps_ordinary_nesting() -> None:
    warnings: list[str] = []
    html = render_notes("> " * 20 + "deep enough", base_url=None, warnings=warnings)
    assert warnings == []
    assert html.count("<blockquote>") == 20
