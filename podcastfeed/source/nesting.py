"""A cap on how deeply show-notes HTML nests, applied before the sanitizer (issue 12). Pure.

html5ever (inside nh3) works through its stack of open elements for each new tag, so time grows
with tags x depth: 50,000 `>` (nested block quotes) took 43 s to build, `<ul><li>` x 20,000
3.4 s per pass. Tags deeper than NESTING_LIMIT are dropped (their text is kept) and the caller
warns, so a 1 MB body renders in about a second at worst.
"""

from __future__ import annotations

import re
from itertools import accumulate

NESTING_LIMIT = 100
# Tags that open a level. Void elements and those whose end tag is optional and that close
# their open sibling (p, li, td ...) are left out: sloppy HTML leaves them open by the hundred.
_LEVEL = re.compile(
    r"<(/?)(?!(?:area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr|p|li|dt|dd"
    r"|tr|td|th|option|optgroup|rp|rt|thead|tbody|tfoot|colgroup|caption)\b)[A-Za-z][^<>]*>"
)
_STEP = {"": 1, "/": -1}


def cap_nesting(markup: str, limit: int = NESTING_LIMIT) -> tuple[str, int]:
    """(`markup` with tags past `limit` levels removed, the depth found when it was cut, else 0).

    Counts opening against closing tags as written (a fast estimate, in C for typical notes);
    only a body that goes past the limit is rewritten."""
    if markup.count("<") <= limit:  # most show notes: too few tags to nest that deep
        return markup, 0
    deepest = max(accumulate(map(_STEP.__getitem__, _LEVEL.findall(markup))), default=0)
    if deepest <= limit:
        return markup, 0
    depth = 0

    def keep(m: re.Match[str]) -> str:
        nonlocal depth
        if m[1]:
            depth -= 1
            return m[0] if depth + 1 <= limit else ""
        depth += 1
        return m[0] if depth <= limit else ""

    return _LEVEL.sub(keep, markup), deepest
