"""Process pools for parsing and probing whose workers leave Ctrl-C and SIGTERM to the build.

A terminal's Ctrl-C goes to the whole process group: a worker that took it printed its
traceback, broke the pool (the executor's own thread printed another) and could make the build
exit by the signal, while the build rolled back and said so in one line. The workers are forked
with both signals blocked and ignore them; they stop when the build shuts the pool down, or
within half a second of its death (killed, they would wait for work forever).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from podcastfeed import interrupts

Item = TypeVar("Item")
Result = TypeVar("Result")


def map_in_workers(
    function: Callable[[Item], Result],
    items: Iterable[Item],
    jobs: int,
    *,
    chunksize: int,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> list[Result]:
    """`function` of each of `items`, in order, by `jobs` worker processes (ProcessPoolExecutor's
    map); `initializer(*initargs)` runs first in each."""
    start = (os.getpid(), initializer, initargs)  # (a worker may start after the build died)
    with ProcessPoolExecutor(jobs, initializer=_start, initargs=start) as pool:
        with interrupts.held():  # the workers are forked as the work is handed out: blocked
            results = pool.map(function, items, chunksize=chunksize)
        return list(results)


def _start(parent: int, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    for each in interrupts.SIGNALS:
        signal.signal(each, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, set(interrupts.SIGNALS))

    def watch() -> None:  # a killed build's workers would otherwise wait for work forever
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
    if initializer is not None:
        initializer(*initargs)
