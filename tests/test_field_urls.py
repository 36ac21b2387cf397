"""Every URL field of the front matter by the one rule (values.parse_link): http(s) with a
host, whatever the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Site, run_podcastfeed
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


BAD_PORTS = ["https://e.org:99999/x", "https://e.org:65536/x", "https://e.org:x/x"]


@pytest.mark.parametrize("url", BAD_PORTS)
def test_a_url_with_a_port_no_app_can_reach_is_refused_in_feed_toml(site: Site, url: str) -> None:
    """`https://host:99999/` (or a port that is not a number) was published as written in every
    URL field: urlsplit takes it until its port is asked for."""
    site.show(extra=f'\n[show.funding]\nurl = "{url}"\ntext = "Support"\n', link=f'"{url}"')
    result = site.build_cli("-o", "-")
    assert result.exit_code == 1
    assert "<rss" not in result.stdout
    assert f"feed.toml:12: error: [show] 'link' must be an absolute http(s) URL (got '{url}')" in (
        result.stderr
    )
    assert f"feed.toml:14: error: [show] 'funding' must be an https:// URL (got '{url}')" in (
        result.stderr
    )


@pytest.mark.parametrize("url", BAD_PORTS)
def test_a_url_with_a_port_no_app_can_reach_is_refused_in_front_matter(
    site: Site, url: str
) -> None:
    site.episode(
        "ep",
        f"---\ntitle: t\ndate: 2024-01-01\naudio: '{url}.mp3'\nduration: 3\nlength: 5\n"
        f"permalink: '{url}'\npersons: [{{name: a, img: '{url}.jpg'}}]\n---\n",
    )
    result = site.build_cli("-o", "-")
    assert result.exit_code == 1
    assert "<rss" not in result.stdout
    stderr = result.stderr
    assert f"ep.md:4: error: 'audio' must be an http(s) URL with a host (got '{url}.mp3')" in stderr
    assert f"episodes/ep.md:7: error: 'permalink' must be an http(s) URL (got '{url}')" in stderr
    assert "episodes/ep.md:8: error: 'persons' 'img' must be an http(s) URL" in stderr


def test_a_url_with_a_port_number_is_still_a_url(site: Site) -> None:
    site.show(link='"https://example.org:8443/"')
    site.episode(
        "ep",
        "---\ntitle: t\ndate: 2024-01-01\naudio: 'https://e.org:443/a.mp3'\nduration: 3\n"
        "length: 5\n---\n",
    )
    result = site.build_cli("-o", "-")
    assert result.exit_code == 0, result.output
    assert '<enclosure url="https://e.org:443/a.mp3"' in result.stdout
    assert "<link>https://example.org:8443/</link>" in result.stdout


def test_import_drops_a_link_with_a_port_no_app_can_reach(tmp_path: Path) -> None:
    """The channel link, artwork, an item's link and a person's href with port 99999 were
    written to feed.toml and the episode files, for the first build to refuse."""
    (tmp_path / "old.xml").write_text(
        '<?xml version="1.0"?>\n<rss version="2.0" '
        'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" '
        'xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel>\n'
        "<title>T</title><link>https://e.org:99999/</link><description>D</description>\n"
        '<itunes:image href="https://e.org:70000/c.jpg"/>\n'
        "<item><title>a</title><guid>a</guid><pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate>"
        "<link>https://e.org:65536/a</link>"
        '<enclosure url="https://e.org/a.mp3" length="10" type="audio/mpeg"/>'
        '<podcast:person href="https://e.org:x/p">P</podcast:person></item>\n'
        "</channel></rss>\n"
    )
    result = run_podcastfeed(["import", "old.xml", "--dir", "s"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "channel: <link> 'https://e.org:99999/'; used the feed's site" in result.stderr
    assert (
        "channel: artwork 'https://e.org:70000/c.jpg' is no http(s) URL; dropped" in result.stderr
    )
    assert "item 1 ('a'): <link> 'https://e.org:65536/a' is not an absolute" in result.stderr
    assert "item 1 ('a'): person 'P' href 'https://e.org:x/p' is no URL; dropped" in result.stderr
    written = (tmp_path / "s" / "feed.toml").read_text() + "".join(
        path.read_text() for path in (tmp_path / "s" / "episodes").iterdir()
    )
    assert "e.org:" not in written


def test_check_feed_refuses_a_tag_url_with_a_port_no_app_can_reach(tmp_path: Path) -> None:
    """`check --feed` took `podcast:image href="https://e.org:99999/i.jpg"` as a URL: the
    build refuses it, so the tag's rule says so too."""
    (tmp_path / "f.xml").write_text(
        '<?xml version="1.0"?>\n<rss version="2.0" '
        'xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel>\n'
        "<title>T</title><link>https://e.org/</link><description>D</description>\n"
        '<podcast:image href="https://e.org:99999/i.jpg"/>\n'
        '<podcast:trailer url="https://e.org:x/t.mp3" pubdate="Mon, 01 Jan 2024 10:00:00 +0000"'
        ">T</podcast:trailer>\n</channel></rss>\n"
    )
    result = run_podcastfeed(["check", "--feed", "f.xml"], tmp_path)
    assert (
        "4: error: podcast:image href must be an absolute URL (got 'https://e.org:99999/i.jpg')"
        in result.stdout
    )
    assert (
        "5: error: podcast:trailer url must be an absolute URL (got 'https://e.org:x/t.mp3')"
        in result.stdout
    )
