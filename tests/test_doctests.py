"""Run the docstring examples of every lossylib module: they are documentation, so keep
them true."""

from __future__ import annotations

import doctest
import importlib
import io
import pkgutil

import pytest

import lossylib

MODULES = ["lossylib"] + sorted(
    info.name
    for info in pkgutil.walk_packages(lossylib.__path__, "lossylib.")
    if info.name != "lossylib.sphinxext" or importlib.util.find_spec("sphinx")
)

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _doctests(name: str) -> list[doctest.DocTest]:
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    tests = [t for t in finder.find(module, name) if t.examples]
    # Only examples written in this module (not ones re-exported from elsewhere).
    return [t for t in tests if t.filename == module.__file__]


@pytest.fixture(autouse=True)
def _agg_and_close():
    import matplotlib
    import matplotlib.pyplot as plt

    matplotlib.use("Agg")
    yield
    plt.close("all")


@pytest.mark.parametrize("name", MODULES)
def test_module_doctests(name):
    tests = _doctests(name)
    out = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    for t in tests:
        runner.run(t, out=out.write)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} doctest example(s) failed:\n{out.getvalue()}"


#: Modules exempt from carrying an example: the command line, input validation, and
#: chapter-specific figure and claim modules (their chapters and tests exercise them).
EXEMPT = {
    "lossylib.__main__",
    "lossylib.collapse._validate",
    "lossylib.collapse.figures",
    "lossylib.curation.figures",
    "lossylib.claims.curation",
    "lossylib.claims.tail",
}
DOCUMENTED = [m for m in MODULES if m not in EXEMPT]


@pytest.mark.parametrize("name", DOCUMENTED)
def test_module_has_examples(name):
    """Every listed module documents itself with at least one runnable example."""
    assert sum(len(t.examples) for t in _doctests(name)) >= 1
