"""The recompression loop: save, open, repeat, and measure what each generation lost.

:func:`recompress` streams generations: it keeps only the current image, the frames you
ask for and one row of numbers per generation, so memory does not grow with the number
of generations. Generation 0 is the original.

Examples
--------
>>> from lossylib import load_sample, recompress
>>> run = recompress(load_sample("testcard"), generations=40, quality=75, keep=(0, 20))
>>> run.table["generation"][:3].tolist()
[0, 1, 2]
>>> run.fixed_point is not None  # same settings every time: JPEG settles
True
>>> sorted(run.frames)
[0, 20]
"""

from __future__ import annotations

import csv
import html
import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from . import codecs
from . import metrics as _metrics
from .images import as_rgb
from .perturb import Perturbation, chain
from .pixels import one_block, rgbx_words

#: Metric name -> (description, unit). The loop fills a column for each one asked for.
METRICS = {
    "psnr": ("PSNR against the original (all three channels)", "dB"),
    "ssim": ("SSIM of the luma against the original", ""),
    "change": ("PSNR against the previous generation (inf: nothing changed)", "dB"),
    "delta_e": ("mean CIEDE2000 colour difference from the original", ""),
    "delta_e_sampled": (
        "mean CIEDE2000 colour difference from the original over a regular grid of at "
        "most 65,536 pixels (an estimate; equal to delta_e on smaller images)",
        "",
    ),
    "edges": (
        "mean gradient magnitude (central differences) of the luma (sharpness)",
        "grey levels/px",
    ),
}

#: The most generations :func:`recompress` runs: its table holds a row per generation.
MAX_GENERATIONS = 1_000_000

#: The longest repeating pattern of files that :func:`recompress` looks for; None looks for
#: patterns of any length (a run of n generations can show periods up to n / 2).
MAX_PERIOD: int | None = None

#: Measure in a worker thread beside the codec (True), or in the loop's own thread: a
#: process among as many busy processes as cores gains nothing from a second thread.
MEASURE_IN_THREAD = True

#: Cheap metrics every generation, costlier ones less often (and always at the last).
DEFAULT_METRICS = {"psnr": 1, "ssim": 1, "change": 1, "edges": 5, "delta_e": 25}


class RunError(ValueError):
    """Bad arguments to :func:`recompress`, with a one-line reason."""


@dataclass
class MetricsTable:
    """One row per generation; a column per measure (NaN where it was not computed).

    Index it by column name to get a numpy array; ``to_csv`` writes it; ``to_pandas``
    converts it when pandas is installed.
    """

    columns: dict[str, np.ndarray]

    def __getitem__(self, name: str) -> np.ndarray:
        try:
            return self.columns[name]
        except KeyError:
            raise KeyError(f"no column {name!r}; columns: {', '.join(self.columns)}") from None

    def __len__(self) -> int:
        return len(self.columns["generation"])

    @property
    def names(self) -> list[str]:
        return list(self.columns)

    def row(self, generation: int) -> dict[str, float]:
        """The numbers for one generation (0 to ``len(self) - 1``; -1 is the last)."""
        n = len(self)
        if isinstance(generation, bool) or not isinstance(generation, int | np.integer):
            raise TypeError(f"generation must be a whole number, got {generation!r}")
        if not -n <= generation < n:
            raise ValueError(f"generation must be between 0 and {n - 1}, got {generation}")
        return {k: v[generation].item() for k, v in self.columns.items()}

    def to_csv(self, path: str | os.PathLike) -> None:
        """Write the table as CSV (empty cells where a metric was not computed)."""
        with open(path, "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(self.names)
            for i in range(len(self)):
                w.writerow(_csv_cell(self.columns[k][i]) for k in self.names)

    def to_pandas(self):
        """A pandas DataFrame (needs pandas, which the book does not require)."""
        import pandas as pd

        return pd.DataFrame(self.columns).set_index("generation")

    def _repr_html_(self) -> str:
        rows = list(range(min(len(self), 8)))
        if len(self) > 8:
            rows += [len(self) - 1]
        head = "".join(f'<th scope="col">{html.escape(k)}</th>' for k in self.names)
        body = "".join(
            "<tr>" + "".join(f"<td>{_fmt(self.columns[k][i])}</td>" for k in self.names) + "</tr>"
            for i in rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _fmt(v) -> str:
    if isinstance(v, float | np.floating):
        if math.isnan(v):
            return ""
        if math.isinf(v):
            return "inf"
        return str(int(v)) if float(v).is_integer() else f"{v:.4g}"
    return str(v)


def _csv_cell(v) -> str:
    if isinstance(v, float | np.floating):
        if math.isnan(v):
            return ""
        return str(int(v)) if float(v).is_integer() else repr(float(v))
    return str(v)


def read_metrics_csv(path: str | os.PathLike) -> MetricsTable:
    """Read a ``metrics.csv`` written by :meth:`MetricsTable.to_csv` (or the ``lossy``
    command line) back into a :class:`MetricsTable`; empty cells become NaN.

    Examples
    --------
    >>> import tempfile, os
    >>> from lossylib import load_sample
    >>> run = recompress(load_sample("testcard"), 3, metrics=["psnr"])
    >>> path = os.path.join(tempfile.mkdtemp(), "metrics.csv")
    >>> run.table.to_csv(path)
    >>> bool(read_metrics_csv(path)["psnr"][1] == run.table["psnr"][1])
    True
    """
    try:
        with open(path, newline="") as fh:
            rows = list(csv.reader(fh))
    except UnicodeDecodeError:
        raise ValueError(f"{path} is not a metrics table (not a text file)") from None
    if not rows or "generation" not in rows[0]:
        raise ValueError(f"{path} is not a metrics table (no 'generation' column)")
    names = rows[0]
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(names):
            raise ValueError(f"{path}: line {line} has {len(row)} cells, the header {len(names)}")
    try:
        values = [[float(cell) if cell else math.nan for cell in row] for row in rows[1:]]
    except ValueError as err:
        raise ValueError(f"{path}: a cell is not a number ({err})") from None
    columns = {name: np.array([row[i] for row in values]) for i, name in enumerate(names)}
    generation = columns["generation"]
    bad = ~np.isfinite(generation) | (generation != np.round(generation))
    if bad.any():
        line = int(np.argmax(bad)) + 2
        raise ValueError(
            f"{path}: generation must be a whole number, got {generation[bad][0]} on line {line}"
        )
    columns["generation"] = generation.astype(np.int64)
    return MetricsTable(columns)


@dataclass
class Run:
    """The result of :func:`recompress`.

    Attributes
    ----------
    table : MetricsTable
        Per-generation numbers: ``generation``, ``quality``, ``bytes`` and the metrics.
    frames : dict[int, PIL.Image.Image]
        The images at the generations asked for with ``keep``.
    encoded : dict[int, bytes]
        The encoded file of each kept generation (generation 0 has none).
    fixed_point : int or None
        The first generation from which every later save wrote exactly the same file
        (so the picture never changed again), or None if the run never settled. 0 means
        the very first round trip was exact (the lossless PNG control).
    settings : dict
        The arguments that made the run (codec, quality, perturbation, seed, ...).
    cycle : (period, start) or None
        The shortest repeating pattern of files the run ended in, if any: from generation
        ``start`` on, every file equals the one ``period`` generations earlier (period 1
        is the fixed point; period 2 arises when two qualities alternate). Periods of any
        length that repeated at least once in full are detected (see :func:`final_cycle`),
        up to :data:`MAX_PERIOD` if that is set.
    """

    table: MetricsTable
    frames: dict[int, Image.Image]
    encoded: dict[int, bytes]
    fixed_point: int | None
    settings: dict = field(default_factory=dict)
    cycle: tuple[int, int] | None = None

    @property
    def generations(self) -> int:
        return len(self.table) - 1

    def __repr__(self) -> str:
        s = self.settings
        fp = "never" if self.fixed_point is None else f"at generation {self.fixed_point}"
        return (
            f"<Run {s.get('codec')} q={s.get('quality')} {s.get('perturbation')}: "
            f"{self.generations} generations, fixed point {fp}>"
        )


def _check_generations(generations: object) -> int:
    if isinstance(generations, bool) or not isinstance(generations, int | np.integer):
        raise RunError(f"generations must be a positive whole number, got {generations!r}")
    if generations < 1:
        raise RunError(f"generations must be at least 1, got {generations}")
    if generations > MAX_GENERATIONS:
        raise RunError(
            f"generations must be at most {MAX_GENERATIONS:,} (a table row each), "
            f"got {generations:,}"
        )
    return int(generations)


def _check_seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise RunError(f"seed must be a whole number >= 0, got {seed!r}")
    return int(seed)


def _check_keep(keep: object, n: int) -> set[int]:
    if isinstance(keep, str | bytes) or not isinstance(keep, Iterable):
        raise RunError(
            f"keep must be a list of generation numbers such as (0, {n}) (or () for "
            f"none), got {keep!r}"
        )
    keep_set = set()
    for g in keep:
        if isinstance(g, bool) or not isinstance(g, int | np.integer) or not 0 <= g <= n:
            raise RunError(f"keep: generation {g!r} is not between 0 and {n}")
        keep_set.add(int(g))
    return keep_set


def _perturbation(perturb) -> Perturbation:
    """A Perturbation from one, a text spec such as ``"shift:1"``, or a sequence of them."""
    from .perturb import parse

    if perturb is None:
        return chain()
    if isinstance(perturb, Perturbation):
        return perturb
    if isinstance(perturb, str):
        return parse(perturb)
    if not isinstance(perturb, Sequence):
        raise RunError(
            f"perturb must be a Perturbation, a spec such as 'shift:1', or a list of "
            f"them, got {type(perturb).__name__}"
        )
    return chain(*(parse(x) if isinstance(x, str) else x for x in perturb))


def _metric_schedule(metrics_arg) -> dict[str, int]:
    if metrics_arg is None:
        return dict(DEFAULT_METRICS)
    if isinstance(metrics_arg, str):
        metrics_arg = [metrics_arg]
    if isinstance(metrics_arg, bytes) or not isinstance(metrics_arg, Iterable):
        raise RunError(
            f"metrics must be a list of metric names or a mapping of name to 'every', "
            f"got {metrics_arg!r}"
        )
    names = list(metrics_arg)
    for name in names:
        if not isinstance(name, str) or name not in METRICS:
            raise RunError(f"unknown metric {name!r}; choose from: {', '.join(METRICS)}")
    sched = dict(metrics_arg) if isinstance(metrics_arg, Mapping) else dict.fromkeys(names, 1)
    for name, every in sched.items():
        if name not in METRICS:
            raise RunError(f"unknown metric {name!r}; choose from: {', '.join(METRICS)}")
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise RunError(f"metric {name!r}: 'every' must be a whole number >= 1, got {every!r}")
    return sched


def _check_size(image: Image.Image, sched: Mapping[str, int]) -> None:
    """Refuse, before any work, an image too small for a metric asked for."""
    w, h = image.size
    if "edges" in sched and min(w, h) < 3:
        raise RunError(f"the edges metric needs an image of at least 3x3 pixels, got {w}x{h}")
    if "ssim" in sched and min(w, h) < 7:
        raise RunError(f"the ssim metric needs an image of at least 7x7 pixels, got {w}x{h}")


class _Measures:
    """Computes the requested metrics against the original, caching what is reused.

    :meth:`submit` hands one generation's metrics to a worker thread, so they are
    computed while the main thread encodes the next generation; at most one generation
    is in flight, so memory stays flat. Pillow's JPEG codec holds Python's lock for much
    of its work, so the threads overlap only where the worker runs code that releases
    it: every measure is computed by compiled kernels (which do) from the pixels as
    Pillow holds them, borrowed without a copy (:mod:`lossylib.pixels`). (scikit-image's
    CIEDE2000 in the worker made a 100-generation run of a 512 x 512 image three times
    slower: each of its ~100 numpy steps waited for the lock the codec held.)
    Handing work to a thread costs about 70 microseconds, 4% of a 512 x 512 round trip;
    batches of several generations did not pay for the extra images they hold.
    """

    #: The measures computed from the pixels by the compiled kernels, when available.
    FROM_WORDS = frozenset({"psnr", "ssim", "change", "edges", "delta_e", "delta_e_sampled"})

    def __init__(self, original: Image.Image, names: Iterable[str]) -> None:
        names = set(names)
        self.compiled = _metrics.kernels_available()
        # The original's pixels once (an image's pixels are copied on each read).
        wanted = {"psnr", "delta_e", "delta_e_sampled"} & names
        self.original_pixels = np.asarray(original) if wanted and not self.compiled else None
        self.original_words = rgbx_words(original) if wanted and self.compiled else None
        self.ssim_reference = (
            _metrics.SSIMReference(_metrics.luma(original)) if "ssim" in names else None
        )
        self._trackers: dict = {}  # "delta_e" / "delta_e_sampled" -> kernels.DeltaETracker
        self._pool: ThreadPoolExecutor | None = None
        self._pending: tuple[int, Future] | None = None
        self._last_words: tuple[int, np.ndarray] | None = None  # (generation, words)
        self.keeps_last = "change" in names  # (the words keep their image alive)

    def _words(self, g: int, names: list[str], image, previous):
        """This generation's pixel words and the previous one's, where they are needed."""
        if not self.compiled or not self.FROM_WORDS.intersection(names):
            self._last_words = None
            return None, None
        words = rgbx_words(image)
        before = None
        if "change" in names:
            last = self._last_words
            before = last[1] if last and last[0] == g - 1 else rgbx_words(previous)
        self._last_words = (g, words) if self.keeps_last else None
        return words, before

    def _measure(self, name: str, image: Image.Image, previous: Image.Image, pixels) -> float:
        """One measure of ``image``; ``pixels``: its words, the previous generation's, and
        its luma, where the compiled kernels compute this measure (else Nones)."""
        words, before, luma = pixels
        if words is not None and name == "psnr":
            return _psnr_of_words(self.original_words, words)
        if words is not None and name == "change":
            return _psnr_of_words(before, words)
        if luma is not None and name == "ssim":
            return self.ssim_reference.score(luma)
        if luma is not None and name == "edges":
            return _metrics.edge_energy(luma)
        if words is not None and name in ("delta_e", "delta_e_sampled"):
            return self._delta_e_tracker(name).mean(words)
        if name == "psnr":
            return _metrics.psnr(self.original_pixels, image)
        if name == "ssim":
            return self.ssim_reference.score(_metrics.luma(image))
        if name == "change":
            return _metrics.psnr(previous, image)
        if name == "delta_e":
            return _metrics.delta_e(self.original_pixels, image)
        if name == "delta_e_sampled":
            return _metrics.delta_e_sampled(self.original_pixels, image)
        if name == "edges":
            return _metrics.edge_energy(image)
        raise AssertionError(name)

    def _delta_e_tracker(self, name: str):
        """Mean CIEDE2000 from the original's words, over every pixel or over the grid of
        :func:`metrics.delta_e_sampled` (the same numbers :func:`metrics.delta_e` and it
        give), computing again only the pixels whose colour changed since the last call."""
        if name not in self._trackers:
            from . import kernels

            shape = self.original_words.shape
            sampled = name == "delta_e_sampled"
            grid = _metrics.sample_grid(shape) if sampled else (slice(None), slice(None))
            self._trackers[name] = kernels.DeltaETracker(self.original_words, *grid)
        return self._trackers[name]

    def _many(self, g: int, names: list[str], image, previous) -> dict:
        words, before = self._words(g, names, image, previous)
        luma = None
        if words is not None and {"ssim", "edges"}.intersection(names):
            from . import kernels

            luma = kernels.luma_words(words)  # once for both
        pixels = (words, before, luma)
        return {name: self._measure(name, image, previous, pixels) for name in names}

    def submit(self, g: int, names: list[str], image, previous, cols: dict) -> None:
        """Start measuring generation ``g``; first store the previous generation's results."""
        self.collect(cols)
        if not names:
            self._last_words = None
            return
        if not MEASURE_IN_THREAD:
            done: Future = Future()
            done.set_result(self._many(g, names, image, previous))
            self._pending = (g, done)
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lossy-metrics")
        self._pending = (g, self._pool.submit(self._many, g, names, image, previous))

    def collect(self, cols: dict) -> None:
        """Wait for the generation in flight, if any, and store its results in ``cols``."""
        if self._pending is not None:
            g, future = self._pending
            self._pending = None
            for name, value in future.result().items():
                cols[name][g] = value

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _psnr_of_words(a: np.ndarray, b: np.ndarray) -> float:
    """PSNR over the three channels of two arrays of pixel words (as :func:`metrics.psnr`)."""
    from . import kernels

    return _metrics.psnr_of_mse(kernels.sse_words(a, b) / (3 * a.size))


def _same_pixels(a: Image.Image, b: Image.Image) -> bool:
    """Whether two images hold the same pixels; RGB ones are compared by the compiled
    kernel on their lent words, without packing a copy of each (72 MB at 12 MP)."""
    if a.size != b.size or a.mode != b.mode:
        return False
    if a.mode == "RGB" and _metrics.kernels_available():
        from . import kernels

        return kernels.sse_words(rgbx_words(a), rgbx_words(b)) == 0
    return a.tobytes() == b.tobytes()


def file_hash(data: bytes) -> int:
    """A 63-bit fingerprint of an encoded file, for :func:`final_cycle` (two different
    files share one with a chance of about 1 in 10^19)."""
    import hashlib

    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little") >> 1


def final_cycle(
    files: Sequence[int] | np.ndarray, max_period: int | None = None
) -> tuple[int, int] | None:
    """The shortest repeating pattern a run's files ended in, of any length.

    Parameters
    ----------
    files : sequence of int
        One fingerprint per generation's file (:func:`file_hash`), generation 1 first.
    max_period : int, optional
        The longest pattern to look for (default: any).

    Returns
    -------
    (period, start) or None
        From generation ``start`` on, every file equals the one ``period`` generations
        earlier, and the pattern repeated at least once in full; None if the run did not
        end in one.

    Examples
    --------
    >>> final_cycle([5, 1, 2, 3, 1, 2, 3, 1, 2, 3])
    (3, 2)
    >>> final_cycle([1, 2, 3, 4]) is None
    True
    """
    h = np.asarray(files, dtype=np.int64)
    n = h.size
    if n < 2:
        return None
    # a pattern ending at the last file has a period that is the distance to an earlier
    # copy of that file: try them nearest first, so the first that fits is the shortest
    for i in np.flatnonzero(h[:-1] == h[-1])[::-1]:
        period = int(n - 1 - i)
        if 2 * period > n or (max_period is not None and period > max_period):
            break
        # the last `period` files must repeat the `period` before them (cheap test first)
        tail = min(period, 64)
        if not np.array_equal(h[n - tail :], h[n - period - tail : n - period]):
            continue
        if not np.array_equal(h[n - period :], h[n - 2 * period : n - period]):
            continue
        differ = np.flatnonzero(h[period:] != h[:-period])
        first = int(differ[-1]) + 1 if differ.size else 0  # index into h[period:]
        return period, first + 1
    return None


def _last_taken(column: np.ndarray, start: int, stop: int) -> float:
    """The last value in ``column[start:stop]`` that is not NaN (NaN if there is none)."""
    taken = column[start:stop][~np.isnan(column[start:stop])]
    return float(taken[-1]) if taken.size else math.nan


def recompress(
    image: Image.Image,
    generations: int,
    codec: str = "jpeg",
    quality: int = 75,
    subsampling: str | None = None,
    perturb: Perturbation | Sequence[Perturbation] | None = None,
    metrics: Mapping[str, int] | Iterable[str] | None = None,
    keep: Iterable[int] = (0,),
    seed: int = 0,
    progress: bool | None = None,
    observe: Callable[[int, Image.Image, bytes], None] | None = None,
) -> Run:
    """Save and re-open an image ``generations`` times, measuring every generation.

    Parameters
    ----------
    image : PIL.Image.Image
        The original (any mode; converted to 8-bit RGB first).
    generations : int
        How many save/open cycles (at least 1).
    codec : str
        ``"jpeg"``, ``"webp"``, ``"png"`` (lossless control), or ``"avif"``/``"jxl"``
        when available (see :func:`lossylib.codecs.available_codecs`).
    quality : int
        1-100, the quality of every save unless a perturbation changes it.
    subsampling : str, optional
        Chroma subsampling for JPEG/AVIF (``"4:4:4"``, ``"4:2:2"``, ``"4:2:0"``); None
        keeps Pillow's default (4:2:0 for JPEG).
    perturb : Perturbation, str or sequence, optional
        What changes between saves (see :mod:`lossylib.perturb`); a text spec such as
        ``"shift:1"`` is read with :func:`lossylib.perturb.parse`.
    metrics : mapping or iterable, optional
        Which measures, and how often: ``{"psnr": 1, "delta_e": 10}`` computes PSNR every
        generation and the colour shift every 10th (and at the last); a list means every
        generation. Default: :data:`DEFAULT_METRICS`. Bytes are always recorded. A
        generation that writes the same file as the one before (so, with no perturbation
        that edits pixels, the same picture) reuses that generation's measures; they are
        computed in a worker thread while the next generation is encoded.
    keep : iterable of int
        Generations whose frames (and encoded files) to keep.
    seed : int
        Seeds the perturbations' random choices (>= 0): the same seed gives the same run.
    progress : bool, optional
        Show a progress bar (``tqdm.auto``); by default only for 200+ generations.
    observe : callable, optional
        Called as ``observe(generation, image, encoded_bytes)`` after every generation
        (not generation 0), e.g. to keep a small preview of a large photo instead of the
        whole frame; memory then stays flat however many generations are watched.

    Returns
    -------
    Run

    Examples
    --------
    >>> from lossylib import load_sample, perturb
    >>> run = recompress(load_sample("testcard"), 10, perturb=perturb.Shift(1),
    ...                  metrics=["psnr"], keep=[10])
    >>> bool(run.table["psnr"][10] < run.table["psnr"][1])
    True
    """
    n = _check_generations(generations)
    c = codecs.get_codec(codec)
    q0 = codecs.check_quality(quality)
    ss = codecs.check_subsampling(c, subsampling)
    p = _perturbation(perturb)
    sched = _metric_schedule(metrics)
    keep_set = _check_keep(keep, n)
    seed = _check_seed(seed)
    if observe is not None and not callable(observe):
        raise RunError(f"observe must be a function, got {type(observe).__name__}")
    if progress is not None and not isinstance(progress, bool | np.bool_):
        raise RunError(f"progress must be True, False or None, got {progress!r}")
    original = as_rgb(image)
    _check_size(original, sched)
    rng = np.random.default_rng(seed)
    measure = _Measures(original, sched)

    cols = {
        "generation": np.arange(n + 1),
        # No file for generation 0 (the original): NaN there.
        "quality": np.full(n + 1, np.nan),
        "bytes": np.full(n + 1, np.nan),
    }
    for name in sched:
        cols[name] = np.full(n + 1, np.nan)
    if "psnr" in cols:
        cols["psnr"][0] = math.inf
    if "ssim" in cols:
        cols["ssim"][0] = 1.0
    for name in ("delta_e", "delta_e_sampled"):
        if name in cols:
            cols[name][0] = 0.0
    if "edges" in cols:
        cols["edges"][0] = _metrics.edge_energy(original)
    frames = {0: original.copy()} if 0 in keep_set else {}
    encoded: dict[int, bytes] = {}

    bar = None
    if progress or (progress is None and n >= 200):
        from tqdm.auto import tqdm

        bar = tqdm(total=n, desc=f"{c.name} q={q0}", unit="gen", leave=False)

    current = original
    # Only measuring the change, and undoing a perturbation, need the generation before.
    keeps_previous = "change" in sched or p.changes_image
    last_data = b""
    streak_start = 0  # first generation of the current streak of identical files
    # a fingerprint of every generation's file, for the pattern it ends in (8 bytes each)
    fingerprints = np.zeros(n, np.int64)
    # Each decoded generation in one block of memory, so its pixels are lent to the
    # metrics, not copied (at 12 megapixels a copy takes 35 ms and 48 MB).
    with one_block(original.width * original.height):
        try:
            for g in range(1, n + 1):
                q = codecs.check_quality(p.quality(q0, rng, g)) if c.lossy else q0
                to_save = p.before(current, rng, g)
                data = codecs.encode(to_save, c.name, q, ss)
                if not keeps_previous:
                    # Let the previous generation go before decoding, so the decoder can reuse
                    # its memory, as a bare save/open loop does: one image fewer in memory.
                    current = to_save = decoded = None
                decoded = p.after(codecs.decode(data), current, rng, g)
                if g == 1:
                    streak_start = 0 if _same_pixels(decoded, original) else 1
                elif data != last_data:
                    streak_start = g
                fingerprints[g - 1] = file_hash(data)
                cols["quality"][g] = q
                cols["bytes"][g] = len(data)
                due = [name for name, every in sched.items() if g % every == 0 or g == n]
                if g > 1 and data == last_data and not p.changes_image:
                    # The same file as every generation since streak_start decodes to the same
                    # picture: its measures against the original are the last ones taken in
                    # the streak (a measure taken every k-th generation is not always in g - 1).
                    measure.collect(cols)
                    for name in due:
                        cols[name][g] = (
                            math.inf
                            if name == "change"
                            else _last_taken(cols[name], streak_start, g)
                        )
                    due = [name for name in due if np.isnan(cols[name][g])]
                measure.submit(g, due, decoded, current, cols)
                if g in keep_set:
                    frames[g] = decoded
                    encoded[g] = data
                if observe is not None:
                    observe(g, decoded, data)
                current, last_data = decoded, data
                if bar is not None:
                    bar.update()
            measure.collect(cols)
        finally:
            measure.close()
    if bar is not None:
        bar.close()
    fixed_point = streak_start if streak_start < n else None
    cycle = final_cycle(fingerprints, MAX_PERIOD)
    if fixed_point is not None:
        cycle = (1, fixed_point)
    settings = {
        "codec": c.name,
        "quality": q0,
        "subsampling": ss or "default",
        "perturbation": p.name,
        "seed": seed,
        "generations": n,
    }
    return Run(MetricsTable(cols), frames, encoded, fixed_point, settings, cycle)


def edit_only(
    image: Image.Image,
    generations: int,
    perturb: Perturbation | str | Sequence | None = None,
    seed: int = 0,
) -> Image.Image:
    """The picture after ``generations`` rounds of :func:`recompress`'s loop with a perfect
    copy in place of each save: the edit's own loss, with no codec's. It is the picture a
    run with the lossless PNG control ends with (``codec="png"``), without the time spent
    writing the files.

    Examples
    --------
    >>> from lossylib import load_sample, perturb
    >>> im = load_sample("testcard")
    >>> edit_only(im, 3, perturb.Shift(1)).tobytes() == im.tobytes()  # shifted back: exact
    True
    >>> edit_only(im, 3, perturb.Rotate(1.0)).tobytes() == im.tobytes()  # resampled
    False
    """
    n = _check_generations(generations)
    p = _perturbation(perturb)
    rng = np.random.default_rng(_check_seed(seed))
    current = as_rgb(image)
    for g in range(1, n + 1):  # (PNG draws no quality: none is drawn here either)
        current = p.after(p.before(current, rng, g), current, rng, g)
    return current
