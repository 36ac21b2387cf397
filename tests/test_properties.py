"""Hypothesis: arbitrary text in front matter or feed.toml never crashes a build or the XML."""

import contextlib
from datetime import UTC, datetime
from pathlib import Path

import yaml
from conftest import Site
from feedcheck import parse_both
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podcastfeed.build import build
from podcastfeed.errors import BuildFailed
from podcastfeed.source.cleanup import repair_text
from podcastfeed.source.config import load_config
from podcastfeed.source.episodes import read_episode
from podcastfeed.source.wordpress import decode_entities, php_unserialize, read_powerpress

NOW = datetime(2030, 1, 1, tzinfo=UTC)
FIELDS = ("title", "excerpt", "category", "tag", "permalink", "thumbnail", "author", "guid")
SLOW = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _site(tmp_path: Path) -> Site:
    site = Site(tmp_path / "show")
    site.audio("sine-3s-cbr.mp3")
    return site


@SLOW
@given(text=st.text())
def test_any_text_as_an_episode_file_reads_or_reports(tmp_path_factory, text: str) -> None:  # type: ignore[no-untyped-def]
    site = _site(tmp_path_factory.mktemp("s"))
    config = load_config(site.config)
    path = site.episode("e", text)
    episode, problems = read_episode(path, config.show, config.build)
    assert episode is not None or any(p.is_error for p in problems)


@SLOW
@given(text=st.text(), fence=st.sampled_from(["+++\n", "---\nenclosure:\n- "]))
def test_any_toml_or_powerpress_text_reads_or_reports(tmp_path_factory, text, fence) -> None:  # type: ignore[no-untyped-def]
    """Hugo's TOML front matter and PowerPress' enclosure string (issue 14), any text in them."""
    site = _site(tmp_path_factory.mktemp("s"))
    config = load_config(site.config)
    closing = "\n+++\n" if fence.startswith("+") else "\ntitle: t\ndate: 2024-01-01\n---\n"
    path = site.episode(
        "e", fence + (yaml.safe_dump(text) if "enclosure" in fence else text) + closing
    )
    episode, problems = read_episode(path, config.show, config.build)
    assert episode is not None or any(p.is_error for p in problems)


@given(text=st.one_of(st.text(), st.from_regex(r"\A[aisdbN][:;].*", fullmatch=True)))
def test_any_text_as_php_serialization_is_a_value_or_a_value_error(text: str) -> None:
    for read in (php_unserialize, read_powerpress):
        with contextlib.suppress(ValueError):
            read(text)


@SLOW
@given(values=st.fixed_dictionaries({name: st.text() for name in FIELDS}), body=st.text())
def test_any_front_matter_text_builds_valid_xml_or_fails_cleanly(
    tmp_path_factory, values, body
) -> None:  # type: ignore[no-untyped-def]
    site = _site(tmp_path_factory.mktemp("s"))
    front = {"date": "2024-01-01", "audio": "audio/sine-3s-cbr.mp3", **values}
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body
    site.episode("e", text)
    try:
        report = build(site.config, now=NOW, use_cache=False)
    except BuildFailed as exc:
        problems = exc.problems
    else:
        (item,) = parse_both(report.feed)
        title = str(yaml.safe_load(text.split("---\n")[1])["title"])  # as YAML reads it back
        title = repair_text(title)  # [build] fix_text is on by default (issue 14)
        title = decode_entities(title)  # issue 14: `&#8211;` and `&amp;` are decoded once
        expected = " ".join("".join(c for c in title if _xml_char(c)).split())
        assert item.title == expected
        return
    # a rejection names the episode file
    assert any(p.is_error and p.source == "episodes/e.md" for p in problems)


@SLOW
@given(title=st.text(), description=st.text())
def test_any_show_text_builds_valid_xml_or_fails_cleanly(
    tmp_path_factory, title, description
) -> None:  # type: ignore[no-untyped-def]
    site = _site(tmp_path_factory.mktemp("s"))
    site.show(title=_toml_string(title), description=_toml_string(description))
    site.episode("e")
    try:
        report = build(site.config, now=NOW, use_cache=False)
    except BuildFailed as exc:
        problems = exc.problems
    else:
        (item,) = parse_both(report.feed)
        assert item.title == "e"
        return
    # a rejection names feed.toml
    assert any(p.is_error and p.source == site.config for p in problems)


def _toml_string(text: str) -> str:
    escaped = "".join(
        c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}"
        for c in text
        if ord(c) < 0x10000 and not 0xD800 <= ord(c) <= 0xDFFF
    )
    return f'"{escaped}"'


def _xml_char(c: str) -> bool:
    code = ord(c)
    # XML 1.0 chars, less DEL and the C1 controls (which parsers disagree on): what we keep
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or code >= 0x10000
    )
