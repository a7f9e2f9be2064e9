"""Tests for claims.check_all: the checks of many claims run side by side in forked
workers, with the same verdicts, warnings and errors as in this process."""

from __future__ import annotations

import os
import sys
import warnings

import pytest

from lossylib import claims
from lossylib.claims import HOLDS, CachedCheck, Verdict

needs_fork = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="workers are forked on Linux only"
)


@pytest.fixture
def fake_claims():
    """Register checks (numbers 20_001...) in two made-up modules; removed afterwards."""
    added = []

    def add(check, module: str) -> claims.Claim:
        number = 20_001 + len(added)
        check.__module__ = module
        check.__qualname__ = f"fake_{number}"
        claims.claim(number, f"fake claim {number}", "chapters/tail-loss")(check)
        added.append(number)
        return claims.get(number)

    yield add
    for number in added:
        claims._REGISTRY.pop(number, None)


def where_run() -> Verdict:
    return Verdict(HOLDS, {"pid": os.getpid()}, "ran")


@needs_fork
def test_checks_run_in_workers_one_per_module_and_come_back(fake_claims):
    a = fake_claims(lambda: where_run(), "fake.first")
    b = fake_claims(lambda: where_run(), "fake.first")
    c = fake_claims(lambda: where_run(), "fake.second")
    claims.check_all([a, b, c], jobs=2)
    assert all(x.check.done for x in (a, b, c))
    pids = {x.number: x.check().evidence["pid"] for x in (a, b, c)}
    assert os.getpid() not in pids.values()
    assert pids[a.number] == pids[b.number]  # a module's checks share one worker
    assert pids[c.number] != pids[a.number]


def test_one_job_runs_here(fake_claims):
    a = fake_claims(lambda: where_run(), "fake.first")
    b = fake_claims(lambda: where_run(), "fake.second")
    claims.check_all([a, b], jobs=1)
    assert {x.check().evidence["pid"] for x in (a, b)} == {os.getpid()}


def test_a_known_verdict_is_not_run_again(fake_claims):
    calls = []

    def counted() -> Verdict:
        calls.append(1)
        return where_run()

    a = fake_claims(counted, "fake.first")
    a.check()
    claims.check_all([a], jobs=2)
    assert len(calls) == 1


@needs_fork
def test_a_workers_warning_is_raised_here(fake_claims):
    def warns() -> Verdict:
        warnings.warn("from a worker", RuntimeWarning, stacklevel=1)
        return where_run()

    a = fake_claims(warns, "fake.first")
    b = fake_claims(lambda: where_run(), "fake.second")
    with pytest.warns(RuntimeWarning, match="from a worker"):
        claims.check_all([a, b], jobs=2)
    assert a.check().evidence["pid"] != os.getpid()


@needs_fork
def test_a_workers_error_is_raised_here(fake_claims):
    def fails() -> Verdict:
        raise ValueError("the experiment broke")

    a = fake_claims(fails, "fake.first")
    b = fake_claims(lambda: where_run(), "fake.second")
    with pytest.raises(ValueError, match="the experiment broke"):
        claims.check_all([a, b], jobs=2)


@needs_fork
def test_a_dead_workers_checks_run_here(fake_claims):
    parent = os.getpid()

    def dies_in_a_worker() -> Verdict:
        if os.getpid() != parent:
            os._exit(9)  # as the out-of-memory killer would end it
        return where_run()

    a = fake_claims(dies_in_a_worker, "fake.first")
    b = fake_claims(lambda: where_run(), "fake.second")
    claims.check_all([a, b], jobs=2)
    assert a.check().evidence["pid"] == parent
    assert b.check().evidence["pid"] != parent


@needs_fork
def test_real_checks_agree_in_workers_and_here():
    numbers = [5, 9, 10, 11, 13]  # quick ones, from two modules
    here = {n: claims.get(n).check.__wrapped__() for n in numbers}
    fresh = [
        claims.Claim(n, "x", "chapters/tail-loss", CachedCheck(claims.get(n).check.__wrapped__))
        for n in numbers
    ]
    claims.check_all(fresh, jobs=2)
    for c in fresh:
        assert repr(c.check()) == repr(here[c.number])


@pytest.mark.parametrize("raw", ["abc", "0", "-2", "1.5"])
def test_jobs_from_the_environment_must_be_a_count(monkeypatch, raw):
    monkeypatch.setenv(claims.JOBS_ENV, raw)
    with pytest.raises(ValueError, match="LOSSY_JOBS|jobs must be"):
        claims.check_all([claims.get(4)])


@pytest.mark.parametrize("jobs", [0, -1, 1.5, True, "2"])
def test_jobs_must_be_a_count(jobs):
    with pytest.raises(ValueError, match="jobs must be a whole number of at least 1"):
        claims.check_all([claims.get(4)], jobs=jobs)


def test_keep_takes_only_a_verdict():
    c = CachedCheck(where_run)
    with pytest.raises(TypeError, match="must be a Verdict, got dict"):
        c.keep({"verdict": HOLDS})
    v = Verdict(HOLDS, {}, "elsewhere")
    c.keep(v)
    assert c.done and c() is v
