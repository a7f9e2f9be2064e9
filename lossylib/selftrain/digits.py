"""Digits that learn from themselves: a generative model of handwriting refitted on its
own samples.

The data are scikit-learn's bundled handwritten digits (1,797 images of 8x8 pixels,
values 0-16). They are split once: a *pool* the loop starts from (and draws fresh real
data from) and a *reference* half that the loop never sees, on which a classifier
(linear discriminant analysis) is trained and against which drift is measured.

The model is a kernel density estimate in the space of the pool's first principal
components, as in scikit-learn's own digits example: to sample, pick one of the training
points and add Gaussian noise of a fixed bandwidth (chosen once, by leave-one-out
likelihood on half the pool). *Refitting* a KDE means making its samples the new kernel
centres. Each generation draws ``samples`` images from the current model and the next
model is fitted on, by policy:

``replace``
    the new samples only;
``accumulate``
    the starting real data and every sample so far;
``fresh``
    the new samples with a fraction ``fresh`` of them swapped for real images from the pool;
``verify``
    only samples the real-digit classifier recognises with probability at least
    ``threshold`` (drawing more until ``samples`` pass, at most five rounds).

Measured on each generation's samples, with the classifier's labels: the classes
present (a share of at least 2%), the effective number of classes (exponential of the
label entropy), the spread within each class and the distance to the nearest real
reference digit (over the first 100 samples), both relative to the real starting data
(generation 0 reads 1).

:func:`noise_control` is the loop's noise without its refitting: the same real digits,
with the kernel's noise added once a generation and never resampled, so what the loop
does beyond it comes from training on its own samples.

Examples
--------
>>> run = digit_loop(3, "accumulate", seed=0, samples=100)
>>> run.classes.shape, float(run.drift[0])
((4,), 1.0)
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, field
from numbers import Integral

import numpy as np

from lossylib.checks import check_int, check_real, check_seed

DIGIT_POLICIES = ("replace", "accumulate", "fresh", "verify")

#: A class counts as present when it holds at least this share of the samples.
PRESENT = 0.02
#: The most pairwise terms (points x points x dimensions) :func:`loo_bandwidth` holds.
MAX_PAIRS = 50_000_000


@dataclass(frozen=True)
class DigitWorld:
    """The real data and the fixed tools of the digit loop (see the module docstring)."""

    mean: np.ndarray
    components: np.ndarray
    pool: np.ndarray
    reference: np.ndarray
    classifier: object
    bandwidth: float

    def encode(self, images: np.ndarray) -> np.ndarray:
        """Pixels (n, 64) to principal-component coordinates."""
        return (np.asarray(images, dtype=float) - self.mean) @ self.components.T

    def decode(self, z: np.ndarray) -> np.ndarray:
        """Coordinates back to pixels, clipped to the data's 0-16 range."""
        return np.clip(np.asarray(z) @ self.components + self.mean, 0.0, 16.0)

    def labels(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The classifier's label of each sample and its probability."""
        proba = self.classifier.predict_proba(self.decode(z))
        return proba.argmax(axis=1), proba.max(axis=1)


def loo_bandwidth(z: np.ndarray, grid: np.ndarray) -> float:
    """The bandwidth of ``grid`` with the highest leave-one-out log-likelihood.

    ``z`` holds at least two finite points as rows (at most :data:`MAX_PAIRS` points
    squared times dimensions); ``grid`` holds positive finite bandwidths.

    Examples
    --------
    >>> z = np.random.default_rng(0).standard_normal((200, 2))
    >>> 0.2 < loo_bandwidth(z, np.geomspace(0.05, 5, 30)) < 1.0
    True
    """
    try:
        z = np.asarray(z, dtype=float)
    except (TypeError, ValueError) as err:
        raise TypeError(f"z must be numbers ({err})") from None
    if z.ndim != 2 or z.shape[0] < 2:
        raise ValueError(f"z must be 2-d with at least 2 rows, got shape {z.shape}")
    if not np.all(np.isfinite(z)):
        raise ValueError("z must be finite (no NaN or inf)")
    if z.shape[0] ** 2 * z.shape[1] > MAX_PAIRS:
        raise ValueError(
            f"z must have at most {MAX_PAIRS} points squared times dimensions, "
            f"got {z.shape[0]}**2 * {z.shape[1]}"
        )
    try:
        g = np.asarray(grid, dtype=float)
    except (TypeError, ValueError) as err:
        raise TypeError(f"grid must be numbers ({err})") from None
    if g.ndim != 1 or g.size == 0:
        raise ValueError(f"grid must be a non-empty 1-d array, got shape {g.shape}")
    bad = g[~(np.isfinite(g) & (g > 0))]
    if bad.size:
        raise ValueError(f"grid must hold positive finite bandwidths, got {bad[0]}")
    d2 = ((z[:, None, :] - z[None, :, :]) ** 2).sum(axis=-1)
    np.fill_diagonal(d2, np.inf)
    dim = z.shape[1]
    scores = []
    with np.errstate(divide="ignore"):  # a bandwidth so small that h * h is 0
        for h in g:
            k = np.exp(-d2 / (2 * h * h)).sum(axis=1)
            scores.append(np.mean(np.log(k + 1e-300)) - dim * np.log(h))
    return float(g[int(np.argmax(scores))])


@functools.cache
def digit_world(components: int = 20, seed: int = 0) -> DigitWorld:
    """Split the digits, fit the principal components, the classifier and the bandwidth
    (cached: every run with the same arguments shares one world)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return _digit_world(components, seed)


def _digit_world(components: int, seed: int) -> DigitWorld:
    from sklearn.datasets import load_digits
    from sklearn.decomposition import PCA
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

    components = check_int(components, "components", 1)
    if components > 64:
        raise ValueError(f"components must be <= 64, got {components}")
    seed = None if seed is None else check_int(seed, "seed", 0)
    x, y = load_digits(return_X_y=True)
    order = np.random.default_rng(seed).permutation(len(x))
    pool, ref = order[: len(x) // 2], order[len(x) // 2 :]
    pca = PCA(components, random_state=seed).fit(x[pool])
    with warnings.catch_warnings():
        # constant edge pixels make the pooled covariance singular; the SVD solver copes
        warnings.filterwarnings("ignore", message="Variables are collinear")
        clf = LinearDiscriminantAnalysis().fit(x[ref], y[ref])
    world = DigitWorld(pca.mean_, pca.components_, x[pool], x[ref], clf, 1.0)
    z = world.encode(x[pool])[: len(pool) // 2]
    h = loo_bandwidth(z, np.geomspace(1.0, 8.0, 15))
    return DigitWorld(pca.mean_, pca.components_, x[pool], x[ref], clf, h)


@dataclass(frozen=True)
class DigitRun:
    """One run of :func:`digit_loop`; every array has one entry per generation
    (generation 0: the real starting data).

    Attributes
    ----------
    shares : ndarray (generations + 1, 10)
        The share of samples the classifier gives each digit.
    classes : ndarray of int
        Digits holding at least :data:`PRESENT` of the samples.
    effective : ndarray
        Effective number of classes, ``exp(label entropy)``.
    spread : ndarray
        Mean distance of a sample to its class's mean, relative to generation 0.
    drift : ndarray
        Mean distance to the nearest real reference digit, relative to generation 0.
    confidence : ndarray
        The classifier's mean probability for its label.
    images : dict
        Generation -> (10, 8, 8): for each digit, the first sample the classifier gives
        that label (a sample picked at random, since samples come in random order), all
        NaN when no sample has it; for the generations asked for.
    """

    shares: np.ndarray
    classes: np.ndarray
    effective: np.ndarray
    spread: np.ndarray
    drift: np.ndarray
    confidence: np.ndarray
    images: dict = field(default_factory=dict, compare=False)
    policy: str = "replace"


def first_of_each(pixels: np.ndarray, labels: np.ndarray, classes: int = 10) -> np.ndarray:
    """The first image of each label: ``(classes, 8, 8)``, all NaN for a label no image has.

    Examples
    --------
    >>> pixels = np.arange(3 * 64, dtype=float).reshape(3, 64)
    >>> out = first_of_each(pixels, np.array([2, 0, 2]), classes=3)
    >>> float(out[0, 0, 0]), bool(np.isnan(out[1]).all()), float(out[2, 0, 0])
    (64.0, True, 0.0)
    """
    out = np.full((classes, 8, 8), np.nan)
    for c in range(classes):
        hit = np.flatnonzero(labels == c)
        if hit.size:
            out[c] = pixels[hit[0]].reshape(8, 8)
    return out


def _spread(z: np.ndarray, labels: np.ndarray) -> float:
    per_class = [
        np.sqrt(((z[labels == c] - z[labels == c].mean(axis=0)) ** 2).sum(axis=1).mean())
        for c in range(10)
        if np.sum(labels == c) >= 5
    ]
    return float(np.mean(per_class)) if per_class else float("nan")


def _nearest(z: np.ndarray, ref: np.ndarray, count: int = 100) -> float:
    """Mean distance from the first ``count`` samples to their nearest reference point."""
    z = z[:count]
    d2 = (z**2).sum(1)[:, None] - 2 * z @ ref.T + (ref**2).sum(1)[None, :]
    return float(np.sqrt(np.maximum(d2.min(axis=1), 0.0)).mean())


def digit_loop(
    generations: int,
    policy: str = "replace",
    seed: int = 0,
    *,
    samples: int = 300,
    fresh: float = 0.2,
    threshold: float = 0.9,
    keep_images: tuple[int, ...] = (),
    world: DigitWorld | None = None,
) -> DigitRun:
    """Refit the digit model on its own samples for ``generations`` generations.

    Parameters
    ----------
    generations : int
        Generations after the real starting data (>= 0).
    policy : {"replace", "accumulate", "fresh", "verify"}
        What the next model is fitted on (see the module docstring).
    seed : int
        Seeds the starting sample and the loop.
    samples : int
        Images a generation (and in the real starting data), >= 10 and at most the
        pool's size.
    fresh : float
        Share of real images a generation under ``"fresh"``, in [0, 1].
    threshold : float
        The classifier probability a sample needs under ``"verify"``, in [0, 1].
    keep_images : tuple of int
        Generations (0..``generations``) that keep one sample image of each digit (see
        :attr:`DigitRun.images`).
    world : DigitWorld, optional
        The data and tools (default :func:`digit_world`).
    """
    from threadpoolctl import threadpool_limits

    # the matrices here are small: one BLAS thread is faster than many fighting for cores
    with threadpool_limits(limits=1):
        return _digit_loop(generations, policy, seed, samples, fresh, threshold, keep_images, world)


def _digit_loop(
    generations, policy, seed, samples, fresh, threshold, keep_images, world
) -> DigitRun:
    generations = check_int(generations, "generations", 0)
    if policy not in DIGIT_POLICIES:
        raise ValueError(f"policy must be one of {DIGIT_POLICIES}, got {policy!r}")
    samples = check_int(samples, "samples", 10)
    fresh = check_real(fresh, "fresh", low=0.0, high=1.0)
    threshold = check_real(threshold, "threshold", low=0.0, high=1.0)
    check_seed(seed)
    try:
        shown = tuple(keep_images)
    except TypeError:
        kind = type(keep_images).__name__
        raise TypeError(f"keep_images must be a tuple, got {kind}") from None
    for g in shown:
        whole = isinstance(g, Integral) and not isinstance(g, bool)
        if not (whole and 0 <= g <= generations):
            last = generations
            raise ValueError(f"keep_images must hold generations 0..{last}, got {g!r}")
    if world is not None and not isinstance(world, DigitWorld):
        raise TypeError(f"world must be a DigitWorld, got {type(world).__name__}")
    world = digit_world() if world is None else world
    if samples > len(world.pool):
        raise ValueError(f"samples must be <= {len(world.pool)}, got {samples}")
    rng = np.random.default_rng(seed)
    pool = world.encode(world.pool)
    ref = world.encode(world.reference)
    dim = pool.shape[1]

    def draw(centres: np.ndarray, n: int) -> np.ndarray:
        return centres[rng.integers(len(centres), size=n)] + world.bandwidth * (
            rng.standard_normal((n, dim))
        )

    z = pool[rng.choice(len(pool), samples, replace=False)]
    data = z
    rows, images = [], {}
    for g in range(generations + 1):
        if g > 0:
            if policy == "verify":
                found: list[np.ndarray] = []
                for _ in range(5):
                    cand = draw(data, samples)
                    found.append(cand[world.labels(cand)[1] >= threshold])
                    if sum(len(f) for f in found) >= samples:
                        break
                z = np.concatenate(found)[:samples]
                if len(z) == 0:
                    raise ValueError("no sample passed the verifier; lower the threshold")
            else:
                z = draw(data, samples)
            if policy == "accumulate":
                data = np.concatenate([data, z])
            elif policy == "fresh":
                k = int(round(fresh * samples))
                real = pool[rng.choice(len(pool), k, replace=False)]
                data = np.concatenate([z[: samples - k], real])
            else:
                data = z
        rows.append(_measure(z, world, ref))
        if g in shown:
            images[g] = first_of_each(world.decode(z), world.labels(z)[0])
    return _run(rows, images, policy)


def _measure(z: np.ndarray, world: DigitWorld, ref: np.ndarray) -> tuple:
    """One generation's measures: label shares, effective classes, spread, drift (not
    yet relative to generation 0) and the classifier's probabilities."""
    labels, prob = world.labels(z)
    share = np.bincount(labels, minlength=10) / len(labels)
    nz = share[share > 0]
    return share, np.exp(-(nz * np.log(nz)).sum()), _spread(z, labels), _nearest(z, ref), prob


def _run(rows: list[tuple], images: dict, policy: str) -> DigitRun:
    """A :class:`DigitRun` from one :func:`_measure` row per generation."""
    shares = np.array([r[0] for r in rows])
    spread = np.array([r[2] for r in rows])
    drift = np.array([r[3] for r in rows])
    return DigitRun(
        shares=shares,
        classes=(shares >= PRESENT).sum(axis=1),
        effective=np.array([r[1] for r in rows]),
        spread=spread / spread[0],
        drift=drift / drift[0],
        confidence=np.array([r[4].mean() for r in rows]),
        images=images,
        policy=policy,
    )


def noise_control(
    generations: int, seed: int = 0, *, samples: int = 300, world: DigitWorld | None = None
) -> DigitRun:
    """The digit loop's noise without its refitting: a control for :func:`digit_loop`.

    Starts from the same real digits as :func:`digit_loop` with the same ``seed`` and
    ``samples``, and each generation adds the kernel's Gaussian noise (the world's
    bandwidth) to every image once more, but never resamples: each image keeps its own
    line of descent, so at generation ``g`` it is its real starting digit plus noise of
    ``sqrt(g)`` bandwidths, as a sample of the replacing loop is. Whatever the loop does
    beyond this control (losing classes, say) comes from refitting on its own samples.
    Measured like :func:`digit_loop`; the run's ``policy`` is ``"noise only"``.

    Examples
    --------
    >>> run = noise_control(3, seed=0, samples=100)
    >>> run.drift.shape, float(run.drift[0]), bool(run.drift[-1] > 1)
    ((4,), 1.0, True)
    """
    from threadpoolctl import threadpool_limits

    generations = check_int(generations, "generations", 0)
    samples = check_int(samples, "samples", 10)
    check_seed(seed)
    if world is not None and not isinstance(world, DigitWorld):
        raise TypeError(f"world must be a DigitWorld, got {type(world).__name__}")
    world = digit_world() if world is None else world
    if samples > len(world.pool):
        raise ValueError(f"samples must be <= {len(world.pool)}, got {samples}")
    with threadpool_limits(limits=1):
        rng = np.random.default_rng(seed)
        pool = world.encode(world.pool)
        ref = world.encode(world.reference)
        z = pool[rng.choice(len(pool), samples, replace=False)]  # as digit_loop starts
        rows = []
        for g in range(generations + 1):
            if g > 0:
                z = z + world.bandwidth * rng.standard_normal(z.shape)
            rows.append(_measure(z, world, ref))
    return _run(rows, {}, "noise only")
