"""The figures of "A loop that improves", drawn from the chapter's own runs: no data line
crosses a legend entry or a label, no two labels overlap, and generations are whole."""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")

from _figcheck import fractional_ticks, overlapping_texts, text_crossings  # noqa: E402

from lossylib.claims import selftrain as cs  # noqa: E402
from lossylib.selftrain import figures  # noqa: E402


def _figures():
    runs = cs.expert_runs()
    ends, wrong = cs.false_accept_sweep()
    digits = cs.digit_runs()
    yield "hard_level_panel", figures.hard_level_panel(runs)
    yield "level_profile", figures.level_profile(runs["perfect verifier"], (0, 3, 6, 10, 20))
    yield "information_panel", figures.information_panel(runs)
    yield "false_accept_sweep", figures.false_accept_sweep(cs.SWEEP_RATES, ends, wrong, 10)
    yield "digit_measures", figures.digit_measures(digits)


@pytest.fixture(scope="module")
def drawn():
    import matplotlib.pyplot as plt

    out = dict(_figures())
    yield out
    for fig in out.values():
        plt.close(fig)


@pytest.mark.parametrize(
    "name",
    [
        "hard_level_panel",
        "level_profile",
        "information_panel",
        "false_accept_sweep",
        "digit_measures",
    ],
)
def test_labels_are_clear_of_the_data_and_of_each_other(drawn, name):
    fig = drawn[name]
    assert text_crossings(fig) == []
    assert overlapping_texts(fig) == []
    for ax in fig.axes:
        if ax.get_xlabel() == "generation":
            assert fractional_ticks(ax) == [], f"{name}: a generation tick is not whole"
