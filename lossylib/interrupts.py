"""The signals that end a run (Ctrl-C, SIGTERM, SIGHUP), and holding them back a moment.

The command line (:mod:`lossylib.__main__`) turns these signals into a clean stop;
:func:`lossylib.workers.run_tasks` holds them back while a worker process starts, so that
a stop never leaves a worker that no one ends. Only the standard library is imported here:
the command line installs its handlers before numpy and Pillow load.

Examples
--------
>>> import signal
>>> held = hold()
>>> held_back(signal.SIGINT) == (signal.SIGINT in held)
True
>>> release(held)
>>> held_back(signal.SIGINT)
False
>>> note_raised(signal.SIGTERM); raised() == signal.SIGTERM
True
>>> note_raised(None)
"""

from __future__ import annotations

import signal

#: The signals that end a run.
ENDING_SIGNALS = frozenset(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def hold() -> frozenset:
    """Hold the ending signals back in this thread (the system keeps them waiting; threads
    and processes started meanwhile inherit that). Returns what :func:`release` lets go:
    the signals that were not held already (none where the system cannot hold them)."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        return frozenset()
    before = signal.pthread_sigmask(signal.SIG_BLOCK, ENDING_SIGNALS)
    return ENDING_SIGNALS - set(before)


def release(held: frozenset) -> None:
    """Let the signals ``held`` through again (one that came meanwhile arrives now)."""
    if held and hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, held)


def held_back(signum: int) -> bool:
    """Whether this thread holds ``signum`` back (:func:`hold`)."""
    return hasattr(signal, "pthread_sigmask") and signum in signal.pthread_sigmask(
        signal.SIG_BLOCK, ()
    )


#: The ending signal last raised as an exception in this process (see :func:`raised`).
_raised: int | None = None


def note_raised(signum: int | None) -> None:
    """Record that ``signum`` was just raised as an exception here (None: forget it)."""
    global _raised
    _raised = signum


def raised() -> int | None:
    """The ending signal raised as an exception in this process, if any.

    An error caught while it is set may be the interrupt itself, changed on its way: C
    code that calls back into Python can put an error of its own in place of the
    exception (matplotlib's drawing reports ``ValueError: Invalid bounding box``). Code
    that turns errors into results, such as a batch's error rows, passes them on then.
    """
    return _raised
