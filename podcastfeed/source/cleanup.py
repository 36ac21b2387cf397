"""Show notes that read well in an app, and text repaired of mojibake (issue 14).

`before_sanitizing` works on the raw HTML (it needs the class names and iframes the sanitizer
removes): embedded players become links, WordPress/PowerPress players go, and <audio>/<video>
players keep only their links. `after_sanitizing` works on the sanitizer's canonical output:
subscribe cruft, runs of blank lines and <br/>, and headings with nothing under them go.
`repair_text` undoes UTF-8 read as Windows-1252 (ftfy). Each is named in docs/configuration.md.

Pure: no I/O. Each step first looks for a cheap marker and returns the text untouched without it,
since most notes need none of this and episode parsing is a hot path (bench/README.md).
"""

from __future__ import annotations

import re
from html import escape, unescape
from itertools import repeat
from urllib.parse import parse_qs, urlsplit

# --- before sanitizing: embeds, players ------------------------------------------------------

_IFRAME = re.compile(r"<iframe\b([^>]*)>(?:.*?</iframe\s*>)?", re.IGNORECASE | re.DOTALL)
_SRC = re.compile(r"""\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_MEDIA = re.compile(r"<(audio|video)\b([^>]*)>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_POWERPRESS_DIV = re.compile(r"<div\b[^>]*\bclass\s*=\s*[\"'][^\"']*powerpress_player", re.I)
_DIV = re.compile(r"<(/?)div\b[^>]*>", re.IGNORECASE)
_YOUTUBE_ID = re.compile(r"/(?:embed|v|shorts)/([A-Za-z0-9_-]{6,})")
_SPOTIFY = re.compile(r"/embed(?:-podcast)?/(episode|show|track|album|playlist|artist)/(\w+)")
_VIMEO = re.compile(r"/video/(\d+)")


def _link(url: str, label: str) -> str:
    return f'<p><a href="{escape(url, quote=True)}">{label}</a></p>'


def _embed_target(src: str) -> tuple[str, str] | None:
    """(page URL, link text) for an embedded player's src; None unless it is http(s)."""
    src = unescape(src).strip()
    if src.startswith("//"):
        src = "https:" + src
    parts = urlsplit(src)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    host = parts.netloc.lower().removeprefix("www.")
    query = parse_qs(parts.query)
    if host in ("youtube.com", "youtube-nocookie.com", "m.youtube.com", "youtu.be"):
        if host == "youtu.be":
            return f"https://www.youtube.com/watch?v={parts.path.strip('/')}", "Watch on YouTube"
        if (m := _YOUTUBE_ID.search(parts.path)) and m[1] != "videoseries":
            return f"https://www.youtube.com/watch?v={m[1]}", "Watch on YouTube"
        if "list" in query:
            return f"https://www.youtube.com/playlist?list={query['list'][0]}", "Watch on YouTube"
    elif host == "player.vimeo.com" and (m := _VIMEO.search(parts.path)):
        return f"https://vimeo.com/{m[1]}", "Watch on Vimeo"
    elif host == "open.spotify.com" and (m := _SPOTIFY.search(parts.path)):
        return f"https://open.spotify.com/{m[1]}/{m[2]}", "Listen on Spotify"
    elif host == "w.soundcloud.com" and "url" in query:
        target = _embed_target(query["url"][0])
        if target is not None:
            return target[0], "Listen on SoundCloud"
    return src, "Embedded content"


def _embed(m: re.Match[str]) -> str:
    src = _SRC.search(m[1])
    target = _embed_target(next(g for g in src.groups() if g is not None)) if src else None
    return _link(*target) if target else ""


def _media(m: re.Match[str]) -> str:
    """An <audio>/<video> player: WordPress' own player of this episode goes; another one
    (an episode it recommends) becomes links to its sources."""
    if "wp-audio-shortcode" in m[2] or "wp-video-shortcode" in m[2]:
        return ""
    label = "Listen" if m[1].lower() == "audio" else "Watch"
    links = []
    for src in _SRC.finditer(m[2] + m[3]):
        url = unescape(next(g for g in src.groups() if g is not None)).strip()
        if url.startswith("//"):
            url = "https:" + url
        if urlsplit(url).scheme.lower() in ("http", "https") and url not in links:
            links.append(url)
    return "".join(_link(url, label) for url in links)


def _drop_powerpress_players(markup: str) -> str:
    while m := _POWERPRESS_DIV.search(markup):
        depth, end = 0, len(markup)
        for tag in _DIV.finditer(markup, m.start()):
            depth += -1 if tag[1] else 1
            if depth == 0:
                end = tag.end()
                break
        markup = markup[: m.start()] + markup[end:]
    return markup


def before_sanitizing(markup: str, utf8: bytes | None = None) -> str:
    """Embedded players to links, WordPress players dropped, other players to their links.
    `utf8`: the markup's UTF-8 if the caller has it (cmark's output), to save encoding it."""
    # bytes.lower() lowers ASCII only, 4x faster than str.lower() on non-ASCII text, and finds
    # the same markers: no other character lowers to one of their letters (only K, the Kelvin
    # sign, lowers to ASCII "k"; İ lowers to "i" plus a combining dot).
    lowered = (markup.encode("utf-8", "surrogatepass") if utf8 is None else utf8).lower()
    if b"powerpress_player" in lowered:
        markup = _drop_powerpress_players(markup)
    if b"<iframe" in lowered:
        markup = _IFRAME.sub(_embed, markup)
    if b"<audio" in lowered or b"<video" in lowered:
        markup = _MEDIA.sub(_media, markup)
    return markup


# --- after sanitizing: cruft, blank lines, empty headings ------------------------------------

_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
_TAGS = re.compile(r"<[^>]*>")
_CRUFT = re.compile(
    r"\s*(?:Podcast:.*(?:Play in new window|Download)|Subscribe:[^.!?]*(?:RSS|Android|Apple"
    r"|Spotify|Email|Podcasts))[^.!?]*",
    re.DOTALL,
)
_PRE = re.compile(r"(<pre>.*?</pre>)", re.DOTALL)
_BLANK = re.compile(r"[ \t]*\n[ \t\n]*")
_BLOCK = r"</?(?:p|ul|ol|li|h[1-6]|blockquote|pre|table|figure|hr|img)\b[^>]*>"
_BRS = re.compile(r"<br/>(?:\s*<br/>)+")
_BR_AT_BLOCK = re.compile(rf"(^|{_BLOCK})\s*(?:<br/>\s*)+|(?:\s*<br/>)+\s*({_BLOCK}|$)")
_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.DOTALL)
# Text outside tags, as `_TAGS.sub("", region).strip()` finds it, but stopping at the first.
_HAS_TEXT = re.compile(r"\s*(?:<[^>]*>\s*)*[^<\s]|\s*(?:<[^>]*>\s*)*<[^>]*$")
_EMPTY = re.compile(r"<(p|a|li|b|strong|i|em)(?: [^>]*)?>\s*</\1>")


def _is_cruft(m: re.Match[str]) -> str:
    text = unescape(_TAGS.sub("", m[1]))
    return "" if _CRUFT.fullmatch(text) else m[0]


def _drop_empty_headings(markup: str) -> str:
    """Headings with no text or image before the next heading of their level (or the end),
    the headings dropped after them not counting. In time linear in the notes: a heading's
    region holds only lower headings, so the regions of one level never overlap (50,000
    headings took minutes when every region was cut from every later span dropped)."""
    headings = [(int(m[1]), m.start(), m.end()) for m in _HEADING.finditer(markup)]
    count = len(headings)
    if not count:
        return markup
    ends = [len(markup)] * count  # where each region ends: the next heading of its level or up
    upper: list[int] = []  # later headings, each of a level higher than the one after it
    for i in range(count - 1, -1, -1):
        while upper and headings[upper[-1]][0] > headings[i][0]:
            upper.pop()
        if upper:
            ends[i] = headings[upper[-1]][1]
        upper.append(i)
    dropped = [False] * count
    for i in range(count - 1, -1, -1):
        pieces, at, j = [], headings[i][2], i + 1
        while j < count and headings[j][1] < ends[i]:
            if dropped[j]:
                pieces.append(markup[at : headings[j][1]])
                at = headings[j][2]
            j += 1
        region = markup[at : ends[i]] if not pieces else "".join(pieces) + markup[at : ends[i]]
        if not (_HAS_TEXT.match(region) or "<img" in region):
            dropped[i] = True
    if not any(dropped):
        return markup
    kept, at = [], 0
    for (_level, start, stop), gone in zip(headings, dropped, strict=True):
        if gone:
            kept.append(markup[at:start])
            at = stop
    kept.append(markup[at:])
    return "".join(kept)


def _tidy(markup: str) -> str:
    if "<br/>" in markup:
        # Blank lines are made one after the <br/> steps only: those match whole runs of blanks
        # (\s*, a superset of _blank_lines' blanks), which _blank_lines never empties, so the
        # same ones either way (issue 18: one pass over the notes fewer; test_same_bytes.py).
        markup = _BRS.sub("<br/><br/>", markup)  # one blank line at most
        markup = _br_at_blocks(markup)
        return _blank_lines(markup)
    if "\n\n" in markup or "\n " in markup or " \n" in markup or "\t" in markup:
        markup = _blank_lines(markup)
    return markup


def _blank_lines(markup: str) -> str:
    """`_BLANK.sub("\n", markup)`, line by line: each run of spaces and tabs holding a newline
    becomes one newline. (The regex tries every position of the text, a quarter of the
    time it takes to read an episode, issue 18; tests/test_same_bytes.py compares.)"""
    lines = markup.split("\n")
    if len(lines) == 1:
        return markup
    inner = map(str.strip, lines[1:-1], repeat(" \t"))  # a generator expression: 2x the time
    return "\n".join([lines[0].rstrip(" \t"), *filter(None, inner), lines[-1].lstrip(" \t")])


def _br_at_blocks(markup: str) -> str:
    """`_BR_AT_BLOCK.sub(…)` tried only where a match can start: every match holds a <br/>,
    and starts at the block tag or the whitespace just before its first one (see
    _blank_lines; the same result, 30 times faster)."""
    out: list[str] = []
    pos = low = 0  # copied up to `pos`; no match starts before `low`
    while (brk := markup.find("<br/>", low)) >= 0:
        start = brk
        while start > low and markup[start - 1].isspace():  # str.isspace is re's \s
            start -= 1
        found = None
        if start > low and markup[start - 1] == ">":  # a block tag ending there, maybe
            after = max(low, markup.rfind(">", low, start - 1) + 1)
            tag = markup.find("<", after, start)
            while found is None and tag >= 0:
                found = _BR_AT_BLOCK.match(markup, tag)
                tag = markup.find("<", tag + 1, start)
        found = found or _BR_AT_BLOCK.match(markup, start)
        if found is None:
            low = brk + 1
            continue
        out += (markup[pos : found.start()], found[1] or "", "\n", found[2] or "")
        pos = low = found.end()
    return "".join(out) + markup[pos:] if out else markup


def after_sanitizing(markup: str) -> str:
    """Subscribe cruft, empty headings and paragraphs, runs of blank lines and <br/> dropped."""
    if "Podcast:" in markup or "Subscribe:" in markup:
        markup = _PARAGRAPH.sub(_is_cruft, markup)
    if "<h" in markup:
        markup = _drop_empty_headings(markup)
    if _EMPTY.search(markup):
        markup = _EMPTY.sub("", _EMPTY.sub("", markup))
    pieces = _PRE.split(markup) if "<pre>" in markup else [markup]
    # Odd pieces are <pre> blocks: their blank lines are the text's own.
    return "".join(p if i % 2 else _tidy(p) for i, p in enumerate(pieces)).strip()


def first_paragraph(notes: str) -> str | None:
    """The first paragraph of cleaned notes that holds text: a <p>, else the first line that is
    not a heading (layouts that use <div> and <br/> instead of <p>)."""
    for m in _PARAGRAPH.finditer(notes):
        if _TAGS.sub("", m[1]).strip():
            return m[0]
    for line in re.split(r"\n|<br/><br/>", notes):
        if (
            not line.lstrip().startswith(("<h", "<ul", "<ol", "<li"))
            and _TAGS.sub("", line).strip()
        ):
            return line
    return None


# --- mojibake ----------------------------------------------------------------------------

# A UTF-8 lead byte read as Windows-1252 (Â-ô) followed by a continuation byte read so too.
# C1 controls (U+0080-U+009F) are left out: text saved again after such a misreading holds
# Windows-1252's printable characters (€ ’ …), and a lone control is no evidence of mojibake.
_CONTINUATION = "[\u00a0-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]"
MOJIBAKE = re.compile(f"[\u00c2-\u00f4]{_CONTINUATION}")


def repair_text(text: str) -> str:
    """`text` with mojibake undone where ftfy is confident ("Lucaâ€™s" -> "Luca’s"); any other
    text comes back as it is, the same object. ftfy (and its import) runs only when a cheap
    regex sees a mojibake-like pair of characters."""
    # Its first characters (U+00C2-U+00F4) are C3 82-B4 in UTF-8: without a C3 byte there is no
    # pair, and encoding to look for one byte takes a sixth of the regex's time.
    if text.isascii() or b"\xc3" not in text.encode("utf-8", "surrogatepass"):
        return text
    if not MOJIBAKE.search(text):
        return text
    import ftfy

    # fix_encoding only: no quote, width, HTML-entity or line-break changes to correct text.
    fixed = ftfy.fix_encoding(text)
    return text if fixed == text else fixed


def _changed(before: str, after: str) -> str:
    """'…before…' -> '…after…' around the first change (for the note in `build`)."""
    start = next((i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b), 0)
    start = max(0, start - 15)
    return f"{before[start : start + 40]!r} -> {after[start : start + 36]!r}"


def notes_lines(text: str, before: str, after: str) -> list[int]:
    """The lines of the file `text`, whose show notes are `before`, that the repaired notes
    `after` changed (a repair keeps the line breaks)."""
    first = text.count("\n", 0, len(text) - len(before)) + 1
    pairs = zip(before.split("\n"), after.split("\n"), strict=False)
    return [first + i for i, (a, b) in enumerate(pairs) if a != b]


def _repair_value(value: object) -> object:
    if isinstance(value, str):
        return repair_text(value)
    if isinstance(value, list):
        return [_repair_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _repair_value(v) for k, v in value.items()}
    return value


def repair_episode(
    meta: dict[str, object], body: str
) -> tuple[dict[str, object], str, list[tuple[str | None, str]]]:
    """Front matter and notes with mojibake repaired, and (key or None for the notes, what
    changed) for each part that was."""
    repaired: list[tuple[str | None, str]] = []
    fixed_meta = {}
    for key, value in meta.items():
        fixed_meta[key] = fixed = _repair_value(value)
        if fixed is not value and fixed != value:  # (`.nan` is not equal to itself)
            repaired.append((key, _changed(repr(value), repr(fixed))))
    fixed_body = repair_text(body)
    if fixed_body is not body:
        repaired.append((None, _changed(body, fixed_body)))
    return fixed_meta, fixed_body, repaired
