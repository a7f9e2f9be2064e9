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
  (:func:`regression_theory` computes it exactly).

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

from lossylib.checks import check_bool, check_int, check_real, check_seed, check_size
from lossylib.collapse import DataPolicy, as_policy

DESIGNS = ("fixed", "fresh")


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

    Examples
    --------
    >>> regression_errors(3, 10, 4, trials=5).shape
    (5, 4)
    """
    dim, samples, generations, trials, noise = _check(
        dim, samples, generations, trials, noise, design
    )
    keep_real = check_bool(keep_real, "keep_real")
    pol = as_policy(policy)
    memory = _check_memory(memory, pol.name)
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
            kept = [*kept, new][-memory:]
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


def _check_memory(memory: object, policy: str) -> int | None:
    """``memory`` as a whole number >= 1, or None; only the accumulate policy keeps one."""
    if memory is None:
        return None
    memory = check_int(memory, "memory", 1)
    if policy != "accumulate":
        raise ValueError(f"memory needs the 'accumulate' policy, got {policy!r}")
    return memory


def _fixed_memory_theory(generations: int, memory: int) -> np.ndarray:
    """Error multiples of a memory of the last ``memory`` generations (fixed design).

    Generation t's model averages the targets of generations t - memory + 1 .. t. Each
    target is the model it was drawn from (the true weights, for the real data) plus an
    independent sampling error of unit size (the real-data error), so every model is a
    weighted sum of those errors and its expected error the sum of the squared weights.
    """
    weights = np.zeros((generations, generations))
    for t in range(generations):
        first = max(0, t - memory + 1)
        for j in range(first, t + 1):
            if j:
                weights[t] += weights[j - 1]
            weights[t, j] += 1.0
        weights[t] /= t + 1 - first
    return (weights**2).sum(axis=1)


def regression_theory(
    generations: int,
    policy: str = "replace",
    keep_real: bool = True,
    memory: int | None = None,
):
    """The expected error multiples of :func:`regression_loop` with a fixed design.

    ``memory`` (with ``accumulate`` and the real data kept) is a memory of the last
    ``memory`` generations, as in :func:`regression_errors`.

    Examples
    --------
    >>> regression_theory(3, "replace").tolist()
    [1.0, 2.0, 3.0]
    >>> regression_theory(2, "accumulate").tolist()
    [1.0, 1.25]
    >>> regression_theory(3, "accumulate", memory=1).tolist()  # as replacing
    [1.0, 2.0, 3.0]
    """
    generations = check_int(generations, "generations", 1)
    check_size(generations, "generations")
    keep_real = check_bool(keep_real, "keep_real")
    t = np.arange(1, generations + 1, dtype=float)
    name = as_policy(policy).name
    memory = _check_memory(memory, name)
    if name == "replace":
        return t
    if name != "accumulate":
        raise ValueError(f"theory covers 'replace' and 'accumulate', got {policy!r}")
    if memory is not None:
        if not keep_real:
            raise ValueError("theory with a memory of fixed size keeps the real data")
        check_size(generations * generations, "generations squared")
        return _fixed_memory_theory(generations, memory)
    sums = np.cumsum(1 / t**2)
    if keep_real:
        return sums
    return np.concatenate([[1.0], 1 + sums[:-1]])


#: The accumulation bound of Gerstgrasser et al.: ``sum 1/i^2 -> pi^2 / 6``.
ACCUMULATE_BOUND = math.pi**2 / 6
