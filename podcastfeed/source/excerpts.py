"""An episode's `excerpt` (or `description`, `summary`, `subtitle`) as HTML for <description>:
Markdown only when it is meant as Markdown (issue 15's review). Pure: no I/O.

A WordPress excerpt or an imported `itunes:summary` is plain text (or HTML); read as Markdown,
`my_file_name and _underscored_ words` lost its underscores to an <em>. Such text is kept as
written; Markdown is read only when the text uses a mark plain text does not make by accident.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# A link or image `[x](url)`, `**strong**`, or a line that opens a list (`- `, `* `, `+ `,
# `1. `), a heading (`# `), a quote (`> `) or a code fence. `*x*`, `_x_`, `__x__` (Python's
# `__init__`) and backticks are not among them: plain text uses them as they are.
_MARKDOWN_MARKS = re.compile(
    r"\]\([^)\s]+[^)]*\)|\*\*[^*\s][^*]*\*\*"
    r"|^ {0,3}(?:[-*+]|\d{1,3}[.)]|#{1,6}|>)(?: |$)|^ {0,3}(?:```|~~~)",
    re.MULTILINE,
)
_HAS_TAG = re.compile(r"<[A-Za-z/!]")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def is_markdown(text: str) -> bool:
    """Whether `text` uses a mark only Markdown makes (_MARKDOWN_MARKS)."""
    return _MARKDOWN_MARKS.search(text) is not None


def excerpt_html(text: str, markdown: Callable[[str], str]) -> str:
    """`text` rendered by `markdown` (CommonMark, raw HTML allowed) when is_markdown; else the
    text or HTML as written (the sanitizer that follows reads it as HTML: entities such as
    WordPress' `&#8217;` are decoded, a lone `<` or `&` stays a character). Blank lines in plain
    text still separate paragraphs."""
    if is_markdown(text):
        return markdown(text)
    if not _HAS_TAG.search(text):
        paragraphs = [part.strip() for part in _BLANK_LINE.split(text) if part.strip()]
        if len(paragraphs) > 1:
            return "".join(f"<p>{part}</p>" for part in paragraphs)
    return text
