"""The caches are keyed by podcastfeed's code, not only its version (codekey.py): a checkout
being edited keeps one version, and a no-op rebuild must not replay what older code made."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from conftest import Site

import podcastfeed
from podcastfeed.codekey import code_key


def _tree(root: Path) -> Path:
    (root / "render").mkdir(parents=True)
    (root / "__pycache__").mkdir()
    (root / "build.py").write_text("x = 1\n")
    (root / "render" / "feed.py").write_text("y = 2\n")
    (root / "render" / "page.html").write_text("<p>\n")
    return root


def test_the_key_changes_with_any_source_file_and_not_with_bytecode(tmp_path: Path) -> None:
    first = code_key(str(_tree(tmp_path / "a")))
    assert first.startswith(podcastfeed.__version__ + "+")
    (tmp_path / "a" / "__pycache__" / "build.cpython-311.pyc").write_bytes(b"\0" * 10)
    code_key.cache_clear()
    assert code_key(str(tmp_path / "a")) == first  # bytecode is not the code
    for name in ("render/feed.py", "render/page.html"):
        path = tmp_path / "a" / name
        path.write_text(path.read_text() + "# edited\n")
        code_key.cache_clear()
        assert code_key(str(tmp_path / "a")) != first, name
        first = code_key(str(tmp_path / "a"))
    (tmp_path / "a" / "render" / "new.py").write_text("")
    code_key.cache_clear()
    assert code_key(str(tmp_path / "a")) != first  # a module added


def _build(site: Site, package: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "podcastfeed", "build", "-c", str(site.config), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(package)},
        timeout=120,
        cwd=package,  # (`python -m` puts the working folder first on sys.path)
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def _checkout(tmp_path: Path) -> Path:
    """A copy of the installed package, as a checkout of podcastfeed would be."""
    package = tmp_path / "checkout"
    shutil.copytree(
        Path(podcastfeed.__file__).parent,
        package / "podcastfeed",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    return package


def test_edited_code_is_not_answered_from_the_cache(site: Site, tmp_path: Path) -> None:
    package = _checkout(tmp_path)
    site.episode("a", date="2024-01-01")
    _build(site, package)
    old = time.time() - 10
    for path in [site.root, *site.root.rglob("*")]:
        os.utime(path, (old, old))
    assert "1 episode; 0 file(s) read" in _build(site, package)  # nothing changed: replayed
    module = package / "podcastfeed" / "render" / "feed.py"
    module.write_text(module.read_text() + "\n# edited\n")
    assert "1 episode; 1 file(s) read" in _build(site, package)  # the code did change


def test_pages_kept_without_the_cache_are_written_again_by_other_code(
    site: Site, tmp_path: Path
) -> None:
    """`build --no-cache` keeps the pages while the manifest's digest of their inputs is the
    same (output/write.py): podcastfeed's own templates are among them, as its code."""
    package = _checkout(tmp_path)
    site.episode("a", date="2024-01-01")
    _build(site, package)
    template = package / "podcastfeed" / "templates" / "base.html"
    template.write_text(template.read_text() + "<!-- upgraded -->\n")
    _build(site, package, "--no-cache")
    assert "<!-- upgraded -->" in (site.root / "public" / "index.html").read_text()
