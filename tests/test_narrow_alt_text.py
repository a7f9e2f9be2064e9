"""The words and numbers typed into the "Narrow targets" chapter's captions, alt texts and
prose follow the runs.

Captions and alt text live in a cell's ``mystnb:`` metadata, where ``{glue}`` does not
reach, so what they say about the data is typed; these tests recompute each statement,
so that a change to the data or the models that moves it fails here instead of leaving
a figure's description wrong.
"""

from __future__ import annotations

from pathlib import Path

import _pagemeta
import numpy as np
import pytest

from lossylib import claims
from lossylib import proxy as px
from lossylib.claims import proxy as cp

PAGE = Path(__file__).resolve().parents[1] / "chapters" / "narrow-targets.md"


def figure_metadata() -> dict[str, dict]:
    return _pagemeta.figure_metadata(PAGE)


def caption(name: str) -> str:
    return " ".join(figure_metadata()[name]["figure"]["caption"].split())


def alt(name: str) -> str:
    return " ".join(figure_metadata()[name]["image"]["alt"].split())


def prose() -> str:
    return " ".join(PAGE.read_text().split())


def test_every_figure_has_a_caption_and_alt_text():
    meta = figure_metadata()
    assert set(meta) >= {
        "fig-nar-selection", "fig-nar-gao", "fig-nar-search", "fig-nar-emergence",
        "fig-nar-digits", "fig-nar-falls", "fig-nar-shift",
    }  # fmt: skip
    for name in meta:
        assert len(caption(name)) > 40 and len(alt(name)) > 40, name


def test_selection_caption_states_rho_and_its_share():
    text = caption("fig-nar-selection")
    assert "correlated 0.5" in text and cp.RHO == 0.5
    # "the true gain is exactly half the proxy's gain at every n" (normal error: rho)
    assert "exactly half" in text
    for n in (2, 100, 10**4):
        true, proxy = px.gain_theory(n, cp.RHO)
        assert true / proxy == pytest.approx(0.5, abs=1e-6)


def test_falls_alt_text_follows_the_falls():
    text = alt("fig-nar-falls")
    lc = cp.value_curve()
    cal, raw = lc.falls(), lc.falls(calibrated=False)
    assert "30 to 60, 60 to 120, 120 to 250, 250 to 500 and 500 to 1000" in text
    assert tuple(lc.sizes) == (30, 60, 120, 250, 500, 1000)
    assert "from about a third at the first steps to about an eighth at the last" in text
    for key in ("loss", "error"):
        assert np.all((cal[key][:2] > 0.28) & (cal[key][:2] < 0.40))
        assert 0.10 < cal[key][-1] < 0.16
    assert "from about four fifths at the first step to about a fifth at the last" in text
    assert 0.72 < raw["loss"][0] < 0.88 and 0.16 < raw["loss"][-1] < 0.24
    assert np.all(raw["loss"] > cal["loss"]) and "higher each time" in text


def test_shift_alt_text_and_prose_follow_the_moves():
    text = alt("fig-nar-shift")
    lc = cp.value_curve()
    assert "six falling curves" in text and 1 + len(cp.SHIFTS) == 6
    assert "an eighth, a quarter, a half, three quarters and a whole pixel" in text
    assert cp.SHIFTS == (0.125, 0.25, 0.5, 0.75, 1.0) and cp.SHIFT == 1.0
    errors = [lc.error_rate, *(lc.shifted_error_rate(s) for s in cp.SHIFTS)]
    # "each higher and flatter than the last": higher at every size, smaller last fall
    for lower, higher in zip(errors, errors[1:], strict=False):
        assert np.all(higher > lower)
        assert 1 - higher[-1] / higher[-2] < 1 - lower[-1] / lower[-2]
    assert np.all(np.diff(np.array(errors), axis=1) < 0)  # all falling
    # "a small fraction of the loss bar at a whole pixel"
    assert lc.falls(shift=1.0)["error"][-1] < lc.falls()["loss"][-1] / 4
    # "a dashed forecast from the loss lies on the lowest curve"
    _, _, mapped = lc.error_from_loss_fit(cp.MAP_FIT)
    assert np.all(np.abs(mapped / lc.error_rate - 1) < 0.05)
    # the prose glues the moves in words
    words = cp.page_words()
    assert words["smallest_shift"] == "an eighth of a pixel" and words["shift"] == "one pixel"
    page = prose()
    assert "by {glue:text}`nar_words_smallest_shift` up to a whole pixel" in page
    assert "moved {glue:text}`nar_words_shift` sideways" in page


def test_search_alt_text_follows_the_excess():
    text = alt("fig-nar-search")
    assert "rising from zero to under one point, their shaded bands above zero at the end" in text
    for label in ("random search", "hill climb"):
        r = cp.research_run(label)
        assert r.excess[0] == 0 and 0 < r.excess[-1] < 0.01
        assert r.excess[-1] - 2 * r.excess_se[-1] > 0
    # "each validation curve sits slightly above its test curve"
    assert all(np.all(cp.research_run(k).gap[1:] > 0) for k in ("random search", "hill climb"))


def test_digits_alt_text_follows_the_predictions():
    text = alt("fig-nar-digits")
    assert "open triangles predicted from the fitted map of the loss sit on it" in text
    ev = claims.get(19).check().evidence
    assert ev["error_from_map"] < 0.02 and ev["error_from_accuracy"] < 0.02
    assert "far below at every size" in text
    lc = cp.value_curve()
    em, _ = lc.exact_match(cp.K, seed=19)
    assert np.all(np.exp(-cp.K * lc.calibrated) < em - 0.05)
