"""Claims 18-19 (chapter "Narrow targets"): pushing one measured number.

Claim 18 is judged on the automated researcher of :mod:`lossylib.proxy.research` (real
data: the bundled digits) with the best-of-n model of :mod:`lossylib.proxy.selection` as
context; claim 19 on a learning curve of the digits (:mod:`lossylib.proxy.metrics`), read
on test digits like the training digits and on test digits moved sideways, which the
loss never sees. The verdicts and summaries are worked out from the evidence alone
(:func:`rule_narrow`, :func:`rule_value`), so every branch is tested on made-up
evidence, and :func:`judge_gain` is the same rule applied to any (measured gain, real
gain) pair, which is how the chapter shows the verdict over rho and the error's tail.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping

import numpy as np

from lossylib import proxy as px
from lossylib.claims import CAVEAT, DOES_NOT_HOLD, HOLDS, Verdict, at_most, claim, in_words
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
#: set (see :func:`claim_18_over_splits`). 96 is the largest multiple of 12 that
#: :func:`lossylib.proxy.autoresearch` allows (100 splits); 25 searches per split keep the
#: search noise small.
ATTEMPTS, SEARCHES, SPLITS = 100, 2400, 96

#: The split counts :func:`claim_18_over_splits` compares (the splits are numbered, so
#: each count adds new splits to the ones before).
SPLIT_COUNTS = (12, 24, 36, 48, 60, 72, 84, 96)

#: Claim 19: digits in one "answer" for exact match, and random splits of the learning
#: curve (the last doubling's falls in loss and error rate differ by a fraction of a
#: point, with a standard error near one point at 96 splits and twice that at 24: see
#: :func:`value_over_split_sets`).
K, CURVE_SPLITS = 10, 96
#: Claim 19's users whose data differ from the loss's test set: the test digits moved
#: right by so many pixels (:func:`lossylib.proxy.metrics.shift_digits`; a digit is 8
#: pixels wide), and the move the verdict uses; the chapter shows the verdict at each
#: (:func:`value_over_shifts`).
SHIFTS, SHIFT = (0.125, 0.25, 0.5, 0.75, 1.0), 1.0
#: Claim 19's map from the loss to the error rate is fitted on this many of the smallest
#: training sizes and forecasts the others
#: (:meth:`lossylib.proxy.metrics.LearningCurve.error_from_loss_fit`).
MAP_FIT = 4
#: Claim 19: a forecast of exact match on :data:`K` digits counts as right when it misses
#: by less than this at every size (or 3 of the measurement's standard errors, if
#: larger); and the splits per set when the chapter shows the reading on separate sets
#: of splits (:func:`value_over_split_sets`).
TOLERANCE, SPLIT_SET = 0.05, 24
#: Shuffles of the test digits into answers of :data:`K` digits over which claim 19
#: reports how closely accuracy^K matches exact match (the match depends on the shuffle).
SHUFFLES = 10

#: Claim 18's rule. The measured gain overstates the real one detectably when the excess
#: lies more than SIGNIFICANT standard errors above zero; the claim then holds outright
#: when less than REAL_SHARE of the measured gain is real. It does not hold only when
#: the overstatement is shown to be negligible: even the top of the excess's interval
#: (the excess plus SIGNIFICANT standard errors) is under NEGLIGIBLE of the measured
#: gain. Between the two the data cannot tell, a caveat: the winner's curse makes some
#: excess expected whenever the validation score is noisy, so an excess that is merely
#: not significant shows a lack of power, not the absence of an overstatement.
SIGNIFICANT, REAL_SHARE, NEGLIGIBLE = 2.0, 0.5, 0.05
#: Claim 19's margin: the error rate kept up with the loss if the loss's relative fall
#: exceeded the error rate's by less than this even at the top of its interval (the
#: difference plus :data:`SIGNIFICANT` standard errors), and the two came apart if it did
#: by more than this even at the bottom. A difference whose interval straddles the margin
#: is not evidence either way. The chapter shows the verdict at each of :data:`MARGINS`
#: (:func:`value_over_margins`).
KEPT_UP = 0.05
MARGINS = (0.02, 0.03, 0.05, 0.08)

#: How claim 18's rule reads an excess (:func:`gain_reading`), and claim 19's a
#: difference between two falls (:func:`fall_reading`).
OVERSTATED, NEGLIGIBLE_EXCESS, CANNOT_TELL = "overstated", "negligible", "cannot tell"
KEPT, APART = "kept up", "came apart"


def gain_reading(measured: float, excess: float, excess_se: float) -> str:
    """How claim 18's rule reads an excess of the measured gain over the real one:
    :data:`NEGLIGIBLE_EXCESS` when even the top of its interval is under
    :data:`NEGLIGIBLE` of the measured gain, :data:`OVERSTATED` when it lies more than
    :data:`SIGNIFICANT` standard errors above zero, :data:`CANNOT_TELL` otherwise.

    Examples
    --------
    >>> gain_reading(1.0, 0.2, 0.01), gain_reading(1.0, 0.01, 0.01)
    ('overstated', 'negligible')
    >>> gain_reading(1.0, 0.04, 0.03)  # not clear of zero, but up to 10% of the gain
    'cannot tell'
    """
    # rounded, so that a bound that equals the margin on paper does not fall on either
    # side of it by a floating-point hair
    top = round(excess + SIGNIFICANT * excess_se - NEGLIGIBLE * measured, 9)
    if top < 0:
        return NEGLIGIBLE_EXCESS
    if excess > SIGNIFICANT * excess_se:
        return OVERSTATED
    return CANNOT_TELL


def judge_gain(measured: float, real: float, excess: float, excess_se: float) -> str:
    """The verdict for one (measured gain, real gain) pair: does the measured number
    overstate the real one, and is most of the gain an illusion? It does not hold only
    when the overstatement is shown to be negligible; it is a caveat when the
    overstatement cannot be told from noise, or when it is real but most of the gain is
    real too (see :func:`gain_reading`).

    Examples
    --------
    >>> judge_gain(1.0, 0.3, 0.7, 0.01), judge_gain(1.0, 0.8, 0.2, 0.01)
    ('holds', 'holds with a caveat')
    >>> judge_gain(1.0, 1.0, 0.0, 0.01)
    'does not hold'
    >>> judge_gain(1.0, 0.96, 0.04, 0.03)  # not significant, and not shown negligible
    'holds with a caveat'
    """
    reading = gain_reading(measured, excess, excess_se)
    if reading == NEGLIGIBLE_EXCESS:
        return DOES_NOT_HOLD
    if reading == CANNOT_TELL:
        return CAVEAT
    share = real / measured if measured > 0 else 0.0
    return HOLDS if share < REAL_SHARE else CAVEAT


def judge_both(test: str, moved: str) -> str:
    """Claim 18's verdict from :func:`judge_gain` on two kinds of test digits: drawn like
    the validation digits (``test``), and moved sideways, unlike any the search scored
    (``moved``). It holds if it holds for one kind of user and the other does not
    contradict it, and does not hold only if it does not for both; when the two kinds
    disagree outright (it holds for one and not for the other), it is a caveat.

    Examples
    --------
    >>> judge_both(CAVEAT, DOES_NOT_HOLD), judge_both(CAVEAT, HOLDS)
    ('holds with a caveat', 'holds')
    >>> judge_both(HOLDS, DOES_NOT_HOLD), judge_both(DOES_NOT_HOLD, DOES_NOT_HOLD)
    ('holds with a caveat', 'does not hold')
    """
    if test == moved:
        return test
    if DOES_NOT_HOLD in (test, moved):
        return CAVEAT
    return HOLDS


@functools.cache
def selection_runs(rho: float = RHO) -> dict[str, list[px.BestOfN]]:
    """Best-of-n simulations at :data:`N_SIM` for normal and t(:data:`DF`) error."""
    return {
        "normal": [px.best_of_n(n, rho, TRIALS, seed=18 + i) for i, n in enumerate(N_SIM)],
        "t": [px.best_of_n(n, rho, TRIALS, "t", DF, seed=180 + i) for i, n in enumerate(N_SIM)],
    }


#: The automated researcher's runs by label: how each searches and uses the validation
#: digits (:func:`lossylib.proxy.autoresearch` options).
RUNS = {
    "random search": {},
    "hill climb": {"search": "hill"},
    "held-out report": {"holdout": "fresh"},
    "thresholdout": {"holdout": "thresholdout"},
    "re-use of 150": {"validation_size": px.research.VALIDATION // 2},
}


@functools.cache
def research_run(label: str) -> px.ResearchRuns:
    """One of :data:`RUNS` (cached): :data:`SEARCHES` searches of :data:`ATTEMPTS`
    attempts on :data:`SPLITS` splits, seed 18."""
    if label not in RUNS:
        raise ValueError(f"label must be one of {list(RUNS)}, got {label!r}")
    return px.autoresearch(ATTEMPTS, SEARCHES, seed=18, splits=SPLITS, **RUNS[label])


def research_runs() -> dict[str, px.ResearchRuns]:
    """The automated researcher: random search and hill climb on one reused validation
    set, the two remedies, and re-use of half the validation digits (cached; claim 18's
    check needs only the random search, :func:`research_run`)."""
    return {label: research_run(label) for label in RUNS}


def verdict_grid(
    rhos: tuple[float, ...], tails: tuple[float | None, ...], n: int = 100
) -> np.ndarray:
    """:func:`judge_gain` on the exact best-of-n gains (:func:`lossylib.proxy.gain_theory`)
    for each (tail, rho): a tail is None (normal error) or a t's degrees of freedom.
    Returns an array of verdict strings.

    Theory has no sampling error, so the excess counts as significant whenever it is
    above zero, and as negligible whenever it is under :data:`NEGLIGIBLE` of the
    proxy's gain; a cell near a line is judged on the exact share, not on a simulation
    that may land on either side of it.

    Examples
    --------
    >>> verdict_grid((0.4, 0.6, 0.99), (None,)).tolist()
    [['holds', 'holds with a caveat', 'does not hold']]
    """
    out = np.empty((len(tails), len(rhos)), dtype=object)
    for i, df in enumerate(tails):
        for j, rho in enumerate(rhos):
            true, proxy = px.gain_theory(n, rho, "normal" if df is None else "t", df)
            out[i, j] = judge_gain(proxy, true, proxy - true, 0.0)
    return out


#: The proxy's correlations, and the (error tail, candidates) cases, over which the
#: chapter shows claim 18's rule on best-of-n (:func:`verdict_rows`): the heavy tail at
#: more candidates too, since the verdict depends on n.
VERDICT_RHOS = (0.2, 0.4, 0.6, 0.8, 0.9, 0.99, 1.0)
VERDICT_CASES = ((None, 100), (10.0, 100), (DF, 100), (DF, 10**4), (DF, 10**6))


def verdict_rows(
    rhos: tuple[float, ...] = VERDICT_RHOS,
    cases: tuple[tuple[float | None, int], ...] = VERDICT_CASES,
) -> list[dict]:
    """:func:`verdict_grid` as a table: a row per (error tail, n) case, a column per rho.

    Examples
    --------
    >>> rows = verdict_rows((0.5, 1.0), ((None, 100), (3.0, 10**6)))
    >>> [r["error, candidates"] for r in rows]
    ['normal, n = 100', 't(3), n = 1,000,000']
    >>> rows[1]["rho = 0.5"], rows[1]["rho = 1"]
    ('holds', 'does not hold')
    """
    rows = []
    for df, n in cases:
        verdicts = verdict_grid(rhos, (df,), n)[0]
        tail = "normal" if df is None else f"t({df:g})"
        rows.append(
            {
                "error, candidates": f"{tail}, n = {n:,}",
                **{f"rho = {r:g}": v for r, v in zip(rhos, verdicts, strict=True)},
            }
        )
    return rows


def rule_narrow(ev: Mapping[str, float]) -> Verdict:
    """Claim 18's verdict and summary from its evidence (see :func:`narrow_targets`):
    :func:`judge_gain` on the test digits drawn like the validation digits and on the
    test digits moved ``move`` pixels, combined by :func:`judge_both`."""
    measured, excess, se = ev["measured_gain"], ev["excess"], ev["excess_se"]
    moved_excess, moved_se = ev["moved_excess"], ev["moved_excess_se"]
    test_verdict = judge_gain(measured, ev["real_gain"], excess, se)
    moved_verdict = judge_gain(measured, ev["moved_gain"], moved_excess, moved_se)
    verdict = judge_both(test_verdict, moved_verdict)
    reading = gain_reading(measured, excess, se)
    share = ev["real_gain"] / measured if measured > 0 else 0.0
    top = excess + SIGNIFICANT * se
    # two decimals, as the chapter gives the excess: at one, 7.6 - 7.0 read as 0.7
    pool = f" on a pool of {ev['pool']:.0f} models" if "pool" in ev else ""
    search = (
        f"After {ev['attempts']:.0f} attempts{pool}, the automated search raised its "
        f"validation score by {100 * measured:.2f} points and its test score by "
        f"{100 * ev['real_gain']:.2f}"
    )
    toy = (
        f" In the best-of-n model with a proxy correlated {ev['rho']:.1f} with the true value, "
        f"{ev['toy_normal_share']:.0%} of the proxy's gain is real when its error is normal, "
        f"and with a t({ev['df']:.0f}) error the real gain peaks at n = "
        f"{ev['toy_t_peak_n']:.0f} and falls to {ev['toy_t_end_share']:.0%} of that peak "
        f"by n = {ev['n_max']:,.0f}."
    )
    if reading == NEGLIGIBLE_EXCESS:
        summary = (
            f"{search}: the validation gain overstated the test gain by at most "
            f"{at_most(100 * top, '.2f')} points, under the {NEGLIGIBLE:.0%} of the measured "
            f"gain that counts as negligible (excess {100 * excess:.2f} ± {100 * se:.2f} "
            f"points)."
        )
    elif reading == CANNOT_TELL:
        summary = (
            f"{search}: the data cannot tell whether the measured number overstates the "
            f"gain. The excess, {100 * excess:.2f} ± {100 * se:.2f} points, is not clear of "
            f"zero, nor shown under the {NEGLIGIBLE:.0%} of the measured gain that would "
            f"count as negligible (it may reach {100 * top:.2f} points)."
        )
    elif test_verdict == HOLDS:
        summary = (
            f"{search}, so only {share:.0%} of the measured gain was real (excess "
            f"{100 * excess:.2f} ± {100 * se:.2f} points)."
        )
    else:
        summary = (
            f"{search}: the measured number overstates the gain by "
            f"{100 * excess:.2f} ± {100 * se:.2f} points, but {share:.0%} of it is real."
        )
    # the reading that decides the verdict comes first, so the front page shows it
    moved_first = verdict == HOLDS != test_verdict
    moved = _moved_sentence(ev, moved_verdict, moved_first)
    summary = f"{moved} {summary}" if moved_first else f"{summary} {moved}"
    summary += (
        f" On the moved digits the measured gain minus theirs is {100 * moved_excess:+.2f} ± "
        f"{100 * moved_se:.2f} points."
    )
    margin = ""
    if reading == OVERSTATED:
        margin = _margin_sentence(ev, "the overstatement would no longer stand out from noise")
        if verdict == CAVEAT:
            margin = margin[:-1] + "; the verdict would stay."
    headline = headline_narrow(ev, test_verdict, moved_verdict)
    return Verdict(verdict, ev, summary + toy + margin, headline=headline)


def headline_narrow(ev: Mapping[str, float], test_verdict: str, moved_verdict: str) -> str:
    """Claim 18's headline for the front page (see :func:`rule_narrow`): the reading of
    the test digits, then the moved digits' (first when only theirs makes the claim
    hold), with the summary's numbers as it rounds them. ``test_verdict`` and
    ``moved_verdict`` are :func:`judge_gain` on each kind of test digits.

    Examples
    --------
    >>> ev = {"measured_gain": 0.08, "real_gain": 0.07, "excess": 0.01, "excess_se": 0.003,
    ...       "move": 1.0, "moved_gain": 0.16, "moved_excess": -0.08, "moved_excess_se": 0.004}
    >>> headline_narrow(ev, CAVEAT, DOES_NOT_HOLD)
    "The proxy's gain of 8.00 points overstates the real one, but 88% of it is real, and \
digits moved 1 pixel gained more."
    """
    measured = ev["measured_gain"]
    moved = f"digits moved {ev['move']:g} {'pixel' if ev['move'] == 1 else 'pixels'}"
    lead = f"The proxy's gain of {100 * measured:.2f} points"
    gain = lead[0].lower() + lead[1:]
    test = gain_reading(measured, ev["excess"], ev["excess_se"])
    share = f"{ev['real_gain'] / measured if measured > 0 else 0.0:.0%}"
    if gain_reading(measured, ev["moved_excess"], ev["moved_excess_se"]) == OVERSTATED:
        only = "only " if moved_verdict == HOLDS else ""
        moved_share = f"{ev['moved_gain'] / measured if measured > 0 else 0.0:.0%}"
        if judge_both(test_verdict, moved_verdict) == HOLDS != test_verdict:  # theirs decides
            there = "an unclear share" if test == CANNOT_TELL else share
            return (
                f"On {moved} only {moved_share} of the proxy's gain was real, against "
                f"{there} on digits as they are."
            )
        short = f"{only}{moved_share} on {moved}"
        long = f"on {moved} {only}{moved_share} was real"
    else:
        # "more than" the measured gain -> "gained more", "about as much as" -> "about as much"
        how = moved_comparison(ev).removesuffix(" than").removesuffix(" as")
        short = long = f"{moved} gained {how}"
    if test == OVERSTATED and test_verdict == HOLDS:
        first, then = f"Only {share} of {gain} was real", short
    elif test == OVERSTATED:
        first, then = f"{lead} overstates the real one, but {share} of it is real", short
    elif test == CANNOT_TELL:
        first, then = f"{lead} is not clearly above the real one", long
    else:
        top = at_most(100 * (ev["excess"] + SIGNIFICANT * ev["excess_se"]), ".2f")
        first, then = f"{lead} was at most {top} above the real one", long
    joint = "but" if moved_verdict != test_verdict and " but " not in first else "and"
    return f"{first}, {joint} {then}."


def moved_comparison(ev: Mapping[str, float]) -> str:
    """How claim 18's gain on the moved test digits compares with the measured gain, in
    words, from the reading of their difference (:func:`gain_reading`): "more than",
    "about as much as", "less than" or "not clearly less than".

    Examples
    --------
    >>> ev = {"measured_gain": 0.08, "moved_excess": -0.09, "moved_excess_se": 0.004}
    >>> moved_comparison(ev), moved_comparison({**ev, "moved_excess": 0.04})
    ('more than', 'less than')
    >>> near = {**ev, "moved_excess": 0.001}
    >>> moved_comparison({**near, "moved_excess_se": 0.001}), moved_comparison(near)
    ('about as much as', 'not clearly less than')
    """
    excess, se = ev["moved_excess"], ev["moved_excess_se"]
    reading = gain_reading(ev["measured_gain"], excess, se)
    if reading == OVERSTATED:
        return "less than"
    if reading == CANNOT_TELL:
        return "not clearly less than"
    return "more than" if excess + SIGNIFICANT * se < 0 else "about as much as"


def _moved_sentence(ev: Mapping[str, float], verdict: str, first: bool = False) -> str:
    """What claim 18's search gained for users whose test digits are moved ``move``
    pixels, against its measured gain (``verdict``: :func:`judge_gain` on them), as the
    summary's ``first`` sentence or after the one on the test digits."""
    measured, gain = ev["measured_gain"], ev["moved_gain"]
    excess, se = ev["moved_excess"], ev["moved_excess_se"]
    pixels = "pixel" if ev["move"] == 1 else "pixels"
    reading = gain_reading(measured, excess, se)
    if reading == OVERSTATED:
        share = gain / measured if measured > 0 else 0.0
        how = f"{'only ' if verdict == HOLDS else ''}{share:.0%} of the measured gain"
        if first:
            how += f" of {100 * measured:.2f} points on its validation score"
    else:
        how = f"{moved_comparison(ev)} the measured gain"
    whose = f"the {ev['attempts']:.0f}-attempt search's" if first else "its"
    return (
        f"On test digits moved {ev['move']:g} {pixels}, unlike any the search scored, "
        f"{whose} accuracy rose by {100 * gain:.2f} points, {how}, reaching "
        f"{ev['moved_end']:.0%} against {ev['test_end']:.0%} on the digits as they are."
    )


def _margin_sentence(ev: Mapping[str, float], what: str = "the verdict would turn") -> str:
    """How far a reading is from turning, when the evidence says (``se_margin``): the
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
        f" With a standard error {margin:.2f} times as large (the splits share their "
        f"digits) {what}."
    )


@claim(
    18,
    "Automated research pushes one measured number, and its gains on that number "
    "overstate its gains on what the number stands for.",
    chapter=CHAPTER,
    section="nar-digits",
)
def narrow_targets() -> Verdict:
    """The automated researcher on the digits, with best-of-n against a proxy as context."""
    r = research_run("random search")
    sel = selection_runs()
    n_big = N_SIM.index(1000)
    normal = sel["normal"][n_big]
    peak_n, peak = px.peak_true_gain(RHO, "t", DF, N_MAX)
    ev = {
        "attempts": ATTEMPTS,
        "pool": len(px.configs()),
        "searches": SEARCHES,
        "splits": SPLITS,
        "measured_gain": float(r.validation[-1] - r.validation[0]),
        "real_gain": float(r.test[-1] - r.test[0]),
        "excess": float(r.excess[-1]),
        "excess_se": float(r.excess_se[-1]),
        "validation_end": float(r.validation[-1]),
        "validation_end_se": float(r.validation_se[-1]),
        "test_end": float(r.test[-1]),
        "test_end_se": float(r.test_se[-1]),
        "best_test": r.best_test,
        # the same searches scored on test digits moved sideways: users whose data differ
        "move": px.research.MOVE,
        "moved_gain": float(r.moved[-1] - r.moved[0]),
        "moved_excess": float(r.moved_excess[-1]),
        "moved_excess_se": float(r.moved_excess_se[-1]),
        "moved_start": float(r.moved[0]),
        "moved_end": float(r.moved[-1]),
        # the same gains as shares of the errors removed (research.ResearchRuns.cuts)
        **{
            f"{kind.replace(' ', '_')}_cut{end}": value
            for kind, pair in r.cuts.items()
            for end, value in zip(("", "_se"), pair, strict=True)
        },
        "rho": RHO,
        "df": DF,
        "n_max": N_MAX,
        "toy_normal_share": normal.true_mean / normal.proxy_mean,
        "toy_t_peak_n": peak_n,
        "toy_t_peak_gain": peak,
        "toy_t_end_share": px.gain_theory(N_MAX, RHO, "t", DF)[0] / peak,
    }
    # the top of the excess's interval as a share of the measured gain: the verdict
    # would be "does not hold" only with a negligible margin above this
    ev["excess_top_share"] = (ev["excess"] + SIGNIFICANT * ev["excess_se"]) / ev["measured_gain"]
    ev["se_margin"] = se_margin_18(ev)
    return rule_narrow(ev)


def verdict_by_error_share(ev: Mapping[str, float]) -> str:
    """Claim 18's verdict with every gain read as the share of the errors it removed
    instead of points of accuracy (``ev``: :func:`narrow_targets`' evidence): the same
    :func:`judge_gain` and :func:`judge_both`. A gain of a few points is a large share of
    the errors where few are left, so this reading weighs the moved users' gain, made
    from a low start, against the validation score's, made from a high one.

    Examples
    --------
    >>> ev = {"validation_cut": 0.68, "test_cut": 0.60, "test_excess_cut": 0.08,
    ...       "test_excess_cut_se": 0.01, "moved_cut": 0.25, "moved_excess_cut": 0.43,
    ...       "moved_excess_cut_se": 0.01}
    >>> verdict_by_error_share(ev)
    'holds'
    """
    measured = ev["validation_cut"]
    test = judge_gain(measured, ev["test_cut"], ev["test_excess_cut"], ev["test_excess_cut_se"])
    moved = judge_gain(measured, ev["moved_cut"], ev["moved_excess_cut"], ev["moved_excess_cut_se"])
    return judge_both(test, moved)


def error_share_words(ev: Mapping[str, float], verdict: str) -> str:
    """What :func:`verdict_by_error_share` means for claim 18's verdict ``verdict``, in
    words for the chapter: the claim "would hold outright" on that scale (so the choice
    of scale decides the verdict), or "would still read ..." the same.

    Examples
    --------
    >>> ev = {"validation_cut": 0.68, "test_cut": 0.60, "test_excess_cut": 0.08,
    ...       "test_excess_cut_se": 0.01, "moved_cut": 0.25, "moved_excess_cut": 0.43,
    ...       "moved_excess_cut_se": 0.01}
    >>> error_share_words(ev, CAVEAT)
    'would hold outright: the choice of scale decides the verdict'
    """
    other = verdict_by_error_share(ev)
    if other == verdict:
        return f"would still read “{verdict}”"
    words = {HOLDS: "would hold outright", CAVEAT: "would hold only with a caveat"}
    return f"{words.get(other, 'would not hold')}: the choice of scale decides the verdict"


def se_margin_18(ev: Mapping[str, float]) -> float:
    """How many times larger claim 18's standard error would have to be for its excess to
    cross the :data:`SIGNIFICANT`-SE line (in either direction): a check on the standard
    error over splits, which share their digits. Crossing it turns the reading from
    "overstated" to "cannot tell"; the verdict turns with it only if it was "holds".

    Examples
    --------
    >>> se_margin_18({"excess": 0.006, "excess_se": 0.001})  # 6 SE above 0, the line 2
    3.0
    """
    return abs(ev["excess"]) / (SIGNIFICANT * ev["excess_se"])


def se_margin_19(ev: Mapping[str, float]) -> float:
    """How many times larger claim 19's standard error would have to be for the interval
    of the difference in falls to reach the :data:`KEPT_UP` margin (from whichever side
    it is on): the reading of the digits as they are turns there.

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
#: its check is run by the test suite, not the page, which quotes :data:`HALVES_18`).
HALVINGS, HALF_SPLITS_18, HALF_SPLITS_19 = 40, 24, 24

#: ``halves_check(18)`` as last computed (it takes minutes; the test suite computes it
#: again and holds this copy to it), for the page and the tests that read it.
HALVES_18 = HalvesCheck(
    true_se=0.004067977672877768,
    plain_se=0.003129115673805894,
    corrected_se=0.024877551981713313,
    data_var=6.7570774469743045e-06,
    data_var_se=3.08043500261195e-06,
    halvings=40,
    splits=24,
)


@functools.cache
def halves_check(claim_number: int, halvings: int = HALVINGS) -> HalvesCheck:
    """Claim 18's or 19's measure on the two disjoint halves of ``halvings`` random
    halvings of the digits (:func:`lossylib.resampling.disjoint_halves`): does the plain
    standard error over splits, which the verdicts use, hold against independent samples
    of digits, or does the data set add what Nadeau and Bengio's correction supposes?
    Minutes of CPU for claim 18 (:data:`HALVES_18` keeps a copy), seconds for claim 19
    (cached); the halves run side by side, one worker per usable core.
    """
    from lossylib.proxy import research

    half = len(px.digits()[1]) // 2
    if claim_number == 18:
        searches, splits = SEARCHES // SPLITS, HALF_SPLITS_18  # searches as in the claim

        def measure(idx: np.ndarray, seed: int) -> tuple[float, float]:
            return research.search_excess_on(idx, splits, seed, ATTEMPTS, searches)

    elif claim_number == 19:
        splits = HALF_SPLITS_19

        def measure(idx: np.ndarray, seed: int) -> tuple[float, float]:
            return metrics.fall_gap_on(idx, splits, seed)

    else:
        raise ValueError(f"claim_number must be 18 or 19, got {claim_number!r}")
    ratio = test_over_train(claim_number, half)
    return disjoint_halves(measure, 2 * half, halvings, splits, ratio, seed=claim_number, jobs=None)


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


test_over_train.__test__ = False  # a ratio, not a test: pytest must not collect it


def value_curve() -> metrics.LearningCurve:
    """Claim 19's learning curve: :data:`CURVE_SPLITS` splits, with the test digits also
    moved by each of :data:`SHIFTS` (cached; the chapter and the check share it)."""
    return metrics.learning_curve(CURVE_SPLITS, SHIFTS)


@functools.cache
def value_evidence() -> dict[str, float]:
    """Claim 19's numbers from the digits learning curve. "Loss" is the calibrated test
    loss (one temperature per model, cross-fitted), since the LDA's own softmax is far
    too confident; the raw softmax's numbers are kept with a ``raw_`` prefix, and the
    error rate on the test digits moved :data:`SHIFT` pixels with a ``shift_`` prefix.
    """
    lc = value_curve()
    em, em_se = lc.exact_match(K, seed=19)
    falls = lc.falls()
    loss_drop, error_drop, gap_se = lc.last_falls()
    step_gaps = falls["loss"] - falls["error"]
    raw_drop, _, raw_gap_se = lc.last_falls(calibrated=False)
    moved = lc.falls(shift=SHIFT)
    moved_points = lc.falls(shift=SHIFT, points=True)
    moved_error = lc.shifted_error_rate(SHIFT)
    _, slope, mapped = lc.error_from_loss_fit(MAP_FIT)
    map_miss, _ = _map_miss(lc)
    # how closely accuracy^K matches exact match depends on how the test digits are
    # shuffled into answers: the largest miss over sizes, for several other shuffles
    misses = [
        np.max(np.abs(lc.accuracy**K - lc.exact_match(K, seed=s)[0])) for s in range(SHUFFLES)
    ]
    return {
        "k": K,
        "splits": CURVE_SPLITS,
        "shuffles": SHUFFLES,  # besides the one measured (seed 19)
        "size_first": float(lc.sizes[0]),
        "size_late": float(lc.sizes[-2]),
        "size_end": float(lc.sizes[-1]),
        # every doubling, not only the last: the largest gap between the two falls, the
        # highest top of a step's interval, whether every step reads "kept up", and at
        # how many steps the gap lies more than SIGNIFICANT standard errors from zero
        "step_gap_largest": float(np.abs(step_gaps).max()),
        "step_gap_top": float(np.max(step_gaps + SIGNIFICANT * falls["gap_se"])),
        "steps_kept_up": float(
            all(fall_reading(g, e) == KEPT for g, e in zip(step_gaps, falls["gap_se"], strict=True))
        ),
        "steps_beyond_2se": float(np.sum(np.abs(step_gaps) > SIGNIFICANT * falls["gap_se"])),
        "step_gaps_within_2se": float((np.abs(step_gaps) < 2 * falls["gap_se"]).all()),
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
        "loss_drop_late_se": float(falls["loss_se"][-1]),
        "raw_loss_drop_late": raw_drop,
        "error_late": float(lc.error_rate[-2]),
        "error_end": float(lc.error_rate[-1]),
        "error_drop_late": error_drop,
        "error_drop_late_se": float(falls["error_se"][-1]),
        "fall_gap": loss_drop - error_drop,
        "fall_gap_se": gap_se,
        "raw_fall_gap": raw_drop - error_drop,
        "raw_fall_gap_se": raw_gap_se,
        "accuracy_late": float(lc.accuracy[-2]),
        "accuracy_end": float(lc.accuracy[-1]),
        "points_late": float(lc.error_rate[-2] - lc.error_rate[-1]),
        # the users whose digits are moved SHIFT pixels: the loss is still the one on the
        # digits as they are, the only one a scaling law of this model would measure
        "shift": SHIFT,
        "shift_error_late": float(moved_error[-2]),
        "shift_error_end": float(moved_error[-1]),
        "shift_error_end_se": float(lc.shifted_error_se(SHIFT)[-1]),
        "shift_error_drop_late": float(moved["error"][-1]),
        "shift_error_drop_late_se": float(moved["error_se"][-1]),
        "shift_fall_gap": float(moved["loss"][-1] - moved["error"][-1]),
        "shift_fall_gap_se": float(moved["gap_se"][-1]),
        "shift_points_late": float(moved_error[-2] - moved_error[-1]),
        # counted in points: the moved users' gain over the error rate of the loss's own
        # test set, against the loss's fall (the points the loss's fall implied there)
        "loss_points_late": float(loss_drop * lc.error_rate[-2]),
        "shift_points_gap": float(moved_points["loss"][-1] - moved_points["error"][-1]),
        "shift_points_gap_se": float(moved_points["gap_se"][-1]),
        # the level for them: exact match on K digits, built on the map's forecast and
        # on their error rate, (1 - error)^K, at the largest size and at the worst
        "map_exact_end": float((1 - mapped[-1]) ** K),
        "shift_exact_end": float((1 - moved_error[-1]) ** K),
        "shift_error_from_map": _shift_map_miss(lc, SHIFT),
        # a map from the loss to the error rate, fitted on the smaller sizes: what it
        # forecasts at the largest, and how far exact match built on it misses
        "map_fit_sizes": MAP_FIT,
        "map_fit_size_max": float(lc.sizes[MAP_FIT - 1]),
        "map_slope": slope,
        "map_error_late": float(mapped[-2]),
        "map_error_end": float(mapped[-1]),
        "map_error_miss": float(np.max(np.abs(mapped - lc.error_rate)[MAP_FIT:])),
        "error_from_map": map_miss,
        "exact_end": float(em[-1]),
        "exact_end_se": float(em_se[-1]),
        "error_from_accuracy": float(np.max(np.abs(lc.accuracy**K - em))),
        "error_from_accuracy_low": float(min(misses)),
        "error_from_accuracy_high": float(max(misses)),
        "error_from_accuracy_worst": float(max(np.max(np.abs(lc.accuracy**K - em)), *misses)),
        "error_from_loss": float(np.max(np.abs(np.exp(-K * lc.calibrated) - em))),
        "error_from_raw_loss": float(np.max(np.abs(np.exp(-K * lc.loss) - em))),
        "largest_exact_se": float(em_se.max()),
    }


def _map_miss(lc: metrics.LearningCurve) -> tuple[float, float]:
    """How far exact match on :data:`K` digits built on the fitted map's error rate,
    (1 - error)^K, misses the measured exact match at the worst size, and the
    measurement's largest standard error."""
    _, _, mapped = lc.error_from_loss_fit(MAP_FIT)
    em, em_se = lc.exact_match(K, seed=19)
    return float(np.max(np.abs((1 - mapped) ** K - em))), float(em_se.max())


def _shift_map_miss(lc: metrics.LearningCurve, shift: float) -> float:
    """How far the exact match on :data:`K` digits that the fitted map forecasts,
    (1 - mapped)^K, misses that of users whose digits are moved ``shift`` pixels,
    (1 - their error rate)^K, at the worst size."""
    _, _, mapped = lc.error_from_loss_fit(MAP_FIT)
    return float(np.max(np.abs((1 - mapped) ** K - (1 - lc.shifted_error_rate(shift)) ** K)))


def shown_difference(a: float, b: float) -> float:
    """a - b in points, from a and b as shown (percentages to one decimal), so that the
    printed difference agrees with the printed values; the rule uses the exact one.

    Examples
    --------
    >>> round(shown_difference(0.13669, 0.14531), 1)  # 13.7% - 14.5%, not -0.86 -> -0.9
    -0.8
    """
    return round(100 * a, 1) - round(100 * b, 1)


def fall_reading(gap: float, se: float, margin: float = KEPT_UP, two_sided: bool = False) -> str:
    """How claim 19's rule reads a difference between the loss's relative fall and the
    error rate's (``gap``, with standard error ``se``): :data:`APART` when its whole
    interval (:data:`SIGNIFICANT` standard errors each side) lies above ``margin``,
    :data:`KEPT` when it lies below, :data:`CANNOT_TELL` when it straddles it. With
    ``two_sided``, keeping up also needs the interval above ``-margin``, and an
    interval wholly below ``-margin`` (value far ahead of the loss) counts as apart.

    Examples
    --------
    >>> fall_reading(0.0, 0.01), fall_reading(0.10, 0.01), fall_reading(0.04, 0.01)
    ('kept up', 'came apart', 'cannot tell')
    >>> fall_reading(-0.04, 0.01), fall_reading(-0.04, 0.01, two_sided=True)
    ('kept up', 'cannot tell')
    """
    # rounded, so that a bound that equals the margin on paper does not fall on either
    # side of it by a floating-point hair
    low = round(gap - SIGNIFICANT * se, 9)
    high = round(gap + SIGNIFICANT * se, 9)
    if low > margin or (two_sided and high < -margin):
        return APART
    if high < margin and (not two_sided or low > -margin):
        return KEPT
    return CANNOT_TELL


def value_verdict(as_they_are: str, level_known: bool, moved_known: bool) -> str:
    """Claim 19's verdict from its readings: the falls on digits like the training
    digits (``as_they_are``, one of :data:`KEPT`, :data:`APART`, :data:`CANNOT_TELL`),
    whether a map of the loss fitted on the smaller sizes forecast the score's level at
    every size there (``level_known``), and whether the loss told users whose digits are
    moved what they get (``moved_known``: the rule reads their level; the chapter also
    shows it read by their falls and by their points of accuracy).

    Holds when the two falls came apart even on digits like the training digits; does
    not hold when they kept up there, the level was forecast, and the loss told the
    moved users too; anything between is a caveat.

    Examples
    --------
    >>> value_verdict(KEPT, True, True), value_verdict(KEPT, True, False)
    ('does not hold', 'holds with a caveat')
    >>> value_verdict(APART, True, True), value_verdict(KEPT, False, True)
    ('holds', 'holds with a caveat')
    """
    if as_they_are == APART:
        return HOLDS
    if as_they_are == KEPT and level_known and moved_known:
        return DOES_NOT_HOLD
    return CAVEAT


def _tolerance(ev: Mapping[str, float]) -> float:
    """How far a forecast of the exact-match score may miss and still count:
    :data:`TOLERANCE`, or 3 of the measurement's largest standard errors if larger."""
    return max(TOLERANCE, 3 * ev["largest_exact_se"])


def value_readings(ev: Mapping[str, float]) -> tuple[str, bool, bool]:
    """Claim 19's readings from its evidence: the falls on the digits as they are
    (:func:`fall_reading`), whether the fitted map forecast their exact-match score
    within :func:`_tolerance` at every size, and whether it forecast that of the users
    whose digits are moved :data:`SHIFT` pixels within the same tolerance."""
    tolerance = _tolerance(ev)
    return (
        fall_reading(ev["fall_gap"], ev["fall_gap_se"]),
        ev["error_from_map"] < tolerance,
        ev["shift_error_from_map"] < tolerance,
    )


def moved_side_readings(ev: Mapping[str, float]) -> tuple[str, str]:
    """The other two ways to read claim 19's moved users, shown beside the rule's: by
    the relative fall of their error rate against the loss's, and by the points of
    accuracy they gained, over the error rate of the loss's own test set, against the
    loss's fall (:func:`fall_reading` each; see
    :meth:`lossylib.proxy.metrics.LearningCurve.falls`)."""
    return (
        fall_reading(ev["shift_fall_gap"], ev["shift_fall_gap_se"]),
        fall_reading(ev["shift_points_gap"], ev["shift_points_gap_se"]),
    )


def rule_value(ev: Mapping[str, float]) -> Verdict:
    """Claim 19's verdict and summary from its evidence (see :func:`loss_not_value`).

    On test digits like the training digits, the loss's own test set, the loss's
    relative fall over the last doubling of data is compared with the error rate's
    (relative fall against relative fall: if every wrong digit cost the same loss and
    right ones none, the two would be equal), with an interval of :data:`SIGNIFICANT`
    standard errors on each side of their difference, read against the margin
    :data:`KEPT_UP` (:func:`fall_reading`). The level of the user-facing score counts as
    known from the loss when a map from loss to error rate, fitted on the smaller sizes,
    forecasts exact match on k digits within :data:`TOLERANCE` (or 3 standard errors, if
    larger) at every size. Users whose test digits are moved :data:`SHIFT` pixels, data
    the loss never sees, are read by their level the same way: the loss is not measured
    on their digits, so its relative fall says nothing of theirs
    (:func:`moved_side_readings` gives their falls and points as side readings).
    :func:`value_verdict` combines the three readings. The falls' reading is one-sided on
    purpose: the claim is that a falling loss may not turn into value, and a loss that
    falls less than the error rate (value running ahead of it) does not support that;
    :func:`se_margin_19_two_sided` measures the stricter reading.

    Examples
    --------
    >>> ev = {"k": 10, "size_late": 500, "size_end": 1000, "loss_drop_late": 0.14,
    ...       "error_drop_late": 0.15, "fall_gap": -0.01, "fall_gap_se": 0.02,
    ...       "shift": 1.0, "shift_error_drop_late": 0.02, "shift_fall_gap": 0.12,
    ...       "shift_fall_gap_se": 0.01, "shift_points_gap": 0.0, "shift_points_gap_se": 0.01,
    ...       "error_late": 0.058, "error_end": 0.049, "shift_error_late": 0.56,
    ...       "shift_error_end": 0.55, "map_error_end": 0.05, "map_exact_end": 0.6,
    ...       "shift_exact_end": 0.0003, "shift_error_from_map": 0.6, "points_late": 0.009,
    ...       "shift_points_late": 0.01, "loss_points_late": 0.008,
    ...       "error_from_map": 0.01, "error_from_loss": 0.4, "largest_exact_se": 0.02}
    >>> rule_value(ev).verdict
    'holds with a caveat'
    """
    as_they_are, level_known, moved_known = value_readings(ev)
    _, points = moved_side_readings(ev)
    verdict = value_verdict(as_they_are, level_known, moved_known)
    k, pixels = f"{ev['k']:.0f}", "pixel" if ev["shift"] == 1 else "pixels"
    moved_short = f"digits moved {ev['shift']:g} {pixels}"
    here = (
        f"doubling the training digits from {ev['size_late']:.0f} to {ev['size_end']:.0f} "
        f"cut the test loss by {ev['loss_drop_late']:.1%} and the error rate by "
        f"{ev['error_drop_late']:.1%} (difference "
        f"{shown_difference(ev['loss_drop_late'], ev['error_drop_late']):+.1f} ± "
        f"{100 * ev['fall_gap_se']:.1f} points)"
    )
    level = (
        f"a map from loss to error rate fitted on the smaller sizes forecast "
        f"{ev['map_error_end']:.1%} errors at the largest against {ev['error_end']:.1%} "
        f"measured, and the exact match on {k}-digit answers it implies came within "
        f"{at_most(ev['error_from_map'], '.3f')} of the measured one at every size"
        if level_known
        else f"a map from loss to error rate fitted on the smaller sizes missed exact match "
        f"on {k}-digit answers by up to {ev['error_from_map']:.2f}"
    )
    moved_gap = shown_difference(ev["loss_drop_late"], ev["shift_error_drop_late"])
    there = (
        f"on test digits moved {ev['shift']:g} {pixels}, which the loss never sees, exact "
        f"match on {k}-digit answers, (1 - error rate)^{k}, was {ev['shift_exact_end']:.1%} "
        f"at the largest size against {ev['map_exact_end']:.1%} forecast (a miss of up to "
        f"{ev['shift_error_from_map']:.2f} over the sizes); their error rate fell by "
        f"{ev['shift_error_drop_late']:.1%}, from {ev['shift_error_late']:.1%} to "
        f"{ev['shift_error_end']:.1%} ({moved_gap:+.1f} ± "
        f"{100 * ev['shift_fall_gap_se']:.1f} points from the loss's fall), a gain of "
        f"{100 * ev['shift_points_late']:.2f} points of accuracy against "
        f"{100 * ev['points_late']:.2f} on the digits as they are"
    )
    gained = f"{100 * ev['shift_points_late']:.2f} against {100 * ev['loss_points_late']:.2f}"
    points_clause = {
        KEPT: f"though they gained the points of accuracy the loss's fall implied ({gained})",
        APART: f"and they gained fewer points of accuracy than the loss's fall implied ({gained})",
        CANNOT_TELL: f"and their gain in points of accuracy, {gained} implied by the loss's "
        f"fall, is too noisy to compare",
    }[points]
    word = {
        KEPT: "kept pace with",
        APART: "came apart from",
        CANNOT_TELL: "may or may not have kept pace with",
    }
    told = {True: "gave", False: "missed"}
    if verdict == HOLDS:
        headline = (
            f"Even on data like its test set the loss missed users' gains: errors fell "
            f"{ev['error_drop_late']:.1%} where the loss fell {ev['loss_drop_late']:.1%}."
        )
        summary = (
            f"The loss did not say what users get, even on data like its own test set: "
            f"the errors fell by {ev['error_drop_late']:.1%} where the loss fell by "
            f"{ev['loss_drop_late']:.1%}. Details: {here}; {level}; {there}."
        )
    elif verdict == DOES_NOT_HOLD:
        headline = (
            f"The loss forecast users' exact match on data like its test set and on "
            f"{moved_short}, there {ev['shift_exact_end']:.1%} against "
            f"{ev['map_exact_end']:.1%} forecast."
        )
        summary = (
            f"The score users see followed the loss, on data like its own test set and on "
            f"{moved_short} alike: a map of the loss fitted on smaller training sets "
            f"forecast both levels. Details: {here}; {level}; {there}."
        )
    elif as_they_are == KEPT and level_known:
        headline = (
            f"The loss forecast users' gains on data like its test set, but for "
            f"{moved_short} it forecast {ev['map_error_end']:.1%} wrong where "
            f"{ev['shift_error_end']:.1%} were."
        )
        summary = (
            f"On data like its own test set the falling loss told what users gained: the "
            f"errors fell by the same share, and a map fitted on smaller training sets "
            f"forecast their level. For users of {moved_short} it missed the level, "
            f"forecasting {ev['map_error_end']:.1%} of their digits wrong where "
            f"{ev['shift_error_end']:.1%} were, {points_clause}. Details: {here}; {level}; "
            f"{there}."
        )
    else:
        headline = (
            f"Errors fell with the loss on data like its test set, but the loss missed their "
            f"exact-match score by up to {ev['error_from_map']:.2f}."
            if as_they_are == KEPT
            else f"On data like its test set the loss fell {ev['loss_drop_late']:.1%} and the "
            f"errors {ev['error_drop_late']:.1%}: not clearly in step, nor clearly apart."
        )
        summary = (
            f"The data cannot settle whether the loss told what users gained. On data like "
            f"the loss's own test set the errors {word[as_they_are]} the loss and the loss "
            f"{told[level_known]} their level; for users of {moved_short} it "
            f"{told[moved_known]} theirs. Details: {here}; {level}; {there}."
        )
    return Verdict(verdict, ev, summary + _margin_19(ev, as_they_are, verdict), headline=headline)


def _margin_19(ev: Mapping[str, float], as_they_are: str, verdict: str) -> str:
    """How far the reading of the digits as they are is from turning (``se_margin``)."""
    if as_they_are == CANNOT_TELL:
        return ""
    what = "the reading on digits like the loss's test set would turn"
    if verdict == CAVEAT:
        what += ", the verdict not"
    return _margin_sentence(ev, what)


@claim(
    19,
    "Scaling laws say the loss will keep falling, not whether that turns into value for users.",
    chapter=CHAPTER,
    section="nar-loss-value",
)
def loss_not_value() -> Verdict:
    """A digits classifier's learning curve: loss, accuracy and exact match on k digits,
    on test digits as they are and moved sideways."""
    ev = dict(value_evidence())
    ev["se_margin"] = se_margin_19(ev)
    # rounded down, so that "a standard error that many times as large" stays true
    ev["se_margin_two_sided"] = math.floor(100 * se_margin_19_two_sided(ev)) / 100
    return rule_value(ev)


def value_over_margins(
    ev: Mapping[str, float] | None = None, margins: tuple[float, ...] = MARGINS
) -> list[dict]:
    """Claim 19's reading of the digits as they are and its verdict at other margins for
    "kept up" (a table row per margin): the rule's one-sided reading of the calibrated
    loss, a two-sided one (the falls must match within the margin either way), and the
    one-sided reading of the classifier's own, uncalibrated loss. The level readings do
    not depend on the margin and are the calibrated loss's in every column. Computed from
    the evidence alone.

    Examples
    --------
    >>> ev = {"fall_gap": -0.01, "fall_gap_se": 0.012, "raw_fall_gap": 0.067,
    ...       "raw_fall_gap_se": 0.01, "shift_error_from_map": 0.6, "error_from_map": 0.01,
    ...       "largest_exact_se": 0.01}
    >>> [r["verdict"] for r in value_over_margins(ev, (0.02, 0.05))]
    ['holds with a caveat', 'holds with a caveat']
    >>> [r["verdict, raw loss"] for r in value_over_margins(ev, (0.02, 0.05))]
    ['holds', 'holds with a caveat']
    """
    ev = claims_evidence(19) if ev is None else ev
    tolerance = _tolerance(ev)
    level_known = ev["error_from_map"] < tolerance
    moved_known = ev["shift_error_from_map"] < tolerance
    rows = []
    for m in margins:
        one = fall_reading(ev["fall_gap"], ev["fall_gap_se"], m)
        two = fall_reading(ev["fall_gap"], ev["fall_gap_se"], m, two_sided=True)
        raw = fall_reading(ev["raw_fall_gap"], ev["raw_fall_gap_se"], m)
        rows.append(
            {
                "margin (points)": 100 * m,
                "reading": one,
                "two-sided": two,
                "raw loss": raw,
                "verdict": value_verdict(one, level_known, moved_known),
                "verdict, two-sided": value_verdict(two, level_known, moved_known),
                "verdict, raw loss": value_verdict(raw, level_known, moved_known),
            }
        )
    return rows


def same_throughout(rows: list[dict], key: str) -> bool:
    """Whether every row gives the same ``key`` (a reading or a verdict)."""
    return len({r[key] for r in rows}) == 1


def claims_evidence(number: int) -> Mapping[str, float]:
    """The evidence of claim ``number``'s check (run once per process)."""
    from lossylib import claims

    return claims.get(number).check().evidence


def _verdict(number: int) -> str:
    """The verdict of claim ``number``'s check (run once per process)."""
    from lossylib import claims

    return claims.get(number).check().verdict


#: How the chapter names each move of the digits in words.
PIXEL_WORDS = {
    0.125: "an eighth of a pixel",
    0.25: "a quarter of a pixel",
    0.5: "half a pixel",
    0.75: "three quarters of a pixel",
    1.0: "one pixel",
}


def pixels_in_words(shift: float) -> str:
    """A move of the digits in words.

    Examples
    --------
    >>> pixels_in_words(0.25), pixels_in_words(2.0)
    ('a quarter of a pixel', '2 pixels')
    """
    return PIXEL_WORDS.get(float(shift), f"{shift:g} pixels")


#: The columns of :func:`value_over_shifts` that give claim 19's verdict for moved
#: users, one per way of reading them (the rule's is the level).
SHIFT_VERDICTS = {"level": "by the level", "falls": "by falls", "points": "by points"}


def value_over_shifts(lc: metrics.LearningCurve | None = None) -> list[dict]:
    """Claim 19 for users whose test digits are moved by each of the curve's shifts (0:
    the digits as they are), a table row per shift: how far the exact match on :data:`K`
    digits that the loss's fitted map forecasts misses theirs at the worst size, and the
    verdict on that reading (the rule's); the relative fall of their errors over the last
    doubling, and the verdict if it were read against the loss's fall; the points of
    accuracy they gained, and the verdict if those were read against the loss's fall
    (over the error rate of the loss's own test set). The loss is always the one
    measured on the digits as they are.

    Examples
    --------
    >>> rows = value_over_shifts(metrics.learning_curve(4, (1.0,)))
    >>> [r["shift (pixels)"] for r in rows]
    ['0', '1']
    >>> rows[0]["by the level"] == rows[0]["by falls"] == rows[0]["by points"]
    True
    """
    lc = value_curve() if lc is None else lc
    miss, largest_se = _map_miss(lc)
    tolerance = _tolerance({"largest_exact_se": largest_se})
    here = fall_reading(*_gap(lc.falls()))
    level_known = miss < tolerance
    rows = []
    for shift in (0.0, *lc.shifts.tolist()):
        moved = {} if shift == 0 else {"shift": shift}
        f = lc.falls(**moved)
        points = lc.falls(points=True, **moved)
        error = lc.error_rate if shift == 0 else lc.shifted_error_rate(shift)
        shift_miss = miss if shift == 0 else _shift_map_miss(lc, shift)
        rows.append(
            {
                "shift (pixels)": f"{shift:g}",
                "exact-match miss (points)": 100 * shift_miss,
                "by the level": value_verdict(here, level_known, shift_miss < tolerance),
                "fall of errors (%)": 100 * f["error"][-1],
                "by falls": value_verdict(here, level_known, fall_reading(*_gap(f)) == KEPT),
                "accuracy gained (points)": 100 * (error[-2] - error[-1]),
                "by points": value_verdict(here, level_known, fall_reading(*_gap(points)) == KEPT),
            }
        )
    return rows


def turning_shift(rows: list[dict], column: str) -> str:
    """The largest move, in words, for which a verdict column of :func:`value_over_shifts`
    still reads "does not hold" (the loss told those users what they get), or "none"
    when it reads so for no move.

    Examples
    --------
    >>> rows = [{"shift (pixels)": "0", "v": DOES_NOT_HOLD},
    ...         {"shift (pixels)": "0.125", "v": DOES_NOT_HOLD},
    ...         {"shift (pixels)": "0.25", "v": CAVEAT}]
    >>> turning_shift(rows, "v"), turning_shift(rows[:1] + rows[2:], "v")
    ('an eighth of a pixel', 'none')
    """
    told = [float(r["shift (pixels)"]) for r in rows if r[column] == DOES_NOT_HOLD]
    told = [s for s in told if s > 0]
    return pixels_in_words(max(told)) if told else "none"


def _gap(falls: Mapping[str, np.ndarray]) -> tuple[float, float]:
    """The last step's loss fall minus error fall, and its standard error."""
    return float(falls["loss"][-1] - falls["error"][-1]), float(falls["gap_se"][-1])


def value_over_split_sets(
    lc: metrics.LearningCurve | None = None, block: int = SPLIT_SET
) -> list[dict]:
    """Claim 19's reading of the digits as they are on consecutive sets of ``block``
    splits and on all of them (a table row each): the difference between the falls, its
    interval's top and the reading, to show how much the set of splits drawn matters.

    Examples
    --------
    >>> rows = value_over_split_sets(metrics.learning_curve(8), block=4)
    >>> [r["splits"] for r in rows]
    ['1-4', '5-8', 'all 8']
    """
    lc = value_curve() if lc is None else lc
    n = len(lc.split_loss)
    parts = [(f"{i + 1}-{i + block}", slice(i, i + block)) for i in range(0, n - block + 1, block)]
    rows = []
    for label, keep in [*parts, (f"all {n}", slice(0, n))]:
        falls = lc.subset(keep).falls()
        gap, se = _gap(falls)
        shown = shown_difference(falls["loss"][-1], falls["error"][-1])
        rows.append(
            {
                "splits": label,
                "loss fall minus error fall (points)": f"{shown:+.1f} ± {100 * se:.1f}",
                "top of interval (points)": 100 * (gap + SIGNIFICANT * se),
                "reading": fall_reading(gap, se),
            }
        )
    return rows


@functools.cache
def claim_18_over_splits(counts: tuple[int, ...] = SPLIT_COUNTS) -> list[dict]:
    """Claim 18's rule on the random search with fewer data splits: the excess of the
    validation gain over the test gain, its standard error, how many standard errors
    above zero it lies, the top of its interval as a share of the measured gain, the
    reading and the verdict, and the standard error with Nadeau and Bengio's correction
    for the digits the splits share (a table row per split count).

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
                "top, share of gain (%)": 100 * (excess + SIGNIFICANT * se) / measured,
                "reading": gain_reading(measured, excess, se),
                "verdict": judge_gain(measured, real, excess, se),
                "corrected SE": 100 * corrected,
            }
        )
    return rows


def over_splits_table(rows: list[dict] | None = None) -> list[dict]:
    """:func:`claim_18_over_splits` as the chapter shows it: the split count, the excess
    with its standard error, how many standard errors above zero it lies, the top of its
    interval as a share of the measured gain, and the reading (the verdict and the
    corrected standard error are given in the prose).

    Examples
    --------
    >>> row = {"splits": 12, "excess (points)": 0.61, "standard error": 0.33,
    ...        "standard errors above zero": 1.85, "top, share of gain (%)": 16.9,
    ...        "reading": CANNOT_TELL, "verdict": CAVEAT, "corrected SE": 1.7}
    >>> over_splits_table([row])[0]["excess (points)"]
    '0.61 ± 0.33'
    """
    rows = claim_18_over_splits() if rows is None else rows
    return [
        {
            "splits": r["splits"],
            "excess (points)": f"{r['excess (points)']:.2f} ± {r['standard error']:.2f}",
            "SEs above zero": r["standard errors above zero"],
            "top, share of gain (%)": r["top, share of gain (%)"],
            "reading": r["reading"],
        }
        for r in rows
    ]


def splits_settled(rows: list[dict] | None = None, key: str = "reading") -> int:
    """The smallest split count from which every larger count of
    :func:`claim_18_over_splits` gives the ``key`` ("reading" or "verdict") of the
    largest."""
    rows = claim_18_over_splits() if rows is None else rows
    settled = rows[-1]["splits"]
    for r in reversed(rows):
        if r[key] != rows[-1][key]:
            break
        settled = r["splits"]
    return settled


def splits_unclear(rows: list[dict] | None = None) -> str:
    """The split counts of :func:`claim_18_over_splits` at which the excess is not clear
    of zero, in words ("24 and 36"), or "none".

    Examples
    --------
    >>> splits_unclear([{"splits": 12, "reading": OVERSTATED},
    ...                 {"splits": 24, "reading": CANNOT_TELL},
    ...                 {"splits": 36, "reading": CANNOT_TELL}])
    '24 and 36'
    """
    rows = claim_18_over_splits() if rows is None else rows
    return in_words(r["splits"] for r in rows if r["reading"] == CANNOT_TELL)


#: Validation sizes over which the chapter shows claim 18's real-data verdict.
VALIDATION_SIZES = (300, 100, 40)


@functools.cache
def validation_size_rows() -> list[dict]:
    """Claim 18's rule on the random search with smaller validation sets (a table): the
    gains, the excess on the test digits, the gain on the moved ones, and the verdict
    on both (:func:`judge_both`)."""
    rows = []
    for size in VALIDATION_SIZES:
        r = px.autoresearch(ATTEMPTS, SEARCHES, seed=18, splits=SPLITS, validation_size=size)
        measured = float(r.validation[-1] - r.validation[0])
        real = float(r.test[-1] - r.test[0])
        moved = float(r.moved[-1] - r.moved[0])
        test_verdict = judge_gain(measured, real, r.excess[-1], r.excess_se[-1])
        moved_verdict = judge_gain(measured, moved, r.moved_excess[-1], r.moved_excess_se[-1])
        rows.append(
            {
                "validation digits": size,
                "validation gain (points)": 100 * measured,
                "test gain (points)": 100 * real,
                "excess (points)": f"{100 * r.excess[-1]:.1f} ± {100 * r.excess_se[-1]:.1f}",
                "moved gain (points)": 100 * moved,
                "verdict": judge_both(test_verdict, moved_verdict),
            }
        )
    return rows


def remedy_rows() -> list[dict]:
    """The reused validation set against the two remedies, and re-use of the half that
    the remedies decide on, after the last attempt."""
    half = px.research.VALIDATION // 2
    use = {
        "random search": f"all {px.research.VALIDATION} decide and report",
        "re-use of 150": f"{half} decide and report",
        "held-out report": f"{half} decide; {half} only report",
        "thresholdout": f"{half} answer; {half} checked through noise",
    }
    rows = []
    for label, data in use.items():
        r = research_run(label)
        rows.append(
            {
                "validation data": data,
                "reported (%)": 100 * r.validation[-1],
                "test (%)": 100 * r.test[-1],
                "reported minus test (points)": f"{100 * r.gap[-1]:+.1f} ± "
                f"{100 * r.gap_se[-1]:.1f}",
            }
        )
    return rows


#: Thresholdout's thresholds over which the chapter shows its report's bias.
THRESHOLDS = (0.0, 0.01, 0.02, 0.04)


@functools.cache
def thresholdout_gaps(
    thresholds: tuple[float, ...] = THRESHOLDS,
) -> dict[float, tuple[float, float]]:
    """Thresholdout's reported minus test accuracy at the last attempt, and its standard
    error, for each threshold T (fractions of accuracy)."""
    out = {}
    for t in thresholds:
        if t == px.research.THRESHOLD:
            r = research_run("thresholdout")
        else:
            r = px.autoresearch(
                ATTEMPTS, SEARCHES, seed=18, splits=SPLITS, holdout="thresholdout", threshold=t
            )
        out[t] = (float(r.gap[-1]), float(r.gap_se[-1]))
    return out


def thresholdout_rows(thresholds: tuple[float, ...] = THRESHOLDS) -> list[dict]:
    """:func:`thresholdout_gaps` as a table, in points: a larger T answers from the noisy
    holdout more rarely but with more noise, and the search keeps the largest answer."""
    return [
        {
            "threshold T (points)": 100 * t,
            "reported minus test (points)": f"{100 * gap:+.1f} ± {100 * se:.1f}",
        }
        for t, (gap, se) in thresholdout_gaps(thresholds).items()
    ]


#: Answer lengths of the emergence figure, its compute window, and the wider compute
#: grid on which every curve finishes its rise.
EMERGENCE_KS = (1, 10, 30, 100)
EMERGENCE_COMPUTE = np.logspace(18, 26, 161)
WIDE_COMPUTE = np.logspace(10, 46, 721)


def emergence_numbers(compute: np.ndarray) -> dict[str, float]:
    """What the chapter says of the made-up scaling law seen through exact match, on the
    compute grid ``compute``: the decades each curve takes to rise (on
    :data:`WIDE_COMPUTE`), how far each is moved, the share reached at the grid's end,
    and how far the loss falls over it.

    Examples
    --------
    >>> numbers = emergence_numbers(np.logspace(18, 26, 161))
    >>> round(numbers["shift_100"], 1)
    10.0
    """
    loss = metrics.scaling_loss(compute)
    wide = metrics.scaling_loss(WIDE_COMPUTE)
    return {
        **{
            f"rise_{k}": metrics.rise_decades(WIDE_COMPUTE, metrics.exact_match(wide, k))
            for k in EMERGENCE_KS
        },
        **{f"shift_{k}": math.log10(k) / metrics.ALPHA for k in EMERGENCE_KS},
        "alpha": metrics.ALPHA,
        "end_100": 100 * float(metrics.exact_match(loss[-1], 100)),
        "end_1": 100 * float(metrics.exact_match(loss[-1], 1)),
        "loss_fall": float(1 - loss[-1] / loss[0]),
    }


def null_numbers() -> dict[str, float]:
    """The null model's numbers for the page: the attempts, the accuracy the random
    search ends at, how far the best of that many equally good scores rises above it,
    and the bound when each configuration has its own accuracy and its own binomial
    noise (:func:`lossylib.proxy.independent_noise_max`, with its standard error)."""
    acc = float(research_run("random search").test[-1])
    size = px.research.VALIDATION
    pool = np.array([px.split_scores(s).test for s in range(SPLITS)])
    bound, bound_se = px.independent_noise_max(pool, size, draws=250, seed=18)
    return {
        "k": ATTEMPTS,
        "accuracy": 100 * acc,
        "inflation": 100 * (px.null_expected_max(ATTEMPTS, acc, size) - acc),
        "bound": 100 * bound,
        "bound_se": 100 * bound_se,
    }


def page_numbers() -> dict[str, float]:
    """Numbers the chapter quotes that are not in the claims' evidence."""
    sel = selection_runs()
    i = N_SIM.index(1000)
    normal, heavy = sel["normal"][i], sel["t"][i]
    rank, shift = px.pool_ranking(SPLITS)
    rank_se, shift_se = px.pool_ranking_se(SPLITS)
    hill = research_run("hill climb")
    best = np.array([px.split_scores(s).test.max() for s in range(SPLITS)])
    return {
        "kept_up": 100 * KEPT_UP,
        "n_sim_max": N_SIM[-1],
        "trials": TRIALS,
        "normal_true_1000": normal.true_mean,
        "normal_true_1000_se": normal.true_se,
        "normal_proxy_1000": normal.proxy_mean,
        "normal_proxy_1000_se": normal.proxy_se,
        "normal_theory_1000": RHO * px.expected_max_normal(1000),
        "t_true_1000": heavy.true_mean,
        "t_true_1000_se": heavy.true_se,
        "t_proxy_1000": heavy.proxy_mean,
        "t_proxy_1000_se": heavy.proxy_se,
        "t_gain_end": px.gain_theory(N_MAX, RHO, "t", DF)[0],
        "normal_gain_end": px.gain_theory(N_MAX, RHO)[0],
        "kl_1000": px.bon_kl(1000),
        "pool": len(px.configs()),
        "moved_digits": px.research.MOVED,
        "train": px.research.TRAIN,
        "validation": px.research.VALIDATION,
        "test": len(px.digits()[1]) - px.research.TRAIN - px.research.VALIDATION,
        "digits": len(px.digits()[1]),
        "best_test_se": float(best.std(ddof=1) / math.sqrt(best.size)),
        "pool_rank": rank,
        "pool_rank_se": rank_se,
        "pool_shift": 100 * shift,
        "pool_shift_abs": 100 * abs(shift),
        "pool_shift_se": 100 * shift_se,
        "hill_validation_end": 100 * hill.validation[-1],
        "hill_validation_end_se": 100 * hill.validation_se[-1],
        "hill_test_end": 100 * hill.test[-1],
        "hill_test_end_se": 100 * hill.test_se[-1],
        "hill_excess": 100 * hill.excess[-1],
        "hill_excess_se": 100 * hill.excess_se[-1],
        "negligible": 100 * NEGLIGIBLE,
        # the heavy tail's best-of-n with a nearly perfect proxy, at more candidates
        **{
            f"t_share_099_{n}": (lambda g: g[0] / g[1])(px.gain_theory(10**n, 0.99, "t", DF))
            for n in (2, 4, 6)
        },
        "sets": CURVE_SPLITS // SPLIT_SET,
        "set_size": SPLIT_SET,
        **_thresholdout_numbers(),
    }


def se_numbers() -> dict[str, float]:
    """What the chapter says about the standard errors over splits: how many times larger
    each reading's could be before it changed (rounded down, so that the page's "that
    many times as large" stays true), the factor Nadeau and Bengio's correction would
    apply, claim 18's check on disjoint halves (:data:`HALVES_18`) and claim 19's
    (:func:`halves_check`, a few seconds)."""
    ev18, ev19 = claims_evidence(18), claims_evidence(19)
    check = halves_check(19)
    n = len(px.digits()[1])
    se18, se19 = ev18["excess_se"], ev19["fall_gap_se"]
    # the share of the measured gain that is real at the bottom of the excess's interval,
    # with the check's most cautious standard error
    cautious = HALVES_18.inflation(se18, SIGNIFICANT, scale=1.0)
    top = ev18["excess"] + SIGNIFICANT * cautious * se18
    return {
        "margin_18": math.floor(100 * ev18["se_margin"]) / 100,
        "margin_19": math.floor(100 * ev19["se_margin"]) / 100,
        "z_18": ev18["excess"] / ev18["excess_se"],
        "nb_18": corrected_from_plain(1.0, SPLITS, test_over_train(18, n)),
        "corrected_18": 100 * corrected_from_plain(se18, SPLITS, test_over_train(18, n)),
        "inflation_18": HALVES_18.inflation(se18),
        "inflation_18_upper": HALVES_18.inflation(se18, SIGNIFICANT),
        "inflation_18_unscaled": HALVES_18.inflation(se18, scale=1.0),
        "inflation_18_unscaled_upper": cautious,
        "real_share_cautious": 1 - top / ev18["measured_gain"],
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


def _thresholdout_numbers() -> dict[str, float]:
    """Reported minus test (points) for plain re-use of all the validation digits, of the
    half Thresholdout answers from, and Thresholdout, with the sizes that decide whether
    Dwork et al.'s guarantee can apply: the threshold, and the sampling SE of one answer
    on half the validation digits at the accuracy reached."""
    reuse, half_reuse, tho = (
        research_run(k) for k in ("random search", "re-use of 150", "thresholdout")
    )
    half = px.research.VALIDATION // 2
    acc = float(tho.test[-1])
    return {
        "reuse_gap": 100 * reuse.gap[-1],
        "reuse_gap_se": 100 * reuse.gap_se[-1],
        "half_reuse_gap": 100 * half_reuse.gap[-1],
        "half_reuse_gap_se": 100 * half_reuse.gap_se[-1],
        "tho_gap": 100 * tho.gap[-1],
        "tho_gap_se": 100 * tho.gap_se[-1],
        "tho_threshold": 100 * px.research.THRESHOLD,
        "tho_budget": px.holdout.BUDGET,
        "tho_half": half,
        "tho_accuracy": 100 * acc,
        "tho_answer_se": 100 * float(np.sqrt(acc * (1 - acc) / half)),
    }


def page_glue() -> dict[str, dict[str, float | str]]:
    """Every number the chapter glues into its prose that its own cells do not compute,
    by glue prefix (the page glues each as ``{prefix}_{name}``). Percentages of the
    claims' fractions are in points; differences of falls are taken as the rounded
    falls show them (:func:`shown_difference`)."""
    ev18, ev19 = claims_evidence(18), claims_evidence(19)
    page = page_numbers()
    sig = SIGNIFICANT
    gaps = thresholdout_gaps()
    low, high = min(gaps), max(gaps)
    return {
        "nar18": dict(ev18),
        "nar18_share": {"words": error_share_words(ev18, _verdict(18))},
        "nar19": dict(ev19),
        "nar": page,
        "nar_pts": {
            **{
                k: 100 * ev18[k]
                for k in (
                    "measured_gain",
                    "real_gain",
                    "excess",
                    "excess_se",
                    "validation_end",
                    "validation_end_se",
                    "test_end",
                    "test_end_se",
                    "best_test",
                    "moved_gain",
                    "moved_excess",
                    "moved_excess_se",
                    "moved_start",
                    "moved_end",
                )
            },  # fmt: skip
            "best_test_se": 100 * page["best_test_se"],
            "excess_top": 100 * (ev18["excess"] + sig * ev18["excess_se"]),
        },
        "nar_share": {"real": ev18["real_gain"] / ev18["measured_gain"]},
        "nar_pct": {
            "fall_gap": shown_difference(ev19["loss_drop_late"], ev19["error_drop_late"]),
            "raw_fall_gap": shown_difference(ev19["raw_loss_drop_late"], ev19["error_drop_late"]),
            "shift_fall_gap": shown_difference(
                ev19["loss_drop_late"], ev19["shift_error_drop_late"]
            ),
            "shift_fall_low": 100 * (ev19["shift_fall_gap"] - sig * ev19["shift_fall_gap_se"]),
            **{
                k: 100 * ev19[k]
                for k in (
                    "fall_gap_se",
                    "raw_fall_gap_se",
                    "shift_fall_gap_se",
                    "step_gap_largest",
                    "step_gap_top",
                    "points_late",
                    "shift_points_late",
                    "exact_end",
                    "exact_end_se",
                    "error_from_accuracy",
                    "error_from_accuracy_low",
                    "error_from_accuracy_high",
                    "error_from_accuracy_worst",
                    "error_from_map",
                    "error_from_loss",
                    "map_error_miss",
                    "loss_points_late",
                    "shift_points_gap",
                    "shift_points_gap_se",
                    "shift_error_from_map",
                    "map_exact_end",
                    "shift_exact_end",
                )
            },  # fmt: skip
        },
        "nar_z": {"excess": ev18["excess"] / ev18["excess_se"]},
        "nar_se": se_numbers(),
        "nar_rule": {
            "sig": SIGNIFICANT,
            "share": REAL_SHARE,
            "negligible": NEGLIGIBLE,
            "real_min": 1 - NEGLIGIBLE,
            "tol": TOLERANCE,
        },
        "nar_null": null_numbers(),
        "nar_sp": {"settled": splits_settled(), "unclear": splits_unclear()},
        "nar_tho_t": {
            "low": 100 * low,
            "low_gap": 100 * gaps[low][0],
            "low_se": 100 * gaps[low][1],
            "high": 100 * high,
            "high_gap": 100 * gaps[high][0],
            "high_se": 100 * gaps[high][1],
        },
        "nar_em": emergence_numbers(EMERGENCE_COMPUTE),
        "nar_words": page_words(),
    }


def _up_to(words: str) -> str:
    """ "for moves up to <words>", or "for no move" when ``words`` is "none"."""
    return "for no move" if words == "none" else f"for moves up to {words}"


def readings_at(shifts: list[dict], shift: float) -> str:
    """What the three readings of :func:`value_over_shifts` (``shifts``, its rows) give
    at the move ``shift``, in words for the chapter: whether they agree, and on what.

    Examples
    --------
    >>> row = {"shift (pixels)": "1", "by the level": CAVEAT, "by falls": CAVEAT,
    ...        "by points": CAVEAT}
    >>> readings_at([row], 1.0)
    'a move at which all three readings of them give “holds with a caveat”'
    >>> readings_at([{**row, "by points": DOES_NOT_HOLD}], 1.0)
    'a move at which the three readings of them disagree'
    """
    row = next(r for r in shifts if float(r["shift (pixels)"]) == shift)
    found = {row[col] for col in SHIFT_VERDICTS.values()}
    if len(found) == 1:
        return f"a move at which all three readings of them give “{found.pop()}”"
    return "a move at which the three readings of them disagree"


def raw_consequence(raw_holds_at: list[str], margin: float = KEPT_UP) -> str:
    """Whether claim 19's caveat rests on calibrating the loss, from the margins (in
    points, as :func:`page_words` writes them) at which the raw loss gives "holds": it
    does at the rule's own ``margin`` only if that margin is among them.

    Examples
    --------
    >>> raw_consequence(["2", "3"])
    "At the rule's own margin of 5 points the raw loss gives the same caveat, so the \
caveat rests on calibrating the loss only at narrower margins"
    >>> raw_consequence(["2", "5"])[:60]
    "So at the rule's own margin the caveat rests on calibrating "
    """
    own = f"{100 * margin:g}"
    if own in raw_holds_at:
        return "So at the rule's own margin the caveat rests on calibrating the loss"
    if raw_holds_at:
        return (
            f"At the rule's own margin of {own} points the raw loss gives the same caveat, "
            "so the caveat rests on calibrating the loss only at narrower margins"
        )
    return "So the caveat does not rest on calibrating the loss"


def page_words() -> dict[str, str]:
    """Results the chapter states in words, computed so that they follow the runs: the
    move claim 19 judges, the smallest move shown, the largest move at which each reading
    of the moved users finds that the loss told them what they get, whether the verdict
    is the same at every margin, which margins turn it for the raw loss, whether every
    set of splits reads "kept up", and claim 18's verdict over the split counts."""
    shifts = value_over_shifts()
    margins = value_over_margins()
    sets = value_over_split_sets()
    counts = claim_18_over_splits()
    sizes = validation_size_rows()
    raw = [f"{r['margin (points)']:g}" for r in margins if r["verdict, raw loss"] == HOLDS]
    return {
        "shift": pixels_in_words(SHIFT),
        "smallest_shift": pixels_in_words(min(SHIFTS)),
        **{f"turn_{k}": _up_to(turning_shift(shifts, col)) for k, col in SHIFT_VERDICTS.items()},
        "moved_vs": moved_comparison(claims_evidence(18)),
        "margins": (
            f"“{margins[0]['verdict']}” at every margin in the table"
            if same_throughout(margins, "verdict")
            else "not the same at every margin in the table"
        ),
        "raw_holds_at": f"{in_words(raw)} points" if raw else "no margin in the table",
        "raw_consequence": raw_consequence(raw),
        "at_shift": readings_at(shifts, SHIFT),
        "sets": (
            "Every set reads “kept up”"
            if {r["reading"] for r in sets} == {KEPT}
            else "Not every set reads “kept up”"
        ),
        "sizes": (
            f"“{sizes[0]['verdict']}” at every size in the table"
            if same_throughout(sizes, "verdict")
            else "not the same at every size in the table"
        ),
        "counts": (
            f"“{counts[0]['verdict']}” at every count"
            if same_throughout(counts, "verdict")
            else "not the same at every count"
        ),
    }
