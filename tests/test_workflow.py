"""The CI recipe (docs/ci.md): the workflow file, the pre-commit hook, and the whole flow from a
new episode to a published, announced feed, run for real in a temporary git repository."""

import hashlib
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

import podcastfeed
from podcastfeed.cli import app

WORKFLOW = REPO / "docs" / "github-actions.yml"
ACTION = REPO / "action.yml"
HOOKS = REPO / ".pre-commit-hooks.yaml"
CI_DOC = REPO / "docs" / "ci.md"
OWN_ACTION = "OWNER/podcastfeed"  # the placeholder docs/ci.md tells users to replace
runner = CliRunner()


def _workflow() -> dict[str, Any]:
    workflow: dict[str, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return workflow


def _action() -> dict[str, Any]:
    action: dict[str, Any] = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    return action


def test_workflow_triggers_on_episodes_with_least_permissions_per_job() -> None:
    workflow = _workflow()
    assert set(workflow["on"]) == {"push", "workflow_dispatch"}
    assert workflow["on"]["push"]["paths"] == ["episodes/**", "feed.toml"]
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    assert list(jobs) == ["build", "deploy", "announce"]
    assert jobs["build"]["permissions"] == {"contents": "write"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["announce"]["permissions"] == {"contents": "read"}
    for job in jobs.values():
        for step in job["steps"]:
            uses = step.get("uses", "")
            if uses.startswith("actions/checkout"):
                assert step["with"]["persist-credentials"] is False
            if uses and not uses.startswith(OWN_ACTION + "@"):
                assert re.fullmatch(r"[\w-]+/[\w/-]+@[0-9a-f]{40}", uses), uses
    (upload,) = [s for s in jobs["build"]["steps"] if "upload-pages" in s.get("uses", "")]
    assert upload["with"]["path"] == "public"  # the folder of [build] output's default
    (announce,) = [s for s in jobs["announce"]["steps"] if s["uses"].startswith(OWN_ACTION)]
    assert announce["with"] == {"check-format": "text", "commit-lock": False, "notify": True}


def test_action_runs_check_build_commit_notify_in_order() -> None:
    action = _action()
    assert action["runs"]["using"] == "composite"
    names = [step.get("name", step.get("uses", "")) for step in action["runs"]["steps"]]
    order = ["Install podcastfeed", "Check the show", "Build the feed", "Report the feed"]
    order += ["Commit podcastfeed.lock", "Announce the new feed"]
    positions = [next(i for i, n in enumerate(names) if n.startswith(o)) for o in order]
    assert positions == sorted(positions), names
    assert set(action["inputs"]) == {
        "config",
        "check-format",
        "commit-lock",
        "strict",
        "offline",
        "notify",
        "token",
    }
    assert set(action["outputs"]) == {"feed-path", "episodes", "changed"}
    doc = CI_DOC.read_text(encoding="utf-8")
    for name in [*action["inputs"], *action["outputs"]]:
        assert f"`{name}`" in doc, name
    for step in action["runs"]["steps"]:
        for command in re.findall(r"bin/podcastfeed\" (\w+)", step.get("run", "")):
            assert runner.invoke(app, [command, "--help"]).exit_code == 0, command
            assert f"podcastfeed {command}" in doc
    for step in action["runs"]["steps"]:  # user input reaches a shell only through env
        assert "${{" not in step.get("run", ""), step


GITHUB_FILES = [ACTION, WORKFLOW, *sorted((REPO / ".github" / "workflows").glob("*.yml"))]


def _tool(name: str) -> str:
    path = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (it is in the test extra: pip install -e '.[test]')")
    return path


@pytest.mark.parametrize("path", GITHUB_FILES, ids=lambda path: path.name)
def test_workflow_zizmor_finds_nothing(path: Path) -> None:
    """zizmor's pedantic persona, offline; docs/zizmor.yml only lets the placeholder for our
    own action keep a tag (the user pins the release's SHA, docs/ci.md)."""
    config = REPO / "docs" / "zizmor.yml" if path == WORKFLOW else None
    options = ["--config", str(config)] if config else ["--no-config"]
    command = [_tool("zizmor"), "--offline", "--persona", "pedantic", *options, str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings to report" in done.stdout, done.stdout


@pytest.mark.parametrize(
    ("schema", "path"),
    [
        ("vendor.github-actions", ACTION),
        *[("vendor.github-workflows", path) for path in GITHUB_FILES[1:]],
        ("vendor.gitlab-ci", REPO / "docs" / "gitlab-ci.yml"),
    ],
    ids=lambda value: value.name if isinstance(value, Path) else value,
)
def test_workflow_validates_against_its_schema(schema: str, path: Path) -> None:
    """check-jsonschema's built-in (vendored, offline) schemas."""
    command = [_tool("check-jsonschema"), "--builtin-schema", schema, str(path)]
    if schema == "vendor.gitlab-ci":
        command[1:1] = ["--data-transform", "gitlab-ci"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflow_pins_every_action_by_commit_with_its_version() -> None:
    """A full SHA and `# vX.Y.Z` beside it, the same SHA for an action everywhere."""
    pins: dict[str, set[str]] = {}
    for path in GITHUB_FILES:
        for name, sha, comment in re.findall(
            r"uses: ([\w./-]+)@(\S+)(?:\s+#\s*(.*))?", path.read_text(encoding="utf-8")
        ):
            if name == OWN_ACTION:
                continue
            assert re.fullmatch("[0-9a-f]{40}", sha), f"{path.name}: {name}@{sha}"
            assert re.match(r"v\d+\.\d+\.\d+$", comment), f"{path.name}: {name} # {comment}"
            pins.setdefault(name, set()).add(f"{sha} {comment}")
    assert all(len(found) == 1 for found in pins.values()), pins
    assert "pypa/gh-action-pypi-publish" in pins


def test_workflow_recipes_name_the_current_version() -> None:
    """The version lives in podcastfeed/__init__.py; the recipes and CHANGELOG follow it."""
    version = podcastfeed.__version__
    docs = ["README.md", "docs/ci.md", "docs/github-actions.yml", "docs/gitlab-ci.yml"]
    for name in docs:
        text = (REPO / name).read_text(encoding="utf-8")
        for found in re.findall(r"podcastfeed(?:@v|==)(\d+\.\d+\.\d+)", text):
            assert found == version, name
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{version}] - " in changelog


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
    """A clean environment: its own HOME and git identity, `podcastfeed` on PATH and where the
    action's install step puts it ($RUNNER_TEMP/podcastfeed/bin)."""
    bin_dir, venv_bin = tmp_path / "bin", tmp_path / "runner" / "podcastfeed" / "bin"
    for folder in (bin_dir, venv_bin):
        folder.mkdir(parents=True)
        for name, command in [("podcastfeed", "-m podcastfeed "), ("python", "")]:
            shim = folder / name
            shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" {command}"$@"\n')
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
        "RUNNER_TEMP": str(tmp_path / "runner"),
    }


def _expression(text: str, scope: dict[str, Any], cwd: Path) -> str:
    """The few GitHub expressions action.yml uses; anything else fails the test (no drift)."""
    if match := re.fullmatch(r"(\S+) == '(.*)'", text):
        return str(_expression(match[1], scope, cwd) == match[2]).lower()
    if match := re.fullmatch(r"hashFiles\((\S+)\)", text):
        path = cwd / _expression(match[1], scope, cwd)
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
    value: Any = scope
    for part in text.split("."):
        value = value[part]
    return str(value).lower() if isinstance(value, bool) else str(value)


def _expand(text: str, scope: dict[str, Any], cwd: Path) -> str:
    return re.sub(r"\$\{\{\s*(.*?)\s*\}\}", lambda m: _expression(m[1], scope, cwd), str(text))


def _run_action(
    repo: Path, env: dict[str, str], given: dict[str, Any], store: Path
) -> dict[str, str]:
    """Run action.yml's steps as a runner would: inputs, env, `if:`, $GITHUB_OUTPUT and
    outputs as written; setup-python and actions/cache emulated (the cache kept in `store`)."""
    action = _action()
    inputs = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    inputs |= given
    github = {"action_path": str(REPO), "token": "a-token", "server_url": "https://github.com"}
    scope: dict[str, Any] = {"inputs": inputs, "steps": {}, "github": github}
    scope["runner"] = {"os": "Linux"}
    cached: Path | None = None
    for number, step in enumerate(action["runs"]["steps"]):
        if "if" in step and _expression(step["if"], scope, repo) != "true":
            continue
        outputs: dict[str, str] = {}
        uses = step.get("uses", "")
        if uses.startswith("actions/setup-python"):
            outputs["python-path"] = sys.executable
        elif uses.startswith("actions/cache"):
            cached = repo / _expand(step["with"]["path"], scope, repo)
            assert _expand(step["with"]["key"], scope, repo).startswith("podcastfeed-Linux-")
            if store.is_dir():
                shutil.copytree(store, cached, dirs_exist_ok=True)
        elif "$ACTION_PATH" in step["run"]:
            assert step["env"]["ACTION_PATH"] == "${{ github.action_path }}"  # installed by env
        else:
            output_file = repo.parent / f"github-output-{number}"
            output_file.write_text("")
            step_env = {k: _expand(v, scope, repo) for k, v in step.get("env", {}).items()}
            step_env = env | step_env | {"GITHUB_OUTPUT": str(output_file)}
            result = _run(repo, step["run"], step_env)
            assert result.returncode == 0, f"{step['run']}\n{result.stdout}\n{result.stderr}"
            lines = output_file.read_text().splitlines()
            outputs = dict(line.split("=", 1) for line in lines)
        if "id" in step:
            scope["steps"][step["id"]] = {"outputs": outputs}
    if cached is not None and cached.is_dir():  # actions/cache saves in its post step
        shutil.copytree(cached, store, dirs_exist_ok=True)
    return {name: _expand(o["value"], scope, repo) for name, o in action["outputs"].items()}


def _ci(repo: Path, env: dict[str, str], site_dir: Path) -> list[dict[str, str]]:
    """Run the workflow's jobs in `repo`: our action's steps as written, the others emulated.
    Returns the outputs of each run of the action."""
    ran = []
    for job in _workflow()["jobs"].values():
        for step in job["steps"]:
            uses = step.get("uses", "")
            if uses.startswith(OWN_ACTION + "@"):
                store = repo.parent / "actions-cache"
                ran.append(_run_action(repo, env, step.get("with", {}), store))
            elif uses.startswith("actions/upload-pages-artifact"):
                shutil.copytree(repo / step["with"]["path"], site_dir, dirs_exist_ok=True)
            else:  # checkout, deploy-pages: the repository is already here; site_dir is the site
                assert "run" not in step, step
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
    built, announced = _ci(repo, env, site_dir)
    assert built == {"feed-path": "public/feed.xml", "episodes": "1", "changed": "true"}
    assert announced["changed"] == "false"  # the announce job rebuilt the same feed

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
    built, _ = _ci(repo, env, site_dir)
    assert built == {"feed-path": "public/feed.xml", "episodes": "1", "changed": "false"}
    assert len(_git(origin, "log", "--format=%s", "main", env=env).splitlines()) == len(log)
