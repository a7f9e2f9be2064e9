"""The "Tail loss" figures whose labels once sat on the data, drawn from the chapter's own
runs (the same calls as chapters/tail-loss.md): no bar or line covers a legend entry or a
label, no two labels overlap, and generations are whole."""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")

from _figcheck import fractional_ticks, overlapping_texts, text_crossings  # noqa: E402

from lossylib import collapse as co  # noqa: E402
from lossylib.claims import tail  # noqa: E402
from lossylib.collapse import figures  # noqa: E402
from lossylib.collapse.tempered import tempered_support  # noqa: E402


def _mode_panels():
    """Fig. fig-tail-mode, with the chapter's data."""
    ends = co.simulate_gaussian(n=20, generations=400, trials=4000, seed=5).means[:, -1]
    small = co.zipf(10)
    fixation = {}
    for temp in (0.8, 0.9, 1.0, 1.1):
        runs = co.refit_categorical(
            small, 30, 300, trials=1000, temperature=temp, keep=(300,), seed=6
        )
        fixation[str(temp)] = (runs.snapshots[300][:, 0] == 1).mean()
    return figures.mode_panels(ends, fixation, small[0])


def _tricks_panel():
    """Fig. fig-tail-tricks, with the chapter's data."""
    p, N = co.zipf(10_000), 100_000
    closed = {"temperature 0.9": tempered_support(p, N, 0.9, 40)}
    return figures.tricks_panel(tail.trick_runs(), closed)


@pytest.fixture(scope="module")
def drawn():
    import matplotlib.pyplot as plt

    out = {"mode_panels": _mode_panels(), "tricks_panel": _tricks_panel()}
    yield out
    for fig in out.values():
        plt.close(fig)


@pytest.mark.parametrize("name", ["mode_panels", "tricks_panel"])
def test_labels_are_clear_of_the_data_and_of_each_other(drawn, name):
    fig = drawn[name]
    assert text_crossings(fig) == []
    assert overlapping_texts(fig) == []
    for ax in fig.axes:
        if ax.get_xlabel() == "generation":
            assert fractional_ticks(ax) == [], f"{name}: a generation tick is not whole"


def test_labels_stay_readable(drawn):
    for name, fig in drawn.items():
        for ax in fig.axes:
            legend = ax.get_legend()
            texts = list(legend.get_texts()) if legend is not None else []
            for text in texts + list(ax.texts):
                assert text.get_fontsize() >= 8, f"{name}: {text.get_text()!r} is too small"
