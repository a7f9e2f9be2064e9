"""Research-progress models for the chapter "The complexity brake".

- :mod:`~lossylib.growth.model`: the semi-endogenous model dA/dt = delta S^lambda A^phi,
  its closed forms (:func:`closed_form`, :func:`blowup_time`) and a numerical integrator;
- :mod:`~lossylib.growth.loop`: a self-improvement loop with explicit frictions;
- :mod:`~lossylib.growth.productivity`: research productivity falling at a constant rate;
- :mod:`~lossylib.growth.search`: parallel and diverse searchers on rugged landscapes;
- :mod:`~lossylib.growth.agents`: parallel agents on real data (classifiers on the
  digits) and how much they repeat each other;
- :mod:`~lossylib.growth.difficulty`: item-response models (skill and difficulty), the
  baseline for that;
- :mod:`~lossylib.growth.data`: the US patent and population series, checked.

Examples
--------
>>> from lossylib import growth
>>> growth.blowup_time(a0=1, delta=1, s=1, lam=1, phi=2)
1.0
"""

from lossylib.growth.data import (
    load_patents,
    load_population,
    patents_per_million,
    per_capita,
)
from lossylib.growth.loop import (
    REGIMES,
    amdahl,
    classify,
    loop_rate,
    loop_regimes,
    parallel_speedup,
    regime_map,
    research_input,
    simulate,
    smallest_growth_rate,
    usl_peak,
)
from lossylib.growth.model import blowup_time, closed_form, integrate

__all__ = [
    "REGIMES",
    "amdahl",
    "blowup_time",
    "classify",
    "closed_form",
    "integrate",
    "load_patents",
    "load_population",
    "loop_rate",
    "loop_regimes",
    "parallel_speedup",
    "patents_per_million",
    "per_capita",
    "regime_map",
    "research_input",
    "simulate",
    "smallest_growth_rate",
    "usl_peak",
]
