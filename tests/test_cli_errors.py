"""One place turns errors into exit codes (issue 13): every command runs under `handled`."""

from __future__ import annotations

import ast
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from conftest import Site
from httpserver import AudioServer

import podcastfeed.cli
from podcastfeed.cli import app
from podcastfeed.cli.common import handled
from podcastfeed.errors import BuildFailed, ExitCode, PodcastfeedError, Problem

CLI = Path(podcastfeed.cli.__file__).parent
COMMANDS = {info.name: info.callback for info in app.registered_commands}


def _raising(exc: BaseException) -> Callable[..., None]:
    def body(*, debug: bool = False) -> None:
        raise exc

    return body


def test_every_command_is_registered_through_the_handler() -> None:
    assert set(COMMANDS) == {
        "build",
        "probe",
        "check",
        "import",
        "init",
        "new",
        "notify",
        "diff",
        "serve",
    }
    for name, callback in COMMANDS.items():
        assert getattr(callback, "interrupted", None), f"{name} is not registered with command()"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_handled_maps_ctrl_c_to_130(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Ctrl-C anywhere in a command body is one line on stderr and exit 130."""
    interrupted = COMMANDS[name].interrupted  # type: ignore[union-attr]
    run = handled(_raising(KeyboardInterrupt()), interrupted=interrupted)
    with pytest.raises(typer.Exit) as exit_info:
        run()
    assert exit_info.value.exit_code == ExitCode.INTERRUPTED == 130
    assert capsys.readouterr().err == f"{interrupted}\n"


def test_handled_maps_sigterm_to_143_as_ctrl_c(capsys: pytest.CaptureFixture[str]) -> None:
    """SIGTERM (a CI job cancelled) is handled as Ctrl-C is: one line on stderr, exit 143;
    the default action is back once the command ends."""

    def body() -> None:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # (the signal is handled at once)

    run = handled(body, interrupted="Interrupted; nothing was replaced")
    with pytest.raises(typer.Exit) as exit_info:
        run()
    assert exit_info.value.exit_code == ExitCode.TERMINATED == 143
    assert capsys.readouterr().err == "Interrupted; nothing was replaced\n"
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_handled_prints_every_problem_of_a_failed_build(capsys: pytest.CaptureFixture[str]) -> None:
    problems = [
        Problem("error", "'date' must be a date", source="episodes/a.md", line=3),
        Problem("warning", "no artwork", source="episodes/b.md"),
    ]
    with pytest.raises(typer.Exit) as exit_info:
        handled(_raising(BuildFailed(problems)))()
    assert exit_info.value.exit_code == ExitCode.CONTENT
    lines = capsys.readouterr().err.splitlines()
    assert lines[:2] == [str(p) for p in problems]
    assert lines[-1].startswith("Error: ")


def test_handled_debug_adds_the_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    error = PodcastfeedError("bad value", source="feed.toml", line=4)
    with pytest.raises(typer.Exit):
        handled(_raising(error))()
    assert capsys.readouterr().err == "Error: feed.toml:4: bad value\n"
    with pytest.raises(typer.Exit):
        handled(_raising(error))(debug=True)
    shown = capsys.readouterr().err
    assert "Traceback" in shown
    assert shown.endswith("Error: feed.toml:4: bad value\n")


def test_handled_keeps_the_traceback_of_a_bug() -> None:
    with pytest.raises(ZeroDivisionError):
        handled(_raising(ZeroDivisionError()))()


def _commands(tree: ast.Module) -> list[ast.FunctionDef]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        and any(
            isinstance(d, ast.Call) and getattr(d.func, "id", "") == "command"
            for d in node.decorator_list
        )
    ]


def test_no_command_catches_podcastfeed_error_itself() -> None:
    """Only cli.common.handled turns a PodcastfeedError into a message and an exit code."""
    found = []
    for path in sorted(CLI.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in _commands(tree):
            found.append(function.name)
            for node in ast.walk(function):
                if isinstance(node, ast.ExceptHandler) and node.type is not None:
                    names = {n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)}
                    assert not names & {"PodcastfeedError", "BuildFailed"}, (
                        f"{path.name}:{node.lineno}: {function.name} catches {names}"
                    )
                    assert "KeyboardInterrupt" not in names or function.name == "serve_command", (
                        f"{path.name}:{node.lineno}: {function.name} handles Ctrl-C itself"
                    )
    assert len(found) == len(COMMANDS)


def _interrupt(args: list[str], server: AudioServer, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Runs `podcastfeed ARGS`, sends SIGINT once it is waiting for the server, returns what
    it did."""
    process = subprocess.Popen(
        [sys.executable, "-m", "podcastfeed", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env=os.environ | {"PYTHONUNBUFFERED": "1"},
    )
    deadline = time.monotonic() + 20
    while not server.active and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    try:
        out, errors = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:  # killed and its pipes closed, not left to warn later
        process.kill()
        out, errors = process.communicate()
        pytest.fail(f"still running 20 s after SIGINT; stderr: {errors[-2000:]}")
    return subprocess.CompletedProcess(args, process.returncode, out, errors)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["probe", "{url}"], "Interrupted"),
        (["diff", "{url}", "{url}"], "Interrupted"),
        (["check", "--feed", "{url}"], "Interrupted"),
        (["import", "{url}", "--dir", "imported"], "Interrupted"),
        (["new", "Waiting", "--audio", "{url}"], "Interrupted"),
        # a build lets the probes in flight end (remote.probe_urls): a short --deadline
        (
            ["build", "-c", "{config}", "--deadline", "3"],
            COMMANDS["build"].interrupted,  # type: ignore[union-attr]
        ),
    ],
)
def test_ctrl_c_while_waiting_for_a_server_exits_130(
    args: list[str], message: str, site: Site, tmp_path: Path
) -> None:
    with AudioServer(slow=30) as server:
        url = server.url("slow/sine-3s-cbr.mp3")
        site.episode("remote", audio=url)
        argv = [arg.format(url=url, config=site.config) for arg in args]
        done = _interrupt(argv, server, tmp_path)
    assert done.returncode == 130, done.stderr
    assert done.stderr.splitlines()[-1] == message
    assert "Traceback" not in done.stderr


@pytest.mark.slow  # a dozen processes interrupted as they start
def test_ctrl_c_while_the_command_starts_prints_no_traceback(site: Site) -> None:
    """Ctrl-C while the command imports its modules (the first ~0.2 s) printed a traceback
    through typer's import; now "Interrupted", exit 130, at any moment but the interpreter's
    own first milliseconds (Python's start-up and runpy's import of the package)."""
    site.episode("a")
    command = [sys.executable, "-m", "podcastfeed", "build", "-c", str(site.config)]
    codes = set()
    for delay in (0.02, 0.04, 0.06, 0.08, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3):
        child = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        time.sleep(delay)
        child.send_signal(signal.SIGINT)
        stderr = child.communicate(timeout=60)[1]
        frames = [line for line in stderr.splitlines() if line.startswith('  File "')]
        late = [f for f in frames if "__main__.py" in f or "typer" in f or "/cli/" in f]
        assert not late, stderr  # (runpy importing the package itself: Python's start-up)
        codes.add(child.returncode)
    # 130: ours; -2 or 1: Python's own start-up (its default handler, or a traceback of its
    # frozen modules only, checked above), before any podcastfeed code runs
    assert codes <= {0, 1, 130, -signal.SIGINT}
    assert 130 in codes  # (the guard was met: most delays fall in the imports)
