"""Claims 18-19 (chapter "Narrow targets"): pushing one measured number.

Claim 18 is judged on the automated researcher of :mod:`lossylib.proxy.research` (real
data: the bundled digits) with the best-of-n model of :mod:`lossylib.proxy.selection` as
context; claim 19 on a learning curve of the digits (:mod:`lossylib.proxy.metrics`). The
verdicts and summaries are worked out from the evidence alone (:func:`rule_narrow`,
:func:`rule_value`), so every branch is tested on made-up evidence, and
:func:`judge_gain` is the same rule applied to any (measured gain, real gain) pair, which
is how the chapter shows the verdict over rho and the error's tail.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping

import numpy as np

from lossylib import proxy as px
from lossylib.claims import CAVEAT, DOES_NOT_HOLD, HOLDS, Verdict, claim
from lossylib.proxy import metrics
from lossylib.resampling import HalvesCheck, corrected_from_plain, disjoint_halves

CHAPTER = "chapters/narrow-targets"

#: Best-of-n: the proxy's correlation, the heavy tail (Student t, df), the n simulated,
#: selections per n, and how far the theory is drawn.
RHO, DF, TRIALS = 0.5, 3.0, 3000
N_SIM = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
N_MAX = 10**6

#: The automated researcher: attempts per search, searches, data splits. The excess is
#: a fraction of a point, so it takes many splits to tell it from the luck of the split
#: set: with 24 or 36 it is within two standard errors of zero (see
#: :func:`claim_18_over_splits`). 96 is the largest multiple of 12 that
#: :func:`lossylib.proxy.autoresearch` allows (100 splits); 25 searches per split keep the
#: search noise small.
ATTEMPTS, SEARCHES, SPLITS = 100, 2400, 96

#: The split counts :func:`claim_18_over_splits` compares (the splits are numbered, so
#: each count adds new splits to the ones before).
SPLIT_COUNTS = (12, 24, 36, 48, 60, 72, 84, 96)

#: Claim 19: digits in one "answer" for exact match, and random splits of the learning
#: curve (the last doubling's falls in loss and error rate differ by a few points).
K, CURVE_SPLITS = 10, 24

#: A measured gain overstates the real one when the excess is this many SEs above zero;
#: the claim holds outright when less than this share of the measured gain is real.
SIGNIFICANT, REAL_SHARE = 2.0, 0.5
#: Claim 19's margin: the error rate kept up with the loss if the loss's relative fall
#: exceeded the error rate's by less than this even at the top of its interval (the
#: difference plus :data:`SIGNIFICANT` standard errors), and the two came apart if it did
#: by more than this even at the bottom. A difference whose interval straddles the margin
#: is not evidence either way.
KEPT_UP = 0.05


def judge_gain(measured: float, real: float, excess: float, excess_se: float) -> str:
    """The verdict for one (measured gain, real gain) pair: does the measured number
    overstate the real one, and is most of the gain an illusion?

    Examples
    --------
    >>> judge_gain(1.0, 0.3, 0.7, 0.01), judge_gain(1.0, 0.8, 0.2, 0.01)
    ('holds', 'holds with a caveat')
    >>> judge_gain(1.0, 1.0, 0.0, 0.01)
    'does not hold'
    """
    if not excess > SIGNIFICANT * excess_se:
        return DOES_NOT_HOLD
    share = real / measured if measured > 0 else 0.0
    return HOLDS if share < REAL_SHARE else CAVEAT


@functools.cache
def selection_runs(rho: float = RHO) -> dict[str, list[px.BestOfN]]:
    """Best-of-n simulations at :data:`N_SIM` for normal and t(:data:`DF`) error."""
    return {
        "normal": [px.best_of_n(n, rho, TRIALS, seed=18 + i) for i, n in enumerate(N_SIM)],
        "t": [px.best_of_n(n, rho, TRIALS, "t", DF, seed=180 + i) for i, n in enumerate(N_SIM)],
    }


@functools.cache
def research_runs() -> dict[str, px.ResearchRuns]:
    """The automated researcher: random search and hill climb on one reused validation
    set, and the two remedies (cached)."""
    args = (ATTEMPTS, SEARCHES)
    return {
        "random search": px.autoresearch(*args, seed=18, splits=SPLITS),
        "hill climb": px.autoresearch(*args, seed=18, splits=SPLITS, search="hill"),
        "held-out report": px.autoresearch(*args, seed=18, splits=SPLITS, holdout="fresh"),
        "thresholdout": px.autoresearch(*args, seed=18, splits=SPLITS, holdout="thresholdout"),
    }


def verdict_grid(
    rhos: tuple[float, ...], tails: tuple[float | None, ...], n: int = 100
) -> np.ndarray:
    """:func:`judge_gain` on the exact best-of-n gains (:func:`lossylib.proxy.gain_theory`)
    for each (tail, rho): a tail is None (normal error) or a t's degrees of freedom.
    Returns an array of verdict strings.

    Theory has no sampling error, so the excess counts as significant whenever it is
    above zero, and a cell near the 50% line is judged on the exact share, not on a
    simulation that may land on either side of it.

    Examples
    --------
    >>> verdict_grid((0.4, 0.6, 1.0), (None,)).tolist()
    [['holds', 'holds with a caveat', 'does not hold']]
    """
    out = np.empty((len(tails), len(rhos)), dtype=object)
    for i, df in enumerate(tails):
        for j, rho in enumerate(rhos):
            true, proxy = px.gain_theory(n, rho, "normal" if df is None else "t", df)
            out[i, j] = judge_gain(proxy, true, proxy - true, 0.0)
    return out


def rule_narrow(ev: Mapping[str, float]) -> Verdict:
    """Claim 18's verdict and summary from its evidence (see :func:`narrow_targets`)."""
    verdict = judge_gain(ev["measured_gain"], ev["real_gain"], ev["excess"], ev["excess_se"])
    share = ev["real_gain"] / ev["measured_gain"] if ev["measured_gain"] > 0 else 0.0
    search = (
        f"After {ev['attempts']:.0f} attempts the automated search raised its validation "
        f"score by {100 * ev['measured_gain']:.1f} points and its test score by "
        f"{100 * ev['real_gain']:.1f}"
    )
    toy = (
        f" In the best-of-n model with a proxy correlated {ev['rho']:.1f} with the true value, "
        f"{ev['toy_normal_share']:.0%} of the proxy's gain is real when its error is normal, "
        f"and with a t({ev['df']:.0f}) error the real gain peaks at n = "
        f"{ev['toy_t_peak_n']:.0f} and falls to {ev['toy_t_end_share']:.0%} of that peak "
        f"by n = {ev['n_max']:,.0f}."
    )
    if verdict == DOES_NOT_HOLD:
        summary = (
            f"{search}: the validation gain did not overstate the test gain beyond noise "
            f"(excess {100 * ev['excess']:.1f} ± {100 * ev['excess_se']:.1f} points).{toy}"
        )
    elif verdict == HOLDS:
        summary = (
            f"{search}, so only {share:.0%} of the measured gain was real (excess "
            f"{100 * ev['excess']:.1f} ± {100 * ev['excess_se']:.1f} points).{toy}"
        )
    else:
        summary = (
            f"{search}: the measured number overstates the gain by "
            f"{100 * ev['excess']:.1f} ± {100 * ev['excess_se']:.1f} points, but "
            f"{share:.0%} of it is real.{toy}"
        )
    return Verdict(verdict, ev, summary + _margin_sentence(ev))


def _margin_sentence(ev: Mapping[str, float]) -> str:
    """How far the verdict is from turning, when the evidence says (``se_margin``): the
    standard errors are over splits of one set of digits (see :func:`halves_check`).

    Examples
    --------
    >>> "standard error 1.58 times as large" in _margin_sentence({"se_margin": 1.586})
    True
    >>> _margin_sentence({})
    ''
    """
    if "se_margin" not in ev or not math.isfinite(ev["se_margin"]):
        return ""
    margin = math.floor(100 * ev["se_margin"]) / 100
    return (
        f" The verdict would turn with a standard error {margin:.2f} times as large (the "
        f"splits share their digits)."
    )


@claim(
    18,
    "Automated research pushes one measured number, and its gains on that number "
    "overstate its gains on what the number stands for.",
    chapter=CHAPTER,
)
def narrow_targets() -> Verdict:
    """The automated researcher on the digits, with best-of-n against a proxy as context."""
    r = research_runs()["random search"]
    sel = selection_runs()
    n_big = N_SIM.index(1000)
    normal = sel["normal"][n_big]
    peak_n, peak = px.peak_true_gain(RHO, "t", DF, N_MAX)
    ev = {
        "attempts": ATTEMPTS,
        "searches": SEARCHES,
        "splits": SPLITS,
        "measured_gain": float(r.validation[-1] - r.validation[0]),
        "real_gain": float(r.test[-1] - r.test[0]),
        "excess": float(r.excess[-1]),
        "excess_se": float(r.excess_se[-1]),
        "validation_end": float(r.validation[-1]),
        "test_end": float(r.test[-1]),
        "best_test": r.best_test,
        "rho": RHO,
        "df": DF,
        "n_max": N_MAX,
        "toy_normal_share": normal.true_mean / normal.proxy_mean,
        "toy_t_peak_n": peak_n,
        "toy_t_peak_gain": peak,
        "toy_t_end_share": px.gain_theory(N_MAX, RHO, "t", DF)[0] / peak,
    }
    ev["se_margin"] = se_margin_18(ev)
    return rule_narrow(ev)


def se_margin_18(ev: Mapping[str, float]) -> float:
    """How many times larger claim 18's standard error would have to be for its excess to
    cross the :data:`SIGNIFICANT`-SE line (in either direction): a check on the standard
    error over splits, which share their digits.

    Examples
    --------
    >>> se_margin_18({"excess": 0.006, "excess_se": 0.001})  # 6 SE above 0, the line 2
    3.0
    """
    return abs(ev["excess"]) / (SIGNIFICANT * ev["excess_se"])


def se_margin_19(ev: Mapping[str, float]) -> float:
    """How many times larger claim 19's standard error would have to be for the interval
    of the difference in falls to reach the :data:`KEPT_UP` margin (from whichever side
    it is on).

    Examples
    --------
    >>> round(se_margin_19({"fall_gap": -0.01, "fall_gap_se": 0.02}), 6)  # 6 / (2 x 2)
    1.5
    """
    return abs(KEPT_UP - ev["fall_gap"]) / (SIGNIFICANT * ev["fall_gap_se"])


def se_margin_19_two_sided(ev: Mapping[str, float]) -> float:
    """:func:`se_margin_19` for a stricter, two-sided reading of claim 19, in which the loss
    keeps up only if its fall matches the error rate's within :data:`KEPT_UP` either way:
    how many times larger the standard error could be before the interval reaches the
    nearer of the two margins. The rule itself is one-sided (see :func:`rule_value`).

    Examples
    --------
    >>> round(se_margin_19_two_sided({"fall_gap": -0.01, "fall_gap_se": 0.02}), 6)  # 4/4
    1.0
    """
    return (KEPT_UP - abs(ev["fall_gap"])) / (SIGNIFICANT * ev["fall_gap_se"])


#: The check of the standard errors on disjoint halves of the digits: halvings, and the
#: splits per half (claim 18's searches cost about a second per 24 splits of a half, so
#: its check is run by the test suite, not the page).
HALVINGS, HALF_SPLITS_18, HALF_SPLITS_19 = 40, 24, 24


@functools.cache
def halves_check(claim_number: int, halvings: int = HALVINGS) -> HalvesCheck:
    """Claim 18's or 19's measure on the two disjoint halves of ``halvings`` random
    halvings of the digits (:func:`lossylib.resampling.disjoint_halves`): does the plain
    standard error over splits, which the verdicts use, hold against independent samples
    of digits, or does the data set add what Nadeau and Bengio's correction supposes?
    About 65 s for claim 18, 7 s for claim 19 (cached).
    """
    from lossylib.proxy import research

    half = len(px.digits()[1]) // 2
    if claim_number == 18:
        searches = SEARCHES // SPLITS  # as many per split as the claim's own run

        def measure(idx: np.ndarray, seed: int) -> tuple[float, float]:
            return research.search_excess_on(idx, HALF_SPLITS_18, seed, ATTEMPTS, searches)

        return disjoint_halves(
            measure, 2 * half, halvings, HALF_SPLITS_18, test_over_train(18, half), seed=18
        )
    if claim_number == 19:

        def measure(idx: np.ndarray, seed: int) -> tuple[float, float]:
            return metrics.fall_gap_on(idx, HALF_SPLITS_19, seed)

        return disjoint_halves(
            measure, 2 * half, halvings, HALF_SPLITS_19, test_over_train(19, half), seed=19
        )
    raise ValueError(f"claim_number must be 18 or 19, got {claim_number!r}")


def test_over_train(claim_number: int, digits: int) -> float:
    """The ratio in Nadeau and Bengio's correction for claim 18's or 19's splits of
    ``digits`` digits: the digits a split holds out per digit it trains on (or may train
    on), with the claim's sizes scaled to the digits used.

    Examples
    --------
    >>> round(test_over_train(18, 1797), 3), round(test_over_train(19, 1797), 3)
    (2.594, 0.797)
    """
    n = len(px.digits()[1])
    if claim_number == 18:
        train = round(px.research.TRAIN * digits / n)
        return (digits - train) / train
    if claim_number == 19:
        test = round(metrics.TEST * digits / n)
        return test / (digits - test)
    raise ValueError(f"claim_number must be 18 or 19, got {claim_number!r}")


@functools.cache
def value_evidence() -> dict[str, float]:
    """Claim 19's numbers from the digits learning curve. "Loss" is the calibrated test
    loss (one temperature per model, cross-fitted), since the LDA's own softmax is far
    too confident; the raw softmax's numbers are kept with a ``raw_`` prefix."""
    lc = metrics.learning_curve(CURVE_SPLITS)
    em, em_se = lc.exact_match(K, seed=19)
    loss_drop, error_drop, gap_se = lc.last_falls()
    steps = lc.falls()
    step_gaps = steps["loss"] - steps["error"]
    raw_drop, _, raw_gap_se = lc.last_falls(calibrated=False)
    return {
        "k": K,
        "splits": CURVE_SPLITS,
        "size_first": float(lc.sizes[0]),
        "size_late": float(lc.sizes[-2]),
        "size_end": float(lc.sizes[-1]),
        # every doubling, not only the last: the largest gap between the two falls, and
        # whether each step's gap lies within 2 of its standard errors of zero
        "step_gap_largest": float(np.abs(step_gaps).max()),
        "step_gaps_within_2se": float((np.abs(step_gaps) < 2 * steps["gap_se"]).all()),
        "steps": float(step_gaps.size),
        # what the last models really saw (a few digits run short outside the test set)
        "size_end_low": float(lc.trained[:, -1].min()),
        "size_end_high": float(lc.trained[:, -1].max()),
        "raw_loss_first": float(lc.loss[0]),
        "accuracy_first": float(lc.accuracy[0]),
        "temperature_first": float(lc.temperature[0]),
        "temperature_late": float(lc.temperature[-2]),
        "temperature_end": float(lc.temperature[-1]),
        "loss_late": float(lc.calibrated[-2]),
        "loss_end": float(lc.calibrated[-1]),
        "loss_drop_late": loss_drop,
        "raw_loss_drop_late": raw_drop,
        "error_late": float(lc.error_rate[-2]),
        "error_end": float(lc.error_rate[-1]),
        "error_drop_late": error_drop,
        "fall_gap": loss_drop - error_drop,
        "fall_gap_se": gap_se,
        "raw_fall_gap": raw_drop - error_drop,
        "raw_fall_gap_se": raw_gap_se,
        "accuracy_late": float(lc.accuracy[-2]),
        "accuracy_end": float(lc.accuracy[-1]),
        "exact_end": float(em[-1]),
        "exact_end_se": float(em_se[-1]),
        "error_from_accuracy": float(np.max(np.abs(lc.accuracy**K - em))),
        "error_from_loss": float(np.max(np.abs(np.exp(-K * lc.calibrated) - em))),
        "error_from_raw_loss": float(np.max(np.abs(np.exp(-K * lc.loss) - em))),
        "largest_exact_se": float(em_se.max()),
    }


def shown_difference(a: float, b: float) -> float:
    """a - b in points, from a and b as shown (percentages to one decimal), so that the
    printed difference agrees with the printed values; the rule uses the exact one.

    Examples
    --------
    >>> round(shown_difference(0.13669, 0.14531), 1)  # 13.7% - 14.5%, not -0.86 -> -0.9
    -0.8
    """
    return round(100 * a, 1) - round(100 * b, 1)


def rule_value(ev: Mapping[str, float]) -> Verdict:
    """Claim 19's verdict and summary from its evidence (see :func:`loss_not_value`).

    The loss's relative fall over the last doubling of data is compared with the error
    rate's (relative fall against relative fall: if every wrong digit cost the same loss,
    the two would be equal), with an interval of :data:`SIGNIFICANT` standard errors on
    each side of their difference. Decoupled: the whole interval lies above the margin
    :data:`KEPT_UP`. Kept up: the whole interval lies below it; only then does the claim
    not hold. An interval across the margin is a caveat: the data cannot tell. The rule
    is one-sided on purpose: the claim is that a falling loss may not turn into value,
    and a loss that falls less than the error rate (value running ahead of it) does not
    support that; :func:`se_margin_19_two_sided` measures the stricter reading. A
    prediction "works" when it misses the measured k-digit exact match by less than 0.05
    (or 3 standard errors, if larger) at every size.

    Examples
    --------
    >>> ev = {"k": 10, "size_late": 500, "size_end": 1000, "loss_drop_late": 0.14,
    ...       "error_drop_late": 0.15, "fall_gap": -0.01, "fall_gap_se": 0.02,
    ...       "error_from_accuracy": 0.02, "error_from_loss": 0.4, "largest_exact_se": 0.02}
    >>> rule_value(ev).verdict
    'does not hold'
    """
    tol = max(0.05, 3 * ev["largest_exact_se"])
    # rounded, so that a bound that equals the margin on paper does not fall on either
    # side of it by a floating-point hair
    low = round(ev["fall_gap"] - SIGNIFICANT * ev["fall_gap_se"], 9)
    high = round(ev["fall_gap"] + SIGNIFICANT * ev["fall_gap_se"], 9)
    decoupled, kept_up = low > KEPT_UP, high < KEPT_UP
    from_loss = ev["error_from_loss"] < tol
    from_accuracy = ev["error_from_accuracy"] < tol
    gap = shown_difference(ev["loss_drop_late"], ev["error_drop_late"])
    late = (
        f"doubling the training digits from {ev['size_late']:.0f} to {ev['size_end']:.0f} "
        f"cut the test loss by {ev['loss_drop_late']:.1%} and the error rate by "
        f"{ev['error_drop_late']:.1%} (difference {gap:+.1f} ± "
        f"{100 * ev['fall_gap_se']:.1f} points)"
    )
    k = f"{ev['k']:.0f}"
    predictions = (
        f"exact match on {k}-digit answers is predicted within "
        f"{ev['error_from_accuracy']:.3f} by accuracy^{k}, and missed by up to "
        f"{ev['error_from_loss']:.2f} by exp(-{k} x loss)"
    )
    if not decoupled and not kept_up:
        summary = (
            f"The data cannot tell: {late}, a difference whose interval ({100 * low:+.1f} "
            f"to {100 * high:+.1f} points) reaches across the {100 * KEPT_UP:.0f} points "
            f"that would count as keeping up. {predictions[0].upper()}"
            f"{predictions[1:]}."
        )
        return Verdict(CAVEAT, ev, summary)
    if not decoupled:
        level = (
            "The loss alone predicted the exact-match score too"
            if from_loss
            else "But the loss alone does not give the level of a score built from many digits"
        )
        bound = (
            f"the loss fell at most {100 * high:.1f} points more than the error rate, "
            f"under the {100 * KEPT_UP:.0f} that counts as keeping up"
            if high > 0
            else f"the loss fell less than the error rate, by at least {-100 * high:.1f} points"
        )
        summary = (
            f"The score a user sees moved with the loss: {late}; even at the edge of its "
            f"interval, {bound}. {level}: {predictions}."
        )
        return Verdict(DOES_NOT_HOLD, ev, summary + _margin_sentence(ev))
    if from_loss:
        summary = (
            f"The loss fell faster than the error rate ({late}), but the loss alone "
            f"predicted the user-facing score once the metric was known: {predictions}."
        )
        return Verdict(CAVEAT, ev, summary)
    if from_accuracy:
        summary = (
            f"The loss does not say what a user gets: {late}. Once the metric and the "
            f"per-digit accuracy are known, the score follows: {predictions}."
        )
        return Verdict(CAVEAT, ev, summary)
    summary = (
        f"The loss does not say what a user gets ({late}), and neither the loss nor the "
        f"per-digit accuracy predicted the exact-match score: {predictions}."
    )
    return Verdict(HOLDS, ev, summary)


@claim(
    19,
    "Scaling laws say the loss will keep falling, not whether that turns into value for users.",
    chapter=CHAPTER,
)
def loss_not_value() -> Verdict:
    """A digits classifier's learning curve: loss, accuracy, exact match on k digits."""
    ev = dict(value_evidence())
    ev["se_margin"] = se_margin_19(ev)
    # rounded down, so that "a standard error that many times as large" stays true
    ev["se_margin_two_sided"] = math.floor(100 * se_margin_19_two_sided(ev)) / 100
    return rule_value(ev)


@functools.cache
def claim_18_over_splits(counts: tuple[int, ...] = SPLIT_COUNTS) -> list[dict]:
    """Claim 18's rule on the random search with fewer data splits: the excess of the
    validation gain over the test gain, its standard error, how many standard errors
    above zero it lies, the verdict, and the standard error with Nadeau and Bengio's
    correction for the digits the splits share (a table row per split count).

    Examples
    --------
    >>> rows = claim_18_over_splits((12, SPLITS))
    >>> [r["splits"] for r in rows]
    [12, 96]
    """
    rows = []
    ratio = test_over_train(18, len(px.digits()[1]))
    for n in counts:
        r = px.autoresearch(ATTEMPTS, SEARCHES, seed=18, splits=n)
        measured, real = float(r.validation[-1] - r.validation[0]), float(r.test[-1] - r.test[0])
        excess, se = float(r.excess[-1]), float(r.excess_se[-1])
        corrected = corrected_from_plain(se, n, ratio)
        rows.append(
            {
                "splits": n,
                "excess (points)": 100 * excess,
                "standard error": 100 * se,
                "standard errors above zero": excess / se,
                "verdict": judge_gain(measured, real, excess, se),
                "corrected SE": 100 * corrected,
            }
        )
    return rows


def splits_settled(rows: list[dict] | None = None) -> int:
    """The smallest split count from which every larger count of
    :func:`claim_18_over_splits` gives the verdict of the largest."""
    rows = claim_18_over_splits() if rows is None else rows
    settled = rows[-1]["splits"]
    for r in reversed(rows):
        if r["verdict"] != rows[-1]["verdict"]:
            break
        settled = r["splits"]
    return settled


#: Validation sizes over which the chapter shows claim 18's real-data verdict.
VALIDATION_SIZES = (300, 100, 40)


def validation_size_rows() -> list[dict]:
    """Claim 18's rule on the random search with smaller validation sets (a table)."""
    rows = []
    for size in VALIDATION_SIZES:
        r = px.autoresearch(ATTEMPTS, SEARCHES, seed=18, splits=SPLITS, validation_size=size)
        measured = float(r.validation[-1] - r.validation[0])
        real = float(r.test[-1] - r.test[0])
        rows.append(
            {
                "validation digits": size,
                "validation gain (points)": 100 * measured,
                "test gain (points)": 100 * real,
                "excess (points)": f"{100 * r.excess[-1]:.1f} ± {100 * r.excess_se[-1]:.1f}",
                "verdict": judge_gain(measured, real, r.excess[-1], r.excess_se[-1]),
            }
        )
    return rows


def remedy_rows() -> list[dict]:
    """The reused validation set against the two remedies, after the last attempt."""
    use = {
        "random search": "all 300 decide and report",
        "held-out report": "150 decide; 150 only report",
        "thresholdout": "150 answer; 150 checked through noise",
    }
    rows = []
    for label, r in research_runs().items():
        if label == "hill climb":
            continue
        rows.append(
            {
                "validation data": use[label],
                "reported (%)": 100 * r.validation[-1],
                "test (%)": 100 * r.test[-1],
                "reported minus test (points)": f"{100 * r.gap[-1]:+.1f} ± "
                f"{100 * r.gap_se[-1]:.1f}",
            }
        )
    return rows


def page_numbers() -> dict[str, float]:
    """Numbers the chapter quotes that are not in the claims' evidence."""
    sel = selection_runs()
    i = N_SIM.index(1000)
    normal, heavy = sel["normal"][i], sel["t"][i]
    runs = research_runs()
    rank, shift = px.pool_ranking(SPLITS)
    hill = runs["hill climb"]
    return {
        "kept_up": 100 * KEPT_UP,
        "n_sim_max": N_SIM[-1],
        "trials": TRIALS,
        "normal_true_1000": normal.true_mean,
        "normal_true_1000_se": normal.true_se,
        "normal_proxy_1000": normal.proxy_mean,
        "normal_theory_1000": RHO * px.expected_max_normal(1000),
        "t_true_1000": heavy.true_mean,
        "t_true_1000_se": heavy.true_se,
        "t_proxy_1000": heavy.proxy_mean,
        "t_gain_end": px.gain_theory(N_MAX, RHO, "t", DF)[0],
        "normal_gain_end": px.gain_theory(N_MAX, RHO)[0],
        "kl_1000": px.bon_kl(1000),
        "pool": len(px.configs()),
        "train": px.research.TRAIN,
        "validation": px.research.VALIDATION,
        "test": len(px.digits()[1]) - px.research.TRAIN - px.research.VALIDATION,
        "digits": len(px.digits()[1]),
        "pool_rank": rank,
        "pool_shift": 100 * shift,
        "pool_shift_abs": 100 * abs(shift),
        "hill_validation_end": 100 * hill.validation[-1],
        "hill_test_end": 100 * hill.test[-1],
        "hill_excess": 100 * hill.excess[-1],
        "hill_excess_se": 100 * hill.excess_se[-1],
        **_thresholdout_numbers(runs),
    }


def se_numbers() -> dict[str, float]:
    """What the chapter says about the standard errors over splits: how many times larger
    each verdict's could be before it changed (rounded down, so that the page's "that many
    times as large" stays true), the factor Nadeau and Bengio's correction would apply,
    and claim 19's check on disjoint halves (:func:`halves_check`, about 7 s; claim 18's
    takes a minute and is run by the test suite)."""
    from lossylib import claims

    ev18, ev19 = claims.get(18).check().evidence, claims.get(19).check().evidence
    check = halves_check(19)
    n = len(px.digits()[1])
    se19 = ev19["fall_gap_se"]
    return {
        "margin_18": math.floor(10 * ev18["se_margin"]) / 10,
        "margin_19": math.floor(100 * ev19["se_margin"]) / 100,
        "z_18": ev18["excess"] / ev18["excess_se"],
        "nb_18": corrected_from_plain(1.0, SPLITS, test_over_train(18, n)),
        "halvings": check.halvings,
        "half_splits": check.splits,
        "true_over_plain_19": check.true_over_plain(),
        "true_over_plain_19_upper": check.true_over_plain(SIGNIFICANT),
        "nb_over_plain_19": check.corrected_se / check.plain_se,
        "inflation_19": check.inflation(se19),
        "inflation_19_upper": check.inflation(se19, SIGNIFICANT),
        "inflation_19_unscaled": check.inflation(se19, scale=1.0),
        "inflation_19_unscaled_upper": check.inflation(se19, SIGNIFICANT, scale=1.0),
        "nb_19": corrected_from_plain(1.0, CURVE_SPLITS, test_over_train(19, n)),
    }


def _thresholdout_numbers(runs: Mapping[str, px.ResearchRuns]) -> dict[str, float]:
    """Reported minus test (points) for plain re-use and Thresholdout, with the sizes that
    decide whether Dwork et al.'s guarantee can apply: the threshold, and the sampling SE
    of one answer on half the validation digits at the accuracy reached."""
    reuse, tho = runs["random search"], runs["thresholdout"]
    half = px.research.VALIDATION // 2
    acc = float(tho.test[-1])
    return {
        "reuse_gap": 100 * reuse.gap[-1],
        "reuse_gap_se": 100 * reuse.gap_se[-1],
        "tho_gap": 100 * tho.gap[-1],
        "tho_gap_se": 100 * tho.gap_se[-1],
        "tho_threshold": 100 * px.research.THRESHOLD,
        "tho_half": half,
        "tho_accuracy": 100 * acc,
        "tho_answer_se": 100 * float(np.sqrt(acc * (1 - acc) / half)),
    }
