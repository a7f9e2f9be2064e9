"""Every number the "Narrow targets" chapter glues into its prose exists: the names its
``{glue:text}`` roles use are those :func:`lossylib.claims.proxy.page_glue` provides, or
those its own Gao cell glues, so no role is left pointing at nothing."""

from __future__ import annotations

import re
from pathlib import Path

from lossylib.claims import proxy as cp

PAGE = Path(__file__).resolve().parents[1] / "chapters" / "narrow-targets.md"
#: The names the chapter's own cell glues (the Gao fits it draws).
GAO = {
    f"nar_gao_{k}_{f}"
    for k in ("normal", "t10", "t3")
    for f in ("alpha", "beta", "in_rms", "out_max")
}


def test_every_glued_name_in_the_prose_is_glued():
    used = set(re.findall(r"\{glue(?::text)?\}`([^`:]+)(?::[^`]*)?`", PAGE.read_text()))
    glued = {f"{prefix}_{name}" for prefix, numbers in cp.page_glue().items() for name in numbers}
    assert used, "the page quotes glued numbers"
    assert not used - glued - GAO, sorted(used - glued - GAO)


def test_page_glue_formats_as_the_prose_asks():
    """Each role's format spec applies to its value (a string glued where the prose asks
    for a number would fail the build)."""
    numbers = {
        f"{prefix}_{name}": value
        for prefix, group in cp.page_glue().items()
        for name, value in group.items()
    }
    for name, spec in re.findall(r"\{glue:text\}`([^`:]+):([^`]*)`", PAGE.read_text()):
        if name in numbers:
            format(numbers[name], spec)
