"""Claims 14-16: the verdicts and the evidence the chapter quotes stay what it says.

The checks are seeded; the restoration experiment is deterministic (JPEG and the filters
have no randomness), so its outcomes are pinned against the original.
"""

from __future__ import annotations

import math

import pytest

from lossylib import claims


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
