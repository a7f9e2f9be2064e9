"""The command line: ``lossy generations ...`` (also ``python -m lossylib``).

Examples
--------
Re-save the astronaut 200 times at quality 75, shifting the 8x8 grid each time::

    lossy generations --sample astronaut --generations 200 --perturb shift:1 --out out/astro

Many photos at once, two at a time, one subfolder each plus ``summary.csv``::

    lossy generations photos/ -n 50 --jobs 2 --out results

Bad input (a corrupt file, quality 101, zero generations ...) prints one line starting
with ``lossy: error:`` and exits with status 2; nothing is written. Everything is checked,
and the output folder is created and tested for writing, before any computing. The files
are written to a temporary folder inside ``--out`` and moved into place only when all of
them are done; a run that fails or is interrupted (Ctrl-C, SIGTERM, SIGHUP) removes its
temporary folder and the folders it created itself, and nothing else.

This module imports only the standard library at the top, so that Ctrl-C while the
scientific libraries are still loading ends quietly too.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from typing import TYPE_CHECKING

from . import interrupts

if TYPE_CHECKING:  # the rest of the standard library is imported when first needed
    import argparse
    from collections.abc import Sequence
    from pathlib import Path

EXIT_BAD_INPUT = 2
EXIT_IO = 1


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, SIGTERM or SIGHUP, raised in the main thread."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _Signals:
    """Turn SIGINT, SIGTERM and SIGHUP into :class:`Interrupted`; or hold them while files
    are being moved into place (so a run is never half moved), then act on them.

    Python runs a signal handler between two bytecodes of whatever Python code runs next,
    and that can be code that does not pass an exception on: inside the import system
    (its module-lock cleanup drops it; a class body's ``__set_name__`` turns it into a
    RuntimeError), a weakref callback or a ``__del__`` elsewhere (dropped, printed as
    "Exception ignored"). So a signal that comes during an import, while numba loads its
    kernels, or while this thread holds signals back (as :func:`lossylib.workers.run_tasks`
    does while a worker process starts) is raised 20 ms later instead, again until that is
    over; one dropped elsewhere is caught in ``sys.unraisablehook`` and raised again the
    same way; and :func:`main` checks at its end that no signal went missing.
    """

    RETRY_S = 0.02

    def __init__(self) -> None:
        self.saved: dict[int, object] = {}
        self.saved_hook = None
        self.reset()

    def reset(self) -> None:
        self.held = False
        self.pending: int | None = None  # came while held; raised at release()
        self.last: int | None = None  # the last signal, raised or put off; main() reports it
        self.after_commit = False  # the results are in place
        self.done = False  # main() is ending: later signals change nothing
        self.retry: threading.Timer | None = None

    def _raise(self, signum: int):
        self.last = signum
        raise Interrupted(signum)

    def _handler(self, signum, frame) -> None:
        if self.done:
            return
        if self.held:
            self.pending = signum
            return
        if _in_import_or_numba(frame) or interrupts.held_back(signum):
            self._later(signum)
            return
        self._raise(signum)

    def _later(self, signum: int) -> None:
        """Deliver ``signum`` again in RETRY_S seconds, from another thread (raised from
        the hook, it would be dropped there again)."""
        self.last = signum
        if self.retry is None:  # (None again once a retry has fired: it may be put off too)
            self.retry = threading.Timer(self.RETRY_S, self._resend, (signum,))
            self.retry.daemon = True
            self.retry.start()

    def _resend(self, signum: int) -> None:
        import _thread

        self.retry = None
        _thread.interrupt_main(signum)

    def _unraisable(self, info) -> None:
        if isinstance(info.exc_value, Interrupted):
            self._later(info.exc_value.signum)
        else:
            (self.saved_hook or sys.__unraisablehook__)(info)

    def install(self) -> None:
        self.reset()
        if threading.current_thread() is not threading.main_thread():
            return
        for s in interrupts.ENDING_SIGNALS:
            self.saved[s] = signal.signal(s, self._handler)
        self.saved_hook, sys.unraisablehook = sys.unraisablehook, self._unraisable

    def check(self) -> None:
        """Raise the last signal if main() has not reported it (it was dropped on the way)."""
        if self.last is not None:
            self._raise(self.last)

    def restore(self) -> None:
        self.done = True
        retry, self.retry = self.retry, None
        if retry is not None:
            retry.cancel()
            retry.join()  # if it fired, the handler runs here and ignores it
        for s, old in self.saved.items():
            signal.signal(s, old)
        self.saved.clear()
        if self.saved_hook is not None:
            sys.unraisablehook, self.saved_hook = self.saved_hook, None

    def hold(self) -> None:
        self.held = True

    def release(self) -> None:
        self.held = False
        if self.pending is not None:
            signum, self.pending = self.pending, None
            self._raise(signum)


#: Where a signal is put off: the import system, and numba's compiler and its LLVM
#: bindings (an exception raised between an LLVM call and its Python wrapper leaves an
#: object owned twice: seen once as "double free detected" at exit, after Ctrl-C while
#: the kernels loaded).
_PUT_OFF_IN = ("<frozen importlib", f"{os.sep}llvmlite{os.sep}", f"{os.sep}numba{os.sep}")


def _in_import_or_numba(frame) -> bool:
    """Whether ``frame`` runs inside the import system or numba's compiler."""
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith(_PUT_OFF_IN[0]) or _PUT_OFF_IN[1] in name or _PUT_OFF_IN[2] in name:
            return True
        frame = frame.f_back
    return False


_signals = _Signals()


def _parser_class() -> type:
    import argparse

    class _Parser(argparse.ArgumentParser):
        """argparse with one-line errors: ``lossy: error: ...`` (the usage only with -h)."""

        def error(self, message: str):
            parts = self.prog.split()
            sub = f"{parts[1]} " if len(parts) > 1 else ""
            self.exit(EXIT_BAD_INPUT, f"lossy: error: {message} (see lossy {sub}-h)\n")

    return _Parser


def _parser() -> argparse.ArgumentParser:

    from .batch import DEFAULT_METRICS
    from .codecs import SUBSAMPLINGS
    from .generations import MAX_GENERATIONS, METRICS
    from .images import list_samples

    _Parser = _parser_class()
    ap = _Parser(
        prog="lossy",
        description="Re-save an image again and again and measure what each generation loses.",
    )
    from . import __version__

    ap.add_argument("--version", action="version", version=f"lossy (lossylib) {__version__}")
    sub = ap.add_subparsers(dest="command", required=True, parser_class=_Parser)
    g = sub.add_parser(
        "generations",
        help="re-save images N times; write metrics.csv, a strip, an animation and curves",
        description="Re-save an image N times and write DIR/metrics.csv, DIR/strip.png, "
        "DIR/generations.gif and DIR/curves.png. With several images or a folder, each image "
        "gets DIR/<name>/ with those files, and DIR/summary.csv (one row per image: fixed "
        "point, cycle, PSNR and bytes at the --at generations, status) and DIR/summary.png. "
        "Existing results in DIR are never replaced without --overwrite; other files in DIR "
        "are never touched. Everything is checked, and DIR tested for writing, before any "
        "computing.",
    )
    g.add_argument(
        "image",
        nargs="*",
        help="image files (PNG, JPEG, TIFF, WebP, ...) and/or folders of them",
    )
    g.add_argument("--sample", choices=list_samples(), help="a built-in sample instead")
    g.add_argument(
        "--generations",
        "-n",
        type=int,
        required=True,
        help=f"number of re-saves (1 to {MAX_GENERATIONS:,})",
    )
    g.add_argument("--codec", default="jpeg", help="jpeg (default), webp, png, avif, jxl")
    g.add_argument("--quality", "-q", type=int, default=75, help="1-100 (default 75)")
    g.add_argument("--subsampling", choices=SUBSAMPLINGS, help="chroma subsampling (JPEG, AVIF)")
    g.add_argument(
        "--perturb",
        action="append",
        default=[],
        metavar="SPEC",
        help="change between saves, repeatable: jitter:60-90, alternate:70/90, shift:1, "
        "resize:0.9, crop:3, rotate:1.5, sharpen[:80]",
    )
    g.add_argument(
        "--metrics",
        default=None,
        help=f"comma-separated, from: {', '.join(METRICS)} (default: {DEFAULT_METRICS}; on "
        "images above 1 megapixel delta_e is then replaced by delta_e_sampled, the same "
        "colour difference averaged over a grid of at most 65,536 pixels, and the CSV column "
        "says so)",
    )
    g.add_argument(
        "--every",
        type=int,
        default=0,
        help="compute edges and delta_e every K generations (default: about 50 points)",
    )
    g.add_argument(
        "--seed", type=_seed, default=0, help="seed for random perturbations (>= 0, default 0)"
    )
    g.add_argument(
        "--strip",
        default="",
        help="comma-separated generations for the strip (default: 0, 1, 10%%, 50%%, N)",
    )
    g.add_argument(
        "--at",
        default="",
        help="batch: generations whose PSNR and bytes go in summary.csv (default: 1,10,N)",
    )
    g.add_argument("--out", "-o", required=True, help="output folder (created if missing)")
    g.add_argument(
        "--overwrite",
        action="store_true",
        help="replace the results of an earlier run in --out (default: refuse, and say which "
        "file is in the way)",
    )
    g.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=0,
        help="images run in parallel (default: one per usable core, within a container's CPU "
        "quota, and fewer if the largest image would not fit in memory that many times)",
    )
    g.add_argument(
        "--quiet",
        action="store_true",
        help="no progress bar, and no note when memory lowers --jobs (errors are still printed)",
    )
    sub.add_parser("samples", help="list the built-in samples and the available codecs")
    return ap


def _seed(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 0, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 0, got {value}")
    return value


class _Output:
    """The output folder: created (parents too) and tested before any work; results moved
    in from a temporary folder at the end; on failure only what this run made is removed."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.created: list[Path] = []  # folders this run made, outermost first
        self.tmp: Path | None = None

    def open(self) -> Path:
        import tempfile
        from pathlib import Path

        _signals.hold()  # a signal now would leave a folder made but not yet recorded
        try:
            missing = [p for p in [*reversed(self.out.parents), self.out] if not p.exists()]
            for p in missing:
                p.mkdir()
                self.created.append(p)
            self.tmp = Path(tempfile.mkdtemp(prefix=f".lossy-{os.getpid()}-", dir=self.out))
        finally:
            _signals.release()
        _remove_stale(self.out)
        return self.tmp

    def commit(self, names: Sequence[str]) -> None:
        """Move ``names`` (files, or folders whose files are moved) from tmp into out."""
        import shutil

        _signals.hold()
        try:
            for name in names:
                src, dst = self.tmp / name, self.out / name
                if src.is_dir():
                    dst.mkdir(exist_ok=True)
                    for f in sorted(src.iterdir()):
                        os.replace(f, dst / f.name)
                else:
                    os.replace(src, dst)
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None
            _signals.after_commit = True
        finally:
            _signals.release()

    def abort(self) -> None:
        import shutil

        _signals.hold()  # a second Ctrl-C must not stop the clean-up half way
        try:
            if self.tmp is not None:
                shutil.rmtree(self.tmp, ignore_errors=True)
                self.tmp = None
            for p in reversed(self.created):
                try:
                    p.rmdir()  # only if still empty: never another run's or a user's files
                except OSError:
                    break
        finally:
            _signals.held, _signals.pending = False, None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process, or not a pid we can judge: leave it
    return True


def _remove_stale(out: Path) -> None:
    """Remove the temporary folders of earlier runs into ``out`` that were killed
    outright (SIGKILL, a power cut): ``.lossy-<pid>-*`` whose process no longer exists."""
    import shutil

    for p in out.glob(".lossy-*-*"):
        pid = p.name.split("-")[1]
        if p.is_dir() and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(p, ignore_errors=True)


def _options(args: argparse.Namespace):
    from .batch import Options

    if args.jobs < 0:
        raise ValueError(f"--jobs must be at least 1, got {args.jobs}")
    opts = Options(
        generations=args.generations,
        codec=args.codec,
        quality=args.quality,
        subsampling=args.subsampling,
        perturb=tuple(args.perturb),
        metrics=args.metrics,
        every=args.every,
        seed=args.seed,
        strip=args.strip,
        at=args.at,
    )
    opts.check()
    return opts


def _inputs(args: argparse.Namespace) -> tuple[list[tuple[str, str]], bool]:
    """[(source, label)] and whether this is a batch (several images or a folder)."""
    from pathlib import Path

    from .batch import folder_images, unique_labels

    if args.sample and args.image:
        raise ValueError("give image files or --sample, not both")
    if args.sample:
        return [(f"sample:{args.sample}", args.sample)], False
    if not args.image:
        raise ValueError("no image: give image files, a folder, or --sample NAME")
    paths: list[Path] = []
    batch = len(args.image) > 1
    for arg in args.image:
        p = Path(arg)
        if p.is_dir():
            batch = True
            found = folder_images(p)
            if not found:
                raise ValueError(f"no image files in the folder {p}")
            paths.extend(found)
        else:
            paths.append(p)
    if not batch:
        return [(str(paths[0]), paths[0].name)], False
    return list(zip(map(str, paths), unique_labels([p.name for p in paths]), strict=True)), True


def _check_out(out_arg: str, names: Sequence[str], overwrite: bool) -> Path:
    from pathlib import Path

    if not out_arg.strip():
        raise ValueError("--out must name a folder, got an empty string")
    out = Path(out_arg)
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out {out} exists and is not a folder")
    if out.is_dir() and not overwrite:
        for name in names:
            if (out / name).exists():
                raise ValueError(
                    f"{out / name} already exists; pass --overwrite to replace the results "
                    "of an earlier run (other files in the folder are kept)"
                )
    return out


def _generations(args: argparse.Namespace) -> int:
    from . import batch

    opts = _options(args)
    items, is_batch = _inputs(args)
    if is_batch:
        return _many(args, opts, items)
    out = _check_out(args.out, batch.OUTPUTS, args.overwrite)
    _memory_check(items)
    output = _Output(out)
    try:
        tmp = output.open()
        source, label = items[0]
        row = batch.run_image(source, tmp, opts, label, progress=False if args.quiet else None)
        output.commit(batch.OUTPUTS)
    except BaseException:
        output.abort()
        raise
    from .perturb import chain, parse

    change = chain(*(parse(s) for s in opts.perturb)).name
    fp = "never" if row["fixed_point"] == "" else f"at generation {row['fixed_point']}"
    psnr = row["_psnr"]
    last = f"; last PSNR {psnr[-1]:.2f} dB" if psnr is not None else ""
    print(
        f"{label}: {opts.generations} generations of {opts.codec} q={opts.quality} "
        f"({change}); fixed point {fp}{last}; wrote {out}/"
    )
    return 0


def _many(args: argparse.Namespace, opts, items: list[tuple[str, str]]) -> int:
    from . import batch

    labels = [label for _, label in items]
    out = _check_out(args.out, ["summary.csv", "summary.png", *labels], args.overwrite)
    if args.jobs:
        _memory_check(items)
    jobs = args.jobs or _default_jobs(items, args.quiet)
    output = _Output(out)
    bar = None
    try:
        tmp = output.open()
        if not args.quiet:
            from tqdm.auto import tqdm

            tqdm.monitor_interval = 0  # no monitor thread in a process that forks workers
            bar = tqdm(total=len(items), unit="image", desc="images", file=sys.stderr)

        def done(row: dict) -> None:
            if row["status"] != "ok":
                if bar is not None:
                    bar.write(f"lossy: error: {row['image']}: {row['error']}", file=sys.stderr)
                else:
                    print(f"lossy: error: {row['image']}: {row['error']}", file=sys.stderr)
            if bar is not None:
                bar.update()

        def note(line: str) -> None:
            if bar is not None:  # (none with --quiet)
                bar.write(f"lossy: {line}", file=sys.stderr)

        rows = batch.run_many(items, tmp, opts, jobs, done, note)
        if bar is not None:
            bar.close()
            bar = None
        batch.write_summary(rows, tmp / "summary.csv")
        batch.summary_plot(rows, tmp / "summary.png")
        ok = [r["image"] for r in rows if r["status"] == "ok"]
        output.commit([*ok, "summary.csv", "summary.png"])
    except BaseException:
        if bar is not None:
            bar.close()
        output.abort()
        raise
    failed = len(rows) - len(ok)
    print(
        f"{batch.n_images(len(rows))}: {len(ok)} ok, {failed} failed; wrote {out}/summary.csv "
        f"and a folder per image"
    )
    return EXIT_BAD_INPUT if failed else 0


def _memory_check(items: list[tuple[str, str]]) -> tuple[int, int | None, bool]:
    """(bytes the largest image may need, bytes free or None if unknown, whether it
    warned). Warns on stderr when that image may not fit even alone, before any
    computing, so that a run the system stops (out of memory, with no message of ours)
    is not a surprise."""
    from pathlib import Path

    from . import machine

    paths = [src for src, _ in items if not src.startswith("sample:")]
    pixels = machine.largest_image(paths)
    per_image = machine.memory_per_image(pixels)
    available = machine.available_memory()
    short = bool(pixels) and available is not None and per_image > available
    if short:
        name = Path(paths[0]).name if len(paths) == 1 else "the largest image"
        print(
            f"lossy: warning: {name} may need about {per_image / 1e9:.1f} GB of memory and "
            f"{available / 1e9:.1f} GB is free; the system may stop the run (try a smaller "
            f"copy of the image)",
            file=sys.stderr,
        )
    return per_image, available, short


def _default_jobs(items: list[tuple[str, str]], quiet: bool) -> int:
    """One image per usable core, fewer if the largest image would not fit in memory that
    many times over; says so on stderr when memory is what limits it."""
    from . import machine

    cores = min(machine.usable_cores(), len(items))
    per_image, available, warned = _memory_check(items)
    jobs = machine.default_jobs(cores, len(items), per_image, available)
    if jobs < cores and not quiet and not warned:
        print(
            f"lossy: running {jobs} image{'s' if jobs > 1 else ''} at a time, not {cores}: "
            f"the largest may need {per_image / 1e9:.1f} GB and {available / 1e9:.1f} GB "
            f"is free (--jobs sets the number)",
            file=sys.stderr,
        )
    return jobs


def _samples() -> int:
    from . import codecs
    from .images import describe_sample, list_samples

    for name in list_samples():
        print(f"{name:10}  {describe_sample(name)}")
    print(f"codecs: {', '.join(codecs.available_codecs())}")
    return 0


def _run(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "samples":
            return _samples()
        return _generations(args)
    except ValueError as err:  # every input error of the library is a ValueError
        return _fail(str(err), EXIT_BAD_INPUT)
    except OSError as err:
        from .batch import describe_error

        return _fail(describe_error(err), EXIT_IO)
    except MemoryError:
        return _fail("out of memory (try a smaller image or fewer --jobs)", EXIT_IO)


def _fail(message: str, status: int) -> int:
    """Report the error that ends the run, and return its exit status. The run is over
    from here on: a signal that comes now, or that was put off until now, neither cuts
    the message in two nor adds "interrupted" and another status after it."""
    _signals.done = True
    print(f"lossy: error: {message}", file=sys.stderr)
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``lossy`` command; returns the exit status.

    Ctrl-C, SIGTERM and SIGHUP end the run the same way: its temporary files and the
    folders it created are removed, one line is printed, and the status is 128 + signal.
    """
    _signals.install()
    try:
        status = _run(argv)
        if not _signals.done:  # (done: an error ended the run, and was reported)
            _signals.check()  # a signal whose exception Python dropped (see _Signals) ends it
        _signals.done = True
        return status
    except KeyboardInterrupt as err:
        _signals.done = True  # a second Ctrl-C must not interrupt the message
        signum = getattr(err, "signum", signal.SIGINT)
        if _signals.after_commit:
            print("lossy: interrupted after the results were complete and written", file=sys.stderr)
        else:
            print("lossy: interrupted; nothing written", file=sys.stderr)
        return 128 + int(signum)
    finally:
        _signals.restore()


def cli() -> None:
    """The ``lossy`` console command (and ``python -m lossylib``): :func:`main`, then exit.

    Before exiting, every object is moved out of the garbage collector's reach
    (``gc.freeze``): its last passes over numba's and matplotlib's objects at shutdown
    took half a second of every run (0.62 s from main's return to the process's end,
    0.09 s frozen), and nothing is left to clean up by then.
    """
    status = main()
    import gc

    gc.freeze()
    sys.exit(status)


if __name__ == "__main__":
    cli()
