"""The publishing workflow: actionlint finds nothing, it runs what it should, and its script
that publishes the ``notebooks`` branch works (dry run into a temporary bare repository)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
WORKFLOW = REPO / ".github" / "workflows" / "book.yml"
SCRIPT = REPO / ".github" / "scripts" / "publish-notebooks.sh"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@localhost",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@localhost",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(*args: str, cwd: Path) -> str:
    env = {**os.environ, **GIT_ENV}
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def actionlint() -> str:
    exe = Path(sys.executable).with_name("actionlint")
    found = str(exe) if exe.exists() else shutil.which("actionlint")
    if found is None:
        pytest.fail("actionlint is not installed (pip install -r requirements-dev.txt)")
    return found


def test_workflows_pass_actionlint() -> None:
    assert WORKFLOWS, "no workflow in .github/workflows"
    done = subprocess.run(
        [actionlint(), "-format", "{{json .}}", *map(str, WORKFLOWS)],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    problems = json.loads(done.stdout or "[]")
    assert done.returncode == 0 and problems == [], (
        "\n".join(f"{p['filepath']}:{p['line']}: {p['message']}" for p in problems) or done.stderr
    )


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    """The lint is live: a workflow with an unknown key and a bad expression fails."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n"
        "    steps:\n      - run: echo ${{ github.nope( }}\n"
    )
    done = subprocess.run([actionlint(), str(bad)], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode != 0 and "stepz" in done.stdout


def _steps() -> list[dict]:
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return [s for job in flow["jobs"].values() for s in job.get("steps", [])]


def test_workflow_tests_builds_deploys_and_publishes() -> None:
    steps = _steps()
    runs = [s.get("run", "") for s in steps]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    order = [i for i, r in enumerate(runs) if r.strip() in (".ci/run", "make test")]
    assert order, "the workflow does not run make test"
    assert (REPO / ".ci" / "run").read_text().rstrip().endswith("make test")
    book = runs.index("make book")
    assert order[0] < book < runs.index("make notebooks")
    upload = steps[uses.index("actions/upload-pages-artifact")]
    assert upload["with"]["path"] == "_build/html"
    assert "actions/deploy-pages" in uses
    publish = next(r for r in runs if "publish-notebooks.sh" in r)
    assert "_build/notebooks" in publish and publish.split()[-1] == "notebooks"


def _notebooks(folder: Path, pages: dict[str, str]) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    for name, text in pages.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(json.dumps({"cells": [], "text": text}))
    return folder


def _publish(checkout: Path, folder: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(
        ["bash", str(SCRIPT), str(folder), "origin", "notebooks"],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A book checkout whose ``origin`` is a new bare repository."""
    remote = tmp_path / "remote.git"
    git("init", "--quiet", "--bare", str(remote), cwd=tmp_path)
    work = tmp_path / "book"
    work.mkdir()
    git("init", "--quiet", "-b", "main", cwd=work)
    (work / "intro.md").write_text("# Intro\n")
    git("add", "intro.md", cwd=work)
    git("commit", "--quiet", "-m", "book", cwd=work)
    git("remote", "add", "origin", str(remote), cwd=work)
    git("push", "--quiet", "origin", "main", cwd=work)
    return work


def test_publish_script_creates_then_updates_the_branch(checkout: Path, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    source = git("rev-parse", "HEAD", cwd=checkout)
    nbs = _notebooks(tmp_path / "nbs", {"intro.ipynb": "i", "chapters/a.ipynb": "a1"})
    done = _publish(checkout, nbs)
    assert done.returncode == 0, done.stderr
    files = git("ls-tree", "-r", "--name-only", "notebooks", cwd=remote).split("\n")
    assert files == ["chapters/a.ipynb", "intro.ipynb"]  # only the notebooks, book layout
    assert git("log", "-1", "--format=%s", "notebooks", cwd=remote) == f"Notebooks from {source}"
    assert git("rev-parse", "main", cwd=remote) == source  # main is untouched

    # A second publication: one more commit, a removed page disappears, a new one appears.
    nbs = _notebooks(nbs, {"intro.ipynb": "i", "chapters/b.ipynb": "b1"})
    assert _publish(checkout, nbs).returncode == 0
    files = git("ls-tree", "-r", "--name-only", "notebooks", cwd=remote).split("\n")
    assert files == ["chapters/b.ipynb", "intro.ipynb"]
    assert git("rev-list", "--count", "notebooks", cwd=remote) == "2"

    # Nothing changed: nothing is pushed.
    done = _publish(checkout, nbs)
    assert done.returncode == 0 and "up to date" in done.stdout
    assert git("rev-list", "--count", "notebooks", cwd=remote) == "2"
    # The checkout is left as it was: no worktree, no helper branch or ref.
    assert git("worktree", "list", cwd=checkout).count("\n") == 0
    assert "lossy-publish" not in git("show-ref", cwd=checkout)
    assert git("status", "--porcelain", cwd=checkout) == ""


def test_publish_script_refuses_an_empty_folder(checkout: Path, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    done = _publish(checkout, tmp_path / "empty")
    assert done.returncode == 2 and "holds no .ipynb" in done.stderr
    done = _publish(checkout, tmp_path / "missing")
    assert done.returncode == 2 and "make notebooks" in done.stderr
