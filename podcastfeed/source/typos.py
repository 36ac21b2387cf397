"""Front-matter keys one typo away from a key podcastfeed reads (`exerpt:`, `Title:`), which
would otherwise be ignored without a word: other keys belong to the site and stay silent. In
Hugo's TOML, a key that differs from one only in case (`Date`, `Description`) is that key
(fold_key_case)."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Iterable, Mapping

from podcastfeed.errors import Problem
from podcastfeed.source.fields import ALIASES

#: Every key an episode's front matter is read under.
KNOWN_KEYS = frozenset(key for keys in ALIASES.values() for key in keys) | {"check_ignore"}


#: A known key by its lower case (`publishdate` -> `publishDate`; keys that fold alike are
#: keys of one field).
_FOLDED = {key.lower(): key for key in sorted(KNOWN_KEYS, reverse=True)}


def fold_key_case(
    meta: dict[str, object], fields: Mapping[str, str]
) -> tuple[dict[str, object], dict[str, str]]:
    """`meta` with each key that is a known key in other case (`Date`, `PublishDate`,
    `Description`: Hugo reads front-matter keys case-insensitively, and sites such as
    arresteddevops/ado-hugo capitalize them) under the known spelling, unless that spelling is
    there too or `[fields]` maps the key; and known key -> the key as written (for its line)."""
    spelt: dict[str, str] = {}
    mapped = set(fields.values())
    for key in meta:
        known = _FOLDED.get(key.lower())
        if known is None or key in KNOWN_KEYS or key in mapped or known in meta:
            continue
        if known not in spelt:  # `Date` and `DATE`: the first
            spelt[known] = key
    if not spelt:
        return meta, spelt
    written = {key: known for known, key in spelt.items()}
    return {written.get(key, key): value for key, value in meta.items()}, spelt


def _one_edit(a: str, b: str) -> bool:
    """Are `a` and `b` one letter added, dropped, changed or two neighbours swapped apart?"""
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diff) == 2:
            i, j = diff
            return j == i + 1 and a[i] == b[j] and a[j] == b[i]
        return len(diff) == 1
    if abs(len(a) - len(b)) != 1:
        return False
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


@functools.cache
def near_key(key: str) -> str | None:
    """The known key `key` is one typo away from, if it is not known itself; a plural of a
    known key (`authors`, `files`: a site's own lists) is no typo."""
    if key in KNOWN_KEYS or len(key) < 4:
        return None
    stem = key.rstrip("s")
    near = [k for k in sorted(KNOWN_KEYS) if k.rstrip("s") != stem and _one_edit(key, k)]
    # of several ('tile': file, title), the most alike
    return max(near, key=lambda k: difflib.SequenceMatcher(None, key, k).ratio(), default=None)


def key_typos(
    keys: Iterable[str], fields: Mapping[str, str], source: str, line: Callable[[str], int | None]
) -> list[Problem]:
    """A warning for each of `keys` that looks like a misspelt known key (a key `[fields]`
    maps is known), at its line."""
    mapped = set(fields.values())
    return [
        Problem(
            "warning",
            f"unknown key '{key}' (ignored)",
            source=source,
            line=line(key),
            hint=f"did you mean '{known}'?",
        )
        for key in keys
        if key not in KNOWN_KEYS and key not in mapped and (known := near_key(key)) is not None
    ]
