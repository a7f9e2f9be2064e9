"""Figures of the conclusion (and the book's headline figure), in the book's style.

Each function draws one figure from the cached experiments of
:mod:`lossylib.trends.experiments` and returns it; captions and alt texts live in the
chapter's cell metadata.

Examples
--------
>>> years, values = explore_data("specint")
>>> bool(len(years) == len(values) > 10)
True
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure

from lossylib import explore, plots
from lossylib.checks import check_real
from lossylib.trends import experiments as ex
from lossylib.trends.data import SERIES, _check_name, load_series
from lossylib.trends.fits import fit_exponential, fit_logistic
from lossylib.trends.prefix import CLEAR_AIC

C = plots.COLORS
#: Colours and markers of the series (the count, then what users feel).
STYLE = {
    "transistors": (C[0], "o"),
    "specint": (C[1], "s"),
    "frequency": (C[2], "^"),
    "watts": (C[3], "v"),
    "cores": (C[4], "D"),
}


#: The widest figure :func:`headline` draws (inches).
MAX_WIDTH = 40.0


def _check_names(names: object, what: str) -> list[str]:
    """Series names as a non-empty list, or a one-line error naming ``what``."""
    if isinstance(names, str) or np.ndim(names) != 1:
        kind = type(names).__name__
        raise TypeError(f"{what} must be a sequence of series names, got {kind}")
    if len(names) == 0:
        raise ValueError(f"{what} must name at least one series, got {names!r}")
    return [_check_name(n) for n in names]


def _label(name: str) -> str:
    what, unit = SERIES[name][1], SERIES[name][2]
    return f"{what} ({unit})"


def headline(series: Sequence[str] = ("transistors", "specint", "frequency"), width=6.4):
    """Log-scale series with the single-thread break and its interval: the count kept
    compounding while what users felt bent."""
    series = _check_names(series, "series")
    check_real(width, "width", low=0.0, high=MAX_WIDTH, low_open=True)
    fig, ax = plots.figure(figsize=(width, width * 0.56))
    b = ex.breaks()["specint"]
    ax.axvspan(b.year_low, b.year_high, color="0.85", zorder=0)
    ax.axvline(b.year, color="0.4", lw=1, ls="--", zorder=1)
    for name in series:
        years, values = load_series(name)
        color, marker = STYLE[name]
        ax.scatter(years, values, s=9, color=color, marker=marker, label=_label(name), alpha=0.8)
        for start, end in ex.ERAS:
            keep = (years >= start) & (years < end)
            f = fit_exponential(years[keep], values[keep])
            t = np.array([max(start, years[keep].min()), min(end, years[keep].max())])
            ax.plot(t, np.exp(f.log_predict(t)), color=color, lw=2)
    ax.set_yscale("log")
    ax.set_xlabel("year")
    ax.set_ylabel("value (log scale)")
    # right of the interval's band, where the series are still far below the top
    ax.annotate(
        f"break {b.year:.1f}", xy=(b.year_high, 1), xycoords=("data", "axes fraction"),
        xytext=(4, -4), textcoords="offset points", ha="left", va="top", fontsize=9,
    )  # fmt: skip
    ax.legend(fontsize=8, loc="upper left")
    return fig


def growth_by_era(names: Sequence[str] = tuple(SERIES)):
    """Annual growth of each series before and after 2005, with 95% intervals."""
    names = _check_names(names, "names")
    fig, ax = plots.figure(figsize=(6.4, 3.2))
    eras = ex.eras()
    x = np.arange(len(names))
    for j, ((start, end), offset) in enumerate(zip(ex.ERAS, (-0.17, 0.17), strict=True)):
        g = [eras[n][j] for n in names]
        rate = np.array([100 * e.rate for e in g])
        err = np.array([[100 * (e.rate - e.low) for e in g], [100 * (e.high - e.rate) for e in g]])
        label = f"before {end}" if j == 0 else f"{start}-{end - 1}"
        ax.bar(x + offset, rate, width=0.32, color=C[5] if j == 0 else C[1],
               label=label, yerr=err, capsize=3)  # fmt: skip
    ax.axhline(0, color="0.3", lw=0.8)
    ax.set_axisbelow(True)  # grid lines behind the bars
    ax.set_xticks(x, [SERIES[n][1].replace(" ", "\n", 1) for n in names], fontsize=8)
    ax.set_ylabel("growth (% a year)")
    ax.legend(fontsize=8)
    return fig


def synthetic_prefixes():
    """The known S-curve: the fitted ceiling's spread and how often the logistic wins,
    against the prefix's end."""
    fig, (a, b) = plots.figure(1, 2, figsize=(6.8, 3.0))
    arr = ex.synthetic_arrays()
    ends = np.array(ex.SYNTH_ENDS)
    k = arr["log_ceiling"] / np.log(10)
    lo, mid, hi = np.percentile(k, [10, 50, 90], axis=0)
    a.fill_between(ends, lo, hi, color=C[0], alpha=0.25, label="10th-90th percentile")
    a.plot(ends, mid, color=C[0], marker="o", label="median fit")
    a.axhline(ex.CURVE.log_ceiling / np.log(10), color="0.2", ls="--", lw=1, label="true")
    a.set_ylabel("fitted ceiling (log10)")
    a.legend(fontsize=8)
    low = min(ex.THRESHOLDS)
    for threshold, style in ((CLEAR_AIC, "-"), (low, "--")):
        share = 100 * (arr["delta_aic"] > threshold).mean(axis=0)
        b.plot(ends, share, style, color=C[1], marker="s", ms=4, label=f"AIC by > {threshold:g}")
    b.set_ylabel("samples where the S-curve\nclearly fits better (%)")
    b.set_ylim(-3, 103)
    for ax in (a, b):
        bottom = {"color": "0.92", "lw": 0, "zorder": 0, "label": "bottom of the S"}
        ax.axvspan(ends.min(), ex.early_end(), **bottom)  # under the data
        ax.axvline(ex.CURVE.midpoint, color="0.4", lw=1, ls=":")
        ax.set_xlabel("end of the data seen (year)")
    b.legend(fontsize=8, loc="lower right")
    a.annotate("inflection", xy=(ex.CURVE.midpoint, 0.02), xycoords=("data", "axes fraction"),
               xytext=(3, 0), textcoords="offset points", fontsize=8)  # fmt: skip
    return fig


def real_prefixes(ends: Sequence[float] = (2000.0, 2005.0, 2010.0)):
    """Single-thread performance: forecasts from prefixes (three ``ends``, each
    leaving at least four points before it), and which curve the data prefer as they
    accumulate."""
    years, values = load_series("specint")
    if isinstance(ends, str) or np.ndim(ends) != 1:
        raise TypeError(f"ends must be three years, got {type(ends).__name__}")
    if len(ends) != 3:
        raise ValueError(f"ends must be three years, got {len(ends)}")
    for end in ends:
        check_real(end, "end")
        if np.sum(years < end) < 4:
            raise ValueError(f"ends must leave at least 4 points each, got {end}")
    fig, (a, b) = plots.figure(1, 2, figsize=(6.8, 3.0))
    a.scatter(years, values, s=8, color="0.5", label="data")
    t = np.linspace(years.min(), ex.REAL_HORIZON, 200)
    for end, color in zip(ends, (C[0], C[2], C[3]), strict=True):
        keep = years < end
        e, g = fit_exponential(years[keep], values[keep]), fit_logistic(years[keep], values[keep])
        a.plot(t, np.exp(e.log_predict(t)), color=color, ls="--", lw=1.2)
        a.plot(t, np.exp(g.log_predict(t)), color=color, lw=1.8, label=f"data to {end:.0f}")
    a.set_yscale("log")
    a.set_ylim(values.min() / 2, values.max() * 30)
    a.set_xlabel("year")
    a.set_ylabel(_label("specint").replace(" (", "\n("))
    a.plot([], [], color="0.3", lw=1.8, label="S-curve")
    a.plot([], [], color="0.3", ls="--", lw=1.2, label="exponential")
    a.legend(fontsize=8, loc="upper left")
    s = ex.real_prefix()
    brk = ex.breaks()["specint"]
    b.axvspan(brk.year_low, brk.year_high, color="0.85")
    b.plot(s.ends, s.delta_aic, color=C[1], marker="o", ms=3)
    b.axhline(CLEAR_AIC, color="0.3", ls="--", lw=1)
    b.set_xlabel("end of the data seen (year)")
    b.set_ylabel("AIC advantage of the S-curve")
    return fig


_REGIME_NAMES = {
    "explodes": ("explodes", C[1]),
    "exponential": ("exponential", C[4]),
    "slows": ("slows (a power of time)", C[0]),
    "saturates": ("saturates", C[2]),
    "declines": ("declines", C[6]),
}


def loop_regimes(
    inputs: Mapping,
    automation: Sequence[float],
    horizons: Sequence[float],
    by_horizon: np.ndarray,
):
    """The toy loop's regime at the inputs' central values, one equal-height row per
    automation level: left, over returns (phi) at 200 generations, with the measured
    range of phi; right, over longer ``horizons`` at the measured phi (``by_horizon``,
    one row per horizon and one column per automation level, as from
    :func:`lossylib.trends.loop.regimes_by_horizon`)."""
    from matplotlib.colors import ListedColormap

    from lossylib.trends.loop import _check_inputs, _check_shares, central_regimes

    _check_inputs(inputs)
    if "phi" not in inputs:
        raise ValueError(f"inputs must include 'phi', got {sorted(inputs)}")
    automation = _check_shares(automation)
    if isinstance(horizons, str) or np.ndim(horizons) != 1 or len(horizons) == 0:
        raise TypeError(f"horizons must be a sequence of generations, got {horizons!r}")
    by_horizon = np.asarray(by_horizon)
    if by_horizon.shape != (len(horizons), automation.size):
        raise ValueError(
            f"by_horizon must have one row per horizon and one column per automation "
            f"level, shape {(len(horizons), automation.size)}, got {by_horizon.shape}"
        )
    order = list(_REGIME_NAMES)
    unknown = set(by_horizon.ravel().tolist()) - set(order)
    if unknown:
        raise ValueError(f"by_horizon holds unknown regimes {sorted(unknown)}")
    fig, (a, b) = plots.figure(1, 2, figsize=(6.8, 3.3), width_ratios=(1.5, 1))
    phis = np.linspace(0.0, 1.2, 49)
    grid = np.empty((automation.size, phis.size), dtype="<U11")
    base = dict(inputs)
    for j, phi in enumerate(phis):
        base["phi"] = type(inputs["phi"])(phi, phi, phi, "grid")
        grid[:, j] = central_regimes(base, automation)
    cmap = ListedColormap([_REGIME_NAMES[r][1] for r in order])
    rows = np.arange(automation.size)
    names = [f"{v:.0%}" for v in automation]
    codes = np.vectorize(order.index)(grid)
    a.pcolormesh(phis, rows, codes, cmap=cmap, vmin=-0.5, vmax=len(order) - 0.5,
                 shading="nearest")  # fmt: skip
    phi = inputs["phi"]
    a.axvspan(phi.low, phi.high, color="white", alpha=0.6)
    a.axvline(phi.value, color="white", lw=2)
    a.annotate("measured", xy=(phi.value, -0.25), xytext=(-4, 0), textcoords="offset points",
               ha="right", fontsize=8, color="white")  # fmt: skip
    a.set_xlabel("returns to what is known (φ)")
    a.set_ylabel("automation")
    a.set_yticks(rows, names, fontsize=8)
    a.set_title(f"over {horizons[0]:.0f} generations", fontsize=9)
    a.grid(False)
    codes = np.vectorize(order.index)(by_horizon.T)
    cols = np.arange(len(horizons))
    b.pcolormesh(cols, rows, codes, cmap=cmap, vmin=-0.5, vmax=len(order) - 0.5,
                 shading="nearest", edgecolors="white", linewidth=1.5)  # fmt: skip
    b.set_xticks(cols, [f"{h:,.0f}" for h in horizons], fontsize=8)
    b.set_yticks(rows, names, fontsize=8)
    b.set_xlabel("horizon (generations)")
    b.set_title("at the measured φ", fontsize=9)
    b.grid(False)
    # one key for both panels, in a row above them
    from matplotlib.patches import Patch

    shown = [r for r in order if r in set(grid.ravel()) | set(by_horizon.ravel())]
    handles = [Patch(color=_REGIME_NAMES[r][1], label=_REGIME_NAMES[r][0]) for r in shown]
    fig.legend(handles=handles, fontsize=8, loc="outside upper center", ncol=len(handles))
    return fig


# ---------------------------------------------------------------- the explorable

#: The explorable's prefix ends (years of the single-thread series) and models.
EXPLORE_ENDS = (1998, 2002, 2005, 2008, 2012, 2022)  # years, shown as such on the slider
MODELS = ("exponential", "logistic", "both")


def explore_data(series: str) -> tuple[np.ndarray, np.ndarray]:
    """The points of one explorable series (the synthetic one is seeded)."""
    if series == "synthetic":
        return ex.CURVE.years(), ex.CURVE.sample(1700)
    return load_series(series)


def _check_model(model: object) -> None:
    if model not in MODELS:
        raise ValueError(f"unknown model {model!r}; choose one of {', '.join(MODELS)}")


@functools.cache
def explore_fits(series: str, end: float):
    """Both fits to the prefix ``year < end`` of an explorable series (cached); ``end``
    must leave at least four points before it."""
    t, v = explore_data(series)
    check_real(end, "end")
    keep = t < end
    if keep.sum() < 4:
        raise ValueError(
            f"end must leave at least 4 points of {series!r} before it, got {end} "
            f"({int(keep.sum())} points)"
        )
    return fit_exponential(t[keep], v[keep]), fit_logistic(t[keep], v[keep])


class ExploreCanvas:
    """One figure whose artists are updated for every frame (far faster than redrawing
    the axes), for one series."""

    def __init__(self, series: str = "specint") -> None:
        from matplotlib.ticker import FuncFormatter

        plots.use_book_style()
        self.series = series
        self.t, self.v = explore_data(series)
        self.fig = Figure(figsize=(6.0, 3.0), layout="none")
        self.fig.subplots_adjust(left=0.11, right=0.98, bottom=0.16, top=0.97)
        ax = self.ax = self.fig.subplots()
        self.unseen = ax.scatter([], [], s=8, color="0.75", label="not yet seen")
        self.seen = ax.scatter([], [], s=10, color=C[6], label="data seen")
        self.grid = np.linspace(self.t.min(), self.t.max(), 200)
        (self.exp_line,) = ax.plot([], [], color=C[1], ls="--", lw=2, label="exponential fit")
        (self.log_line,) = ax.plot([], [], color=C[0], lw=2, label="S-curve fit")
        self.edge = ax.axvline(self.t.min(), color="0.4", lw=1, ls=":")
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: f"{y:.0e}".replace("e+0", "e")))
        ax.set_xlim(self.t.min() - 1, self.t.max() + 1)
        ax.set_ylim(self.v.min() / 3, self.v.max() * 100)
        ax.set_xlabel("year")
        ax.set_ylabel("value (log scale)")
        ax.legend(fontsize=8, loc="upper left")

    def draw(self, series: str, end: float, model: str):
        _check_model(model)
        if series != self.series:
            raise ValueError(f"this canvas draws {self.series!r}, not {series!r}")
        e, g = explore_fits(series, end)  # checks end before any artist changes
        keep = self.t < end
        self.unseen.set_offsets(np.column_stack([self.t[~keep], self.v[~keep]]))
        self.seen.set_offsets(np.column_stack([self.t[keep], self.v[keep]]))
        self.exp_line.set_data(self.grid, np.exp(e.log_predict(self.grid)))
        self.log_line.set_data(self.grid, np.exp(g.log_predict(self.grid)))
        self.exp_line.set_visible(model in ("exponential", "both"))
        self.log_line.set_visible(model in ("logistic", "both"))
        self.edge.set_xdata([end, end])
        return self.fig

    def png(self, series: str, end: float, model: str, dpi: int | None = None) -> bytes:
        self.draw(series, end, model)
        return explore.chart_png(self.fig, dpi=dpi)


def explore_controls() -> list[explore.Control]:
    """The explorable's controls: how much of the series the fits see, and the model."""
    return [
        explore.Slider("end", "data seen up to", EXPLORE_ENDS),
        explore.Choice("model", "model", MODELS),
    ]


def explore_frames(series: str = "specint") -> dict[tuple[float, str], bytes]:
    """PNG frames of the explorable, keyed ``(end, model)`` (for :func:`explore.static`)."""
    canvas = ExploreCanvas(series)
    return {(e, m): canvas.png(series, e, m) for e in EXPLORE_ENDS for m in MODELS}


def explore_description(series: str, end: float, model: str) -> str:
    """Alt text and caption for one frame, in numbers."""
    _check_model(model)
    e, g = explore_fits(series, end)
    what = "single-thread performance" if series == "specint" else "a noisy known S-curve"
    ceiling = "no ceiling in sight" if g.at_bound else f"a ceiling near {np.exp(g.log_ceiling):.3g}"
    return (
        f"{what.capitalize()} on a log scale, data seen up to {end:.0f}: the exponential fit "
        f"grows {100 * e.growth:.0f}% a year; the S-curve fit has {ceiling}; AIC advantage "
        f"of the S-curve {e.aic - g.aic:.1f} (clearly better above {CLEAR_AIC:.0f})."
    )
