"""Reading an RSS feed's XML safely: no network, no DTD, no entity expansion. Pure.

check, diff and import all read feeds, ours or anyone's, through this one reader. Real feeds are
often not well-formed (issue 15): a blank line or byte order mark before `<?xml`, HTML entities
XML does not define (`&nbsp;`), a lone `&`, an unclosed `<b>`. A feed that is not well-formed is
read again after the textual repairs below, then with lxml's recover mode; every repair is kept
with its line (`Repair`) for the caller to report. Only a file that cannot be read at all (a
download cut short, no root element, not RSS) is refused, with `FeedReadError`.
"""

from __future__ import annotations

import html
import html.entities
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from podcastfeed import xmlns
from podcastfeed.errors import PodcastfeedError, shorten

#: How lxml reads every foreign feed: no network, no DTD, no entity expansion, no size limit
#: (`huge_tree`: a 10,000-episode feed is hundreds of MB).
SAFE: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": True,
}

#: Prefixes feeds use without declaring them, and the namespace they always mean.
KNOWN_PREFIXES = {
    "itunes": xmlns.ITUNES,
    "podcast": xmlns.PODCAST,
    "atom": xmlns.ATOM,
    "content": xmlns.CONTENT,
    "spotify": xmlns.SPOTIFY,
    "googleplay": "http://www.google.com/schemas/play-podcasts/1.0",
    "media": "http://search.yahoo.com/mrss/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
#: A CDATA section or comment (left as it is), or an `&` with what may follow it.
_AMPERSAND = re.compile(
    rb"(<!\[CDATA\[.*?\]\]>|<!--.*?-->)|&(?:(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z_][\w.-]*);)?",
    re.DOTALL,
)
_LEADING = re.compile(rb"^(\xef\xbb\xbf)?([\s\xef\xbb\xbf]+)(?=<\?xml[\s?])")
#: The first element's name: the end of the file must close it, or the file was cut short.
_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_TAIL = 65536
#: A web page given for a feed (the show's site, not its feed): its start, and its feed link.
_HTML = re.compile(rb"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S)
_FEED_LINK = re.compile(rb"<link\b[^>]*\btype=[\"']application/(?:rss|atom)\+xml[\"'][^>]*>", re.I)
_HREF = re.compile(rb"\bhref=[\"']([^\"']+)[\"']", re.I)


@dataclass(frozen=True)
class Repair:
    """One thing the reader repaired to read a feed that is not well-formed."""

    line: int | None
    what: str

    def shown(self, source: str) -> str:
        """`feed.xml:12: warning: repaired …`, as editors jump to it."""
        where = f"{source}:{self.line}" if self.line else source
        return f"{where}: warning: repaired {self.what}"


class FeedReadError(PodcastfeedError):
    """The feed cannot be read at all (after every repair tried); `repairs` are the ones tried."""

    def __init__(
        self,
        message: str,
        *,
        source: str,
        line: int | None = None,
        hint: str | None = None,
        repairs: Iterable[Repair] = (),
    ) -> None:
        super().__init__(message, source=source, line=line, hint=hint)
        self.repairs = tuple(repairs)


def read_xml(data: bytes, source: str) -> tuple[etree._Element, list[Repair]]:
    """The root of an RSS feed and what was repaired to read it ([] for a well-formed one).

    Raises:
        FeedReadError: not readable even with repairs (cut short, no root element).
        PodcastfeedError: readable, but not RSS.
    """
    try:
        return rss_root(etree.fromstring(data, parser=etree.XMLParser(**SAFE)), source), []
    except etree.XMLSyntaxError as exc:
        fixed, repairs = prepare(data, source, exc)
    parser = etree.XMLParser(recover=True, **SAFE)
    try:
        root = etree.fromstring(fixed, parser=parser)
    except etree.XMLSyntaxError as exc:  # lxml raises when recovery finds no root at all
        raise unreadable(source, exc.msg, exc.lineno, repairs) from exc
    repairs += logged(parser.error_log)
    if root is None:
        raise unreadable(source, "no root element", None, repairs)
    _undeclared(root, repairs)
    return rss_root(root, source), repairs


def parse_feed(data: bytes, source: str, repairs: list[Repair] | None = None) -> etree._Element:
    """The root element of a feed, repaired if it must be (the repairs go to `repairs`).

    Raises:
        FeedReadError: not readable even with repairs.
        PodcastfeedError: not RSS.
    """
    root, found = read_xml(data, source)
    if repairs is not None:
        repairs += found
    return root


def prepare(data: bytes, source: str, error: etree.XMLSyntaxError) -> tuple[bytes, list[Repair]]:
    """The textual repairs of a feed that failed to parse with `error`, before lxml's recover
    mode reads the result (import reads it as a stream, check and diff as a tree).

    Raises:
        FeedReadError: the file was cut short (its first element is not closed near its end):
            recovering would silently drop the episodes after the cut.
    """
    if _HTML.match(data):
        raise _web_page(data, source)
    root = _ROOT.search(data)
    if root is not None:
        end = re.compile(rb"</\s*" + re.escape(root.group(1)) + rb"\s*>")
        if not end.search(data, max(0, len(data) - _TAIL)):
            name = root.group(1).decode("ascii", "replace")
            raise unreadable(
                source,
                error.msg,
                error.lineno,
                (),
                hint=f"the file ends before </{name}>: was the download cut short?",
            )
    repairs: list[Repair] = []
    data = _leading(data, repairs)
    data = _ampersands(data, repairs)
    data = _declare(data, repairs)
    return data, repairs


def _web_page(data: bytes, source: str) -> FeedReadError:
    """A web page where a feed was wanted; the hint names the feed it links to, if any."""
    link = _FEED_LINK.search(data)
    href = _HREF.search(link.group(0)) if link else None
    if href is None:
        hint = "give the feed's address (the page's RSS link), not the page's"
    else:
        feed = html.unescape(href.group(1).decode("utf-8", "replace"))
        hint = f"the page links to its feed: {urljoin(source, feed) if '://' in source else feed}"
    return FeedReadError("is a web page (HTML), not a feed", source=source, hint=hint)


def logged(log: Any) -> list[Repair]:
    """lxml's recover-mode errors as repairs, each once per line."""
    seen: set[tuple[int, str]] = set()
    found = []
    for entry in log:
        key = (entry.line, entry.message)
        if key in seen or entry.message.startswith("Premature end of data"):
            continue  # the end-of-file note follows from an error already listed
        seen.add(key)
        found.append(Repair(entry.line or None, f"not well-formed XML ({entry.message.strip()})"))
    return found


def unreadable(
    source: str,
    message: str | None,
    line: int | None,
    repairs: Iterable[Repair],
    hint: str | None = None,
) -> FeedReadError:
    return FeedReadError(
        f"not well-formed XML: {message or 'unreadable'}",
        source=source,
        line=line or None,
        hint=hint or "podcastfeed repairs stray entities, ampersands and tags, not this",
        repairs=repairs,
    )


def _declare(data: bytes, repairs: list[Repair]) -> bytes:
    """A well-known prefix (itunes:, podcast:, atom: …) used but never declared gets its
    namespace declared on the root element, as the feed's author meant."""
    start = _ROOT.search(data)
    if start is None:
        return data
    wanted = [
        prefix
        for prefix in KNOWN_PREFIXES
        if re.search(rb"</?" + prefix.encode() + rb":", data)
        and not re.search(rb"xmlns:" + prefix.encode() + rb"\s*=", data)
    ]
    if not wanted:
        return data
    line = data.count(b"\n", 0, start.start()) + 1
    added = "".join(f' xmlns:{prefix}="{KNOWN_PREFIXES[prefix]}"' for prefix in wanted)
    repairs.append(Repair(line, f"undeclared prefix(es) {', '.join(wanted)}: declared"))
    return data[: start.end()] + added.encode() + data[start.end() :]


def _undeclared(root: etree._Element, repairs: list[Repair]) -> None:
    """Elements a recovering parser left with an undeclared prefix in their name (`foo:bar`,
    which no namespace-aware code can read) are renamed `foo_bar`."""
    for element in root.iter():
        tag = element.tag
        if isinstance(tag, str) and ":" in tag and not tag.startswith("{"):
            renamed = tag.replace(":", "_")
            element.tag = renamed
            line: int | None = getattr(element, "sourceline", None)
            repairs.append(Repair(line, f"undeclared prefix in <{tag}>: read as <{renamed}>"))
        for name in [str(n) for n in element.attrib if ":" in str(n) and "{" not in str(n)]:
            element.attrib[name.replace(":", "_")] = element.attrib.pop(name)


def _leading(data: bytes, repairs: list[Repair]) -> bytes:
    """Blank lines or a byte order mark before `<?xml`: the declaration moves to the start and
    the line breaks after it, so every later line keeps its number."""
    found = _LEADING.match(data)
    if found is None:
        return data
    bom, space = found.group(1) or b"", found.group(2)
    end = data.find(b"?>", found.end()) + 2
    if end == 1:
        return data  # a declaration never closed: left to the recovering parser
    breaks = space.count(b"\n")
    what = []
    if breaks:
        what.append(f"{breaks} line break(s)")
    if b"\xef\xbb\xbf" in space:
        what.append("a byte order mark")
    if space.replace(b"\xef\xbb\xbf", b"").strip(b"\n"):
        what.append("white space")
    repairs.append(Repair(1, f"{' and '.join(what) or 'white space'} before <?xml: removed"))
    return bom + data[found.end() : end] + b"\n" * breaks + data[end:]


def _ampersands(data: bytes, repairs: list[Repair]) -> bytes:
    """HTML entities XML does not define become the characters they name; an `&` that starts
    no reference (or an unknown entity) becomes `&amp;`, so it reads as the text it is.
    CDATA sections and comments are left alone: an `&` is text there."""
    line, last = 1, 0

    def fix(found: re.Match[bytes]) -> bytes:
        nonlocal line, last
        if found.group(1) is not None:
            return found.group(0)
        name = found.group(2)
        if name is not None and (name.startswith(b"#") or name.decode() in _XML_ENTITIES):
            return found.group(0)
        line += data.count(b"\n", last, found.start())
        last = found.start()
        if name is None:
            repairs.append(Repair(line, "a lone '&': read as '&amp;'"))
            return b"&amp;"
        text = name.decode()
        character = html.entities.html5.get(text + ";")
        if character is None:
            shown = shorten(f"&{text};")
            repairs.append(Repair(line, f"undefined entity {shown}: kept as text"))
            return b"&amp;" + name + b";"
        shown = " ".join(f"U+{ord(c):04X}" for c in character)
        repairs.append(Repair(line, f"HTML entity &{text}; read as {shown}"))
        return "".join(f"&#{ord(c)};" for c in character).encode()

    return _AMPERSAND.sub(fix, data)


def rss_root(root: etree._Element, source: str) -> etree._Element:
    """`root` if it is an RSS document with a channel."""
    if root.tag != "rss" or root.find("channel") is None:
        raise PodcastfeedError(
            f"not an RSS feed (the root element is <{root.tag}>)",
            source=source,
            hint="podcastfeed reads RSS 2.0 podcast feeds",
        )
    return root
