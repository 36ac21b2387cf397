"""`podcastfeed new` and `podcastfeed init`: starting files that build as they are."""

import os
import pty
import select
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from conftest import DATA, Site
from feedcheck import parse_both
from httpserver import AudioServer
from typer.testing import CliRunner

from podcastfeed.cli import app
from podcastfeed.errors import shorten
from podcastfeed.model import Episode
from podcastfeed.source.config import load_config
from podcastfeed.source.episodes import read_episode
from podcastfeed.source.scaffold import slugify

runner = CliRunner()


def _read(site: Site, path: Path) -> Episode:
    config = load_config(site.config)
    episode, problems = read_episode(path, config.show, config.build)
    assert not [p for p in problems if p.is_error], problems
    assert episode is not None
    return episode


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Hello, World!", "hello-world"),
        ("Ça va? Über-größe", "ca-va-uber-grosse"),  # (ß was dropped: "groe")
        ("Łódź, Ærø", "lodz-aero"),  # (were "odz-r")
        ("Привет, мир", "privet-mir"),  # (any title without Latin letters was "episode")
        ("日本語のタイトル 🎙️", "ribenyunotaitoru"),  # (emoji go, not ":microphone2:")
        ("???", "episode"),
        ("x" * 80, "x" * 60),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_new_writes_a_draft_with_guid_date_and_measured_audio(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(site.root)
    shutil.copyfile(DATA / "audio" / "sine-3s-cbr.mp3", site.root / "hello.mp3")
    result = runner.invoke(
        app, ["new", 'Hello: "world"', "--audio", "hello.mp3", "--date", "2024-03-12"]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "episodes/2024-03-12-hello-world.md\n"
    assert result.stderr == (
        "Warning: hello.mp3 is outside episodes: its URL would be [show] audio_base_url + "
        "../hello.mp3; move it under episodes/ (e.g. episodes/audio/) and fix `audio:`\n"
        "Wrote episodes/2024-03-12-hello-world.md (a draft: set status: publish when it is "
        "ready), then run `podcastfeed build`\n"
    )
    path = site.root / "episodes" / "2024-03-12-hello-world.md"
    text = path.read_text(encoding="utf-8")
    assert 'audio: "../hello.mp3"  # 0:00:03, ' in text
    assert "audio/mpeg (measured by podcastfeed new" in text
    episode = _read(site, path)
    assert episode.title == 'Hello: "world"'
    assert not episode.is_published
    assert str(uuid.UUID(str(episode.guid))) == episode.guid
    assert episode.date.isoformat() == "2024-03-12T00:00:00+00:00"
    assert episode.audio is not None
    assert episode.audio.path is not None
    assert episode.audio.path.resolve() == (site.root / "hello.mp3").resolve()


def test_new_publish_builds_into_the_feed(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(site.root)
    site.audio("sine-3s-cbr.mp3", "one.mp3")
    args = ["new", "One", "--audio", "episodes/audio/one.mp3", "--publish"]
    result = runner.invoke(app, [*args, "--date", "2024-01-02T09:30:00+01:00"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "episodes/2024-01-02-one.md\n"
    assert "status: publish\n" in Path(result.stdout.strip()).read_text(encoding="utf-8")
    built = runner.invoke(app, ["build"])
    assert built.exit_code == 0, built.stderr
    (item,) = parse_both((site.root / "public" / "feed.xml").read_bytes())
    assert item.title == "One"
    assert item.duration == 3


def test_new_guids_are_fresh_and_files_never_overwritten(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(site.root)
    first = runner.invoke(app, ["new", "Same", "--date", "2024-01-01"])
    assert first.exit_code == 0
    path = Path(first.stdout.strip())
    before = path.read_text(encoding="utf-8")
    assert "audio:  # a file" in before
    again = runner.invoke(app, ["new", "Same", "--date", "2024-01-01"])
    assert again.exit_code == 1
    assert again.stderr == (
        f"Error: {path}: exists already; not overwritten\n  hint: choose another title or --date\n"
    )
    assert path.read_text(encoding="utf-8") == before
    other = runner.invoke(app, ["new", "Same", "--date", "2024-01-02", "--dir", "more"])
    assert other.stdout == "more/2024-01-02-same.md\n"
    guids = {
        line for p in (path, Path("more/2024-01-02-same.md")) for line in p.read_text().split("\n")
    }
    assert len([g for g in guids if g.startswith("guid:")]) == 2


def test_new_default_date_is_now_and_draft_builds(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(site.root)
    result = runner.invoke(app, ["new", "Later"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("episodes/20")
    assert _read(site, Path(result.stdout.strip())).date.tzinfo is not None
    built = runner.invoke(app, ["build"])
    assert built.exit_code == 0, built.stderr
    assert "0 episodes (1 draft not published)" in built.stderr


def test_new_bad_date_and_bad_audio(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(site.root)
    bad = runner.invoke(app, ["new", "X", "--date", "12/03/24"])
    assert bad.exit_code == 2
    assert bad.stderr == (
        "Error: --date must be YYYY-MM-DD or an ISO 8601 date-time (got '12/03/24')\n"
    )
    missing = runner.invoke(app, ["new", "X", "--audio", "nope.mp3"])
    assert missing.exit_code == 3
    assert missing.stderr.startswith("Error: ")
    assert list((site.root / "episodes").glob("*.md")) == []


def test_new_audio_url_is_measured(
    site: Site, monkeypatch: pytest.MonkeyPatch, http_server: AudioServer
) -> None:
    monkeypatch.chdir(site.root)
    url = http_server.url("sine-3s-cbr.mp3")
    result = runner.invoke(app, ["new", "Remote", "--audio", url, "--date", "2024-05-01"])
    assert result.exit_code == 0, result.stderr
    text = Path(result.stdout.strip()).read_text(encoding="utf-8")
    assert f'audio: "{url}"  # 0:00:03, ' in text


def test_init_yes_writes_a_show_that_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["init", "my-show", "--yes"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    config = load_config(tmp_path / "my-show" / "feed.toml")
    assert (config.show.title, config.show.author, config.show.language) == (
        "My Show",
        "Your Name",
        "en",
    )
    assert (tmp_path / "my-show" / ".gitignore").read_text() == "/public/\n"
    (example,) = (tmp_path / "my-show" / "episodes").glob("*-welcome.md")
    assert result.stderr.startswith(f"Wrote my-show/feed.toml and my-show/episodes/{example.name}")
    assert "cd my-show && podcastfeed new" in result.stderr
    built = runner.invoke(app, ["build", "-c", "my-show/feed.toml"])
    assert built.exit_code == 0, built.stderr
    assert "0 episodes (1 draft not published)" in built.stderr
    checked = runner.invoke(app, ["check", "-c", "my-show/feed.toml"])
    assert checked.exit_code == 0, checked.stdout


def test_init_flags(tmp_path: Path) -> None:
    args = ["init", str(tmp_path), "--yes", "--title", "Deep Dive", "--author", "Jane Doe"]
    args += ["--email", "jane@example.org", "--link", "https://dive.example.org/"]
    args += ["--language", "de", "--category", "arts > books", "--description", "Long talks."]
    result = runner.invoke(app, [*args, "--image", "https://dive.example.org/art.png"])
    assert result.exit_code == 0, result.stderr
    show = load_config(tmp_path / "feed.toml").show
    assert (show.title, show.description, show.author) == ("Deep Dive", "Long talks.", "Jane Doe")
    assert (show.owner.name, show.owner.email) == ("Jane Doe", "jane@example.org")
    assert (show.link, show.feed_url) == (
        "https://dive.example.org/",
        "https://dive.example.org/feed.xml",
    )
    assert show.image == "https://dive.example.org/art.png"
    assert show.language == "de"
    assert [str(c) for c in show.categories] == ["Arts > Books"]
    assert "# " in (tmp_path / "feed.toml").read_text(encoding="utf-8")  # commented


def test_init_names_a_website_that_is_no_url_not_the_artwork(tmp_path: Path) -> None:
    """`--link notaurl` said "Error: --image: file not found: 'notaurl/cover.jpg'" (the
    artwork's default is the site's cover.jpg), of a flag not given."""
    result = runner.invoke(app, ["init", str(tmp_path / "show"), "--yes", "--link", "notaurl"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the website must be an http(s) URL (got 'notaurl')\n")
    assert not (tmp_path / "show").exists()


@pytest.mark.parametrize(
    ("flag", "value", "said"),
    [
        ("--language", "english", "--language: must be a language code like 'en' or 'en-US'"),
        ("--category", "Tech", "--category: 'Tech' is not a category in Apple's list"),
        ("--email", "bad", "--email: must be an e-mail address (got 'bad')"),
    ],
)
def test_init_names_a_refused_value_by_its_flag(
    tmp_path: Path, flag: str, value: str, said: str
) -> None:
    """It was named at a line of the feed.toml init had written and then removed
    ("show/feed.toml:12: error: [show] 'language' must be …")."""
    result = runner.invoke(app, ["init", str(tmp_path / "show"), "--yes", flag, value])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {said}")
    assert "feed.toml:" not in result.stderr
    assert not (tmp_path / "show").exists()


def test_init_asks_and_reads_piped_answers(tmp_path: Path) -> None:
    answers = "Piped Show\n\nJo\njo@example.net\nhttps://piped.example\nfr\nMusic\n\n"
    result = runner.invoke(app, ["init", str(tmp_path / "s")], input=answers)
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == "Title of the show [S]:"
    assert lines[7] == "Artwork (a URL or an image file) [https://piped.example/cover.jpg]:"
    show = load_config(tmp_path / "s" / "feed.toml").show
    assert (show.title, show.description) == ("Piped Show", "A podcast: Piped Show.")
    assert (show.owner.email, show.language, show.image) == (
        "jo@example.net",
        "fr",
        "https://piped.example/cover.jpg",
    )


def test_init_flags_skip_their_questions(tmp_path: Path) -> None:
    args = ["init", str(tmp_path), "--title", "T", "--description", "D", "--author", "A"]
    args += ["--email", "a@example.org", "--link", "https://a.example", "--language", "en"]
    result = runner.invoke(app, [*args, "--category", "News"], input="\n")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(
        "Artwork (a URL or an image file) [https://a.example/cover.jpg]:\nWrote "
    )


def test_init_refuses_to_overwrite(site: Site) -> None:
    before = site.config.read_bytes()
    result = runner.invoke(app, ["init", str(site.root), "--yes"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {site.config}: exists already; not overwritten\n"
        "  hint: edit it, or run `podcastfeed init` in another folder\n"
    )
    assert site.config.read_bytes() == before


def test_init_bad_answer_leaves_nothing(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path), "--yes", "--email", "not-an-address"])
    assert result.exit_code == 1
    assert "error: --email: " in result.stderr
    assert "not-an-address" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_init_prompts_on_a_real_terminal(tmp_path: Path) -> None:
    """The questions as a person answers them, on a pseudo-terminal."""
    master, replica = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "podcastfeed", "init", str(tmp_path / "tty")],
        stdin=replica,
        stdout=replica,
        stderr=replica,
        close_fds=True,
    )
    os.close(replica)
    answers = ["TTY Show", "", "Jo", "jo@example.org", "https://tty.example", "en", "News", ""]
    seen = b""
    deadline = time.monotonic() + 30
    try:
        for number, answer in enumerate(answers, start=1):
            while seen.count(b"]: ") < number:
                assert time.monotonic() < deadline, seen.decode(errors="replace")
                if select.select([master], [], [], 0.5)[0]:
                    seen += os.read(master, 4096)
            os.write(master, answer.encode() + b"\n")
        assert process.wait(timeout=30) == 0
    finally:
        process.kill()
        os.close(master)
    assert b"Title of the show [Tty]: TTY Show" in seen  # typed answers are echoed
    show = load_config(tmp_path / "tty" / "feed.toml").show
    assert (show.title, show.owner.email, show.image) == (
        "TTY Show",
        "jo@example.org",
        "https://tty.example/cover.jpg",
    )


def test_init_input_that_ends_early_says_which_question(tmp_path: Path) -> None:
    """Piped answers that run out (CI without --yes): the question left unanswered and what
    to do, no 'Aborted!', nothing written."""
    result = runner.invoke(app, ["init", str(tmp_path / "show")], input="My Show\n")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "\nError: no answer to 'What is it about': the input ended\n"
        "  hint: give it as a flag, or --yes to take the defaults (podcastfeed init --help)\n"
    )
    assert not (tmp_path / "show").exists()


def test_new_uses_the_episodes_folder_of_feed_toml(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(site.root)
    site.show(extra='\n[build]\nepisodes = "content/shows"\n')
    (site.root / "content" / "shows").mkdir(parents=True)
    result = runner.invoke(app, ["new", "Elsewhere", "--date", "2024-01-01"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "content/shows/2024-01-01-elsewhere.md\n"


def test_build_and_new_in_a_folder_of_the_show_name_its_feed_toml(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run in episodes/audio/: the build names ../../feed.toml, and new makes no episodes/
    folder there (the build would read it as episodes)."""
    site.episode("a")
    monkeypatch.chdir(site.episodes / "audio")
    built = runner.invoke(app, ["build"])
    assert (built.exit_code, built.stderr) == (
        1,
        "Error: feed.toml: no such file\n  hint: the show is above this folder: pass "
        "--config ../../feed.toml, or run podcastfeed there\n",
    )
    new = runner.invoke(app, ["new", "Lost", "--date", "2024-01-01"])
    assert (new.exit_code, new.stdout) == (1, "")
    assert new.stderr == (
        "Error: feed.toml: no such file\n  hint: the show is ../../feed.toml: run podcastfeed "
        "new in its folder, or pass --dir\n"
    )
    assert not (site.episodes / "audio" / "episodes").exists()


# --- init --image with a local file (issue 15 allows `[show] image = "cover.jpg"`) --------


def test_init_image_file_in_the_show_is_named_relative_to_feed_toml(tmp_path: Path) -> None:
    from images import make_image

    cover = make_image(tmp_path / "show" / "art" / "cover.jpg")
    result = runner.invoke(app, ["init", str(tmp_path / "show"), "--yes", "--image", str(cover)])
    assert result.exit_code == 0, result.stderr
    assert '\nimage = "art/cover.jpg"\n' in (tmp_path / "show" / "feed.toml").read_text()
    built = runner.invoke(app, ["build", "-c", str(tmp_path / "show" / "feed.toml")])
    assert built.exit_code == 0, built.stderr
    assert "itunes:image" not in built.stderr


def test_init_image_file_outside_the_show_is_copied_in(tmp_path: Path) -> None:
    from images import make_image

    cover = make_image(tmp_path / "Pictures" / "Show Art.PNG", fmt="PNG")
    show = tmp_path / "show"
    result = runner.invoke(app, ["init", str(show), "--yes", "--image", str(cover)])
    assert result.exit_code == 0, result.stderr
    assert (show / "Show Art.png").read_bytes() == cover.read_bytes()
    assert '\nimage = "Show Art.png"\n' in (show / "feed.toml").read_text()
    assert "Copied " in result.stderr
    assert load_config(show / "feed.toml").show.image_file is not None


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (None, "Error: --image: file not found: {path}"),
        (lambda p: p.write_text("not a picture"), "not an image Pillow can read"),
        ("GIF", "Error: --image: {path} is GIF; Apple takes JPEG or PNG"),
        ("PNG", "Error: --image: {path} is a PNG file named as JPEG"),
    ],
)
def test_init_image_file_must_be_a_jpeg_or_png(tmp_path: Path, make: object, message: str) -> None:
    from images import make_image

    path = tmp_path / "cover.jpg"
    if make in ("GIF", "PNG"):
        make_image(path, fmt=str(make))
    elif callable(make):
        make(path)
    show = tmp_path / "show"
    result = runner.invoke(app, ["init", str(show), "--yes", "--image", str(path)])
    assert result.exit_code == 1
    assert message.format(path=shorten(str(path))) in result.stderr, result.stderr
    assert "hint: " in result.stderr
    assert not (show / "feed.toml").exists()
    assert not (show / "cover.jpg").exists()


def test_new_titles_in_other_scripts_make_episodes_of_their_own(site: Site) -> None:
    """Two Russian titles on one day: the second was refused, both being "episode" ("choose
    another title": every Cyrillic title was "episode")."""
    for title in ("Привет, мир", "Второй выпуск"):
        args = ["new", title, "--date", "2024-05-01", "--dir", str(site.episodes)]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.stderr
    names = sorted(path.name for path in site.episodes.glob("2024-05-01-*.md"))
    assert names == ["2024-05-01-privet-mir.md", "2024-05-01-vtoroy-vypusk.md"]
