"""CommonMark (raw HTML allowed) to HTML with cmark-gfm's C library, its buffer freed. Pure."""

from __future__ import annotations

import ctypes
import re
import sys
from typing import Any

from cmarkgfm import _cmark
from cmarkgfm.cmark import Options

_CMARK_OPTIONS = Options.CMARK_OPT_UNSAFE  # raw HTML passes; nh3 makes it safe afterwards
# cmarkgfm.markdown_to_html never frees the C buffer it gets from cmark (theacodes/cmarkgfm#53):
# measured ~2.4x the input size leaked per call, ~600 MB for 10,000 26 KB notes. We call the
# same C function and free the buffer; cmark allocates with the C library's malloc. On Windows
# the extension's CRT is not reliably reachable through ctypes, so there we leak as upstream does.
_free: Any = None
if sys.platform != "win32":
    _free = ctypes.CDLL(None).free
    _free.argtypes, _free.restype = [ctypes.c_void_p], None


def markdown_to_html(text: str) -> str:
    """`text` rendered by cmark. Raw HTML passes as written: a sanitizer must follow."""
    # cmark encodes "&#xFFFE;" / "&#xFFFF;" as the single bytes FE / FF (invalid UTF-8), which
    # makes cmarkgfm.markdown_to_html raise; "replace" turns them into U+FFFD instead.
    return markdown_utf8(text.encode("utf-8")).decode("utf-8", "replace")


def markdown_utf8(data: bytes) -> bytes:
    """markdown_to_html's result as cmark wrote it (UTF-8, mostly), from UTF-8 `data`."""
    raw = _cmark.lib.cmark_markdown_to_html(data, len(data), _CMARK_OPTIONS)
    try:
        out: bytes = _cmark.ffi.string(raw)
    finally:
        if _free is not None:
            _free(int(_cmark.ffi.cast("uintptr_t", raw)))
    return out


#: An attribute list closing a heading, `## Overview {#overview}` or kramdown's
#: `{: .lead #intro}`: Hugo (Goldmark) and Jekyll (kramdown) make it the heading's id and
#: classes; cmark leaves it in the text. Only ids and classes: `## Sets {a, b}` is text.
_HEADING_ATTRIBUTES = re.compile(
    r"[ \t]+\{:?[ \t]*(?:[#.][A-Za-z_][\w:-]*[ \t]*)+\}[ \t]*(?=</h[1-6]>)"
)


def drop_heading_attributes(html: str) -> str:
    """cmark's `html` without the attribute lists that close headings (the sanitizer would
    drop the id and classes they set anyway): as the sites' own pages show the heading
    (alexmurray/ubuntu-security-podcast's content/episode/*.md: `## Overview {#overview}`)."""
    if "{" not in html:
        return html
    return _HEADING_ATTRIBUTES.sub("", html)
