"""Linear regression trained on its own predictions (Gerstgrasser et al. 2024).

Generation 1 fits ordinary least squares to ``samples`` real points ``y = x.w* + noise``
with ``x ~ N(0, I_dim)``. Every later generation draws ``samples`` new labels from the
previous model, ``y = x.w_{t-1} + noise``, and refits on a training set built by a
:class:`lossylib.collapse.DataPolicy`: only the new points (``replace``), or every point
so far (``accumulate``), or a fraction of fresh real points (``fresh``).

The test error of a model is its excess risk ``E[(x.w - x.w*)^2] = |w - w*|^2``. The
real-data model's expected error is ``noise^2 dim / (samples - dim - 1)``; every error is
reported as a multiple of it. With the same inputs ``x`` every generation (a *fixed
design*, the setting of the paper's theorems) the multiples are exact in expectation:

- replace: ``t`` (each generation adds an independent error of the same size);
- accumulate: ``sum_{i<=t} 1/i^2``, below ``pi^2/6`` for ever;
- accumulate without the real data (a memory of the model's own outputs only):
  ``1 + sum_{i<t} 1/i^2``, below ``1 + pi^2/6``;
- accumulate with a memory of fixed size, the last ``memory`` generations' points: each
  model averages the last ``memory`` generations' targets, so once the real points leave
  the memory the error grows without bound again, only more slowly than replacing
  (:func:`regression_theory` computes it exactly);
- a store of fixed size that keeps the real data and the last ``memory - 1`` generations
  (``store="keep-real"``): each model pulls towards the real targets with weight
  ``1/memory``, so the error stays bounded (it settles within a few ``memory``
  generations); a ``"reservoir"`` store keeps a uniform random sample of ``memory`` of all
  past generations (no closed form; simulate it).

:func:`late_slope` measures whether a run is still growing: its per-generation slope over
the second half of the generations.

OLS is equivariant, so the error does not depend on ``w*``; the simulation uses ``w* = 0``.

Examples
--------
>>> r = regression_loop(dim=5, samples=20, generations=3, trials=2000, seed=0)
>>> r.shape
(3,)
>>> bool(abs(r[0] - 1) < 0.1)
True
"""

from __future__ import annotations

import math

import numpy as np

from lossylib.checks import (
    as_float_array,
    check_bool,
    check_int,
    check_real,
    check_seed,
    check_size,
)
from lossylib.collapse import DataPolicy, as_policy
from lossylib.stats import mean_se

DESIGNS = ("fixed", "fresh")
#: How a store of fixed size chooses what to throw out: the oldest generation first (the
#: real data leaves after ``memory`` generations), the oldest generated one (the real data
#: stays), or a random one (a uniform reservoir sample of every generation so far).
STORES = ("window", "keep-real", "reservoir")


def _check(dim, samples, generations, trials, noise, design):
    dim = check_int(dim, "dim", 1)
    samples = check_int(samples, "samples", 2)
    if samples < dim + 2:
        raise ValueError(f"samples must be >= dim + 2 = {dim + 2}, got {samples}")
    generations = check_int(generations, "generations", 1)
    trials = check_int(trials, "trials", 1)
    noise = check_real(noise, "noise", low=0.0, high=1e100, low_open=True)
    if design not in DESIGNS:
        raise ValueError(f"design must be one of {DESIGNS}, got {design!r}")
    return dim, samples, generations, trials, noise


def real_error(dim: int, samples: int, noise: float = 1.0) -> float:
    """Expected test error of OLS on ``samples`` real points: ``noise^2 dim / (samples-dim-1)``.

    Examples
    --------
    >>> real_error(10, 61)
    0.2
    """
    dim, samples, _, _, noise = _check(dim, samples, 1, 1, noise, "fixed")
    return noise**2 * dim / (samples - dim - 1)


def regression_errors(
    dim: int,
    samples: int,
    generations: int,
    policy: str | DataPolicy = "replace",
    trials: int = 1000,
    noise: float = 1.0,
    seed: int | None = 0,
    *,
    design: str = "fixed",
    keep_real: bool = True,
    memory: int | None = None,
    store: str = "window",
) -> np.ndarray:
    """Test error ``|w_t - w*|^2`` of every trial and generation, shape ``(trials, generations)``.

    Parameters
    ----------
    dim, samples : int
        Input dimension (>= 1) and points per generation (>= dim + 2).
    generations, trials : int
        Generations (>= 1; column 0 is the real-data model) and independent runs.
    policy : str or DataPolicy
        ``"replace"``, ``"accumulate"`` or ``"fresh"`` (see :mod:`lossylib.collapse.policies`).
    noise : float
        Standard deviation of the label noise (> 0, at most 1e100).
    design : {"fixed", "fresh"}
        The same inputs every generation (the paper's theorems) or new inputs each time.
    keep_real : bool
        With ``accumulate``: keep generation 1's real points (True) or only the models'
        own outputs from generation 2 on (False; a memory without the real data).
    memory : int, optional
        With ``accumulate``: keep only the last ``memory`` generations' points (>= 1), a
        memory of fixed size that lets the real points go after ``memory`` generations;
        ``None`` keeps everything.
    store : {"window", "keep-real", "reservoir"}
        What a memory of fixed size throws out first (see :data:`STORES`): the oldest
        generation (``window``, so the real points go first), the oldest generated one
        (``keep-real``: the real points and the last ``memory - 1`` generations), or a
        random one (``reservoir``: each generation enters with probability
        ``memory / generations so far``, in place of a random one, independently per run).

    Examples
    --------
    >>> regression_errors(3, 10, 4, trials=5).shape
    (5, 4)
    >>> e = regression_errors(3, 10, 4, "accumulate", trials=5, memory=2, store="reservoir")
    >>> e.shape
    (5, 4)
    """
    dim, samples, generations, trials, noise = _check(
        dim, samples, generations, trials, noise, design
    )
    keep_real = check_bool(keep_real, "keep_real")
    pol = as_policy(policy)
    memory = _check_memory(memory, pol.name)
    store = _check_store(store)
    check_size(trials * samples * dim, "trials * samples * dim")
    check_size(trials * generations, "trials * generations")
    rng = np.random.default_rng(check_seed(seed))
    synthetic, _ = pol.split(samples)

    def inputs() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        x = rng.standard_normal((trials, samples, dim))
        gram = x.transpose(0, 2, 1) @ x
        xs = x[:, :synthetic]
        return x, gram, xs.transpose(0, 2, 1) @ xs

    x, gram, gram_syn = inputs()
    gram_inv = np.linalg.inv(gram) if design == "fixed" else None
    w = np.zeros((trials, dim))
    errors = np.empty((trials, generations))
    pooled = None
    kept: list = []  # the generations a memory of fixed size holds
    for t in range(generations):
        if t and design == "fresh":
            x, gram, gram_syn = inputs()
        # X^T y: the synthetic rows carry the previous model (real rows carry w* = 0)
        b = np.einsum("tnd,tn->td", x, noise * rng.standard_normal((trials, samples)))
        if t:
            b += np.einsum("tij,tj->ti", gram_syn, w)
        if t == 1 and pol.name == "accumulate" and not keep_real:
            pooled, kept = None, []
        new = (1.0, b) if design == "fixed" else (gram, b)
        if memory is not None:
            kept = _store(kept, new, memory, store, design, rng, trials)
            pooled = (sum(k[0] for k in kept), sum(k[1] for k in kept))
        else:
            pooled = pol.combine(pooled, new, merge=lambda p, q: (p[0] + q[0], p[1] + q[1]))
        if design == "fixed":
            w = np.einsum("tij,tj->ti", gram_inv, pooled[1]) / pooled[0]
        else:
            w = np.linalg.solve(pooled[0], pooled[1][..., None])[..., 0]
        errors[:, t] = (w * w).sum(axis=1)
    return errors


def regression_loop(
    dim: int,
    samples: int,
    generations: int,
    policy: str | DataPolicy = "replace",
    trials: int = 1000,
    noise: float = 1.0,
    seed: int | None = 0,
    *,
    design: str = "fixed",
    keep_real: bool = True,
) -> np.ndarray:
    """Mean test error of each generation over the real-data model's expected error.

    An array of length ``generations``; the first entry (the model fitted on real data
    alone) is about 1. See :func:`regression_errors` for the parameters and
    :func:`regression_theory` for what to expect.

    Examples
    --------
    >>> r = regression_loop(10, 40, 20, policy="accumulate", trials=500, seed=1)
    >>> bool(r[-1] < 2)
    True
    """
    errors = regression_errors(
        dim,
        samples,
        generations,
        policy,
        trials,
        noise,
        seed,
        design=design,
        keep_real=keep_real,
    )
    return errors.mean(axis=0) / real_error(dim, samples, noise)


def _store(kept: list, new: tuple, memory: int, store: str, design: str, rng, trials: int):
    """The generations a memory of fixed size holds once ``new`` arrives (see
    :data:`STORES`); ``kept[0]`` is the oldest (the real data while it is held). A
    reservoir also carries how many generations it has been offered (``seen``)."""
    if store == "window":
        return [*kept, new][-memory:]
    if store == "keep-real":
        if not kept or memory == 1:
            return kept or [new]
        return [kept[0], *[*kept[1:], new][-(memory - 1) :]]
    seen = getattr(kept, "seen", len(kept)) + 1  # generations offered, this one included
    out = _Kept(kept)
    out.seen = seen
    if len(out) < memory:
        out.append(new)
        return out
    slot = rng.integers(0, seen, size=trials)  # enter w.p. memory / seen, at a random slot
    for s in range(memory):
        hit = slot == s
        if hit.any():
            g, b = out[s]
            if design != "fixed":
                g = np.where(hit[:, None, None], new[0], g)
            out[s] = (g, np.where(hit[:, None], new[1], b))
    return out


class _Kept(list):
    """A reservoir's held generations, with how many it has been offered (``seen``)."""

    seen: int = 0


def _check_store(store: object) -> str:
    if store not in STORES:
        raise ValueError(f"store must be one of {STORES}, got {store!r}")
    return str(store)


def _check_memory(memory: object, policy: str) -> int | None:
    """``memory`` as a whole number >= 1, or None; only the accumulate policy keeps one."""
    if memory is None:
        return None
    memory = check_int(memory, "memory", 1)
    if policy != "accumulate":
        raise ValueError(f"memory needs the 'accumulate' policy, got {policy!r}")
    return memory


def _fixed_memory_theory(generations: int, memory: int, store: str = "window") -> np.ndarray:
    """Error multiples of a memory of ``memory`` generations (fixed design): the last
    ones (``window``), or the real data and the last ``memory - 1`` (``keep-real``).

    Generation t's model averages the targets of the generations its store holds. Each
    target is the model it was drawn from (the true weights, for the real data) plus an
    independent sampling error of unit size (the real-data error), so every model is a
    weighted sum of those errors and its expected error the sum of the squared weights.
    """
    weights = np.zeros((generations, generations))
    for t in range(generations):
        first = max(0, t - memory + 1)
        held = range(first, t + 1)
        if store == "keep-real" and first > 0:
            held = [0, *range(max(1, t - memory + 2), t + 1)]
        for j in held:
            if j:
                weights[t] += weights[j - 1]
            weights[t, j] += 1.0
        weights[t] /= len(held)
    return (weights**2).sum(axis=1)


def regression_theory(
    generations: int,
    policy: str = "replace",
    keep_real: bool = True,
    memory: int | None = None,
    store: str = "window",
):
    """The expected error multiples of :func:`regression_loop` with a fixed design.

    ``memory`` (with ``accumulate`` and the real data kept) is a memory of ``memory``
    generations, and ``store`` what it throws out first (``window`` or ``keep-real``; a
    reservoir is random and has no closed form here), as in :func:`regression_errors`.

    Examples
    --------
    >>> regression_theory(3, "replace").tolist()
    [1.0, 2.0, 3.0]
    >>> regression_theory(2, "accumulate").tolist()
    [1.0, 1.25]
    >>> regression_theory(3, "accumulate", memory=1).tolist()  # as replacing
    [1.0, 2.0, 3.0]
    >>> regression_theory(3, "accumulate", memory=1, store="keep-real").tolist()
    [1.0, 1.0, 1.0]
    """
    generations = check_int(generations, "generations", 1)
    check_size(generations, "generations")
    keep_real = check_bool(keep_real, "keep_real")
    t = np.arange(1, generations + 1, dtype=float)
    name = as_policy(policy).name
    memory = _check_memory(memory, name)
    store = _check_store(store)
    if store == "reservoir":
        raise ValueError("a reservoir store is random: simulate it (regression_errors)")
    if name == "replace":
        return t
    if name != "accumulate":
        raise ValueError(f"theory covers 'replace' and 'accumulate', got {policy!r}")
    if memory is not None:
        if not keep_real:
            raise ValueError("theory with a memory of fixed size keeps the real data")
        check_size(generations * generations, "generations squared")
        return _fixed_memory_theory(generations, memory, store)
    sums = np.cumsum(1 / t**2)
    if keep_real:
        return sums
    return np.concatenate([[1.0], 1 + sums[:-1]])


def late_slope(values: np.ndarray) -> tuple[float, float]:
    """How fast runs still grow: the least-squares slope per generation of each run (row)
    over the second half of its generations (columns), as mean and standard error over
    the runs (0 with one run).

    Examples
    --------
    >>> late_slope(np.array([[0.0, 1, 2, 3], [0, 1, 2, 5]]))  # slopes 1 and 3
    (2.0, 1.0)
    """
    v = as_float_array(values, "values")
    if v.ndim != 2 or v.shape[1] < 4:
        raise ValueError(f"values must be runs x generations (>= 4), got shape {v.shape}")
    late = v[:, v.shape[1] // 2 :]
    g = np.arange(late.shape[1]) - (late.shape[1] - 1) / 2
    slopes = late @ g / (g @ g)
    return mean_se(slopes)


#: The accumulation bound of Gerstgrasser et al.: ``sum 1/i^2 -> pi^2 / 6``.
ACCUMULATE_BOUND = math.pi**2 / 6
