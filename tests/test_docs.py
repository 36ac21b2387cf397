"""The docs cover what the code reads: every config key, front-matter field and command option."""

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main
from conftest import REPO

from podcastfeed.cli import app
from podcastfeed.source.config import BUILD_KEYS, MAPPABLE_FIELDS, SHOW_KEYS
from podcastfeed.source.fields import ALIASES
from podcastfeed.source.tagvalues import TABLE_KEYS

CONFIG_DOC = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
README = (REPO / "README.md").read_text(encoding="utf-8")


def _table_keys(section: str) -> set[str]:
    """The `key` cells of the first table under a heading."""
    body = CONFIG_DOC.split(section, 1)[1]
    table = re.search(r"\n\|[^\n]*\|\n\|[-| ]+\|\n((?:\|[^\n]*\|\n)+)", body)
    assert table, f"no table under {section}"
    return set(re.findall(r"^\| `([a-z_]+)` \|", table.group(1), re.MULTILINE))


def test_docs_every_show_and_build_key() -> None:
    assert _table_keys("### `[show]`") == SHOW_KEYS
    assert _table_keys("### `[build]`") == BUILD_KEYS


def test_docs_every_front_matter_field_and_alias() -> None:
    body = CONFIG_DOC.split("## Episode front matter", 1)[1]
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| `(\w+)` \| ([^|]+) \|", body, re.M)}
    assert set(rows) >= set(MAPPABLE_FIELDS)
    for field, keys in ALIASES.items():
        assert field in rows, field
        assert set(re.findall(r"`(\w+)`", rows[field])) == set(keys), field


@pytest.mark.parametrize("key", sorted(TABLE_KEYS))
def test_docs_every_key_of_a_table_valued_key(key: str) -> None:
    """A table such as `persons = [{ name = …, role = … }]` documents each of its keys."""
    rows = re.findall(rf"^\| `{key}` \|[^\n]*$", CONFIG_DOC, re.MULTILINE)
    assert rows, f"{key} is not documented"
    for sub in TABLE_KEYS[key]:
        assert any(re.search(rf"\b{sub}(:| =)", row) for row in rows), f"{key}.{sub}"


def _commands() -> dict[str, Any]:
    # typer vendors its own click, so duck-type the group and its options
    return dict(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(_commands()))
def test_docs_readme_lists_every_command_and_option(name: str) -> None:
    command = _commands()[name]
    assert f"`podcastfeed {name}" in README
    row = next(line for line in README.splitlines() if line.startswith(f"| `podcastfeed {name}"))
    for param in command.params:
        if param.param_type_name == "option" and not param.hidden and "--help" not in param.opts:
            long = max(param.opts, key=len)
            assert long in row, f"{long} of {name} missing from the README's command table"
    assert command.help
    assert "Examples:" in command.help


def _block_after(text: str, marker: str) -> list[str]:
    """The lines of the first code block after `marker`."""
    block = re.search(r"```[a-z]*\n(.*?)```", text.split(marker, 1)[1], re.DOTALL)
    assert block, marker
    return block.group(1).splitlines()


def test_docs_readme_sample_build_prints_what_it_shows(tmp_path: Path) -> None:
    """A fresh clone's `podcastfeed build` (the lock committed) prints the README's lines."""
    for name in ("feed.toml", "podcastfeed.lock"):
        shutil.copyfile(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "episodes", tmp_path / "episodes")
    result = subprocess.run(
        [sys.executable, "-m", "podcastfeed", "build"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    shown = re.sub(r", [0-9.]+ s$", ", 0.05 s", result.stderr.rstrip("\n"))
    assert shown.splitlines() == _block_after(README, "`podcastfeed build` prints")


def test_docs_readme_check_feed_example_is_the_output_s_start() -> None:
    command = "$ podcastfeed check --feed tests/data/realfeeds/dk-podcast.xml"
    shown = _block_after(README, "`--feed` lints any feed")
    assert shown[0] == command
    assert shown[-1].strip() == "…"
    result = subprocess.run(
        [sys.executable, "-m", "podcastfeed", *command.split()[2:]],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.splitlines()[: len(shown) - 2] == shown[1:-1]
