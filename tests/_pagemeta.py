"""A chapter's figure cells as its source declares them: caption, alt text and name, read
from each code cell's YAML metadata, for tests that hold typed captions and alt texts to
the numbers the page computes."""

from __future__ import annotations

import re
from pathlib import Path

import yaml


def figure_metadata(page: Path) -> dict[str, dict]:
    """Each figure cell's ``mystnb`` metadata in ``page``, by figure name."""
    out = {}
    for block in re.findall(
        r"```\{code-cell\} ipython3\n---\n(.*?)\n---\n", page.read_text(), re.S
    ):
        meta = yaml.safe_load(block)
        fig = meta.get("mystnb", {}).get("figure", {})
        if "name" in fig:
            out[fig["name"]] = meta["mystnb"]
    return out
