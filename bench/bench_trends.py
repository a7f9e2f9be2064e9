"""Benchmarks for lossylib.trends and the conclusion chapter.

- the break-year search (every candidate year's fit from a few sums) against a reference
  that solves each candidate's least squares with ``numpy.linalg.lstsq``, same data, same
  answer;
- the chapter's own time and memory are in ``bench_chapters`` (every chapter, fresh).

Run with ``python -m bench trends`` or ``python bench/bench_trends.py``.
"""

from __future__ import annotations

import numpy as np

from bench.harness import best_of
from lossylib.trends import load_series
from lossylib.trends.fits import _hinge_fits


def _lstsq_reference(t: np.ndarray, y: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    sse = np.empty(candidates.size)
    for i, c in enumerate(candidates):
        x = np.column_stack([np.ones_like(t), np.minimum(t - c, 0), np.maximum(t - c, 0)])
        coef, res, *_ = np.linalg.lstsq(x, y, rcond=None)
        sse[i] = res[0] if res.size else np.sum((y - x @ coef) ** 2)
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
    ours = best_of(lambda: [_hinge_fits(t[p], y[p], candidates) for p in picks])
    ref = best_of(lambda: [_lstsq_reference(t[p], y[p], candidates) for p in picks], 1)
    return (
        f"break search, {boot} bootstrap refits x {candidates.size} candidate years: "
        f"{ours:.3f} s (reference: lstsq per candidate {ref:.2f} s, ratio {ours / ref:.2g})"
    )


def main() -> None:
    print(bench_break_search())


if __name__ == "__main__":
    main()
