# Two set-up commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SRC := socialcem tests bench

.PHONY: demo test check lint types bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

demo: $(VENV)/.installed
	$(VENV)/bin/socialcem demo

test: check
	$(PY) -m pytest

check: lint types

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check $(SRC)
	$(VENV)/bin/ruff format --check $(SRC)

types: $(VENV)/.dev
	$(VENV)/bin/mypy

bench: $(VENV)/.dev
	$(PY) bench/ingest.py
	$(PY) bench/baseline.py
	$(PY) bench/lexicon.py

clean:
	rm -rf $(VENV) build *.egg-info socialcem.db socialcem.db-wal socialcem.db-shm
