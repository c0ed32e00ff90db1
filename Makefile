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

# The [ml] tier's tests run too: the CPU build of PyTorch first (a plain `torch` requirement
# would fetch a multi-GB CUDA build), then the extras.
$(VENV)/.dev: $(VENV)/.installed
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev,ml]'
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
	$(PY) bench/model.py
	$(PY) bench/language.py
	$(PY) bench/aspects.py
	$(PY) bench/intents.py
	$(PY) bench/minilm.py
	$(PY) bench/calibration.py
	$(PY) bench/anomaly.py
	$(PY) bench/insights.py

clean:
	rm -rf $(VENV) build *.egg-info socialcem.db socialcem.db-wal socialcem.db-shm
