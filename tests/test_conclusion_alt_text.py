"""The numbers in the conclusion's alt texts (and one exercise) follow the runs.

Alt text lives in a cell's ``mystnb: image: alt:`` metadata, where ``{glue}`` does not
reach, so the numbers there are typed; these tests recompute each one, so that a change
to the data or the models that moves it fails here instead of leaving a figure's
description wrong.
"""

from __future__ import annotations

from pathlib import Path

import _pagemeta
import numpy as np

from lossylib.claims import conclusion as cc
from lossylib.trends import experiments as ex
from lossylib.trends.data import load_series
from lossylib.trends.loop import Input, central_regimes

PAGE = Path(__file__).resolve().parents[1] / "chapters" / "conclusion.md"


def figure_metadata() -> dict[str, dict]:
    return _pagemeta.figure_metadata(PAGE)


def alt(name: str) -> str:
    return " ".join(figure_metadata()[name]["image"]["alt"].split())


def test_every_figure_has_a_caption_and_alt_text():
    figures = figure_metadata()
    assert len(figures) >= 5
    for name, meta in figures.items():
        assert meta["figure"]["caption"].strip(), name
        assert len(meta["image"]["alt"].split()) >= 15, name


def test_headline_alt_text_spans_the_data():
    text = alt("fig-con-headline")
    first = min(int(load_series(n)[0].min()) for n in ("transistors", "specint", "frequency"))
    last = max(int(load_series(n)[0].max()) for n in ("transistors", "specint", "frequency"))
    assert f"from {first} to {last}" in text


def test_era_alt_text_splits_where_the_eras_do():
    assert f"before {ex.ERAS[1][0]}" in alt("fig-con-eras")


def test_synthetic_alt_text_years_and_shares():
    text = alt("fig-con-synthetic")
    assert f"up to about year {round(ex.early_end())}" in text
    assert f"the inflection, year {ex.CURVE.midpoint:.0f}" in text
    ends = np.array(ex.SYNTH_ENDS)
    delta = ex.synthetic_arrays()["delta_aic"]
    # "at the lenient one it climbs to about half the samples a year before it"
    year_before = np.flatnonzero(ends == ex.CURVE.midpoint - 1)[0]
    assert 0.3 <= (delta[:, year_before] > min(ex.THRESHOLDS)).mean() <= 0.7
    # "and both reach all samples five years after it"
    assert "all samples five years after it" in text
    five = np.flatnonzero(ends == ex.CURVE.midpoint + 5)[0]
    assert (delta[:, five] > ex.CLEAR_AIC).mean() == 1.0


def test_exercise_fits_the_bottom_of_the_s_then_past_the_inflection():
    """The exercise fits the data before year 25, the bottom of the S (below a quarter
    of the ceiling), as the chapter's point needs; then "try t < 35, five years past
    the inflection" (a referee found it fitting past the inflection only)."""
    text = PAGE.read_text()
    assert "(`t < 25`" in text and "seen = tt < 25" in text
    assert 25 < ex.early_end()
    assert "`t < 35`, five years past the inflection" in text
    assert 35 - ex.CURVE.midpoint == 5


def _regimes_over_phi(automation: float) -> tuple[np.ndarray, np.ndarray]:
    """The figure's left panel for one row: the central regime over its grid of phi."""
    inputs = cc.loop_inputs()[0]
    phis = np.linspace(0.0, 1.2, 49)  # as figures.loop_regimes draws it
    regimes = [central_regimes({**inputs, "phi": Input(p, p, p, "t")}, [automation])[0]
               for p in phis]  # fmt: skip
    return phis, np.array(regimes)


def test_loop_alt_text_numbers():
    text = alt("fig-con-loop")
    rows = [f"{a:.0%}" for a in cc.AUTOMATION]
    assert f"six equal rows of automation from {rows[0]} to {rows[-1]}" in text
    assert len(cc.AUTOMATION) == 6
    # "the measured returns, about 0.9"
    phi = cc.loop_inputs()[0]["phi"].value
    assert "measured returns, about 0.9," in text and round(phi, 1) == 0.9
    # "blue (slows) left of returns of one and orange (explodes) right of it, except the
    # 100% row, which is orange from returns of about 0.5"
    for a in cc.AUTOMATION[:-1]:
        phis, regimes = _regimes_over_phi(a)
        assert "explodes" not in regimes[phis < 1]
        assert 1 < phis[regimes == "explodes"].min() < 1.1
    phis, regimes = _regimes_over_phi(1.0)
    assert "orange from returns of about 0.5" in text
    assert round(phis[regimes == "explodes"].min(), 1) == 0.5
    # "horizons of 200, 1,000, 3,000 and 10,000 generations"
    h = [f"{x:,.0f}" for x in cc.HORIZONS]
    assert f"horizons of {', '.join(h[:-1])} and {h[-1]} generations" in text
    # "the 100% row is orange throughout, the other rows blue at 200 and 1,000
    # generations and green (saturates) from 3,000"
    by = cc.loop_horizons()
    assert set(by[:, -1]) == {"explodes"}
    assert set(by[:2, :-1].ravel()) == {"slows"} and set(by[2:, :-1].ravel()) == {"saturates"}
    assert f"green (saturates) from {h[2]}" in text


def test_real_prefix_caption_agrees_with_the_text_on_the_ceilings():
    """The text says the fits up to 2003-2005 came close but could not be trusted (no
    better AIC than the exponential); the caption must not say none came right."""
    f = ex.facts()
    caption = " ".join(figure_metadata()["fig-con-real"]["figure"]["caption"].split())
    assert "came right" not in caption and "could be trusted" in caption
    assert all(0.5 < f[f"ceiling_{y}_ratio"] < 2 for y in (2003, 2004, 2005))
    study = ex.real_prefix()
    close = np.isin(study.ends, [2003.0, 2004.0, 2005.0])
    assert np.all(study.delta_aic[close] <= cc.PREFER_AIC)
