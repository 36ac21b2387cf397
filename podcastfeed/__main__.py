"""`python -m podcastfeed`, and the `podcastfeed` command (pyproject's entry point)."""

import sys


def main() -> None:
    try:  # Ctrl-C while the command starts (imports, typer making its commands): nothing done
        from podcastfeed import interrupts
        from podcastfeed.cli import app

        interrupts.exit_with_command()  # (the process ends with the command: interrupts.py)
        app(prog_name="podcastfeed")
    except KeyboardInterrupt:  # (a command's own: handled by cli.common.handled)
        sys.stderr.write("Interrupted\n")
        raise SystemExit(130) from None  # (ExitCode.INTERRUPTED: not imported, maybe)
    finally:
        _exit_with_the_status()


def _exit_with_the_status() -> None:
    """CPython (3.11 here) notes a KeyboardInterrupt that went through an `exec` or `eval` of
    text, as one in making a dataclass or a namedtuple does (a Ctrl-C while the build imports
    its modules), as "unhandled", even when it was handled, and `python -m podcastfeed` then
    ends by SIGINT (-2), not with the status it exits with ("Interrupted", 130). Running text
    clears the note."""
    exec("")  # (the empty program: no one's input)


if __name__ == "__main__":
    main()
