"""Start-up of `podcastfeed --help` (issue 13): wall time and what it imports.

Usage: python bench/startup.py [--repeat 20]    (figures: bench/README.md, "Start-up")

Runs the installed `podcastfeed` script `--repeat` times (median wall time), once with
`-X importtime` (modules imported, cumulative import time of podcastfeed.cli, and which heavy
libraries are among them), and `python -c 'import podcastfeed'` and `python -c pass` for
comparison. Bytecode is cached under bench/out/pycache, as on a user's machine; a first
untimed run writes it.
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
HEAVY += ("frontmatter", "urllib3", "rich")
ENV = {
    **os.environ,
    "PYTHONPYCACHEPREFIX": str(Path(__file__).parent / "out" / "pycache"),
}
ENV.pop("PYTHONDONTWRITEBYTECODE", None)


def median_ms(command: list[str], repeat: int) -> float:
    subprocess.run(command, env=ENV, capture_output=True, check=True)  # writes the bytecode
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, env=ENV, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    script = shutil.which("podcastfeed") or sys.exit("podcastfeed is not installed")
    subprocess.run([script, "--help"], env=ENV, capture_output=True, check=True)  # bytecode
    log = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "podcastfeed", "--help"],
        env=ENV,
        capture_output=True,
        text=True,
        check=True,
    ).stderr.splitlines()
    rows = [line.split("|") for line in log if line.startswith("import time:") and "|" in line]
    names = {row[2].strip(): int(row[1]) for row in rows[1:]}
    print(f"modules imported by `python -m podcastfeed --help`: {len(names)}")
    print(f"cumulative import of podcastfeed.cli: {names.get('podcastfeed.cli', 0) / 1000:.0f} ms")
    print("heavy libraries imported:", ", ".join(h for h in HEAVY if h in names) or "none")
    print(f"podcastfeed --help: {median_ms([script, '--help'], args.repeat):.0f} ms (median)")
    for code in ("import podcastfeed", "pass"):
        took = median_ms([sys.executable, "-c", code], args.repeat)
        print(f"python -c {code!r}: {took:.0f} ms (median)")


if __name__ == "__main__":
    main()
