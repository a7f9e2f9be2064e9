"""Run every benchmark: import each ``bench/bench_*.py`` module and call its ``main()``.

Usage: ``python -m bench [NAME ...]`` from the repository root (``make bench``), where a
NAME such as ``jpeg`` picks ``bench_jpeg.py``; with no names every module runs.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def modules() -> list[str]:
    """Names of the benchmark modules present, e.g. ``["bench_growth", "bench_jpeg"]``."""
    return sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if m.name.startswith("bench_"))


def main(argv: list[str] | None = None) -> int:
    wanted = sys.argv[1:] if argv is None else argv
    names = modules()
    if wanted:
        unknown = [w for w in wanted if f"bench_{w.removeprefix('bench_')}" not in names]
        if unknown:
            print(f"error: no benchmark {', '.join(unknown)} (have: {', '.join(names)})")
            return 2
        names = [
            n
            for n in names
            if n.removeprefix("bench_") in {w.removeprefix("bench_") for w in wanted}
        ]
    if not names:
        print("no benchmarks found (bench/bench_*.py)")
        return 0
    for name in names:
        print(f"\n== {name} ==", flush=True)
        start = time.perf_counter()
        module = importlib.import_module(f"{__package__ or 'bench'}.{name}")
        module.main()
        print(f"({name}: {time.perf_counter() - start:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
