"""`podcastfeed import` of a real-ish hostile feed: each item is imported as the build reads it
back, or skipped with a warning in words (not Python's), never a traceback."""

from pathlib import Path

import pytest
from conftest import run_podcastfeed
from httpserver import AudioServer

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>
<title>T</title><link>https://e.org/</link><description>D</description>
"""
ITEM = """<item><title>{title}</title><guid>{title}</guid><pubDate>{date}</pubDate>
<enclosure url="https://e.org/{title}.mp3" length="10" type="audio/mpeg"/>
<itunes:duration>60</itunes:duration>{extra}</item>
"""
GOOD_DATE = "Mon, 01 Jan 2024 10:00:00 +0000"
RSS_NO_SELF = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<description>D</description><item><title>A</title><guid>a</guid>
<pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate>
<enclosure url="https://e.org/a.mp3" length="10" type="audio/mpeg"/></item></channel></rss>
"""


_run = run_podcastfeed


def test_import_numbers_and_dates_the_build_refuses(tmp_path: Path) -> None:
    """itunes:episode 0 (or 30 digits) was written and refused by the first build; a season of
    5,000 digits was a traceback from int(); a pubDate at hour 25 or offset +2500 was skipped
    with Python's words ('offset must be a timedelta strictly between …')."""
    items = [
        ITEM.format(title="zero", date=GOOD_DATE, extra="<itunes:episode>0</itunes:episode>"),
        ITEM.format(
            title="long", date=GOOD_DATE, extra=f"<itunes:episode>{'9' * 30}</itunes:episode>"
        ),
        ITEM.format(
            title="season", date=GOOD_DATE, extra=f"<itunes:season>{'9' * 5000}</itunes:season>"
        ),
        ITEM.format(title="ok", date=GOOD_DATE, extra="<itunes:episode>12.5</itunes:episode>"),
        ITEM.format(title="hour", date="Sun, 31 Dec 2023 25:00:00 +0000", extra=""),
        ITEM.format(title="offset", date="Mon, 01 Jan 2024 10:00:00 +2500", extra=""),
    ]
    (tmp_path / "old.xml").write_text(HEAD + "".join(items) + "</channel></rss>\n")
    result = _run(["import", "old.xml", "--dir", "s"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert (
        "warning: item 5 ('hour'): pubDate is not a date (got 'Sun, 31 Dec 2023 25:00:00 +0000');"
        " skipped\n"
    ) in result.stderr
    assert (
        "warning: item 6 ('offset'): pubDate is not a date (got 'Mon, 01 Jan 2024 10:00:00 +2500');"
        " skipped\n"
    ) in result.stderr
    assert "timedelta" not in result.stderr
    episodes = tmp_path / "s" / "episodes"
    assert "episode: 12.5\n" in (episodes / "2024-01-01-ok.html").read_text()
    for name in ("zero", "long", "season"):
        text = (episodes / f"2024-01-01-{name}.html").read_text()
        assert "episode:" not in text
        assert "season:" not in text
    built = _run(["build", "--offline"], tmp_path / "s")
    assert built.returncode == 0, built.stderr
    assert "Wrote public/feed.xml: 4 episodes;" in built.stderr


def test_import_writes_no_text_the_build_reads_as_empty_or_refuses(tmp_path: Path) -> None:
    """An itunes:title of DEL, a person's role of a (repaired) `&#1;` and a transcript language
    that is no language code were written as given, and refused by the first build."""
    extra = (
        "<itunes:title>&#x7f;</itunes:title>"
        '<podcast:person xmlns:podcast="https://podcastindex.org/namespace/1.0" role="&#1;">'
        "Bob</podcast:person>"
        '<podcast:transcript xmlns:podcast="https://podcastindex.org/namespace/1.0"'
        ' url="https://e.org/t.vtt" type="text/vtt" language="&#1;bad lang"/>'
    )
    text = HEAD + ITEM.format(title="a", date=GOOD_DATE, extra=extra) + "</channel></rss>\n"
    (tmp_path / "old.xml").write_text(text)
    result = _run(["import", "old.xml", "--dir", "s"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert (
        "warning: item 1 ('a'): transcript language '\\x01bad lang' is no language code; dropped\n"
    ) in result.stderr
    episode = (tmp_path / "s" / "episodes" / "2024-01-01-a.html").read_text()
    assert "itunes_title" not in episode
    assert "role" not in episode
    assert "- name: Bob\n" in episode
    built = _run(["build", "--offline"], tmp_path / "s")
    assert built.returncode == 0, built.stderr


@pytest.mark.parametrize("userinfo", ["ada:s3cret", "s3cret"], ids=["password", "token"])
def test_import_publishes_no_password_of_a_private_feed(tmp_path: Path, userinfo: str) -> None:
    """A private feed imported from `https://user:password@host/feed` (or a token as the user
    name alone) without an atom:link rel=self of its own: the URL, secret and all, became
    [show] feed_url (and the site link), which every build publishes as the feed's self link,
    and stood in feed.toml's first comment (a lone token still did, found by review)."""
    with AudioServer() as server:
        server.add("private.xml", RSS_NO_SELF)
        url = server.base.replace("http://", f"http://{userinfo}@") + "/private.xml"
        result = _run(["import", url, "--dir", "s"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "warning: the feed's URL holds a password or a user name: feed_url" in result.stderr
    config = (tmp_path / "s" / "feed.toml").read_text()
    assert "s3cret" not in config
    assert f'feed_url = "{server.base}/private.xml"' in config
    assert f"from {server.base}/private.xml." in config.splitlines()[0]


def test_import_takes_only_links_the_build_takes(tmp_path: Path) -> None:
    """The fast path for `https://host…` took a link urlsplit refuses (a lone bracket in the
    host, a host that NFKC makes hold a '/'): written, the first build refused it."""
    persons = "".join(
        '<podcast:person xmlns:podcast="https://podcastindex.org/namespace/1.0" '
        f'href="{href}">{name}</podcast:person>'
        for name, href in (("Ann", "https://a[b/x"), ("Bob", "https://e\u2100x.org/"))
    )
    text = HEAD + ITEM.format(title="a", date=GOOD_DATE, extra=persons) + "</channel></rss>\n"
    (tmp_path / "old.xml").write_text(text, encoding="utf-8")
    result = _run(["import", "old.xml", "--dir", "s"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "person 'Ann' href 'https://a[b/x' is no URL; dropped" in result.stderr
    assert "person 'Bob' href 'https://e\u2100x.org/' is no URL; dropped" in result.stderr
    built = _run(["build", "--offline"], tmp_path / "s")
    assert built.returncode == 0, built.stderr


def test_import_names_an_enclosure_the_build_will_refuse(tmp_path: Path) -> None:
    """An enclosure URL with a port over 65535, another scheme or no host was written without a
    word, and the first build refused it. Kept (the episode is not lost) and named at import."""
    items = [
        ITEM.format(title="ok", date=GOOD_DATE, extra="").replace("e.org/ok", "e.org:8443/ok"),
        ITEM.format(title="port", date=GOOD_DATE, extra="").replace("e.org/", "e.org:99999/"),
        ITEM.format(title="ftp", date=GOOD_DATE, extra="").replace("https://", "ftp://"),
    ]
    (tmp_path / "old.xml").write_text(HEAD + "".join(items) + "</channel></rss>\n")
    result = _run(["import", "old.xml", "s"], tmp_path)
    assert result.returncode == 0, result.stderr
    named = [line for line in result.stderr.splitlines() if "is no http(s) URL" in line]
    assert [line.split(":")[0] + ":" + line.split(":")[1] for line in named] == [
        "warning: item 2 ('port')",
        "warning: item 3 ('ftp')",
    ]
    assert named[0].endswith("written as it is; the build refuses it until you correct it")
    built = _run(["build", "--offline"], tmp_path / "s")
    assert built.returncode == 1
    assert built.stderr.count("error: 'audio' must be") == 2
