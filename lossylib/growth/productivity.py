"""Research productivity: ideas per researcher falling at a constant rate.

Bloom, Jones, Van Reenen & Webb (2020) measure research productivity as idea output (a
growth rate, e.g. of chip density or of total factor productivity) per effective
researcher. If it falls at a constant rate ``decline``, the research effort must grow at
that same rate just to keep the idea output constant. In the semi-endogenous model
dA/dt = delta S^lambda A^phi with phi < 1 that is exactly what a balanced growth path
looks like: growth g = lambda n / (1 - phi) with effort growing at n, and productivity
g / S falling at rate n.

Examples
--------
>>> round(decline_rate(18, 2014 - 1971), 3)  # Moore's law: 18x the researchers in 43 years
0.067
>>> round(doubling_time(0.05), 1)  # effort must double this often (years) at a 5% decline
13.9
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike

from lossylib.growth.model import (
    _broadcast,
    _check,
    _finite,
    _nonnegative,
    _positive,
    _show,
    closed_form,
)

#: Published figures from Bloom, Jones, Van Reenen & Webb (2020), quoted, not computed.
BLOOM2020 = {
    "us_decline": 0.05,  # research productivity, US aggregate, per year ("about 5%")
    "us_effort_multiple": 23.0,  # effective researchers, 1930s to the 2010s
    "moore_decline": 0.068,  # research productivity behind Moore's law, per year
    "moore_effort_multiple": 18.0,  # researchers, early 1970s (1971) to 2014
    "moore_first_year": 1971,
    "moore_last_year": 2014,
    "moore_growth": 0.35,  # growth of chip density, per year
}

#: Yearly decline of research productivity in the case studies of Bloom et al. (2020),
#: as the paper's text states them (quoted, not re-estimated: the raw series are not
#: shipped). Positive numbers are declines.
BLOOM2020_CASES = {
    "US economy (TFP)": 0.05,
    "Moore's law (chip density)": 0.068,
    "seed yields (US crops)": 0.05,
    "manufacturing firms (Census)": 0.08,
}


def case_summary(cases: dict[str, float]) -> dict[str, float]:
    """Mean, standard error, range and sign counts of yearly productivity declines by case.

    Examples
    --------
    >>> s = case_summary({"a": 0.04, "b": 0.06})
    >>> round(s["mean_decline"], 3), s["cases_declining"], s["cases"]
    (0.05, 2, 2)
    """
    if not isinstance(cases, Mapping) or not cases:
        raise ValueError(f"cases must name at least one case study, got {_show(cases)}")
    x = _finite("the declines in cases", list(cases.values()))
    se = float(x.std(ddof=1) / np.sqrt(x.size)) if x.size > 1 else float("nan")
    return {
        "cases": int(x.size),
        "cases_declining": int((x > 0).sum()),
        "mean_decline": float(x.mean()),
        "se_decline": se,
        "smallest_decline": float(x.min()),
        "largest_decline": float(x.max()),
    }


def decline_rate(multiple: float, years: float) -> float:
    """The constant yearly rate at which productivity falls if effort had to grow
    ``multiple``-fold over ``years`` years to keep idea output constant: log(multiple)/years.

    Examples
    --------
    >>> round(decline_rate(math.e, 10), 3)
    0.1
    """
    multiple = float(_positive("multiple", multiple, scalar=True))
    years = float(_positive("years", years, scalar=True))
    return math.log(multiple) / years


def effort_multiple(decline: ArrayLike, years: ArrayLike) -> np.ndarray | float:
    """How many times the research effort must grow over ``years`` to hold idea output
    constant while productivity falls at ``decline`` a year: exp(decline * years).

    Examples
    --------
    >>> round(float(effort_multiple(0.068, 43)), 1)
    18.6
    """
    decline, years = _nonnegative("decline", decline), _nonnegative("years", years)
    with np.errstate(over="ignore"):  # inf: more than a float can hold
        out = np.exp(decline * years)
    return float(out) if out.ndim == 0 else out


def doubling_time(decline: float) -> float:
    """Years in which the effort must double to offset a productivity ``decline`` a year.

    Examples
    --------
    >>> round(doubling_time(0.068), 1)
    10.2
    """
    decline = float(_positive("decline", decline, scalar=True))
    return math.log(2) / decline


def balanced_growth(lam: ArrayLike, phi: ArrayLike, effort_growth: ArrayLike):
    """Long-run growth of A in the semi-endogenous model: lam * n / (1 - phi), for phi < 1.

    Examples
    --------
    >>> balanced_growth(lam=1.0, phi=0.5, effort_growth=0.02)
    0.04
    """
    lam = _finite("lam", lam)
    phi = _finite("phi", phi)
    n = _finite("effort_growth", effort_growth)
    _broadcast(lam=lam, phi=phi, effort_growth=n)
    if np.any(phi >= 1):
        got = _show(phi)
        raise ValueError(f"phi must be < 1 for a balanced growth path, got {got}")
    out = lam * n / (1.0 - phi)
    return float(out) if out.ndim == 0 else out


def growth_rate(
    t: ArrayLike,
    *,
    a0: float = 1.0,
    delta: float = 0.05,
    s: float = 1.0,
    lam: float = 1.0,
    phi: float = 0.5,
    s_growth: float = 0.0,
) -> np.ndarray | float:
    """The growth rate (dA/dt) / A = delta S(t)^lam A(t)^(phi - 1) along the closed form.

    With phi < 1 and constant effort it falls towards zero: each step is harder.

    Examples
    --------
    >>> g = growth_rate([0.0, 100.0], phi=0.5)
    >>> bool(g[1] < g[0])
    True
    """
    t = _nonnegative("t", t)
    checked = _check(a0, delta, s, lam, phi, s_growth, 0.0, t=t)
    a0, delta, s, lam, phi, s_growth, _ = checked
    a = closed_form(t, a0, delta, s, lam, phi, s_growth=s_growth)
    s_t = _positive("s", s) * np.exp(s_growth * t)
    out = delta * s_t**lam * np.asarray(a) ** (phi - 1.0)
    return float(out) if np.ndim(out) == 0 else out


def research_productivity(growth: ArrayLike, effort: ArrayLike) -> np.ndarray:
    """Idea output per researcher: ``growth / effort`` (both per year, elementwise).

    Examples
    --------
    >>> research_productivity([0.02, 0.02], [1.0, 2.0])
    array([0.02, 0.01])
    """
    return _finite("growth", growth) / _positive("effort", effort)
