"""Start-up of `podcastfeed --help` (issues 13 and 18): wall and CPU time, and what it imports.

Usage: python bench/startup.py [--repeat 20] [--against DIR]    (figures: bench/README.md)

Runs the installed `podcastfeed --help`, `python -c 'import podcastfeed'` and `python -c pass`
interleaved, round after round (`--repeat` rounds), so a busy machine slows them alike; prints
the median wall time and the median CPU time (user + sys) of each. Once more with
`-X importtime`: the modules imported, the cumulative import time of podcastfeed.cli, and which
heavy libraries are among them. `--against DIR` adds `python -m podcastfeed --help` run from
another checkout (e.g. a worktree of main), for a before/after in the same session. Bytecode is
cached under bench/out/pycache, as on a user's machine; a first untimed run writes it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HEAVY = ("lxml", "PIL", "jinja2", "requests", "feedgen", "mutagen", "nh3", "cmarkgfm", "yaml")
HEAVY += ("frontmatter", "urllib3", "rich", "email", "json", "socket")
ENV = {
    **os.environ,
    "PYTHONPYCACHEPREFIX": str(Path(__file__).parent / "out" / "pycache"),
}
ENV.pop("PYTHONDONTWRITEBYTECODE", None)


def run(command: list[str], cwd: Path | None) -> tuple[float, float]:
    """Wall and CPU (user + sys) seconds of one run."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=ENV, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        sys.exit(f"{command} failed with {process.returncode}")
    return wall, usage.ru_utime + usage.ru_stime


def imports(command: list[str], cwd: Path | None) -> dict[str, int]:
    log = subprocess.run(
        [*command[:1], "-X", "importtime", *command[1:]],
        env=ENV,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    ).stderr.splitlines()
    rows = [line.split("|") for line in log if line.startswith("import time:") and "|" in line]
    return {row[2].strip(): int(row[1]) for row in rows[1:]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--against", type=Path, help="another checkout to compare with")
    args = parser.parse_args()
    script = shutil.which("podcastfeed") or sys.exit("podcastfeed is not installed")
    cases: dict[str, tuple[list[str], Path | None]] = {
        "podcastfeed --help": ([script, "--help"], None),
        "python -c 'import podcastfeed'": ([sys.executable, "-c", "import podcastfeed"], None),
        "python -c pass": ([sys.executable, "-c", "pass"], None),
    }
    if args.against:
        against = args.against.resolve()
        cases[f"python -m podcastfeed --help in {against}"] = (
            [sys.executable, "-m", "podcastfeed", "--help"],
            against,
        )
        cases["python -m podcastfeed --help"] = (
            [sys.executable, "-m", "podcastfeed", "--help"],
            Path(__file__).resolve().parent.parent,
        )
    for command, cwd in cases.values():
        run(command, cwd)  # writes the bytecode
    for name, (command, cwd) in cases.items():
        if "podcastfeed --help" in name and command[0] == sys.executable:
            names = imports(command, cwd)
            cli = names.get("podcastfeed.cli", 0) / 1000
            heavy = ", ".join(h for h in HEAVY if h in names) or "none"
            print(f"{name}: {len(names)} modules, podcastfeed.cli {cli:.0f} ms; heavy: {heavy}")
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
    for _ in range(args.repeat):  # interleaved: load on the machine hits every case alike
        for name, (command, cwd) in cases.items():
            times[name].append(run(command, cwd))
    print(f"\n| command (median of {args.repeat}, interleaved) | wall | CPU (user+sys) |")
    print("|---|---:|---:|")
    for name, measured in times.items():
        wall = statistics.median(w for w, _ in measured) * 1000
        cpu = statistics.median(c for _, c in measured) * 1000
        print(f"| {name} | {wall:.0f} ms | {cpu:.0f} ms |")


if __name__ == "__main__":
    main()
