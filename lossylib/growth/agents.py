"""Parallel agents on real data: do copies of one model fail on the same problems?

The redundancy model of :mod:`~lossylib.growth.search` draws ideas from a Zipf
distribution, so copies of one model repeat each other by construction. This module
measures redundancy on real data instead. Each agent is a scikit-learn classifier trained
on its own bootstrap sample of one half of the bundled handwritten digits; the other
half are the problems. A problem is solved once any agent gets it right (the coverage, or
pass@N, of repeated attempts).

If the agents' mistakes were independent, each agent after the first would solve the
problems still unsolved at its own overall accuracy. Agents that fail on the same
problems solve fewer. :func:`missed_share` is the share of those expected new solves that
does not happen: 0 for independent agents, whatever their accuracy, and 1 for identical
copies, whatever their accuracy. The control (:func:`shuffled`) keeps every agent's
accuracy and shuffles its answers across the problems, which makes the mistakes
independent: it reads about 0, which checks the measure. Uneven difficulty alone makes
agents fail together, so the real baseline is a null model in which agents differ only
in skill and in how steeply they react to difficulty, and digits only in difficulty
(:mod:`~lossylib.growth.difficulty`): what copies
miss beyond it is their being alike. A team of every kind in turn
(:meth:`AgentRuns.mixed`) is the other comparison.
The same runs on a subset of the digits (``indices``, :func:`agent_runs_on`) check the
standard errors over splits on disjoint halves of the digits
(:func:`lossylib.resampling.disjoint_halves`).

Examples
--------
>>> import numpy as np
>>> twins = np.array([[1, 1, 0, 0], [1, 1, 0, 0]], dtype=bool)  # the same failures
>>> float(missed_share(twins))  # the second expected 1 new solve and found none
1.0
>>> apart = np.array([[1, 1, 0, 0], [0, 0, 1, 1]], dtype=bool)  # opposite failures
>>> float(missed_share(apart))  # it found 2: more than independence gives
-1.0
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

import numpy as np
from numpy.typing import ArrayLike

from lossylib.checks import check_bool, check_indices, check_int, show
from lossylib.growth.difficulty import as_solved, fit_skill_difficulty, fit_slopes
from lossylib.resampling import resampled_se  # noqa: F401 - part of this module's API

#: The kinds of agent, each a scikit-learn classifier (see :func:`make_agent`).
KINDS = (
    "decision tree",
    "3 nearest neighbours",
    "naive Bayes",
    "ridge",
    "linear discriminant",
)


#: Tags, the first entry of every seed, that keep the random streams of different
#: purposes apart.
BOOTSTRAP, SHUFFLE, NULL, SPLIT = 1, 2, 3, 4
#: How many teams :meth:`AgentRuns.null` draws per split.
NULL_DRAWS = 4


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


def new_solves(solved: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """How many new problems each agent solves, and how many it would be expected to
    solve if its mistakes were independent of the agents' before it.

    ``solved`` is a boolean (agents, problems) array: whether each agent gets each
    problem right, agents in the order they join. Agent j, joining when the set U of
    problems is still unsolved, finds ``|right_j & U|`` and is expected to find
    ``accuracy_j * |U|``: its accuracy over all problems is its chance on any one of
    them if its mistakes are independent of the others'. The first agent finds what is
    expected.

    Examples
    --------
    >>> found, expected = new_solves(np.array([[1, 1, 1, 0]] * 2, dtype=bool))
    >>> found.tolist(), expected.tolist()
    ([3.0, 0.0], [3.0, 0.75])
    """
    right = as_solved(solved)
    unsolved = np.ones(right.shape[1], dtype=bool)
    found = np.zeros(len(right))
    expected = np.zeros(len(right))
    for j, row in enumerate(right):
        found[j] = np.count_nonzero(row & unsolved)
        expected[j] = row.mean() * np.count_nonzero(unsolved)
        unsolved &= ~row
    return found, expected


def missed_share(solved: ArrayLike, first: int = 2, last: int | None = None) -> float:
    """The share of the expected new solves that agents ``first`` to ``last`` (counted
    from 1, both included; ``last`` defaults to the last agent) do not find.

    0 when the agents' mistakes are independent (on average), 1 when every one of these
    agents repeats earlier agents' failures exactly (identical copies), below 0 when
    they fail on different problems more than chance would have it. The first agent
    always finds what is expected, so it is left out by default. Nothing expected (the
    problems are all solved, or the agents never right) gives nan: there was nothing
    to repeat.

    Examples
    --------
    >>> copies = np.array([[1, 1, 1, 0]] * 3, dtype=bool)  # identical agents
    >>> missed_share(copies), round(missed_share(copies, first=1), 2)
    (1.0, 0.33)
    """
    found, expected = new_solves(solved)
    n = len(found)
    last = n if last is None else check_int(last, "last", 1, n)
    first = check_int(first, "first", 1, last)
    e = expected[first - 1 : last].sum()
    return float(1 - found[first - 1 : last].sum() / e) if e > 0 else float("nan")


def missed_curve(solved: ArrayLike) -> np.ndarray:
    """:func:`missed_share` of agents 2 to k for every k = 1 .. N (nan at k = 1, and
    wherever nothing is expected yet).

    Examples
    --------
    >>> missed_curve(np.array([[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 1]], dtype=bool))
    array([nan,  1.,  0.])
    """
    found, expected = new_solves(solved)
    f, e = np.cumsum(found[1:]), np.cumsum(expected[1:])
    curve = np.full(len(e), np.nan)
    np.divide(e - f, e, out=curve, where=e > 0)
    return np.concatenate([[np.nan], curve])


def split_means(
    per_split: Sequence[Sequence[np.ndarray]], share: Callable[[np.ndarray], float]
) -> np.ndarray:
    """For each split, the mean of ``share(team)`` over its teams (as from
    :meth:`AgentRuns.teams`), leaving out teams for which it is nan (nothing was left to
    miss); nan for a split where every team is.

    Examples
    --------
    >>> twins = np.array([[1, 1, 0, 0], [1, 1, 0, 0]], dtype=bool)
    >>> split_means([[twins, ~twins], [twins]], missed_share).tolist()
    [1.0, 1.0]
    """
    out = []
    for teams in per_split:
        values = [v for v in (share(t) for t in teams) if np.isfinite(v)]
        out.append(float(np.mean(values)) if values else float("nan"))
    return np.array(out)


def _entropy(seed: object, name: str = "seed") -> list[int]:
    """An integer >= 0 or a tuple of them, as a list for ``np.random.default_rng``."""
    items = list(seed) if isinstance(seed, tuple) and seed else [seed]
    return [check_int(v, name, 0) for v in items]


def shuffled(solved: ArrayLike, seed: int | tuple = 0) -> np.ndarray:
    """``solved`` with each agent's results shuffled across the problems: every agent
    keeps its accuracy, and its failures fall independently of the other agents' (the
    control). ``seed`` is an integer >= 0 or a tuple of them.

    Examples
    --------
    >>> right = np.array([[1, 1, 0, 0], [1, 0, 1, 0]], dtype=bool)
    >>> shuffled(right, seed=1).sum(axis=1).tolist()
    [2, 2]
    """
    right = as_solved(solved)
    rng = np.random.default_rng([SHUFFLE, *_entropy(seed)])
    return np.array([rng.permutation(row) for row in right])


@lru_cache(maxsize=1)
def _digits() -> tuple[np.ndarray, np.ndarray]:
    """The digits (pixels scaled to [0, 1]) and their labels, read once (read-only)."""
    from sklearn.datasets import load_digits

    x, y = load_digits(return_X_y=True)
    x = x / 16.0
    x.setflags(write=False)
    y.setflags(write=False)
    return x, y


def digit_count() -> int:
    """How many digits there are: ``indices`` are below this.

    Examples
    --------
    >>> digit_count()
    1797
    """
    return len(_digits()[1])


#: The fewest digits :func:`agents_solved` accepts as ``indices`` (about ten a class).
#: Below about 300, some bootstrap samples hold a single digit of a class (or none), and
#: the linear discriminant warns.
MIN_DIGITS = 100


def agents_solved(
    kinds: Sequence[str],
    *,
    split: int | tuple = 0,
    seed: int | tuple = 0,
    indices: ArrayLike | None = None,
) -> np.ndarray:
    """Which test digits each agent gets right: a boolean (agents, problems) array.

    The digits are split in half at random (``split`` seeds the split, an integer >= 0
    or a tuple of them); agent j is a ``kinds[j]`` classifier (one of :data:`KINDS`)
    trained on its own bootstrap sample of the training half and scored on every digit
    of the other half. ``seed`` (an integer >= 0, or a tuple of them) draws the bootstrap
    samples. ``indices`` (distinct integers, at least :data:`MIN_DIGITS`) restricts all
    of this to those digits: their set, not their order, decides the split (``None``,
    the default, is every digit).

    Examples
    --------
    >>> right = agents_solved(["naive Bayes", "ridge"])
    >>> right.shape, bool(right.mean() > 0.7)
    ((2, 899), True)
    >>> agents_solved(["ridge"], indices=np.arange(0, 1797, 2)).shape  # 899 digits
    (1, 450)
    """
    from threadpoolctl import threadpool_limits

    if isinstance(kinds, str) or not isinstance(kinds, Sequence) or not kinds:
        raise ValueError(f"kinds must be a non-empty list of agent kinds, got {show(kinds)}")
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown agent kind {unknown[0]!r}; choose from {list(KINDS)}")
    split_entropy = _entropy(split, "split")
    rng = np.random.default_rng([BOOTSTRAP, *split_entropy, *_entropy(seed)])
    x, y = _digits()
    split_rng = np.random.default_rng([SPLIT, *split_entropy])
    if indices is None:
        order = split_rng.permutation(len(y))
    else:
        order = split_rng.permutation(check_indices(indices, len(y), MIN_DIGITS))
    train, test = order[: len(order) // 2], order[len(order) // 2 :]
    rows = []
    with threadpool_limits(limits=1):  # many small fits: threads only add overhead
        for kind in kinds:
            pick = train[rng.integers(0, len(train), len(train))]
            model = make_agent(kind, int(rng.integers(2**31))).fit(x[pick], y[pick])
            rows.append(model.predict(x[test]) == y[test])
    return np.array(rows)


@dataclass(frozen=True)
class AgentRuns:
    """Which digits each agent gets right, on ``splits`` random splits of the digits
    (read-only arrays).

    ``copies[kind]`` is a (splits, agents, problems) array for ``agents`` copies of one
    kind, each on its own bootstrap sample. :meth:`mixed` takes the same agents as a
    team of every kind in turn, and :meth:`shuffled` is the control.
    """

    agents: int
    splits: int
    seed: int
    copies: Mapping[str, np.ndarray]
    _nulls: dict = field(default_factory=dict, repr=False, compare=False)

    def accuracy(self, kind: str) -> float:
        """The mean accuracy of the copies of ``kind``."""
        return float(self.copies[kind].mean())

    def mixed(self, split: int, rotation: int = 0) -> np.ndarray:
        """(agents, problems) on ``split``: a team whose j-th agent is copy j of kind
        ``KINDS[(j + rotation) % len(KINDS)]``, so every kind takes its turn."""
        kinds = list(self.copies)
        return np.array(
            [self.copies[kinds[(j + rotation) % len(kinds)]][split, j] for j in range(self.agents)]
        )

    def shuffled(self, kind: str, split: int) -> np.ndarray:
        """The copies of ``kind`` on ``split``, each agent's answers shuffled across
        all the digits (independent mistakes)."""
        i = list(self.copies).index(kind)
        return shuffled(self.copies[kind][split], seed=(self.seed, split, i))

    def null(
        self, split: int, *, other_kinds: bool = False
    ) -> tuple[Mapping[str, np.ndarray], ...]:
        """:data:`NULL_DRAWS` draws of the same agents from a model in which agents
        differ only in skill and sensitivity to difficulty, and digits only in
        difficulty, each agent failing independently given these: the digits'
        difficulty from :func:`~lossylib.growth.difficulty.fit_skill_difficulty` on all
        the copies of every kind on ``split``, then each agent's own level and slope from
        :func:`~lossylib.growth.difficulty.fit_slopes`. Each
        draw maps kind -> (agents, problems), read-only; fitted once per split.

        With ``other_kinds=True``, each kind's copies are drawn from a difficulty fitted
        on the other kinds' agents only, so that what a kind's own near-identical copies
        share cannot pass for difficulty (with every kind in the fit, a kind's own
        copies, a fifth of the agents, pull the difficulty towards their own failures,
        and its drawn copies then share them). The kind's own agents then get their level
        and slope from :func:`~lossylib.growth.difficulty.fit_slopes` against that
        difficulty. That is the sound order: the Rasch fit estimates skill and difficulty
        jointly, so any row given to it moves the difficulty, while ``fit_slopes`` holds
        the difficulty fixed and fits each agent's row on its own (a logistic regression
        on the difficulty), which keeps every agent's accuracy (the fitted level matches
        it) and lets the kind react to what the other kinds find hard at its own
        steepness, without its answers feeding back into that difficulty (agents whose
        Newton steps run away against it are refitted by a safer method on the same
        likelihood; see ``_fit_slopes_safely``). The draws use
        the same random numbers as the default ones (common random numbers), so the two
        baselines differ only by the fit. It needs at least two kinds.

        Examples
        --------
        >>> runs = agent_runs(agents=4, splits=2)
        >>> runs.null(0, other_kinds=True)[0]["ridge"].shape
        (4, 899)
        >>> runs.null(0, other_kinds=True) is runs.null(0, other_kinds=True)  # fitted once
        True
        """
        split = check_int(split, "split", 0, self.splits - 1)
        other_kinds = check_bool(other_kinds, "other_kinds")
        key = (split, "other kinds") if other_kinds else split  # the default as it was
        if key not in self._nulls:
            self._nulls[key] = _null_draws(self.copies, split, self.seed, other_kinds)
        return self._nulls[key]

    def null_mixed(self, split: int, draw: int, rotation: int = 0) -> np.ndarray:
        """:meth:`mixed`, built from draw ``draw`` of :meth:`null`."""
        team = self.null(split)[draw]
        kinds = list(team)
        return np.array([team[kinds[(j + rotation) % len(kinds)]][j] for j in range(self.agents)])

    def teams(self, name: str) -> list[list[np.ndarray]]:
        """For each split, the (agents, problems) arrays of one set of teams:
        ``"copies"`` (one team per kind), ``"mixed"`` (every kind in turn, one team per
        rotation of the kinds), ``"control"`` (the copies, each agent's answers
        shuffled across the digits), ``"null copies"`` and ``"null mixed"`` (the same
        teams drawn from :meth:`null`), or ``"null copies, other kinds"`` (the copies
        drawn from :meth:`null` with ``other_kinds=True``: each kind's difficulty fitted
        without its own copies)."""
        kinds = list(self.copies)
        pick = {
            "copies": lambda s: [self.copies[k][s] for k in kinds],
            "mixed": lambda s: [self.mixed(s, r) for r in range(len(kinds))],
            "control": lambda s: [self.shuffled(k, s) for k in kinds],
            "null copies": lambda s: [d[k] for d in self.null(s) for k in kinds],
            "null copies, other kinds": lambda s: [
                d[k] for d in self.null(s, other_kinds=True) for k in kinds
            ],
            "null mixed": lambda s: [
                self.null_mixed(s, d, r) for d in range(NULL_DRAWS) for r in range(len(kinds))
            ],
        }
        if name not in pick:
            raise ValueError(f"name must be one of {list(pick)}, got {name!r}")
        return [pick[name](s) for s in range(self.splits)]


def agent_runs(agents: int = 16, splits: int = 8, seed: int = 0) -> AgentRuns:
    """Run :func:`agents_solved` for ``agents`` copies of each kind in :data:`KINDS` on
    ``splits`` random splits of the digits (cached: the same arguments share one run).
    ``agents`` is 1 to 256, ``splits`` 1 to 100 and ``seed`` an integer >= 0.

    Examples
    --------
    >>> runs = agent_runs(agents=4, splits=2)
    >>> runs.copies["ridge"].shape
    (2, 4, 899)
    """
    agents = check_int(agents, "agents", 1, 256)
    splits = check_int(splits, "splits", 1, 100)
    return _agent_runs(agents, splits, check_int(seed, "seed", 0))


def agent_runs_on(
    indices: ArrayLike, agents: int = 16, splits: int = 8, seed: int = 0
) -> AgentRuns:
    """:func:`agent_runs` on the digits ``indices`` only (see :func:`agents_solved`), for
    checks on disjoint subsets of the digits (not cached). Split s is seeded by ``(seed,
    s)``, so that two subsets of one size run with different seeds are not split alike.

    Examples
    --------
    >>> runs = agent_runs_on(np.arange(400), agents=2, splits=2, seed=1)
    >>> runs.copies["ridge"].shape
    (2, 2, 200)
    """
    agents = check_int(agents, "agents", 1, 256)
    splits = check_int(splits, "splits", 1, 100)
    seed = check_int(seed, "seed", 0)
    idx = check_indices(indices, len(_digits()[1]), MIN_DIGITS)
    return _run(agents, [(seed, s) for s in range(splits)], seed, idx)


@lru_cache(maxsize=8)
def _agent_runs(agents: int, splits: int, seed: int) -> AgentRuns:
    return _run(agents, list(range(splits)), seed, None)


def _run(agents: int, splits: list, seed: int, indices: np.ndarray | None) -> AgentRuns:
    copies = {}
    for i, kind in enumerate(KINDS):
        right = np.array(
            [
                agents_solved([kind] * agents, split=s, seed=(seed, i), indices=indices)
                for s in splits
            ]
        )
        right.setflags(write=False)  # shared by every caller of the cache
        copies[kind] = right
    return AgentRuns(agents, len(splits), seed, MappingProxyType(copies))


def _chance(level: np.ndarray, slope: np.ndarray, difficulty: np.ndarray) -> np.ndarray:
    """P(right) per agent (rows) and problem in the two-parameter model of ``fit_slopes``."""
    return 1 / (1 + np.exp(-(level[:, None] - slope[:, None] * difficulty[None, :])))


def _fit_slopes_safely(solved: np.ndarray, difficulty: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`~lossylib.growth.difficulty.fit_slopes`, with any agent whose fit did not
    converge refitted by bounded quasi-Newton steps (L-BFGS-B) on the same likelihood and
    bounds. ``fit_slopes`` takes full Newton steps from slope 1, and a difficulty that
    barely predicts an agent's failures (a decision tree's, fitted on the other kinds)
    can throw them off to overflowing levels. Where it converges, this is its answer."""
    from scipy.optimize import minimize
    from scipy.special import expit

    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        level, slope = fit_slopes(solved, difficulty)
    y, b = solved.astype(float), difficulty
    ok = np.isfinite(level) & np.isfinite(slope)
    with np.errstate(invalid="ignore"):  # rows that ran away to inf are refitted anyway
        r = y - expit(level[:, None] - slope[:, None] * b[None, :])
    tol = 1e-6 * y.shape[1] * max(1.0, float(np.abs(b).max()))
    free = (slope > 0.05) & (slope < 20.0)
    ok &= (np.abs(r.sum(1)) <= tol) & (~free | (np.abs((r * b).sum(1)) <= tol))
    level, slope = level.copy(), slope.copy()
    for j in np.flatnonzero(~ok):

        def minus_loglik(theta: np.ndarray, row: np.ndarray = y[j]) -> tuple[float, np.ndarray]:
            z = theta[0] - theta[1] * b
            res = row - expit(z)
            loss = (row * np.logaddexp(0, -z) + (1 - row) * np.logaddexp(0, z)).sum()
            return float(loss), np.array([-res.sum(), (res * b).sum()])

        acc = np.clip(y[j].mean(), 1e-3, 1 - 1e-3)
        fit = minimize(
            minus_loglik,
            np.array([np.log(acc / (1 - acc)), 1.0]),
            jac=True,
            method="L-BFGS-B",
            bounds=[(None, None), (0.05, 20.0)],
            options={"ftol": 1e-14, "gtol": 1e-9, "maxiter": 1000},
        )
        grad = fit.jac
        # at a slope bound only the level's gradient must vanish (and the slope's must
        # push outwards); otherwise both
        at_bound = fit.x[1] <= 0.05 + 1e-9 or fit.x[1] >= 20.0 - 1e-9
        stuck = abs(grad[0]) > tol or (not at_bound and abs(grad[1]) > tol)
        if not fit.success or stuck:
            raise RuntimeError(
                f"the skill fit of agent {j} did not converge ({fit.message}); "
                f"gradient {grad[0]:.2g}, {grad[1]:.2g}"
            )
        level[j], slope[j] = fit.x
    return level, slope


def _null_draws(
    copies: Mapping[str, np.ndarray], split: int, seed: int, other_kinds: bool = False
) -> tuple[Mapping[str, np.ndarray], ...]:
    teams = [c[split] for c in copies.values()]
    if not other_kinds:
        right = np.concatenate(teams)
        _, difficulty = fit_skill_difficulty(right)
        level, slope = fit_slopes(right, difficulty)
        chance = _chance(level, slope, difficulty)
    else:
        if len(teams) < 2:
            raise ValueError(
                f"a difficulty fitted on the other kinds needs at least 2 kinds, got {len(teams)}"
            )
        rows = []
        for i, own in enumerate(teams):
            _, difficulty = fit_skill_difficulty(np.concatenate(teams[:i] + teams[i + 1 :]))
            rows.append(_chance(*_fit_slopes_safely(own, difficulty), difficulty))
        chance = np.concatenate(rows)
    rng = np.random.default_rng([NULL, seed, split])
    bounds = np.cumsum([0] + [len(t) for t in teams])
    draws = []
    for _ in range(NULL_DRAWS):
        team = rng.random(chance.shape) < chance
        team.setflags(write=False)
        kinds = {k: team[bounds[i] : bounds[i + 1]] for i, k in enumerate(copies)}
        draws.append(MappingProxyType(kinds))
    return tuple(draws)
