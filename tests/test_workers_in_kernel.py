"""Workers started from a Jupyter kernel, as the book's chapters start them.

A kernel runs threads beside the cells' (its output and message threads), with locks and
ZeroMQ sockets, and a worker forked from it copies them as they are at that instant:
once, a book build on CI timed out in the Claims page after 300 s with "Socket operation
on non-socket" in its log. In a kernel, workers therefore come from a fork server. These
tests run the library in a real kernel and check that no worker is forked from it, that
the verdicts are the ones found without a kernel, and that what cannot be sent to such a
worker (a closure, a claim only the kernel knows) is computed in the kernel instead.
"""

from __future__ import annotations

import json
import sys
import textwrap

import nbformat
import pytest
from nbclient import NotebookClient

from lossylib import claims
from lossylib.workers import in_jupyter_kernel, worker_context

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="workers are started on Linux only"
)

HELPERS = """
import os
import warnings


def square_and_pids(x):
    return x * x, os.getpid(), os.getppid()


def warns(x):
    warnings.warn(f"careful with {x}", UserWarning)
    return x
"""

CELL = """
import json, os, sys, warnings
sys.path.insert(0, os.getcwd())
import kernelside
from lossylib import claims, workers

calls = []
real_run_tasks = workers.run_tasks


def recording_run_tasks(fn, tasks, jobs, *args, **kwargs):
    named = getattr(fn, "__name__", type(fn).__name__)
    calls.append([named, [list(t) if isinstance(t, tuple) else t for t in tasks]])
    return real_run_tasks(fn, tasks, jobs, *args, **kwargs)


workers.run_tasks = recording_run_tasks
squares = workers.map_in_workers(kernelside.square_and_pids, range(4), jobs=2)


def closure(x):
    return x + 1, os.getpid()


closures = workers.map_in_workers(closure, [1, 2], jobs=2)
with warnings.catch_warnings():
    warnings.simplefilter("error", UserWarning)
    try:
        workers.map_in_workers(kernelside.warns, [1, 2], jobs=2)
        raised = None
    except UserWarning as err:
        raised = str(err)


def only_here():
    return claims.Verdict(claims.HOLDS, {"pid": os.getpid()}, "ran")


only_here.__module__ = "made.up"  # (a module of its own: a task of its own)
claims.claim(20_001, "A claim only this kernel knows.", "chapters/tail-loss")(only_here)
claims.check_all([claims.get(n) for n in (6, 9, 10, 20_001)], jobs=2)
found = {n: claims.get(n).check() for n in (6, 9, 10)}
print(json.dumps({
    "kernel": os.getpid(),
    "in_kernel": workers.in_jupyter_kernel(),
    "method": workers.worker_context().get_start_method(),
    "squares": squares,
    "closures": closures,
    "raised": raised,
    "calls": calls,
    "only_here": claims.get(20_001).check().evidence["pid"],
    "verdicts": {n: [v.verdict, v.summary] for n, v in found.items()},
}))
"""


@pytest.fixture(scope="module")
def kernel_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """What the cell above found in a fresh kernel (its printed JSON)."""
    here = tmp_path_factory.mktemp("kernel")
    (here / "kernelside.py").write_text(HELPERS, encoding="utf-8")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(textwrap.dedent(CELL))])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    client = NotebookClient(
        nb, timeout=240, kernel_name="python3", resources={"metadata": {"path": str(here)}}
    )
    client.execute()
    outputs = nb.cells[0].outputs
    text = "".join(o.get("text", "") for o in outputs if o.get("name") == "stdout")
    stderr = "".join(o.get("text", "") for o in outputs if o.get("name") == "stderr")
    last = [line for line in text.splitlines() if line.startswith("{")]
    assert last, f"the cell printed no result; stdout {text!r}, stderr {stderr!r}"
    return {**json.loads(last[-1]), "stderr": stderr}


def test_outside_a_kernel_workers_are_forked_from_this_process():
    assert not in_jupyter_kernel()
    assert worker_context().get_start_method() == "fork"


def test_in_a_kernel_no_worker_is_forked_from_it(kernel_run):
    assert kernel_run["in_kernel"]
    assert kernel_run["method"] == "forkserver"
    kernel = kernel_run["kernel"]
    squares = kernel_run["squares"]
    assert [s[0] for s in squares] == [0, 1, 4, 9]
    workers = {s[1] for s in squares}
    assert kernel not in workers, "a task ran in the kernel, not in a worker"
    assert kernel not in {s[2] for s in squares}, "a worker's parent is the kernel"


def test_in_a_kernel_a_closure_runs_in_the_kernel(kernel_run):
    assert kernel_run["closures"] == [[2, kernel_run["kernel"]], [3, kernel_run["kernel"]]]


def test_in_a_kernel_workers_warn_under_the_kernels_filters(kernel_run):
    assert kernel_run["raised"] in ("careful with 1", "careful with 2")  # (whichever ends first)


def test_in_a_kernel_claims_are_checked_in_workers_by_number(kernel_run):
    calls = dict((name, tasks) for name, tasks in kernel_run["calls"])
    assert sorted(map(sorted, calls["_check_numbers"])) == [[6], [9, 10], [20_001]]
    assert kernel_run["stderr"] == ""


def test_in_a_kernel_a_claim_the_workers_do_not_know_is_checked_in_the_kernel(kernel_run):
    assert kernel_run["only_here"] == kernel_run["kernel"]


@pytest.mark.parametrize("number", [6, 9, 10])
def test_in_a_kernel_a_workers_verdict_is_the_one_found_here(kernel_run, number):
    here = claims.get(number).check()
    assert kernel_run["verdicts"][str(number)] == [here.verdict, here.summary]
