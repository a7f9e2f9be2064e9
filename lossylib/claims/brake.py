"""Claims 9-13: the complexity brake (chapter "The complexity brake").

Each claim has an ``evidence_*`` function that runs the chapter's experiment at page
size and a pure ``rule_*`` function that turns evidence into a verdict, so that the tests
can feed made-up evidence through every branch; the registered check joins the two.

Examples
--------
>>> from lossylib.claims import get
>>> get(10).check().verdict
'does not hold'
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping

import numpy as np

from lossylib.checks import check_int
from lossylib.claims import CAVEAT, DOES_NOT_HOLD, HOLDS, Verdict, claim, upper_first
from lossylib.growth import productivity
from lossylib.growth.agents import (
    KINDS,
    AgentRuns,
    agent_runs,
    agent_runs_on,
    digit_count,
    missed_share,
    resampled_se,
    split_means,
)
from lossylib.growth.experiments import (
    conditions_evidence,
    diversity_gaps,
    parallel_evidence,
    patent_facts,
)
from lossylib.resampling import HalvesCheck, corrected_from_plain, disjoint_halves, halvings_of
from lossylib.stats import mean_se
from lossylib.workers import map_in_workers

CHAPTER = "chapters/complexity-brake"
#: Start years the "early 1970s" of the Moore's-law figure may mean.
MOORE_STARTS = (1970, 1971, 1972, 1973, 1974)
#: The smallest gap in best payoff (share of the optimum) that counts as a real
#: difference between set-ups in claim 13, besides being three standard errors.
MIN_GAP = 0.01
#: How far above the 1850-1900 best a later pre-1960 best year may be and still count as
#: part of one plateau in claim 10's summary (a share).
PLATEAU = 0.1
#: The smallest share of attempts (redundancy) or of the agents' work (coordination
#: overhead) lost that counts as a loss in claim 12.
MIN_WASTE = 0.05


# ---------------------------------------------------------------------- claim 9


def evidence_harder(cases: Mapping[str, float] | None = None) -> dict[str, float]:
    """Claim 9's evidence: the published case-study declines (range, mean and standard
    error across the cases) and the Moore's-law decline implied by 18x the researchers
    for every start year of the early 1970s."""
    b = productivity.BLOOM2020
    ev = productivity.case_summary(dict(productivity.BLOOM2020_CASES if cases is None else cases))
    implied = [
        productivity.decline_rate(b["moore_effort_multiple"], b["moore_last_year"] - y)
        for y in MOORE_STARTS
    ]
    ev["moore_reported"] = b["moore_decline"]
    ev["moore_implied_low"] = float(min(implied))
    ev["moore_implied_high"] = float(max(implied))
    return ev


def rule_harder(ev: Mapping[str, float]) -> Verdict:
    """A consistency check on the paper's published figures, not a re-estimate: holds if
    every case study declines, the mean decline is more than two standard errors above
    zero (the spread of a few hand-picked published figures, not a sampling error) and
    the Moore's-law figure follows from its inputs; a caveat if the mean declines but not
    every case (or the arithmetic is off); does not hold if the mean decline is not
    clearly above zero."""
    n, down = ev["cases"], ev["cases_declining"]
    mean, se = ev["mean_decline"], ev["se_decline"]
    clear = mean > 2 * se if np.isfinite(se) else mean > 0
    consistent = ev["moore_implied_low"] - 0.005 <= ev["moore_reported"]
    consistent = consistent and ev["moore_reported"] <= ev["moore_implied_high"] + 0.005
    cases = (
        "A check of cited figures, not a new measurement: as Bloom et al. report them, "
        f"research productivity fell in {down} of {n} case "
        f"studies, by {ev['smallest_decline']:.1%} to {ev['largest_decline']:.1%} a year "
        f"({mean:.1%} on average)"
    )
    moore = (
        f"18x the researchers from the early 1970s to 2014 means a decline of "
        f"{ev['moore_implied_low']:.1%}-{ev['moore_implied_high']:.1%} a year"
    )
    # the scoreboard's line: the same numbers, formatted as in the summary
    cited = "As Bloom et al. report, research productivity fell"
    if not clear:
        return Verdict(
            DOES_NOT_HOLD,
            ev,
            f"{cases}: no clear decline, so the next step is not harder.",
            headline=f"{cited} in {down} of {n} case studies, but not clearly on average: "
            f"{mean:.1%} a year.",
        )
    if down == n and consistent:
        return Verdict(
            HOLDS,
            ev,
            f"{cases}; {moore}, as reported ({ev['moore_reported']:.1%}): each idea "
            "takes more research than the last, as they measure it.",
            headline=f"{cited} in {down} of {n} case studies, by "
            f"{ev['smallest_decline']:.1%} to {ev['largest_decline']:.1%} a year.",
        )
    if down < n:
        why = f"productivity rose in {n - down} of them"
        line = f"{cited} {mean:.1%} a year on average, but rose in {n - down} of {n} case studies."
    else:
        why = f"{moore}, not the reported {ev['moore_reported']:.1%}"
        line = (
            f"{cited} in {down} of {n} case studies, but their Moore's-law figure of "
            f"{ev['moore_reported']:.1%} does not add up."
        )
    return Verdict(CAVEAT, ev, f"{cases}; but {why}.", headline=line)


@claim(
    9, "The more we know, the harder the next step (the complexity brake).", CHAPTER, "brake-ideas"
)
def check_harder() -> Verdict:
    return rule_harder(evidence_harder())


# ---------------------------------------------------------------------- claim 10


def rule_patents(f: Mapping[str, float]) -> Verdict:
    """Holds if the pre-1960 peak of patents per capita falls in 1850-1900 and 2015 is
    below the 1850-1900 best; does not hold otherwise (either part fails). The summary
    leads with the level in 2015, the part of the claim that is clearly decided; a
    pre-1960 best year outside 1850-1900 but within :data:`PLATEAU` of the 1850-1900
    best is reported as a plateau rather than a later peak."""
    peak_in_window = 1850 <= f["peak_year_before_1960"] <= 1900
    declined_since = f["per_million_2015"] < f["max_1850_1900"]
    now = (
        f"In 2015 US patents per million people (every grant, including those to inventors "
        f"abroad) stood at {f['per_million_2015']:.0f}, "
        + ("below" if declined_since else "above")
        + f" the 1850-1900 best of {f['max_1850_1900']:.0f}"
    )
    year, margin = f["peak_year_before_1960"], f["ratio_peak_before_1960_to_1850_1900_max"] - 1
    if peak_in_window:
        peak = f"before 1960 they peaked in {year} (within 1850-1900)"
    elif margin <= PLATEAU:
        peak = (
            f"before 1960 they stayed on a plateau rather than peaking in 1850-1900, their "
            f"best year ({year}, not in 1850-1900) only {margin:.0%} above the 1850-1900 best"
        )
    else:
        peak = (
            f"before 1960 they peaked in {year} (not in 1850-1900), {margin:.0%} above the "
            "1850-1900 best"
        )
    # the scoreboard's line: the same numbers, formatted as in the summary
    level, best = f"{f['per_million_2015']:.0f}", f"{f['max_1850_1900']:.0f}"
    if peak_in_window and declined_since:
        summary = f"{now}, and {peak}: the rate has not regained its nineteenth-century level."
        line = (
            f"US patents per million people peaked in {year} and in 2015 stood at {level}, "
            f"below the 1850-1900 best of {best}."
        )
        return Verdict(HOLDS, f, summary, headline=line)
    if not declined_since:
        extra = "" if peak_in_window else f" And {peak}."
        summary = (
            f"{now}, {f['ratio_2015_to_1985']:.1f} times their 1985 level: the rate did not "
            f"decline for good after the nineteenth century.{extra}"
        )
        line = (
            f"In 2015 US patents per million people stood at {level}, above the 1850-1900 "
            f"best of {best} and {f['ratio_2015_to_1985']:.1f} times their 1985 level."
        )
        return Verdict(DOES_NOT_HOLD, f, summary, headline=line)
    before = (
        f"they peaked in {year}, {margin:.0%} higher"
        if margin > PLATEAU
        else f"they plateaued, at their best in {year}"
    )
    line = (
        f"In 2015 US patents per million people stood at {level}, below the 1850-1900 best, "
        f"but before 1960 {before}."
    )
    return Verdict(DOES_NOT_HOLD, f, f"{now}; but {peak}.", headline=line)


@claim(
    10,
    "US patents per capita peaked in 1850-1900 and have declined since.",
    CHAPTER,
    "brake-patents",
)
def check_patents() -> Verdict:
    return rule_patents(patent_facts())


# ---------------------------------------------------------------------- claim 11


def rule_conditions(ev: Mapping[str, float | str]) -> Verdict:
    """Holds if returns above one are needed, an open loop never explodes on the grid
    (threshold NaN: the closed loop is required) and the loss stops the explosion at
    phi = 0.8; a caveat if returns above one are needed and an open loop raises the bar
    but explodes somewhere (closing the loop lowers the bar rather than being required)
    or the loss does not stop the explosion; does not hold if the model does not bear out
    that returns above one are needed and an open loop raises the bar. In this model a
    loop with 90% automatable research explodes once phi alone passes one, which the grid
    reaches, so "holds" needs evidence from another model: here the verdict is at most a
    caveat, whatever the loss."""
    closed, open_loop, lam = (
        ev["phi_threshold_closed_loop"],
        ev["phi_threshold_automation_0.9"],
        ev["lam"],
    )
    lossy = ev["phi_threshold_with_loss"]
    raises_bar = bool(np.isnan(open_loop) or open_loop > closed + 0.3)
    first_two = bool(closed + lam > 0.95 and raises_bar)
    stops = ev["regime_high_returns_with_loss"] != "explodes"
    power = f"A^{ev['loss_power']:g}" if ev["loss_power"] != 1 else "A"

    def first(x: float) -> str:
        """Where the closed loop explodes: phi alone, and phi + lambda (what must pass 1)."""
        if np.isnan(x):
            return "nowhere on the grid"
        return f"from φ = {x:.2f} (φ + λ = {x + lam:.2f})"

    loops = f"With a closed loop the model explodes {first(closed)}; with 90% "
    loops += "automatable research " + (
        "nothing explodes" if np.isnan(open_loop) else f"only from φ = {open_loop:.2f}"
    )
    if not first_two:
        summary = loops + (
            ": the model does not bear out that returns above one are needed and that an "
            "open loop raises the bar."
        )
        if np.isnan(closed):
            line = "By the model's algebra, even a closed loop never explodes on the grid."
        elif closed + lam <= 0.95:
            line = (
                f"By the model's algebra, a closed loop explodes from φ + λ = "
                f"{closed + lam:.2f}: returns above one are not needed."
            )
        else:
            line = (
                f"By the model's algebra, an open loop barely raises the bar: it explodes "
                f"from φ = {open_loop:.2f}, a closed loop from φ = {closed:.2f}."
            )
        return Verdict(DOES_NOT_HOLD, ev, summary, headline=line)
    # the answer first (the front page shows this sentence and the next)
    loops = loops.replace("the model explodes", "it explodes")
    loops = (
        "By the model's algebra, not a measurement, an explosion needs returns above one, "
        f"and an open loop raises the bar: {loops[0].lower()}{loops[1:]}."
    )
    if stops:
        stop = (
            f"a loss of {ev['loss']:g} {power} a generation stops it at φ = 0.8 (the run "
            f"{ev['regime_high_returns_with_loss']})"
        )
        if np.isnan(open_loop):
            holds = f"{loops} {upper_first(stop)}: friction can prevent it."
            line = (
                f"By the model's algebra, explosion needs returns above one and a closed "
                f"loop, and a loss of {ev['loss']:g} {power} a generation stops it."
            )
            return Verdict(HOLDS, ev, holds, headline=line)
        # the caveat in the second sentence, which the front page shows
        loss = (
            f" Closing the loop lowers the bar but is not required: a loop not fully "
            f"closed still explodes from φ = {open_loop:.2f} without friction, although "
            f"{stop}, so friction can prevent it."
        )
        line = (
            "By the model's algebra, explosion needs returns above one and friction can stop "
            "it, but a closed loop is not required."
        )
        return Verdict(CAVEAT, ev, loops + loss, headline=line)
    if ev["loss_power"] == 1:
        need = (
            f" (it would take a loss of {ev['stopping_loss_high_returns']:.2f} {power}, the "
            "smallest growth rate on the way up)"
        )
        unless = "the loss reaches the growth it must stop or outgrows the returns"
    else:
        need, unless = "", "friction outgrows the returns"
    loss = (
        f" Friction-free is not required unless {unless}: a loss of {ev['loss']:g} {power} a "
        f"generation does not stop it at φ = 0.8{need}. With that loss the closed loop "
        f"still explodes {first(lossy)}."
    )
    line = (
        "By the model's algebra, explosion needs returns above one, but friction-free is not "
        f"required: a loss of {ev['loss']:g} {power} a generation does not stop it."
    )
    return Verdict(CAVEAT, ev, loops + loss, headline=line)


@claim(
    11,
    "Self-improvement explodes only with a closed loop, returns above one and no friction.",
    CHAPTER,
    "brake-conditions",
)
def check_conditions() -> Verdict:
    return rule_conditions(conditions_evidence(loss_power=1.0))


# ---------------------------------------------------------------------- claim 12


#: Claim 12's real-data agents: copies of each kind of classifier (and of mixed kinds)
#: at this many agents and at four times as many, over this many splits of the digits.
REAL_AGENTS = 4
REAL_SPLITS = 8


#: The real-data teams of claim 12 (see :meth:`~lossylib.growth.agents.AgentRuns.teams`).
TEAMS = ("copies", "mixed", "control", "null copies", "null mixed")


def real_runs(agents: int = REAL_AGENTS, splits: int = REAL_SPLITS) -> AgentRuns:
    """The classifiers behind claim 12: ``4 * agents`` copies of each kind on ``splits``
    splits of the digits (cached, see :func:`~lossylib.growth.agents.agent_runs`)."""
    return agent_runs(4 * agents, splits)


def real_series(agents: int = REAL_AGENTS, splits: int = REAL_SPLITS) -> dict[str, list]:
    """The real-data teams behind claim 12, by name (:data:`TEAMS`): per split, a list of
    (agents, problems) arrays to average over."""
    runs = real_runs(agents, splits)
    return {name: runs.teams(name) for name in TEAMS}


def _key(team: str) -> str:
    return team.replace(" ", "_")


def evidence_real_redundancy(agents: int = REAL_AGENTS, splits: int = REAL_SPLITS) -> dict:
    """Claim 12's real-data numbers (:mod:`lossylib.growth.agents`): the share of the
    expected new solves that agents 2 to ``agents`` miss (``real_repeat_<team>``) and
    agents 2 to ``4 * agents`` (``..._4x``), for each team of :data:`TEAMS` (averaged
    within a split, then mean and corrected standard error over the splits);
    ``real_growth_<team>``: agents ``agents + 1`` to ``4 * agents`` minus agents 2 to
    ``agents``; ``real_alike``: copies minus the same copies drawn from the skill and
    difficulty null, and ``real_mixed_beyond``: the team of every kind in turn minus its
    null, both for agents 2 to ``agents`` and paired by split. ``agents`` is at most
    the number of kinds, so that a team of every kind in turn holds different kinds.
    """
    agents = check_int(agents, "agents (one per kind in a mixed team)", 2, len(KINDS))
    splits = check_int(splits, "splits", 2, 100)
    return dict(_evidence_real_redundancy(agents, splits))  # a copy: the cache stays as is


def _columns(per_split: list, n: int) -> np.ndarray:
    """Per split (rows): what agents 2 to ``n`` miss, agents 2 to ``4 * n``, and agents
    ``n + 1`` to ``4 * n`` minus agents 2 to ``n`` (the growth), averaged over teams."""
    n4 = 4 * n
    return np.column_stack(
        [
            split_means(per_split, lambda m: missed_share(m, 2, n)),
            split_means(per_split, lambda m: missed_share(m, 2, n4)),
            split_means(per_split, lambda m: missed_share(m, n + 1, n4) - missed_share(m, 2, n)),
        ]
    )


def _mean_se(values: np.ndarray) -> tuple[float, float]:
    """Mean over splits and its corrected standard error (``nan`` for both if a split
    could not be measured)."""
    if not np.isfinite(values).all():
        return float("nan"), float("nan")
    return resampled_se(values)


@functools.lru_cache(maxsize=4)
def _evidence_real_redundancy(agents: int, splits: int) -> dict:
    n = agents
    per_split = {team: _columns(teams, n) for team, teams in real_series(agents, splits).items()}

    ev: dict[str, float] = {"real_agents": n, "real_splits": splits}
    for team, v in per_split.items():
        key, growth = f"real_repeat_{_key(team)}", f"real_growth_{_key(team)}"
        ev[key], ev[f"{key}_se"] = _mean_se(v[:, 0])
        ev[f"{key}_4x"], ev[f"{key}_4x_se"] = _mean_se(v[:, 1])
        ev[growth], ev[f"{growth}_se"] = _mean_se(v[:, 2])
    for key, team in (("real_alike", "copies"), ("real_mixed_beyond", "mixed")):
        ev[key], ev[f"{key}_se"] = _mean_se(per_split[team][:, 0] - per_split[f"null {team}"][:, 0])
    return ev


def _missed_cell(per_split: list[list[np.ndarray]], last: int) -> str:
    """ "mean ± SE" (%) of what agents 2 to ``last`` miss: teams averaged within a split,
    then the corrected standard error over the splits."""
    m, se = resampled_se(100 * split_means(per_split, lambda t: missed_share(t, 2, last)))
    return f"{round(m, 1) + 0.0:.1f} ± {se:.1f}"  # + 0.0: no "-0.0"


def agent_kind_rows(agents: int = REAL_AGENTS, splits: int = REAL_SPLITS) -> list[dict]:
    """Claim 12's real-data teams (a table row each): accuracy and the share of the
    expected new solves that agents 2 to ``agents`` and 2 to ``4 * agents`` miss (mean ±
    corrected standard error over the splits), and what the same team drawn from the
    skill and difficulty null would miss, for copies of each kind, the team of every
    kind in turn and the shuffled control.

    Examples
    --------
    >>> rows = agent_kind_rows()
    >>> rows[-1]["agents"]
    'copies, answers shuffled (control)'
    """
    runs = real_runs(agents, splits)
    series = real_series(agents, splits)
    n, n4 = agents, 4 * agents
    draws = range(len(runs.null(0)))

    def row(label: str, acc: str, teams: list, null: list | None = None) -> dict:
        return {
            "agents": label,
            "accuracy": acc,
            f"missed by agents 2-{n} (%)": _missed_cell(teams, n),
            f"missed by agents 2-{n4} (%)": _missed_cell(teams, n4),
            f"skill and difficulty alone, 2-{n} (%)": "-"
            if null is None
            else _missed_cell(null, n),
        }

    rows = []
    for kind in runs.copies:
        teams = [[runs.copies[kind][s]] for s in range(splits)]
        null = [[runs.null(s)[d][kind] for d in draws] for s in range(splits)]
        rows.append(row(f"copies of {kind}", f"{runs.accuracy(kind):.0%}", teams, null))
    mean_accuracy = np.mean([runs.accuracy(k) for k in runs.copies])
    rows.append(
        row("every kind in turn", f"{mean_accuracy:.0%}", series["mixed"], series["null mixed"])
    )
    rows.append(row("copies, answers shuffled (control)", "as copies", series["control"]))
    return rows


def _real_redundancy(ev: Mapping[str, float]) -> bool:
    """Copies of one model trained on real data miss at least :data:`MIN_WASTE` of the
    new solves expected of them, and the agents that join later miss more than the first
    ones (by two standard errors), unless the copies already miss nearly all of them
    (within :data:`MIN_WASTE` of all: identical copies cannot miss more)."""
    saturated = ev["real_repeat_copies_4x"] >= 1 - MIN_WASTE
    return ev["real_repeat_copies"] >= MIN_WASTE and (
        saturated or ev["real_growth_copies"] > 2 * ev["real_growth_copies_se"]
    )


def _alike_sentence(ev: Mapping[str, float]) -> str:
    """What the skill and difficulty baseline says of the real-data redundancy (a
    sentence, or "" if it could not be measured)."""
    base, base_se = ev["real_repeat_null_copies"], ev["real_repeat_null_copies_se"]
    alike, alike_se = ev["real_alike"], ev["real_alike_se"]
    if not (np.isfinite(base) and np.isfinite(alike)):
        return ""
    head = (
        " The digits' uneven difficulty makes any agents fail together"
        if base > 2 * base_se
        else " Uneven difficulty does not make the agents fail together"
    )
    more = "more" if alike > 2 * alike_se else "no more"
    by = (
        f" (they miss {100 * alike:.0f} ± {100 * alike_se:.0f} points more in a team of "
        f"{ev['real_agents']:.0f} than copies drawn from that baseline)"
    )
    return head + f", and copies of one kind repeat each other {more} than that explains{by}."


def _overhead(ev: Mapping[str, float]) -> bool:
    """The agents lose at least :data:`MIN_WASTE` of their work to coordination, and
    more with four times as many."""
    n = ev["agents"]
    share, share_4x = ev["throughput"] / n, ev["throughput_4x_agents"] / (4 * n)
    return bool(1 - share >= MIN_WASTE and share_4x < share)


def _costs(ev: Mapping[str, float]) -> str:
    """The coordination costs behind the overhead, in words."""
    return (
        f"{ev['usl_serial']:.0%} serial work and a pairwise cost of "
        f"{ev['usl_crosstalk']:.2%} of an agent's work per pair"
    )


def rule_parallel(ev: Mapping[str, float]) -> Verdict:
    """Claim 12's verdict: redundancy on measured data, overhead under the costs given.

    Redundancy, the measured half: on real data (:func:`evidence_real_redundancy`),
    copies of one classifier miss at least :data:`MIN_WASTE` of the new solves expected
    of them if their mistakes were independent, and agents that join later miss more
    than the first ones, by two (corrected) standard errors. The model's copies (a Zipf
    draw, redundant by construction) are reported beside it, not counted. Overhead: the
    agents lose at least :data:`MIN_WASTE` of their work to coordination (throughput
    below the number of agents) and lose more with four times the agents; it counts as
    measured only if ``ev["overhead_measured"]`` is true, and in this book it rests on
    assumed costs (``usl_serial``, ``usl_crosstalk``).

    Holds if the measured redundancy holds and so does a measured overhead; a caveat if
    the measured redundancy holds and the overhead holds only under assumed costs (the
    caveat is the summary's second sentence) or does not show; does not hold if the
    measured redundancy fails, whatever the overhead. Whether throughput itself
    saturates (four times the agents get less done) is reported, not required.

    Examples
    --------
    >>> ev = {**parallel_evidence(64), **evidence_real_redundancy()}
    >>> rule_parallel(ev).verdict  # measured redundancy, assumed overhead
    'holds with a caveat'
    >>> rule_parallel({**ev, "real_repeat_copies": 0.0}).verdict  # no measured redundancy
    'does not hold'
    """
    n = ev["agents"]
    copies, copies_4x = ev["new_per_attempt_copies"], ev["new_per_attempt_copies_4x_agents"]
    uniform = ev["new_per_attempt_uniform"]
    uniform_4x = ev["new_per_attempt_uniform_4x_agents"]
    share, share_4x = ev["throughput"] / n, ev["throughput_4x_agents"] / (4 * n)
    modelled = 1 - copies >= MIN_WASTE and copies_4x < copies
    real = _real_redundancy(ev)
    overhead = _overhead(ev)
    measured = bool(ev.get("overhead_measured", False))
    m, m4 = ev["real_agents"], 4 * ev["real_agents"]
    bring = "bring" if real else "do not bring"
    first = (
        f"On real data (classifiers on handwritten digits), more agents {bring} redundancy "
        f"that grows with their number: copies of one classifier joining a team of {m} miss "
        f"{ev['real_repeat_copies']:.0%} of the new solves they would find if their mistakes "
        f"were independent, and {ev['real_repeat_copies_4x']:.0%} in a team of {m4}; a team "
        f"of every kind in turn misses {ev['real_repeat_mixed']:.0%} and "
        f"{ev['real_repeat_mixed_4x']:.0%}."
    )
    work = (
        f"{n} agents get {ev['throughput']:.1f} times one agent's work done ({share:.0%} "
        f"each) and {4 * n} get {ev['throughput_4x_agents']:.1f} ({share_4x:.0%} each)"
    )
    costs = "measured" if measured else "assumed"
    if overhead and measured:
        second = f" The coordination overhead, measured ({_costs(ev)}), grows too."
    elif overhead:
        second = f" The coordination overhead is assumed ({_costs(ev)}), not measured."
    else:
        second = (
            " Not coordination overhead that grows with their number, under the "
            f"{costs} costs ({_costs(ev)})."
        )
    peak = ev["throughput_peak_agents"]
    saturation = (
        f"throughput peaks at about {peak:.0f} agents" if np.isfinite(peak) else "it never peaks"
    )
    saturation += (
        f", and {4 * n} agents get less done than {n}."
        if ev["throughput_4x_agents"] < ev["throughput"]
        else f", and {4 * n} agents still get more done than {n}."
    )
    saturation = f" Under the {costs} costs {work}: {saturation}"
    model = (
        f" In the model, copies of one model find a new idea in {copies:.0%} of attempts "
        f"with {n} agents and {copies_4x:.0%} with {4 * n}; agents drawing uniformly at "
        f"random in {uniform:.0%} and {uniform_4x:.0%}"
        + ("." if modelled else ": the model's copies show no redundancy that grows.")
    )
    summary = first + second + saturation + _alike_sentence(ev) + model
    # the scoreboard's line: the same numbers, formatted as in the summary
    x, x4 = f"{ev['real_repeat_copies']:.0%}", f"{ev['real_repeat_copies_4x']:.0%}"
    who = "Copies of one classifier miss"
    missed = f"{who} {x} of solves independent agents would add in a team of {m}"
    if not real:
        if ev["real_repeat_copies"] < MIN_WASTE:
            line = f"{who} only {x} of solves independent ones would add: too few to count."
        else:
            line = f"{missed}, not clearly more in larger teams."
        return Verdict(DOES_NOT_HOLD, ev, summary, headline=line)
    missed += f", {x4} in {m4}"
    if overhead and measured:
        verdict, line = HOLDS, f"{missed}, and measured coordination overhead grows."
    elif overhead:  # the caveat: the overhead rests on assumed costs
        verdict, line = CAVEAT, f"{missed}, but coordination overhead is assumed."
    else:
        verdict, line = CAVEAT, f"{missed}, but overhead does not grow."
    return Verdict(verdict, ev, summary, headline=line)


@claim(
    12,
    "More agents in parallel bring redundancy and coordination overhead.",
    CHAPTER,
    "brake-parallel",
)
def check_parallel() -> Verdict:
    return rule_parallel({**parallel_evidence(64), **evidence_real_redundancy()})


#: The check of claim 12's standard errors on disjoint halves of the digits
#: (:func:`halves_check_12`): this many random halvings, each two runs of
#: :data:`REAL_SPLITS` splits of half the digits (about 1.7 s of CPU a run).
HALVINGS_12 = 16
#: The measures it checks (keys of :func:`evidence_real_redundancy` and
#: :func:`evidence_alike_other_kinds`): every band the chapter shows.
HALVES_MEASURES_12 = (
    "real_repeat_copies",
    "real_repeat_copies_4x",
    "real_alike",
    "real_growth_copies",
    "real_repeat_null_copies",
    "real_repeat_mixed",
    "real_repeat_null_mixed",
    "real_repeat_control_4x",
    "real_repeat_null_other_kinds",
    "real_alike_other_kinds",
)


def _half_measures(indices: np.ndarray, seed: int) -> dict[str, np.ndarray]:
    """:data:`HALVES_MEASURES_12` per split, on the digits ``indices`` only."""
    runs = agent_runs_on(indices, 4 * REAL_AGENTS, REAL_SPLITS, seed)
    team = {name: _columns(runs.teams(name), REAL_AGENTS) for name in TEAMS}
    other = _columns(runs.teams("null copies, other kinds"), REAL_AGENTS)
    return {
        "real_repeat_copies": team["copies"][:, 0],
        "real_repeat_copies_4x": team["copies"][:, 1],
        "real_alike": team["copies"][:, 0] - team["null copies"][:, 0],
        "real_growth_copies": team["copies"][:, 2],
        "real_repeat_null_copies": team["null copies"][:, 0],
        "real_repeat_mixed": team["mixed"][:, 0],
        "real_repeat_null_mixed": team["null mixed"][:, 0],
        "real_repeat_control_4x": team["control"][:, 1],
        "real_repeat_null_other_kinds": other[:, 0],
        "real_alike_other_kinds": team["copies"][:, 0] - other[:, 0],
    }


@functools.lru_cache(maxsize=2)
def _halves_checks_12(halvings: int) -> dict[str, HalvesCheck]:
    n, seed = digit_count(), 12
    # Each half runs once for all the measures, the halves side by side in workers.
    tasks = [
        (half, 2 * h + i)
        for h, halves in enumerate(halvings_of(n, halvings, seed))
        for i, half in enumerate(halves)
    ]
    measured = map_in_workers(_half_measures_task, tasks)
    runs = {(s, idx.tobytes()): m for (idx, s), m in zip(tasks, measured, strict=True)}

    def measure(name: str):
        def mean_over_splits(idx: np.ndarray, seed: int) -> tuple[float, float]:
            return mean_se(runs[(seed, np.asarray(idx).tobytes())][name])

        return mean_over_splits

    return {
        name: disjoint_halves(measure(name), n, halvings, REAL_SPLITS, 1.0, seed=seed)
        for name in HALVES_MEASURES_12
    }


def _half_measures_task(task: tuple[np.ndarray, int]) -> dict[str, np.ndarray]:
    return _half_measures(*task)


def halves_check_12(halvings: int = HALVINGS_12) -> dict[str, dict[str, float]]:
    """Claim 12's standard errors checked on disjoint halves of the digits.

    The chapter's standard errors come from :data:`REAL_SPLITS` random splits of one set
    of digits, widened by Nadeau and Bengio's correction
    (:func:`~lossylib.resampling.resampled_se`), which may be cautious. Each of
    ``halvings`` random halvings of the digits gives two independent data sets, on which
    the chapter's design runs again (:func:`~lossylib.growth.agents.agent_runs_on`), so
    how far a measure differs between them shows its true standard error
    (:func:`~lossylib.resampling.disjoint_halves`). About 2 minutes of CPU at the default,
    shared among the usable cores (cached; each half runs once for all the measures).

    Returns
    -------
    dict
        For each measure of :data:`HALVES_MEASURES_12`, a dict of floats:
        ``true_over_plain`` (the true standard error at half the digits over the plain
        one, over splits) and ``true_over_plain_upper`` (the data's own variance 2 standard
        errors higher); ``inflation``, ``inflation_upper`` and
        ``inflation_unscaled_upper``: the true standard error over the plain one for all
        the digits (:meth:`~lossylib.resampling.HalvesCheck.inflation`; the last, with
        the data's variance 2 standard errors higher and not falling with more digits,
        is the most cautious of the three, and approximate: 2 normal standard errors of
        a mean of 16 skewed squared differences, from halvings that share their digits,
        understate a 97.5% bound, by up to a quarter here); ``correction``: what the
        correction multiplies the plain standard error by (3 for 8 splits into halves);
        ``halvings`` and ``half_splits``.

    Examples
    --------
    >>> alike = halves_check_12()["real_alike"]  # about a minute  # doctest: +SKIP
    >>> alike["inflation_unscaled_upper"] < alike["correction"]  # doctest: +SKIP
    True
    """
    halvings = check_int(halvings, "halvings", 2)
    ev = {**evidence_real_redundancy(), **evidence_alike_other_kinds()}
    correction = corrected_from_plain(1.0, REAL_SPLITS, 1.0)
    out = {}
    for name, check in _halves_checks_12(halvings).items():
        plain = ev[f"{name}_se"] / correction  # the plain standard error on all digits
        out[name] = {
            "true_over_plain": check.true_over_plain(),
            "true_over_plain_upper": check.true_over_plain(2),
            "inflation": check.inflation(plain),
            "inflation_upper": check.inflation(plain, 2),
            "inflation_unscaled_upper": check.inflation(plain, 2, scale=1.0),
            "correction": correction,
            "halvings": float(check.halvings),
            "half_splits": float(check.splits),
        }
    return out


def evidence_alike_other_kinds(agents: int = REAL_AGENTS, splits: int = REAL_SPLITS) -> dict:
    """Claim 12's "alike" against a baseline whose difficulty leaves out the kind's own
    copies.

    The chapter's baseline (``"null copies"``, :func:`evidence_real_redundancy`) fits
    the digits' difficulty on every agent, so each kind's own near-identical copies, a
    fifth of them, pull the difficulty towards the failures they share: the baseline
    copies then share them too, miss more, and ``real_alike`` comes out smaller. Here
    each kind's copies are drawn from a difficulty fitted on the other kinds' agents
    only, each copy's level and slope fitted against it
    (:meth:`~lossylib.growth.agents.AgentRuns.null` with ``other_kinds=True``, the
    teams ``"null copies, other kinds"``). What counts as difficulty is then what the
    other kinds of classifier find hard, and everything a kind's copies share beyond
    that counts as their being alike. The chapter's baseline and this one are two readings
    of what counts as difficulty, not bounds: the first gives a kind's shared failures
    partly to difficulty, this one gives them all to the kind, and also counts as "alike"
    any misfit of its one-number difficulty for a kind that it predicts poorly (the
    decision tree's and naive Bayes' slopes against it are small). The answer likely
    lies between. Same runs (:func:`real_runs`), teams and pairing by split as
    :func:`evidence_real_redundancy`, and the same random numbers as its baseline.

    A team of every kind in turn gets no such baseline. Its question is whether
    *different* kinds fail together beyond difficulty, so the leave-out that the
    argument calls for would drop every kind in the team: at ``agents`` of the five
    kinds that leaves one kind (its failures, not a difficulty), at ``4 * agents``
    none. Leaving out only each member's own kind is computable, but each member's
    difficulty then still holds the other members' kinds, and differs from member to
    member; it is not reported.

    Returns
    -------
    dict
        ``real_agents`` and ``real_splits``; ``real_repeat_null_other_kinds``: the share
        of the expected new solves that agents 2 to ``agents`` of this baseline miss
        (``..._4x``: agents 2 to ``4 * agents``); ``real_alike_other_kinds``: the copies
        minus this baseline, agents 2 to ``agents``; ``real_alike_other_kinds_gain``:
        that minus the chapter's ``real_alike`` (the chapter's baseline minus this one).
        Each is a mean over the splits (teams averaged within a split) with its
        corrected standard error (``_se``, :func:`~lossylib.resampling.resampled_se`).
        ``agents`` is 2 to 64 and ``splits`` 2 to 100 (cached).

    Examples
    --------
    >>> ev = evidence_alike_other_kinds()  # about 2 s of CPU
    >>> bool(ev["real_alike_other_kinds"] > evidence_real_redundancy()["real_alike"])
    True
    """
    agents = check_int(agents, "agents", 2, 64)
    splits = check_int(splits, "splits", 2, 100)
    return dict(_evidence_alike_other_kinds(agents, splits))  # a copy: the cache stays


@functools.lru_cache(maxsize=4)
def _evidence_alike_other_kinds(agents: int, splits: int) -> dict:
    runs = real_runs(agents, splits)
    copies, null, other = (
        _columns(runs.teams(t), agents)
        for t in ("copies", "null copies", "null copies, other kinds")
    )
    measures = {
        "real_repeat_null_other_kinds": other[:, 0],
        "real_repeat_null_other_kinds_4x": other[:, 1],
        "real_alike_other_kinds": copies[:, 0] - other[:, 0],
        "real_alike_other_kinds_gain": null[:, 0] - other[:, 0],
    }
    ev: dict[str, float] = {"real_agents": agents, "real_splits": splits}
    for key, values in measures.items():
        ev[key], ev[f"{key}_se"] = _mean_se(values)
    return ev


# ---------------------------------------------------------------------- claim 13


def evidence_diversity(k: int = 6) -> dict[str, float]:
    """Claim 13's evidence on NK landscapes of ruggedness ``k`` (40 landscapes, the
    same total budget): paired gaps in best payoff found, as mean and standard error."""
    gaps = diversity_gaps((k,))[k]
    ev: dict[str, float] = {"k": k}
    for label, key in (
        ("many - few", "gap_many_few"),
        ("many - few, restarting", "gap_many_few_restarting"),
        ("many - copying", "gap_many_copying"),
    ):
        ev[key], ev[f"{key}_se"] = gaps[label]
    return ev


def _real(ev: Mapping[str, float], key: str) -> bool:
    return ev[key] > max(3 * ev[f"{key}_se"], MIN_GAP)


def rule_diversity(ev: Mapping[str, float]) -> Verdict:
    """Holds if 16 labs beat 2 even when both restart (a real gap: over three standard
    errors and over :data:`MIN_GAP`); a caveat if they beat 2 only when the 2 labs stop
    after one climb; does not hold if 16 labs do not clearly beat 2 either way. In the
    chapter's model the restarting gap is zero by construction (2 restarting labs and 16
    run the same independent climbs on the same budget, split differently), so "holds"
    needs evidence from a model whose labs differ; the summary says so."""

    def gap(key: str) -> str:
        return f"{ev[key]:+.3f} ± {ev[f'{key}_se']:.3f}"

    k = ev["k"]
    head = (
        f"On NK landscapes of ruggedness k = {k:g}, at equal total effort, 16 labs end "
        f"{gap('gap_many_few')} of the optimum ahead of 2 labs that climb once, "
        f"{gap('gap_many_few_restarting')} when both restart, and "
        f"{gap('gap_many_copying')} ahead of 16 labs that copy the leader"
    )
    if _real(ev, "gap_many_few_restarting"):
        return Verdict(
            HOLDS,
            ev,
            f"{head}: fewer labs find less, however they use their budget.",
            headline=f"At equal effort on NK landscapes, 16 labs end "
            f"{ev['gap_many_few_restarting']:+.3f} of the optimum ahead of 2, even when both "
            "restart.",
        )
    if _real(ev, "gap_many_few"):
        # the answer and the caveat first (the front page shows these two sentences)
        return Verdict(
            CAVEAT,
            ev,
            "In a model of labs searching rugged landscapes, at equal total effort, few "
            "labs lose only if they stop exploring"
            + (
                ", and so do many labs that copy the leader"
                if _real(ev, "gap_many_copying")
                else ""
            )
            + ". That labs which restart do as well however many there are holds by "
            "construction (each is a series of independent random-restart climbs on a "
            "shared budget), not as a finding, so in this model the claim can be no better "
            f"than a caveat. {head}.",
            headline=f"At equal effort, 2 labs that climb once end {ev['gap_many_few']:.3f} of "
            "the optimum behind 16, but 2 that restart keep up, by construction.",
        )
    return Verdict(
        DOES_NOT_HOLD,
        ev,
        f"{head}: more labs do not clearly find more.",
        headline=f"At equal effort on NK landscapes, 16 labs do not clearly beat 2 that climb "
        f"once: {gap('gap_many_few')} of the optimum.",
    )


@claim(
    13,
    "Fewer independent labs mean less diversity and slower discovery.",
    CHAPTER,
    "brake-diversity",
)
def check_diversity() -> Verdict:
    return rule_diversity(evidence_diversity(6))


# ------------------------------------------------- verdicts over their parameters


def verdicts_over_loss_power(powers=(1.0, 1.2, 1.3, 1.4, 1.5, 2.0)) -> list[dict]:
    """Claim 11's verdict when the loss is ``CONDITIONS_LOSS * A^k``, for each exponent k
    (a table row each): the run at φ = 0.8 (φ + λ = 1.3) and the verdict.

    Examples
    --------
    >>> rows = verdicts_over_loss_power((1.0, 2.0))
    >>> [(r["run at φ + λ = 1.3"], r["verdict"]) for r in rows]
    [('explodes', 'holds with a caveat'), ('saturates', 'holds with a caveat')]
    """
    rows = []
    for k in powers:
        ev = conditions_evidence(loss_power=k)
        rows.append(
            {
                "loss grows like": f"A^{k:g}",
                "run at φ + λ = 1.3": ev["regime_high_returns_with_loss"],
                "verdict": rule_conditions(ev).verdict,
            }
        )
    return rows


def verdicts_over_agents(agents=(1, 4, 16, 64, 256)) -> list[dict]:
    """Claim 12's verdict for each number of agents in the model (a table row each); the
    real-data half of the evidence (:func:`evidence_real_redundancy`) is the same in
    every row.

    Examples
    --------
    >>> [r["overhead grows (assumed costs)"] for r in verdicts_over_agents((1, 256))]
    ['no', 'yes']
    """
    real = evidence_real_redundancy()
    rows = []
    for n in agents:
        ev = {**parallel_evidence(n), **real}
        rows.append(
            {
                "agents": n,
                "new ideas per attempt, copies": ev["new_per_attempt_copies"],
                "new ideas per attempt, uniform": ev["new_per_attempt_uniform"],
                "throughput": ev["throughput"],
                "throughput, 4x the agents": ev["throughput_4x_agents"],
                "overhead grows (assumed costs)": "yes" if _overhead(ev) else "no",
                "verdict": rule_parallel(ev).verdict,
            }
        )
    return rows


def verdicts_over_ruggedness(ks=(0, 2, 4, 6, 8, 10)) -> list[dict]:
    """Claim 13's gaps (mean ± standard error over 40 landscapes) and verdict for each
    ruggedness k (a table row each).

    Examples
    --------
    >>> rows = verdicts_over_ruggedness((0,))
    >>> rows[0]["verdict"]
    'does not hold'
    """
    rows = []
    for k, gaps in diversity_gaps(ks).items():
        ev = {"k": k}
        for label, key in (
            ("many - few", "gap_many_few"),
            ("many - few, restarting", "gap_many_few_restarting"),
            ("many - copying", "gap_many_copying"),
        ):
            ev[key], ev[f"{key}_se"] = gaps[label]
        rows.append(
            {
                "k": k,
                "16 labs vs 2 that climb once": f"{ev['gap_many_few']:+.3f} ± "
                f"{ev['gap_many_few_se']:.3f}",
                "16 vs 2, both restart": f"{ev['gap_many_few_restarting']:+.3f} ± "
                f"{ev['gap_many_few_restarting_se']:.3f}",
                "16 vs 16 that copy": f"{ev['gap_many_copying']:+.3f} ± "
                f"{ev['gap_many_copying_se']:.3f}",
                "verdict": rule_diversity(ev).verdict,
            }
        )
    return rows


# ---------------------------------------------------------------- the page's numbers


def page_numbers() -> dict[str, float | int | str]:
    """Every number the chapter's prose quotes, by glue name (see :func:`glue_page`).

    Examples
    --------
    >>> n = page_numbers()
    >>> n["pat_peak_year_before_1960"], n["c9_cases"]
    (1916, 4)
    """
    from lossylib.growth import blowup_time, loop_rate, smallest_growth_rate, usl_peak
    from lossylib.growth.experiments import (
        LANDSCAPES,
        LOOP,
        POOL,
        TIMES,
        TRIES,
        USL,
        explosion_threshold,
    )
    from lossylib.growth.loop import regime_map, simulate

    out: dict[str, float | int | str] = {}
    facts = patent_facts()
    out.update({f"pat_{k}": v for k, v in facts.items() if v is not None})
    out["pat_share_above"] = 100 * facts["share_after_1900_above_1850_1900_max"]
    out["pat_per_thousand_2015"] = facts["per_million_2015"] / 1000
    out["pat_peak_margin_pct"] = 100 * (facts["ratio_peak_before_1960_to_1850_1900_max"] - 1)
    out["pat_largest_jump_pct"] = 100 * (facts["largest_jump_since_1985"] - 1)
    # A run labelled "slows" (open loop, returns to capability near one) against one
    # labelled exponential (closed loop): where each is after the last generation.
    slow = simulate(TIMES, **dict(LOOP, phi=0.95, automation=0.9))
    fast = simulate(TIMES, **dict(LOOP, phi=0.5, automation=1.0))
    out["slow_example_end"], out["exponential_example_end"] = float(slow[-1]), float(fast[-1])
    out["example_factor"] = max(float(fast[-1] / slow[-1]), float(slow[-1] / fast[-1]))
    out["slow_example_regime"] = str(regime_map(TIMES, **dict(LOOP, phi=0.95, automation=0.9)))
    out["exponential_example_regime"] = str(regime_map(TIMES, **dict(LOOP, phi=0.5)))
    ev9 = check_harder().evidence
    out.update({f"c9_{k}": v for k, v in ev9.items()})
    for k in (
        "mean_decline",
        "smallest_decline",
        "largest_decline",
        "moore_implied_low",
        "moore_implied_high",
    ):
        out[f"c9_{k}_pct"] = 100 * ev9[k]
    b = productivity.BLOOM2020
    out["us_doubling"] = productivity.doubling_time(b["us_decline"])
    g = productivity.growth_rate(np.array([0.0, 50.0]), phi=0.5, delta=0.05)
    out["g_start"], out["g_50"] = 100 * float(g[0]), 100 * float(g[1])
    out["g_balanced"] = 100 * productivity.balanced_growth(1.0, 0.5, 0.02)
    out["t_blowup"] = blowup_time(a0=1.0, delta=0.1, s=1.0, lam=1.0, phi=1.3)
    ev11 = check_conditions().evidence
    lam = ev11["lam"]
    out["thr_closed"] = ev11["phi_threshold_closed_loop"] + lam
    out["thr_open"] = ev11["phi_threshold_automation_0.9"]
    out["thr_loss"] = ev11["phi_threshold_with_loss"] + lam
    out["initial_rate"] = float(loop_rate(np.array(1.0), **LOOP))
    # a continuous rate: the share of the stock lost each generation is 1 - e^(-rate)
    out["loss"] = ev11["loss"]
    out["loss_per_generation"] = 100 * -math.expm1(-out["loss"])
    out["loss_share_of_start"] = 100 * out["loss"] / out["initial_rate"]
    # the smallest proportional loss that stops an explosion, just above returns of one
    out["stop_returns"] = 1.05
    out["stop_loss"] = float(smallest_growth_rate(phi=out["stop_returns"] - lam, **LOOP))
    out["delta"] = LOOP["delta"]
    # from here on (A* = (1 - phi) / (phi + lam - 1) below A0 = 1) it is the starting rate
    out["stop_start_from"] = 1 + lam / (1 + 1.0)
    out["near_start_loss"] = 0.28
    phi = np.linspace(-0.5, 1.5, 81)
    out["thr_near_start_loss"] = explosion_threshold(phi, loss=out["near_start_loss"]) + lam
    power = explosion_threshold(phi, loss=out["loss"], loss_power=1.5)
    out["thr_loss_power"] = power + lam if np.isfinite(power) else float("nan")
    ev12 = check_parallel().evidence
    out.update({f"c12_{k}": v for k, v in ev12.items()})
    for k in (
        "new_per_attempt_copies",
        "new_per_attempt_copies_4x_agents",
        "new_per_attempt_uniform",
        "new_per_attempt_uniform_4x_agents",
    ):
        out[f"c12_{k}_pct"] = 100 * ev12[k]
    for k in ev12:
        if k.startswith(("real_repeat", "real_growth", "real_alike", "real_mixed")):
            # the control sits at zero: round first so it never reads "-0.0"
            pct = 100 * ev12[k]
            out[f"c12_{k}_pct"] = round(pct, 1) + 0.0 if "control" in k else pct
    # the same "alike" against a baseline whose difficulty leaves out the kind's copies
    for k, v in evidence_alike_other_kinds().items():
        if k.startswith("real_") and k not in ("real_agents", "real_splits"):
            out[f"c12_{k}_pct"] = 100 * v
    out["c12_real_agents_4x"] = 4 * REAL_AGENTS
    out["c12_real_kinds"] = len(KINDS)
    out["c12_min_waste_pct"] = 100 * MIN_WASTE
    out["c12_share_pct"] = 100 * ev12["throughput"] / ev12["agents"]
    out["usl_peak"] = float(usl_peak(**USL))
    out["usl_serial_pct"] = 100 * USL["serial"]
    out["parallel_tries"], out["parallel_pool"] = TRIES, POOL
    out["generations"] = float(TIMES[-1])
    out["c13_landscapes"] = LANDSCAPES
    out.update({f"c13_{k}": v for k, v in check_diversity().evidence.items()})
    return out


def glue_page() -> None:
    """Glue :func:`page_numbers` into the page (MyST-NB), for ``{glue:text}``."""
    from lossylib.claims import glue_numbers

    glue_numbers("brake", page_numbers())
