"""Issue 12, input limits: YAML alias bombs, values cut in messages, deeply nested show notes,
control characters in file names. Each test failed (or hung) on the code before the fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Site
from typer.testing import CliRunner

from podcastfeed.cli import app
from podcastfeed.config import load_config
from podcastfeed.episodes import read_episode
from podcastfeed.errors import EpisodeError, Problem, shorten
from podcastfeed.model import Episode

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
