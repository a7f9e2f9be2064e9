"""Gao, Schulman & Hilton's (2023) functional form for best-of-n: gold reward against
d = sqrt(KL) follows R(d) = d (alpha - beta d).

The fit is linear least squares in (alpha, beta). :func:`fit_gao` fits on the smaller n
and reports how far the form misses on the larger n it did not see, which is where the
fit "holds" or does not.

Examples
--------
>>> d = np.linspace(0.1, 3, 20)
>>> f = fit_gao(d, d * (1.0 - 0.2 * d))
>>> round(f.alpha, 6), round(f.beta, 6)
(1.0, 0.2)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import check_array, check_count, show


@dataclass(frozen=True)
class GaoFit:
    """R(d) = d (alpha - beta d), fitted by least squares.

    Attributes
    ----------
    alpha, beta : float
        The fitted coefficients.
    rms : float
        Root-mean-square residual on the points fitted.
    """

    alpha: float
    beta: float
    rms: float

    def __call__(self, d: np.ndarray) -> np.ndarray:
        d = check_array(d, "d")
        return d * (self.alpha - self.beta * d)

    @property
    def peak(self) -> float:
        """The d at which the fitted curve peaks (infinite when beta <= 0)."""
        return self.alpha / (2 * self.beta) if self.beta > 0 else float("inf")


def fit_gao(d: np.ndarray, gold: np.ndarray) -> GaoFit:
    """Least-squares fit of gold = d (alpha - beta d).

    Parameters
    ----------
    d : array
        sqrt(KL) at each point (finite, >= 0), at least two distinct positive values.
    gold : array
        The true (gold) gain at each point.
    """
    d = check_array(d, "d")
    gold = check_array(gold, "gold")
    if d.shape != gold.shape or d.ndim != 1:
        raise ValueError(
            "d and gold must be 1-D arrays of the same length, "
            f"got shapes {d.shape} and {gold.shape}"
        )
    for name, values in (("d", d), ("gold", gold)):
        if not np.all(np.isfinite(values)):
            bad = values[~np.isfinite(values)][0]
            raise ValueError(f"{name} must be finite (no NaN), got {bad}")
    if np.any(d < 0) or np.unique(d[d > 0]).size < 2:
        raise ValueError(
            f"d must be >= 0 with at least two distinct positive values, got {show(d)}"
        )
    a = np.column_stack([d, -d * d])
    (alpha, beta), *_ = np.linalg.lstsq(a, gold, rcond=None)
    rms = float(np.sqrt(np.mean((a @ [alpha, beta] - gold) ** 2)))
    return GaoFit(float(alpha), float(beta), rms)


def gao_curve(n: np.ndarray) -> np.ndarray:
    """d = sqrt(KL) of best-of-n for each n: sqrt(ln n - (n - 1)/n).

    Examples
    --------
    >>> gao_curve(np.array([1])).tolist()
    [0.0]
    """
    n = check_array(n, "n")
    bad = ~np.isfinite(n) | (n < 1)
    if np.any(bad):
        raise ValueError(f"n must be finite and >= 1, got {n[bad].flat[0]}")
    return np.sqrt(np.maximum(np.log(n) - (n - 1) / n, 0.0))


@dataclass(frozen=True)
class GaoCheck:
    """Gao's form fitted on best-of-n up to ``fit_max`` and tested beyond it.

    Attributes
    ----------
    fit : GaoFit
        Fitted on n <= fit_max (true gain from :func:`lossylib.proxy.gain_theory`).
    n, d, gold : ndarray
        Every n of the grid up to ``n_max``, its sqrt(KL), and the true gain.
    in_rms, out_max : float
        RMS miss on the fitted n, and the largest miss on the n beyond ``fit_max``.
    """

    fit: GaoFit
    n: np.ndarray
    d: np.ndarray
    gold: np.ndarray
    fit_max: int
    in_rms: float
    out_max: float


def gao_check(
    rho: float, error: str = "normal", df: float | None = None, fit_max: int = 100,
    n_max: int = 10**6,
) -> GaoCheck:  # fmt: skip
    """Fit R(d) = d (alpha - beta d) to the true gain of best-of-n for n <= ``fit_max``
    and measure how far it misses for larger n, up to ``n_max``.

    ``fit_max`` must take in at least n = 2 and 5 of the grid (>= 5, an integer); both
    are at most 10**18.

    Examples
    --------
    >>> c = gao_check(0.5, fit_max=100, n_max=10**4)
    >>> c.in_rms < 0.05
    True
    """
    from .selection import gain_theory, n_grid

    fit_max = check_count(fit_max, "fit_max", 5)
    n = n_grid(n_max)
    d = gao_curve(n)
    gold = np.array([gain_theory(int(k), rho, error, df)[0] for k in n])
    inside = n <= fit_max
    fit = fit_gao(d[inside], gold[inside])
    miss = np.abs(fit(d) - gold)
    out = float(miss[~inside].max()) if (~inside).any() else 0.0
    return GaoCheck(fit, n, d, gold, int(fit_max), fit.rms, out)
