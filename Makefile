# Two entry points: `make demo` (the main job) and `make test` (every test).
# Each creates the virtual environment and installs what is missing first.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8484
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint clean ui ui-screenshots

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 is required"'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# The web UI (ui/; Node >= 20.9 and npm, which fetch ui/package-lock.json's packages):
# the static build in ui/out that `dagy server` serves at /ui/. Rebuilt when missing or
# older than anything in ui/; it needs no server (the API client is generated from the
# committed ui/openapi.json by `cd ui && npm run gen:api`).
UI_SOURCES := $(shell find ui/src ui/public -type f 2>/dev/null) ui/package.json \
	ui/next.config.mjs ui/tailwind.config.ts ui/postcss.config.mjs ui/tsconfig.json
UI_DEPS := ui/node_modules/.package-lock.json
UI_BUILD := ui/out/index.html

$(UI_DEPS): ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund
	@touch $@

$(UI_BUILD): $(UI_DEPS) $(UI_SOURCES)
	cd ui && npm run build
	@touch $@

ui: $(UI_BUILD)
	cd ui && npm test

# The browser tests drive Debian's chromium; installed here when missing (apt, as root
# or through sudo), never downloaded by Playwright.
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
$(CHROMIUM):
	$(SUDO) apt-get install -y -q chromium || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; }

# The main job: the demo flow's DAG, one local run, then `dagy server` on the embedded
# default (SQLite + SQL queue + local artifacts) with the demo deployed and run once.
# `make demo PORT=9000` serves on another port (the profile follows it). State goes where
# every `dagy` command looks for it: $DAGY_HOME if set, else ~/.dagy (dagy/settings.py).
demo: $(STAMP) $(UI_BUILD)
	$(BIN)/dagy flows show examples/demo_flows.py:etl_pipeline
	$(BIN)/dagy run examples/demo_flows.py:etl_pipeline --param source=demo --param rows=5 --verbose
	$(BIN)/dagy server --demo --port $(PORT)

test: $(STAMP) $(UI_BUILD) $(CHROMIUM)
	$(BIN)/lint-imports
	cd ui && npm run typecheck && npm test
	$(BIN)/pytest -n 2 --dist loadgroup -q -p no:cacheprovider   # loadgroup: a docs page stays on one worker

bench: $(STAMP) $(UI_BUILD) $(CHROMIUM)
	$(BIN)/python benchmarks/engine.py
	$(BIN)/python benchmarks/api.py
	$(BIN)/python benchmarks/ui_build.py --skip-build
	$(BIN)/python benchmarks/ui_runs.py

# The docs' screenshots of the web UI (docs/images/ui/), from a real `dagy server --demo`.
ui-screenshots: $(STAMP) $(UI_BUILD) $(CHROMIUM)
	$(BIN)/python scripts/ui_screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis   # never ~/.dagy: that is the user's state
