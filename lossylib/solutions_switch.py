"""A Sphinx extension: build the book with or without the exercises' solution dropdowns.

The one switch is the environment variable ``LOSSY_SOLUTIONS`` (``show``, the default, or
``hide``); ``make book SOLUTIONS=hide`` sets it. It becomes the Sphinx configuration value
``lossy_solutions`` (which ``_config.yml`` may also set under ``sphinx: config:``).

Why not sphinx-exercise's own ``hide_solutions`` option? In sphinx-exercise 1.2.1 it only
works for the single ``{solution}`` directive: with the gated ``{solution-start}`` /
``{solution-end}`` pair the chapters use (so solutions can hold code cells), the start
directive returns nothing, the solution's cells stay on the page, and the HTML writer
fails on the left-over end node ("departing unknown node type: solution_end_node"). This
extension instead lets sphinx-exercise merge each gated pair into one solution node and
then removes every solution node, cells and prose included.

The pages are not all a reader can download. Each page's source (its ``.md``, with every
solution and every ``otter-hidden`` test) is copied to ``_sources`` and offered by the
theme's download button; in ``hide`` mode this extension offers no source (the button is
dropped and Sphinx copies no source file) and, when the build finishes, deletes every file
of ``_sources`` but the ``.ipynb`` notebooks (an earlier build into the same folder may have
left sources there). The notebooks are the student copies (see :mod:`lossylib.sphinxext`,
which also points the Colab and Binder buttons at them).

Example
-------
>>> solutions_mode({"LOSSY_SOLUTIONS": "hide"})
'hide'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ConfigError
from sphinx.transforms import SphinxTransform

MODES = ("show", "hide")


def solutions_mode(environ: Mapping[str, str] = os.environ) -> str:
    """The mode ``LOSSY_SOLUTIONS`` asks for (``show`` when unset).

    Raises
    ------
    ValueError
        If the variable holds anything but ``show`` or ``hide``.
    """
    mode = environ.get("LOSSY_SOLUTIONS", "show").strip().lower() or "show"
    if mode not in MODES:
        raise ValueError(f"LOSSY_SOLUTIONS must be 'show' or 'hide', not {mode!r}")
    return mode


class RemoveSolutions(SphinxTransform):
    """Drop every sphinx-exercise solution node when ``lossy_solutions`` is ``hide``."""

    # sphinx-exercise merges gated solutions at priority 10; run right after.
    default_priority = 11

    def apply(self, **kwargs: Any) -> None:
        if self.config.lossy_solutions != "hide":
            return
        from sphinx_exercise.nodes import solution_end_node, solution_node, solution_start_node

        for kind in (solution_node, solution_start_node, solution_end_node):
            for node in list(self.document.findall(kind)):
                node.parent.remove(node)


#: The label sphinx-book-theme gives the button that downloads a page's source.
SOURCE_BUTTON = "download-source-button"


def _drop_source_buttons(buttons: list[dict]) -> None:
    buttons[:] = [b for b in buttons if b.get("label") != SOURCE_BUTTON]
    for b in buttons:
        _drop_source_buttons(b.get("buttons", []))


def offer_no_source(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context`` handler (after the theme's buttons): in ``hide`` mode, drop
    the page's source download button and its ``sourcename``, so that Sphinx does not copy
    the source (with the solutions) to ``_sources``.

    Example
    -------
    >>> from types import SimpleNamespace
    >>> app = SimpleNamespace(config=SimpleNamespace(lossy_solutions="hide"))
    >>> md = {"type": "link", "label": SOURCE_BUTTON, "url": "_sources/a.md"}
    >>> group = {"type": "group", "buttons": [{"label": "download-notebook-button"}, md]}
    >>> context = {"sourcename": "a.md", "header_buttons": [group]}
    >>> offer_no_source(app, "a", "page.html", context, None)
    >>> context["sourcename"], group["buttons"]
    ('', [{'label': 'download-notebook-button'}])
    """
    if app.config.lossy_solutions != "hide":
        return
    context["sourcename"] = ""
    _drop_source_buttons(context.get("header_buttons", []))


def remove_sources(outdir: Path | str) -> list[Path]:
    """Delete every file of ``outdir/_sources`` but the ``.ipynb`` notebooks; return them."""
    folder = Path(outdir) / "_sources"
    removed = [p for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix != ".ipynb"]
    for path in removed:
        path.unlink()
    return removed


def _remove_sources(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished`` handler: :func:`remove_sources` in ``hide`` mode."""
    if exception is None and app.config.lossy_solutions == "hide":
        remove_sources(app.outdir)


def _check(app: Sphinx, config: Any) -> None:
    if config.lossy_solutions not in MODES:
        raise ConfigError(
            f"lossy_solutions must be 'show' or 'hide', not {config.lossy_solutions!r}"
        )


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the ``lossy_solutions`` setting and the transform."""
    try:
        default = solutions_mode()
    except ValueError as e:
        raise ConfigError(str(e)) from None
    app.add_config_value("lossy_solutions", default, "env")
    app.connect("config-inited", _check)
    app.add_transform(RemoveSolutions)
    # sphinx-book-theme adds its header buttons at priority 501; run after it.
    app.connect("html-page-context", offer_no_source, priority=600)
    app.connect("build-finished", _remove_sources)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
