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


if __name__ == "__main__":
    main()
