"""Explorables: precomputed frames that work in static HTML, and live widgets in a kernel.

A reader of the built book has no kernel, so every explorable is first a small grid of
precomputed frames (images) keyed by the values of a few controls. :func:`static` turns
that grid into one self-contained block of HTML: the frames inline as base64, a few lines
of inline JavaScript, no CDN, accessible labels. :func:`live` offers the same controls as
ipywidgets that recompute on demand when a kernel is running.

Examples
--------
>>> frames = {(q, g): b"..." for q in (50, 90) for g in (0, 1)}
>>> controls = [Choice("q", "quality", (50, 90)), Slider("g", "generation", (0, 1))]
>>> html = static(frames, controls, mime="image/png", alt="A test frame")
>>> "<script>" in html.data
True
"""

from __future__ import annotations

import base64
import html as _html
import io
import itertools
import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from IPython.display import HTML


@dataclass(frozen=True)
class Slider:
    """An ordered control (a range input). ``values`` are the positions, in order."""

    name: str
    label: str
    values: Sequence[Any]


@dataclass(frozen=True)
class Choice:
    """An unordered control (a drop-down). ``labels`` name the options if given."""

    name: str
    label: str
    values: Sequence[Any]
    labels: Sequence[str] | None = None


Control = Slider | Choice


CONTROL_STYLE = "display:inline-flex;flex-wrap:wrap;align-items:center;gap:0.4em"
SLIDER_STYLE = "display:inline-flex;align-items:center;gap:0.4em;white-space:nowrap"


def _key(values: Sequence[Any]) -> str:
    return "|".join(str(v) for v in values)


def static(
    frames: Mapping[tuple, bytes],
    controls: Sequence[Control],
    *,
    mime: str = "image/png",
    alt: str | Callable[[dict], str] = "",
    caption: Callable[[dict], str] | None = None,
    width: int | None = None,
    pixelated: bool = False,
    start: Mapping[str, Any] | None = None,
    presets: Sequence[tuple[str, Mapping[str, Any]]] = (),
) -> HTML:
    """A self-contained explorable over precomputed frames.

    Parameters
    ----------
    frames : mapping
        ``{(value_of_control_1, value_of_control_2, ...): image_bytes}`` for every
        combination of the controls' values.
    controls : sequence of Slider or Choice
        In the same order as the keys of ``frames``.
    mime : str
        The frames' MIME type (``image/png``, ``image/jpeg``, ``image/webp``, ...), or a
        mapping from frame key to MIME type when frames differ.
    alt : str or callable
        Alt text; a callable receives ``{control_name: value}`` and describes that frame.
    caption : callable, optional
        A live caption under the image, from the same mapping.
    width : int, optional
        Display width in CSS pixels (defaults to the image's own width).
    pixelated : bool
        Scale with nearest-neighbour so compression artifacts stay visible.
    start : mapping, optional
        ``{control_name: value}`` shown first (defaults to each control's first value).
    presets : sequence of (label, mapping)
        Buttons that jump to an interesting setting in one move: each sets the named
        controls to the given values (others keep theirs).

    Returns
    -------
    IPython.display.HTML
        Renders in Jupyter and, unchanged, in the built HTML book.
    """
    if not controls:
        raise ValueError("an explorable needs at least one control")
    combos = list(itertools.product(*(c.values for c in controls)))
    missing = [k for k in combos if tuple(k) not in frames]
    if missing:
        raise ValueError(f"no frame for {len(missing)} combination(s), e.g. {missing[0]}")
    uid = "lx" + uuid.uuid5(uuid.NAMESPACE_OID, repr(sorted(map(str, frames)))).hex[:10]
    by_name = {c.name: c for c in controls}

    def check_setting(setting: Mapping[str, Any], what: str) -> None:
        for name, value in setting.items():
            if name not in by_name:
                raise ValueError(f"{what} names an unknown control {name!r}")
            if value not in by_name[name].values:
                raise ValueError(f"{what} sets {name!r} to {value!r}, not one of its values")

    start = dict(start or {})
    check_setting(start, "start")
    for label, setting in presets:
        check_setting(setting, f"preset {label!r}")
    initial = tuple(start.get(c.name, c.values[0]) for c in controls)

    def describe(combo: tuple) -> dict:
        return {c.name: v for c, v in zip(controls, combo, strict=True)}

    def mime_of(combo: tuple) -> str:
        return mime[combo] if isinstance(mime, Mapping) else mime

    # Identical frames (e.g. the same original under every setting) are stored once.
    sources: list[str] = []
    index: dict[str, int] = {}
    data = {}
    for k in combos:
        src = f"data:{mime_of(k)};base64,{base64.b64encode(frames[k]).decode()}"
        if src not in index:
            index[src] = len(sources)
            sources.append(src)
        data[_key(k)] = {
            "s": index[src],
            "alt": alt(describe(k)) if callable(alt) else alt,
            "cap": caption(describe(k)) if caption else "",
        }
    first = {**data[_key(initial)], "src": sources[data[_key(initial)]["s"]]}
    parts = [f'<div class="lossy-explorable" id="{uid}">', '<div class="lossy-controls">']
    for i, c in enumerate(controls):
        cid = f"{uid}-c{i}"
        # a control's label, input and value move to the next line together (styled
        # inline too: a notebook shows the block without the book's stylesheet)
        parts.append(f'<span class="lossy-control" style="{CONTROL_STYLE}">')
        parts.append(f'<label for="{cid}">{_html.escape(c.label)}</label>')
        at = list(c.values).index(initial[i])
        if isinstance(c, Slider):
            # the slider and its value never part, even where the label goes above them
            parts.append(
                f'<span style="{SLIDER_STYLE}">'
                f'<input type="range" id="{cid}" min="0" max="{len(c.values) - 1}" step="1" '
                f'value="{at}" '
                f'data-values="{_html.escape(json.dumps([str(v) for v in c.values]))}">'
                f'<output for="{cid}" id="{cid}-out">{_html.escape(str(c.values[at]))}</output>'
                "</span>"
            )
        else:
            labels = c.labels or [str(v) for v in c.values]
            opts = "".join(
                f'<option value="{_html.escape(str(v))}"{" selected" if j == at else ""}>'
                f"{_html.escape(lab)}</option>"
                for j, (v, lab) in enumerate(zip(c.values, labels, strict=True))
            )
            parts.append(f'<select id="{cid}">{opts}</select>')
        parts.append("</span>")
    parts.append("</div>")
    if presets:
        parts.append('<div class="lossy-presets" role="group" aria-label="interesting settings">')
        for label, setting in presets:
            values = {
                str(i): str(setting[c.name]) for i, c in enumerate(controls) if c.name in setting
            }
            parts.append(
                f'<button type="button" class="lossy-preset" '
                f"data-preset='{_html.escape(json.dumps(values))}'>{_html.escape(label)}</button>"
            )
        parts.append("</div>")
    style = f"width:{width}px;" if width else ""
    if pixelated:
        style += "image-rendering:pixelated;"
    parts.append(
        f'<img id="{uid}-img" src="{first["src"]}" alt="{_html.escape(first["alt"])}" '
        f'style="{style}max-width:100%;height:auto">'
    )
    parts.append(
        f'<p class="lossy-explorable-caption" id="{uid}-cap" aria-live="polite">'
        f"{_html.escape(first['cap'])}</p></div>"
    )
    n = len(controls)
    script = f"""<script>(function(){{
var S={json.dumps(sources)};var F={json.dumps(data)};var n={n};var id="{uid}";
function val(i){{var e=document.getElementById(id+"-c"+i);
 if(e.type==="range"){{var v=JSON.parse(e.dataset.values)[+e.value];
  document.getElementById(id+"-c"+i+"-out").textContent=v;return v;}}return e.value;}}
function show(){{var k=[];for(var i=0;i<n;i++)k.push(val(i));var f=F[k.join("|")];if(!f)return;
 var im=document.getElementById(id+"-img");im.src=S[f.s];im.alt=f.alt;
 document.getElementById(id+"-cap").textContent=f.cap;}}
for(var i=0;i<n;i++){{var e=document.getElementById(id+"-c"+i);
 e.addEventListener("input",show);e.addEventListener("change",show);}}
document.querySelectorAll("#"+id+" .lossy-preset").forEach(function(b){{
 b.addEventListener("click",function(){{var p=JSON.parse(b.dataset.preset);
  for(var i in p){{var e=document.getElementById(id+"-c"+i);
   if(e.type==="range"){{e.value=JSON.parse(e.dataset.values).indexOf(p[i]);}}
   else{{e.value=p[i];}}}}show();}});}});
}})();</script>"""
    return HTML("".join(parts) + script)


def live(
    render: Callable[..., Any],
    controls: Sequence[Control],
) -> Any:
    """The same controls as ipywidgets, calling ``render(**values)`` on every change.

    ``render`` may return a matplotlib figure, a PIL image or anything IPython displays.
    Needs a running kernel with ipywidgets; in the static book use :func:`static`.

    Examples
    --------
    >>> w = live(lambda g: g * 2, [Slider("g", "generation", (0, 1, 2))])  # doctest: +SKIP
    """
    import ipywidgets as widgets

    kwargs = {}
    for c in controls:
        if isinstance(c, Slider):
            kwargs[c.name] = widgets.SelectionSlider(
                options=list(c.values), description=c.label, continuous_update=False
            )
        else:
            labels = c.labels or [str(v) for v in c.values]
            kwargs[c.name] = widgets.Dropdown(
                options=list(zip(labels, c.values, strict=True)), description=c.label
            )
    return widgets.interactive(render, **kwargs)


def dead_controls(frames: Mapping[tuple, Any], controls: Sequence[Control]) -> list[str]:
    """Where moving one control leaves the frame unchanged (an explorable wants none).

    For each control and each setting of the others, the frames over that control's
    values are compared; if they are all equal, the control does nothing there.

    Examples
    --------
    >>> controls = [Slider("a", "A", (0, 1)), Slider("b", "B", (0, 1))]
    >>> frames = {(a, b): f"{a}".encode() for a in (0, 1) for b in (0, 1)}  # b ignored
    >>> dead_controls(frames, controls)
    ['B at (0,)', 'B at (1,)']
    """
    dead = []
    for i, control in enumerate(controls):
        others = [o.values for j, o in enumerate(controls) if j != i]
        for rest in itertools.product(*others):
            shown = {frames[(*rest[:i], v, *rest[i:])] for v in control.values}
            if len(shown) == 1:
                dead.append(f"{control.label} at {rest}")
    return dead


def chart_png(
    fig: Any, *, dpi: int | None = None, colours: int = 256, close: bool = False
) -> bytes:
    """A chart as a palette PNG (:func:`lossylib.plots.palette_png`) at the book's
    resolution, for frames of an explorable.

    Every frame is drawn at the book's :data:`lossylib.plots.DPI` and shown at its own
    size, so the explorable's text is as large as the static figures'. (Unlike those,
    frames are not drawn at :data:`lossylib.plots.SHARP` times that: an explorable
    holds tens of frames, and each would take twice the bytes.)

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The frame, drawn.
    dpi : int, optional
        Pixels per inch (default :data:`lossylib.plots.DPI`).
    colours : int
        Palette size, 2 to 256.
    close : bool
        Close the figure afterwards (for a figure made for this frame only).

    Examples
    --------
    >>> import matplotlib.figure
    >>> fig = matplotlib.figure.Figure(figsize=(2, 1))
    >>> _ = fig.add_subplot().plot([0, 1], [0, 1])
    >>> from PIL import Image
    >>> frame = Image.open(io.BytesIO(chart_png(fig)))
    >>> frame.size, frame.mode
    ((192, 96), 'P')
    """
    from lossylib import plots

    data = plots.palette_png(fig, dpi=dpi or plots.DPI, colours=colours)
    if close:
        import matplotlib.pyplot as plt

        plt.close(fig)
    return data


def image_bytes(image: Any, fmt: str = "PNG", **save_args: Any) -> bytes:
    """Encode a PIL image to bytes, for frames of an explorable."""
    buf = io.BytesIO()
    image.save(buf, format=fmt, **save_args)
    return buf.getvalue()
