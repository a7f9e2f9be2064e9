"""Bad input to lossylib.collapse and lossylib.curation gets one clear error line.

Each case names the parameter, says what is wrong and shows the value, where the code
used to return nonsense (NaN, a negative entropy, letters for words), leak an
AttributeError, IndexError, MemoryError or numpy RuntimeWarning, or name the wrong
parameter. A few valid inputs that used to fail are checked at the end.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from PIL import Image

from lossylib import collapse as co
from lossylib import curation as cu
from lossylib.collapse import figures as cf
from lossylib.collapse.ngram import NGramCounts
from lossylib.collapse.tempered import tempered, tempered_support
from lossylib.curation import figures as uf
from lossylib.images import test_card as make_card

NAN = float("nan")
P = co.zipf(10)
CHAIN = np.array([0, 1, 2, 0, 1, 3, 0])
MODEL = co.count_ngrams([CHAIN], 2, 4)
EMPTY_MODEL = NGramCounts(2, 4, np.array([], np.int64), np.array([], np.int64))
CORPUS = co.make_corpus(["A cat sat. A dog ran. The cat ran."] * 9 + ["A cat sat."], 10)
TINY = co.make_corpus(["A b c d."] * 9 + ["A b."], 10)  # 45 training tokens
COUNTS = np.array([[5, 3, 2]])
VALID = np.array([True, False, True])


def rng():
    return np.random.default_rng(0)


def empty_image():
    return Image.new("RGB", (0, 0))


COLLAPSE_CASES = [
    # entropy: NaN, negative, unnormalised and non-numeric p used to give nonsense
    (lambda: co.entropy([NAN, 0.5]), "p must not contain NaN or infinity, got nan"),
    (lambda: co.entropy([-1, 2]), r"p must be non-negative, got -1\.0 at index 0"),
    (lambda: co.entropy([0.3, 0.3]), "p must sum to one along axis -1"),
    (lambda: co.entropy([]), r"p must be a non-empty array, got shape \(0,\)"),
    (lambda: co.entropy("abc"), "p must be an array of numbers, got 'abc'"),
    (lambda: co.entropy(P, axis="x"), "axis must be an integer, got 'x'"),
    # sharpen: rows without mass gave NaN and a RuntimeWarning
    (lambda: co.sharpen(np.zeros(3)), "p must have a positive entry in every row"),
    (lambda: co.sharpen([]), "p must not be empty"),
    (lambda: co.sharpen(None), "p must be an array of numbers, got None"),
    # tail_beyond
    (lambda: co.tail_beyond(1.0, k=None), "k must be a number, got None"),
    (lambda: co.tail_beyond(True), "variance must be a number, got True"),
    (lambda: co.tail_beyond("abc"), "variance must be an array of numbers"),
    # forgetting: the horizon was reported as "generations"
    (lambda: co.median_forget_time(1.0, -1), "horizon must be >= 1, got -1"),
    (lambda: co.median_forget_time(1.0, 10**12), r"horizon \+ 1 must be at most"),
    (lambda: co.expected_diversity("abc", 10, 3), "p must be an array of numbers"),
    # sizes that used to end in MemoryError
    (
        lambda: co.zipf(10**12),
        "size must be at most 100,000,000, got 1,000,000,000,000",
    ),
    (
        lambda: co.refit_gaussian(trials=10**12),
        r"trials \* \(generations \+ 1\) must be",
    ),
    (lambda: co.expected_variance(10, 10**12), r"generations \+ 1 must be at most"),
    (lambda: co.refit_categorical(P, 20, 10**12), r"trials \* \(generations \+ 1\)"),
    (lambda: tempered(P, 0.5, 10**12), r"\(generations \+ 1\) \* len\(p\) must be"),
    (
        lambda: co.refit_mixture(n=10**12, generations=2, trials=2),
        r"trials \* \(samples pooled\) \* k must be at most",
    ),
    (
        lambda: co.refit_categorical(P, 10**16, 2),
        "samples must be <= 10{15}, got 10{16}",
    ),
    # seeds, flags, collections of generations
    (lambda: co.refit_gaussian(5, 2, 2, seed="abc"), "seed must be None or an integer"),
    (
        lambda: co.refit_mixture(n=20, generations=1, trials=1, seed=-1),
        "seed must be >= 0",
    ),
    (
        lambda: co.simulate_gaussian(5, 2, 2, keep_means="no"),
        "keep_means must be True or",
    ),
    (
        lambda: co.refit_categorical(P, 20, 2, keep=(0.5,)),
        "keep must list integer gener",
    ),
    (
        lambda: co.refit_categorical(P, 20, 2, keep=None),
        "keep must be a tuple of gener",
    ),
    # tempered_support with negative generations leaked an IndexError
    (lambda: tempered_support(P, 10, 0.9, -1), "generations must be >= 0, got -1"),
    # mixtures
    (lambda: co.Mixture(weights=None), "weights must be an array of numbers, got None"),
    (lambda: co.Mixture(sds=(1, None)), "mixture sds must be > 0 and <= 1e100"),
    (
        lambda: co.Mixture(means=(0, 1e300)),
        r"mixture means must be finite, \|mean\| <=",
    ),
]

NGRAM_CASES = [
    (lambda: co.tokenize(None), "text must be a str, got NoneType"),
    (
        lambda: co.make_corpus("A cat. A dog."),
        "documents must be a sequence of strings",
    ),
    (
        lambda: co.make_corpus(["A cat.", None]),
        "documents must be strings, got NoneType",
    ),
    # the lead: count_ngrams of nothing said "max() arg is an empty sequence"
    (lambda: co.perplexity(co.count_ngrams([], 2), []), r"\(no tokens at all\)"),
    (lambda: co.count_ngrams([np.array([0, -1, 2])], 2, 4), "ids >= 0, got -1"),
    (lambda: co.count_ngrams([np.array([0, 7, 2])], 2, 4), r"in 0\.\.3, got 7"),
    (
        lambda: co.count_ngrams(np.array([0.5, 1.5]), 2, 4),
        "integer token ids, got dtype",
    ),
    (lambda: co.count_ngrams(None), "chains must be an array of integer token ids"),
    (
        lambda: co.perplexity(MODEL, np.array([0, 9, 1])),
        r"text must hold .* 0\.\.3, got 9",
    ),
    (lambda: co.perplexity(EMPTY_MODEL, CHAIN), "model must hold at least one n-gram"),
    (
        lambda: co.sample_text(MODEL, 20, 5, temperature=1e-300),
        "temperature is too low",
    ),
    (
        lambda: co.sample_text(MODEL, 20, 5, seed="abc"),
        "seed must be None or an integer",
    ),
    (lambda: co.sample_text(MODEL, 20, 5, seed=-1), "seed must be >= 0, got -1"),
    (lambda: co.sample_text(MODEL, 10**12, 5), r"ceil\(tokens / chain_length\)"),
    (lambda: CORPUS.decode([0, 999]), r"ids must hold token ids in 0\.\.\d+, got 999"),
    (lambda: MODEL.merge(co.count_ngrams([CHAIN], 3, 4)), "other must have order 2"),
    (
        lambda: co.refit_ngram(CORPUS, 2, 2, chain_length=5, show=(0,), show_tokens=0),
        "show_tokens must be >= 1, got 0",
    ),
    (
        lambda: co.refit_ngram(CORPUS, 2, 2, chain_length=5, show=(9,)),
        r"show must list",
    ),
    (
        lambda: co.refit_ngram(CORPUS, 2, 2, chain_length=5, show=None),
        "show must be a t",
    ),
    (
        lambda: co.refit_ngram(TINY, 2, 1, chain_length=50, policy="fresh"),
        r"chain_length must be <= 44 \(the training text has 45 tokens\), got 50",
    ),
    (lambda: co.refit_ngram(CORPUS, 2, 10**12), r"generations \+ 1 must be at most"),
]

CURATION_CASES = [
    (lambda: cu.keep_top(COUNTS, np.array([1.0, 2.0]), 0.5), r"scores must have shape"),
    (lambda: cu.keep_top(COUNTS, "abc", 0.5), "scores must be an array of numbers"),
    (
        lambda: cu.drop_unlikely(COUNTS, [[NAN, 0.5, 0.5]], 0.2),
        "model must not contain",
    ),
    (
        lambda: cu.reweight(COUNTS, np.array([1e308, 1e308, 1.0]), 1.0, rng()),
        r"weights must keep counts \* weights finite",
    ),
    (lambda: cu.verify(COUNTS, None, 0.5, 0.1, rng()), "valid must be a boolean array"),
    (
        lambda: cu.verify(COUNTS, [0.5, 0.2, 0.1], 0.5, 0.1, rng()),
        "valid must be a bool",
    ),
    (
        lambda: cu.wrong_share_limit(0.0, 0.5, NAN),
        "false_reject must be finite, got nan",
    ),
    (
        lambda: cu.wrong_share_theory(0.1, 0.5, 0.1, 10**12),
        "generations must be at most",
    ),
    (
        lambda: cu.regression_theory(3, "accumulate", "no"),
        "keep_real must be True or F",
    ),
    (lambda: cu.regression_errors(2, 10, 2, keep_real=None), "keep_real must be True"),
    (lambda: cu.regression_errors(2, 10, 2, "accumulate", memory=0), "memory must be >= 1"),
    (lambda: cu.regression_errors(2, 10, 2, "accumulate", memory=2.5), "memory must be"),
    (
        lambda: cu.regression_errors(2, 10, 2, "replace", memory=3),
        "memory needs the 'accumulate' policy, got 'replace'",
    ),
    (
        lambda: cu.regression_theory(3, "accumulate", keep_real=False, memory=2),
        "theory with a memory of fixed size keeps the real data",
    ),
    (
        lambda: cu.regression_errors(2, 10, 2, trials=3, seed="x"),
        "seed must be None or",
    ),
    (
        lambda: cu.regression_errors(2, 10, 2, trials=10**12),
        r"trials \* samples \* dim",
    ),
    (
        lambda: cu.regression_loop(2, 10, 2, trials=3, noise=1e300),
        r"noise must be in \(",
    ),
    (lambda: cu.curate_vocabulary(P, 10**19, 3), "samples must be <= 10{15}"),
    (
        lambda: cu.curate_vocabulary(P, 50, 3, 10**12),
        r"trials \* generations must be at",
    ),
    (lambda: cu.curate_vocabulary(P, 50, 3, seed=-1), "seed must be >= 0, got -1"),
    (
        lambda: cu.curate_vocabulary(P, 50, 3, smoothing=1e308),
        r"smoothing must be in \[",
    ),
    (
        lambda: cu.restore(empty_image(), "tv denoise"),
        "image must be at least 1x1 pixels",
    ),
    (
        lambda: cu.detail_correlation(empty_image(), empty_image()),
        "original must be at le",
    ),
    (
        lambda: cu.restoration_run(Image.new("RGB", (1, 1)), "none", 1),
        "original must be at least 3x3 pixels, got 1x1",
    ),
    (
        lambda: cu.restoration_run(make_card(64), "none", 1, keep=(9,)),
        r"keep must list",
    ),
    (
        lambda: cu.restoration_run(make_card(64), "none", 1, keep=None),
        "keep must be a tup",
    ),
]


def _mixture_runs():
    return co.refit_mixture(n=50, generations=3, trials=3, em_steps=2, seed=0)


def _vocab_runs():
    return co.refit_categorical(co.zipf(50), 100, 5, trials=2, seed=0)


def _curation_runs():
    return cu.curate_vocabulary(P, 50, 3, error=0.1, false_accept=0.5, seed=0)


FIGURE_CASES = [
    (
        lambda: cf.mixture_panels(_mixture_runs(), (0, 30)),
        r"generations must list .* 0\.\.3",
    ),
    (
        lambda: cf.mixture_panels(_mixture_runs(), (0, 3), trial=10),
        "trial must be <= 2",
    ),
    (
        lambda: cf.forgetting_panel(_vocab_runs().forgotten_at, co.zipf(40), 100),
        r"forgotten_at must have shape \(runs, 40\), got \(2, 50\)",
    ),
    (
        lambda: cf.forgetting_panel(
            co.refit_categorical(co.zipf(5), 10**6, 2, trials=2).forgotten_at,
            co.zipf(5),
            10**6,
        ),
        "forgotten_at has no tokens forgotten in most runs",
    ),
    (lambda: cf.mode_panels(np.array([]), {}, 0.5), "end_means must hold at least one"),
    (lambda: cf.mode_panels(np.ones(3), {}, 0.5), "fixation must be a non-empty dict"),
    (
        lambda: cf.mode_panels(np.ones(3), {"1.0": 0.3}, 0.5, takeover={"0.8": {}}),
        r"takeover must have the temperatures of fixation, \['1.0'\], got \['0.8'\]",
    ),
    (
        lambda: cf.gaussian_policy_panel({"replace": np.ones((2, 5))}, log_until=5),
        "log_until must be <= 4",
    ),
    (lambda: co.simulate_gaussian(5, 2, 2, temperature=0), r"temperature must be in \(0.0, inf\]"),
    (lambda: co.refit_gaussian(5, 2, 2, temperature=-1.0), r"temperature must be in \(0.0, inf\]"),
    (lambda: cf.tricks_panel({}), "results must be a non-empty dict of runs, got {}"),
    (
        lambda: cf.tricks_panel({"plain": _vocab_runs()}, {"top-k 5": np.ones(3)}),
        r"closed must be keyed by policies of results, got \['top-k 5'\]",
    ),
    (
        lambda: co.forget_time_bins(_vocab_runs().forgotten_at, co.zipf(50), 100, bins=0),
        "bins must be >= 1, got 0",
    ),
    (lambda: uf.curation_panels({}), "runs must be a non-empty dict of runs, got {}"),
    (lambda: uf.regression_panel({}), "runs must be a non-empty dict of runs, got {}"),
    (
        lambda: uf.regression_panel({"replace": np.ones(3)}, {"accumulate": np.ones(3)}),
        "theories must name runs, got 'accumulate'",
    ),
    (
        lambda: uf.regression_panel({"replace": np.ones(3)}, {"replace": np.ones(4)}),
        r"theories\['replace'\] must match its run's shape, got \(4,\) for \(3,\)",
    ),
    (
        lambda: uf.verifier_panels(0.1, {0.5: _curation_runs()}, 0.1, grid=0),
        "grid must",
    ),
    (
        lambda: uf.explore_description(0, 100, -1),
        r"fresh must be in \[0\.0, 100\.0\]",
    ),
]

TYPE_CASES = [
    (lambda: co.perplexity(None, CHAIN), "model must be NGramCounts"),
    (lambda: co.sample_text(None, 20), "model must be NGramCounts"),
    (lambda: co.refit_ngram("abc"), "corpus must be a Corpus"),
    (lambda: co.refit_mixture("abc"), "mixture must be a Mixture, got str"),
    (
        lambda: cu.reweight(COUNTS, [1.0, 1.0, 1.0], 1.0, None),
        "rng must be a numpy Gen",
    ),
    (lambda: cu.verify(COUNTS, VALID, 0.5, 0.1, None), "rng must be a numpy Generator"),
    (lambda: cu.restore(None, "median"), "image must be a PIL image, got NoneType"),
    (
        lambda: cu.detail_correlation(None, make_card(64)),
        "original must be a PIL image or",
    ),
    (lambda: cu.restoration_run(None, "none", 1), "original must be a PIL image"),
    (lambda: cu.restoration_table([make_card(64)]), "images must be a dict of name"),
    (lambda: cf.first_lost_run(None), "runs must be MixtureRuns"),
    (lambda: cf.vocabulary_panels(None), "runs must be CategoricalRuns"),
]


def _ids(cases):
    return [match[:40] for _, match in cases]


@pytest.mark.parametrize(
    ("call", "match"),
    COLLAPSE_CASES + NGRAM_CASES + CURATION_CASES + FIGURE_CASES,
    ids=_ids(COLLAPSE_CASES + NGRAM_CASES + CURATION_CASES + FIGURE_CASES),
)
def test_bad_values_raise_a_clear_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize(("call", "match"), TYPE_CASES, ids=_ids(TYPE_CASES))
def test_wrong_objects_raise_a_clear_type_error(call, match):
    with pytest.raises(TypeError, match=match):
        call()


def test_valid_inputs_that_used_to_fail_now_work():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # two leading zeros in p broke the early validation of the sampling policy
        runs = co.refit_categorical(np.array([0.0, 0.0, 1.0]), 20, 2, seed=0)
        assert runs.support[0].tolist() == [1, 1, 1]
        # a temperature so low the power leaves the float range: all mass on the mode
        path = tempered(P, 1e-300, 3)
        assert path[1:].tolist() == [[1.0] + [0.0] * 9] * 3
        # every generated sample rejected: the model stays as it was, without a warning
        r = cu.curate_vocabulary(P, 50, 3, error=1.0, false_accept=0.0, seed=0)
        assert r.wrong_share.max() == 0.0
