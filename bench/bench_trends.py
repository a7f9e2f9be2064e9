"""Benchmarks for lossylib.trends and the conclusion chapter.

- the break-year search (every candidate year's fit from a few sums) against a reference
  that solves each candidate's least squares with ``numpy.linalg.lstsq``, same data, same
  answer;
- the conclusion chapter executed fresh in a kernel (as the book build does), its time
  and the kernel's peak memory against the issue's targets (30 s, 1 GB).

Run with ``python -m bench trends`` or ``python bench/bench_trends.py``.
"""

from __future__ import annotations

import resource
import time
from pathlib import Path

import numpy as np

from lossylib.trends import load_series
from lossylib.trends.fits import _hinge_fits

ROOT = Path(__file__).resolve().parents[1]


def _best_of(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _lstsq_reference(t: np.ndarray, y: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    sse = np.empty(candidates.size)
    for i, c in enumerate(candidates):
        x = np.column_stack([np.ones_like(t), np.minimum(t - c, 0), np.maximum(t - c, 0)])
        _, res, *_ = np.linalg.lstsq(x, y, rcond=None)
        sse[i] = res[0] if res.size else np.sum((y - x @ np.linalg.lstsq(x, y)[0]) ** 2)
    return sse


def bench_break_search(boot: int = 50) -> str:
    t, v = load_series("specint")
    y = np.log(v)
    candidates = np.arange(1990.0, 2019.0, 0.1)
    ours_sse = _hinge_fits(t, y, candidates)[0]
    ref_sse = _lstsq_reference(t, y, candidates)
    assert np.allclose(ours_sse, ref_sse, rtol=1e-6, atol=1e-9), "break search disagrees"
    rng = np.random.default_rng(0)
    picks = [rng.integers(0, t.size, t.size) for _ in range(boot)]
    ours = _best_of(lambda: [_hinge_fits(t[p], y[p], candidates) for p in picks])
    ref = _best_of(lambda: [_lstsq_reference(t[p], y[p], candidates) for p in picks], 1)
    return (
        f"break search, {boot} bootstrap refits x {candidates.size} candidate years: "
        f"{ours:.3f} s (reference: lstsq per candidate {ref:.2f} s, ratio {ours / ref:.2g})"
    )


def bench_chapter(target_s: float = 30.0, target_mb: float = 1024.0) -> str:
    import jupytext
    from nbclient import NotebookClient

    nb = jupytext.read(ROOT / "chapters" / "conclusion.md")
    for cell in nb.cells:  # as the book does: skip-execution cells are not run
        if "skip-execution" in cell.get("metadata", {}).get("tags", []):
            cell.cell_type, cell.outputs = "markdown", None
            cell.pop("execution_count", None)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={
        "metadata": {"path": str(ROOT / "chapters")}})  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    peak_mb = after.ru_maxrss / 1024
    return (
        f"conclusion chapter, fresh kernel: {seconds:.1f} s wall, {cpu:.1f} s CPU "
        f"(target {target_s:.0f} s: {'met' if seconds < target_s else 'NOT met'}); "
        f"peak child memory {peak_mb:.0f} MB (target {target_mb:.0f} MB: "
        f"{'met' if peak_mb < target_mb else 'NOT met'})"
    )


def main() -> None:
    print(bench_break_search())
    print(bench_chapter())


if __name__ == "__main__":
    main()
