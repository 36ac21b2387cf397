"""Reading chapters and a transcript out of the show notes the faster way of issue 18 gives what
the slower way of issue 16 gave: the old functions are kept here, frozen, and both read the same
real notes (the bench's, through render_notes) and random hostile markup."""

from __future__ import annotations

import importlib.util
import random
import re
from collections.abc import Callable, Iterator
from html import escape, unescape
from pathlib import Path

import nh3
import pytest

from podcastfeed.source import notechapters, notelines, notetranscript
from podcastfeed.source.fromnotes import DEFAULT_HEADINGS
from podcastfeed.source.notechapters import seconds
from podcastfeed.source.shownotes import render_notes

# ---- frozen: notelines.py and notetranscript.py as issue 16 left them ----
_TAG = re.compile(r'<(/?)([a-z][a-z0-9]*)((?: [a-z-]+="[^"]*")*)/?>')
_ANY_TAG = re.compile(r"<[^>]*>")
_BLOCKS = notelines._BLOCKS
_VOID = frozenset({"br", "hr", "img"})
_HEADING = re.compile(r"h([1-6])")


def old_text_of(html: str) -> str:
    return " ".join(unescape(_ANY_TAG.sub(" ", html)).split())


def old_lines(html: str, opens: Callable[[str], bool]) -> Iterator[notelines.Line]:
    for block, in_pre in old_blocks(html):
        parts: list[str] = []
        for hard in block.split("\x00"):
            for number, soft in enumerate(hard.split("\n")):
                if number and parts and not opens(old_text_of(soft)):
                    parts[-1] += " " + soft
                else:
                    parts.append(soft)
        for part in parts:
            text = old_text_of(part)
            if text:
                code = in_pre or part.lstrip().startswith("<code>")
                yield notelines.Line(part.strip(), text, code)


def old_headings(html: str) -> list[notelines.Heading]:
    found: list[notelines.Heading] = []
    depth, opened = 0, None
    for m in _TAG.finditer(html):
        slash, name = m[1], m[2]
        level = _HEADING.fullmatch(name)
        if name in _VOID:
            continue
        if level and depth == 0 and not slash:
            opened = m
        elif level and depth == 0 and opened is not None:
            text = old_text_of(html[opened.end() : m.start()])
            found.append(notelines.Heading(opened.start(), m.end(), int(level[1]), text))
            opened = None
        elif not level:
            depth += -1 if slash else 1
    return found


def old_blocks(html: str) -> Iterator[tuple[str, bool]]:
    pending: list[str] = []
    pre = 0
    pos = 0
    for m in _TAG.finditer(html):
        pending.append(html[pos : m.start()])
        pos = m.end()
        slash, name = m[1], m[2]
        if name == "br":
            pending.append("\x00")
        elif name in _BLOCKS:
            yield "".join(pending), pre > 0
            pending = []
            if name == "pre":
                pre += -1 if slash else 1
        else:
            pending.append(m[0])
    pending.append(html[pos:])
    yield "".join(pending), pre > 0


_LINK = re.compile(r"<a [^>]*>.*?</a>", re.DOTALL)
_ANY_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.DOTALL)


def old_matches(text: str, patterns: tuple[str, ...]) -> bool:
    text = text.strip().rstrip(":").strip()
    for pattern in patterns:
        parts = (re.escape(part) for part in pattern.strip().split("*"))
        if re.fullmatch(".*".join(parts), text, re.DOTALL | re.IGNORECASE):
            return True
    return False


def old_find_section(notes_html: str, patterns: tuple[str, ...]) -> notetranscript.Section | None:
    needles = notetranscript._needles(patterns)
    if needles is not None:
        lowered = notes_html.lower()
        if not any(needle in lowered for needle in needles):
            return None
    candidates = (old_text_of(m[2]) for m in _ANY_HEADING.finditer(notes_html))
    if not any(old_matches(text, patterns) for text in candidates):
        return None
    found = old_headings(notes_html)
    for number, heading in enumerate(found):
        if old_matches(heading.text, patterns):
            after = (h.start for h in found[number + 1 :] if h.level <= heading.level)
            return notetranscript.Section(heading.start, heading.end, next(after, len(notes_html)))
    return None


_TIME = re.compile(rf"([\[(]?)\s*({notechapters.STAMP})\s*([\])]?)(?=\s|<|$)")
_PAIRS = {"": "", "[": "]", "(": ")"}
_BOLD = re.compile(r"<(strong|b)>([^<]{1,80})</\1>(\s*:)?")
_PLAIN = re.compile(rf"([^<>:\[(]{{1,40}}?)\s*(?:[\[(]({notechapters.STAMP})[\])])?\s*:(?=\s|$)")
_IN_LABEL = re.compile(rf"(.*?)\s*[\[(]({notechapters.STAMP})[\])]\s*:?")


def old_turn(html: str) -> notetranscript.Turn:
    html = html.strip()
    time = None
    lead = _TIME.match(html)
    if lead is not None and _PAIRS[lead[1]] == lead[3] and seconds(lead[2]) is not None:
        time, html = lead[2], html[lead.end() :].lstrip()
    bold = _BOLD.match(html)
    if bold is not None:
        label = unescape(bold[2]).strip()
        if bold[3] or label.endswith(":"):
            inner = _IN_LABEL.fullmatch(label)
            if inner is not None:
                label, time = inner[1], time or inner[2]
            label = label.rstrip(":").strip()
            if label and len(label.split()) <= 6:
                return notetranscript.Turn(label, time, html[bold.end() :].strip())
    plain = _PLAIN.match(html)
    if plain is not None:
        label = unescape(plain[1]).strip()
        words = label.split()
        if 1 <= len(words) <= 4 and label[0].isalpha() and not label[0].islower():
            return notetranscript.Turn(label, time or plain[2], html[plain.end() :].strip())
    return notetranscript.Turn(None, time, html)


def old_opens_turn(text: str) -> bool:
    found = old_turn(escape(text, quote=False))
    return found.speaker is not None or found.time is not None


def old_transcript_html(section_html: str) -> str | None:
    words = old_text_of(section_html)
    if words and not old_text_of(_LINK.sub("", section_html)):
        return None
    out: list[str] = []
    for line in old_lines(section_html, old_opens_turn):
        said = old_turn(line.html)
        if said.speaker is not None:
            out.append(f"<cite>{escape(said.speaker, quote=False)}:</cite>")
        if said.time is not None:
            out.append(f"<time>{said.time}</time>")
        if old_text_of(said.html):
            out.append(f"<p>{said.html}</p>")
    if not any(part.startswith("<p>") for part in out):
        return ""
    spoken = any(part.startswith(("<cite>", "<time>")) for part in out)
    if not spoken and _LINK.search(section_html) and len(words.split()) < 25:
        return None
    tags = notetranscript._TAGS
    body = nh3.clean("\n".join(out), tags=tags, attributes={"a": {"href"}}, link_rel=None)
    return notetranscript.HEAD + body.replace("<br>", "<br/>") + "\n"


# ---- the inputs ----
ATOMS = (
    "<p>", "</p>", "<li>", "</li>", "<ul>", "</ul>", "<pre>", "</pre>", "<br/>", "<br>", "</br>",
    "<h2>", "</h2>", "<h3>", "</h3>", '<h2 id="t">', "<h1>", "</h1>", "<blockquote>",
    "</blockquote>", "<strong>", "</strong>", "<b>", "</b>", "<code>", "</code>", "<em>", "</em>",
    '<a href="https://e.org/x">', "</a>", '<a title="<p>">', '<a title="x>y">', '="', "<", ">",
    "<hr/>", '<img src="x"/>', "<h2/>", "<pre/>", "<p/>", "<div>", "</div>", "<h1x>", "<brx>",
    "\n", "\n\n", " ", "  ", "\t", "\xa0", "\u2003", "\x1c", "\x85", "\x00", "&amp;", "&nbsp;",
    "&#32;", "&#10;", "&am", "p;", "&", "Transcript", "transcript:", "Full Transcript",
    "Show (Transcript)", "00:00", "0:00", "[01:02]", "(1:02:03)", "08:37 -", "62:03", "1:99",
    "10:30am", "Kevin:", "Dr. Ann Lee:", "kevin:", "Kevin (1:02):", "[00:13:59] Ann:", "Intro",
    "\u0661:\u0660\u0662 Ann:", "TRANSCRIPT", "Σχολια", "ΣΧΟΛΙΑΣ", "\u212a", "İ", "words here",
    "x", "See ", "more", ":", "–", "[", "]", "(", ")",
    # for the transcript without its own nh3 pass: links nh3 drops or keeps, tags it drops
    '<a href="https://xn--a.com/">', '<a href="https://a.999/">', '<a href="mailto:x y">',
    '<a href="https://a.com:99999/">', '<a href="HTTPS://A.b-c.com/?a=1&amp;b&lt;">',
    '<a href="https://exa mple.com/">', '<a href="//a.com/">', '<a href="https://a.com">',
    "<cite>", "</cite>", "<time>", "</time>", "<sub>", "</sub>", "<p><strong>Ann:</strong> ",
    "\r", "&quot;", "&#13;", "&#0;", '<a href="https://a.com/&quot;">', "<i>", "</i>",
)  # fmt: skip
PATTERNS = (
    DEFAULT_HEADINGS,
    ("Transcript",),
    ("*",),
    ("* (Transcript)", "Full *"),
    ("*script*", "Show*"),
    ("ΣΧΟΛΙΑ*", "transcript"),
    (),
)


def _strings(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(ATOMS, k=rng.randint(0, 40))) for _ in range(count)]


def _bench_notes() -> list[str]:
    path = Path(__file__).parent.parent / "bench" / "make_corpus.py"
    spec = importlib.util.spec_from_file_location("make_corpus", path)
    assert spec is not None
    assert spec.loader is not None
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    rng = random.Random(7)
    text = corpus._Text(rng)
    bodies = [corpus.make_body(rng, text, size, "T", "Ann Lee") for size in range(500, 30000, 900)]
    bodies += [
        body.replace("(Transcript)", "") + "\n\n- 00:00 Intro\n- 01:00 Next\n" for body in bodies
    ]
    odd = "## Transcript\n\n[00:00] Kevin: hi\nthere\n\n**Ann (1:02):** yes\n<br>more\n\n"
    bodies.append(odd + "```\n0:00 x\n```\n")
    return [render_notes(b, base_url=None, clean=clean) for b in bodies for clean in (False, True)]


NOTES = _bench_notes()


def _same(html: str) -> None:
    assert list(notelines.lines(html, notetranscript.opens_turn)) == list(
        old_lines(html, old_opens_turn)
    ), repr(html)
    assert list(notelines.lines(html, notechapters.opens_topic)) == list(
        old_lines(html, notechapters.opens_topic)
    ), repr(html)
    for piece in [html, *html.split("\n")]:
        assert notetranscript.turn(piece) == old_turn(piece), repr(piece)
    assert notelines.headings(html) == old_headings(html), repr(html)
    assert notetranscript.transcript_html(html) == old_transcript_html(html), repr(html)
    assert notelines.has_text(html) == bool(old_text_of(html)), repr(html)
    for patterns in PATTERNS:
        assert notetranscript.find_section(html, patterns) == old_find_section(html, patterns)


def test_same_results_on_real_notes() -> None:
    assert sum(notetranscript.find_section(n, DEFAULT_HEADINGS) is not None for n in NOTES) > 40
    for html in NOTES:
        _same(html)


@pytest.mark.parametrize("seed", range(4))
def test_same_results_on_hostile_markup(seed: int) -> None:
    for html in _strings(seed, 1000):
        _same(html)


def test_whitespace_of_re_is_that_of_str() -> None:
    """has_text's regex (`\\s`) and text_of's str.split() agree on what whitespace is."""
    every = "".join(map(chr, range(0x3100)))
    assert re.findall(r"\s", every) == [c for c in every if c.isspace()]


def test_nh3_keeps_every_character_but_nul_and_cr() -> None:
    """What transcript_html's skipping of nh3 rests on: in text and in an href, nh3 gives every
    character back as it is but NUL and CR (and writes &, <, >, U+00A0, " escaped)."""
    clean = notetranscript.nh3.clean
    escaped = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\xa0": "&nbsp;", '"': "&quot;"}
    every = [chr(c) for c in range(1, 0x110000) if not 0xD800 <= c <= 0xDFFF and c != 13]
    tags, attributes = notetranscript._TAGS, {"a": {"href"}}
    for at in range(0, len(every), 8192):
        chunk = [c for c in every[at : at + 8192] if c not in '<&"']
        text = "<p>" + " ".join(chunk) + "</p>"
        out = clean(text, tags=tags, attributes=attributes, link_rel=None)
        assert out == "<p>" + " ".join(escaped.get(c, c) for c in chunk) + "</p>"
        link = f'<a href="https://a.com/{"".join(chunk)}">x</a>'
        out = clean(link, tags=tags, attributes=attributes, link_rel=None)
        assert out == f'<a href="https://a.com/{"".join(escaped.get(c, c) for c in chunk)}">x</a>'
    for bad in ("\x00", "\r"):
        assert clean(f"<p>a{bad}b</p>", tags=tags) != f"<p>a{bad}b</p>"


@pytest.mark.parametrize(
    "section",
    [
        '<p>Ann: <a href="https://a.com/">x <a href="https://b.com/">y</a></a> z</p>',
        '<p>Ann: <a href="https://a.com/">x</a> <a href="https://b.com/">y</a></p>',
        "<p>Ann: <em>a <strong>b</em> c</strong></p>",
        "<p>Ann: <em>a\nBob: b</em> c</p>",
        '<p>Ann: <a href="https://a.com/" title="t">x</a></p>',
        "<p>Ann\xa0Lee: a&nbsp;b</p>",
        "<p>Ann: <b><b><b><b>deep</b></b></b></b></p>",
    ],
)
def test_same_transcript_on_markup_nh3_rebuilds(section: str) -> None:
    assert notetranscript.transcript_html(section) == old_transcript_html(section)


TURN_ATOMS = (
    "Ann",
    " Lee",
    "kevin",
    ":",
    " ",
    "\u3000",
    "\xa0",
    "\t",
    "[",
    "]",
    "(",
    ")",
    "1:02",
    "<",
    ">",
    "&gt;",
    "&amp;",
    "x",
    "https:",
    "<strong>",
    "</strong>",
    "<b>",
    "</b>",
    '<a href="h">',
)


def _turn_piece(rng: random.Random) -> str:
    """A line shaped like a turn (a label, bold or not, a time in brackets, a colon) with
    random atoms anywhere."""

    def some(k: int) -> str:
        return "".join(rng.choices(TURN_ATOMS, k=rng.randint(0, k)))

    tag = rng.choice(("", "strong", "b"))
    label = some(2) + rng.choice(("Ann", "Dr. Ann Lee", "Kevin", "")) + some(1)
    stamp = rng.choice(("", " [1:02]", "(00:13:59)", " [1:02] ", "(1:0)")) + some(1)
    colon = rng.choice(("", ":", " :", ":\u3000", "::"))
    inside, after = (label + stamp + colon, "") if rng.random() < 0.5 else (label + stamp, colon)
    head = f"<{tag}>{inside}</{tag}>{after}" if tag else inside + after
    return some(1) * (rng.random() < 0.2) + head + rng.choice(("", " ", "\n")) + some(4)


@pytest.mark.parametrize("seed", range(3))
def test_turn_is_the_old_turn_around_its_cheap_tests(seed: int) -> None:
    """turn() skips _IN_LABEL unless the label ends in a bracket, and _PLAIN unless a colon
    comes before any "<" or ">" (issue 18): lines shaped like turns, with atoms anywhere."""
    rng = random.Random(seed)
    for _ in range(20000):
        piece = _turn_piece(rng)
        assert notetranscript.turn(piece) == old_turn(piece), repr(piece)


def test_the_tags_lines_are_cut_at_are_the_blocks_and_br() -> None:
    """notelines._CUT spells the block names factored (issue 18): the same names, no others."""
    names = [*notelines._BLOCKS, "br", "a", "b", "bx", "brx", "h7", "hrx", "lix", "p1", "tx", "u"]
    names += ["table1", "tbody2", "theadx", "prex", "figurex", "captionx", "blockquotex"]
    for name in names:
        for tag in (f"<{name}>", f"</{name}>", f'<{name} id="x"/>'):
            found = notelines._CUT.fullmatch(tag)
            assert (found is not None) == (name in notelines._BLOCKS or name == "br"), tag
            assert found is None or found[2] == name


@pytest.mark.parametrize(
    "section",
    [
        '<p><a href="https://a.com/">The transcript</a></p>',
        '<p> <a href="https://a.com/">x</a> &nbsp;</p>',
        '<p>&nbsp;<a href="https://a.com/">x</a></p>',
        '<p>&amp; <a href="https://a.com/">x</a></p>',
        '<p>Read it <a href="https://a.com/">here</a></p>',
        '<p><strong>Ann:</strong> hi <a href="https://a.com/">x</a></p>',
        "<p>&nbsp;</p>",
        "",
        '<p><a href="https://a.com/">x</a></p><p>Ann: more words</p>',
    ],
)
def test_same_transcript_when_links_may_be_all_its_words(section: str) -> None:
    """transcript_html takes the links out only when one comes before the first text."""
    assert notetranscript.transcript_html(section) == old_transcript_html(section)
