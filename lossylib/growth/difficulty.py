"""How hard each problem is, and how skilled each agent: item-response models.

Given which agents got which problems right, these fit the models of item-response
theory that psychometrics uses for test takers and questions. In the Rasch model
(:func:`fit_skill_difficulty`) agent j gets problem i right with probability
``1 / (1 + exp(difficulty_i - skill_j))``; :func:`fit_slopes` then lets each agent react
to difficulty at its own steepness (Birnbaum's two-parameter model, with the Rasch
difficulties held fixed). In both, agents fail independently given skill and
difficulty: they are the baseline against which :mod:`~lossylib.growth.agents` measures
agents that fail on the same problems for other reasons.

Examples
--------
>>> import numpy as np
>>> right = np.array([[1, 1, 0], [1, 0, 0], [1, 1, 1]], dtype=bool)
>>> skill, difficulty = fit_skill_difficulty(right, cap=6.0)
>>> bool(skill[2] > skill[0] > skill[1]), float(difficulty[0])
(True, -6.0)
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from lossylib.checks import check_int, check_real, show


def as_solved(solved: ArrayLike) -> np.ndarray:
    """``solved`` as a boolean (agents, problems) array, or a one-line ``ValueError``.

    Examples
    --------
    >>> as_solved([[1, 0], [0, 1]]).dtype
    dtype('bool')
    """
    a = np.asarray(solved)
    if a.dtype != bool:
        if a.dtype.kind not in "iuf" or not np.isin(a, (0, 1)).all():
            raise ValueError(f"solved must hold True/False (or 0/1), got {show(solved)}")
        a = a.astype(bool)
    if a.ndim != 2 or 0 in a.shape:
        raise ValueError(
            f"solved must be a 2-D array (agents, problems) with at least one of each, "
            f"got shape {a.shape}"
        )
    return a


def fit_skill_difficulty(
    solved: ArrayLike, iterations: int = 100, cap: float = 12.0
) -> tuple[np.ndarray, np.ndarray]:
    """Fit a Rasch model to ``solved``: agent j gets problem i right with probability
    ``1 / (1 + exp(difficulty_i - skill_j))``, independently given the two. Returns
    (skill per agent, difficulty per problem), by joint maximum likelihood
    (``iterations`` alternating Newton steps, values held within +-``cap``, so a problem
    every agent solves gets difficulty ``-cap``).

    In this model agents differ only in skill and problems only in difficulty: it keeps
    uneven difficulty, and drops everything that makes two agents fail on the *same*
    hard problems beyond that (:meth:`~lossylib.growth.agents.AgentRuns.null` draws
    teams from it, after :func:`fit_slopes` gives each agent its own slope).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> hard = np.linspace(-3, 3, 400)
    >>> right = rng.random((60, 400)) < 1 / (1 + np.exp(hard))
    >>> skill, difficulty = fit_skill_difficulty(right)
    >>> bool(np.corrcoef(difficulty, hard)[0, 1] > 0.95)
    True
    """
    y = as_solved(solved).astype(float)
    iterations = check_int(iterations, "iterations", 1, 10_000)
    cap = check_real(cap, "cap", low=0, low_open=True)
    skill, difficulty = np.zeros(y.shape[0]), np.zeros(y.shape[1])

    def step(axis: int) -> np.ndarray:
        p = 1 / (1 + np.exp(difficulty[None, :] - skill[:, None]))
        return (y - p).sum(axis=axis) / np.maximum((p * (1 - p)).sum(axis=axis), 1e-12)

    for _ in range(iterations):
        skill = np.clip(skill + step(1), -cap, cap)
        difficulty = np.clip(difficulty - step(0), -cap, cap)
    return skill, difficulty


def fit_slopes(
    solved: ArrayLike, difficulty: ArrayLike, iterations: int = 50
) -> tuple[np.ndarray, np.ndarray]:
    """Give each agent its own sensitivity to difficulty: fit ``P(right) = 1 / (1 +
    exp(-(level_j - slope_j * difficulty_i)))`` to each agent's row of ``solved`` by
    logistic regression on the given ``difficulty`` (as from
    :func:`fit_skill_difficulty`). Returns (level, slope) per agent; slopes are kept
    within [0.05, 20] (a row that difficulty separates perfectly would push them to
    infinity). The Rasch model is the case of slope 1 for every agent.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> hard = np.linspace(-4, 4, 2000)
    >>> right = rng.random((2, 2000)) < 1 / (1 + np.exp(-(1.0 - np.array([[0.5], [2.0]]) * hard)))
    >>> level, slope = fit_slopes(right, hard)
    >>> slope.round(1).tolist()
    [0.5, 2.0]
    """
    y = as_solved(solved).astype(float)
    b = np.asarray(difficulty, dtype=float)
    if b.shape != (y.shape[1],) or not np.isfinite(b).all():
        raise ValueError(
            f"difficulty must be {y.shape[1]} finite numbers (one per problem), got "
            f"{show(difficulty)}"
        )
    iterations = check_int(iterations, "iterations", 1, 10_000)
    level, slope = np.zeros(len(y)), np.ones(len(y))
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-(level[:, None] - slope[:, None] * b[None, :])))
        r, w = y - p, p * (1 - p) + 1e-12
        # Newton step on (level, slope): gradient and the 2 x 2 information per agent
        g1, g2 = r.sum(1), -(r * b).sum(1)
        h11, h12, h22 = w.sum(1), -(w * b).sum(1), (w * b * b).sum(1)
        det = h11 * h22 - h12 * h12
        level = level + (h22 * g1 - h12 * g2) / det
        slope = np.clip(slope + (h11 * g2 - h12 * g1) / det, 0.05, 20.0)
    return level, slope
