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
from lossylib.growth import classify, parallel_speedup, productivity, simulate
from lossylib.growth.experiments import (
    LOOP,
    TIMES,
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
    consistent = abs(implied - b["moore_decline"]) < 0.005 and g[1] < g[0] / 2
    verdict = CAVEAT if consistent else DOES_NOT_HOLD
    return Verdict(
        verdict,
        evidence,
        "Ideas per researcher do fall (about 5% a year in the US, 6.8% behind Moore's law), "
        "but harder has not meant slower: growing research effort has kept growth going.",
    )


@claim(10, "US patents per capita peaked in 1850-1900 and have declined since.", CHAPTER)
def check_patents() -> Verdict:
    f = patent_facts()
    peak_in_window = 1850 <= f["peak_year_before_1960"] <= 1900
    declined_since = f["per_million_2015"] < f["max_1850_1900"]
    verdict = HOLDS if peak_in_window and declined_since else DOES_NOT_HOLD
    return Verdict(
        verdict,
        f,
        f"Per million people, patents peaked in {f['peak_year_before_1960']} (not 1850-1900), "
        f"fell to {f['per_million_1950']:.0f} by 1950, then rose "
        f"{f['ratio_2015_to_1985']:.1f}-fold from 1985 to 2015.",
    )


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
    return Verdict(
        verdict,
        evidence,
        "In the model an explosion needs returns above one and a closed loop, and losses "
        "turn slower growth into a plateau; but a loss per generation does not stop an "
        "explosion once returns exceed one: friction-free is not required.",
    )


@claim(12, "More agents in parallel bring redundancy and coordination overhead.", CHAPTER)
def check_parallel() -> Verdict:
    agents = np.array([1, 8, 64, 256])
    shared = redundancy(agents, zipf=1.0)
    spread = redundancy(agents, zipf=0.0)
    usl = parallel_speedup(np.array([8.0, 64.0, 256.0]), serial=0.05, crosstalk=0.0005)
    peak_n = float(np.sqrt((1 - 0.05) / 0.0005))
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
    return Verdict(
        verdict,
        evidence,
        "Agents that draw from the same distribution duplicate each other and coordination "
        "makes throughput peak and fall; agents that search different parts of a large space "
        "scale almost linearly, so how fast returns saturate depends on how alike they are.",
    )


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
    return Verdict(
        verdict,
        evidence,
        "On a rugged landscape, 16 independent labs find better solutions than 2 labs or 16 "
        "labs that copy the leader, for the same total effort; on a smooth one the number of "
        "labs makes no difference, and what counts is independence, not the number of firms.",
    )
