"""The static show page (issue 8): golden HTML, escaping, hostile notes, determinism, pages."""

from __future__ import annotations

import itertools
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest
from conftest import GoldenCheck, Site
from typer.testing import CliRunner

from podcastfeed.build import build, write_report
from podcastfeed.cli import app
from podcastfeed.errors import BuildFailed, ConfigError
from podcastfeed.values import format_clock

NOW = datetime(2026, 1, 1, tzinfo=UTC)
HOSTILE = """\
---
title: Hostile
date: 2024-01-02
audio: {audio}
---

<script>alert('notes')</script>
<img src="x.png" onerror="alert('img')" alt="x">
<a href="javascript:alert('href')" onclick="alert('click')">link</a>
<p style="color:red" onmouseover="alert('over')">text</p>
<iframe src="https://evil.example/"></iframe>
<svg onload="alert('svg')"></svg>
"""


def _pages(report_dir: Path) -> dict[str, bytes]:
    """The pages a build wrote (HTML transcripts, under transcripts/, are not pages)."""
    return {
        p.relative_to(report_dir).as_posix(): p.read_bytes()
        for p in sorted(report_dir.rglob("*.html"))
        if p.relative_to(report_dir).parts[0] != "transcripts"
    }


def _headings(html: bytes) -> list[int]:
    doc = lxml.html.fromstring(html)
    return [int(el.tag[1]) for el in doc.iter("h1", "h2", "h3", "h4", "h5", "h6")]


def test_page_sample_show_matches_golden(sample_show: Path, golden: GoldenCheck) -> None:
    report = build(sample_show / "feed.toml", now=NOW, use_cache=False)
    target = write_report(report)
    pages = _pages(target.parent)
    assert sorted(pages) == [
        "episodes/2023-03-21-platform-engineering/index.html",
        "episodes/2023-04-04-code-reviews/index.html",
        "episodes/2023-04-18-developer-experience/index.html",
        "index.html",
    ]
    golden("sample.html", pages["index.html"])
    golden("sample-episode.html", pages["episodes/2023-04-04-code-reviews/index.html"])
    # issue 16: the transcript section of the notes, as the namespace's HTML transcript
    transcript = target.parent / "transcripts" / "2023-04-18-developer-experience.html"
    golden("sample-transcript.html", transcript.read_bytes())
    for name, html in pages.items():
        doc = lxml.html.fromstring(html)
        assert doc.get("lang") == "en"
        alternate = doc.xpath('//head/link[@rel="alternate"][@type="application/rss+xml"]')
        assert [link.get("href") for link in alternate] == ["https://example.org/feed.xml"]
        levels = _headings(html)
        assert levels[0] == 1, name
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), (name, levels)
        assert all(img.get("alt") for img in doc.iter("img")), name
        for field in doc.iter("input"):
            assert doc.xpath(f'//label[@for="{field.get("id")}"]'), name


def test_page_shows_titles_durations_and_players(sample_show: Path) -> None:
    report = build(sample_show / "feed.toml", now=NOW, use_cache=False)
    doc = lxml.html.fromstring(report.pages()[0].content)
    titles = [h.text_content() for h in doc.xpath("//article/h3")]
    assert titles == [
        "Developer experience, measured",
        "Code reviews that don't hurt",
        "From DevOps to Platform engineering",
    ]
    players = doc.xpath("//article//audio")
    assert [a.get("preload") for a in players] == ["none"] * 3
    assert all(a.get("controls") is not None for a in players)
    assert players[0].get("src") == "https://cdn.example.org/media/audio/developer%20experience.mp3"
    durations = [s.text for s in doc.xpath('//span[@class="duration"]')]
    assert all(re.fullmatch(r"\d+:\d\d:\d\d", d) for d in durations), durations


def test_page_is_deterministic(sample_show: Path) -> None:
    first = build(sample_show / "feed.toml", now=NOW, use_cache=False).pages()
    second = build(sample_show / "feed.toml", now=NOW, use_cache=True).pages()
    assert [(p.path, p.content) for p in first] == [(p.path, p.content) for p in second]
    assert next(p.path for p in first) == "index.html"


def test_page_hostile_notes_never_reach_the_page(site: Site) -> None:
    site.episode("hostile", HOSTILE.format(audio=site.audio("sine-3s-cbr.mp3")))
    site.show(title="\"<script>alert('title')</script> & co\"")
    report = build(site.config, now=NOW, check=False)
    for built in report.pages():
        html = built.content.decode()
        for payload in ("notes", "img", "href", "click", "over", "svg"):
            assert f"alert('{payload}')" not in html, (built.path, payload)
            assert f"alert(&#39;{payload}" not in html, (built.path, payload)
        assert "<script>alert" not in html  # the title, escaped
        assert "javascript:" not in html
        assert "<iframe" not in html
        doc = lxml.html.fromstring(built.content)
        scripts = list(doc.iter("script"))
        assert len(scripts) == 1  # ours: chapter seeking
        assert scripts[0].get("src") is None
        assert "data-seek" in (scripts[0].text or "")
        for el in doc.iter():
            assert not [a for a in el.attrib if a.lower().startswith("on")], el.tag
            assert "style" not in el.attrib
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; &amp; co" in (
        report.pages()[0].content.decode()
    )


def test_page_escapes_titles(site: Site) -> None:
    site.episode("a", title="'<b>Tom & \"Jerry\"</b>'")
    site.show(title='"Show <i>&</i> more"')
    report = build(site.config, now=NOW, check=False)
    html = report.pages()[0].content.decode()
    assert "&lt;b&gt;Tom &amp; &#34;Jerry&#34;&lt;/b&gt;" in html
    assert "<i>&" not in html
    assert "Show &lt;i&gt;&amp;&lt;/i&gt; more" in html
    doc = lxml.html.fromstring(html)
    assert doc.xpath("//h1")[0].text_content() == "Show <i>&</i> more"
    assert doc.xpath("//article/h3")[0].text_content() == '<b>Tom & "Jerry"</b>'


def test_page_chapters_persons_and_transcript(site: Site) -> None:
    audio = site.audio("sine-3s-cbr.mp3")
    (site.episodes / "a.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n")
    site.episode(
        "a",
        "---\ntitle: A\ndate: 2024-01-01\n"
        f"audio: {audio}\nduration: 3725\n"
        "chapters:\n  - {start: '00:00:00', title: Intro}\n  - {start: '00:00:02', title: Two}\n"
        "persons:\n  - {name: Grace <Hopper>, role: guest, href: 'https://example.org/g'}\n"
        "---\n\nNotes.\n",
    )
    report = build(site.config, now=NOW, check=False)
    index, episode = (p.content for p in report.pages())
    doc = lxml.html.fromstring(index)
    assert doc.xpath('//span[@class="duration"]')[0].text == "1:02:05"
    seeks = doc.xpath("//ol[@class='chapters']//a")
    assert [(a.get("data-seek"), a.text) for a in seeks] == [("0", "0:00:00"), ("2", "0:00:02")]
    assert seeks[1].get("href").endswith("sine-3s-cbr.mp3#t=2")  # seeks without JS too
    assert seeks[1].get("data-player") == doc.xpath("//audio")[0].get("id")
    assert "Grace &lt;Hopper&gt;" in index.decode()
    assert doc.xpath("//ul[@class='persons']//a")[0].get("href") == "https://example.org/g"
    assert doc.xpath("//a[starts-with(text(), 'Transcript')]")[0].get("href") == "transcripts/a.vtt"
    page = lxml.html.fromstring(episode)
    assert page.xpath("//a[starts-with(text(), 'Transcript')]")[0].get("href") == (
        "../../transcripts/a.vtt"
    )
    assert page.xpath("//main/p/a")[0].get("href") == "../../index.html"


def test_format_clock() -> None:
    assert format_clock(0) == "0:00:00"
    assert format_clock(59.9) == "0:00:59"
    assert format_clock(3600 * 12 + 61) == "12:01:01"


def test_page_per_episode_pages_off(site: Site) -> None:
    site.episode("a")
    site.show("\n[build]\npages = false\n")
    target = write_report(build(site.config, now=NOW, check=False))
    assert sorted(_pages(target.parent)) == ["index.html"]
    assert b"episodes/a/" not in (target.parent / "index.html").read_bytes()


def test_page_pages_must_be_a_bool(site: Site) -> None:
    site.episode("a")
    site.show('\n[build]\npages = "no"\n')
    with pytest.raises(BuildFailed) as info:
        build(site.config, now=NOW, check=False)
    assert "'pages' must be bool (got 'no')" in str(info.value.problems[0])


def test_page_show_templates_override_and_stay_escaped(site: Site) -> None:
    site.episode("a")
    site.show('\n[build]\ntemplates = "templates"\n', title='"A & B"')
    (site.root / "templates").mkdir()
    (site.root / "templates" / "index.html").write_text(
        '{% extends "base.html" %}{% block body %}<h1>Own: {{ show.title }}</h1>'
        "{% for e in episodes %}{{ e.title }}{% endfor %}{% endblock %}\n"
    )
    pages = build(site.config, now=NOW, check=False).pages()
    assert b"<h1>Own: A &amp; B</h1>" in pages[0].content
    assert b'rel="alternate"' in pages[0].content  # base.html still comes from the package
    assert pages[1].path == "episodes/a/index.html"  # episode.html was not overridden


def test_page_show_episode_template_may_read_loop_on_every_page(site: Site) -> None:
    """`loop` is the show page's loop over the episodes, and a loop of one on an episode's
    page (it was undefined there: the build failed)."""
    for day, name in enumerate(("a", "b"), start=1):
        audio = site.audio("sine-3s-cbr.mp3", f"{name}.mp3")
        site.episode(name, date=f"2024-01-0{day}", audio=audio)
    site.show('\n[build]\ntemplates = "templates"\n')
    (site.root / "templates").mkdir()
    (site.root / "templates" / "_episode.html").write_text(
        '<p class="n">{{ e.title }}: {{ loop.index }} of {{ loop.length }}</p>\n'
    )
    pages = {p.path: p.content for p in build(site.config, now=NOW, check=False).pages()}
    assert re.findall(rb'<p class="n">[^<]*</p>', pages["index.html"]) == [
        b'<p class="n">b: 1 of 2</p>',
        b'<p class="n">a: 2 of 2</p>',
    ]
    for name in ("a", "b"):
        assert f'<p class="n">{name}: 1 of 1</p>'.encode() in pages[f"episodes/{name}/index.html"]


def test_page_broken_show_template_is_a_config_error(site: Site) -> None:
    site.episode("a")
    site.show('\n[build]\ntemplates = "templates"\n')
    (site.root / "templates").mkdir()
    (site.root / "templates" / "index.html").write_text("line one\n{% for %}\n")
    report = build(site.config, now=NOW, check=False)
    with pytest.raises(ConfigError, match="template") as info:
        write_report(report)
    assert info.value.line == 2
    assert not report.output.exists()  # nothing written


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("x\n{{ 1 / 0 }}\n", "template: ZeroDivisionError: division by zero"),
        ('x\n{{ "%d" % "a" }}\n', "template: TypeError: %d format: a real number is required"),
        ("x\n{% for i in range(10 ** 9) %}{% endfor %}\n", "template: OverflowError: Range too"),
    ],
)
def test_page_show_template_raising_is_named_at_its_line(
    site: Site, template: str, message: str
) -> None:
    """A template that fails while rendering (it printed a traceback) is named with its line;
    a range no page needs is refused, not looped through."""
    site.episode("a")
    site.show('\n[build]\ntemplates = "templates"\n')
    (site.root / "templates").mkdir()
    (site.root / "templates" / "index.html").write_text(template)
    report = build(site.config, now=NOW, check=False)
    with pytest.raises(ConfigError) as info:
        write_report(report)
    assert str(info.value).startswith(f"{site.root / 'templates' / 'index.html'}:2: {message}")
    assert not report.output.exists()


def test_page_show_templates_cannot_reach_python(site: Site) -> None:
    """A theme's template from elsewhere runs sandboxed: Python's internals (and through them
    os.system) are out of its reach while the build runs, in CI too."""
    site.episode("a")
    site.show('\n[build]\ntemplates = "templates"\n')
    (site.root / "templates").mkdir()
    reach = "{{ show.__class__.__init__.__globals__['os'].system('touch pwned') }}"
    (site.root / "templates" / "index.html").write_text(reach)
    report = build(site.config, now=NOW, check=False)
    with pytest.raises(ConfigError, match=r"template: access to attribute .* is unsafe"):
        write_report(report)
    assert not (site.root / "pwned").exists()
    assert not Path("pwned").exists()


def test_build_check_notices_a_stale_page(site: Site) -> None:
    site.episode("a")
    runner = CliRunner()
    assert runner.invoke(app, ["build", "-c", str(site.config)]).exit_code == 0
    assert runner.invoke(app, ["build", "-c", str(site.config), "--check"]).exit_code == 0
    (site.root / "public" / "index.html").write_text("old")
    result = runner.invoke(app, ["build", "-c", str(site.config), "--check"])
    assert result.exit_code == 1
    assert "index.html is out of date" in result.output


def test_page_subscribe_links_and_page_url(site: Site) -> None:
    site.episode("a")
    site.show(
        'page_url = "https://example.org/podcast/"\n'
        'subscribe = { spotify = "https://open.spotify.com/show/x", apple = '
        '"https://podcasts.apple.com/podcast/id1", pocketcasts = "https://pca.st/x", '
        'Fountain = "https://fountain.fm/show/x" }\n'
    )
    report = build(site.config, now=NOW, check=False)
    doc = lxml.html.fromstring(report.pages()[0].content)
    links = [(a.text, a.get("href")) for a in doc.xpath("//section[@class='subscribe']//a")]
    assert links == [
        ("RSS feed", "https://example.org/feed.xml"),
        ("Spotify", "https://open.spotify.com/show/x"),
        ("Apple Podcasts", "https://podcasts.apple.com/podcast/id1"),
        ("Pocket Casts", "https://pca.st/x"),
        ("Fountain", "https://fountain.fm/show/x"),
        (
            "Podcast Index",
            "https://podcastindex.org/search?type=url&q=https%3A%2F%2Fexample.org%2Ffeed.xml",
        ),
    ]
    feed = report.feed.decode()
    self_link = '<atom:link href="https://example.org/feed.xml" rel="self" '
    alternate = '<atom:link href="https://example.org/podcast/" rel="alternate" type="text/html"/>'
    assert feed.index(self_link) < feed.index(alternate) < feed.index("<item>")
    assert feed.count("text/html") == 1


def test_page_url_absent_no_alternate_in_feed(site: Site) -> None:
    site.episode("a")
    assert b'rel="alternate"' not in build(site.config, now=NOW, check=False).feed


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('subscribe = { apple = "http://x.org" }', "'subscribe.apple' must be an https URL"),
        ('subscribe = "https://x.org"', "'subscribe' must be a table"),
        ('page_url = "example.org"', "'page_url' must be an absolute http(s) URL"),
    ],
)
def test_page_keys_are_validated(site: Site, line: str, message: str) -> None:
    site.episode("a")
    site.show(line + "\n")
    with pytest.raises(BuildFailed) as info:
        build(site.config, now=NOW, check=False)
    assert any(message in str(p) for p in info.value.problems), info.value.problems


def test_page_same_file_name_in_two_folders(site: Site) -> None:
    site.episode("a")
    (site.episodes / "old").mkdir()
    audio = site.audio("sine-3s-cbr.mp3", "old.mp3")
    text = f"---\ntitle: Old a\ndate: 2020-01-01\npermalink: /old-a\naudio: ../{audio}\n---\n"
    (site.episodes / "old" / "a.md").write_text(text)
    paths = [p.path for p in build(site.config, now=NOW, check=False).pages()]
    assert paths == ["index.html", "episodes/a/index.html", "episodes/old/a/index.html"]


def test_pages_are_written_again_only_when_their_inputs_change(site: Site) -> None:
    site.episode("a")
    write_report(build(site.config, now=NOW))
    index = site.root / "public" / "index.html"
    page = site.root / "public" / "episodes" / "a" / "index.html"
    stamps = (index.stat().st_mtime_ns, page.stat().st_mtime_ns)
    write_report(build(site.config, now=NOW))  # nothing changed: the pages stay as they are
    assert (index.stat().st_mtime_ns, page.stat().st_mtime_ns) == stamps
    site.episode("a", title="Renamed")
    write_report(build(site.config, now=NOW))
    assert "Renamed" in index.read_text(encoding="utf-8")
    index.unlink()  # a missing page is written again even when nothing changed
    write_report(build(site.config, now=NOW))
    assert "Renamed" in index.read_text(encoding="utf-8")


def test_an_episode_page_deleted_is_written_again_without_the_cache(site: Site) -> None:
    """Without the outputs record (build --no-cache, or the cache folder deleted), pages are
    kept by the manifest's digest of their inputs only while every one of them is there."""
    site.episode("a")
    write_report(build(site.config, now=NOW, use_cache=False))
    page = site.root / "public" / "episodes" / "a" / "index.html"
    written = page.read_bytes()
    page.unlink()
    write_report(build(site.config, now=NOW, use_cache=False))
    assert page.read_bytes() == written


def test_an_episode_page_edited_by_hand_is_written_again_without_the_cache(site: Site) -> None:
    """Kept by the manifest's digest only while untouched since the manifest was written: an
    edit that keeps the size and sets the mtime back still changes the ctime."""
    site.episode("a")
    write_report(build(site.config, now=NOW, use_cache=False))
    page = site.root / "public" / "episodes" / "a" / "index.html"
    written, stat = page.read_bytes(), page.stat()
    page.write_bytes(written.replace(b"<html", b"<HTML"))
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    write_report(build(site.config, now=NOW, use_cache=False))
    assert page.read_bytes() == written
