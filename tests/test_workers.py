"""lossylib.workers: every task gets exactly one answer, whatever happens to its worker."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lossylib.workers import map_in_workers, run_tasks

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
FORK = multiprocessing.get_context("fork") if hasattr(os, "fork") else None


def _square_and_pid(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


def _killed_on_three(x: int) -> tuple[int, int]:
    """As the out-of-memory killer would, the moment the worker takes task 3."""
    if x == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(0.05)
    return x * x, os.getpid()


def _fails_on_two(x: int) -> int:
    if x == 2:
        raise ValueError("two is bad")
    return x


def _unpicklable(x: int):
    return lambda: x


def _die_at_start() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


#: Where :func:`_timed_killed_once` records its attempts (set before the workers fork).
_LOG: Path | None = None


def _timed_killed_once(x: int) -> int:
    """Task 3 is killed the first time; every attempt logs 'task start end'."""
    start = time.monotonic()
    if x == 3 and not (_LOG / "killed").exists():
        (_LOG / "killed").write_text(str(start))
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(0.15)
    with open(_LOG / "attempts", "a") as fh:
        fh.write(f"{x} {start} {time.monotonic()}\n")
    return x


def _run(fn, tasks, jobs, **kwargs):
    """``run_tasks`` with the answers collected, failing on a second answer to a task."""
    results, lost = {}, {}

    def into(answers: dict):
        def answer(i, value):
            assert i not in results and i not in lost, f"task {i} answered twice"
            answers[i] = value

        return answer

    run_tasks(fn, tasks, jobs, into(results), into(lost), **kwargs)
    return results, lost


@needs_fork
@pytest.mark.parametrize(("count", "jobs"), [(1, 1), (5, 1), (7, 2), (3, 8)])
def test_every_task_answered_once(count, jobs):
    results, lost = _run(_square_and_pid, list(range(count)), jobs, context=FORK)
    assert lost == {}
    assert {i: r[0] for i, r in results.items()} == {i: i * i for i in range(count)}
    assert len({pid for _, pid in results.values()}) <= min(jobs, count)
    assert multiprocessing.active_children() == []


@needs_fork
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_worker_killed_as_it_takes_a_task_loses_that_task_only(jobs):
    """(With multiprocessing's Pool a worker killed between taking a task and telling
    which left the run waiting forever: here the parent chose the task itself.)"""
    results, lost = _run(_killed_on_three, list(range(8)), jobs, context=FORK)
    assert lost == {3: -signal.SIGKILL}
    assert sorted(results) == [0, 1, 2, 4, 5, 6, 7]
    assert all(results[i][0] == i * i for i in results)
    assert multiprocessing.active_children() == []


@needs_fork
def test_a_killed_worker_is_replaced():
    """With one worker at a time, the tasks after the killed one can only have run in a
    new process. (With two, the survivor may take them all before the replacement starts:
    CI's loaded machine once did, so the count of processes is not asserted there.)"""
    results, lost = _run(_killed_on_three, list(range(8)), 1, context=FORK)
    assert lost == {3: -signal.SIGKILL}
    before = {results[i][1] for i in (0, 1, 2)}
    after = {results[i][1] for i in (4, 5, 6, 7)}
    assert len(before) == len(after) == 1
    assert before != after
    assert os.getpid() not in before | after


@needs_fork
def test_a_lost_task_asked_for_again_runs_last_and_with_fewer_workers(tmp_path, monkeypatch):
    """``on_lost`` returning True: the task runs again after the others, and from then on
    half as many workers run at a time (here 1 of 2: no two attempts overlap)."""
    monkeypatch.setattr(sys.modules[__name__], "_LOG", tmp_path)
    results, lost = {}, []

    def again(i, code):
        lost.append((i, code))
        return True

    run_tasks(_timed_killed_once, list(range(7)), 2, results.__setitem__, again, context=FORK)
    assert results == {i: i for i in range(7)}
    assert lost == [(3, -signal.SIGKILL)]
    killed_at = float((tmp_path / "killed").read_text())
    attempts = [line.split() for line in (tmp_path / "attempts").read_text().splitlines()]
    attempts = sorted((float(a), float(b), int(x)) for x, a, b in attempts)
    assert attempts[-1][2] == 3  # the second try of task 3 came last
    later = [(a, b) for a, b, _ in attempts if a > killed_at]
    assert len(later) >= 3
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(later, later[1:], strict=False))


@needs_fork
def test_workers_that_die_at_start_lose_each_task_and_the_run_still_ends():
    results, lost = _run(abs, [1, 2, 3], 2, init=_die_at_start, context=FORK)
    assert results == {}
    assert lost == {0: -signal.SIGKILL, 1: -signal.SIGKILL, 2: -signal.SIGKILL}


@needs_fork
def test_an_exception_in_a_task_is_raised_here_and_the_workers_end():
    with pytest.raises(ValueError, match="two is bad") as raised:
        _run(_fails_on_two, list(range(6)), 2, context=FORK)
    assert 'raise ValueError("two is bad")' in str(raised.value.__cause__)  # where it was
    assert multiprocessing.active_children() == []


@needs_fork
def test_a_result_that_cannot_be_sent_back_says_so():
    with pytest.raises(RuntimeError, match="could not be sent back"):
        _run(_unpicklable, [1], 1, context=FORK)
    assert multiprocessing.active_children() == []


def test_spawned_workers_import_what_they_run():
    """The start method of macOS and Windows: the worker imports ``fn`` by name."""
    results, lost = _run(abs, [-4, 5], 2, context=multiprocessing.get_context("spawn"))
    assert (results, lost) == ({0: 4, 1: 5}, {})


@pytest.mark.skipif(
    "forkserver" not in multiprocessing.get_all_start_methods(), reason="no fork server"
)
def test_workers_from_a_fork_server():
    """Their parent is the server, not this process: they still run (they do not take
    the server for a parent that has gone)."""
    results, lost = _run(abs, [-4, 5], 2, context=multiprocessing.get_context("forkserver"))
    assert (results, lost) == ({0: 4, 1: 5}, {})


@pytest.mark.parametrize("jobs", [0, -1])
def test_jobs_below_one_is_an_error(jobs):
    with pytest.raises(ValueError, match="jobs must be at least 1, got"):
        run_tasks(abs, [1], jobs, print, print)


PARENT = """
import os, sys, time
from pathlib import Path
from lossylib.workers import map_in_workers, run_tasks

def slow(x):
    Path(sys.argv[1], str(os.getpid())).write_text("")
    time.sleep(60)
    return x

run_tasks(slow, [1, 2], 2, print, print)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux: prctl")
def test_workers_end_with_a_parent_killed_outright(tmp_path):
    """``kill -9`` of the run: its workers do not go on computing (with Pool they did, and
    then printed tracebacks on the terminal when they finished)."""
    proc = subprocess.Popen([sys.executable, "-c", PARENT, str(tmp_path)], cwd=Path.cwd())
    deadline = time.monotonic() + 60
    while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    pids = [int(p.name) for p in tmp_path.iterdir()]
    assert len(pids) == 2
    proc.kill()
    proc.wait(timeout=30)
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = [pid for pid in pids if _alive(pid)]
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    assert alive == []


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for its reaper counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _signal_setup(_) -> tuple[bool, bool, list[int]]:
    blocked = sorted(signal.pthread_sigmask(signal.SIG_BLOCK, ()))
    return (
        signal.getsignal(signal.SIGINT) is signal.SIG_IGN,
        signal.getsignal(signal.SIGTERM) is signal.SIG_DFL,
        blocked,
    )


@needs_fork
def test_a_worker_leaves_ctrl_c_to_its_parent_and_ends_on_sigterm():
    """The parent has its own handlers and may hold the ending signals when it forks: a
    worker ignores Ctrl-C (the parent ends it), ends at once on SIGTERM, holds nothing."""
    from lossylib import interrupts

    before = signal.signal(signal.SIGTERM, lambda *a: None)
    held = interrupts.hold()
    try:
        results, _ = _run(_signal_setup, [0], 1, context=FORK)
    finally:
        interrupts.release(held)
        signal.signal(signal.SIGTERM, before)
    ignores_ctrl_c, ends_on_term, blocked = results[0]
    assert ignores_ctrl_c and ends_on_term
    assert not set(blocked) & interrupts.ENDING_SIGNALS


# --- map_in_workers: one long computation in pieces --------------------------------------


@needs_fork
def test_map_in_workers_keeps_the_order_and_uses_other_processes():
    got = map_in_workers(_square_and_pid, range(6), jobs=2)
    assert [square for square, _ in got] == [x * x for x in range(6)]
    assert os.getpid() not in {pid for _, pid in got}


@needs_fork
def test_map_in_workers_takes_closures_and_runs_a_lost_task_here():
    here = os.getpid()

    def killed_in_a_worker(x: int) -> tuple[int, int]:
        if x == 3 and os.getpid() != here:
            os.kill(os.getpid(), signal.SIGKILL)
        return x * x, os.getpid()

    got = map_in_workers(killed_in_a_worker, range(5), jobs=2)
    assert [square for square, _ in got] == [0, 1, 4, 9, 16]
    assert got[3][1] == here and got[0][1] != here


def test_map_in_workers_without_workers_runs_here_in_order():
    assert map_in_workers(_square_and_pid, [2, 1], jobs=1) == [(4, os.getpid()), (1, os.getpid())]
    assert map_in_workers(_square_and_pid, [], jobs=2) == []


@needs_fork
def test_map_in_workers_raises_a_workers_exception_here():
    with pytest.raises(ValueError, match="two is bad"):
        map_in_workers(_fails_on_two, range(4), jobs=2)


@pytest.mark.parametrize("jobs", [0, -1, 1.5, True, "2"])
def test_map_in_workers_refuses_jobs_that_are_not_a_count(jobs):
    with pytest.raises(ValueError, match="jobs must be a whole number of at least 1"):
        map_in_workers(abs, [1], jobs=jobs)
