"""`check` agrees with the independent validators (issue 15): the defects the W3C validator,
podcastparser and the Podcast Index find, each at the severity docs/rules.md's rule gives; JSON
output for every input; the show notes read for mojibake."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import DATA, REPO, Site
from httpserver import AudioServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_checks import findings, make_feed
from typer.testing import CliRunner

from podcastfeed.cli import app
from podcastfeed.feeds.importer import read_feed
from podcastfeed.lint.base import Finding
from podcastfeed.lint.runner import all_rules

runner = CliRunner()
RULES_DOC = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")


def _only(data: bytes, rule: str) -> Finding:
    [finding] = [f for f in findings(data) if f.rule == rule]
    return finding


def test_validators_wrong_weekday_is_a_warning_naming_the_day() -> None:
    data = make_feed(items=[{"pubDate": "<pubDate>Sun, 28 May 2022 10:00:00 +0000</pubDate>"}])
    finding = _only(data, "podcastfeed/pubdate-weekday")
    assert finding.severity == "warning"
    assert finding.message == (
        "pubDate 'Sun, 28 May 2022 10:00:00 +0000' says Sun, but 28 May 2022 is a Sat"
    )
    assert finding.hint == "write Sat, or check the date"


def test_validators_fractional_duration_is_a_warning_with_the_whole_seconds() -> None:
    data = make_feed(items=[{"duration": "<itunes:duration>1014.708375</itunes:duration>"}])
    finding = _only(data, "apple/duration-fraction")
    assert (finding.severity, finding.hint) == ("warning", "write 1015 (whole seconds)")
    assert "apple/duration" not in {f.rule for f in findings(data)}


def test_validators_atom_namespace_with_a_slash_hides_the_self_link() -> None:
    data = make_feed().replace(
        b'xmlns:atom="http://www.w3.org/2005/Atom"', b'xmlns:atom="http://www.w3.org/2005/Atom/"'
    )
    finding = _only(data, "podcastfeed/atom-namespace")
    assert finding.severity == "warning"
    assert finding.message == (
        "the Atom namespace must be exactly http://www.w3.org/2005/Atom "
        "(got 'http://www.w3.org/2005/Atom/'): the self link is invisible"
    )
    assert finding.hint == 'declare xmlns:atom="http://www.w3.org/2005/Atom"'
    assert finding.line == 12  # the <atom:link> itself


def test_validators_import_says_why_the_self_link_is_missing() -> None:
    data = make_feed().replace(
        b'xmlns:atom="http://www.w3.org/2005/Atom"', b'xmlns:atom="http://www.w3.org/2005/Atom/"'
    )
    found = read_feed(data, "feed.xml")
    [warning] = [w for w in found.warnings if "atom:link rel=self" in w]
    assert "in the namespace 'http://www.w3.org/2005/Atom/', not 'http://www.w3.org/2005/Atom'" in (
        warning
    )
    clean = read_feed(make_feed().replace(b' rel="self"', b' rel="alternate"'), "feed.xml")
    assert [w for w in clean.warnings if "rel=self" in w] == [
        "the feed names no URL of its own (atom:link rel=self): set [show] feed_url"
    ]


@pytest.mark.parametrize(
    ("part", "value"),
    [
        ("managingEditor", "Ada Lovelace"),
        ("webMaster", "Ada <ada@example.org>"),
        ("webMaster", "ada@example.org, bob@example.org"),
    ],
)
def test_validators_rss_email_fields(part: str, value: str) -> None:
    escaped = value.replace("<", "&lt;").replace(">", "&gt;")
    data = make_feed({part: f"<{part}>{escaped}</{part}>"})
    finding = _only(data, "podcastfeed/rss-email")
    assert finding.severity == "warning"
    assert finding.message.startswith(f"<{part}> must be an e-mail address")
    assert repr(value) in finding.message


def test_validators_rss_image_over_the_limits() -> None:
    image = (
        "<image><url>https://example.org/logo.png</url><title>T</title><link>https://e.org/</link>"
        "<width>1400</width><height>401</height></image>"
    )
    found = [f for f in findings(make_feed({"rss_image": image})) if f.rule.endswith("image-size")]
    assert [(f.severity, f.message) for f in found] == [
        ("warning", "<image> width must be a whole number of pixels, at most 144 (got '1400')"),
        ("warning", "<image> height must be a whole number of pixels, at most 400 (got '401')"),
    ]


ZERO = '<enclosure url="https://e.org/a.mp3" length="0" type="audio/mpeg"/>'
SELF = "<itunes:new-feed-url>https://example.org/feed.xml</itunes:new-feed-url>"
NS_OLD = b"https://podcastindex.org/namespace/1.0"


@pytest.mark.parametrize(
    ("channel", "item", "rule", "severity"),
    [
        # works, but degrades: warnings (they were errors)
        ({}, {"enclosure": ZERO}, "podcastfeed/length-unknown", "warning"),
        ({"moved": SELF}, {}, "apple/new-feed-url-self", "warning"),
        # a value the spec forbids, so that apps drop the tag: errors (they were warnings)
        (
            {"guid": "<podcast:guid>not-a-uuid</podcast:guid>"},
            {},
            "podcastindex/guid-format",
            "error",
        ),
        ({"locked": "<podcast:locked>true</podcast:locked>"}, {}, "podcastindex/locked", "error"),
        (
            {},
            {"t": '<podcast:transcript url="https://e.org/t.vtt"/>'},
            "podcastindex/transcript",
            "error",
        ),
        (
            {},
            {"duration": "<itunes:duration>12 minutes</itunes:duration>"},
            "apple/duration",
            "error",
        ),
    ],
)
def test_validators_severity_follows_the_written_rule(
    channel: dict[str, str], item: dict[str, str], rule: str, severity: str
) -> None:
    data = make_feed(channel, [item])
    assert _only(data, rule).severity == severity
    if severity == "warning":
        assert not [f for f in findings(data) if f.severity == "error"]


def test_validators_length_zero_does_not_stop_the_build_check() -> None:
    from test_checks import NOW

    from podcastfeed.lint.runner import check_build, lint_data

    assert check_build(lint_data(make_feed(items=[{"enclosure": ZERO}]), "f.xml", NOW)) == []


def test_validators_rules_page_states_the_severity_rule() -> None:
    section = RULES_DOC.split("## Severities and exit codes", 1)[1].split("\n## ", 1)[0]
    assert "a directory rejects the feed, or an app drops the episode or the tag" in section
    assert "it works, but degrades" in section
    assert "advice" in section
    assert {r.severity for r in all_rules().values()} == {"error", "warning", "info"}


# --- --format json for every input --------------------------------------------------------------

BAD_INPUTS = {
    "empty": b"",
    "binary": bytes(range(256)) * 4,
    "gzip": b"\x1f\x8b\x08\x00" + b"\x00" * 40,
    "not-utf8": b'<?xml version="1.0" encoding="UTF-8"?><rss><channel><title>\xff\xfe</title>',
    "truncated": make_feed()[:300],
    "atom": b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>',
    "html": b"<!DOCTYPE html><html><body><p>Not a feed</p></body></html>",
    "bom-and-newline": b"\n\xef\xbb\xbf" + make_feed(),
    "entity": make_feed().replace(b"About the show.", b"Caf&eacute; &nbsp; &gtgt; & more"),
    "deep": b"<rss><channel>" + b"<a>" * 5000 + b"</a>" * 5000 + b"</channel></rss>",
    "external-entity": b'<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss>&x;</rss>',
    "no-channel": b"<rss/>",
}


def _check_json(target: str) -> tuple[int, list[dict[str, object]]]:
    result = runner.invoke(app, ["check", "--feed", target, "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    found = json.loads(result.stdout)
    assert isinstance(found, list)
    for finding in found:
        assert set(finding) == {"rule", "severity", "message", "file", "line", "hint"}
    return result.exit_code, found


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_validators_json_is_valid_for_bad_files(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.xml"
    path.write_bytes(BAD_INPUTS[name])
    code, found = _check_json(str(path))
    assert code in (0, 1)
    assert found or code == 0


FEED = make_feed(items=[{}, {}])


@given(
    st.one_of(
        st.binary(max_size=200),
        st.tuples(st.integers(0, len(FEED)), st.integers(0, len(FEED))).map(
            lambda cut: FEED[: cut[0]] + FEED[cut[1] :]  # a feed with a piece cut out
        ),
    )
)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_validators_json_is_valid_for_any_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(data)
    code, found = _check_json(str(path))
    assert code in (0, 1)
    assert code == 0 or any(f["severity"] == "error" for f in found)


def test_validators_json_for_a_file_that_cannot_be_read(tmp_path: Path) -> None:
    for target in (tmp_path / "missing.xml", tmp_path):  # missing, and a folder
        code, found = _check_json(str(target))
        [finding] = found
        assert code == 1
        assert (finding["rule"], finding["severity"], finding["file"]) == (
            "podcastfeed/unreadable",
            "error",
            str(target),
        )
        assert str(finding["message"]).startswith("cannot read: ")


def test_validators_json_for_a_feed_that_does_not_parse(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(b"<feed/>")
    code, [finding] = _check_json(str(path))
    assert code == 1
    assert finding["message"] == "not an RSS feed (the root element is <feed>)"


def test_validators_json_for_a_url_that_fails(http_server: AudioServer) -> None:
    url = http_server.url("404/feed.xml")
    code, [finding] = _check_json(url)
    assert code == 3  # docs/rules.md: a URL that cannot be read
    assert finding["message"] == f"{url}: HTTP 404"
    dead = "http://127.0.0.1:9/feed.xml"  # the discard port: nothing listens
    code, [finding] = _check_json(dead)
    assert (code, finding["rule"]) == (3, "podcastfeed/unreadable")


def test_validators_github_format_reports_an_unreadable_feed(tmp_path: Path) -> None:
    missing = tmp_path / "missing.xml"
    result = runner.invoke(app, ["check", "--feed", str(missing), "--format", "github"])
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=")
    assert "title=podcastfeed/unreadable::cannot read: No such file or directory" in result.stdout


def test_validators_json_for_a_show_that_does_not_build(site: Site) -> None:
    site.episode("a", date="someday")
    result = runner.invoke(app, ["check", "-c", str(site.config), "--format", "json"])
    found = json.loads(result.stdout)
    assert result.exit_code == 1
    assert [(f["rule"], f["severity"], f["file"]) for f in found] == [
        ("podcastfeed/unreadable", "error", "episodes/a.md")
    ]
    assert isinstance(found[0]["line"], int)


# --- the show notes -------------------------------------------------------------------------------


def _seed_site(site: Site, extra: str = "") -> Path:
    """The seed episode, its audio local; returns the episode file."""
    text = (DATA / "seed-episode.md").read_text(encoding="utf-8")
    audio = site.audio("sine-3s-cbr.mp3", "default_tc.mp3")
    text = re.sub(r"(?m)^audio: .*$", f"audio: {audio}", text)
    if extra:
        site.show(f"\n[build]\n{extra}\n")
    return site.episode("platform-engineering", text)


def _mojibake(site: Site) -> list[dict[str, object]]:
    result = runner.invoke(app, ["check", "-c", str(site.config), "--format", "json"])
    return [f for f in json.loads(result.stdout) if f["rule"] == "podcastfeed/mojibake"]


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


def test_validators_seed_notes_mojibake_repaired_is_reported_at_its_line(site: Site) -> None:
    path = _seed_site(site)
    [finding] = _mojibake(site)
    assert (finding["file"], finding["line"]) == (
        "episodes/platform-engineering.md",
        _line_of(path, "Lucaâ€™s LinkedIn"),
    )
    assert "the show notes" in str(finding["message"])
    assert "Luca’s LinkedIn" in str(finding["message"])


def test_validators_seed_notes_mojibake_as_written_is_reported_at_its_line(site: Site) -> None:
    path = _seed_site(site, "fix_text = false")
    [finding] = _mojibake(site)
    assert (finding["file"], finding["line"]) == (
        "episodes/platform-engineering.md",
        _line_of(path, "Lucaâ€™s LinkedIn"),
    )
    message = str(finding["message"])
    assert message.startswith("garbled text (UTF-8 read as Windows-1252) in the show notes: ")
    assert "Lucaâ€™s LinkedIn" in message
    assert "Luca’s LinkedIn" in str(finding["hint"])


def test_validators_feed_notes_mojibake_is_reported() -> None:
    notes = (
        '<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        "<![CDATA[<p>Lucaâ€™s LinkedIn</p>]]></content:encoded>"
    )
    finding = _only(make_feed(items=[{"notes": notes}]), "podcastfeed/mojibake")
    assert finding.message.startswith(
        "garbled text (UTF-8 read as Windows-1252) in <content:encoded>"
    )
    assert finding.hint == "it should read '<p>Luca’s LinkedIn</p>'"


def test_validators_notes_repaired_on_several_lines_say_how_many(site: Site) -> None:
    notes = "Intro.\n\nLucaâ€™s LinkedIn\n\nMore.\n\nCafÃ© talk\n"
    path = site.episode(
        "a",
        f"---\ntitle: A\ndate: 2024-01-01\naudio: {site.audio('sine-3s-cbr.mp3')}\n---\n{notes}",
    )
    [finding] = _mojibake(site)
    assert finding["line"] == _line_of(path, "Lucaâ€™s")
    assert "in the show notes (2 lines, the first here):" in str(finding["message"])
