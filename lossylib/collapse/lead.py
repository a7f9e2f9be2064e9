"""How many generations ahead of a reference loop another loop stands.

A loop that has lost more than plain sampling stands some generations ahead of it: plain
sampling gets as low only later. :func:`generations_ahead` measures that lead at one
generation; a policy that stays ahead at every generation brings every level of loss
sooner. How the lead changes over time also depends on the shape of what is left, not
only on how much, so a growing lead alone does not show that a policy acts again.

Examples
--------
>>> import numpy as np
>>> plain = np.array([100.0, 80.0, 60.0, 40.0, 20.0])
>>> generations_ahead(plain, [60.0, 50.0], at=1)  # at generation 1, two runs
array([1. , 1.5])
"""

from __future__ import annotations

import math

import numpy as np

from lossylib.checks import as_float_array, check_int

from ._validate import check_entries


def generations_ahead(reference: object, values: object, at: int) -> np.ndarray:
    """How many generations ahead of a falling ``reference`` curve each run stands.

    A run that has ``value`` left at generation ``at`` is ``g - at`` generations ahead,
    where ``g`` is the first generation at which the reference has fallen to ``value``
    (linearly interpolated between whole generations). A negative lead means the run is
    behind; a value at or above the reference's start gives ``-at`` (the run is at least
    that far behind: the reference never stood higher). A reference that never falls that
    low within its horizon gives ``inf``: the lead is then more than
    ``len(reference) - 1 - at`` generations.

    Parameters
    ----------
    reference : array of shape (G,)
        The reference loop's measure (e.g. the mean count of tokens still possible) at
        generations 0 to G - 1; finite, non-negative and never rising.
    values : float or array
        The other loop's measure at generation ``at``, one value per run (finite, 0 or
        more).
    at : int
        The generation the values were taken at (0 or more).

    Returns
    -------
    numpy.ndarray
        The lead of each value, in generations (``inf`` beyond the reference's horizon).

    Examples
    --------
    >>> generations_ahead([10.0, 5.0, 2.0], [10.0, 1.0], at=1)
    array([-1., inf])
    """
    ref = as_float_array(reference, "reference")
    if ref.ndim != 1 or ref.size == 0:
        raise ValueError(f"reference must be a non-empty 1-D curve, got shape {ref.shape}")
    check_entries(ref, "reference")
    rise = np.flatnonzero(np.diff(ref) > 0)
    if rise.size:
        g = int(rise[0]) + 1
        raise ValueError(f"reference must never rise, rises at generation {g}")
    vals = np.atleast_1d(as_float_array(values, "values"))
    check_entries(vals, "values")
    at = check_int(at, "at", 0)
    out = np.empty(vals.shape)
    for i, v in np.ndenumerate(vals):
        reached = np.flatnonzero(ref <= v)
        if reached.size == 0:
            out[i] = math.inf
            continue
        g = int(reached[0])
        if g == 0:
            out[i] = -at
            continue
        step = ref[g - 1] - ref[g]
        out[i] = g - 1 + (ref[g - 1] - v) / step - at
    return out
