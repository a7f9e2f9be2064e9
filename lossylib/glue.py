"""MyST-NB's ``glue`` where MyST-NB is installed, a plain stand-in where it is not.

In the book, hidden cells *glue* computed numbers into the page with ``myst_nb.glue`` and
the prose quotes them with ``{glue:text}``. Outside the book (Colab, a bare Jupyter) MyST-NB
is usually missing and the ``.ipynb`` copies already carry the numbers in their prose (see
``lossylib.notebooks``), so gluing only needs to not fail: the stand-in shows the value
when asked to (``display=True``) and otherwise does nothing.

Chapters can import it directly (``from lossylib.glue import glue``). For code that does
``from myst_nb import glue`` (``lossylib.claims.glue_numbers`` and some chapters),
:func:`provide_myst_nb` registers a tiny ``myst_nb`` module holding the stand-in when the
real one cannot be imported; the first code cell of every ``.ipynb`` copy calls it.

Examples
--------
>>> glue("answer", 42, display=False)  # works with or without MyST-NB
"""

from __future__ import annotations

import sys
import types
from typing import Any

#: Set on the stand-in ``myst_nb`` module so it can be told from the real one.
FALLBACK_FLAG = "__lossy_fallback__"


def fallback_glue(name: str, variable: Any, display: bool = True) -> None:
    """Stand-in for ``myst_nb.glue``: display ``variable`` if asked, keep nothing.

    Parameters
    ----------
    name : str
        The glue key (checked, then unused: there is no page to paste into).
    variable : object
        The value.
    display : bool
        Show the value as the cell's output, as MyST-NB does.

    Examples
    --------
    >>> fallback_glue("x", 1.5, display=False)
    >>> fallback_glue("", 1.5)
    Traceback (most recent call last):
    ...
    ValueError: glue needs a non-empty string name, got ''
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"glue needs a non-empty string name, got {name!r}")
    if display:
        from IPython.display import display as show

        show(variable)


def _real_myst_nb() -> types.ModuleType | None:
    try:
        import myst_nb
    except ImportError:
        return None
    return None if getattr(myst_nb, FALLBACK_FLAG, False) else myst_nb


def glue(name: str, variable: Any, display: bool = True) -> None:
    """``myst_nb.glue`` when MyST-NB is installed, else :func:`fallback_glue`.

    Examples
    --------
    >>> glue("ratio", 0.25, display=False)
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"glue needs a non-empty string name, got {name!r}")
    real = _real_myst_nb()
    (real.glue if real is not None else fallback_glue)(name, variable, display=display)


def provide_myst_nb() -> bool:
    """Make ``from myst_nb import glue`` work; True if the stand-in had to be registered.

    Does nothing when the real MyST-NB can be imported.

    Examples
    --------
    >>> import sys
    >>> provide_myst_nb() == getattr(sys.modules["myst_nb"], FALLBACK_FLAG, False)
    True
    """
    if _real_myst_nb() is not None:
        return False
    module = types.ModuleType("myst_nb", "Stand-in for MyST-NB's glue (lossylib.glue).")
    module.glue = fallback_glue
    setattr(module, FALLBACK_FLAG, True)
    sys.modules["myst_nb"] = module
    return True
