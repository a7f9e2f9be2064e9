"""Audit (not collected by pytest): run chapters as scripts and check every figure they
draw with ``tests/_figcheck.py``, named by its ``mystnb`` figure name.

The layout tests check the figures chosen for them; this finds a new figure that no test
draws yet. It runs each chapter's code cells in order in one process (matplotlib's Agg
backend; cells tagged ``skip-execution`` or ``raises-exception`` are left out) and exits
1 if any figure has a problem. A chapter takes as long as its execution. Example::

    python tests/figure_audit.py intro.md chapters/*.md
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ["MPLBACKEND"] = "Agg"
sys.path.insert(0, str(Path(__file__).parent))


def audit(chapter: Path) -> list[tuple[str, list[str]]]:
    """``(figure name, problems)`` for every figure the chapter's cells draw."""
    import jupytext
    import matplotlib.pyplot as plt
    from _figcheck import problems

    plt.rcParams["figure.max_open_warning"] = 0
    here = Path.cwd()
    os.chdir(chapter.parent)  # the chapter's own folder, as when the book runs it
    try:
        drawn, scope = [], {"__name__": "__main__"}
        for i, cell in enumerate(jupytext.read(chapter).cells):
            tags = cell.metadata.get("tags", [])
            if cell.cell_type != "code" or {"skip-execution", "raises-exception"} & set(tags):
                continue
            code = "\n".join(
                line for line in cell.source.splitlines() if not line.startswith(("%", "!"))
            )
            before = set(plt.get_fignums())
            exec(compile(code, f"{chapter}, cell {i}", "exec"), scope)  # noqa: S102
            figure = (cell.metadata.get("mystnb") or {}).get("figure", {})
            for number in sorted(set(plt.get_fignums()) - before):
                drawn.append((figure.get("name", f"cell {i}"), plt.figure(number)))
        return [(name, problems(fig)) for name, fig in drawn]
    finally:
        os.chdir(here)
        plt.close("all")


def main(paths: list[str]) -> int:
    failed = 0
    for path in paths:
        for name, found in audit(Path(path).resolve()):
            failed += bool(found)
            print(f"{path}: {name}: {'; '.join(found) if found else 'clear'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
