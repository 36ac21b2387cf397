"""A build touches only what it owns (issue 11): no overwritten files, nothing written into the
sources, paths from anywhere, and files named by episodes only from inside the show (issue 12)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import DATA, Site, build_with_a_file_size_limit
from typer.testing import CliRunner

from podcastfeed.build import build, write_report
from podcastfeed.cli import app
from podcastfeed.errors import BuildFailed
from podcastfeed.files import NAME_MAX, temp_stem, write_atomic
from podcastfeed.output import commit, showlock

runner = CliRunner()
NOW = datetime(2025, 1, 1, tzinfo=UTC)


def snapshot(folder: Path, *names: str) -> dict[str, str]:
    """Every file under `folder`'s `names` (files or folders), by path, with its digest."""
    found = {}
    for name in names:
        top = folder / name
        for path in [top] if top.is_file() else sorted(top.rglob("*")):
            if path.is_file():
                digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
                found[path.relative_to(folder).as_posix()] = digest
    return found


def _cli(site: Site, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["build", "-c", str(site.config), "-q", *args])
    return result.exit_code, result.stderr


def test_build_into_the_show_folder_leaves_index_and_episodes_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new user's `podcastfeed build -o feed.xml` beside their own index.html."""
    show = tmp_path / "show"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        result = runner.invoke(app, list(args))
        return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)

    show.mkdir()
    monkeypatch.chdir(show)
    assert run("init", ".", "--yes").returncode == 0
    shutil.copyfile(DATA / "audio" / "sine-3s-cbr.mp3", show / "episodes" / "hello.mp3")
    (show / "episodes" / "hello.md").write_text(
        "---\ntitle: Hello\ndate: 2024-01-01\naudio: hello.mp3\n---\nHi.\n", encoding="utf-8"
    )
    (show / "index.html").write_text("<h1>my own site</h1>\n", encoding="utf-8")
    before = snapshot(show, "index.html", "episodes")

    first = run("build", "-o", "feed.xml")
    assert first.returncode == 0, first.stderr
    assert "the show page and episode pages were not written" in first.stderr
    assert 'set [build] site = "public"' in first.stderr
    assert snapshot(show, "index.html", "episodes") == before
    feed = (show / "feed.xml").read_bytes()

    second = run("build", "-o", "feed.xml")
    assert second.returncode == 0, second.stderr
    assert (show / "feed.xml").read_bytes() == feed
    assert run("build", "-o", "feed.xml", "--check").returncode == 0
    shutil.copyfile(DATA / "audio" / "sine-3s-cbr.mp3", show / "episodes" / "second.mp3")
    new = run("new", "Second", "--audio", "episodes/second.mp3", "--publish")
    assert new.returncode == 0, new.stderr
    third = run("build", "-o", "feed.xml", "--allow-changes", "*")
    assert third.returncode == 0, third.stderr
    assert (show / "index.html").read_text(encoding="utf-8") == "<h1>my own site</h1>\n"
    assert not list((show / "episodes").rglob("index.html"))


def test_site_setting_publishes_pages_beside_a_root_feed(site: Site) -> None:
    site.show('[build]\noutput = "feed.xml"\nsite = "public"\n')
    site.episode("a")
    (site.episodes / "a.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n")
    (site.root / "index.html").write_text("mine")
    code, stderr = _cli(site)
    assert code == 0, stderr
    assert "not written" not in stderr
    assert (site.root / "index.html").read_text() == "mine"
    page = (site.root / "public" / "episodes" / "a" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../../transcripts/a.vtt"' in page  # the feed's folder, from the page
    assert (site.root / "transcripts" / "a.vtt").is_file()
    manifest = commit.read_manifest(site.root)
    assert {"feed.xml", "transcripts/a.vtt", "public/index.html"} <= manifest.files


def test_site_that_holds_the_sources_is_refused(site: Site) -> None:
    site.show('[build]\nsite = "."\n')
    site.episode("a")
    code, stderr = _cli(site)
    assert code == 1
    assert "[build] site must be a folder of its own: . holds the show's sources" in stderr


@pytest.mark.parametrize("output", ["episodes/feed.xml", "episodes/sub/feed.xml", "tpl/feed.xml"])
def test_output_inside_a_folder_the_build_reads_is_refused(site: Site, output: str) -> None:
    site.show('[build]\ntemplates = "tpl"\n')
    (site.root / "tpl").mkdir()
    site.episode("a")
    code, stderr = _cli(site, "-o", str(site.root / output))
    assert code == 1, stderr
    assert "would be written into the" in stderr
    assert "the build reads that folder" in stderr
    assert not (site.root / output).exists()


def test_hand_written_file_where_a_page_goes_stops_the_build(site: Site) -> None:
    site.episode("a")
    page = site.root / "public" / "episodes" / "a" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<p>my notes</p>")
    code, stderr = _cli(site)
    assert code == 1
    assert (
        f"Error: {Path('public/episodes/a/index.html')} exists and was not written by "
        "podcastfeed; not overwriting it"
    ) in stderr
    assert "hint: move it away, or choose another output folder" in stderr
    assert page.read_text() == "<p>my notes</p>"
    assert not (site.root / "public" / "feed.xml").exists()  # nothing was written
    assert not (site.root / "public" / "index.html").exists()
    assert not (site.root / "podcastfeed.lock").exists()


def test_a_file_from_an_earlier_podcastfeed_is_taken_over(site: Site) -> None:
    site.episode("a")
    assert _cli(site)[0] == 0
    (site.root / "public" / commit.MANIFEST_NAME).unlink()  # as before manifests existed
    site.episode("a", title="Renamed")
    assert _cli(site)[0] == 0
    assert "Renamed" in (site.root / "public" / "index.html").read_text(encoding="utf-8")


def test_unpublishing_removes_its_page_and_transcript_only(site: Site) -> None:
    site.episode("a")
    site.episode("b", audio=site.audio("sine-3s-cbr.mp3", "b.mp3"))
    (site.episodes / "b.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n")
    public = site.root / "public"
    (public / "episodes").mkdir(parents=True)
    (public / "episodes" / "mine.txt").write_text("mine")
    assert _cli(site)[0] == 0
    assert (public / "episodes" / "b" / "index.html").is_file()
    assert (public / "transcripts" / "b.vtt").is_file()
    (site.episodes / "b.md").unlink()
    code, stderr = _cli(site, "--allow-changes", "b")
    assert code == 0, stderr
    assert not (public / "episodes" / "b").exists()
    assert not (public / "transcripts").exists()
    assert (public / "episodes" / "a" / "index.html").is_file()
    assert (public / "episodes" / "mine.txt").read_text() == "mine"
    assert "episodes/b/index.html" not in commit.read_manifest(public).files


@pytest.mark.parametrize("where", ["absolute", "relative"])
def test_episodes_folder_outside_the_show_builds(site: Site, tmp_path: Path, where: str) -> None:
    outside = tmp_path / "elsewhere" / "posts"
    outside.mkdir(parents=True)
    shutil.copyfile(DATA / "audio" / "sine-3s-cbr.mp3", outside / "a.mp3")
    (outside / "a.md").write_text("---\ntitle: A\ndate: 2024-01-01\naudio: a.mp3\n---\nA.\n")
    (outside / "b.md").write_text("---\ntitle: B\ndate: nope\naudio: a.mp3\n---\n")
    written = str(outside) if where == "absolute" else "../elsewhere/posts"
    site.show(f'[build]\nepisodes = "{written}"\n')
    with pytest.raises(BuildFailed) as failed:
        build(site.config, now=NOW)
    assert any(str(p.source) == str(outside / "b.md") for p in failed.value.problems)
    (outside / "b.md").unlink()
    report = build(site.config, now=NOW)
    write_report(report)
    assert [e.title for e in report.published] == ["A"]
    assert report.lock.entries[0].file == str(outside / "a.md")
    assert (site.root / "public" / "episodes" / "a" / "index.html").is_file()


def test_same_file_name_in_two_folders_gets_two_pages(site: Site) -> None:
    for season in ("season1", "season2"):
        (site.episodes / season).mkdir()
        audio = site.audio("sine-3s-cbr.mp3", f"{season}.mp3")
        (site.episodes / season / "intro.md").write_text(
            f"---\ntitle: {season}\ndate: 2024-01-01\npermalink: /{season}/\n"
            f"audio: ../{audio}\n---\n"
        )
    assert _cli(site)[0] == 0
    pages = site.root / "public" / "episodes"
    for season in ("season1", "season2"):
        page = (pages / season / "intro" / "index.html").read_text(encoding="utf-8")
        assert f"<title>{season}" in page
        assert 'href="../../../index.html"' in page  # back to the show page, one level deeper


def test_pages_written_into_the_episodes_folder_by_an_old_build_are_not_read(
    site: Site,
) -> None:
    """`episodes = "."`: the output folder is inside the episodes folder, and skipped."""
    site.show('[build]\nepisodes = "."\n')
    site.episode("a")
    code, stderr = _cli(site)
    assert code == 0, stderr
    # the slug is the file's path in the episodes folder, which is the show's folder here
    assert (site.root / "public" / "episodes" / "episodes" / "a" / "index.html").is_file()
    code, stderr = _cli(site)
    assert code == 0, stderr


def _build_process(site: Site) -> subprocess.CompletedProcess[str]:
    """`podcastfeed build` in a process of its own (the lock is per process)."""
    return subprocess.run(
        [sys.executable, "-m", "podcastfeed", "build", "-c", str(site.config)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_second_build_while_one_holds_the_lock_fails_at_once(site: Site) -> None:
    site.episode("a")
    with showlock.hold(site.root / ".podcastfeed-cache", site.config):
        done = _build_process(site)
    assert done.returncode == 1
    assert f"another build is running in this show (process {os.getpid()})" in done.stderr
    assert not (site.root / "public").exists()
    assert _cli(site)[0] == 0  # released


def test_lock_without_a_usable_cache_folder_is_taken_on_feed_toml(site: Site) -> None:
    site.episode("a")
    (site.root / ".podcastfeed-cache").write_text("not a folder")
    with showlock.hold(site.root / ".podcastfeed-cache", site.config):
        done = _build_process(site)
    assert done.returncode == 1
    assert "Error: another build is running in this show\n" in done.stderr
    assert _cli(site)[0] == 0


def test_a_folder_where_the_build_lock_goes_is_replaced_when_empty(site: Site) -> None:
    """An empty folder at .podcastfeed-cache/build.lock (a restored backup, a tool) stopped
    every build with "Is a directory": it goes, as an empty one where a cache file goes; one
    with files in it is named with what to do."""
    site.episode("a")
    lock_path = site.root / ".podcastfeed-cache" / showlock.LOCK_NAME
    lock_path.mkdir(parents=True)
    assert _cli(site)[0] == 0
    assert lock_path.is_file()
    lock_path.unlink()
    (lock_path / "kept").mkdir(parents=True)
    code, stderr = _cli(site)
    assert code == 1
    assert stderr.splitlines() == [
        f"Error: {lock_path}: cannot take the build lock: Is a directory",
        "  hint: a file podcastfeed makes: delete the folder in its way",
    ]
    assert (lock_path / "kept").is_dir()


# --- files an episode names must lie inside the show (issue 12) ------------------------------


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path / "secret"
    secret.mkdir(exist_ok=True)
    (secret / "passwd.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nroot:x:0:0\n")
    shutil.copyfile(DATA / "audio" / "sine-3s-cbr.mp3", secret / "secret.mp3")
    (secret / "chapters.json").write_text('{"version": "1.2.0", "chapters": []}')
    return secret


@pytest.mark.parametrize(
    "front",
    [
        "transcript: {{url: {secret}/passwd.vtt, type: text/vtt}}",
        "transcript: {{url: /etc/passwd, type: text/plain}}",
        "transcript: ../../secret/passwd.vtt",
        "transcript: linked/passwd.vtt",
        "chapters: {secret}/chapters.json",
        "chapters: ../../secret/chapters.json",
        "alternate_enclosures: [{{url: {secret}/secret.mp3}}]",
        "alternate_enclosures: [{{url: ../../secret/secret.mp3}}]",
        "alternate_enclosures: [{{url: linked/secret.mp3}}]",
        "audio: linked/secret.mp3",
        "audio: {secret}/secret.mp3",
    ],
)
def test_files_outside_the_show_are_not_published(site: Site, tmp_path: Path, front: str) -> None:
    secret = _secret(tmp_path)
    (site.episodes / "linked").symlink_to(secret, target_is_directory=True)
    line = front.format(secret=secret)
    audio = "" if line.startswith("audio:") else f"audio: {site.audio('sine-3s-cbr.mp3')}\n"
    (site.episodes / "e.md").write_text(f"---\ntitle: E\ndate: 2024-01-01\n{audio}{line}\n---\n")
    with pytest.raises(BuildFailed) as failed:
        build(site.config, now=NOW)
    messages = [str(p) for p in failed.value.problems]
    assert any("is outside the show folder" in m for m in messages), messages
    assert not (site.root / "public").exists()


def test_sibling_transcript_that_links_outside_is_refused(site: Site, tmp_path: Path) -> None:
    secret = _secret(tmp_path)
    site.episode("e")
    (site.episodes / "e.vtt").symlink_to(secret / "passwd.vtt")
    with pytest.raises(BuildFailed) as failed:
        build(site.config, now=NOW)
    assert any("is outside the show folder" in str(p) for p in failed.value.problems)


def test_a_link_that_leads_outside_since_the_last_build_is_refused(
    site: Site, tmp_path: Path
) -> None:
    """The build cache knows an unchanged episode without parsing it again: a sibling transcript
    linked into the show then linked outside it is still refused, not published."""
    secret = _secret(tmp_path)
    site.episode("e")
    (site.root / "notes.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n")
    (site.episodes / "e.vtt").symlink_to(site.root / "notes.vtt")
    write_report(build(site.config, now=NOW))
    (site.episodes / "e.vtt").unlink()
    (site.episodes / "e.vtt").symlink_to(secret / "passwd.vtt")
    with pytest.raises(BuildFailed) as failed:
        build(site.config, now=NOW)
    assert any("is outside the show folder" in str(p) for p in failed.value.problems)


def test_audio_moved_to_where_it_is_looked_for_first_is_found_there(site: Site) -> None:
    """`audio: a.mp3` is looked for beside the episode, then in the show's folder: moved from
    the second to the first (the episode file untouched), the episode builds from the cache
    as without it."""
    shutil.copyfile(DATA / "audio" / "sine-3s-cbr.mp3", site.root / "a.mp3")
    site.episode("a", audio="a.mp3")
    write_report(build(site.config, now=NOW))
    os.replace(site.root / "a.mp3", site.episodes / "a.mp3")
    (found,) = build(site.config, now=NOW).published
    assert found.audio is not None
    assert found.audio.path == site.episodes / "a.mp3"


def test_local_alternate_enclosure_url_never_holds_the_local_path(site: Site) -> None:
    audio = site.audio("sine-2s.ogg")
    site.episode("e", text=None)
    text = (
        (site.episodes / "e.md")
        .read_text()
        .replace("---\n\n", f"alternate_enclosures: [{{url: ../episodes/{audio}}}]\n---\n\n", 1)
    )
    (site.episodes / "e.md").write_text(text)
    report = build(site.config, now=NOW)
    (alternate,) = report.published[0].tags.alternate_enclosures
    assert alternate.url == "https://cdn.example.org/media/episodes/audio/sine-2s.ogg"


def test_template_linked_outside_the_templates_folder_is_refused(
    site: Site, tmp_path: Path
) -> None:
    secret = _secret(tmp_path)
    (site.root / "tpl").mkdir()
    (site.root / "tpl" / "notes.txt").symlink_to(secret / "passwd.vtt")
    (site.root / "tpl" / "index.html").write_text('{% include "notes.txt" %}')
    site.show('[build]\ntemplates = "tpl"\n')
    site.episode("a")
    code, stderr = _cli(site)
    assert code == 1
    assert "notes.txt is outside the templates folder" in stderr
    assert not (site.root / "public").exists()


def test_temporary_files_of_a_killed_write_are_removed(site: Site) -> None:
    site.episode("a")
    assert _cli(site)[0] == 0
    folder = site.root / "public" / "episodes" / "a"
    stray = folder / ".index.html.k2x9_q0a.tmp"  # what a killed write of an older build left
    stray.write_text("<p>half a page")
    mine = folder / ".notes.tmp"  # not one of podcastfeed's names: left alone
    mine.write_text("mine")
    site.episode("a", title="Renamed")
    assert _cli(site)[0] == 0
    assert not stray.exists()
    assert mine.read_text() == "mine"


def test_a_file_where_an_output_folder_goes_stops_the_build_before_any_write(
    site: Site,
) -> None:
    site.episode("a")
    assert _cli(site)[0] == 0
    public = site.root / "public"
    index = (public / "index.html").read_bytes()
    shutil.rmtree(public / "episodes")
    (public / "episodes").write_text("a file in the way")
    site.episode("a", title="Renamed")
    code, stderr = _cli(site)
    assert code == 1
    assert "public/episodes is a file, not a folder" in stderr
    assert (public / "index.html").read_bytes() == index  # nothing was written


def test_an_output_named_at_the_file_systems_limit_is_written(site: Site) -> None:
    """A transcript named 255 bytes (the most a file system takes, like the episode file it
    comes from) is written: its temporary file's name is shortened, not made longer."""
    name = "n" * 251  # the episode file: 254 bytes; its transcript beside it 255
    site.episode(name)
    (site.episodes / f"{name}.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n")
    code, stderr = _cli(site)
    assert code == 0, stderr
    written = site.root / "public" / "transcripts" / f"{name}.vtt"
    assert written.read_bytes().startswith(b"WEBVTT")
    assert not [n for n in os.listdir(written.parent) if n.endswith(".tmp")]
    assert _cli(site, "--check")[0] == 0


def test_an_output_name_no_file_system_takes_is_an_error_before_writing(site: Site) -> None:
    """The episode file's name fits (252 + ".md"), its transcript's would not (256 bytes):
    an error naming it, and nothing written (the write failed on the temporary file)."""
    name = "n" * 252
    site.episode(name, text=None)
    path = site.episodes / f"{name}.md"
    (site.episodes / "t.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n")
    path.write_text(path.read_text().replace("---\n\n", "transcript: t.vtt\n---\n\n", 1))
    code, stderr = _cli(site)
    assert code == 1
    assert stderr == (
        f"Error: cannot write public/transcripts/{name}.vtt: a name of 256 bytes, and file "
        "systems take 255 at most\n  hint: it is made of an episode file's name: shorten "
        "that name\n"
    )
    assert not (site.root / "public").exists()


@pytest.mark.parametrize("letter", ["n", "é", "𝄞"])  # 1, 2 and 4 bytes a character
def test_atomic_writes_take_names_up_to_the_limit(tmp_path: Path, letter: str) -> None:
    """Every name a file system takes can be written atomically (its temporary file's name
    stays within the limit too, and differs from another long name's with the same start)."""
    size = len(letter.encode())
    names = [letter * ((NAME_MAX - 1) // size) + end for end in ("a", "b")]
    for name in names:
        assert len(os.fsencode(name)) <= NAME_MAX
        write_atomic(tmp_path / name, name.encode())
    stems = {temp_stem(name) for name in names}
    assert len(stems) == 2
    assert all(len(os.fsencode(f".{stem}.12345678.tmp")) <= NAME_MAX for stem in stems)
    assert sorted(os.listdir(tmp_path)) == sorted(names)
    assert [(tmp_path / name).read_text() for name in names] == names


@pytest.mark.parametrize("where", ["feed", "page"])
def test_an_output_that_is_a_pipe_or_device_is_refused_without_waiting(
    site: Site, where: str
) -> None:
    """`-o /dev/stdout` (or a pipe where a page goes) waited forever: the build read it to
    see whether it held its own bytes. Now an error, and nothing written beside it."""
    site.episode("a")
    public = site.root / "public"
    public.mkdir()
    fifo = public / ("feed.xml" if where == "feed" else "index.html")
    os.mkfifo(fifo)
    command = [sys.executable, "-m", "podcastfeed", "build", "-c", str(site.config), "-q"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr == (
        f"Error: cannot write public/{fifo.name}: it is not a file (a device, a pipe or a "
        "socket)\n"
        "  hint: move it away, or choose another output (-o FILE; -o - prints the feed)\n"
    )
    assert os.listdir(public) == [fifo.name]


def test_a_device_as_the_feed_is_refused(site: Site) -> None:
    site.episode("a")
    code, stderr = _cli(site, "-o", os.devnull)
    assert code == 1
    assert stderr.startswith(f"Error: cannot write {os.devnull}: it is not a file")


def test_a_write_that_fails_names_the_output_and_replaces_nothing(site: Site) -> None:
    """A write whose error names no file (a full disk; here the file size limit, EFBIG) names
    the output it was writing, not the feed nor its temporary copy; nothing is replaced."""
    site.episode("a")
    cue = "00:00.000 --> 00:01.000\nHi\n\n"
    (site.episodes / "a.vtt").write_text("WEBVTT\n\n" + cue)
    assert _cli(site)[0] == 0
    before = snapshot(site.root, "public", "podcastfeed.lock")
    (site.episodes / "a.vtt").write_text("WEBVTT\n\n" + cue * 4000)  # 100 KB
    done = build_with_a_file_size_limit(site.root)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "Error: cannot write public/transcripts/a.vtt: File too large",
        "Nothing was replaced: the previous feed, lock and pages are as they were",
    ]
    assert snapshot(site.root, "public", "podcastfeed.lock") == before
    assert not [p for p in site.root.rglob("*") if p.name.endswith(".tmp")]
