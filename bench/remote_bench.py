"""Remote probing (podcastfeed.media.remote) against downloading every file, on a loopback server.

    python bench/remote_bench.py                     # 100 episodes, 50 ms per request
    python bench/remote_bench.py --rate 10           # ... and 10 MB/s per response
    python bench/remote_bench.py --episodes 100 --latency 0.05 --repeat 3

The server is tests/httpserver.py's AudioServer (real HTTP/1.1 with Range) with `latency`
seconds of sleep before each answer, standing in for a round trip to a podcast host, and
optionally `rate` MB/s per response (loopback itself moves gigabytes per second). The
episodes are URL aliases (/ep/NNN-name) of the good fixtures in tests/data/audio, plus three
hour-long files made once with ffmpeg into bench/out/remote/ (a 64 kb/s mono MP3 with its LAME
Info header, 28.8 MB, and the same hour as AAC in M4A with moov at the end and at the start).

Each case runs `repeat` times with a fresh session (so connections are opened each time, as in
a build); the median wall time is reported. Bytes and requests per episode come from the
server's own log, and are checked against what probe_url reports. Every remote result is
checked against audio.probe_file on the same bytes.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from httpserver import GOOD, AudioServer  # noqa: E402  (tests/ is not a package)

from podcastfeed import __version__  # noqa: E402
from podcastfeed.media import audio  # noqa: E402
from podcastfeed.media.remote import RemoteAudio, probe_urls  # noqa: E402
from podcastfeed.net.fetch import make_session  # noqa: E402

FIXTURES = ROOT / "tests" / "data" / "audio"
FF = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y"]
HOUR = "sine=frequency=440:duration=3600:sample_rate=44100"
LONG = {  # name: ffmpeg arguments after the input
    "hour-64k.mp3": ["-ac", "1", "-c:a", "libmp3lame", "-b:a", "64k"],
    "hour-64k-moov-end.m4a": ["-ac", "1", "-c:a", "aac", "-b:a", "64k"],
    "hour-64k-faststart.m4a": ["-ac", "1", "-c:a", "aac", "-b:a", "64k", "-movflags", "+faststart"],
}


def make_long_files(out: Path) -> dict[str, Path]:
    """The hour-long files, made with ffmpeg unless they are already there."""
    out.mkdir(parents=True, exist_ok=True)
    made = {}
    for name, args in LONG.items():
        path = out / name
        if not path.exists():
            if shutil.which("ffmpeg") is None:
                sys.exit("ffmpeg is needed once to make the hour-long files")
            print(f"making {path} with ffmpeg ...", file=sys.stderr)
            partial = path.with_suffix(".part" + path.suffix)
            subprocess.run([*FF, "-f", "lavfi", "-i", HOUR, *args, str(partial)], check=True)
            partial.replace(path)
        made[name] = path
    return made


def timed(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median wall time of `repeat` runs, and the last run's result."""
    times, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def download_all(urls: list[str], jobs: int) -> int:
    """Fetch every URL whole with requests.get, `jobs` at a time; returns the bytes received."""
    with requests.Session() as session:
        session.headers["User-Agent"] = "podcastfeed-bench"

        def get(url: str) -> int:
            response = session.get(url, timeout=60)
            response.raise_for_status()
            return len(response.content)

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            return sum(pool.map(get, urls))


def probe_all(urls: list[str], jobs: int) -> dict[str, RemoteAudio]:
    with make_session(f"podcastfeed/{__version__} (bench)") as session:
        results = probe_urls(session, urls, jobs=jobs)
    failed = {url: result for url, result in results.items() if not isinstance(result, RemoteAudio)}
    if failed:
        sys.exit(f"probes failed: {failed}")
    return {url: result for url, result in results.items() if isinstance(result, RemoteAudio)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--rate", type=float, help="MB/s per response (default: unlimited)")
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "remote")
    args = parser.parse_args()

    long_files = make_long_files(args.out)
    sources: dict[str, bytes] = {}
    for index in range(args.episodes - len(long_files)):
        fixture = GOOD[index % len(GOOD)]
        sources[f"ep/{index:03d}-{fixture}"] = (FIXTURES / fixture).read_bytes()
    for name, path in long_files.items():
        sources[f"ep/{name}"] = path.read_bytes()  # served from memory, like a CDN's cache

    rate = args.rate * 1e6 if args.rate else None
    with AudioServer(latency=args.latency, rate=rate) as server:
        urls = [server.add(name, data) for name, data in sources.items()]
        by_url = dict(zip(urls, sources, strict=True))

        rows: list[tuple[str, float, int, int]] = []
        results: dict[str, RemoteAudio] = {}
        for jobs in sorted({1, args.jobs}, reverse=True):
            server.clear()
            wall, last = timed(lambda jobs=jobs: probe_all(urls, jobs), args.repeat)
            assert isinstance(last, dict)
            results = last
            log = server.settle()  # `repeat` runs' worth
            per_run = (sum(e.sent for e in log) // args.repeat, len(log) // args.repeat)
            rows.append((f"probe, jobs={jobs}", wall, *per_run))
        # Per episode, from the server's log of the last probe run (a fresh server log).
        server.clear()
        results = probe_all(urls, args.jobs)
        log = server.settle()
        sent = {url: 0 for url in urls}
        count = {url: 0 for url in urls}
        for entry in log:
            url = server.url(entry.path)
            sent[url] += entry.sent
            count[url] += 1
        for url, result in results.items():
            assert (result.bytes_read, result.requests) == (sent[url], count[url]), url
        for jobs in sorted({1, args.jobs}, reverse=True):
            server.clear()
            wall, total = timed(lambda jobs=jobs: download_all(urls, jobs), args.repeat)
            assert isinstance(total, int)
            rows.append((f"download, jobs={jobs}", wall, total, len(urls)))

    # Every remote result against the local probe of the same bytes.
    tmp = args.out / "check"
    tmp.mkdir(exist_ok=True)
    for url, result in results.items():
        path = tmp / Path(by_url[url]).name
        path.write_bytes(sources[by_url[url]])
        local = audio.probe_file(path)
        assert abs(local.duration - result.info.duration) <= 0.5, (url, local, result.info)
        assert (local.size, local.mime_type) == (result.info.size, result.info.mime_type), url
        path.unlink()

    report(args, urls, by_url, sources, results, sent, count, rows)


def report(
    args: argparse.Namespace,
    urls: list[str],
    by_url: dict[str, str],
    sources: dict[str, bytes],
    results: dict[str, RemoteAudio],
    sent: dict[str, int],
    count: dict[str, int],
    rows: list[tuple[str, float, int, int]],
) -> None:
    def kb(n: float) -> str:
        return f"{n / 1024:,.1f} KB"

    def group(title: str, chosen: list[str]) -> str:
        sizes = [sent[u] for u in chosen]
        reqs = [count[u] for u in chosen]
        return (
            f"| {title} | {len(chosen)} | {kb(statistics.median(sizes))} | {kb(max(sizes))} "
            f"| {statistics.median(reqs):g} | {max(reqs)} |"
        )

    mp3_m4a = [u for u in urls if u.endswith((".mp3", ".m4a"))]
    speed = f", {args.rate:g} MB/s per response" if args.rate else ", no bandwidth limit"
    print(f"## {args.episodes} remote episodes, {args.latency * 1000:.0f} ms per request{speed}")
    print(
        f"\n{platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}, requests {requests.__version__}\n"
    )
    print("| episodes | n | bytes/episode median | max | requests/episode median | max |")
    print("|---|---:|---:|---:|---:|---:|")
    print(group("all", urls))
    print(group("MP3 and M4A", mp3_m4a))
    print(group("hour-long (28.8-29.6 MB)", [u for u in urls if "/hour-" in u]))
    print("\n| hour-long file | size | transferred | % of size | requests | method |")
    print("|---|---:|---:|---:|---:|---|")
    for url in urls:
        if "/hour-" in url:
            size = len(sources[by_url[url]])
            print(
                f"| {Path(by_url[url]).name} | {size / 1e6:.1f} MB | {kb(sent[url])} "
                f"| {sent[url] / size * 100:.3f} % | {count[url]} | {results[url].info.method} |"
            )
    print(f"\n| run (median of {args.repeat}) | wall | bytes | requests |")
    print("|---|---:|---:|---:|")
    for name, wall, total, requests_made in rows:
        print(f"| {name} | {wall:.2f} s | {total / 1e6:.2f} MB | {requests_made} |")


if __name__ == "__main__":
    main()
