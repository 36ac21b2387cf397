"""Hostile input to `new`, `init`, `probe`, `check --feed`, `import` and `diff`, as a new user
or an attacker types it: no traceback, no hang, no half-made file, no message that lies."""

import contextlib
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import DATA, run_podcastfeed
from images import jpeg_bytes

from podcastfeed.net import fetch
from podcastfeed.net.limits import deadline_text

RSS = b'<rss version="2.0"><channel><title>T</title><link>https://e.org/</link></channel></rss>'


_run = run_podcastfeed


def _obstacle(where: Path, kind: str) -> None:
    """A file, a FIFO or a dangling symbolic link at `where`."""
    if kind == "file":
        where.write_text("")
    elif kind == "fifo":
        os.mkfifo(where)
    else:
        where.symlink_to(where.parent / "nowhere")


def test_a_device_as_the_feed_stops_at_the_feed_size_limit(tmp_path: Path) -> None:
    """`check --feed /dev/zero` read until a MemoryError; a pipe or device is read up to the
    feed size limit, as a URL's answer is (a regular file is read whole)."""
    for args in (["check", "--feed", "/dev/zero"], ["diff", "/dev/zero", "/dev/zero"]):
        result = _run(args, tmp_path, PODCASTFEED_MAX_FEED_MB="1")
        assert result.returncode == 1, result.stderr
        assert result.stderr == (
            "Error: /dev/zero: more than 1 MB from a pipe or device (the feed size limit; "
            "set PODCASTFEED_MAX_FEED_MB to raise it)\n"
        )


def test_a_pipe_as_the_feed_is_still_read(tmp_path: Path) -> None:
    """`check --feed <(curl …)`: a pipe below the limit is a feed like any other."""
    read, write = os.pipe()
    os.write(write, RSS)
    os.close(write)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "podcastfeed", "check", "--feed", f"/dev/fd/{read}"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            pass_fds=(read,),
            check=False,
        )
    finally:
        os.close(read)
    assert "apple/required-tags" in result.stdout, result.stderr


@pytest.mark.parametrize("what", ["fifo", "device"])
def test_probe_and_new_refuse_audio_that_is_not_a_file(tmp_path: Path, what: str) -> None:
    """A FIFO as --audio waited for a writer forever; /dev/zero was 'empty file (0 bytes)'."""
    audio = tmp_path / "a.mp3"
    if what == "fifo":
        os.mkfifo(audio)
    else:
        audio = Path("/dev/zero")
    for args in (["probe", str(audio)], ["new", "Ep", "--audio", str(audio)]):
        result = _run(args, tmp_path)
        assert result.returncode == 3, result.stderr
        assert result.stderr == f"Error: {audio}: not a file (a pipe, a device or a socket)\n"
    assert not (tmp_path / "episodes").exists()


def test_new_refuses_a_title_that_is_not_utf8_and_writes_nothing(tmp_path: Path) -> None:
    """A title of bytes that are not UTF-8 was a traceback and an empty episode file."""
    for args in ([b"new", b"bad\xff"], [b"new", b"Ep", b"--audio", b"\xff.mp3"]):
        result = _run(args, tmp_path)  # type: ignore[arg-type]
        assert result.returncode == 2, result.stderr
        assert "is not UTF-8 text (got '" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "episodes").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["  "], "Error: TITLE must not be empty (a build refuses an episode without a title)\n"),
        (
            ["Old", "--date", "1969-12-31"],
            "Error: --date must be between 1970 and 2100 (got '1969-12-31')\n",
        ),
        (
            ["Far", "--date", "2101-01-01T00:00:00+00:00"],
            "Error: --date must be between 1970 and 2100 (got '2101-01-01T00:00:00+00:00')\n",
        ),
    ],
)
def test_new_refuses_what_a_build_would_refuse(
    tmp_path: Path, args: list[str], message: str
) -> None:
    """`new` wrote episodes the build then refused: an empty title, a date out of range."""
    result = _run(["new", *args], tmp_path)
    assert (result.returncode, result.stderr) == (2, message)
    assert not (tmp_path / "episodes").exists()


@pytest.mark.parametrize("obstacle", ["file", "fifo", "dangling link"])
def test_new_names_what_is_in_the_way_of_its_folder(tmp_path: Path, obstacle: str) -> None:
    """A --dir that is a dangling link or a FIFO was 'exists already; choose another title'."""
    where = tmp_path / "eps"
    _obstacle(where, obstacle)
    result = _run(["new", "Ep", "--date", "2024-01-02", "--dir", "eps"], tmp_path)
    if obstacle == "file":  # typer's own check
        assert result.returncode == 2
        assert "'eps' is a file" in result.stderr
        return
    assert (result.returncode, result.stderr) == (
        1,
        "Error: eps/2024-01-02-ep.md: cannot write: eps is not a folder\n",
    )


@pytest.mark.parametrize("obstacle", ["file", "fifo", "dangling link"])
def test_init_refuses_a_folder_that_is_not_one_before_asking(tmp_path: Path, obstacle: str) -> None:
    """`init FILE` said 'FILE/feed.toml: exists already … choose another title or --date'."""
    where = tmp_path / "show"
    _obstacle(where, obstacle)
    result = _run(["init", "show"], tmp_path)
    assert (result.returncode, result.stderr) == (
        1,
        "Error: show is not a folder\n  hint: name a folder\n",
    )


def test_init_leaves_nothing_half_made(tmp_path: Path) -> None:
    """A file named `episodes` stopped init after feed.toml was written (then `init` again said
    it exists), with a message naming the episode as 'exists already'; bad bytes in a flag
    were a traceback and an empty feed.toml; a refused feed.toml left its new folder."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "episodes").write_text("")
    result = _run(["init", "--yes", "a"], tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: a/episodes/")
    assert result.stderr.endswith("-welcome.md: cannot write: a/episodes is not a folder\n")
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["episodes"]

    result = _run([b"init", b"--yes", b"--author", b"J\xff", b"b"], tmp_path)  # type: ignore[list-item]
    assert (result.returncode, result.stderr) == (
        2,
        "Error: --author is not UTF-8 text (got 'J\\udcff')\n",
    )
    result = _run(["init", "--yes", "--link", "javascript:x", "c/d"], tmp_path)
    assert result.returncode == 1
    assert "the website must be an http(s) URL (got 'javascript:x')" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a"]


def test_init_keeps_a_dangling_gitignore_link(tmp_path: Path) -> None:
    """A dangling .gitignore link failed init after feed.toml and the example were written."""
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / ".gitignore").symlink_to(tmp_path / "nowhere")
    result = _run(["init", "--yes", "s"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "s" / ".gitignore").is_symlink()
    assert (tmp_path / "s" / "feed.toml").is_file()


def test_init_quotes_the_folder_of_its_next_command(tmp_path: Path) -> None:
    result = _run(["init", "--yes", "my show"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "then cd 'my show' && podcastfeed new" in result.stderr
    assert _run(["check", "-c", "my show/feed.toml"], tmp_path).returncode in (0, 1)


class _Trickle(BaseHTTPRequestHandler):
    """HTTP/1.0 (http.server's default): no length, the body runs to the close, one byte a
    tenth of a second until the client goes."""

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        with contextlib.suppress(OSError):
            for _ in range(600):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.1)


@pytest.fixture
def trickle() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Trickle)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/feed.xml"
    server.shutdown()
    thread.join()
    server.server_close()


def test_deadline_stops_a_body_read_to_the_close(trickle: str, tmp_path: Path) -> None:
    """A body without a length (read until the server closes) took the socket from the
    connection the deadline watched: `check --feed`, `diff` and `import` of a trickling
    HTTP/1.0 host ran past any --deadline, forever."""
    with fetch.make_session("test") as session:
        started = time.monotonic()
        got = fetch.ask(session, trickle, timeout=5, deadline=0.5)
    assert got.error == deadline_text(0.5)
    assert time.monotonic() - started < 3
    started = time.monotonic()
    result = _run(["check", "--feed", trickle, "--deadline", "0.5"], tmp_path)
    assert (result.returncode, result.stderr) == (3, f"Error: {trickle}: {deadline_text(0.5)}\n")
    assert time.monotonic() - started < 20


GUIDS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>T</title><link>https://e.org/</link><description>D</description>
<item><title>A</title><guid>
   a-1
</guid><pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate><enclosure url="https://e.org/a.mp3"
 length="10" type="audio/mpeg"/><itunes:duration xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">60</itunes:duration></item>
<item><title>{long}</title><guid>b  two	c
d&#x85;</guid><pubDate>Mon, 01 Jan 2024 11:00:00 +0000</pubDate><enclosure url="https://e.org/b.mp3"
 length="10" type="audio/mpeg"/><itunes:duration xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">60</itunes:duration></item>
</channel></rss>
"""


def test_import_writes_the_guid_the_build_reads_back(tmp_path: Path) -> None:
    """A guid with runs of white space, a line break or a C1 control went to the lock as
    written, and the build (which reads every text field cleaned) stopped at 'changes its
    published guid' for each: an imported show that does not build. The import now writes the
    guid the feed will say, and says so; a long title is shortened in its messages."""
    (tmp_path / "old.xml").write_text(GUIDS.format(long="x" * 500))
    result = _run(["import", "old.xml", "--dir", "show"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert (
        f"warning: item 2 ('{'x' * 78}…): guid 'b  two\\tc\\nd' holds line breaks, runs of "
        "white space or control characters; the feed will say 'b two c d' (apps may list the "
        "episode again)\n"
    ) in result.stderr
    assert "x" * 100 not in result.stderr
    built = _run(["build", "--offline", "-c", "show/feed.toml"], tmp_path)
    assert built.returncode == 0, built.stderr
    feed = (tmp_path / "show" / "public" / "feed.xml").read_text()
    assert '<guid isPermaLink="false">b two c d</guid>' in feed
    assert '<guid isPermaLink="false">a-1</guid>' in feed


LINKS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
 xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel><title>T</title>
<link>https://e.org/</link><description>D</description><itunes:image href="javascript:x"/>
<itunes:owner><itunes:email>a@b</itunes:email></itunes:owner>
<itunes:new-feed-url>ftp://x/feed</itunes:new-feed-url>
<podcast:funding url="javascript:alert(1)">Give</podcast:funding>
<podcast:funding url="https://e.org/give">Give</podcast:funding>
<podcast:locked owner="not an address">yes</podcast:locked>
<item><title>A</title><guid>a</guid><pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate>
<enclosure url="https://e.org/a.mp3" length="10" type="audio/mpeg"/>
<itunes:duration>60</itunes:duration>
<podcast:person href="javascript:y" img="data:x">Bob</podcast:person>
<podcast:transcript url="http://e.org/t.vtt" type="text/vtt"/>
<podcast:chapters url="file:///etc/passwd" type="application/json+chapters"/>
<link>https://</link></item>
</channel></rss>
"""


def test_import_writes_no_link_the_build_refuses(tmp_path: Path) -> None:
    """Channel artwork `javascript:x` was 'resolved against <link>' and written, with an
    itunes:new-feed-url of ftp:, a javascript: funding URL, a locked owner and an owner
    e-mail the build refuses, and persons' javascript:/data: links: the imported show stopped
    at its first build. Each is now dropped with a warning (as item links were); transcripts
    and chapters that are not https were dropped without a word."""
    (tmp_path / "old.xml").write_text(LINKS)
    result = _run(["import", "old.xml", "--dir", "show"], tmp_path)
    assert result.returncode == 0, result.stderr
    for said in (
        "warning: channel: owner e-mail 'a@b' is not an e-mail address; wrote owner@example.org",
        "warning: channel: artwork 'javascript:x' is no http(s) URL; dropped",
        "warning: channel: itunes:new-feed-url 'ftp://x/feed' is no URL; dropped",
        "warning: channel: podcast:locked owner 'not an address' is no e-mail address; dropped",
        "warning: channel: podcast:funding url must be an https:// URL (got 'javascript:alert(1)')"
        "; dropped",
        "warning: item 1 ('A'): person 'Bob' img 'data:x' is no URL; dropped",
        "warning: item 1 ('A'): person 'Bob' href 'javascript:y' is no URL; dropped",
        "warning: item 1 ('A'): transcript 'http://e.org/t.vtt' is no https:// URL; dropped",
        "warning: item 1 ('A'): podcast:chapters 'file:///etc/passwd' is no https:// URL; dropped",
        "warning: item 1 ('A'): <link> 'https://' is not an absolute http(s) URL; dropped",
    ):
        assert said in result.stderr
    config = (tmp_path / "show" / "feed.toml").read_text()
    assert "javascript:" not in config
    assert "ftp:" not in config
    assert 'url = "https://e.org/give"' in config or "https://e.org/give" in config
    built = _run(["build", "--offline", "-c", "show/feed.toml"], tmp_path)
    assert built.returncode == 0, built.stderr


@pytest.mark.parametrize("obstacle", ["file", "fifo", "dangling link"])
def test_import_names_what_is_in_the_way_and_writes_nothing(tmp_path: Path, obstacle: str) -> None:
    """`import --dir FILE` (or a FIFO, a dangling link), and a file named `episodes` in the
    folder, were tracebacks from mkdir: the second after feed.toml was written."""
    (tmp_path / "old.xml").write_text(GUIDS.format(long="L"))
    (tmp_path / "show").mkdir()
    for where in (tmp_path / "lone", tmp_path / "show" / "episodes"):
        _obstacle(where, obstacle)
    for folder, shown in (("lone", "lone"), ("show", "show/episodes")):
        result = _run(["import", "old.xml", "--dir", folder], tmp_path)
        assert result.returncode == 1
        assert result.stderr.endswith(f"Error: {shown}: is not a folder\n"), result.stderr
    assert sorted(p.name for p in (tmp_path / "show").iterdir()) == ["episodes"]


def test_local_file_names_keep_their_inner_white_space(tmp_path: Path) -> None:
    """`new --audio "audio/two  spaces.mp3"` wrote the name as it is, and the build, reading
    every text field with white space runs made one space, looked for `two spaces.mp3`: 'file
    not found' naming a file nobody wrote. An episode image of such a name was not found
    either, and silently published as a link to a page-relative URL that does not exist; nor
    was another format of the audio (`ogg:`)."""
    assert _run(["init", "--yes", "s"], tmp_path).returncode == 0
    show = tmp_path / "s"
    for old in (show / "episodes").glob("*.md"):
        old.unlink()
    (show / "episodes" / "audio").mkdir()
    shutil.copyfile(DATA / "audio" / "sine-3s-cbr.mp3", show / "episodes/audio/two  spaces.mp3")
    (show / "episodes" / "art  1.jpg").write_bytes(jpeg_bytes())
    made = _run(
        [
            "new",
            "Two",
            "--audio",
            "episodes/audio/two  spaces.mp3",
            "--publish",
            "--date",
            "2024-01-02",
        ],
        show,
    )
    assert made.returncode == 0, made.stderr
    episode = show / "episodes" / "2024-01-02-two.md"
    shutil.copyfile(DATA / "audio" / "sine-2s.ogg", show / "episodes/audio/alt  x.ogg")
    extra = 'image: "art  1.jpg"\nogg: "audio/alt  x.ogg"\nexcerpt:'
    episode.write_text(episode.read_text().replace("excerpt:", extra))
    built = _run(["build"], show)
    assert built.returncode == 0, built.stderr
    feed = (show / "public" / "feed.xml").read_text()
    assert 'url="https://example.org/media/audio/two%20%20spaces.mp3"' in feed
    assert '<itunes:image href="https://example.org/artwork/art-1-' in feed
    assert '<podcast:source uri="https://example.org/media/audio/alt%20%20x.ogg"/>' in feed


def test_import_of_a_feed_without_items_builds(tmp_path: Path) -> None:
    """A feed of no items (a new show; or every item skipped) imported to feed.toml and a lock
    but no episodes folder: the first build said 'episodes folder not found'."""
    (tmp_path / "old.xml").write_bytes(RSS)
    result = _run(["import", "old.xml", "--dir", "show"], tmp_path)
    assert result.returncode == 0, result.stderr
    built = _run(["build"], tmp_path / "show")
    assert built.returncode == 0, built.stderr
    assert "\nWrote public/feed.xml: 0 episodes;" in built.stderr


def test_import_refuses_a_feed_url_that_is_no_link(tmp_path: Path) -> None:
    """`--feed-url javascript:alert(1)` went into feed.toml as given: the import 'succeeded'
    and its first build refused the show."""
    (tmp_path / "old.xml").write_bytes(RSS)
    result = _run(
        ["import", "old.xml", "--dir", "s", "--feed-url", "javascript:alert(1)"], tmp_path
    )
    assert (result.returncode, result.stderr) == (
        2,
        "Error: --feed-url must be an http(s) URL (got 'javascript:alert(1)')\n",
    )
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["probe", "ftp://host/x.mp3"],
        ["new", "X", "--audio", "ftp://host/x.mp3"],
        ["import", "ftp://host/feed.xml", "show"],
        ["check", "--feed", "sftp://ada:secret@host/feed.xml"],
        ["diff", "ftp://host/a.xml", "b.xml"],
    ],
)
def test_a_url_of_another_scheme_is_named_as_such(tmp_path: Path, args: list[str]) -> None:
    """`ftp://host/x.mp3` was read as the path ftp:/host/x.mp3: "file not found" (and
    `file:///…` too); now it says the scheme is not read, and what to give instead."""
    (tmp_path / "feed.toml").write_text("", encoding="utf-8")  # (new looks for the show)
    run = run_podcastfeed([*args], tmp_path)
    assert run.returncode == 1, run.stderr
    assert ":// URLs are not read\n  hint: give an http(s) URL or a file's path\n" in run.stderr
    assert "secret" not in run.stderr
    assert not (tmp_path / "show").exists()


def test_a_file_url_is_answered_with_its_path(tmp_path: Path) -> None:
    run = run_podcastfeed(["probe", "file:///tmp/my%20show/ep%201.mp3"], tmp_path)
    assert run.stderr.endswith("hint: give the file's path: /tmp/my show/ep 1.mp3\n")
