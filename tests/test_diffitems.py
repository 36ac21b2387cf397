"""`podcastfeed diff`'s item equivalences that look at more than one value (issue 15,
feeds/diffitems.py): what an item inherits from its channel, the notes and their copies, the
MIME aliases import normalizes, the episode number in either namespace. Each is no change, and
`--exact` still shows it; a real change next to it still shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from podcastfeed.cli import app

runner = CliRunner()

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
  xmlns:podcast="https://podcastindex.org/namespace/1.0"
  xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Show</title>
  <link>https://example.org/</link>
  <description>About the show.</description>
  <itunes:author>Ann Example</itunes:author>
  <itunes:explicit>false</itunes:explicit>
  <item>
    <title>One</title>
    {guid}
    <pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate>
    <enclosure url="https://cdn.example.org/ep1.mp3" length="1000" type="{mime}"/>
    {item}
  </item>
</channel>
</rss>
"""
NOTES = '<p>We find <a href="https://e.org/x">the answer</a>.</p>'
BRIEF = 'We find <a href="https://e.org/x">the answer</a>.'  # the build's description


def feed(item: str = "", mime: str = "audio/mpeg", guid: str = "<guid>ep-1</guid>") -> str:
    return FEED.format(item=item, mime=mime, guid=guid)


def cdata(text: str) -> str:
    return f"<![CDATA[{text}]]>"


#: (old, new, the field `--exact` names).
EQUIVALENT = {
    "item explicit absent: the channel's": (
        feed(),
        feed("<itunes:explicit>no</itunes:explicit>"),
        "itunes:explicit",
    ),
    "item author absent: the channel's": (
        feed("<itunes:author>Ann Example</itunes:author>"),
        feed(),
        "itunes:author",
    ),
    "notes in description only, and as content:encoded": (
        feed(f"<description>{cdata(NOTES)}</description>"),
        feed(
            f"<description>{cdata(NOTES)}</description>"
            f"<content:encoded>{cdata(NOTES)}</content:encoded>"
        ),
        "content:encoded",
    ),
    "description beside the notes: its words and links": (
        feed(
            f"<description>{cdata(NOTES)}</description><content:encoded>{cdata(NOTES)}</content:encoded>"
        ),
        feed(
            f"<description>{cdata(BRIEF)}</description>"
            f"<content:encoded>{cdata(NOTES)}</content:encoded>"
        ),
        "description",
    ),
    "plain-text notes and the same in <p>": (
        feed("<description>Just text.</description>"),
        feed(f"<description>Just text.</description><content:encoded>{cdata('<p>Just text.</p>')}"),
        "content:encoded",
    ),
    "itunes:summary repeating the notes' words": (
        feed(
            f"<description>{cdata(NOTES)}</description>"
            "<itunes:summary>We find the answer.</itunes:summary>"
        ),
        feed(f"<description>{cdata(NOTES)}</description>"),
        "itunes:summary",
    ),
    "enclosure type audio/mp3": (feed(mime="audio/mp3"), feed(), "enclosure type"),
    "transcript type application/srt": (
        feed('<podcast:transcript url="https://e.org/t.srt" type="application/srt"/>'),
        feed('<podcast:transcript url="https://e.org/t.srt" type="application/x-subrip"/>'),
        "podcast:transcript type",
    ),
    "chapters type application/json": (
        feed('<podcast:chapters url="https://e.org/c.json" type="application/json"/>'),
        feed('<podcast:chapters url="https://e.org/c.json" type="application/json+chapters"/>'),
        "podcast:chapters type",
    ),
    "no guid: the enclosure URL": (
        feed(guid=""),
        feed(guid='<guid isPermaLink="false">https://cdn.example.org/ep1.mp3</guid>'),
        "guid",
    ),
    "a guid that is no URL: no permalink": (
        feed(),
        feed(guid='<guid isPermaLink="false">ep-1</guid>'),
        "guid isPermaLink",
    ),
    "podcast:episode whole, no display, and itunes:episode": (
        feed("<podcast:episode>12</podcast:episode>"),
        feed("<itunes:episode>12</itunes:episode>"),
        "itunes:episode",
    ),
    "podcast:season without a name, and itunes:season": (
        feed("<podcast:season>2</podcast:season>"),
        feed("<itunes:season>2</itunes:season>"),
        "itunes:season",
    ),
}


def files(tmp_path: Path, old: str, new: str) -> tuple[str, str]:
    (tmp_path / "old.xml").write_text(old, encoding="utf-8")
    (tmp_path / "new.xml").write_text(new, encoding="utf-8")
    return str(tmp_path / "old.xml"), str(tmp_path / "new.xml")


@pytest.mark.parametrize(("old", "new", "field"), EQUIVALENT.values(), ids=list(EQUIVALENT))
def test_diff_item_equivalence_is_no_change_but_exact_shows_it(
    tmp_path: Path, old: str, new: str, field: str
) -> None:
    a, b = files(tmp_path, old, new)
    result = runner.invoke(app, ["diff", a, b])
    assert (result.exit_code, result.stdout) == (0, ""), result.stdout
    exact = runner.invoke(app, ["diff", "--exact", a, b])
    assert exact.exit_code == 1
    assert f" {field}: " in exact.stdout or f" {field} " in exact.stdout, exact.stdout


def test_diff_channel_fields_about_the_file_are_no_change_but_exact_shows_them(
    tmp_path: Path,
) -> None:
    about = (
        "<generator>podcastfeed</generator><docs>http://www.rssboard.org/rss-specification</docs>"
        "<lastBuildDate>Tue, 02 Jan 2024 10:00:00 +0000</lastBuildDate>"
    )
    old = feed().replace("<itunes:author>", "<generator>Host 1.0</generator><itunes:author>")
    new = feed().replace("<itunes:author>", about + "<itunes:author>")
    a, b = files(tmp_path, old, new)
    result = runner.invoke(app, ["diff", a, b])
    assert (result.exit_code, result.stdout) == (0, ""), result.stdout
    exact = runner.invoke(app, ["diff", "--exact", a, b]).stdout.splitlines()
    assert [line.split(":")[0] for line in exact] == [
        "~ channel generator",
        "~ channel docs",
        "~ channel lastBuildDate",
    ]
    changed = runner.invoke(app, ["diff", a, files(tmp_path, old, new.replace("Show", "Shop"))[1]])
    assert changed.stdout == "~ channel title: 'Show' → 'Shop'\n"


#: (old, new, the line that must be shown): next to an equivalence, a real change.
DIFFERENT = {
    "item explicit other than the channel's": (
        feed(),
        feed("<itunes:explicit>yes</itunes:explicit>"),
        "    itunes:explicit: added 'yes'",
    ),
    "item author other than the channel's, dropped": (
        feed("<itunes:author>Bob</itunes:author>"),
        feed(),
        "    itunes:author: removed (was 'Bob')",
    ),
    "notes edited": (
        feed(f"<description>{cdata(NOTES)}</description>"),
        feed(f"<content:encoded>{cdata(NOTES.replace('answer', 'question'))}</content:encoded>"),
        "    content:encoded: added",
    ),
    "a link in the description changed": (
        feed(
            f"<description>{cdata(NOTES)}</description><content:encoded>{cdata(NOTES)}</content:encoded>"
        ),
        feed(
            f"<description>{cdata(NOTES.replace('/x', '/y'))}</description>"
            f"<content:encoded>{cdata(NOTES)}</content:encoded>"
        ),
        "    description: ",
    ),
    "markup in notes beyond paragraphs": (
        feed("<description>Just text.</description>"),
        feed(f"<content:encoded>{cdata('<p><b>Just</b> text.</p>')}</content:encoded>"),
        "    content:encoded: added",
    ),
    "itunes:summary other than the notes": (
        feed(f"<description>{cdata(NOTES)}</description><itunes:summary>Other.</itunes:summary>"),
        feed(f"<description>{cdata(NOTES)}</description>"),
        "    itunes:summary: removed (was 'Other.')",
    ),
    "a guid that is a URL: a permalink unless it says not": (
        feed(guid="<guid>https://e.org/1</guid>"),
        feed(guid='<guid isPermaLink="false">https://e.org/1</guid>'),
        "    guid isPermaLink: added 'false'",
    ),
    "enclosure type audio/mp4 is no alias": (
        feed(mime="audio/mp4"),
        feed(),
        "    enclosure type: 'audio/mp4' → 'audio/mpeg'",
    ),
    "podcast:episode with a display": (
        feed('<podcast:episode display="Ch. 1">12</podcast:episode>'),
        feed("<itunes:episode>12</itunes:episode>"),
        "    podcast:episode",
    ),
    "podcast:episode and itunes:episode disagree": (
        feed("<podcast:episode>12</podcast:episode>"),
        feed("<itunes:episode>13</itunes:episode>"),
        "    itunes:episode: added '13'",
    ),
}


@pytest.mark.parametrize(("old", "new", "line"), DIFFERENT.values(), ids=list(DIFFERENT))
def test_diff_item_real_change_beside_an_equivalence_is_shown(
    tmp_path: Path, old: str, new: str, line: str
) -> None:
    result = runner.invoke(app, ["diff", *files(tmp_path, old, new)])
    assert result.exit_code == 1, result.stdout
    assert any(shown.startswith(line) for shown in result.stdout.splitlines()), result.stdout
