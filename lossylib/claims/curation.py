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


def _key(label: str) -> str:
    """The evidence key of a curation label: "drop 5% least likely" -> "drop_5pct_least_likely"."""
    return label.split(" (")[0].replace(" ", "_").replace("%", "pct")


@claim(
    14,
    "Better filters help, but no filter can bring back what the model never produced.",
    chapter=CHAPTER,
)
def filters_cannot_recover() -> Verdict:
    """Filters and verifiers in the recursive vocabulary loop, against fresh data."""
    runs = curation_runs()
    ev: dict[str, float] = {"support_start": float(runs["no curation"].support[:, 0].mean())}
    for label, r in runs.items():
        ev[f"support_end_{_key(label)}"] = float(r.support[:, -1].mean())
        ev[f"wrong_end_{_key(label)}"] = float(r.wrong_share[:, -1].mean())
    curated = [k for k in CURATIONS if k not in ("no curation", "10% fresh real data")]
    # the largest rise of any run's support from one generation to the next
    ev["largest_support_rise_curated"] = float(
        max(np.diff(runs[k].support, axis=1).max() for k in curated)
    )
    ev["largest_support_rise_fresh"] = float(
        np.diff(runs["10% fresh real data"].support, axis=1).max()
    )
    ev["wrong_limit_noisy_verifier"] = cu.wrong_share_limit(ERROR, 0.5, 0.2)
    best_label = max(curated, key=lambda k: ev[f"support_end_{_key(k)}"])
    ev["support_end_best_curated"] = ev[f"support_end_{_key(best_label)}"]
    helped = ev["wrong_end_perfect_verifier"] < 0.1 * ev["wrong_end_no_curation"]
    never_back = ev["largest_support_rise_curated"] <= 0
    tail_lost = ev["support_end_best_curated"] < 0.5 * ev["support_start"]

    errors = (
        f"wrong outputs make up {ev['wrong_end_no_curation']:.0%} of the model after "
        f"{runs['no curation'].support.shape[1]} generations without curation and "
        f"{ev['wrong_end_perfect_verifier']:.0%} with a perfect verifier"
    )
    tail = (
        f"the best curated run ({best_label}) can still produce "
        f"{ev['support_end_best_curated']:.0f} of {ev['support_start']:.0f} valid tokens"
    )
    fresh = (
        f" With 10% fresh real data the count rose by up to "
        f"{ev['largest_support_rise_fresh']:.0f} tokens in one generation."
        if ev["largest_support_rise_fresh"] > 0
        else ""
    )
    if not never_back:
        summary = (
            f"A curated run's count of valid tokens rose by up to "
            f"{ev['largest_support_rise_curated']:.0f} in one generation, so a filter did "
            f"bring tokens back; {tail}."
        )
        return Verdict(DOES_NOT_HOLD, ev, summary)
    if helped and tail_lost:
        summary = (
            f"Curation cuts the errors ({errors}), but no curated run's count of valid "
            f"tokens ever rose from one generation to the next: {tail}.{fresh}"
        )
        return Verdict(HOLDS, ev, summary)
    caveats = []
    if not helped:
        caveats.append(f"curation barely cut the errors ({errors})")
    if not tail_lost:
        caveats.append(f"the tail was mostly kept anyway: {tail}")
    summary = (
        "No curated run's count of valid tokens ever rose from one generation to the next, "
        f"but {' and '.join(caveats)}.{fresh}"
    )
    return Verdict(CAVEAT, ev, summary)


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
        "accumulate_first": float(runs["accumulate"][0]),
        "accumulate_lowest_later": float(runs["accumulate"][1:].min()),
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
    errors = (
        f"after {t} generations the regression's error is {ev['replace_end']:.1f}x the "
        f"real-data error when replacing and {ev['accumulate_end']:.2f}x when "
        f"accumulating (bound pi^2/6 = {ev['accumulate_bound']:.2f})"
    )
    if not bounded:
        summary = (
            f"Keeping the data did not bound the damage: {errors}, so the error piled up "
            f"in the accumulated data as well."
        )
        return Verdict(HOLDS, ev, summary)
    never_undone = (
        " What memory did not do is undo the loss: after the first generation the "
        f"accumulated error never fell below {ev['accumulate_lowest_later']:.2f}x, above "
        f"the {ev['accumulate_first']:.2f}x it started from."
        if ev["accumulate_lowest_later"] > ev["accumulate_first"]
        else ""
    )
    if grows:
        summary = (
            f"Keeping the data bounds the damage instead of moving it: {errors}, and "
            f"{ev['synthetic_memory_end']:.2f}x with a memory of its own outputs only "
            f"(bound {ev['synthetic_memory_bound']:.2f}).{never_undone}"
        )
        return Verdict(DOES_NOT_HOLD, ev, summary)
    summary = (
        f"Accumulating kept the error bounded, but replacing did not make it grow as "
        f"expected either ({errors}), so this run cannot tell whether memory moves the "
        f"damage or bounds it.{never_undone}"
    )
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
    names = {}
    for r in ("sharpen", "median", "tv denoise", "re-save at 95"):
        key = r.replace(" ", "_").replace("-", "")
        names[key] = r
        ev[f"{key}_gain_1"] = float(np.max(np.array(pick(r, "psnr_1")) - base1))
        ev[f"{key}_gain_end"] = float(np.max(np.array(pick(r, "psnr_end")) - base_end))
        ev[f"{key}_hf_ratio_end"] = float(np.median(pick(r, "hf_ratio_end")))
        ev[f"{key}_detail_end"] = float(np.median(pick(r, "detail_end")))
    ev["none_detail_end"] = float(np.median(pick("none", "detail_end")))
    crisper = ev["sharpen_hf_ratio_end"] > 1.5
    further = ev["sharpen_gain_end"] < 0
    less_detail = ev["sharpen_detail_end"] < ev["none_detail_end"]
    crisper_not_closer = crisper and further and less_detail
    gains = {k: ev[k] for k in ev if k.endswith("_gain_1") or k.endswith("_gain_end")}
    best_key = max(gains, key=gains.get)
    ev["best_gain_db"] = float(gains[best_key])
    ev["best_gain_end_db"] = float(max(v for k, v in gains.items() if k.endswith("_end")))
    g = RESTORE_GENERATIONS
    if not crisper_not_closer:
        found = [
            f"its high-frequency share was {ev['sharpen_hf_ratio_end']:.2f}x the "
            f"original's after {g} generations",
            f"its PSNR against the original changed by {ev['sharpen_gain_end']:+.2f} dB "
            "relative to plain re-saving",
            f"its fine-detail correlation with the original was "
            f"{ev['sharpen_detail_end']:.2f} against {ev['none_detail_end']:.2f}",
        ]
        failed = [f for f, ok in zip(found, (crisper, further, less_detail), strict=True) if not ok]
        summary = (
            "Sharpening between saves did not both look crisper and move away from the "
            f"original: {'; '.join(failed)}."
        )
        return Verdict(DOES_NOT_HOLD, ev, summary)
    sharpened = (
        f"Sharpening made the images look crisper ({ev['sharpen_hf_ratio_end']:.0f}x the "
        f"original's high-frequency share after {g} generations) while taking them "
        f"further from the original (at least {-ev['sharpen_gain_end']:.1f} dB below plain "
        f"re-saving on every sample) and keeping less of its fine detail (median "
        f"correlation {ev['sharpen_detail_end']:.2f} against {ev['none_detail_end']:.2f})."
    )
    if ev["best_gain_db"] > 0.05:
        restoration = names[best_key.rsplit("_gain_", 1)[0]]
        when = "after a single save" if best_key.endswith("_gain_1") else f"after {g} saves"
        ending = (
            f"no restoration ended closer to it than plain re-saving after {g} generations"
            if ev["best_gain_end_db"] < 0
            else f"a restoration ended up to {ev['best_gain_end_db']:.2f} dB closer to it "
            f"after {g} generations"
        )
        summary = (
            f"{sharpened} But one restoration did bring the image closer to the original: "
            f"the {restoration} gained up to {ev['best_gain_db']:.1f} dB {when}; {ending}."
        )
        return Verdict(CAVEAT, ev, summary)
    summary = (
        f"{sharpened} No restoration brought an image more than 0.05 dB closer to the "
        f"original than plain re-saving, after one save or after {g}."
    )
    return Verdict(HOLDS, ev, summary)
