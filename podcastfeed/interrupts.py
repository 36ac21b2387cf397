"""When Ctrl-C (SIGINT) and SIGTERM take effect: the one place that decides it.

- A command runs under `command()`: SIGTERM raises Terminated (a KeyboardInterrupt), so that a
  build a CI runner cancels rolls back and says so as on Ctrl-C.
- `held()`: both wait while files are switched or workers are forked, then take effect.
- `finishing()` and `past_the_switch()`: once a build's new files are in place, an interrupt
  could only say "interrupted" about a build that is complete: both are ignored until the
  block (the build command's report) ends.
- Once the command is over, in the program (`exit_with_command()`, the entry point), both are
  ignored until the process exits: typer turns a KeyboardInterrupt after the command returned
  into a silent exit 130 after "Wrote …", and Python's finalization restores the default
  action (exit by the signal). After an interrupt, a second one ends the process at once.

All of it in the main thread only, where Python runs signal handlers; elsewhere (a program
embedding podcastfeed in a thread) nothing changes.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

from podcastfeed.errors import Terminated

SIGNALS = (signal.SIGINT, signal.SIGTERM)
_state: dict[str, Any] = {"exiting": False, "finishing": [], "held": []}


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def exit_with_command() -> None:
    """The process ends with the command (the program's entry point, not a test that runs
    commands in-process): late interrupts stay ignored until it exits."""
    _state["exiting"] = True


@contextlib.contextmanager
def command() -> Iterator[None]:
    """A command's run: SIGTERM raises Terminated where it has its default action (not in a
    program that handles it). At its end, in the program, both signals are ignored (above), or,
    when it was interrupted, have their default action; elsewhere the handlers are put back."""
    if not _main_thread():
        yield
        return
    previous = {each: signal.getsignal(each) for each in SIGNALS}
    owner = os.getpid()

    def terminate(signum: int, _frame: FrameType | None) -> None:
        if os.getpid() != owner:  # a forked worker (parsing, probing): dies as it would have
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise Terminated

    if previous[signal.SIGTERM] is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, terminate)
    interrupted = False
    try:
        yield
    except KeyboardInterrupt:
        interrupted = True
        raise
    finally:
        if not _state["exiting"]:
            _restore(previous)
        elif interrupted:  # a second one now ends it at once (its exit waits for threads: a
            _restore({each: signal.SIG_DFL for each in SIGNALS})  # probe's request, ...)
        else:
            _ignore()


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block ends, then take effect: raised there (in the
    `finally` of whoever called), or the process ends if that was their action. Their handler
    defers them (Python runs it in the main thread, whichever thread the signal reached) and
    they are blocked, so that processes forked in the block start with them blocked."""
    if not _main_thread():
        yield
        return
    came: list[int] = []
    previous = {each: signal.getsignal(each) for each in SIGNALS}

    def defer(signum: int, _frame: FrameType | None) -> None:
        came.append(signum)

    for each, handler in previous.items():
        if handler is not None and handler is not signal.SIG_IGN:
            signal.signal(each, defer)
    blocked = hasattr(signal, "pthread_sigmask")
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, set(SIGNALS)) if blocked else set()
    _state["held"].append((previous, came))
    try:
        yield
    finally:
        _state["held"].pop()
        if blocked:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # (what was pending: deferred)
        for each, handler in previous.items():
            if signal.getsignal(each) is defer:  # (not if past_the_switch ignored it)
                signal.signal(each, handler)
        if came:
            _take_effect(came[0], previous[signal.Signals(came[0])])


def _take_effect(signum: int, handler: Any) -> None:
    if callable(handler):
        handler(signum, None)  # Python's default_int_handler, command()'s terminate: raise
    elif handler is signal.SIG_DFL:
        os.kill(os.getpid(), signum)  # (its default action: the process ends)


@contextlib.contextmanager
def finishing() -> Iterator[None]:
    """A block in which `past_the_switch()` turns interrupts off until it ends (and, in the
    program, until the process exits)."""
    if not _main_thread():
        yield
        return
    _state["finishing"].append(None)  # (the handlers to put back, once past the switch)
    try:
        yield
    finally:
        previous = _state["finishing"].pop()
        if previous is not None and not _state["exiting"]:
            _restore(previous)


def past_the_switch() -> bool:
    """Called with the signals `held()` once a build's files are in place: inside
    `finishing()`, ignore both until it ends (a signal that came meanwhile is dropped) and
    return True; otherwise False (what came is raised when the hold ends)."""
    stack = _state["finishing"]
    if not stack or not _main_thread():
        return False
    if stack[-1] is None:
        holds = _state["held"]
        outer = holds[0][0] if holds else {each: signal.getsignal(each) for each in SIGNALS}
        stack[-1] = outer  # (the handlers from before any hold: put back at the end)
        _ignore()  # first: signal.signal runs a handler due (defer), another thread's signal
        for _previous, came in holds:  # may have tripped it; cleared after, it is not raised
            came.clear()  # (what came while held: too late as well)
    return True


def _ignore() -> None:
    for each in SIGNALS:  # (a pending one is discarded; a tripped one is not run: SIG_IGN)
        signal.signal(each, signal.SIG_IGN)


def _restore(previous: dict[signal.Signals, Any]) -> None:
    for each, handler in previous.items():
        if handler is not None:  # (set outside Python: left)
            signal.signal(each, handler)
