"""Every path a user (or a feed) writes follows the one rule of source/localref.py: inside the
show (or the checked feed file's folder), no `..` out of it, no absolute path elsewhere, no
symbolic link leading out (issue 15's review). Each place is tried with /etc/passwd,
../secret, a file: URL and a link pointing outside."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Site
from httpserver import AudioServer
from images import make_image
from test_checks import NOW, make_feed
from typer.testing import CliRunner

from podcastfeed.cli import app
from podcastfeed.lint.runner import lint_data, run

runner = CliRunner()


def _artwork_findings(folder: Path, href: str) -> list[str]:
    data = make_feed({"image": f'<itunes:image href="{href}"/>'})
    found = run(lint_data(data, "feed.xml", NOW, base=folder))
    return [f.message for f in found if f.rule.startswith("apple/artwork")]


@pytest.fixture
def feed_folder(tmp_path: Path) -> Path:
    """A checked feed's folder, a real image outside it and a link in it leading there."""
    folder = tmp_path / "feed"
    make_image(folder / "inside.jpg", (1000, 1000))
    secret = make_image(tmp_path / "secret.jpg", (1000, 1000))
    (folder / "link.jpg").symlink_to(secret)
    return folder


@pytest.mark.parametrize(
    "href", ["/etc/passwd", "../secret.jpg", "link.jpg", "file:///etc/passwd", "{secret}"]
)
def test_check_of_a_feed_file_reads_no_artwork_outside_its_folder(
    feed_folder: Path, href: str
) -> None:
    """The artwork rules read `itunes:image` paths of a feed file: only inside its folder."""
    href = href.format(secret=feed_folder.parent / "secret.jpg")
    (said,) = _artwork_findings(feed_folder, href)
    assert "is outside the feed's folder" in said, said
    assert "1000 × 1000" not in said  # the outside image was not read


def test_check_of_a_feed_file_reads_artwork_inside_its_folder(feed_folder: Path) -> None:
    said = _artwork_findings(feed_folder, "inside.jpg")
    assert any("1000 × 1000" in s for s in said), said


def test_check_of_a_feed_url_reads_no_local_file(tmp_path: Path, http_server: AudioServer) -> None:
    """A feed from the web naming a local path: `check` neither reads it nor says whether it
    is there (it read /etc/passwd, and would wait forever on /dev/stdin)."""
    outside = tmp_path / "not-an-image.jpg"
    outside.write_text("private")
    for href in (str(outside), "/dev/stdin", f"file://{outside}"):
        url = http_server.add("feed.xml", make_feed({"image": f'<itunes:image href="{href}"/>'}))
        result = runner.invoke(app, ["check", "--feed", url, "--format", "json"], input="")
        rules = {finding["rule"] for finding in json.loads(result.stdout)}
        assert not {r for r in rules if r.startswith("apple/artwork")}, result.stdout


def _episode(site: Site, **front: str) -> Path:
    audio = site.audio("sine-3s-cbr.mp3")
    fields = "".join(f"{key}: {value}\n" for key, value in front.items())
    return site.episode("a", f"---\ntitle: A\ndate: 2024-01-01\naudio: {audio}\n{fields}---\nN.\n")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("img", "/etc/passwd"),
        ("img", "../secret.jpg"),
        ("img", "file:///etc/passwd"),
        ("url", "../../secret.html"),
        ("url", "javascript:alert(1)"),
    ],
)
def test_a_published_chapters_file_names_no_local_path(site: Site, key: str, value: str) -> None:
    """A local chapters JSON is published as it is: an `img` or `url` in it that is a path
    would send apps to a file of the show's machine (or nowhere)."""
    chapters = {"version": "1.2.0", "chapters": [{"startTime": 0, "title": "One", key: value}]}
    (site.episodes / "a.json").write_text(json.dumps(chapters), encoding="utf-8")
    _episode(site, chapters="a.json")
    result = runner.invoke(app, ["build", "-c", str(site.config)])
    assert result.exit_code == 1, result.stderr
    assert f"episodes/a.json: error: chapters file chapter 1: '{key}' must be an http(s) URL" in (
        result.stderr
    )
    assert not (site.root / "public").exists()


def test_a_published_chapters_file_with_urls_builds(site: Site) -> None:
    chapter = {"startTime": 0, "title": "One", "img": "https://e.org/1.jpg", "url": "https://e.org"}
    document = {"version": "1.2.0", "chapters": [chapter]}
    (site.episodes / "a.json").write_text(json.dumps(document), encoding="utf-8")
    _episode(site, chapters="a.json")
    result = runner.invoke(app, ["build", "-c", str(site.config)])
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    ("front", "said"),
    [
        ('persons: [{name: Ann, img: "/etc/passwd"}]', "must be an http"),
        ('persons: [{name: Ann, img: "../secret.jpg"}]', "must be an http"),
        ('chapters: [{start: 0, title: One, img: "../secret.jpg"}]', "must be an http"),
        ('images: ["../secret.jpg"]', "must be an http"),  # (a site path: a URL on the site)
        ('transcript: "/etc/passwd"', "is outside the show folder"),
        ('transcript: "../secret.vtt"', "outside the show folder"),
        ('image: "../secret.jpg"', "is outside the show folder"),
        ('ogg: "../secret.ogg"', "outside the show folder"),
    ],
)
def test_front_matter_paths_stay_inside_the_show(
    site: Site, tmp_path: Path, front: str, said: str
) -> None:
    for name in ("secret.jpg", "secret.vtt", "secret.ogg"):
        (tmp_path / name).write_bytes(b"WEBVTT\n" if name.endswith(".vtt") else b"x")
    make_image(tmp_path / "secret.jpg")
    key, _, value = front.partition(": ")
    _episode(site, **{key: value})
    result = runner.invoke(app, ["build", "-c", str(site.config)])
    assert result.exit_code == 1, result.stderr
    assert said in result.stderr, result.stderr
    assert not (site.root / "public").exists()


def test_show_image_link_leading_outside_is_refused(site: Site, tmp_path: Path) -> None:
    secret = make_image(tmp_path / "secret.jpg")
    (site.root / "cover.jpg").symlink_to(secret)
    site.show(image='"cover.jpg"')
    _episode(site)
    result = runner.invoke(app, ["build", "-c", str(site.config)])
    assert result.exit_code == 1
    assert "[show] 'image' is outside the show folder" in result.stderr, result.stderr


@pytest.mark.parametrize("name", ["../secret.txt", "/etc/passwd", "link.txt", "{secret}"])
def test_a_template_includes_nothing_outside_the_templates_folder(
    site: Site, tmp_path: Path, name: str
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    templates = site.root / "templates"
    templates.mkdir()
    (templates / "link.txt").symlink_to(secret)
    include = name.format(secret=secret)
    (templates / "index.html").write_text(f'{{% include "{include}" %}}', encoding="utf-8")
    site.show(extra='\n[build]\ntemplates = "templates"\n')
    _episode(site)
    result = runner.invoke(app, ["build", "-c", str(site.config)])
    assert result.exit_code != 0
    assert "SECRET" not in "".join(p.read_text() for p in site.root.rglob("*.html"))
