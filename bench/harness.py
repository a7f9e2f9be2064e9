"""What every benchmark module shares: best-of timings and a chapter run in a fresh kernel.

Not a benchmark itself (``python -m bench`` runs only ``bench_*.py`` modules).

Examples
--------
>>> from bench.harness import best_of, best_pair
>>> best_of(lambda: sum(range(1000))) > 0
True
>>> a, b = best_pair(lambda: None, lambda: sum(range(1000)), rounds=3)
>>> a >= 0 and b > 0
True
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def best_of(fn: Callable[[], object], repeats: int = 3) -> float:
    """Best wall time of ``fn`` over ``repeats`` calls, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def best_pair(a: Callable[[], object], b: Callable[[], object], rounds: int) -> tuple[float, float]:
    """Best wall times of ``a`` and of ``b`` over ``rounds`` alternated rounds (one warm-up).

    Alternating the two sides means a busy machine slows both alike.
    """
    a()
    b()
    best_a = best_b = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        a()
        t1 = time.perf_counter()
        b()
        t2 = time.perf_counter()
        best_a, best_b = min(best_a, t1 - t0), min(best_b, t2 - t1)
    return best_a, best_b


def in_fresh_processes(module: str, count: int, *args: str) -> list:
    """Run ``python -m <module> <args>`` ``count`` times in turn, each a fresh process, and
    return what each printed as JSON on its last line of output.

    For comparisons whose ratio depends on the process: a loop of JPEG round trips can
    run 15-30% faster or slower in one process than in the next, and stays so for the
    life of that process (where its buffers fall in memory; it happens with address
    randomisation off too). The median over several processes is then the fair number.
    """
    argv = [sys.executable, "-m", module, *args]
    return [_last_json(argv, f"{module} {' '.join(args)} failed") for _ in range(count)]


def _last_json(argv: list[str], failure: str):
    """Run ``argv`` in ROOT and return the JSON on the last line it printed (``failure``
    starts the error raised if it fails)."""
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{failure}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def spread(values: list[float]) -> tuple[float, float, float]:
    """(median, lowest, highest) of some measurements.

    Examples
    --------
    >>> spread([1.2, 1.0, 1.1])
    (1.1, 1.0, 1.2)
    """
    ordered = sorted(values)
    mid = len(ordered) // 2
    median = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    return median, ordered[0], ordered[-1]


#: Runs one chapter in a fresh kernel, as the book build does (cells tagged
#: ``skip-execution`` are not run), then prints its wall and CPU time and the kernel's
#: peak memory as JSON. Run in its own process, so the peak is this chapter's alone.
_RUNNER = """\
import json, resource, sys, time
import jupytext
from nbclient import NotebookClient

path, cwd = sys.argv[1:3]
nb = jupytext.read(path)
for cell in nb.cells:
    if "skip-execution" in cell.get("metadata", {}).get("tags", []):
        cell.cell_type, cell.outputs = "markdown", None
        cell.pop("execution_count", None)
client = NotebookClient(nb, timeout=600, kernel_name="python3",
                        resources={"metadata": {"path": cwd}})
t0 = time.perf_counter()
client.execute()
seconds = time.perf_counter() - t0
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime,
                  "peak_mb": usage.ru_maxrss / 1024}))
"""


@dataclass
class ChapterRun:
    """One fresh execution of a chapter: wall and CPU seconds, the kernel's peak memory."""

    docname: str
    seconds: float
    cpu: float
    peak_mb: float

    def report(self, target_s: float = 30.0, target_mb: float = 1024.0) -> str:
        """One line with the targets and whether each is met."""

        def verdict(ok: bool) -> str:
            return "met" if ok else "NOT met"

        return (
            f"{self.docname}, fresh kernel: {self.seconds:.1f} s wall, {self.cpu:.1f} s CPU "
            f"(target {target_s:.0f} s: {verdict(self.seconds < target_s)}); peak kernel "
            f"memory {self.peak_mb:.0f} MB (target {target_mb:.0f} MB: "
            f"{verdict(self.peak_mb < target_mb)})"
        )


def run_chapter(docname: str, path: Path | None = None) -> ChapterRun:
    """Execute ``ROOT/<docname>.md`` (or ``path``) in a fresh kernel in a new process."""
    path = path if path is not None else ROOT / f"{docname}.md"
    argv = [sys.executable, "-c", _RUNNER, str(path), str(path.parent)]
    return ChapterRun(docname, **_last_json(argv, f"{docname} failed to execute"))
