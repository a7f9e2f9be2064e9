"""Checks of drawn matplotlib figures for what a reader would see at a glance: text that
a line, bar or band runs through, labels on top of each other, a figure's legend on a
panel, text too small to read, and fractional generations.

:func:`problems` runs them all; the ``drawn`` fixture (``conftest.py``) draws a test
module's ``_figures()``, the chapter's own calls, once.
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.patches import Rectangle
from matplotlib.text import Text

#: The smallest legend or label text readers are asked to read (points).
MIN_POINTS = 8

#: The book's text column at a 1280 px window (CSS pixels): a figure wider than this
#: is scaled down by the browser, its text with it.
COLUMN = 672


def shown_width(fig) -> int:
    """The width, in CSS pixels, the book shows ``fig`` at (its output's metadata)."""
    from lossylib.plots import figure_png

    return figure_png(fig)[1]["width"]


def _texts(ax) -> list:
    """The legend entries and annotations of ``ax``: text a reader has to read."""
    legend = ax.get_legend()
    texts = list(legend.get_texts()) if legend is not None else []
    return texts + [t for t in ax.texts if t.get_visible() and t.get_text().strip()]


def _extent(text, renderer):
    """Where the words of ``text`` are drawn: an annotation's own extent also holds its
    arrow, which ends on the point it names."""
    return Text.get_window_extent(text, renderer)


def _dense(points: np.ndarray, step: float = 1.0) -> np.ndarray:
    """The points of a polyline in display pixels, with more on every segment so that no
    two in a row are more than ``step`` pixels apart."""
    out = [points[:1]]
    for a, b in zip(points[:-1], points[1:], strict=True):
        n = max(1, int(np.ceil(np.hypot(*(b - a)) / step)))
        t = np.linspace(0, 1, n + 1)[1:, None]
        out.append(a + t * (b - a))
    return np.concatenate(out)


def text_crossings(fig) -> list[str]:
    """Legend entries and annotations whose text a line (data or reference line, or its
    markers) crosses, or a bar covers (pale shadings behind the data do not count)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    found = []
    for ax in fig.axes:
        texts = _texts(ax)
        if not texts:
            continue
        polylines = []
        for line in ax.get_lines():
            if not line.get_visible():
                continue
            xy = np.asarray(line.get_xydata(), dtype=float)
            xy = xy[np.isfinite(xy).all(axis=1)]
            if len(xy):
                pts = _dense(line.get_transform().transform(xy))
                if line.get_clip_on():  # what lies beyond the axes is not drawn
                    box = ax.bbox
                    pts = pts[
                        (pts[:, 0] >= box.x0)
                        & (pts[:, 0] <= box.x1)
                        & (pts[:, 1] >= box.y0)
                        & (pts[:, 1] <= box.y1)
                    ]
                polylines.append((line.get_label(), pts))
        bars = [
            (p.get_label() or "a bar", p.get_window_extent(renderer))
            for p in ax.patches
            if isinstance(p, Rectangle)
            and p.get_visible()
            and p.get_width()
            and p.get_height()
            and p.get_facecolor()[3] >= 0.5  # not a pale shading behind the data
        ]
        for text in texts:
            box = _extent(text, renderer).expanded(1.0, 1.0)
            for label, pts in polylines:
                inside = (
                    (pts[:, 0] > box.x0)
                    & (pts[:, 0] < box.x1)
                    & (pts[:, 1] > box.y0)
                    & (pts[:, 1] < box.y1)
                )
                if inside.any():
                    found.append(f"{text.get_text()!r} is crossed by {label!r}")
            for label, extent in bars:
                if box.overlaps(extent):
                    found.append(f"{text.get_text()!r} is covered by {label!r}")
    return found


def _overlaps(texts, renderer) -> list[str]:
    """The pairs of ``texts`` whose drawn extents overlap."""
    boxes = [(t.get_text(), _extent(t, renderer)) for t in texts]
    return [
        f"{a!r} overlaps {b!r}"
        for i, (a, box_a) in enumerate(boxes)
        for b, box_b in boxes[i + 1 :]
        if box_a.overlaps(box_b)
    ]


def overlapping_texts(fig) -> list[str]:
    """Pairs of legend entries and annotations of one axes whose texts overlap."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    return [pair for ax in fig.axes for pair in _overlaps(_texts(ax), renderer)]


def fractional_ticks(ax, axis: str = "x") -> list[float]:
    """The ticks inside the view of ``axis`` that are not whole numbers."""
    lo, hi = sorted(ax.get_xlim() if axis == "x" else ax.get_ylim())
    ticks = (ax.get_xticks() if axis == "x" else ax.get_yticks()).astype(float)
    shown = ticks[(ticks >= lo) & (ticks <= hi)]
    return [float(t) for t in shown if not float(t).is_integer()]


def bands_under_legends(fig) -> list[str]:
    """Legend entries whose text a shaded band (``fill_between``) touches or covers."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    found = []
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None:
            continue
        bands = [c for c in ax.collections if isinstance(c, PolyCollection) and c.get_visible()]
        for text in legend.get_texts():
            box = _extent(text, renderer).expanded(1.0, 1.0)
            for band in bands:
                to_display = band.get_transform()
                if any(p.transformed(to_display).intersects_bbox(box) for p in band.get_paths()):
                    found.append(f"{text.get_text()!r} is touched by a band")
                    break
    return found


def figure_legend_problems(fig) -> list[str]:
    """A legend of the figure (not of an axes) that lies on a panel, or whose entries
    overlap each other."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    found = []
    for legend in fig.legends:
        box = legend.get_window_extent(renderer)
        if any(box.overlaps(ax.get_tightbbox(renderer)) for ax in fig.axes):
            found.append("a figure legend lies on a panel")
        found += _overlaps(legend.get_texts(), renderer)
    return found


def _axis_texts(ax) -> list:
    """The tick labels inside the view of ``ax`` and its axis labels."""
    texts = [ax.xaxis.label, ax.yaxis.label]
    for axis, (lo, hi) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
        lo, hi = sorted((lo, hi))
        for tick in axis.get_major_ticks() + axis.get_minor_ticks():
            if lo <= tick.get_loc() <= hi:
                texts += [t for t in (tick.label1, tick.label2) if t.get_visible()]
    return [t for t in texts if t.get_visible() and t.get_text().strip()]


def crowded_ticks(fig, gap: float = 1.0) -> list[str]:
    """Tick and axis labels that touch each other (closer than ``gap`` pixels), on one
    axis or between panels, such as a panel's last tick label running into the next
    panel's first."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [
        (t.get_text(), _extent(t, renderer).padded(gap / 2))
        for ax in fig.axes
        for t in _axis_texts(ax)
    ]
    return [
        f"{a!r} touches {b!r}"
        for i, (a, box_a) in enumerate(boxes)
        for b, box_b in boxes[i + 1 :]
        if box_a.overlaps(box_b)
    ]


def small_texts(fig, points: float = MIN_POINTS) -> list[str]:
    """Legend entries (of the axes and of the figure) and labels under ``points``."""
    texts = [t for legend in fig.legends for t in legend.get_texts()]
    for ax in fig.axes:
        texts += _texts(ax)
    return [
        f"{t.get_text()!r} is {t.get_fontsize():g} pt" for t in texts if t.get_fontsize() < points
    ]


def problems(fig) -> list[str]:
    """Everything the checks above find in ``fig``, and fractional generations."""
    found = text_crossings(fig) + overlapping_texts(fig) + bands_under_legends(fig)
    found += figure_legend_problems(fig) + small_texts(fig) + crowded_ticks(fig)
    for ax in fig.axes:
        if ax.get_xlabel() == "generation" and fractional_ticks(ax):
            found.append(f"generation ticks {fractional_ticks(ax)} are not whole")
    return found
