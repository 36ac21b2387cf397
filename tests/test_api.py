"""The library API of `podcastfeed` (issue 13): its names, its README example, and what
`import podcastfeed` and `podcastfeed --help` leave unimported."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import podcastfeed

REPO = Path(__file__).parent.parent

#: What start-up must not import: the first four are the issue's, the rest cost time too.
HEAVY = ("lxml", "PIL", "jinja2", "requests", "feedgen", "mutagen", "nh3", "cmarkgfm", "yaml")
#: Standard modules typer does not need, which `--help` imported through the command modules
#: (issue 18: email.utils, for values.parse_rfc822, brought socket, random, calendar, base64...).
HELP_AVOIDS = ("podcastfeed.values", "email", "socket", "random", "json", "webbrowser", "rich")


def _readme_example() -> tuple[str, str]:
    """The code of README.md's "As a library" section and the output it shows."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## As a library\n", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    output = re.search(r"```text\n(.*?)```", section, re.DOTALL)
    assert code, "README's 'As a library' needs a python block"
    assert output, "README's 'As a library' needs a text block: what the python block prints"
    return code.group(1), output.group(1)


def test_api_every_name_in_all_resolves() -> None:
    assert podcastfeed.__all__, "the API is empty"
    for name in podcastfeed.__all__:
        assert getattr(podcastfeed, name) is not None, name


def test_api_dir_lists_all() -> None:
    listed = dir(podcastfeed)
    assert set(podcastfeed.__all__) <= set(listed)
    assert "__version__" in listed


def test_api_all_is_the_table() -> None:
    """`__all__` (written out for type checkers and IDEs) names exactly the lazy table."""
    assert sorted(podcastfeed.__all__) == sorted(podcastfeed._API)


def test_api_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        _ = podcastfeed.nope  # type: ignore[attr-defined]


def test_api_build_stays_the_function_beside_its_module() -> None:
    """Loading the module podcastfeed.build does not replace the function of that name."""
    code = (
        "import sys; from podcastfeed.build import BuildReport; import podcastfeed; "
        "from podcastfeed import write_report, build; "
        "assert build is podcastfeed.build is sys.modules['podcastfeed.build'].build"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_api_import_loads_no_submodule() -> None:
    code = "import sys, podcastfeed; print(sorted(m for m in sys.modules if 'podcastfeed.' in m))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_api_help_imports_no_heavy_library() -> None:
    """`podcastfeed --help` stays fast: the commands import their libraries when they run."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "podcastfeed", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Usage:" in result.stdout
    imported = {
        line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines() if "|" in line
    }
    assert "podcastfeed.cli" in imported
    assert [name for name in HEAVY if name in imported] == []
    assert [name for name in HELP_AVOIDS if name in imported] == []


def test_api_readme_example_runs(sample_show: Path) -> None:
    code, output = _readme_example()
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=sample_show, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == output


def test_api_readme_example_uses_only_the_api() -> None:
    code, _ = _readme_example()
    imports = re.findall(r"^(?:from|import) ([\w.]+)", code, re.MULTILINE)
    assert [name for name in imports if name.startswith("podcastfeed")] == ["podcastfeed"]
    for name in re.findall(r"podcastfeed\.(\w+)", code):
        assert name in podcastfeed.__all__, name
