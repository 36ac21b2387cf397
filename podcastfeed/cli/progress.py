"""Progress on stderr for the commands' long steps: probing audio URLs (`build`), writing
episodes (`import`)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from podcastfeed.cli.common import err

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


class StepProgress:
    """Progress on stderr: a bar on a terminal, plain lines otherwise (each step, or every
    `every` steps and the last); remote probing in `build`, writing episodes in `import`."""

    def __init__(self, *, quiet: bool, label: str = "Probing audio", every: int = 1) -> None:
        self.quiet, self.label, self.every = quiet, label, every
        self.total = self.done = 0
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    def start(self, total: int, line: str | None = None) -> None:
        """`line`: what plain output says first (default: the number of audio URLs)."""
        self.total = total
        if self.quiet:
            return
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self.bar = Progress(
                TextColumn(self.label),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("step", total=total)
        else:
            err(line or f"Probing {total} audio URL{'s' if total != 1 else ''}")

    def advance(self, url: str, error: str | None = None) -> None:
        self.done += 1
        if self.quiet:
            return
        if self.bar is not None and self.task is not None:
            self.bar.advance(self.task)
        elif self.done % self.every == 0 or self.done == self.total:
            err(f"  [{self.done}/{self.total}] {url}: {'failed' if error else 'ok'}")

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
