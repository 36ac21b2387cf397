"""`podcastfeed diff` compares meaning, not spelling (issue 15): equal values spelled another way
are no change (each equivalence a spec defines, one test each), `--exact` still shows them, a
real change among them is the only one shown, `--format json`, and a migration diffs clean."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from httpserver import AudioServer
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from podcastfeed.cli import app
from podcastfeed.feeds.diff import diff_feeds

runner = CliRunner()

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
  xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel>
  <title>Show</title>
  <link>https://example.org/</link>
  <description>About the show.</description>
  <language>en</language>
  {channel}
  <item>
    <title>Café</title>
    <guid>ep-1</guid>
    <description>The notes.</description>
    <pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate>
    <enclosure url="https://cdn.example.org/ep1.mp3" length="1000" type="audio/mpeg"/>
    <itunes:duration>960</itunes:duration>
    {item}
  </item>
</channel>
</rss>
"""


def _feed(channel: str = "", item: str = "") -> str:
    return FEED.format(channel=channel, item=item)


def _files(tmp_path: Path, old: str, new: str) -> tuple[str, str]:
    (tmp_path / "old.xml").write_text(old, encoding="utf-8")
    (tmp_path / "new.xml").write_text(new, encoding="utf-8")
    return str(tmp_path / "old.xml"), str(tmp_path / "new.xml")


PERSON = '<podcast:person role="host" href="https://example.org/ann">Ann</podcast:person>'

#: (old, new, the field `--exact` names): equal by a spec's definition, spelled differently.
EQUIVALENT = {
    "date -0000 vs +0000": (
        _feed().replace("+0000", "-0000"),
        _feed(),
        "pubDate",
    ),
    "date GMT vs +0000": (_feed().replace("+0000", "GMT"), _feed(), "pubDate"),
    "date PST vs -0800": (
        _feed().replace("10:00:00 +0000", "02:00:00 PST"),
        _feed().replace("10:00:00 +0000", "02:00:00 -0800"),
        "pubDate",
    ),
    "date another offset, the same instant": (
        _feed().replace("Mon, 01 Jan 2024 10:00:00 +0000", "Mon, 01 Jan 2024 11:30:00 +0130"),
        _feed(),
        "pubDate",
    ),
    "duration HH:MM:SS vs seconds": (
        _feed().replace(">960<", ">00:16:00<"),
        _feed(),
        "itunes:duration",
    ),
    "duration MM:SS vs seconds": (
        _feed().replace(">960<", ">16:00<"),
        _feed(),
        "itunes:duration",
    ),
    "duration fractional seconds vs whole": (
        _feed().replace(">960<", ">959.708375<"),
        _feed(),
        "itunes:duration",
    ),
    "itunes:title equal to the title, removed": (
        _feed(item="<itunes:title>Café</itunes:title>"),
        _feed(),
        "itunes:title",
    ),
    "episodeType full, removed": (
        _feed(item="<itunes:episodeType>full</itunes:episodeType>"),
        _feed(),
        "itunes:episodeType",
    ),
    "itunes:type episodic, removed": (
        _feed(channel="<itunes:type>episodic</itunes:type>"),
        _feed(),
        "itunes:type",
    ),
    "channel persons inherited by an item that repeats them": (
        _feed(channel=PERSON, item=PERSON),
        _feed(channel=PERSON),
        "podcast:person",
    ),
    "person role and group defaults, any case": (
        _feed(item="<podcast:person>Ann</podcast:person>"),
        _feed(item='<podcast:person role="Host" group="CAST">Ann</podcast:person>'),
        "podcast:person role",
    ),
    "person role and group outside the taxonomy": (
        _feed(item='<podcast:person group="band" role="Guitar">Ann</podcast:person>'),
        _feed(item="<podcast:person>Ann</podcast:person>"),
        "podcast:person role",
    ),
    "explicit yes vs true": (
        _feed(item="<itunes:explicit>yes</itunes:explicit>"),
        _feed(item="<itunes:explicit>true</itunes:explicit>"),
        "itunes:explicit",
    ),
    "explicit explicit vs true": (
        _feed(item="<itunes:explicit>explicit</itunes:explicit>"),
        _feed(item="<itunes:explicit>true</itunes:explicit>"),
        "itunes:explicit",
    ),
    "explicit clean vs false": (
        _feed(channel="<itunes:explicit>clean</itunes:explicit>"),
        _feed(channel="<itunes:explicit>false</itunes:explicit>"),
        "itunes:explicit",
    ),
    "explicit No vs false": (
        _feed(item="<itunes:explicit>No</itunes:explicit>"),
        _feed(item="<itunes:explicit>false</itunes:explicit>"),
        "itunes:explicit",
    ),
    "itunes:block no, removed": (
        _feed(channel="<itunes:block>no</itunes:block>"),
        _feed(),
        "itunes:block",
    ),
    "itunes:complete other than Yes, removed": (
        _feed(channel="<itunes:complete>No</itunes:complete>"),
        _feed(),
        "itunes:complete",
    ),
    "podcast:guid case": (
        _feed(channel="<podcast:guid>FEC40D89-946A-5D68-86FA-FEA534FD5756</podcast:guid>"),
        _feed(channel="<podcast:guid>fec40d89-946a-5d68-86fa-fea534fd5756</podcast:guid>"),
        "podcast:guid",
    ),
    "lastBuildDate GMT vs +0000": (
        _feed(channel="<lastBuildDate>Mon, 01 Jan 2024 10:00:00 GMT</lastBuildDate>"),
        _feed(channel="<lastBuildDate>Mon, 01 Jan 2024 10:00:00 +0000</lastBuildDate>"),
        "lastBuildDate",
    ),
    "guid isPermaLink true by default": (
        _feed().replace("<guid>", '<guid isPermaLink="true">'),
        _feed(),
        "guid isPermaLink",
    ),
    "enclosure length absent, 0 (unknown)": (
        _feed().replace(' length="1000"', ""),
        _feed().replace('length="1000"', 'length="0"'),
        "enclosure length",
    ),
    "enclosure length empty, 0 (unknown)": (
        _feed().replace('length="1000"', 'length=""'),
        _feed().replace('length="1000"', 'length="0"'),
        "enclosure length",
    ),
    "enclosure type case": (
        _feed().replace('type="audio/mpeg"', 'type="Audio/MPEG"'),
        _feed(),
        "enclosure type",
    ),
    "language tag case": (_feed().replace(">en<", ">EN<"), _feed(), "language"),
    "URL scheme and host case, default port": (
        _feed().replace("https://cdn.example.org/", "HTTPS://CDN.Example.org:443/"),
        _feed(),
        "enclosure url",
    ),
    "URL percent-encoding of unreserved characters": (
        _feed().replace("ep1.mp3", "%65p%31.mp3"),
        _feed(),
        "enclosure url",
    ),
    "URL empty path": (
        _feed().replace("<link>https://example.org/</link>", "<link>https://example.org</link>"),
        _feed(),
        "link",
    ),
    "whitespace around an attribute value": (
        _feed().replace('length="1000"', 'length=" 1000 "'),
        _feed(),
        "enclosure length",
    ),
    "HTML entity vs character in a title": (
        _feed().replace("<title>Café</title>", "<title>Caf&amp;eacute;</title>"),
        _feed(),
        "title",
    ),
    "HTML entity vs character in notes": (
        _feed().replace("<description>The notes.", "<description>The notes&amp;#8217;"),
        _feed().replace("<description>The notes.", "<description>The notes’"),
        "description",
    ),
    "a bare & and &amp; in notes (HTML)": (
        _feed().replace("The notes.", "<![CDATA[Flip sides & takes]]>"),
        _feed().replace("The notes.", "Flip sides &amp;amp; takes"),
        "description",
    ),
}


@pytest.mark.parametrize(("old", "new", "field"), EQUIVALENT.values(), ids=list(EQUIVALENT))
def test_diff_equal_values_spelled_differently_are_no_change(
    tmp_path: Path, old: str, new: str, field: str
) -> None:
    a, b = _files(tmp_path, old, new)
    result = runner.invoke(app, ["diff", a, b])
    assert (result.exit_code, result.stdout) == (0, ""), result.stdout
    assert result.stderr == "The feeds have the same channel and episodes\n"
    exact = runner.invoke(app, ["diff", "--exact", a, b])
    assert exact.exit_code == 1
    assert f" {field}: " in exact.stdout  # compares as before: the spelling is a change


#: (old, new, the line that must be shown): looks alike, means something else.
DIFFERENT = {
    "http vs https": (
        _feed(),
        _feed().replace("https://cdn", "http://cdn"),
        "    enclosure url: 'https://cdn.example.org/ep1.mp3' → 'http://cdn.example.org/ep1.mp3'",
    ),
    "URL path case": (
        _feed(),
        _feed().replace("ep1.mp3", "EP1.mp3"),
        "    enclosure url: 'https://cdn.example.org/ep1.mp3' → 'https://cdn.example.org/EP1.mp3'",
    ),
    "URL trailing slash on a path": (
        _feed().replace("https://example.org/<", "https://example.org/show<"),
        _feed().replace("https://example.org/<", "https://example.org/show/<"),
        "~ channel link: 'https://example.org/show' → 'https://example.org/show/'",
    ),
    "a reserved character percent-encoded": (
        _feed().replace("ep1.mp3", "ep1.mp3?a=b"),
        _feed().replace("ep1.mp3", "ep1.mp3?a%3Db"),
        "    enclosure url: 'https://cdn.example.org/ep1.mp3?a=b' → "
        "'https://cdn.example.org/ep1.mp3?a%3Db'",
    ),
    "a second more": (_feed(), _feed().replace(">960<", ">00:16:01<"), "    itunes:duration: "),
    "an hour later": (
        _feed(),
        _feed().replace("10:00:00 +0000", "10:00:00 -0100"),
        "    pubDate: ",
    ),
    "itunes:title other than the title, removed": (
        _feed(item="<itunes:title>Special</itunes:title>"),
        _feed(),
        "    itunes:title: removed (was 'Special')",
    ),
    "episodeType bonus, removed": (
        _feed(item="<itunes:episodeType>bonus</itunes:episodeType>"),
        _feed(),
        "    itunes:episodeType: removed (was 'bonus')",
    ),
    "isPermaLink false, removed, on a URL guid": (
        _feed().replace("<guid>ep-1", '<guid isPermaLink="false">https://e.org/1'),
        _feed().replace("<guid>ep-1", "<guid>https://e.org/1"),
        "    guid isPermaLink: removed (was 'false')",
    ),
    "a person's known role instead of the default": (
        _feed(item="<podcast:person>Ann</podcast:person>"),
        _feed(item='<podcast:person role="producer">Ann</podcast:person>'),
        "    podcast:person role: added 'producer'",
    ),
    "explicit true vs false": (
        _feed(item="<itunes:explicit>yes</itunes:explicit>"),
        _feed(item="<itunes:explicit>false</itunes:explicit>"),
        "    itunes:explicit: 'yes' → 'false'",
    ),
    "an item's own person instead of the channel's": (
        _feed(channel=PERSON),
        _feed(channel=PERSON, item="<podcast:person>Bob</podcast:person>"),
        "    podcast:person: added 'Bob'",
    ),
    "escaped markup vs markup in notes": (
        _feed().replace("The notes.", "&lt;b&gt;notes&lt;/b&gt;"),
        _feed().replace("The notes.", "&amp;lt;b&amp;gt;notes&amp;lt;/b&amp;gt;"),
        "    description: '<b>notes</b>' → '&lt;b&gt;notes&lt;/b&gt;'",
    ),
    "guid case": (_feed(), _feed().replace(">ep-1<", ">EP-1<"), "+ episode EP-1 'Café'"),
}


@pytest.mark.parametrize(("old", "new", "line"), DIFFERENT.values(), ids=list(DIFFERENT))
def test_diff_values_that_only_look_alike_are_a_change(
    tmp_path: Path, old: str, new: str, line: str
) -> None:
    result = runner.invoke(app, ["diff", *_files(tmp_path, old, new)])
    assert result.exit_code == 1, result.stdout
    assert any(shown.startswith(line) for shown in result.stdout.splitlines()), result.stdout


def _respell_everything(text: str) -> str:
    """Every respelling above at once, on one side of a diff."""
    return (
        text.replace("10:00:00 +0000", "02:00:00 PST")
        .replace(">960<", ">00:16:00<")
        .replace('type="audio/mpeg"', 'type="Audio/MPEG"')
        .replace("https://cdn.example.org/", "HTTPS://cdn.example.org:443/")
        .replace("<guid>", '<guid isPermaLink="true">')
        .replace("<title>Café</title>", "<title>Caf&amp;eacute;</title>")
        .replace("<link>https://example.org/</link>", "<link>https://EXAMPLE.org</link>")
    )


def test_diff_shows_only_the_real_change_among_respelled_values(tmp_path: Path) -> None:
    """The issue: diff hid the one real change among dozens of false ones."""
    extras = {
        "channel": PERSON + "<itunes:explicit>no</itunes:explicit>",
        "item": PERSON + "<itunes:title>Café</itunes:title>"
        "<itunes:episodeType>full</itunes:episodeType><itunes:explicit>clean</itunes:explicit>",
    }
    old = _respell_everything(_feed(**extras))
    explicit = "<itunes:explicit>false</itunes:explicit>"
    new = _feed(channel=PERSON + explicit, item=explicit)
    new = new.replace('length="1000"', 'length="2000"').replace("<item>", "<item>\n")
    a, b = _files(tmp_path, old, new)
    result = runner.invoke(app, ["diff", a, b])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "~ episode ep-1 'Café': enclosure length",
        "    enclosure length: '1000' → '2000'",
    ]
    assert result.stderr == "0 episode(s) added, 0 removed, 1 changed, 0 channel field(s) changed\n"
    exact = runner.invoke(app, ["diff", "--exact", a, b])
    assert exact.exit_code == 1
    assert len(exact.stdout.splitlines()) > 10
    assert "    enclosure length: '1000' → '2000'" in exact.stdout.splitlines()


def test_diff_channel_persons_changed_are_reported_once(tmp_path: Path) -> None:
    """An item without persons has the channel's: a change there is the channel's change."""
    old = _feed(channel=PERSON)
    new = _feed(channel=PERSON.replace("Ann", "Bob"))
    result = runner.invoke(app, ["diff", *_files(tmp_path, old, new)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["~ channel podcast:person: 'Ann' → 'Bob'"]


def test_diff_title_change_is_not_repeated_as_itunes_title(tmp_path: Path) -> None:
    """Neither side writes itunes:title: its default, the title, changed with the title."""
    old = _feed()
    new = _feed().replace("<title>Café</title>", "<title>Tea</title>")
    result = runner.invoke(app, ["diff", *_files(tmp_path, old, new)])
    assert result.stdout.splitlines() == [
        "~ episode ep-1 'Tea': title",
        "    title: 'Café' → 'Tea'",
    ]


def _json(args: list[str], code: int) -> dict[str, object]:
    result = runner.invoke(app, ["diff", "--format", "json", *args])
    assert result.exit_code == code, result.stderr
    report = json.loads(result.stdout)
    assert isinstance(report, dict)
    assert list(report) == [
        "version",
        "old",
        "new",
        "exact",
        "same",
        "channel",
        "added",
        "removed",
        "changed",
        "notes",
        "repairs",
        "error",
    ]
    return report


def test_diff_json_lists_changes_with_field_old_new(tmp_path: Path) -> None:
    old = _feed().replace("ep-1", "ep-0")
    old = old.replace("<item>", "<item><title>Gone</title><guid>gone</guid></item><item>", 1)
    new = _feed(channel="<itunes:type>serial</itunes:type>").replace(">960<", ">00:16:00<")
    new = new.replace('length="1000"', 'length="1001"').replace("ep-1", "ep-0")
    new = new.replace("</channel>", "<item><title>New</title><guid>new</guid></item></channel>")
    a, b = _files(tmp_path, old, new)
    report = _json([a, b], 1)
    assert report == {
        "version": 1,
        "old": a,
        "new": b,
        "exact": False,
        "same": False,
        "channel": [{"field": "itunes:type", "old": None, "new": "serial"}],
        "added": [{"key": "new", "title": "New"}],
        "removed": [{"key": "gone", "title": "Gone"}],
        "changed": [
            {
                "key": "ep-0",
                "title": "Café",
                "changes": [{"field": "enclosure length", "old": "1000", "new": "1001"}],
            }
        ],
        "notes": [],
        "repairs": [],
        "error": None,
    }
    exact = _json(["--exact", a, b], 1)
    assert exact["exact"] is True
    changed = exact["changed"]
    assert isinstance(changed, list)
    assert {"field": "itunes:duration", "old": "960", "new": "00:16:00"} in changed[0]["changes"]


def test_diff_json_same_feeds_exit_0(tmp_path: Path) -> None:
    a, b = _files(tmp_path, _feed().replace("+0000", "GMT"), _feed())
    report = _json([a, b], 0)
    assert report["same"] is True
    assert report["channel"] == report["added"] == report["changed"] == []
    assert report["error"] is None


def test_diff_json_long_values_in_full(tmp_path: Path) -> None:
    long = "word " * 40
    a, b = _files(tmp_path, _feed(), _feed().replace("The notes.", long))
    report = _json([a, b], 1)
    changed = report["changed"]
    assert isinstance(changed, list)
    assert changed[0]["changes"] == [
        {"field": "description", "old": "The notes.", "new": long.strip()}
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read:"),
        ("<html><body/></html>", "not an RSS feed (the root element is <html>)"),
        ("<rss><channel><title>x</title>", "not well-formed XML"),
    ],
    ids=["missing", "not rss", "not well-formed"],
)
def test_diff_json_unreadable_side_is_valid_json_and_exit_1(
    tmp_path: Path, content: str | None, message: str
) -> None:
    good = tmp_path / "good.xml"
    good.write_text(_feed(), encoding="utf-8")
    bad = tmp_path / "bad.xml"
    if content is not None:
        bad.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["diff", "--format", "json", str(good), str(bad)])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["same"] is None
    assert report["changed"] == report["channel"] == []
    error = report["error"]
    assert error["source"] == str(bad)
    assert error["message"].startswith(message)
    assert set(error) == {"source", "line", "message", "hint"}
    assert result.stderr.startswith(f"Error: {bad}")  # the usual message too


def test_diff_reports_each_repair_of_a_feed_that_is_not_well_formed(tmp_path: Path) -> None:
    """The shared reader recovers it (feeds/xml.py); diff says what it repaired, and where."""
    broken = _feed().replace("<title>Café</title>", "<title>Café &nbsp;& more</title>")
    fixed = _feed().replace("<title>Café</title>", "<title>Café \u00a0&amp; more</title>")
    a, b = _files(tmp_path, broken, fixed)
    result = runner.invoke(app, ["diff", a, b])
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr.splitlines() == [
        f"{a}:11: warning: repaired HTML entity &nbsp; read as U+00A0",
        f"{a}:11: warning: repaired a lone '&': read as '&amp;'",
        "The feeds have the same channel and episodes",
    ]
    report = _json([a, b], 0)
    assert report["repairs"] == [
        {"source": a, "line": 11, "what": "HTML entity &nbsp; read as U+00A0"},
        {"source": a, "line": 11, "what": "a lone '&': read as '&amp;'"},
    ]


def test_diff_json_unreachable_url_exit_3(http_server: AudioServer, tmp_path: Path) -> None:
    good = tmp_path / "good.xml"
    good.write_text(_feed(), encoding="utf-8")
    url = http_server.url("404/feed.xml")
    result = runner.invoke(app, ["diff", "--format", "json", url, str(good)])
    assert result.exit_code == 3
    report = json.loads(result.stdout)
    assert report["error"]["message"] == f"{url}: HTTP 404"


def test_diff_json_masks_passwords(tmp_path: Path) -> None:
    old = _feed()
    new = _feed().replace("https://cdn.", "https://user:secret@cdn.")
    report = _json(list(_files(tmp_path, old, new)), 1)
    assert "secret" not in json.dumps(report)


def test_diff_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    a, b = _files(tmp_path, _feed(), _feed())
    result = runner.invoke(app, ["diff", "--format", "yaml", a, b])
    assert result.exit_code == 2
    assert result.stderr == "Error: --format must be one of text, json (got 'yaml')\n"


HOST_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
  xmlns:podcast="https://podcastindex.org/namespace/1.0" xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <atom:link href="https://feeds.example.org/show.rss" rel="self" type="application/rss+xml"/>
    <title>Host Show</title>
    <link>https://example.org/</link>
    <description>A show about hosts.</description>
    <docs>http://www.rssboard.org/rss-specification</docs>
    <generator>podcastfeed</generator>
    <image><url>https://example.org/cover.jpg</url><title>Host Show</title>
      <link>https://example.org/</link></image>
    <language>en-US</language>
    <lastBuildDate>Tue, 02 Jan 2024 10:00:00 GMT</lastBuildDate>
    <podcast:guid>FEC40D89-946A-5D68-86FA-FEA534FD5756</podcast:guid>
    <itunes:block>no</itunes:block>
    <itunes:author>Ann Host</itunes:author>
    <itunes:owner><itunes:name>Ann Host</itunes:name><itunes:email>ann@example.org</itunes:email>
    </itunes:owner>
    <itunes:image href="https://example.org/cover.jpg"/>
    <itunes:category text="Technology"/>
    <itunes:explicit>no</itunes:explicit>
    <podcast:person role="host" href="https://example.org/ann">Ann Host</podcast:person>
    <item>
      <title>Episode 2</title>
      <itunes:title>Episode 2</itunes:title>
      <itunes:episodeType>full</itunes:episodeType>
      <guid isPermaLink="false">host-ep-2</guid>
      <pubDate>Tue, 02 Jan 2024 10:00:00 -0000</pubDate>
      <description>Second episode &amp;amp; more.</description>
      <content:encoded><![CDATA[<p>Second episode &amp; more.</p>]]></content:encoded>
      <enclosure url="https://cdn.example.org/ep2.mp3" length="15360000" type="audio/mpeg"/>
      <itunes:duration>00:16:00</itunes:duration>
      <itunes:explicit>no</itunes:explicit>
      <podcast:person role="host" href="https://example.org/ann">Ann Host</podcast:person>
    </item>
    <item>
      <title>Tom &amp;amp; Jerry&#8217;s show</title>
      <itunes:title>Tom &amp; Jerry’s show</itunes:title>
      <itunes:episodeType>full</itunes:episodeType>
      <guid isPermaLink="false">host-ep-1</guid>
      <pubDate>Mon, 01 Jan 2024 02:00:00 PST</pubDate>
      <description>First episode.</description>
      <content:encoded><![CDATA[<p>First episode.</p>]]></content:encoded>
      <itunes:explicit>clean</itunes:explicit>
      <enclosure url="https://cdn.example.org/ep1.mp3" length="14400000" type="Audio/MPEG"/>
      <itunes:duration>1:05:03</itunes:duration>
    </item>
  </channel>
</rss>
"""


def test_diff_after_import_and_build_reports_no_change(tmp_path: Path) -> None:
    """A host's feed (`-0000`, `GMT` and `PST` dates, HH:MM:SS durations, itunes:title = title,
    episodeType full, channel persons, old explicit spellings, entities in a title) migrated
    with import and build --offline: the built feed means what the source meant."""
    source = tmp_path / "host.xml"
    source.write_text(HOST_FEED, encoding="utf-8")
    show = tmp_path / "show"
    imported = runner.invoke(app, ["import", str(source), "--dir", str(show)])
    assert imported.exit_code == 0, imported.stderr
    built = runner.invoke(app, ["build", "-c", str(show / "feed.toml"), "--offline", "-q"])
    assert built.exit_code == 0, built.stderr
    feed = show / "public" / "feed.xml"
    result = runner.invoke(app, ["diff", str(source), str(feed)])
    assert (result.exit_code, result.stdout) == (0, ""), result.stdout
    exact = runner.invoke(app, ["diff", "--exact", str(source), str(feed)])
    assert exact.exit_code == 1  # the build did respell: this test is not vacuous
    assert "    itunes:duration: '00:16:00' → '960'" in exact.stdout.splitlines()


@pytest.mark.parametrize(
    "value",
    [
        "&amp;#12;",  # form feed: not an XML character
        "&amp;#1;",
        "&amp;#xD800;",
        "&amp;#x110000;",
        "&amp;nosuchentity;",
        "x" * 10_000,
    ],
)
def test_diff_odd_values_compare_without_error(value: str) -> None:
    """Decoding a reference never yields what XML cannot hold, nor a crash."""
    for field in ("<title>Café</title>", "<description>The notes.</description>"):
        tag = field[1 : field.index(">")]
        odd = _feed().replace(field, f"<{tag}>{value}</{tag}>")
        found = diff_feeds(odd.encode(), _feed().encode())
        assert [change.name for _, changes in found.changed for change in changes] == [tag]


@pytest.mark.parametrize(
    "date",
    ["Mon, 31 Feb 2024 10:00:00 +0000", "Mon, 01 Jan 2024 25:00:00 +0000", "soon", "", "+9999"],
)
def test_diff_unparsable_dates_compare_as_written(date: str) -> None:
    odd = _feed().replace("Mon, 01 Jan 2024 10:00:00 +0000", date)
    assert not diff_feeds(odd.encode(), odd.encode())
    found = diff_feeds(odd.encode(), _feed().encode())
    assert [change.name for _, changes in found.changed for change in changes] == ["pubDate"]


def _spelled_duration(seconds: int, form: str) -> str:
    hours, rest = divmod(seconds, 3600)
    if form == "seconds":
        return str(seconds)
    if form == "fraction":
        return f"{seconds}.{seconds % 5}"  # below .5: rounds to `seconds`
    if form == "mm:ss" and seconds < 6000:  # MM is two digits at most
        return f"{seconds // 60}:{seconds % 60:02d}"
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


_FORMS = st.sampled_from(["seconds", "fraction", "mm:ss", "hh:mm:ss"])


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 200_000), st.integers(0, 200_000), _FORMS, _FORMS)
def test_diff_duration_changed_exactly_when_the_seconds_differ(
    a: int, b: int, form_a: str, form_b: str
) -> None:
    old = _feed().replace(">960<", f">{_spelled_duration(a, form_a)}<")
    new = _feed().replace(">960<", f">{_spelled_duration(b, form_b)}<")
    assert bool(diff_feeds(old.encode(), new.encode())) == (a != b)


_ZONES = st.sampled_from(["+0000", "-0000", "GMT", "UT", "EST", "PDT", "+0130", "-1100", "Z"])


@settings(max_examples=60, deadline=None)
@given(
    st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 30)),
    st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 30)),
    _ZONES,
    _ZONES,
)
def test_diff_date_changed_exactly_when_the_instant_differs(
    a: datetime, b: datetime, zone_a: str, zone_b: str
) -> None:
    """Against email.utils' own reading of each date, not the code under test."""
    text_a = a.strftime("%a, %d %b %Y %H:%M:%S ") + zone_a
    text_b = b.strftime("%a, %d %b %Y %H:%M:%S ") + zone_b
    old = _feed().replace("Mon, 01 Jan 2024 10:00:00 +0000", text_a)
    new = _feed().replace("Mon, 01 Jan 2024 10:00:00 +0000", text_b)
    instants = {parsedate_to_datetime(t).astimezone(UTC) for t in (text_a, text_b)}
    assert bool(diff_feeds(old.encode(), new.encode())) == (len(instants) == 2)
