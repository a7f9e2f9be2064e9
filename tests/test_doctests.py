"""Run the docstring examples of lossylib's image modules (they are documentation: keep them
true). Only the modules of the JPEG chapter are listed here; other chapters' modules have
their own tests."""

from __future__ import annotations

import doctest
import importlib
import io

import pytest

MODULES = [
    "lossylib",
    "lossylib.images",
    "lossylib.codecs",
    "lossylib.perturb",
    "lossylib.metrics",
    "lossylib.generations",
    "lossylib.figures",
    "lossylib.__main__",
    "lossylib.claims",
    "lossylib.claims.jpeg",
    "lossylib.explore",
    "lossylib.plots",
]

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


@pytest.mark.parametrize("name", [m for m in MODULES if m != "lossylib.__main__"])
def test_module_has_examples(name):
    """Every listed module documents itself with at least one runnable example."""
    assert sum(len(t.examples) for t in _doctests(name)) >= 1
