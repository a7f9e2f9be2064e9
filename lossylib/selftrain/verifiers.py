"""Verifiers: which attempts a self-training loop keeps.

``"perfect"``
    keeps exactly the right answers (a checker that knows how to add);
a number ``a`` in [0, 1]
    keeps every right answer and each wrong one with probability ``a`` (its false-accept
    rate); ``0`` is the perfect verifier and ``1`` keeps everything;
``"none"``
    keeps every attempt (no filter; the same as a false-accept rate of 1);
``"skip-carry"``
    a checker with a blind spot: it checks every digit written but not the final carry
    (whether the answer has a leading 1 at all), so it keeps every attempt whose digits
    are right. Its false-accept rate is not set: it is the share of
    wrong attempts that are wrong only in the final carry;
``"self"``
    the policy judges itself: within each level it keeps the attempts it was most
    confident of (highest log-probability of its own trace), a fraction ``self_keep``.
    It never looks at the answer, so it brings in no information from outside.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> correct = np.array([True, False, True, False])
>>> keep(correct, np.zeros(4), np.ones(4, int), 0.0, rng).tolist()
[True, False, True, False]
>>> false_accept_rate("none"), false_accept_rate("perfect"), false_accept_rate(0.2)
(1.0, 0.0, 0.2)
>>> digits_right = np.array([True, True, True, False])  # the second: only its carry wrong
>>> keep(correct, np.zeros(4), np.ones(4, int), "skip-carry", rng, digits_right=digits_right)
array([ True,  True,  True, False])
"""

from __future__ import annotations

from numbers import Real

import numpy as np

from lossylib.checks import check_real

from .addition import check_rng

NAMED = ("perfect", "none", "self", "skip-carry")


def check_verifier(verifier: object) -> str | float:
    """``verifier`` as one of :data:`NAMED` or a float in [0, 1], or a one-line error."""
    if isinstance(verifier, str):
        if verifier not in NAMED:
            raise ValueError(
                f"verifier must be one of {NAMED} or a false-accept rate in [0, 1], "
                f"got {verifier!r}"
            )
        return verifier
    if isinstance(verifier, bool) or not isinstance(verifier, Real):
        raise ValueError(
            f"verifier must be one of {NAMED} or a false-accept rate in [0, 1], got {verifier!r}"
        )
    return check_real(verifier, "verifier (false-accept rate)", low=0.0, high=1.0)


def false_accept_rate(verifier: object) -> float | None:
    """The verifier's false-accept rate, or ``None`` for ``"self"`` and ``"skip-carry"``
    (their rates are not set: they depend on the attempts)."""
    v = check_verifier(verifier)
    if v in ("self", "skip-carry"):
        return None
    return {"perfect": 0.0, "none": 1.0}.get(v, v) if isinstance(v, str) else float(v)


def keep(
    correct: np.ndarray,
    logp: np.ndarray,
    levels: np.ndarray,
    verifier: object,
    rng: np.random.Generator,
    self_keep: float = 0.5,
    *,
    digits_right: np.ndarray | None = None,
) -> np.ndarray:
    """Which attempts the verifier accepts (a boolean mask).

    One uniform number is drawn per attempt whatever the verifier, so runs that differ
    only in the verifier share their random stream, and a false-accept rate of 1 gives
    exactly the run with no filter.

    Parameters
    ----------
    correct : bool array (n,)
        Whether each attempt is right (the verifier's ground truth).
    logp : array (n,)
        The policy's log-probability of each attempt (used by ``"self"`` only; no NaN).
    levels : int array (n,)
        The level of each attempt (``"self"`` ranks within a level).
    verifier : str or float
        See the module docstring.
    rng : numpy.random.Generator
        The source of the uniform numbers.
    self_keep : float
        The fraction of each level that ``"self"`` keeps, in (0, 1].
    digits_right : bool array (n,), optional
        Whether each attempt's digits are right, its final carry aside (needed by
        ``"skip-carry"`` only).
    """
    v = check_verifier(verifier)
    self_keep = check_real(self_keep, "self_keep", low=0.0, high=1.0, low_open=True)
    correct = np.asarray(correct)
    if correct.ndim != 1:
        raise ValueError(f"correct must be a 1-d array, got shape {correct.shape}")
    if correct.size and correct.dtype != bool:
        raise TypeError(f"correct must hold booleans, got dtype {correct.dtype}")
    correct = correct.astype(bool)
    logp, levels = np.asarray(logp), np.asarray(levels)
    for name, x in (("logp", logp), ("levels", levels)):
        if x.shape != correct.shape:
            n = correct.size
            raise ValueError(f"{name} must have {n} entries, got shape {x.shape}")
        if x.size and x.dtype.kind not in "iuf":
            raise TypeError(f"{name} must hold numbers, got dtype {x.dtype}")
    if np.any(np.isnan(logp)):
        raise ValueError("logp must not contain NaN")
    if v == "skip-carry":
        if digits_right is None:
            raise ValueError("the 'skip-carry' verifier needs digits_right")
        digits_right = np.asarray(digits_right)
        if digits_right.shape != correct.shape or digits_right.dtype != bool:
            raise ValueError(
                f"digits_right must be {correct.size} booleans, got shape "
                f"{digits_right.shape} and dtype {digits_right.dtype}"
            )
    check_rng(rng)
    u = rng.random(correct.shape[0])
    if v == "skip-carry":
        return correct | digits_right
    if v == "self":
        mask = np.zeros(correct.shape[0], dtype=bool)
        for lv in np.unique(levels):
            idx = np.flatnonzero(levels == lv)
            n_keep = int(np.ceil(self_keep * idx.size))
            # ties (equal confidence) are broken by the uniform draw
            order = np.lexsort((u[idx], -logp[idx]))
            mask[idx[order[:n_keep]]] = True
        return mask
    rate = false_accept_rate(v)
    return correct | (u < rate)
