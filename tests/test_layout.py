"""The package's layout (issue 13): one folder per job, imports that run one way only, no
`_private` names across modules, modules readable in one sitting, and the README's tree true."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "podcastfeed"
README = Path(__file__).parent.parent / "README.md"

#: Top to bottom: a module may import from its own layer (without a circle) or a lower one.
LAYERS = [
    {"podcastfeed", "__main__"},
    {"cli"},
    {"serve"},
    {"build", "incremental"},
    {"output", "lint", "feeds"},
    {"render"},
    {"source", "media"},
    {"net"},
    {"cache"},
    {"packs"},
    {"lock"},
    {"errors", "model", "values", "ids", "files", "xmlns", "codekey", "pools", "interrupts"},
]
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _imports(name: str) -> list[tuple[str, str, int]]:
    """(module imported, name taken from it or "", line) for every podcastfeed import, at any
    depth (inside functions and `if TYPE_CHECKING:` too)."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, "", node.lineno) for a in node.names if _ours(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.module and _ours(node.module):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if full in MODULES:  # `from podcastfeed.lint import base`: a module
                    found.append((full, "", node.lineno))
                else:
                    found.append((node.module, alias.name, node.lineno))
    return found


def _ours(module: str) -> bool:
    return module == "podcastfeed" or module.startswith("podcastfeed.")


def _layer(module: str) -> int:
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "podcastfeed"
    for number, names in enumerate(LAYERS):
        if top in names:
            return number
    pytest.fail(f"{module}: its package {top!r} has no layer in tests/test_layout.py")


def _graph() -> dict[str, set[str]]:
    return {
        name: {
            target
            for target, taken, _line in _imports(name)
            if target != name and not _is_version(target, taken)
        }
        for name in MODULES
    }


def _is_version(target: str, taken: str) -> bool:
    """`from podcastfeed import __version__`: a constant of the package itself, whose
    __init__ imports nothing eagerly (its API is loaded lazily)."""
    return target == "podcastfeed" and taken == "__version__"


def test_layout_has_no_import_circle() -> None:
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            members = []
            while True:
                member = stack.pop()
                members.append(member)
                if member == node:
                    break
            if len(members) > 1:
                circles.append(sorted(members))

    for node in graph:
        if node not in index:
            visit(node)
    assert circles == []


def test_layout_imports_run_down_the_layers() -> None:
    upward = []
    for name in MODULES:
        for target, taken, line in _imports(name):
            if _is_version(target, taken):
                continue
            if name != "podcastfeed" and _layer(target) < _layer(name):
                upward.append(f"{MODULES[name].relative_to(PACKAGE.parent)}:{line}: {target}")
    assert upward == []


def test_layout_takes_no_private_name_from_another_module() -> None:
    private = [
        f"{MODULES[name].relative_to(PACKAGE.parent)}:{line}: {target}.{taken}"
        for name in MODULES
        for target, taken, line in _imports(name)
        if taken.startswith("_") and not taken.startswith("__")
    ]
    assert private == []


def test_layout_rules_import_only_the_lint_base() -> None:
    found = [
        f"{name}: {target}"
        for name in MODULES
        if name.startswith("podcastfeed.lint.rules.")
        for target, _taken, _line in _imports(name)
        if target.startswith("podcastfeed.lint") and target != "podcastfeed.lint.base"
    ]
    assert found == []


def test_layout_modules_are_readable_in_one_sitting() -> None:
    long = {
        str(path.relative_to(PACKAGE.parent)): lines
        for path in MODULES.values()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_layout_readme_tree_names_every_package_and_top_module() -> None:
    text = README.read_text(encoding="utf-8")
    tree = text[text.index("```\npodcastfeed/\n") :]
    tree = tree[: tree.index("\n```", 4)]
    named = set(re.findall(r"^  ([a-z_]+)/", tree, re.M))
    named |= {m[:-3] for m in re.findall(r"\b([a-z_]+\.py)\b", tree)}
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    modules = {p.stem for p in PACKAGE.glob("*.py")} - {"__main__"}
    assert named == packages | modules
    for layer in LAYERS[1:]:  # and every layer's package is in the README and in LAYERS
        assert layer <= named | {"serve"}, layer
