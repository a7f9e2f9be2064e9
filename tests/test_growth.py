"""Tests for lossylib.growth: closed forms, integrator, frictions, productivity, search."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lossylib import growth
from lossylib.growth import productivity, search

SMOOTH = [
    dict(a0=2.0, delta=0.3, s=2.0, lam=0.7, phi=0.5),
    dict(a0=1.0, delta=0.5, s=1.0, lam=1.0, phi=1.0),
    dict(a0=0.5, delta=0.2, s=3.0, lam=0.4, phi=-0.5),
    dict(a0=1.0, delta=0.1, s=1.0, lam=1.0, phi=1.3),  # blows up at t = 25.6
    dict(a0=2.0, delta=0.3, s=2.0, lam=0.7, phi=0.5, s_growth=0.1, loss=0.05),
    dict(a0=1.0, delta=0.2, s=1.0, lam=0.5, phi=1.0, s_growth=-0.05, loss=0.1),
    dict(a0=1.0, delta=0.1, s=1.0, lam=1.0, phi=1.5, loss=0.05),
]


def _rate(p):
    s_growth, loss = p.get("s_growth", 0.0), p.get("loss", 0.0)

    def rate(t, a):
        s = p["s"] * np.exp(s_growth * t)
        return p["delta"] * s ** p["lam"] * a ** p["phi"] - loss * a

    return rate


@pytest.mark.parametrize("p", SMOOTH)
def test_closed_form_matches_integrator(p):
    times = np.linspace(0.0, 10.0, 21)
    exact = growth.closed_form(times, **p)
    numeric = growth.integrate(_rate(p), p["a0"], times, substeps=50)
    assert np.max(np.abs(numeric / exact - 1)) < 1e-6


def test_closed_form_special_cases():
    t = np.linspace(0, 3, 7)
    assert np.allclose(growth.closed_form(t, 1, 1, 1, 1, 0), 1 + t)  # linear
    assert np.allclose(growth.closed_form(t, 2, 0.5, 4, 0.5, 1), 2 * np.exp(t))
    assert np.allclose(growth.closed_form(t, 1, 1, 1, 1, 0.5), (1 + t / 2) ** 2)
    assert growth.closed_form(0.0, 3.0, 1, 1, 1, 2) == pytest.approx(3.0)
    assert isinstance(growth.closed_form(1.0, 1, 1, 1, 1, 1), float)


def test_blowup_time_matches_closed_form():
    p = dict(a0=1.0, delta=0.1, s=1.0, lam=1.0, phi=1.3)
    tb = growth.blowup_time(**p)
    assert tb == pytest.approx(1 / (0.3 * 0.1))
    assert np.isfinite(growth.closed_form(tb * 0.999, **p))
    assert growth.closed_form(tb * 1.001, **p) == math.inf
    assert growth.closed_form(tb * 0.999, **p) > 1e3


def test_blowup_time_infinite_without_explosive_returns():
    for phi in (0.0, 0.5, 1.0):
        assert growth.blowup_time(1, 1, 1, 1, phi) == math.inf
    assert growth.blowup_time(1, 0.0, 1, 1, 2.0) == math.inf  # no research at all


def test_blowup_with_loss_has_a_threshold():
    # dA/dt = A^2 - loss A: blows up iff a0 > loss, at T = log(a0 / (a0 - loss)) / loss
    assert growth.blowup_time(2.0, 1, 1, 1, 2, loss=1.0) == pytest.approx(math.log(2))
    assert growth.blowup_time(0.5, 1, 1, 1, 2, loss=1.0) == math.inf
    assert growth.blowup_time(1, 1, 1, 1, 2, s_growth=1.0) < 1.0  # growing effort: sooner


def test_integrator_marks_blowup():
    t = np.linspace(0, 2, 21)
    a = growth.integrate(lambda t, a: a**2, 1.0, t, substeps=50)
    assert np.all(np.isfinite(a[t < 0.95]))
    assert np.all(np.isinf(a[t > 1.05]))


@settings(max_examples=30, deadline=None)
@given(
    a0=st.floats(0.1, 10),
    delta=st.floats(0.01, 1),
    lam=st.floats(0.1, 1),
    phi=st.floats(-1, 0.95),
)
def test_closed_form_is_increasing_below_unit_returns(a0, delta, lam, phi):
    a = growth.closed_form(np.linspace(0, 20, 11), a0, delta, 1.0, lam, phi)
    assert np.all(np.diff(a) > 0)
    assert growth.blowup_time(a0, delta, 1.0, lam, phi) == math.inf


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(a0=0.0), "a0"),
        (dict(a0=float("nan")), "a0"),
        (dict(delta=-0.1), "delta"),
        (dict(s=-1.0), "s must"),
        (dict(phi=float("nan")), "phi"),
        (dict(loss=-0.5), "loss"),
    ],
)
def test_bad_parameters(kwargs, message):
    p = dict(a0=1.0, delta=1.0, s=1.0, lam=1.0, phi=0.5) | kwargs
    with pytest.raises(ValueError, match=message):
        growth.closed_form(1.0, **p)
    with pytest.raises(ValueError, match=message):
        growth.blowup_time(**p)


def test_bad_times():
    with pytest.raises(ValueError, match="t must"):
        growth.closed_form(-1.0, 1, 1, 1, 1, 0.5)
    with pytest.raises(ValueError, match="increasing"):
        growth.integrate(lambda t, a: a, 1.0, [0.0, 0.0])
    with pytest.raises(ValueError, match="substeps"):
        growth.integrate(lambda t, a: a, 1.0, [0.0, 1.0], substeps=0)


# --- frictions -----------------------------------------------------------------------


def test_amdahl_limits_and_monotonicity():
    speed = np.logspace(0, 12, 50)
    s = growth.amdahl(0.9, speed)
    assert np.all(np.diff(s) > 0)
    assert s[-1] == pytest.approx(10, rel=1e-9)
    assert growth.amdahl(1.0, 7.0) == pytest.approx(7.0)
    assert growth.amdahl(0.0, 7.0) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="share"):
        growth.amdahl(1.5, 2.0)


def test_parallel_speedup_limits():
    n = np.arange(1, 2001, dtype=float)
    amdahl_like = growth.parallel_speedup(n, serial=0.05)
    assert amdahl_like[0] == 1.0
    assert np.all(np.diff(amdahl_like) > 0) and amdahl_like[-1] < 20
    usl = growth.parallel_speedup(n, serial=0.05, crosstalk=0.001)
    peak = n[np.argmax(usl)]
    assert abs(peak - math.sqrt(0.95 / 0.001)) <= 1
    assert usl[-1] < usl.max() / 2  # retrograde: more agents, less done
    assert np.allclose(growth.parallel_speedup(n), n)  # no friction: linear
    with pytest.raises(ValueError, match="agents"):
        growth.parallel_speedup(0.5)


@pytest.mark.parametrize("serial, crosstalk", [(0.05, 0.0005), (0.05, 0.001), (0.0, 0.01)])
def test_usl_peak_is_where_throughput_peaks(serial, crosstalk):
    peak = float(growth.usl_peak(serial=serial, crosstalk=crosstalk))
    assert peak == pytest.approx(math.sqrt((1 - serial) / crosstalk))
    n = np.linspace(1, 4 * peak, 200_001)
    best = n[np.argmax(growth.parallel_speedup(n, serial, crosstalk))]
    assert best == pytest.approx(peak, rel=1e-3)


def test_usl_peak_without_crosstalk_and_bad_input():
    assert np.isinf(growth.usl_peak(serial=0.05))
    assert np.all(np.isinf(growth.usl_peak(serial=np.array([0.0, 0.5]))))
    with pytest.raises(ValueError, match="serial"):
        growth.usl_peak(serial=1.5, crosstalk=0.001)
    with pytest.raises(ValueError, match="crosstalk"):
        growth.usl_peak(serial=0.05, crosstalk=-0.001)


def test_research_input_closed_and_open_loop():
    a = np.array([0.0, 1.0, 1e9])
    assert np.allclose(growth.research_input(a), 1 + a)
    open_loop = growth.research_input(a, automation=0.8)
    assert open_loop[0] == pytest.approx(1.0) and open_loop[-1] < 5.0


def test_simulate_matches_closed_form_when_effort_is_fixed():
    # automation = 0 means research input stays at `humans`: the plain model
    t = np.linspace(0, 30, 31)
    a = growth.simulate(t, phi=0.5, lam=0.7, humans=2.0, automation=0.0, substeps=20)
    exact = growth.closed_form(t, 1.0, 0.2, 2.0, 0.7, 0.5)
    assert np.max(np.abs(a / exact - 1)) < 1e-6


def test_simulate_matches_integrated_loop_rate():
    t = np.linspace(0, 20, 11)
    p = dict(phi=0.6, lam=0.5, loss=0.05, automation=0.9, agents=4, serial=0.1)
    a = growth.simulate(t, substeps=20, **p)
    ref = growth.integrate(lambda _, x: growth.loop_rate(x, **p), 1.0, t, substeps=20)
    assert np.allclose(a, ref, rtol=1e-12)


def test_more_loss_means_less_capability():
    t = np.linspace(0, 50, 51)
    a = growth.simulate(t, phi=0.5, loss=np.array([0.0, 0.05, 0.1, 0.2]))
    assert np.all(np.diff(a[-1]) < 0)


def test_classify_canonical_shapes():
    t = np.linspace(0, 100, 51)
    shapes = {
        "exponential": np.exp(0.1 * t),
        "slows": (1 + t) ** 2,
        "saturates": 10 / (1 + 9 * np.exp(-0.3 * t)),
        "declines": np.exp(-0.05 * t),
        "explodes": np.where(t < 90, 1 / (1 - t / 90.5), np.inf),
    }
    for name, a in shapes.items():
        assert growth.classify(t, a).item() == name


def test_regimes_in_the_loop():
    t = np.linspace(0, 200, 51)
    runs = {
        "explodes": dict(phi=0.8),
        "exponential": dict(phi=0.5),
        "slows": dict(phi=0.5, automation=0.9),
        "saturates": dict(phi=0.3, loss=0.1),
    }
    for name, p in runs.items():
        assert growth.regime_map(t, **p).item() == name


def test_accelerating_runs_with_a_ceiling_ahead_do_not_explode():
    # 90% automatable research: still accelerating at generation 200, but bounded (the
    # orange specks the regime map showed at these cells before the look-ahead)
    from lossylib.growth.experiments import LOOP, TIMES

    for phi, loss in ((0.775, 0.26), (0.8, 0.265), (0.825, 0.265)):
        p = dict(LOOP, phi=phi, loss=loss, automation=0.9)
        a = growth.simulate(TIMES, **p)
        assert growth.classify(TIMES, a).item() == "explodes"  # the horizon's reading
        assert np.isfinite(a[-1])
        assert growth.regime_map(TIMES, **p).item() == "saturates"
    # friction 0.1 A^1.5 against returns 1.475: a zero of dA/dt near A = 2^40
    p = dict(LOOP, phi=0.975, loss=0.1, loss_power=1.5)
    a_eq = 2.0**40
    assert growth.loop_rate(np.array(a_eq / 2), **p) > 0 > growth.loop_rate(np.array(2 * a_eq), **p)
    assert growth.regime_map(TIMES, **p).item() == "saturates"


def test_true_explosions_still_explode():
    from lossylib.growth.experiments import LOOP, TIMES

    for p in (dict(phi=0.8), dict(phi=0.8, loss=0.1), dict(phi=1.0, loss=0.1, loss_power=1.5),
              dict(phi=1.05, automation=0.9), dict(phi=0.55, loss=0.2)):  # fmt: skip
        assert growth.regime_map(TIMES, **LOOP, **p).item() == "explodes", p
    # a run stopped short of blowing up by the horizon, with nothing ahead to stop it
    t = np.linspace(0, 20, 51)
    a = growth.simulate(t, phi=0.7, lam=0.5)
    assert np.isfinite(a[-1])
    assert growth.loop_regimes(t, a, phi=0.7, lam=0.5).item() == "explodes"


def test_loop_regimes_slows_when_the_growth_rate_falls_ahead():
    # made-up runs read as "explodes"; the model's rate ahead decides
    t = np.linspace(0, 100, 51)
    a = np.exp(0.001 * t**2)
    assert growth.classify(t, a).item() == "explodes"
    # open loop, phi < 1: the growth rate falls for ever, with no zero ahead
    assert growth.loop_regimes(t, a, phi=0.5, automation=0.5).item() == "slows"
    assert growth.loop_regimes(t, a, phi=1.2).item() == "explodes"
    assert growth.loop_regimes(t, a, phi=0.3, loss=0.1).item() == "saturates"
    # phi + lam = 1 with a loss below delta: the rate falls towards delta - loss > 0
    assert growth.loop_regimes(t, a, phi=0.5, loss=0.1).item() == "slows"


def test_loop_regimes_bad_parameters():
    t = np.linspace(0, 100, 51)
    a = np.exp(0.001 * t**2)
    with pytest.raises(TypeError, match="unknown loop parameters: psi"):
        growth.loop_regimes(t, a, psi=0.5)
    with pytest.raises(ValueError, match="broadcast"):
        growth.loop_regimes(t, a, phi=np.array([0.5, 0.6]))


def _closed_loop_smallest_rate(a0, delta, lam, phi):
    """The closed form: g(A) = delta (1 + A)^lam A^(phi - 1) is smallest at
    max(a0, A*), A* = (1 - phi) / (phi + lam - 1), when phi < 1 < phi + lam."""
    a_star = (1 - phi) / (phi + lam - 1) if phi < 1 else 0.0
    a = max(a0, a_star)
    return delta * (1 + a) ** lam * a ** (phi - 1)


@pytest.mark.parametrize("a0", [0.5, 1.0, 3.0])
@pytest.mark.parametrize("lam", [0.3, 0.5, 1.0])
def test_smallest_growth_rate_matches_the_closed_form(a0, lam):
    phi = np.linspace(1.02 - lam, 1.5, 25)
    got = growth.smallest_growth_rate(a0, phi=phi, lam=lam, delta=0.2)
    want = [_closed_loop_smallest_rate(a0, 0.2, lam, f) for f in phi]
    np.testing.assert_allclose(got, want, rtol=1e-9)


def test_smallest_growth_rate_is_the_loss_that_stops_the_explosion():
    from lossylib.growth.experiments import LOOP, TIMES

    start = float(growth.loop_rate(np.array(1.0), **LOOP))  # the starting rate, 0.283
    phi = 0.575  # phi + lam = 1.075: the rate dips below the starting rate
    low = float(growth.smallest_growth_rate(phi=phi, **LOOP))
    assert low < 0.25 < start
    assert growth.regime_map(TIMES, phi=phi, loss=0.9 * low, **LOOP).item() == "explodes"
    a = np.geomspace(1, 1e150, 1501)  # just below it, dA/dt never reaches zero
    assert np.all(growth.loop_rate(a, phi=phi, loss=0.999 * low, **LOOP) > 0)
    assert growth.regime_map(TIMES, phi=phi, loss=0.25, **LOOP).item() != "explodes"
    assert growth.simulate(TIMES, phi=phi, loss=0.25, **LOOP)[-1] == pytest.approx(3, abs=0.2)
    # just above phi + lam = 1 it tends to delta; from 1 + lam / (1 + a0) on it is the start
    assert float(growth.smallest_growth_rate(phi=0.501, **LOOP)) == pytest.approx(0.2, abs=0.01)
    assert float(growth.smallest_growth_rate(phi=0.75, **LOOP)) == pytest.approx(start)
    # an open loop with phi < 1 falls for ever (towards 0 far out)
    assert float(growth.smallest_growth_rate(phi=0.9, automation=0.9)) < 1e-5


def test_sweep_shape_and_all_regimes():
    phi, loss = np.meshgrid(np.linspace(-0.5, 1.5, 30), np.linspace(0, 0.5, 20))
    m = growth.regime_map(np.linspace(0, 200, 51), phi=phi, loss=loss)
    assert m.shape == (20, 30)
    assert set(np.unique(m)) <= set(growth.REGIMES)
    assert {"explodes", "saturates", "declines"} <= set(np.unique(m))


# --- productivity --------------------------------------------------------------------


def test_productivity_arithmetic():
    assert productivity.decline_rate(18, 43) == pytest.approx(math.log(18) / 43)
    assert productivity.effort_multiple(productivity.decline_rate(18, 43), 43) == pytest.approx(18)
    assert productivity.doubling_time(0.05) == pytest.approx(13.86, abs=0.01)
    assert productivity.balanced_growth(0.5, 0.75, 0.02) == pytest.approx(0.04)
    with pytest.raises(ValueError, match="phi"):
        productivity.balanced_growth(1.0, 1.0, 0.02)
    with pytest.raises(ValueError, match="years"):
        productivity.decline_rate(18, 0)


def test_growth_rate_falls_with_constant_effort_and_settles_with_growing_effort():
    t = np.array([0.0, 50.0, 100.0, 2000.0])
    g = productivity.growth_rate(t, phi=0.5)
    assert np.all(np.diff(g) < 0)
    g2 = productivity.growth_rate(t, phi=0.5, s_growth=0.02)
    assert g2[-1] == pytest.approx(productivity.balanced_growth(1.0, 0.5, 0.02), rel=1e-3)


# --- search --------------------------------------------------------------------------


def test_expected_distinct_matches_simulation():
    p = search.idea_pool(500, zipf=1.0)
    sim = search.simulate_distinct(8, 50, p, trials=400, seed=1)
    expected = search.expected_distinct(400, p)
    se = sim.std(ddof=1) / math.sqrt(sim.size)
    assert abs(sim.mean() - expected) < 4 * se


def test_expected_distinct_limits():
    p = search.idea_pool(100, zipf=0.0)
    assert search.expected_distinct(0, p) == 0.0
    assert search.expected_distinct(1e6, p) == pytest.approx(100)
    d = search.expected_distinct(np.arange(1, 500), p)
    assert np.all(np.diff(d) > 0) and np.all(np.diff(d, 2) <= 1e-12)  # concave
    with pytest.raises(ValueError, match="probs"):
        search.expected_distinct(1, [0.5, 0.6])


def test_nk_landscape_smooth_has_one_peak_rugged_many():
    def local_peaks(f, n):
        states = np.arange(2**n)
        neighbours = states[:, None] ^ (1 << np.arange(n))
        return int(np.sum(np.all(f[:, None] > f[neighbours], axis=1)))

    smooth = search.nk_landscapes(10, 0, trials=1, seed=3)[0]
    rugged = search.nk_landscapes(10, 6, trials=1, seed=3)[0]
    assert local_peaks(smooth, 10) == 1
    assert local_peaks(rugged, 10) > 5


def test_search_is_seeded_and_monotone():
    f = search.nk_landscapes(10, 4, trials=5, seed=0)
    r1 = search.search(f, labs=4, budget=400, seed=3)
    r2 = search.search(f, labs=4, budget=400, seed=3)
    assert np.array_equal(r1.best, r2.best)
    assert np.all(np.diff(r1.best, axis=1) >= 0) and np.all(r1.best <= 1)
    with pytest.raises(ValueError, match="multiple"):
        search.search(f, labs=3, budget=400)
    with pytest.raises(ValueError, match="labs"):
        search.search(f, labs=0, budget=400)


def test_search_restart_never_triggered_is_the_plain_search():
    f = search.nk_landscapes(n=8, k=3, trials=4, seed=2)
    plain = search.search(f, labs=2, budget=64, seed=5)
    late = search.search(f, labs=2, budget=64, restart_after=1000, seed=5)
    np.testing.assert_array_equal(plain.best, late.best)


def test_search_with_restarts_keeps_the_best_ever_and_explores_more():
    f = search.nk_landscapes(n=10, k=6, trials=20, seed=4)
    r = search.search(f, labs=1, budget=1000, restart_after=20, seed=1)
    assert np.all(np.diff(r.best, axis=1) >= 0)
    assert np.all(r.best <= 1.0 + 1e-12)
    once = search.search(f, labs=1, budget=1000, seed=1)
    assert r.mean[-1] > once.mean[-1]
    with pytest.raises(ValueError, match="restart_after"):
        search.search(f, labs=1, budget=10, restart_after=0)


def test_loss_power_one_is_the_proportional_loss():
    from lossylib.growth import simulate

    t = np.linspace(0, 50, 26)
    np.testing.assert_allclose(
        simulate(t, phi=0.6, loss=0.05), simulate(t, phi=0.6, loss=0.05, loss_power=1.0)
    )
    # friction growing faster than A^(phi + lambda) caps a closed loop that would explode
    capped = simulate(t, phi=0.8, lam=0.5, loss=0.1, loss_power=1.5)
    assert np.all(np.isfinite(capped))
    assert capped[-1] < (2 * 0.2 / 0.1) ** (1 / 0.2)  # below the balance A^0.2 = 2^0.5*2
    with pytest.raises(ValueError, match="loss_power"):
        simulate(t, loss_power=-1.0)
