# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make run   -> .venv, install, run the baseline and the main experiment (all measures vs baseline) -> results/
#   make test  -> .venv, install with dev extras, run the tests (make test-fast: all but the slow ones)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test test-fast bench lint docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,dask,ema,calibrate,dashboard]"
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/labour-abm run --preset nijmegen --seed 1 --out results/baseline
	$(BIN)/labour-abm experiment experiments/seed_measures.toml --out results/seed_measures

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest

test-fast: $(VENV)/.installed-dev   # the edit-test loop: everything but the tests marked slow, in under a minute
	$(BIN)/python -m pytest -m "not slow"

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/bench_core.py
	$(BIN)/python benchmarks/bench_sweep.py
	$(BIN)/python benchmarks/bench_dashboard.py

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks experiments

docs: $(VENV)/.installed
	$(BIN)/python -m labour_abm.ui.docs docs   # parameters.md, measures.md, the column tables of outputs.md

clean:
	rm -rf $(VENV) results/*/ .pytest_cache
