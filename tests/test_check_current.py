"""`build --check` as a library call (issue 13): output.plan.check_current decides, the CLI
prints."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from conftest import Site

from podcastfeed.build import BuildReport, build, write_report
from podcastfeed.lock import LOCK_NAME
from podcastfeed.output import commit
from podcastfeed.output.plan import check_current

NOW = datetime(2025, 1, 1, tzinfo=UTC)


def _check(report: BuildReport) -> list[str]:
    return check_current(
        report.feed,
        report.output,
        report.config,
        report.published,
        report.lock,
        lambda way: report.pages(assets_path=way),
        lambda path: path.name,
        check_manifest=True,
    )


def test_check_current_lists_what_is_stale_then_nothing(site: Site) -> None:
    site.episode("first", title="First light")
    report = build(site.config, now=NOW, use_cache=False)
    stale = _check(report)
    assert stale[0] == "feed.xml does not exist yet"
    assert f"{LOCK_NAME} is out of date" in stale
    write_report(report)
    assert _check(report) == []


def test_check_current_words_the_feed_difference(site: Site) -> None:
    site.episode("first", title="First light")
    write_report(build(site.config, now=NOW, use_cache=False))
    site.episode("first", title="Second light")
    stale = _check(build(site.config, now=NOW, use_cache=False))
    assert stale[0] == "feed.xml is out of date:"
    assert any("Second light" in line for line in stale[1:])


def test_check_current_reports_a_switch_a_killed_build_left_half_done(site: Site) -> None:
    """Killed after its new manifest was in place, before it removed the page of an episode
    that left the feed: every file it checks is current, but that page is still there."""
    site.episode("a")
    site.episode("b", audio=site.audio("sine-3s-cbr.mp3", "b.mp3"))
    write_report(build(site.config, now=NOW, use_cache=False))
    public = site.root / "public"
    page = public / "episodes" / "b" / "index.html"
    kept = page.read_bytes()
    (site.episodes / "b.md").unlink()
    report = build(site.config, now=NOW, use_cache=False, allow_changes=["b"])
    write_report(report)
    page.parent.mkdir(parents=True)  # as the killed build left it
    page.write_bytes(kept)
    journal = {"format": commit.FORMAT, "token": "0123abcd", "folder": str(public)}
    journal |= {"writes": [], "removes": [str(page)], "state": "commit"}
    (public / commit.JOURNAL_NAME).write_text(json.dumps(journal), encoding="utf-8")
    stale = ".podcastfeed-journal: a build was killed while it switched its files"
    assert _check(report) == [stale]
    write_report(build(site.config, now=NOW, use_cache=False, allow_changes=["b"]))
    assert not page.exists()


def test_check_current_names_a_file_the_build_would_remove(site: Site) -> None:
    """Episode pages turned off change no other file here (the show's own index.html lists
    no page): the pages left over are what is stale."""
    site.show('\n[build]\ntemplates = "templates"\n')
    (site.root / "templates").mkdir()
    (site.root / "templates" / "index.html").write_text("{{ show.title }}\n", encoding="utf-8")
    site.episode("first", title="First light")
    write_report(build(site.config, now=NOW, use_cache=False))
    site.show('\n[build]\ntemplates = "templates"\npages = false\n')
    report = build(site.config, now=NOW, use_cache=False)
    assert _check(report) == ["index.html is left over (the build removes it)"]
    write_report(report)
    assert not (site.root / "public" / "episodes").exists()
    assert _check(report) == []


def test_check_current_names_a_manifest_the_build_would_write_again(site: Site) -> None:
    """`build --check` passed while a build would rewrite `.podcastfeed-manifest` (deleted, or
    its files list edited): committed with the files, a CI build changed it. Its pages' digest
    is no output (it changes with a comment in feed.toml): not reported."""
    site.episode("a")
    report = build(site.config, now=NOW, use_cache=False)
    write_report(report)
    assert _check(report) == []
    path = site.root / "public" / commit.MANIFEST_NAME
    written = json.loads(path.read_text())
    path.write_text(json.dumps({**written, "pages": "0" * 40}, indent=1) + "\n")
    assert _check(report) == []
    path.write_text(json.dumps({**written, "files": written["files"][1:]}, indent=1) + "\n")
    assert _check(report) == [
        f"{commit.MANIFEST_NAME} is out of date (the record of the files the build wrote)"
    ]
    path.unlink()
    assert _check(report) == [
        f"{commit.MANIFEST_NAME} is out of date (the record of the files the build wrote)"
    ]
    write_report(build(site.config, now=NOW, use_cache=False))
    assert _check(report) == []
