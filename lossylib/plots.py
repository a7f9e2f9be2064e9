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

# CSS pixels per inch of every figure in the book, static or explorable: text of 8 pt
# is 8 * DPI / 72 = 10.7 CSS pixels high.
DPI = 96

#: Image pixels per CSS pixel of a chart in a notebook or the book (see figure_png):
#: sharp on the high-density screens of most laptops and phones.
SHARP = 2

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
    """Apply the book's matplotlib style, and in IPython show figures with
    :func:`figure_png` (idempotent)."""
    mpl.rcParams.update(STYLE)
    _show_figures_sharp()


def palette_png(fig: Any, *, dpi: float, colours: int = 256, **savefig: Any) -> bytes:
    """``fig`` as a PNG with a palette of at most ``colours`` colours.

    A chart is line art on white: 256 colours hold its lines, text and their
    anti-aliasing to within a few grey levels, in less than half the bytes of a
    full-colour PNG. Not for pictures (photographs, heat maps): see :func:`figure_png`.

    Examples
    --------
    >>> import io
    >>> from PIL import Image
    >>> fig, ax = figure(figsize=(2, 1))
    >>> _ = ax.plot([0, 1], [0, 1])
    >>> Image.open(io.BytesIO(palette_png(fig, dpi=50))).mode
    'P'
    >>> plt.close(fig)
    """
    import io

    from PIL import Image

    if isinstance(colours, bool) or not isinstance(colours, int) or not 2 <= colours <= 256:
        raise ValueError(f"colours must be a whole number from 2 to 256, not {colours!r}")
    raw = io.BytesIO()
    fig.savefig(raw, format="png", dpi=dpi, **savefig)
    with Image.open(raw) as full:
        palette = full.convert("RGB").quantize(colours, method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    palette.save(out, format="PNG", optimize=True, dpi=(dpi, dpi))
    return out.getvalue()


def figure_png(fig: Any) -> tuple[bytes, dict]:
    """How the book shows a figure: PNG bytes and the width to show them at.

    A chart (no picture in it) is drawn at :data:`SHARP` times the book's resolution,
    with a palette (:func:`palette_png`), and shown at the book's size: as sharp as the
    screen, in fewer bytes than a full-colour PNG at the book's resolution. A figure
    with a picture in it (``imshow``: photographs, compression artifacts, heat maps)
    keeps every colour and the book's resolution. Both are trimmed to their content,
    as Jupyter's inline figures are.

    Returns
    -------
    (bytes, dict)
        The PNG and ``{"width": css_pixels}``, the output metadata Jupyter and MyST-NB
        size an image by (no height: a narrow screen scales it down in proportion).

    Examples
    --------
    >>> fig, ax = figure(figsize=(2, 1))
    >>> _ = ax.plot([0, 1], [0, 1])
    >>> data, meta = figure_png(fig)
    >>> list(meta), data[1:4] == b"PNG"
    (['width'], True)
    >>> plt.close(fig)
    """
    import io

    from PIL import Image

    picture = any(ax.get_images() for ax in fig.axes)
    if picture:
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
        data, scale = buf.getvalue(), 1
    else:
        data, scale = palette_png(fig, dpi=SHARP * DPI, bbox_inches="tight"), SHARP
    with Image.open(io.BytesIO(data)) as im:
        width = round(im.width / scale)
    return data, {"width": width}


def _show_figures_sharp() -> None:
    """In IPython (a notebook, or the book's build), display figures by
    :func:`figure_png`; elsewhere, nothing."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with every Jupyter kernel
        return
    shell = get_ipython()
    formatters = getattr(getattr(shell, "display_formatter", None), "formatters", {})
    if "image/png" in formatters:
        from matplotlib.figure import Figure

        # Load the backend first: Jupyter's inline backend, once loaded, sets its own PNG
        # formatter, which would replace ours for the notebook's first figure.
        getattr(plt, "_get_backend_mod", lambda: None)()

        formatters["image/png"].for_type(Figure, figure_png)


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


def place_in_pixels(
    axes: Sequence[Sequence[Any]],
    width: int,
    heights: Sequence[int],
    *,
    titles: Sequence[int],
    hgap: int,
    vgap: int,
    margin: int = 0,
) -> None:
    """Lay out rows of panels on whole CSS pixels and size their figure to fit.

    Every panel of row ``r`` becomes exactly ``width`` x ``heights[r]`` pixels at
    :data:`DPI`, with ``titles[r]`` pixels above it for its title, ``hgap`` pixels between
    columns, ``vgap`` between rows and ``margin`` around. A picture drawn there with
    nearest-neighbour at one pixel per array pixel reaches the page unresampled (the
    book shows pictures at their own size, :func:`figure_png`), so a zoomed crop keeps
    its hard edges.

    Examples
    --------
    >>> fig, axes = figure(1, 2)
    >>> place_in_pixels([axes], 40, [30], titles=[10], hgap=8, vgap=0)
    >>> [round(v) for v in fig.get_size_inches() * DPI]
    [88, 40]
    >>> plt.close(fig)
    """
    fig = axes[0][0].figure
    cols = max(len(row) for row in axes)
    tops, y = [], margin
    for r, height in enumerate(heights):
        y += titles[r]
        tops.append(y)
        y += height + (vgap if r < len(heights) - 1 else 0)
    fig_w, fig_h = 2 * margin + cols * width + (cols - 1) * hgap, y + margin
    fig.set_layout_engine("none")
    fig.set_size_inches(fig_w / DPI, fig_h / DPI)
    for r, row in enumerate(axes):
        for c, ax in enumerate(row):
            left, bottom = margin + c * (width + hgap), fig_h - tops[r] - heights[r]
            ax.set_position([left / fig_w, bottom / fig_h, width / fig_w, heights[r] / fig_h])


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
