"""Helpers for the Binder and Colab tests: a snapshot of the repository, fresh venvs, pip.

The snapshot is the working tree (tracked files and new files git does not ignore) copied
into a folder under ``_build`` and committed there, so an install from it is an install of
exactly what is being tested; on a clean checkout (CI) it is the checked-out commit.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = os.environ.get("LOSSY_PYTHON", "python3.11")
PIP_TIMEOUT = 1200  # seconds for one pip call (a cold pip cache downloads ~300 MB)


def run(cmd: list[str], timeout: float = PIP_TIMEOUT, **kw) -> subprocess.CompletedProcess:
    """Run a command; on failure, fail with its output (never a silent skip)."""
    done = subprocess.run(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout, **kw
    )
    if done.returncode != 0:
        tail = "\n".join(done.stdout.splitlines()[-40:])
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({done.returncode}):\n{tail}")
    return done


def snapshot(dest: Path, source: Path = REPO) -> str:
    """Copy the working tree of ``source`` into ``dest`` as a one-commit git repository.

    Returns the commit id. Outside git, everything but ``_build`` and dot-folders is copied.
    """
    shutil.rmtree(dest, ignore_errors=True)
    if (source / ".git").exists():
        cmd = ["git", "-C", str(source), "ls-files", "-z", "-co", "--exclude-standard"]
        names = [n for n in run(cmd).stdout.split("\0") if n]
    else:
        names = [
            p.relative_to(source).as_posix()
            for p in source.rglob("*")
            if not any(
                part.startswith((".", "_build", "__pycache__")) or part.endswith(".egg-info")
                for part in p.relative_to(source).parts
            )
        ]
    for rel in names:
        src = source / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "snapshot",
        "GIT_AUTHOR_EMAIL": "snapshot@localhost",
        "GIT_COMMITTER_NAME": "snapshot",
        "GIT_COMMITTER_EMAIL": "snapshot@localhost",
    }
    run(["git", "init", "-q", str(dest)], env=env)
    run(["git", "-C", str(dest), "add", "-A"], env=env)
    run(["git", "-C", str(dest), "commit", "-q", "-m", "snapshot"], env=env)
    return run(["git", "-C", str(dest), "rev-parse", "HEAD"]).stdout.strip()


def python_in(venv: Path) -> Path:
    return venv / "bin" / "python"


def make_venv(venv: Path) -> Path:
    """A new Python 3.11 venv at ``venv`` with only a current pip (replacing any old one)."""
    shutil.rmtree(venv, ignore_errors=True)
    exe = shutil.which(PYTHON) or (sys.executable if sys.version_info[:2] == (3, 11) else None)
    if exe is None:
        raise RuntimeError(f"{PYTHON} not found: these tests need Python 3.11")
    run([exe, "-m", "venv", "--without-pip", str(venv)])
    # A current pip, as Colab and repo2docker have (Python 3.11's bundled pip cannot parse
    # a ``name @ git+file://`` requirement), put in by this pip (faster than ensurepip).
    run(
        [sys.executable, "-m", "pip", "--python", str(python_in(venv)), "install", "--quiet", "pip"]
    )
    return python_in(venv)


def pip_install(python: Path, *args: str, cwd: Path | None = None) -> None:
    """``pip install`` into the venv of ``python`` (pip's cache is reused between runs)."""
    run([str(python), "-m", "pip", "install", "--quiet", *args], cwd=cwd)


def isolated_jupyter_env(home: Path, venv: Path) -> dict[str, str]:
    """Environment for Jupyter in ``venv`` that reads no user config (``~/.jupyter``)."""
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "PYTHON"))}
    env.pop("VIRTUAL_ENV", None)
    env.update(
        PATH=f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "lab-user-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "lab-workspaces"),
        IPYTHONDIR=str(home / "ipython"),
        MPLCONFIGDIR=str(home / "matplotlib"),
        JUPYTER_PLATFORM_DIRS="1",
        PYDEVD_DISABLE_FILE_VALIDATION="1",
    )
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
