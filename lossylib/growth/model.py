"""The semi-endogenous research model dA/dt = delta * S^lambda * A^phi, solved two ways.

``A`` is the stock of knowledge (or a system's capability), ``S`` the research effort,
``delta`` the research productivity, ``lambda`` the returns to effort (below one: people
step on each other's toes) and ``phi`` the returns to knowledge (above zero: standing on
shoulders; below one: ideas get harder to find). Two optional terms make the model the
one the chapter needs: effort growing at a constant rate (``S(t) = s * exp(s_growth*t)``)
and a loss of a fraction ``loss`` of the stock per unit of time (a "generation").

With ``u = A^(1 - phi)`` the equation is linear in ``u``, so every case has a closed form
(:func:`closed_form`); :func:`integrate` solves any rate numerically and is held to the
closed forms by the tests.

Examples
--------
>>> round(float(closed_form(1.0, a0=1, delta=1, s=1, lam=1, phi=1)), 6)  # e^1
2.718282
>>> blowup_time(a0=1, delta=1, s=1, lam=1, phi=2)
1.0
"""

from __future__ import annotations

import math
from collections.abc import Callable
from numbers import Real

import numpy as np
from numpy.typing import ArrayLike

from lossylib.checks import show as _show

_PHI_ONE = 1e-12  # |1 - phi| below this is treated as phi = 1

#: The most values the largest array of one call may hold (400 MB of floats): runs times
#: output times in :func:`integrate`, landscapes times positions, draws, ideas.
MAX_CELLS = 50_000_000
#: The most RK4 steps one :func:`integrate` call takes (substeps times intervals).
MAX_STEPS = 1_000_000


def _finite(name: str, value: ArrayLike, *, scalar: bool = False) -> np.ndarray:
    """``value`` as a float array of finite numbers (a 0-d array if ``scalar``);
    strings, booleans, ``None`` and ragged lists are refused with a message naming
    ``name``."""
    what = "a number" if scalar else "a number or an array of numbers"
    try:
        arr = np.asarray(value)
    except ValueError:  # a ragged nested list
        raise ValueError(f"{name} must be {what}, got {_show(value)}") from None
    if arr.dtype.kind not in "iuf" or (scalar and arr.ndim):
        raise ValueError(f"{name} must be {what}, got {_show(value)}")
    arr = arr.astype(float)
    if np.any(np.isnan(arr)) or np.any(np.isinf(arr)):
        raise ValueError(f"{name} must be finite, got {_show(value)}")
    return arr


def _nonnegative(name: str, value: ArrayLike, *, scalar: bool = False) -> np.ndarray:
    arr = _finite(name, value, scalar=scalar)
    if np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0, got {_show(value)}")
    return arr


def _positive(name: str, value: ArrayLike, *, scalar: bool = False) -> np.ndarray:
    arr = _finite(name, value, scalar=scalar)
    if np.any(arr <= 0):
        raise ValueError(f"{name} must be > 0, got {_show(value)}")
    return arr


def _count(
    name: str,
    value: object,
    minimum: int = 1,
    maximum: int | None = None,
) -> int:
    """A whole number (an int, or a float without a fraction) in [minimum, maximum]."""
    whole = (
        not isinstance(value, (bool, np.bool_))
        and isinstance(value, Real)
        and math.isfinite(value)
        and int(value) == value
    )
    if not whole or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be an integer <= {maximum}, got {value!r}")
    return int(value)


def _broadcast(**arrays: np.ndarray) -> tuple[int, ...]:
    """The common shape of the named parameters, or a message naming their shapes."""
    try:
        return np.broadcast_shapes(*(np.shape(a) for a in arrays.values()))
    except ValueError:
        shapes = [f"{k} {np.shape(a)}" for k, a in arrays.items() if np.ndim(a)]
        got = ", ".join(shapes)
        raise ValueError(f"parameters must broadcast to one shape, got {got}") from None


def _expm1_over(r: np.ndarray, t: np.ndarray) -> np.ndarray:
    """(exp(r t) - 1) / r, equal to t where r = 0 (the integral of exp(r x) over [0, t])."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = np.expm1(r * t) / np.where(r == 0, 1.0, r)
    return np.where(r == 0, t, out)


def _check(a0, delta, s, lam, phi, s_growth, loss, **more):
    out = (
        _positive("a0", a0),
        _nonnegative("delta", delta),
        _nonnegative("s", s),
        _finite("lam", lam),
        _finite("phi", phi),
        _finite("s_growth", s_growth),
        _nonnegative("loss", loss),
    )
    names = ("a0", "delta", "s", "lam", "phi", "s_growth", "loss")
    _broadcast(**more, **dict(zip(names, out, strict=True)))
    return out


def closed_form(
    t: ArrayLike,
    a0: ArrayLike,
    delta: ArrayLike,
    s: ArrayLike,
    lam: ArrayLike,
    phi: ArrayLike,
    *,
    s_growth: ArrayLike = 0.0,
    loss: ArrayLike = 0.0,
) -> np.ndarray | float:
    """A(t) for dA/dt = delta * S(t)^lam * A^phi - loss * A, S(t) = s * exp(s_growth * t).

    phi < 1: growth that slows (polynomial with constant effort, or a plateau with a loss);
    phi = 1: exponential; phi > 1: a finite-time blow-up (``inf`` from
    :func:`blowup_time` on). Parameters broadcast against each other and ``t``.

    Parameters
    ----------
    t : float or array
        Times, >= 0.
    a0 : float or array
        A(0) > 0.
    delta, s : float or array
        Research productivity and effort at t = 0, both >= 0.
    lam, phi : float or array
        Returns to effort and to the existing stock.
    s_growth : float or array, keyword-only
        Growth rate of the effort (0: constant effort).
    loss : float or array, keyword-only
        Fraction of the stock lost per unit of time, >= 0.

    Returns
    -------
    float or ndarray
        A(t); a float for scalar inputs.

    Examples
    --------
    >>> closed_form([0.0, 1.0], a0=1, delta=1, s=1, lam=1, phi=0)  # linear: A = 1 + t
    array([1., 2.])
    >>> float(closed_form(2.0, a0=1, delta=1, s=1, lam=1, phi=2))  # past the blow-up at t=1
    inf
    """
    t = _nonnegative("t", t)
    checked = _check(a0, delta, s, lam, phi, s_growth, loss, t=t)
    a0, delta, s, lam, phi, s_growth, loss = checked
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        c = delta * s**lam
        m = lam * s_growth
        one = np.abs(1.0 - phi) < _PHI_ONE
        # phi = 1: log A = log a0 + c * E(m, t) - loss * t
        log_a = np.log(a0) + c * _expm1_over(m, t) - loss * t
        exp_case = np.exp(log_a)
        # phi != 1: u = A^(1-phi) solves du/dt = (1-phi) (c e^{m t} - loss u)
        b = np.where(one, 1.0, 1.0 - phi)
        k = b * loss
        u = np.exp(-k * t) * (a0**b + b * c * _expm1_over(k + m, t))
        power = np.where(u > 0, np.abs(u) ** (1.0 / b), np.where(b < 0, np.inf, 0.0))
        out = np.where(one, exp_case, power)
    return float(out) if out.ndim == 0 else out


def blowup_time(
    a0: ArrayLike,
    delta: ArrayLike,
    s: ArrayLike,
    lam: ArrayLike,
    phi: ArrayLike,
    *,
    s_growth: ArrayLike = 0.0,
    loss: ArrayLike = 0.0,
) -> np.ndarray | float:
    """The time at which A(t) of :func:`closed_form` becomes infinite (``inf`` if never).

    Only phi > 1 can blow up: A^(1-phi) reaches zero when
    delta * s^lam * E(t) = a0^(1-phi) / (phi - 1), E(t) being the integral of
    exp((loss (1-phi) + lam s_growth) x) over [0, t]. A loss can postpone the blow-up for
    ever when the stock starts below a threshold.

    Examples
    --------
    >>> blowup_time(a0=1, delta=0.5, s=1, lam=1, phi=1.5)  # 1 / (0.5 * 0.5)
    4.0
    >>> blowup_time(a0=1, delta=1, s=1, lam=1, phi=0.5)
    inf
    """
    a0, delta, s, lam, phi, s_growth, loss = _check(a0, delta, s, lam, phi, s_growth, loss)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        c = delta * s**lam
        excess = np.where(phi > 1 + _PHI_ONE, phi - 1.0, np.nan)
        target = a0 ** (-excess) / (excess * c)  # E(T) must reach this
        r = lam * s_growth - excess * loss
        arg = 1.0 + r * target
        t_r = np.where(arg > 0, np.log1p(r * target) / np.where(r == 0, 1.0, r), np.inf)
        out = np.where(r == 0, target, t_r)
        out = np.where(np.isnan(excess) | (c == 0), np.inf, out)
    return float(out) if out.ndim == 0 else out


def integrate(
    rate: Callable[[np.ndarray, np.ndarray], np.ndarray],
    a0: ArrayLike,
    times: ArrayLike,
    *,
    substeps: int = 20,
    cap: float = 1e30,
) -> np.ndarray:
    """Solve dA/dt = rate(t, A) numerically, for many A at once (fixed-step RK4 on log A).

    Working on log A keeps exponential growth exact and polynomial growth smooth. A run
    that exceeds ``cap`` (or overflows) is marked ``inf`` from then on: the blow-up.

    Parameters
    ----------
    rate : callable
        ``rate(t, a)`` returns dA/dt, elementwise for an array ``a``.
    a0 : float or array
        Starting values, > 0; its shape is the shape of the batch.
    times : array
        Increasing output times, the first being the start.
    substeps : int
        RK4 steps between consecutive output times (>= 1; at most :data:`MAX_STEPS`
        steps in all).
    cap : float
        Values above it count as a blow-up (> 0; may be ``inf``).

    The output, ``len(times)`` times the batch, may hold at most :data:`MAX_CELLS`
    values.

    Returns
    -------
    ndarray
        Shape ``(len(times),) + shape of a0``.

    Examples
    --------
    >>> a = integrate(lambda t, a: a, 1.0, [0.0, 1.0])
    >>> round(float(a[-1]), 6)
    2.718282
    """
    if not callable(rate):
        raise TypeError(f"rate must be a function rate(t, a), got {_show(rate)}")
    a0 = _positive("a0", a0)
    times = _finite("times", times)
    if times.ndim != 1 or times.size < 1 or np.any(np.diff(times) <= 0):
        got = _show(times)
        raise ValueError(f"times must be a non-empty increasing 1-D array, got {got}")
    substeps = _count("substeps", substeps, 1)
    if substeps * (times.size - 1) > MAX_STEPS:
        raise ValueError(
            f"substeps * (len(times) - 1) must be <= {MAX_STEPS} RK4 steps, "
            f"got {substeps} * {times.size - 1}"
        )
    if times.size * a0.size > MAX_CELLS:
        got = f"{times.size} * {a0.size}"
        raise ValueError(f"len(times) * a0.size must be <= {MAX_CELLS}, got {got}")
    if isinstance(cap, (bool, np.bool_)) or not isinstance(cap, Real) or not cap > 0:
        raise ValueError(f"cap must be a number > 0, got {_show(cap)}")
    log_cap = np.log(cap)

    def slope(t: float, y: np.ndarray) -> np.ndarray:
        a = np.exp(y)
        return rate(t, a) / a

    y = np.log(a0).astype(float)
    out = np.empty((times.size,) + y.shape)
    out[0] = a0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for i in range(1, times.size):
            t0, h = times[i - 1], (times[i] - times[i - 1]) / substeps
            for j in range(int(substeps)):
                t = t0 + j * h
                k1 = slope(t, y)
                k2 = slope(t + h / 2, y + h / 2 * k1)
                k3 = slope(t + h / 2, y + h / 2 * k2)
                k4 = slope(t + h, y + h * k3)
                new = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
                # NaN comes from overflow on the way up or underflow on the way down
                new = np.where(np.isnan(new), np.where(y > 0, np.inf, -np.inf), new)
                y = np.where(new > log_cap, np.inf, new)
            out[i] = np.exp(y)
    return out
