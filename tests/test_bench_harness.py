"""The benchmark harness measures what it says, and every benchmark module can be run.

Timings are never asserted here (bench/README.md): only that the harness returns real
measurements and that each ``bench_*.py`` imports and has a ``main()``.
"""

from __future__ import annotations

import importlib
import time

import pytest

from bench import __main__ as bench_main
from bench import harness
from bench.bench_chapters import EMPTY, pages


def test_best_of_takes_the_fastest_call() -> None:
    delays = iter([0.03, 0.0, 0.03])
    assert harness.best_of(lambda: time.sleep(next(delays))) < 0.02


def test_best_pair_times_each_side_and_warms_both_up() -> None:
    calls = {"a": 0, "b": 0}

    def a() -> None:
        calls["a"] += 1

    def b() -> None:
        calls["b"] += 1
        time.sleep(0.01)

    fast, slow = harness.best_pair(a, b, rounds=2)
    assert calls == {"a": 3, "b": 3}  # one warm-up each, then the rounds
    assert 0 <= fast < slow and slow >= 0.01


def test_a_chapter_run_measures_a_fresh_kernel(tmp_path) -> None:
    page = tmp_path / "empty.md"
    page.write_text(EMPTY + "\n```{code-cell} ipython3\nx = bytearray(50_000_000)\n```\n")
    run = harness.run_chapter("empty", page)
    assert run.seconds > 0 and run.cpu > 0
    assert run.peak_mb > 50  # the kernel held the 50 MB it was asked to
    assert "empty, fresh kernel" in run.report() and "met" in run.report()


def test_a_failing_chapter_is_reported_not_timed(tmp_path) -> None:
    page = tmp_path / "bad.md"
    page.write_text(EMPTY.replace("pass", "1 / 0"))
    with pytest.raises(RuntimeError, match="bad failed to execute"):
        harness.run_chapter("bad", page)


def test_every_benchmark_module_has_a_main() -> None:
    names = bench_main.modules()
    assert "bench_jpeg" in names and "bench_chapters" in names and "harness" not in names
    for name in names:
        assert callable(importlib.import_module(f"bench.{name}").main), name


def test_the_chapters_benchmark_covers_every_executable_chapter() -> None:
    covered = pages()
    assert "chapters/jpeg-generations" in covered and "chapters/conclusion" in covered
    assert "chapters/status" not in covered  # no code
