"""Benchmarks of lossylib.collapse, each against a naive reference timed in the same run.

Targets (issue 3): 10,000 Gaussian trials x 1,000 generations (n = 100) under 1 s; a Zipf
vocabulary of 10,000 tokens with 100,000 samples a generation for 100 generations
under 2 s.
"""

from __future__ import annotations

import numpy as np

from bench.harness import best_of
from lossylib import collapse


def _naive_gaussian(trials: int, generations: int, n: int) -> None:
    """Per-trial Python loop, every sample drawn (the obvious implementation)."""
    rng = np.random.default_rng(0)
    for _ in range(trials):
        mu, var = 0.0, 1.0
        for _ in range(generations):
            x = rng.normal(mu, np.sqrt(var), n)
            mu, var = x.mean(), x.var()


def _naive_zipf(p: np.ndarray, samples: int, generations: int) -> None:
    """Draw every token with ``choice`` and count with ``bincount``."""
    rng = np.random.default_rng(0)
    q = p
    for _ in range(generations):
        counts = np.bincount(rng.choice(p.size, samples, p=q), minlength=p.size)
        q = counts / samples


def bench_gaussian() -> str:
    trials, generations, n = 10_000, 1_000, 100
    ours = best_of(lambda: collapse.refit_gaussian(n, generations, trials, seed=0))
    sub = 20
    ref = best_of(lambda: _naive_gaussian(sub, generations, n), repeats=1) * trials / sub
    return (
        f"collapse.refit_gaussian {trials}x{generations} n={n}: {ours:.2f} s "
        f"(reference: per-trial python loop {ref:.1f} s extrapolated from {sub} trials, "
        f"ratio {ours / ref:.4f})"
    )


def bench_zipf() -> str:
    size, samples, generations = 10_000, 100_000, 100
    p = collapse.zipf(size)
    ours = best_of(lambda: collapse.refit_categorical(p, samples, generations, seed=0))
    sub = 10
    ref = best_of(lambda: _naive_zipf(p, samples, sub), repeats=1) * generations / sub
    return (
        f"collapse.refit_categorical V={size} {samples} samples x {generations} generations: "
        f"{ours:.2f} s (reference: choice + bincount {ref:.2f} s extrapolated from {sub} "
        f"generations, ratio {ours / ref:.3f})"
    )


def bench_ngram() -> str:
    corpus = collapse.stdlib_corpus()
    model = collapse.count_ngrams(corpus.train, 2, corpus.vocab_size)
    tokens = corpus.train.size
    ours = best_of(lambda: collapse.sample_text(model, tokens, 100, seed=0))
    # reference: one Python step per token, a row lookup and a weighted choice each
    rows: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    ctx, nxt = np.divmod(model.keys, model.vocab_size)
    for c in np.unique(ctx):
        sel = ctx == c
        rows[int(c)] = (nxt[sel], np.cumsum(model.counts[sel]))
    rng = np.random.default_rng(0)

    def naive(steps: int) -> None:
        state = 0
        for _ in range(steps):
            nxt_ids, cum = rows.get(state, rows[0])
            state = int(nxt_ids[np.searchsorted(cum, rng.random() * cum[-1], "right")])

    sub = 20_000
    ref = best_of(lambda: naive(sub), repeats=1) * tokens / sub
    return (
        f"collapse.sample_text bigram {tokens} tokens: {ours:.3f} s (reference: "
        f"token-by-token python loop {ref:.2f} s extrapolated, ratio {ours / ref:.4f})"
    )


def main() -> None:
    for bench in (bench_gaussian, bench_zipf, bench_ngram):
        print(bench(), flush=True)


if __name__ == "__main__":
    main()
