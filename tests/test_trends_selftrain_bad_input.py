"""Bad input to lossylib.trends and lossylib.selftrain: a one-line error that names the
parameter, never a silent nonsense result, a deep numpy error or a huge allocation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lossylib import selftrain as st
from lossylib.selftrain import digits
from lossylib.selftrain import figures as sfig
from lossylib.selftrain.digits import DigitRun
from lossylib.selftrain.expert import ExpertRun
from lossylib.trends import data, fits, loop, prefix
from lossylib.trends import figures as tfig

NAN, INF = math.nan, math.inf
T = np.linspace(1980.0, 2020.0, 41)
V = np.exp(0.1 * (T - 1980.0))
TT = np.linspace(0.0, 60.0, 121)
VV = np.exp(fits.log_logistic(TT, 10.0, 0.3, 30.0))
PHI = {"phi": loop.Input(0.8, 0.78, 0.82, "t")}
A, B = np.array([12, 34, 56]), np.array([78, 90, 11])
CORRECT = np.array([True, False, True, False])


def _rng():
    return np.random.default_rng(0)


def _noisy(**kw):
    base = dict(log_ceiling=10.0, rate=0.3, midpoint=30.0, sigma=0.1, seed=0)
    return fits.noisy_logistic(TT, **{**base, **kw})


def _keep(correct=CORRECT, logp=None, levels=None, v=0.1, rng="rng"):
    logp = np.zeros(4) if logp is None else logp
    levels = np.ones(4, int) if levels is None else levels
    return st.keep(correct, logp, levels, v, _rng() if rng == "rng" else rng)


def _run(generations: int = 2, levels: int = 5) -> ExpertRun:
    g = generations
    return ExpertRun(
        success=np.full((g + 1, levels), 0.5), levels=np.arange(1, levels + 1),
        greedy=np.zeros((g + 1, levels)), known=np.zeros(g + 1, int),
        kept=np.ones(g, int), kept_wrong=np.zeros(g, int), start_level=2, train_level=3,
    )  # fmt: skip


def _digit_run(kept=(0, 1)) -> DigitRun:
    z = np.zeros(2)
    images = {g: np.zeros((10, 8, 8)) for g in kept}
    return DigitRun(np.full((2, 10), 0.1), z, z + 1, z + 1, z + 1, z, images=images)


# fmt: off
TRENDS = [
    (lambda: data.parse_dat(None), TypeError, "text must be a string"),
    (lambda: data.growth_fit("specint", 1990, 2000, None), ValueError,
     "level must be a number, got None"),
    (lambda: fits.fit_exponential(["a", "b", "c"], [1, 2, 3]), TypeError,
     "years must be numbers"),
    (lambda: fits.fit_exponential(T * 1e300, V), ValueError, "years must be at most"),
    (lambda: fits.fit_logistic(2000 + (T - 1980) * 1e-12, V), ValueError,
     "years must not all be equal, got a span"),
    (lambda: fits.fit_break(T, V, min_side=2.5), ValueError,
     "min_side must be an integer >= 1, got 2.5"),
    (lambda: fits.fit_break(T, V, min_side=True), ValueError,
     "min_side must be an integer >= 1, got True"),
    (lambda: fits.fit_break(T, V, boot=True), ValueError,
     "boot must be an integer >= 1, got True"),
    (lambda: fits.fit_break(T, V, boot=10**9), ValueError, "boot must be <= 100000"),
    (lambda: fits.fit_break(T, V, step=1e-9), ValueError, "step must be >= "),
    (lambda: fits.fit_break(T, V, step=None), ValueError, "step must be a number"),
    (lambda: fits.fit_break(T, V, level=None), ValueError, "level must be a number"),
    (lambda: fits.fit_break(T, V, seed="abc"), ValueError,
     "seed must be None or an integer >= 0, got 'abc'"),
    (lambda: fits.fit_break(T, V, seed=-1), ValueError, "seed must be >= 0, got -1"),
    (lambda: _noisy(log_ceiling=NAN), ValueError, "log_ceiling must be finite"),
    (lambda: _noisy(midpoint=INF), ValueError, "midpoint must be finite, got inf"),
    (lambda: _noisy(log_ceiling=1e6), ValueError, r"exp overflows"),
    (lambda: _noisy(sigma=None), ValueError, "sigma must be a number, got None"),
    (lambda: _noisy(seed=-1), ValueError, "seed must be >= 0, got -1"),
    (lambda: fits.noisy_logistic([NAN], log_ceiling=1, rate=1, midpoint=0, sigma=0),
     ValueError, "years must be finite, got nan"),
    (lambda: fits.log_logistic(1.0, NAN, 1.0, 0.0), ValueError,
     "log_ceiling must be finite"),
    (lambda: fits.log_logistic(None, 1.0, 1.0, 0.0), TypeError, "t must be numbers"),
    (lambda: fits.fit_exponential(T, V).log_predict(NAN), ValueError,
     "t must be finite, got nan"),
    (lambda: prefix.prefix_study(TT, VV[:-1], [30], horizon=60), ValueError,
     "years and values must be 1-d of one length"),
    (lambda: prefix.prefix_study(np.r_[NAN, TT[1:]], VV, [30], horizon=60), ValueError,
     r"must be finite \(no NaN"),
    (lambda: prefix.prefix_study(TT, VV, [30], horizon=None), ValueError,
     "horizon must be a number, got None"),
    (lambda: prefix.prefix_study(TT, VV, "abc", horizon=60), TypeError,
     "ends must be numbers"),
    (lambda: prefix.Curve(per_year=10**12), ValueError,
     r"per_year \+ 1 must be <= 1000000"),
    (lambda: prefix.Curve(per_year=2.5), ValueError, "Curve per_year must be an int"),
    (lambda: prefix.Curve(stop=INF), ValueError, "Curve stop must be finite, got inf"),
    (lambda: prefix.Curve(sigma=-1), ValueError, r"Curve sigma must be in \[0.0, "),
    (lambda: prefix.synthetic_study(None, [60], 1), TypeError, "curve must be a Curve"),
    (lambda: prefix.synthetic_study(prefix.Curve(), [60], True), ValueError,
     "seeds must be an integer >= 1, got True"),
    (lambda: prefix.synthetic_study(prefix.Curve(), [60], 1, seed="abc"), ValueError,
     "seed must be an integer"),
    (lambda: prefix.prefix_study(TT, VV, [20, 60], horizon=60).first_clear(NAN),
     ValueError, "threshold must be finite, got nan"),
    (lambda: loop.Input(True, 0, 1, "s"), ValueError,
     "Input value must be a finite number, got True"),
    (lambda: loop.Input(0.5, 0, 1, None), TypeError, "Input source must be a string"),
    (lambda: loop.returns_from_decline(None, 0.4, lam=0.5), ValueError,
     "decline must be a number, got None"),
    (lambda: loop.returns_from_decline(True, 0.4, lam=0.5), ValueError,
     "decline must be a number, got True"),
    (lambda: loop.loss_per_generation(0.5, True), ValueError,
     "generations must be an integer >= 1, got True"),
    (lambda: loop.loss_per_generation(None, 1), ValueError, "kept must be a number"),
    (lambda: loop.regime_shares(PHI, [0.5], draws=True), ValueError,
     "draws must be an integer >= 1, got True"),
    (lambda: loop.regime_shares(PHI, [0.5], draws=10**9), ValueError,
     "draws must be <= 100000"),
    (lambda: loop.regime_shares(PHI, [0.5], draws=5, seed=-1), ValueError,
     "seed must be >= 0, got -1"),
    (lambda: loop.regime_shares(PHI, [], draws=5), ValueError,
     "automation must be a non-empty 1-d array"),
    (lambda: loop.regime_shares([], [0.5], draws=5), TypeError,
     "inputs must be a mapping of name to Input, got list"),
    (lambda: loop.regime_shares({"phi": None}, [0.5], draws=5), TypeError,
     r"inputs\['phi'\] must be an Input, got NoneType"),
    (lambda: loop.central_regimes({"psi": PHI["phi"]}, [0.5]), ValueError,
     r"unknown loop inputs \['psi'\]"),
    (lambda: loop.central_regimes({"phi": 0.8}, [0.5]), TypeError,
     r"inputs\['phi'\] must be an Input, got float"),
    (lambda: loop.central_regimes(PHI, [1.5]), ValueError,
     r"automation must be shares in \[0, 1\], got 1.5"),
    (lambda: loop.central_regimes(PHI, []), ValueError,
     "automation must be a non-empty 1-d array"),
    (lambda: loop.tipping_automation(PHI, []), ValueError,
     "grid must be a non-empty 1-d array"),
    (lambda: tfig.headline(series="specint"), TypeError,
     "series must be a sequence of series names, got str"),
    (lambda: tfig.headline(series=()), ValueError, "series must name at least one"),
    (lambda: tfig.headline(width=0), ValueError, r"width must be in \(0.0, 40.0\]"),
    (lambda: tfig.growth_by_era(("moore",)), ValueError, "unknown series 'moore'"),
    (lambda: tfig.growth_by_era("specint"), TypeError,
     "names must be a sequence of series names"),
    (lambda: tfig.real_prefixes((2000.0,)), ValueError, "must be three years, got 1"),
    (lambda: tfig.real_prefixes((1900.0, 2005.0, 2010.0)), ValueError,
     "ends must leave at least 4 points each, got 1900.0"),
    (lambda: tfig.loop_regimes({}, [0.5, 1.0], [200], [["slows", "explodes"]]),
     ValueError, "inputs must include 'phi'"),
    (lambda: tfig.loop_regimes(PHI, [0.5, 1.0], [200], [["slows"]]), ValueError,
     r"by_horizon must have one row per horizon .* shape \(1, 2\), got \(1, 1\)"),
    (lambda: tfig.loop_regimes(PHI, [0.5, 1.0], [200], [["slows", "booms"]]), ValueError,
     r"by_horizon holds unknown regimes \['booms'\]"),
    (lambda: tfig.loop_regimes(PHI, [0.5], "200", [["slows"]]), TypeError,
     "horizons must be a sequence of generations"),
    (lambda: loop.loss_ceiling(PHI, [1.5]), ValueError, "automation must be shares"),
    (lambda: loop.regimes_by_horizon(PHI, [0.5], []), ValueError,
     "horizons must be a non-empty sequence"),
    (lambda: loop.regimes_by_horizon(PHI, [0.5], [5.0]), ValueError,
     r"horizon must be in \[10.0, "),
    (lambda: loop.ceiling_time(PHI, [0.5], share=0), ValueError, r"share must be in \(0.0, 1.0\]"),
    (lambda: tfig.explore_fits("specint", NAN), ValueError, "end must be finite"),
    (lambda: tfig.explore_fits("specint", 1900.0), ValueError,
     "end must leave at least 4 points of 'specint' before it"),
    (lambda: tfig.explore_description("specint", 2005.0, "quadratic"), ValueError,
     "unknown model 'quadratic'"),
    (lambda: tfig.ExploreCanvas().draw("specint", None, "both"), ValueError,
     "end must be a number, got None"),
]

SELFTRAIN = [
    (lambda: st.problems(2, 3, None), TypeError, "rng must be a numpy Generator"),
    (lambda: st.problems(2, 10**12, _rng()), ValueError, "n must be <= 1000000"),
    (lambda: st.to_digits(np.array([12]), 25), ValueError, "width must be <= 18"),
    (lambda: st.to_digits(np.array([12]), 0), ValueError, "width must be >= 1, got 0"),
    (lambda: st.to_digits(np.array([-12]), 3), ValueError, "x must be >= 0, got -12"),
    (lambda: st.to_digits(np.array([1.5]), 2), TypeError, "x must hold integers"),
    (lambda: st.to_digits(12, 3), ValueError, r"x must be a 1-d array, got shape \(\)"),
    (lambda: st.answer_digits(np.array([5]), np.array([4]), 0), ValueError,
     "level must be >= 1, got 0"),
    (lambda: st.answer_digits(np.array([5, 1]), np.array([4]), 1), ValueError,
     "a and b must have one length, got 2 and 1"),
    (lambda: st.answer_digits(np.array([500]), np.array([4]), 1), ValueError,
     "a must have at most 1 digits, got 500"),
    (lambda: _keep(logp=np.zeros(3), v="self"), ValueError,
     r"logp must have 4 entries, got shape \(3,\)"),
    (lambda: _keep(levels=np.ones(3, int)), ValueError, "levels must have 4 entries"),
    (lambda: _keep(correct=None), ValueError, "correct must be a 1-d array"),
    (lambda: _keep(correct=np.array(["no", "yes", "no", "no"])), TypeError,
     "correct must hold booleans"),
    (lambda: _keep(logp=np.array([NAN, 0, 0, 0]), v="self"), ValueError,
     "logp must not contain NaN"),
    (lambda: _keep(rng=None), TypeError, "rng must be a numpy Generator"),
    (lambda: _keep(v="skip-carry"), ValueError, "the 'skip-carry' verifier needs digits_right"),
    (lambda: st.keep(CORRECT, np.zeros(4), np.ones(4, int), "skip-carry", _rng(),
                     digits_right=np.ones(3, bool)), ValueError,
     r"digits_right must be 4 booleans, got shape \(3,\) and dtype bool"),
    (lambda: st.keep(CORRECT, np.zeros(4), np.ones(4, int), "skip-carry", _rng(),
                     digits_right=np.ones(4)), ValueError,
     r"digits_right must be 4 booleans, got shape \(4,\) and dtype float64"),
    (lambda: st.wrong_carry_only(np.ones((20, 200))), ValueError,
     r"table must have shape \(200, 20\), got \(20, 200\)"),
    (lambda: st.DigitPolicy(np.full((200, 20), 1e308)), ValueError,
     "counts must have finite row sums"),
    (lambda: st.DigitPolicy.fit([0], [20]), ValueError,
     r"outcomes must be in 0\.\.19, got 20"),
    (lambda: st.DigitPolicy.fit([200], [0]), ValueError,
     r"contexts must be in 0\.\.199, got 200"),
    (lambda: st.DigitPolicy.fit([10**12], [0]), ValueError, "contexts must be in 0"),
    (lambda: st.DigitPolicy.fit([0.5], [0]), TypeError, "contexts must be integer"),
    (lambda: st.DigitPolicy.from_examples(A * 1000, B, 2), ValueError,
     "a must have at most 2 digits"),
    (lambda: st.correct_traces(12, 34, 2), ValueError, "a must be a 1-d array"),
    (lambda: st.DigitPolicy.blank().sample(A, B, 2, None), TypeError,
     "rng must be a numpy Generator"),
    (lambda: st.DigitPolicy.blank().success(A, B[:2], 2), ValueError,
     "a and b must have one length, got 3 and 2"),
    (lambda: st.DigitPolicy.blank().greedy_correct(-A, B, 2), ValueError,
     "a must be >= 0"),
    (lambda: st.DigitPolicy.blank().success_on((1, 2)), ValueError,
     r"cols must be what columns\(\) returns"),
    (lambda: st.held_out(0, 3), ValueError, "eval_level must be >= 1, got 0"),
    (lambda: st.held_out(2, 10**12), ValueError, "per_level must be <= 1000000"),
    (lambda: st.held_out(2, 3, seed="abc"), ValueError, "seed must be None or an integer"),
    (lambda: st.expert_iteration(1, seed=-1), ValueError, "seed must be >= 0, got -1"),
    (lambda: st.expert_iteration(1, attempts=10**12), ValueError,
     "attempts must be <= 1000000"),
    (lambda: st.shared_run(1, "perfect", [0], "replace"), ValueError,
     "seed must be an integer"),
    (lambda: st.shared_run(1, "perfect", 0, ["replace"]), ValueError,
     "data must be one of"),
    (lambda: digits.digit_loop(1, seed="abc"), ValueError,
     "seed must be None or an integer"),
    (lambda: digits.digit_loop(1, keep_images=(5,)), ValueError,
     r"keep_images must hold generations 0\.\.1, got 5"),
    (lambda: digits.digit_loop(1, keep_images=None), TypeError,
     "keep_images must be a tuple"),
    (lambda: digits.digit_loop(1, world="abc"), TypeError,
     "world must be a DigitWorld, got str"),
    (lambda: digits.digit_loop(1, samples=1000), ValueError, "samples must be <= 898"),
    (lambda: digits.digit_world(20, -1), ValueError, "seed must be >= 0, got -1"),
    (lambda: digits.loo_bandwidth(np.eye(3), [0.0]), ValueError,
     "grid must hold positive finite bandwidths, got 0.0"),
    (lambda: digits.loo_bandwidth(np.zeros(5), [1.0]), ValueError,
     "z must be 2-d with at least 2 rows"),
    (lambda: digits.loo_bandwidth(np.zeros((0, 2)), [1.0]), ValueError,
     "z must be 2-d with at least 2 rows"),
    (lambda: digits.loo_bandwidth(np.zeros((30000, 2)), [1.0]), ValueError,
     "z must have at most 50000000 points squared"),
    (lambda: sfig.hard_level_panel({"a": [_run()]}, level=0), ValueError,
     "level must be >= 1, got 0"),
    (lambda: sfig.hard_level_panel({"a": [_run()]}, level=6), ValueError,
     "level must be <= 5, got 6"),
    (lambda: sfig.hard_level_panel({}), ValueError, "runs must hold at least one"),
    (lambda: sfig.level_profile([_run()], (5,)), ValueError,
     r"generations must be integers in 0\.\.2, got 5"),
    (lambda: sfig.level_profile([_run()], (-1,)), ValueError,
     r"generations must be integers in 0\.\.2, got -1"),
    (lambda: sfig.level_profile([], (0,)), ValueError, "rs must hold at least one"),
    (lambda: sfig.information_panel({"a": []}), ValueError,
     r"runs\['a'\] must hold at least one ExpertRun"),
    (lambda: sfig.false_accept_sweep([0, 0.1], np.zeros((2, 1)), np.zeros((2, 1)), 5),
     ValueError, r"ends must have shape \(rates, seeds\)"),
    (lambda: sfig.false_accept_sweep([NAN, 0.1], np.zeros((2, 2)), np.zeros((2, 2)), 5),
     ValueError, r"rates must be false-accept rates in \[0, 1\], got nan"),
    (lambda: sfig.false_accept_sweep([0, 0.1], np.zeros((2, 2)), np.zeros((2, 2)), 5,
                                     np.zeros((3, 2))),
     ValueError, r"known must have shape \(rates, seeds\)"),
    (lambda: sfig.false_accept_sweep([0, 0.1], np.zeros((2, 2)), np.zeros((2, 2)), 5,
                                     np.zeros((2, 2)), 1.5),
     ValueError, "known_start must be"),
    (lambda: sfig.digit_grids({"a": _digit_run(), "b": _digit_run((0,))}, 1),
     ValueError, r"runs must keep images at generations 0 and 1, got runs\['b'\] keeping \[0\]"),
    (lambda: sfig.digit_grids({"a": _digit_run()}, 0, zoom=0), ValueError,
     "zoom must be >= 1, got 0"),
    (lambda: sfig.digit_grids({"a": _digit_run()}, 5), ValueError,
     r"generations must be integers in 0\.\.1, got 5"),
    (lambda: sfig.digit_measures({}), ValueError, "runs must hold at least one entry"),
    (lambda: sfig.explore_run(None, "replace"), ValueError,
     "false_accept must be a number, got None"),
    (lambda: sfig.explore_run(1.5, "replace"), ValueError,
     r"false_accept must be in \[0.0, 1.0\], got 1.5"),
    (lambda: sfig.explore_frame(None), TypeError, "run must be an ExpertRun"),
]
# fmt: on


CASES = TRENDS + SELFTRAIN


@pytest.mark.parametrize(("call", "error", "match"), CASES, ids=[m for *_, m in CASES])
def test_bad_input_raises_a_one_line_error(call, error, match):
    with pytest.raises(error, match=match) as info:
        call()
    assert "\n" not in str(info.value)


def test_numpy_integers_are_accepted_where_python_ints_are():
    assert st.check_verifier(np.int64(1)) == 1.0
    assert loop.loss_per_generation(0.25, np.int64(2)) == pytest.approx(0.5)
    assert fits.fit_break(T, V, boot=np.int64(3)).boot == 3


def test_tipping_automation_is_the_smallest_share_of_an_unsorted_grid():
    inputs = {"phi": loop.Input(1.1, 1.1, 1.1, "t")}
    assert loop.tipping_automation(inputs, [1.0, 0.9]) == 0.9


def test_seed_none_still_means_fresh_randomness_where_it_did():
    """Where a seed goes straight to numpy's generator, None keeps numpy's meaning (as in
    lossylib.collapse and lossylib.proxy); only a wrong type or a negative is refused."""
    assert len(st.held_out(2, 3, seed=None)) == 2
    assert fits.fit_break(T, V, boot=3, seed=None).boot == 3
