# Two commands: `make book` and `make test`. Everything else is set up on the way.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
JB := $(VENV)/bin/jupyter-book
CACHE := _build/.jupyter_cache
LIBHASH := _build/.lossylib-hash

.PHONY: book test bench lint format setup chromium djpeg cache-check notebooks clean help \
	test-binder test-colab test-publish
.PHONY: assignments

# `make book SOLUTIONS=hide` leaves the exercises' solution dropdowns out of the book (for
# courses that grade the exercises); the default shows them. See chapters/for-teachers.md.
SOLUTIONS ?= $(or $(LOSSY_SOLUTIONS),show)
export LOSSY_SOLUTIONS := $(SOLUTIONS)

help:
	@echo "make book    build the HTML book into _build/html (sets up .venv first)"
	@echo "make test    lint, unit/property tests, a fresh book build and browser tests"
	@echo "make bench   speed benchmarks against references measured in the same run"
	@echo "make notebooks  write .ipynb copies of the chapters into _build/notebooks"
	@echo "make test-binder / test-colab / test-publish  one of the reader-side checks of make test"
	@echo "make assignments  otter-grader assignments (student/, autograder/) per chapter"
	@echo "make book SOLUTIONS=hide  the book without the exercises' solutions"

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (Python 3.11 is required)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@

setup: $(STAMP)

# Browser tests use Debian's chromium (Playwright cannot download its own browser here).
chromium:
	@if ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	  else echo "error: chromium is missing; install Debian's 'chromium' package (needs root)"; exit 1; fi; \
	fi

# Five tests compare our JPEG decoding with libjpeg's own djpeg (Debian's
# libjpeg-turbo-progs): installed as root when missing, else those five skip.
djpeg:
	@if ! command -v djpeg >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q libjpeg-turbo-progs; \
	  else echo "note: djpeg is missing (Debian's libjpeg-turbo-progs): 5 decoder tests skip"; fi; \
	fi

# Neither the execution cache nor Sphinx notices edits to lossylib: when any file of the
# library changes (its data too), drop both the cache and Sphinx's saved pages
# (_build/.doctrees), or Sphinx re-reads only the edited chapters and the others keep
# outputs of the old library.
cache-check: $(STAMP)
	@mkdir -p _build
	@h=$$(find lossylib -type f ! -path '*/__pycache__/*' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16); \
	if [ "$$(cat $(LIBHASH) 2>/dev/null)" != "$$h" ]; then \
	  [ -d $(CACHE) ] && echo "lossylib changed: every chapter runs again"; \
	  rm -rf $(CACHE) _build/.doctrees; echo $$h > $(LIBHASH); fi

book: $(STAMP) cache-check
	$(JB) build . -W -n --keep-going

test: $(STAMP) chromium djpeg
	$(VENV)/bin/ruff check lossylib tests bench
	$(VENV)/bin/ruff format --check lossylib tests bench
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m bench

lint: $(STAMP)
	$(VENV)/bin/ruff check lossylib tests bench

format: $(STAMP)
	$(VENV)/bin/ruff format lossylib tests bench
	$(VENV)/bin/ruff check --fix lossylib tests bench

# Instructor copies in _build/notebooks, student copies in _build/notebooks/student (README).
# The copies' prose quotes the numbers the executed book glued, so the book comes first.
notebooks: book
	rm -rf _build/notebooks
	$(PY) -m lossylib.notebooks all --out _build/notebooks --executed _build/jupyter_execute

# Reader-side checks (all part of `make test`): Binder in JupyterLab + Chromium, the Colab
# copies in a bare venv, the publishing workflow. The first two build the book fresh.
test-binder: $(STAMP) chromium
	$(PY) -m pytest tests/test_binder.py

test-colab: $(STAMP)
	$(PY) -m pytest tests/test_colab.py

test-publish: $(STAMP)
	$(PY) -m pytest tests/test_publish.py

# One otter-grader assignment per chapter with exercises: _build/assignments/<chapter>/
# student/ (hand out) and autograder/ (keep; holds the solutions and the hidden tests).
assignments: $(STAMP)
	rm -rf _build/assignments
	$(PY) -m lossylib.assignments build --out _build/assignments

clean:
	rm -rf _build
