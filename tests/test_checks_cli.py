"""`podcastfeed check` and the build's check: formats, exit codes, sources, real feeds, docs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import DATA, REPO, Site
from httpserver import AudioServer
from images import jpeg_bytes
from typer.testing import CliRunner

from podcastfeed.cli import app
from podcastfeed.lint.base import Finding
from podcastfeed.lint.runner import all_rules, format_github

runner = CliRunner()
FEEDS = DATA / "realfeeds"


def _json(result: object) -> list[dict[str, object]]:
    return json.loads(result.stdout)  # type: ignore[attr-defined]


def test_check_clean_show_exit_0(site: Site) -> None:
    site.episode("a")
    result = runner.invoke(app, ["check", "-c", str(site.config)])
    assert (result.exit_code, result.stdout) == (0, "0 error(s), 0 warning(s), 0 info\n")


def test_check_maps_findings_to_the_episode_file_and_line(site: Site) -> None:
    site.episode("loud", title="A VERY LOUD TITLE")
    result = runner.invoke(app, ["check", "-c", str(site.config), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert _json(result) == [
        {
            "rule": "apple/all-caps",
            "severity": "warning",
            "message": "<title> is in capitals only: 'A VERY LOUD TITLE'",
            "file": "episodes/loud.md",
            "line": 2,
            "hint": "write it as 'A Very Loud Title'",
        }
    ]
    strict = runner.invoke(app, ["check", "-c", str(site.config), "--strict"])
    assert strict.exit_code == 1
    assert strict.stdout == (
        "episodes/loud.md\n"
        "  2: warning: <title> is in capitals only: 'A VERY LOUD TITLE' [apple/all-caps]\n"
        "    hint: write it as 'A Very Loud Title'\n"
        "0 error(s), 1 warning(s), 0 info\n"
    )


def test_check_counts_the_build_s_own_warnings_and_strict_fails_on_them(site: Site) -> None:
    """An unknown feed.toml key fails `build --strict`; `check --strict` too, not a line on
    stderr beside '0 warning(s)' and exit 0."""
    site.episode("a")
    site.show(languaje='"en"')
    args = ["check", "-c", str(site.config)]
    strict = runner.invoke(app, [*args, "--strict"])
    assert (strict.exit_code, strict.stderr) == (1, "")
    assert strict.stdout.endswith(
        "  13: warning: [show] unknown key 'languaje' (ignored) [podcastfeed/build]\n"
        "    hint: did you mean 'language'?\n0 error(s), 1 warning(s), 0 info\n"
    )
    assert [f["rule"] for f in _json(runner.invoke(app, [*args, "--format", "json"]))] == [
        "podcastfeed/build"
    ]
    assert runner.invoke(app, [*args, "--strict", "--ignore", "podcastfeed/build"]).exit_code == 0
    site.show(languaje='"en"', extra='[check]\nignore = ["podcastfeed/build"]\n')
    assert runner.invoke(app, [*args, "--strict"]).exit_code == 0
    assert runner.invoke(app, ["build", "-c", str(site.config), "--strict"]).exit_code == 1


IMPORTED = """<?xml version="1.0"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>
<title>Old Show</title><link>https://old.example.net/</link><description>d</description>
<language>en</language><itunes:author>Ann</itunes:author>
<itunes:image href="https://old.example.net/c.jpg"/><itunes:category text="Music"/>
<itunes:explicit>false</itunes:explicit>
<item><title>One</title><guid>g1</guid><pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate>
<enclosure url="https://old.example.net/1.mp3" length="1000" type="audio/mpeg"/>
<itunes:duration>600</itunes:duration></item></channel></rss>
"""


def test_check_reports_each_todo_import_left_in_feed_toml(tmp_path: Path) -> None:
    """The placeholders import wrote (feed_url, owner e-mail) build; check names each TODO."""
    (tmp_path / "old.xml").write_text(IMPORTED)
    show = tmp_path / "show"
    imported = runner.invoke(app, ["import", str(tmp_path / "old.xml"), "--dir", str(show)])
    assert imported.exit_code == 0, imported.stderr
    config = show / "feed.toml"
    result = runner.invoke(app, ["check", "-c", str(config), "--format", "json"])
    assert result.exit_code == 0, result.output
    lines = config.read_text().splitlines()
    todos = [(f["line"], f["message"]) for f in _json(result) if f["rule"] == "podcastfeed/todo"]
    assert todos == [
        (n, "TODO left in feed.toml: " + line.split("# TODO: ")[1])
        for n, line in enumerate(lines, 1)
        if line.startswith("# TODO: ")
    ]
    assert len(todos) == 2  # the feed's address and the owner's e-mail


def test_check_reports_each_placeholder_init_left_in_feed_toml(tmp_path: Path) -> None:
    """`init --yes` takes defaults that are no one's (Your Name, you@example.org, example.org
    URLs): the show builds, and check names each until it is done; what the user gave has no
    TODO (it had none at all: a show could be submitted with you@example.org)."""
    show = tmp_path / "show"
    made = runner.invoke(app, ["init", "--yes", str(show)])
    assert made.exit_code == 0, made.stderr
    result = runner.invoke(app, ["check", "-c", str(show / "feed.toml"), "--format", "json"])
    todos = [f["message"] for f in _json(result) if f["rule"] == "podcastfeed/todo"]
    assert todos == [
        "TODO left in feed.toml: your website and the feed's address (example.org is a "
        "placeholder)",
        "TODO left in feed.toml: the author's name (a placeholder)",
        "TODO left in feed.toml: the owner's name and an address you read (placeholders)",
        "TODO left in feed.toml: your artwork's URL or file",
        "TODO left in feed.toml: where your audio files are published (a placeholder)",
    ]
    given = tmp_path / "given"
    flags = ["--author", "Ada", "--email", "ada@ada.dev", "--link", "https://ada.dev"]
    made = runner.invoke(app, ["init", "--yes", str(given), *flags])
    assert made.exit_code == 0, made.stderr
    assert "TODO" not in (given / "feed.toml").read_text()


@pytest.mark.parametrize(
    ("page", "hint"),
    [
        (
            '<!DOCTYPE html>\n<html><head><link rel="alternate" type="application/rss+xml" '
            'href="https://example.org/feed.xml"></head><body><p>A & B<br></body></html>',
            "the page links to its feed: https://example.org/feed.xml",
        ),
        (
            "<html><body><p>No feed here<br></body></html>",
            "give the feed's address (the page's RSS link), not the page's",
        ),
    ],
)
def test_check_import_and_diff_of_a_web_page_say_so(tmp_path: Path, page: str, hint: str) -> None:
    """The show's site given for its feed: not 'not well-formed XML: no root element'."""
    (tmp_path / "index.html").write_text(page)
    name = str(tmp_path / "index.html")
    expected = f"Error: {name}: is a web page (HTML), not a feed\n  hint: {hint}\n"
    for args in (["check", "--feed", name], ["import", name, "--dir", str(tmp_path / "s")]):
        result = runner.invoke(app, args)
        assert (result.exit_code, result.stderr) == (1, expected), args
    diff = runner.invoke(app, ["diff", name, name])
    assert (diff.exit_code, diff.stderr) == (1, expected)


def test_check_ignore_in_front_matter_feed_toml_and_option(site: Site) -> None:
    path = site.episode("loud", title="A VERY LOUD TITLE")
    args = ["check", "-c", str(site.config), "--strict"]
    assert runner.invoke(app, [*args, "--ignore", "apple/all-caps"]).exit_code == 0
    path.write_text(path.read_text().replace("---\n\n", "check_ignore: [apple/all-caps]\n---\n\n"))
    assert runner.invoke(app, args).exit_code == 0
    site.episode("loud", title="A VERY LOUD TITLE")
    site.show('\n[check]\nignore = ["apple/all-caps"]\n')
    result = runner.invoke(app, ["check", "-c", str(site.config)])
    assert "apple/all-caps" not in result.stdout


def test_check_notes_mp3_measured_by_frame_scan(site: Site) -> None:
    site.episode("vbr", audio=site.audio("sine-13s-vbr-noxing.mp3"))
    result = runner.invoke(app, ["check", "-c", str(site.config), "--format", "json"])
    [finding] = _json(result)
    assert (finding["rule"], finding["severity"], finding["file"], finding["line"]) == (
        "podcastfeed/mp3-frame-scan",
        "info",
        "episodes/vbr.md",
        4,
    )
    assert result.exit_code == 0


def test_build_refuses_a_feed_with_errors_and_keeps_the_old_one(site: Site) -> None:
    site.episode("a")
    assert runner.invoke(app, ["build", "-c", str(site.config)]).exit_code == 0
    feed = site.root / "public" / "feed.xml"
    before = feed.read_bytes()
    site.episode("a", date="2024-01-01\nmime_type: audio/mp3")
    result = runner.invoke(app, ["build", "-c", str(site.config)])
    assert result.exit_code == 1
    assert result.stderr == (
        "episodes/a.md:4: error: enclosure type 'audio/mp3' does not fit 'sine-3s-cbr.mp3' "
        "[apple/enclosure-type]\n"
        '  hint: write type="audio/mpeg"\n'
        "Error: build failed with 1 error(s); nothing was written\n"
    )
    assert feed.read_bytes() == before
    assert runner.invoke(app, ["build", "-c", str(site.config), "--no-check"]).exit_code == 0
    assert feed.read_bytes() != before


#: Each real feed's known defects (tests/data/realfeeds/README.md): rule -> a message part.
KNOWN = {
    "resilientwebdesign.rss": {"apple/explicit-legacy": "(got 'no')"},
    "changing-the-tide.xml": {
        "apple/explicit-legacy": "(got 'no')",
        "apple/enclosure-type": "enclosure type 'audio/mp3'",
        "apple/required-tags": "the channel's <link> is missing",
    },
    "dk-podcast.xml": {
        "apple/explicit-legacy": "(got 'clean')",
        "podcastindex/item-guid": "has an empty guid",
        "apple/block-value": "(got 'no')",
    },
    "homegrown-hits.xml": {
        "apple/duplicate-image": "a second channel itunes:image",
        "podcastindex/legacy-namespace": "the podcast namespace is the legacy URI",
        "podcastindex/value-recipient": "podcast:valueRecipient 'Daisy' has no address",
        "podcastindex/value-time-split-overlap": "at 273.076 s starts before the one at 259.302 s",
    },
    "animated-no-agenda.xml": {
        "apple/explicit-legacy": "(got 'no')",
        "apple/required-tags": "<itunes:category> is missing",
        "apple/duration-missing": "has no itunes:duration",
        "spotify/video": "video enclosure (video/mp4) (and 19 more episode(s))",
        "podcastindex/legacy-namespace": "the podcast namespace is the legacy URI",
    },
}


def test_build_measured_type_that_does_not_fit_the_name_says_rename(site: Site) -> None:
    """An Ogg file named .mp3: the type was measured, so the hint is not to write another
    type (which would lie about the file) but to rename or convert it, at the audio key."""
    site.episode("a", audio=site.audio("sine-2s.ogg", "a.mp3"))
    result = runner.invoke(app, ["build", "-c", str(site.config)])
    assert result.exit_code == 1
    assert result.stderr == (
        "episodes/a.md:4: error: enclosure type 'audio/ogg' does not fit 'a.mp3' "
        "[apple/enclosure-type]\n"
        "  hint: the audio is audio/ogg, not what .mp3 says: rename it or convert it\n"
        "Error: build failed with 1 error(s); nothing was written\n"
    )


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_check_feed_reports_the_known_defects_of_real_feeds(name: str) -> None:
    result = runner.invoke(app, ["check", "--feed", str(FEEDS / name), "--format", "json"])
    warnings_only = ("resilientwebdesign.rss",)  # homegrown-hits: an unpayable recipient
    assert result.exit_code == (0 if name in warnings_only else 1)
    found = _json(result)
    for rule, part in KNOWN[name].items():
        messages = [f["message"] for f in found if f["rule"] == rule]
        assert any(part in str(m) for m in messages), (rule, messages)
    assert all(f["file"] == str(FEEDS / name) and f["line"] for f in found)
    if name == "animated-no-agenda.xml":
        assert any("<language> is missing" in str(f["message"]) for f in found)


def test_check_feed_by_url(http_server: AudioServer) -> None:
    url = http_server.add("feed.xml", (FEEDS / "resilientwebdesign.rss").read_bytes())
    result = runner.invoke(app, ["check", "--feed", url])
    assert result.exit_code == 0  # warnings only
    assert result.stdout.startswith(f"{url}\n  ")
    assert "[apple/explicit-legacy]" in result.stdout


def test_check_github_format_is_workflow_commands() -> None:
    result = runner.invoke(
        app, ["check", "--feed", str(FEEDS / "changing-the-tide.xml"), "--format", "github"]
    )
    lines = result.stdout.splitlines()
    command = re.compile(r"^::(error|warning|notice) file=[^,:]+,line=\d+,title=[^,:]+::[^\r\n]+$")
    assert lines
    assert all(command.match(line) for line in lines), lines[:3]
    assert lines[0] == (
        f"::error file={FEEDS / 'changing-the-tide.xml'},line=4,title=apple/required-tags"
        "::the channel's <link> is missing"
    )


def test_check_github_format_escapes_data_and_properties() -> None:
    finding = Finding("a/b", "info", "100% sure\r\nnext", "dir,x/a:b.md", 3, "say: yes")
    assert format_github([finding]) == (
        "::notice file=dir%2Cx/a%3Ab.md,line=3,title=a/b::100%25 sure%0D%0Anext%0Ahint: say: yes\n"
    )


def test_check_bad_format_is_a_usage_error(site: Site) -> None:
    result = runner.invoke(app, ["check", "-c", str(site.config), "--format", "xml"])
    assert result.exit_code == 2
    assert result.stderr == "Error: --format must be one of text, json, github (got 'xml')\n"


def test_check_feed_not_found_exit_1(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", "--feed", str(tmp_path / "nope.xml")])
    assert result.exit_code == 1
    assert (
        result.stderr == f"Error: {tmp_path / 'nope.xml'}: cannot read: No such file or directory\n"
    )


RULES_DOC = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")


def test_docs_rules_page_documents_every_rule_and_no_other() -> None:
    documented = re.findall(r"^### `([a-z0-9/-]+)`", RULES_DOC, re.MULTILINE)
    assert sorted(documented) == sorted(all_rules())
    sections = re.split(r"^### ", RULES_DOC, flags=re.MULTILINE)[1:]
    for section in sections:
        section = section.split("\n## ", 1)[0]
        rule = all_rules()[section.split("`")[1]]
        assert f"**{rule.severity}**" in section, rule.id
        assert rule.source in section, rule.id
        assert ("--online" in section) == rule.online, rule.id


def test_check_maps_show_findings_to_feed_toml_lines(site: Site) -> None:
    site.show(title='"MY VERY LOUD SHOW"')
    site.episode("a")
    result = runner.invoke(app, ["check", "-c", str(site.config), "--format", "json"])
    [finding] = _json(result)
    lines = site.config.read_text().splitlines()
    assert (finding["rule"], finding["file"]) == ("apple/all-caps", str(site.config))
    assert lines[int(finding["line"]) - 1] == 'title = "MY VERY LOUD SHOW"'  # type: ignore[call-overload]


def test_check_maps_show_findings_in_a_feed_toml_with_a_bom(site: Site) -> None:
    """A byte order mark before `[show]` (Windows editors) keeps the finding at its line."""
    site.show(title='"MY VERY LOUD SHOW"')
    site.config.write_bytes(b"\xef\xbb\xbf" + site.config.read_bytes())
    site.episode("a")
    [finding] = _json(runner.invoke(app, ["check", "-c", str(site.config), "--format", "json"]))
    lines = site.config.read_text(encoding="utf-8-sig").splitlines()
    assert lines[int(finding["line"]) - 1] == 'title = "MY VERY LOUD SHOW"'  # type: ignore[call-overload]


def test_check_online_own_show_caches_host_answers_for_a_day(
    site: Site, http_server: AudioServer
) -> None:
    cover = http_server.add("cover.jpg", jpeg_bytes((1, 2, 3)))
    http_server.add("media/audio/sine-3s-cbr.mp3", DATA / "audio" / "sine-3s-cbr.mp3")
    site.show(image=f'"{cover}"', audio_base_url=f'"{http_server.url("media/")}"')
    site.episode("a")
    args = ["check", "-c", str(site.config), "--online", "--ignore", "podcastindex/https"]
    result = runner.invoke(app, args)
    assert (result.exit_code, result.stdout) == (0, "0 error(s), 0 warning(s), 0 info\n")
    assert (site.root / ".podcastfeed-cache" / "online.json").is_file()
    assert http_server.requests("media/") == 1
    http_server.clear()
    assert runner.invoke(app, args).exit_code == 0
    assert http_server.requests("media/") == 0


def test_check_online_no_range_host_fails(tmp_path: Path, http_server: AudioServer) -> None:
    url = http_server.url("no-range/sine-3s-cbr.mp3")
    feed = tmp_path / "feed.xml"
    text = (FEEDS / "resilientwebdesign.rss").read_text(encoding="utf-8")
    text = re.sub(r"<itunes:image[^>]*>", "", text)  # no artwork hosts to ask (offline)
    feed.write_text(re.sub(r'url="[^"]+\.mp3"', f'url="{url}"', text), encoding="utf-8")
    result = runner.invoke(
        app, ["check", "--feed", str(feed), "--online", "--sample", "1", "--format", "json"]
    )
    ranges = [f for f in _json(result) if f["rule"] == "apple/byte-range"]
    assert len(ranges) == 1  # --sample 1: the newest episode only
    assert result.exit_code == 1


def test_check_feed_url_not_found_exit_3(http_server: AudioServer) -> None:
    url = http_server.url("404/feed.xml")
    result = runner.invoke(app, ["check", "--feed", url])
    assert (result.exit_code, result.stderr) == (3, f"Error: {url}: HTTP 404\n")


def test_check_text_is_colored_only_when_asked() -> None:
    from podcastfeed.lint.runner import format_text

    finding = Finding("apple/duration", "warning", "no duration", "f.xml", 3)
    assert "\033[" not in format_text([finding])
    assert "\033[33mwarning\033[0m" in format_text([finding], color=True)


def test_check_own_full_feed_passes_the_namespace_and_podcast_tag_rules(site: Site) -> None:
    """The show of tests/golden/full.xml (every tag podcastfeed writes) breaks none of the rules
    of lint/rules/namespaces.py and podcasting.py: only the note its new_feed_url asks for, and
    the advice on its 2-second soundbite (the show's choice, written as given)."""
    from test_tags import NOW, _full_site

    from podcastfeed.build import build, feed_for
    from podcastfeed.lint.runner import run

    report = build(_full_site(site).config, now=NOW, use_cache=False)
    ours = {
        r.id
        for r in all_rules().values()
        if r.check.__module__.endswith(("rules.namespaces", "rules.podcasting"))
    }
    found = [(f.rule, f.message) for f in run(feed_for(report, NOW)) if f.rule in ours]
    assert found == [
        ("apple/feed-moved", "the feed announces a move to https://new.example.org/feed.xml"),
        ("podcastindex/soundbite-length", "podcast:soundbite lasts 2 s (15 to 120 s advised)"),
    ]


def test_check_duplicate_title_names_the_other_episode_file(site: Site) -> None:
    """In the show's own check the other episode is named by its file, not by a line of a
    feed the user never sees."""
    site.episode("a", title="Same", date="2024-01-02", audio=site.audio("sine-3s-cbr.mp3", "a.mp3"))
    site.episode("b", title="Same", date="2024-01-01", audio=site.audio("sine-3s-cbr.mp3", "b.mp3"))
    result = runner.invoke(app, ["check", "-c", str(site.config), "--format", "json"])
    assert result.exit_code == 0, result.output
    [finding] = _json(result)
    assert finding["file"] == "episodes/b.md"
    assert finding["message"] == "title 'Same' is used by an earlier episode too (episodes/a.md)"


PASSWORD_FEED = """<?xml version="1.0"?>
<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel>
<title>T</title><link>https://e.org/</link><description>D</description>
<item><title>A</title><guid>a</guid><pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate>
<enclosure url="https://e.org/a.mp3" length="10" type="audio/mpeg"/>
<podcast:person img="https://ada:s3cret@img.example.org/ada.jpg">Ada</podcast:person>
</item></channel></rss>
"""


def test_check_names_a_password_in_any_url_of_the_feed(site: Site, tmp_path: Path) -> None:
    """`https://user:password@host/…` in an enclosure (at its front-matter line) or any other
    URL of a feed (a person's image) was published without a word: every reader gets it."""
    site.episode("a", audio="https://ada:s3cret@cdn.example.org/a.mp3\nlength: 10\nduration: 6")
    result = runner.invoke(app, ["check", "-c", str(site.config), "--format", "json"])
    found = [
        (f["line"], f["message"]) for f in _json(result) if f["rule"] == "podcastfeed/url-password"
    ]
    assert found == [
        (4, "a URL holds a password (for cdn.example.org): every reader of the feed gets it")
    ]
    (tmp_path / "other.xml").write_text(PASSWORD_FEED)
    result = runner.invoke(
        app, ["check", "--feed", str(tmp_path / "other.xml"), "--format", "json"]
    )
    rules = [f["rule"] for f in _json(result)]
    assert rules.count("podcastfeed/url-password") == 1
    site.episode("a", audio="https://ada@cdn.example.org/a.mp3\nlength: 10\nduration: 6")
    result = runner.invoke(app, ["check", "-c", str(site.config), "--format", "json"])
    assert "podcastfeed/url-password" not in [f["rule"] for f in _json(result)]  # (no password)


@pytest.mark.parametrize(
    ("command", "left"), [("check", "nothing was checked"), ("notify", "no hub was told")]
)
def test_a_command_that_writes_nothing_does_not_say_nothing_was_written(
    site: Site, command: str, left: str
) -> None:
    """A feed.toml error stops check and notify as it stops build: they said "build failed …;
    nothing was written", of commands that write nothing anyway."""
    site.show(title="3")
    result = runner.invoke(app, [command, "-c", str(site.config)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == f"Error: build failed with 1 error(s); {left}"


def test_check_offline_fetches_nothing_and_names_audio_not_measured_yet(
    site: Site, http_server: AudioServer
) -> None:
    """`check` measured a new episode's remote audio, with no way to say "no network" (build
    has --offline): a CI job or a train ride got DNS errors. --offline fetches nothing."""
    url = http_server.url("sine-2s.ogg")
    site.episode("remote", audio=url)
    result = runner.invoke(app, ["check", "-c", str(site.config), "--offline"])
    assert result.exit_code == 3  # as build --offline: audio to measure first
    assert f"audio {url} has not been measured yet and --offline forbids" in result.stderr
    assert result.stderr.splitlines()[-1].endswith("; nothing was checked")
    assert http_server.requests() == 0
    assert runner.invoke(app, ["check", "-c", str(site.config)]).exit_code == 0  # measured
    assert http_server.requests() > 0
    assert runner.invoke(app, ["build", "-c", str(site.config)]).exit_code == 0  # the lock
    http_server.clear()
    result = runner.invoke(app, ["check", "-c", str(site.config), "--offline"])
    assert (result.exit_code, http_server.requests()) == (0, 0)


@pytest.mark.parametrize("other", [["--online"], ["--feed", "https://example.org/feed.xml"]])
def test_check_offline_refuses_what_would_fetch(site: Site, other: list[str]) -> None:
    result = runner.invoke(app, ["check", "-c", str(site.config), "--offline", *other])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --offline fetches nothing: ")
