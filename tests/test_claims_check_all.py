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


@needs_fork
def test_a_known_verdict_is_not_run_again(fake_claims, tmp_path):
    calls = tmp_path / "calls"

    def counted() -> Verdict:
        with calls.open("a") as f:  # (counts calls in every process)
            f.write(f"{os.getpid()}\n")
        return where_run()

    a = fake_claims(counted, "fake.first")
    b = fake_claims(counted, "fake.second")
    c = fake_claims(counted, "fake.third")
    a.check()
    claims.check_all([a, b, c], jobs=2)
    pids = calls.read_text().split()
    assert len(pids) == 3 and pids[0] == str(os.getpid())
    assert str(os.getpid()) not in pids[1:]


@needs_fork
def test_a_check_that_warns_in_a_worker_runs_again_here(fake_claims):
    def warns() -> Verdict:
        warnings.warn("from a check", RuntimeWarning, stacklevel=1)
        return where_run()

    a = fake_claims(warns, "fake.first")
    b = fake_claims(lambda: where_run(), "fake.second")
    with pytest.warns(RuntimeWarning, match="from a check"):
        claims.check_all([a, b], jobs=2)
    assert a.check().evidence["pid"] == os.getpid()  # its warning came from here
    assert b.check().evidence["pid"] != os.getpid()


@needs_fork
def test_a_warning_this_process_ignores_does_not_bring_a_check_back(fake_claims):
    def warns() -> Verdict:
        warnings.warn("ignored here", UserWarning, stacklevel=1)
        return where_run()

    a = fake_claims(warns, "fake.first")
    b = fake_claims(lambda: where_run(), "fake.second")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "ignored here")
        claims.check_all([a, b], jobs=2)
    assert a.check().evidence["pid"] != os.getpid()


class NeedsTwo(Exception):
    """An error that cannot be rebuilt from its pickle (two required arguments)."""

    def __init__(self, a: str, b: str) -> None:
        super().__init__(f"{a} {b}")


@needs_fork
@pytest.mark.parametrize(
    ("error", "match"),
    [(ValueError("the experiment broke"), "the experiment broke"), (NeedsTwo("x", "y"), "x y")],
)
def test_a_workers_error_is_raised_here_as_itself(fake_claims, error, match):
    def fails() -> Verdict:
        raise error

    a = fake_claims(fails, "fake.first")
    b = fake_claims(lambda: where_run(), "fake.second")
    with pytest.raises(type(error), match=match):
        claims.check_all([a, b], jobs=2)


@needs_fork
def test_a_verdict_that_cannot_be_sent_back_is_found_here(fake_claims):
    parent = os.getpid()

    def unpicklable() -> Verdict:
        return Verdict(HOLDS, {"pid": os.getpid(), "f": lambda: 1}, "")  # type: ignore[dict-item]

    a = fake_claims(unpicklable, "fake.first")
    b = fake_claims(lambda: where_run(), "fake.second")
    claims.check_all([a, b], jobs=2)
    assert a.check().evidence["pid"] == parent


@needs_fork
def test_check_all_inside_a_worker_runs_there(fake_claims):
    inner = [fake_claims(lambda: where_run(), f"fake.inner{k}") for k in range(2)]

    def nested() -> Verdict:
        claims.check_all(inner, jobs=2)
        pids = {c.check().evidence["pid"] for c in inner}
        return Verdict(HOLDS, {"pid": os.getpid(), "inner_same": pids == {os.getpid()}}, "")

    a = fake_claims(nested, "fake.outer")
    b = fake_claims(lambda: where_run(), "fake.other")
    claims.check_all([a, b], jobs=2)
    assert a.check().evidence["pid"] != os.getpid()
    assert a.check().evidence["inner_same"] is True


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


def test_plain_checks_are_left_to_their_callers(fake_claims):
    calls = []

    def plain() -> Verdict:
        calls.append(1)
        return where_run()

    c = claims.Claim(20_999, "plain", "chapters/tail-loss", plain)
    claims.check_all([c, fake_claims(lambda: where_run(), "fake.first")], jobs=1)
    assert calls == []


def test_a_check_runs_with_one_blas_thread(fake_claims):
    from threadpoolctl import threadpool_info

    def threads() -> Verdict:
        counts = {p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"}
        return Verdict(HOLDS, {"threads": str(sorted(counts))}, "")

    assert fake_claims(threads, "fake.first").check().evidence["threads"] == "[1]"


_EVIDENCE = (
    "import pickle, sys; from lossylib import claims; "
    "chosen = [claims.get(n) for n in (5, 9, 16)]; "
    "claims.check_all(chosen, jobs=int(sys.argv[1])); "
    "sys.stdout.buffer.write(pickle.dumps([c.check() for c in chosen]))"
)


@needs_fork
def test_real_checks_agree_to_the_last_bit_in_workers_and_here():
    import pickle
    import subprocess

    def verdicts(jobs: int) -> list[Verdict]:
        done = subprocess.run(
            [sys.executable, "-c", _EVIDENCE, str(jobs)], capture_output=True, check=True
        )
        return pickle.loads(done.stdout)

    here, workers = verdicts(1), verdicts(2)
    assert [v.verdict for v in here] == [v.verdict for v in workers]
    for a, b in zip(here, workers, strict=True):
        assert dict(a.evidence) == dict(b.evidence) and a.summary == b.summary


@pytest.mark.parametrize("raw", ["abc", "0", "-2", "1.5", "1_0", "+2", "\uff12"])
def test_jobs_from_the_environment_must_be_a_count(monkeypatch, fake_claims, raw):
    monkeypatch.setenv(claims.JOBS_ENV, raw)
    two = [fake_claims(lambda: where_run(), f"fake.m{k}") for k in range(2)]
    with pytest.raises(ValueError, match="LOSSY_JOBS must be a whole number of at least 1"):
        claims.check_all(two)


def test_the_environment_is_not_read_when_nothing_is_left_to_run(monkeypatch):
    monkeypatch.setenv(claims.JOBS_ENV, "auto")
    claims.get(4).check()
    claims.check_all([claims.get(4)])  # (every chapter's table calls it)


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
