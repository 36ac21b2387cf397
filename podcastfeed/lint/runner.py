"""Running the rules on our own build or on any feed, and printing what they found.

`check_build` is what `podcastfeed build` runs (error rules only) on the feed `own_feed` parses
as the build renders it (the build hands it over: the rules know nothing of builds); `lint_data`
serves `check --feed`. The formats: text (grouped by file), json (one
object per finding) and github (workflow commands that annotate a pull request).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from podcastfeed.errors import PodcastfeedError, Problem
from podcastfeed.feeds.xml import Repair, parse_feed, rss_root
from podcastfeed.files import relative_name
from podcastfeed.lint.base import (
    RULES,
    SEVERITIES,
    Feed,
    Finding,
    Hit,
    Origin,
    Rule,
    count,
    text_of,
)
from podcastfeed.source.lookup import line_of, read_ignore
from podcastfeed.values import with_prefix

if TYPE_CHECKING:
    from podcastfeed.model import AudioInfo, Episode
    from podcastfeed.source.config import Config


def all_rules() -> dict[str, Rule]:
    """Every registered rule, by id (importing the rule modules registers them)."""
    import podcastfeed.lint.rules  # noqa: F401 - the rule modules register themselves

    return RULES


#: Elements no rule reads, emptied in our own feed: most of a feed's bytes are notes.
_UNREAD = ("{http://purl.org/rss/1.0/modules/content/}encoded",)


def parse_pieces(pieces: Iterable[bytes], source: str) -> etree._Element:
    """The root of a feed given piece by piece (as a build renders it), without the full show
    notes (content:encoded: a build hands its feed over without them) and without the blank
    text between elements (no rule reads it; at 10,000 episodes it is 18 of the tree's 65 MB).

    A plain parser, not an XMLPullParser: the tree an XMLPullParser makes is in a reference
    cycle with it (lxml 6), so it outlived the build's check until the garbage collector's next
    full pass, and the pages and the feed were written on top of it.

    Raises:
        PodcastfeedError: not well-formed XML, or not RSS.
    """
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=True
    )
    try:
        for piece in pieces:
            parser.feed(piece)
        root = parser.close()
    except etree.XMLSyntaxError as exc:
        raise PodcastfeedError(
            f"not well-formed XML: {exc.msg}", source=source, line=exc.lineno
        ) from exc
    for element in root.iter(_UNREAD):
        element.text = None
    return rss_root(root, source)


def run(
    feed: Feed,
    *,
    severities: Iterable[str] = SEVERITIES,
    online: bool = False,
    ignore: Iterable[str] = (),
    warn: frozenset[tuple[str, str]] = frozenset(),
) -> list[Finding]:
    """Run the rules (online ones only with `online`) and return what they found, in order;
    a hit whose (rule, key) is in `warn` is a warning whatever the rule's severity."""
    wanted = set(severities)
    skipped = set(ignore) | (feed.origin.ignore if feed.origin else frozenset())
    findings: list[Finding] = []
    for current in all_rules().values():
        if current.severity not in wanted or current.id in skipped:
            continue
        if current.online and not online:
            continue
        for hit in current.check(feed):
            finding = _locate(feed, current, hit)
            if finding is not None and (current.id, hit.key) in warn:
                finding = replace(finding, severity="warning")
            if finding is not None:
                findings.append(finding)
    return findings


def _item_of(element: etree._Element | None) -> etree._Element | None:
    while element is not None and element.tag != "item":
        element = element.getparent()
    return element


def _locate(feed: Feed, current: Rule, hit: Hit) -> Finding | None:
    """The finding for a hit, at its source; None when the episode's check_ignore lists it."""
    line: int | None = getattr(hit.element, "sourceline", None)
    where: tuple[str | None, int | None] = (feed.source, line)
    origin = feed.origin
    if hit.at is not None:
        where = hit.at
    elif origin is not None:
        item = _item_of(hit.element)
        if item is None:
            where = (origin.config_shown, origin.config_line(_config_key(hit.key)))
        else:
            guid = text_of(item.find("guid")) or ""
            if guid in origin.episodes:
                path, shown = origin.episodes[guid]
                lines, ignored = origin.front_matter(path)
                if current.id in ignored:
                    return None
                where = (shown, line_of(lines, hit.key))
    return Finding(current.id, current.severity, hit.message, where[0], where[1], hit.hint)


def _config_key(key: str | None) -> str | None:
    return {"owner_email": "owner", "itunes_image": "image"}.get(key or "", key)


FORMATS = ("text", "json", "github")


def origin_for(
    config: Config,
    published: Iterable[Episode],
    audio: Mapping[str, AudioInfo],
    repaired: Iterable[tuple[str, int | None, str]] = (),
) -> Origin:
    """Where each part of our own feed comes from: feed.toml, the episode files, the probes
    (by the enclosure URL the feed says, behind any analytics prefix), the local artwork;
    `repaired`: (file, line, what) for each text the build repaired."""
    settings, published = config.build, list(published)
    prefix = config.show.tags.enclosure_prefix
    images = [(config.show.image or "", config.show.image_file)]
    images += [(episode.image or "", episode.image_file) for episode in published]
    artwork = {
        url: (image.source, relative_name(image.source, settings.root))
        for url, image in images
        if image is not None
    }
    episodes = {
        episode.guid: (episode.source, relative_name(episode.source, settings.root))
        for episode in published
        if episode.guid is not None
    }
    return Origin(
        config=settings.config_path,
        config_shown=str(settings.config_path),
        episodes=episodes,
        probe_methods={with_prefix(url, prefix): info.method for url, info in audio.items()},
        measured={with_prefix(url, prefix): (i.duration, i.size) for url, i in audio.items()},
        ignore=read_ignore(settings.config_path),
        artwork=artwork,
        repaired=tuple(repaired),
        notes_as_written=not settings.fix_text,
    )


def own_feed(
    pieces: Iterable[bytes], shown: str, now: datetime, origin: Origin, base: Path, **options: Any
) -> Feed:
    """Our own feed, given piece by piece as a build renders it, parsed for the rules."""
    return Feed(parse_pieces(pieces, shown), shown, now, origin, base=base, **options)


#: Findings (rule, key) a build reports as warnings and still writes the feed (issue 15): a show
#: imported without an Apple category, or without artwork, builds the first time; `check`
#: reports it as an error.
BUILD_WARNINGS = frozenset(
    {("apple/required-tags", "categories"), ("apple/required-tags", "image")}
)


def check_build(feed: Feed) -> list[Finding]:
    """The error rules on the feed a build is about to write."""
    return run(feed, severities=("error",), warn=BUILD_WARNINGS)


def lint_data(
    data: bytes, source: str, now: datetime, *, base: Path | None = None, **options: Any
) -> Feed:
    """Any feed's bytes, parsed for the rules (a local path's folder is `base`); what the
    reader repaired to read it is kept for the rule podcastfeed/not-well-formed.

    Raises:
        FeedReadError: not readable even with repairs (podcastfeed.feeds.xml).
        PodcastfeedError: not RSS.
    """
    repairs: list[Repair] = []
    root = parse_feed(data, source, repairs)
    found = tuple((repair.line, repair.what) for repair in repairs)
    return Feed(root, source, now, base=base, repairs=found, **options)


#: The rule id of a finding that says why nothing could be checked (not a registered rule).
UNREADABLE = "podcastfeed/unreadable"
_LEVELS = {"error": "error", "warning": "warning", "note": "info"}


#: The rule id of a warning the build itself gives (an unknown feed.toml key, a misspelt
#: front-matter key): `check` reports it with the findings, so --strict fails on it as
#: `build --strict` does (not a registered rule).
BUILD_WARNING = "podcastfeed/build"


def failure_findings(exc: PodcastfeedError) -> list[Finding]:
    """What stopped the check (a feed that cannot be read or parsed, a show that does not
    build: each problem of a BuildFailed) as findings, so `--format json` and `github` say it
    on stdout too (issue 15)."""
    return problem_findings(getattr(exc, "problems", None) or [exc.to_problem()], UNREADABLE)


def problem_findings(problems: Iterable[Problem], rule: str) -> list[Finding]:
    """Problems of a build as findings of `rule`."""
    return [
        Finding(
            rule,
            _LEVELS.get(problem.level, "error"),
            problem.message,
            str(problem.source) if problem.source is not None else None,
            problem.line,
            problem.hint,
        )
        for problem in problems
    ]


# --- output ----------------------------------------------------------------------------------

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_RESET, _BOLD = "\033[0m", "\033[1m"


def format_text(findings: Iterable[Finding], *, color: bool = False) -> str:
    """Findings grouped by file, each `  LINE: severity: message [rule]` and its hint."""
    findings = list(findings)
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.file or "(feed)", []).append(finding)
    lines: list[str] = []
    for file, group in groups.items():
        lines.append(f"{_BOLD}{file}{_RESET}" if color else file)
        for finding in sorted(group, key=lambda f: f.line or 0):
            severity = finding.severity
            if color:
                severity = f"{_COLORS[severity]}{severity}{_RESET}"
            where = f"{finding.line}: " if finding.line else ""
            lines.append(f"  {where}{severity}: {finding.message} [{finding.rule}]")
            if finding.hint:
                lines.append(f"    hint: {finding.hint}")
    totals = count(findings)
    lines.append(
        f"{totals['error']} error(s), {totals['warning']} warning(s), {totals['info']} info"
    )
    return "\n".join(lines) + "\n"


def format_json(findings: Iterable[Finding]) -> str:
    """A JSON array of {rule, severity, message, file, line, hint}."""
    return json.dumps([f.as_dict() for f in findings], indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def format_github(findings: Iterable[Finding]) -> str:
    """GitHub Actions workflow commands: `::error file=F,line=L,title=RULE::MESSAGE`."""
    lines = []
    for finding in findings:
        props = []
        if finding.file:
            props.append(f"file={_escape_property(finding.file)}")
        if finding.line:
            props.append(f"line={finding.line}")
        props.append(f"title={_escape_property(finding.rule)}")
        message = finding.message + (f"\nhint: {finding.hint}" if finding.hint else "")
        level = _GITHUB_LEVELS[finding.severity]
        lines.append(f"::{level} {','.join(props)}::{_escape_data(message)}")
    return "".join(line + "\n" for line in lines)


def render(findings: list[Finding], kind: str, *, color: bool = False) -> str:
    if kind == "json":
        return format_json(findings)
    if kind == "github":
        return format_github(findings)
    return format_text(findings, color=color)
