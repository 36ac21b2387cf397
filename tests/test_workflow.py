"""The CI recipe (docs/ci.md): the workflow file, the pre-commit hook, and the whole flow from a
new episode to a published, announced feed, run for real in a temporary git repository."""

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from conftest import DATA, REPO, Site
from feedcheck import parse_both
from httpserver import AudioServer
from typer.testing import CliRunner

from podcastfeed.cli import app

WORKFLOW = REPO / "docs" / "github-actions.yml"
HOOKS = REPO / ".pre-commit-hooks.yaml"
CI_DOC = REPO / "docs" / "ci.md"
runner = CliRunner()


def _steps() -> list[dict[str, Any]]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert set(workflow["on"]) == {"push", "workflow_dispatch"}
    assert workflow["on"]["push"]["paths"] == ["episodes/**", "feed.toml"]
    assert workflow["permissions"]["contents"] == "write"
    (job,) = workflow["jobs"].values()
    steps: list[dict[str, Any]] = job["steps"]
    return steps


def _commands(steps: list[dict[str, Any]]) -> list[str]:
    """Each `run:` line, and each action used as `uses NAME`."""
    found = []
    for step in steps:
        if "run" in step:
            found += [line.strip() for line in step["run"].splitlines() if line.strip()]
        else:
            found.append(f"uses {step['uses'].split('@')[0]}")
    return found


def test_workflow_runs_the_documented_commands_in_order() -> None:
    steps = _steps()
    commands = _commands(steps)
    expected = [
        "uses actions/checkout",
        "uses actions/setup-python",
        "pip install podcastfeed",
        "podcastfeed check --format github",
        "podcastfeed build",
        "git add podcastfeed.lock",
        "git push",
        "uses actions/upload-pages-artifact",
        "uses actions/deploy-pages",
        "podcastfeed notify",
    ]
    positions = [commands.index(command) for command in expected]
    assert positions == sorted(positions), commands
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages"))
    assert upload["with"]["path"] == "public"  # the folder of [build] output's default
    for command in commands:
        if command.startswith("podcastfeed "):
            name = shlex.split(command)[1]
            help_result = runner.invoke(app, [*shlex.split(command)[1:], "--help"])
            assert help_result.exit_code == 0, command
            assert f"podcastfeed {name}" in CI_DOC.read_text(encoding="utf-8")


def test_ci_doc_shows_the_workflow_file_verbatim() -> None:
    doc = CI_DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", doc, re.DOTALL)
    assert WORKFLOW.read_text(encoding="utf-8") in blocks
    assert "docs/ci.md" in (REPO / "README.md").read_text(encoding="utf-8")


def test_pre_commit_hook_runs_podcastfeed_check(site: Site) -> None:
    (hook,) = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert hook["id"] == "podcastfeed-check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    pattern = re.compile(hook["files"])
    for path in ("feed.toml", "episodes/2024-01-01-a.md", "podcastfeed.lock"):
        assert pattern.search(path), path
    assert not pattern.search("README.md")
    args = shlex.split(hook["entry"])
    assert args[:2] == ["podcastfeed", "check"]
    site.episode("a")
    result = runner.invoke(app, [*args[1:], "-c", str(site.config)])
    assert result.exit_code == 0, result.stdout


# --- end to end --------------------------------------------------------------------------------


def _git(cwd: Path, *args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _run(cwd: Path, command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-e", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A clean environment: its own HOME and git identity, `podcastfeed` on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "podcastfeed"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m podcastfeed "$@"\n')
    shim.chmod(0o755)
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text("[user]\n\tname = Jane Doe\n\temail = jane@example.org\n")
    return {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "PYTHONPATH": str(REPO),
        "LC_ALL": "C.UTF-8",
    }


def _ci(repo: Path, env: dict[str, str], site_dir: Path) -> list[str]:
    """Run the workflow's steps in `repo`: its commands as written, the actions emulated."""
    ran = []
    for step in _steps():
        uses = step.get("uses", "")
        if uses.startswith("actions/upload-pages-artifact"):
            shutil.copytree(repo / step["with"]["path"], site_dir, dirs_exist_ok=True)
            continue
        if "run" not in step or step["run"].startswith("pip install"):
            continue  # checkout, setup-python, pages: the test is already there; installed
        result = _run(repo, step["run"], env)
        assert result.returncode == 0, f"{step['run']}\n{result.stdout}\n{result.stderr}"
        ran.append(step["run"].strip())
    return ran


@pytest.mark.slow  # ~15 real processes (git, bash, podcastfeed): the whole workflow as CI runs it
def test_end_to_end_new_episode_to_published_announced_feed(
    tmp_path: Path, env: dict[str, str], http_server: AudioServer
) -> None:
    origin, repo, site_dir = tmp_path / "origin.git", tmp_path / "show", tmp_path / "site"
    _git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin), env=env)
    _git(tmp_path, "clone", "-q", str(origin), str(repo), env=env)
    _git(repo, "checkout", "-q", "-b", "main", env=env)

    # A show, as a new user starts it.
    hub = http_server.url("hub/ping")
    steps = [
        "podcastfeed init --yes --title 'CI Show' --author 'Jane Doe' --email jane@example.org",
        f"sed -i 's|^# hubs = .*|hubs = [\"{hub}\"]|' feed.toml",
        "git add -A && git commit -q -m 'A new show' && git push -q origin main",
    ]
    for command in steps:
        result = _run(repo, command, env)
        assert result.returncode == 0, result.stderr
    env = env | {"PODCASTFEED_PUBNOTIFY_URL": http_server.url("api/1.0/hub/pubnotify")}
    _ci(repo, env, site_dir)
    assert parse_both((site_dir / "feed.xml").read_bytes()) == []

    # A new episode lands.
    (repo / "episodes" / "audio").mkdir()
    shutil.copyfile(DATA / "audio" / "sine-3s-cbr.mp3", repo / "episodes" / "audio" / "one.mp3")
    command = "podcastfeed new 'Episode one' --audio episodes/audio/one.mp3 --publish"
    result = _run(repo, f"{command} --date 2024-03-12", env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "episodes/2024-03-12-episode-one.md\n"
    _run(repo, "git add -A && git commit -q -m 'Episode one' && git push -q", env)
    http_server.clear()
    ran = _ci(repo, env, site_dir)
    assert ran[0] == "podcastfeed check --format github"

    # The feed is published with the episode ...
    (item,) = parse_both((site_dir / "feed.xml").read_bytes())
    assert (item.title, item.duration) == ("Episode one", 3)
    assert item.url == "https://example.org/media/audio/one.mp3"
    # ... the lock is committed and pushed ...
    lock = _git(origin, "show", "main:podcastfeed.lock", env=env)
    assert lock == (repo / "podcastfeed.lock").read_text(encoding="utf-8")
    assert "episodes/2024-03-12-episode-one.md" in lock
    log = _git(origin, "log", "--format=%an %s", "main", env=env).splitlines()
    assert log[0] == "github-actions[bot] Update podcastfeed.lock"
    assert _git(repo, "status", "--porcelain", env=env) == ""  # init git-ignores public/
    # ... and the hub and the Podcast Index heard about it.
    (post,) = [e for e in http_server.settle() if e.method == "POST"]
    feed_url = "https://example.org/feed.xml"
    assert post.path == "/hub/ping"
    assert parse_qs(post.body.decode()) == {"hub.mode": ["publish"], "hub.url": [feed_url]}
    (get,) = [e for e in http_server.settle() if e.method == "GET"]
    assert urlsplit(get.path).path == "/api/1.0/hub/pubnotify"
    assert parse_qs(urlsplit(get.path).query) == {"url": [feed_url]}

    # Nothing new: the build is current, and another run commits nothing.
    assert _run(repo, "podcastfeed build --check", env).returncode == 0
    _ci(repo, env, site_dir)
    assert len(_git(origin, "log", "--format=%s", "main", env=env).splitlines()) == len(log)
