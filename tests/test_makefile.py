"""The Makefile's housekeeping: what ``make book`` drops when the library changes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_a_library_change_makes_every_chapter_run_again(tmp_path):
    """Sphinx re-reads only edited pages: after an edit to lossylib, the execution cache
    *and* Sphinx's saved pages must go, or unedited chapters keep the old library's
    outputs. With the library unchanged, both stay (incremental builds stay quick)."""
    shutil.copy(REPO / "Makefile", tmp_path / "Makefile")
    (tmp_path / "lossylib").mkdir()
    module = tmp_path / "lossylib" / "a.py"
    module.write_text("x = 1\n")
    saved = [tmp_path / "_build" / ".jupyter_cache", tmp_path / "_build" / ".doctrees"]

    def fill() -> None:
        for folder in saved:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "page").write_text("outputs")

    def check() -> str:
        make = ["make", "-s", "-o", ".venv/.installed", "cache-check"]
        return subprocess.run(make, cwd=tmp_path, capture_output=True, text=True, check=True).stdout

    fill()
    check()  # no record of the library yet
    assert not any(folder.exists() for folder in saved)
    fill()
    check()
    assert all((folder / "page").exists() for folder in saved)
    module.write_text("x = 2\n")
    assert "every chapter runs again" in check()
    assert not any(folder.exists() for folder in saved)
    # data files count as the library too (the chip data drive claim 17), caches do not
    fill()
    check()
    data = tmp_path / "lossylib" / "trends" / "data" / "chips.dat"
    data.parent.mkdir(parents=True)
    data.write_text("1971 2300\n")
    assert "every chapter runs again" in check()
    fill()
    (tmp_path / "lossylib" / "__pycache__").mkdir()
    (tmp_path / "lossylib" / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0")
    check()
    assert all((folder / "page").exists() for folder in saved)
