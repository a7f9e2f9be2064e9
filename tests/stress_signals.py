"""Stress check (not collected by pytest): interrupt ``lossy generations`` at random moments.

Each run starts the command, sends SIGINT or SIGTERM after a random delay, and checks what
``tests/test_cli_signals.py`` checks for chosen moments: status 128 + signal, exactly one
line on stderr ("lossy: interrupted ..."), no traceback, nothing left in ``--out``, an end
within a few seconds of the signal, and no process left holding the output pipes. Races
that land a signal where Python cannot raise it (an import's cleanup, numba's loader, a
worker process starting) show up here once in tens to hundreds of runs; the tests then pin
each one down deterministically. Two runs at a time; about a second per run. Examples::

    python tests/stress_signals.py --runs 150 --max-delay 1.2        # during imports
    python tests/stress_signals.py --runs 80 --batch --max-delay 4   # --jobs 2, 4 photos
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

LOSSY = Path(sys.executable).with_name("lossy")


def one(delay: float, sig: int, batch: Path | None, work: Path) -> str | None:
    """One interrupted run; None if it behaved, else what went wrong."""
    out = Path(tempfile.mkdtemp(dir=work)) / "out"
    source = [str(batch), "--jobs", "2"] if batch else ["--sample", "astronaut"]
    cmd = [str(LOSSY), "generations", *source, "-n", "2000", "--quiet", "--out", str(out)]
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONWARNINGS": ""}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    proc.send_signal(sig)
    sent = time.monotonic()
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        subprocess.run(["pkill", "-9", "-f", str(out)], check=False)
        _, err = proc.communicate()
        err += "\n[hung: a process kept the pipes open]"
    took = time.monotonic() - sent
    ok = (
        proc.returncode == 128 + sig
        and len(err.splitlines()) == 1
        and err.startswith("lossy: interrupted")
        and not out.exists()
        and took < 2.5
    )
    if ok:
        return None
    name = signal.Signals(sig).name
    return f"{name} after {delay:.2f} s: status {proc.returncode}, {took:.1f} s\n{err[-1500:]}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--max-delay", type=float, default=3.0, help="seconds (default 3)")
    ap.add_argument("--batch", action="store_true", help="a folder of 4 photos, --jobs 2")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    plan = [
        (rng.uniform(0.05, args.max_delay), rng.choice([signal.SIGINT, signal.SIGTERM]))
        for _ in range(args.runs)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        batch = None
        if args.batch:
            from lossylib.images import load_sample

            batch = work / "photos"
            batch.mkdir()
            for i in range(4):
                load_sample("astronaut").rotate(90 * i).save(batch / f"p{i}.png")
        with ThreadPoolExecutor(2) as pool:
            bad = [r for r in pool.map(lambda p: one(*p, batch, work), plan) if r]
    print(f"{len(bad)} of {len(plan)} runs misbehaved")
    for report in bad:
        print(f"--- {report}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
