"""Show notes cleaned for apps and mojibake repaired (issue 14): source/cleanup.py."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import Site
from typer.testing import CliRunner

from podcastfeed.build import build
from podcastfeed.cli import app
from podcastfeed.source.cleanup import first_paragraph, repair_text
from podcastfeed.source.shownotes import render_notes

DATA = Path(__file__).parent / "data"
NOW = datetime(2024, 6, 1, tzinfo=UTC)
BASE = "https://example.org/ep"


def clean(body: str) -> str:
    return render_notes(body, base_url=BASE, clean=True)


@pytest.mark.parametrize(
    ("src", "link"),
    [
        ("https://www.youtube-nocookie.com/embed/UaGf7HF-unc", "https://www.youtube.com/watch?v=UaGf7HF-unc"),
        ("https://www.youtube.com/embed/abc_DEF-123?rel=0", "https://www.youtube.com/watch?v=abc_DEF-123"),
        ("//player.vimeo.com/video/76979871", "https://vimeo.com/76979871"),
        ("https://open.spotify.com/embed/episode/7makk4oTQel546B0PZlDM5", "https://open.spotify.com/episode/7makk4oTQel546B0PZlDM5"),
        ("https://w.soundcloud.com/player/?url=https%3A//soundcloud.com/a/b&amp;color=ff5500", "https://soundcloud.com/a/b"),
        ("https://embed.example.net/x?id=1&amp;y=2", "https://embed.example.net/x?id=1&amp;y=2"),
    ],
)  # fmt: skip
def test_cleanup_iframe_becomes_a_link_to_its_page(src: str, link: str) -> None:
    out = clean(f'<div><iframe src="{src}" allowfullscreen></iframe></div>')
    assert "iframe" not in out
    assert re.fullmatch(rf'<p><a href="{re.escape(link)}">[A-Z][\w ]+</a></p>', out), out


def test_cleanup_iframe_labels() -> None:
    assert ">Watch on YouTube<" in clean('<iframe src="https://youtu.be/x1y2z3a4"></iframe>')
    assert ">Embedded content<" in clean('<iframe src="https://a.example/p"></iframe>')


@pytest.mark.parametrize(
    "src", ["javascript:alert(1)", "data:text/html,<script>x</script>", "", "JaVaScRiPt:x"]
)
def test_cleanup_iframe_without_http_source_is_dropped(src: str) -> None:
    out = clean(f'<p>a</p><iframe src="{src}"><script>alert(1)</script></iframe><p>b</p>')
    assert out == "<p>a</p><p>b</p>"


def test_cleanup_drops_powerpress_player_and_subscribe_cruft() -> None:
    body = (
        '<div class="powerpress_player" id="p_1"><div><audio class="wp-audio-shortcode" '
        'controls><source src="https://cdn.example.org/54.mp3"/><a href="https://cdn.example.org'
        '/54.mp3">https://cdn.example.org/54.mp3</a></audio></div></div>\n'
        '<p class="powerpress_links">Podcast: <a href="https://x.example/54.mp3">Play in new '
        'window</a> | <a href="https://x.example/54.mp3">Download</a> (Duration: 12:56)</p>\n'
        '<p class="powerpress_links">Subscribe: <a href="https://a.example">Android</a> | '
        '<a href="https://x.example/feed">RSS</a></p>\n\n<p>The real notes.</p>'
    )
    assert clean(body) == "<p>The real notes.</p>"


def test_cleanup_other_players_keep_their_links() -> None:
    body = '<audio controls preload="none"><source src="https://c.example/e1.mp3" /></audio>'
    assert clean(body) == '<p><a href="https://c.example/e1.mp3">Listen</a></p>'
    assert clean('<video src="https://c.example/v.mp4"></video>') == (
        '<p><a href="https://c.example/v.mp4">Watch</a></p>'
    )
    assert clean('<audio><source src="javascript:alert(1)"/></audio>x') == "<p>x</p>"


def test_cleanup_drops_headings_with_nothing_under_them() -> None:
    body = "# Show\n\n## Empty\n\n## Links\n\n### Deeper\n\ntext\n\n## Transcript\n"
    assert clean(body) == "<h1>Show</h1>\n<h2>Links</h2>\n<h3>Deeper</h3>\n<p>text</p>"


def test_cleanup_collapses_blank_lines_and_br_runs_but_not_pre() -> None:
    body = (
        "<div>\n\n   one  \n\n\n    <br/> <br/> <br/>\n   two<br/>\n</div>\n<pre>a\n\n\n  b</pre>"
    )
    out = render_notes(body, base_url=BASE, is_html=True, clean=True)
    assert out == "one\n<br/><br/>\ntwo\n<pre>a\n\n\n  b</pre>"


def test_cleanup_is_stable_on_its_own_output() -> None:
    body = (DATA / "seed-episode.md").read_text(encoding="utf-8").split("---", 2)[2]
    once = clean(body)
    assert render_notes(once, base_url=BASE, is_html=True, clean=True) == once


def test_cleanup_first_paragraph_skips_headings() -> None:
    assert first_paragraph("<h2>Intro</h2>\n<p>First.</p>\n<p>Second.</p>") == "<p>First.</p>"
    assert first_paragraph("<h2>Intro</h2>\nLoose text<br/>\n<ul><li>x</li></ul>") == (
        "Loose text<br/>"
    )
    assert first_paragraph("<h2>Only</h2>") is None


def test_cleanup_clean_notes_false_keeps_notes_as_sanitized() -> None:
    body = '<h2>Empty</h2>\n\n\n<iframe src="https://youtu.be/x1y2z3a4"></iframe>'
    assert render_notes(body, base_url=BASE) == "<h2>Empty</h2>\n\n"


@pytest.mark.parametrize(
    ("garbled", "fixed"),
    [
        ("Lucaâ€™s LinkedIn", "Luca’s LinkedIn"),
        ("CafÃ© crÃ¨me", "Café crème"),
        ("â€œquotedâ€\x9d", "“quoted”"),
        ("PÅ™Ã­liÅ¡", "Příliš"),
    ],
)
def test_repair_text_fixes_mojibake(garbled: str, fixed: str) -> None:
    assert repair_text(garbled) == fixed


@pytest.mark.parametrize(
    "text",
    [
        "Crème brûlée, naïve café, Müller, Ŝaŭmo",
        "Ελληνικά κείμενα",
        "Привет, мир",
        "日本語のテキストと中文",
        "مرحبا بالعالم",
        "עברית",
        "हिन्दी",
        "Emoji 🎙️ and “quotes” – dashes…",
        "plain ASCII",
        "Â\x80",
    ],
)
def test_repair_text_leaves_correct_text_byte_identical(text: str) -> None:
    assert repair_text(text).encode("utf-8") == text.encode("utf-8")


def _seed_site(site: Site, extra: str = "") -> None:
    text = (DATA / "seed-episode.md").read_text(encoding="utf-8")
    audio = site.audio("sine-3s-cbr.mp3", "default_tc.mp3")
    text = "\n".join(
        f"audio: {audio}" if line.startswith("audio:") else line for line in text.splitlines()
    )
    site.episode("platform-engineering", text.replace("Luca Galante shares", "Lucaâ€™s talk"))
    if extra:
        site.show(f"\n[build]\n{extra}\n")


def test_cleanup_seed_item_reads_well_and_is_byte_identical(site: Site) -> None:
    _seed_site(site)
    report = build(site.config, now=NOW, use_cache=False)
    feed = report.feed
    notes = feed.split(b"<content:encoded><![CDATA[", 1)[1].split(b"]]>", 1)[0].decode()
    assert "\n\n" not in notes
    assert not re.search(r"\n[ \t]", notes)
    assert '<a href="https://www.youtube.com/watch?v=UaGf7HF-unc">Watch on YouTube</a>' in notes
    assert "Transcript" not in notes
    for m in re.finditer(r"<h([1-6])>(.*?)</h\1>", notes):
        assert m[2].strip()
    assert "Luca’s LinkedIn" in notes
    assert "â€" not in feed.decode()
    assert "<title>From DevOps to Platform engineering</title>" in feed.decode()
    assert "Luca’s talk" in feed.decode()  # the excerpt, repaired too
    notes_problems = [p for p in report.problems if p.level == "note"]
    assert {p.source for p in notes_problems} == {"episodes/platform-engineering.md"}
    assert len(notes_problems) == 2  # the excerpt and the notes
    assert report.warnings == []
    assert build(site.config, now=NOW, use_cache=False).feed == feed
    assert build(site.config, now=NOW).feed == feed  # through the cache, twice
    assert build(site.config, now=NOW).feed == feed


def test_cleanup_off_and_fix_text_off_publish_as_written(site: Site) -> None:
    _seed_site(site, "clean_notes = false\nfix_text = false")
    report = build(site.config, now=NOW, use_cache=False)
    text = report.feed.decode()
    assert "Lucaâ€™s LinkedIn" in text
    assert "Lucaâ€™s talk" in text
    assert "Watch on YouTube" not in text
    # issue 16: the empty transcript section goes whatever clean_notes says (its own switch is
    # [build] transcript_headings, tests/test_fromnotes.py)
    assert "(Transcript)</h2>" not in text
    assert "Other episodes you'll enjoy</h2>" in text  # the headings before it stay
    assert [p for p in report.problems if p.level == "note"] == []


def test_cleanup_description_is_the_first_real_paragraph(site: Site) -> None:
    body = (
        '<div class="powerpress_player"><audio class="wp-audio-shortcode"></audio></div>\n'
        "<p>Podcast: <a href='https://x.example/1.mp3'>Play in new window</a> | "
        "<a href='https://x.example/1.mp3'>Download</a></p>\n\n## About\n\nThe real summary.\n\n"
        "More notes.\n"
    )
    site.episode(
        "e", f"---\ntitle: E\ndate: 2024-01-01\naudio: {site.audio('sine-3s-cbr.mp3')}\n---\n{body}"
    )
    (item,) = build(site.config, now=NOW, use_cache=False).published
    assert item.description == "The real summary."


def test_check_reports_each_repair_at_its_file_and_line(site: Site) -> None:
    """With fix_text on the feed is repaired, so `check` names the file and line to fix."""
    site.episode("a", title="Lucaâ€™s show")  # the notes say "Notes for Lucaâ€™s show." too
    found = _mojibake_findings(site)
    assert [(f["file"], f["line"]) for f in found] == [
        ("episodes/a.md", 2),
        ("episodes/a.md", 7),  # issue 15: the notes' line too
    ]
    assert "'title'" in found[0]["message"]
    assert "'Luca’s show'" in found[0]["message"]
    assert "the show notes" in found[1]["message"]
    site.show("[build]\nfix_text = false\n")
    found = _mojibake_findings(site)  # now the feed itself holds the garbled text
    assert found
    assert all("Lucaâ€™s" in f["message"] for f in found)


def _mojibake_findings(site: Site) -> list[dict[str, object]]:
    result = CliRunner().invoke(app, ["check", "-c", str(site.config), "--format", "json"])
    return [f for f in json.loads(result.stdout) if f["rule"] == "podcastfeed/mojibake"]
