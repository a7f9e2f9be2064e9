"""Benchmarks of lossylib.curation, each against a reference timed in the same run.

- ``regression_loop`` (all trials at once, batched linear algebra) against the obvious
  per-trial loop with ``np.linalg.lstsq``;
- ``curate_vocabulary`` with a likelihood filter and a verifier against the same loop
  without curation (the cost of curating);
- one save + restore generation of each restoration against a bare JPEG round trip.
"""

from __future__ import annotations

import numpy as np

from bench.harness import best_of
from lossylib import codecs, curation
from lossylib.claims.jpeg import sample
from lossylib.collapse import zipf


def _naive_regression(dim: int, samples: int, generations: int, trials: int, accumulate: bool):
    """One trial at a time, refitting with lstsq on the stacked data."""
    rng = np.random.default_rng(0)
    for _ in range(trials):
        x = rng.standard_normal((samples, dim))
        w = np.zeros(dim)
        xs, ys = [], []
        for _ in range(generations):
            y = x @ w + rng.standard_normal(samples)
            xs, ys = (xs + [x], ys + [y]) if accumulate else ([x], [y])
            w = np.linalg.lstsq(np.vstack(xs), np.concatenate(ys), rcond=None)[0]


def bench_regression() -> list[str]:
    dim, samples, generations, trials = 10, 40, 50, 4000
    lines = []
    for policy in ("replace", "accumulate"):
        ours = best_of(
            lambda p=policy: curation.regression_loop(dim, samples, generations, p, trials)
        )
        sub = 100
        ref = best_of(
            lambda p=policy, n=sub: _naive_regression(
                dim, samples, generations, n, p == "accumulate"
            ),
            repeats=1,
        )
        ref *= trials / sub
        lines.append(
            f"curation.regression_loop {policy} d={dim} T={samples} {generations} generations "
            f"x {trials} trials: {ours:.2f} s (reference: per-trial lstsq loop {ref:.1f} s "
            f"extrapolated from {sub} trials, ratio {ours / ref:.3f})"
        )
    return lines


def bench_vocabulary() -> str:
    p = zipf(1000)
    args = (p, 5000, 50, 8)
    ref = best_of(lambda: curation.curate_vocabulary(*args, error=0.05))
    ours = best_of(
        lambda: curation.curate_vocabulary(
            *args,
            error=0.05,
            filter="likelihood",
            strength=0.05,
            false_accept=0.5,
            false_reject=0.2,
        )
    )
    return (
        f"curation.curate_vocabulary V=1000 5000 samples x 50 generations x 8 trials, "
        f"filter + verifier: {ours:.2f} s (reference: no curation {ref:.2f} s, "
        f"ratio {ours / ref:.2f})"
    )


def bench_restorations() -> list[str]:
    image = sample("astronaut")
    ref = best_of(lambda: [codecs.roundtrip(image, "jpeg", 75) for _ in range(10)]) / 10
    lines = [f"bare JPEG round trip 256x256 q75: {1000 * ref:.1f} ms"]
    for name in curation.RESTORATIONS:
        t = best_of(
            lambda n=name: [
                curation.restore(codecs.roundtrip(image, "jpeg", 75)[0], n) for _ in range(10)
            ]
        )
        lines.append(
            f"  save + restore ({name}): {100 * t:.1f} ms "
            f"(ratio {t / 10 / ref:.1f}x the round trip)"
        )
    return lines


def main() -> None:
    for line in bench_regression():
        print(line, flush=True)
    print(bench_vocabulary(), flush=True)
    for line in bench_restorations():
        print(line, flush=True)


if __name__ == "__main__":
    main()
