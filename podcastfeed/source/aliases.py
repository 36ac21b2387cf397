"""Two keys of one field given different values (`audio:` and `enclosure:`, `person:` and
`guests:`): the first is read, and a warning names the one left unread. Pure."""

from __future__ import annotations

from podcastfeed.errors import Problem
from podcastfeed.source.fields import ALIASES, FieldReader

#: Fields whose keys are all read (keywords are merged, other formats each an enclosure), or
#: read in an order of their own (Hugo's publishDate before date).
_ALL_READ = frozenset({"keywords", "other_formats", "date", "expiry_date"})


def unread_aliases(f: FieldReader) -> None:
    """A warning, at its line, for each key of a field that another key of it overrides with a
    different value. A field mapped in [fields] is the site's choice: no warning."""
    found: list[Problem] = []
    for name, keys in ALIASES.items():
        if name in _ALL_READ or name in f.fields or len(keys) == 1:
            continue
        read = f.key_for(name)
        if read is None:
            continue
        for key in keys:
            value = f.meta.get(key)
            if key == read or key in f.taken or value in (None, "") or value == f.meta[read]:
                continue
            message = (
                f"'{key}' is not read: '{read}' gives the {name.replace('_', ' ')} "
                "(both are keys for it)"
            )
            hint = f'remove one of them, or choose the key in feed.toml: [fields] {name} = "{key}"'
            found.append(Problem("warning", message, f.display, f.line(key), hint))
    f.problems += sorted(found, key=lambda problem: problem.line or 0)
