"""The record of what a build wrote (output/fragments.py), as later builds use it (issue 18):
transcripts made from the notes are keyed by their episode, and the no-op record
(output/skip.py) takes the outputs' identities from it instead of a stat of its own."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from conftest import Site
from images import make_image
from typer.testing import CliRunner

from podcastfeed.cli import app
from podcastfeed.output import fragments
from podcastfeed.source.config import load_config

runner = CliRunner()


def _run(site: Site, *args: str) -> int:
    result = runner.invoke(app, ["build", "-c", str(site.config), "-q", *args])
    return result.exit_code


def _age(site: Site) -> None:
    old = time.time() - 10
    for path in [site.root, *site.root.rglob("*")]:
        os.utime(path, (old, old))


def _with_transcript(site: Site, name: str, line: str) -> None:
    text = f"---\ntitle: {name}\ndate: 2024-01-0{'ab'.index(name) + 1}\naudio: "
    text += site.audio("sine-3s-cbr.mp3", f"{name}.mp3")
    site.episode(name, text + f"\n---\n\nNotes.\n\n## Transcript\n\n[00:00] Kevin: {line}\n")


def _transcript(site: Site, name: str) -> Path:
    (found,) = (site.root / "public" / "transcripts").glob(f"{name}*")
    return found


def test_transcripts_made_from_the_notes_follow_their_episode(site: Site) -> None:
    """Left as they are while their episode is; written again when its transcript changes,
    or when edited by hand."""
    _with_transcript(site, "a", "Hello.")
    _with_transcript(site, "b", "Hi.")
    _age(site)
    assert _run(site) == 0
    a, b = _transcript(site, "a"), _transcript(site, "b")
    kept = os.stat(a).st_ino, os.stat(a).st_mtime_ns
    _with_transcript(site, "b", "Hi again.")
    assert _run(site) == 0
    assert (os.stat(a).st_ino, os.stat(a).st_mtime_ns) == kept  # not written again
    assert b"Hi again." in b.read_bytes()
    _with_transcript(site, "a", "Hello again.")
    assert _run(site, "--check") == 1
    assert _run(site) == 0
    assert b"Hello again." in a.read_bytes()
    a.write_bytes(b"edited by hand\n")
    assert _run(site, "--check") == 1
    assert _run(site) == 0
    assert b"Hello again." in a.read_bytes()
    assert _run(site, "--check") == 0


def test_record_identities_are_the_files_as_on_disk(site: Site) -> None:
    _with_transcript(site, "a", "Hello.")
    _age(site)
    assert _run(site) == 0
    settings = load_config(site.config).build
    feed = site.root / "public" / "feed.xml"
    found = fragments.identities(settings, feed)
    assert str(feed) in found
    assert str(_transcript(site, "a")) in found
    assert str(site.root / "public" / "index.html") in found
    for path, identity in found.items():
        stat = os.stat(path)
        assert identity == [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


def test_record_of_a_feed_replaced_since_is_not_trusted(site: Site) -> None:
    _with_transcript(site, "a", "Hello.")
    assert _run(site) == 0
    settings = load_config(site.config).build
    feed = site.root / "public" / "feed.xml"
    feed.write_bytes(feed.read_bytes())  # (another build's, or by hand)
    assert fragments.identities(settings, feed) == {}
    assert fragments.identities(settings, site.root / "public" / "other.xml") == {}


def test_a_record_of_items_with_values_of_other_types_only_costs_a_render(site: Site) -> None:
    _with_transcript(site, "a", "Hello.")
    _with_transcript(site, "b", "Hi.")
    assert _run(site) == 0
    record = site.root / ".podcastfeed-cache" / fragments.FILE_NAME
    data = json.loads(record.read_bytes())
    assert len(data["items"]) == 2
    for key, value in zip(sorted(data["items"]), [[-1, 5], ["0", None]], strict=True):
        data["items"][key] = value
    record.write_text(json.dumps(data), encoding="utf-8")
    site.episode("c", date="2024-01-03")
    assert _run(site) == 0
    fresh = runner.invoke(app, ["build", "-c", str(site.config), "-q", "--no-cache", "-o", "-"])
    assert fresh.exit_code == 0
    assert (site.root / "public" / "feed.xml").read_bytes() == fresh.stdout_bytes


def test_pages_of_a_show_template_follow_the_show_s_local_image(site: Site) -> None:
    """A local cover's published name holds its content's hash; a show's own template may put
    it on every episode page, which is written again when the cover changes."""
    site.show('\n[build]\ntemplates = "templates"\n', image='"cover.jpg"')
    (site.root / "templates").mkdir()
    (site.root / "templates" / "_episode.html").write_text("{{ show.image }}\n", encoding="utf-8")
    make_image(site.root / "cover.jpg", color=(10, 10, 10))
    site.episode("a", date="2024-01-01")
    _age(site)
    assert _run(site) == 0
    page = site.root / "public" / "episodes" / "a" / "index.html"
    before = page.read_text(encoding="utf-8")
    make_image(site.root / "cover.jpg", color=(200, 10, 10))
    assert _run(site) == 0
    (image,) = (site.root / "public" / "artwork").glob("cover-*.jpg")
    assert image.name in page.read_text(encoding="utf-8")
    assert image.name not in before
