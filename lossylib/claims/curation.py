"""Claims 14-16 (chapter "The limits of curation"): can filtering and fresh data save the loop?

Each check runs a seeded experiment from :mod:`lossylib.curation` at a size fit for a page
and returns the verdict the numbers support. The experiments are shared with the chapter
through the cached functions below.
"""

from __future__ import annotations

import functools

import numpy as np

from lossylib import curation as cu
from lossylib.claims import CAVEAT, DOES_NOT_HOLD, HOLDS, Verdict, claim
from lossylib.collapse import DataPolicy, zipf

CHAPTER = "chapters/limits-of-curation"

#: The curated vocabulary: 1,000 valid Zipf tokens (and 1,000 wrong ones), 5,000 samples
#: a generation, 50 generations, the generator erring on 5% of its samples.
VOCAB, SAMPLES, GENERATIONS, ERROR, TRIALS = 1000, 5000, 50, 0.05, 8

#: The curation steps compared: label -> keyword arguments of ``curate_vocabulary``.
CURATIONS = {
    "no curation": {},
    "drop 5% least likely": {"filter": "likelihood", "strength": 0.05},
    "keep top 95% by quality": {"filter": "quality", "strength": 0.05},
    "perfect verifier": {"false_accept": 0.0},
    "noisy verifier (accept 50% wrong, reject 20% right)": {
        "false_accept": 0.5,
        "false_reject": 0.2,
    },
    "10% fresh real data": {"policy": DataPolicy("fresh", 0.1)},
}

#: The regression of Gerstgrasser et al.: dimension, points a generation, generations.
DIM, POINTS, REG_GENERATIONS, REG_TRIALS = 10, 40, 50, 4000

#: The JPEG restoration experiment: generations of save (quality 75) + restore.
RESTORE_GENERATIONS = 10


@functools.cache
def curation_runs() -> dict[str, cu.CurationRuns]:
    """Every curation of :data:`CURATIONS` on the same vocabulary (cached)."""
    return {
        label: cu.curate_vocabulary(
            zipf(VOCAB), SAMPLES, GENERATIONS, TRIALS, error=ERROR, seed=14, **kw
        )
        for label, kw in CURATIONS.items()
    }


@functools.cache
def regression_runs() -> dict[str, np.ndarray]:
    """Error multiples of the three memories: replace, accumulate, accumulate without
    the real data (cached)."""
    args = (DIM, POINTS, REG_GENERATIONS)
    return {
        "replace": cu.regression_loop(*args, "replace", REG_TRIALS, seed=15),
        "accumulate": cu.regression_loop(*args, "accumulate", REG_TRIALS, seed=15),
        "accumulate, real data dropped": cu.regression_loop(
            *args, "accumulate", REG_TRIALS, seed=15, keep_real=False
        ),
    }


@functools.cache
def restoration_rows() -> tuple[dict, ...]:
    """:func:`lossylib.curation.restoration_table` on the JPEG chapter's samples (cached)."""
    from lossylib.claims.jpeg import SAMPLES as NAMES
    from lossylib.claims.jpeg import sample

    images = {name: sample(name) for name in NAMES}
    return tuple(cu.restoration_table(images, RESTORE_GENERATIONS))


@claim(
    14,
    "Better filters help, but cannot recover information that was never generated.",
    chapter=CHAPTER,
)
def filters_cannot_recover() -> Verdict:
    """Filters and verifiers in the recursive vocabulary loop, against fresh data."""
    runs = curation_runs()
    ev: dict[str, float] = {"support_start": float(runs["no curation"].support[:, 0].mean())}
    for label, r in runs.items():
        key = label.split(" (")[0].replace(" ", "_").replace("%", "pct")
        ev[f"support_end_{key}"] = float(r.support[:, -1].mean())
        ev[f"wrong_end_{key}"] = float(r.wrong_share[:, -1].mean())
    curated = [k for k in CURATIONS if k not in ("no curation", "10% fresh real data")]
    # the largest rise of any run's support from one generation to the next
    ev["largest_support_rise_curated"] = float(
        max(np.diff(runs[k].support, axis=1).max() for k in curated)
    )
    ev["largest_support_rise_fresh"] = float(
        np.diff(runs["10% fresh real data"].support, axis=1).max()
    )
    ev["wrong_limit_noisy_verifier"] = cu.wrong_share_limit(ERROR, 0.5, 0.2)
    helped = ev["wrong_end_perfect_verifier"] < 0.1 * ev["wrong_end_no_curation"]
    never_back = ev["largest_support_rise_curated"] <= 0
    best = max(ev[f"support_end_{k}"] for k in ("perfect_verifier", "drop_5pct_least_likely"))
    summary = (
        f"Curation stops the errors (wrong outputs {ev['wrong_end_no_curation']:.0%} of the "
        f"model after {GENERATIONS} generations without it, "
        f"{ev['wrong_end_perfect_verifier']:.0%} with a perfect verifier) but no filter "
        f"ever brought a lost token back: the best curated run keeps {best:.0f} of "
        f"{ev['support_start']:.0f} tokens. Only fresh real data does "
        f"({ev['support_end_10pct_fresh_real_data']:.0f} kept)."
    )
    if helped and never_back and best < 0.5 * ev["support_start"]:
        return Verdict(HOLDS, ev, summary)
    return Verdict(CAVEAT if never_back else DOES_NOT_HOLD, ev, summary)


@claim(
    15,
    "Explicit memory and retrieval only move where the artifacts accumulate.",
    chapter=CHAPTER,
)
def memory_moves_artifacts() -> Verdict:
    """Linear regression on its own predictions: replacing vs accumulating data."""
    runs = regression_runs()
    vocab = curation_runs()
    accumulate_vocab = cu.curate_vocabulary(
        zipf(VOCAB), SAMPLES, GENERATIONS, TRIALS, error=ERROR, policy="accumulate", seed=14
    )
    t = REG_GENERATIONS
    ev = {
        "generations": t,
        "replace_end": float(runs["replace"][-1]),
        "replace_theory": float(cu.regression_theory(t, "replace")[-1]),
        "accumulate_end": float(runs["accumulate"][-1]),
        "accumulate_theory": float(cu.regression_theory(t, "accumulate")[-1]),
        "accumulate_bound": cu.ACCUMULATE_BOUND,
        "synthetic_memory_end": float(runs["accumulate, real data dropped"][-1]),
        "synthetic_memory_bound": 1 + cu.ACCUMULATE_BOUND,
        "vocab_support_replace": float(vocab["no curation"].support[:, -1].mean()),
        "vocab_support_accumulate": float(accumulate_vocab.support[:, -1].mean()),
        "vocab_support_start": float(accumulate_vocab.support[:, 0].mean()),
    }
    bounded = ev["accumulate_end"] < 1.05 * ev["accumulate_bound"]
    grows = ev["replace_end"] > 0.8 * t
    summary = (
        f"Keeping the data bounds the damage instead of moving it: after {t} generations "
        f"the regression's error is {ev['replace_end']:.0f}x the real-data error when "
        f"replacing, {ev['accumulate_end']:.2f}x when accumulating (bound pi^2/6 = 1.64), "
        f"and {ev['synthetic_memory_end']:.2f}x with a memory of its own outputs only. "
        f"What memory cannot do is undo the loss: the error never returns to 1x."
    )
    if bounded and grows:
        return Verdict(DOES_NOT_HOLD, ev, summary)
    return Verdict(CAVEAT, ev, summary)


@claim(
    16,
    "Sharpening or restoring between generations looks crisper without bringing back "
    "what was lost.",
    chapter=CHAPTER,
)
def restoration_looks_crisper() -> Verdict:
    """Sharpening, denoising and re-saving at 95 between JPEG saves, against the original."""
    rows = restoration_rows()

    def pick(restoration: str, key: str) -> list[float]:
        return [r[key] for r in rows if r["restoration"] == restoration]

    base1, base_end = np.array(pick("none", "psnr_1")), np.array(pick("none", "psnr_end"))
    ev: dict[str, float] = {"generations": RESTORE_GENERATIONS}
    for r in ("sharpen", "median", "tv denoise", "re-save at 95"):
        key = r.replace(" ", "_").replace("-", "")
        ev[f"{key}_gain_1"] = float(np.max(np.array(pick(r, "psnr_1")) - base1))
        ev[f"{key}_gain_end"] = float(np.max(np.array(pick(r, "psnr_end")) - base_end))
        ev[f"{key}_hf_ratio_end"] = float(np.median(pick(r, "hf_ratio_end")))
        ev[f"{key}_detail_end"] = float(np.median(pick(r, "detail_end")))
    ev["none_detail_end"] = float(np.median(pick("none", "detail_end")))
    crisper_not_closer = (
        ev["sharpen_hf_ratio_end"] > 1.5
        and ev["sharpen_gain_end"] < 0
        and ev["sharpen_detail_end"] < ev["none_detail_end"]
    )
    any_gain = max(ev[k] for k in ev if k.endswith("_gain_1") or k.endswith("_gain_end"))
    ev["best_gain_db"] = float(any_gain)
    summary = (
        f"Sharpening made the images look crisper ({ev['sharpen_hf_ratio_end']:.0f}x the "
        f"original's high-frequency share after {RESTORE_GENERATIONS} generations) and "
        f"took them further from the original; no restoration ended closer to it than plain "
        f"re-saving. One gentle denoise after a single save did gain up to "
        f"{ev['tv_denoise_gain_1']:.1f} dB, with a prior about natural images from outside "
        f"the loop."
    )
    if not crisper_not_closer:
        return Verdict(DOES_NOT_HOLD, ev, summary)
    if any_gain > 0.05:
        return Verdict(CAVEAT, ev, summary)
    return Verdict(HOLDS, ev, summary)
