"""lossylib.proxy.selection and .gao: best-of-n against a proxy, held to closed forms and
to an independent numerical integration."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, special, stats

from lossylib import proxy as px


def _reference_expected_max(n: int) -> float:
    """E[max of n normals] from the density n phi(x) Phi(x)^(n-1), by adaptive
    Gauss-Kronrod on pieces around the mode (a different formula and method)."""
    if n == 1:
        return 0.0

    def f(x):
        return x * n * stats.norm.pdf(x) * math.exp((n - 1) * special.log_ndtr(x))

    edges = np.linspace(-12, 12, 97)
    return sum(
        integrate.quad(f, a, b, epsabs=1e-14, epsrel=1e-13)[0]
        for a, b in zip(edges[:-1], edges[1:], strict=True)
    )


@pytest.mark.parametrize("n", [1, 2, 10, 1000])
def test_expected_max_normal_exact(n):
    assert px.expected_max_normal(n) == pytest.approx(_reference_expected_max(n), abs=1e-10)


def test_expected_max_known_values():
    assert px.expected_max_normal(1) == 0.0
    assert px.expected_max_normal(2) == pytest.approx(1 / math.sqrt(math.pi), abs=1e-12)
    # E[max of 3] = 3 / (2 sqrt(pi))
    assert px.expected_max_normal(3) == pytest.approx(1.5 / math.sqrt(math.pi), abs=1e-12)


def test_bon_kl():
    assert px.bon_kl(1) == 0.0
    assert px.bon_kl(2) == pytest.approx(math.log(2) - 0.5)
    assert px.bon_kl(10**6) == pytest.approx(math.log(10**6) - 1 + 1e-6)


@pytest.mark.parametrize(("n", "rho"), [(1, 0.5), (5, 0.3), (50, 0.8), (200, -0.4)])
@pytest.mark.parametrize("method", ["order", "direct"])
def test_normal_error_matches_closed_form(n, rho, method):
    r = px.best_of_n(n, rho, 20_000, seed=n, method=method)
    e = px.expected_max_normal(n)
    assert abs(r.proxy_mean - e) < 4 * r.proxy_se
    assert abs(r.true_mean - rho * e) < 4 * r.true_se


@pytest.mark.parametrize(("n", "rho", "df"), [(10, 0.5, 3.0), (100, 0.5, 3.0), (50, 0.8, 10.0)])
def test_t_error_matches_numerical_theory(n, rho, df):
    r = px.best_of_n(n, rho, 20_000, "t", df, seed=7)
    true, proxy = px.gain_theory(n, rho, "t", df)
    assert abs(r.true_mean - true) < 4 * r.true_se
    assert abs(r.proxy_mean - proxy) < 4 * r.proxy_se


@pytest.mark.parametrize("n", [1, 3, 30, 3000])
def test_numerical_theory_agrees_with_closed_form(n):
    true, proxy = px.gain_theory(n, 0.6)
    assert proxy == pytest.approx(px.expected_max_normal(n), abs=2e-3)
    assert true == pytest.approx(0.6 * px.expected_max_normal(n), abs=2e-3)


def test_heavy_tail_gain_peaks_and_falls_normal_keeps_rising():
    ns = px.n_grid(10**6)
    normal = [px.gain_theory(int(n), 0.5)[0] for n in ns]
    heavy = [px.gain_theory(int(n), 0.5, "t", 3.0)[0] for n in ns]
    assert np.all(np.diff(normal) > 0)
    peak = int(np.argmax(heavy))
    assert 0 < peak < len(ns) - 1
    assert heavy[-1] < 0.2 * heavy[peak]
    assert px.peak_true_gain(0.5, "t", 3.0, 10**6) == (int(ns[peak]), pytest.approx(heavy[peak]))


def test_seeded_and_rho_one():
    a = px.best_of_n(30, 0.4, 500, "t", 5.0, seed=2)
    assert a == px.best_of_n(30, 0.4, 500, "t", 5.0, seed=2)
    r = px.best_of_n(30, 1.0, 500, seed=1, method="direct")
    assert r.true_mean == pytest.approx(r.proxy_mean)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 500), st.floats(-1, 1), st.integers(0, 2**31))
def test_order_method_symmetries(n, rho, seed):
    """With the same seed, the largest proxy does not depend on rho, and flipping rho's
    sign moves the chosen X by exactly 2 rho P (X = rho P + s Z with the same Z)."""
    a = px.best_of_n(n, rho, 50, seed=seed)
    b = px.best_of_n(n, -rho, 50, seed=seed)
    assert a.proxy_mean == b.proxy_mean
    assert a.true_mean - b.true_mean == pytest.approx(2 * rho * a.proxy_mean, abs=1e-9)
    assert a.true_se >= 0 and a.proxy_se >= 0


@settings(max_examples=15, deadline=None)
@given(st.integers(2, 40), st.integers(0, 2**31))
def test_direct_with_rho_one_picks_the_largest(n, seed):
    """With rho = 1 the proxy is the value, so the pick is the true maximum: its mean is
    at least that of any other rule, e.g. the first candidate's (a random pick)."""
    r = px.best_of_n(n, 1.0, 50, seed=seed, method="direct")
    assert r.true_mean == r.proxy_mean
    rng = np.random.default_rng(seed)
    first = rng.standard_normal((50, n))
    assert r.true_mean == pytest.approx(first.max(axis=1).mean())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 0}, "n must be >= 1"),
        ({"n": 2.5}, "n must be an integer"),
        ({"rho": 1.5}, r"rho must be in \[-1.0, 1.0\]"),
        ({"rho": float("nan")}, "rho must be finite"),
        ({"trials": 1}, "trials must be >= 2"),
        ({"error": "cauchy"}, "error must be one of"),
        ({"error": "t"}, "needs df"),
        ({"error": "t", "df": 2.0}, r"df must be in \(2.0"),
        ({"error": "t", "df": float("nan")}, "df must be finite"),
        ({"df": 5.0}, "df is only used with error='t'"),
        ({"method": "fast"}, "method must be"),
        ({"error": "t", "df": 4.0, "method": "order"}, "method='order' needs"),
    ],
)
def test_bad_parameters(kwargs, message):
    args = {"n": 5, "rho": 0.5, "trials": 10, **kwargs}
    with pytest.raises(ValueError, match=message) as info:
        px.best_of_n(**args)
    assert "\n" not in str(info.value)


def test_bad_n_elsewhere():
    for f in (px.expected_max_normal, px.bon_kl):
        with pytest.raises(ValueError, match="n must be >= 1"):
            f(0)
    with pytest.raises(ValueError, match="n must be finite and >= 1"):
        px.gao_curve(np.array([0.5]))


def test_gao_fit_recovers_coefficients_and_rejects_bad_input():
    d = px.gao_curve(px.n_grid(10**4))
    f = px.fit_gao(d, d * (0.8 - 0.1 * d))
    assert (f.alpha, f.beta) == (pytest.approx(0.8), pytest.approx(0.1))
    assert f.peak == pytest.approx(4.0)
    assert f.rms < 1e-12
    with pytest.raises(ValueError, match="finite"):
        px.fit_gao(np.array([0.1, 0.2, float("nan")]), np.ones(3))
    with pytest.raises(ValueError, match="two distinct positive"):
        px.fit_gao(np.array([0.0, 0.5]), np.ones(2))
