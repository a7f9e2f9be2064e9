"""Benchmarks for lossylib.selftrain and the chapter "A loop that improves".

- the policy's exact success probability (a forward pass over the carry) against the
  Monte Carlo estimate it replaces, at the standard error of 200 samples per problem;
- one expert-iteration run (20 generations) and one digit-loop run (20 generations)
  against the issue's page budget;
- the chapter executed fresh in a kernel (as the book build does), its time and the
  kernel's peak memory against the issue's targets (30 s, 1 GB).
"""

from __future__ import annotations

import resource
import time
from pathlib import Path

import numpy as np

from lossylib import selftrain as st
from lossylib.selftrain.digits import digit_loop, digit_world
from lossylib.selftrain.policy import columns

ROOT = Path(__file__).resolve().parents[1]


def _best_of(fn, repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def bench_success() -> str:
    rng = np.random.default_rng(0)
    policy = st.DigitPolicy.from_examples(*st.problems(2, 40, rng), 2)
    a, b = st.problems(6, 300, rng)
    cols = columns(a, b, 6)
    exact = _best_of(lambda: policy.success_on(cols))
    samples = 200
    mc = _best_of(lambda: [policy.sample(a, b, 6, rng) for _ in range(samples)], repeats=1)
    return (
        f"exact success of 300 six-digit problems: {exact * 1e3:.2f} ms (reference: Monte "
        f"Carlo with {samples} samples each {mc * 1e3:.0f} ms, ratio {exact / mc:.4f}; the "
        f"exact value also has no sampling error)"
    )


def bench_runs() -> list[str]:
    ei = _best_of(lambda: st.expert_iteration(20, "perfect", seed=0))
    digit_world()
    dl = _best_of(lambda: digit_loop(20, "verify", seed=0))
    return [
        f"expert_iteration, 20 generations x 2000 attempts, 10 held-out levels: {ei:.2f} s",
        f"digit_loop 'verify', 20 generations x 300 samples: {dl:.2f} s",
    ]


def bench_chapter(target_s: float = 30.0, target_mb: float = 1024.0) -> str:
    import jupytext
    from nbclient import NotebookClient

    nb = jupytext.read(ROOT / "chapters" / "loop-that-improves.md")
    for cell in nb.cells:  # as the book does: skip-execution cells are not run
        if "skip-execution" in cell.get("metadata", {}).get("tags", []):
            cell.cell_type, cell.outputs = "markdown", None
            cell.pop("execution_count", None)
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT / "chapters")}},
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    peak_mb = after.ru_maxrss / 1024
    return (
        f"loop-that-improves chapter, fresh kernel: {seconds:.1f} s wall, {cpu:.1f} s CPU "
        f"(target {target_s:.0f} s: {'met' if seconds < target_s else 'NOT met'}); "
        f"peak child memory {peak_mb:.0f} MB (target {target_mb:.0f} MB: "
        f"{'met' if peak_mb < target_mb else 'NOT met'})"
    )


def main() -> None:
    print(bench_success(), flush=True)
    for line in bench_runs():
        print(line, flush=True)
    print(bench_chapter(), flush=True)


if __name__ == "__main__":
    main()
