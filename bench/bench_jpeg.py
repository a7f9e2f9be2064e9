"""Benchmarks for the JPEG chapter's loop and metrics, each against a reference measured in
the same run (issue 2, section 5; targets tightened by issue 13).

1. ``recompress`` with PSNR every generation vs. a bare Pillow save/open loop (<= 1.10x),
   at the same settings (JPEG settles; the loop then reuses the last measures) and with
   the quality alternating 70/80 in both loops (no fixed point: every generation measured).
2. ``recompress`` with PSNR and SSIM every generation vs. the same bare loop (<= 2x), both ways.
   Both loop comparisons run in five fresh processes and report the median ratio with its
   range: how fast a loop of JPEG round trips runs depends on the process (by 15-30%, see
   ``bench.harness.in_fresh_processes``), for the bare loop as much as for ours.
3. ``lossylib.metrics.ssim`` vs. scikit-image's ``structural_similarity`` on the same
   512 x 512 grey data (ours at least 10x faster, numba kernel), and their difference.
4. ``lossylib.metrics.psnr`` vs. scikit-image's ``peak_signal_noise_ratio``.

Timings are the best of several rounds, with the two sides of each comparison alternated
so a busy machine slows both alike. Run with ``python -m bench jpeg`` (or ``make bench``)
or ``python -m bench.bench_jpeg``.
"""

from __future__ import annotations

import io
import json
import sys

import numpy as np
from PIL import Image
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from bench.harness import best_pair, in_fresh_processes, spread
from lossylib import codecs, metrics, recompress
from lossylib.images import load_sample
from lossylib.perturb import AlternateQuality

SAMPLE = "astronaut"  # 512 x 512 RGB
QUALITY = 75
GENERATIONS = 100


#: A setting that never settles, for the loops that must measure every generation:
#: the quality alternates, in our loop and in the bare reference alike.
ALTERNATE = (70, 80)


def _bare_loop(
    image: Image.Image, generations: int = GENERATIONS, qualities: tuple[int, ...] = (QUALITY,)
) -> Image.Image:
    """The reference: save to memory and open again, nothing else."""
    current = image
    for g in range(generations):
        buf = io.BytesIO()
        current.save(buf, "JPEG", quality=qualities[g % len(qualities)])
        current = Image.open(io.BytesIO(buf.getvalue()))
        current.load()
    return current


def _loop(image: Image.Image, schedule: dict[str, int], qualities: tuple[int, ...]):
    change = AlternateQuality(qualities) if len(qualities) > 1 else None
    return recompress(
        image,
        GENERATIONS,
        quality=qualities[0],
        perturb=change,
        metrics=schedule,
        keep=(),
        progress=False,
    )


#: The loop comparisons: (label, metrics schedule, target ratio, qualities).
LOOPS = (
    # Same settings: JPEG settles after a few generations, and from then on the loop
    # reuses the last measures (the file, and so the picture, did not change).
    ("loop+psnr", {"psnr": 1}, 1.10, (QUALITY,)),
    ("loop+psnr+ssim", {"psnr": 1, "ssim": 1}, 2.0, (QUALITY,)),
    # A setting that never settles: every generation is measured.
    ("loop+psnr", {"psnr": 1}, 1.10, ALTERNATE),
    ("loop+psnr+ssim", {"psnr": 1, "ssim": 1}, 2.0, ALTERNATE),
)

#: Fresh processes the loop comparisons run in (the ratio depends on the process).
PROCESSES = 5


def loop_times() -> list[tuple[float, float]]:
    """(ours, bare) best times of every comparison in :data:`LOOPS`, in this process."""
    image = load_sample(SAMPLE)
    times = []
    for _, schedule, _, qualities in LOOPS:

        def ours(schedule=schedule, qualities=qualities):
            return _loop(image, schedule, qualities)

        def bare(qualities=qualities):
            return _bare_loop(image, qualities=qualities)

        times.append(best_pair(ours, bare, rounds=7))
    return times


def bench_loops() -> list[float]:
    """Each loop comparison in several fresh processes; prints and returns median ratios."""
    per_process = in_fresh_processes("bench.bench_jpeg", PROCESSES, "--loop-times")
    medians = []
    for i, (label, _, target, qualities) in enumerate(LOOPS):
        pairs = [times[i] for times in per_process]
        ratios = [ours / bare for ours, bare in pairs]
        median, low, high = spread(ratios)
        ours, bare = sorted(pairs, key=lambda p: p[0] / p[1])[len(pairs) // 2]
        setting = f"quality {'/'.join(map(str, qualities))}"
        print(
            f"{label} vs bare Pillow loop ({GENERATIONS} generations, {setting}): median ratio "
            f"{median:.2f} over {len(ratios)} processes ({low:.2f}-{high:.2f}; {ours:.3f} s vs "
            f"{bare:.3f} s in the median one) (target <= {target:g})",
            flush=True,
        )
        medians.append(median)
    return medians


def bench_ssim(a: np.ndarray, b: np.ndarray) -> float:
    ours, ref = best_pair(
        lambda: metrics.ssim(a, b),
        lambda: structural_similarity(a, b, data_range=255),
        rounds=15,
    )
    diff = abs(metrics.ssim(a, b) - structural_similarity(a, b, data_range=255))
    speedup = ref / ours
    print(
        f"ssim vs skimage structural_similarity ({a.shape[0]}x{a.shape[1]} grey): "
        f"{ours * 1e3:.2f} ms vs {ref * 1e3:.2f} ms, speed-up {speedup:.1f}x (target >= 10x); "
        f"|difference| {diff:.1e} (target < 1e-4)",
        flush=True,
    )
    return speedup


def bench_psnr(a: np.ndarray, b: np.ndarray) -> float:
    ours, ref = best_pair(
        lambda: metrics.psnr(a, b),
        lambda: peak_signal_noise_ratio(a, b, data_range=255),
        rounds=15,
    )
    diff = abs(metrics.psnr(a, b) - peak_signal_noise_ratio(a, b, data_range=255))
    speedup = ref / ours
    print(
        f"psnr vs skimage peak_signal_noise_ratio ({a.shape[0]}x{a.shape[1]}x{a.shape[2]}): "
        f"{ours * 1e3:.2f} ms vs {ref * 1e3:.2f} ms, speed-up {speedup:.1f}x; "
        f"|difference| {diff:.1e} dB",
        flush=True,
    )
    return speedup


def main() -> None:
    image = load_sample(SAMPLE)
    decoded, _ = codecs.roundtrip(image, "jpeg", QUALITY)
    print(f"sample: {SAMPLE} {image.width}x{image.height}, JPEG quality {QUALITY}", flush=True)
    bench_loops()
    bench_ssim(metrics.luma(image), metrics.luma(decoded))
    bench_psnr(np.asarray(image), np.asarray(decoded))


if __name__ == "__main__":
    if sys.argv[1:] == ["--loop-times"]:  # one process of bench_loops
        print(json.dumps(loop_times()))
    else:
        main()
