"""What to do about the YAML mistakes people make in front matter, which the parser's own
words do not say: a tab, a title with a colon, a quote left open, no closing `---`. Pure."""

from __future__ import annotations

import re

#: `title: Episode 12: the return`: a plain value may not hold ': '.
_COLON_VALUE = re.compile(r"^(\s*(?:- )?[\w-]+):\s+([^\"'\s][^#]*:\s.*)$")


def yaml_hint(reason: str, fm_text: str, line: int | None) -> str | None:
    """The hint for a YAML error `reason` at file `line` (1: the opening ---)."""
    rows = fm_text.splitlines()
    row = rows[line - 2] if line and 2 <= line <= len(rows) + 1 else ""
    if "\t" in row:
        return "replace the tabs with spaces: YAML never indents with tabs"
    colon = _COLON_VALUE.match(row)
    if colon and "mapping values are not allowed" in reason:
        value = re.sub(r"\s+#.*$", "", colon.group(2)).rstrip().replace('"', '\\"')
        return f'a value with ": " in it needs quotes: {colon.group(1).strip()}: "{value}"'
    if "end of stream" in reason and re.search(r":\s+[\"']", row):
        return "the quote opened on this line is not closed"
    return None


def unclosed_hint(text: str) -> str:
    """The hint for a file without front matter: the closing --- is missing, or all of it."""
    if text.startswith(("---\n", "+++\n")):
        return f"the front matter opened on line 1 is not closed: add a {text[:3]} line after it"
    return "start the file with a --- line, the keys, and another ---"
