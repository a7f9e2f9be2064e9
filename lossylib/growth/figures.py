"""Figures of the chapter "The complexity brake", in the book's style.

Each function draws one figure from the library's models and data and returns the
matplotlib figure (captions live in the chapter's cell metadata, not here).

Examples
--------
>>> fig = patents_figure()
>>> len(fig.axes)
1
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from lossylib import explore, plots
from lossylib.growth import productivity
from lossylib.growth.data import patents_per_million
from lossylib.growth.experiments import LOOP, POOL, TIMES, TRIES, USL
from lossylib.growth.loop import (
    REGIMES,
    loop_regimes,
    parallel_speedup,
    regime_map,
    simulate,
)
from lossylib.growth.model import _count, _finite, _show, blowup_time, closed_form
from lossylib.growth.search import SearchResult

#: One colour per regime, in the order of :data:`REGIMES` (Okabe-Ito).
REGIME_COLORS = ("#D55E00", "#E69F00", "#56B4E9", "#009E73", "#999999")
#: How each regime reads in a sentence ("the run ...").
REGIME_PHRASES = {
    "explodes": "explodes",
    "exponential": "grows exponentially",
    "slows": "keeps growing, ever more slowly",
    "saturates": "levels off",
    "declines": "declines",
}


def patents_figure():
    """US patents per million people, 1800-2015, with the claimed 1850-1900 peak shaded
    and the post-war low labelled at the year the chapter names
    (:func:`~lossylib.growth.experiments.patent_facts`)."""
    from lossylib.growth.experiments import patent_facts

    years, rate = patents_per_million()
    trough = patent_facts()["trough_year_after_peak"]
    fig, ax = plots.figure(figsize=(6.4, 3.4))
    ax.axvspan(1850, 1900, color=plots.COLORS[4], alpha=0.2, lw=0)
    ax.text(1875, 870, "claimed peak\n1850-1900", ha="center", va="top", fontsize=9)
    ax.plot(years, rate, color=plots.COLORS[0], lw=1.6)
    labels = {1916: (1890, 520), trough: (trough + 4, 60), 1985: (1945, 520), 2015: (1985, 880)}
    for year, (tx, ty) in labels.items():
        value = float(rate[years == year][0])
        ax.plot(year, value, "o", color=plots.COLORS[1], ms=4)
        ax.annotate(
            f"{year}: {value:.0f}",
            (year, value),
            xytext=(tx, ty),
            ha="right" if year == 2015 else "left",
            fontsize=9,
            arrowprops={"arrowstyle": "-", "color": "0.5", "lw": 0.6},
        )
    ax.set_xlabel("year")
    ax.set_ylabel("patents granted per million people")
    ax.set_xlim(1800, 2020)
    ax.set_ylim(0, None)
    return fig


def effort_figure():
    """Left: effort needed to hold idea output constant. Right: the model's growth rate."""
    b = productivity.BLOOM2020
    fig, (left, right) = plots.figure(1, 2, figsize=(6.8, 3.3))
    years = np.linspace(0, 60, 121)
    for decline, label, color in (
        (b["us_decline"], "5% a year (US economy)", plots.COLORS[0]),
        (b["moore_decline"], "6.8% a year (Moore's law)", plots.COLORS[1]),
    ):
        left.plot(years, productivity.effort_multiple(decline, years), color=color, label=label)
    span = b["moore_last_year"] - b["moore_first_year"]
    left.plot(span, b["moore_effort_multiple"], "o", color="black", ms=5)
    left.annotate(
        f"18x the researchers,\n{b['moore_first_year']}-{b['moore_last_year']}",
        (span, b["moore_effort_multiple"]),
        xytext=(-8, 12),
        textcoords="offset points",
        ha="right",
        fontsize=9,
    )
    left.set_yscale("log")
    left.set_yticks([1, 2, 5, 10, 20, 50], ["1", "2", "5", "10", "20", "50"])
    left.set_xlabel("years")
    left.set_ylabel("research effort needed (x start)")
    # The legend in the empty lower right, so the note by the dot stands on its own.
    left.legend(loc="lower right", fontsize=9)
    t = np.linspace(0, 200, 201)
    for n, label, color in (
        (0.0, "constant effort", plots.COLORS[0]),
        (0.02, "effort growing 2% a year", plots.COLORS[2]),
    ):
        g = productivity.growth_rate(t, phi=0.5, delta=0.05, s_growth=n)
        right.plot(t, 100 * g, color=color, label=label)
    right.set_xlabel("years")
    right.set_ylabel("growth of knowledge (% a year)")
    right.set_ylim(0, 5.5)
    right.legend(loc="upper right", fontsize=9)
    return fig


def closed_forms_figure(phis=(0.5, 1.0, 1.3), a0=1.0, delta=0.1, s=1.0, lam=1.0):
    """A(t) for returns below, at and above one, with the finite blow-up time marked
    (``phis``: at least one value)."""
    phis = _finite("phis", phis)
    if phis.ndim != 1 or phis.size == 0:
        got = _show(phis)
        raise ValueError(f"phis must be a non-empty list of numbers, got {got}")
    phis = phis.tolist()
    fig, ax = plots.figure(figsize=(6.4, 3.3))
    t = np.linspace(0, 40, 801)
    names = {0.5: "φ = 0.5: slows", 1.0: "φ = 1: exponential", 1.3: "φ = 1.3: explodes"}
    for phi, color in zip(phis, plots.COLORS, strict=False):
        a = closed_form(t, a0, delta, s, lam, phi)
        ax.plot(t, np.where(np.isfinite(a), a, np.nan), color=color, label=names.get(phi, phi))
        tb = blowup_time(a0, delta, s, lam, phi)
        if np.isfinite(tb):
            plots.mark_point(ax, tb, f"  blow-up at t = {tb:.1f}")
    ax.set_yscale("log")
    ax.set_ylim(0.8, 1e4)
    ax.set_xlabel("time (generations)")
    ax.set_ylabel("knowledge A (x start)")
    ax.legend(loc="upper left", fontsize=9)
    return fig


def regime_figure(size: int = 120, automations=(1.0, 0.9)):
    """Regime maps over returns to capability and loss, one panel per automation share
    (``size``: 2 to 1000 values per axis; ``automations``: at least one share).

    Each map is drawn as a mesh of cells, not an image, so that the book shows it as a
    chart, as sharp as its other figures (:func:`lossylib.plots.figure_png`). Each cell
    is the label :func:`~lossylib.growth.loop.regime_map` gives the run after
    :data:`~lossylib.growth.experiments.TIMES`: a run that starts barely faster than its
    loss can still be speeding up towards a distant ceiling at the end, and is labelled
    by what it does then (a few cells just under the decline region).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = regime_figure(size=8)
    >>> [t.get_text() for ax in fig.axes for t in ax.texts]
    ['100% automatable', '90% automatable']
    >>> plt.close(fig)
    """
    size = _count("size", size, 2, 1000)
    automations = _finite("automations", automations)
    if automations.ndim != 1 or automations.size == 0:
        got = _show(automations)
        raise ValueError(f"automations must be a non-empty list of shares, got {got}")
    automations = automations.tolist()
    phi = np.linspace(-0.5, 1.5, size)
    loss = np.linspace(0.0, 0.5, size)
    grid_phi, grid_loss = np.meshgrid(phi, loss)
    cmap = ListedColormap(REGIME_COLORS)
    fig, axes = plots.figure(1, len(automations), figsize=(6.8, 3.6), sharey=True)
    for ax, share in zip(np.atleast_1d(axes), automations, strict=True):
        m = regime_map(TIMES, phi=grid_phi, loss=grid_loss, automation=share, **LOOP)
        ax.pcolormesh(
            _edges(phi),
            _edges(loss),
            _codes(m),
            cmap=cmap,
            vmin=-0.5,
            vmax=len(REGIMES) - 0.5,
            edgecolors="none",
            antialiased=False,  # no seams between the cells
        )
        ax.set_xlim(phi[0], phi[-1])
        ax.set_ylim(loss[0], loss[-1])
        ax.axvline(1 - LOOP["lam"], color="black", lw=0.8, ls="--")
        ax.axvline(1.0, color="black", lw=0.8, ls=":")
        ax.set_xlabel("returns to capability φ")
        ax.grid(False)
        # Above the map: on a panel of this width the dashed line would cross it.
        ax.text(
            0.0,
            1.02,
            f"{share:.0%} automatable",
            transform=ax.transAxes,
            va="bottom",
            fontsize=9,
        )
    np.atleast_1d(axes)[0].set_ylabel("loss per generation")
    handles = [Patch(color=c, label=r) for r, c in zip(REGIMES, REGIME_COLORS, strict=True)]
    fig.legend(handles=handles, loc="outside lower center", ncols=5, fontsize=9)
    return fig


def _edges(centres: np.ndarray) -> np.ndarray:
    """Cell edges around evenly spaced ``centres``, clipped to the first and last, so a
    map of cells spans exactly the values swept (as the image it replaces did)."""
    mid = (centres[:-1] + centres[1:]) / 2
    return np.concatenate([centres[:1], mid, centres[-1:]])


def _codes(regimes: np.ndarray) -> np.ndarray:
    """Regime names to their index in :data:`REGIMES`."""
    out = np.zeros(regimes.shape, dtype=int)
    for i, name in enumerate(REGIMES):
        out[regimes == name] = i
    return out


def loop_frame(t: np.ndarray, free: np.ndarray, run: np.ndarray):
    """One frame of the explorable: capability over generations for one setting (``run``),
    with the friction-free run (closed loop, no loss: ``free``) in grey for comparison.

    Returns the figure and a function ``update(free, run)`` that redraws it for another
    setting (much faster than a new figure per frame). ``free`` and ``run`` hold one
    value per time of ``t``."""
    t = _finite("t", t)

    def check(free: np.ndarray, run: np.ndarray) -> None:
        for name, a in (("free", free), ("run", run)):
            if np.shape(a) != t.shape:
                got = f"shape {np.shape(a)} for {t.size} times"
                raise ValueError(f"{name} must have one value per time, got {got}")

    check(free, run)
    fig, ax = plots.figure(figsize=(5.2, 2.9))
    artists = []
    for color, width, label in (
        ("0.6", 1.2, "closed loop, no loss"),
        (plots.COLORS[0], 2.0, "this setting"),
    ):
        (line,) = ax.plot(t, t, color=color, lw=width, label=label)
        artists.append((line, ax.axvline(0, color=color, ls="--", lw=1)))
    # above the panel: runs end anywhere from the bottom to the top of it
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8)
    ax.set_yscale("log")
    ax.set_ylim(1e-2, 1e12)
    ax.set_yticks([1e-2, 1, 1e4, 1e8, 1e12])
    ax.minorticks_off()  # a log axis over 14 decades: minor ticks cost most of the drawing
    ax.set_xlim(t[0], t[-1])
    ax.set_xlabel("time (generations)")
    ax.set_ylabel("capability (x start)")

    def update(free: np.ndarray, run: np.ndarray) -> None:
        check(free, run)
        for (line, blowup), a in zip(artists, (free, run), strict=True):
            line.set_ydata(np.where(np.isfinite(a), a, np.nan))
            blowup.set_visible(not np.isfinite(a[-1]))
            blowup.set_xdata([t[np.argmax(~np.isfinite(a))]] * 2)

    update(free, run)
    return fig, update


def explore_controls() -> list[explore.Control]:
    """The explorable's controls: returns to capability, automatable share, loss."""
    return [
        explore.Slider("phi", "returns to capability φ", (0.3, 0.5, 0.7, 0.9, 1.1)),
        explore.Choice(
            "automation",
            "automatable share",
            (1.0, 0.95, 0.9, 0.8),
            labels=["100%", "95%", "90%", "80%"],
        ),
        explore.Slider("loss", "loss per generation", (0.0, 0.05, 0.15, 0.3)),
    ]


def loop_setting(phi: float, automation: float, loss: float, points: int = 401):
    """The explorable's figure for one setting, on any values (for live controls), drawn
    at ``points`` times (2 to 100,000).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = loop_setting(0.9, 0.95, 0.05)
    >>> fig.axes[0].get_xlabel()
    'time (generations)'
    >>> plt.close(fig)
    """
    points = _count("points", points, 2, 100_000)
    t = np.linspace(TIMES[0], TIMES[-1], points)
    free = simulate(t, phi=phi, **LOOP)
    run = simulate(t, phi=phi, automation=automation, loss=loss, **LOOP)
    return loop_frame(t, free, run)[0]


def loop_explorable(phis, automations, losses, *, dpi: int | None = None):
    """Frames and regimes for every (phi, automation, loss) setting, computed in one batch.

    Returns ``(frames, regimes)``: PNG bytes and regime names keyed by the setting. Each
    of ``phis``, ``automations`` and ``losses`` holds at least one value.
    """
    import matplotlib.pyplot as plt

    values = {"phis": phis, "automations": automations, "losses": losses}
    for name, v in values.items():
        values[name] = _finite(name, v)
        if values[name].ndim != 1 or values[name].size == 0:
            got = _show(v)
            raise ValueError(f"{name} must be a non-empty list of numbers, got {got}")
    phis, automations, losses = values.values()
    grid = np.meshgrid(phis, automations, losses, indexing="ij")
    t = np.linspace(TIMES[0], TIMES[-1], 401)
    free = simulate(t, phi=phis, **LOOP)
    runs = simulate(t, phi=grid[0], automation=grid[1], loss=grid[2], **LOOP)
    regimes = loop_regimes(TIMES, runs[::8], phi=grid[0], automation=grid[1], loss=grid[2], **LOOP)
    fig, update = loop_frame(t, free[:, 0], runs[:, 0, 0, 0])
    fig.canvas.draw()
    fig.set_layout_engine("none")  # same layout for every frame
    frames, names = {}, {}
    for i, j, k in np.ndindex(grid[0].shape):
        key = (float(phis[i]), float(automations[j]), float(losses[k]))
        update(free[:, i], runs[:, i, j, k])
        frames[key] = explore.chart_png(fig, dpi=dpi)
        names[key] = str(regimes[i, j, k])
    plt.close(fig)
    return frames, names


def parallel_figure(tries: int = TRIES, pool: int = POOL):
    """Left: distinct ideas per draw vs agents. Right: throughput vs agents (USL)."""
    from lossylib.growth.experiments import redundancy

    agents = np.unique(np.logspace(0, np.log10(1024), 40).round())
    fig, (left, right) = plots.figure(1, 2, figsize=(6.8, 3.3))
    for zipf, label, color in (
        (0.0, "agents drawing uniformly", plots.COLORS[2]),
        (1.0, "copies of one model (Zipf)", plots.COLORS[1]),
    ):
        left.plot(agents, redundancy(agents, tries=tries, pool=pool, zipf=zipf), color=color,
                  label=label)  # fmt: skip
    left.set_xscale("log")
    left.set_ylim(0, 1.05)
    left.set_xlabel("agents working in parallel")
    left.set_ylabel("new ideas per attempt")
    left.legend(loc="lower left", fontsize=9)
    n = np.arange(1, 257)
    for serial, crosstalk, label, color in (
        (0.0, 0.0, "no overhead", "0.6"),
        (USL["serial"], 0.0, f"{USL['serial']:.0%} serial work (Amdahl)", plots.COLORS[0]),
        (USL["serial"], USL["crosstalk"], "and pairwise coordination", plots.COLORS[1]),
    ):
        right.plot(n, parallel_speedup(n, serial, crosstalk), color=color, label=label)
    right.set_ylim(0, 40)
    right.set_xlabel("agents working in parallel")
    right.set_ylabel("throughput (x one agent)")
    right.legend(loc="upper right", fontsize=9)  # clear of the steep no-overhead line
    return fig


def diversity_figure(results: Mapping[int, Mapping[str, SearchResult]]):
    """Best payoff found vs total effort, one panel per ruggedness k; set-ups whose labs
    restart are dashed, bands are two standard errors. ``results`` maps at least one k
    to its runs (as from :func:`lossylib.growth.experiments.diversity`)."""
    if not isinstance(results, Mapping) or not results:
        got = _show(results)
        raise ValueError(f"results must map at least one k to its runs, got {got}")
    fig, axes = plots.figure(1, len(results), figsize=(4.6 * len(results), 3.5), sharey=True)
    for ax, (k, runs) in zip(np.atleast_1d(axes), results.items(), strict=True):
        for (name, r), color in zip(runs.items(), plots.COLORS, strict=False):
            ls = "--" if "restart" in name else "-"
            ax.plot(r.effort, r.mean, color=color, ls=ls, label=name)
            ax.fill_between(r.effort, r.mean - 2 * r.sem, r.mean + 2 * r.sem, color=color,
                            alpha=0.15, lw=0)  # fmt: skip
        ax.set_xscale("log")
        ax.set_xlabel("total effort (positions tried)")
        # Payoffs rise with effort, so the top left and the bottom right stay empty.
        ax.text(0.02, 0.98, "smooth (k = 0)" if k == 0 else f"rugged (k = {k})",
                transform=ax.transAxes, va="top", fontsize=9)  # fmt: skip
    np.atleast_1d(axes)[0].set_ylabel("best found (share of optimum)")
    np.atleast_1d(axes)[0].legend(loc="lower right", fontsize=8)
    return fig


def agents_figure(runs):
    """The share of the expected new solves that agents 2 to k miss, against the team
    size k: copies of each kind of classifier (left), and their mean, the same teams
    drawn from the skill and difficulty null, a team of every kind in turn and the
    control, the copies' answers shuffled across the digits (right). Lines are means
    over the splits, bands two corrected standard errors. ``runs`` is a
    :class:`~lossylib.growth.agents.AgentRuns`."""
    from lossylib.growth.agents import AgentRuns, missed_curve, resampled_se

    if not isinstance(runs, AgentRuns):
        raise ValueError(f"runs must be an AgentRuns (from agent_runs), got {_show(runs)}")
    if runs.agents < 2 or runs.splits < 2:
        raise ValueError(
            f"runs must have at least 2 agents and 2 splits, got {runs.agents} and {runs.splits}"
        )
    k = np.arange(2, runs.agents + 1)
    fig, (left, right) = plots.figure(1, 2, figsize=(6.8, 4.3), sharey=True)

    def draw(ax, per_split: list[list[np.ndarray]], color: str, label: str, **style) -> None:
        curves = np.array(
            [np.mean([missed_curve(t) for t in teams], axis=0) for teams in per_split]
        )
        stats = np.array([resampled_se(100 * c) for c in curves[:, 1:].T])
        mean, se = stats[:, 0], stats[:, 1]
        ax.plot(k, mean, color=color, label=label, **style)
        ax.fill_between(k, mean - 2 * se, mean + 2 * se, color=color, alpha=0.12, lw=0)

    copies = runs.teams("copies")
    kinds = list(runs.copies)
    order = sorted(range(len(kinds)), key=lambda i: -np.mean([t[i].mean() for t in copies]))
    for i, color in zip(order, plots.COLORS, strict=False):
        draw(left, [[teams[i]] for teams in copies], color, kinds[i])
    draw(right, copies, plots.COLORS[0], "copies of one kind (mean)")
    draw(
        right,
        runs.teams("null copies"),
        plots.COLORS[0],
        "the same, if only skill and\ndifficulty mattered",
        ls="-.",
    )
    draw(right, runs.teams("mixed"), "0.1", "every kind in turn", ls="--")
    draw(right, runs.teams("control"), "0.55", "copies, answers shuffled", ls=":")
    left.set_title("copies of one kind", fontsize=10)
    right.set_title("against the baselines", fontsize=10)
    for ax in (left, right):
        ax.set_xlim(2, runs.agents)
        ax.set_xlabel("agents in the team (k)")
        # below the panel: the curves fill it from 0 to 90%
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=8, frameon=False)
    left.set_ylim(-10, 100)
    left.set_ylabel("new solves missed by agents 2 to k (%)")
    return fig
