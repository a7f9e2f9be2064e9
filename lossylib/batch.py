"""One image's run of the command line, and many images in parallel processes.

:func:`run_image` loads one image, re-saves it, and writes its four files (metrics.csv,
strip.png, curves.png, generations.gif) into a folder; large photos are previewed (see
:mod:`lossylib.previews`), so memory stays flat in the number of generations.
:func:`run_many` does that for many images, ``jobs`` at a time in worker processes, and
returns one summary row per image: a bad file gives a row with status ``error`` and its
reason instead of stopping the others. :func:`write_summary` and :func:`summary_plot`
write the batch's ``summary.csv`` and ``summary.png``.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> options = Options(generations=3, metrics="psnr")
>>> folder = Path(tempfile.mkdtemp())
>>> row = run_image("sample:testcard", folder, options, "testcard")
>>> row["status"], row["image"], sorted(p.name for p in folder.iterdir())
('ok', 'testcard', ['curves.png', 'generations.gif', 'metrics.csv', 'strip.png'])
"""

from __future__ import annotations

import csv
import math
import os
import shutil
import signal
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import codecs, interrupts, perturb
from .generations import METRICS, MetricsTable, Run, recompress
from .images import MAX_PIXELS, load_image, load_sample
from .machine import usable_cores
from .pixels import one_block
from .workers import fewer, forked, run_tasks, worker_context

#: Image files taken from a folder (others, and hidden files, are skipped).
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".bmp", ".gif", ".avif")

#: The default metrics; on images above :data:`LARGE_IMAGE` pixels ``delta_e`` becomes
#: ``delta_e_sampled`` (the exact CIEDE2000 costs about 0.25 s per megapixel on the first
#: generation, a tenth of that later on, and 12 bytes of memory per pixel).
DEFAULT_METRICS = "psnr,ssim,change,edges,delta_e"
LARGE_IMAGE = 1 << 20

#: Output files of one image.
OUTPUTS = ("metrics.csv", "strip.png", "curves.png", "generations.gif")

#: The most generations ``--strip`` may show: each is a column about 500 pixels wide, so
#: 50 make a strip of 25,000 x 700 pixels (17 megapixels), well within what image
#: viewers, and lossy itself, open.
MAX_STRIP = 50


@dataclass(frozen=True)
class Options:
    """The settings of one command-line run (already checked by :meth:`check`)."""

    generations: int
    codec: str = "jpeg"
    quality: int = 75
    subsampling: str | None = None
    perturb: tuple[str, ...] = ()
    metrics: str | None = None
    every: int = 0
    seed: int = 0
    strip: str = ""
    at: str = ""

    def check(self) -> None:
        """Raise ValueError with a one-line reason for any bad setting, before any work."""
        n = self.generations
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"--generations must be at least 1, got {n}")
        from .generations import MAX_GENERATIONS

        if n > MAX_GENERATIONS:
            raise ValueError(
                f"--generations must be at most {MAX_GENERATIONS:,} (the table keeps a row "
                f"per generation), got {n:,}"
            )
        if self.every < 0:
            raise ValueError(f"--every must be at least 1, got {self.every}")
        if self.seed < 0:
            raise ValueError(f"--seed must be a whole number >= 0, got {self.seed}")
        c = codecs.get_codec(self.codec)
        codecs.check_quality(self.quality)
        codecs.check_subsampling(c, self.subsampling)
        for spec in self.perturb:
            perturb.parse(spec)
        self.metric_names(0)
        shown = len(strip_generations(self.strip, n, "--strip"))
        if shown > MAX_STRIP:
            raise ValueError(
                f"--strip names {shown:,} generations; at most {MAX_STRIP} fit in a strip "
                "(each is a column about 500 pixels wide)"
            )
        strip_generations(self.at, n, "--at")

    def metric_names(self, pixels: int) -> list[str]:
        names = [x.strip() for x in (self.metrics or DEFAULT_METRICS).split(",") if x.strip()]
        if not names:
            raise ValueError("--metrics names no metric")
        for name in names:
            if name not in METRICS:
                raise ValueError(f"unknown metric {name!r}; choose from: {', '.join(METRICS)}")
        if self.metrics is None and pixels > LARGE_IMAGE:
            names = ["delta_e_sampled" if x == "delta_e" else x for x in names]
        return names

    def schedule(self, pixels: int) -> dict[str, int]:
        every = self.every or max(1, self.generations // 50)
        slow = ("edges", "delta_e", "delta_e_sampled")
        return {k: (every if k in slow else 1) for k in self.metric_names(pixels)}


def strip_generations(spec: str, n: int, option: str = "--strip") -> list[int]:
    """Generations named in ``spec`` ("0,1,10"; "N" is the last), or the default set.

    Examples
    --------
    >>> strip_generations("", 200)
    [0, 1, 20, 100, 200]
    >>> strip_generations("1,10,N", 50, "--at")
    [1, 10, 50]
    """
    if spec:
        try:
            gens = sorted(
                {n if x.strip().upper() == "N" else int(x) for x in spec.split(",") if x.strip()}
            )
        except ValueError:
            raise ValueError(
                f"{option} must be comma-separated whole numbers (or N), got {spec!r}"
            ) from None
        bad = [x for x in gens if not 0 <= x <= n]
        if bad:
            raise ValueError(f"{option} generation {bad[0]} is not between 0 and {n}")
        return gens
    if option == "--at":
        return sorted({1, min(10, n), n})
    return sorted({0, 1, max(1, n // 10), max(1, n // 2), n})


def animation_generations(n: int, count: int = 30) -> list[int]:
    step = max(1, n // count)
    return sorted({0, *range(1, n + 1, step), n})


def _load(source: str):
    if source.startswith("sample:"):
        name = source.removeprefix("sample:")
        return load_sample(name), name
    check_not_special(source)
    return load_image(source), Path(source).name


#: What a file that is not a regular file (nor a folder) is, by its type in ``st_mode``.
_SPECIAL = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def check_not_special(path: str | os.PathLike) -> None:
    """Refuse a named pipe, socket or device before it is opened (reading a pipe would
    wait for a writer forever). Regular files, folders and missing paths pass: the image
    loader says what is wrong with those.

    Examples
    --------
    >>> check_not_special("no/such/file.png")
    >>> check_not_special("/dev/null")
    Traceback (most recent call last):
    ...
    ValueError: /dev/null is a character device, not an image file
    """
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return
    for test, kind in _SPECIAL:
        if test(mode):
            raise ValueError(f"{os.fspath(path)} is {kind}, not an image file")


def write_outputs(run: Run, preview, folder: Path, strip: Sequence[int], label: str) -> None:
    """metrics.csv, strip.png, curves.png and generations.gif of one run into ``folder``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from . import figures, previews

    run.table.to_csv(folder / "metrics.csv")
    psnr = run.table.columns.get("psnr")
    labels = {g: previews.psnr_label(g, None if psnr is None else psnr[g]) for g in strip}
    # zlib level 3: a third of the time of Pillow's default (6) for a file 14% larger
    # (a 2460 x 576 strip of a photo: 0.08 s and 850 kB vs 0.24 s and 740 kB).
    previews.strip(preview, strip, labels).save(folder / "strip.png", compress_level=3)
    before = set(plt.get_fignums())
    try:
        figures.curves(run, label).savefig(folder / "curves.png")
    finally:  # (also a figure whose drawing an interrupt cut short, before it was returned)
        for number in set(plt.get_fignums()) - before:
            plt.close(number)
    previews.save_animation(preview, folder / "generations.gif")


def run_image(
    source: str, folder: Path, options: Options, label: str = "", progress: bool | None = False
) -> dict:
    """Run one image (a path, or ``"sample:NAME"``) and write its outputs into ``folder``.

    Returns its summary row (see :func:`summary_row`). Errors propagate (ValueError for
    bad input, OSError for files); :func:`run_many` turns them into error rows.
    """
    from .previews import Preview

    # The original in one block of memory too (as recompress keeps each generation), so
    # that its pixels are lent to the metrics, not copied.
    with one_block(MAX_PIXELS):
        image, name = _load(source)
    label = label or name
    n = options.generations
    strip = strip_generations(options.strip, n)
    shown = sorted(set(strip) | set(animation_generations(n)))
    preview = Preview(image, shown)
    run = recompress(
        image,
        n,
        codec=options.codec,
        quality=options.quality,
        subsampling=options.subsampling,
        perturb=[perturb.parse(s) for s in options.perturb],
        metrics=options.schedule(image.width * image.height),
        keep=(),
        seed=options.seed,
        progress=progress,
        observe=preview.observe,
    )
    del image
    write_outputs(run, preview, folder, strip, label)
    return summary_row(label, run, strip_generations(options.at, n, "--at"))


def summary_row(label: str, run: Run, at: Sequence[int]) -> dict:
    """One image's row of ``summary.csv``: fixed point, cycle, PSNR and bytes at ``at``."""
    row = {"image": label, "status": "ok", "error": ""}
    row["fixed_point"] = "" if run.fixed_point is None else run.fixed_point
    row["cycle_period"] = "" if run.cycle is None else run.cycle[0]
    row["cycle_start"] = "" if run.cycle is None else run.cycle[1]
    psnr = run.table.columns.get("psnr")
    for g in at:
        row[f"psnr_{g}"] = "" if psnr is None else _cell(psnr[g])
        row[f"bytes_{g}"] = "" if g == 0 else int(run.table["bytes"][g])
    row["_psnr"] = None if psnr is None else psnr.copy()
    return row


def _cell(v: float) -> str:
    if math.isnan(v):
        return ""
    return "inf" if math.isinf(v) else repr(round(float(v), 6))


def error_row(label: str, at: Sequence[int], reason: str) -> dict:
    row = {"image": label, "status": "error", "error": reason}
    row.update(fixed_point="", cycle_period="", cycle_start="")
    for g in at:
        row[f"psnr_{g}"] = row[f"bytes_{g}"] = ""
    row["_psnr"] = None
    return row


def describe_error(err: BaseException) -> str:
    """One line for an error: the message, or the OS reason and file name."""
    if isinstance(err, OSError) and err.strerror:
        return f"{err.strerror}: {err.filename or ''}".rstrip(": ")
    if isinstance(err, MemoryError):
        return "out of memory"
    return str(err).splitlines()[0] if str(err) else type(err).__name__


#: The row of an image whose worker was killed outright twice (see :func:`run_many`; the
#: system's out-of-memory killer ends the biggest process with SIGKILL, which no code can
#: catch).
WORKER_DIED_TWICE = (
    "its worker process was killed twice (out of memory? try a smaller copy of the image, "
    "or fewer --jobs)"
)


def worker_died(exitcode: int) -> str:
    """The error of an image whose worker process ended with ``exitcode`` before its row
    (one killed outright is first run again: see :func:`run_many`).

    Examples
    --------
    >>> worker_died(-signal.SIGSEGV)
    'its worker process died (SIGSEGV)'
    >>> worker_died(1)
    'its worker process died (exit status 1)'
    """
    if exitcode < 0:
        try:
            return f"its worker process died ({signal.Signals(-exitcode).name})"
        except ValueError:  # pragma: no cover - a signal Python has no name for
            return f"its worker process died (signal {-exitcode})"
    return f"its worker process died (exit status {exitcode})"


def _worker_init(measure_in_thread: bool) -> None:
    from . import generations

    generations.MEASURE_IN_THREAD = measure_in_thread


def _task(args: tuple[str, str, Path, Options]) -> dict:
    source, label, folder, options = args
    at = strip_generations(options.at, options.generations, "--at")
    try:
        folder.mkdir()
        return run_image(source, folder, options, label)
    except (ValueError, OSError, MemoryError) as err:
        if interrupts.raised() is not None:
            raise  # not this image's error: the interrupt, changed on its way
        return error_row(label, at, describe_error(err))


def run_many(
    items: Sequence[tuple[str, str]],
    tmp: Path,
    options: Options,
    jobs: int = 1,
    on_done: Callable[[dict], None] | None = None,
    on_note: Callable[[str], None] | None = None,
) -> list[dict]:
    """Run each ``(source, label)`` into ``tmp/label``, ``jobs`` processes at a time.

    Rows come back in the order of ``items``; ``on_done`` is called as each finishes.

    An image whose worker process the system kills (SIGKILL: most often the out-of-memory
    killer, whose choice the images running beside it share) runs again after the others,
    and from then on half as many images run at a time; ``on_note`` gets a line that says
    so. Killed again, or a worker that dies otherwise (see :mod:`lossylib.workers`), it
    gets an error row.
    """
    tasks = [(src, label, tmp / label, options) for src, label in items]
    results: dict[int, dict] = {}

    def done(i: int, row: dict) -> None:
        results[i] = row
        if on_done:
            on_done(row)

    if jobs <= 1 or len(tasks) <= 1:
        for i, t in enumerate(tasks):
            done(i, _task(t))
        return [results[i] for i in range(len(tasks))]
    import multiprocessing

    # forked on Linux (from a fork server in a Jupyter kernel), spawned elsewhere
    ctx = worker_context() or multiprocessing.get_context("spawn")
    if forked(ctx):
        _load_once_before_forking()
    workers = min(jobs, len(tasks))
    at = strip_generations(options.at, options.generations, "--at")

    killed = -getattr(signal, "SIGKILL", 9)
    retried: set[int] = set()
    at_a_time = workers  # as run_tasks counts it

    def lost(i: int, exitcode: int) -> bool:
        nonlocal at_a_time
        label = tasks[i][1]
        if exitcode == killed and i not in retried:
            retried.add(i)
            shutil.rmtree(tasks[i][2], ignore_errors=True)  # its half-written files
            now, at_a_time = at_a_time, fewer(at_a_time)
            if on_note:
                change = f", {n_images(at_a_time)} at a time from now on" if at_a_time < now else ""
                on_note(
                    f"{label}: its worker process was killed (out of memory?); {label} runs "
                    f"again after the others{change}"
                )
            return True
        reason = WORKER_DIED_TWICE if i in retried else worker_died(exitcode)
        done(i, error_row(label, at, reason))
        return False

    # With a process on every core, a second thread per process only competes for them
    # (measured: 8 photos on 2 cores took 5% more time and 6% more CPU with it).
    threaded = workers < usable_cores()
    run_tasks(_task, tasks, workers, done, lost, _worker_init, (threaded,), ctx)
    return [results[i] for i in range(len(tasks))]


def n_images(n: int) -> str:
    """``"1 image"``, ``"2 images"``."""
    return f"{n} image" if n == 1 else f"{n} images"


def _load_once_before_forking() -> None:
    """Import matplotlib and load the compiled kernels in the parent, so the forked
    workers share them instead of each spending a second of CPU on it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401

    from . import kernels

    if kernels.AVAILABLE:
        kernels.warm_up()


def write_summary(rows: Sequence[dict], path: Path) -> None:
    """``summary.csv``: one row per image in input order (no times: it is deterministic)."""
    names = [k for k in rows[0] if not k.startswith("_")]
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(names)
        for row in rows:
            w.writerow(row[k] for k in names)


def summary_plot(rows: Sequence[dict], path: Path) -> None:
    """PSNR against generation, one line per image that ran (``summary.png``)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from . import figures

    runs = {}
    for row in rows:
        if row["_psnr"] is None:
            continue
        psnr = row["_psnr"]
        table = MetricsTable({"generation": np.arange(len(psnr)), "psnr": psnr})
        fp = row["fixed_point"]
        runs[row["image"]] = Run(table, {}, {}, None if fp == "" else int(fp))
    fig = None
    try:
        if len(runs) > SUMMARY_LEGEND:
            fig = _many_curves(runs)
        elif runs:
            short = {_short(k): r for k, r in runs.items()}
            fig = figures.compare_curves(short if len(short) == len(runs) else runs, "psnr")
        else:
            fig, ax = plt.subplots()
            ax.text(0.5, 0.5, "no image ran", ha="center", va="center")
            ax.set_axis_off()
        fig.savefig(path)
    finally:
        if fig is not None:
            plt.close(fig)


#: Up to this many images, summary.png names every line in its legend, each in a colour
#: of its own (:data:`lossylib.plots.COLORS` has seven); beyond, see :func:`_many_curves`.
SUMMARY_LEGEND = 7


def _many_curves(runs: dict[str, Run], named: int = 3):
    """PSNR against generation for many images: a thin line each, coloured by its last
    PSNR (a colour bar gives the scale), and a legend that names only the ``named``
    images with the lowest and the ``named`` with the highest last PSNR."""
    import matplotlib as mpl
    from matplotlib.ticker import MaxNLocator

    from . import plots

    last = {}
    for label, run in runs.items():
        y = run.table["psnr"].astype(float)[1:]
        y = y[np.isfinite(y)]
        last[label] = float(y[-1]) if y.size else math.nan
    ranked = sorted((v, k) for k, v in last.items() if not math.isnan(v))
    extremes = {k for _, k in ranked[:named] + ranked[-named:]}
    values = [v for v, _ in ranked] or [0.0]
    norm = mpl.colors.Normalize(min(values), max(values))
    cmap = mpl.colormaps["viridis"]
    fig, ax = plots.figure(figsize=(7.0, 4.2))

    def order(item):  # the named lines last, on top, highest first (as in the colour bar)
        return (item[0] in extremes, -last[item[0]] if item[0] in extremes else 0.0)

    for label, run in sorted(runs.items(), key=order):
        g = run.table["generation"]
        y = run.table["psnr"].astype(float)
        ok = np.isfinite(y) & (g > 0)
        color = "0.6" if math.isnan(last[label]) else cmap(norm(last[label]))
        named_line = label in extremes
        ax.plot(
            g[ok],
            y[ok],
            color=color,
            linewidth=1.6 if named_line else 0.7,
            alpha=1.0 if named_line else 0.6,
            label=f"{_short(label)} ({last[label]:.1f} dB)" if named_line else None,
        )
        fp = run.fixed_point
        if fp is not None and fp > 0 and np.isfinite(y[fp]):
            ax.plot([fp], [y[fp]], "o", color=color, markersize=3, markeredgecolor="black")
    ax.set_xlabel("generation")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("PSNR against the original (dB)")
    ax.set_title(f"{n_images(len(runs))}; named: the lowest and highest last PSNR", fontsize=9)
    if ranked:
        ax.legend(fontsize=7)
        bar = mpl.cm.ScalarMappable(norm=norm, cmap=cmap)
        fig.colorbar(bar, ax=ax, label="psnr at the last generation (dB)")
    return fig


def _short(label: str, most: int = 24) -> str:
    """``label``, cut to ``most`` characters for a legend.

    Examples
    --------
    >>> _short("holiday-2019-beach-sunset-panorama-final", 12)
    'holiday-201…'
    """
    return label if len(label) <= most else label[: most - 1] + "…"


def folder_images(folder: Path) -> list[Path]:
    """The image files directly in ``folder`` (by suffix, not hidden), sorted by name.

    A named pipe, socket or device with an image's name is listed too: its run then
    fails with a reason (see :func:`check_not_special`), instead of it being skipped
    without a word."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.exists()
        and not p.is_dir()
        and not p.name.startswith(".")
        and p.suffix.lower() in IMAGE_SUFFIXES
    )


def unique_labels(names: Sequence[str]) -> list[str]:
    """Folder names for the images: the file's stem, made unique with -2, -3, ...

    Examples
    --------
    >>> unique_labels(["a.jpg", "a.png", "b.jpg"])
    ['a', 'a-2', 'b']
    """
    used = {"summary.csv", "summary.png"}  # the batch's own files
    out = []
    for name in names:
        stem = Path(name).stem.lstrip(".") or "image"
        stem = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in stem)
        label, k = stem, 1
        while label in used:
            k += 1
            label = f"{stem}-{k}"
        used.add(label)
        out.append(label)
    return out


__all__ = [
    "OUTPUTS",
    "Options",
    "folder_images",
    "n_images",
    "run_image",
    "run_many",
    "summary_plot",
    "unique_labels",
    "write_summary",
]
