"""Every executable page of the book run fresh, each in its own kernel and process.

Reports wall and CPU time and the kernel's peak memory against the issues' targets
(30 s on 2 cores and 1 GB per chapter). The reference measured in the same run is an
empty notebook's kernel start-up, which every page pays.

Run with ``python -m bench chapters`` (or ``make bench``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.harness import ROOT, run_chapter
from lossylib.notebooks import toc_files

EMPTY = """---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3, language: python, name: python3}
---

```{code-cell} ipython3
pass
```
"""


def pages() -> list[str]:
    """Docnames of the executable pages (a kernelspec in the front matter), in toc order."""
    out = []
    for path in toc_files(ROOT):
        head = path.read_text(encoding="utf-8").split("\n---\n", 1)[0]
        if path.suffix == ".md" and "kernelspec:" in head:
            out.append(path.relative_to(ROOT).with_suffix("").as_posix())
    return out


def bench_empty() -> float:
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "empty.md"
        page.write_text(EMPTY, encoding="utf-8")
        return run_chapter("empty", page).seconds


def main() -> None:
    empty = bench_empty()
    print(f"reference: an empty notebook, fresh kernel: {empty:.1f} s", flush=True)
    for docname in pages():
        run = run_chapter(docname)
        print(f"{run.report()}; {run.seconds / empty:.0f}x the empty notebook", flush=True)


if __name__ == "__main__":
    main()
