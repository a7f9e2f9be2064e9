"""Bad input to lossylib.proxy and lossylib.growth: one clear line naming the parameter.

Each case is an input that used to crash deep inside numpy, return nonsense, name the
wrong parameter, hang or run out of memory; it now raises a ValueError or TypeError
whose message names the parameter, says what is wrong and shows the value.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lossylib import growth
from lossylib import proxy as px
from lossylib.growth import data, experiments, productivity, search
from lossylib.growth import figures as gfig
from lossylib.proxy import figures as pfig
from lossylib.proxy import metrics

NAN = float("nan")
T = np.linspace(0.0, 20.0, 11)  # output times of a short loop run
RUN = growth.simulate(T)  # one run, shape (11,)
C = np.logspace(0, 4, 41)  # a compute grid and a rising score on it
PATENTS, POPULATION = growth.load_patents(), growth.load_population()
LANDSCAPES = search.nk_landscapes(4, 1, trials=2)
YEARS = np.arange(2000, 2003)


def _exp(t, a):
    return a


def _thresholdout(**kwargs):
    args = {
        "working": np.array([0.9, 1.0]),
        "holdout": np.array([0.9, 0.8]),
        "rng": np.random.default_rng(0),
    }
    return px.Thresholdout(**(args | kwargs))


def _series(**kwargs):
    args = {
        "path": None,
        "default": data.PATENTS_FILE,
        "column": data.PATENTS_COLUMN,
        "first_year": 1790,
        "last_year": 2015,
    }
    return data.load_series(**(args | kwargs))


def _search(**kwargs):
    return search.search(**({"fitness": LANDSCAPES, "labs": 2, "budget": 8} | kwargs))


PROXY = [
    # selection: seeds, limits on n and trials, huge counts
    ("best_of_n seed str", lambda: px.best_of_n(5, 0.5, 10, seed="abc"),
     ValueError, "seed must be an integer, got 'abc'"),
    ("best_of_n seed<0", lambda: px.best_of_n(5, 0.5, 10, seed=-1),
     ValueError, "seed must be >= 0, got -1"),
    ("best_of_n direct n", lambda: px.best_of_n(10**9, 0.5, 10, method="direct"),
     ValueError, "n must be <= 4000000 for the direct simulation, got 1000000000"),
    ("best_of_n t n", lambda: px.best_of_n(10**9, 0.5, 10, "t", 5.0),
     ValueError, "n must be <= 4000000 for the direct simulation"),
    ("best_of_n direct draws", lambda: px.best_of_n(10**4, 0.5, 10**6, method="direct"),
     ValueError, r"n \* trials must be <= 1000000000 \(direct\), got 10000000000"),
    ("best_of_n trials", lambda: px.best_of_n(5, 0.5, 10**12),
     ValueError, "trials must be <= 10000000, got 1000000000000"),
    ("best_of_n n huge", lambda: px.best_of_n(10**400, 0.5, 10),
     ValueError, "n must be <= 1000000000000000000, got 1000"),
    ("expected_max_normal huge", lambda: px.expected_max_normal(10**19),
     ValueError, "n must be <= 1000000000000000000, got 10000000000000000000"),
    ("gain_theory huge", lambda: px.gain_theory(10**400, 0.5),
     ValueError, "n must be <= 1000000000000000000"),
    ("n_grid huge", lambda: px.n_grid(10**400),
     ValueError, "n_max must be <= 1000000000000000000"),
    ("peak_true_gain huge", lambda: px.peak_true_gain(0.5, n_max=10**400),
     ValueError, "n_max must be <= 1000000000000000000"),
    # gao
    ("gao_check fit_max small", lambda: px.gao_check(0.5, fit_max=2, n_max=1000),
     ValueError, "fit_max must be >= 5, got 2"),
    ("gao_check fit_max None", lambda: px.gao_check(0.5, fit_max=None, n_max=1000),
     ValueError, "fit_max must be an integer, got None"),
    ("gao_check n_max huge", lambda: px.gao_check(0.5, n_max=10**400),
     ValueError, "n_max must be <= 1000000000000000000"),
    ("gao_curve str", lambda: px.gao_curve("5"),
     ValueError, "n must be numbers, got '5'"),
    ("gao_curve bool", lambda: px.gao_curve(True),
     ValueError, "n must be numbers, got True"),
    ("gao_curve value", lambda: px.gao_curve([2.0, 0.5]),
     ValueError, "n must be finite and >= 1, got 0.5"),
    ("fit_gao str", lambda: px.fit_gao("abc", [1.0]), ValueError, "d must be numbers"),
    ("fit_gao shapes", lambda: px.fit_gao([0.1, 0.2], [0.1]),
     ValueError, r"got shapes \(2,\) and \(1,\)"),
    ("fit_gao nan", lambda: px.fit_gao([0.1, 0.2, NAN], np.ones(3)),
     ValueError, r"d must be finite \(no NaN\), got nan"),
    ("GaoFit str", lambda: px.GaoFit(1.0, 0.1, 0.0)("x"),
     ValueError, "d must be numbers"),
    # holdout
    ("Thresholdout str", lambda: _thresholdout(working="abc"),
     ValueError, "working must be numbers, got 'abc'"),
    ("Thresholdout shapes", lambda: _thresholdout(working=[0.9]),
     ValueError, r"one value per query each .*got shapes \(1,\) and \(2,\)"),
    ("Thresholdout nan", lambda: _thresholdout(holdout=[NAN, 0.8]),
     ValueError, "holdout must be finite, got nan"),
    ("Thresholdout rng", lambda: _thresholdout(rng=None),
     TypeError, "rng must be a numpy.random.Generator, got None"),
    ("query past end", lambda: _thresholdout().query(2),
     ValueError, r"i must be < 2 \(the number of queries\), got 2"),
    ("query float", lambda: _thresholdout().query(1.5),
     ValueError, "i must be an integer, got 1.5"),
    ("query negative", lambda: _thresholdout().query(-1),
     ValueError, "i must be >= 0, got -1"),
    ("null_expected_max k", lambda: px.null_expected_max(10**400, 0.9, 300),
     ValueError, "k must be <= 1000000000000000000"),
    ("null_expected_max size", lambda: px.null_expected_max(5, 0.9, 10**12),
     ValueError, "size must be <= 10000000, got 1000000000000"),
    ("null_search scores", lambda: px.null_search(10**6, 10**6, 0.9, 100),
     ValueError, r"attempts \* trials must be <= 10000000, got 1000000 \* 1000000"),
    ("null_search size", lambda: px.null_search(5, 10, 0.9, 10**30),
     ValueError, "size must be <= 10000000"),
    ("null_search seed", lambda: px.null_search(5, 10, 0.9, 100, seed="abc"),
     ValueError, "seed must be an integer, got 'abc'"),
    # research
    ("autoresearch seed str", lambda: px.autoresearch(5, 2, seed="abc", splits=2),
     ValueError, "seed must be an integer, got 'abc'"),
    ("autoresearch seed None", lambda: px.autoresearch(5, 2, seed=None, splits=2),
     ValueError, "seed must be an integer, got None"),
    ("autoresearch records", lambda: px.autoresearch(10**6, 10**6, splits=2),
     ValueError, r"attempts \* trials must be <= 10000000"),
    ("autoresearch splits", lambda: px.autoresearch(1, 2, splits=101),
     ValueError, "splits must be <= 100, got 101"),
    ("split_scores list", lambda: px.split_scores([0]),
     ValueError, r"split must be an integer, got \[0\]"),
    # metrics
    ("scaling_loss str", lambda: metrics.scaling_loss("abc"),
     ValueError, "compute must be numbers, got 'abc'"),
    ("scaling_loss value", lambda: metrics.scaling_loss([1.0, -1.0]),
     ValueError, "compute must be finite and > 0, got -1.0"),
    ("exact_match k huge", lambda: metrics.exact_match(0.5, 10**400),
     ValueError, "k must be <= 1000000000000000000"),
    ("exact_match str", lambda: metrics.exact_match("x", 2),
     ValueError, "loss must be numbers"),
    ("rise_decades low nan", lambda: metrics.rise_decades(C, np.log10(C), low=NAN),
     ValueError, "low must be finite, got nan"),
    ("rise_decades low>high", lambda: metrics.rise_decades(C, np.log10(C), 0.9, 0.1),
     ValueError, "low must be < high, got low=0.9, high=0.1"),
    ("rise_decades compute<0", lambda: metrics.rise_decades(-C, np.log10(C)),
     ValueError, "compute must be finite and > 0, got -1.0"),
    ("rise_decades score nan", lambda: metrics.rise_decades(C, np.full(41, NAN)),
     ValueError, "score must be finite, got nan"),
    ("rise_decades falling", lambda: metrics.rise_decades(C, -np.log10(C)),
     ValueError, "score must rise"),
    ("rise_decades shapes", lambda: metrics.rise_decades(C[:5], np.log10(C)),
     ValueError, r"got shapes \(5,\) and \(41,\)"),
    ("learning_curve huge", lambda: metrics.learning_curve(10**12),
     ValueError, "splits must be <= 1000, got 1000000000000"),
    ("learning_curve list", lambda: metrics.learning_curve([2]),
     ValueError, r"splits must be an integer, got \[2\]"),
    ("exact_match k>digits", lambda: metrics.learning_curve(2).exact_match(798),
     ValueError, r"k must be <= 797 \(the test digits\), got 798"),
    ("exact_match seed", lambda: metrics.learning_curve(2).exact_match(2, seed=-1),
     ValueError, "seed must be >= 0, got -1"),
    ("calibrated_log_loss shapes", lambda: metrics.calibrated_log_loss(np.zeros((4, 3)), [0, 1]),
     ValueError, r"got shapes \(4, 3\) and \(2,\)"),
    ("calibrated_log_loss labels", lambda: metrics.calibrated_log_loss(np.zeros((2, 3)), [0, 3]),
     ValueError, "labels must be class indices from 0 to 2"),
    # figures and the explorable
    ("explore_sample n<0", lambda: pfig.explore_sample(0.5, -1, None),
     ValueError, "n must be >= 1, got -1"),
    ("explore_sample rho", lambda: pfig.explore_sample(2.0, 10, None),
     ValueError, r"rho must be in \[-1.0, 1.0\], got 2.0"),
    ("explore_sample df", lambda: pfig.explore_sample(0.5, 10, 2.0),
     ValueError, r"df must be in \(2.0, inf\], got 2.0"),
    ("explore_sample huge", lambda: pfig.explore_sample(0.5, 10**12, None),
     ValueError, "n must be <= 10000000"),
    ("explore_description n big", lambda: pfig.explore_description(0.5, 10**6, None),
     ValueError, "n must be <= 100000, got 1000000"),
    ("explore_description n=0", lambda: pfig.explore_description(0.5, 0, None),
     ValueError, "n must be >= 1, got 0"),
    ("explore_description off grid", lambda: pfig.explore_description(0.5, 3, None),
     ValueError, "n must be on the grid 1, 2, 5, 10, ..., 100000, got 3"),
    ("explore_description tail", lambda: pfig.explore_description(0.5, 10, 1.0),
     ValueError, r"tail must be in \(2.0, inf\], got 1.0"),
    ("canvas draw n=0", lambda: pfig.ExploreCanvas().draw(0.5, 0, None),
     ValueError, "n must be >= 1, got 0"),
    ("selection_panels", lambda: pfig.selection_panels({}, 0.5, 3.0, 100),
     ValueError, "runs must map 'normal' and 't' to lists of runs, got {}"),
    ("gao_panel", lambda: pfig.gao_panel({}),
     ValueError, "checks must map labels to at least one GaoCheck, got {}"),
    ("search_panels", lambda: pfig.search_panels({}, 0.9, 300),
     ValueError, "runs must map labels to ResearchRuns, got {}"),
]  # fmt: skip

GROWTH = [
    # model
    ("closed_form str", lambda: growth.closed_form(1.0, "x", 1, 1, 1, 0.5),
     ValueError, "a0 must be a number or an array of numbers, got 'x'"),
    ("closed_form bool", lambda: growth.closed_form(1.0, True, 1, 1, 1, 0.5),
     ValueError, "a0 must be a number or an array of numbers, got True"),
    ("closed_form shapes", lambda: growth.closed_form([1, 2], 1, 1, 1, 1, [0, 0.5, 2]),
     ValueError, r"parameters must broadcast to one shape, got t \(2,\), phi \(3,\)"),
    ("blowup_time None", lambda: growth.blowup_time(1, None, 1, 1, 1.5),
     ValueError, "delta must be a number or an array of numbers, got None"),
    ("integrate rate", lambda: growth.integrate(None, 1.0, [0.0, 1.0]),
     TypeError, "rate must be a function rate"),
    ("integrate steps", lambda: growth.integrate(_exp, 1.0, [0, 1], substeps=10**7),
     ValueError, r"substeps \* \(len\(times\) - 1\) must be <= 1000000 RK4 steps"),
    ("substeps None", lambda: growth.integrate(_exp, 1, [0, 1], substeps=None),
     ValueError, "substeps must be an integer >= 1, got None"),
    ("substeps inf", lambda: growth.integrate(_exp, 1, [0, 1], substeps=math.inf),
     ValueError, "substeps must be an integer >= 1, got inf"),
    ("integrate cap str", lambda: growth.integrate(_exp, 1.0, [0, 1], cap="x"),
     ValueError, "cap must be a number > 0, got 'x'"),
    ("integrate cap bool", lambda: growth.integrate(_exp, 1.0, [0, 1], cap=True),
     ValueError, "cap must be a number > 0, got True"),
    ("integrate times", lambda: growth.integrate(_exp, 1.0, [1.0, 0.0]),
     ValueError, r"times must be a non-empty increasing 1-D array, got array\(\[1"),
    # loop
    ("amdahl str", lambda: growth.amdahl("x", 2.0),
     ValueError, "share must be a number or an array of numbers, got 'x'"),
    ("research_input automation", lambda: growth.research_input(1.0, automation=1.5),
     ValueError, "automation must be between 0 and 1, got 1.5"),
    ("simulate automation", lambda: growth.simulate(T, automation=1.5),
     ValueError, "automation must be between 0 and 1, got 1.5"),
    ("simulate shapes", lambda: growth.simulate(T, phi=np.zeros(3), loss=np.zeros(4)),
     ValueError, r"must broadcast to one shape, got phi \(3,\), loss \(4,\)"),
    ("simulate cells", lambda: growth.simulate(np.linspace(0, 1, 6),
                                               phi=np.zeros((3000, 1)),
                                               loss=np.zeros((1, 3000))),
     ValueError, r"len\(times\) \* runs must be <= 50000000 values, got 6 \* 9000000"),
    ("loop_rate delta nan", lambda: growth.loop_rate(np.array([1.0, 2.0]), delta=NAN),
     ValueError, "delta must be finite, got nan"),
    ("loop_rate loss<0", lambda: growth.loop_rate(np.array([1.0]), loss=-1.0),
     ValueError, "loss must be >= 0, got -1.0"),
    ("classify nan", lambda: growth.classify(T, np.full(11, NAN)),
     ValueError, r"a must be >= 0 and not NaN \(inf: a blow-up\), got nan"),
    ("classify negative", lambda: growth.classify(T, -RUN),
     ValueError, r"a must be >= 0 and not NaN \(inf: a blow-up\), got -1.0"),
    ("classify zero start", lambda: growth.classify(T, np.zeros(11)),
     ValueError, r"a must start above 0 \(its first row\), got 0.0"),
    ("classify times", lambda: growth.classify(T[::-1], RUN),
     ValueError, r"times must be >= 10 increasing times \(1-D\), got array\(\[20."),
    ("classify rows", lambda: growth.classify(T, np.ones(12)),
     ValueError, r"a must have one row per time \(11\), got shape \(12,\)"),
    ("classify flat None", lambda: growth.classify(T, RUN, flat=None),
     ValueError, "flat must be a number, got None"),
    ("classify flat list", lambda: growth.classify(T, RUN, flat=[1.0, 2.0]),
     ValueError, r"flat must be a number, got \[1.0, 2.0\]"),
    # data
    ("load_patents path", lambda: growth.load_patents(3),
     TypeError, r"path must be a file path \(str or Path\), got 3"),
    ("per_capita counts", lambda: growth.per_capita(None, POPULATION),
     TypeError, r"counts must be a Series \(from load_series\), got None"),
    ("per_capita per None", lambda: growth.per_capita(PATENTS, POPULATION, per=None),
     ValueError, "per must be a number, got None"),
    ("per_capita per bool", lambda: growth.per_capita(PATENTS, POPULATION, per=True),
     ValueError, "per must be a number, got True"),
    ("load_series extra year", lambda: _series(first_year=1791),
     ValueError, r"must run 1791-2015 without gaps \(unexpected \[1790\]\)"),
    ("load_series backwards", lambda: _series(last_year=1789),
     ValueError, "last_year must be from 1790 to 11789, got 1789"),
    ("load_series huge", lambda: _series(last_year=10**12),
     ValueError, "last_year must be from 1790 to 11789, got 1000000000000"),
    ("load_series float", lambda: _series(first_year=2.5),
     ValueError, "first_year must be an integer, got 2.5"),
    ("Series.at float", lambda: PATENTS.at(1900.5),
     ValueError, "year must be an integer, got 1900.5"),
    ("Series.at str", lambda: PATENTS.at("1900"),
     ValueError, "year must be an integer, got '1900'"),
    # productivity
    ("decline_rate None", lambda: productivity.decline_rate(None, 10),
     ValueError, "multiple must be a number, got None"),
    ("decline_rate bool", lambda: productivity.decline_rate(True, 10),
     ValueError, "multiple must be a number, got True"),
    ("doubling_time list", lambda: productivity.doubling_time([0.05, 0.1]),
     ValueError, r"decline must be a number, got \[0.05, 0.1\]"),
    ("balanced_growth", lambda: productivity.balanced_growth([1, 2], [0, 0, 0], 0),
     ValueError, r"parameters must broadcast to one shape, got lam \(2,\), phi \(3,\)"),
    ("growth_rate str", lambda: productivity.growth_rate([0.0, 1.0], phi="x"),
     ValueError, "phi must be a number or an array of numbers, got 'x'"),
    ("case_summary str", lambda: productivity.case_summary({"a": "x"}),
     ValueError, r"the declines in cases must be a number or .*, got \['x'\]"),
    ("case_summary None", lambda: productivity.case_summary({"a": None}),
     ValueError, r"the declines in cases must be .*, got \[None\]"),
    # search
    ("idea_pool huge", lambda: search.idea_pool(10**12),
     ValueError, "size must be an integer <= 50000000, got 1000000000000"),
    ("idea_pool zipf None", lambda: search.idea_pool(10, zipf=None),
     ValueError, "zipf must be a number, got None"),
    ("idea_pool size None", lambda: search.idea_pool(None),
     ValueError, "size must be an integer >= 1, got None"),
    ("idea_pool size inf", lambda: search.idea_pool(math.inf),
     ValueError, "size must be an integer >= 1, got inf"),
    ("expected_distinct sum", lambda: search.expected_distinct(5, [0.5, 0.6]),
     ValueError, "probs must sum to 1, got a sum of 1.1"),
    ("expected_distinct 2-D", lambda: search.expected_distinct(5, [[0.5, 0.5]]),
     ValueError, r"probs must be a non-empty 1-D array, got shape \(1, 2\)"),
    ("expected_distinct str", lambda: search.expected_distinct("x", [1.0]),
     ValueError, "draws must be a number or an array of numbers, got 'x'"),
    ("simulate_distinct huge", lambda: search.simulate_distinct(10**6, 10**6, [1.0]),
     ValueError, r"trials \* agents \* tries must be <= 50000000"),
    ("simulate_distinct seed", lambda: search.simulate_distinct(2, 3, [1], seed="abc"),
     ValueError, "seed must be an integer >= 0, got 'abc'"),
    ("nk_landscapes huge", lambda: search.nk_landscapes(4, 1, trials=10**12),
     ValueError, r"trials \* 2\^n must be <= 50000000, got 1000000000000 \* 2\^4"),
    ("nk_landscapes None", lambda: search.nk_landscapes(n=None),
     ValueError, "n must be an integer >= 1, got None"),
    ("search steps", lambda: _search(budget=10**12),
     ValueError, "budget // labs must be <= 1000000, got 500000000000"),
    ("search zero payoffs", lambda: _search(fitness=np.zeros((2, 16))),
     ValueError, "fitness must have a positive best payoff on every landscape"),
    ("search nan", lambda: _search(fitness=np.full((2, 16), NAN)),
     ValueError, "fitness must be finite"),
    ("search no trials", lambda: _search(fitness=np.zeros((0, 16))),
     ValueError, r"fitness must have shape \(trials, 2\^n\), got \(0, 16\)"),
    ("search labs None", lambda: _search(labs=None),
     ValueError, "labs must be an integer >= 1, got None"),
    ("search seed", lambda: _search(seed=-1),
     ValueError, "seed must be an integer >= 0, got -1"),
    ("sem one trial", lambda: _search(fitness=LANDSCAPES[:1]).sem,
     ValueError, "sem needs at least 2 trials, got 1"),
    # experiments
    ("spells_above lengths", lambda: experiments.spells_above(YEARS, np.ones(4), 0.0),
     ValueError, r"years and values must be 1-D and of the same length, got shapes"),
    ("spells_above level", lambda: experiments.spells_above(YEARS, np.ones(3), NAN),
     ValueError, "level must be finite, got nan"),
    ("explosion_threshold empty", lambda: experiments.explosion_threshold([]),
     ValueError, "phi must hold at least one value"),
    ("redundancy agents 0", lambda: experiments.redundancy(np.array([0, 1])),
     ValueError, r"agents must be > 0, got array\(\[0, 1\]\)"),
    ("redundancy tries 0", lambda: experiments.redundancy(np.array([1]), tries=0),
     ValueError, "tries must be an integer >= 1, got 0"),
    ("redundancy pool 0", lambda: experiments.redundancy(np.array([1]), pool=0),
     ValueError, "pool must be an integer >= 1, got 0"),
    ("redundancy zipf", lambda: experiments.redundancy(np.array([1]), zipf=None),
     ValueError, "zipf must be a number, got None"),
    ("diversity seed", lambda: experiments.diversity(0, n=6, trials=2, seed=None),
     ValueError, "seed must be an integer >= 0, got None"),
    ("diversity_gaps None", lambda: experiments.diversity_gaps(None),
     ValueError, "ks must be a sequence of k values, got None"),
    ("diversity_gaps empty", lambda: experiments.diversity_gaps(()),
     ValueError, "ks must hold at least one k"),
    ("parallel_evidence 0", lambda: experiments.parallel_evidence(0),
     ValueError, "agents must be an integer >= 1, got 0"),
    ("parallel_evidence 2.5", lambda: experiments.parallel_evidence(2.5),
     ValueError, "agents must be an integer >= 1, got 2.5"),
    ("conditions_evidence", lambda: experiments.conditions_evidence("x"),
     ValueError, "loss_power must be a number, got 'x'"),
    # figures
    ("closed_forms_figure", lambda: gfig.closed_forms_figure(phis=()),
     ValueError, r"phis must be a non-empty list of numbers, got array\(\[\]"),
    ("regime_figure size 0", lambda: gfig.regime_figure(size=0),
     ValueError, "size must be an integer >= 2, got 0"),
    ("regime_figure size huge", lambda: gfig.regime_figure(size=10**6),
     ValueError, "size must be an integer <= 1000, got 1000000"),
    ("regime_figure automations", lambda: gfig.regime_figure(size=4, automations=()),
     ValueError, "automations must be a non-empty list of shares"),
    ("loop_setting points 0", lambda: gfig.loop_setting(0.5, 0.9, 0.0, points=0),
     ValueError, "points must be an integer >= 2, got 0"),
    ("loop_setting points huge", lambda: gfig.loop_setting(0.5, 0.9, 0.0, points=10**9),
     ValueError, "points must be an integer <= 100000, got 1000000000"),
    ("loop_setting automation", lambda: gfig.loop_setting(0.5, 1.5, 0.0),
     ValueError, "automation must be between 0 and 1, got 1.5"),
    ("loop_explorable empty", lambda: gfig.loop_explorable([], [1.0], [0.0]),
     ValueError, r"phis must be a non-empty list of numbers, got \[\]"),
    ("parallel_figure tries", lambda: gfig.parallel_figure(tries=0),
     ValueError, "tries must be an integer >= 1, got 0"),
    ("diversity_figure", lambda: gfig.diversity_figure({}),
     ValueError, "results must map at least one k to its runs, got {}"),
    ("loop_frame lengths", lambda: gfig.loop_frame(T, np.ones(3), np.ones(3)),
     ValueError, r"free must have one value per time, got shape \(3,\) for 11 times"),
]  # fmt: skip


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [pytest.param(*case[1:], id=case[0]) for case in PROXY + GROWTH],
)
def test_bad_input_raises_one_clear_line(call, error, message):
    with pytest.raises(error, match=message) as info:
        call()
    assert "\n" not in str(info.value)


def test_effort_multiple_overflow_is_inf_without_a_warning():
    """An effort multiple beyond a float is inf (it used to warn about the overflow)."""
    assert productivity.effort_multiple(1e6, 1.0) == math.inf
