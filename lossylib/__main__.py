"""The command line: ``lossy generations ...`` (also ``python -m lossylib``).

Examples
--------
Re-save the astronaut 200 times at quality 75, shifting the 8x8 grid each time::

    lossy generations --sample astronaut --generations 200 --perturb shift:1 --out out/astro

Bad input (a corrupt file, quality 101, zero generations ...) prints one line starting
with ``lossy: error:`` and exits with status 2; nothing is written. The output files are
written to a temporary folder first and moved into place only when all of them are done.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from . import codecs, perturb
from .generations import METRICS, Run, recompress
from .images import describe_sample, list_samples, load_image, load_sample

EXIT_BAD_INPUT = 2
EXIT_IO = 1


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="lossy",
        description="Re-save an image again and again and measure what each generation loses.",
    )
    sub = ap.add_subparsers(dest="command", required=True)
    g = sub.add_parser(
        "generations",
        help="re-save an image N times; write metrics.csv, a strip, an animation and curves",
        description="Re-save an image N times and write DIR/metrics.csv, DIR/strip.png, "
        "DIR/generations.gif and DIR/curves.png.",
    )
    src = g.add_mutually_exclusive_group(required=True)
    src.add_argument("image", nargs="?", help="an image file (PNG, JPEG, TIFF, WebP, ...)")
    src.add_argument("--sample", choices=list_samples(), help="a built-in sample instead")
    g.add_argument("--generations", "-n", type=int, required=True, help="number of re-saves")
    g.add_argument("--codec", default="jpeg", help="jpeg (default), webp, png, avif, jxl")
    g.add_argument("--quality", "-q", type=int, default=75, help="1-100 (default 75)")
    g.add_argument(
        "--subsampling", choices=codecs.SUBSAMPLINGS, help="chroma subsampling (JPEG, AVIF)"
    )
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
        default="psnr,ssim,change,edges,delta_e",
        help=f"comma-separated, from: {', '.join(METRICS)} (default: all)",
    )
    g.add_argument(
        "--every",
        type=int,
        default=0,
        help="compute edges and delta_e every K generations (default: about 50 points)",
    )
    g.add_argument("--seed", type=int, default=0, help="seed for random perturbations")
    g.add_argument(
        "--strip",
        default="",
        help="comma-separated generations for the strip (default: 0, 1, 10%%, 50%%, N)",
    )
    g.add_argument("--out", "-o", required=True, help="output folder (created if missing)")
    g.add_argument("--quiet", action="store_true", help="no progress bar")
    sub.add_parser("samples", help="list the built-in samples and the available codecs")
    return ap


def _strip_generations(spec: str, n: int) -> list[int]:
    if spec:
        try:
            gens = sorted({int(x) for x in spec.split(",") if x.strip()})
        except ValueError:
            raise ValueError(
                f"--strip must be comma-separated whole numbers, got {spec!r}"
            ) from None
        bad = [x for x in gens if not 0 <= x <= n]
        if bad:
            raise ValueError(f"--strip generation {bad[0]} is not between 0 and {n}")
        return gens
    return sorted({0, 1, max(1, n // 10), max(1, n // 2), n})


def _animation_generations(n: int, count: int = 30) -> list[int]:
    step = max(1, n // count)
    return sorted({0, *range(1, n + 1, step), n})


def _write_outputs(run: Run, folder: Path, strip: Sequence[int], label: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from . import figures

    run.table.to_csv(folder / "metrics.csv")
    for name, fig in (
        ("strip.png", figures.generation_strip(run, strip)),
        ("curves.png", figures.curves(run, label)),
    ):
        try:
            fig.savefig(folder / name)
        finally:
            plt.close(fig)
    figures.save_animation(run, folder / "generations.gif")


def _generations(args: argparse.Namespace) -> int:
    image = load_sample(args.sample) if args.sample else load_image(args.image)
    label = args.sample or Path(args.image).name
    n = args.generations
    if n is None or n < 1:
        raise ValueError(f"--generations must be at least 1, got {n}")
    names = [x.strip() for x in args.metrics.split(",") if x.strip()]
    every = args.every or max(1, n // 50)
    if every < 1:
        raise ValueError(f"--every must be at least 1, got {args.every}")
    schedule = {k: (every if k in ("edges", "delta_e") else 1) for k in names}
    parts = [perturb.parse(spec) for spec in args.perturb]
    strip = _strip_generations(args.strip, n)
    keep = sorted(set(strip) | set(_animation_generations(n)))
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out {out} exists and is not a folder")
    run = recompress(
        image,
        n,
        codec=args.codec,
        quality=args.quality,
        subsampling=args.subsampling,
        perturb=parts,
        metrics=schedule,
        keep=keep,
        seed=args.seed,
        progress=False if args.quiet else None,
    )
    # The outermost folder this run creates, removed again if writing fails.
    created = next((p for p in reversed([out, *out.parents]) if not p.exists()), None)
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".lossy-", dir=out))
    try:
        _write_outputs(run, tmp, strip, label)
        for f in sorted(tmp.iterdir()):
            os.replace(f, out / f.name)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if created is not None:
            shutil.rmtree(created, ignore_errors=True)
        raise
    tmp.rmdir()
    fp = "never" if run.fixed_point is None else f"at generation {run.fixed_point}"
    last = run.table.row(n)
    print(
        f"{label}: {n} generations of {run.settings['codec']} q={run.settings['quality']} "
        f"({run.settings['perturbation']}); fixed point {fp}; "
        f"last PSNR {last.get('psnr', float('nan')):.2f} dB; wrote {out}/"
    )
    return 0


def _samples() -> int:
    for name in list_samples():
        print(f"{name:10}  {describe_sample(name)}")
    print(f"codecs: {', '.join(codecs.available_codecs())}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``lossy`` command; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "samples":
            return _samples()
        return _generations(args)
    except ValueError as err:  # every input error of the library is a ValueError
        print(f"lossy: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as err:
        print(
            f"lossy: error: {err.strerror or err}: {err.filename or ''}".rstrip(": "),
            file=sys.stderr,
        )
        return EXIT_IO
    except KeyboardInterrupt:
        print("lossy: interrupted; nothing written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
