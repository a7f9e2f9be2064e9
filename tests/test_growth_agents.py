"""Parallel agents on real data (lossylib.growth.agents): the share of expected new solves
missed, its control, the digits experiment, and one-line errors for bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lossylib.growth import agents, difficulty, figures

solved_arrays = st.integers(1, 6).flatmap(
    lambda rows: st.integers(1, 12).flatmap(
        lambda cols: arrays(bool, (rows, cols), elements=st.booleans())
    )
)


@pytest.mark.parametrize("accuracy", [0.3, 0.7, 0.97])
def test_identical_copies_miss_everything_whatever_their_accuracy(accuracy):
    right = np.arange(100) < 100 * accuracy
    team = np.tile(right, (5, 1))
    assert agents.missed_share(team) == 1.0
    assert agents.missed_curve(team)[1:].tolist() == [1.0, 1.0, 1.0, 1.0]
    # counting the first agent too dilutes it by accuracy: 1 - 1 / (1 + 4 (1 - a))
    diluted = agents.missed_share(team, first=1)
    assert diluted == pytest.approx(1 - 1 / (1 + 4 * (1 - accuracy)))


def test_opposite_and_nested_failures():
    apart = np.array([[1, 1, 0, 0], [0, 0, 1, 1]], dtype=bool)
    assert agents.missed_share(apart) == pytest.approx(-1.0)  # found 2, expected 1
    weaker = np.array([[1, 1, 1, 0], [1, 1, 0, 0]], dtype=bool)  # a weaker copy
    assert agents.missed_share(weaker) == pytest.approx(1.0)
    found, expected = agents.new_solves(weaker)
    assert found.tolist() == [3, 0] and expected.tolist() == [3, 0.5]


def test_windows_add_up_to_the_whole():
    rng = np.random.default_rng(0)
    team = rng.random((9, 50)) < 0.6
    found, expected = agents.new_solves(team)
    early, late = agents.missed_share(team, 2, 4), agents.missed_share(team, 5)
    whole = agents.missed_share(team)
    e1, e2 = expected[1:4].sum(), expected[4:].sum()
    assert whole == pytest.approx((early * e1 + late * e2) / (e1 + e2))
    assert agents.missed_curve(team)[-1] == pytest.approx(whole)
    assert agents.missed_curve(team)[3] == pytest.approx(early)


def test_nothing_expected_is_not_a_number():
    # never right, or everything solved by the first agent: nothing left to repeat
    assert np.isnan(agents.missed_share(np.zeros((3, 4), dtype=bool)))
    assert np.isnan(agents.missed_share(np.ones((3, 4), dtype=bool)))
    assert np.isnan(agents.missed_curve(np.ones((3, 4), dtype=bool))).all()


@settings(max_examples=60, deadline=None)
@given(solved_arrays, st.randoms(use_true_random=False))
def test_share_properties(solved, rnd):
    curve = agents.missed_curve(solved)
    assert curve.shape == (len(solved),) and np.isnan(curve[0])
    assert (curve[np.isfinite(curve)] <= 1).all()
    # the order of the problems does not matter
    cols = list(range(solved.shape[1]))
    rnd.shuffle(cols)
    assert agents.missed_curve(solved[:, cols]) == pytest.approx(curve, nan_ok=True)
    # an agent that repeats an earlier one finds nothing new: the share cannot fall
    again = np.vstack([solved, solved[rnd.randrange(len(solved))]])
    longer = agents.missed_curve(again)
    assert longer[:-1] == pytest.approx(curve, nan_ok=True)
    if np.isfinite(curve[-1]):
        assert longer[-1] >= curve[-1] - 1e-12


def test_shuffled_keeps_accuracy_and_reads_about_zero():
    rng = np.random.default_rng(3)
    hard = rng.random(2000) < 0.2  # the same hard problems for every agent
    team = np.array([~hard & (rng.random(2000) < 0.95) for _ in range(8)])
    assert agents.missed_share(team) > 0.5
    control = agents.shuffled(team, seed=(1, 2))
    assert (control.sum(axis=1) == team.sum(axis=1)).all()
    assert (control == agents.shuffled(team, seed=(1, 2))).all()
    assert not (control == agents.shuffled(team, seed=(1, 3))).all()
    assert abs(agents.missed_share(control)) < 0.05


def test_resampled_se_widens_the_plain_standard_error():
    values = [0.1, 0.3, 0.2, 0.4]
    mean, se = agents.resampled_se(values)
    plain = np.std(values, ddof=1) / 2
    assert mean == pytest.approx(0.25)
    assert se == pytest.approx(plain * np.sqrt(1 + 4))  # (1/J + 1) s^2 = (1 + J) plain^2
    single = agents.resampled_se([0.5])
    assert single[0] == 0.5 and np.isnan(single[1])  # one split says nothing of spread
    assert agents.resampled_se(values, test_over_train=0.0)[1] == pytest.approx(plain)


def test_the_skill_and_difficulty_fit_recovers_a_rasch_world():
    rng = np.random.default_rng(5)
    skill, hard = rng.normal(1.5, 0.7, 80), rng.normal(0, 2, 600)
    chance = 1 / (1 + np.exp(hard[None, :] - skill[:, None]))
    right = rng.random(chance.shape) < chance
    fit_skill, fit_hard = difficulty.fit_skill_difficulty(right)
    assert np.corrcoef(fit_skill, skill)[0, 1] > 0.9
    inside = np.abs(fit_hard) < 12  # problems everyone or no one solves sit at the cap
    assert inside.mean() > 0.9
    assert np.corrcoef(fit_hard[inside], hard[inside])[0, 1] > 0.95
    # fitted chances reproduce every agent's and every problem's number right
    fitted = 1 / (1 + np.exp(fit_hard[None, :] - fit_skill[:, None]))
    assert fitted.sum(axis=1) == pytest.approx(right.sum(axis=1), abs=0.5)
    # in a Rasch world, teams drawn from the fit miss what the real teams miss
    real = np.mean([agents.missed_share(right[i : i + 8]) for i in range(0, 80, 8)])
    drawn = rng.random(fitted.shape) < fitted
    null = np.mean([agents.missed_share(drawn[i : i + 8]) for i in range(0, 80, 8)])
    assert null == pytest.approx(real, abs=0.08)


def test_slopes_recover_each_agents_sensitivity_to_difficulty():
    rng = np.random.default_rng(6)
    hard = rng.normal(0, 2, 3000)
    level, slope = np.array([2.0, 0.5, 1.0]), np.array([0.4, 1.0, 2.5])
    chance = 1 / (1 + np.exp(-(level[:, None] - slope[:, None] * hard[None, :])))
    right = rng.random(chance.shape) < chance
    fit_level, fit_slope = difficulty.fit_slopes(right, hard)
    assert fit_slope == pytest.approx(slope, rel=0.15)
    assert fit_level == pytest.approx(level, abs=0.2)
    # a row that difficulty separates perfectly keeps a finite, bounded slope
    _, steep = difficulty.fit_slopes((hard < 0)[None, :], hard)
    assert steep[0] == 20.0


def test_a_problem_everyone_solves_gets_the_lowest_difficulty():
    right = np.array([[1, 1, 0], [1, 0, 0], [1, 1, 1]], dtype=bool)
    _, hard = difficulty.fit_skill_difficulty(right, cap=6.0)
    assert hard[0] == -6.0 and hard[0] < hard[1] < hard[2]


def test_agents_solved_is_seeded_and_per_agent():
    a = agents.agents_solved(["decision tree"] * 3, split=1, seed=2)
    assert a.shape == (3, 899) and a.dtype == bool
    assert (a == agents.agents_solved(["decision tree"] * 3, split=1, seed=2)).all()
    assert not (a[0] == a[1]).all()  # each agent has its own bootstrap sample
    assert not (a == agents.agents_solved(["decision tree"] * 3, split=1, seed=(2, 1))).all()
    assert 0.6 < a.mean() < 0.95


def test_agents_solved_on_all_digits_is_as_before():
    """Without ``indices`` the split and the bootstraps are drawn exactly as they always
    were (a copy of the original code), and every digit given as indices, in any order,
    is the same run."""
    from threadpoolctl import threadpool_limits

    kinds, split, seed = ["ridge", "decision tree", "ridge"], 3, (1, 2)
    x, y = agents._digits()
    rng = np.random.default_rng([agents.BOOTSTRAP, split, *seed])
    order = np.random.default_rng([agents.SPLIT, split]).permutation(len(y))
    train, test = order[: len(y) // 2], order[len(y) // 2 :]
    expected = []
    with threadpool_limits(limits=1):
        for kind in kinds:
            pick = train[rng.integers(0, len(train), len(train))]
            model = agents.make_agent(kind, int(rng.integers(2**31))).fit(x[pick], y[pick])
            expected.append(model.predict(x[test]) == y[test])
    got = agents.agents_solved(kinds, split=split, seed=seed)
    assert np.array_equal(got, np.array(expected))
    assert np.array_equal(got, agents.agents_solved(kinds, split=split, seed=seed, indices=None))
    every = np.arange(agents.digit_count())[::-1]
    assert np.array_equal(got, agents.agents_solved(kinds, split=split, seed=seed, indices=every))


def test_agents_solved_on_a_subset_uses_only_those_digits(monkeypatch):
    x, y = agents._digits()
    idx = np.random.default_rng(5).choice(len(y), 300, replace=False)
    kinds = list(agents.KINDS)
    clean = agents.agents_solved(kinds, split=2, seed=1, indices=idx)
    assert clean.shape == (len(kinds), 150) and 0.6 < clean.mean() < 0.99
    # every other digit poisoned: any use of one fails (NaN pixels) or changes the result
    bad_x = np.full_like(x, np.nan)
    bad_x[idx] = x[idx]
    bad_y = np.full_like(y, -1)
    bad_y[idx] = y[idx]
    monkeypatch.setattr(agents, "_digits", lambda: (bad_x, bad_y))
    assert np.array_equal(agents.agents_solved(kinds, split=2, seed=1, indices=idx), clean)
    # the set of digits decides, not their order; another split or subset differs
    shuffled = np.random.default_rng(0).permutation(idx)
    assert np.array_equal(agents.agents_solved(kinds, split=2, seed=1, indices=shuffled), clean)
    assert not np.array_equal(agents.agents_solved(kinds, split=3, seed=1, indices=idx), clean)


def test_agent_runs_on_a_subset_splits_each_seed_afresh():
    idx = np.arange(0, 800, 2)
    runs = agents.agent_runs_on(idx, agents=3, splits=2, seed=1)
    assert runs.agents == 3 and runs.splits == 2 and runs.seed == 1
    assert all(r.shape == (2, 3, 200) and not r.flags.writeable for r in runs.copies.values())
    first = runs.copies["ridge"][0, 0]
    assert np.array_equal(
        first, agents.agents_solved(["ridge"], split=(1, 0), seed=(1, 3), indices=idx)[0]
    )
    other = agents.agent_runs_on(idx, agents=3, splits=2, seed=2)
    assert not np.array_equal(runs.copies["ridge"], other.copies["ridge"])
    assert len(runs.teams("null copies")[1]) == agents.NULL_DRAWS * len(agents.KINDS)


def test_agent_runs_copies_repeat_mixed_less_and_the_control_not():
    runs = agents.agent_runs(agents=8, splits=3)
    assert set(runs.copies) == set(agents.KINDS)
    assert all(r.shape == (3, 8, 899) and not r.flags.writeable for r in runs.copies.values())
    # a mixed team takes copy j of kind j (shifted by the rotation)
    assert (runs.mixed(1, 2)[0] == runs.copies[agents.KINDS[2]][1, 0]).all()
    copies, mixed, control = (
        np.array([[agents.missed_share(t) for t in teams] for teams in runs.teams(name)])
        for name in ("copies", "mixed", "control")
    )
    assert copies.shape == (3, len(agents.KINDS))
    assert (copies > 0.3).all()
    assert mixed.mean() < copies.mean()
    assert np.abs(control.mean(axis=1)).max() < 0.05
    assert all(0.5 < runs.accuracy(k) < 1 for k in agents.KINDS)
    assert agents.agent_runs(agents=8, splits=3) is runs  # cached
    with pytest.raises(TypeError):
        runs.copies["ridge"] = None  # the cache cannot be changed by a caller


def test_null_teams_keep_accuracy_and_drop_what_kinds_share():
    runs = agents.agent_runs(agents=8, splits=3)
    draws = runs.null(1)
    assert len(draws) == agents.NULL_DRAWS and draws[0].keys() == runs.copies.keys()
    for kind in agents.KINDS:
        drawn = np.mean([d[kind].mean() for d in draws])
        assert drawn == pytest.approx(runs.copies[kind][1].mean(), abs=0.01)
        assert not draws[0][kind].flags.writeable
    assert runs.null(1) is draws  # fitted once per split
    assert (runs.null_mixed(1, 2, 1)[0] == draws[2][agents.KINDS[1]][0]).all()
    null = runs.teams("null copies")
    assert len(null) == 3 and len(null[0]) == agents.NULL_DRAWS * len(agents.KINDS)
    # copies of one kind fail together beyond what skill and difficulty give
    real = np.mean([agents.missed_share(t, 2, 4) for teams in runs.teams("copies") for t in teams])
    base = np.mean([agents.missed_share(t, 2, 4) for teams in null for t in teams])
    assert real > base + 0.05


def test_the_default_null_is_as_before():
    """The default baseline is drawn exactly as it always was (a copy of the original
    code), and asking for it by keyword is the same cached draw; the baseline fitted on
    the other kinds is cached apart from it."""
    runs = agents.agent_runs(agents=8, splits=3)
    for split in range(runs.splits):
        right = np.concatenate([c[split] for c in runs.copies.values()])
        _, hard = difficulty.fit_skill_difficulty(right)
        level, slope = difficulty.fit_slopes(right, hard)
        chance = 1 / (1 + np.exp(-(level[:, None] - slope[:, None] * hard[None, :])))
        rng = np.random.default_rng([agents.NULL, runs.seed, split])
        for draw in runs.null(split):
            team = rng.random(chance.shape) < chance
            assert np.array_equal(np.concatenate(list(draw.values())), team)
        assert runs.null(split, other_kinds=False) is runs.null(split)
    other = runs.null(1, other_kinds=True)
    assert other is runs.null(1, other_kinds=np.True_) and other is not runs.null(1)
    assert other[0].keys() == runs.copies.keys() and not other[0]["ridge"].flags.writeable
    assert not np.array_equal(other[0]["ridge"], runs.null(1)[0]["ridge"])
    for kind in agents.KINDS:  # each agent's level still matches its accuracy
        drawn = np.mean([d[kind].mean() for d in other])
        assert drawn == pytest.approx(runs.copies[kind][1].mean(), abs=0.01)
    teams = runs.teams("null copies, other kinds")
    assert len(teams) == 3 and len(teams[1]) == agents.NULL_DRAWS * len(agents.KINDS)
    assert teams[1][0] is other[0][agents.KINDS[0]]


def _kinds_with_a_blind_spot(seed: int = 7) -> tuple[agents.AgentRuns, np.ndarray]:
    """Three kinds of 8 agents on 600 problems of a common difficulty; the copies of
    kind "a" also all fail on a block of 80 problems that are easy for every kind else.
    Returns the runs (one split) and the block (a boolean mask)."""
    from types import MappingProxyType

    rng = np.random.default_rng(seed)
    hard = rng.normal(0, 1.5, 600)
    block = np.arange(600) < 80
    hard[block] = -3.0  # easy, except for kind "a"
    copies = {}
    for kind in ("a", "b", "c"):
        right = rng.random((8, 600)) < 1 / (1 + np.exp(-(2.0 - hard)))
        if kind == "a":
            right[:, block] &= rng.random((8, 80)) < 0.1  # its copies' shared blind spot
        copies[kind] = right[None]
    return agents.AgentRuns(8, 1, 0, MappingProxyType(copies)), block


def test_the_null_on_other_kinds_leaves_the_kinds_own_copies_out(monkeypatch):
    runs, block = _kinds_with_a_blind_spot()

    def shared_failures(draws) -> float:
        """Problems of the block that half the drawn copies of "a" or more fail, per draw."""
        return float(np.mean([((~d["a"][:, block]).sum(axis=0) >= 4).sum() for d in draws]))

    def failing(draws, where: np.ndarray) -> float:
        return float(np.mean([(~d["a"][:, where]).mean() for d in draws]))

    assert ((~runs.copies["a"][0][:, block]).sum(axis=0) >= 4).all()  # the real copies
    default, other = runs.null(0), runs.null(0, other_kinds=True)
    # with "a" in the fit, its blind spot reads as difficulty and the drawn copies share
    # it; fitted on "b" and "c" only, the block is easy and the drawn copies spread
    # their failures over all the problems
    assert shared_failures(default) > 30
    assert shared_failures(other) < 0.25 * shared_failures(default)
    assert failing(default, block) > failing(default, ~block)
    assert failing(other, block) < failing(other, ~block)
    assert np.mean([d["a"].mean() for d in other]) == pytest.approx(
        runs.copies["a"][0].mean(), abs=0.01
    )
    alike = [agents.missed_share(d["a"], 2, 8) for d in default]
    apart = [agents.missed_share(d["a"], 2, 8) for d in other]
    assert np.mean(apart) < np.mean(alike) - 0.2
    # and the difficulty is fitted on exactly the other kinds' answers
    seen = []
    fit = difficulty.fit_skill_difficulty

    def spy(solved, *args, **kwargs):
        seen.append(np.array(solved))
        return fit(solved, *args, **kwargs)

    monkeypatch.setattr(agents, "fit_skill_difficulty", spy)
    fresh, _ = _kinds_with_a_blind_spot()
    fresh.null(0, other_kinds=True)
    c = {k: v[0] for k, v in fresh.copies.items()}
    expected = [
        np.vstack([c["b"], c["c"]]),
        np.vstack([c["a"], c["c"]]),
        np.vstack([c["a"], c["b"]]),
    ]
    assert all(np.array_equal(s, e) for s, e in zip(seen, expected, strict=True))


def _teams_and_the_other_kinds_difficulty():
    """Split 1's teams of 8 copies per kind, and a difficulty fitted on all but the first
    kind (the decision trees)."""
    runs = agents.agent_runs(agents=8, splits=3)
    teams = [c[1] for c in runs.copies.values()]
    _, hard = difficulty.fit_skill_difficulty(np.concatenate(teams[1:]))
    return teams, hard


def test_slopes_against_the_other_kinds_difficulty_converge():
    """fit_slopes' full Newton steps run away for some decision trees against the other
    kinds' difficulty (split 1 here); those agents are refitted, the others kept."""
    from scipy.special import expit

    teams, hard = _teams_and_the_other_kinds_difficulty()
    tree = teams[0]  # the decision trees
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        raw, _ = difficulty.fit_slopes(tree, hard)
    assert not (np.abs(raw) < 100).all()  # the case this guards against
    level, slope = agents._fit_slopes_safely(tree, hard)
    residual = tree - expit(level[:, None] - slope[:, None] * hard[None, :])
    assert np.abs(residual.sum(axis=1)).max() < 1e-3  # each agent's accuracy kept
    assert np.abs((residual * hard).sum(axis=1)).max() < 1e-2
    assert ((0.05 < slope) & (slope < 1)).all()
    kept = np.abs(raw) < 100
    assert np.array_equal(level[kept], raw[kept])
    ridge = teams[3]
    assert all(
        np.array_equal(a, b)
        for a, b in zip(
            agents._fit_slopes_safely(ridge, hard), difficulty.fit_slopes(ridge, hard), strict=True
        )
    )


@pytest.mark.parametrize(
    ("success", "gradient", "said"),
    [(False, (0.0, 0.0), "did not converge (gave up)"), (True, (0.5, 0.0), "gradient 0.5, 0")],
)
def test_a_refit_that_fails_is_an_error_not_an_answer(monkeypatch, success, gradient, said):
    """If the bounded refit gives up, or stops where the likelihood still slopes, the
    skill fit raises one line naming the agent instead of returning that fit."""
    import scipy.optimize
    from scipy.optimize import OptimizeResult

    teams, hard = _teams_and_the_other_kinds_difficulty()
    tree = teams[0]

    def stopped(fun, x0, **kwargs):
        return OptimizeResult(
            x=np.array([0.0, 1.0]), success=success, message="gave up", jac=np.array(gradient)
        )

    monkeypatch.setattr(scipy.optimize, "minimize", stopped)
    with pytest.raises(RuntimeError, match=r"^the skill fit of agent \d+ ") as err:
        agents._fit_slopes_safely(tree, hard)
    assert said in str(err.value)
    assert "\n" not in str(err.value)


def test_the_null_on_other_kinds_refuses_bad_input_in_one_line():
    from types import MappingProxyType

    runs, _ = _kinds_with_a_blind_spot()
    alone = agents.AgentRuns(8, 1, 0, MappingProxyType({"a": runs.copies["a"]}))
    calls = [
        (lambda: runs.null(0, other_kinds="yes"), "other_kinds must be True or False, got 'yes'"),
        (lambda: runs.null(0, other_kinds=1), "other_kinds must be True or False, got 1"),
        (lambda: runs.null(1, other_kinds=True), "split must be <= 0"),
        (lambda: alone.null(0, other_kinds=True), "needs at least 2 kinds, got 1"),
        (lambda: alone.teams("null copies, other kinds"), "needs at least 2 kinds, got 1"),
        (lambda: runs.teams("null copies other kinds"), "name must be one of"),
    ]
    for call, message in calls:
        with pytest.raises(ValueError, match=message) as err:
            call()
        assert "\n" not in str(err.value)
    assert len(alone.null(0)) == agents.NULL_DRAWS  # one kind still has the default null


def test_agents_figure_draws_every_series():
    import matplotlib.pyplot as plt

    fig = figures.agents_figure(agents.agent_runs(agents=4, splits=2))
    try:
        left, right = fig.axes
        assert len(left.get_legend().get_texts()) == len(agents.KINDS)
        labels = [t.get_text() for t in right.get_legend().get_texts()]
        assert labels == ["copies of one kind (mean)",
                          "the same, if only skill and\ndifficulty mattered",
                          "every kind in turn", "copies, answers shuffled"]  # fmt: skip
    finally:
        plt.close(fig)


@pytest.mark.parametrize(
    "bad, message",
    [
        (np.array([True, False]), "2-D array"),
        (np.zeros((0, 3), dtype=bool), "at least one of each"),
        (np.array([[0, 2]]), "True/False"),
        (np.array([[0.5, 1.0]]), "True/False"),
        (np.array([[np.nan, 1.0]]), "True/False"),
        ([["yes", "no"]], "True/False"),
        (None, "True/False"),
    ],
)
def test_bad_arrays_get_one_line_errors(bad, message):
    calls = (
        agents.missed_share,
        agents.missed_curve,
        agents.new_solves,
        agents.shuffled,
        difficulty.fit_skill_difficulty,
    )
    for call in calls:
        with pytest.raises(ValueError, match=message) as err:
            call(bad)
        assert "\n" not in str(err.value)


TEAM = np.ones((3, 4), dtype=bool)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: agents.missed_share(TEAM, first=0), "first must be >= 1"),
        (lambda: agents.missed_share(TEAM, first=3, last=2), "first must be <= 2"),
        (lambda: agents.missed_share(TEAM, last=4), "last must be <= 3"),
        (lambda: agents.missed_share(TEAM, first=2.0), "first must be an integer"),
        (lambda: agents.missed_share(TEAM[:1]), "first must be <= 1"),  # one agent
        (lambda: agents.agents_solved("ridge"), "non-empty list"),
        (lambda: agents.agents_solved([]), "non-empty list"),
        (lambda: agents.agents_solved(["forest"]), "unknown agent kind 'forest'"),
        (lambda: agents.agents_solved(["ridge"], split=-1), "split must be >= 0"),
        (lambda: agents.agents_solved(["ridge"], seed="abc"), "seed must be an integer"),
        (lambda: agents.agents_solved(["ridge"], seed=(1, -2)), "seed must be >= 0"),
        (lambda: agents.agents_solved(["ridge"], split=(1, -2)), "split must be >= 0"),
        (lambda: agents.agents_solved(["ridge"], indices="abc"), "1-d array of integers"),
        (lambda: agents.agents_solved(["ridge"], indices=7), "1-d array of integers"),
        (lambda: agents.agents_solved(["ridge"], indices=[[1, 2]]), "1-d array of integers"),
        (lambda: agents.agents_solved(["ridge"], indices=np.arange(300.0)), "of integers"),
        (lambda: agents.agents_solved(["ridge"], indices=np.ones(300, bool)), "of integers"),
        (lambda: agents.agents_solved(["ridge"], indices=[]), "at least 100 digits, got 0"),
        (lambda: agents.agents_solved(["ridge"], indices={1, 2}), "1-d array of integers"),
        (lambda: agents.agents_solved(["ridge"], indices=[[1], [1, 2]]), "1-d array of"),
        (lambda: agents.agents_solved(["ridge"], indices=np.arange(99)), "at least 100"),
        (lambda: agents.agents_solved(["ridge"], indices=np.arange(-1, 300)), "got -1"),
        (
            lambda: agents.agents_solved(["ridge"], indices=np.arange(1700, 1800)),
            "in \\[0, 1796\\]",
        ),
        (lambda: agents.agents_solved(["ridge"], indices=[*range(250), 3]), "got 3 twice"),
        (lambda: agents.agent_runs_on(None), "1-d array of integers"),
        (lambda: agents.agent_runs_on(np.arange(300), agents=0), "agents must be >= 1"),
        (lambda: agents.agent_runs_on(np.arange(300), splits=0), "splits must be >= 1"),
        (lambda: agents.agent_runs_on(np.arange(300), seed=-1), "seed must be >= 0"),
        (lambda: agents.make_agent("svm"), "unknown agent kind 'svm'"),
        (lambda: agents.shuffled(TEAM, seed=1.5), "seed must be an integer"),
        (lambda: agents.agent_runs(agents=0), "agents must be >= 1"),
        (lambda: agents.agent_runs(agents=257), "agents must be <= 256"),
        (lambda: agents.agent_runs(splits=0), "splits must be >= 1"),
        (lambda: agents.agent_runs(seed=-1), "seed must be >= 0"),
        (lambda: agents.agent_runs(4, 2).teams("solo"), "name must be one of"),
        (lambda: agents.resampled_se([]), "at least one"),
        (lambda: difficulty.fit_skill_difficulty(TEAM, iterations=0), "iterations must be >= 1"),
        (lambda: difficulty.fit_skill_difficulty(TEAM, cap=0.0), "cap must be in"),
        (lambda: difficulty.fit_skill_difficulty(TEAM, cap=float("nan")), "cap must be finite"),
        (lambda: difficulty.fit_skill_difficulty([1, 0]), "2-D array"),
        (lambda: difficulty.fit_slopes(TEAM, [0.0, 1.0]), "4 finite numbers"),
        (lambda: difficulty.fit_slopes(TEAM, [0, 1, 2, np.nan]), "4 finite numbers"),
        (lambda: difficulty.fit_slopes(TEAM, [0, 1, 2, 3], iterations=0), "iterations must"),
        (lambda: agents.resampled_se([0.1, float("nan")]), "finite"),
        (lambda: figures.agents_figure({"copies": 1}), "must be an AgentRuns"),
        (lambda: figures.agents_figure(agents.agent_runs(4, 1)), "at least 2 agents and 2"),
    ],
)
def test_bad_arguments_get_one_line_errors(call, message):
    with pytest.raises(ValueError, match=message) as err:
        call()
    assert "\n" not in str(err.value)
