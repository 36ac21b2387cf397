"""An excerpt (description, summary, subtitle) that is plain text is not read as Markdown
(issue 15's review): underscores, asterisks and backticks in a WordPress excerpt or an
imported itunes:summary reach the feed as written; Markdown is read when it is meant."""

from __future__ import annotations

import feedparser
import pytest
from conftest import Site

from podcastfeed.source.excerpts import is_markdown
from podcastfeed.source.shownotes import make_description


@pytest.mark.parametrize(
    "excerpt",
    [
        "my_file_name and _underscored_ words",
        "Use *this* flag, `--force`, and Python's __init__.",
        "5 * 3 * 2 = 30, a_b_c",
        "2023. A year of platform teams.",
    ],
)
def test_plain_excerpt_is_kept_as_written(excerpt: str) -> None:
    assert not is_markdown(excerpt)
    assert make_description("<p>notes</p>", summary=excerpt) == excerpt


@pytest.mark.parametrize(
    ("excerpt", "description"),
    [
        (
            "Luca on *why* [it](https://x.example).",
            'Luca on <em>why</em> <a href="https://x.example">it</a>.',
        ),
        ("**Big** _news_", "<strong>Big</strong> <em>news</em>"),
        ("Topics:\n\n- one\n- _two_", "<p>Topics:</p><ul><li>one</li><li><em>two</em></li></ul>"),
        ("# Title\nText", "Title<p>Text</p>"),
    ],
)
def test_markdown_excerpt_is_rendered(excerpt: str, description: str) -> None:
    assert is_markdown(excerpt)
    assert make_description("<p>notes</p>", summary=excerpt) == description


def test_plain_excerpt_keeps_its_paragraphs_entities_and_html() -> None:
    said = make_description("<p>n</p>", summary="Luca&#8217;s <b>two</b> _x_ & a < b")
    assert said == "Luca’s <b>two</b> _x_ &amp; a &lt; b"
    assert make_description("<p>n</p>", summary="One _a_.\n\nTwo.") == "<p>One _a_.</p><p>Two.</p>"


def test_build_keeps_a_plain_excerpt_and_renders_a_markdown_one(site: Site) -> None:
    site.episode(
        "plain",
        f"---\ntitle: Plain\ndate: 2024-01-02\naudio: {site.audio('sine-3s-cbr.mp3', 'a.mp3')}\n"
        "excerpt: 'my_file_name and _underscored_ words, *starred* and `ticked`'\n---\nNotes.\n",
    )
    site.episode(
        "marked",
        f"---\ntitle: Marked\ndate: 2024-01-01\naudio: {site.audio('sine-3s-cbr.mp3', 'b.mp3')}\n"
        "description: 'Luca on *why* [it](https://x.example/) matters'\n---\nNotes.\n",
    )
    result = site.build_cli()
    assert result.exit_code == 0, result.stderr
    parsed = feedparser.parse((site.root / "public" / "feed.xml").read_bytes())
    summaries = {entry.title: entry.summary for entry in parsed.entries}
    assert summaries["Plain"] == "my_file_name and _underscored_ words, *starred* and `ticked`"
    assert summaries["Marked"] == 'Luca on <em>why</em> <a href="https://x.example/">it</a> matters'
