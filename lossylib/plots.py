"""The book's figure style and shared figure helpers.

One style for every chapter: an opaque white background (readable in the theme's dark
mode), lowercase axis labels with units, the colour-blind-safe Okabe-Ito palette, no
titles (captions live in the cell's ``mystnb: figure:`` metadata).

Examples
--------
>>> import lossylib.plots as lp
>>> lp.use_book_style()
>>> fig, ax = lp.figure()
>>> ax.plot([0, 1], [0, 1], color=lp.COLORS[0])  # doctest: +ELLIPSIS
[...]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

# Okabe & Ito (2008), "Color Universal Design": distinguishable with colour-vision deficiency.
COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")

# Pixels per inch of every figure in the book, static or explorable: the page shows an
# image at its own size, so text of 8 pt is 8 * DPI / 72 = 10.7 CSS pixels high.
DPI = 96

STYLE = {
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "figure.figsize": (6.4, 3.6),
    "figure.constrained_layout.use": True,
    "axes.prop_cycle": mpl.cycler(color=COLORS),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "font.size": 10,
    "axes.titlesize": 10,
    "legend.frameon": False,
    "image.interpolation": "nearest",
}


def use_book_style() -> None:
    """Apply the book's matplotlib style (idempotent)."""
    mpl.rcParams.update(STYLE)


def figure(nrows: int = 1, ncols: int = 1, **kwargs: Any):
    """``plt.subplots`` with the book style applied."""
    use_book_style()
    return plt.subplots(nrows, ncols, **kwargs)


def mark_point(ax, x: float, label: str, color: str = COLORS[6]) -> None:
    """A dashed vertical line with a short label, e.g. the fixed point of a run."""
    ax.axvline(x, color=color, linestyle="--", linewidth=1)
    ax.annotate(
        label,
        xy=(x, 1),
        xycoords=("data", "axes fraction"),
        xytext=(3, -3),
        textcoords="offset points",
        va="top",
        fontsize=9,
    )


def image_grid(
    images: Sequence[Any],
    labels: Sequence[str],
    *,
    ncols: int | None = None,
    zoom_box: tuple[int, int, int, int] | None = None,
    zoom: int = 4,
    width: float = 9.0,
):
    """Show images side by side, each with a label; optionally a zoomed crop under each.

    Parameters
    ----------
    images : sequence of PIL images or arrays
    labels : sequence of str
        One short label per image (shown above it).
    zoom_box : (left, top, right, bottom), optional
        A crop shown under each image at ``zoom`` x with nearest-neighbour scaling, so
        compression artifacts stay visible; the crop is outlined on the full image.
    """
    use_book_style()
    n = len(images)
    ncols = ncols or n
    rows = 2 if zoom_box else 1
    fig, axes = plt.subplots(
        rows, ncols, figsize=(width, width / ncols * rows * 1.05), squeeze=False
    )
    for i, (im, lab) in enumerate(zip(images, labels, strict=True)):
        arr = np.asarray(im)
        ax = axes[0, i]
        ax.imshow(arr, interpolation="nearest")
        ax.set_title(lab, fontsize=9)
        ax.set_axis_off()
        if zoom_box:
            x0, y0, x1, y1 = zoom_box
            ax.add_patch(plt.Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, ec="white", lw=1.2))
            crop = arr[y0:y1, x0:x1]
            crop = np.repeat(np.repeat(crop, zoom, axis=0), zoom, axis=1)
            axes[1, i].imshow(crop, interpolation="nearest")
            axes[1, i].set_axis_off()
    return fig


#: Line styles that tell overlapping lines apart without colour.
LINESTYLES = ("-", (0, (5, 2)), (0, (1, 1.5)), (0, (6, 2, 1, 2)), (0, (2, 2)))


def distinguish_lines(ax, widths: Sequence[float] = (3.2, 2.4, 1.8, 1.3, 1.0)) -> None:
    """Make every labelled line of ``ax`` visible even where lines coincide.

    Each line gets its own dash pattern and a width that shrinks down the legend, drawn
    in that order, so a later (thinner, dashed) line never hides an earlier one. The
    legend is redrawn to match.

    Examples
    --------
    >>> fig, ax = figure()
    >>> _ = ax.plot([0, 1], [0, 1], label="a")
    >>> _ = ax.plot([0, 1], [0, 1], label="b")
    >>> distinguish_lines(ax)
    >>> [round(line.get_linewidth(), 1) for line in ax.get_lines()]
    [3.2, 2.4]
    >>> plt.close(fig)
    """
    lines = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
    for i, line in enumerate(lines):
        line.set_linestyle(LINESTYLES[i % len(LINESTYLES)])
        line.set_linewidth(widths[min(i, len(widths) - 1)])
        line.set_zorder(2 + i)
    if lines:
        ax.legend(handles=lines, fontsize=8)
