"""A least-squares solver for many tiny bounded fits: scipy's "trf", cut down.

:func:`lossylib.trends.fits.fit_logistic` makes thousands of three-parameter bounded fits
for the conclusion's prefix study, and :func:`scipy.optimize.least_squares` spends most
of their time on per-call and per-iteration bookkeeping. :func:`trf` is its
trust-region-reflective method cut down to what ``fit_logistic`` uses: finite bounds, an
analytic Jacobian, a linear loss, the default tolerances and scaling, and the exact (SVD)
trust-region solver. Every floating-point operation is scipy's (1.17), in the same order,
so the fits are the same to the last bit; ``tests/test_trends_fits_solver.py`` compares
the two on random and awkward problems, and fails if a new scipy changes the method.

Adapted from scipy/optimize/_lsq (``trf.py``, ``common.py``, ``least_squares.py``) and
scipy/linalg/_decomp_svd.py. Copyright (c) 2001-2002 Enthought, Inc. 2003, SciPy
Developers; BSD 3-clause licence: redistributions must keep this notice, the conditions
and the disclaimer of https://github.com/scipy/scipy/blob/main/LICENSE.txt (shipped with
scipy as ``LICENSE.txt`` in its distribution's metadata).

Examples
--------
>>> import numpy as np
>>> fun = lambda x: np.array([x[0] - 1.0, 2.0 * (x[1] + 0.5)])
>>> jac = lambda x: np.array([[1.0, 0.0], [0.0, 2.0]])
>>> sol = trf(fun, jac, np.zeros(2), np.array([-5.0, -5.0]), np.array([5.0, 5.0]))
>>> np.round(sol.x, 6).tolist()
[1.0, -0.5]
"""

from __future__ import annotations

import functools
import math
from typing import NamedTuple

import numpy as np
from scipy.linalg import lapack

_TOL = 1e-8
_EPS = np.finfo(float).eps


class Solution(NamedTuple):
    """Where a least-squares fit ended: ``x``, half the sum of squared residuals there,
    the Jacobian there, and the number of residual evaluations."""

    x: np.ndarray
    cost: float
    jac: np.ndarray
    nfev: int


def _norm(x: np.ndarray):
    """The Euclidean norm, computed as :func:`numpy.linalg.norm` does."""
    return np.sqrt(x.dot(x))


@functools.cache
def _gesdd(m: int, n: int):
    """LAPACK's divide-and-conquer SVD and its work size for an ``m`` by ``n`` matrix,
    as :func:`scipy.linalg.svd` picks them."""
    probe = np.zeros((m, n))
    gesdd, gesdd_lwork = lapack.get_lapack_funcs(
        ("gesdd", "gesdd_lwork"), (probe,), ilp64="preferred"
    )
    work, info = gesdd_lwork(m, n, compute_uv=1, full_matrices=0)
    if info != 0:
        raise ValueError(f"internal work array size computation failed: {info}")
    return gesdd, int(work.real)


def _svd(a: np.ndarray):
    """``scipy.linalg.svd(a, full_matrices=False)`` without its per-call checks."""
    gesdd, lwork = _gesdd(*a.shape)
    if not np.isfinite(a).all():
        raise ValueError("array must not contain infs or NaNs")
    u, s, vt, info = gesdd(a, compute_uv=1, lwork=lwork, full_matrices=0, overwrite_a=0)
    if info > 0:
        raise np.linalg.LinAlgError("SVD did not converge")
    if info < 0:
        raise ValueError(f"illegal value in {-info}th argument of internal gesdd")
    return u, s, vt


def _strictly_inside(x: np.ndarray, lb: np.ndarray, ub: np.ndarray, rstep: float = 1e-10):
    """``x`` moved off any bound it is within ``rstep`` (relative) of, as scipy moves a
    starting point."""
    x_new = x.copy()
    lower_dist, upper_dist = x - lb, ub - x
    active = np.zeros_like(x, dtype=int)
    active[lower_dist <= np.minimum(upper_dist, rstep * np.maximum(1, np.abs(lb)))] = -1
    active[upper_dist <= np.minimum(lower_dist, rstep * np.maximum(1, np.abs(ub)))] = 1
    lower, upper = active == -1, active == 1
    x_new[lower] = lb[lower] + rstep * np.maximum(1, np.abs(lb[lower]))
    x_new[upper] = ub[upper] - rstep * np.maximum(1, np.abs(ub[upper]))
    tight = (x_new < lb) | (x_new > ub)
    x_new[tight] = 0.5 * (lb[tight] + ub[tight])
    return x_new


def _scaling(x: np.ndarray, g: np.ndarray, lb: np.ndarray, ub: np.ndarray):
    """Coleman and Li's scaling vector ``v`` (the distance to the bound the gradient
    ``g`` points away from, 1 where it is 0) and its derivative ``dv``."""
    up, down = g > 0, g < 0
    v = np.where(up, x - lb, np.where(down, ub - x, 1.0))
    return v, up.astype(float) - down


def _step_to_bound(x: np.ndarray, s: np.ndarray, lb: np.ndarray, ub: np.ndarray):
    """The multiple of ``s`` that takes ``x`` to the first bound, and which bounds it
    hits (-1 lower, 1 upper, 0 none)."""
    non_zero = np.nonzero(s)
    s_non_zero = s[non_zero]
    steps = np.empty_like(x)
    steps.fill(np.inf)
    with np.errstate(over="ignore"):
        steps[non_zero] = np.maximum(
            (lb - x)[non_zero] / s_non_zero, (ub - x)[non_zero] / s_non_zero
        )
    min_step = np.min(steps)
    return min_step, np.equal(steps, min_step) * np.sign(s).astype(int)


def _to_trust_region(x: np.ndarray, s: np.ndarray, delta):
    """The two roots t of ||x + s t|| = ``delta``, smaller first."""
    a = np.dot(s, s)
    if a == 0:
        raise ValueError("`s` is zero.")
    b = np.dot(x, s)
    c = np.dot(x, x) - delta**2
    if c > 0:
        raise ValueError("`x` is not within the trust region.")
    d = np.sqrt(b * b - a * c)
    q = -(b + math.copysign(d, b))
    t1, t2 = q / a, c / q
    return (t1, t2) if t1 < t2 else (t2, t1)


def _quadratic(J: np.ndarray, g: np.ndarray, s: np.ndarray, diag: np.ndarray):
    """The model 0.5 s'(J'J + diag(``diag``))s + g's at the step ``s``."""
    Js = J.dot(s)
    q = np.dot(Js, Js)
    q += np.dot(s * diag, s)
    return 0.5 * q + np.dot(s, g)


def _quadratic_1d(J, g, s, diag, s0=None):
    """The model along the line ``s0`` + t ``s``: coefficients a, b (and c with ``s0``)
    of a t² + b t + c."""
    v = J.dot(s)
    a = np.dot(v, v)
    a += np.dot(s * diag, s)
    a *= 0.5
    b = np.dot(g, s)
    if s0 is None:
        return a, b
    u = J.dot(s0)
    b += np.dot(u, v)
    c = 0.5 * np.dot(u, u) + np.dot(g, s0)
    b += np.dot(s0 * diag, s)
    c += 0.5 * np.dot(s0 * diag, s0)
    return a, b, c


def _minimize_1d(a, b, lb, ub, c=0):
    """The minimum of a t² + b t + c over ``lb`` <= t <= ``ub``: (t, value)."""
    ts = [lb, ub]
    if a != 0:
        extremum = -0.5 * b / a
        if lb < extremum < ub:
            ts.append(extremum)
    t = np.asarray(ts)
    y = t * (a * t + b) + c
    i = np.argmin(y)
    return t[i], y[i]


def _reflected(x, J_h, diag_h, g_h, p, p_h, d, delta, lb, ub, theta):
    """The trust-region step ``p`` cut at the first bound it crosses and reflected there:
    (step, its scaled form, model value); ``p`` and ``p_h`` are cut in place."""
    p_stride, hits = _step_to_bound(x, p, lb, ub)
    r_h = np.copy(p_h)
    r_h[hits.astype(bool)] *= -1
    r = d * r_h
    p *= p_stride
    p_h *= p_stride
    _, to_tr = _to_trust_region(p_h, r_h, delta)
    to_bound, _ = _step_to_bound(x + p, r, lb, ub)
    r_stride = min(to_bound, to_tr)
    if r_stride > 0:
        r_stride_l = (1 - theta) * p_stride / r_stride
        r_stride_u = theta * to_bound if r_stride == to_bound else to_tr
    else:
        r_stride_l, r_stride_u = 0, -1
    if r_stride_l > r_stride_u:
        return r, r_h, np.inf
    a, b, c = _quadratic_1d(J_h, g_h, r_h, diag_h, s0=p_h)
    r_stride, r_value = _minimize_1d(a, b, r_stride_l, r_stride_u, c=c)
    r_h *= r_stride
    r_h += p_h
    return r_h * d, r_h, r_value


def _select_step(x, J_h, diag_h, g_h, p, p_h, d, delta, lb, ub, theta):
    """The best of the trust-region step, its reflection off a bound and the scaled
    steepest descent step: (step, step in scaled variables, predicted reduction)."""
    if ((x + p >= lb) & (x + p <= ub)).all():
        return p, p_h, -_quadratic(J_h, g_h, p_h, diag_h)
    r, r_h, r_value = _reflected(x, J_h, diag_h, g_h, p, p_h, d, delta, lb, ub, theta)
    p *= theta  # strictly inside the bounds
    p_h *= theta
    p_value = _quadratic(J_h, g_h, p_h, diag_h)
    ag_h = -g_h
    ag = d * ag_h
    to_tr = delta / _norm(ag_h)
    to_bound, _ = _step_to_bound(x, ag, lb, ub)
    ag_stride = theta * to_bound if to_bound < to_tr else to_tr
    a, b = _quadratic_1d(J_h, g_h, ag_h, diag_h)
    ag_stride, ag_value = _minimize_1d(a, b, 0, ag_stride)
    ag_h *= ag_stride
    ag *= ag_stride
    if p_value < r_value and p_value < ag_value:
        return p, p_h, -p_value
    if r_value < p_value and r_value < ag_value:
        return r, r_h, -r_value
    return ag, ag_h, -ag_value


def _phi(alpha, suf, s, delta):
    """The step's norm minus ``delta`` at the Levenberg-Marquardt parameter ``alpha``,
    and its derivative in ``alpha``."""
    denom = s**2 + alpha
    p_norm = _norm(suf / denom)
    return p_norm - delta, -np.sum(suf**2 / denom**3) / p_norm


def _trust_region_step(n, m, uf, s, V, delta, alpha, rtol=0.01, max_iter=10):
    """Moré's solution of the trust-region subproblem from an SVD (``uf`` = U'f, ``s``,
    ``V``) of the scaled Jacobian: (step, Levenberg-Marquardt parameter)."""
    suf = s * uf
    full_rank = m >= n and s[-1] > _EPS * m * s[0]
    if full_rank:
        p = -V.dot(uf / s)
        if _norm(p) <= delta:
            return p, 0.0
    alpha_upper = _norm(suf) / delta
    if full_rank:
        phi, phi_prime = _phi(0.0, suf, s, delta)
        alpha_lower = -phi / phi_prime
    else:
        alpha_lower = 0.0
    if not full_rank and alpha == 0:
        alpha = max(0.001 * alpha_upper, (alpha_lower * alpha_upper) ** 0.5)
    for _ in range(max_iter):
        if alpha < alpha_lower or alpha > alpha_upper:
            alpha = max(0.001 * alpha_upper, (alpha_lower * alpha_upper) ** 0.5)
        phi, phi_prime = _phi(alpha, suf, s, delta)
        if phi < 0:
            alpha_upper = alpha
        ratio = phi / phi_prime
        alpha_lower = max(alpha_lower, alpha - ratio)
        alpha -= (phi + delta) * ratio / delta
        if np.abs(phi) < rtol * delta:
            break
    p = -V.dot(suf / (s**2 + alpha))
    p *= delta / _norm(p)
    return p, alpha


def _new_radius(delta, actual, predicted, step_norm, bound_hit):
    """The next trust-region radius, and the ratio of actual to predicted reduction."""
    if predicted > 0:
        ratio = actual / predicted
    elif predicted == actual == 0:
        ratio = 1
    else:
        ratio = 0
    if ratio < 0.25:
        delta = 0.25 * step_norm
    elif ratio > 0.75 and bound_hit:
        delta *= 2.0
    return delta, ratio


def _converged(reduction, cost, step_norm, x_norm, ratio) -> bool:
    """scipy's tests on the change of the cost and of the parameters."""
    cost_done = reduction < _TOL * cost and ratio > 0.25
    return cost_done or step_norm < _TOL * (_TOL + x_norm)


def trf(fun, jac, x0: np.ndarray, lb: np.ndarray, ub: np.ndarray) -> Solution:
    """``scipy.optimize.least_squares(fun, x0, jac=jac, bounds=(lb, ub), method="trf")``
    for finite bounds ``lb`` < ``ub`` with ``x0`` between them, to the last bit.

    ``fun`` gives the residuals and ``jac`` their Jacobian (a C-ordered array) at a
    point; neither may change it.
    """
    x = _strictly_inside(np.asarray(x0, dtype=float), lb, ub)
    lb_next, ub_next = np.nextafter(lb, ub), np.nextafter(ub, lb)
    f, J = fun(x), jac(x)
    if not np.isfinite(f).all():
        raise ValueError("Residuals are not finite in the initial point.")
    nfev, (m, n) = 1, J.shape
    max_nfev = 100 * n
    cost = 0.5 * np.dot(f, f)
    g = J.T.dot(f)
    v, dv = _scaling(x, g, lb, ub)
    delta = _norm(x / v**0.5)
    if delta == 0:
        delta = 1.0
    f_augmented, J_augmented = np.zeros(m + n), np.zeros((m + n, n))
    J_h = J_augmented[:m]
    alpha, done = 0.0, False
    while True:
        v, dv = _scaling(x, g, lb, ub)
        g_norm = np.abs(g * v).max(axis=(0,), initial=0)
        if done or g_norm < _TOL or nfev == max_nfev:
            return Solution(x, cost, J, nfev)
        d = v**0.5
        diag_h = g * dv
        g_h = d * g
        f_augmented[:m] = f
        np.multiply(J, d, out=J_h)
        np.fill_diagonal(J_augmented[m:], diag_h**0.5)
        U, s, V = _svd(J_augmented)
        V = V.T
        uf = U.T.dot(f_augmented)
        theta = max(0.995, 1 - g_norm)
        reduction = -1
        while reduction <= 0 and nfev < max_nfev:
            p_h, alpha = _trust_region_step(n, m, uf, s, V, delta, alpha)
            step, step_h, predicted = _select_step(
                x, J_h, diag_h, g_h, d * p_h, p_h, d, delta, lb, ub, theta
            )
            x_new = x + step  # then a hair inside any bound it reached
            x_new = np.where(x_new <= lb, lb_next, np.where(x_new >= ub, ub_next, x_new))
            f_new = fun(x_new)
            nfev += 1
            step_h_norm = _norm(step_h)
            if not np.isfinite(f_new).all():
                delta = 0.25 * step_h_norm
                continue
            cost_new = 0.5 * np.dot(f_new, f_new)
            reduction = cost - cost_new
            delta_new, ratio = _new_radius(
                delta, reduction, predicted, step_h_norm, step_h_norm > 0.95 * delta
            )
            done = _converged(reduction, cost, _norm(step), _norm(x), ratio)
            if done:
                break
            alpha *= delta / delta_new
            delta = delta_new
        if reduction > 0:
            x, f, cost = x_new, f_new, cost_new
            J = jac(x)
            g = J.T.dot(f)
