"""The release (issue 17): the sdist and wheel `python -m build` makes hold the templates and data
files, pass `twine check`, and the wheel alone, installed in a fresh venv, builds the sample show
byte for byte as the golden feed. Offline: built with --no-isolation from the installed
setuptools, and the fresh venv reaches its dependencies through the test venv's site-packages
(every package there but podcastfeed and its editable finder), never an index."""

import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import REPO

import podcastfeed

GOLDEN = REPO / "tests" / "golden" / "sample.xml"
PACKAGE_FILES = sorted(
    path.relative_to(REPO).as_posix()
    for folder in ("data", "templates")
    for path in (REPO / "podcastfeed" / folder).iterdir()
    if path.is_file()
)


def _run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(arg) for arg in args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist and wheel, built from a copy of what the package is made of (a build writes
    build/ and *.egg-info beside its source: not in the repository)."""
    pytest.importorskip("build", reason="`build` is in the test extra: pip install -e '.[test]'")
    source, out = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("dist")
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(REPO / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / "podcastfeed", source / "podcastfeed", ignore=ignore)
    _run(sys.executable, "-m", "build", "--no-isolation", "--sdist", "--wheel", "-o", out, source)
    return out


def _wheel(dist: Path) -> Path:
    (wheel,) = dist.glob(f"podcastfeed-{podcastfeed.__version__}-py3-none-any.whl")
    return wheel


def test_package_wheel_holds_templates_and_data(dist: Path) -> None:
    names = set(zipfile.ZipFile(_wheel(dist)).namelist())
    assert set(PACKAGE_FILES) <= names
    assert not [name for name in names if name.startswith(("tests/", "episodes/"))]


def test_package_sdist_holds_templates_and_data(dist: Path) -> None:
    (sdist,) = dist.glob(f"podcastfeed-{podcastfeed.__version__}.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert set(PACKAGE_FILES) <= names
    assert {"pyproject.toml", "README.md"} <= names


def test_package_passes_twine_check(dist: Path) -> None:
    pytest.importorskip("twine", reason="`twine` is in the test extra: pip install -e '.[test]'")
    output = _run(sys.executable, "-m", "twine", "check", "--strict", *sorted(dist.iterdir()))
    assert output.count("PASSED") == 2, output


def _dependencies(folder: Path) -> Path:
    """A folder of links to the test venv's installed packages, less podcastfeed itself: its
    dist-info and the editable install's finder and .pth would shadow the wheel."""
    folder.mkdir()
    site = Path(sysconfig.get_paths()["purelib"])
    for entry in site.iterdir():
        if "podcastfeed" in entry.name.lower() or entry.suffix == ".pth":
            continue
        (folder / entry.name).symlink_to(entry)
    return folder


@pytest.mark.slow  # a venv with pip (ensurepip) and a real install: ~10 s
def test_package_wheel_in_a_fresh_venv_builds_the_golden_feed(dist: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "venv"
    venv.create(fresh, with_pip=True)
    python = fresh / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PIP_", "VIRTUAL"))}
    env |= {"PIP_NO_INDEX": "1", "PIP_CONFIG_FILE": os.devnull, "PYTHONNOUSERSITE": "1"}
    _run(python, "-m", "pip", "install", "--quiet", "--no-deps", _wheel(dist), env=env)
    fresh_site = Path(
        _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip()
    )
    (fresh_site / "dependencies.pth").write_text(f"{_dependencies(tmp_path / 'deps')}\n")

    show = tmp_path / "show"  # the sample show, away from the source tree
    show.mkdir()
    for name in ("feed.toml", "podcastfeed.lock"):
        shutil.copyfile(REPO / name, show / name)
    shutil.copytree(REPO / "episodes", show / "episodes")
    where = _run(python, "-c", "import podcastfeed; print(podcastfeed.__file__)", cwd=show, env=env)
    assert Path(where.strip()).is_relative_to(fresh), where
    _run(python, "-m", "pip", "check", env=env)  # the dependencies it declares are all there

    _run(fresh / "bin" / "podcastfeed", "build", cwd=show, env=env)
    assert (show / "public" / "feed.xml").read_bytes() == GOLDEN.read_bytes()
    assert (show / "public" / "index.html").is_file()  # the wheel's templates rendered
