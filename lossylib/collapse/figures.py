"""Figures and the explorable of the "Tail loss" chapter (so its cells stay short).

Each function takes runs computed in the page and returns a matplotlib figure in the
book's style (:mod:`lossylib.plots`); captions and alt texts live in the chapter.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.ticker import FuncFormatter

from lossylib import explore, plots
from lossylib.checks import check_generation_list, check_int

from .gaussian import expected_variance, typical_variance
from .mixture import MixtureRuns
from .ngram import NGramRuns
from .policies import DataPolicy, as_policy
from .vocab import (
    CategoricalRuns,
    forget_probability,
    forget_time_bins,
    refit_categorical,
    zipf,
)

C = plots.COLORS


def _non_empty(mapping: object, name: str) -> None:
    """A figure needs at least one run to draw."""
    if not isinstance(mapping, Mapping) or not mapping:
        raise ValueError(f"{name} must be a non-empty dict of runs, got {mapping!r}")


def _check_mixture_runs(runs: object) -> MixtureRuns:
    if not isinstance(runs, MixtureRuns):
        kind = type(runs).__name__
        raise TypeError(f"runs must be MixtureRuns (see refit_mixture), got {kind}")
    return runs


def _band(ax, x, runs, color, label, lo=10, hi=90):
    """Median line with a shaded ``lo``-``hi`` percentile band over trials (rows)."""
    q = np.percentile(runs, [lo, 50, hi], axis=0)
    ax.fill_between(x, q[0], q[2], color=color, alpha=0.2, lw=0)
    ax.plot(x, q[1], color=color, label=label)


def variance_panels(mle: np.ndarray, unbiased: np.ndarray, n: int):
    """Fitted variance against generation for both estimators: simulation and theory."""
    fig, axes = plots.figure(1, 2, figsize=(6.8, 3.4), sharey=True)
    g = np.arange(mle.shape[1])
    for ax, v, est in ((axes[0], mle, "mle"), (axes[1], unbiased, "unbiased")):
        _band(ax, g, v, C[0], "median run (10-90% band)")
        ax.plot(g, v.mean(axis=0), color=C[1], label="mean over runs")
        ax.plot(g, expected_variance(n, g[-1], est), "k--", lw=1, label="theory: mean")
        ax.plot(g, typical_variance(n, g[-1], est), "k:", lw=1.2, label="theory: typical run")
        ax.set_yscale("log")
        ax.set_xlabel("generation")
        ax.text(0.02, 0.04, f"{est} variance, n = {n}", transform=ax.transAxes)
    axes[0].set_ylabel("fitted variance (true = 1)")
    axes[1].legend(loc="lower left", bbox_to_anchor=(0.0, 0.08), fontsize=8)
    return fig


def mode_panels(
    end_means: np.ndarray,
    fixation: Mapping[str, float],
    mode_probability: float,
    takeover: Mapping[str, Mapping[str, float]] | None = None,
    leader_at: int = 3,
):
    """Where collapsed runs end: Gaussian end points, and how often the mode survives.

    ``takeover`` (by temperature, as ``fixation``: the results of
    :func:`~lossylib.collapse.leader_takeover`) adds a third panel: in the runs where
    another token leads at generation ``leader_at``, how much the original mode and that
    leader gain from there to the end (late less early probability, with bars of two
    standard errors); 0 means no pull.
    """
    if np.size(end_means) == 0:
        raise ValueError("end_means must hold at least one run's final mean, got none")
    _non_empty(fixation, "fixation")
    if takeover is not None and set(takeover) != set(fixation):
        raise ValueError(
            f"takeover must have the temperatures of fixation, {sorted(fixation)}, got "
            f"{sorted(takeover)}"
        )
    if takeover is None:
        # the histogram gets the room: its legend fits beside the tallest bars
        fig, (a, b) = plots.figure(1, 2, figsize=(6.8, 3.2), width_ratios=(1.35, 1))
    else:
        fig, (a, b, c) = plots.figure(1, 3, figsize=(6.8, 3.2), width_ratios=(1.2, 1, 1))
    a.hist(end_means, bins=60, density=True, color=C[0], alpha=0.7, label="collapsed runs")
    x = np.linspace(-4, 4, 200)
    a.plot(x, np.exp(-(x**2) / 2) / np.sqrt(2 * np.pi), "k--", lw=1, label="real N(0, 1)")
    a.set_xlim(-5, 5)
    a.set_ylabel("density")
    if takeover is None:
        a.set_xlabel("where the run collapsed (final fitted mean)")
        a.legend(fontsize=8, loc="upper right")
    else:
        # a narrower panel: the legend goes above the histogram's peak
        a.set_xlabel("where the run collapsed")
        a.set_ylim(0, 1.5 * a.get_ylim()[1])
        a.legend(fontsize=8, loc="upper left")
    labels = list(fixation)
    # in percent, as the chapter's prose gives these shares
    b.bar(labels, [100 * fixation[k] for k in labels], color=C[2])
    b.axhline(100 * mode_probability, color="k", ls="--", lw=1)
    b.set_ylim(0, 100)
    b.set_xlabel("sampling temperature")
    b.set_ylabel("runs ending on the mode (%)")
    if takeover is None:
        # labelled at the line's right end, outside the axes, where no bar can reach it
        b.annotate(
            "mode's real\nprobability",
            (1, 100 * mode_probability),
            xycoords=("axes fraction", "data"),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
        return fig
    b.lines[-1].set_label("mode's real\nprobability")
    b.legend(fontsize=8, loc="upper right")
    pos = np.arange(len(labels))
    width = 0.38
    for shift, key, color, label in (
        (-width / 2, "token", C[2], "original mode"),
        (width / 2, "leader", C[1], f"generation-{leader_at} leader"),
    ):
        gain = [takeover[k][f"{key}_excess"] for k in labels]
        err = [2 * takeover[k][f"{key}_excess_se"] for k in labels]
        c.bar(pos + shift, gain, width, yerr=err, color=color, label=label, capsize=2)
    c.axhline(0, color="k", lw=0.8)
    c.set_xticks(pos, labels)
    c.set_xlabel("sampling temperature")
    c.set_ylabel(f"gain since generation {leader_at}")  # (in probability: the caption)
    top = max(max(takeover[k]["leader_excess"] for k in labels), 0.0)
    c.set_ylim(-0.2, max(0.55, 1.7 * top))
    c.legend(fontsize=8, loc="upper right")
    return fig


def mixture_panels(runs: MixtureRuns, generations: Sequence[int], trial: int | None = None):
    """Densities of one run at a few generations, the small weight and the tail mass
    (median run with its 10-90% band, and the mean over runs, which the median hides).

    ``trial`` picks the run whose densities are drawn; by default the first run that ends
    without its small component (:func:`first_lost_run`), the typical fate.
    """
    runs = _check_mixture_runs(runs)
    trials, last = runs.weights.shape[0], runs.weights.shape[1] - 1
    generations = check_generation_list(generations, "generations", last)
    if trial is None:
        trial = first_lost_run(runs)
    trial = check_int(trial, "trial", 0, maximum=trials - 1)
    # the densities get the room: their legend fits between the two bumps' peaks
    fig, (a, b, c) = plots.figure(1, 3, figsize=(6.8, 2.9), width_ratios=(1.4, 1, 1))
    x = np.linspace(-4, 8, 600)
    for i, g in enumerate(generations):
        w, mu, sd = runs.weights[trial, g], runs.means[trial, g], runs.sds[trial, g]
        dens = w * np.exp(-0.5 * ((x[:, None] - mu) / sd) ** 2) / (sd * np.sqrt(2 * np.pi))
        a.plot(x, dens.sum(axis=1), color=C[i], label=f"generation {g}")
    a.set_xticks(range(-4, 9, 4))
    a.set_xlabel("x")
    a.set_ylabel("density")
    # in the empty upper right, above the small bump and clear of the main one
    a.legend(fontsize=8, loc="upper right", handlelength=1.2)
    gen = np.arange(runs.tail_mass.shape[1])
    _band(b, gen, runs.weights[:, :, 1] * 100, C[0], "small component")
    _band(c, gen, runs.tail_mass * 100, C[1], "median run")
    c.plot(gen, runs.tail_mass.mean(axis=0) * 100, color=C[1], ls="--", label="mean over runs")
    b.set_ylabel("small component's weight (%)")
    c.set_ylabel("mass outside the real 99% (%)")
    for ax in (b, c):
        ax.set_xlabel("generation")
        ax.set_ylim(0, None)
    # room above the band for the legend
    c.set_ylim(0, 1.4 * np.percentile(runs.tail_mass * 100, 90, axis=0).max())
    c.legend(fontsize=8, loc="upper right")
    return fig


def first_lost_run(runs: MixtureRuns) -> int:
    """The index of the first run whose small component has died out by the end (0 if none).

    Examples
    --------
    >>> from lossylib import collapse as co
    >>> mix = co.refit_mixture(n=200, generations=30, trials=6, em_steps=5, seed=3)
    >>> i = first_lost_run(mix)
    >>> bool(mix.weights[i, -1, 1] < 1e-9) or not (mix.weights[:, -1, 1] < 1e-9).any()
    True
    """
    lost = np.flatnonzero(_check_mixture_runs(runs).weights[:, -1, 1] < 1e-9)
    return int(lost[0]) if lost.size else 0


def vocabulary_panels(runs: CategoricalRuns):
    """Support, entropy and tail mass of the vocabulary against generation."""
    if not isinstance(runs, CategoricalRuns):
        kind = type(runs).__name__
        raise TypeError(f"runs must be CategoricalRuns (refit_categorical), got {kind}")
    fig, axes = plots.figure(1, 3, figsize=(6.8, 2.9))
    g = np.arange(runs.support.shape[1])
    series = (
        (runs.support, "tokens still possible"),
        (runs.entropy, "entropy (bits)"),
        (runs.tail_mass * 100, f"mass beyond the top {runs.head} (%)"),
    )
    for ax, (y, label), color in zip(axes, series, C, strict=False):
        _band(ax, g, y, color, label)
        ax.set_xlabel("generation")
        ax.set_ylabel(label)
    axes[2].set_ylim(0, None)
    return fig


def forgetting_panel(forgotten_at: np.ndarray, p: np.ndarray, samples: int):
    """Median generation at which tokens are forgotten, against their expected count.

    Tokens are pooled (over runs) in bins of expected count; a bin is shown when more
    than half of its tokens were forgotten within the simulated generations
    (:func:`~lossylib.collapse.forget_time_bins`).
    """
    bins = forget_time_bins(forgotten_at, p, samples)
    if not bins["count"].size:
        raise ValueError("forgotten_at has no tokens forgotten in most runs to plot")
    horizon = int(np.max(forgotten_at))
    centre, median = bins["count"], bins["median"]
    fig, ax = plots.figure(figsize=(6.4, 3.4))
    ax.plot(centre, median, "o", ms=4, color=C[0], label="simulation (binned tokens)")
    grid = np.linspace(centre.min(), centre.max(), 80)
    theory = np.array([np.argmax(forget_probability(c, 4 * horizon) >= 0.5) for c in grid])
    shown = (theory > 0) & (theory <= horizon)
    ax.plot(grid[shown], theory[shown], "k--", lw=1.2, label="branching-process theory")
    ax.set_xlabel("expected count in a generation's sample")
    ax.set_ylabel("median generation forgotten")
    ax.legend(fontsize=8)
    return fig


def tricks_panel(
    results: Mapping[str, CategoricalRuns], closed: Mapping[str, np.ndarray] | None = None
):
    """Tokens still possible against generation (mean over runs), one line per sampling
    policy; ``closed`` adds closed-form curves (e.g. from ``tempered_support``), keyed by
    the policy they predict, as black dotted lines over the simulated ones, and a second
    panel with the runs over the closed form (mean over runs, with a band of two standard
    errors), where a log scale would hide a gap of a few tens of percent."""
    _non_empty(results, "results")
    closed = dict(closed or {})
    missing = set(closed) - set(results)
    if missing:
        raise ValueError(f"closed must be keyed by policies of results, got {sorted(missing)}")
    if closed:
        fig, (ax, r) = plots.figure(1, 2, figsize=(6.8, 3.6), width_ratios=(1.7, 1))
    else:
        fig, ax = plots.figure(figsize=(6.4, 3.4))
    styles = ["-", "--", "-.", ":", "-"]
    colors = {}
    for (label, runs), color, ls in zip(results.items(), C, styles, strict=False):
        g = np.arange(runs.support.shape[1])
        ax.plot(g, runs.support.mean(axis=0), color=color, ls=ls, label=label, lw=2)
        colors[label] = color
    for label, curve in closed.items():
        ax.plot(
            np.arange(curve.size),
            curve,
            color="black",
            ls=(0, (1, 1.5)),
            lw=1.3,
            label=f"closed form, {label}",
        )
    ax.set_yscale("log")
    ax.set_xlabel("generation")
    ax.set_ylabel("tokens still possible")
    ax.xaxis.get_major_locator().set_params(integer=True)
    if not closed:
        # above the axes: the lines fill the plot from corner to corner
        ax.legend(fontsize=8, ncols=3, loc="lower center", bbox_to_anchor=(0.5, 1.0))
        return fig
    for label, curve in closed.items():
        support = results[label].support.astype(float)
        last = min(support.shape[1], curve.size)
        g = np.arange(1, last)  # generation 0 is the real vocabulary, the same in both
        mean = support[:, 1:last].mean(axis=0)
        se = support[:, 1:last].std(axis=0, ddof=1) / np.sqrt(support.shape[0])
        ratio, band = mean / curve[1:last], 2 * se / curve[1:last]
        r.fill_between(g, ratio - band, ratio + band, color=colors[label], alpha=0.25, lw=0)
        r.plot(g, ratio, color=colors[label], lw=1.5)
    r.axhline(1, color="black", ls=(0, (1, 1.5)), lw=1.3)
    r.set_xlabel("generation")
    r.set_ylabel("runs / closed form")
    r.xaxis.get_major_locator().set_params(integer=True)
    # above both panels: the lines fill the left one from corner to corner
    fig.legend(*ax.get_legend_handles_labels(), fontsize=8, ncols=3, loc="outside upper center")
    return fig


def gaussian_policy_panel(variances: Mapping[str, np.ndarray], log_until: int | None = None):
    """Fitted variance against generation, one line per data policy (median run and its
    10-90% band).

    Left, every policy on a log scale, up to generation ``log_until`` (default: all);
    right, on a linear scale and over every generation, the policies whose median run
    keeps more than a hundredth of the real variance (there a log scale would flatten
    the gaps between them), with the real variance dashed and half of it dotted.
    """
    _non_empty(variances, "variances")
    last = min(v.shape[1] for v in variances.values()) - 1
    log_until = last if log_until is None else check_int(log_until, "log_until", 1, last)
    fig, (a, b) = plots.figure(1, 2, figsize=(6.8, 3.2))
    g = np.arange(log_until + 1)
    kept = {}
    for (label, v), color in zip(variances.items(), C, strict=False):
        _band(a, g, v[:, : log_until + 1], color, label)
        if np.median(v[:, -1]) > 0.01:
            kept[label] = (v, color)
    a.set_yscale("log")
    a.set_xlabel("generation")
    a.set_ylabel("fitted variance (true = 1)")
    a.legend(fontsize=8, loc="lower left")
    for label, (v, color) in kept.items():
        _band(b, np.arange(v.shape[1]), v, color, label)
    b.axhline(1, color="k", ls="--", lw=1)
    b.axhline(0.5, color="k", ls=":", lw=1)
    b.set_ylim(0, 2.0)
    b.set_xlabel("generation")
    b.set_ylabel("fitted variance, linear scale")
    if kept:
        b.legend(fontsize=8, loc="upper right", ncols=len(kept))
    return fig


def ngram_panels(results: Mapping[str, NGramRuns]):
    """Vocabulary, rare-word survival and held-out perplexity per data policy."""
    _non_empty(results, "results")
    fig, axes = plots.figure(1, 3, figsize=(6.8, 2.9))
    for (label, r), color in zip(results.items(), C, strict=False):
        g = np.arange(r.vocabulary.size)
        axes[0].plot(g, r.vocabulary, color=color, marker=".", label=label)
        axes[1].plot(g, 100 * r.rare_survival, color=color, marker=".")
        axes[2].plot(g, r.perplexity, color=color, marker=".")
    labels = ("distinct words", "rare words still known (%)", "perplexity on real text")
    for ax, label in zip(axes, labels, strict=True):
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlabel("generation")
        ax.set_ylabel(label)
    axes[0].legend(fontsize=8)
    return fig


# --- the explorable --------------------------------------------------------------------

EXPLORE_SIZE = 1000
EXPLORE_GENERATIONS = (0, 10, 50)


def explore_run(samples: int, temperature: float, policy: str | DataPolicy, seed: int = 0):
    """The Zipf run behind one frame of the explorable (V = 1,000, 50 generations)."""
    return refit_categorical(
        zipf(EXPLORE_SIZE),
        samples,
        max(EXPLORE_GENERATIONS),
        temperature=temperature,
        policy=policy,
        keep=EXPLORE_GENERATIONS,
        seed=seed,
    )


def explore_figure(samples: int, temperature: float, policy: str | DataPolicy, seed: int = 0):
    """Rank-probability of the real distribution (line) and at generations 10 and 50."""
    runs = explore_run(samples, temperature, policy, seed)
    fig, ax = plots.figure(figsize=(5, 3))
    ranks = np.arange(1, EXPLORE_SIZE + 1)
    real = runs.snapshots[0][0]
    ax.plot(ranks, real, color="0.6", lw=1.5, label=f"real: {EXPLORE_SIZE} tokens")
    for g, color, marker in zip(EXPLORE_GENERATIONS[1:], C, ("o", "s"), strict=False):
        p = runs.snapshots[g][0]
        kept = p > 0
        ax.plot(
            ranks[kept],
            p[kept],
            marker,
            ms=3.5,
            color=color,
            alpha=0.8,
            ls="none",
            label=f"generation {g}: {kept.sum()} tokens",
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(1e-6, 1)
    # log minor ticks and mathtext labels dominate the rendering time of 27 frames
    ax.minorticks_off()
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.set_xlabel("rank in the real distribution")
    ax.set_ylabel("probability")
    ax.legend(fontsize=8, loc="lower left")
    return fig


def explore_controls() -> list[explore.Control]:
    """The explorable's controls: samples per generation, temperature, data policy."""
    return [
        explore.Slider("samples", "samples per generation", (1000, 5000, 20000)),
        explore.Slider("temperature", "temperature", (0.8, 1.0, 1.1)),
        explore.Choice(
            "policy",
            "data policy",
            ("replace", "accumulate", "fresh"),
            labels=("replace", "accumulate", "fresh 10%"),
        ),
    ]


#: Buttons that jump to the settings the chapter discusses.
EXPLORE_PRESETS = (
    ("plain refitting", {"temperature": 1.0, "policy": "replace"}),
    ("cold sampling", {"temperature": 0.8, "policy": "replace"}),
    ("fresh real data", {"temperature": 1.0, "policy": "fresh"}),
    ("keep all data", {"temperature": 1.0, "policy": "accumulate"}),
)


def explore_frames() -> dict[tuple, bytes]:
    """Every frame of the explorable, keyed ``(samples, temperature, policy)`` like
    :func:`explore_controls`."""
    values = [c.values for c in explore_controls()]
    return {
        key: explore.chart_png(explore_figure(*key), close=True)
        for key in itertools.product(*values)
    }


def explore_description(samples: int, temperature: float, policy: str | DataPolicy) -> str:
    """Alt text for one frame: what the curves show, in numbers."""
    runs = explore_run(samples, temperature, policy)
    kept = [int(runs.support[0, g]) for g in EXPLORE_GENERATIONS]
    h = [runs.entropy[0, g] for g in EXPLORE_GENERATIONS]
    return (
        f"Rank-probability plot on log axes, {samples:,} samples a generation, temperature "
        f"{temperature}, policy {as_policy(policy).label}: a grey straight line for the real "
        f"Zipf distribution of {kept[0]:,} tokens, and dots for the {kept[1]:,} tokens left "
        f"after 10 generations and the {kept[2]:,} left after 50, scattered around the line "
        f"with gaps in the tail; entropy goes from {h[0]:.1f} to {h[1]:.1f} to {h[2]:.1f} bits."
    )
