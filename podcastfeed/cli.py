"""The command line: the only module that prints, reads argv or exits.

Each command is load -> core -> write -> map errors to exit codes. Diagnostics go to stderr;
stdout carries data only (the feed with `-o -`, `probe --json`).
"""

from __future__ import annotations

import json
import os
import re
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from podcastfeed import __version__, lock
from podcastfeed.audio import probe_file
from podcastfeed.build import BuildReport, build, write_report
from podcastfeed.config import CONFIG_NAME
from podcastfeed.errors import BuildFailed, ExitCode, PodcastfeedError, ProbeError
from podcastfeed.probing import USER_AGENT, ProbeOptions

app = typer.Typer(
    help="Turn a folder of podcast episode files and their audio into a podcast RSS feed.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=True,
)

DebugOption = Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")]


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def _fail(exc: PodcastfeedError, debug: bool) -> NoReturn:
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    if isinstance(exc, BuildFailed):
        for problem in exc.problems:
            _err(str(problem))
        _err(f"Error: {exc.message}")
    else:
        _err(f"Error: {exc}")
    raise typer.Exit(int(exc.exit_code))


def _version(value: bool) -> None:
    if value:
        print(f"podcastfeed {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Turn a folder of podcast episode files and their audio into a podcast RSS feed.

    Run `podcastfeed build` in a folder with feed.toml and episodes/.
    """


@app.command("build")
def build_command(
    config: Annotated[
        Path,
        typer.Option("--config", "-c", help="The show's feed.toml.", dir_okay=False),
    ] = Path(CONFIG_NAME),
    output: Annotated[
        str | None,
        typer.Option(
            "--output", "-o", help="Write the feed here instead ([build] output); - for stdout."
        ),
    ] = None,
    include_future: Annotated[
        bool, typer.Option("--include-future", help="Also publish episodes dated in the future.")
    ] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Ignore and do not update the local build cache.")
    ] = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", min=1, help="Audio URLs probed at once (parsing uses up to the CPUs)."
        ),
    ] = 8,
    offline: Annotated[
        bool,
        typer.Option("--offline", help="Never use the network: audio URLs come from the lock."),
    ] = False,
    refresh: Annotated[
        list[str] | None,
        typer.Option(
            "--refresh",
            metavar="EPISODE",
            help="Measure this episode's audio again (file, name or guid; * for all). Repeatable.",
        ),
    ] = None,
    allow_changes: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-changes",
            metavar="EPISODE",
            help="Let this published episode change its guid, audio URL or date, or leave the "
            "feed (file, name or guid). Repeatable.",
        ),
    ] = None,
    no_check: Annotated[
        bool, typer.Option("--no-check", help="Skip the error rules of `podcastfeed check`.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
    check_only: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Write nothing; exit 1 with a short diff if the feed or lock on disk is stale.",
        ),
    ] = False,
    debug: DebugOption = False,
) -> None:
    """Build the feed: read feed.toml and the episodes, measure the audio, write the RSS file
    and podcastfeed.lock (commit the lock: it keeps published episodes stable).

    Examples:

      podcastfeed build

      podcastfeed build --offline          # CI without network: audio from the lock

      podcastfeed build --allow-changes 2023-03-21-platform-engineering

      podcastfeed build --config shows/demo/feed.toml --output -   (the lock is not written)

      podcastfeed build --check            # CI: is the committed feed current?
    """
    progress = _Progress(quiet=quiet)
    options = ProbeOptions(
        offline=offline,
        refresh=refresh or (),
        jobs=jobs,
        on_start=progress.start,
        on_progress=progress.advance,
    )
    try:
        report = build(
            config,
            now=datetime.now(UTC),
            include_future=include_future,
            use_cache=not (no_cache or check_only),  # --check writes nothing, not even the cache
            jobs=min(jobs, os.cpu_count() or 1),
            probe=options,
            allow_changes=allow_changes or (),
            check=not no_check,
        )
    except PodcastfeedError as exc:
        progress.stop()
        _fail(exc, debug)
    except KeyboardInterrupt:
        progress.stop()
        _err("Interrupted; nothing was written")
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    progress.stop()
    for problem in report.warnings:
        _err(str(problem))
    if strict and report.warnings:
        _err(f"Error: {len(report.warnings)} warning(s) with --strict; nothing was written")
        raise typer.Exit(int(ExitCode.CONTENT))
    if check_only:
        _check_current(report, Path(output) if output and output != "-" else None, debug)
        return
    if output == "-":
        sys.stdout.buffer.write(report.feed)
        sys.stdout.buffer.flush()
        _err(_summary(report, "stdout"))
        return
    try:
        target = write_report(report, Path(output) if output else None)
    except OSError as exc:
        _err(f"Error: cannot write {output or report.output}: {exc.strerror}")
        raise typer.Exit(int(ExitCode.CONTENT)) from None
    _err(_summary(report, _shown(target, report.config.build.root)))


def _check_current(report: BuildReport, output: Path | None, debug: bool) -> None:
    """`build --check`: compare the built feed and lock with the files on disk."""
    from podcastfeed.feeddiff import diff_feeds, format_diff

    target = output or report.output
    root = report.config.build.root
    stale = []
    built = report.feed
    try:
        on_disk: bytes | None = target.read_bytes()
    except FileNotFoundError:
        on_disk = None
    except OSError as exc:
        _err(f"Error: cannot read {target}: {exc.strerror}")
        raise typer.Exit(int(ExitCode.CONTENT)) from None
    shown = _shown(target, root)
    if on_disk is None:
        stale.append(f"{shown} does not exist yet")
    elif on_disk != built:
        try:
            lines = format_diff(diff_feeds(on_disk, built, old_name=shown, new_name="the build"))
        except PodcastfeedError as exc:
            _fail(exc, debug)
        stale.append(f"{shown} is out of date:")
        stale += ["  " + line for line in lines] or ["  (same content, different bytes)"]
    from podcastfeed import assets

    for asset in assets.plan(report.published, target.parent):  # transcripts, chapters
        try:
            wanted = asset.content if asset.source is None else asset.source.read_bytes()
            current = asset.target.read_bytes()
        except OSError:
            current, wanted = None, b""
        if current != wanted:
            stale.append(f"{_shown(asset.target, root)} is out of date")
    lock_path = root / lock.LOCK_NAME
    try:
        lock_text: str | None = lock_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        lock_text = None
    if lock_text != lock.dumps(report.lock):
        stale.append(f"{_shown(lock_path, root)} is out of date")
    if stale:
        for line in stale:
            _err(line)
        _err("Error: run `podcastfeed build` and commit the result")
        raise typer.Exit(int(ExitCode.CONTENT))
    count = len(report.published)
    _err(f"{shown} and {lock.LOCK_NAME} are current ({count} episode{'s' * (count != 1)})")


class _Progress:
    """Remote probing progress on stderr: a bar on a terminal, plain lines otherwise."""

    def __init__(self, *, quiet: bool) -> None:
        self.quiet = quiet
        self.total = self.done = 0
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    def start(self, total: int) -> None:
        self.total = total
        if self.quiet:
            return
        if sys.stderr.isatty():
            self.bar = Progress(
                TextColumn("Probing audio"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("probe", total=total)
        else:
            _err(f"Probing {total} audio URL{'s' if total != 1 else ''}")

    def advance(self, url: str, error: str | None) -> None:
        self.done += 1
        if self.quiet:
            return
        if self.bar is not None and self.task is not None:
            self.bar.advance(self.task)
        else:
            _err(f"  [{self.done}/{self.total}] {url}: {'failed' if error else 'ok'}")

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _summary(report: BuildReport, where: str) -> str:
    held = []
    if report.drafts:
        held.append(f"{report.drafts} draft{'s' if report.drafts != 1 else ''}")
    if report.scheduled:
        held.append(f"{report.scheduled} scheduled")
    count = len(report.published)
    text = f"Wrote {where}: {count} episode{'s' if count != 1 else ''}"
    if held:
        text += f" ({', '.join(held)} not published)"
    text += f"; {report.parsed} file(s) read, {report.probed} probed"
    if report.requests:
        text += f" ({report.requests} requests, {report.bytes_read / 1024:,.0f} KB)"
    return text + f", {report.seconds:.2f} s"


@app.command("init")
def init_command(
    folder: Annotated[
        Path, typer.Argument(metavar="[DIR]", help="The show's folder (default: here).")
    ] = Path(),
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Ask nothing: flags, else sensible defaults.")
    ] = False,
    title: Annotated[str | None, typer.Option("--title", help="The show's title.")] = None,
    description: Annotated[
        str | None, typer.Option("--description", help="What the show is about.")
    ] = None,
    author: Annotated[str | None, typer.Option("--author", help="Author and owner name.")] = None,
    email: Annotated[
        str | None, typer.Option("--email", help="The owner's e-mail (Apple writes here).")
    ] = None,
    link: Annotated[str | None, typer.Option("--link", help="The show's website.")] = None,
    language: Annotated[
        str | None, typer.Option("--language", help="A language code: en, en-US, de.")
    ] = None,
    category: Annotated[
        str | None,
        typer.Option("--category", help='An Apple category: "Technology", "Arts > Books".'),
    ] = None,
    image: Annotated[
        str | None, typer.Option("--image", help="The artwork URL (square, 1400-3000 px).")
    ] = None,
    debug: DebugOption = False,
) -> None:
    """Start a show: a commented feed.toml and an episodes/ folder with an example episode.
    Asks for what the flags do not give (answers can be piped); --yes asks nothing. Never
    overwrites a feed.toml.

    Examples:

      podcastfeed init my-show

      podcastfeed init --yes --title "My Show" --author "Jane Doe" --email jane@example.org

      podcastfeed init my-show --yes      # defaults to edit later in my-show/feed.toml
    """
    import uuid

    from podcastfeed import scaffold
    from podcastfeed.config import load_config

    config_path = folder / CONFIG_NAME
    if config_path.exists():
        _err(f"Error: {config_path}: exists already; not overwritten")
        _err("  hint: edit it, or run `podcastfeed init` in another folder")
        raise typer.Exit(int(ExitCode.CONTENT))

    def ask(given: str | None, question: str, default: str) -> str:
        if given is not None:
            return given
        if yes:
            return default
        answer = str(typer.prompt(question, default=default, err=True)).strip()
        if not sys.stdin.isatty():
            _err("")  # piped answers are not echoed: end the prompt's line
        return answer or default

    name = (folder.resolve().name or "my-show").replace("-", " ").replace("_", " ")
    show_title = ask(title, "Title of the show", name.title())
    show_description = ask(description, "What is it about", f"A podcast: {show_title}.")
    show_author = ask(author, "Author (and owner) name", "Your Name")
    show_email = ask(email, "Owner e-mail (Apple and Spotify write here)", "you@example.org")
    show_link = ask(link, "Website", "https://example.org")
    show_language = ask(language, "Language code", "en")
    show_category = ask(category, "Apple category", "Technology")
    show_image = ask(image, "Artwork URL", show_link.rstrip("/") + "/cover.jpg")
    answers = scaffold.ShowAnswers(
        title=show_title,
        description=show_description,
        author=show_author,
        email=show_email,
        link=show_link,
        language=show_language,
        category=show_category,
        image=show_image,
    )
    try:
        scaffold.create(config_path, scaffold.feed_toml(answers))
        try:
            config = load_config(config_path)
        except PodcastfeedError:
            config_path.unlink()  # nothing half-made is left behind
            raise
        episodes = config.build.episodes_dir
        today = datetime.now().astimezone().date()
        example = episodes / f"{today.isoformat()}-welcome.md"
        if not any(episodes.glob("*.md")):
            text = scaffold.EXAMPLE_EPISODE.format(date=today.isoformat(), guid=uuid.uuid4())
            scaffold.create(example, text)
        ignore = folder / ".gitignore"
        if not ignore.exists():  # the built feed is published, not committed (docs/ci.md)
            output = os.path.relpath(config.build.output.parent, config.build.root)
            scaffold.create(ignore, f"/{Path(output).as_posix()}/\n")
    except PodcastfeedError as exc:
        _fail(exc, debug)
    where = "" if folder == Path() else f"cd {folder} && "
    _err(f"Wrote {config_path} and {_shown(example, Path())}")
    _err(
        "Next: check feed.toml (image, audio_base_url), then "
        f'{where}podcastfeed new "My first episode" --audio FILE_OR_URL && podcastfeed build'
    )


@app.command("new")
def new_command(
    title: Annotated[str, typer.Argument(metavar="TITLE", help="The episode's title.")],
    audio: Annotated[
        str | None,
        typer.Option("--audio", metavar="FILE_OR_URL", help="The audio: a file or http(s) URL."),
    ] = None,
    when: Annotated[
        str | None,
        typer.Option(
            "--date", metavar="DATE", help="YYYY-MM-DD or an ISO 8601 date-time (default: now)."
        ),
    ] = None,
    publish: Annotated[
        bool, typer.Option("--publish", help="status: publish (default: draft).")
    ] = False,
    folder: Annotated[
        Path | None,
        typer.Option(
            "--dir",
            help="The episodes folder (default: [build] episodes of ./feed.toml, else episodes).",
            file_okay=False,
        ),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1, help="Seconds to wait for a server.")
    ] = 15.0,
    debug: DebugOption = False,
) -> None:
    """Start an episode file, episodes/YYYY-MM-DD-slug.md, with its front matter filled in: a
    fresh guid, the date, status draft (or publish), and the audio with its measured duration.
    Prints the new file's path; never overwrites a file.

    Examples:

      podcastfeed new "Hello, world" --audio episodes/audio/hello.mp3

      podcastfeed new "Interview with Ada" --audio https://cdn.example.org/ada.mp3 --publish

      $EDITOR "$(podcastfeed new 'Next week' --date 2024-03-19)"
    """
    import uuid
    from datetime import date as date_type

    from podcastfeed import scaffold

    try:
        day: date_type | datetime = (
            datetime.now().astimezone().replace(microsecond=0)
            if when is None
            else (
                date_type.fromisoformat(when) if len(when) == 10 else datetime.fromisoformat(when)
            )
        )
    except ValueError:
        _err(f"Error: --date must be YYYY-MM-DD or an ISO 8601 date-time (got {when!r})")
        raise typer.Exit(int(ExitCode.USAGE)) from None
    if folder is None:
        folder = Path("episodes")
        if Path(CONFIG_NAME).is_file():
            from podcastfeed.config import load_config

            try:
                episodes = load_config(Path(CONFIG_NAME)).build.episodes_dir
                folder = Path(os.path.relpath(episodes))
            except PodcastfeedError:
                pass  # `podcastfeed build` will say what is wrong with it
    path = folder / scaffold.episode_name(title, day)
    info, reference = None, audio
    try:
        if audio and re.match(r"^https?://", audio, re.IGNORECASE):
            from podcastfeed import remote

            with remote.make_session(USER_AGENT) as session:
                info = remote.probe_url(session, audio, timeout=timeout).info
        elif audio:
            info = probe_file(Path(audio))
            reference = Path(os.path.relpath(Path(audio).resolve(), folder.resolve())).as_posix()
        text = scaffold.episode_text(
            title, when=day, guid=str(uuid.uuid4()), audio=reference, info=info, publish=publish
        )
        scaffold.create(path, text)
    except PodcastfeedError as exc:
        _fail(exc, debug)
    print(path)
    if reference and reference.startswith("../"):
        _err(
            f"Warning: {audio} is outside {folder}: its URL would be [show] audio_base_url + "
            f"{reference}; move it under {folder}/ (e.g. {folder}/audio/) and fix `audio:`"
        )
    _err(
        f"Wrote {path}"
        + ("" if publish else " (a draft: set status: publish when it is ready)")
        + ("; add its audio" if not audio else "")
        + ", then run `podcastfeed build`"
    )


@app.command("notify")
def notify_command(
    config: Annotated[
        Path,
        typer.Option("--config", "-c", help="The show's feed.toml.", dir_okay=False),
    ] = Path(CONFIG_NAME),
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the requests; send nothing.")
    ] = False,
    pubnotify_url: Annotated[
        str,
        typer.Option(
            "--pubnotify-url",
            metavar="URL",
            envvar="PODCASTFEED_PUBNOTIFY_URL",
            help="Podcast Index pubnotify endpoint.",
        ),
    ] = "https://api.podcastindex.org/api/1.0/hub/pubnotify",
    no_podcastindex: Annotated[
        bool, typer.Option("--no-podcastindex", help="Ping the WebSub hubs only.")
    ] = False,
    retries: Annotated[
        int,
        typer.Option("--retries", min=0, help="Retries for connection errors, 429 and 5xx."),
    ] = 3,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1, help="Seconds to wait for a server.")
    ] = 15.0,
    debug: DebugOption = False,
) -> None:
    """After publishing: tell the WebSub hubs of [show] hubs (POST hub.mode=publish) and the
    Podcast Index (hub/pubnotify) that the feed at [show] feed_url changed. Failures are
    retried, each result is reported; exit 3 if any failed.

    Examples:

      podcastfeed notify

      podcastfeed notify --dry-run

      podcastfeed notify --config shows/demo/feed.toml --no-podcastindex
    """
    from podcastfeed import notify
    from podcastfeed.config import load_config

    try:
        show = load_config(config).show
    except PodcastfeedError as exc:
        _fail(exc, debug)
    pings = notify.plan(show, pubnotify_url=None if no_podcastindex else pubnotify_url)
    if not pings:
        _err("Nothing to notify: no [show] hubs in feed.toml, and --no-podcastindex")
        return
    if dry_run:
        for ping in pings:
            print(f"would send {ping}")
        return
    from podcastfeed import remote

    with remote.make_session(USER_AGENT, retries=retries, methods=("GET", "POST")) as session:
        results = notify.send(session, pings, timeout=timeout)
    for result in results:
        print(f"{'ok' if result.ok else 'FAILED'}: {result.ping} -> {result.detail}")
    failed = sum(not result.ok for result in results)
    if failed:
        _err(f"Error: {failed} of {len(results)} notification(s) failed; run it again later")
        raise typer.Exit(int(ExitCode.PROBE))
    _err(f"Notified {len(results)} service(s) that {show.feed_url} changed")


@app.command("diff")
def diff_command(
    old: Annotated[str, typer.Argument(metavar="OLD", help="A feed file or http(s) URL.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="A feed file or http(s) URL.")],
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1, help="Seconds to wait for a server.")
    ] = 15.0,
    debug: DebugOption = False,
) -> None:
    """Show what changed between two feeds: episodes added, removed or changed (by guid, with
    the fields that changed) and channel fields changed. Exit 0 when they are the same, 1 when
    they differ (like diff), 3 when a URL cannot be fetched.

    Examples:

      podcastfeed diff https://example.org/feed.xml public/feed.xml   # live feed vs new build

      podcastfeed diff old-feed.xml new-feed.xml
    """
    from podcastfeed.feeddiff import diff_feeds, format_diff, summary

    session = None
    try:
        data = []
        for source in (old, new):
            if re.match(r"^https?://", source, re.IGNORECASE):
                from podcastfeed import remote

                session = session or remote.make_session(USER_AGENT)
                got = remote.ask(session, source, timeout=timeout)
                if got.error or got.status != 200:
                    raise ProbeError(f"{source}: {got.error or f'HTTP {got.status}'}")
                data.append(got.body)
            else:
                try:
                    data.append(Path(source).read_bytes())
                except OSError as exc:
                    raise PodcastfeedError(f"cannot read: {exc.strerror}", source=source) from exc
        found = diff_feeds(data[0], data[1], old_name=old, new_name=new)
    except PodcastfeedError as exc:
        _fail(exc, debug)
    finally:
        if session is not None:
            session.close()
    if not found:
        _err("The feeds have the same channel and episodes")
        return
    for line in format_diff(found):
        print(line)
    _err(summary(found))
    raise typer.Exit(int(ExitCode.CONTENT))


@app.command("probe")
def probe_command(
    sources: Annotated[
        list[str], typer.Argument(metavar="FILE_OR_URL...", help="Audio files or http(s) URLs.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON to stdout.")] = False,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1, help="Seconds to wait for a server.")
    ] = 15.0,
    debug: DebugOption = False,
) -> None:
    """Measure audio: duration, size, MIME type, and how it was measured (for a URL, also the
    requests and bytes it took).

    Examples:

      podcastfeed probe episodes/audio/ep1.mp3

      podcastfeed probe --json https://cdn.example.org/ep1.mp3 *.m4a
    """
    results = []
    failed = False
    session = None
    for source in sources:
        cost = None
        try:
            if re.match(r"^https?://", source, re.IGNORECASE):
                from podcastfeed import remote  # requests only when a URL is probed

                session = session or remote.make_session(USER_AGENT)
                found = remote.probe_url(session, source, timeout=timeout)
                info, cost = found.info, found.cost
            else:
                info = probe_file(Path(source))
        except ProbeError as exc:
            if debug:
                traceback.print_exception(exc, file=sys.stderr)
            _err(f"Error: {exc}")
            failed = True
            continue
        result = {
            "file": source,
            "duration": round(info.duration, 3),
            "seconds": info.seconds,
            "size": info.size,
            "type": info.mime_type,
            "method": info.method,
        }
        if cost:
            result["transfer"] = cost
        results.append(result)
        if not as_json:
            print(
                f"{source}: {_clock(info.seconds)} ({info.duration:.2f} s), {info.size:,} bytes, "
                f"{info.mime_type}, by {info.method}" + (f" ({cost})" if cost else "")
            )
    if as_json:
        print(json.dumps(results, indent=2))
    if failed:
        raise typer.Exit(int(ExitCode.PROBE))


def _clock(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


@app.command("check")
def check_command(
    config: Annotated[
        Path,
        typer.Option("--config", "-c", help="The show's feed.toml.", dir_okay=False),
    ] = Path(CONFIG_NAME),
    feed: Annotated[
        str | None,
        typer.Option(
            "--feed", metavar="FILE_OR_URL", help="Lint this existing feed instead of the show."
        ),
    ] = None,
    output_format: Annotated[
        str,
        typer.Option("--format", help="text, json or github (workflow-command annotations)."),
    ] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    online: Annotated[
        bool,
        typer.Option("--online", help="Also test the hosts: Range, type, redirects, artwork."),
    ] = False,
    sample: Annotated[
        int | None,
        typer.Option("--sample", min=1, metavar="N", help="With --online: the newest N episodes."),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", metavar="RULE", help="Skip this rule id. Repeatable."),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1, help="Seconds to wait for a server.")
    ] = 15.0,
    debug: DebugOption = False,
) -> None:
    """Check the feed against what Apple Podcasts, Spotify and the Podcast Index require
    (rules and their ids: docs/rules.md). Findings go to stdout; exit 1 on errors (and on
    warnings with --strict).

    Examples:

      podcastfeed check

      podcastfeed check --online --sample 5 --format github   # in CI

      podcastfeed check --feed https://example.org/old-feed.xml --format json
    """
    from podcastfeed.checks import count, run
    from podcastfeed.checks_online import CACHE_NAME, Online
    from podcastfeed.checks_run import FORMATS, feed_for, lint_data, render

    if output_format not in FORMATS:
        _err(f"Error: --format must be one of {', '.join(FORMATS)} (got {output_format!r})")
        raise typer.Exit(int(ExitCode.USAGE))
    now = datetime.now(UTC)
    session = None
    is_url = feed is not None and re.match(r"^https?://", feed, re.IGNORECASE) is not None
    if online or is_url:
        from podcastfeed import remote

        session = remote.make_session(USER_AGENT)
    checker = None
    try:
        if feed is not None:
            if is_url:
                from podcastfeed import remote

                assert session is not None
                got = remote.ask(session, feed, timeout=timeout)
                if got.error or got.status != 200:
                    raise ProbeError(f"{feed}: {got.error or f'HTTP {got.status}'}")
                data, base = got.body, None
            else:
                try:
                    data, base = Path(feed).read_bytes(), Path(feed).parent
                except OSError as exc:
                    raise PodcastfeedError(f"cannot read: {exc.strerror}", source=feed) from exc
            if session is not None and online:
                checker = Online(session, timeout)
            parsed = lint_data(data, feed, now, base=base, online=checker, sample=sample)
        else:
            report = build(config, now=now, check=False, probe=ProbeOptions(timeout=timeout))
            for problem in report.warnings:
                _err(str(problem))
            if session is not None:
                cache_file = report.config.build.cache_dir / CACHE_NAME
                checker = Online(session, timeout, cache_file=cache_file)
            parsed = feed_for(report, now, online=checker, sample=sample)
        findings = run(parsed, online=online, ignore=ignore or ())
    except PodcastfeedError as exc:
        _fail(exc, debug)
    finally:
        if checker is not None:
            checker.save()
        if session is not None:
            session.close()
    color = output_format == "text" and sys.stdout.isatty()
    sys.stdout.write(render(findings, output_format, color=color))
    totals = count(findings)
    if totals["error"] or (strict and totals["warning"]):
        raise typer.Exit(int(ExitCode.CONTENT))


@app.command("import")
def import_command(
    source: Annotated[
        str, typer.Argument(metavar="FEED_FILE_OR_URL", help="The show's current RSS feed.")
    ],
    directory: Annotated[
        Path, typer.Option("--dir", "-d", help="Write feed.toml, episodes/ and the lock here.")
    ] = Path(),
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Convert the show notes to Markdown if possible.")
    ] = False,
    feed_url: Annotated[
        str | None,
        typer.Option("--feed-url", metavar="URL", help="Where podcastfeed will publish the feed."),
    ] = None,
    redirect_old_feed: Annotated[
        bool,
        typer.Option(
            "--redirect-old-feed",
            help="Also write old-feed-redirect.xml: the old feed with itunes:new-feed-url.",
        ),
    ] = False,
    verify: Annotated[
        bool,
        typer.Option("--verify", help="Build in memory and compare every episode with the source."),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1, help="Seconds to wait for a server.")
    ] = 15.0,
    debug: DebugOption = False,
) -> None:
    """Migrate an existing show: read its RSS feed (file or URL) and write feed.toml, one
    episode file per item and podcastfeed.lock, keeping every guid, audio URL and date
    (docs/import.md).

    Examples:

      podcastfeed import https://old-host.example/feed.rss --dir myshow --verify

      podcastfeed import old.xml --feed-url https://example.org/feed.xml --redirect-old-feed
    """
    from podcastfeed.importer_write import compare, import_feed

    try:
        if re.match(r"^https?://", source, re.IGNORECASE):
            from podcastfeed import remote

            with remote.make_session(USER_AGENT) as session:
                got = remote.ask(session, source, timeout=timeout)
            if got.error or got.status != 200:
                raise ProbeError(f"{source}: {got.error or f'HTTP {got.status}'}")
            data, source_url = got.body, source
        else:
            try:
                data, source_url = Path(source).read_bytes(), None
            except OSError as exc:
                raise PodcastfeedError(f"cannot read: {exc.strerror}", source=source) from exc
        result = import_feed(
            data,
            source,
            directory,
            source_url=source_url,
            feed_url=feed_url,
            redirect=redirect_old_feed,
            markdown=markdown,
            force=force,
        )
        for text in result.normalizations:
            _err(f"normalized: {text}")
        for text in result.warnings:
            _err(f"warning: {text}")
        _err(f"Imported {result.items} episode(s) into {directory}: {len(result.files)} file(s)")
        if verify:
            report = build(
                directory / CONFIG_NAME,
                now=datetime.now(UTC),
                include_future=True,  # every imported item, even one the host had scheduled
                use_cache=False,
                probe=ProbeOptions(offline=True, timeout=timeout),
            )
            differences = compare(data, report.feed)
            for text in differences:
                _err(f"differs: {text}")
            if differences:
                _err(f"Error: the rebuilt feed differs from the source ({len(differences)})")
                raise typer.Exit(int(ExitCode.CONTENT))
            _err("Verified: the rebuilt feed has the source's episodes, unchanged")
    except PodcastfeedError as exc:
        _fail(exc, debug)
