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
them are done: all of them, or none if one cannot be moved (and without ``--overwrite``
nothing is replaced, not even a file that appeared during the run). A run that fails or
is interrupted (Ctrl-C, SIGTERM, SIGHUP) removes its temporary folder and the folders it
created itself, and nothing else; a later run removes the temporary folder of one killed
outright, and only such a folder (see :func:`_remove_stale`).

This module imports only the standard library at the top, so that Ctrl-C while the
scientific libraries are still loading ends quietly too.
"""

from __future__ import annotations

# First of all, before any other import: a Ctrl-C, SIGTERM or SIGHUP from now on is only
# noted, and main() takes it up as soon as it starts (before, Ctrl-C in the first 15-45 ms
# printed a KeyboardInterrupt traceback from these imports). What runs before this line is
# out of reach, and not fought: Python's own start-up (where Ctrl-C can even end in "Fatal
# Python error: init_import_site"), the console script's first lines, lossylib/__init__.py
# and loading this file: about 1 ms, or a few more where Python keeps no bytecode
# (PYTHONDONTWRITEBYTECODE: each run compiles it first). _signal is built into Python:
# importing it reads no file.
import _signal

_EARLY: list[int] = []  # signals that came before main() took over, in order


def _note_early(signum, frame) -> None:
    _EARLY.append(signum)


def _install_early() -> dict:
    saved = {}
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(_signal, name):
            try:
                saved[getattr(_signal, name)] = _signal.signal(getattr(_signal, name), _note_early)
            except ValueError:  # not the main thread: main() will not install handlers either
                break
    return saved


_EARLY_SAVED = _install_early()

import errno  # noqa: E402 - after the handlers above, on purpose
import os  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

from . import interrupts  # noqa: E402

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
        self.lock = threading.Lock()
        self.saved: dict[int, object] = {}
        self.saved_hook = None
        self.reset()

    def reset(self) -> None:
        self.held = False
        self.pending: int | None = None  # came while held; raised at release()
        self.last: int | None = None  # the last signal, raised or put off; main() reports it
        self.after_commit = False  # the results are in place
        self.done = False  # main() is ending: later signals change nothing
        self.in_hook = False  # sys.unraisablehook is running
        self.retrying = False  # a retry is on its way (False again once it has fired)
        self.stopped = threading.Event()  # set by restore(): this run's retries do nothing
        interrupts.note_raised(None)

    def _raise(self, signum: int):
        self.last = signum
        interrupts.note_raised(signum)  # (an error caught from now on may be this one)
        raise Interrupted(signum)

    def _handler(self, signum, frame) -> None:
        if self.done:
            return
        if self.held:
            self.pending = signum
            return
        if self.in_hook or _in_import_or_numba(frame) or interrupts.held_back(signum):
            self._later(signum)
            return
        self._raise(signum)

    def _later(self, signum: int) -> None:
        """Deliver ``signum`` again in RETRY_S seconds, from another thread (raised from
        the hook, it would be dropped there again). The thread is started without waiting
        for it to run, as ``threading.Thread.start`` would: on a busy machine the retry
        could then fire inside that wait, in the hook."""
        import _thread

        self.last = signum
        if not self.retrying:  # (a retry that has fired may be put off too: then again)
            self.retrying = True
            _thread.start_new_thread(self._resend, (signum, self.stopped))

    def _resend(self, signum: int, stopped: threading.Event) -> None:
        import _thread

        if stopped.wait(self.RETRY_S):
            return
        with self.lock:  # restore() waits for this, so a retry never outlives its run
            if not stopped.is_set():
                self.retrying = False
                _thread.interrupt_main(signum)

    def _unraisable(self, info) -> None:
        # A signal that comes while the hook runs is put off as well: raised here, it would
        # be dropped as "Exception ignored in sys.unraisablehook". It can be our own retry,
        # when the hook takes longer than RETRY_S (a busy machine).
        self.in_hook = True
        try:
            if isinstance(info.exc_value, Interrupted):
                self._later(info.exc_value.signum)
            else:
                (self.saved_hook or sys.__unraisablehook__)(info)
        finally:
            self.in_hook = False

    def install(self) -> None:
        self.reset()
        if threading.current_thread() is not threading.main_thread():
            return
        for s in interrupts.ENDING_SIGNALS:
            self.saved[s] = signal.signal(s, self._handler)
        self.saved_hook, sys.unraisablehook = sys.unraisablehook, self._unraisable

    def take_early(self) -> None:
        """Raise a signal that came before main() started (noted by ``_note_early``)."""
        if _EARLY:
            signum = _EARLY[0]
            _EARLY.clear()
            self._raise(signum)

    def check(self) -> None:
        """Raise the last signal if main() has not reported it (it was dropped on the way)."""
        if self.last is not None:
            self._raise(self.last)

    def restore(self) -> None:
        self.done = True
        with self.lock:  # a retry that fired just now is handled here, and ignored
            self.stopped.set()
        for s, old in self.saved.items():
            signal.signal(s, old)
        self.saved.clear()
        if self.saved_hook is not None:
            sys.unraisablehook, self.saved_hook = self.saved_hook, None
        interrupts.note_raised(None)

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

    from .batch import DEFAULT_METRICS, MAX_STRIP
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
        help=f"comma-separated generations for the strip, at most {MAX_STRIP} (default: 0, 1, "
        "10%%, 50%%, N)",
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


class _InTheWay(FileExistsError):
    """A file or folder that appeared in --out during the run where a result goes."""

    def __init__(self, path: Path) -> None:
        super().__init__(errno.EEXIST, os.strerror(errno.EEXIST), str(path))

    def __str__(self) -> str:
        return (
            f"{self.filename} appeared during the run and is kept; nothing written (pass "
            "--overwrite to replace it)"
        )


#: The file that marks a temporary folder as this program's own, and that its run holds
#: locked (``flock``) for as long as it lives.
LOCK_FILE = ".lossy-run.lock"


class _Output:
    """The output folder: created (parents too) and tested before any work; results moved
    in from a temporary folder at the end, all of them or none; on failure only what this
    run made is removed."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.created: list[Path] = []  # folders this run made, outermost first
        self.tmp: Path | None = None
        self.lock: int | None = None  # the open, locked LOCK_FILE in tmp

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
            self.lock = _lock(self.tmp)
        finally:
            _signals.release()
        _remove_stale(self.out)
        return self.tmp

    def commit(self, names: Sequence[str], overwrite: bool) -> None:
        """Move ``names`` (files, or folders whose files are moved) from tmp into out: all
        of them, or, if one cannot be moved, none (the ones moved already are taken back
        and the files they replaced put back). Without ``overwrite`` nothing is replaced,
        not even a file that appeared during the run."""
        _signals.hold()
        try:
            moves = _Moves(self.tmp / ".replaced")
            try:
                for name in names:
                    src, dst = self.tmp / name, self.out / name
                    if src.is_dir():
                        moves.folder(dst)
                        for f in sorted(src.iterdir()):
                            moves.file(f, dst / f.name, overwrite)
                    else:
                        moves.file(src, dst, overwrite)
            except BaseException:
                moves.undo()
                raise
            self._remove_tmp()
            _signals.after_commit = True
        finally:
            _signals.release()

    def abort(self) -> None:
        _signals.hold()  # a second Ctrl-C must not stop the clean-up half way
        try:
            self._remove_tmp()
            for p in reversed(self.created):
                try:
                    p.rmdir()  # only if still empty: never another run's or a user's files
                except OSError:
                    break
        finally:
            _signals.held, _signals.pending = False, None

    def _remove_tmp(self) -> None:
        import shutil

        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None
        if self.lock is not None:
            os.close(self.lock)
            self.lock = None


class _Moves:
    """Results moved into place one at a time, and taken back together if one fails.

    A file a result replaces (with --overwrite) first moves to ``spare`` (in the run's
    temporary folder), so that taking back puts it where it was.
    """

    def __init__(self, spare: Path) -> None:
        self.spare = spare
        self.placed: list[tuple[Path, Path | None]] = []  # (result, the file it replaced)
        self.made: list[Path] = []  # folders made for results

    def folder(self, dst: Path) -> None:
        if dst.is_dir():
            return
        try:
            dst.mkdir()
        except FileExistsError:
            raise _InTheWay(dst) from None
        except OSError as err:
            raise OSError(err.errno, err.strerror, str(dst)) from None
        self.made.append(dst)

    def file(self, src: Path, dst: Path, overwrite: bool) -> None:
        backup = None
        try:
            if overwrite and os.path.lexists(dst):
                if dst.is_dir() and not dst.is_symlink():  # not a result: never replaced
                    raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
                self.spare.mkdir(exist_ok=True)
                backup = self.spare / str(len(self.placed))
                os.rename(dst, backup)
            try:
                _place(src, dst)
            except BaseException:
                if backup is not None:
                    self._put_back(backup, dst)
                raise
        except FileExistsError:
            raise _InTheWay(dst) from None
        except OSError as err:
            raise OSError(err.errno, err.strerror, str(dst)) from None
        self.placed.append((dst, backup))

    def undo(self) -> None:
        for dst, backup in reversed(self.placed):
            try:
                os.unlink(dst)
            except OSError:
                continue  # (tried for every file: as much as possible is put back)
            if backup is not None:
                self._put_back(backup, dst)
        for folder in reversed(self.made):
            try:
                folder.rmdir()
            except OSError:
                continue
        self.placed, self.made = [], []

    @staticmethod
    def _put_back(backup: Path, dst: Path) -> None:
        try:
            _place(backup, dst)  # (never over a file that came meanwhile)
        except OSError:
            pass


def _place(src: Path, dst: Path) -> None:
    """Move the file ``src`` to ``dst``; FileExistsError if something is at ``dst``, even
    if it came a moment ago (a hard link is made or not at once; a rename would replace)."""
    try:
        os.link(src, dst, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError as err:
        if err.errno not in _NO_HARD_LINKS:
            raise
        # No hard links on this file system (FAT, some network shares): look, then move.
        # Only a file made in the moment between the two is replaced.
        if os.path.lexists(dst):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(dst)) from None
        os.rename(src, dst)
        return
    try:
        os.unlink(src)
    except OSError:
        pass  # (it goes with the temporary folder)


_NO_HARD_LINKS = {
    getattr(errno, name)
    for name in ("EPERM", "EACCES", "ENOTSUP", "EOPNOTSUPP", "EMLINK", "EXDEV", "ENOSYS")
    if hasattr(errno, name)
}


def _lock(folder: Path) -> int | None:
    """Mark ``folder`` as a run's temporary folder and lock it for the run's lifetime;
    return the open lock file (None where the system has no ``flock``, or the folder's
    file system takes no locks: the folder is then left unmarked, and never removed by
    another run). The lock is taken before the file gets its name, so that no other run
    ever sees a marked folder unlocked while its run lives."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return None
    fresh = folder / f"{LOCK_FILE}.new"
    fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.write(fd, b"the temporary folder of a running lossy; removed when it ends\n")
        os.rename(fresh, folder / LOCK_FILE)
    except OSError:
        os.close(fd)
        fresh.unlink(missing_ok=True)
        return None
    return fd


#: The names tempfile.mkdtemp gives the temporary folders (see _Output.open).
_TEMP_NAME = r"\.lossy-[0-9]+-[a-z0-9_]{8}"


def _remove_stale(out: Path) -> None:
    """Remove the temporary folders of earlier runs into ``out`` that were killed
    outright (SIGKILL, a power cut). Only a folder this program made (its name, and the
    marker :data:`LOCK_FILE` inside) whose lock no live run holds: ``flock`` answers for
    runs in other containers too, where a process id says nothing."""
    import re
    import shutil

    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no way to tell, so keep them all
        return
    try:
        entries = list(out.iterdir())
    except OSError:  # (a folder we may write in but not list)
        return
    for p in entries:
        if not re.fullmatch(_TEMP_NAME, p.name) or p.is_symlink() or not p.is_dir():
            continue
        try:
            fd = os.open(p / LOCK_FILE, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            continue  # not marked: not a run's own, or it is being made
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue  # a live run holds it
        try:
            shutil.rmtree(p, ignore_errors=True)
        finally:
            os.close(fd)


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

    from .batch import check_not_special, folder_images, unique_labels

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
        check_not_special(paths[0])  # (in a batch: that image's error row)
        return [(str(paths[0]), paths[0].name)], False
    return list(zip(map(str, paths), unique_labels([p.name for p in paths]), strict=True)), True


def _check_out(
    out_arg: str, names: Sequence[str], overwrite: bool, folders: Sequence[str] = ()
) -> Path:
    """The --out folder, checked: nothing in the way of the results ``names`` (files,
    except ``folders``) unless ``overwrite``; with it, nothing that is not a result (a
    folder where a file goes, or the other way round) in their places."""
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
    if out.is_dir() and overwrite:
        for name in names:
            p = out / name
            if name in folders and p.exists() and not p.is_dir():
                raise ValueError(f"{p} is not a folder of results; --overwrite keeps it")
            if name not in folders and p.is_dir() and not p.is_symlink():
                raise ValueError(f"{p} is a folder, not a result file; --overwrite keeps it")
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
        output.commit(batch.OUTPUTS, args.overwrite)
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
    names = ["summary.csv", "summary.png", *labels]
    out = _check_out(args.out, names, args.overwrite, folders=labels)
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
        output.commit([*ok, "summary.csv", "summary.png"], args.overwrite)
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

    # Regular files only: opening a named pipe would wait for a writer forever.
    paths = [src for src, _ in items if not src.startswith("sample:") and os.path.isfile(src)]
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
    except (ValueError, OSError, MemoryError) as err:
        signum = interrupts.raised()
        if signum is not None:  # C code put this error in place of the interrupt
            raise Interrupted(signum) from err
        if isinstance(err, _InTheWay):
            return _fail(str(err), EXIT_IO)
        if isinstance(err, ValueError):  # every input error of the library is a ValueError
            return _fail(str(err), EXIT_BAD_INPUT)
        if isinstance(err, MemoryError):
            return _fail("out of memory (try a smaller image or fewer --jobs)", EXIT_IO)
        from .batch import describe_error

        return _fail(describe_error(err), EXIT_IO)


def _fail(message: str, status: int) -> int:
    """Report the error that ends the run, and return its exit status. The run is over
    from here on: a signal that comes now, or that was put off until now, neither cuts
    the message in two nor adds "interrupted" and another status after it."""
    _signals.done = True
    print(f"lossy: error: {message}", file=sys.stderr)
    return status


def _interrupted(signum: int) -> int:
    """Report the interrupt that ended the run; return its exit status (128 + signal)."""
    _signals.done = True  # a second Ctrl-C must not interrupt the message
    if _signals.after_commit:
        print("lossy: interrupted after the results were complete and written", file=sys.stderr)
    else:
        print("lossy: interrupted; nothing written", file=sys.stderr)
    return 128 + int(signum)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``lossy`` command; returns the exit status.

    Ctrl-C, SIGTERM and SIGHUP end the run the same way: its temporary files and the
    folders it created are removed, one line is printed, and the status is 128 + signal.
    """
    _signals.install()
    try:
        _signals.take_early()
        status = _run(argv)
        if not _signals.done:  # (done: an error ended the run, and was reported)
            _signals.check()  # a signal whose exception Python dropped (see _Signals) ends it
        _signals.done = True
        return status
    except KeyboardInterrupt as err:
        return _interrupted(getattr(err, "signum", signal.SIGINT))
    except Exception:
        if interrupts.raised() is None:
            raise
        return _interrupted(interrupts.raised())  # the interrupt, changed on its way
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


def _running_as_command() -> bool:
    """Whether this process is the ``lossy`` command (or ``python -m lossylib``), which
    calls :func:`cli` next, rather than a program that imports this module."""
    script = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return __name__ == "__main__" or script in ("lossy", "lossy.exe", "lossy-script.py")


def _end_early() -> None:
    """In a program that imports this module, put its own signal handlers back (and give
    it a signal that came during the import), so that importing changes nothing."""
    for s, old in _EARLY_SAVED.items():
        _signal.signal(s, old)
    _EARLY_SAVED.clear()
    if _EARLY:
        signum = _EARLY[0]
        _EARLY.clear()
        signal.raise_signal(signum)


if not _running_as_command():
    _end_early()  # (the command keeps noting signals until main() takes over)


if __name__ == "__main__":
    cli()
