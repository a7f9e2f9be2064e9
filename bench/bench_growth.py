"""Benchmarks for lossylib.growth, each against a reference measured in the same run.

Run with ``python -m bench`` (all benchmarks) or ``python bench/bench_growth.py``.
"""

from __future__ import annotations

import time

import numpy as np
from scipy.integrate import solve_ivp

from bench.harness import best_of
from lossylib import growth
from lossylib.growth.experiments import LOOP, TIMES


def _solve_ivp_one(phi: float, loss: float) -> None:
    def rhs(t, y):
        a = np.exp(y[0])
        return [growth.loop_rate(np.array(a), phi=phi, loss=loss, **LOOP) / a]

    def blowup(t, y):
        return y[0] - np.log(1e300)

    blowup.terminal = True
    solve_ivp(rhs, (TIMES[0], TIMES[-1]), [0.0], t_eval=TIMES, events=blowup, rtol=1e-6)


def bench_sweep(size: int = 200, reference_points: int = 40) -> str:
    phi, loss = np.meshgrid(np.linspace(-0.5, 1.5, size), np.linspace(0, 0.5, size))
    ours = best_of(lambda: growth.regime_map(TIMES, phi=phi, loss=loss, **LOOP))
    rng = np.random.default_rng(0)
    picks = rng.integers(0, size * size, reference_points)
    t0 = time.perf_counter()
    for i in picks:
        _solve_ivp_one(phi.flat[i], loss.flat[i])
    reference = (time.perf_counter() - t0) * size * size / reference_points
    return (
        f"growth sweep {size}x{size}: {ours:.2f} s (reference: scipy solve_ivp on "
        f"{reference_points} points {reference:.1f} s extrapolated, ratio {ours / reference:.2g})"
    )


def bench_closed_form(size: int = 200) -> str:
    phi, lam = np.meshgrid(np.linspace(-0.5, 0.95, size), np.linspace(0.1, 1.0, size))
    times = np.linspace(0, 50, 51)

    def closed():
        growth.closed_form(times[:, None, None], 1.0, 0.2, 2.0, lam, phi)

    def numeric():
        growth.integrate(lambda t, a: 0.2 * 2.0**lam * a**phi, np.ones_like(phi), times)

    ours, reference = best_of(closed), best_of(numeric, repeats=1)
    return (
        f"closed form {size}x{size} x {times.size} times: {ours:.3f} s (reference: RK4 "
        f"integrator on the same grid {reference:.2f} s, ratio {ours / reference:.2g})"
    )


def main() -> None:
    print(bench_sweep())
    print(bench_closed_form())


if __name__ == "__main__":
    main()
