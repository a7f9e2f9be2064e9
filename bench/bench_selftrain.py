"""Benchmarks for lossylib.selftrain and the chapter "A loop that improves".

- the policy's exact success probability (a forward pass over the carry) against the
  Monte Carlo estimate it replaces, at the standard error of 200 samples per problem;
- one expert-iteration run (20 generations) and one digit-loop run (20 generations)
  against the issue's page budget;
- the chapter's own time and memory are in ``bench_chapters`` (every chapter, fresh).
"""

from __future__ import annotations

import numpy as np

from bench.harness import best_of
from lossylib import selftrain as st
from lossylib.selftrain.digits import digit_loop, digit_world
from lossylib.selftrain.policy import columns


def bench_success() -> str:
    rng = np.random.default_rng(0)
    policy = st.DigitPolicy.from_examples(*st.problems(2, 40, rng), 2)
    a, b = st.problems(6, 300, rng)
    cols = columns(a, b, 6)
    exact = best_of(lambda: policy.success_on(cols))
    samples = 200
    mc = best_of(lambda: [policy.sample(a, b, 6, rng) for _ in range(samples)], repeats=1)
    return (
        f"exact success of 300 six-digit problems: {exact * 1e3:.2f} ms (reference: Monte "
        f"Carlo with {samples} samples each {mc * 1e3:.0f} ms, ratio {exact / mc:.4f}; the "
        f"exact value also has no sampling error)"
    )


def bench_runs() -> list[str]:
    ei = best_of(lambda: st.expert_iteration(20, "perfect", seed=0))
    digit_world()
    dl = best_of(lambda: digit_loop(20, "verify", seed=0))
    return [
        f"expert_iteration, 20 generations x 2000 attempts, 10 held-out levels: {ei:.2f} s",
        f"digit_loop 'verify', 20 generations x 300 samples: {dl:.2f} s",
    ]


def main() -> None:
    print(bench_success(), flush=True)
    for line in bench_runs():
        print(line, flush=True)


if __name__ == "__main__":
    main()
