"""The feed's XML itself: what the reader had to repair to read a feed that is not well-formed."""

from __future__ import annotations

from collections.abc import Iterator

from podcastfeed.lint.base import Feed, Hit, rule

XML_SPEC = "https://www.w3.org/TR/xml/#sec-well-formed"


@rule(
    "podcastfeed/not-well-formed",
    "warning",
    "The feed is well-formed XML",
    XML_SPEC,
)
def not_well_formed(feed: Feed) -> Iterator[Hit]:
    """XML parsers must stop at the first well-formedness error; podcast apps' parsers are
    forgiving, each in its own way. podcastfeed reads such a feed after repairs (a blank line
    or byte order mark before `<?xml`, HTML entities such as `&nbsp;` that XML does not define,
    a lone `&`, tags left open) and reports each one at its line: what another reader makes of
    it is anyone's guess. A feed that cannot be read at all is an error of `check` itself."""
    for line, what in feed.repairs:
        yield Hit(
            None, f"not well-formed XML, repaired: {what}", _hint(what), at=(feed.source, line)
        )


def _hint(what: str) -> str:
    if "before <?xml" in what:
        return "nothing may come before <?xml (often a blank line a plugin or template prints)"
    if "&" in what:
        return "escape & as &amp; and use numeric references (&#160;) for HTML entities"
    return "fix the XML at that line (a tag left open, a stray <)"
