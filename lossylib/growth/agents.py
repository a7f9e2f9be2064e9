"""Parallel agents on real data: do copies of one model fail on the same problems?

The redundancy model of :mod:`~lossylib.growth.search` draws ideas from a Zipf
distribution, so copies of one model repeat each other by construction. This module
measures redundancy on real data instead. Each agent is a scikit-learn classifier trained
on its own bootstrap sample of one half of the bundled handwritten digits; the other
half are the problems. A problem is solved once any agent gets it right (the coverage, or
pass@N, of repeated attempts).

If the agents' mistakes were independent, each new agent would solve the problems still
unsolved at its own overall accuracy. Agents that fail on the same problems solve fewer.
:func:`repeat_share` is the share of those expected new solves that does not happen: 0
for independent agents, whatever their accuracy, and growing as the agents' failures
overlap. Shuffling each agent's results across problems (:func:`shuffled`) keeps every
agent's accuracy and breaks the overlap, so it is the control that reads about 0.

Examples
--------
>>> import numpy as np
>>> twins = np.array([[1, 1, 0, 0], [1, 1, 0, 0]], dtype=bool)  # the same failures
>>> repeat_share(twins).round(2).tolist()  # the second expected 1 new solve, found 0
[0.0, 0.33]
>>> apart = np.array([[1, 1, 0, 0], [0, 0, 1, 1]], dtype=bool)  # opposite failures
>>> repeat_share(apart).round(2).tolist()  # more new solves than independence gives
[0.0, -0.33]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike

from lossylib.checks import check_int, show

#: The kinds of agent, each a scikit-learn classifier (see :func:`make_agent`).
KINDS = (
    "decision tree",
    "3 nearest neighbours",
    "naive Bayes",
    "ridge",
    "linear discriminant",
)


def make_agent(kind: str, seed: int = 0):
    """A fresh, unfitted classifier of ``kind`` (one of :data:`KINDS`); ``seed`` seeds
    the kinds that draw random numbers (the decision tree).

    Examples
    --------
    >>> type(make_agent("ridge")).__name__
    'RidgeClassifier'
    """
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
    from sklearn.linear_model import RidgeClassifier
    from sklearn.naive_bayes import GaussianNB
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.tree import DecisionTreeClassifier

    makers = {
        "decision tree": lambda: DecisionTreeClassifier(random_state=seed),
        "3 nearest neighbours": lambda: KNeighborsClassifier(3),
        "naive Bayes": lambda: GaussianNB(),
        "ridge": lambda: RidgeClassifier(),
        "linear discriminant": lambda: LinearDiscriminantAnalysis(solver="lsqr"),
    }
    if kind not in makers:
        raise ValueError(f"unknown agent kind {kind!r}; choose from {list(KINDS)}")
    return makers[kind]()


def _solved(solved: ArrayLike) -> np.ndarray:
    """``solved`` as a boolean (agents, problems) array, or a one-line ``ValueError``."""
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


def repeat_share(solved: ArrayLike) -> np.ndarray:
    """For the first k agents, k = 1 .. N: the share of the new solves that independent
    agents of the same accuracies would add that these agents do not add.

    ``solved`` is a boolean (agents, problems) array: whether each agent gets each
    problem right, agents in the order they join. Agent j, joining when the set U of
    problems is still unsolved, is expected to solve ``accuracy_j * |U|`` of them if its
    mistakes are independent of the others'; it solves ``|right_j & U|``. The share is
    1 - (found / expected), summed over the first k agents. The first agent always finds
    what is expected (0); positive values mean the agents fail on the same problems,
    negative ones that they fail on different problems more than by chance. Nothing
    expected gives 0.

    Examples
    --------
    >>> copies = np.array([[1, 1, 1, 0]] * 3, dtype=bool)  # identical agents
    >>> repeat_share(copies).round(2).tolist()
    [0.0, 0.2, 0.33]
    """
    right = _solved(solved)
    unsolved = np.ones(right.shape[1], dtype=bool)
    found = np.zeros(len(right))
    expected = np.zeros(len(right))
    for j, row in enumerate(right):
        found[j] = np.count_nonzero(row & unsolved)
        expected[j] = row.mean() * np.count_nonzero(unsolved)
        unsolved &= ~row
    found, expected = np.cumsum(found), np.cumsum(expected)
    share = np.zeros(len(right))
    np.divide(expected - found, expected, out=share, where=expected > 0)
    return share


def shuffled(solved: ArrayLike, seed: int = 0) -> np.ndarray:
    """``solved`` with each agent's results shuffled across the problems: every agent
    keeps its accuracy, and the agents' failures fall independently (the control).

    Examples
    --------
    >>> s = shuffled(np.array([[1, 1, 0, 0], [1, 0, 0, 0]], dtype=bool), seed=1)
    >>> s.sum(axis=1).tolist()
    [2, 1]
    """
    right = _solved(solved)
    rng = np.random.default_rng(check_int(seed, "seed", 0))
    return np.array([rng.permutation(row) for row in right])


def _digits() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits

    x, y = load_digits(return_X_y=True)
    return x / 16.0, y


def agents_solved(kinds: Sequence[str], *, split: int = 0, seed: int = 0) -> np.ndarray:
    """Which test digits each agent gets right: a boolean (agents, problems) array.

    The digits are split in half at random (``split`` seeds the split, an integer >= 0);
    agent j is a ``kinds[j]`` classifier (one of :data:`KINDS`) trained on its own
    bootstrap sample of the training half and scored on every digit of the other half.
    ``seed`` (an integer >= 0) draws the bootstrap samples.

    Examples
    --------
    >>> right = agents_solved(["naive Bayes", "ridge"])
    >>> right.shape, bool(right.mean() > 0.7)
    ((2, 899), True)
    """
    from threadpoolctl import threadpool_limits

    if isinstance(kinds, str) or not isinstance(kinds, Sequence) or not kinds:
        raise ValueError(f"kinds must be a non-empty list of agent kinds, got {show(kinds)}")
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown agent kind {unknown[0]!r}; choose from {list(KINDS)}")
    split = check_int(split, "split", 0)
    rng = np.random.default_rng([check_int(seed, "seed", 0), split])
    x, y = _digits()
    order = np.random.default_rng(split).permutation(len(y))
    train, test = order[: len(y) // 2], order[len(y) // 2 :]
    rows = []
    with threadpool_limits(limits=1):  # many small fits: threads only add overhead
        for kind in kinds:
            pick = train[rng.integers(0, len(train), len(train))]
            model = make_agent(kind, int(rng.integers(2**31))).fit(x[pick], y[pick])
            rows.append(model.predict(x[test]) == y[test])
    return np.array(rows)


@dataclass(frozen=True)
class AgentRuns:
    """:func:`repeat_share` curves over ``splits`` random splits of the digits.

    ``copies[kind]``, ``independent[kind]`` (the same agents shuffled) and ``mixed``
    (agents of every kind in turn, in an order drawn per split) are (splits, agents)
    arrays; entry [s, k - 1] is the share for the first k agents in split s.
    ``accuracy[kind]`` is the kind's mean accuracy over its agents and splits, and
    ``mixed_accuracy`` that of the mixed agents.
    """

    agents: int
    splits: int
    copies: dict[str, np.ndarray]
    independent: dict[str, np.ndarray]
    mixed: np.ndarray
    accuracy: dict[str, float]
    mixed_accuracy: float

    def mean_copies(self) -> np.ndarray:
        """(splits, agents): the copies' share averaged over the kinds, per split."""
        return np.mean(list(self.copies.values()), axis=0)

    def mean_independent(self) -> np.ndarray:
        """(splits, agents): the shuffled control averaged over the kinds, per split."""
        return np.mean(list(self.independent.values()), axis=0)


def agent_runs(agents: int = 16, splits: int = 8, seed: int = 0) -> AgentRuns:
    """Run :func:`agents_solved` for ``agents`` copies of each kind and for ``agents``
    agents of mixed kinds, on ``splits`` splits of the digits, and measure
    :func:`repeat_share` for each (cached: the same arguments share one run). ``agents``
    is 1 to 256, ``splits`` 1 to 100 and ``seed`` an integer >= 0.

    Examples
    --------
    >>> runs = agent_runs(agents=4, splits=2)
    >>> runs.mean_copies().shape
    (2, 4)
    """
    agents = check_int(agents, "agents", 1, 256)
    splits = check_int(splits, "splits", 1, 100)
    return _agent_runs(agents, splits, check_int(seed, "seed", 0))


@lru_cache(maxsize=8)
def _agent_runs(agents: int, splits: int, seed: int) -> AgentRuns:
    kinds = list(KINDS)
    copies = {k: np.zeros((splits, agents)) for k in kinds}
    independent = {k: np.zeros((splits, agents)) for k in kinds}
    mixed = np.zeros((splits, agents))
    right_total = dict.fromkeys(kinds, 0.0)
    mixed_total = 0.0
    for s in range(splits):
        for i, kind in enumerate(kinds):
            right = agents_solved([kind] * agents, split=s, seed=seed + i)
            right_total[kind] += right.mean()
            copies[kind][s] = repeat_share(right)
            independent[kind][s] = repeat_share(shuffled(right, seed=seed + s))
        turn = np.random.default_rng([seed, s, len(kinds)]).permutation(kinds).tolist()
        order = [turn[j % len(turn)] for j in range(agents)]
        right = agents_solved(order, split=s, seed=seed + len(kinds))
        mixed_total += right.mean()
        mixed[s] = repeat_share(right)
    accuracy = {k: float(v / splits) for k, v in right_total.items()}
    return AgentRuns(agents, splits, copies, independent, mixed, accuracy, mixed_total / splits)
