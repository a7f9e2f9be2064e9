"""Benchmark for the otter-grader assignments (issue 12): one autograder run per chapter.

Builds every chapter's assignment (``make assignments`` into a temporary folder), then
grades each chapter's solution notebook and its untouched student notebook with otter's
local runner (what ``otter run`` does), one at a time so each time is its own. Prints each
time against the issue's target (under 60 s per autograder run) and, as the reference
measured in the same run, the time to start a kernel and run an empty notebook.

Run with ``python -m bench assignments``. Times depend on the machine's load.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import nbformat

from lossylib import assignments as asg

TARGET = 60.0  # seconds per autograder run (issue 12)
ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        start = time.perf_counter()
        built = asg.build_all(ROOT, out)
        print(f"built {len(built)} assignments in {time.perf_counter() - start:.1f} s")
        first = next(iter(built))
        ag = next((out / first / "autograder").glob("*-autograder_*.zip"))
        empty = out / "empty.ipynb"  # the first student notebook without its cells
        nb = nbformat.read(out / first / "student" / f"{first}.ipynb", as_version=4)
        nb.cells = []
        nbformat.write(nb, empty)
        base = asg.grade_subprocess(empty, ag).seconds
        print(f"reference: an empty notebook graded in {base:.1f} s (kernel start, otter)")
        print(f"{'assignment':22s} {'solution':>9s} {'student':>9s}  target {TARGET:.0f} s")
        for name in built:
            ag = next((out / name / "autograder").glob("*-autograder_*.zip"))
            sol = asg.grade_subprocess(out / name / "autograder" / f"{name}.ipynb", ag)
            stu = asg.grade_subprocess(out / name / "student" / f"{name}.ipynb", ag)
            verdict = "ok" if max(sol.seconds, stu.seconds) < TARGET else "OVER"
            print(
                f"{name:22s} {sol.seconds:8.1f}s {stu.seconds:8.1f}s  {verdict}"
                f"  (x{sol.seconds / base:.1f} the empty notebook; "
                f"{sol.score:g}/{sol.possible:g} and {stu.score:g} points)",
                flush=True,
            )


if __name__ == "__main__":
    main()
