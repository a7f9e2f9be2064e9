"""Figures and the explorable of the "Limits of curation" chapter (so its cells stay short).

Each function returns a matplotlib figure in the book's style (:mod:`lossylib.plots`);
captions and alt texts live in the chapter.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from lossylib import explore, plots
from lossylib.checks import check_int, check_real
from lossylib.collapse import DataPolicy, zipf

from .filters import (
    CurationRuns,
    critical_false_accept,
    curate_vocabulary,
    wrong_share_limit,
    wrong_share_theory,
)
from .regression import ACCUMULATE_BOUND
from .restore import RESTORATION_LABELS

C = plots.COLORS


def _non_empty(mapping: object, name: str) -> None:
    """A figure needs at least one run to draw."""
    if not isinstance(mapping, Mapping) or not mapping:
        raise ValueError(f"{name} must be a non-empty dict of runs, got {mapping!r}")


def regression_panel(
    runs: Mapping[str, np.ndarray], theories: Mapping[str, np.ndarray] | None = None
) -> Figure:
    """Error multiples against generation: each simulation in ``runs`` (solid, by label)
    and, for the labels in ``theories``, its expectation (dashed), e.g. from
    :func:`lossylib.curation.regression_theory`.

    Examples
    --------
    >>> from lossylib.curation import regression_theory
    >>> fig = regression_panel({"replace": np.arange(1.0, 6)},
    ...                        {"replace": regression_theory(5, "replace")})
    """
    _non_empty(runs, "runs")
    theories = {} if theories is None else theories
    for label, theory in theories.items():
        if label not in runs:
            raise ValueError(f"theories must name runs, got {label!r}")
        if np.shape(theory) != np.shape(runs[label]):
            shapes = f"{np.shape(theory)} for {np.shape(runs[label])}"
            raise ValueError(f"theories[{label!r}] must match its run's shape, got {shapes}")
    fig, ax = plots.figure(figsize=(6.4, 3.6))
    for (label, r), color in zip(runs.items(), C, strict=False):
        g = np.arange(1, r.size + 1)
        ax.plot(g, r, color=color, lw=2, label=label)  # simulation, solid
        if label in theories:
            ax.plot(g, theories[label], "k--", lw=1)
    ax.axhline(ACCUMULATE_BOUND, color=C[6], ls=":", lw=1)
    # named at the right end of the dotted line, in the clear band between the flat
    # accumulate curves (the steep early rises of the others would cross it on the left)
    ax.annotate(
        "pi²/6",
        (1, ACCUMULATE_BOUND),
        xycoords=("axes fraction", "data"),
        xytext=(-2, 3),
        textcoords="offset points",
        ha="right",
        va="bottom",
    )
    ax.set_yscale("log")
    # 1-2-5 labels: a log axis labelled only at 1 and 10 hides how far the lines climb
    top = max(float(np.max(r)) for r in runs.values())
    ax.set_yticks([t for t in (1, 2, 5, 10, 20, 50, 100, 200, 500) if t <= 1.5 * top])
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_formatter(FuncFormatter(lambda v, _: ""))
    ax.set_xlabel("generation")
    ax.set_ylabel("test error / real-data error")
    ax.plot([], [], "k--", lw=1, label="theory (fixed design)")
    ax.legend(fontsize=8, loc="upper left")
    return fig


#: Line styles of :func:`curation_panels`, in the order of the chapter's runs, so that
#: its two orange lines (the likelihood filter, the noisy verifier) also differ in dash;
#: none is dotted, the style of the real data's reference line.
LINESTYLES = ("-", "--", "-", "-", "-.", "-", "-")


def curation_panels(runs: Mapping[str, CurationRuns]):
    """Valid tokens still possible, the wrong share and the distance from the real
    distribution, per curation (mean over trials); the dotted line in the last panel is
    the real data's own model."""
    _non_empty(runs, "runs")
    fig, (a, b, c) = plots.figure(1, 3, figsize=(6.8, 3.9))  # within the text column
    for (label, r), color, ls in zip(runs.items(), C, itertools.cycle(LINESTYLES), strict=False):
        g = np.arange(1, r.support.shape[1] + 1)
        short = label.split(" (")[0]
        a.plot(g, r.support.mean(axis=0), color=color, ls=ls, label=short)
        b.plot(g, 100 * r.wrong_share.mean(axis=0), color=color, ls=ls, label=short)
        c.plot(g, r.distance.mean(axis=0), color=color, ls=ls, label=short)
    first = next(iter(runs.values()))
    c.axhline(first.distance[:, 0].mean(), color="0.4", ls=":", lw=1)
    c.set_xlabel("generation")
    c.set_ylabel("distance from the real distribution")
    c.set_ylim(0, 1)
    a.set_yscale("log")
    a.minorticks_off()
    a.set_yticks([10, 30, 100, 300, 1000])
    a.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    a.set_xlabel("generation")
    a.set_ylabel("valid tokens still possible")
    b.set_xlabel("generation")
    b.set_ylabel("wrong outputs (% of the model)")
    # one legend above the three panels, clear of every line and readable at page width;
    # matplotlib fills a legend column by column, so interleave to read row by row
    handles, labels = a.get_legend_handles_labels()
    ncols = 3
    order = [i for col in range(ncols) for i in range(col, len(handles), ncols)]
    fig.legend(
        [handles[i] for i in order],
        [labels[i] for i in order],
        loc="outside upper center",
        ncols=ncols,
        fontsize=9,
    )
    return fig


def verifier_panels(
    error: float, runs: Mapping[float, CurationRuns], false_reject: float, grid: int = 41
):
    """Left: wrong share under verifiers of several false-accept rates (simulation and
    theory). Right: where the wrong share settles, over both error rates."""
    _non_empty(runs, "runs")
    grid = check_int(grid, "grid", 2, maximum=1000)
    fig, (a, b) = plots.figure(1, 2, figsize=(6.8, 3.4))
    for (accept, r), color in zip(runs.items(), C, strict=False):
        g = np.arange(1, r.wrong_share.shape[1] + 1)
        a.plot(g, 100 * r.wrong_share.mean(axis=0), color=color, label=f"accepts {accept:.0%}")
        theory = wrong_share_theory(error, accept, false_reject, g.size)
        # theory in black dashes over the coloured simulation, so it shows where the two agree
        a.plot(g, 100 * theory, "k--", lw=1.3, dashes=(3, 2.5))
    a.set_xlabel("generation")
    a.set_ylabel("wrong outputs (% of the model)")
    # low on the right, under the two climbing curves and above the three flat ones
    a.legend(
        fontsize=8,
        title="black dashes: theory",
        title_fontsize=8,
        loc="lower right",
        bbox_to_anchor=(1, 0.14),
    )
    rates = np.linspace(0, 1, grid)
    limit = np.array([[wrong_share_limit(error, fa, fr) for fa in rates] for fr in rates])
    # a mesh, not an image: the book then draws the figure as a chart, at a multiple of
    # its resolution (lossylib.plots.figure_png), so the thin dashed lines stay sharp
    im = b.pcolormesh(rates, rates, 100 * limit, cmap="viridis", shading="nearest")
    b.set_xlim(0, 1)
    b.set_ylim(0, 1)
    fr = np.linspace(0, 1, 200)
    b.plot([critical_false_accept(error, r) for r in fr], fr, color="white", lw=1.5)
    b.annotate("errors take over", (0.96, 0.8), color="black", fontsize=9, ha="right")
    b.annotate("errors stay bounded", (0.04, 0.18), color="white", fontsize=9)
    b.set_xlabel("false-accept rate\n(wrong samples admitted)")
    b.set_ylabel("false-reject rate")
    fig.colorbar(im, ax=b, label="wrong outputs at the limit (%)")
    return fig


def restoration_figure(
    runs: Mapping[str, dict], generation: int, box, zoom: int = 2, ncols: int = 3
):
    """Zoomed crops of the original and of each restoration's image at ``generation``,
    ``ncols`` to a row.

    Each image pixel is drawn as ``zoom`` x ``zoom`` screen pixels (nearest neighbour):
    the figure is shown at its own size (:func:`lossylib.plots.figure_png`), within the
    text column, so the browser does not rescale the crops and their pixels stay sharp.
    """
    _non_empty(runs, "runs")
    x0, y0, x1, y1 = box
    labels, crops = ["original"], []
    first = next(iter(runs.values()))
    crops.append(np.asarray(first["frames"][0])[y0:y1, x0:x1])
    for name, run in runs.items():
        labels.append(f"{RESTORATION_LABELS.get(name, name)}\n{run['psnr'][generation]:.1f} dB")
        crops.append(np.asarray(run["frames"][generation])[y0:y1, x0:x1])
    rows = -(-len(crops) // ncols)
    fig, axes = plots.figure(rows, ncols, layout="none", squeeze=False)
    # each crop exactly zoom x its size in screen pixels, under a two-line title
    plots.place_in_pixels(
        axes, zoom * (x1 - x0), [zoom * (y1 - y0)] * rows, titles=[40] * rows,
        hgap=24, vgap=12, margin=12,
    )  # fmt: skip
    for ax, crop, label in itertools.zip_longest(axes.flat, crops, labels):
        ax.set_axis_off()
        if crop is not None:
            ax.imshow(crop, interpolation="nearest")
            ax.set_title(label, fontsize=9)
    return fig


def restoration_panels(runs: Mapping[str, dict]):
    """PSNR against the original and high-frequency share, per generation and restoration."""
    _non_empty(runs, "runs")
    fig, (a, b) = plots.figure(1, 2, figsize=(9, 3.3))
    for (name, run), color in zip(runs.items(), C, strict=False):
        g = np.arange(len(run["psnr"]))
        a.plot(g[1:], run["psnr"][1:], "o-", ms=3, color=color, label=name)
        b.plot(g, np.array(run["hf"]) / run["hf"][0], "o-", ms=3, color=color, label=name)
    a.set_xlabel("generation")
    a.set_ylabel("PSNR against the original (dB)")
    b.set_yscale("log")
    b.axhline(1, color="k", lw=0.8)
    b.set_xlabel("generation")
    b.set_ylabel("high-frequency share / original's")
    a.legend(fontsize=8)
    return fig


#: The explorable's vocabulary and loop size (small, so its 27 frames render quickly).
EXPLORE = {
    "vocab": 300,
    "samples": 2000,
    "generations": 40,
    "trials": 2,
    "error": 0.05,
    "false_reject": 0.1,  # share of valid samples any verifier rejects
}


@functools.cache
def explore_run(strength: float, false_accept: float, fresh: float, seed: int = 0):
    """One setting of the explorable: likelihood filter, verifier, fresh-data fraction."""
    fresh = check_real(fresh, "fresh", low=0.0, high=1.0)
    policy = DataPolicy("fresh", fresh) if fresh > 0 else "replace"
    return curate_vocabulary(
        zipf(EXPLORE["vocab"]),
        EXPLORE["samples"],
        EXPLORE["generations"],
        EXPLORE["trials"],
        error=EXPLORE["error"],
        filter="likelihood" if strength > 0 else None,
        strength=strength,
        false_accept=false_accept,
        false_reject=EXPLORE["false_reject"] if false_accept < 1 else 0.0,
        policy=policy,
        seed=seed,
    )


def _fractions(drop: float, admit: float, fresh: float) -> tuple[float, float, float]:
    """The explorable's percentages as the fractions :func:`explore_run` takes."""
    drop = check_real(drop, "drop", low=0.0, high=100.0)
    admit = check_real(admit, "admit", low=0.0, high=100.0)
    fresh = check_real(fresh, "fresh", low=0.0, high=100.0)
    return drop / 100, admit / 100, fresh / 100


class ExploreCanvas:
    """One figure, redrawn for every frame of the explorable (much faster than a new
    figure per frame). Its settings are percentages, as the controls show them
    (:func:`explore_controls`)."""

    def __init__(self) -> None:
        # a Figure outside pyplot: never shown by itself at the end of a notebook cell
        plots.use_book_style()
        self.fig = Figure(figsize=(6.8, 2.8), layout="constrained")  # 653 px wide
        self.a, self.b = self.fig.subplots(1, 2)
        base = self.baseline = explore_run(0.0, 1.0, 0.0)
        g = np.arange(1, EXPLORE["generations"] + 1)
        self.a.plot(g, base.support.mean(axis=0), color="0.6", lw=1.5, label="no curation")
        self.b.plot(g, 100 * base.wrong_share.mean(axis=0), color="0.6", lw=1.5)
        (self.support,) = self.a.plot(g, g, color=C[0], lw=2, label="this setting")
        # the legend's "this setting" colour in both panels; drawn over the axis, so that
        # a verifier keeping wrong outputs at 0% shows as a line, not as nothing
        (self.wrong,) = self.b.plot(g, g, color=C[0], lw=2, clip_on=False, zorder=3)
        self.a.set_ylim(0, EXPLORE["vocab"])
        self.b.set_ylim(0, 100)
        for ax in (self.a, self.b):
            ax.set_xlabel("generation")
        self.a.set_ylabel("valid tokens still possible")
        self.b.set_ylabel("wrong outputs (%)")
        self.a.legend(fontsize=8, loc="upper right")
        self._laid_out = False

    def draw(self, drop: float, admit: float, fresh: float):
        """The figure for one setting: ``drop`` percent of the least likely samples
        dropped, a verifier admitting ``admit`` percent of wrong samples (100: none),
        ``fresh`` percent fresh real data."""
        runs = explore_run(*_fractions(drop, admit, fresh))
        self.support.set_ydata(runs.support.mean(axis=0))
        self.wrong.set_ydata(100 * runs.wrong_share.mean(axis=0))
        return self.fig

    def png(self, drop: float, admit: float, fresh: float, dpi: int | None = None) -> bytes:
        self.draw(drop, admit, fresh)
        if not self._laid_out:
            # lay out once; every frame has the same axes, so keep that layout
            self.fig.draw_without_rendering()
            self.fig.set_layout_engine("none")
            self._laid_out = True
        return explore.chart_png(self.fig, dpi=dpi)


#: The filter strengths the chapter compares (percent of samples dropped).
EXPLORE_DROPS = (2, 5)
#: Verifier settings just below and just above its threshold (percent of wrong admitted).
EXPLORE_ADMITS = (80, 95)
#: The fresh-data share the chapter compares with none (percent).
EXPLORE_FRESH = 5


def explore_controls() -> list[explore.Control]:
    """The explorable's controls, in percent: the likelihood filter, the verifier, fresh
    data.

    The verifier's values sit just below and just above its threshold
    (:data:`EXPLORE_ADMITS`); 100% means no verifier.
    """
    return [
        explore.Slider("drop", "least likely samples dropped (%)", (0, *EXPLORE_DROPS)),
        explore.Slider("admit", "verifier admits wrong (%)", (0, *EXPLORE_ADMITS, 100)),
        explore.Slider("fresh", "fresh real data (%)", (0, EXPLORE_FRESH, 20)),
    ]


#: Where the explorable starts: the uncurated loop.
EXPLORE_START = {"drop": 0, "admit": 100, "fresh": 0}

#: Buttons that jump to the settings the chapter names (each from the uncurated loop).
EXPLORE_PRESETS = (
    ("no curation", EXPLORE_START),
    *((f"drop {d}%", {**EXPLORE_START, "drop": d}) for d in EXPLORE_DROPS),
    *(
        (f"verifier {side} threshold ({a}%)", {**EXPLORE_START, "admit": a})
        for side, a in zip(("below", "above"), EXPLORE_ADMITS, strict=True)
    ),
    (f"{EXPLORE_FRESH}% fresh data", {**EXPLORE_START, "fresh": EXPLORE_FRESH}),
)


def explore_frames(canvas: ExploreCanvas | None = None) -> dict[tuple, bytes]:
    """Every frame of the explorable, keyed ``(drop, admit, fresh)`` in percent like
    :func:`explore_controls`."""
    canvas = canvas or ExploreCanvas()
    values = [c.values for c in explore_controls()]
    return {key: canvas.png(*key) for key in itertools.product(*values)}


def explore_description(drop: float, admit: float, fresh: float) -> str:
    """Alt text for one frame, in numbers (settings in percent, as the controls show
    them).

    Examples
    --------
    >>> explore_description(0, 100, 0).startswith("Two line charts over 40 generations")
    True
    """
    r = explore_run(*_fractions(drop, admit, fresh))
    verifier = "no verifier" if admit >= 100 else f"a verifier admitting {admit:g}% "
    verifier += "" if admit >= 100 else "of wrong samples"
    return (
        f"Two line charts over {EXPLORE['generations']} generations, dropping the "
        f"{drop:g}% least likely samples, {verifier}, {fresh:g}% fresh real data: "
        f"valid tokens still possible go from {r.support[:, 0].mean():.0f} to "
        f"{r.support[:, -1].mean():.0f}, and wrong outputs end at "
        f"{100 * r.wrong_share[:, -1].mean():.0f}% of the model; grey lines show no curation."
    )
