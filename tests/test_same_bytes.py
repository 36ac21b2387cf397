"""The faster ways of issue 18 give the very bytes of the slower ones they replaced."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, REPO

from podcastfeed.source import cleanup, shownotes
from podcastfeed.source.frontparts import split_front_matter

ATOMS = (
    "<br/>", " ", "\n", "\t", "\xa0", "\u2003", "\r", "\x0c", "<p>", "</p>", "<li>", "<hr/>",
    '<img src="x"/>', "<b>", "</b>", "x", "y z", ">", "<", '<p class="a<b">', "<h2>", "</h3>",
    "<brx>", "<pre>", "<blockquote>", "<table>", "<br/><br/>", "  \n  ",
)  # fmt: skip


def _strings(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(ATOMS, k=rng.randint(0, 16))) for _ in range(count)]


@pytest.mark.parametrize("seed", range(4))
def test_blank_lines_is_the_regex(seed: int) -> None:
    for text in _strings(seed, 5000):
        assert cleanup._blank_lines(text) == cleanup._BLANK.sub("\n", text), repr(text)


@pytest.mark.parametrize("seed", range(4))
def test_br_at_blocks_is_the_regex(seed: int) -> None:
    def old(m: re.Match[str]) -> str:
        return (m[1] or "") + "\n" + (m[2] or "")

    for text in _strings(seed, 5000):
        assert cleanup._br_at_blocks(text) == cleanup._BR_AT_BLOCK.sub(old, text), repr(text)


def _old_tidy(markup: str) -> str:
    if "\n\n" in markup or "\n " in markup or " \n" in markup or "\t" in markup:
        markup = cleanup._blank_lines(markup)
    if "<br/>" in markup:
        markup = cleanup._BRS.sub("<br/><br/>", markup)
        markup = cleanup._br_at_blocks(markup)
        markup = cleanup._blank_lines(markup)
    return markup


@pytest.mark.parametrize("seed", range(4))
def test_tidy_makes_blank_lines_once_as_it_made_them_twice(seed: int) -> None:
    for text in _strings(seed, 5000):
        assert cleanup._tidy(text) == _old_tidy(text), repr(text)


# --- reading an episode (issue 18): the versions these replaced, kept here to compare with ---


def _old_before_sanitizing(markup: str) -> str:
    lowered = markup.lower()
    if "powerpress_player" in lowered:
        markup = cleanup._drop_powerpress_players(markup)
    if "<iframe" in lowered:
        markup = cleanup._IFRAME.sub(cleanup._embed, markup)
    if "<audio" in lowered or "<video" in lowered:
        markup = cleanup._MEDIA.sub(cleanup._media, markup)
    return markup


def _old_drop_empty_headings(markup: str) -> str:
    headings = list(cleanup._HEADING.finditer(markup))
    dropped: list[tuple[int, int]] = []
    for i in range(len(headings) - 1, -1, -1):
        level, end = int(headings[i][1]), len(markup)
        for later in headings[i + 1 :]:
            if int(later[1]) <= level:
                end = later.start()
                break
        region = markup[headings[i].end() : end]
        for start, stop in reversed(dropped):
            if headings[i].end() <= start < end:
                offset = headings[i].end()
                region = region[: start - offset] + region[stop - offset :]
        if not (cleanup._TAGS.sub("", region).strip() or "<img" in region):
            dropped.insert(0, headings[i].span())
    for start, stop in reversed(dropped):
        markup = markup[:start] + markup[stop:]
    return markup


def _old_clean_once(markup: str, base_url: str | None) -> tuple[str, bool]:
    sn = shownotes
    links: list[bool] = []
    unwrapped = False

    def fix_tag(m: re.Match[str]) -> str:
        nonlocal unwrapped
        slash, name, raw = m.groups()
        attrs = sn._attrs(raw, base_url) if raw else ""
        if name == "a":
            if slash:
                return "</a>" if links and links.pop() else ""
            links.append(" href=" in attrs)
            unwrapped = unwrapped or not links[-1]
            return f"<a{attrs}>" if links[-1] else ""
        return f"<img{attrs}/>" if " src=" in attrs else ""

    out = sn._cleaner(base_url).clean(markup)
    dropped = sn._UNSAFE_DROPPED.search(out)
    out = sn._FIX.sub(fix_tag, out) if dropped else sn._IMG.sub(r"<img\1/>", out)
    out = sn._UNWRAP_TAG.sub("\n", sn._PROTOCOL_RELATIVE.sub(r'\1="https://', out))
    out = out.replace("<br>", "<br/>").replace("<hr>", "<hr/>")
    out = out.replace("\r", "\n")
    out = out.replace("<pre>\n", "<pre>\n\n").replace("&nbsp;", "\xa0")
    return sn.strip_control_chars(out), unwrapped


MARKUP_ATOMS = (
    "<iframe src=\"https://www.youtube.com/embed/abcdefgh\"></iframe>", "<IFRAME SRC='//x.org/'>",
    "<İframe src=x>", "<ıframe src=x>", "<audio src=\"https://a.org/a.mp3\"></audio>", "<VIDEO>",
    "</video>", "<audio controls><source src=\"//b.org/b.ogg\"></audio>", "K", "ſ", "İ",
    '<div class="powerpress_player">', "POWERPRESS_PLAYER", "</div>", "<div>", "<h2>", "</h2>",
    "<h3>", "</h3>", "<h1>t</h1>", "<p>", "</p>", " ", "\n", "\xa0", "\u2003", "<", ">", "x",
    '<img src="i.png">', '<img alt="a>b" src="//c.org/i.png">', '<a href="//d.org/">', "</a>",
    '<a href="javascript:x">', '<a href="rel/p">', "<br>", "<hr>", "<pre>\n", "</pre>", "&#13;",
    "&nbsp;", "&#1;", "\x85", "<section>", "<script>s</script>", "<!-- c -->", "<table><td>",
)  # fmt: skip


def _markups(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(MARKUP_ATOMS, k=rng.randint(0, 20))) for _ in range(count)]


def _real_bodies(tmp_path: Path) -> list[str]:
    """The show notes of the test data, the sample show and 100 seed-shaped bench episodes."""
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "make_corpus.py"), "100", str(tmp_path / "c")],
        check=True,
        capture_output=True,
    )
    bodies = []
    for folder in (DATA, REPO / "episodes", tmp_path / "c" / "episodes"):
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".md", ".html") and path.is_file():
                text = path.read_text(encoding="utf-8", errors="replace")
                parts = split_front_matter(text.replace("\r\n", "\n"))
                bodies.append(parts.body if parts else text)
    return bodies


def _same_reading(markup: str, base_url: str | None) -> None:
    assert cleanup.before_sanitizing(markup) == _old_before_sanitizing(markup), repr(markup)
    capped = shownotes._capped(cleanup.before_sanitizing(markup), None)
    new = shownotes._clean_once(capped, base_url)
    assert new == _old_clean_once(capped, base_url), repr(capped)
    for text in (markup, new[0]):
        assert cleanup._drop_empty_headings(text) == _old_drop_empty_headings(text), repr(text)
        assert cleanup._tidy(text) == _old_tidy(text), repr(text)


@pytest.mark.parametrize("seed", range(3))
def test_reading_show_notes_is_the_old_code_on_adversarial_markup(seed: int) -> None:
    for i, markup in enumerate(_markups(seed, 1000)):
        _same_reading(markup, "https://example.org/ep/" if i % 2 else None)


def test_reading_show_notes_is_the_old_code_on_real_notes(tmp_path: Path) -> None:
    bodies = _real_bodies(tmp_path)
    assert len(bodies) > 110
    for body in bodies:
        markup = shownotes.markdown_to_html(shownotes.strip_control_chars(body))
        _same_reading(markup, "https://example.org/ep/")
