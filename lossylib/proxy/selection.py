"""Best-of-n selection against a proxy: what the measured number gains, and what it stands for.

A candidate's true value is X ~ N(0, 1). We cannot see X; we see a proxy
P = rho X + sqrt(1 - rho^2) E, where the error E has unit variance and is normal or
Student-t (scaled to unit variance). Picking the best of n candidates by P raises P by
E[max of n] and, with normal error, raises X by rho E[max of n] ("regressional Goodhart").
With an error heavier-tailed than X the largest P is mostly error, and the gain in X can
peak and fall back to zero as n grows (Kwa et al. 2024, "catastrophic Goodhart").

Examples
--------
>>> r = best_of_n(10, 0.5, trials=20_000, seed=1)
>>> abs(r.true_mean - 0.5 * expected_max_normal(10)) < 4 * r.true_se
True
>>> round(bon_kl(1), 6)
0.0
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from scipy import integrate, special

from lossylib.stats import standard_error

from ._validate import check_count, check_error, check_int, check_rho

#: Largest number of candidates drawn at once by the direct simulation (memory bound);
#: also the largest n the direct simulation accepts.
_CHUNK = 4_000_000
#: Most selections per call (a few arrays of this length are held), and most candidates
#: the direct simulation draws in one call (n * trials; about a minute of drawing).
MAX_TRIALS = 10_000_000
MAX_DRAWS = 1_000_000_000


@dataclass(frozen=True)
class BestOfN:
    """Mean true value and proxy of the chosen candidate over ``trials`` selections.

    Attributes
    ----------
    true_mean, true_se : float
        The chosen candidate's X (the true gain over a random pick), mean and standard error.
    proxy_mean, proxy_se : float
        Its proxy P (the measured gain), mean and standard error.
    n, rho, trials : int, float, int
        The setting.
    """

    true_mean: float
    true_se: float
    proxy_mean: float
    proxy_se: float
    n: int
    rho: float
    trials: int


def _unit_t(df: float) -> float:
    """The factor that scales a Student-t with ``df`` degrees of freedom to unit variance."""
    return math.sqrt((df - 2.0) / df)


def _draw_error(rng: np.random.Generator, shape: tuple, error: str, df: float | None):
    if error == "normal":
        return rng.standard_normal(shape)
    return rng.standard_t(df, shape) * _unit_t(df)


def best_of_n(
    n: int,
    rho: float,
    trials: int,
    error: str = "normal",
    df: float | None = None,
    seed: int = 0,
    *,
    method: str = "auto",
) -> BestOfN:
    """Pick the best of ``n`` candidates by the proxy, ``trials`` times; report X and P.

    Parameters
    ----------
    n : int
        Candidates per selection (>= 1; n = 1 is a random pick; at most 10**18, and at
        most 4,000,000 for the direct simulation).
    rho : float
        Correlation of the proxy with the true value, in [-1, 1].
    trials : int
        Independent selections (2 to :data:`MAX_TRIALS`, for a standard error).
    error : {"normal", "t"}
        The proxy's error distribution (unit variance either way).
    df : float, optional
        Degrees of freedom of the t error (> 2); only with ``error="t"``.
    seed : int
        Seed of the generator (>= 0; ``None`` for fresh entropy).
    method : {"auto", "direct", "order"}
        ``"direct"`` draws all ``n`` candidates and takes the argmax of P (at most
        :data:`MAX_DRAWS` candidates in all, n * trials). ``"order"`` (normal error
        only) draws the largest of n standard normals exactly by inverting its
        distribution, Phi(m)^n, and X given P from its normal conditional: the same
        distribution at a cost independent of n. ``"auto"`` uses ``"order"`` when it
        can.

    Returns
    -------
    BestOfN

    Examples
    --------
    >>> r = best_of_n(100, 1.0, trials=1000, seed=0)
    >>> r.true_mean == r.proxy_mean
    True
    """
    n = check_count(n, "n", 1)
    rho = check_rho(rho)
    trials = check_count(trials, "trials", 2, MAX_TRIALS)
    error, df = check_error(error, df)
    seed = None if seed is None else check_int(seed, "seed", 0)
    if method not in ("auto", "direct", "order"):
        raise ValueError(f"method must be 'auto', 'direct' or 'order', got {method!r}")
    if method == "order" and error != "normal":
        raise ValueError("method='order' needs error='normal' (use 'direct' for t errors)")
    if method == "auto":
        method = "order" if error == "normal" else "direct"
    if method == "direct" and n > _CHUNK:
        raise ValueError(f"n must be <= {_CHUNK} for the direct simulation, got {n}")
    if method == "direct" and n * trials > MAX_DRAWS:
        got = n * trials
        raise ValueError(f"n * trials must be <= {MAX_DRAWS} (direct), got {got}")
    rng = np.random.default_rng(seed)
    s = math.sqrt(max(0.0, 1.0 - rho * rho))
    if method == "order":
        # the largest of n standard normals: Phi(m)^n = U, i.e. m = Phi^-1(U^(1/n)),
        # written through 1 - U^(1/n) = -expm1(log(U)/n) so it stays exact for large n
        u = rng.random(trials)
        p = -special.ndtri(-np.expm1(np.log1p(-u) / n))
        x = rho * p + s * rng.standard_normal(trials)
    else:
        x = np.empty(trials)
        p = np.empty(trials)
        step = max(1, _CHUNK // n)
        for start in range(0, trials, step):
            m = min(step, trials - start)
            xs = rng.standard_normal((m, n))
            ps = rho * xs + s * _draw_error(rng, (m, n), error, df)
            best = np.argmax(ps, axis=1)
            rows = np.arange(m)
            x[start : start + m] = xs[rows, best]
            p[start : start + m] = ps[rows, best]
    return BestOfN(
        true_mean=float(x.mean()),
        true_se=standard_error(x),
        proxy_mean=float(p.mean()),
        proxy_se=standard_error(p),
        n=n,
        rho=rho,
        trials=trials,
    )


@functools.lru_cache(maxsize=4096)
def _expected_max(n: int) -> float:
    if n == 1:
        return 0.0
    # E[M] = int_0^inf (1 - Phi^n) dx - int_-inf^0 Phi^n dx, both in log space for accuracy
    upper = integrate.quad(
        lambda x: -math.expm1(n * special.log_ndtr(x)),
        0,
        math.inf,
        epsabs=1e-13,
        epsrel=1e-12,
        limit=200,
    )[0]
    lower = integrate.quad(
        lambda x: math.exp(n * special.log_ndtr(x)),
        -math.inf,
        0,
        epsabs=1e-13,
        epsrel=1e-12,
        limit=200,
    )[0]
    return upper - lower


def expected_max_normal(n: int) -> float:
    """The exact expected largest of ``n`` independent standard normals (by quadrature).

    Parameters
    ----------
    n : int
        How many (1 to 10**18).

    Examples
    --------
    >>> round(expected_max_normal(2), 10) == round(1 / math.sqrt(math.pi), 10)
    True
    >>> round(expected_max_normal(10), 4)
    1.5388
    """
    return _expected_max(check_count(n, "n", 1))


def bon_kl(n: int) -> float:
    """KL divergence of best-of-n from the base policy: ln n - (n - 1)/n.

    Examples
    --------
    >>> round(bon_kl(100), 4)
    3.6152
    """
    n = check_int(n, "n", 1)
    return math.log(n) - (n - 1) / n


def normal_gain_theory(n: int, rho: float) -> tuple[float, float]:
    """Exact (true gain, proxy gain) of best-of-n with normal error: (rho E[max], E[max]).

    Examples
    --------
    >>> t, p = normal_gain_theory(10, 0.5)
    >>> round(t / p, 3)
    0.5
    """
    e = expected_max_normal(n)
    return check_rho(rho) * e, e


#: The numerical theory's grids: X on a fine uniform grid, P on a sinh-spaced grid that
#: reaches far enough for a t error's largest of a million draws.
_X = np.linspace(-9.0, 9.0, 401)
_WX = np.exp(-0.5 * _X**2) / math.sqrt(2 * math.pi) * (_X[1] - _X[0])


def _t_pdf(z: np.ndarray, df: float) -> np.ndarray:
    logc = special.gammaln((df + 1) / 2) - special.gammaln(df / 2) - 0.5 * math.log(df * math.pi)
    return np.exp(logc - (df + 1) / 2 * np.log1p(z * z / df))


@functools.lru_cache(maxsize=64)
def _theory_tables(rho: float, error: str, df: float | None):
    """P grid, log F_P at its points, and E[X | P = p] and p at the midpoints.

    The density of P at p is the integral of phi(x) f_E((p - rho x)/s)/s over x (a sum
    on the X grid); its upper tail is summed from the right, so F_P stays accurate where
    it is within 1e-12 of one, which matters for the largest of a million.
    """
    s = math.sqrt(max(0.0, 1.0 - rho * rho))
    top = 40.0 if error == "normal" else 2e4
    p = np.sinh(np.linspace(math.asinh(-30.0), math.asinh(top), 4001))
    mid = 0.5 * (p[1:] + p[:-1])
    z = (mid[:, None] - rho * _X[None, :]) / s
    if error == "normal":
        dens = np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
    else:
        c = _unit_t(df)
        dens = _t_pdf(z / c, df) / c
    w = dens * _WX[None, :]
    f_mid = w.sum(axis=1) / s
    cond = (w @ _X) / np.maximum(w.sum(axis=1), 1e-300)
    mass = f_mid * np.diff(p)
    sf = np.concatenate([np.cumsum(mass[::-1])[::-1], [0.0]]) / mass.sum()
    log_f = np.log1p(-np.minimum(sf, 1 - 1e-16))
    return p, log_f, cond, mid


def gain_theory(
    n: int, rho: float, error: str = "normal", df: float | None = None
) -> tuple[float, float]:
    """(true gain, proxy gain) of best-of-n for any error, by numerical integration.

    E[X of the chosen] = integral of E[X | P = p] d(F_P(p)^n), with F_P and the
    conditional mean computed on grids (X's density times the error's). It agrees with
    :func:`normal_gain_theory` to about 1e-4 for normal error and is what the t-error
    simulations are held to. The grids resolve |rho| up to about 0.98; |rho| = 1 is exact.

    Examples
    --------
    >>> t, p = gain_theory(10, 0.5)
    >>> abs(t - 0.5 * expected_max_normal(10)) < 1e-3
    True
    """
    n = check_count(n, "n", 1)
    rho = check_rho(rho)
    error, df = check_error(error, df)
    if abs(rho) == 1.0:  # no error at all: P = rho X, and the largest P is the largest X
        e = expected_max_normal(n)
        return rho * e, e
    p, log_f, cond, mid = _theory_tables(rho, error, df)
    g = np.exp(n * log_f)
    dg = np.diff(g)
    total = dg.sum()
    return float(cond @ dg / total), float(mid @ dg / total)


def peak_true_gain(
    rho: float, error: str = "t", df: float | None = 3.0, n_max: int = 10**7
) -> tuple[int, float]:
    """The n (a power of ten and its halves up to ``n_max``) at which the true gain peaks,
    and the peak gain.

    Examples
    --------
    >>> n, g = peak_true_gain(0.5, "normal", None, n_max=1000)
    >>> n
    1000
    """
    ns = n_grid(n_max)
    gains = [gain_theory(k, rho, error, df)[0] for k in ns]
    i = int(np.argmax(gains))
    return int(ns[i]), float(gains[i])


def n_grid(n_max: int = 10**6) -> np.ndarray:
    """1, 2, 5, 10, 20, 50, ... up to ``n_max`` (1 to 10**18): the n at which curves are
    drawn.

    Examples
    --------
    >>> n_grid(100).tolist()
    [1, 2, 5, 10, 20, 50, 100]
    """
    n_max = check_count(n_max, "n_max", 1)
    out = [k * 10**e for e in range(int(math.log10(n_max)) + 2) for k in (1, 2, 5)]
    return np.array([k for k in out if k <= n_max])
