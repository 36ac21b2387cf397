"""Show notes: Markdown (raw HTML allowed) to sanitized HTML, plain text and a short description.

Pure: no I/O, no clock. Output is deterministic and XML-safe (no forbidden characters, no "]]>").
"""

# Speed, min of 7 runs on a shared 2-core box, Python 3.11: the seed body x5 (25.7 KB, HTML-heavy)
# takes render_notes ~1.5 ms (cmark 0.06 ms; nh3 0.47 ms and our post-pass 0.33 ms, twice, as raw
# HTML gets the stability pass), make_description ~0.9 ms, html_to_text ~0.9 ms. Dense Markdown
# (19 KB, 1,400 elements, one pass) ~2.7 ms. The sanitizer, not the Markdown parser, dominates.

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from html import unescape
from typing import Any
from urllib.parse import urljoin, urlsplit

import nh3

from podcastfeed.source.cleanup import after_sanitizing, before_sanitizing
from podcastfeed.source.commonmark import (
    drop_heading_attributes,
    markdown_to_html,
    markdown_utf8,
)
from podcastfeed.source.excerpts import excerpt_html
from podcastfeed.source.nesting import NESTING_LIMIT, cap_nesting
from podcastfeed.source.xmlchars import has_reference, stripped_utf8
from podcastfeed.source.xmlchars import strip_control_chars as strip_control_chars  # re-export

DESCRIPTION_LIMIT = 4000  # bytes, Apple's limit for <description>
Token = tuple[str, str, str]  # (kind: "start" "end" "void" "text", tag name, markup or text)


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


CONTENT_TAGS = _names(
    "p br a ul ol li b i strong em u s h1 h2 h3 h4 h5 h6 blockquote img code pre hr sup sub"
    " table caption thead tbody tfoot tr th td figure figcaption"
)
DESCRIPTION_TAGS = _names("p ol ul li a b i strong em br")
# Layout containers are kept through nh3 only so that their boundaries survive as whitespace
# ("<div>a</div><div>b</div>" must not become "ab"); the post-pass drops the tags themselves.
_UNWRAP = _names("div section article header footer aside nav main dl dt dd details summary")
# Dropped with their content: text inside must not leak (an iframe's content is raw text to an
# HTML parser, so "<iframe><script>" would otherwise come out as visible "&lt;script&gt;").
_DROP_WITH_CONTENT = _names(
    "script style iframe object embed applet noscript noembed noframes template svg math"
    " textarea select title xmp marquee button"
)
_BLOCKS = (CONTENT_TAGS | _UNWRAP) - _names("a b i strong em u s code sup sub img")
_SCHEMES = frozenset({"http", "https", "mailto"})
_ABSOLUTE = ("http://", "https://", "mailto:")


@functools.lru_cache(maxsize=256)
def _cleaner(base_url: str | None) -> nh3.Cleaner:
    """The sanitizer, resolving relative URLs against `base_url` itself (in Rust: a Python
    pass over every link cost as much as the sanitizing). One per base, a few µs to make."""
    # rel: none. nh3 adds rel="noopener noreferrer" by default, but `target` is dropped, so there
    # is nothing for noopener to guard and podcast apps ignore rel; no rel keeps the output small.
    options: dict[str, Any] = {
        "tags": set(CONTENT_TAGS | _UNWRAP),
        "clean_content_tags": set(_DROP_WITH_CONTENT),
        "attributes": {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"}},
        "url_schemes": set(_SCHEMES),
        "link_rel": None,
        "strip_comments": True,
    }
    if base_url:
        try:
            return nh3.Cleaner(**options, url_relative=("rewrite_with_base", base_url))
        except ValueError:  # not a URL nh3 can resolve against: leave relative URLs as they are
            pass
    return nh3.Cleaner(**options)


_CLEANER = _cleaner(None)

# nh3 (html5ever) serializes tags canonically: lowercase names, double-quoted values with & " < >
# escaped, and text never holds a raw "<". So a regex is a faithful tokenizer of *its* output.
_TAG = re.compile(r'<(/?)([a-z][a-z0-9]*)((?: [a-z-]+="[^"]*")*)/?>')
# Only <a> and <img> need a Python callback; the rest is plain substitution (3x faster).
_FIX = re.compile(r'<(/?)(a|img)((?: [a-z-]+="[^"]*")*)>')
_UNWRAP_TAG = re.compile(rf"</?(?:{'|'.join(sorted(_UNWRAP))})>")
_ATTR = re.compile(r' ([a-z-]+)="([^"]*)"')
# An <a> without href or an <img> without src: nh3 took out an unsafe (or relative, with no
# base) URL. Rare, so only then does the Python callback above run.
_UNSAFE_DROPPED = re.compile(
    r'<a(?: (?!href=)[a-z-]+="[^"]*")*>|<img(?: (?!src=)[a-z-]+="[^"]*")*>'
)
_IMG = re.compile(r'<img((?: [a-z-]+="[^"]*")*)>')
_PROTOCOL_RELATIVE = re.compile(r'( (?:href|src))="//')
_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML whitespace; U+00A0 is deliberately not in it


def _escape(text: str, quote: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


def _resolve(url: str, base_url: str | None) -> str | None:
    url = url.strip()
    if url.startswith("//"):
        return "https:" + url
    if base_url is None or url[:8].lower().startswith(_ABSOLUTE):
        return url  # nh3 has vetted the scheme; skipping urljoin halves the post-pass time
    joined = urljoin(base_url, url)
    scheme = urlsplit(joined).scheme.lower()
    return joined if scheme in _SCHEMES or not scheme else None  # defence in depth


def _attrs(raw: str, base_url: str | None) -> str:
    out = []
    for name, value in _ATTR.findall(raw):
        if name in ("href", "src"):
            url = unescape(value)
            resolved = _resolve(url, base_url)
            if resolved is None:
                continue
            if resolved != url:
                value = _escape(resolved, quote=True)
        out.append(f' {name}="{value}"')
    return "".join(out)


def _clean_once(markup: str, base_url: str | None, clean: bool = False) -> tuple[str, bool]:
    """nh3, then XML-friendly serialization; True if an <a> was unwrapped. URLs are resolved
    here: an nh3 attribute_filter calls Python for every kept attribute (+0.1-0.16 ms per 26 KB,
    +25-33%); this pass only visits the <a> and <img> it rewrites anyway. `clean=True`: the
    caller knows the output holds nothing strip_control_chars removes (see has_reference)."""
    links: list[bool] = []  # per open <a>: was it kept? (an <a> whose href was unsafe is not)
    unwrapped = False

    def fix_tag(m: re.Match[str]) -> str:
        nonlocal unwrapped
        slash, name, raw = m.groups()
        attrs = _attrs(raw, base_url) if raw else ""
        if name == "a":
            if slash:
                return "</a>" if links and links.pop() else ""
            links.append(" href=" in attrs)
            unwrapped = unwrapped or not links[-1]
            return f"<a{attrs}>" if links[-1] else ""
        # An image whose URL was unsafe (javascript:, data:) shows nothing useful.
        return f"<img{attrs}/>" if " src=" in attrs else ""

    out = _cleaner(base_url).clean(markup)
    # Where nh3 removed a URL, unwrap the dead link and drop the image (the Python callback);
    # otherwise only self-close <img> for XML readers.
    # (Each regex runs only where its text occurs: a scan for a literal is 10x cheaper.)
    if _UNSAFE_DROPPED.search(out):
        out = _FIX.sub(fix_tag, out)
    elif "<img" in out:
        out = _IMG.sub(r"<img\1/>", out)
    if '="//' in out:
        out = _PROTOCOL_RELATIVE.sub(r'\1="https://', out)
    out = _UNWRAP_TAG.sub("\n", out)
    out = out.replace("<br>", "<br/>").replace("<hr>", "<hr/>")
    out = out.replace("\r", "\n")  # from "&#13;"; parsers turn a raw CR into LF anyway
    # HTML parsers drop one newline right after <pre>; html5ever does not put it back, so
    # without this, sanitizing twice would eat a leading blank line of preformatted text.
    out = out.replace("<pre>\n", "<pre>\n\n").replace("&nbsp;", "\xa0")
    # Character references such as "&#1;" decode to forbidden characters inside nh3, so strip
    # again. "]]>" cannot occur: ">" is escaped as &gt; in text and in attribute values.
    return (out if clean else strip_control_chars(out)), unwrapped


def _sanitize(markup: str, base_url: str | None, clean: bool = False) -> str:
    # No strip before: _clean_once strips its output (where "&#1;" & co. have been decoded too).
    out, unwrapped = _clean_once(markup, base_url, clean)
    # Unwrapping a dead link can leave a nesting an HTML parser rebuilds differently on a second
    # reading ("<h2><a><h2>"); re-sanitize until stable then. Other raw HTML that a parser
    # restructures (misnested links, foster-parented table content) is not settled: the output
    # is safe and deterministic, and settling every raw-HTML body cost a third of a 10,000
    # episode build (bench/README.md).
    for _ in range(4 if unwrapped else 0):
        again, _ = _clean_once(out, base_url)
        if again == out:
            break
        out = again
    return out


def render_notes(
    body: str,
    *,
    base_url: str | None,
    is_html: bool = False,
    warnings: list[str] | None = None,
    clean: bool = False,
) -> str:
    """Markdown (raw HTML allowed) -> sanitized HTML for content:encoded.

    `is_html=True` (for .html episode files) skips Markdown and only sanitizes. Relative href/src
    are resolved against `base_url` (the episode page URL) when given; "//host/x" becomes https.
    The result is also a well-formed XML fragment and holds no "]]>", so it fits in CDATA.
    Nesting past NESTING_LIMIT levels is flattened, with a message added to `warnings`.
    `clean=True` applies cleanup.py's transformations ([build] clean_notes, issue 14).
    """
    markup, data = stripped_utf8(body)
    no_refs = not has_reference(markup)  # cmark decodes "&#1;" in Markdown text to U+0001
    utf8 = None if is_html else markdown_utf8(data)
    html = markup if utf8 is None else drop_heading_attributes(utf8.decode("utf-8", "replace"))
    if clean:  # (cmark's bytes hold the same ASCII markers as the text it finds them in)
        cleaned = before_sanitizing(html, utf8)
        # It percent-decodes query strings of embedded players ("?list=%01") into links.
        no_refs = no_refs and (cleaned is html or "%" not in html)
        html = cleaned
    html = _capped(html, warnings)
    out = _sanitize(html, base_url, clean=no_refs and not has_reference(html))
    return after_sanitizing(out) if clean else out


def _capped(markup: str, warnings: list[str] | None) -> str:
    markup, depth = cap_nesting(markup)
    if depth and warnings is not None:
        warnings.append(
            f"nest {depth:,} levels deep; tags past level {NESTING_LIMIT} were dropped "
            "(their text is kept)"
        )
    return markup


def _tokens(markup: str) -> Iterator[Token]:
    """(kind, tag name, text) for sanitized HTML: kind is "start", "end" or "text" (unescaped)."""
    pos = 0
    for m in _TAG.finditer(markup):
        if m.start() > pos:
            yield "text", "", unescape(markup[pos : m.start()])
        yield "end" if m[1] else "start", m[2], m[0]
        pos = m.end()
    if pos < len(markup):
        yield "text", "", unescape(markup[pos:])


def html_to_text(html: str) -> str:
    """Plain text of HTML: tags dropped, entities decoded, whitespace collapsed, blocks on lines."""
    parts = []  # nh3's own output is enough here: it keeps <div> & co. to break lines at
    for kind, name, text in _tokens(_CLEANER.clean(strip_control_chars(html))):
        if kind == "text":
            parts.append(_SPACE.sub(" ", text))
        elif name in ("td", "th"):
            parts.append(" ")
        elif name in _BLOCKS:
            parts.append("\n")
    lines = (_SPACE.sub(" ", line).strip(" ") for line in "".join(parts).split("\n"))
    return strip_control_chars("\n".join(line for line in lines if line))


def _description_tokens(markup: str, limit: int) -> tuple[list[Token], bool]:
    """Sanitized HTML reduced to the description tags, whitespace collapsed, empties dropped.
    Stops once well past `limit` (only a prefix can be used) and then returns False as well."""
    out: list[Token] = []
    size = 0  # characters added so far (an upper bound: pops are not subtracted)

    def add_text(piece: str) -> None:
        nonlocal size
        size += len(piece)
        if out and out[-1][0] == "text":
            out[-1] = ("text", "", _SPACE.sub(" ", out[-1][2] + piece))
        elif piece:
            out.append(("text", "", piece))

    complete = True
    for kind, name, text in _tokens(markup):
        if size > limit + 200:
            complete = False
            break
        if kind == "text":
            add_text(_SPACE.sub(" ", text))
        elif name not in DESCRIPTION_TAGS:
            add_text(" " if name in _BLOCKS else "")  # keep words of adjacent blocks apart
        elif kind == "start":
            out.append(("void", name, "<br/>") if name == "br" else (kind, name, text))
            size += len(text)
        else:
            if out and out[-1][0] == "text" and not out[-1][2].strip(" "):
                out.pop()
            if out and out[-1][:2] == ("start", name):  # left empty, e.g. <p><img></p>
                out.pop()
                add_text(" " if name in _BLOCKS else "")
            else:
                out.append((kind, name, text))
                size += len(text)
    # Trim whitespace at the edges and next to block tags.
    for i, (kind, _, text) in enumerate(out):
        if kind == "text":
            if i == 0 or out[i - 1][1] in _BLOCKS:
                text = text.lstrip(" ")
            if i == len(out) - 1 or out[i + 1][1] in _BLOCKS:
                text = text.rstrip(" ")
            out[i] = ("text", "", text)
    out = [t for t in out if t[0] != "text" or t[2]]
    # A lone paragraph (a one-line summary, or a long one cut short) needs no <p> around it.
    paragraphs = [t[:2] for t in out].count(("start", "p"))
    if paragraphs == 1 and out[0][:2] == ("start", "p"):
        if out[-1][:2] == ("end", "p"):
            out = out[1:-1]
        elif not complete and ("end", "p") not in [t[:2] for t in out]:
            out = out[1:]
    return out, complete


def _cut_text(text: str, room: int, *, hard: bool) -> str:
    """Longest prefix of `text` whose escaped UTF-8 fits in `room` bytes, at a word boundary."""
    used, end = 0, 0
    for ch in text:
        used += len(_escape(ch).encode("utf-8"))
        if used > room:
            break
        end += 1
    if end < len(text) and text[end] != " ":
        space = text.rfind(" ", 0, end)
        if space >= 0 or not hard:
            end = max(space, 0)
    return text[:end].rstrip(" ")


def _truncate(tokens: list[Token], limit: int) -> str:
    out: list[Token] = []
    stack: list[str] = []
    used = 0
    for kind, name, text in tokens:
        piece = _escape(text) if kind == "text" else text
        closing = sum(len(n) + 3 for n in stack) + (len(name) + 3 if kind == "start" else 0)
        if kind != "end" and used + len(piece.encode("utf-8")) + closing + 3 > limit:  # 3: "…"
            if kind == "text":
                hard = not any(t[0] == "text" for t in out)
                if cut := _cut_text(text, limit - used - closing - 3, hard=hard):
                    out.append(("text", "", _escape(cut)))
            break
        out.append((kind, name, piece))
        used += len(piece.encode("utf-8"))
        if kind == "start":
            stack.append(name)
        elif kind == "end":
            stack.pop()
    while out and out[-1][0] in ("start", "void"):  # the ellipsis follows words, not a tag
        if out.pop()[0] == "start":
            stack.pop()
    at = max((i + 1 for i, t in enumerate(out) if t[0] == "text"), default=0)
    if at == 0:
        return ""
    pieces = [t[2] for t in out]
    pieces[at - 1] = pieces[at - 1].rstrip(" ") + "…"
    return "".join(pieces) + "".join(f"</{name}>" for name in reversed(stack))


def make_description(
    notes_html: str, *, summary: str | None = None, limit: int = DESCRIPTION_LIMIT
) -> str:
    """The item <description>: `summary` if given (text, HTML or Markdown: excerpt_html),
    else the notes.

    Sanitized to Apple's description tags (p ol ul li a b i strong em, plus br) and at most
    `limit` UTF-8 bytes. When cut, it ends at a word boundary with "…" and every open tag is
    closed, never inside a tag, an entity or a character. The result is a well-formed XML fragment.
    """
    tokens: list[Token] = []
    if summary and summary.strip():
        summary_html = excerpt_html(strip_control_chars(summary), markdown_to_html)
        if "<" in summary_html or "&" in summary_html or summary_html.startswith("\ufeff"):
            summary_html = _sanitize(_capped(summary_html, None), None)
        else:  # plain text (most excerpts): what nh3 makes of it (it drops a leading BOM)
            summary_html = summary_html.replace("\r\n", "\n").replace("\r", "\n")
            summary_html = summary_html.replace(">", "&gt;")
        tokens, complete = _description_tokens(summary_html, limit)
    if not tokens:  # no summary, or one that sanitizes to nothing
        tokens, complete = _description_tokens(_sanitize(notes_html, None), limit)
    full = "".join(_escape(t) if kind == "text" else t for kind, _, t in tokens)
    if complete and len(full.encode("utf-8")) <= limit:
        return full
    return _truncate(tokens, limit)
