"""Running the rules on our own build or on any feed, and printing what they found.

`check_build` is what `podcastfeed build` runs (error rules only); `lint_build` and `lint_data`
serve `podcastfeed check` and `check --feed`. The formats: text (grouped by file), json (one
object per finding) and github (workflow commands that annotate a pull request).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from podcastfeed.feeds.xml import parse_feed
from podcastfeed.files import relative_name
from podcastfeed.lint.base import (
    Feed,
    Finding,
    Origin,
    count,
    parse_pieces,
    read_ignore,
    run,
)

if TYPE_CHECKING:
    from podcastfeed.build import BuildReport

FORMATS = ("text", "json", "github")


def origin_for(report: BuildReport) -> Origin:
    """Where each part of the report's feed comes from."""
    settings = report.config.build
    episodes = {
        episode.guid: (episode.source, relative_name(episode.source, settings.root))
        for episode in report.published
        if episode.guid is not None
    }
    return Origin(
        config=settings.config_path,
        config_shown=str(settings.config_path),
        episodes=episodes,
        probe_methods={url: info.method for url, info in report.audio.items()},
        ignore=read_ignore(settings.config_path),
    )


def feed_for(report: BuildReport, now: datetime, **options: Any) -> Feed:
    """The report's feed, parsed, with its origin. Rendered without the full show notes
    (content:encoded), which no rule reads and which are most of a big feed's bytes."""
    shown = relative_name(report.output, report.config.build.root)
    light = replace(report, published=[replace(e, notes=b"") for e in report.published])
    root = parse_pieces(light.feed_pieces(), shown)
    return Feed(root, shown, now, origin_for(report), base=report.config.build.root, **options)


def check_build(report: BuildReport, now: datetime) -> list[Finding]:
    """The error rules on the feed a build is about to write."""
    return run(feed_for(report, now), severities=("error",))


def lint_data(
    data: bytes, source: str, now: datetime, *, base: Path | None = None, **options: Any
) -> Feed:
    """Any feed's bytes, parsed for the rules (a local path's folder is `base`)."""
    return Feed(parse_feed(data, source), source, now, base=base, **options)


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
        f"{totals['error']} error(s), {totals['warning']} warning(s), {totals['info']} note(s)"
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
