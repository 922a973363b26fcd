# Two entry points: `make demo` (the main job) and `make test` (every test).
# Each creates the virtual environment and installs what is missing first.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8484
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint clean ui

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 is required"'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# The main job: the demo flow's DAG, one local run, then `dagy server` on the embedded
# default (SQLite + SQL queue + local artifacts) with the demo deployed and run once.
# `make demo PORT=9000` serves on another port (the profile follows it). State goes where
# every `dagy` command looks for it: $DAGY_HOME if set, else ~/.dagy (dagy/settings.py).
demo: $(STAMP)
	$(BIN)/dagy flows show examples/demo_flows.py:etl_pipeline
	$(BIN)/dagy run examples/demo_flows.py:etl_pipeline --param source=demo --param rows=5 --verbose
	$(BIN)/dagy server --demo --port $(PORT)

test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/pytest -n 2 --dist loadgroup -q -p no:cacheprovider   # loadgroup: a docs page stays on one worker

# The web UI (ui/; needs Node >= 20.9 and npm, which fetches ui/package-lock.json's
# packages): its unit tests, then the static build (ui/out) that `dagy server` serves at
# /ui/. Not part of demo or test yet: both still need only Python.
ui:
	cd ui && npm ci --no-audit --no-fund && npm test && npm run build

bench: $(STAMP)
	$(BIN)/python benchmarks/engine.py
	$(BIN)/python benchmarks/api.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis   # never ~/.dagy: that is the user's state
