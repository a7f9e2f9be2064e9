"""Every claim's check, as the front page and the Claims appendix run them.

Two fresh processes, so no cached run is shared: one runs the checks one after another
and times each (the reference), the other runs :func:`lossylib.claims.check_all` with
its default workers (one per usable core). Prints each claim's seconds, the slowest
first (they are :data:`lossylib.claims.EXPECTED_SECONDS`, which only orders the work),
and the ratio of the two wall times.

Run with ``python -m bench claims`` (or ``make bench``).
"""

from __future__ import annotations

import json
import sys
import time

from bench.harness import in_fresh_processes


def _one_after_another() -> dict:
    from lossylib import claims

    start = time.perf_counter()
    seconds = {}
    for c in claims.registry():
        t0 = time.perf_counter()
        c.check()
        seconds[c.number] = time.perf_counter() - t0
    return {"wall": time.perf_counter() - start, "seconds": seconds}


def _side_by_side() -> dict:
    import os

    from lossylib import claims
    from lossylib.machine import usable_cores

    claims.registry()
    start = time.perf_counter()
    claims.check_all()
    workers = os.environ.get(claims.JOBS_ENV) or usable_cores()  # (as check_all reads it)
    return {"wall": time.perf_counter() - start, "workers": workers}


def main() -> None:
    (serial,) = in_fresh_processes("bench.bench_claims", 1, "--serial")
    (parallel,) = in_fresh_processes("bench.bench_claims", 1, "--parallel")
    slowest = sorted(serial["seconds"].items(), key=lambda kv: -kv[1])
    listed = ", ".join(f"{n}: {s:.1f}" for n, s in slowest if s >= 0.5)
    print(f"claim checks one after another, seconds (at least 0.5 s): {listed}")
    print(
        f"all {len(slowest)} checks: {serial['wall']:.1f} s one after another (reference); "
        f"check_all with {parallel['workers']} worker(s): {parallel['wall']:.1f} s, "
        f"ratio {parallel['wall'] / serial['wall']:.2f}"
    )


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "--serial":
        print(json.dumps(_one_after_another()))
    elif mode == "--parallel":
        print(json.dumps(_side_by_side()))
    else:
        main()
