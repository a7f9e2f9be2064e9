"""Claim 17 (chapter "Conclusion"): linear, exponential or S-shaped?

The check reads fifty years of microprocessor data (:mod:`lossylib.trends`): whether the
number users feel (single-thread performance) slowed while the count that compounds
(transistors per chip) did not, how sure the shape after the break is (a bootstrap over
years), and whether growing prefixes of an S-curve could have told it from an
exponential before its bend: on a known logistic, and on clock frequency, the chip
series that did level off. The verdict is worked out from the evidence alone by
:func:`rule`, so every branch can be tested on made-up evidence; :func:`verdict_grid`
reads it over the choices the page makes.

:func:`loop_inputs` gathers the other chapters' measured numbers for the toy loop of
:mod:`lossylib.trends.loop`.

Examples
--------
The rule on made-up evidence: single-thread growth that did not slow after the break
means the data show no S-curve, so the claim does not hold; nor does it if the series
slowed but a change of rate fits better than a ceiling and it kept compounding after.
The chips stand in for AI by analogy, and every summary says so.

>>> ev = dict(evidence())
>>> ev.update(felt_after=0.44, felt_after_low=0.40, felt_after_high=0.48)
>>> rule(ev).verdict
'does not hold'
>>> ev = dict(evidence())
>>> ev.update(two_segment_aic_gain=0.5)  # an S-curve fits as well as a change of rate
>>> rule(ev).verdict
'holds with a caveat'
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping

import numpy as np

from lossylib.claims import (
    CAVEAT,
    DOES_NOT_HOLD,
    HOLDS,
    Verdict,
    claim,
    get,
    in_words,
    upper_first,
)
from lossylib.trends import experiments as ex
from lossylib.trends.data import growth_fit
from lossylib.trends.loop import (
    DEFAULTS,
    Input,
    half_ceiling_time,
    loss_ceiling,
    loss_per_generation,
    returns_from_decline,
)
from lossylib.trends.prefix import CLEAR_AIC

CHAPTER = "chapters/conclusion"

#: Growth after the break below this (a year) counts as no longer compounding.
FLAT = 0.05
#: The count "kept compounding" if its later growth is at least this share of its earlier.
KEPT = 0.75
#: The years (``start <= year < end``) of Bloom et al.'s Moore's-law case (1971-2014),
#: over which the transistor growth behind the loop's returns is fitted here.
MOORE_YEARS = (1971, 2015)
#: Generations of the tail-loss chapter's Gaussian run (claim 6's variances are after these).
TAIL_GENERATIONS = 100
#: Early data "cannot tell" if at most this share of samples prefer the S-curve clearly
#: on any prefix that ends at the bottom of the S (at most
#: :data:`~lossylib.trends.experiments.EARLY_LEVEL` of the ceiling), at the page's
#: threshold (:data:`~lossylib.trends.prefix.CLEAR_AIC`) and at the lowest it shows.
EARLY_SHARE = 0.25
#: One shape fits the real series better than another if its AIC is lower by more than
#: this (within 2, Burnham and Anderson's rule of thumb gives both substantial support).
PREFER_AIC = 2.0
#: The evidence keys' suffix for each way of counting the felt series
#: (:data:`lossylib.trends.experiments.COUNTS`).
SUFFIX = ex.COUNT_SUFFIX


def evidence() -> dict[str, float]:
    """Claim 17's evidence from the shipped series and the prefix fits."""
    b = ex.breaks()
    felt = b["specint"]
    eras = ex.eras()
    early_t, late_t = eras["transistors"]
    arrays = ex.synthetic_arrays()
    ends = np.array(ex.SYNTH_ENDS)
    before = ends <= ex.early_end()  # prefixes that end at the bottom of the S
    clear = arrays["delta_aic"] > CLEAR_AIC
    pre_ceiling = arrays["log_ceiling"][:, before]
    real = ex.real_prefix()
    first = real.first_clear(CLEAR_AIC)
    levelled = ex.levelling_off()
    at_mid = arrays["delta_aic"][:, ends == ex.CURVE.midpoint]
    n = int(clear.shape[0])
    k = int(clear[:, before].sum(axis=0).max())  # the early prefix most often clear
    # the same at the lowest threshold the page shows: the answer must not hang on it
    lowest = arrays["delta_aic"][:, before] > min(ex.THRESHOLDS)
    low, high = ex.share_interval(k, n)
    shapes = {count: ex.shape_after_break("specint", count) for count in ex.COUNTS}
    return {
        "break_year": felt.year,
        "break_low": felt.year_low,
        "break_high": felt.year_high,
        "felt_before": felt.before,
        "felt_before_low": felt.before_low,
        "felt_before_high": felt.before_high,
        "felt_after": felt.after,
        "felt_after_low": felt.after_low,
        "felt_after_high": felt.after_high,
        "frequency_after": b["frequency"].after,
        "count_early": early_t.rate,
        "count_early_low": early_t.low,
        "count_early_high": early_t.high,
        "count_late": late_t.rate,
        "count_late_low": late_t.low,
        "count_late_high": late_t.high,
        "synthetic_midpoint": ex.CURVE.midpoint,
        "synthetic_seeds": n,
        "synthetic_clear_count_before": k,
        "synthetic_clear_share_before": k / n,
        "synthetic_clear_share_before_low": low,
        "synthetic_clear_share_before_high": high,
        "synthetic_clear_share_before_lowest": float(lowest.sum(axis=0).max() / n),
        "lowest_threshold": min(ex.THRESHOLDS),
        "synthetic_clear_share_after": float(clear[:, ends >= ex.CURVE.midpoint + 10].mean()),
        "synthetic_ceiling_spread_before": float(
            np.max(np.percentile(pre_ceiling, 90, axis=0) - np.percentile(pre_ceiling, 10, 0))
        ),
        "synthetic_clear_share_at_midpoint": float((at_mid > CLEAR_AIC).mean()),
        "real_first_clear": first,
        "real_lag_after_break": first - felt.year if math.isfinite(first) else math.inf,
        "frequency_break_year": levelled["break_year"],
        "frequency_first_clear": levelled["first_clear"],
        "frequency_lag_after_break": levelled["lag"],
        "clear_aic": CLEAR_AIC,
        **{
            f"{key}{SUFFIX[count]}": shape[key]
            for count, shape in shapes.items()
            for key in (
                "two_segment_aic_gain",
                "after_exp_over_linear",
                "forecast_error_linear",
                "forecast_error_exp",
            )
        },
        **ex.shape_bootstrap("specint", band=PREFER_AIC),
        "holdout_from": ex.HOLDOUT_FROM,
        "holdout_points_record": ex.shape_after_break("specint", ex.COUNTS[2])["holdout_points"],
        "prefer_aic": PREFER_AIC,
    }


def _prefer(ev: Mapping[str, float]) -> float:
    """The AIC margin the evidence is read with (:data:`PREFER_AIC` unless it says)."""
    return float(ev.get("prefer_aic", PREFER_AIC))


def _how(gain: float, prefer: float = PREFER_AIC) -> str:
    if not math.isfinite(gain):
        return "not comparable with"
    how = "better than" if gain > prefer else "about as well as"
    return "worse than" if gain < -prefer else how


def _by(gain: float) -> str:
    return f"{'lower' if gain >= 0 else 'higher'} by {abs(gain):.1f}"


def _compare(gain: float, other: str, prefer: float = PREFER_AIC) -> str:
    """How a shape fits next to ``other``, from the other's AIC minus its own."""
    if not math.isfinite(gain):
        return f"{_how(gain, prefer)} {other} (no AIC to compare)"
    return f"{_how(gain, prefer)} {other} (its AIC {_by(gain)})"


def _compare_counts(gains: Mapping[str, float], other: str, prefer: float = PREFER_AIC) -> str:
    """:func:`_compare` for each way of counting (``gains`` by count), in one phrase when
    every count says the same.

    Examples
    --------
    >>> s = _compare_counts({"every chip": 21.6, "fastest chip to date": 8.2}, "an S-curve")
    >>> s
    'better than an S-curve however it is counted (its AIC lower by 21.6 and 8.2)'
    >>> _compare_counts({"every chip": 3.0, "fastest chip to date": -3.0}, "a line")[:52]
    'better than a line (its AIC lower by 3.0) counting e'
    """
    values = list(gains.values())
    hows = {_how(g, prefer) for g in values}
    if len(hows) == 1 and all(math.isfinite(g) for g in values):
        if len({g >= 0 for g in values}) == 1:
            side = "lower" if values[0] >= 0 else "higher"
            by = f"{side} by " + in_words([f"{abs(g):.1f}" for g in values])
        else:
            by = in_words([_by(g) for g in values])
        return f"{hows.pop()} {other} however it is counted (its AIC {by})"
    return in_words(
        [f"{_compare(g, other, prefer)} counting {ex.COUNTING[c]}" for c, g in gains.items()]
    )


def _by_count(ev: Mapping[str, float], key: str) -> dict[str, float]:
    """One evidence number for each way of counting (:data:`SUFFIX`)."""
    return {c: float(ev[f"{key}{SUFFIX[c]}"]) for c in ex.COUNTS}


def shape_phrases(ev: Mapping[str, float] | None = None) -> dict[str, str]:
    """The shape comparisons of claim 17 in words, as its summary words them, for the
    page's prose: ``segments`` (a change of rate against an S-curve), ``after`` (an
    exponential against a line after the break) and ``forecast``.

    Examples
    --------
    >>> shape_phrases()["segments"].startswith("better than an S-curve however it is counted")
    True
    """
    ev = evidence() if ev is None else ev
    prefer = _prefer(ev)
    after = _by_count(ev, "after_exp_over_linear")
    return {
        "segments": _compare_counts(_by_count(ev, "two_segment_aic_gain"), "an S-curve", prefer),
        "after": _compare_counts(after, "a line", prefer),
        "forecast": _forecast_phrase(ev),
        "after_short": _leanings(after, prefer),
        **{
            f"after{SUFFIX[c]}_only": f"an exponential fits {_compare(g, 'a line', prefer)}"
            for c, g in after.items()
        },
    }


def _leanings(gains: Mapping[str, float], prefer: float = PREFER_AIC) -> str:
    """Which shape each way of counting favours after the break, in a few words.

    Examples
    --------
    >>> s = _leanings({"every chip": 10.6, "fastest new chip each year": 1.0,
    ...                "fastest chip to date": -7.0})
    >>> s.split(", ")[0], s.split(" and ")[-1]
    ('counted over every chip the data favour compounding', 'over the fastest chip to date a line')
    """

    def word(g: float) -> str:
        return ex._reading(g, prefer) if math.isfinite(g) else "nothing (no fit)"

    names, words = [ex.COUNTING[c] for c in gains], [word(g) for g in gains.values()]
    # "counted over": a way of counting the chips, not a chip, favours a shape
    parts = [f"counted over {names[0]} the data favour {words[0]}"]
    parts += [f"over {n} {w}" for n, w in zip(names[1:], words[1:], strict=True)]
    return in_words(parts)


def _forecast_phrase(ev: Mapping[str, float]) -> str:
    """Which shape forecast the held-out years better, for each way of counting."""
    line, exp = _by_count(ev, "forecast_error_linear"), _by_count(ev, "forecast_error_exp")
    by_shape: dict[str, list[str]] = {"the exponential": [], "the line": []}
    for c in ex.COUNTS:
        by_shape["the exponential" if exp[c] < line[c] else "the line"].append(ex.COUNTING[c])
    # the shape that wins on the first count (every chip) is named first
    first = "the exponential" if exp[ex.COUNTS[0]] < line[ex.COUNTS[0]] else "the line"
    order = [first] + [shape for shape in by_shape if shape != first]
    return ", ".join(
        f"{shape} forecasts them better counting {in_words(by_shape[shape])}"
        for shape in order
        if by_shape[shape]
    )


def _spread(ev: Mapping[str, float]) -> str:
    """The bootstrap ranges of the line-or-exponential comparison after the break, as a
    sentence ("" when the evidence has none).

    Examples
    --------
    >>> _spread({})
    ''
    """
    try:
        low, high = (
            _by_count(ev, "after_exp_over_linear_low"),
            _by_count(ev, "after_exp_over_linear_high"),
        )
    except KeyError:
        return ""
    if not all(math.isfinite(x) for x in [*low.values(), *high.values()]):
        return ""
    ranges = in_words(f"{low[c]:.1f} to {high[c]:.1f} counting {ex.COUNTING[c]}" for c in ex.COUNTS)
    return (
        f"Resampling the years after the break, the line's AIC minus the exponential's "
        f"runs (middle 95%) from {ranges}."
    )


def rule(ev: Mapping[str, float]) -> Verdict:
    """Claim 17's verdict from its evidence.

    The claim's shape is tested on the real series, chips standing in for AI by analogy.
    That early S-curves look exponential is tested twice: on a synthetic logistic (a
    property of the curve, true by construction) and on clock frequency, the real series
    that did level off. The shapes are compared on the single-thread series counted
    three ways (:data:`lossylib.trends.experiments.COUNTS`): every chip, the fastest new
    chip each year and the fastest chip to date; a shape is settled only if every count
    agrees. Shapes are compared by AIC with the evidence's ``prefer_aic`` margin (by
    default :data:`PREFER_AIC`).

    Does not hold if the felt series did not slow (its growth after the break is not
    clearly below its growth before), or if it slowed but kept compounding: its growth
    after the break stays above :data:`FLAT` a year, and however it is counted an
    exponential fits the points after the break better than a line and a change of rate
    fits the whole series better than an S-curve (both by more than the margin), so the
    data show neither a line nor a ceiling. Holds if it slowed to something linear-ish
    (under :data:`FLAT` a year, or a line better than an exponential after the break
    however it is counted) and early data could not tell an S-curve from an
    exponential: at most :data:`EARLY_SHARE` of the synthetic samples could at the bottom
    of the S, and on clock frequency the S-curve became clearly better only after its
    break. Otherwise a caveat that says which. The transistor count is context, not a
    condition: the claim expects the number that is easy to count to keep improving
    while the felt one lags, so a count that kept compounding (by :data:`KEPT`) is
    reported, not held against it.
    """
    prefer = _prefer(ev)
    year, lo, hi = ev["break_year"], ev["break_low"], ev["break_high"]
    felt = (
        f"single-thread performance grew {ev['felt_before']:.0%} a year "
        f"({ev['felt_before_low']:.0%} to {ev['felt_before_high']:.0%}) before a break in "
        f"{year:.1f} ({lo:.1f} to {hi:.1f}) and {ev['felt_after']:.0%} "
        f"({ev['felt_after_low']:.0%} to {ev['felt_after_high']:.0%}) after"
    )
    chips = "on chips (an analogy for AI),"
    # the scoreboard's line (claims.headline): the summary's numbers, formatted as there
    before, after = f"{ev['felt_before']:.0%}", f"{ev['felt_after']:.0%}"
    bent = f"single-thread performance bent in {year:.1f} from {before} to {after} a year"
    if not ev["felt_after_high"] < ev["felt_before_low"]:
        return Verdict(
            DOES_NOT_HOLD,
            ev,
            f"On chips (an analogy for AI), what users feel did not clearly slow: {felt}, "
            f"intervals overlap.",
            headline=f"On chips, single-thread performance grew {before} a year before "
            f"{year:.1f} and {after} after: no clear slowdown.",
        )
    kept = ev["count_late"] >= KEPT * ev["count_early"]
    count = (
        f"Transistor counts grew {ev['count_early']:.0%} a year before 2005 and "
        f"{ev['count_late']:.0%} after: "
        + (
            "the count kept compounding, as the claim expects of the number that is easy "
            "to count (context, not a test)."
            if kept
            else "the count slowed too."
        )
    )
    early = ev["synthetic_clear_share_before"]
    lag = ev["frequency_lag_after_break"]
    # at the lowest threshold shown too: "cannot tell" must not hang on the threshold;
    # and on the real series that levelled off, not before its bend
    cannot_tell = max(early, ev["synthetic_clear_share_before_lowest"]) <= EARLY_SHARE and lag >= 0
    levelled = "on clock frequency, a real series that did level off, the S-curve "
    if math.isfinite(lag):
        side = "after" if lag >= 0 else "before"
        when = (
            f"{levelled}beat one exponential clearly (AIC by {ev['clear_aic']:.0f}) only "
            f"from {ev['frequency_first_clear']:.0f}, {abs(lag):.1f} years {side} its break "
            f"in {ev['frequency_break_year']:.1f}"
        )
    else:
        when = f"{levelled}never beat one exponential clearly"
    felt_lag = ev["real_lag_after_break"]
    if math.isfinite(felt_lag):
        when += (
            f" (on single-thread performance, which bent without levelling off, from "
            f"{ev['real_first_clear']:.0f})"
        )
    tell = (
        f"at the bottom of a known S-curve (below a quarter of its ceiling) at most "
        f"{ev['synthetic_clear_count_before']:.0f} "
        f"of {ev['synthetic_seeds']:.0f} noisy samples ({early:.0%}; 95% interval "
        f"{ev['synthetic_clear_share_before_low']:.0%} to "
        f"{ev['synthetic_clear_share_before_high']:.0%}; "
        f"{ev['synthetic_clear_share_before_lowest']:.0%} with an AIC threshold of "
        f"{ev['lowest_threshold']:.0f}) told it from an exponential, a "
        f"property of the logistic (true by construction); and {when}"
    )
    # the half that holds leads the summary, so the front page shows it
    lead = "Early data could not tell an S-curve from an exponential, and " if cannot_tell else ""
    opening = f"{lead}{chips}" if lead else upper_first(chips)
    seg, lin = _by_count(ev, "two_segment_aic_gain"), _by_count(ev, "after_exp_over_linear")
    shape = (
        f"a change of rate fits the whole series {_compare_counts(seg, 'an S-curve', prefer)}; "
        f"after the break an exponential fits {_compare_counts(lin, 'a line', prefer)}"
    )
    spread = _spread(ev)
    flat = ev["felt_after"] < FLAT
    # comparisons with NaN are False: a count that could not be fitted settles nothing
    exp_everywhere = all(g > prefer for g in lin.values())
    compounds = ev["felt_after_low"] > FLAT and exp_everywhere
    linear_ish = flat or all(g < -prefer for g in lin.values())
    if compounds and all(g > prefer for g in seg.values()):
        early_part = (
            f"What holds is that early S-curves look exponential: {tell}."
            if cannot_tell
            else f"Nor did early S-curves look exponential here: {tell}."
        )
        summary = (
            f"{upper_first(chips)} what users feel bent but kept compounding, "
            f"neither linear-ish nor S-shaped: {felt}; {shape}. {spread} {early_part} {count}"
        )
        line = f"On chips, {bent} but kept compounding, neither linear-ish nor an S-curve."
        return Verdict(DOES_NOT_HOLD, ev, " ".join(summary.split()), headline=line)
    early_line = "Early data could not tell an S-curve from an exponential."
    if linear_ish and cannot_tell:
        summary = (
            f"{opening} what users feel bent to something linear-ish: {felt}; {shape}. "
            f"{spread} Early data: {tell}. {count}"
        )
        line = f"{early_line} Chips' {bent}: linear-ish."
        return Verdict(HOLDS, ev, " ".join(summary.split()), headline=line)
    # the caveat in one short sentence after the first (the front page shows the first
    # two, claims.short_summary); the numbers behind it follow
    buts, details = [], []
    if not linear_ish:
        if compounds:
            why = "and counted some way an S-curve fits as well as a change of rate, or better"
        elif exp_everywhere:
            why = (
                f"but its growth after the break might be as low as "
                f"{ev['felt_after_low']:.0%} a year, not clearly above {FLAT:.0%}"
            )
        elif any(g > prefer for g in lin.values()) and any(g < -prefer for g in lin.values()):
            why = "and whether as a line or an exponential depends on how it is counted"
        else:
            why = "and counted some way the data do not tell a line from an exponential"
        buts.append(
            f"after the break it still grows {ev['felt_after']:.0%} a year "
            f"rather than levelling off, {why}"
        )
        details.append(f"{upper_first(shape)}. {spread}")
    if not cannot_tell:
        buts.append("early data could tell the S-curve apart")
    details.append(f"Early data: {tell}.")
    details.append(count)
    summary = f"{opening} what users feel bent: {felt}. But " + "; and ".join(buts) + ". "
    summary += " ".join(details)
    if cannot_tell:  # then it is still growing: the caveat
        line = f"{early_line} Chips' {bent}, but still grows."
    else:
        grows = "still grows, and " if not linear_ish else ""
        line = f"On chips, {bent}, but {grows}early data could tell an S-curve apart."
    return Verdict(CAVEAT, ev, " ".join(summary.split()), headline=line)


#: The settings over which :func:`verdict_grid` reads the verdict: ends of the data
#: after the break (a prefix ``year < end``; the last keeps every point) and AIC margins.
GRID_ENDS = (2016.0, 2019.0, 2021.0, 2023.0)
GRID_PREFER = (1.0, 2.0, 4.0)


def verdict_grid(
    ev: Mapping[str, float],
    series: Mapping[str, tuple[np.ndarray, np.ndarray]],
    starts: tuple[float, ...],
    ends: tuple[float, ...] = GRID_ENDS,
    prefers: tuple[float, ...] = GRID_PREFER,
) -> dict[str, float | str]:
    """Claim 17's verdict over choices the page makes: the line-or-exponential
    comparison after the break refitted from each of ``starts`` to each of ``ends``, for
    each series of ``series`` (keyed by :data:`lossylib.trends.experiments.COUNTS`),
    read with each AIC margin of ``prefers``; everything else as in ``ev``.

    Returns the number of ``settings``, how many give each verdict (``holds``,
    ``caveat``, ``fails``), how many give ``ev``'s own verdict (``same``), and
    ``others``: the settings that do not, in words ("none" if every one does). About
    three hundredths of a second per start and end.

    Examples
    --------
    >>> t = np.arange(2005.0, 2022.0)
    >>> line = {c: (t, 10.0 + t - 2005) for c in ex.COUNTS}
    >>> g = verdict_grid(evidence(), line, starts=(2005.0, 2007.0), ends=(2022.0,))
    >>> g["settings"], g["holds"]  # a line after the break on every count
    (6, 6)
    """
    base = rule(ev).verdict
    found: list[tuple[float, float, float, str]] = []
    for start in starts:
        for end in ends:
            changed = dict(ev)
            for count, suffix in SUFFIX.items():
                years, values = series[count]
                gain = ex.line_minus_exp(years, values, start, end)
                changed[f"after_exp_over_linear{suffix}"] = gain
            for prefer in prefers:
                changed["prefer_aic"] = prefer
                found.append((start, end, prefer, rule(changed).verdict))
    verdicts = [v for *_, v in found]
    others = [
        f"fits from {start:.1f} to data before {end:.0f}, margin {prefer:g}: {v}"
        for start, end, prefer, v in found
        if v != base
    ]
    return {
        "start_values": in_words([f"{x:.1f}" for x in starts]),
        "end_values": in_words([f"{x:.0f}" for x in ends]),
        "prefer_values": in_words([f"{x:g}" for x in prefers]),
        "settings": len(found),
        "holds": verdicts.count(HOLDS),
        "caveat": verdicts.count(CAVEAT),
        "fails": verdicts.count(DOES_NOT_HOLD),
        "same": verdicts.count(base),
        "starts": len(starts),
        "ends": len(ends),
        "prefers": len(prefers),
        "others": "; ".join(others) if others else "none",
    }


def verdict_by_count(ev: Mapping[str, float] | None = None) -> dict[str, str]:
    """Claim 17's verdict (:func:`rule`) had the single-thread series been counted one
    way only, for each way of :data:`lossylib.trends.experiments.COUNTS`: every number
    the evidence gives per count (the keys with a :data:`SUFFIX`) set to that count's.
    The rule settles a shape only where every count agrees, so this shows what the
    agreement decides.

    Examples
    --------
    >>> by_count = verdict_by_count()  # doctest: +SKIP
    >>> sorted(by_count) == sorted(ex.COUNTS)  # doctest: +SKIP
    True
    """
    ev = get(17).check().evidence if ev is None else ev
    fastest = SUFFIX[ex.COUNTS[1]]
    per_count = {k[: -len(fastest)] for k in ev if k.endswith(fastest)}
    out = {}
    for count in ex.COUNTS:
        one = dict(ev)
        for base in per_count:
            if f"{base}{SUFFIX[count]}" not in ev:
                continue
            for suffix in SUFFIX.values():
                if f"{base}{suffix}" in ev:
                    one[f"{base}{suffix}"] = ev[f"{base}{SUFFIX[count]}"]
        out[count] = rule(one).verdict
    return out


def count_verdict_phrase(by_count: Mapping[str, str] | None = None) -> str:
    """:func:`verdict_by_count` in words, for the page.

    Examples
    --------
    >>> count_verdict_phrase({"every chip": "holds", "fastest chip to date": "holds"})
    'counted any one way alone, the rule gives "holds" too'
    >>> count_verdict_phrase({"every chip": "does not hold", "fastest chip to date": "holds"})
    ... # doctest: +NORMALIZE_WHITESPACE
    'counted one way alone, the rule gives "does not hold" for every chip and "holds" for
    the fastest chip to date'
    """
    by_count = verdict_by_count() if by_count is None else by_count
    if len(set(by_count.values())) == 1:
        return f'counted any one way alone, the rule gives "{next(iter(by_count.values()))}" too'
    named = in_words([f'"{v}" for {ex.COUNTING.get(c, c)}' for c, v in by_count.items()])
    return f"counted one way alone, the rule gives {named}"


@functools.cache
def verdict_robustness() -> dict[str, float | str]:
    """:func:`verdict_grid` on the live evidence and the single-thread series, with the
    fits after the break started at the break year and at each of
    :data:`lossylib.trends.experiments.START_YEARS`, ended at each of :data:`GRID_ENDS`,
    read with each margin of :data:`GRID_PREFER` (cached; under half a second). A start
    that picks the same chips as an earlier one, on every count, is left out
    (:func:`lossylib.trends.experiments.distinct_starts`): it would count a setting twice.

    Examples
    --------
    >>> r = verdict_robustness()  # doctest: +SKIP
    >>> r["settings"] == r["holds"] + r["caveat"] + r["fails"]  # doctest: +SKIP
    True
    """
    ev = get(17).check().evidence
    series = {count: ex.counted("specint", count) for count in ex.COUNTS}
    starts = ex.distinct_starts(list(series.values()), (float(ev["break_year"]), *ex.START_YEARS))
    return verdict_grid(ev, series, starts)


@claim(
    17,
    "Self-improvement is real but linear-ish, not exponential: progress looks exponential "
    "at the bottom of a sigmoid.",
    chapter=CHAPTER,
    section="con-felt",
)
def sigmoid_not_exponential() -> Verdict:
    """Fifty years of microprocessors, and prefixes of a known S-curve."""
    return rule(evidence())


# ------------------------------------------------------------- the toy loop's inputs


def _first(ev: Mapping, *keys: str) -> float | None:
    for k in keys:
        if k in ev and ev[k] is not None:
            return float(ev[k])
    return None


def _declines() -> tuple[float, float, float] | None:
    """Claim 9's Moore's-law decline of research productivity (a year) and its range,
    or None if the check reports none."""
    ev9 = get(9).check().evidence
    decline = _first(ev9, "moore_reported", "moore_decline_per_year")
    if decline is None:
        return None
    lo = _first(ev9, "moore_implied_low", "us_decline_per_year")
    hi = _first(ev9, "moore_implied_high", "moore_decline_implied_by_18x")
    return decline, min(decline, lo or decline), max(decline, hi or decline)


def returns_input(lam: float) -> Input | None:
    """The returns to what is known (phi) at returns to effort ``lam``: the brake's
    Moore's-law productivity decline over the transistor growth of the same years
    (1971-2014) measured here (:func:`lossylib.trends.loop.returns_from_decline`), with
    the range over the reported declines and the growth's interval; None if claim 9
    reports no decline.

    Examples
    --------
    >>> a, b = returns_input(0.25), returns_input(1.0)
    >>> bool(a.value > b.value), bool(a.value + 0.25 < b.value + 1.0)
    (True, True)
    """
    found = _declines()
    if found is None:
        return None
    decline, lo, hi = found
    g = growth_fit("transistors", *MOORE_YEARS)
    cands = [returns_from_decline(d, r, lam=lam) for d in (lo, hi) for r in (g.low, g.high)]
    phi = returns_from_decline(decline, g.rate, lam=lam)
    return Input(phi, min(cands + [phi]), max(cands + [phi]), "claims 9 and 17")


@functools.cache
def loop_inputs() -> tuple[dict[str, Input], dict[str, str]]:
    """The toy loop's inputs from the other chapters' claim evidence.

    Returns ``(inputs, missing)``: the :class:`~lossylib.trends.loop.Input` of each
    parameter that a chapter measured, and for each one that could not be read, why.
    """
    inputs: dict[str, Input] = {}
    missing: dict[str, str] = {}
    # Returns to knowledge: the brake's Moore's-law productivity decline over the
    # transistor growth of the same years (1971-2014) measured here, at the loop's lambda.
    phi = returns_input(DEFAULTS["lam"])  # at the loop's returns to effort
    if phi is None:
        missing["phi"] = "claim 9 reports no Moore's-law decline"
    else:
        inputs["phi"] = phi
    # Loss per generation: the tail-loss chapter's Gaussian variance after 100
    # generations, typical run (median) to mean run, times the share of the loss a
    # verifier leaves in the curation chapter's vocabulary.
    ev6 = get(6).check().evidence
    med, mean = ev6["gaussian_median_variance"], ev6["gaussian_mean_variance"]
    lows = (
        loss_per_generation(mean, TAIL_GENERATIONS),
        loss_per_generation(med, TAIL_GENERATIONS),
    )
    left = verifier_left()
    inputs["loss"] = Input(
        left * (lows[0] + lows[1]) / 2, left * lows[0], left * lows[1], "claims 6 and 14"
    )
    eff = _efficiency()
    if isinstance(eff, str):
        missing["efficiency"] = eff
    else:
        inputs["efficiency"] = eff
    return inputs, missing


def verifier_left() -> float:
    """The share of the tail loss a perfect verifier still leaves (claim 14): the log
    of the support kept with the best curation over the log kept with none."""
    ev14 = get(14).check().evidence
    start = ev14["support_start"]
    return math.log(ev14["support_end_best_curated"] / start) / math.log(
        ev14["support_end_no_curation"] / start
    )


def loss_at_samples(n: int, generations: int = TAIL_GENERATIONS) -> float:
    """The toy loop's loss per generation had the tail-loss chapter refitted its
    Gaussian to ``n`` samples a generation instead of its chosen
    ``get(6).check().evidence["gaussian_n"]``: the expected variance kept (mean run) and
    the typical variance kept (median run) after ``generations``, each turned into a
    per-generation loss, averaged, times :func:`verifier_left`, as :func:`loop_inputs`
    does with the simulated runs. Worked out, not simulated: about ``1.5 / n`` times
    the verifier's share (the mean run loses 1/n a generation, the typical run about
    twice that).

    Examples
    --------
    >>> a, b = loss_at_samples(100), loss_at_samples(1000)  # doctest: +SKIP
    >>> round(a / b)  # doctest: +SKIP
    10
    """
    from lossylib.collapse import gaussian

    kept = (
        float(gaussian.expected_variance(n, generations)[-1]),
        float(gaussian.typical_variance(n, generations)[-1]),
    )
    per = [loss_per_generation(k, generations) for k in kept]
    return verifier_left() * (per[0] + per[1]) / 2


#: Samples a generation at which :func:`sample_size_rows` shows the loop.
SAMPLE_SIZES = (20, 100, 1000)


def sample_size_rows(sizes: tuple[int, ...] = SAMPLE_SIZES, automation: float = 0.9) -> list[dict]:
    """The toy loop's loss, time to half its ceiling (:func:`half_ceiling_time`, closed
    form) and ceiling (:func:`~lossylib.trends.loop.loss_ceiling`, at ``automation``) if
    the tail-loss chapter had drawn each of ``sizes`` samples a generation
    (:func:`loss_at_samples`), the other inputs at their central values. One row per
    size; empty if a check could not give the returns.

    Examples
    --------
    >>> rows = sample_size_rows((100, 1000))  # doctest: +SKIP
    >>> [row["half the ceiling (generations)"] for row in rows]  # doctest: +SKIP
    [3057, 30552]
    """
    inputs, _ = loop_inputs()
    if "phi" not in inputs:
        return []
    phi = inputs["phi"].value
    rows = []
    for n in sizes:
        loss = loss_at_samples(n)
        trial = {**inputs, "loss": Input(loss, loss, loss, f"{n} samples")}
        top = float(loss_ceiling(trial, [automation])[0])
        rows.append(
            {
                "samples a generation": n,
                "loss per generation": loss,
                "half the ceiling (generations)": round(half_ceiling_time(phi, loss)),
                f"ceiling at {automation:.0%} (times the start)": f"{top:.1e}",
            }
        )
    return rows


def sample_size_numbers(rows: list[dict] | None = None, chosen: int | None = None) -> dict:
    """:func:`sample_size_rows` as numbers the page glues: for each size ``n``,
    ``loss_{n}`` and ``half_{n}``; the tail chapter's own size (``chosen``, by default
    claim 6's ``gaussian_n``, with ``loss_chosen``), the ``smallest`` and the ``largest``
    size, each with its ``half_...`` time; and ``slower``, how many times longer the
    largest size takes than the chosen one.

    Examples
    --------
    >>> rows = [{"samples a generation": n, "loss per generation": 1 / n,
    ...          "half the ceiling (generations)": 30 * n} for n in (10, 100, 1000)]
    >>> out = sample_size_numbers(rows, chosen=100)
    >>> out["half_chosen"], out["largest"], out["slower"]
    (3000, 1000, 10.0)
    """
    rows = sample_size_rows() if rows is None else rows
    if chosen is None:
        chosen = int(get(6).check().evidence["gaussian_n"])
    half = {row["samples a generation"]: row["half the ceiling (generations)"] for row in rows}
    out: dict = {}
    for row in rows:
        n = row["samples a generation"]
        out[f"loss_{n}"] = row["loss per generation"]
        out[f"half_{n}"] = half[n]
    if not half:
        return out
    smallest, largest = min(half), max(half)
    out.update(chosen=chosen, smallest=smallest, largest=largest)
    out.update(half_smallest=half[smallest], half_largest=half[largest])
    if chosen in half:
        out["half_chosen"], out["loss_chosen"] = half[chosen], out[f"loss_{chosen}"]
        out["slower"] = half[largest] / half[chosen]
    return out


#: The automated researcher run for the loop's efficiency: attempts, searches, splits.
#: Smaller than the narrow-targets chapter's own run (which takes too long to repeat
#: here); its standard error says how much that costs.
RESEARCH = {"attempts": 100, "trials": 48, "splits": 4, "seed": 18}


def _efficiency() -> Input | str:
    """The share of a measured gain that is real: the automated researcher of narrow
    targets (:func:`lossylib.proxy.autoresearch`), test gain over validation gain after
    its last attempt, with a range of two standard errors of the excess."""
    try:
        from lossylib import proxy
    except ImportError:  # pragma: no cover - the narrow-targets library is part of the book
        return "lossylib.proxy (narrow targets) is not available"
    r = RESEARCH
    runs = proxy.autoresearch(r["attempts"], r["trials"], seed=r["seed"], splits=r["splits"])
    measured = float(runs.validation[-1] - runs.validation[0])
    if not measured > 0:
        return "the automated researcher measured no gain to compare with"
    excess, se = float(runs.excess[-1]), float(runs.excess_se[-1])
    share = 1.0 - excess / measured
    lo, hi = 1.0 - (excess + 2 * se) / measured, 1.0 - (excess - 2 * se) / measured
    source = f"narrow targets (autoresearch, {r['trials']} searches on {r['splits']} splits)"
    return Input(share, min(lo, share), max(hi, share), source)


#: Automation levels at which the page shows the toy loop's regimes.
AUTOMATION = (0.5, 0.8, 0.9, 0.95, 0.99, 1.0)
#: Monte Carlo draws of the loop's inputs within their ranges.
DRAWS = 400
#: Horizons (generations) over which the page reads the central loop's regime; the
#: first is the brake chapter's 200 generations.
HORIZONS = (200.0, 1000.0, 3000.0, 10000.0)


@functools.cache
def loop_horizons() -> np.ndarray:
    """The central loop's regime over each of :data:`HORIZONS` (rows) at each of
    :data:`AUTOMATION` (columns)."""
    from lossylib.trends.loop import regimes_by_horizon

    return regimes_by_horizon(loop_inputs()[0], AUTOMATION, HORIZONS)


@functools.cache
def loop_result() -> tuple[dict[str, np.ndarray], dict[str, float]]:
    """The toy loop at :data:`AUTOMATION`: regime shares and the numbers the page quotes."""
    from lossylib.trends.loop import ceiling_time, regime_shares, tipping_automation

    inputs, missing = loop_inputs()
    shares = regime_shares(inputs, AUTOMATION, draws=DRAWS, seed=17)
    nums: dict[str, float] = {
        "draws": DRAWS,
        "tipping": tipping_automation(inputs),
        "tail_generations": TAIL_GENERATIONS,
        "lam": DEFAULTS["lam"],
    }
    for name, i in inputs.items():
        nums.update({name: i.value, f"{name}_low": i.low, f"{name}_high": i.high})
    if "phi" in inputs:  # with research effort capped, A grows like t^(1 / (1 - phi))
        nums["power"] = 1 / (1 - inputs["phi"].value)
    for a, share in zip(AUTOMATION, shares["explodes"], strict=True):
        nums[f"explodes_{round(100 * a)}"] = float(share)
    for a, share in zip(AUTOMATION, shares["slows"], strict=True):
        nums[f"slows_{round(100 * a)}"] = float(share)
    nums["missing"] = len(missing)
    found = _declines()
    nums["decline"] = found[0] if found else math.nan
    nums["transistor_growth"] = growth_fit("transistors", *MOORE_YEARS).rate
    nums["transistor_first_year"] = MOORE_YEARS[0]
    nums["transistor_last_year"] = MOORE_YEARS[1] - 1
    # returns_from_decline divides by the log rate, log(1 + growth): the page quotes it
    nums["transistor_log_growth"] = math.log1p(nums["transistor_growth"])
    if {"phi", "loss"} <= set(inputs):  # the closed form of the time to half the ceiling
        nums["ceiling_half_time_closed"] = half_ceiling_time(
            inputs["phi"].value, inputs["loss"].value
        )
    # Where the loss stops an open loop, when it gets there, and from which horizon the
    # regime reads "saturates" (nan if at none of HORIZONS).
    some = np.array([0.9, 0.99])
    by_horizon = loop_horizons()
    for a, top, half in zip(
        some, loss_ceiling(inputs, some), ceiling_time(inputs, some), strict=True
    ):
        col = by_horizon[:, AUTOMATION.index(a)]
        hit = np.flatnonzero(col == "saturates")
        key = round(100 * a)
        nums[f"ceiling_{key}"] = float(top)
        nums[f"ceiling_{key}_orders"] = math.floor(math.log10(top))  # powers of ten up
        nums[f"ceiling_half_time_{key}"] = float(half)
        nums[f"saturates_from_{key}"] = float(HORIZONS[hit[0]]) if hit.size else math.nan
        before = hit.size and hit[0] > 0
        nums[f"slows_until_{key}"] = float(HORIZONS[hit[0] - 1]) if before else math.nan
    nums["horizon_short"] = HORIZONS[0]
    return shares, nums


#: How long :func:`ceiling_time_range` runs the loop (about four times the latest time).
HALF_TIME_HORIZON = 20_000.0


@functools.cache
def ceiling_time_range(automation: float = 0.9) -> dict[str, float]:
    """How soon the open loop reaches half its loss ceiling, over the measured ranges of
    the returns and the loss (generations): ``soonest`` with the lowest returns and the
    highest loss, ``latest`` with the highest returns and the lowest loss. The other
    inputs scale the ceiling, not the time. About half a second (two runs over
    :data:`HALF_TIME_HORIZON` generations, cached; ``nan`` if a run does not get there).

    Examples
    --------
    >>> r = ceiling_time_range()  # doctest: +SKIP
    >>> r["soonest"] < loop_result()[1]["ceiling_half_time_90"] < r["latest"]  # doctest: +SKIP
    True
    """
    from lossylib.trends.loop import ceiling_time

    inputs, _ = loop_inputs()
    if not {"phi", "loss"} <= set(inputs):  # a check could not produce them: no range
        return {"soonest": math.nan, "latest": math.nan}

    def half_time(phi: float, loss: float) -> float:
        fixed = {
            **inputs,
            "phi": Input(phi, phi, phi, inputs["phi"].source),
            "loss": Input(loss, loss, loss, inputs["loss"].source),
        }
        return float(ceiling_time(fixed, [automation], horizon=HALF_TIME_HORIZON)[0])

    phi, loss = inputs["phi"], inputs["loss"]
    return {
        "soonest": half_time(phi.low, loss.high),
        "latest": half_time(phi.high, loss.low),
    }


def loop_rows() -> list[dict]:
    """The toy loop's inputs as table rows (name, value, range, source), missing ones
    included with the reason."""
    inputs, missing = loop_inputs()
    what = {
        "phi": "returns to what is known (φ)",
        "loss": "capability lost per generation",
        "efficiency": "share of a measured gain that is real",
        "lam": "returns to research effort (λ)",
    }
    rows = [
        {
            "input": what.get(k, k),
            "value": i.value,
            "low": i.low,
            "high": i.high,
            "from": i.source,
        }  # fmt: skip
        for k, i in inputs.items()
    ]
    rows += [
        {
            "input": what.get(k, k),
            "value": math.nan,
            "low": math.nan,
            "high": math.nan,
            "from": f"missing: {why}",
        }  # fmt: skip
        for k, why in missing.items()
    ]
    return rows


#: Returns to research effort (lambda) over which the page shows the loop, and how long
#: :func:`lam_sweep` runs it (more than the slowest of them needs).
LAMBDAS = (0.25, 0.5, 0.75, 1.0)
SWEEP_HORIZON = 10_000.0


@functools.cache
def lam_sweep(lams: tuple[float, ...] = LAMBDAS, automation: float = 0.9) -> list[dict]:
    """The toy loop at each returns to effort ``lam`` of ``lams`` (a choice of the brake
    chapter, not a measurement): the returns phi the same productivity decline then
    implies (:func:`returns_input`), phi + lam, the generations the loop takes to reach
    half its loss ceiling at ``automation`` (``nan`` if not within
    :data:`SWEEP_HORIZON`), and its regime over the brake chapter's 200 generations
    at ``automation`` and with all research automated. One row per value; about
    half a second (cached).

    On a balanced growth path phi + lam - 1 = lam (1 - decline / g), so phi + lam
    passes one at every lam exactly when productivity falls slower than the output
    grows: the regimes cannot change with lam, only the times.

    Examples
    --------
    >>> rows = lam_sweep((0.5,))  # doctest: +SKIP
    >>> rows[0]["at 100%"]  # doctest: +SKIP
    'explodes'
    """
    from lossylib.trends.loop import ceiling_time, central_regimes

    inputs, _ = loop_inputs()
    rows = []
    for lam in lams:
        phi = returns_input(lam)
        if phi is None or "loss" not in inputs:
            continue
        trial = {**inputs, "phi": phi, "lam": Input(lam, lam, lam, "chosen")}
        for horizon in (SWEEP_HORIZON / 4, SWEEP_HORIZON):  # a short run first: cheaper
            half = float(ceiling_time(trial, [automation], horizon=horizon)[0])
            if math.isfinite(half):
                break
        regimes = central_regimes(trial, [automation, 1.0])
        rows.append(
            {
                "λ": lam,
                "φ": phi.value,
                "φ low": phi.low,
                "φ high": phi.high,
                "φ + λ": phi.value + lam,
                # whole generations (the loop is read every ten), nan if not reached
                f"half the ceiling at {automation:.0%} (generations)": (
                    int(half) if math.isfinite(half) else math.nan
                ),
                f"at {automation:.0%}": str(regimes[0]),
                "at 100%": str(regimes[1]),
            }
        )
    return rows


def lam_numbers(rows: list[dict] | None = None) -> dict[str, float]:
    """:func:`lam_sweep` as numbers the page glues: for the smallest and the largest lam,
    ``lam_min``, ``phi_at_min``, ``half_at_min`` and ``lam_max``, ``phi_at_max``,
    ``half_at_max``; the smallest and largest phi + lam (``sum_low``, ``sum_high``); and
    ``regimes_same``, 1 if every lam gives the same regimes.

    Examples
    --------
    >>> rows = [{"λ": lam, "φ": 1 - lam / 5, "φ + λ": 1 + 0.8 * lam, "half (generations)": h,
    ...          "at 90%": "slows", "at 100%": "explodes"} for lam, h in ((0.5, 3000), (1, 1000))]
    >>> n = lam_numbers(rows)
    >>> n["lam_max"], n["phi_at_max"], n["half_at_min"], n["sum_low"], n["regimes_same"]
    (1, 0.8, 3000, 1.4, 1)
    """
    rows = lam_sweep() if rows is None else rows
    if not rows:
        return {"regimes_same": 0}

    def half(row: dict) -> float:
        return next(v for k, v in row.items() if k.startswith("half"))

    low, high = min(rows, key=lambda r: r["λ"]), max(rows, key=lambda r: r["λ"])
    sums = [row["φ + λ"] for row in rows]
    regimes = {tuple(v for k, v in row.items() if k.startswith("at ")) for row in rows}
    return {
        "lam_min": low["λ"],
        "phi_at_min": low["φ"],
        "half_at_min": half(low),
        "lam_max": high["λ"],
        "phi_at_max": high["φ"],
        "half_at_max": half(high),
        "sum_low": min(sums),
        "sum_high": max(sums),
        "regimes_same": int(len(regimes) == 1),
    }
