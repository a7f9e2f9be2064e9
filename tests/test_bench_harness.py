"""The benchmark harness measures what it says, and every benchmark module can be run.

Timings are never asserted here (bench/README.md): only that the harness returns real
measurements and that each ``bench_*.py`` imports and has a ``main()``.
"""

from __future__ import annotations

import importlib

import pytest

from bench import __main__ as bench_main
from bench import harness
from bench.bench_chapters import EMPTY, pages


class FakeClock:
    """``perf_counter`` stand-in: each call to the timed function advances it by the
    next of the given durations (a test of the harness, not of the machine's speed)."""

    def __init__(self, durations: list[float]) -> None:
        self.now, self.durations = 0.0, iter(durations)

    def perf_counter(self) -> float:
        return self.now

    def work(self) -> None:
        self.now += next(self.durations)


def test_best_of_takes_the_fastest_call(monkeypatch) -> None:
    clock = FakeClock([0.3, 0.1, 0.2])
    monkeypatch.setattr(harness.time, "perf_counter", clock.perf_counter)
    assert harness.best_of(clock.work) == pytest.approx(0.1)


def test_best_pair_times_each_side_and_warms_both_up(monkeypatch) -> None:
    # warm-ups a, b; then rounds (a, b) twice
    clock = FakeClock([9.0, 9.0, 0.4, 2.0, 0.3, 2.5])
    monkeypatch.setattr(harness.time, "perf_counter", clock.perf_counter)
    calls = []

    def a() -> None:
        calls.append("a")
        clock.work()

    def b() -> None:
        calls.append("b")
        clock.work()

    assert harness.best_pair(a, b, rounds=2) == (pytest.approx(0.3), pytest.approx(2.0))
    assert calls == ["a", "b", "a", "b", "a", "b"]  # warmed up, then alternated


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


def test_spread_is_median_low_high() -> None:
    assert harness.spread([3.0, 1.0, 2.0]) == (2.0, 1.0, 3.0)
    assert harness.spread([4.0, 1.0, 2.0, 3.0]) == (2.5, 1.0, 4.0)


def test_fresh_processes_each_report_their_json(tmp_path, monkeypatch) -> None:
    # A module that prints its own process id: every run must be a new process.
    (tmp_path / "pid_module.py").write_text("import json, os\nprint(json.dumps(os.getpid()))\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    pids = harness.in_fresh_processes("pid_module", 3)
    assert len(set(pids)) == 3
    with pytest.raises(RuntimeError, match="no_such_module_here --x failed"):
        harness.in_fresh_processes("no_such_module_here", 1, "--x")
