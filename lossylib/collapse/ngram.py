"""A word n-gram language model trained on its own text.

The real corpus is the docstrings of Python's standard library, read from the installed
source files (every machine with Python has them, offline). Generation 0 is the n-gram
model counted on the real training text; generation ``t >= 1`` is counted on text
sampled from model ``t - 1`` (as many tokens as the real text), combined with earlier data
by a :class:`~lossylib.collapse.policies.DataPolicy`. Sampling uses the raw counts, so a
word or an n-gram that was not generated has probability zero from then on. Perplexity on
held-out real text uses a smoothed copy of the model (interpolated with add-``alpha``
unigrams over the real vocabulary) so that it stays finite.

Examples
--------
>>> counts = count_ngrams([np.array([0, 1, 2, 0, 1, 3, 0])], order=2, vocab_size=4)
>>> counts.distinct
5
>>> counts.unigrams().tolist()
[2, 2, 1, 1]
"""

from __future__ import annotations

import ast
import functools
import math
import re
import sysconfig
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from lossylib.checks import check_generation_list, check_int, check_real, check_seed, check_size

from ._validate import check_temperature
from .policies import DataPolicy, as_policy

BOUNDARY = "."
UNKNOWN = "<unk>"
_WORD = re.compile(r"[a-z]+")
_SENTENCE_END = re.compile(r"[.!?](?:\s+|$)")


def tokenize(text: str) -> list[str]:
    """Lower-case words, with ``"."`` closing every sentence.

    Examples
    --------
    >>> tokenize("Return the path. Raise OSError!")
    ['return', 'the', 'path', '.', 'raise', 'oserror', '.']
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, got {type(text).__name__}")
    out: list[str] = []
    for sentence in _SENTENCE_END.split(text.lower()):
        words = _WORD.findall(sentence)
        if words:
            out.extend(words)
            out.append(BOUNDARY)
    return out


@functools.cache
def stdlib_docstrings() -> tuple[str, ...]:
    """Every docstring of the top-level modules of the installed standard library, in order."""
    root = Path(sysconfig.get_paths()["stdlib"])
    docs: list[str] = []
    for path in sorted(root.glob("*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
        nodes = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
        for node in ast.walk(tree):
            if isinstance(node, nodes):
                doc = ast.get_docstring(node)
                if doc:
                    docs.append(doc)
    return tuple(docs)


@dataclass(frozen=True)
class Corpus:
    """Token ids of a training and a held-out text over one vocabulary.

    ``words[0]`` is the sentence boundary ``"."`` and ``words[-1]`` is ``"<unk>"`` (held-out
    words never seen in training).
    """

    words: tuple[str, ...]
    train: np.ndarray = field(repr=False)
    heldout: np.ndarray = field(repr=False)

    @property
    def vocab_size(self) -> int:
        return len(self.words)

    def decode(self, ids: Sequence[int]) -> str:
        """Token ids back to text, e.g. ``"return the path. raise an error."``."""
        ids = _token_ids(ids, "ids", self.vocab_size).ravel()
        text = " ".join(self.words[i] for i in ids)
        return text.replace(" .", ".")


def make_corpus(documents: Sequence[str], heldout_every: int = 10) -> Corpus:
    """A :class:`Corpus` from documents; every ``heldout_every``-th one is held out.

    Examples
    --------
    >>> c = make_corpus(["A cat. A dog.", "A cat."], heldout_every=2)
    >>> c.words
    ('.', 'a', 'cat', 'dog', '<unk>')
    >>> c.train.tolist(), c.heldout.tolist()
    ([1, 2, 0, 1, 3, 0], [1, 2, 0])
    """
    heldout_every = check_int(heldout_every, "heldout_every", 2)
    if isinstance(documents, (str, bytes)) or not isinstance(documents, Iterable):
        raise ValueError(f"documents must be a sequence of strings, got {documents!r}")
    documents = list(documents)
    for i, doc in enumerate(documents):
        if not isinstance(doc, str):
            kind = type(doc).__name__
            raise ValueError(f"documents must be strings, got {kind} at index {i}")
    train_tokens: list[str] = []
    held_tokens: list[str] = []
    for i, doc in enumerate(documents):
        (held_tokens if i % heldout_every == heldout_every - 1 else train_tokens).extend(
            tokenize(doc)
        )
    if not train_tokens:
        raise ValueError("the training text is empty")
    words = [BOUNDARY] + sorted(set(train_tokens) - {BOUNDARY}) + [UNKNOWN]
    index = {w: i for i, w in enumerate(words)}
    unk = len(words) - 1
    train = np.array([index[w] for w in train_tokens], dtype=np.int64)
    heldout = np.array([index.get(w, unk) for w in held_tokens], dtype=np.int64)
    return Corpus(tuple(words), train, heldout)


@functools.cache
def stdlib_corpus() -> Corpus:
    """The standard library's docstrings as a corpus (every 10th docstring held out)."""
    return make_corpus(stdlib_docstrings())


@dataclass(frozen=True)
class NGramCounts:
    """Counts of distinct n-grams, keyed ``context * vocab_size + next`` (sorted)."""

    order: int
    vocab_size: int
    keys: np.ndarray = field(repr=False)
    counts: np.ndarray = field(repr=False)

    @property
    def distinct(self) -> int:
        """The number of distinct n-grams."""
        return int(self.keys.size)

    def unigrams(self) -> np.ndarray:
        """How often each token appears as the last word of an n-gram."""
        return np.bincount(self.keys % self.vocab_size, self.counts, self.vocab_size).astype(
            np.int64
        )

    def merge(self, other: NGramCounts) -> NGramCounts:
        """The counts of both texts together (same order and vocabulary size)."""
        _check_model(other, "other")
        if (other.order, other.vocab_size) != (self.order, self.vocab_size):
            raise ValueError(
                f"other must have order {self.order} and vocab_size "
                f"{self.vocab_size}, got {other.order} and {other.vocab_size}"
            )
        keys, inverse = np.unique(np.concatenate([self.keys, other.keys]), return_inverse=True)
        counts = np.bincount(inverse, np.concatenate([self.counts, other.counts]))
        return NGramCounts(self.order, self.vocab_size, keys, counts.astype(np.int64))


def _check_model(model: object, name: str = "model") -> NGramCounts:
    if not isinstance(model, NGramCounts):
        kind = type(model).__name__
        raise TypeError(f"{name} must be NGramCounts (see count_ngrams), got {kind}")
    return model


def _token_ids(value: object, name: str, vocab_size: int | None = None) -> np.ndarray:
    """Token ids as an int64 array (1-D or 2-D), each in ``0..vocab_size - 1``."""
    wrong = f"{name} must be an array of integer token ids, got {value!r}"
    if value is None or isinstance(value, (str, bytes)):
        raise ValueError(wrong)
    try:
        arr = np.asarray(value)
    except ValueError:  # ragged nested lists
        raise ValueError(wrong) from None
    if arr.ndim not in (1, 2):
        raise ValueError(f"{name} must be 1-D or 2-D token ids, got shape {arr.shape}")
    if arr.size == 0:
        return arr.astype(np.int64)
    if arr.dtype.kind not in "iu":
        raise ValueError(f"{name} must hold integer token ids, got dtype {arr.dtype}")
    low, high = arr.min(), arr.max()
    if low < 0:
        raise ValueError(f"{name} must hold token ids >= 0, got {low}")
    if vocab_size is not None and high >= vocab_size:
        top = vocab_size - 1
        raise ValueError(f"{name} must hold token ids in 0..{top}, got {high}")
    return arr.astype(np.int64, copy=False)


def _keys(chain: np.ndarray, order: int, vocab_size: int) -> np.ndarray:
    windows = np.lib.stride_tricks.sliding_window_view(chain, order, axis=-1)
    weights = vocab_size ** np.arange(order - 1, -1, -1, dtype=np.int64)
    return (windows * weights).sum(axis=-1).ravel()


def count_ngrams(chains, order: int = 2, vocab_size: int | None = None) -> NGramCounts:
    """Count the n-grams of texts (1-D id arrays, or a 2-D array of equal-length texts).

    Parameters
    ----------
    chains : array or sequence of arrays
        Integer token ids (>= 0, below ``vocab_size``); n-grams never span two texts.
    order : int
        n (>= 1); 2 counts bigrams.
    vocab_size : int, optional
        Number of token ids (default: the largest id plus one).
    """
    order = check_int(order, "order", 1)
    texts = chains if isinstance(chains, list) else [chains]
    parts = [_token_ids(c, "chains") for c in texts]
    if not any(c.size for c in parts):
        raise ValueError(f"no text is at least {order} tokens long (no tokens at all)")
    if vocab_size is None:
        vocab_size = int(max(int(c.max()) for c in parts if c.size)) + 1
    vocab_size = check_int(vocab_size, "vocab_size", 1)
    parts = [_token_ids(c, "chains", vocab_size) for c in parts]
    if vocab_size**order >= 2**62:
        raise ValueError(f"vocab_size ** order must stay below 2**62 (order {order} is too high)")
    keys = [_keys(c, order, vocab_size) for c in parts if c.shape[-1] >= order]
    if not keys:
        raise ValueError(f"no text is at least {order} tokens long")
    unique, counts = np.unique(np.concatenate(keys), return_counts=True)
    return NGramCounts(order, vocab_size, unique, counts.astype(np.int64))


def sample_text(
    model: NGramCounts,
    tokens: int,
    chain_length: int = 200,
    *,
    temperature: float = 1.0,
    seed: int | None | np.random.Generator = 0,
) -> np.ndarray:
    """Sample about ``tokens`` tokens as texts of ``chain_length``, shape ``(texts, length)``.

    Every text starts after a sentence boundary (a context ending in ``"."``), so the
    first ``order - 1`` tokens of each row are that context. Temperature scales each
    context's counts to the power ``1 / temperature`` (a temperature so low that this
    overflows raises ``ValueError``).

    Examples
    --------
    >>> m = count_ngrams([np.array([0, 1, 2, 0, 1, 3, 0])], order=2, vocab_size=4)
    >>> sample_text(m, 20, chain_length=5, seed=0).shape
    (4, 5)
    """
    model = _check_model(model)
    tokens = check_int(tokens, "tokens", 1)
    chain_length = check_int(chain_length, "chain_length", model.order)
    n_texts = max(1, math.ceil(tokens / chain_length))
    check_size(n_texts * chain_length, "ceil(tokens / chain_length) * chain_length")
    temperature = check_temperature(temperature)
    rng = np.random.default_rng(check_seed(seed))
    v, k = model.vocab_size, model.order - 1
    ctx, nxt = np.divmod(model.keys, v)
    with np.errstate(over="ignore"):
        weights = model.counts.astype(float) ** (1 / temperature)
        cum = np.cumsum(weights)
    if cum.size and not np.isfinite(cum[-1]):
        raise ValueError(
            f"temperature is too low for these counts (count ** (1 / temperature) "
            f"overflows), got {temperature}"
        )
    rows, first = np.unique(ctx, return_index=True)
    last = np.append(first[1:], ctx.size) - 1
    base = np.where(first > 0, cum[np.maximum(first - 1, 0)], 0.0)
    total = cum[last] - base
    starts = rows[rows % v == 0] if k else rows
    start_w = total[np.searchsorted(rows, starts)]
    if starts.size == 0:
        raise ValueError("the model has no context that starts a sentence")
    n_texts = max(1, math.ceil(tokens / chain_length))

    start_cum = np.cumsum(start_w)

    def restart(size: int) -> np.ndarray:
        u = rng.random(size) * start_cum[-1]
        return starts[np.minimum(np.searchsorted(start_cum, u, "right"), starts.size - 1)]

    out = np.empty((n_texts, chain_length), dtype=np.int64)
    state = restart(n_texts)
    for j in range(k):
        out[:, j] = (state // v ** (k - 1 - j)) % v
    modulus = v**k if k else 1
    for j in range(k, chain_length):
        r = np.minimum(np.searchsorted(rows, state), rows.size - 1)
        dead = rows[r] != state
        if dead.any():
            state[dead] = restart(int(dead.sum()))
            r = np.searchsorted(rows, state)
        u = base[r] + rng.random(n_texts) * total[r]
        idx = np.minimum(np.searchsorted(cum, u, side="right"), last[r])
        out[:, j] = nxt[idx]
        state = (state * v + nxt[idx]) % modulus if k else state
    return out


def perplexity(model: NGramCounts, text: np.ndarray, lam: float = 0.8, alpha: float = 0.1) -> float:
    """Perplexity of ``text`` under the model, smoothed to stay finite.

    ``p(w | c) = lam * count(c, w) / count(c) + (1 - lam) * u(w)`` where ``u`` is the
    model's unigram distribution with ``alpha`` added to every word of the vocabulary;
    contexts the model never saw use ``u`` alone.
    """
    model = _check_model(model)
    if model.distinct == 0:
        raise ValueError("model must hold at least one n-gram, got none")
    lam = check_real(lam, "lam", low=0.0, high=1.0)
    alpha = check_real(alpha, "alpha", low=0.0, low_open=True)
    v, order = model.vocab_size, model.order
    text = _token_ids(text, "text", v)
    if text.size < order:
        raise ValueError(f"text must be at least {order} tokens long")
    uni = model.unigrams() + alpha
    uni = uni / uni.sum()
    keys = _keys(text, order, v)
    target = keys % v
    pos = np.minimum(np.searchsorted(model.keys, keys), model.keys.size - 1)
    pair = np.where(model.keys[pos] == keys, model.counts[pos], 0)
    ctx_all = model.keys // v
    rows, first = np.unique(ctx_all, return_index=True)
    row_total = np.add.reduceat(model.counts, first)
    ctx = keys // v
    r = np.minimum(np.searchsorted(rows, ctx), rows.size - 1)
    seen = rows[r] == ctx
    cond = np.where(seen, pair / np.where(seen, row_total[r], 1), 0.0)
    p = np.where(seen, lam * cond + (1 - lam) * uni[target], uni[target])
    return float(np.exp(-np.log(p).mean()))


@dataclass(frozen=True)
class NGramRuns:
    """Per-generation measurements of an n-gram model trained on its own text."""

    vocabulary: np.ndarray
    distinct_ngrams: np.ndarray
    rare_survival: np.ndarray
    perplexity: np.ndarray
    samples: dict[int, str]
    rare_words: int
    policy: DataPolicy


def refit_ngram(
    corpus: Corpus | None = None,
    order: int = 2,
    generations: int = 10,
    *,
    chain_length: int = 100,
    temperature: float = 1.0,
    policy: str | DataPolicy = "replace",
    rare_max: int = 3,
    show: tuple[int, ...] = (),
    show_tokens: int = 25,
    seed: int | None = 0,
) -> NGramRuns:
    """Train an n-gram model on its own text for ``generations`` generations.

    Parameters
    ----------
    corpus : Corpus, optional
        Real text (default: :func:`stdlib_corpus`).
    order : int
        n of the n-gram model (>= 1).
    generations : int
        Generations after the real one (>= 0).
    chain_length : int
        Tokens per sampled text (>= ``order``, at most the training text's length; below
        it with fresh data, whose passages start inside the training text).
    temperature : float
        Sampling temperature of every generated text.
    policy : str or DataPolicy
        ``"replace"``, ``"accumulate"`` or ``"fresh"`` (fresh real text comes as random
        passages of the real training text).
    rare_max : int
        Words seen at most this often in the real text count as rare.
    show : tuple of int
        Generations (in 0..generations) whose model writes a short sample text,
        returned in ``samples``.
    seed : int or None
        Seed for ``np.random.default_rng``.

    Returns
    -------
    NGramRuns
        Arrays of length ``generations + 1``: distinct words, distinct n-grams, the
        fraction of rare words still known, and the held-out perplexity.
    """
    corpus = stdlib_corpus() if corpus is None else corpus
    if not isinstance(corpus, Corpus):
        kind = type(corpus).__name__
        raise TypeError(f"corpus must be a Corpus (see make_corpus), got {kind}")
    order = check_int(order, "order", 1)
    generations = check_int(generations, "generations", 0)
    check_size(generations + 1, "generations + 1")
    rare_max = check_int(rare_max, "rare_max", 1)
    temperature = check_temperature(temperature)
    pol = as_policy(policy)
    show = check_generation_list(show, "show", generations)
    show_tokens = check_int(show_tokens, "show_tokens", 1)
    v, budget = corpus.vocab_size, corpus.train.size
    # fresh passages of chain_length real tokens need a start inside the training text
    chain_length = check_int(chain_length, "chain_length", order)
    longest = budget - 1 if pol.fresh else budget
    if chain_length > longest:
        raise ValueError(
            f"chain_length must be <= {longest} (the training text has {budget} "
            f"tokens), got {chain_length}"
        )
    rng = np.random.default_rng(check_seed(seed))
    real = count_ngrams(corpus.train, order, v)
    real_uni = real.unigrams()
    rare = np.nonzero((real_uni > 0) & (real_uni <= rare_max))[0]
    model = pooled = real
    cols = {k: np.empty(generations + 1) for k in ("vocab", "ngrams", "rare", "ppl")}
    samples: dict[int, str] = {}
    for t in range(generations + 1):
        if t:
            synthetic, fresh = pol.split(budget)
            parts = [sample_text(model, synthetic, chain_length, temperature=temperature, seed=rng)]
            if fresh:
                n_fresh = math.ceil(fresh / chain_length)
                at = rng.integers(0, budget - chain_length, n_fresh)
                parts.append(corpus.train[at[:, None] + np.arange(chain_length)])
            new = count_ngrams([p for p in parts], order, v)
            pooled = pol.combine(pooled, new, merge=NGramCounts.merge)
            model = pooled
        uni = model.unigrams()
        cols["vocab"][t] = np.count_nonzero(uni)
        cols["ngrams"][t] = model.distinct
        cols["rare"][t] = np.count_nonzero(uni[rare]) / max(rare.size, 1)
        cols["ppl"][t] = perplexity(model, corpus.heldout)
        if t in show:
            text = sample_text(model, show_tokens, show_tokens + order - 1, seed=seed)[0]
            samples[t] = corpus.decode(text[order - 1 :])
    return NGramRuns(
        cols["vocab"].astype(np.int64),
        cols["ngrams"].astype(np.int64),
        cols["rare"],
        cols["ppl"],
        samples,
        int(rare.size),
        pol,
    )
