"""Time `podcastfeed build` against the naive baseline (bench/naive.py) on synthetic shows.

    python bench/run.py                       # N = 1,000 and 10,000, 5 runs each
    python bench/run.py --sizes 1000 10000 --repeat 5 3

For each N the corpus is written once (bench/out/corpus-N-sSEED, reused while its corpus.json
matches), then each run times, as separate child processes, in an order that rotates from run
to run so machine drift affects every case alike:

  first    the build cache, podcastfeed.lock and the output folder deleted: a first build
  cold     the build cache and the output folder deleted, podcastfeed.lock kept: a fresh clone
           or a CI checkout (the lock is committed by users; the cache is git-ignored)
  warm     `podcastfeed build` again, nothing changed (the cache the cold run just wrote)
  new      one new episode added (newer than all others) after warm
  edited   one existing episode's notes edited after new (the corpus is restored afterwards)
  nocache  `podcastfeed build --no-cache` (neither reads nor writes the cache)
  naive    `python bench/naive.py`

Every podcastfeed case runs a second time as `CASE-j1`: `--jobs 1` on one CPU (the child's
affinity set to one core), as on a one-core CI runner. Each case writes into its own output
folder (the feed, its manifest and pages).

Wall time is measured around the child; CPU time (user + system, the child and its worker
processes) comes from os.wait4, and is less disturbed by other load on the machine. Peak RSS
is the child's ru_maxrss from os.wait4 (the largest single process among the child and its
worker processes). After the timed runs, one untimed memory pass per case samples the whole
process tree's PSS from /proc/PID/smaps_rollup every 20 ms: the memory the build needs in
total, with pages that forked workers share with their parent counted once (a sum of RSS
would count them in every process).
Ratios are computed run by run (case / naive of the same run) and the median is reported.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as dist_version
from pathlib import Path

import yaml
from lxml import etree

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
BASE = ("first", "cold", "warm", "new", "edited", "nocache")
CASES = (*BASE, *(f"{case}-j1" for case in BASE), "naive")
BUILDS = CASES[:-1]
# One unit runs back to back: warm must follow the cold build that filled the cache, new and
# edited each change the show that the build before them left.
SERIES = ("cold", "warm", "new", "edited")
UNITS = (
    ("first",),
    SERIES,
    ("nocache",),
    ("naive",),
    ("first-j1",),
    tuple(f"{case}-j1" for case in SERIES),
    ("nocache-j1",),
)
# Cases whose feeds differ from the unchanged show's: checked against a --no-cache build.
CHANGED = ("new", "edited", "new-j1", "edited-j1")
CACHE_DIR = ".podcastfeed-cache"
LOCK_NAME = "podcastfeed.lock"
# What each case deletes from the show folder before it runs (OUT: its output folder).
REMOVE = {"first": (CACHE_DIR, LOCK_NAME, "OUT"), "cold": (CACHE_DIR, "OUT")}
NEW_NAME = "2026-01-01-bench-new-episode.md"
_SUMMARY = re.compile(r"Wrote .*?: (\d+) episodes?.*; (\d+) file\(s\) read, (\d+) probed")


@dataclass
class Run:
    case: str
    wall: float  # seconds
    maxrss_kb: int  # largest single process (os.wait4 ru_maxrss)
    tree_kb: int  # largest sampled PSS sum over the process tree (0 if not sampled)
    cpu: float  # user + system seconds of the child and its reaped workers (os.wait4)
    returncode: int
    stderr: str
    load: float = 0.0  # 1-minute load average when the run started
    sources: str = ""  # source_digest() when the run started
    read: int | None = None  # episode files parsed this run (podcastfeed's summary)
    probed: int | None = None


@dataclass
class SizeResult:
    n: int
    corpus: dict[str, object]
    runs: list[Run] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    memory: dict[str, int] = field(default_factory=dict)  # case -> tree PSS peak, KiB


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as stream:
                    todo.extend(int(child) for child in stream.read().split())
        except OSError:
            continue
    return found


def _tree_pss_kb(pid: int) -> int:
    total = 0
    for proc in _descendants(pid):
        try:
            with open(f"/proc/{proc}/smaps_rollup", encoding="ascii") as stream:
                for line in stream:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except (OSError, IndexError, ValueError):
            continue
    return total


def child_env(out: Path) -> dict[str, str]:
    """The environment for every child: bytecode cached (in the work folder), as on a user's
    machine, even where PYTHONDONTWRITEBYTECODE is set; nothing else changed."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(out.resolve() / "pycache")
    return env


def _one_cpu() -> None:
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def run_child(case: str, cmd: list[str], log: Path, interval: float, env: dict[str, str]) -> Run:
    """Run `cmd`; wall time, its rusage (os.wait4) and, if `interval`, the sampled tree PSS.
    `-j1` cases run on one CPU."""
    peak = [0]
    load = os.getloadavg()[0]
    done = threading.Event()
    pin = _one_cpu if case.endswith("-j1") else None
    with log.open("w+", encoding="utf-8") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT, env=env, preexec_fn=pin
        )

        def sample() -> None:
            while not done.wait(interval):
                peak[0] = max(peak[0], _tree_pss_kb(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        if interval > 0:
            sampler.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        done.set()
        if interval > 0:
            sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read()
    cpu = usage.ru_utime + usage.ru_stime
    run = Run(case, wall, usage.ru_maxrss, peak[0], cpu, proc.returncode, stderr, load)
    summary = _SUMMARY.search(stderr)
    if summary:
        run.read, run.probed = int(summary.group(2)), int(summary.group(3))
    return run


def build_cmd(corpus: Path, out: Path, *extra: str) -> list[str]:
    config = str(corpus / "feed.toml")
    return [PY, "-m", "podcastfeed", "build", "-c", config, "-o", str(out), *extra]


def feed_path(feeds: Path, case: str) -> Path:
    """Where a case writes: warm, new and edited rebuild the cold build's output folder."""
    base, j1 = case.removesuffix("-j1"), case.endswith("-j1")
    folder = "series" if base in SERIES else base
    return feeds / (folder + "-j1" * j1) / "feed.xml"


def kept(feeds: Path, case: str) -> Path:
    """A copy of the feed a case wrote in the first run, for the byte comparisons."""
    return feeds / f"{case}.xml"


def commands(corpus: Path, feeds: Path) -> dict[str, list[str]]:
    found = {}
    for case in BUILDS:
        extra = ["--no-cache"] if case.startswith("nocache") else []
        extra += ["--jobs", "1"] if case.endswith("-j1") else []
        found[case] = build_cmd(corpus, feed_path(feeds, case), *extra)
    found["naive"] = [PY, str(HERE / "naive.py"), str(corpus), str(feeds / "naive.xml")]
    return found


class Changes:
    """The show changes of the `new` and `edited` cases, and their undoing."""

    def __init__(self, corpus: Path) -> None:
        self.episodes = corpus / "episodes"
        self.lock = corpus / LOCK_NAME
        self.lock_before: bytes | None = None
        files = sorted(self.episodes.glob("*.md"))
        self.edited = files[len(files) // 2]  # an episode in the middle of the feed
        self.original = self.edited.read_bytes()
        self.times = (self.edited.stat().st_atime_ns, self.edited.stat().st_mtime_ns)
        self.template = files[-1].read_text(encoding="utf-8")  # the newest episode

    def add_episode(self) -> None:
        # the lock pins the episode once published: it goes back to what it was with `undo`
        self.lock_before = self.lock.read_bytes()
        lines = []
        for line in self.template.split("\n"):
            if line.startswith("title: "):
                line = 'title: "A new episode for the benchmark"'
            elif line.startswith("date: "):
                line = 'date: "2026-01-01T06:00:00+00:00"'
            elif line.startswith("permalink: "):
                line = "permalink: /bench-new-episode"
            elif line.startswith("audio: "):
                line = "audio: audio/bench-new.mp3"
            lines.append(line)
        # A new file, as a show gets one (not a hard link to the corpus' shared audio: a link
        # changes the ctime of every episode's audio on that inode, which the build cache
        # reads as a change of each, as no real show would see it).
        shared = self.episodes / "audio" / "_shared" / "platform-engineering.mp3"
        shutil.copyfile(shared, self.episodes / "audio" / "bench-new.mp3")
        (self.episodes / NEW_NAME).write_text("\n".join(lines), encoding="utf-8")

    def edit_episode(self) -> None:
        text = self.original.replace(b"\n---\n", b"\n---\n\nAn edited first line.\n", 1)
        self.edited.write_bytes(text)

    def undo(self) -> None:
        if self.lock_before is not None:
            self.lock.write_bytes(self.lock_before)
            self.lock_before = None
        for path in (self.episodes / NEW_NAME, self.episodes / "audio" / "bench-new.mp3"):
            if path.exists():
                path.unlink()
        if self.edited.read_bytes() != self.original:
            self.edited.write_bytes(self.original)
            os.utime(self.edited, ns=self.times)  # as old as it was: the next build trusts it


def ensure_corpus(n: int, seed: int, out: Path, fresh: bool) -> tuple[Path, dict[str, object]]:
    corpus = out / f"corpus-{n}-s{seed}"
    facts_path = corpus / "corpus.json"
    if not fresh and facts_path.exists():
        facts = json.loads(facts_path.read_text(encoding="utf-8"))
        if facts.get("n") == n and facts.get("seed") == seed:
            print(f"[N={n}] reusing {corpus}", flush=True)
            return corpus, facts
    print(f"[N={n}] writing corpus {corpus} ...", flush=True)
    cmd = [PY, str(HERE / "make_corpus.py"), str(n), str(corpus), "--seed", str(seed)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return corpus, json.loads(facts_path.read_text(encoding="utf-8"))


def _tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` but hidden ones (the manifest names its folder), by digest."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }


def check_feed(path: Path, expected: int, label: str) -> str:
    """Parse with lxml and count items; returns a line for the report (raises if wrong)."""
    parser = etree.XMLParser(huge_tree=True)
    root = etree.parse(str(path), parser).getroot()
    items = len(root.findall("./channel/item"))
    if items != expected:
        raise AssertionError(f"{path.name}: {items} items, expected {expected}")
    return f"{label}: parses (lxml), {items} items, {path.stat().st_size / 2**20:.1f} MB"


def _fail(run: Run) -> None:
    print(f"\n{run.case} failed with exit code {run.returncode}; its stderr:\n", file=sys.stderr)
    print(run.stderr[-5000:], file=sys.stderr)
    raise SystemExit(1)


def bench_size(n: int, repeat: int, args: argparse.Namespace) -> SizeResult:
    corpus, facts = ensure_corpus(n, args.seed, args.out, args.fresh)
    feeds = args.out / "feeds" / str(n)
    feeds.mkdir(parents=True, exist_ok=True)
    cmds = commands(corpus, feeds)
    log = args.out / "stderr.txt"
    result = SizeResult(n, facts)
    expected = int(str(facts["published"]))

    changes = Changes(corpus)
    changes.undo()  # a bench killed mid-way left its changes

    # Untimed warm-up: fills the OS page cache with the corpus and compiles .pyc files.
    print(f"[N={n}] warm-up", flush=True)
    for case in ("naive", "nocache"):
        run = run_child(case, cmds[case], log, 0, args.env)
        if run.returncode:
            _fail(run)

    def prepare_and_run(case: str, interval: float) -> Run:
        base = case.removesuffix("-j1")
        for name in REMOVE.get(base, ()):
            path = feed_path(feeds, case).parent if name == "OUT" else corpus / name
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
        if base == "new":
            changes.add_episode()
        elif base == "edited":
            changes.edit_episode()
        run = run_child(case, cmds[case], log, interval, args.env)
        if run.returncode:
            _fail(run)
        return run

    def reference(case: str) -> str:
        """The same show built from scratch (--no-cache, untimed): must give the same feed."""
        ref = feeds / f"{case}-reference" / "feed.xml"
        run = run_child("reference", build_cmd(corpus, ref, "--no-cache"), log, 0, args.env)
        if run.returncode:
            _fail(run)
        same = ref.read_bytes() == kept(feeds, case).read_bytes()
        pages = _tree(ref.parent) == _tree(feed_path(feeds, case).parent)
        return (
            f"{case}: feed {'byte-identical to' if same else 'DIFFERS from'} a --no-cache "
            f"build's; pages (and every other file but the manifest) "
            f"{'byte-identical' if pages else 'DIFFER'}"
        )

    def run_unit(unit: tuple[str, ...], index: int, interval: float) -> None:
        try:
            for case in unit:
                sources = source_digest()
                run = prepare_and_run(case, interval)
                run.sources = sources
                if interval > 0:
                    result.memory[case] = run.tree_kb
                    print(f"[N={n}] memory {case:10s} tree PSS {run.tree_kb / 1024:.0f} MB")
                    continue
                result.runs.append(run)
                extra = f" read={run.read} probed={run.probed}" if run.read is not None else ""
                print(
                    f"[N={n}] run {index + 1}/{repeat} {case:10s} {run.wall:8.2f} s "
                    f"(cpu {run.cpu:6.2f} s) {run.maxrss_kb / 1024:7.0f} MB "
                    f"load {run.load:.1f}{extra}",
                    flush=True,
                )
                if index == 0:
                    published = expected + (1 if case.startswith(("new", "edited")) else 0)
                    target = feeds / "naive.xml" if case == "naive" else feed_path(feeds, case)
                    if case != "naive":
                        shutil.copyfile(target, kept(feeds, case))
                    result.checks.append(check_feed(target, published, case))
                    if case in CHANGED:
                        result.checks.append(reference(case))
        finally:
            changes.undo()

    for index in range(repeat):
        shift = index % len(UNITS)
        for unit in UNITS[shift:] + UNITS[:shift]:
            run_unit(unit, index, 0)

    if args.sample_interval > 0:
        for unit in UNITS:
            run_unit(unit, -1, args.sample_interval)

    same_show = [c for c in BUILDS if c not in CHANGED]
    digests = {c: hashlib.sha256(kept(feeds, c).read_bytes()).hexdigest()[:12] for c in BUILDS}
    same = len({digests[case] for case in same_show}) == 1
    result.checks.append(
        f"{', '.join(same_show)} feeds are byte-identical"
        if same
        else f"feeds DIFFER between podcastfeed runs: {digests}"
    )
    versions = sorted({r.sources for r in result.runs})
    if len(versions) > 1:
        counts = {v: [f"{r.case}" for r in result.runs if r.sources == v] for v in versions}
        result.checks.append(f"WARNING: podcastfeed's sources changed between runs: {counts}")
    for case in BUILDS:
        runs = [r for r in result.runs if r.case == case]
        reads = sorted({(r.read, r.probed) for r in runs}, key=str)
        result.checks.append(f"{case}: (files read, audio probed) per run: {reads}")
        noise = [
            line
            for line in runs[-1].stderr.splitlines()
            if line.strip() and not line.startswith("Wrote ")
        ]
        if noise:
            result.checks.append(f"{case}: {len(noise)} stderr line(s), first: {noise[:3]}")
    return result


def source_digest() -> str:
    """A digest of podcastfeed's sources: the code under test, even when uncommitted."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "podcastfeed").rglob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def _median_ratio(runs: list[Run], case: str, what: str = "wall") -> float:
    mine = [getattr(r, what) for r in runs if r.case == case]
    naive = [getattr(r, what) for r in runs if r.case == "naive"]
    return statistics.median(a / b for a, b in zip(mine, naive, strict=True))


def table(results: list[SizeResult]) -> str:
    head = (
        "| N | case | runs | median wall s | min s | max s | wall × naive "
        "| median CPU s | CPU × naive | peak RSS MB, largest process | peak PSS MB, process tree "
        "| `--jobs 1`, one CPU: wall s | wall × naive | CPU × naive | peak PSS MB |"
    )
    lines = [head, "|" + "---|" * 15]
    for res in results:
        for case in (*BASE, "naive"):
            runs = [r for r in res.runs if r.case == case]
            walls = [r.wall for r in runs]
            ratio = "1" if case == "naive" else f"{_median_ratio(res.runs, case):.2f}"
            cpu_ratio = "1" if case == "naive" else f"{_median_ratio(res.runs, case, 'cpu'):.2f}"
            line = (
                f"| {res.n:,} | {case} | {len(runs)} | {statistics.median(walls):.2f} "
                f"| {min(walls):.2f} | {max(walls):.2f} | {ratio} "
                f"| {statistics.median(r.cpu for r in runs):.2f} | {cpu_ratio} "
                f"| {statistics.median(r.maxrss_kb for r in runs) / 1024:.0f} "
                f"| {_pss(res, case)} |"
            )
            one = f"{case}-j1"
            j1 = [r.wall for r in res.runs if r.case == one]
            if j1:
                line += (
                    f" {statistics.median(j1):.2f} | {_median_ratio(res.runs, one):.2f} "
                    f"| {_median_ratio(res.runs, one, 'cpu'):.2f} | {_pss(res, one)} |"
                )
            else:
                line += " | | | |"
            lines.append(line)
    return "\n".join(lines)


def _pss(res: SizeResult, case: str) -> str:
    return f"{res.memory[case] / 1024:.0f}" if case in res.memory else "–"


def machine() -> dict[str, str]:
    def version(dist: str) -> str:
        try:
            return dist_version(dist)
        except PackageNotFoundError:
            return "?"

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpus": str(len(os.sched_getaffinity(0))),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "podcastfeed": version("podcastfeed") + (f" (git {commit})" if commit else ""),
        "feedgen": version("feedgen"),
        "python-frontmatter": version("python-frontmatter"),
        "lxml": version("lxml"),
        "PyYAML": version("PyYAML") + (" (libyaml present)" if yaml.__with_libyaml__ else ""),
        "cmarkgfm": version("cmarkgfm"),
        "nh3": version("nh3"),
        "mutagen": version("mutagen"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument(
        "--repeat", type=int, nargs="+", default=[5], help="runs per case: one value, or per size"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=HERE / "out", help="git-ignored work folder")
    parser.add_argument("--fresh", action="store_true", help="rewrite the corpora")
    parser.add_argument(
        "--sample-interval",
        type=float,
        default=0.02,
        help="seconds between PSS samples in the memory pass; 0 skips the memory pass",
    )
    args = parser.parse_args(argv)
    repeats = args.repeat * len(args.sizes) if len(args.repeat) == 1 else args.repeat
    if len(repeats) != len(args.sizes):
        parser.error("--repeat takes one value or one per size")
    args.out.mkdir(parents=True, exist_ok=True)
    args.env = child_env(args.out)

    info = machine()
    print(" ".join(f"{k}={v}" for k, v in info.items()), flush=True)
    info["podcastfeed sources"] = source_digest()
    started = time.perf_counter()
    results = [bench_size(n, r, args) for n, r in zip(args.sizes, repeats, strict=True)]
    elapsed = time.perf_counter() - started
    if source_digest() != info["podcastfeed sources"]:
        print(f"WARNING: podcastfeed's sources changed during the bench ({source_digest()})")
        info["podcastfeed sources"] += f" -> {source_digest()} (CHANGED during the run)"

    print()
    for res in results:
        print(f"N={res.n:,}: corpus {json.dumps(res.corpus)}")
        for check in res.checks:
            print(f"  {check}")
    print()
    print(table(results))
    print(f"\ntotal bench time {elapsed / 60:.1f} min")
    raw = {"machine": info, "results": [asdict(r) for r in results], "seconds": elapsed}
    for res in raw["results"]:
        for run in res["runs"]:
            run["stderr"] = run["stderr"][-2000:]
    (args.out / "results.json").write_text(json.dumps(raw, indent=2) + "\n", encoding="utf-8")
    print(f"raw results: {args.out / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
