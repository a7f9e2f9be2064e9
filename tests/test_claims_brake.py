"""Claims 9-13: the live verdicts, and every branch of each rule on made-up evidence."""

import numpy as np
import pytest
from _headlines import headline_of

from lossylib import claims
from lossylib.claims import brake
from lossylib.growth import agents, productivity
from lossylib.growth.experiments import conditions_evidence, parallel_evidence

NUMBERS = (9, 10, 11, 12, 13)


@pytest.fixture(scope="module")
def verdicts():
    return {n: claims.get(n).check() for n in NUMBERS}


def test_registered_for_the_chapter():
    for n in NUMBERS:
        c = claims.get(n)
        assert c.chapter == "chapters/complexity-brake"
        assert c.statement.endswith(".")


def test_live_verdicts(verdicts):
    assert verdicts[9].verdict == claims.HOLDS
    assert verdicts[10].verdict == claims.DOES_NOT_HOLD
    assert verdicts[11].verdict == claims.CAVEAT
    assert verdicts[12].verdict == claims.CAVEAT
    assert verdicts[13].verdict == claims.CAVEAT


def test_table_renders():
    assert claims.table(list(NUMBERS))._repr_html_().count("<tr>") == 6


# ---- claim 9


def _harder(cases, moore=None):
    ev = brake.evidence_harder(cases)
    if moore is not None:
        ev["moore_reported"] = moore
    return brake.rule_harder(ev)


def test_claim9_live_evidence(verdicts):
    e = verdicts[9].evidence
    assert e["cases_declining"] == e["cases"] == len(productivity.BLOOM2020_CASES)
    assert e["moore_implied_low"] <= e["moore_reported"] <= e["moore_implied_high"]
    assert e["mean_decline"] == pytest.approx(np.mean(list(productivity.BLOOM2020_CASES.values())))


def test_claim9_every_branch():
    assert _harder({"a": 0.05, "b": 0.06, "c": 0.07}).verdict == claims.HOLDS
    v = _harder({"a": 0.05, "b": 0.06, "c": -0.01, "d": 0.08})
    assert v.verdict == claims.CAVEAT and "rose in 1 of them" in v.summary
    v = _harder({"a": 0.05, "b": 0.06}, moore=0.15)
    assert v.verdict == claims.CAVEAT and "not the reported 15.0%" in v.summary
    v = _harder({"a": 0.05, "b": -0.06, "c": 0.0})
    assert v.verdict == claims.DOES_NOT_HOLD and "no clear decline" in v.summary


def test_claim9_reports_the_range_of_published_figures(verdicts):
    # four figures from the paper's text: their range, not a "± standard error"
    v = verdicts[9]
    assert "±" not in v.summary and "5.0% to 8.0%" in v.summary
    assert v.evidence["largest_decline"] == max(productivity.BLOOM2020_CASES.values())


def test_claim9_bad_input():
    with pytest.raises(ValueError, match="at least one"):
        productivity.case_summary({})
    with pytest.raises(ValueError, match="finite"):
        productivity.case_summary({"a": float("nan")})


# ---- claim 10


def test_claim10_every_branch(verdicts):
    f = dict(verdicts[10].evidence)
    assert f["peak_year_before_1960"] == 1916
    assert f["per_million_2015"] > f["max_1850_1900"]
    v = brake.rule_patents(dict(f, peak_year_before_1960=1885, per_million_2015=300.0))
    assert v.verdict == claims.HOLDS and "within 1850-1900" in v.summary
    v = brake.rule_patents(dict(f, peak_year_before_1960=1885))
    assert v.verdict == claims.DOES_NOT_HOLD and "above" in v.summary
    v = brake.rule_patents(dict(f, per_million_2015=300.0))
    assert v.verdict == claims.DOES_NOT_HOLD and "not in 1850-1900" in v.summary
    v = brake.rule_patents(dict(f, ratio_peak_before_1960_to_1850_1900_max=1.5))
    assert v.verdict == claims.DOES_NOT_HOLD and "plateau" not in v.summary


def test_claim10_leads_with_the_level_and_calls_the_early_series_a_plateau(verdicts):
    # 1916 is barely above the 1850-1900 best: the clear refutation is the level since
    v = verdicts[10]
    assert v.evidence["ratio_peak_before_1960_to_1850_1900_max"] < 1 + brake.PLATEAU
    assert v.summary.startswith("In 2015") and "did not decline for good" in v.summary
    assert "plateau" in v.summary


# ---- claim 11


def test_claim11_every_branch(verdicts):
    ev = dict(verdicts[11].evidence)
    assert ev["phi_threshold_closed_loop"] + ev["lam"] == pytest.approx(1.0, abs=0.06)
    assert ev["regime_high_returns_with_loss"] == "explodes"
    v = brake.rule_conditions(dict(ev, regime_high_returns_with_loss="saturates"))
    # the loss stops it, but an open loop explodes without friction: closing the loop is
    # not required, so the claim's "only with a closed loop" keeps it a caveat
    # the caveat reaches the front page, which shows the first two sentences
    line = claims.short_summary(v)
    assert v.verdict == claims.CAVEAT and "can prevent it" in line
    assert "Closing the loop lowers the bar but is not required" in line
    # an open loop that raises the threshold no more than a little does not raise the bar
    closed = ev["phi_threshold_closed_loop"]
    v = brake.rule_conditions(dict(ev, **{"phi_threshold_automation_0.9": closed + 0.1}))
    assert v.verdict == claims.DOES_NOT_HOLD and "does not bear out" in v.summary
    # nor does a closed loop that explodes below returns of one
    v = brake.rule_conditions(dict(ev, phi_threshold_closed_loop=0.2))
    assert v.verdict == claims.DOES_NOT_HOLD
    assert "not required" in verdicts[11].summary


def test_claim11_names_the_loss_that_would_stop_the_explosion(verdicts):
    """ "(it would take 0.28, ...)" did not say 0.28 of what: a loss of 0.28 A a
    generation, as the 0.1 A it is set against."""
    v = verdicts[11]
    rate = f"{v.evidence['stopping_loss_high_returns']:.2f}"
    assert f"(it would take a loss of {rate} A, the smallest growth rate" in v.summary
    # the front page shows it too, within its limit
    assert f"a loss of {rate} A" in claims.short_summary(v)


def test_claim11_an_open_loop_that_never_explodes_raises_the_bar(verdicts):
    # NaN: nothing explodes on the grid with 90% automatable research, the strongest case
    ev = dict(verdicts[11].evidence, **{"phi_threshold_automation_0.9": float("nan")})
    v = brake.rule_conditions(ev)
    assert v.verdict == verdicts[11].verdict
    assert "nothing explodes" in v.summary and "raises the bar" in v.summary
    v = brake.rule_conditions(dict(ev, regime_high_returns_with_loss="saturates"))
    assert v.verdict == claims.HOLDS


def test_claim11_friction_that_outgrows_the_returns_stops_it_but_the_loop_is_not_required():
    # phi + lambda = 1.3 at phi = 0.8: a loss growing like A^1.5 stops the explosion
    stopped, not_stopped = conditions_evidence(1.5), conditions_evidence(1.2)
    assert stopped["regime_high_returns_with_loss"] != "explodes"
    assert not_stopped["regime_high_returns_with_loss"] == "explodes"
    v = brake.rule_conditions(stopped)
    assert v.verdict == claims.CAVEAT and "is not required" in claims.short_summary(v)
    assert brake.rule_conditions(not_stopped).verdict == claims.CAVEAT
    # only with an open loop that never explodes would the stopped case hold
    never = dict(stopped, **{"phi_threshold_automation_0.9": float("nan")})
    assert brake.rule_conditions(never).verdict == claims.HOLDS


# ---- claim 12


def test_claim12_every_branch(verdicts):
    ev = dict(verdicts[12].evidence)
    assert ev["new_per_attempt_copies_4x_agents"] < ev["new_per_attempt_copies"] < 0.5
    assert ev["overhead_measured"] is False
    n = ev["agents"]
    no_overhead = dict(ev, throughput=float(n), throughput_4x_agents=4.0 * n)
    v = brake.rule_parallel(no_overhead)
    assert v.verdict == claims.CAVEAT
    assert "Not coordination overhead" in claims.short_summary(v)
    # the model's copies are reported, not counted: the digits decide redundancy
    no_model = dict(ev, new_per_attempt_copies=1.0, new_per_attempt_copies_4x_agents=1.0)
    v = brake.rule_parallel(no_model)
    assert v.verdict == claims.CAVEAT and "show no redundancy that grows" in v.summary
    # losses that do not grow with the number of agents do not count as overhead
    flat = dict(ev, throughput_4x_agents=4 * ev["throughput"])
    assert brake.rule_parallel(dict(flat, overhead_measured=True)).verdict == claims.CAVEAT
    # too small a loss does not count either
    tiny = dict(ev, throughput=0.97 * n, throughput_4x_agents=0.96 * 4 * n)
    assert brake.rule_parallel(dict(tiny, overhead_measured=True)).verdict == claims.CAVEAT


def test_claim12_assumed_overhead_is_a_caveat_and_measured_redundancy_decides(verdicts):
    """The overhead rests on assumed costs (the universal scalability law), so measured
    redundancy with that overhead holds only with a caveat, which the front page shows;
    the same overhead, measured, would make it hold; without measured redundancy the claim
    does not hold, whatever the overhead."""
    ev = dict(verdicts[12].evidence)
    v = brake.rule_parallel(ev)
    assert v.verdict == claims.CAVEAT
    first, second = claims.short_summary(v).split(". The ")
    assert "more agents bring redundancy that grows" in first
    assert second.startswith("coordination overhead is assumed") and "not measured" in second
    assert f"{ev['usl_serial']:.0%} serial work" in second
    assert brake.rule_parallel(dict(ev, overhead_measured=True)).verdict == claims.HOLDS
    no_real = dict(ev, real_repeat_copies=0.5 * brake.MIN_WASTE)
    for measured in (False, True):
        v = brake.rule_parallel(dict(no_real, overhead_measured=measured))
        assert v.verdict == claims.DOES_NOT_HOLD
        assert "more agents do not bring redundancy" in claims.short_summary(v)


def test_claim12_reports_saturation_but_does_not_hinge_on_it():
    # 16 agents: throughput still rises with 4x the agents, yet redundancy and overhead
    # are there and grow
    real = brake.evidence_real_redundancy()
    v = brake.rule_parallel({**parallel_evidence(16), **real})
    assert v.verdict == claims.CAVEAT and "still get more done" in v.summary
    v = brake.rule_parallel({**parallel_evidence(256), **real})
    assert v.verdict == claims.CAVEAT and "get less done" in v.summary
    # a single agent has nobody to coordinate with: no overhead, the same verdict
    v = brake.rule_parallel({**parallel_evidence(1), **real})
    assert v.verdict == claims.CAVEAT and "Not coordination overhead" in v.summary
    rows = brake.verdicts_over_agents((1, 4, 16))
    assert [r["overhead grows (assumed costs)"] for r in rows] == ["no", "yes", "yes"]
    assert {r["verdict"] for r in rows} == {claims.CAVEAT}


def test_claim12_real_redundancy_is_measured(verdicts):
    ev = dict(verdicts[12].evidence)
    assert ev["real_agents"] == brake.REAL_AGENTS and ev["real_splits"] == brake.REAL_SPLITS
    assert ev["real_repeat_copies"] >= brake.MIN_WASTE
    assert ev["real_growth_copies"] > 2 * ev["real_growth_copies_se"]
    # copies of one kind repeat each other beyond the skill and difficulty baseline,
    # and a team of different kinds does not (not by two standard errors)
    assert ev["real_alike"] > 2 * ev["real_alike_se"]
    assert ev["real_mixed_beyond"] < 2 * ev["real_mixed_beyond_se"]
    assert "repeat each other more than that explains" in verdicts[12].summary
    # the control (each agent's answers shuffled) reads zero within its noise
    assert abs(ev["real_repeat_control_4x"]) < 2 * ev["real_repeat_control_4x_se"]
    # the baseline wastes more with more agents too: growth is expected, not a finding
    assert ev["real_growth_null_copies"] > 2 * ev["real_growth_null_copies_se"]


def test_claim12_real_rule_goes_either_way(verdicts):
    ev = dict(verdicts[12].evidence)
    # judged on the control, agents with independent mistakes, the rule finds no
    # real redundancy
    control = {k.replace("control", "copies"): v for k, v in ev.items() if "control" in k}
    v = brake.rule_parallel({**ev, **control})
    assert v.verdict == claims.DOES_NOT_HOLD
    assert "do not bring redundancy" in v.summary
    # later agents that miss no more than the first ones do not count as growth
    flat = dict(ev, real_growth_copies=2 * ev["real_growth_copies_se"])
    assert brake.rule_parallel(flat).verdict == claims.DOES_NOT_HOLD
    # ... unless the copies already miss nearly everything: identical copies, say
    identical = dict(ev, real_repeat_copies=1.0, real_repeat_copies_4x=1.0,
                     real_growth_copies=0.0, real_growth_copies_se=0.0)  # fmt: skip
    assert brake.rule_parallel(identical).verdict == claims.CAVEAT
    # too small a share does not count
    tiny = dict(ev, real_repeat_copies=0.04)
    assert brake.rule_parallel(tiny).verdict == claims.DOES_NOT_HOLD
    # copies no more alike than the baseline change the wording, not the verdict
    same = dict(ev, real_alike=ev["real_alike_se"])
    v = brake.rule_parallel(same)
    assert v.verdict == claims.CAVEAT and "no more than that explains" in v.summary
    flat = dict(ev, real_repeat_null_copies=0.0)
    assert "does not make the agents fail together" in brake.rule_parallel(flat).summary
    unknown = dict(ev, real_alike=float("nan"))
    v = brake.rule_parallel(unknown)
    assert v.verdict == claims.CAVEAT and "explains" not in v.summary


def test_claim12_needs_a_mixed_team_of_different_kinds():
    for bad, message in ((1, ">= 2"), (len(agents.KINDS) + 1, "<= 5"), ("4", "an integer")):
        with pytest.raises(ValueError, match=f"one per kind in a mixed team.* must be {message}"):
            brake.evidence_real_redundancy(agents=bad)
    with pytest.raises(ValueError, match="splits must be >= 2"):  # no spread from one split
        brake.evidence_real_redundancy(splits=1)
    ev = brake.evidence_real_redundancy()
    ev["real_alike"] = -1.0  # a caller's copy: the cached evidence stays as it was
    assert brake.evidence_real_redundancy()["real_alike"] > 0


def test_claim12_table_by_kind_matches_the_evidence(verdicts):
    ev = verdicts[12].evidence
    rows = brake.agent_kind_rows()
    assert [r["agents"] for r in rows[:-2]] == [f"copies of {k}" for k in agents.KINDS]
    n, n4 = brake.REAL_AGENTS, 4 * brake.REAL_AGENTS

    def mean(row: dict, column: str) -> float:
        return float(row[column].split(" ±")[0])

    early, late = f"missed by agents 2-{n} (%)", f"missed by agents 2-{n4} (%)"
    alone = f"skill and difficulty alone, 2-{n} (%)"
    assert mean(rows[-2], late) == pytest.approx(100 * ev["real_repeat_mixed_4x"], abs=0.051)
    assert mean(rows[-2], alone) == pytest.approx(100 * ev["real_repeat_null_mixed"], abs=0.051)
    assert mean(rows[-1], early) == pytest.approx(100 * ev["real_repeat_control"], abs=0.051)
    assert rows[-1][alone] == "-"
    copies = [mean(r, early) for r in rows[:-2]]
    assert np.mean(copies) == pytest.approx(100 * ev["real_repeat_copies"], abs=0.06)
    null = [mean(r, alone) for r in rows[:-2]]
    assert np.mean(null) == pytest.approx(100 * ev["real_repeat_null_copies"], abs=0.06)


#: Claim 12's measures whose corrected bands the check on disjoint halves finds wider than
#: needed (the verdict rests on the first four), about right, or too narrow; the chapter
#: says so in these words.
CAUTIOUS_12 = (
    "real_repeat_copies",
    "real_repeat_copies_4x",
    "real_alike",
    "real_growth_copies",
    "real_repeat_control_4x",
    "real_alike_other_kinds",
)
ABOUT_RIGHT_12 = ("real_repeat_null_copies", "real_repeat_mixed", "real_repeat_null_other_kinds")
TOO_NARROW_12 = ("real_repeat_null_mixed",)


def test_claim12_corrected_bands_checked_on_independent_halves():
    """Claim 12's standard errors come from 8 splits of one set of digits, widened 3 times
    by Nadeau and Bengio's correction. Disjoint halves of the digits are independent
    samples. For the copies, their growth, their being alike (on either baseline) and the
    shuffled control,
    even the check's most cautious (approximate) bound on the true standard error (the
    data's own variance 2 standard errors higher, and not falling with more digits) stays
    below the correction, so their bands are wider than needed, and the verdict's
    comparisons (growth and "alike" beyond 2 standard errors) survive that bound. For
    both baselines and the mixed team the best estimate is below the correction but the
    cautious bound is not (about right); for the mixed team's baseline the best estimate
    is above it (too narrow). About 2 minutes of CPU (16 halvings, 32 runs of the design
    on half the digits), shared among the cores."""
    check = brake.halves_check_12()
    ev = brake.evidence_real_redundancy() | brake.evidence_alike_other_kinds()
    assert sorted(check) == sorted(CAUTIOUS_12 + ABOUT_RIGHT_12 + TOO_NARROW_12)
    assert tuple(check) == brake.HALVES_MEASURES_12
    for name, c in check.items():
        assert c["correction"] == pytest.approx(3.0)  # sqrt(1 + 8 splits x 1 test/train)
        assert c["halvings"] == brake.HALVINGS_12 and c["half_splits"] == brake.REAL_SPLITS
        assert 1 <= c["true_over_plain"] <= c["true_over_plain_upper"], name
        assert 1 <= c["inflation"] <= c["inflation_upper"] <= c["inflation_unscaled_upper"]
    for name in CAUTIOUS_12:
        c = check[name]
        assert c["true_over_plain_upper"] < c["correction"], name
        assert c["inflation_unscaled_upper"] < c["correction"], name
        if name in ("real_alike", "real_growth_copies", "real_alike_other_kinds"):
            plain = ev[f"{name}_se"] / c["correction"]
            assert ev[name] > 2 * c["inflation_unscaled_upper"] * plain, name
    for name in ABOUT_RIGHT_12:
        c = check[name]
        assert c["inflation"] < c["correction"] < c["inflation_unscaled_upper"], name
    for name in TOO_NARROW_12:
        assert check[name]["inflation"] > check[name]["correction"], name
    assert brake.halves_check_12() == check  # cached
    with pytest.raises(ValueError, match="halvings must be >= 2"):
        brake.halves_check_12(1)


def test_claim12_figure_alt_text_matches_the_curves():
    """The alt text of fig-brake-agents gives numbers; they must still describe it."""
    from lossylib.growth.agents import missed_curve

    runs = agents.agent_runs(4 * brake.REAL_AGENTS, brake.REAL_SPLITS)

    def ends(teams: list) -> tuple[float, float]:
        curve = np.mean([np.mean([missed_curve(t) for t in ts], axis=0) for ts in teams], 0)
        return 100 * curve[1], 100 * curve[-1]

    kinds = {k: ends([[runs.copies[k][s]] for s in range(runs.splits)]) for k in agents.KINDS}
    for k in ("ridge", "linear discriminant", "naive Bayes"):
        assert 55 <= kinds[k][0] <= 75 and 83 <= kinds[k][1] <= 95, k
    assert 48 <= kinds["3 nearest neighbours"][0] <= 62
    assert 74 <= kinds["3 nearest neighbours"][1] <= 86
    assert 24 <= kinds["decision tree"][0] <= 38 and 43 <= kinds["decision tree"][1] <= 55
    mean, null, mixed = (ends(runs.teams(t)) for t in ("copies", "null copies", "mixed"))
    assert 50 <= mean[0] <= 62 and 75 <= mean[1] <= 85
    assert 35 <= null[0] <= 47 and 60 <= null[1] <= 70
    assert 30 <= mixed[0] <= 42 and 44 <= mixed[1] <= 55


# ---- claim 13


def _gaps(few, restart, copy, se=0.003):
    return {
        "k": 6,
        "gap_many_few": few,
        "gap_many_few_se": se,
        "gap_many_few_restarting": restart,
        "gap_many_few_restarting_se": se,
        "gap_many_copying": copy,
        "gap_many_copying_se": se,
    }


def test_claim13_every_branch(verdicts):
    ev = verdicts[13].evidence
    assert ev["gap_many_few"] > 3 * ev["gap_many_few_se"]
    assert abs(ev["gap_many_few_restarting"]) < 3 * ev["gap_many_few_restarting_se"] + 0.01
    assert brake.rule_diversity(_gaps(0.07, 0.05, 0.06)).verdict == claims.HOLDS
    assert brake.rule_diversity(_gaps(0.07, 0.0, 0.06)).verdict == claims.CAVEAT
    v = brake.rule_diversity(_gaps(0.005, 0.0, 0.06))
    assert v.verdict == claims.DOES_NOT_HOLD and "do not clearly" in v.summary
    # a gap within three standard errors is not a gap
    assert brake.rule_diversity(_gaps(0.02, 0.0, 0.0, se=0.01)).verdict == claims.DOES_NOT_HOLD


def test_claim12_alike_with_difficulty_fitted_on_the_other_kinds():
    """The chapter's baseline fits difficulty on every agent, the kind's own near-identical
    copies included, so part of what the copies share passes for difficulty. Fitted on the
    other kinds only, the baseline misses much less (about 31% against 51% for agents 2-4)
    and the copies' being alike grows from about 14 to about 34 points: at least the
    chapter's ``real_alike``, and beyond 2 standard errors both on its own and as a gain
    over it (paired by split, on the same random numbers). The chapter's figure is the
    cautious end: it gives a kind's shared failures partly to difficulty, this one none."""
    ev = brake.evidence_real_redundancy()
    new = brake.evidence_alike_other_kinds()
    assert new["real_agents"] == brake.REAL_AGENTS and new["real_splits"] == brake.REAL_SPLITS
    assert new["real_alike_other_kinds"] >= ev["real_alike"]
    assert new["real_alike_other_kinds"] > 2 * new["real_alike_other_kinds_se"]
    gain = new["real_alike_other_kinds_gain"]
    assert gain > 2 * new["real_alike_other_kinds_gain_se"]
    # the gain is the drop in the baseline, and the two alikes differ by exactly it
    drop = ev["real_repeat_null_copies"] - new["real_repeat_null_other_kinds"]
    assert gain == pytest.approx(drop)
    assert new["real_alike_other_kinds"] - ev["real_alike"] == pytest.approx(gain)
    assert 0.25 <= new["real_repeat_null_other_kinds"] <= 0.37
    assert 0.28 <= new["real_alike_other_kinds"] <= 0.40
    # the baseline on the other kinds still wastes more with more agents
    assert new["real_repeat_null_other_kinds_4x"] > new["real_repeat_null_other_kinds"]
    new["real_alike_other_kinds"] = -1.0  # a caller's copy: the cache stays as it was
    assert brake.evidence_alike_other_kinds()["real_alike_other_kinds"] > 0
    for bad, message in ((dict(agents=1), "agents must be >= 2"), (dict(splits=1), "splits must")):
        with pytest.raises(ValueError, match=message) as err:
            brake.evidence_alike_other_kinds(**bad)
        assert "\n" not in str(err.value)


def test_largest_patent_jump_since_1985_is_the_datas():
    """The one-year rise the chapter quotes (a grant office's pace, not invention) is the
    largest year-on-year rise of the rate from 1985 on, found independently here."""
    from lossylib.growth import patents_per_million
    from lossylib.growth.experiments import patent_facts

    years, rate = patents_per_million()
    facts = patent_facts()
    best = max(
        (rate[i] / rate[i - 1], int(years[i])) for i in range(len(years)) if years[i - 1] >= 1985
    )
    assert (facts["largest_jump_since_1985"], facts["largest_jump_year_since_1985"]) == best
    assert brake.page_numbers()["pat_largest_jump_pct"] == pytest.approx(100 * (best[0] - 1))


def test_a_run_that_slows_can_grow_as_much_as_an_exponential_one():
    """The chapter's point about the regime labels: the open-loop run labelled "slows"
    ends within a small factor of the closed loop labelled exponential."""
    n = brake.page_numbers()
    assert (n["slow_example_regime"], n["exponential_example_regime"]) == ("slows", "exponential")
    assert n["slow_example_end"] > 1e12 and n["exponential_example_end"] > 1e12
    big, small = sorted([n["slow_example_end"], n["exponential_example_end"]], reverse=True)
    assert n["example_factor"] == pytest.approx(big / small)
    assert n["example_factor"] < 10


def test_fixed_or_cited_verdicts_say_so_on_the_front_page(verdicts):
    """Claim 9 checks four cited figures, and claims 11 and 13 follow from their models'
    construction; the front page shows only a summary's first sentence or two, so each
    says so there, whatever the branch."""
    assert "cited figures, not a new measurement" in claims.short_summary(verdicts[9])
    v = _harder({"a": 0.05, "b": 0.06, "c": -0.01, "d": 0.08})
    assert "cited figures" in claims.short_summary(v)
    assert "not a measurement" in claims.short_summary(verdicts[11])
    line = claims.short_summary(verdicts[13])
    assert "by construction" in line and "no better than a caveat" in line
    # claim 13's other branches name the model in their first sentence
    for gaps in (_gaps(0.07, 0.05, 0.06), _gaps(0.005, 0.0, 0.06)):
        assert claims.short_summary(brake.rule_diversity(gaps)).startswith("On NK landscapes")


def test_captions_quote_the_experiments_settings():
    """The figure captions glue the settings their experiments run with."""
    import inspect

    from lossylib.growth import experiments, figures

    n = brake.page_numbers()
    signature = inspect.signature(experiments.diversity).parameters
    assert n["c13_landscapes"] == signature["trials"].default
    assert n["c13_k"] == brake.check_diversity().evidence["k"]
    figure = inspect.signature(figures.parallel_figure).parameters
    assert (n["parallel_tries"], n["parallel_pool"]) == (
        figure["tries"].default,
        figure["pool"].default,
    )
    assert n["usl_serial_pct"] == pytest.approx(100 * experiments.USL["serial"])
    assert n["generations"] == experiments.TIMES[-1]


# ---- the scoreboard's headlines, branch by branch


def test_headlines_live(verdicts):
    for n in NUMBERS:
        headline_of(verdicts[n])
    assert claims.headline(verdicts[9]).startswith("As Bloom et al. report")
    assert "but friction-free is not required" in verdicts[11].headline
    assert "but coordination overhead is assumed" in verdicts[12].headline
    assert "by construction" in verdicts[13].headline


def test_claim9_headline_every_branch():
    # the cited source first, whatever the branch: a check of cited figures
    line = headline_of(_harder({"a": 0.05, "b": 0.06, "c": 0.07}))
    assert line.startswith("As Bloom et al. report") and "in 3 of 3" in line
    assert "5.0% to 7.0% a year" in line
    line = headline_of(_harder({"a": 0.05, "b": 0.06, "c": -0.01, "d": 0.08}))
    assert "but rose in 1 of 4" in line and "4.5% a year on average" in line
    line = headline_of(_harder({"a": 0.05, "b": 0.06}, moore=0.15))
    assert "but their Moore's-law figure of 15.0% does not add up" in line
    line = headline_of(_harder({"a": 0.05, "b": -0.06, "c": 0.0}))
    assert "in 1 of 3" in line and "but not clearly on average" in line


def test_claim10_headline_every_branch(verdicts):
    f = dict(verdicts[10].evidence)
    live = headline_of(verdicts[10])
    assert f"above the 1850-1900 best of {f['max_1850_1900']:.0f}" in live
    assert f"{f['ratio_2015_to_1985']:.1f} times their 1985 level" in live
    v = brake.rule_patents(dict(f, peak_year_before_1960=1885, per_million_2015=300.0))
    line = headline_of(v)
    assert "peaked in 1885" in line and "stood at 300, below" in line
    # declined, but the pre-1960 best is not in 1850-1900: a plateau or a later peak
    line = headline_of(brake.rule_patents(dict(f, per_million_2015=300.0)))
    assert "below the 1850-1900 best, but" in line and "plateaued" in line and "1916" in line
    later = dict(f, per_million_2015=300.0, ratio_peak_before_1960_to_1850_1900_max=1.5)
    line = headline_of(brake.rule_patents(later))
    assert "but before 1960 they peaked in 1916, 50% higher" in line


def test_claim11_headline_every_branch(verdicts):
    ev = dict(verdicts[11].evidence)
    # every branch says it is the model's algebra, not a measurement
    live = headline_of(verdicts[11])
    assert live.startswith("By the model's algebra")
    assert "a loss of 0.1 A a generation does not" in live
    v = brake.rule_conditions(dict(ev, regime_high_returns_with_loss="saturates"))
    assert v.verdict == claims.CAVEAT
    assert "friction can stop it, but a closed loop is not required" in headline_of(v)
    never = dict(ev, regime_high_returns_with_loss="saturates")
    v = brake.rule_conditions(dict(never, **{"phi_threshold_automation_0.9": float("nan")}))
    assert v.verdict == claims.HOLDS and "not" not in headline_of(v) and "stops it" in v.headline
    closed = ev["phi_threshold_closed_loop"]
    v = brake.rule_conditions(dict(ev, **{"phi_threshold_automation_0.9": closed + 0.1}))
    assert v.verdict == claims.DOES_NOT_HOLD
    assert "barely raises the bar" in headline_of(v) and f"φ = {closed + 0.1:.2f}" in v.headline
    v = brake.rule_conditions(dict(ev, phi_threshold_closed_loop=0.2))
    line = headline_of(v)
    assert f"φ + λ = {0.2 + ev['lam']:.2f}" in line and "returns above one are not needed" in line
    v = brake.rule_conditions(dict(ev, phi_threshold_closed_loop=float("nan")))
    assert v.verdict == claims.DOES_NOT_HOLD and "never explodes" in headline_of(v)
    # a loss that grows like A^1.2 names its power
    assert "0.1 A^1.2 a generation does not stop it" in headline_of(
        brake.rule_conditions(conditions_evidence(1.2))
    )


def test_claim12_headline_every_branch(verdicts):
    ev = dict(verdicts[12].evidence)
    x = f"{ev['real_repeat_copies']:.0%}"
    live = headline_of(verdicts[12])
    assert live.startswith(f"Copies of one classifier miss {x} of solves independent")
    v = brake.rule_parallel(dict(ev, overhead_measured=True))
    assert v.verdict == claims.HOLDS
    headline_of(v, "and measured coordination overhead grows")
    n = ev["agents"]
    v = brake.rule_parallel(dict(ev, throughput=float(n), throughput_4x_agents=4.0 * n))
    assert v.verdict == claims.CAVEAT and "but overhead does not grow" in headline_of(v)
    v = brake.rule_parallel(dict(ev, real_repeat_copies=0.02))
    assert v.verdict == claims.DOES_NOT_HOLD and "only 2% of solves" in headline_of(v)
    v = brake.rule_parallel(dict(ev, real_growth_copies=2 * ev["real_growth_copies_se"]))
    assert v.verdict == claims.DOES_NOT_HOLD
    headline_of(v, "not clearly more in larger teams")


def test_claim13_headline_every_branch(verdicts):
    live = headline_of(verdicts[13])
    assert f"end {verdicts[13].evidence['gap_many_few']:.3f} of the optimum behind 16" in live
    line = headline_of(brake.rule_diversity(_gaps(0.07, 0.05, 0.06)))
    assert "+0.050 of the optimum ahead of 2, even when both restart" in line
    line = headline_of(brake.rule_diversity(_gaps(0.07, 0.0, 0.06)))
    assert "0.070" in line and "but 2 that restart keep up, by construction" in line
    line = headline_of(brake.rule_diversity(_gaps(0.005, 0.0, 0.06)))
    assert "do not clearly beat 2" in line and "+0.005 ± 0.003" in line
