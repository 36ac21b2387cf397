"""Whole builds on real files: determinism, atomic writes, every problem reported."""

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import DATA, GoldenCheck, Site
from feedcheck import parse_both

from podcastfeed.build import build, write_report
from podcastfeed.errors import BuildFailed, ExitCode

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_build_sample_show_matches_golden_and_both_parsers(
    sample_show: Path, golden: GoldenCheck
) -> None:
    report = build(sample_show / "feed.toml", now=NOW, use_cache=False)
    golden("sample", report.feed)
    items = parse_both(report.feed)
    assert [i.title for i in items] == [
        "Developer experience, measured",
        "Code reviews that don't hurt",
        "From DevOps to Platform engineering",
    ]
    assert report.drafts == 1
    sizes = {p.name: p.stat().st_size for p in (sample_show / "episodes" / "audio").iterdir()}
    assert [i.length for i in items] == [
        sizes["developer experience.mp3"],
        sizes["code-reviews.m4a"],
        sizes["platform-engineering.mp3"],
    ]
    assert [i.duration for i in items] == [5, 8, 6]  # the lengths ffmpeg made them with
    assert [i.mime_type for i in items] == ["audio/mpeg", "audio/x-m4a", "audio/mpeg"]


def test_build_seed_episode_golden(site: Site, golden: GoldenCheck) -> None:
    text = (DATA / "seed-episode.md").read_text(encoding="utf-8")
    audio = site.audio("sine-3s-cbr.mp3", "default_tc.mp3")
    text = "\n".join(
        f"audio: {audio}" if line.startswith("audio:") else line for line in text.splitlines()
    )
    site.episode("platform-engineering", text)
    report = build(site.config, now=NOW, use_cache=False)
    golden("seed", report.feed)
    (item,) = parse_both(report.feed)
    assert item.title == "From DevOps to Platform engineering"
    assert b"iframe" not in report.feed


def test_build_is_byte_identical_twice_and_after_touching_every_file(site: Site) -> None:
    site.episode("a", date="2024-01-01")
    site.episode("b", date="2024-02-01", audio=site.audio("sine-2s-moov-end.m4a"))
    first = build(site.config, now=NOW).feed
    assert build(site.config, now=NOW).feed == first  # from the cache
    later = datetime(2030, 1, 1).timestamp()
    for path in site.root.rglob("*"):
        os.utime(path, (later, later))
    rebuilt = build(site.config, now=NOW)
    assert rebuilt.feed == first
    assert rebuilt.probed == 2  # new mtimes: probed again, same answer
    assert build(site.config, now=NOW, use_cache=False).feed == first


def test_build_rebuild_uses_the_cache(site: Site) -> None:
    site.episode("a")
    assert build(site.config, now=NOW).parsed == 1
    again = build(site.config, now=NOW)
    assert (again.parsed, again.probed) == (0, 0)
    site.episode("a", title="Changed")
    assert build(site.config, now=NOW).parsed == 1


def test_build_corrupt_cache_warns_and_rebuilds(site: Site) -> None:
    site.episode("a")
    first = build(site.config, now=NOW).feed
    (site.root / ".podcastfeed-cache" / "build.pickle").write_bytes(b"garbage")
    report = build(site.config, now=NOW)
    assert report.feed == first
    assert any("unreadable build cache" in str(w) for w in report.warnings)


@pytest.mark.parametrize("with_a_file", [False, True])
def test_build_cache_file_replaced_by_a_folder(site: Site, with_a_file: bool) -> None:
    """A folder where the cache's file goes (made by hand): warned about on every build and
    never rebuilt, with a new pack file left at each one. An empty one is replaced; one with
    files in it (someone's) is left, with a warning saying so, and no pack piles up."""
    site.episode("a")
    first = build(site.config, now=NOW).feed
    cache = site.root / ".podcastfeed-cache"
    (cache / "build.pickle").unlink()
    (cache / "build.pickle").mkdir()
    if with_a_file:
        (cache / "build.pickle" / "mine.txt").write_text("kept")
    packs = sorted(cache.glob("*.pack"))
    report = build(site.config, now=NOW)
    assert report.feed == first
    kept = "delete it" if with_a_file else "rebuilding"
    assert [str(w) for w in report.warnings] == [
        f"warning: {cache / 'build.pickle'}: a folder, not the build cache; {kept}"
    ]
    again = build(site.config, now=NOW)
    assert (cache / "build.pickle" / "mine.txt").is_file() is with_a_file
    assert bool(again.warnings) is with_a_file
    assert again.parsed == (1 if with_a_file else 0)
    if with_a_file:
        assert sorted(cache.glob("*.pack")) == packs


def test_build_future_episodes_wait_unless_included(site: Site) -> None:
    site.episode("past", date="2025-12-31")
    site.episode("future", date="2026-06-01", audio=site.audio("sine-2s.opus"))
    report = build(site.config, now=NOW)
    assert ([e.title for e in report.published], report.scheduled) == (["past"], 1)
    report = build(site.config, now=NOW, include_future=True)
    assert sorted(e.title for e in report.published) == ["future", "past"]


def test_build_reports_every_problem_at_once(site: Site) -> None:
    site.episode("ok")
    site.episode("no-title", "---\ndate: 2024-01-01\naudio: audio/sine-3s-cbr.mp3\n---\n")
    site.episode("bad-yaml", "---\ntitle: [\n---\n")
    site.episode("bad-date", date="someday")
    site.episode("corrupt", audio=site.audio("random-bytes.mp3"))
    site.episode("empty", audio=site.audio("empty.mp3"))
    site.episode("missing", audio="audio/gone.mp3")
    with pytest.raises(BuildFailed) as info:
        build(site.config, now=NOW)
    errors = sorted(str(p).split(": error: ")[0] for p in info.value.problems if p.is_error)
    assert errors == [
        "episodes/bad-date.md:3",
        "episodes/bad-yaml.md:2",
        "episodes/corrupt.md:4",  # (the audio key's line: probe errors name it too)
        "episodes/empty.md:4",
        "episodes/missing.md:4",
        "episodes/no-title.md",
    ]
    assert info.value.exit_code == ExitCode.CONTENT


def test_build_refuses_a_file_name_that_is_not_utf8_by_name(site: Site) -> None:
    """Bytes that are not UTF-8 in a name (an old archive's, another system's) cannot go into
    the lock and the feed's URLs: an error naming the file, not a traceback at writing."""
    site.episode("ok")
    odd = os.fsdecode(b"caf\xe9")
    (site.episodes / f"{odd}.md").write_bytes(site.episode("tmp").read_bytes())
    (site.episodes / "tmp.md").unlink()
    (site.episodes / odd).mkdir()
    (site.episodes / odd / "inner.md").write_bytes((site.episodes / "ok.md").read_bytes())
    with pytest.raises(BuildFailed) as info:
        build(site.config, now=NOW)
    assert info.value.exit_code == ExitCode.CONTENT
    shown = sorted(str(p) for p in info.value.problems if p.is_error)
    assert shown == [
        f"{name!r}: error: the file's name is not valid UTF-8"
        f"\n  hint: rename it (or the folder): names go into the feed and podcastfeed.lock as UTF-8"
        for name in (f"episodes/{odd}.md", f"episodes/{odd}/inner.md")
    ]


def test_build_audio_only_failures_exit_3(site: Site) -> None:
    site.episode("corrupt", audio=site.audio("not-audio.mp3"))
    with pytest.raises(BuildFailed) as info:
        build(site.config, now=NOW)
    assert info.value.exit_code == ExitCode.PROBE
    (problem,) = info.value.problems
    assert str(problem).startswith("episodes/corrupt.md:4: error: audio 'audio/not-audio.mp3': ")


def test_build_duplicate_guid_and_audio_url(site: Site) -> None:
    site.episode("a", date="2024-01-01\nguid: same")
    site.episode("b", date="2024-01-02\nguid: same", audio=site.audio("sine-2s.flac"))
    site.episode("c", date="2024-01-03", audio="audio/sine-2s.flac")
    with pytest.raises(BuildFailed) as info:
        build(site.config, now=NOW)
    messages = [str(p) for p in info.value.problems]
    assert any("duplicate guid 'same': episodes/a.md has it too" in m for m in messages)
    assert any(
        "episodes/c.md:4: error: same audio URL https://cdn.example.org/media/audio/sine-2s.flac: "
        "episodes/b.md has it too" in m
        for m in messages
    )


def test_write_report_is_atomic_and_failed_builds_leave_the_feed(site: Site) -> None:
    site.episode("a")
    report = build(site.config, now=NOW)
    target = write_report(report)
    assert target == site.root.resolve() / "public" / "feed.xml"
    before = target.read_bytes()
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    site.episode("b", date="not a date")
    with pytest.raises(BuildFailed):
        build(site.config, now=NOW)
    assert target.read_bytes() == before
    written = sorted(p.relative_to(target.parent).as_posix() for p in target.parent.rglob("*"))
    assert written == [
        ".podcastfeed-manifest",
        "episodes",
        "episodes/a",
        "episodes/a/index.html",
        "feed.xml",
        "index.html",
    ]


def test_build_local_audio_needs_audio_base_url(site: Site) -> None:
    site.show(audio_base_url="")
    site.episode("a")
    with pytest.raises(BuildFailed) as info:
        build(site.config, now=NOW)
    assert "feed.toml sets no [show] audio_base_url" in str(info.value.problems[0])


def test_build_every_format(site: Site) -> None:
    formats = {
        "sine-3s-cbr.mp3": ("audio/mpeg", 3),
        "sine-2s-moov-end.m4a": ("audio/x-m4a", 2),
        "sine-2s.opus": ("audio/ogg", 2),
        "sine-2s.flac": ("audio/flac", 2),
        "sine-1s.wav": ("audio/wav", 1),
        "video-1s.mp4": ("video/mp4", 1),
    }
    for day, name in enumerate(formats, start=1):
        site.episode(name, date=f"2024-01-0{day}", audio=site.audio(name))
    items = parse_both(build(site.config, now=NOW).feed)
    assert {i.url.rsplit("/", 1)[1]: (i.mime_type, i.duration) for i in items} == formats


def test_build_episodes_folder_missing(site: Site) -> None:
    shutil.rmtree(site.episodes)
    with pytest.raises(BuildFailed) as info:
        build(site.config, now=NOW)
    assert "episodes folder not found" in str(info.value.problems[0])


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_build_checks_again_only_when_the_inputs_change(site: Site) -> None:
    """The error rules are skipped for a feed whose inputs passed them last time."""
    site.episode("a")
    assert build(site.config, now=NOW).checked
    assert not build(site.config, now=NOW).checked
    site.episode("a", title="Renamed")
    assert build(site.config, now=NOW).checked
    site.show(extra='[check]\nignore = ["apple/all-caps"]\n')
    report = build(site.config, now=NOW)
    assert report.checked
    assert report.warnings == []  # [check] is a known table
    assert build(site.config, now=NOW, include_future=True).checked  # dates may be ahead


def test_a_show_without_episode_files_warns_before_publishing_an_empty_feed(site: Site) -> None:
    """`[build] episodes` set to the wrong folder (no lock yet to notice) built an empty feed
    without a word: every listener's app would drop the show's episodes. A warning now (fatal
    with --strict); a folder that holds only other files is no better."""
    (site.episodes / "notes.txt").write_text("not an episode", encoding="utf-8")
    report = build(site.config, now=datetime(2024, 6, 1, tzinfo=UTC), use_cache=False)
    assert report.published == []
    assert [str(w) for w in report.warnings] == [
        "warning: no episode files in episodes/\n"
        "  hint: episodes are .md, .markdown, .html, .htm files with front matter; "
        "[build] episodes names the folder"
    ]


def test_episode_files_that_cannot_be_read_are_named_not_left_out_silently(
    site: Site, tmp_path: Path
) -> None:
    """A link to a moved episode, a pipe named .md and a link to a season folder (not
    followed: a link to / would be walked) were skipped without a word, their episodes missing
    from the feed; each is a warning now (--strict fails). A hidden or `_` name, and a link
    to the episodes folder or above it (a loop: nothing missing), are still skipped quietly."""
    site.episode("kept")
    (site.episodes / "moved.md").symlink_to(tmp_path / "gone.md")
    os.mkfifo(site.episodes / "pipe.md")
    season = tmp_path / "season"
    season.mkdir()
    site.episode("s1").rename(season / "s1.md")
    (site.episodes / "season").symlink_to(season)
    (site.episodes / "loop").symlink_to(site.episodes)
    (site.episodes / "up").symlink_to("..")
    (site.episodes / "sub").mkdir()
    (site.episodes / "alias").symlink_to("sub")
    (site.episodes / "_drafts.md").symlink_to(tmp_path / "gone.md")
    (site.episodes / ".hidden").symlink_to(season)
    report = build(site.config, now=NOW, use_cache=False)
    assert [e.title for e in report.published] == ["kept"]
    linked = (
        "  hint: move the folder into the episodes folder, or link its episode files one by one"
    )
    assert sorted(str(w) for w in report.warnings) == [  # (not loop, up, alias: loops)
        "episodes/moved.md: warning: skipped: a link to nothing",
        "episodes/pipe.md: warning: skipped: not a file (a pipe, a device or a socket)",
        f"episodes/season: warning: skipped: a link to a folder: not followed\n{linked}",
    ]


def test_an_audio_error_names_the_line_of_the_key_that_gives_the_audio(site: Site) -> None:
    """A probe's error (found after reading, in media/) names the audio key's line, whichever
    of its names the file uses: it named the file alone."""
    audio = site.audio("random-bytes.mp3")
    text = f"---\ntitle: T\n# the audio:\n\ndate: 2024-01-01\nmp3:   {audio}\n---\nNotes.\n"
    site.episode("corrupt", text)
    site.episode("quoted", f'---\ntitle: Q\ndate: 2024-01-02\n"audio" : {audio}\n---\nN.\n')
    with pytest.raises(BuildFailed) as info:
        build(site.config, now=NOW)
    found = sorted((p.source, p.line, p.message[:14]) for p in info.value.problems)
    assert found == [  # (the same audio twice: named at the key's line too)
        ("episodes/corrupt.md", 6, "audio 'audio/r"),
        ("episodes/quoted.md", 4, "audio 'audio/r"),
        ("episodes/quoted.md", 4, "same audio URL"),
    ]
