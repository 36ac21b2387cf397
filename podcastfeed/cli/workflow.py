"""The publishing workflow: `init`, `new` and `notify` (`diff`: cli/diffing.py)."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from podcastfeed.cli.common import (
    DEFAULT_TIMEOUT,
    ConfigOption,
    DeadlineOption,
    DebugOption,
    TimeoutOption,
    command,
    err,
    given_text,
    shell_word,
    shown,
)
from podcastfeed.errors import (
    BuildFailed,
    ConfigError,
    ExitCode,
    PodcastfeedError,
    quote_name,
    shorten,
)
from podcastfeed.net.limits import (
    DEFAULT_DEADLINE,
    USER_AGENT,
    is_url,
    local_path,
    mask_urls,
)
from podcastfeed.source import CONFIG_NAME

if TYPE_CHECKING:
    from podcastfeed.source.config import Config


@command("init")
def init_command(
    folder: Annotated[
        Path, typer.Argument(metavar="DIR", help="The show's folder (default: here).")
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
        str | None,
        typer.Option(
            "--image",
            help="The artwork: a URL, or a JPEG/PNG file, copied in when outside the show "
            "(square, 1400-3000 px).",
        ),
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

    from podcastfeed.source import scaffold

    hint = "edit it, or run `podcastfeed init` in another folder"
    config_path = folder / CONFIG_NAME
    if os.path.lexists(folder) and not folder.is_dir():
        raise PodcastfeedError(f"{quote_name(folder)} is not a folder", hint="name a folder")
    if config_path.exists():
        raise PodcastfeedError(
            "exists already; not overwritten", source=shown(config_path, Path()), hint=hint
        )

    def ask(given: str | None, question: str, default: str) -> str:
        if given is not None:
            return given
        if yes:
            return default
        try:
            answer = str(typer.prompt(question, default=default, err=True)).strip()
        except typer.Abort:  # the input ended (a pipe, CI): not "Aborted!" and nothing else
            if sys.stdin.isatty():
                raise
            err(f"\nError: no answer to {question!r}: the input ended")
            err(
                "  hint: give it as a flag, or --yes to take the defaults (podcastfeed init --help)"
            )
            raise typer.Exit(int(ExitCode.USAGE)) from None
        if not sys.stdin.isatty():
            err("")  # piped answers are not echoed: end the prompt's line
        return answer or default

    name = (folder.resolve().name or "my-show").replace("-", " ").replace("_", " ")
    show_title = ask(title, "Title of the show", name.title())
    show_description = ask(description, "What is it about", f"A podcast: {show_title}.")
    show_author = ask(author, "Author (and owner) name", scaffold.PLACEHOLDER_AUTHOR)
    show_email = ask(email, "Owner e-mail (Apple, Spotify write here)", scaffold.PLACEHOLDER_EMAIL)
    show_link = ask(link, "Website", scaffold.PLACEHOLDER_LINK)
    if not is_url(show_link):  # (its cover.jpg was the artwork asked next: "--image: not found")
        hint = "the show's site, such as https://example.org/ (feed.toml's link)"
        raise PodcastfeedError(
            f"the website must be an http(s) URL (got {shorten(show_link)})", hint=hint
        )
    show_language = ask(language, "Language code", "en")
    show_category = ask(category, "Apple category", "Technology")
    written = ask(image, "Artwork (a URL or an image file)", show_link.rstrip("/") + "/cover.jpg")
    show_image, copy_from = scaffold.show_image(given_text("--image", written), folder)
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
    for key, value in vars(answers).items():
        if isinstance(value, str):  # a flag's value or a piped answer
            given_text(f"--{key}", value)
    copied = folder / show_image if copy_from and not (folder / show_image).exists() else None
    made = scaffold.NewFiles()
    try:  # nothing half-made is left behind
        if copied is not None and copy_from is not None:
            made.copy(copy_from, copied)
            err(f"Copied {shown(copy_from, Path())} to {shown(copied, Path())}")
        made.create(config_path, scaffold.feed_toml(answers), hint=hint)
        config = _load_written(config_path)
        episodes = Path(os.path.relpath(config.build.episodes_dir))
        today = datetime.now().astimezone().date()
        example = episodes / f"{today.isoformat()}-welcome.md"
        if not any(episodes.glob("*.md")):
            text = scaffold.EXAMPLE_EPISODE.format(date=today.isoformat(), guid=uuid.uuid4())
            made.create(example, text, hint="move it away, or run `podcastfeed init` elsewhere")
        ignore = folder / ".gitignore"
        if not os.path.lexists(ignore):  # the built feed is published, not committed (ci.md)
            output = os.path.relpath(config.build.output.parent, config.build.root)
            made.create(ignore, f"/{Path(output).as_posix()}/\n", hint=None)
    except BaseException:
        made.undo()
        raise
    where = "" if folder == Path() else f"cd {shell_word(folder)} && "
    err(f"Wrote {shown(config_path, Path())} and {shown(example, Path())}")
    err(
        "Next: check feed.toml (image, audio_base_url), then "
        f'{where}podcastfeed new "My first episode" --audio FILE_OR_URL && podcastfeed build'
    )


def _load_written(config_path: Path) -> Config:
    """load_config of the feed.toml init wrote; a value refused is named as its flag."""
    from podcastfeed.source import scaffold
    from podcastfeed.source.config import load_config

    try:
        return load_config(config_path)
    except BuildFailed as exc:
        raise BuildFailed([scaffold.as_flag(problem) for problem in exc.problems]) from None


@command("new")
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
            help="The episodes folder (default: [build] episodes of ./feed.toml, else episodes;"
            " refused below a folder with a feed.toml).",
            file_okay=False,
        ),
    ] = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    deadline: DeadlineOption = DEFAULT_DEADLINE,
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

    from podcastfeed.files import config_above
    from podcastfeed.media.audio import probe_file
    from podcastfeed.source import scaffold

    given_text("TITLE", title)
    if not title.strip():
        err("Error: TITLE must not be empty (a build refuses an episode without a title)")
        raise typer.Exit(int(ExitCode.USAGE))
    try:
        day = scaffold.episode_date(when)
    except ValueError as exc:
        err(f"Error: --date {exc} (got {shorten(when)})")
        raise typer.Exit(int(ExitCode.USAGE)) from None
    if folder is None:
        above = None if Path(CONFIG_NAME).is_file() else config_above(Path(CONFIG_NAME))
        if above is not None:  # run inside the show (episodes/): not a new ./episodes/ there
            hint = f"the show is {above}: run podcastfeed new in its folder, or pass --dir"
            raise ConfigError("no such file", source=CONFIG_NAME, hint=hint)
        folder = scaffold.episodes_folder(Path(CONFIG_NAME))
    path = folder / scaffold.episode_name(title, day)
    info, reference = None, audio
    if audio and is_url(audio):
        from podcastfeed.media import remote
        from podcastfeed.net import fetch

        with fetch.make_session(USER_AGENT) as session:
            info = remote.probe_url(session, audio, timeout=timeout, deadline=deadline).info
    elif audio:
        info = probe_file(local_path(given_text("--audio", audio)))
        reference = Path(os.path.relpath(Path(audio).resolve(), folder.resolve())).as_posix()
    text = scaffold.episode_text(
        title, when=day, guid=str(uuid.uuid4()), audio=reference, info=info, publish=publish
    )
    scaffold.create(path, text)
    print(path)
    if reference and reference.startswith("../"):
        err(
            f"Warning: {audio} is outside {folder}: its URL would be [show] audio_base_url + "
            f"{reference}; move it under {folder}/ (e.g. {folder}/audio/) and fix `audio:`"
        )
    err(
        f"Wrote {shown(path, Path())}"
        + ("" if publish else " (a draft: set status: publish when it is ready)")
        + ("; add its audio" if not audio else "")
        + ", then run `podcastfeed build`"
    )


@command("notify", failed_build="no hub was told")
def notify_command(
    config: ConfigOption = Path(CONFIG_NAME),
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
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    deadline: DeadlineOption = DEFAULT_DEADLINE,
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
    from podcastfeed.net import notify
    from podcastfeed.source.config import load_config

    show = load_config(config).show
    pings = notify.plan(show, pubnotify_url=None if no_podcastindex else pubnotify_url)
    if not pings:
        err("Nothing to notify: no [show] hubs in feed.toml, and --no-podcastindex")
        return
    if dry_run:
        for ping in pings:
            print(f"would send {mask_urls(str(ping))}")
        return
    from podcastfeed.net import fetch

    with fetch.make_session(USER_AGENT, retries=retries, methods=("GET", "POST")) as session:
        results = notify.send(session, pings, timeout=timeout, deadline=deadline)
    for result in results:
        line = f"{'ok' if result.ok else 'FAILED'}: {result.ping} -> {result.detail}"
        print(mask_urls(line))
    failed = sum(not result.ok for result in results)
    if failed:
        err(f"Error: {failed} of {len(results)} notification(s) failed; run it again later")
        raise typer.Exit(int(ExitCode.PROBE))
    err(f"Notified {len(results)} service(s) that {show.feed_url} changed")
