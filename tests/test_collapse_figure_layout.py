"""The "Tail loss" figures, drawn with the chapter's own calls (chapters/tail-loss.md),
clear to read and no wider than the book's text column (see ``tests/_figcheck.py``)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from _figcheck import COLUMN, problems, shown_width

from lossylib import collapse as co
from lossylib.claims import tail
from lossylib.collapse import figures
from lossylib.collapse.tempered import tempered_support

#: The chapter's data policies (its cell before fig-tail-policies).
POLICIES = {"replace": "replace", "accumulate": "accumulate", "fresh 10%": "fresh"}


def _variance_panels():
    """Fig. fig-tail-variance, with the chapter's data."""
    n, t_max, trials = 100, 300, 4000
    seed = tail.first_typical_seed(n, 100, trials)
    mle = co.refit_gaussian(n=n, generations=t_max, trials=trials, seed=seed)
    unb = co.refit_gaussian(n=n, generations=t_max, trials=trials, estimator="unbiased", seed=2)
    return figures.variance_panels(mle, unb, n)


def _vocabulary_panels():
    """Fig. fig-tail-vocab, with the chapter's data."""
    p, N = co.zipf(10_000), 100_000
    return figures.vocabulary_panels(co.refit_categorical(p, N, 100, trials=8, seed=4))


def _mode_panels():
    """Fig. fig-tail-mode, with the chapter's data."""
    small = co.zipf(tail.MODE_VOCAB)
    return figures.mode_panels(
        tail.collapsed_means(),
        tail.mode_fixation(),
        small[0],
        tail.mode_takeover(),
        tail.LEADER_AT,
    )


def _policy_panel():
    """Fig. fig-tail-policies, with the chapter's data."""
    gauss = {
        label: co.refit_gaussian(20, 1000, 1000, policy=pol, seed=8)
        for label, pol in POLICIES.items()
    }
    return figures.gaussian_policy_panel(gauss, log_until=200)


def _tricks_panel():
    """Fig. fig-tail-tricks, with the chapter's data."""
    closed = {
        "temperature 0.9": tempered_support(co.zipf(tail.VOCAB), tail.SAMPLES, 0.9, tail.LEAD_AT)
    }
    return figures.tricks_panel(tail.trick_runs(), closed)


def _ngram_panels():
    """Fig. fig-tail-ngram, with the chapter's data."""
    # the figure draws the first seed's run only
    lm = tail.ngram_policy_runs(co.stdlib_corpus(), POLICIES, seeds=tail.NGRAM_SEEDS[:1])
    return figures.ngram_panels({label: seeds[0] for label, seeds in lm.items()})


def _mixture_panels():
    """Fig. fig-tail-mixture, with the chapter's data."""
    mix = co.refit_mixture(n=200, generations=100, trials=40, em_steps=5, seed=3)
    return figures.mixture_panels(mix, generations=(0, 20, 100))


def _figures():
    yield "variance_panels", _variance_panels()
    yield "vocabulary_panels", _vocabulary_panels()
    yield "mode_panels", _mode_panels()
    yield "policy_panel", _policy_panel()
    yield "tricks_panel", _tricks_panel()
    yield "ngram_panels", _ngram_panels()
    yield "mixture_panels", _mixture_panels()


@pytest.mark.parametrize(
    "name",
    [
        "variance_panels",
        "vocabulary_panels",
        "mode_panels",
        "policy_panel",
        "tricks_panel",
        "ngram_panels",
        "mixture_panels",
    ],
)
def test_figure_reads_clearly(drawn, name):
    assert problems(drawn[name]) == []


@pytest.mark.parametrize(
    "name",
    [
        "variance_panels",
        "vocabulary_panels",
        "mode_panels",
        "policy_panel",
        "tricks_panel",
        "ngram_panels",
        "mixture_panels",
    ],
)
def test_figure_fits_the_text_column(drawn, name):
    """Shown no wider than the text column, so the browser does not shrink its text."""
    assert shown_width(drawn[name]) <= COLUMN


def test_tricks_panel_shows_the_runs_over_the_closed_form(drawn):
    """With a closed form the figure gets a second panel: the temperature-0.9 runs over
    the closed form, from generation 1 on, with the reference line at 1."""
    fig = drawn["tricks_panel"]
    left, right = fig.axes
    assert left.get_yscale() == "log" and right.get_yscale() == "linear"
    ratio = right.get_lines()[0]
    x, y = ratio.get_xdata(), ratio.get_ydata()
    assert x[0] == 1 and x[-1] == tail.LEAD_AT
    gap = tail.tempered_gap(range(1, tail.LEAD_AT + 1))
    np.testing.assert_allclose(y, [gap[f"ratio_{g}"] for g in x])
    assert len(fig.legends) == 1 and left.get_legend() is None
    single = figures.tricks_panel(tail.trick_runs())
    assert len(single.axes) == 1
    plt.close(single)


def test_mixture_legend_sits_in_the_empty_upper_right(drawn):
    legend = drawn["mixture_panels"].axes[0].get_legend()
    assert legend._loc == 1  # "upper right"


def test_mode_panel_gives_the_shares_in_percent_as_the_prose_does(drawn):
    """The chapter quotes how often runs end on the mode in percent; the middle panel's
    bars and the mode's real probability are drawn on the same scale."""
    middle = drawn["mode_panels"].axes[1]
    fixation = tail.mode_fixation()
    heights = [bar.get_height() for bar in middle.patches]
    np.testing.assert_allclose(heights, [100 * fixation[k] for k in fixation])
    line = middle.get_lines()[0].get_ydata()[0]
    assert line == pytest.approx(100 * co.zipf(tail.MODE_VOCAB)[0])
    assert middle.get_ylabel().endswith("(%)") and middle.get_ylim() == (0, 100)
