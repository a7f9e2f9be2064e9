"""Figures and the explorable of the chapter "A loop that improves" (short cells there).

Each function returns a matplotlib figure in the book's style (:mod:`lossylib.plots`);
captions and alt texts live in the chapter.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
from matplotlib import colormaps as plt_colormaps
from matplotlib.ticker import MaxNLocator

from lossylib import explore, plots
from lossylib.checks import check_int, check_real
from lossylib.stats import standard_error

from .digits import DigitRun
from .expert import ExpertRun, column_success, shared_run

C = plots.COLORS


def _check_seq(rs: object, kind: type, what: str) -> Sequence:
    """A non-empty sequence of ``kind`` runs, or a one-line error naming ``what``."""
    if isinstance(rs, str) or not isinstance(rs, Sequence):
        got = type(rs).__name__
        raise TypeError(f"{what} must be a sequence of {kind.__name__}, got {got}")
    if len(rs) == 0:
        raise ValueError(f"{what} must hold at least one {kind.__name__}, got none")
    for r in rs:
        if not isinstance(r, kind):
            raise TypeError(f"{what} must hold {kind.__name__}, got {type(r).__name__}")
    return rs


def _check_runs(runs: object, kind: type, many: bool = True) -> None:
    """A non-empty mapping of label to runs (a sequence of them if ``many``)."""
    if not isinstance(runs, Mapping):
        raise TypeError(f"runs must map labels to runs, got {type(runs).__name__}")
    if not runs:
        raise ValueError("runs must hold at least one entry, got none")
    for label, rs in runs.items():
        _check_seq(rs if many else [rs], kind, f"runs[{label!r}]")


def _check_generations(generations: object, last: int) -> list[int]:
    """A non-empty sequence of generations in 0..``last``, or a one-line error."""
    if isinstance(generations, str) or not isinstance(generations, Sequence):
        kind = type(generations).__name__
        raise TypeError(f"generations must be a sequence of integers, got {kind}")
    if len(generations) == 0:
        raise ValueError("generations must name at least one generation, got none")
    for g in generations:
        whole = isinstance(g, int | np.integer) and not isinstance(g, bool)
        if not (whole and 0 <= g <= last):
            raise ValueError(f"generations must be integers in 0..{last}, got {g!r}")
    return list(generations)


def _band(ax, x, rows: np.ndarray, color: str, label: str, scale: float = 100.0) -> None:
    """Mean over seeds (line) with a band of two standard errors."""
    rows = np.asarray(rows, dtype=float) * scale
    mean = rows.mean(axis=0)
    se = standard_error(rows, axis=0)
    ax.plot(x, mean, color=color, lw=2, label=label)
    ax.fill_between(x, mean - 2 * se, mean + 2 * se, color=color, alpha=0.2, lw=0)


#: A line whose mean success never reaches this (%) lies on the zero line of
#: :func:`hard_level_panel`, where several such lines hide each other.
FLAT_PERCENT = 2.0


def hard_level_panel(runs: Mapping[str, Sequence[ExpertRun]], level: int | None = None):
    """Held-out success at one level (default the hardest) against generation, per
    verifier (mean over seeds, band of two standard errors)."""
    _check_runs(runs, ExpertRun)
    if level is not None:
        top = len(next(iter(runs.values()))[0].levels)
        check_int(level, "level", 1)
        if level > top:
            raise ValueError(f"level must be <= {top}, got {level}")
    fig, ax = plots.figure(figsize=(6.4, 3.6))
    flat: dict[str, float] = {}  # lines that stay near zero and lie on top of each other
    for (label, rs), color in zip(runs.items(), C, strict=False):
        col = -1 if level is None else level - 1
        g = np.arange(rs[0].success.shape[0])
        success = np.array([r.success[:, col] for r in rs])
        _band(ax, g, success, color, label)
        peak = float(100 * success.mean(axis=0).max())
        if peak < FLAT_PERCENT:
            flat[label] = peak
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("generation")
    lv = int(next(iter(runs.values()))[0].levels[-1] if level is None else level)
    ax.set_ylabel(f"held-out {lv}-digit sums right (%)")
    ax.set_ylim(-3, 103)
    ax.legend(fontsize=8, loc="center right")
    if len(flat) > 1:  # name them: the legend cannot show which line is which
        names = "\n".join(flat)
        ax.annotate(
            f"{len(flat)} lines lie along zero\n(never above {max(flat.values()):.1f}%):\n{names}",
            (0.03, 0.08),
            xycoords="axes fraction",
            fontsize=8,
            va="bottom",
        )
    return fig


def level_profile(rs: Sequence[ExpertRun], generations: Sequence[int]):
    """Held-out success against level for a few generations (mean over seeds), with the
    levels of the worked examples and of the attempts shaded."""
    _check_seq(rs, ExpertRun, "rs")
    _check_generations(generations, rs[0].success.shape[0] - 1)
    fig, ax = plots.figure(figsize=(6.4, 3.6))
    r0 = rs[0]
    ax.axvspan(0.5, r0.start_level + 0.5, color=C[5], alpha=0.15, lw=0)
    ax.axvspan(r0.start_level + 0.5, r0.train_level + 0.5, color=C[4], alpha=0.12, lw=0)
    # The shaded ranges are named above the curves, in headroom no curve reaches.
    for x, text in (
        (0.6, "worked\nexamples"),
        (r0.start_level + 0.6, "attempted\nin training"),
        (r0.train_level + 0.6, "never attempted"),
    ):
        ax.annotate(text, (x, 110), fontsize=8, va="center")
    cmap = plots.plt.get_cmap("viridis")
    for i, g in enumerate(generations):
        color = cmap(i / max(len(generations) - 1, 1) * 0.9)
        mean = 100 * np.mean([r.success[g] for r in rs], axis=0)
        ax.plot(r0.levels, mean, "o-", color=color, label=f"generation {g}")
    ax.set_xlabel("level (digits per number)")
    ax.set_ylabel("held-out sums right (%)")
    ax.set_xticks(r0.levels)
    ax.set_ylim(-3, 117)
    ax.set_yticks(range(0, 101, 20))
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig


def _known_beside(
    runs: Mapping[str, Sequence[ExpertRun]],
    right: Callable[[ExpertRun], np.ndarray],
    right_label: str,
):
    """Left: contexts the policy handles right, per label of ``runs``. Right: ``right``
    of each run, a share per generation 1, 2, ... (mean over seeds, bands of two standard
    errors, one legend above both panels)."""
    _check_runs(runs, ExpertRun)
    fig, (a, b) = plots.figure(1, 2, figsize=(6.8, 3.6))
    for (label, rs), color in zip(runs.items(), C, strict=False):
        g = np.arange(rs[0].known.size)
        _band(a, g, np.array([r.known for r in rs]), color, label, scale=1.0)
        _band(b, g[1:], np.array([right(r) for r in rs]), color, label)
    a.axhline(200, color=C[6], ls=":", lw=1)
    a.set_ylabel("contexts handled right (of 200)")
    b.set_ylabel(right_label)
    for ax in (a, b):
        ax.set_xlabel("generation")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    # One legend for both panels, above them, where no curve runs.
    fig.legend(*a.get_legend_handles_labels(), loc="outside upper center", ncol=3, fontsize=8)
    return fig


def information_panel(runs: Mapping[str, Sequence[ExpertRun]]):
    """Left: contexts the policy handles right, per verifier. Right: the share of wrong
    answers among the attempts each verifier accepted."""
    return _known_beside(runs, lambda r: r.wrong_share, "wrong answers among accepted (%)")


def blind_spot_panel(runs: Mapping[str, Sequence[ExpertRun]]):
    """Left: contexts the policy handles right, per checker. Right: the share of each
    generation's wrong attempts that are wrong only in the final carry
    (:attr:`ExpertRun.carry_mistakes <lossylib.selftrain.expert.ExpertRun.carry_mistakes>`),
    for a checker blind to it exactly its false-accept rate (mean over seeds, band of two
    standard errors)."""
    return _known_beside(runs, lambda r: r.carry_mistakes, "mistakes only in the final carry (%)")


def climb_panel(rs: Sequence[ExpertRun]):
    """Left: contexts the policy learned each generation (mean over seeds ± two standard
    errors). Right: the chance of writing one column of a held-out longest sum right
    (:func:`~lossylib.selftrain.expert.column_success`), that chance to the power of the
    sum's columns, and the share of those sums right (mean over seeds): a steady rise
    per column, raised to a power, makes the late, steep rise on long sums."""
    _check_seq(rs, ExpertRun, "rs")
    fig, (a, b) = plots.figure(1, 2, figsize=(6.8, 3.4))
    learned = np.diff(np.array([r.known for r in rs], dtype=float), axis=1)
    g = np.arange(1, learned.shape[1] + 1)
    se = standard_error(learned, axis=0)
    a.bar(g, learned.mean(axis=0), color=C[0], width=0.8)
    a.errorbar(g, learned.mean(axis=0), yerr=2 * se, fmt="none", color=C[6], capsize=2, lw=1)
    a.set_ylabel("contexts learned in the generation")
    level = int(rs[0].levels[-1])
    per_column = 100 * np.array([column_success(r) for r in rs]).mean(axis=0)
    power = 100 * np.mean([column_success(r) ** level for r in rs], axis=0)
    hard = 100 * np.mean([r.success[:, -1] for r in rs], axis=0)
    x = np.arange(per_column.size)
    b.plot(x, per_column, color=C[2], lw=2, label="one column right")
    b.plot(x, power, color=C[1], lw=2, ls="--", label=f"one column right, to the {level}th power")
    b.plot(x, hard, "o", color=C[0], ms=4, label=f"{level}-digit sums right")
    b.set_ylabel("held-out, right (%)")
    b.set_ylim(-3, 103)
    for ax in (a, b):
        ax.set_xlabel("generation")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    # the right panel's own legend, above it: inside, every corner has a curve
    b.legend(fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0), borderaxespad=0.2)
    return fig


def false_accept_sweep(
    rates: Sequence[float],
    ends: np.ndarray,
    wrong: np.ndarray,
    level: int,
    known: np.ndarray | None = None,
    known_start: float | None = None,
):
    """Final held-out success at ``level`` (mean ± 2 SE over seeds) and the wrong share of
    the accepted data against the verifier's false-accept rate; with ``known``, also the
    final share of contexts handled right, and with ``known_start`` (a share) a dotted
    line where that share started. ``ends``, ``wrong`` and ``known`` have shape
    (rates, seeds), with at least two seeds."""
    try:
        x = np.asarray(rates, dtype=float)
        pairs = (("ends", ends), ("wrong", wrong))
        pairs += (("known", known),) if known is not None else ()
        shapes = {name: np.asarray(v, dtype=float).shape for name, v in pairs}
    except (TypeError, ValueError) as err:
        raise TypeError(f"rates, ends and wrong must be numbers ({err})") from None
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"rates must be a non-empty 1-d array, got shape {x.shape}")
    bad = x[~((x >= 0) & (x <= 1))]
    if bad.size:
        raise ValueError(f"rates must be false-accept rates in [0, 1], got {bad[0]}")
    for name, shape in shapes.items():
        if len(shape) != 2 or shape[0] != x.size or shape[1] < 2:
            raise ValueError(
                f"{name} must have shape (rates, seeds) = ({x.size}, >= 2), got {shape}"
            )
    check_int(level, "level", 1)
    if known_start is not None:
        check_real(known_start, "known_start", low=0.0, high=1.0)
    fig, ax = plots.figure(figsize=(6.4, 3.4))
    lines = [
        (ends, C[0], "o-", f"held-out {level}-digit sums right"),
        (wrong, C[1], "^-", "wrong answers among accepted"),
    ]
    if known is not None:
        lines.insert(0, (known, C[2], "s-", "contexts handled right"))
    handles = []
    for values, color, fmt, label in lines:
        v = 100 * np.asarray(values, dtype=float)
        mean = v.mean(axis=1)
        se = standard_error(v, axis=1)
        handles.append(
            ax.errorbar(x, mean, yerr=2 * se, fmt=fmt, color=color, label=label, capsize=3)
        )
    if known is not None and known_start is not None:
        start = 100 * known_start
        (line,) = ax.plot(
            x[[0, -1]], [start, start], color=C[2], ls=":", lw=1.2, label="contexts right at start"
        )
        handles.insert(1, line)
    ax.set_xscale("symlog", linthresh=0.01)
    ax.set_xticks(x)
    # on the log part of the axis, rates such as 30% and 40% sit too close to their
    # neighbours to label: only 0 and the 1-2-5 rates get one
    nice = {0.0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0}
    ax.set_xticklabels([f"{r:.0%}" if round(float(r), 6) in nice else "" for r in x])
    ax.minorticks_off()
    ax.set_xlabel("verifier's false-accept rate (wrong answers let through)")
    ax.set_ylabel("share (%)")
    ax.set_ylim(-3, 103)
    # above the axes, where no curve runs
    fig.legend(handles=handles, loc="outside upper center", ncol=min(len(handles), 2), fontsize=8)
    return fig


#: The digit grid's enlargement (screen pixels a side per image pixel) and label size
#: (points): about as wide as the book's charts, with their font size.
ZOOM, FONT = 5, 10


def digit_grids(runs: Mapping[str, DigitRun], generation: int, zoom: int = ZOOM):
    """One sample of each digit, and each digit's share of the samples: the real starting
    digits in the top row, then one row per policy at ``generation``.

    Each run must keep images (:attr:`DigitRun.images`) at generation 0 and at
    ``generation``; the top row is generation 0 of the first run (with one seed every
    policy starts from the same real digits, drawn as the model holds them: in its
    principal components). The columns are the classifier's labels;
    a grey box marks a digit no sample was given, and under each image is that label's
    share of the samples. Every image pixel is ``zoom`` x ``zoom`` screen pixels
    (nearest neighbour) and the figure is shown at its own size
    (:func:`lossylib.plots.figure_png`), so the speckle stays sharp.
    """
    _check_runs(runs, DigitRun, many=False)
    zoom = check_int(zoom, "zoom", 1)
    last = min(r.shares.shape[0] - 1 for r in runs.values())
    (generation,) = _check_generations([generation], last)
    for name, r in runs.items():
        for g in (0, generation):
            if g not in r.images:
                raise ValueError(
                    f"runs must keep images at generations 0 and {generation}, "
                    f"got runs[{name!r}] keeping {sorted(r.images)}"
                )
    first = next(iter(runs.values()))
    rows = [("real digits", first.images[0], first.shares[0])]
    rows += [(name, r.images[generation], r.shares[generation]) for name, r in runs.items()]
    cell, below, gap = 10, 4, 3  # image px: an 8 x 8 digit with a 1-px border, the share
    row_h = cell + below
    top = row_h + gap  # the real row stands apart from the policies
    mosaic = np.zeros((top + row_h * (len(rows) - 1), cell * 10))
    ys = [0] + [top + row_h * i for i in range(len(rows) - 1)]
    for y, (_, images, _) in zip(ys, rows, strict=True):
        for c in range(10):
            mosaic[y + 1 : y + 9, c * cell + 1 : c * cell + 9] = images[c]
    big = np.repeat(np.repeat(mosaic, zoom, axis=0), zoom, axis=1)
    fig, axes = plots.figure(1, 1, layout="none", squeeze=False)
    plots.place_in_pixels(axes, big.shape[1], [big.shape[0]], titles=[22], hgap=0, vgap=0)
    ax = axes[0, 0]
    cmap = plt_colormaps["gray"].with_extremes(bad="#d9d9d9")  # no sample: a grey box
    ax.imshow(16 - big, cmap=cmap, vmin=0, vmax=16, interpolation="nearest")
    for y, (_, images, shares) in zip(ys, rows, strict=True):
        for c in range(10):
            x = (c * cell + cell / 2) * zoom - 0.5
            if np.isnan(images[c]).all():
                ax.text(x, (y + cell / 2) * zoom - 0.5, "none", ha="center", va="center",
                        fontsize=FONT, color="#333333")  # fmt: skip
            share = shares[c]
            label = "0" if share == 0 else "<1%" if share < 0.01 else f"{share:.0%}"
            ax.text(x, (y + cell + below / 2 - 0.5) * zoom, label, ha="center",
                    va="center", fontsize=FONT)  # fmt: skip
    ax.xaxis.set_ticks_position("top")
    ax.set_xticks([(c * cell + cell / 2) * zoom - 0.5 for c in range(10)])
    ax.set_xticklabels([str(c) for c in range(10)], fontsize=FONT)
    ax.set_yticks([(y + cell / 2) * zoom - 0.5 for y in ys])
    ax.set_yticklabels(
        ["real digits"] + [f"{name}, gen {generation}" for name, _, _ in rows[1:]],
        fontsize=FONT,
    )
    ax.tick_params(length=0, pad=2)
    ax.grid(False)
    for side in ax.spines.values():
        side.set_visible(False)
    return fig


def digit_measures(
    runs: Mapping[str, Sequence[DigitRun]], control: Sequence[DigitRun] | None = None
):
    """Effective number of classes, spread within classes and distance from real digits
    against generation, per policy (mean over seeds, band of two standard errors); with
    ``control`` (runs of :func:`~lossylib.selftrain.digits.noise_control`), also the
    kernel's noise without refitting, as a dashed line."""
    _check_runs(runs, DigitRun)
    if control is not None:
        _check_seq(control, DigitRun, "control")
    fig, axes = plots.figure(1, 3, figsize=(6.8, 3.0))  # within the text column
    keys = ("effective", "spread", "drift")
    for (name, rs), color in zip(runs.items(), C, strict=False):
        g = np.arange(rs[0].effective.size)
        for ax, key in zip(axes, keys, strict=True):
            _band(ax, g, np.array([getattr(r, key) for r in rs]), color, name, scale=1.0)
    if control is not None:
        g = np.arange(control[0].effective.size)
        for ax, key in zip(axes, keys, strict=True):
            mean = np.mean([getattr(r, key) for r in control], axis=0)
            ax.plot(g, mean, color=C[6], lw=1.5, ls="--", label="noise only")
    labels = (
        "effective number of classes",
        "spread within a class (x real)",
        "distance to nearest real digit (x real)",
    )
    for ax, label in zip(axes, labels, strict=True):
        ax.set_xlabel("generation")
        ax.set_ylabel(label)
    axes[0].legend(fontsize=8, loc="lower left")
    return fig


#: The explorable's grid: the verifier's false-accept rate and the data policy.
EXPLORE_RATES = (0.0, 0.01, 0.05, 0.2, 1.0)
EXPLORE_DATA = ("accumulate", "replace")
EXPLORE_GENERATIONS = 20


def explore_run(false_accept: float, data: str) -> ExpertRun:
    """The run behind one frame of the explorable (seed 0; shared with the page's
    other runs through :func:`~lossylib.selftrain.expert.shared_run`)."""
    false_accept = check_real(false_accept, "false_accept", low=0.0, high=1.0)
    return shared_run(EXPLORE_GENERATIONS, false_accept, 0, data)


def explore_frame(run: ExpertRun):
    """Held-out success as a map over generation (x) and level (y)."""
    if not isinstance(run, ExpertRun):
        raise TypeError(f"run must be an ExpertRun, got {type(run).__name__}")
    fig, ax = plots.figure(figsize=(6.0, 3.2))
    im = ax.imshow(
        100 * run.success.T,
        origin="lower",
        aspect="auto",
        cmap="viridis",
        vmin=0,
        vmax=100,
        extent=(-0.5, run.success.shape[0] - 0.5, 0.5, run.levels[-1] + 0.5),
        interpolation="nearest",
    )
    ax.axhline(run.train_level + 0.5, color="white", lw=1.5, ls="--")
    ax.annotate("never attempted above", (0.3, run.train_level + 0.8), color="white", fontsize=8)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("generation")
    ax.set_ylabel("level (digits per number)")
    ax.grid(False)
    fig.colorbar(im, ax=ax, label="held-out sums right (%)")
    return fig


def explore_controls() -> list[explore.Control]:
    """The explorable's controls: the data policy (a drop-down) first, then the rate.

    A reader picks the case first (which data policy) and then explores it with the
    slider; each control changes the frame at every setting of the other.
    """
    return [
        explore.Choice("data", "data policy", EXPLORE_DATA),
        explore.Slider("false_accept", "false accepts", EXPLORE_RATES),
    ]


def explore_frames() -> dict[tuple, bytes]:
    """Every frame of the explorable, keyed ``(data, false_accept)`` like
    :func:`explore_controls`."""
    return {
        (d, a): explore.chart_png(explore_frame(explore_run(a, d)), close=True)
        for d in EXPLORE_DATA
        for a in EXPLORE_RATES
    }


def _how_many(share: float) -> str:
    """A share in words, for alt texts (which carry no typed numbers)."""
    for bound, words in ((0.9, "nearly all"), (0.5, "most"), (0.1, "some"), (0.01, "few")):
        if share >= bound:
            return words
    return "almost none"


def explore_description(false_accept: float, data: str) -> str:
    """Alt text of a frame, in words computed from its run.

    Examples
    --------
    >>> _how_many(0.95), _how_many(0.0)
    ('nearly all', 'almost none')
    """
    run = explore_run(false_accept, data)
    verifier = (
        "a perfect verifier"
        if false_accept == 0
        else "no filter"
        if false_accept == 1
        else f"a verifier that lets {false_accept:.0%} of wrong answers through"
    )
    return (
        f"Colour map of held-out success by generation and level with {verifier}, "
        f"{data} data: by the last generation {_how_many(run.success[-1, 0])} of the "
        f"shortest sums and {_how_many(run.success[-1, -1])} of the longest are right."
    )
