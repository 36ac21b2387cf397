"""Every URL field of the front matter by the one rule (values.parse_link): http(s) with a
host, whatever the field."""

from __future__ import annotations

import pytest
from conftest import Site
from typer.testing import CliRunner

from podcastfeed.cli import app
from podcastfeed.source.config import load_config
from podcastfeed.source.episodes import read_episode


@pytest.mark.parametrize("url", ["https:///x.mp3", "http:/x.mp3", "https:x.mp3"])
def test_an_audio_url_without_a_host_is_refused(site: Site, url: str) -> None:
    """`audio: https:///x.mp3` was published as the enclosure (every other link was refused)."""
    config = load_config(site.config)
    path = site.episode(
        "ep", f"---\ntitle: t\ndate: 2024-01-01\naudio: '{url}'\nduration: 3\nlength: 5\n---\n"
    )
    episode, problems = read_episode(path, config.show, config.build)
    assert episode is None
    assert [(p.line, p.message) for p in problems] == [
        (4, f"'audio' must be an http(s) URL with a host (got {url!r})")
    ]


def test_cli_build_refuses_an_enclosure_without_a_host(site: Site) -> None:
    site.episode(
        "ep", "---\ntitle: t\ndate: 2024-01-01\nenclosure: https:///x.mp3\nduration: 3\n---\n"
    )
    result = CliRunner().invoke(app, ["build", "-c", str(site.config), "-o", "-"])
    assert result.exit_code == 1
    assert (
        "episodes/ep.md:4: error: 'enclosure' must be an http(s) URL with a host" in result.stderr
    )
    assert "<enclosure" not in result.stdout
