"""The logistic fits' own least-squares solver, ``lossylib.trends.trf.trf``, against
``scipy.optimize.least_squares(..., method="trf")``, which it must reproduce to the last
bit: same parameters, cost, Jacobian and number of evaluations."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize

from lossylib.trends import fits, prefix, trf


def _scipy(fun, jac, x0, lower, upper):
    return optimize.least_squares(fun, x0, jac=jac, bounds=(lower, upper), method="trf")


def _assert_same(ours, theirs) -> None:
    assert ours.x.tobytes() == theirs.x.tobytes()
    assert float(ours.cost).hex() == float(theirs.cost).hex()
    assert ours.jac.tobytes() == theirs.jac.tobytes()
    assert ours.nfev == theirs.nfev


def _logistic_problems(seed: int, count: int):
    """Logistic fits as :func:`fits.fit_logistic` sets them up, to logistic, exponential,
    linear and patternless data, from random starts (some on a bound)."""
    rng = np.random.default_rng(seed)
    for i in range(count):
        n = int(rng.integers(4, 60))
        t = np.sort(rng.uniform(0, 60, n)) if i % 2 else np.linspace(0, 60, n)
        log_k, rate, midpoint = rng.uniform(-3, 20), rng.uniform(0.01, 6), rng.uniform(-150, 300)
        shape = (
            fits._log_logistic(t, log_k, rate, midpoint),
            rng.uniform(-5, 5) + rng.uniform(-0.5, 3) * t,
            np.log(rng.uniform(0.5, 50) + rng.uniform(0, 3) * t),
            rng.normal(0, 1, n),
        )[i % 4]
        y = shape + rng.normal(0, rng.choice([0.0, 0.01, 0.3, 1.0]), n)
        lower = np.array([y.min() - 5.0, 1e-4, t.min() - 100.0])
        upper = np.array([y.max() + 30.0, 5.0, t.max() + 200.0])
        x0 = lower + rng.uniform(0, 1, 3) * (upper - lower)
        if i % 5 == 0:
            x0[rng.integers(0, 3)] = (lower if i % 2 else upper)[rng.integers(0, 3)]
            x0 = np.clip(x0, lower, upper)
        yield fits._logistic_residual(t, y), fits._logistic_jacobian(t), x0, lower, upper


@pytest.mark.parametrize("seed", [0, 1])
def test_trf_matches_scipy_on_logistic_fits(seed):
    for fun, jac, x0, lower, upper in _logistic_problems(seed, 120):
        _assert_same(trf.trf(fun, jac, x0, lower, upper), _scipy(fun, jac, x0, lower, upper))


def _rosenbrock(p):
    return np.array([10 * (p[1] - p[0] ** 2), 1 - p[0]])


def _rosenbrock_jac(p):
    return np.array([[-20 * p[0], 10.0], [-1.0, 0.0]])


def _walled(p):
    """Rosenbrock's residuals, not finite beyond p[0] = 0.5 (the step is shortened)."""
    return _rosenbrock(p) if p[0] <= 0.5 else np.array([np.inf, np.inf])


def _flat(p):
    """Residuals that ignore p[1]: a zero column, so the Jacobian is rank deficient."""
    return np.array([p[0] - 1.0, p[0] ** 2 + 1.0, 2.0 * p[0]])


def _flat_jac(p):
    return np.array([[1.0, 0.0], [2.0 * p[0], 0.0], [2.0, 0.0]])


def _slow():
    """A logistic fit to a line, started at the smallest rate: it stops at scipy's limit
    of 100 evaluations per parameter."""
    t = np.linspace(0, 60, 10)
    y = -95 + 0.3 * t
    lower, upper = np.array([y.min() - 5, 1e-4, -100.0]), np.array([y.max() + 30, 5, 260])
    x0 = np.array([-90.0, 1e-4, -48.0])
    return fits._logistic_residual(t, y), fits._logistic_jacobian(t), x0, lower, upper


def _saturated(rate: float, midpoint: float):
    """A logistic fit started where the sigmoid is flat over all the data."""
    t = np.linspace(0, 60, 30)
    y = 0.1 * t + np.random.default_rng(5).normal(0, 0.3, t.size)
    lower, upper = np.array([y.min() - 5.0, 1e-4, -100.0]), np.array([y.max() + 30, 5, 260])
    x0 = np.array([y.mean(), rate, midpoint])
    return fits._logistic_residual(t, y), fits._logistic_jacobian(t), x0, lower, upper


OTHER_PROBLEMS = {
    "rosenbrock": (_rosenbrock, _rosenbrock_jac, [-2.0, 1.0], [-3.0, -3.0], [3.0, 3.0]),
    "rosenbrock boxed": (_rosenbrock, _rosenbrock_jac, [2.0, 2.0], [-1.5, 1.5], [2.5, 5.0]),
    "start at zero": (_rosenbrock, _rosenbrock_jac, [0.0, 0.0], [-1.0, -1.0], [0.6, 0.3]),
    "not finite": (_walled, _rosenbrock_jac, [-1.2, 1.0], [-3.0, -3.0], [3.0, 3.0]),
    "rank deficient": (_flat, _flat_jac, [3.0, 0.5], [-5.0, 0.0], [5.0, 1.0]),
    "saturated low": _saturated(4.9, -99.0),
    "saturated high": _saturated(4.0, 250.0),
    "saturated far": _saturated(4.99, 259.0),
    "evaluation limit": _slow(),
}


@pytest.mark.parametrize("name", list(OTHER_PROBLEMS))
def test_trf_matches_scipy_on_other_problems(name):
    fun, jac, *arrays = OTHER_PROBLEMS[name]
    x0, lower, upper = (np.array(a, dtype=float) for a in arrays)
    ours = trf.trf(fun, jac, x0, lower, upper)
    _assert_same(ours, _scipy(fun, jac, x0, lower, upper))
    assert ours.nfev == 300 if name == "evaluation limit" else ours.nfev < 300


def test_fit_logistic_gives_scipys_fits(monkeypatch):
    curve = prefix.Curve()
    t, v = curve.years(), curve.sample(1700)
    ours = [fits.fit_logistic(t[t < end], v[t < end]) for end in (10, 26, 30, 60.01)]
    monkeypatch.setattr(fits, "trf", _scipy)
    assert ours == [fits.fit_logistic(t[t < end], v[t < end]) for end in (10, 26, 30, 60.01)]


def test_trf_refuses_residuals_not_finite_at_the_start():
    fun, jac, *_ = OTHER_PROBLEMS["not finite"]
    x0, lower, upper = np.array([1.0, 1.0]), np.array([-3.0, -3.0]), np.array([3.0, 3.0])
    with pytest.raises(ValueError, match="not finite"):
        trf.trf(fun, jac, x0, lower, upper)
