"""Figures and the explorable of the "Narrow targets" chapter (so its cells stay short).

Each function returns a matplotlib figure in the book's style (:mod:`lossylib.plots`);
captions and alt texts live in the chapter.

Examples
--------
>>> explore_description(0.9, 10, None).startswith("Left, a scatter of 10 candidates")
True
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib.ticker import FixedLocator, FuncFormatter

from lossylib import explore, plots

from ._validate import check_count, check_int, check_real, check_rho, show
from .gao import GaoCheck, gao_curve
from .holdout import null_expected_max, null_search
from .metrics import LearningCurve, exact_match, scaling_loss
from .research import VALIDATION, ResearchRuns
from .selection import BestOfN, _unit_t, expected_max_normal, gain_theory, n_grid

C = plots.COLORS


def _legend_above(ax):
    """The legend of ``ax`` in a strip above it, where no data runs (constrained layout
    makes room for it), in two compact columns of 9-point text."""
    return ax.legend(fontsize=9, ncol=2, loc="lower center", bbox_to_anchor=(0.5, 1.0),
                     borderaxespad=0.3, handlelength=1.5, columnspacing=1.0)  # fmt: skip


def _band(ax, x, mean, se, color, label, ls="-"):
    ax.plot(x, mean, color=color, lw=2, ls=ls, label=label)
    ax.fill_between(x, mean - 2 * se, mean + 2 * se, color=color, alpha=0.2, lw=0)


def selection_panels(runs: Mapping[str, Sequence[BestOfN]], rho: float, df: float, n_max: int):
    """Left: proxy and true gain with normal error (simulation dots, exact lines). Right:
    the true gain with normal and t error out to ``n_max`` (numerical theory). ``runs``
    holds a list of :class:`BestOfN` under ``"normal"`` and under ``"t"``."""
    if not isinstance(runs, Mapping) or not {"normal", "t"} <= set(runs):
        got = show(runs)
        raise ValueError(f"runs must map 'normal' and 't' to lists of runs, got {got}")
    fig, (a, b) = plots.figure(1, 2, figsize=(6.8, 3.4))
    ns = np.array([r.n for r in runs["normal"]])
    grid = n_grid(n_max)
    e = np.array([expected_max_normal(int(k)) for k in ns])
    a.plot(ns, e, color=C[1], lw=1.5, label="proxy gain, E[max]")
    a.plot(ns, rho * e, color=C[0], lw=1.5, label=f"true gain, {rho:g} E[max]")
    for key, color in (("proxy_mean", C[1]), ("true_mean", C[0])):
        se = "proxy_se" if key == "proxy_mean" else "true_se"
        a.errorbar(ns, [getattr(r, key) for r in runs["normal"]],
                   yerr=[2 * getattr(r, se) for r in runs["normal"]], fmt="o", ms=4,
                   color=color)  # fmt: skip
    a.set_xscale("log")
    a.set_xlabel("candidates n (best picked by the proxy)")
    a.set_ylabel("gain (standard deviations)")
    a.legend(fontsize=8, loc="upper left")
    b.plot(grid, [gain_theory(int(k), rho)[0] for k in grid], color=C[0], lw=2,
           label="normal error")  # fmt: skip
    b.plot(grid, [gain_theory(int(k), rho, "t", df)[0] for k in grid], color=C[3], lw=2,
           label=f"t({df:g}) error")  # fmt: skip
    b.errorbar(ns, [r.true_mean for r in runs["t"]], yerr=[2 * r.true_se for r in runs["t"]],
               fmt="o", ms=4, color=C[3], label="simulation")  # fmt: skip
    b.set_xscale("log")
    b.set_ylim(bottom=0)
    b.set_xlabel("candidates n")
    b.set_ylabel("true gain (standard deviations)")
    b.legend(fontsize=8, loc="upper left")
    return fig


def gao_panel(checks: Mapping[str, GaoCheck]):
    """True gain against d = sqrt(KL), with Gao's form fitted on the small n (solid part
    of the dashed line) and extrapolated. ``checks`` maps labels to at least one
    :class:`GaoCheck`."""
    if not isinstance(checks, Mapping) or not checks:
        got = show(checks)
        raise ValueError(f"checks must map labels to at least one GaoCheck, got {got}")
    fig, ax = plots.figure(figsize=(6.4, 3.6))
    lowest = 0.0  # the deepest plunge of an extrapolation: the axis shows all of it
    for (label, c), color in zip(checks.items(), (C[0], C[2], C[3]), strict=False):
        ax.plot(c.d, c.gold, "o", ms=4, color=color, label=label)
        dd = np.linspace(0, c.d.max(), 200)
        ax.plot(dd, c.fit(dd), "--", color=color, lw=1.2)
        lowest = min(lowest, float(c.fit(dd).min()))
        fitted = dd <= gao_curve(np.array([c.fit_max]))[0]
        ax.plot(dd[fitted], c.fit(dd[fitted]), "-", color=color, lw=2)
        fit_max = c.fit_max
    ax.axvline(gao_curve(np.array([fit_max]))[0], color="0.5", lw=1, ls=":")
    ax.set_ylim(min(-0.5, lowest - 0.1), None)
    ax.set_xlabel("d = sqrt(KL) of best-of-n")
    ax.set_ylabel("true gain")
    ax.plot([], [], "k--", lw=1.2, label="d(α − β d), fitted left of the dotted line")
    # above the axes: inside, the dotted line would cut through the legend's last entry
    _legend_above(ax)
    return fig


def search_panels(
    runs: Mapping[str, ResearchRuns], accuracy: float | None = None, size: int | None = None
):
    """Left: the incumbent's validation and test accuracy against attempts (bands: 2 SE).
    Middle: how much more the validation score has risen than the test score, paired
    within each search (bands: 2 SE), which the levels' bands hide. Right: the null
    model, where every candidate is equally good at ``accuracy`` (by default the first
    run's final test accuracy) on ``size`` validation digits (by default all of them):
    exact line, simulated dots with 2-SE bars. ``runs`` maps labels to at least one
    :class:`ResearchRuns`."""
    if not isinstance(runs, Mapping) or not runs:
        got = show(runs)
        raise ValueError(f"runs must map labels to ResearchRuns, got {got}")
    first = next(iter(runs.values()))
    accuracy = float(first.test[-1]) if accuracy is None else accuracy
    size = VALIDATION if size is None else size
    fig, (a, m, b) = plots.figure(1, 3, figsize=(6.8, 3.2))
    for (label, r), color in zip(runs.items(), (C[0], C[2]), strict=False):
        x = np.arange(1, r.validation.size + 1)
        _band(a, x, 100 * r.validation, 100 * r.validation_se, color, f"{label}: validation")
        _band(a, x, 100 * r.test, 100 * r.test_se, color, f"{label}: test", ls="--")
        _band(m, x, 100 * r.excess, 100 * r.excess_se, color, label)
    a.set_xscale("log")
    a.set_xlabel("attempts")
    a.set_ylabel("accuracy of the incumbent (%)")
    m.axhline(0, color="0.4", lw=1)
    m.set_xscale("log")
    m.set_xlabel("attempts")
    m.set_ylabel("excess (points)")
    k = np.arange(1, 101)
    b.plot(k, [100 * null_expected_max(int(j), accuracy, size) for j in k], color=C[1], lw=2,
           label="best score (exact)")  # fmt: skip
    sim, se = null_search(int(k[-1]), 2000, accuracy, size, seed=17)
    pick = np.array([1, 2, 5, 10, 20, 50, 100]) - 1
    b.errorbar(k[pick], 100 * sim[pick], yerr=200 * se[pick], fmt="o", ms=4, color=C[1],
               label="simulation")  # fmt: skip
    b.axhline(100 * accuracy, color="0.4", ls="--", lw=1.5, label="true accuracy")
    b.set_xscale("log")
    b.set_xlabel("attempts (all equal)")
    b.set_ylabel("accuracy (%)")
    b.legend(fontsize=8, loc="lower right", bbox_to_anchor=(1.0, 0.06), handlelength=1.2)
    # the searches' legend above the panels: inside, the curves run through it
    fig.legend(*a.get_legend_handles_labels(), loc="outside upper center", ncol=2,
               fontsize=8, handlelength=1.5, columnspacing=1.2)  # fmt: skip
    return fig


def emergence_panels(compute: np.ndarray, ks: Sequence[int]):
    """Left: the smooth per-token loss. Right: exact match on k-token answers, p^k."""
    fig, (a, b) = plots.figure(1, 2, figsize=(6.8, 3.0))
    loss = scaling_loss(compute)
    a.plot(compute, loss, color=C[0], lw=2)
    a.set_xscale("log")
    a.set_yscale("log")
    a.set_xlabel("training compute (FLOP)")
    a.set_ylabel("per-token loss (nats)")
    for k, color in zip(ks, C[1:], strict=False):
        b.plot(compute, 100 * exact_match(loss, k), color=color, lw=2, label=f"k = {k}")
    b.set_xscale("log")
    b.set_xlabel("training compute (FLOP)")
    b.set_ylabel("exact match (%)")
    # in one row above the axes: inside, at this width, the k = 1 curve runs through it
    b.legend(fontsize=8, ncol=len(ks), loc="lower center", bbox_to_anchor=(0.5, 1.0),
             borderaxespad=0.3, handlelength=1.2, columnspacing=0.8)  # fmt: skip
    return fig


def digits_panels(lc: LearningCurve, k: int, seed: int = 19, fit: int = 4):
    """Left: test loss of the digits classifier against training size, from its own
    softmax and calibrated. Right: accuracy, measured exact match on k digits, and its
    predictions from accuracy, from a map of the calibrated loss fitted on the first
    ``fit`` sizes (:meth:`LearningCurve.error_from_loss_fit`), and from exp(-k x loss)."""
    fig, (a, b) = plots.figure(1, 2, figsize=(6.8, 3.0))
    _band(a, lc.sizes, lc.loss, lc.loss_se, C[0], "own softmax")
    _band(a, lc.sizes, lc.calibrated, lc.calibrated_se, C[3], "calibrated", ls="--")
    a.set_xscale("log")
    a.set_yscale("log")
    a.set_xlabel("training digits")
    a.set_ylabel("test log loss per digit (nats)")
    a.legend(fontsize=8, loc="upper right", handlelength=1.5)  # both curves fall away
    em, se = lc.exact_match(k, seed=seed)
    _, _, mapped = lc.error_from_loss_fit(fit)
    _band(b, lc.sizes, 100 * lc.accuracy, 100 * lc.accuracy_se, C[2], "accuracy per digit")
    _band(b, lc.sizes, 100 * em, 100 * se, C[1], f"exact match, {k} digits (measured)")
    b.plot(lc.sizes, 100 * lc.accuracy**k, "o", color=C[1], ms=5,
           label=f"predicted: accuracy^{k}")  # fmt: skip
    b.plot(lc.sizes, 100 * (1 - mapped) ** k, "^", color=C[4], ms=5, mfc="none",
           label=f"predicted: fitted map of the loss, ^{k}")  # fmt: skip
    b.plot(lc.sizes, 100 * np.exp(-k * lc.calibrated), "s--", color=C[6], ms=4, lw=1,
           label=f"predicted: exp(-{k} x loss)")  # fmt: skip
    b.axvline(lc.sizes[fit - 1], color="0.5", lw=1, ls=":")
    b.set_xscale("log")
    b.set_xlabel("training digits")
    b.set_ylabel("score (%)")
    # above both panels, where it has the width for two columns: inside, the accuracy
    # curve and its band would run through it
    fig.legend(*b.get_legend_handles_labels(), loc="outside upper center", ncol=2,
               fontsize=9, handlelength=1.5, columnspacing=1.5)  # fmt: skip
    return fig


def shift_panel(lc: LearningCurve, fit: int = 4) -> Figure:
    """Left: the error rate against training digits on the test digits as they are and
    moved by each of ``lc.shifts`` pixels, with the forecast of a map from the
    calibrated loss (fitted on the first ``fit`` sizes, as they are). Right: over the
    last doubling, the calibrated loss's relative fall beside each error rate's, with
    2-SE bars (the loss is measured on the digits as they are throughout).

    Examples
    --------
    >>> from lossylib.proxy.metrics import learning_curve
    >>> fig = shift_panel(learning_curve(2, (1.0,)))
    """
    if not isinstance(lc, LearningCurve) or lc.shifts.size == 0:
        got = type(lc).__name__ if not isinstance(lc, LearningCurve) else "no shifts"
        raise ValueError(f"lc must be a LearningCurve with shifted test digits, got {got}")
    fig, (a, b) = plots.figure(1, 2, figsize=(6.8, 3.2))
    shifts = [0.0, *lc.shifts.tolist()]
    colors = (C[2], C[1], C[4], C[5], C[3], C[6], C[0])
    for shift, color in zip(shifts, colors, strict=False):
        error = lc.error_rate if shift == 0 else lc.shifted_error_rate(shift)
        se = lc.accuracy_se if shift == 0 else lc.shifted_error_se(shift)
        label = "as they are" if shift == 0 else f"moved {shift:g} px"
        _band(a, lc.sizes, 100 * error, 100 * se, color, label)
    _, _, mapped = lc.error_from_loss_fit(fit)
    a.plot(lc.sizes, 100 * mapped, "k--", lw=1.2, label="forecast from the loss")
    a.axvline(lc.sizes[fit - 1], color="0.5", lw=1, ls=":")
    a.set_xscale("log")
    a.set_yscale("log")
    # plain percentages on the log axis, not powers of ten
    a.yaxis.set_major_locator(FixedLocator([2, 5, 10, 20, 50, 100]))
    a.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    a.yaxis.set_minor_formatter(FuncFormatter(lambda v, _: ""))
    a.set_xlabel("training digits")
    a.set_ylabel("error rate (%)")
    f0 = lc.falls()
    x = np.arange(len(shifts) + 1)
    heights = [100 * f0["loss"][-1]]
    bars = [200 * f0["loss_se"][-1]]
    for shift in shifts:
        f = f0 if shift == 0 else lc.falls(shift=shift)
        heights.append(100 * f["error"][-1])
        bars.append(200 * f["error_se"][-1])
    b.bar(x, heights, yerr=bars, capsize=2, color=["0.45", *colors[: len(shifts)]])
    b.set_xticks(x, ["loss", *(f"{s:g}" for s in shifts)])
    b.set_xlabel("loss, then errors at each move (px)")
    b.set_ylabel(f"fall, {lc.sizes[-2]} → {lc.sizes[-1]} digits (%)")
    b.set_axisbelow(True)
    fig.legend(*a.get_legend_handles_labels(), loc="outside upper center", ncol=3,
               fontsize=8, handlelength=1.5, columnspacing=1.2)  # fmt: skip
    return fig


def falls_panel(lc: LearningCurve) -> Figure:
    """How much each doubling of the training digits cut the calibrated loss, the error
    rate and the raw softmax's loss (relative falls, in %), side by side, with 2-SE bars
    (jackknife over splits, :meth:`~lossylib.proxy.metrics.LearningCurve.falls`): the
    comparison claim 19 turns on, at every step and not only the last.

    Examples
    --------
    >>> from lossylib.proxy.metrics import learning_curve
    >>> fig = falls_panel(learning_curve(2))
    """
    if not isinstance(lc, LearningCurve):
        raise ValueError(f"lc must be a LearningCurve, got {type(lc).__name__}")
    calibrated, raw = lc.falls(), lc.falls(calibrated=False)
    bars = (
        ("calibrated loss", calibrated["loss"], calibrated["loss_se"], C[3]),
        ("error rate", calibrated["error"], calibrated["error_se"], C[2]),
        ("own softmax's loss", raw["loss"], raw["loss_se"], C[0]),
    )
    fig, ax = plots.figure(figsize=(6.4, 3.0))
    x = np.arange(lc.sizes.size - 1)
    for j, (label, fall, se, color) in enumerate(bars):
        ax.bar(x + (j - 1) * 0.27, 100 * fall, width=0.27, color=color, label=label,
               yerr=200 * se, capsize=2, alpha=0.55 if j == 2 else 1.0)  # fmt: skip
    ax.set_xticks(x, [f"{a} → {b}" for a, b in zip(lc.sizes[:-1], lc.sizes[1:], strict=True)])
    ax.set_xlabel("training digits (each step about doubles them)")
    ax.set_ylabel("fall over the step (%)")
    ax.set_axisbelow(True)  # grid lines behind the bars
    _legend_above(ax)
    return fig


#: The explorable's settings: correlations, candidates, tails (None: normal error).
EXPLORE_RHOS = (0.3, 0.6, 0.9)
EXPLORE_NS = (10, 100, 10000)
EXPLORE_TAILS = (None, 3.0)
#: The largest n of the explorable's curves (and of a frame), and of one sample.
EXPLORE_N_MAX = 10**5
SAMPLE_MAX = 10_000_000


def _check_frame(rho: object, n: object, tail: object) -> tuple:
    """One frame's setting: rho in [-1, 1], n from 1 to :data:`EXPLORE_N_MAX`, and a
    tail that is ``None`` (normal error) or a t's degrees of freedom > 2."""
    rho = check_rho(rho)
    n = check_count(n, "n", 1, EXPLORE_N_MAX)
    tail = None if tail is None else check_real(tail, "tail", low=2.0, low_open=True)
    return rho, n, tail


@functools.cache
def _explore_curve(rho: float, df: float | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    grid = n_grid(10**5)
    err = "normal" if df is None else "t"
    gains = np.array([gain_theory(int(k), rho, err, df) for k in grid])
    return grid, gains[:, 0], gains[:, 1]


def explore_sample(rho: float, n: int, df: float | None, seed: int = 0):
    """One seeded draw of n candidates: (true values, proxies).

    ``rho`` in [-1, 1], ``n`` from 1 to :data:`SAMPLE_MAX`, ``df`` ``None`` (normal
    error) or > 2, ``seed`` an integer >= 0.
    """
    rho = check_rho(rho)
    n = check_count(n, "n", 1, SAMPLE_MAX)
    df = None if df is None else check_real(df, "df", low=2.0, low_open=True)
    seed = check_int(seed, "seed", 0)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n)
    e = rng.standard_normal(n) if df is None else rng.standard_t(df, n) * _unit_t(df)
    return x, rho * x + np.sqrt(1 - rho * rho) * e


def cloud_marker_size(n: int) -> float:
    """The area (points^2) of each candidate's dot in the explorable's scatter of ``n``:
    large for a few candidates, shrinking as they crowd.

    Examples
    --------
    >>> cloud_marker_size(10), cloud_marker_size(1000), cloud_marker_size(10_000)
    (40.0, 12.6, 4.0)
    """
    return round(float(np.clip(400 / math.sqrt(n), 4.0, 40.0)), 1)


class ExploreCanvas:
    """One figure whose artists are updated for every frame of the explorable (no
    clearing, no layout engine: a frame costs a redraw only)."""

    def __init__(self) -> None:
        plots.use_book_style()
        # fixed margins and no layout engine: no layout pass per frame
        # (a placeholder engine: with none at all, saving would fall back to the book
        # style's constrained layout)
        self.fig = Figure(figsize=(6.8, 3.0))  # shown at its own size: 653 px
        self.fig.set_layout_engine(PlaceHolderLayoutEngine(True, True))
        margins = {"left": 0.09, "right": 0.98, "bottom": 0.16, "top": 0.88, "wspace": 0.28}
        a, b = self.a, self.b = self.fig.subplots(1, 2, gridspec_kw=margins)
        self.cloud = a.scatter([], [], s=4, color=C[5], alpha=0.5, lw=0)
        self.picked = a.scatter([], [], s=60, color=C[1], zorder=3, label="picked by proxy")
        self.truly = a.scatter([], [], s=80, marker="*", color=C[2], zorder=3,
                               label="truly best")  # fmt: skip
        a.set_xlabel("proxy P (what is measured)")
        a.set_ylabel("true value X")
        # legends above the panels: the cloud, the picks and the n marker move per frame
        above = {"loc": "lower center", "bbox_to_anchor": (0.5, 1.0), "ncol": 2, "fontsize": 8}
        a.legend(**above)
        (self.proxy_line,) = b.plot([], [], color=C[1], lw=1.5, label="proxy gain")
        (self.true_line,) = b.plot([], [], color=C[0], lw=2, label="true gain")
        b.set_xlim(1, 10**5)
        b.set_xscale("log")
        self.marker = b.axvline(10, color="0.5", ls=":", lw=1)
        b.set_ylim(0, 6)
        # plain tick labels: log axes default to mathtext, whose parsing dominates a frame
        b.xaxis.set_major_locator(FixedLocator([1, 10, 100, 1000, 10000]))
        b.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        b.xaxis.set_minor_locator(FixedLocator([]))
        b.set_xlabel("candidates n")
        b.set_ylabel("mean gain (sd)")
        b.legend(**above)

    def draw(self, rho: float, n: int, tail: float | None):
        """Update the figure to the setting (see :func:`explore_description` for the
        values allowed) and return it."""
        rho, n, tail = _check_frame(rho, n, tail)
        x, p = explore_sample(rho, n, tail)
        best, top = int(np.argmax(p)), int(np.argmax(x))
        self.cloud.set_offsets(np.column_stack([p, x]))
        # a few candidates drawn large enough to see, a crowd small enough to read
        self.cloud.set_sizes([cloud_marker_size(n)])
        self.cloud.set_alpha(0.9 if n <= 100 else 0.5)
        self.picked.set_offsets([[p[best], x[best]]])
        self.truly.set_offsets([[p[top], x[top]]])
        pad = 0.05 * (p.max() - p.min()) or 0.5  # one candidate: still a proper range
        self.a.set_xlim(p.min() - pad, p.max() + pad)
        self.a.set_ylim(-4.5, 4.5)
        grid, true, proxy = _explore_curve(rho, tail)
        self.proxy_line.set_data(grid, proxy)
        self.true_line.set_data(grid, true)
        self.marker.set_xdata([n, n])
        return self.fig

    def png(self, rho: float, n: int, tail: float | None, dpi: int | None = None) -> bytes:
        self.draw(rho, n, tail)
        return explore.chart_png(self.fig, dpi=dpi)


def explore_controls() -> list[explore.Control]:
    """The explorable's controls: the error tail (a drop-down) first, then the sliders.

    A reader picks the case first (which error tail) and then explores it with the
    sliders; every control changes the frame at every setting of the others.
    """
    return [
        explore.Choice("tail", "error tail", EXPLORE_TAILS, labels=["normal", "t(3), heavy"]),
        explore.Slider("rho", "proxy correlation rho", EXPLORE_RHOS),
        explore.Slider("n", "candidates n", EXPLORE_NS),
    ]


def explore_frames(canvas: ExploreCanvas | None = None) -> dict[tuple, bytes]:
    """Every frame of the explorable, keyed ``(tail, rho, n)`` like :func:`explore_controls`."""
    canvas = canvas or ExploreCanvas()
    return {
        (t, r, n): canvas.png(r, n, t)
        for t in EXPLORE_TAILS
        for r in EXPLORE_RHOS
        for n in EXPLORE_NS
    }


def explore_description(rho: float, n: int, tail: float | None) -> str:
    """Alt text for one frame, in words and the frame's own numbers.

    ``rho`` in [-1, 1], ``n`` one of the curves' grid (1, 2, 5, 10, ... up to
    :data:`EXPLORE_N_MAX`), ``tail`` ``None`` (normal error) or a t's degrees of
    freedom > 2.
    """
    rho, n, tail = _check_frame(rho, n, tail)
    grid, true, proxy = _explore_curve(rho, tail)
    i = int(np.searchsorted(grid, n))
    if grid[i] != n:
        grid_text = f"1, 2, 5, 10, ..., {EXPLORE_N_MAX}"
        raise ValueError(f"n must be on the grid {grid_text}, got {n}")
    err = "normal error" if tail is None else f"t error with {tail:g} degrees of freedom"
    shape = "keeps rising" if np.all(np.diff(true) > 0) else "rises, peaks and falls"
    return (
        f"Left, a scatter of {n} candidates, true value against proxy, with proxy "
        f"correlation {rho:g} and {err}; the one picked by the proxy is marked. Right, "
        f"mean gains against n: the true gain {shape}, and at n = {n} it is "
        f"{true[i]:.2f} against a proxy gain of {proxy[i]:.2f}."
    )
