"""Claims 9-13: the complexity brake (chapter "The complexity brake").

Each check runs the chapter's experiment at page size (well under a second each) and
returns the verdict the numbers support.

Examples
--------
>>> from lossylib.claims import get
>>> get(10).check().verdict
'does not hold'
"""

from __future__ import annotations

import numpy as np

from lossylib.claims import CAVEAT, DOES_NOT_HOLD, HOLDS, Verdict, claim
from lossylib.growth import classify, parallel_speedup, productivity, simulate, usl_peak
from lossylib.growth.experiments import (
    LOOP,
    TIMES,
    USL,
    diversity,
    explosion_threshold,
    patent_facts,
    redundancy,
)

CHAPTER = "chapters/complexity-brake"


@claim(9, "The more we know, the harder the next step (the complexity brake).", CHAPTER)
def check_harder() -> Verdict:
    b = productivity.BLOOM2020
    years = b["moore_last_year"] - b["moore_first_year"]
    implied = productivity.decline_rate(b["moore_effort_multiple"], years)
    g = productivity.growth_rate(np.array([0.0, 50.0]), phi=0.5, delta=0.05)
    kept = productivity.balanced_growth(lam=1.0, phi=0.5, effort_growth=0.02)
    evidence = {
        "us_decline_per_year": b["us_decline"],
        "moore_decline_per_year": b["moore_decline"],
        "moore_decline_implied_by_18x": implied,
        "us_effort_doubling_years": productivity.doubling_time(b["us_decline"]),
        "model_growth_rate_start": float(g[0]),
        "model_growth_rate_after_50": float(g[1]),
        "model_growth_with_2pct_more_effort": kept,
    }
    matches_paper = abs(implied - b["moore_decline"]) < 0.005
    model_slows = g[1] < g[0] / 2
    verdict = CAVEAT if matches_paper and model_slows else DOES_NOT_HOLD
    paper = (
        f"The {b['moore_effort_multiple']:g}-fold rise in researchers behind Moore's law "
        f"over {years} years means ideas per researcher fell {implied:.1%} a year"
        + (
            f", as Bloom et al. report ({b['moore_decline']:.1%})"
            if matches_paper
            else f", not the {b['moore_decline']:.1%} Bloom et al. report"
        )
    )
    model = (
        f"in the model with phi = 0.5 and constant effort, growth "
        f"{'falls' if model_slows else 'only falls'} from {g[0]:.1%} to {g[1]:.1%} a year "
        f"in 50 years"
    )
    if verdict == CAVEAT:
        summary = (
            f"{paper}; {model}. But harder need not mean slower: with effort growing 2% a "
            f"year the model's growth settles at {kept:.1%}."
        )
    else:
        summary = f"{paper}; {model}, so the numbers do not show that each step gets harder."
    return Verdict(verdict, evidence, summary)


@claim(10, "US patents per capita peaked in 1850-1900 and have declined since.", CHAPTER)
def check_patents() -> Verdict:
    f = patent_facts()
    peak_in_window = 1850 <= f["peak_year_before_1960"] <= 1900
    declined_since = f["per_million_2015"] < f["max_1850_1900"]
    verdict = HOLDS if peak_in_window and declined_since else DOES_NOT_HOLD
    peak = f"Per million people, US patents peaked before 1960 in {f['peak_year_before_1960']}" + (
        " (within 1850-1900)" if peak_in_window else " (not in 1850-1900)"
    )
    now = (
        f"in 2015 they stood at {f['per_million_2015']:.0f}, "
        + ("below" if declined_since else "above")
        + f" the 1850-1900 best of {f['max_1850_1900']:.0f}"
    )
    if verdict == HOLDS:
        summary = f"{peak}, and {now}: the rate has not regained its nineteenth-century level."
    else:
        summary = f"{peak}; {now}" + (
            f", after rising {f['ratio_2015_to_1985']:.1f}-fold from 1985."
            if not declined_since
            else "."
        )
    return Verdict(verdict, f, summary)


@claim(
    11,
    "Self-improvement explodes only with a closed loop, returns above one and no friction.",
    CHAPTER,
)
def check_conditions() -> Verdict:
    phi = np.linspace(-0.5, 1.5, 81)
    closed = explosion_threshold(phi)
    open_loop = explosion_threshold(phi, automation=0.9)
    lossy = explosion_threshold(phi, loss=0.1)
    runs = {
        "high_returns_with_loss": {"phi": 0.8, "loss": 0.1},
        "unit_returns_open_loop": {"phi": 0.5, "automation": 0.9},
        "low_returns_with_loss": {"phi": 0.3, "loss": 0.1},
    }
    shapes = {
        name: str(classify(TIMES, simulate(TIMES, **{**LOOP, **p}))) for name, p in runs.items()
    }
    evidence = {
        "lam": LOOP["lam"],
        "phi_threshold_closed_loop": closed,
        "phi_threshold_automation_0.9": open_loop,
        "phi_threshold_loss_0.1": lossy,
        **{f"regime_{k}": v for k, v in shapes.items()},
    }
    first_two = closed + LOOP["lam"] > 0.95 and open_loop > closed + 0.3
    friction_stops_all = shapes["high_returns_with_loss"] != "explodes"
    verdict = (
        HOLDS if first_two and friction_stops_all else CAVEAT if first_two else (DOES_NOT_HOLD)
    )

    def first(x: float) -> str:
        return "nowhere on the grid" if np.isnan(x) else f"from phi + lambda = {x:.2f}"

    loops = (
        f"With a closed loop the model explodes {first(closed + LOOP['lam'])}; with 90% "
        f"automatable research "
        + ("nothing explodes" if np.isnan(open_loop) else f"only from phi = {open_loop:.2f}")
    )
    if first_two:
        loops += ": an explosion needs returns above one, and an open loop raises the bar."
    else:
        loops += ": the model does not bear out that returns above one are needed and that "
        loops += "an open loop raises the bar."
    low = (
        "makes growth with low returns (phi = 0.3) level off"
        if shapes["low_returns_with_loss"] == "saturates"
        else ""
    )
    if friction_stops_all:
        loss = (
            f" A 10% loss per generation {low + ' and ' if low else ''}stops the explosion "
            f"at phi = 0.8 (the run {shapes['high_returns_with_loss']}): friction can "
            "prevent an explosion."
        )
    else:
        loss = (
            f" A 10% loss per generation {low + ', but ' if low else ''}does not stop the "
            f"explosion at phi = 0.8: with it the closed loop still explodes "
            f"{first(lossy + LOOP['lam'])}, so friction-free is not required."
        )
    return Verdict(verdict, evidence, loops + loss)


@claim(12, "More agents in parallel bring redundancy and coordination overhead.", CHAPTER)
def check_parallel() -> Verdict:
    agents = np.array([1, 8, 64, 256])
    shared = redundancy(agents, zipf=1.0)
    spread = redundancy(agents, zipf=0.0)
    usl = parallel_speedup(np.array([8.0, 64.0, 256.0]), **USL)
    peak_n = float(usl_peak(**USL))
    evidence = {
        "distinct_per_draw_64_agents_shared": float(shared[2]),
        "distinct_per_draw_64_agents_uniform": float(spread[2]),
        "distinct_per_draw_256_agents_shared": float(shared[3]),
        "speedup_8_agents": float(usl[0]),
        "speedup_64_agents": float(usl[1]),
        "speedup_256_agents": float(usl[2]),
        "speedup_peak_agents": peak_n,
    }
    saturates = shared[2] < 0.5 and usl[2] < usl[1]
    mild_when_spread = spread[2] > 0.8
    verdict = CAVEAT if saturates and mild_when_spread else HOLDS if saturates else (DOES_NOT_HOLD)
    copies = (
        f"With 64 copies of one model only {shared[2]:.0%} of attempts find a new idea, and "
        f"with coordination costs 256 agents get {usl[2]:.1f} times one agent's work done "
        f"against {usl[1]:.1f} for 64"
    )
    if not saturates:
        summary = f"{copies}: returns to more agents do not clearly saturate."
    elif mild_when_spread:
        summary = (
            f"{copies}; but agents spread evenly over the ideas still find new ones "
            f"{spread[2]:.0%} of the time, so how fast returns saturate depends on how "
            "alike the agents are."
        )
    else:
        summary = (
            f"{copies}; even agents spread evenly find new ideas only {spread[2]:.0%} of "
            "the time: more agents bring redundancy and overhead."
        )
    return Verdict(verdict, evidence, summary)


@claim(13, "Fewer independent labs mean less diversity and slower discovery.", CHAPTER)
def check_diversity() -> Verdict:
    evidence = {}
    for k in (0, 6):
        out = diversity(k)
        for name, key in [
            ("16 independent labs", "many"),
            ("2 independent labs", "few"),
            ("16 labs that copy the leader", "copy"),
        ]:
            evidence[f"k{k}_{key}_best"] = float(out[name].mean[-1])
            evidence[f"k{k}_{key}_sem"] = float(out[name].sem[-1])
    gap = evidence["k6_many_best"] - evidence["k6_few_best"]
    se = np.hypot(evidence["k6_many_sem"], evidence["k6_few_sem"])
    evidence["k6_gap_in_standard_errors"] = float(gap / se)
    rugged = gap > 3 * se and evidence["k6_copy_best"] < evidence["k6_many_best"]
    smooth_same = abs(evidence["k0_many_best"] - evidence["k0_few_best"]) < 0.01
    verdict = CAVEAT if rugged and smooth_same else HOLDS if rugged else DOES_NOT_HOLD
    e = evidence
    results = (
        f"For the same total effort on a rugged landscape (k = 6), 16 independent labs reach "
        f"{e['k6_many_best']:.3f} of the optimum, 2 labs {e['k6_few_best']:.3f} and 16 labs "
        f"that copy the leader {e['k6_copy_best']:.3f}"
    )
    smooth = (
        f"on a smooth one (k = 0) 16 and 2 labs reach {e['k0_many_best']:.3f} and "
        f"{e['k0_few_best']:.3f}"
    )
    if verdict == CAVEAT:
        summary = (
            f"{results}; {smooth}. Independent searches pay when the problem is rugged, "
            "and copying loses the advantage of numbers."
        )
    elif verdict == HOLDS:
        summary = f"{results}; {smooth}: more independent labs find better solutions on both."
    else:
        summary = (
            f"{results} (a gap of {e['k6_gap_in_standard_errors']:.1f} standard errors); "
            f"{smooth}: more independent labs do not clearly find better solutions."
        )
    return Verdict(verdict, evidence, summary)
