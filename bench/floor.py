"""The floor under a cold build: what the libraries alone cost on a corpus.

Times, in one process and in CPU seconds, the stages any build that renders and sanitizes show
notes must run once per episode, with the libraries podcastfeed uses and none of its own code:
reading the file, the YAML front matter (PyYAML's C loader), the Markdown body (cmarkgfm, raw
HTML kept), one sanitizer pass (nh3 with its default allow-list), and creating one small file
per episode (a page); then the naive script (bench/naive.py) as a child process, for the ratio.
The sum is a lower bound for `cold`: podcastfeed does more per episode (a second file for the
transcript, the item and the page rendered, the check), never less.

    python bench/floor.py bench/out/corpus-10000-s1 [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cmarkgfm
import nh3
import yaml
from cmarkgfm.cmark import Options

HERE = Path(__file__).resolve().parent


def _split(data: bytes) -> tuple[bytes, bytes]:
    """Front matter and body of a file that starts with a `---` line."""
    end = data.find(b"\n---", 4)
    return data[4:end], data[data.find(b"\n", end + 1) + 1 :]


def _timed(step: Callable[[], Any]) -> tuple[float, Any]:
    started = time.process_time()
    result = step()
    return time.process_time() - started, result


def measure(files: list[Path], scratch: Path) -> dict[str, float]:
    """CPU seconds of each stage over every file (each stage over all files, in turn)."""
    times: dict[str, float] = {}
    times["read"], raw = _timed(lambda: [path.read_bytes() for path in files])
    pairs = [_split(data) for data in raw]
    loader = yaml.CSafeLoader
    times["yaml (C loader)"], _ = _timed(lambda: [yaml.load(head, loader) for head, _ in pairs])
    unsafe = Options.CMARK_OPT_UNSAFE
    times["markdown (cmarkgfm)"], html = _timed(
        lambda: [cmarkgfm.markdown_to_html(body.decode(), options=unsafe) for _, body in pairs]
    )
    times["sanitize (nh3, one pass)"], clean = _timed(lambda: [nh3.clean(h) for h in html])

    def pages() -> None:
        for number, text in enumerate(clean):
            folder = scratch / f"e{number}"
            folder.mkdir()
            (folder / "index.html").write_text(text, encoding="utf-8")

    times["one page file each"], _ = _timed(pages)
    return times


def naive_cpu(corpus: Path, out: Path) -> float:
    """User + system seconds of bench/naive.py on the corpus."""
    child = subprocess.Popen(
        [sys.executable, str(HERE / "naive.py"), str(corpus), str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        raise SystemExit(f"naive.py failed (status {status})")
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a show made by bench/make_corpus.py")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    files = sorted((args.corpus / "episodes").glob("*.md"))
    if not files:
        parser.error(f"no episodes in {args.corpus / 'episodes'}")
    runs: list[dict[str, float]] = []
    naive: list[float] = []
    for _ in range(args.repeat):  # the two in turn, so drift hits both alike
        scratch = Path(tempfile.mkdtemp(prefix="floor-"))
        try:
            runs.append(measure(files, scratch))
            naive.append(naive_cpu(args.corpus, scratch / "naive.xml"))
        finally:
            shutil.rmtree(scratch)
    base = statistics.median(naive)
    print(f"{len(files)} episode files, {args.repeat} runs, medians (CPU seconds)")
    print(f"{'stage':<28}{'s':>8}{'ms/episode':>12}{'× naive':>10}")
    total = 0.0
    for stage in runs[0]:
        value = statistics.median(run[stage] for run in runs)
        total += value
        print(f"{stage:<28}{value:8.2f}{1000 * value / len(files):12.3f}{value / base:10.2f}")
    per = 1000 * total / len(files)
    print(f"{'sum (the floor)':<28}{total:8.2f}{per:12.3f}{total / base:10.2f}")
    print(f"{'naive.py (whole process)':<28}{base:8.2f}{1000 * base / len(files):12.3f}{1:10.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
