"""Tasks run in worker processes, each worker with a pipe of its own.

:func:`run_tasks` runs ``fn(task)`` for every task in at most ``jobs`` processes and hands
back each result as it comes. The parent gives a worker one task at a time through that
worker's own pipe, so it always knows which task each worker holds:

- a worker that dies (the out-of-memory killer's SIGKILL, which no code can catch) loses
  exactly its task, reported through ``on_lost``, and a fresh worker takes over the rest;
  ``on_lost`` may ask for the task to run again later, with fewer workers at a time;
- workers share nothing, so a dying worker cannot leave a lock held. (With
  :class:`multiprocessing.Pool` a task whose worker dies never comes back, and the
  workers take tasks from one queue under one lock: a worker killed while it holds it,
  or after it took a task and before anything watching could learn which, left the run
  waiting forever.)
- on Linux a worker ends with its parent, so a run killed outright (``kill -9``) leaves no
  worker computing on, and no traceback on the terminal when it finishes.

The ending signals (:mod:`lossylib.interrupts`) are held back while a worker starts, so a
Ctrl-C then never leaves a worker that no one ends.

Examples
--------
>>> got = {}
>>> run_tasks(abs, [-1, -2, 3], 2, got.__setitem__, lambda i, code: None)
>>> dict(sorted(got.items()))
{0: 1, 1: 2, 2: 3}
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import sys
import warnings
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from . import interrupts

#: ``prctl`` option: the signal this process gets when its parent ends (Linux).
_PR_SET_PDEATHSIG = 1


#: The longest the parent waits for its workers without running Python code: a signal
#: put off and delivered again by ``_thread.interrupt_main`` (as the command line does
#: with one that comes during an import) only sets a flag, and wakes no waiting call.
WAKE_S = 0.1


@dataclass
class _Worker:
    process: Any  # multiprocessing.Process
    conn: Any  # the parent's end of the worker's pipe
    task: int | None = None  # the index of the task it holds
    retired: bool = False  # told to stop: no tasks left, or fewer workers wanted


def run_tasks(
    fn: Callable[[Any], Any],
    tasks: Sequence[Any],
    jobs: int,
    on_result: Callable[[int, Any], None],
    on_lost: Callable[[int, int], bool | None],
    init: Callable[..., None] | None = None,
    initargs: tuple = (),
    context=None,
) -> None:
    """Run ``fn(task)`` for each of ``tasks`` in at most ``jobs`` worker processes.

    Parameters
    ----------
    fn, init
        Module-level functions (a spawned worker imports them by name). ``init(*initargs)``
        runs once in each worker before its first task.
    tasks
        Picklable tasks, handed to the workers in order.
    jobs
        Worker processes at a time (at least 1; never more than there are tasks).
    on_result
        Called in this process as ``on_result(index, result)`` when a task finishes.
    on_lost
        Called as ``on_lost(index, exitcode)`` when a task's worker dies before returning
        its result (``exitcode`` as :attr:`multiprocessing.Process.exitcode`: minus the
        signal that ended it). If it returns True the task runs again after the tasks
        still waiting, and from then on half as many workers (at least one) run at a
        time: the usual reason a worker is killed is the memory they all share. (Asking
        again each time a task's worker dies would never end if it always does.) Every
        task ends with exactly one call of ``on_result``, or of ``on_lost`` returning a
        false value.
    context
        A :mod:`multiprocessing` context (default: the platform's).

    An exception that ``fn`` raises in a worker is raised here, and so is one from the
    callbacks or a Ctrl-C; the workers are ended first either way.

    Examples
    --------
    >>> lost = []
    >>> run_tasks(abs, [], 4, print, lambda i, code: lost.append(i))
    >>> lost
    []
    """
    from multiprocessing.connection import wait

    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    ctx = context or multiprocessing.get_context()
    pending = deque(range(len(tasks)))
    workers: list[_Worker] = []

    def start_worker() -> None:
        here, there = ctx.Pipe()
        # (A fork server's workers are the server's children, not this process's.)
        parent = None if ctx.get_start_method() == "forkserver" else os.getpid()
        # A forked worker closes its copy of this process's end at once: if a Ctrl-C
        # lands here before the worker is listed (in a Jupyter kernel, on another
        # thread, the signal mask does not hold it back), closing our end below is then
        # enough for the worker to see its pipe end and stop.
        ours = here if ctx.get_start_method() == "fork" else None
        args = (there, parent, fn, init, initargs, ours)
        process = ctx.Process(target=_work, args=args, daemon=True)
        held = interrupts.hold()  # a stop now would leave a worker no one knows of
        try:
            process.start()
        except BaseException:
            here.close()
            raise
        else:
            workers.append(_Worker(process, here))
        finally:
            there.close()
            interrupts.release(held)  # a signal that came meanwhile is raised here
        give(workers[-1])

    def give(w: _Worker) -> None:
        if not pending or sum(not v.retired for v in workers) > limit:
            w.retired = True
            _send(w.conn, None)
            return
        w.task = pending.popleft()
        _send(w.conn, tasks[w.task])  # (to a worker just dead: its task is lost below)

    def collect(w: _Worker) -> bool:
        """Take ``w``'s result if one is waiting; whether there was one."""
        if w.task is None or not w.conn.poll():
            return False
        try:
            ok, value = w.conn.recv()
        except (EOFError, OSError):  # it died while sending
            return False
        i, w.task = w.task, None
        if not ok:
            raise value
        on_result(i, value)
        return True

    def fill() -> None:
        while pending and sum(not v.retired for v in workers) < limit:
            start_worker()

    limit = jobs
    try:
        fill()
        while workers:
            waited = [w.conn for w in workers] + [w.process.sentinel for w in workers]
            ready = set(wait(waited, timeout=WAKE_S))
            for w in list(workers):
                ended = w.process.sentinel in ready
                if (w.conn in ready or ended) and collect(w) and not ended:
                    give(w)
                if not ended:
                    continue
                w.process.join()
                w.conn.close()
                workers.remove(w)
                if w.task is not None and on_lost(w.task, w.process.exitcode):
                    pending.append(w.task)
                    limit = fewer(limit)
            fill()
    finally:
        for w in workers:  # (none left unless something went wrong)
            w.process.terminate()
        for w in workers:
            w.process.join()
            w.conn.close()


def in_jupyter_kernel() -> bool:
    """Whether this process is a running Jupyter (IPython) kernel.

    Examples
    --------
    >>> in_jupyter_kernel()  # (a doctest runs in a plain process)
    False
    """
    kernelapp = sys.modules.get("ipykernel.kernelapp")
    return kernelapp is not None and kernelapp.IPKernelApp.initialized()


def worker_context():
    """The :mod:`multiprocessing` context this process starts its workers with, or None
    where the work stays in this process.

    - On Linux the workers are forked from this process: they start at once, know what it
      has computed, take functions as they are (closures too, unpickled), and do not run
      a script's main module again as spawned workers would.
    - In a Jupyter kernel (:func:`in_jupyter_kernel`) they are forked from a fork server
      instead: a clean process, started at the first call, that has loaded lossylib's
      claims. A kernel's other threads hold locks and message sockets, and a process
      forked from it copies them as they are at that instant: such a worker can hang or
      fail with "Socket operation on non-socket" (a book build on CI once timed out in
      the Claims page after 300 s, with that error in its log). Its workers get their
      function and tasks pickled, and compute from scratch.
    - None elsewhere (macOS forks unsafely, Windows cannot) and in a worker (which may not
      start workers of its own): callers then compute in this process.

    Examples
    --------
    >>> ctx = worker_context()  # (a doctest runs outside a kernel)
    >>> ctx is None or ctx.get_start_method() == "fork"
    True
    """
    if not sys.platform.startswith("linux") or multiprocessing.current_process().daemon:
        return None
    if not in_jupyter_kernel():
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_server_preload())
    return context


def forked(context) -> bool:
    """Whether ``context`` forks its workers from this process (they then take
    functions as they are, and start under this process's warning filters)."""
    return context is not None and context.get_start_method() == "fork"


def _server_preload() -> list[str]:
    """The modules a fork server loads once for all its workers: every claim's."""
    from lossylib import claims

    return ["numpy", "lossylib.claims", *claims.module_names()]


def sendable(fn: Callable[[Any], Any], context) -> bool:
    """Whether workers of ``context`` can be handed ``fn``: any function when they are
    forked, else only one that pickles (a module-level function, not a closure)."""
    if forked(context):
        return True
    try:
        pickle.dumps(fn)
    except Exception:
        return False
    return True


def warning_filters() -> list[tuple]:
    """This process's warning filters, as :func:`take_warning_filters` takes them in a
    worker that was not forked from it (filters whose category cannot be pickled are
    left out)."""
    out = []
    for action, message, category, module, lineno in warnings.filters:
        entry = (
            action,
            getattr(message, "pattern", None),
            category,
            getattr(module, "pattern", None),
            lineno,
        )
        try:
            pickle.dumps(entry)
        except Exception:
            continue
        out.append(entry)
    return out


def take_warning_filters(filters: list[tuple]) -> None:
    """In a worker: warn under ``filters`` (from :func:`warning_filters`), as the
    process that started it does.

    Examples
    --------
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("error", UserWarning)
    ...     sent = warning_filters()
    ...     take_warning_filters(sent)
    ...     warning_filters() == sent
    True
    """
    warnings.resetwarnings()
    for action, message, category, module, lineno in reversed(filters):
        warnings.filterwarnings(action, message or "", category, module or "", lineno)


def map_in_workers(
    fn: Callable[[Any], Any], tasks: Sequence[Any], jobs: int | None = None
) -> list[Any]:
    """``[fn(task) for task in tasks]``, computed in up to ``jobs`` worker processes.

    For independent pieces of one long computation whose results are small. ``jobs``
    defaults to one per usable core (:func:`lossylib.machine.usable_cores`). Where there
    are no workers (:func:`worker_context`), with one job or one task, or in a Jupyter
    kernel with a function that cannot be pickled (a closure), the tasks run in this
    process, in order. A task whose worker dies runs again here. An exception raised in a
    worker is raised here. A worker warns under this process's warning filters, so a
    filter that turns warnings into errors (as the test suite's does) raises them here
    too.

    Examples
    --------
    >>> map_in_workers(abs, [-3, 1, -2], jobs=2)
    [3, 1, 2]
    """
    tasks = list(tasks)
    if jobs is None:
        from lossylib.machine import usable_cores

        jobs = usable_cores()
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be a whole number of at least 1, got {jobs!r}")
    context = worker_context()
    if context is None or min(jobs, len(tasks)) < 2 or not sendable(fn, context):
        return [fn(task) for task in tasks]
    results: dict[int, Any] = {}
    init, initargs = starting_filters(context)
    with warnings.catch_warnings():
        # (Python 3.12+ warns that forking a process with threads may deadlock; in a
        # kernel, where that happened, workers are not forked.)
        warnings.filterwarnings("ignore", ".*multi-threaded.*fork", DeprecationWarning)
        got = results.__setitem__
        run_tasks(fn, tasks, min(jobs, len(tasks)), got, _run_here, init, initargs, context)
    return [results[i] if i in results else fn(task) for i, task in enumerate(tasks)]


def starting_filters(context) -> tuple[Callable[..., None] | None, tuple]:
    """``(init, initargs)`` for :func:`run_tasks` that give workers of ``context`` this
    process's warning filters (a forked worker has them already)."""
    if forked(context):
        return None, ()
    return take_warning_filters, (warning_filters(),)


def _run_here(index: int, exitcode: int) -> bool:
    """A worker of :func:`map_in_workers` died: its task runs in this process instead."""
    return False


def fewer(jobs: int) -> int:
    """Workers at a time after a task is asked for again: half as many, at least one.

    Examples
    --------
    >>> fewer(8), fewer(3), fewer(1)
    (4, 1, 1)
    """
    return max(1, jobs // 2)


def _send(conn, message) -> None:
    try:
        conn.send(message)
    except OSError:  # the worker is gone; its sentinel tells the rest
        pass


def _work(conn, parent: int | None, fn, init, initargs, parents_end=None) -> None:
    """A worker: run each task that comes through ``conn`` and send back its result.

    The parent decides what happens on Ctrl-C (it ends the workers and cleans up), so a
    worker ignores SIGINT and ends at once on SIGTERM or SIGHUP, leaving only files in
    the parent's temporary folder.
    """
    if parents_end is not None:  # (a forked worker's copy of the parent's end)
        parents_end.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    interrupts.release(interrupts.ENDING_SIGNALS)  # (held while the parent started it)
    _end_with_parent(parent)
    if init is not None:
        init(*initargs)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        if task is None:
            return
        try:
            reply = (True, fn(task))
        except Exception as err:  # raised again in the parent, with this traceback
            from multiprocessing.pool import ExceptionWithTraceback

            reply = (False, ExceptionWithTraceback(err, err.__traceback__))
        try:
            conn.send(reply)
        except OSError:  # the parent is gone
            return
        except Exception as err:  # a result or an exception that cannot be pickled
            conn.send((False, RuntimeError(f"a worker's result could not be sent back: {err}")))


def _end_with_parent(parent: int | None) -> None:
    """Ask the system to kill this process when its parent, the process ``parent``, ends
    (Linux only; not for ``None``)."""
    if parent is None or not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - no prctl to ask
        return
    if os.getppid() != parent:  # it ended before we asked
        os._exit(0)
