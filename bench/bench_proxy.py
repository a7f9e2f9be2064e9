"""Benchmarks of lossylib.proxy, each against the issue's target or a reference timed in
the same run.

- ``best_of_n(n=100, rho=0.5, trials=10**6)`` (target: under 1 s), and the direct
  simulation (every candidate drawn, argmax of the proxy) on the same problem as the
  reference, extrapolated from fewer trials;
- ``autoresearch``: fitting the candidate pool on one split, and the searches that reuse
  it, against refitting scikit-learn estimators for every attempt (the naive loop);
- the chapter's heaviest pieces: claims 18 and 19 from a cold start.
"""

from __future__ import annotations

import time

import numpy as np

from bench.harness import best_of
from lossylib import proxy as px


def bench_best_of_n() -> list[str]:
    ours = best_of(lambda: px.best_of_n(100, 0.5, 10**6))
    sub = 10**5
    ref = best_of(lambda: px.best_of_n(100, 0.5, sub, method="direct"), repeats=1) * 10
    heavy = best_of(lambda: px.best_of_n(100, 0.5, sub, "t", 3.0), repeats=1)
    return [
        f"proxy.best_of_n n=100 trials=10^6 (normal error): {ours:.3f} s "
        f"(target < 1 s: {'met' if ours < 1 else 'MISSED'}; reference: direct simulation "
        f"{ref:.2f} s extrapolated from 10^5 trials, ratio {ours / ref:.3f})",
        f"proxy.best_of_n n=100 trials=10^5 (t(3) error, direct): {heavy:.2f} s",
    ]


def _naive_search(attempts: int, split: int) -> None:
    """Refit a scikit-learn estimator for every attempt of one random search."""
    from sklearn.neighbors import KNeighborsClassifier

    x, y = px.digits()
    order = np.random.default_rng([20231, split]).permutation(len(y))
    tr, va = order[:500], order[500:800]
    rng = np.random.default_rng(0)
    for _ in range(attempts):
        k = int(rng.choice([1, 3, 5, 7, 9, 15]))
        KNeighborsClassifier(k).fit(x[tr] / 16, y[tr]).score(x[va] / 16, y[va])


def bench_autoresearch() -> list[str]:
    px.digits()
    start = time.perf_counter()
    for s in range(100, 104):
        px.split_scores(s)
    fit = (time.perf_counter() - start) / 4
    splits = list(range(100, 104))
    search = best_of(lambda: [px.research._search(px.split_scores(s), 100,
                                                   np.random.default_rng(s), "random",
                                                   "reuse", 1, 0.1, 0.01, 300)
                               for s in splits])  # fmt: skip
    hill = best_of(lambda: [px.research._search(px.split_scores(s), 100,
                                                 np.random.default_rng(s), "hill",
                                                 "reuse", 1, 0.1, 0.01, 300)
                             for s in splits])  # fmt: skip
    naive = best_of(lambda: _naive_search(100, 0), repeats=1)
    return [
        f"proxy.split_scores: fitting the pool of {len(px.configs())} configurations on one "
        f"split: {fit:.2f} s",
        f"one random search of 100 attempts on a fitted pool: {1000 * search / 4:.2f} ms; "
        f"hill climb: {1000 * hill / 4:.2f} ms (reference: refitting a kNN for each of 100 "
        f"attempts {naive:.2f} s, ratio {search / 4 / naive:.2g})",
    ]


def bench_claims() -> str:
    from lossylib import claims

    start = time.perf_counter()
    claims.get(18).check()
    c18 = time.perf_counter() - start
    start = time.perf_counter()
    claims.get(19).check()
    c19 = time.perf_counter() - start
    return f"claims 18 and 19 from a cold start: {c18:.1f} s and {c19:.1f} s"


def main() -> None:
    for line in bench_best_of_n():
        print(line, flush=True)
    for line in bench_autoresearch():
        print(line, flush=True)
    print(bench_claims(), flush=True)


if __name__ == "__main__":
    main()
