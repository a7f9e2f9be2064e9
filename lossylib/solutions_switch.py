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

Example
-------
>>> solutions_mode({"LOSSY_SOLUTIONS": "hide"})
'hide'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
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
    return {"parallel_read_safe": True, "parallel_write_safe": True}
