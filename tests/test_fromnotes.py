"""Chapters from timestamped show notes and a transcript from the post (issue 16): real builds,
the feed read by feedparser and podcastparser, the JSON chapters checked against the 1.2.0
shape, and the HTML transcript against the namespace's format."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import lxml.html
import podcastparser
import pytest
from conftest import DATA, Site
from feedcheck import parse_both
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from podcastfeed.build import BuildReport, build, write_report
from podcastfeed.errors import BuildFailed
from podcastfeed.source.chapters import validate_json_chapters
from podcastfeed.source.fromnotes import DEFAULT_HEADINGS
from podcastfeed.source.notechapters import chapters_from, lead_stamp, seconds, topics
from podcastfeed.source.notetranscript import (
    HEAD,
    find_section,
    matches,
    transcript_html,
    turn,
)
from podcastfeed.source.shownotes import render_notes

NOW = datetime(2026, 1, 1, tzinfo=UTC)
NS = {
    "podcast": "https://podcastindex.org/namespace/1.0",
    "psc": "http://podlove.org/simple-chapters",
    "content": "http://purl.org/rss/1.0/modules/content/",
}
TOPICS = """\
We talk about:

- 00:00 Intro
- [08:37] What is platform engineering
- (1:02:03) – [Self-service](https://example.org/self-service) for developers
- 1:05:10 - Outro
"""


def _episode(
    site: Site, body: str, *, name: str = "ep", duration: str | None = "01:10:00", extra: str = ""
) -> Path:
    audio = site.audio("sine-3s-cbr.mp3", f"{name}.mp3")
    lines = ["---", f"title: {name}", "date: 2024-01-01", f"audio: {audio}"]
    if duration:
        lines.append(f'duration: "{duration}"')
    text = "\n".join(lines) + "\n" + extra + "---\n\n" + body
    return site.episode(name, text)


def _item(feed: bytes, title: str = "ep") -> etree._Element:
    root = etree.fromstring(feed)
    (item,) = root.xpath(f"//item[title='{title}']")
    return item


def _json_chapters(data: bytes) -> list[dict[str, object]]:
    """The file as the JSON chapters spec 1.2.0 shapes it (docs/examples/chapters)."""
    validate_json_chapters(data)
    document = json.loads(data)
    assert set(document) == {"version", "chapters"}
    assert document["version"] == "1.2.0"
    starts = []
    for chapter in document["chapters"]:
        assert set(chapter) <= {"startTime", "title", "url", "img"}
        assert type(chapter["startTime"]) in (int, float)
        assert isinstance(chapter["title"], str)
        assert chapter["title"]
        if "url" in chapter:
            assert chapter["url"].startswith("https://")
        starts.append(chapter["startTime"])
    assert starts == sorted(set(starts))  # ascending, as the spec assumes
    return list(document["chapters"])


def _written(report: BuildReport) -> Path:
    return write_report(report).parent


# --- chapters -------------------------------------------------------------------------------


def test_fromnotes_seed_with_topic_list_gets_chapters(site: Site) -> None:
    """The seed as exported, with times added to its "We also talk about" list (a fixture)."""
    text = (DATA / "seed-chapters.md").read_text(encoding="utf-8")
    audio = site.audio("sine-3s-cbr.mp3", "default_tc.mp3")
    text = "\n".join(f"audio: {audio}" if s.startswith("audio:") else s for s in text.splitlines())
    site.episode("platform-engineering", text)
    report = build(site.config, now=NOW, use_cache=False)
    assert report.warnings == []
    folder = _written(report)
    chapters = _json_chapters((folder / "chapters" / "platform-engineering.json").read_bytes())
    assert [(c["startTime"], c["title"]) for c in chapters] == [
        (0, "Intro"),
        (135, "what is platform engineering"),
        (517, "the difference between platform engineering and DevOps"),
        (842, "what developer productivity has to do with platform engineering"),
        (1300, "why self-service for developers is so important"),
    ]
    assert (
        chapters[-1]["url"] == "https://platformengineering.org/blog/what-is-platform-engineering"
    )
    item = _item(report.feed, "From DevOps to Platform engineering")
    (tag,) = item.xpath("podcast:chapters", namespaces=NS)
    assert tag.get("url") == "https://example.org/chapters/platform-engineering.json"
    assert tag.get("type") == "application/json+chapters"
    # both parsers read the Simple Chapters in the item
    parse_both(report.feed)
    (episode,) = podcastparser.parse("https://example.org/feed.xml", io.BytesIO(report.feed))[
        "episodes"
    ]
    assert [(c["start"], c["title"]) for c in episode["chapters"]] == [
        (c["startTime"], c["title"]) for c in chapters
    ]
    (entry,) = feedparser.parse(report.feed).entries
    assert [c["start"] for c in entry.psc_chapters["chapters"]] == [
        "00:00:00",
        "00:02:15",
        "00:08:37",
        "00:14:02",
        "00:21:40",
    ]
    # the seed's empty "Read the whole episode … (Transcript)" publishes nothing
    assert not item.xpath("podcast:transcript", namespaces=NS)
    assert "(Transcript)" not in report.feed.decode()
    # and the show page lists the chapters, each seeking the player
    page = lxml.html.fromstring((folder / "index.html").read_bytes())
    seeks = page.xpath("//ol[@class='chapters']/li/a[@data-seek]")
    assert [a.get("data-seek") for a in seeks] == ["0", "135", "517", "842", "1300"]


def test_fromnotes_chapters_forms_titles_and_links(site: Site) -> None:
    _episode(site, TOPICS)
    report = build(site.config, now=NOW, use_cache=False)
    chapters = _json_chapters((_written(report) / "chapters" / "ep.json").read_bytes())
    assert chapters == [
        {"startTime": 0, "title": "Intro"},
        {"startTime": 517, "title": "What is platform engineering"},
        {
            "startTime": 3723,
            "title": "Self-service for developers",
            "url": "https://example.org/self-service",
        },
        {"startTime": 3910, "title": "Outro"},
    ]
    psc = _item(report.feed).xpath("psc:chapters/psc:chapter", namespaces=NS)
    assert [(c.get("start"), c.get("title")) for c in psc] == [
        ("00:00:00", "Intro"),
        ("00:08:37", "What is platform engineering"),
        ("01:02:03", "Self-service for developers"),
        ("01:05:10", "Outro"),
    ]
    assert psc[2].get("href") == "https://example.org/self-service"
    # the notes stay notes: the topic list is in the description and content:encoded
    assert "08:37" in _item(report.feed).findtext("content:encoded", namespaces=NS)


def test_fromnotes_lines_of_a_paragraph_and_a_wrapped_title(site: Site) -> None:
    body = "Topics\n00:00 Welcome\n02:30 A long topic that\nwraps onto the next line\n"
    _episode(site, body)
    report = build(site.config, now=NOW, use_cache=False)
    psc = _item(report.feed).xpath("psc:chapters/psc:chapter/@title", namespaces=NS)
    assert psc == ["Welcome", "A long topic that wraps onto the next line"]


def test_fromnotes_hours_and_minutes_past_59() -> None:
    assert seconds("1:02:03") == seconds("62:03") == 3723
    assert seconds("100:00:00") == 360000  # hours past 99 are read; the duration rules on them
    assert seconds("1:60:00") is None  # minutes past 59 only without hours
    assert seconds("10:60") is None
    assert lead_stamp("08:37.5 - Intro") == ("08:37.5", "Intro")
    for not_a_time in ("10:30am meeting", "[08:37) Intro", "1:1 meetings", "At 10:30 we met"):
        assert lead_stamp(not_a_time) is None, not_a_time


def test_fromnotes_62_03_and_1_02_03_are_the_same_chapter(site: Site) -> None:
    _episode(site, "- 0:00 Start\n- 62:03 Later\n", name="minutes")
    _episode(site, "- 0:00 Start\n- 1:02:03 Later\n", name="hours")
    feed = build(site.config, now=NOW, use_cache=False).feed
    for name in ("minutes", "hours"):
        starts = _item(feed, name).xpath("psc:chapters/psc:chapter/@start", namespaces=NS)
        assert starts == ["00:00:00", "01:02:03"]


def _warnings(report: BuildReport) -> list[str]:
    return [str(p) for p in report.warnings]


def test_fromnotes_out_of_order_warns_at_its_line(site: Site) -> None:
    _episode(site, "- 00:00 Intro\n- 10:00 Ten\n- 08:37 Back\n")  # body starts at line 8
    report = build(site.config, now=NOW, use_cache=False)
    assert _warnings(report) == [
        "episodes/ep.md:10: warning: the show notes' times are not in playing order "
        "(08:37 after 10:00): no chapters made from them\n"
        "  hint: set chapters: false in the front matter to keep the notes' times from being "
        "chapters"
    ]
    item = _item(report.feed)
    assert not item.xpath("podcast:chapters|psc:chapters", namespaces=NS)
    assert not (_written(report) / "chapters").exists()


def test_fromnotes_line_after_repaired_mojibake(site: Site) -> None:
    """The repair shortens the text ("â€™" -> "’"); the line is still the file's."""
    garbled = "A\n\n" + "Lucaâ€™s " * 4 + "list:\n\n"
    _episode(site, garbled + "- 00:00 Intro\n- 10:00 Ten\n- 08:37 Back\n")
    report = build(site.config, now=NOW, use_cache=False)
    (warning,) = _warnings(report)
    assert warning.startswith("episodes/ep.md:14: warning: the show notes' times are not in")


def test_fromnotes_first_far_from_the_start_warns(site: Site) -> None:
    _episode(site, "Intro music.\n\n- 12:00 First topic\n- 20:00 Second topic\n")
    report = build(site.config, now=NOW, use_cache=False)
    (warning,) = _warnings(report)
    assert warning.startswith("episodes/ep.md:10: warning: the show notes' first time is 12:00")
    assert not _item(report.feed).xpath("psc:chapters", namespaces=NS)


def test_fromnotes_first_within_a_few_seconds_is_kept(site: Site) -> None:
    _episode(site, "- 00:05 Cold open\n- 01:00 Topic\n")
    report = build(site.config, now=NOW, use_cache=False)
    assert report.warnings == []
    assert _item(report.feed).xpath("psc:chapters/psc:chapter/@start", namespaces=NS) == [
        "00:00:05",
        "00:01:00",
    ]


@pytest.mark.parametrize(("stamp", "shown"), [("00:04", "00:00:04"), ("100:00:00", "100:00:00")])
def test_fromnotes_beyond_the_measured_duration_warns(site: Site, stamp: str, shown: str) -> None:
    """Measured: the 3 s test tone, no duration in the front matter; hours past 99 too."""
    _episode(site, f"- 00:00 Start\n- 00:01 Middle\n- {stamp} After the end\n", duration=None)
    report = build(site.config, now=NOW, use_cache=False)
    assert _warnings(report) == [
        f"episodes/ep.md:9: warning: the show notes' time {shown} lies past the end of the "
        "episode (3 s): no chapters made from them\n"
        "  hint: set chapters: false in the front matter to keep the notes' times from being "
        "chapters"
    ]
    item = _item(report.feed)
    assert not item.xpath("podcast:chapters|psc:chapters", namespaces=NS)
    assert not (_written(report) / "chapters").exists()


def test_fromnotes_inside_the_measured_duration_is_kept(site: Site) -> None:
    _episode(site, "- 00:00 Start\n- 00:02 Middle\n", duration=None)
    report = build(site.config, now=NOW, use_cache=False)
    assert report.warnings == []
    assert len(_item(report.feed).xpath("psc:chapters/psc:chapter", namespaces=NS)) == 2


def test_fromnotes_a_time_in_a_sentence_or_one_stray_time_is_no_chapter(site: Site) -> None:
    _episode(site, "We met at 10:30 and talked until 11:45.\n\n- 00:00 The only topic\n")
    report = build(site.config, now=NOW, use_cache=False)
    assert report.warnings == []  # not a list at all: nothing to warn about
    assert not _item(report.feed).xpath("psc:chapters|podcast:chapters", namespaces=NS)


def test_fromnotes_code_blocks_are_no_chapters(site: Site) -> None:
    body = (
        "```\n00:00 in a fence\n00:10 still code\n```\n\n"
        "    00:00 indented code\n    00:20 more\n\n"
        "`00:00` inline code at the start\n\n`00:30` another\n"
    )
    _episode(site, body)
    report = build(site.config, now=NOW, use_cache=False)
    assert report.warnings == []
    assert not _item(report.feed).xpath("psc:chapters", namespaces=NS)


def test_fromnotes_hostile_html_in_titles(site: Site) -> None:
    body = (
        "- 00:00 <script>alert(1)</script>Intro <img src=x onerror=alert(1)>\n"
        '- 01:00 <a href="javascript:alert(1)">Evil</a> &amp; <b onclick="x()">bold</b>\n'
        '- 02:00 "quoted" <\\/psc:chapter> & ]]> end\n'
    )
    _episode(site, body)
    report = build(site.config, now=NOW, use_cache=False)
    folder = _written(report)
    chapters = _json_chapters((folder / "chapters" / "ep.json").read_bytes())
    assert [c["title"] for c in chapters] == [
        "Intro",
        "Evil & bold",
        '"quoted" </psc:chapter> & ]]> end',
    ]
    assert all("url" not in c for c in chapters)  # the javascript: link is no link
    titles = _item(report.feed).xpath("psc:chapters/psc:chapter/@title", namespaces=NS)
    assert titles == [c["title"] for c in chapters]
    page = (folder / "episodes" / "ep" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page
    assert "onerror" not in page
    assert "javascript:" not in page
    assert "&lt;/psc:chapter&gt;" in page


def test_fromnotes_turned_off_or_own_chapters_win(site: Site) -> None:
    _episode(site, TOPICS, name="turned-off", extra="chapters: false\n")
    inline = "chapters:\n  - {start: 0, title: Mine}\n  - {start: 60, title: Also mine}\n"
    _episode(site, TOPICS, name="own", extra=inline)
    _episode(site, TOPICS, name="sibling")
    (site.episodes / "sibling.chapters.json").write_text(
        '{"version": "1.2.0", "chapters": [{"startTime": 0, "title": "From the file"}]}',
        encoding="utf-8",
    )
    report = build(site.config, now=NOW, use_cache=False)
    assert report.warnings == []
    assert not _item(report.feed, "turned-off").xpath(
        "podcast:chapters|psc:chapters", namespaces=NS
    )
    own = _item(report.feed, "own").xpath("psc:chapters/psc:chapter/@title", namespaces=NS)
    assert own == ["Mine", "Also mine"]
    sibling = _item(report.feed, "sibling")
    assert not sibling.xpath("psc:chapters", namespaces=NS)
    folder = _written(report)
    assert b"From the file" in (folder / "chapters" / "sibling.json").read_bytes()

    site.show("[build]\nderive_chapters = false\n")
    report = build(site.config, now=NOW, use_cache=True)  # a changed setting is not cached
    assert not _item(report.feed, "own").xpath("psc:chapters/psc:chapter[3]", namespaces=NS)
    assert report.feed.count(b"<psc:chapters") == 1  # the front matter's only


# --- transcript -----------------------------------------------------------------------------

TRANSCRIPT = """\
A conversation about builds.

## Transcript

**Kevin:** We have an update planned
for the artwork.

**Alban**: You're triggering Tom right now.

[00:01:02] Tom: Hey, here's a cool feature. <em>Really</em>.

**Kevin (1:10):** And <a href="https://example.org/x">a link</a>.

And more from Kevin, with 10:00 in a sentence.
"""


def test_fromnotes_transcript_section_becomes_an_html_transcript(site: Site) -> None:
    _episode(site, "- 00:00 Builds\n- 00:05 Caches\n\n" + TRANSCRIPT)
    report = build(site.config, now=NOW, use_cache=False)
    item = _item(report.feed)
    (tag,) = item.xpath("podcast:transcript", namespaces=NS)
    assert tag.get("url") == "https://example.org/transcripts/ep.html"
    assert tag.get("type") == "text/html"
    (entry,) = feedparser.parse(report.feed).entries
    assert entry.podcast_transcript["url"] == "https://example.org/transcripts/ep.html"
    html = (_written(report) / "transcripts" / "ep.html").read_text(encoding="utf-8")
    assert html == (
        '<meta charset="utf-8">\n'
        "<cite>Kevin:</cite>\n<p>We have an update planned for the artwork.</p>\n"
        "<cite>Alban:</cite>\n<p>You're triggering Tom right now.</p>\n"
        "<cite>Tom:</cite>\n<time>00:01:02</time>\n"
        "<p>Hey, here's a cool feature. <em>Really</em>.</p>\n"
        "<cite>Kevin:</cite>\n<time>1:10</time>\n"
        '<p>And <a href="https://example.org/x">a link</a>.</p>\n'
        "<p>And more from Kevin, with 10:00 in a sentence.</p>\n"
    )
    doc = lxml.html.fromstring(html)
    assert [c.text for c in doc.iter("cite")] == ["Kevin:", "Alban:", "Tom:", "Kevin:"]
    # left out of the notes and the description; the topics after it are still chapters
    notes = item.findtext("content:encoded", namespaces=NS)
    assert "Transcript" not in notes
    assert "Alban" not in notes
    assert "Alban" not in item.findtext("description")
    assert "00:05 Caches" in notes
    assert item.xpath("psc:chapters/psc:chapter/@title", namespaces=NS) == ["Builds", "Caches"]


# The namespace's own example (docs/examples/transcripts/transcripts.md, "HTML"), line breaks
# inside <p> joined.
SPEC_HTML = """\
<cite>Kevin:</cite>
<time>0:00</time>
<p>We have an update planned where we would like to give the ability to upload an artwork file for these videos</p>
<cite>Alban:</cite>
<time>0:09</time>
<p>You're triggering Tom right now with a hey, here's a cool feature.</p>
"""  # noqa: E501


def test_fromnotes_transcript_as_the_namespace_example(site: Site) -> None:
    body = (
        "Notes.\n\n## Transcript\n\n"
        "[0:00] **Kevin:** We have an update planned where we would like to give the ability to\n"
        "upload an artwork file for these videos\n\n"
        "[0:09] **Alban:** You're triggering Tom right now with a hey, here's a cool feature.\n"
    )
    _episode(site, body)
    report = build(site.config, now=NOW, use_cache=False)
    html = (_written(report) / "transcripts" / "ep.html").read_text(encoding="utf-8")

    def tags(markup: str) -> list[tuple[str, str]]:
        doc = lxml.html.fragment_fromstring(markup, create_parent="div")
        return [(el.tag, el.text_content()) for el in doc if el.tag != "meta"]

    assert tags(html) == tags(SPEC_HTML)


def test_fromnotes_html_notes_with_br_lines_and_links(site: Site) -> None:
    """WordPress' way: lines in one block, split by <br/>, a title linked."""
    body = (
        "<div><b>In this episode:</b><br/>\n"
        "00:00 Welcome<br/>\n"
        '<strong>03:10</strong> <a href="/guide">Our guide</a> to reviews<br/>\n'
        '<a href="https://player.example/?t=400">06:40</a> Wrap-up</div>\n'
    )
    _episode(site, body)
    report = build(site.config, now=NOW, use_cache=False)
    psc = _item(report.feed).xpath("psc:chapters/psc:chapter", namespaces=NS)
    assert [(c.get("start"), c.get("title"), c.get("href")) for c in psc] == [
        ("00:00:00", "Welcome", None),
        ("00:03:10", "Our guide to reviews", "https://example.org/guide"),
        ("00:06:40", "Wrap-up", None),  # a link on the time seeks a player
    ]


def test_fromnotes_transcript_times_are_not_chapters(site: Site) -> None:
    body = "Notes.\n\n## Transcript\n\n[00:00] Kevin: Hello.\n\n[00:04] Alban: Hi.\n"
    _episode(site, body)
    report = build(site.config, now=NOW, use_cache=False)
    assert not _item(report.feed).xpath("psc:chapters", namespaces=NS)
    assert report.warnings == []


def test_fromnotes_transcript_section_ends_at_the_next_heading(site: Site) -> None:
    body = "# Notes\n\n## Full transcript:\n\nKevin: Hi.\n\n### A part\n\nAlban: Yo.\n"
    body += "\n## Links\n\nL\n"
    _episode(site, body)
    report = build(site.config, now=NOW, use_cache=False)
    html = (_written(report) / "transcripts" / "ep.html").read_text(encoding="utf-8")
    assert "Alban" in html
    assert "A part" in html
    assert "Links" not in html
    notes = _item(report.feed).findtext("content:encoded", namespaces=NS)
    assert notes == "<h1>Notes</h1>\n<h2>Links</h2>\n<p>L</p>"


def test_fromnotes_transcript_file_wins_and_the_section_stays(site: Site) -> None:
    _episode(site, TRANSCRIPT)
    (site.episodes / "ep.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n")
    report = build(site.config, now=NOW, use_cache=False)
    tags = _item(report.feed).xpath("podcast:transcript/@type", namespaces=NS)
    assert tags == ["text/vtt"]
    notes = _item(report.feed).findtext("content:encoded", namespaces=NS)
    assert "<h2>Transcript</h2>" in notes
    assert "Alban" in notes


def test_fromnotes_empty_transcript_section_is_dropped(site: Site) -> None:
    site.show("[build]\nclean_notes = false\n")
    _episode(site, 'Notes.\n\n## Read the whole episode "ep" (Transcript)\n')
    report = build(site.config, now=NOW, use_cache=False)
    item = _item(report.feed)
    assert not item.xpath("podcast:transcript", namespaces=NS)
    assert item.findtext("content:encoded", namespaces=NS) == "<p>Notes.</p>"
    assert not (_written(report) / "transcripts").exists()


@pytest.mark.parametrize(
    "pointer",
    ["[Read it here](https://example.org/t.html)", "Read it [here](https://example.org/t.html)."],
)
def test_fromnotes_transcript_section_that_points_elsewhere_stays_notes(
    site: Site, pointer: str
) -> None:
    _episode(site, f"Notes.\n\n## Transcript\n\n{pointer}\n")
    report = build(site.config, now=NOW, use_cache=False)
    item = _item(report.feed)
    assert not item.xpath("podcast:transcript", namespaces=NS)
    notes = item.findtext("content:encoded", namespaces=NS)
    assert "<h2>Transcript</h2>" in notes
    assert 'href="https://example.org/t.html"' in notes


def test_fromnotes_short_transcript_with_a_speaker_and_a_link(site: Site) -> None:
    _episode(site, "## Transcript\n\nKevin: See [the docs](https://example.org/d).\n")
    report = build(site.config, now=NOW, use_cache=False)
    assert _item(report.feed).xpath("podcast:transcript/@type", namespaces=NS) == ["text/html"]


def test_fromnotes_transcript_headings_configurable(site: Site) -> None:
    site.show('[build]\ntranscript_headings = ["What was said"]\n')
    _episode(site, "Notes.\n\n## WHAT WAS SAID\n\nKevin: Hi.\n\n## Transcript\n\nAlban: Yo.\n")
    report = build(site.config, now=NOW, use_cache=False)
    html = (_written(report) / "transcripts" / "ep.html").read_text(encoding="utf-8")
    assert "Kevin" in html
    assert "Alban" not in html
    site.show("[build]\ntranscript_headings = []\n")
    report = build(site.config, now=NOW)
    assert not _item(report.feed).xpath("podcast:transcript", namespaces=NS)
    assert "WHAT WAS SAID" in _item(report.feed).findtext("content:encoded", namespaces=NS)


def test_fromnotes_hostile_transcript(site: Site) -> None:
    body = (
        "## Transcript\n\n**<img src=x onerror=alert(1)>Eve:** <script>alert(1)</script>hi\n\n"
        '<p onclick="x()">Mallory: <a href="javascript:alert(1)">click</a> <iframe></iframe></p>\n'
    )
    _episode(site, body)
    report = build(site.config, now=NOW, use_cache=False)
    html = (_written(report) / "transcripts" / "ep.html").read_text(encoding="utf-8")
    for bad in ("<script", "onerror", "onclick", "javascript:", "<iframe", "<img"):
        assert bad not in html
    assert "<cite>Mallory:</cite>" in html


def test_fromnotes_speaker_lines() -> None:
    assert turn("<strong>Kevin:</strong> Hi") == ("Kevin", None, "Hi")
    assert turn("<b>Kevin</b>: Hi") == ("Kevin", None, "Hi")
    assert turn("Ada Lovelace: Hi") == ("Ada Lovelace", None, "Hi")
    assert turn("(0:53) Sarah: Hi") == ("Sarah", "0:53", "Hi")
    assert turn("Sarah [00:53]: Hi") == ("Sarah", "00:53", "Hi")
    assert turn("<strong>Ünal (1:02:03):</strong> Hi") == ("Ünal", "1:02:03", "Hi")
    for plain in ("we said: yes", "This is a long sentence, really: no", "http://x.org: no"):
        assert turn(plain).speaker is None, plain
    assert matches('Read the whole episode "From DevOps" (Transcript)', ("* (Transcript)",))
    assert matches("transcript:", ("Transcript",))
    assert not matches("Transcripts of other shows", ("Transcript",))


# --- settings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("derive_chapters = 1", "'derive_chapters' must be bool (got 1)"),
        ('transcript_headings = "Transcript"', "'transcript_headings' must be a list of heading"),
        ('transcript_headings = [""]', "'transcript_headings' must be a list of heading texts"),
    ],
)
def test_fromnotes_settings_are_checked(site: Site, setting: str, message: str) -> None:
    site.show(f"[build]\n{setting}\n")
    _episode(site, TOPICS)
    with pytest.raises(BuildFailed) as failed:
        build(site.config, now=NOW, use_cache=False)
    (problem,) = failed.value.problems
    line = len(site.config.read_text().splitlines())
    assert str(problem).startswith(f"{site.config}:{line}: error: [build] {message}")


def test_fromnotes_deterministic_through_the_cache(site: Site) -> None:
    _episode(site, "- 00:00 Builds\n- 00:05 Caches\n\n" + TRANSCRIPT)
    first = build(site.config, now=NOW).feed
    assert build(site.config, now=NOW).feed == first  # from the cache
    assert build(site.config, now=NOW, use_cache=False).feed == first


# --- any notes ------------------------------------------------------------------------------

PIECES = [
    "00:00",
    "08:37",
    "[08:37]",
    "(1:02:03)",
    "62:03",
    "100:00:00",
    "9:99",
    " - ",
    " – ",
    ": ",
    "**Kevin:**",
    "Kevin:",
    "<b>Al</b>:",
    "## Transcript",
    "### Part",
    "# Top",
    "\n",
    "\n\n",
    "<br/>",
    '<a href="https://example.org/x">',
    "</a>",
    "`",
    "```\n",
    "<b>",
    "</b>",
    "- ",
    "1. ",
    "> ",
    "text",
    " ",
    "<li>",
    "<ul>",
    "</ul>",
    "&amp;",
    "<pre>",
    "</pre>",
    "Ünal",
]


@settings(max_examples=150, deadline=None)
@given(body=st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_fromnotes_any_notes_give_ordered_chapters_and_a_wellformed_transcript(body: str) -> None:
    notes = render_notes(body, base_url="https://example.org/ep/")
    section = find_section(notes, DEFAULT_HEADINGS)
    if section is not None:
        assert section.start < section.content <= section.end <= len(notes)
        html = transcript_html(notes[section.content : section.end])
        if html:
            assert html.startswith(HEAD)
            etree.fromstring("<t>" + html.removeprefix(HEAD) + "</t>")  # well-formed
    chapters, why = chapters_from(topics(notes), body, 7)
    starts = [c.start for c in chapters]
    assert starts == sorted(set(starts))
    assert not chapters or (starts[0] <= 5 and len(chapters) >= 2 and why is None)
    assert all(c.title.strip() for c in chapters)
