"""Benchmarks for the ``lossy generations`` command line on 12-megapixel photos (issue 13).

1. ``lossy generations photo.jpg -n 10`` (default metrics) on a 4000 x 3000 photo made by
   code vs. a bare Pillow save/open loop with a numpy PSNR against the original each
   generation (target: at most 3x), each in its own process so its peak memory is its own
   (target: under 1 GB, flat in the number of generations: -n 10 vs -n 30).
2. Batch mode: 8 photos with ``--jobs 2`` vs ``--jobs 1`` (target speed-up >= 1.7x), at
   1600 x 1200 (20 generations) and at 4000 x 3000 (10 generations).
3. The first-call compile time of the numba kernels (cache cleared), and the call after.
4. The memory two batch workers use on 12 MP photos (the proportional set size of the
   process tree, sampled as it runs) against what the default ``--jobs`` plans for them
   (:func:`lossylib.machine.memory_per_image`): the plan must not be below it.

Run with ``python -m bench cli``. The photo is generated, never downloaded.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

GENERATIONS = 10
QUALITY = 75
PYTHON = sys.executable


def synthetic_photo(width: int = 4000, height: int = 3000, seed: int = 0) -> Image.Image:
    """A photo-like RGB image made by code: 1/f colour fields, sharp shapes, sensor grain.

    JPEG compresses it about as much as a phone photo (a few bytes per 10 pixels at
    quality 75); it is deterministic for a seed.
    """
    rng = np.random.default_rng(seed)
    h, w = max(8, height // 4), max(8, width // 4)
    fy = np.fft.fftfreq(h)[:, None]
    fx = np.fft.rfftfreq(w)[None, :]
    amp = 1.0 / np.maximum(np.hypot(fx, fy), 1.0 / max(h, w)) ** 1.6
    chans = []
    for _ in range(3):
        spec = amp * (rng.normal(size=amp.shape) + 1j * rng.normal(size=amp.shape))
        field = np.fft.irfft2(spec, s=(h, w))
        field = (field - field.mean()) / (field.std() + 1e-12)
        chans.append(field)
    base = np.stack(chans, axis=-1) @ np.array([[0.6, 0.5, 0.4], [0.2, 0.3, 0.1], [0.1, 0.1, 0.3]])
    small = np.clip(128 + 45 * base, 0, 255).astype(np.uint8)
    im = Image.fromarray(small, "RGB").resize((width, height), Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(im)
    for _ in range(60):
        x, y = rng.integers(0, width), rng.integers(0, height)
        r = int(rng.integers(width // 100, width // 12))
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        box = [x - r, y - r, x + r, y + r]
        if rng.random() < 0.5:
            draw.ellipse(box, fill=colour)
        else:
            draw.rectangle(box, outline=colour, width=max(1, r // 10))
    im = im.filter(ImageFilter.GaussianBlur(1.0))
    grain = rng.normal(0, 4, (height, width, 1)).astype(np.float32)
    arr = np.asarray(im, dtype=np.float32) + grain
    return Image.fromarray(np.clip(arr + 0.5, 0, 255).astype(np.uint8), "RGB")


BARE = """
import io, sys, numpy as np
from PIL import Image
n, q = int(sys.argv[1]), int(sys.argv[2])
for path in sys.argv[3:]:
    original = Image.open(path); original.load(); original = original.convert("RGB")
    ref = np.asarray(original, dtype=np.float64)
    current = original
    for g in range(n):
        buf = io.BytesIO()
        current.save(buf, "JPEG", quality=q)
        current = Image.open(io.BytesIO(buf.getvalue())); current.load()
        err = np.mean((np.asarray(current, dtype=np.float64) - ref) ** 2)
        psnr = 10 * np.log10(255**2 / err)
print(psnr)
"""


def bare_scaling(paths: list[Path], generations: int, processes: int = 2) -> float:
    """How much faster ``processes`` bare loops share ``paths`` than one loop does them
    all: what this machine gives independent processes (the reference for --jobs)."""
    argv = [PYTHON, "-c", BARE, str(generations), str(QUALITY)]
    t0 = time.perf_counter()
    subprocess.run([*argv, *map(str, paths)], check=True, stdout=subprocess.DEVNULL)
    serial = time.perf_counter() - t0
    t0 = time.perf_counter()
    procs = [
        subprocess.Popen([*argv, *map(str, paths[i::processes])], stdout=subprocess.DEVNULL)
        for i in range(processes)
    ]
    if any(p.wait() for p in procs):
        raise RuntimeError("a bare loop failed")
    return serial / (time.perf_counter() - t0)


def _proc_size(pid: int, name: str, field: str) -> int:
    """The size ``field`` (a line ``field:  1234 kB``) of ``/proc/<pid>/<name>``, in
    bytes; 0 where there is none (not Linux, or the process has gone)."""
    try:
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _high_water(pid: int) -> int:
    """Peak resident memory of ``pid``'s running program, in bytes (0 if gone).

    Not ``ru_maxrss``: that also counts the memory of the program the child was before it
    ran ours (a copy of this benchmark, which is large after drawing the photo)."""
    return _proc_size(pid, "status", "VmHWM")


def run_measured(argv: list[str], env: dict | None = None) -> tuple[float, float, int, float]:
    """(wall seconds, peak resident memory in GB, exit status, CPU seconds) of a child
    process. CPU includes the worker processes it waited for; memory is its own, sampled
    every 5 ms while it runs (Linux; elsewhere the less exact ``ru_maxrss``)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, _high_water(proc.pid))
        time.sleep(0.005)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    proc.stderr.close()
    if proc.returncode != 0:
        print(f"  command failed ({proc.returncode}): {' '.join(argv)}\n{err}", flush=True)
    gb = peak / 1024**3 if peak else usage.ru_maxrss / 1024**2
    return wall, gb, proc.returncode, usage.ru_utime + usage.ru_stime


def lossy(*args: str) -> list[str]:
    return [PYTHON, "-m", "lossylib", "generations", *args]


def bench_single(photo: Path, work: Path) -> None:
    rows = []
    for rnd in range(2):
        bare = run_measured([PYTHON, "-c", BARE, str(GENERATIONS), str(QUALITY), str(photo)])
        out = work / f"single{rnd}"
        ours = run_measured(lossy(str(photo), "-n", str(GENERATIONS), "--out", str(out), "--quiet"))
        shutil.rmtree(out, ignore_errors=True)
        rows.append((bare, ours))
    bare = min(r[0][0] for r in rows)
    ours = min(r[1][0] for r in rows)
    mem_bare = max(r[0][1] for r in rows)
    mem_ours = max(r[1][1] for r in rows)
    print(
        f"12 MP, {GENERATIONS} generations q={QUALITY}: bare loop {bare:.1f} s {mem_bare:.2f} GB; "
        f"lossy generations (default metrics) {ours:.1f} s {mem_ours:.2f} GB; "
        f"ratio {ours / bare:.2f} (target <= 3), memory target < 1 GB",
        flush=True,
    )
    out = work / "long"
    longer = run_measured(
        lossy(str(photo), "-n", str(3 * GENERATIONS), "--out", str(out), "--quiet")
    )
    gif = (out / "generations.gif").stat().st_size if (out / "generations.gif").exists() else 0
    strip = Image.open(out / "strip.png").size if (out / "strip.png").exists() else None
    print(
        f"  -n {3 * GENERATIONS}: {longer[0]:.1f} s, peak {longer[1]:.2f} GB "
        f"(flat in generations if close to {mem_ours:.2f} GB); GIF {gif / 1e6:.1f} MB "
        f"(target < 10 MB), strip {strip}",
        flush=True,
    )


def bench_batch(
    work: Path, count: int = 8, size: tuple[int, int] = (1600, 1200), generations: int = 20
) -> None:
    """``count`` photos of ``size`` with --jobs 2 against --jobs 1, and why the speed-up is
    what it is (the cores each keeps busy; with PSNR only; two bare loops)."""
    folder = work / f"batch_in_{size[0]}"
    folder.mkdir(exist_ok=True)
    for i in range(count):
        synthetic_photo(*size, seed=10 + i).save(folder / f"photo{i}.jpg", quality=92)
    n = str(generations)

    def timed(jobs: int, *extra: str) -> tuple[float, float]:
        out = work / f"batch{jobs}"
        argv = [str(folder), "-n", n, "--jobs", str(jobs), "--out", str(out), "--quiet"]
        wall, _, _, used = run_measured(lossy(*argv, *extra))
        shutil.rmtree(out, ignore_errors=True)
        return wall, used

    times, cpu = {}, {}
    for jobs in (1, 2):
        times[jobs], cpu[jobs] = timed(jobs)
    cores = os.cpu_count() or 1
    machine = bare_scaling(sorted(folder.glob("*.jpg")), generations)
    shown = f"{size[0]}x{size[1]}, {generations} generations"
    print(
        f"batch of {count} photos ({shown}): --jobs 1 {times[1]:.1f} s, "
        f"--jobs 2 {times[2]:.1f} s, speed-up {times[1] / times[2]:.2f}x (target >= 1.7x "
        f"on 2 otherwise idle cores); two bare loops sharing the photos: {machine:.2f}x "
        f"one (what this machine gives two processes)",
        flush=True,
    )
    # Why the speed-up is what it is: --jobs 1 already runs the metrics in a second thread
    # beside the codec, so it uses more than one core; --jobs 2 can at best keep all the
    # cores busy, i.e. take (its CPU time / cores).
    print(
        f"  CPU: --jobs 1 {cpu[1]:.1f} s ({cpu[1] / times[1]:.2f} cores busy), --jobs 2 "
        f"{cpu[2]:.1f} s ({cpu[2] / times[2]:.2f} of {cores} cores busy); --jobs 2 takes "
        f"{times[2] / (cpu[2] / cores):.2f}x the all-cores-busy time; the speed-up can reach "
        f"at most {cores * times[1] / cpu[1]:.2f}x with this CPU time",
        flush=True,
    )
    # The same batch with PSNR only: little to measure beside the codec, so --jobs 1 keeps
    # about one core busy and the speed-up shows what the workers themselves scale to.
    (w1, c1), (w2, _) = timed(1, "--metrics", "psnr"), timed(2, "--metrics", "psnr")
    print(
        f"  with --metrics psnr: --jobs 1 {w1:.1f} s ({c1 / w1:.2f} cores busy), --jobs 2 "
        f"{w2:.1f} s, speed-up {w1 / w2:.2f}x",
        flush=True,
    )


COMPILE = """
import time, numpy as np
t0 = time.perf_counter()
from lossylib import kernels
t1 = time.perf_counter()
x = np.zeros((64, 64), np.uint8)
kernels.warm_up()
t2 = time.perf_counter()
kernels.warm_up()
t3 = time.perf_counter()
print(f"{t1 - t0:.2f} {t2 - t1:.2f} {(t3 - t2) * 1e3:.2f} {kernels.caching()}")
"""


def bench_compile(work: Path) -> None:
    env = dict(os.environ, NUMBA_CACHE_DIR=str(work / "numba-cache"))
    shutil.rmtree(work / "numba-cache", ignore_errors=True)
    first = subprocess.run([PYTHON, "-c", COMPILE], env=env, capture_output=True, text=True)
    second = subprocess.run([PYTHON, "-c", COMPILE], env=env, capture_output=True, text=True)
    if first.returncode or second.returncode:
        print(f"  compile benchmark failed: {first.stderr or second.stderr}")
        return
    imp, comp, _, caching = first.stdout.split()
    _, comp2, call, _ = second.stdout.split()
    print(
        f"numba kernels: import {imp} s; first call with an empty cache {comp} s "
        f"(compiling); from the cache in a new process {comp2} s; a warm call {call} ms; "
        f"cache on disk: {caching}",
        flush=True,
    )


def _tree(root: int) -> list[int]:
    """``root`` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _pss(pid: int) -> int:
    """Proportional set size of ``pid`` in bytes (shared pages split among their users)."""
    return _proc_size(pid, "smaps_rollup", "Pss")


def bench_worker_memory(photo: Path, work: Path) -> None:
    from lossylib import machine

    if not Path("/proc/self/smaps_rollup").exists():
        print("worker memory: needs Linux's /proc/<pid>/smaps_rollup; skipped", flush=True)
        return
    folder = work / "memory_in"
    folder.mkdir(exist_ok=True)
    for name in ("a.jpg", "b.jpg"):
        shutil.copy(photo, folder / name)
    out = work / "memory_out"
    shutil.rmtree(out, ignore_errors=True)
    proc = subprocess.Popen(
        lossy(str(folder), "-n", str(GENERATIONS), "--jobs", "2", "--out", str(out), "--quiet"),
        stdout=subprocess.DEVNULL,
    )
    peak_tree = peak_workers = 0
    while proc.poll() is None:
        pids = _tree(proc.pid)
        sizes = {pid: _pss(pid) for pid in pids}
        peak_tree = max(peak_tree, sum(sizes.values()))
        peak_workers = max(peak_workers, sum(v for pid, v in sizes.items() if pid != proc.pid))
        time.sleep(0.02)
    shutil.rmtree(out, ignore_errors=True)
    if proc.returncode != 0 or peak_workers == 0:
        print(f"worker memory: the run failed (status {proc.returncode})", flush=True)
        return
    with Image.open(photo) as im:
        pixels = im.size[0] * im.size[1]
    planned = machine.memory_per_image(pixels)
    print(
        f"worker memory, 2 workers on 12 MP photos: the process tree peaked at "
        f"{peak_tree / 1e9:.2f} GB, the workers together at {peak_workers / 1e9:.2f} GB "
        f"({peak_workers / 2e9:.2f} GB each); the default --jobs plans {planned / 1e9:.2f} GB "
        f"a worker, {planned / (peak_workers / 2):.2f}x the measure (target >= 1)",
        flush=True,
    )


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="lossy-bench-cli-"))
    try:
        photo = work / "photo.jpg"
        synthetic_photo().save(photo, quality=92)
        print(
            f"photo: 4000x3000 made by code, {photo.stat().st_size / 1e6:.1f} MB JPEG", flush=True
        )
        bench_single(photo, work)
        bench_batch(work)
        # the issue's own photos: 12 MP, where starting the workers weighs least
        bench_batch(work, size=(4000, 3000), generations=GENERATIONS)
        bench_compile(work)
        bench_worker_memory(photo, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
