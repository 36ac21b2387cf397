"""YAML front matter: libyaml's loader reads what PyYAML's pure-Python one reads, and text fields
keep the text as written where YAML 1.1 would make it a boolean, a number or a date."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import DATA, REPO, Site
from feedcheck import parse_both
from typer.testing import CliRunner

from podcastfeed.cli import app
from podcastfeed.source.config import load_config
from podcastfeed.source.episodes import read_episode
from podcastfeed.source.frontparts import split_front_matter
from podcastfeed.source.yamlfast import NOT_PLAIN, fast_load
from podcastfeed.source.yamlload import LimitedLoader, PurePythonLoader, YAMLLimitError

HOSTILE = [
    # anchors and aliases, merge keys
    "base: &b {title: x, n: 1}\nother: *b\n",
    "base: &b {title: x}\nep:\n  <<: *b\n  n: 2\n",
    "a: &a [1, 2]\nb: &b [*a, *a]\nc: [*b, *b, *b]\n",
    "title: Q&A &amp; more\n",
    "x: &x\n  - &y 1\n  - *y\ny: *x\n",
    # tags
    "a: !!str 1\nb: !!int '7'\nc: !!float '1.5'\nd: !!bool 'yes'\ne: !!null ''\n",
    "a: !!binary aGVsbG8=\nb: !!set {x, y}\nc: !!omap [{a: 1}, {b: 2}]\nd: !!pairs [{a: 1}]\n",
    "a: !!timestamp 2024-01-02\nb: !!seq [1]\nc: !!map {k: v}\n",
    # duplicate keys: the last one wins in both
    "title: first\ntitle: second\n",
    "a: {x: 1, x: 2}\n",
    # timestamps
    "a: 2024-01-02\nb: 2024-01-02 10:11:12\nc: 2024-01-02T10:11:12Z\nd: 2024-1-2 1:2:3.5 -05:30\n",
    "a: 2001-12-14t21:59:43.10-05:00\nb: 2002-12-14\nc: '2024-01-02'\n",
    # YAML 1.1 booleans, numbers, nulls
    "a: yes\nb: No\nc: ON\nd: off\ne: y\nf: n\ng: True\nh: FALSE\n",
    "a: 0x1F\nb: 0o17\nc: 017\nd: 1_000\ne: 12:30\nf: 1.10\ng: .inf\nh: -.Inf\ni: 1e3\n",
    "a: 0b101\nb: 190:20:30.15\nc: 6.8523015e+5\nd: +12\ne: ~\nf: null\ng:\n",
    # keys that are not strings
    "1: one\nyes: bool key\n2024-01-02: date key\n1.5: float\n",
    # quoting, folding, unicode
    "title: \"off\"\nb: 'yes'\nc: >-\n  folded\n  text\nd: |\n  literal\n   kept\n",
    't: "\\u00e9\\t\\x41\\U0001F600"\nu: caf\u00e9 \u2014 \U0001f600\n',
    "a: [1, [2, [3, {b: c}]]]\nb: {c: {d: {e: [f]}}}\n",
]


def _front_matters(*folders: Path) -> list[tuple[str, str]]:
    """The YAML front matter of every episode file in `folders`."""
    found = []
    files = [path for folder in folders for path in folder.rglob("*") if path.is_file()]
    for path in sorted(set(files)):
        if path.suffix not in (".md", ".html", ".markdown", ".htm"):
            continue
        text = path.read_text(encoding="utf-8-sig", errors="replace").replace("\r\n", "\n")
        parts = split_front_matter(text)
        if parts is not None and not parts.is_toml:
            found.append((path.name, parts.front_matter))
    return found


def _load(text: str, loader: Any) -> tuple[str, Any]:
    try:
        return "value", yaml.load(text, Loader=loader)
    except YAMLLimitError as exc:
        return "refused", exc.problem
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        return "error", type(exc).__name__


def _same(a: Any, b: Any) -> bool:
    """Equal, with the same types all the way down (1 == 1.0 == True would hide a difference);
    NaN equals NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def test_the_loader_is_libyaml() -> None:
    assert yaml.__with_libyaml__
    assert issubclass(LimitedLoader, yaml.CSafeLoader)
    assert not issubclass(PurePythonLoader, yaml.CSafeLoader)


#: More for the event-built fast path (yamlfast.py): what it must build, and what it must hand
#: to the full loader.
FAST = [
    "'<<': {a: 1}\nb: \"<<\"\n",
    "a: =\n",
    "=: a\n",
    "a: ! 1\nb: !local x\n",
    "a: 1\n---\nb: 2\n",
    "- a\n- b\n",
    "plain text\n",
    "[a, b]: 1\n",
    "? [a, b]\n: 1\n",
    "? {a: b}\n: 1\n",
    "a:\nb: ''\nc: \"\"\nd: []\ne: {}\nf: [[], {}, [[]]]\n",
    "a: 2024-13-45\nb: 2024-02-30\n",
    "a: 0x\nb: 1__0\nc: 0b2\nd: 1e\ne: 1.2.3\nf: -x\ng: +\n",
    "a: 10:61\nb: 1:2:3:4\nc: -1:30\nd: 0o\ne: 08\nf: 0.\ng: .5\nh: -.nan\n",
    "null: 1\n~: 2\ntrue: 3\n3: 4\n3.0: 5\n",
    "a: 'it''s'\nb: \"\\\"q\\\"\"\nc: plain # comment\n# only a comment\n",
    "a: |+\n  keep\n\nb: >\n  fold\n  ed\n",
    "a:\n  - b: 1\n    c: [x, {d: e}]\n  - - nested\n    - list\n",
    "a: [1, 2\n",
    "a: b: c\n",
    "\ta: 1\n",
    "a: &x 1\nb: 2\n",
    "a: *x\n",
    "",
    "# nothing\n",
    "a: 1\n...\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: " + "[" * 200 + "]" * 200 + "\n",
    "<<: {a: 1}\nb: 2\n",
]


@pytest.mark.parametrize("text", HOSTILE + FAST)
def test_the_fast_path_builds_what_the_full_loader_builds_or_hands_it_over(text: str) -> None:
    fast = fast_load(text)
    if fast is NOT_PLAIN:
        return
    full = _load(text, LimitedLoader)
    assert full[0] == "value", full
    assert _same(fast, full[1]), (fast, full[1])


def test_the_fast_path_takes_plain_front_matter_and_hands_over_the_rest() -> None:
    plain = ["title: t\nn: 1\n", FAST[0], FAST[10], FAST[12], FAST[13], FAST[14], HOSTILE[10]]
    for text in plain:
        assert fast_load(text) is not NOT_PLAIN, text
    for text in [HOSTILE[0], HOSTILE[1], HOSTILE[5], FAST[1], FAST[4], FAST[5], FAST[-1]]:
        assert fast_load(text) is NOT_PLAIN, text


def test_libyaml_reads_the_test_episode_files_as_pure_python_does(tmp_path: Path) -> None:
    """The test data, the sample show and 200 episodes of the benchmark's seed-shaped corpus."""
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "make_corpus.py"), "200", str(tmp_path / "c")],
        check=True,
        capture_output=True,
    )
    cases = _front_matters(DATA, REPO / "episodes", tmp_path / "c" / "episodes")
    assert len(cases) >= 215
    for name, text in cases:
        fast, slow = _load(text, LimitedLoader), _load(text, PurePythonLoader)
        assert fast[0] == slow[0] == "value", name
        assert _same(fast[1], slow[1]), name
        built = fast_load(text)  # every one of them on the event-built fast path
        assert built is not NOT_PLAIN, name
        assert _same(built, slow[1]), name


@pytest.mark.parametrize("text", HOSTILE)
def test_libyaml_reads_hostile_yaml_as_pure_python_does(text: str) -> None:
    fast, slow = _load(text, LimitedLoader), _load(text, PurePythonLoader)
    assert fast[0] == slow[0], (fast, slow)
    assert _same(fast[1], slow[1]), (fast, slow)


@pytest.mark.parametrize(
    "text",
    [
        "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n",
        "a: &a [1]\nb: &b [*a, *a]\n" + "".join(f"c{i}: [*b, *b, *b, *b]\n" for i in range(3000)),
    ],
)
def test_both_loaders_refuse_an_alias_bomb_alike(text: str) -> None:
    fast, slow = _load(text, LimitedLoader), _load(text, PurePythonLoader)
    assert fast[0] == "refused"
    assert fast == slow


# --- text fields: the text as written (YAML 1.1 booleans, numbers, dates) --------------------


def _episode(site: Site, front: str) -> Any:
    config = load_config(site.config)
    audio = site.audio("sine-3s-cbr.mp3")
    path = site.episode("ep", f"---\ndate: 2024-01-01\naudio: {audio}\n{front}---\nNotes.\n")
    episode, problems = read_episode(path, config.show, config.build)
    assert not [p for p in problems if p.is_error], problems
    return episode


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("off", "off"),
        ("Yes", "Yes"),
        ("no", "no"),
        ("ON", "ON"),
        ("true", "true"),
        ("1.10", "1.10"),
        ("0x1F", "0x1F"),
        ("017", "017"),
        ("1_000", "1_000"),
        ("12:30", "12:30"),
        (".inf", ".inf"),
        ("2024-1-2 10:00", "2024-1-2 10:00"),
        ("2024-01-02", "2024-01-02"),
        ('"off"', "off"),
        ("'1.10'", "1.10"),
        ("plain words", "plain words"),
    ],
)
def test_a_title_yaml_would_make_a_boolean_number_or_date_is_the_text_written(
    site: Site, written: str, expected: str
) -> None:
    episode = _episode(site, f"title: {written}\n")
    assert episode.title == expected


def test_every_text_field_keeps_the_text_written(site: Site) -> None:
    episode = _episode(
        site,
        "title: No\nauthor: Yes\nexcerpt: 1.50\nitunes_title: off\nitunes_author: on\n"
        "season: 2\nseason_name: 12:30\nepisode: 3\nepisode_display: 0x10\n",
    )
    assert (episode.title, episode.author, episode.description) == ("No", "Yes", "1.50")
    assert (episode.tags.itunes_title, episode.tags.itunes_author) == ("off", "on")
    assert (episode.tags.season_name, episode.tags.episode_display) == ("12:30", "0x10")
    for key in ("description", "subtitle", "summary"):
        assert _episode(site, f"title: t\n{key}: yes\n").description == "yes"


def test_the_last_of_duplicate_keys_is_the_text_written(site: Site) -> None:
    assert _episode(site, "title: first\ntitle: off\n").title == "off"
    assert _episode(site, "title: off\ntitle: 1.10\n").title == "1.10"


def test_a_title_from_a_merge_key_is_the_text_written(site: Site) -> None:
    assert _episode(site, "base: &b {title: off}\n<<: *b\n").title == "off"


def test_non_text_fields_keep_their_yaml_types(site: Site) -> None:
    """`explicit: yes` is YAML's true; numbers are read as written, in decimal: `season: 010`
    is 10, not octal 8 (and `0x2` an error: test_episodes)."""
    episode = _episode(site, "title: t\nexplicit: yes\nseason: 010\n")
    assert episode.is_explicit is True
    assert episode.season == 10


def test_cli_build_title_off_is_the_feed_title_off(site: Site) -> None:
    audio = site.audio("sine-3s-cbr.mp3")
    site.episode("ep", f"---\ntitle: off\ndate: 2024-01-01\naudio: {audio}\nauthor: Yes\n---\nN.\n")
    result = CliRunner().invoke(app, ["build", "-c", str(site.config), "-o", "-"])
    assert result.exit_code == 0, result.output
    (item,) = parse_both(result.stdout.encode())
    assert item.title == "off"
    assert "<title>off</title>" in result.stdout


def test_hugo_toml_front_matter_is_unchanged(site: Site) -> None:
    config = load_config(site.config)
    audio = site.audio("sine-3s-cbr.mp3")
    path: Path = site.episode(
        "ep", f'+++\ntitle = "off"\ndate = 2024-01-01\naudio = "{audio}"\n+++\nN.\n'
    )
    episode, _ = read_episode(path, config.show, config.build)
    assert episode is not None
    assert episode.title == "off"


def test_text_inside_the_tags_tables_keeps_the_text_written(site: Site) -> None:
    episode = _episode(
        site,
        "title: t\npersons:\n  - name: Yes\n    role: host\n  - No\n"
        "location: {name: Oslo, country: NO}\n"
        "soundbites: [{start: 1, duration: 1, title: off}]\n"
        "chapters: [{start: 0, title: 1.10}, {start: 1, title: On}]\n",
    )
    tags = episode.tags
    assert [p.name for p in tags.persons] == ["Yes", "No"]
    assert [(loc.name, loc.country) for loc in tags.locations] == [("Oslo", "NO")]
    assert [s.title for s in tags.soundbites] == ["off"]
    assert [c.title for c in tags.inline_chapters] == ["1.10", "On"]
    assert [c.start for c in tags.inline_chapters] == [0, 1]  # numbers stay numbers
