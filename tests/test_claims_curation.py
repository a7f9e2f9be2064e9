"""Claims 14-16: the verdicts and the evidence the chapter quotes stay what it says.

The checks are seeded; the restoration experiment is deterministic (JPEG and the filters
have no randomness), so its outcomes are pinned against the original.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lossylib import claims
from lossylib.claims import curation as cc


@pytest.fixture(scope="module")
def verdicts():
    return {n: claims.get(n).check() for n in (14, 15, 16)}


def test_registered_for_the_chapter():
    for n in (14, 15, 16):
        c = claims.get(n)
        assert c.chapter == "chapters/limits-of-curation"
        assert c.statement.endswith(".")


def test_claim_14_filters_help_but_never_bring_a_token_back(verdicts):
    v = verdicts[14]
    ev = v.evidence
    assert v.verdict == claims.HOLDS
    assert ev["largest_support_rise_curated"] == 0
    assert ev["largest_support_rise_fresh"] > 0
    assert ev["wrong_end_perfect_verifier"] == 0.0
    assert ev["wrong_end_no_curation"] > 0.5
    for key in ("drop_5pct_least_likely", "keep_top_95pct_by_quality", "noisy_verifier"):
        assert ev[f"wrong_end_{key}"] < 0.5 * ev["wrong_end_no_curation"]
        assert ev[f"support_end_{key}"] < 0.5 * ev["support_start"]
    assert ev["support_end_10pct_fresh_real_data"] > 2 * ev["support_end_perfect_verifier"]
    # the best curated run is the best of all four curated runs
    curated = ("drop_5pct_least_likely", "keep_top_95pct_by_quality", "perfect_verifier")
    best = max(ev[f"support_end_{k}"] for k in (*curated, "noisy_verifier"))
    assert ev["support_end_best_curated"] == best
    assert f"{best:.0f} of {ev['support_start']:.0f}" in v.summary


def test_claim_15_accumulation_bounds_the_error(verdicts):
    v = verdicts[15]
    ev = v.evidence
    assert v.verdict == claims.DOES_NOT_HOLD
    # 4000 trials; the per-trial multiple has sd < 1 at 50 generations when accumulating
    # (about 0.7), so 4 SE < 0.06; when replacing sd is about 50 * 0.7, 4 SE < 0.6 * 50/10.
    assert ev["accumulate_end"] == pytest.approx(ev["accumulate_theory"], abs=0.06)
    assert ev["accumulate_end"] < ev["accumulate_bound"] + 0.06
    assert ev["accumulate_bound"] == pytest.approx(math.pi**2 / 6)
    assert ev["replace_end"] == pytest.approx(ev["generations"], rel=0.1)
    assert ev["synthetic_memory_end"] < ev["synthetic_memory_bound"] + 0.1
    assert ev["vocab_support_accumulate"] == ev["vocab_support_start"]
    # memory does not undo the loss: the error never returns to where it started
    assert ev["accumulate_lowest_later"] > ev["accumulate_first"]
    assert "bounds the damage" in v.summary


def test_claim_16_restoration_pinned_against_the_original(verdicts):
    v = verdicts[16]
    ev = v.evidence
    assert v.verdict == claims.CAVEAT
    # sharpening: much crisper, much further from the original, less of its detail
    assert ev["sharpen_hf_ratio_end"] > 5
    assert ev["sharpen_gain_end"] < -5
    assert ev["sharpen_detail_end"] < ev["none_detail_end"] - 0.2
    # no restoration ends closer to the original than plain re-saving
    for key in ("sharpen", "median", "tv_denoise", "resave_at_95"):
        assert ev[f"{key}_gain_end"] < 0
    # the one gain: a single gentle TV denoise after one save (a prior from outside)
    assert 0.2 < ev["tv_denoise_gain_1"] < 1.0
    assert ev["resave_at_95_gain_1"] <= 0.05
    assert ev["median_gain_1"] < 0


# The other outcomes of each check, on made-up experiment results: the verdict and the
# summary follow the evidence.


def _fake_curation(support_end, rise=0, wrong_perfect=0.0):
    """Curation runs in which every curated run keeps ``support_end`` of 100 tokens."""
    gens = 5

    def runs(support, wrong, step=0):
        s = np.linspace(100, support, gens)[None, :].round()
        if step:
            s[0, 2] = s[0, 1] + step
        w = np.full((1, gens), wrong)
        return cc.cu.CurationRuns(s, w, w, w)

    out = {k: runs(support_end, 0.1, rise) for k in cc.CURATIONS}
    out["no curation"] = runs(10, 0.9)
    out["perfect verifier"] = runs(support_end, wrong_perfect)
    out["10% fresh real data"] = runs(60, 0.3, step=5)
    return out


@pytest.mark.parametrize(
    ("support_end", "rise", "wrong_perfect", "verdict", "phrase"),
    [
        (20, 0, 0.0, claims.HOLDS, "ever rose"),
        (20, 3, 0.0, claims.DOES_NOT_HOLD, "did bring tokens back"),
        (20, 0, 0.5, claims.CAVEAT, "barely cut the errors"),
        (80, 0, 0.0, claims.CAVEAT, "mostly kept"),
    ],
)
def test_claim_14_outcomes(monkeypatch, support_end, rise, wrong_perfect, verdict, phrase):
    monkeypatch.setattr(
        cc, "curation_runs", lambda: _fake_curation(support_end, rise, wrong_perfect)
    )
    v = cc.filters_cannot_recover.__wrapped__()
    assert v.verdict == verdict
    assert phrase in v.summary
    assert ("did bring tokens back" in v.summary) == (verdict == claims.DOES_NOT_HOLD)


def _fake_regression(replace_end, accumulate_end):
    g = cc.REG_GENERATIONS
    return {
        "replace": np.linspace(1, replace_end, g),
        "accumulate": np.linspace(1, accumulate_end, g),
        "accumulate, real data dropped": np.linspace(1, 1 + accumulate_end, g),
    }


@pytest.mark.parametrize(
    ("replace_end", "accumulate_end", "verdict", "phrase"),
    [
        (50.0, 1.6, claims.DOES_NOT_HOLD, "bounds the damage"),
        (50.0, 30.0, claims.HOLDS, "did not bound the damage"),
        (5.0, 1.6, claims.CAVEAT, "cannot tell"),
    ],
)
def test_claim_15_outcomes(monkeypatch, replace_end, accumulate_end, verdict, phrase):
    monkeypatch.setattr(
        cc, "regression_runs", lambda: _fake_regression(replace_end, accumulate_end)
    )
    v = cc.memory_moves_artifacts.__wrapped__()
    assert v.verdict == verdict
    assert phrase in v.summary


def _fake_rows(sharpen_hf, sharpen_psnr_end, tv_psnr_1):
    rows = [
        {
            "restoration": "none",
            "psnr_1": 30.0,
            "psnr_end": 28.0,
            "hf_ratio_end": 1.0,
            "detail_end": 0.9,
        },
    ]
    for r in ("median", "tv denoise", "re-save at 95"):
        rows.append(
            {
                "restoration": r,
                "psnr_1": 29.0,
                "psnr_end": 27.0,
                "hf_ratio_end": 0.8,
                "detail_end": 0.8,
            }
        )
    rows[2]["psnr_1"] = tv_psnr_1
    rows.append(
        {
            "restoration": "sharpen",
            "psnr_1": 29.0,
            "psnr_end": sharpen_psnr_end,
            "hf_ratio_end": sharpen_hf,
            "detail_end": 0.5,
        }
    )
    return tuple(rows)


@pytest.mark.parametrize(
    ("sharpen_hf", "sharpen_psnr_end", "tv_psnr_1", "verdict", "phrase"),
    [
        (10.0, 20.0, 29.0, claims.HOLDS, "No restoration brought"),
        (10.0, 20.0, 30.5, claims.CAVEAT, "the tv denoise gained up to 0.5 dB"),
        (1.0, 20.0, 29.0, claims.DOES_NOT_HOLD, "high-frequency share"),
        (10.0, 29.0, 29.0, claims.DOES_NOT_HOLD, "PSNR against the original"),
    ],
)
def test_claim_16_outcomes(monkeypatch, sharpen_hf, sharpen_psnr_end, tv_psnr_1, verdict, phrase):
    monkeypatch.setattr(
        cc, "restoration_rows", lambda: _fake_rows(sharpen_hf, sharpen_psnr_end, tv_psnr_1)
    )
    v = cc.restoration_looks_crisper.__wrapped__()
    assert v.verdict == verdict
    assert phrase in v.summary
