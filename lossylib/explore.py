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
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from IPython.display import HTML

from .checks import check_number


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


def _check_controls(controls: object) -> None:
    """Controls of known kinds, with distinct names and at least one value each."""
    if isinstance(controls, str | bytes) or not isinstance(controls, Sequence):
        raise ValueError(f"controls must be a list of Slider or Choice, got {controls!r}")
    if not controls:
        raise ValueError("an explorable needs at least one control")
    names = set()
    for c in controls:
        if not isinstance(c, Slider | Choice):
            raise ValueError(f"controls must be Slider or Choice, got {c!r}")
        if c.name in names:
            raise ValueError(f"two controls are named {c.name!r}")
        names.add(c.name)
        values = c.values
        if isinstance(values, str | bytes) or not isinstance(values, Collection) or not len(values):
            raise ValueError(
                f"control {c.name!r} needs a non-empty list of values, got {c.values!r}"
            )
        if any("|" in str(v) for v in c.values):
            raise ValueError(f"control {c.name!r}: a value must not contain '|', got {c.values!r}")
        labels = getattr(c, "labels", None)
        if labels is not None and len(labels) != len(c.values):
            raise ValueError(
                f"control {c.name!r} has {len(labels)} labels for {len(c.values)} values"
            )


def _check_frames(frames: object, controls: Sequence[Control]) -> list[tuple]:
    """Every combination of the controls' values, each with a frame in ``frames``."""
    if not isinstance(frames, Mapping):
        raise ValueError(f"frames must be a mapping of value tuples to frames, got {frames!r}")
    combos = list(itertools.product(*(c.values for c in controls)))
    missing = [k for k in combos if tuple(k) not in frames]
    if missing:
        raise ValueError(f"no frame for {len(missing)} combination(s), e.g. {missing[0]}")
    return combos


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
    _check_controls(controls)
    combos = _check_frames(frames, controls)
    for k in combos:
        if not isinstance(frames[k], bytes | bytearray):
            raise ValueError(f"frames must be image bytes, got {type(frames[k]).__name__} at {k}")
        if isinstance(mime, Mapping) and k not in mime:
            raise ValueError(f"mime has no type for the frame at {k}")
    if not isinstance(mime, str | Mapping):
        raise ValueError(f"mime must be a MIME type or a mapping of them, got {mime!r}")
    if not isinstance(alt, str) and not callable(alt):
        raise ValueError(f"alt must be text or a function, got {alt!r}")
    if caption is not None and not callable(caption):
        raise ValueError(f"caption must be a function, got {caption!r}")
    if width is not None:
        check_number(width, "width")
    if start is not None and not isinstance(start, Mapping):
        raise ValueError(f"start must be a mapping of control names to values, got {start!r}")
    for preset in presets:
        if not isinstance(preset, tuple | list) or len(preset) != 2:
            raise ValueError(f"presets must be (label, settings) pairs, got {preset!r}")
        if not isinstance(preset[1], Mapping):
            raise ValueError(f"preset {preset[0]!r} must map control names to values")
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
    _check_controls(controls)
    _check_frames(frames, controls)
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
        Pixels per inch (default :data:`lossylib.plots.DPI`); a positive number.
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

    data = plots.palette_png(fig, dpi=plots.DPI if dpi is None else dpi, colours=colours)
    if close:
        import matplotlib.pyplot as plt

        plt.close(fig)
    return data


def image_bytes(image: Any, fmt: str = "PNG", **save_args: Any) -> bytes:
    """Encode a PIL image to bytes, for frames of an explorable (``fmt``: a format Pillow
    writes, such as ``"PNG"`` or ``"JPEG"``)."""
    from PIL import Image

    from .images import check_image

    check_image(image)
    Image.init()
    if not isinstance(fmt, str) or fmt.upper() not in Image.SAVE:
        raise ValueError(f"fmt must be an image format Pillow writes, such as 'PNG', got {fmt!r}")
    buf = io.BytesIO()
    try:
        image.save(buf, format=fmt, **save_args)
    except OSError as err:
        raise ValueError(f"cannot save this {image.mode} image as {fmt}: {err}") from None
    return buf.getvalue()
