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


@pytest.mark.parametrize(
    "front",
    [
        'persons: [{name: a, href: "https://e.org/a\\x01b"}]',
        'persons: [{name: a, img: "https://e.org/i\\x0bj.jpg"}]',
        'chapters: [{start: 0, title: a, url: "https://e.org/c\\x02d"}]',
        'chapters: [{start: 0, title: a, img: "https://e.org/\\ufffe.jpg"}]',
        'chapters: "https://e.org/c\\x0fh.json"',
        'transcript: "https://e.org/t\\x03u.vtt"',
        'alternate_enclosures: [{url: "https://e.org/a\\x04b.ogg", length: 5}]',
        'images: [{href: "https://e.org/\\x06.jpg"}]',
        'license: {name: xy, url: "https://e.org/\\x0e"}',
    ],
)
def test_a_control_character_in_a_tag_url_is_dropped_as_in_the_audio_url(
    site: Site, front: str
) -> None:
    """It was a ValueError traceback from lxml ("All strings must be XML compatible") when the
    feed was written; the audio, image and permalink drop it (tables.clean_ref)."""
    site.episode(
        "ep",
        "---\ntitle: t\ndate: 2024-01-01\naudio: https://e.org/f.mp3\nduration: 3\nlength: 5\n"
        f"{front}\n---\nN.\n",
    )
    result = CliRunner().invoke(app, ["build", "-c", str(site.config), "-o", "-"])
    assert result.exit_code == 0, result.output
    assert result.exception is None
    assert "https://e.org/" in result.stdout
