"""Recursive refitting of distributions: how models trained on their own outputs lose tails.

One module per model, all sharing the data policies of :mod:`.policies`:

- :mod:`.gaussian`: a normal distribution refitted to its own samples (the MLE and the
  unbiased variance), with the closed forms it is held to;
- :mod:`.mixture`: a two-component Gaussian mixture refitted by EM;
- :mod:`.vocab`: a categorical (Zipf) vocabulary refitted from counts, with sampling
  policies (temperature, top-k, top-p);
- :mod:`.ngram`: a word n-gram model trained on text it generated, on the docstrings of
  Python's standard library;
- :mod:`.lead`: how many generations ahead of a reference loop another loop stands.

Examples
--------
>>> from lossylib.collapse import refit_gaussian, expected_variance
>>> refit_gaussian(n=10, generations=3, trials=5, seed=0).shape
(5, 4)
"""

from .gaussian import (
    ESTIMATORS,
    GaussianRuns,
    expected_mean_drift,
    expected_variance,
    log_variance_step,
    refit_gaussian,
    simulate_gaussian,
    steps_toward,
    tail_beyond,
    typical_variance,
    variance_sd,
)
from .lead import generations_ahead
from .mixture import Mixture, MixtureRuns, refit_mixture
from .ngram import (
    Corpus,
    NGramCounts,
    NGramRuns,
    count_ngrams,
    make_corpus,
    perplexity,
    refit_ngram,
    sample_text,
    stdlib_corpus,
    tokenize,
)
from .policies import DEFAULT_FRESH, POLICIES, DataPolicy, as_policy
from .vocab import (
    CategoricalRuns,
    entropy,
    expected_diversity,
    forget_probability,
    forget_time_bins,
    leader_takeover,
    median_forget_time,
    refit_categorical,
    sharpen,
    zipf,
)

__all__ = [
    "DEFAULT_FRESH",
    "ESTIMATORS",
    "POLICIES",
    "CategoricalRuns",
    "Corpus",
    "DataPolicy",
    "GaussianRuns",
    "Mixture",
    "MixtureRuns",
    "NGramCounts",
    "NGramRuns",
    "as_policy",
    "count_ngrams",
    "entropy",
    "expected_diversity",
    "expected_mean_drift",
    "expected_variance",
    "forget_probability",
    "forget_time_bins",
    "generations_ahead",
    "leader_takeover",
    "log_variance_step",
    "make_corpus",
    "median_forget_time",
    "perplexity",
    "refit_categorical",
    "refit_gaussian",
    "refit_mixture",
    "refit_ngram",
    "sample_text",
    "sharpen",
    "simulate_gaussian",
    "stdlib_corpus",
    "steps_toward",
    "tail_beyond",
    "tokenize",
    "typical_variance",
    "variance_sd",
    "zipf",
]
