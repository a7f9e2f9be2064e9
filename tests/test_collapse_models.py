"""The Gaussian mixture and the n-gram language model trained on their own outputs."""

from __future__ import annotations

import numpy as np
import pytest

from lossylib.collapse import (
    DataPolicy,
    Mixture,
    count_ngrams,
    make_corpus,
    perplexity,
    refit_mixture,
    refit_ngram,
    sample_text,
    stdlib_corpus,
    tokenize,
)

# --- Gaussian mixture -----------------------------------------------------------------


def test_mixture_runs_are_valid_mixtures():
    runs = refit_mixture(n=200, generations=5, trials=4, seed=0)
    assert runs.weights.shape == runs.means.shape == runs.sds.shape == (4, 6, 2)
    np.testing.assert_allclose(runs.weights.sum(axis=2), 1.0)
    assert np.all(runs.sds > 0)
    assert runs.tail_mass[0, 0] == pytest.approx(0.01, abs=1e-4)  # outside the central 99%


def test_mixture_tails_thin_when_replacing_but_not_when_accumulating():
    # 20 runs of 50 generations with n = 100: the median tail mass of replacing runs
    # falls to almost nothing; accumulating keeps generation 1's real sample, so its tail
    # keeps most of the real 1% (less than all: 100 real samples under-fill the tails).
    kwargs = {"n": 100, "generations": 50, "trials": 20, "em_steps": 5, "seed": 1}
    rep = refit_mixture(**kwargs)
    acc = refit_mixture(**kwargs, policy="accumulate")
    assert np.median(rep.tail_mass[:, -1]) < 0.1 * 0.01
    assert np.median(acc.tail_mass[:, -1]) > 0.4 * 0.01
    assert np.median(rep.sds[:, -1, 0]) < np.median(acc.sds[:, -1, 0])


def test_a_dead_component_stays_dead():
    runs = refit_mixture(
        Mixture((0.98, 0.02), (0.0, 5.0), (1.0, 0.3)), n=50, generations=40, trials=40, seed=2
    )
    w = runs.weights[:, :, 1]
    dead = w < 1e-12
    assert dead[:, -1].any()  # some runs lose the small component ...
    assert np.all(dead[:, 1:] >= dead[:, :-1])  # ... and never get it back


@pytest.mark.parametrize(
    "make",
    [
        lambda: Mixture((0.5, 0.4), (0, 1), (1, 1)),
        lambda: Mixture((0.5, 0.5), (0, 1), (1, 0)),
        lambda: Mixture((0.5, 0.5), (0, float("nan")), (1, 1)),
        lambda: Mixture((1.0,), (0, 1), (1,)),
        lambda: refit_mixture(n=1),
        lambda: refit_mixture(generations=-1),
        lambda: refit_mixture(policy="nope"),
    ],
)
def test_bad_mixture_parameters_raise(make):
    with pytest.raises(ValueError):
        make()


# --- n-gram language model ------------------------------------------------------------

DOCS = [
    "Return the first item. Raise an error if empty.",
    "Return the last item of the list.",
    "Open a file and return a stream. Raise an error on failure.",
    "Close the stream.",
] * 5 + ["Rare words appear once here."]


def test_tokenize_closes_sentences():
    assert tokenize("See os.path. Done!") == ["see", "os", "path", ".", "done", "."]
    assert tokenize("") == []


def test_corpus_splits_documents_and_maps_unknown_words():
    c = make_corpus(["a b. c.", "a d."], heldout_every=2)
    assert c.words[0] == "." and c.words[-1] == "<unk>"
    assert c.decode(c.train) == "a b. c."
    assert c.decode(c.heldout) == "a <unk>."


def test_count_ngrams_and_merge():
    a = count_ngrams([np.array([1, 2, 1, 2])], order=2, vocab_size=3)
    assert a.distinct == 2 and a.counts.sum() == 3
    b = a.merge(a)
    np.testing.assert_array_equal(b.keys, a.keys)
    np.testing.assert_array_equal(b.counts, 2 * a.counts)
    np.testing.assert_array_equal(count_ngrams(np.array([[0, 1], [0, 2]]), 1, 3).counts, [2, 1, 1])


def test_samples_only_use_known_words_and_start_sentences():
    c = make_corpus(DOCS)
    model = count_ngrams(c.train, 2, c.vocab_size)
    text = sample_text(model, 500, chain_length=20, seed=1)
    assert text.shape == (25, 20)
    assert np.all(text[:, 0] == 0)  # every text starts after a sentence boundary
    assert np.all(model.unigrams()[text[:, 1:]] > 0)


def test_perplexity_of_a_deterministic_text_is_one():
    model = count_ngrams(np.array([0, 1, 2] * 10), 2, 3)
    assert perplexity(model, np.array([0, 1, 2, 0, 1]), lam=1.0) == pytest.approx(1.0)
    assert perplexity(model, np.array([0, 1, 2, 0, 1]), lam=0.5) > 1.0


def test_replacing_loses_words_for_good_accumulating_keeps_them():
    c = make_corpus(DOCS)
    rep = refit_ngram(c, generations=8, chain_length=10, seed=3, show=(0, 8))
    acc = refit_ngram(c, generations=8, chain_length=10, policy="accumulate", seed=3)
    assert np.all(np.diff(rep.vocabulary) <= 0)
    assert np.all(acc.vocabulary == acc.vocabulary[0])
    assert np.all(acc.rare_survival == 1.0)
    assert set(rep.samples) == {0, 8}
    assert all(isinstance(s, str) and s for s in rep.samples.values())


def test_stdlib_model_forgets_rare_words_and_gets_worse_on_real_text():
    corpus = stdlib_corpus()
    assert corpus.train.size > 50_000 and corpus.heldout.size > 5_000
    rep = refit_ngram(corpus, generations=4, seed=4)
    fresh = refit_ngram(corpus, generations=4, policy=DataPolicy("fresh", 0.3), seed=4)
    assert rep.rare_survival[-1] < 0.7 * rep.rare_survival[0]
    assert rep.perplexity[-1] > 1.3 * rep.perplexity[0]
    assert fresh.rare_survival[-1] > rep.rare_survival[-1]
    assert fresh.perplexity[-1] < rep.perplexity[-1]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"order": 0}, "order must be >= 1"),
        ({"generations": -1}, "generations must be >= 0"),
        ({"temperature": 0.0}, "temperature must be in"),
        ({"policy": "x"}, "policy must be one of"),
    ],
)
def test_bad_ngram_parameters_raise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        refit_ngram(make_corpus(DOCS), **kwargs)


def test_bad_texts_raise():
    with pytest.raises(ValueError, match="empty"):
        make_corpus([""])
    with pytest.raises(ValueError, match="at least 3 tokens"):
        count_ngrams([np.array([1, 2])], order=3)
    with pytest.raises(ValueError, match="order"):
        count_ngrams([np.arange(10)], order=8, vocab_size=500_000)
