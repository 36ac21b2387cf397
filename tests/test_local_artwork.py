"""Local artwork (issue 15): `[show] image = "cover.jpg"` and an episode's `image:` may be files
of the show. The build publishes each beside the feed (`artwork/<name>-<hash><ext>`), links it
by absolute URL from the folder of `feed_url`, and the artwork rules check the file itself.

Real images made here with Pillow, real builds through the CLI, the feed read by feedparser.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import feedparser
import pytest
from conftest import Site
from images import make_bomb, make_image, make_noise
from typer.testing import CliRunner, Result

from podcastfeed.cli import app
from podcastfeed.source.localart import published_name

runner = CliRunner()
BASE = "https://example.org/artwork/"  # conftest's feed_url is https://example.org/feed.xml


def _build(site: Site, *more: str) -> Result:
    return runner.invoke(app, ["build", "-c", str(site.config), *more])


def _feed(site: Site) -> feedparser.FeedParserDict:
    parsed = feedparser.parse((site.root / "public" / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    return parsed


def _published(site: Site) -> list[str]:
    folder = site.root / "public" / "artwork"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def _episode_with_image(site: Site, name: str, image: str) -> Path:
    audio = site.audio("sine-3s-cbr.mp3", f"{name}.mp3")
    text = f"---\ntitle: {name}\ndate: 2024-01-01\naudio: {audio}\nimage: {image}\n---\n\nNotes.\n"
    return site.episode(name, text)


def test_show_image_file_is_published_beside_the_feed_and_linked(site: Site) -> None:
    cover = make_image(site.root / "cover.jpg")
    site.show(image='"cover.jpg"')
    site.episode("a")
    result = _build(site)
    assert result.exit_code == 0, result.output
    name = published_name(cover)
    assert re.fullmatch(r"artwork/cover-[0-9a-f]{12}\.jpg", name), name
    url = "https://example.org/" + name
    feed = _feed(site)
    assert feed.feed.image.href == url  # itunes:image
    xml = (site.root / "public" / "feed.xml").read_text(encoding="utf-8")
    assert f"<url>{url}</url>" in xml  # RSS <image>
    assert (site.root / "public" / name).read_bytes() == cover.read_bytes()
    manifest = json.loads((site.root / "public" / ".podcastfeed-manifest").read_text())
    assert name in manifest["files"]
    page = (site.root / "public" / "index.html").read_text(encoding="utf-8")
    assert f'<img src="{name}"' in page  # the published copy, also in a local preview


def test_episode_images_beside_the_episode_or_in_the_show_never_collide(site: Site) -> None:
    """Two different files named cover.jpg get two names; a file used twice is written once."""
    show_cover = make_image(site.root / "cover.jpg", color=(10, 10, 10))
    beside = make_image(site.episodes / "cover.jpg", color=(250, 250, 250))
    make_image(site.root / "art" / "b.jpg", color=(0, 200, 0))
    site.show(image='"cover.jpg"')
    _episode_with_image(site, "a", "cover.jpg")  # beside the episode first
    _episode_with_image(site, "b", "art/b.jpg")  # relative to the show
    _episode_with_image(site, "c", "../cover.jpg")  # the show's own, again
    result = _build(site)
    assert result.exit_code == 0, result.output
    show_name, beside_name = published_name(show_cover), published_name(beside)
    assert show_name != beside_name
    images = {e.title: e.image.href for e in _feed(site).entries}
    assert images["a"] == "https://example.org/" + beside_name
    assert images["b"].startswith(BASE + "b-")
    assert images["c"] == "https://example.org/" + show_name
    assert len(_published(site)) == 3
    assert (site.root / "public" / beside_name).read_bytes() == beside.read_bytes()


def test_a_changed_image_is_stale_then_gets_a_new_url_and_the_old_file_goes(site: Site) -> None:
    cover = make_image(site.root / "cover.jpg")
    site.show(image='"cover.jpg"')
    site.episode("a")
    assert _build(site).exit_code == 0
    old = published_name(cover)
    assert _build(site, "--check").exit_code == 0
    make_image(cover, color=(0, 0, 255))  # same name, new picture: apps must fetch it again
    stale = _build(site, "--check")
    assert stale.exit_code == 1
    new = published_name(cover)
    assert new != old
    assert f"public/{new} is out of date" in stale.output
    assert _build(site).exit_code == 0
    assert _published(site) == [new.removeprefix("artwork/")]
    assert _feed(site).feed.image.href == "https://example.org/" + new
    page = (site.root / "public" / "index.html").read_text(encoding="utf-8")
    assert f'<img src="{new}"' in page  # the pages' inputs include the image


def test_a_cached_episode_sees_its_image_file_appear_change_and_vanish(site: Site) -> None:
    """The episode file is unchanged (a build-cache hit); its image file is not."""
    _episode_with_image(site, "a", "ep.jpg")
    assert _build(site).exit_code == 0
    assert _feed(site).entries[0].image.href == "https://example.org/ep.jpg"  # a page link
    picture = make_image(site.episodes / "ep.jpg")
    assert _build(site).exit_code == 0
    assert _feed(site).entries[0].image.href == "https://example.org/" + published_name(picture)
    make_image(picture, color=(1, 2, 3))
    assert _build(site).exit_code == 0
    assert _feed(site).entries[0].image.href == "https://example.org/" + published_name(picture)
    assert len(_published(site)) == 1
    _episode_with_image(site, "a", "./ep.jpg")
    assert _build(site).exit_code == 0
    picture.unlink()
    gone = _build(site)
    assert gone.exit_code == 1
    assert "episodes/a.md:5: error: 'image' file not found: './ep.jpg'" in gone.output


def test_a_file_in_the_way_that_the_build_did_not_write_is_not_overwritten(site: Site) -> None:
    cover = make_image(site.root / "cover.jpg")
    site.show(image='"cover.jpg"')
    site.episode("a")
    theirs = site.root / "public" / published_name(cover)
    theirs.parent.mkdir(parents=True)
    theirs.write_bytes(b"someone else's file")
    result = _build(site)
    assert result.exit_code == 1
    assert "exists and was not written by podcastfeed; not overwriting it" in result.output
    assert theirs.read_bytes() == b"someone else's file"


def _truncated(path: Path) -> Path:
    whole = make_noise(path).read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (None, "feed.toml:{line}: error: [show] 'image' file not found: 'cover.jpg'"),
        (
            lambda p: p.write_text("not a picture"),
            "feed.toml:{line}: error: artwork cover.jpg cannot be read: not an image Pillow can "
            "read (JPEG or PNG expected) [apple/artwork-format]",
        ),
        (
            _truncated,
            "feed.toml:{line}: error: artwork cover.jpg cannot be read: damaged or truncated image",
        ),
        (
            make_bomb,
            "feed.toml:{line}: error: artwork cover.jpg cannot be read: 400,000,000 pixels is "
            "more than the 89,478,485 pixels Pillow decodes",
        ),
        (
            lambda p: make_bomb(p, 10000),  # over the limit, under twice it: Pillow only warns
            "feed.toml:{line}: error: artwork cover.jpg cannot be read: 10000 × 10000 px is "
            "more than the 89,478,485 pixels Pillow decodes",
        ),
        (
            lambda p: make_image(p, (1400, 1000)),
            "feed.toml:{line}: error: artwork cover.jpg is not square (1400 × 1000 px) "
            "[apple/artwork-size]",
        ),
    ],
    ids=["missing", "not-an-image", "truncated", "bomb", "bomb-below-twice", "not-square"],
)
def test_bad_show_image_file_is_an_error_at_its_line(
    site: Site, make: object, message: str
) -> None:
    if callable(make):
        make(site.root / "cover.jpg")
    site.show(image='"cover.jpg"')
    site.episode("a")
    line = site.config.read_text().splitlines().index('image = "cover.jpg"') + 1
    result = _build(site)
    assert result.exit_code == 1, result.output
    assert message.format(line=line) in result.output
    assert isinstance(result.exception, SystemExit)  # an exit code, not an exception
    assert "Traceback" not in result.output
    assert not (site.root / "public").exists()  # nothing was written


def test_an_episode_image_outside_the_show_is_refused(site: Site, tmp_path: Path) -> None:
    outside = make_image(tmp_path / "secret.jpg")
    _episode_with_image(site, "a", "../../secret.jpg")
    (site.episodes / "linked.jpg").symlink_to(outside)
    _episode_with_image(site, "b", "linked.jpg")
    result = _build(site)
    assert result.exit_code == 1
    assert "episodes/a.md:5: error: 'image' is outside the show folder" in result.output
    assert "episodes/b.md:5: error: 'image' is outside the show folder" in result.output
    site.show(image=f'"{outside}"')
    assert "[show] 'image' is outside the show folder" in _build(site).output


def test_check_runs_the_artwork_rules_on_local_files_offline(site: Site) -> None:
    make_image(site.root / "cover.jpg", (1000, 1000))
    make_image(site.episodes / "wide.jpg", (2000, 1400))
    site.show(image='"cover.jpg"')
    _episode_with_image(site, "a", "wide.jpg")
    result = runner.invoke(app, ["check", "-c", str(site.config), "--format", "json"])
    assert result.exit_code == 1, result.output
    line = site.config.read_text().splitlines().index('image = "cover.jpg"') + 1
    found = [(f["rule"], f["file"], f["line"], f["message"]) for f in json.loads(result.stdout)]
    assert found == [
        (
            "apple/artwork-size",
            str(site.config),
            line,
            "artwork cover.jpg is 1000 × 1000 px (must be 1400-3000 a side)",
        ),
        (
            "apple/artwork-size",
            "episodes/a.md",
            5,
            "artwork episodes/wide.jpg is not square (2000 × 1400 px)",
        ),
    ]


def test_a_page_relative_image_without_such_a_file_stays_a_link(site: Site) -> None:
    """WordPress exports' `thumbnail: luca_galante.jpeg` (no such file in the show) keeps
    resolving against the episode's page, as before local images."""
    _episode_with_image(site, "a", "luca_galante.jpeg")
    assert _build(site).exit_code == 0
    assert _feed(site).entries[0].image.href == "https://example.org/luca_galante.jpeg"
    assert _published(site) == []


def test_an_image_changed_to_the_same_size_and_mtime_gets_a_new_name_in_one_process(
    site: Site,
) -> None:
    """The content's hash is kept for a process (serve builds again in it) by the file's
    identity, ctime and inode too: bytes changed in place, size and mtime kept, are seen."""
    image = make_image(site.root / "cover.jpg")
    first = published_name(image)
    stat = image.stat()
    data = bytearray(image.read_bytes())
    data[len(data) // 2] ^= 0xFF  # (in the picture's data: still a JPEG of that size)
    image.write_bytes(bytes(data))
    os.utime(image, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert published_name(image) != first
