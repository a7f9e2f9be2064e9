"""Parallel agents on real data (lossylib.growth.agents): the repeat share, its control,
the digits experiment, and one-line errors for bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lossylib.growth import agents, figures

solved_arrays = st.integers(1, 6).flatmap(
    lambda rows: st.integers(1, 12).flatmap(
        lambda cols: arrays(bool, (rows, cols), elements=st.booleans())
    )
)


def test_identical_agents_follow_the_closed_form():
    # accuracy a on P problems: the first finds aP; each copy is expected to find
    # a(1 - a)P and finds nothing, so the share is 1 - 1 / (1 + (k - 1)(1 - a))
    row = np.array([True] * 7 + [False] * 3)
    share = agents.repeat_share(np.tile(row, (5, 1)))
    k = np.arange(1, 6)
    assert share == pytest.approx(1 - 1 / (1 + (k - 1) * 0.3))


def test_opposite_failures_read_below_zero_and_unions_read_exactly():
    apart = np.array([[1, 1, 0, 0], [0, 0, 1, 1]], dtype=bool)
    assert agents.repeat_share(apart) == pytest.approx([0.0, 1 - 4 / 3])
    nested = np.array([[1, 1, 1, 0], [1, 1, 0, 0]], dtype=bool)  # a weaker copy
    assert agents.repeat_share(nested) == pytest.approx([0.0, 1 - 3 / 3.5])


def test_zero_accuracy_expects_nothing_and_loses_nothing():
    assert agents.repeat_share(np.zeros((3, 4), dtype=bool)).tolist() == [0.0, 0.0, 0.0]


@settings(max_examples=60, deadline=None)
@given(solved_arrays, st.randoms(use_true_random=False))
def test_share_properties(solved, rnd):
    share = agents.repeat_share(solved)
    assert share.shape == (len(solved),)
    assert share[0] == 0.0
    assert (share <= 1).all()
    # the order of the problems does not matter
    cols = list(range(solved.shape[1]))
    rnd.shuffle(cols)
    assert agents.repeat_share(solved[:, cols]) == pytest.approx(share)
    # an agent that repeats an earlier one finds nothing new: the share cannot fall
    again = np.vstack([solved, solved[rnd.randrange(len(solved))]])
    longer = agents.repeat_share(again)
    assert longer[:-1] == pytest.approx(share)
    if solved.any():
        assert longer[-1] >= share[-1] - 1e-12


def test_shuffled_keeps_accuracy_and_reads_about_zero():
    rng = np.random.default_rng(3)
    hard = rng.random(2000) < 0.2  # the same hard problems for every agent
    solved = np.array([~hard & (rng.random(2000) < 0.95) for _ in range(8)])
    assert agents.repeat_share(solved)[-1] > 0.5
    control = agents.shuffled(solved, seed=1)
    assert (control.sum(axis=1) == solved.sum(axis=1)).all()
    assert (control == agents.shuffled(solved, seed=1)).all()
    assert abs(agents.repeat_share(control)[-1]) < 0.05


def test_agents_solved_is_seeded_and_per_agent():
    a = agents.agents_solved(["decision tree"] * 3, split=1, seed=2)
    assert a.shape == (3, 899) and a.dtype == bool
    assert (a == agents.agents_solved(["decision tree"] * 3, split=1, seed=2)).all()
    assert not (a[0] == a[1]).all()  # each agent has its own bootstrap sample
    b = agents.agents_solved(["decision tree"] * 3, split=1, seed=3)
    assert not (a == b).all()
    assert 0.6 < a.mean() < 0.95


def test_agent_runs_copies_repeat_and_the_control_does_not():
    runs = agents.agent_runs(agents=8, splits=3)
    copies, control = runs.mean_copies(), runs.mean_independent()
    assert copies.shape == control.shape == runs.mixed.shape == (3, 8)
    assert set(runs.copies) == set(agents.KINDS)
    assert (copies[:, 0] == 0).all()
    assert (copies[:, -1] > copies[:, 3]).all()  # more copies, more repeats
    assert (copies[:, -1] > 0.05).all()
    assert np.abs(control).max() < 0.02
    assert all(0.5 < a < 1 for a in runs.accuracy.values())
    assert agents.agent_runs(agents=8, splits=3) is runs  # cached


def test_agents_figure_draws_every_series():
    import matplotlib.pyplot as plt

    fig = figures.agents_figure(agents.agent_runs(agents=4, splits=2))
    try:
        labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
        assert len(labels) == len(agents.KINDS) + 2
        assert "copies, results shuffled" in labels
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
def test_repeat_share_refuses_bad_arrays(bad, message):
    with pytest.raises(ValueError, match=message):
        agents.repeat_share(bad)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: agents.agents_solved("ridge"), "non-empty list"),
        (lambda: agents.agents_solved([]), "non-empty list"),
        (lambda: agents.agents_solved(["forest"]), "unknown agent kind 'forest'"),
        (lambda: agents.agents_solved(["ridge"], split=-1), "split must be >= 0"),
        (lambda: agents.agents_solved(["ridge"], seed="abc"), "seed must be an integer"),
        (lambda: agents.make_agent("svm"), "unknown agent kind 'svm'"),
        (lambda: agents.shuffled([[True]], seed=1.5), "seed must be an integer"),
        (lambda: agents.agent_runs(agents=0), "agents must be >= 1"),
        (lambda: agents.agent_runs(agents=257), "agents must be <= 256"),
        (lambda: agents.agent_runs(splits=0), "splits must be >= 1"),
        (lambda: agents.agent_runs(seed=-1), "seed must be >= 0"),
        (lambda: figures.agents_figure({"copies": 1}), "must be an AgentRuns"),
    ],
)
def test_bad_arguments_get_one_line_errors(call, message):
    with pytest.raises(ValueError, match=message) as err:
        call()
    assert "\n" not in str(err.value)
