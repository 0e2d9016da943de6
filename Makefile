# Set-up, run and test. Every target sets up what it needs first, and a set-up step that
# fails stops the command: a stamp is written only when every step before it succeeded.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Stamps: the package with its runtime dependencies and the system packages; then the test
# and lint tools, the spaCy extra and Chromium.
RUNTIME := $(VENV)/.installed
DEV := $(VENV)/.installed-dev
OUT ?= out

.PHONY: setup run test test-fast lint dist bench clean

$(RUNTIME): pyproject.toml scripts/setup-system.sh
	@rm -f $(RUNTIME) $(DEV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	bash scripts/setup-system.sh loaders
	touch $@

$(DEV): $(RUNTIME)
	@rm -f $(DEV)
	$(BIN)/pip install --quiet -e '.[dev]'
	bash scripts/setup-system.sh browser
	touch $@

# Everything a developer needs (what `make test` and `make lint` set up).
setup: $(DEV)

# The main job: batch the bundled corpus into OUT (JSON per plan + plans.duckdb) and print
# the comparison of targets between localities. Needs the runtime dependencies only.
run: $(RUNTIME)
	$(BIN)/kehoach batch corpus --out $(OUT) --include '*.txt' --quiet
	$(BIN)/kehoach compare $(OUT)

test: $(DEV)
	$(BIN)/python -m pytest -q -n 2

# Everything but the tests marked slow (batch runs, notebooks, fuzzing, the browser, OCR).
test-fast: $(DEV)
	$(BIN)/python -m pytest -q -n 2 -m 'not slow'

lint: $(DEV)
	$(BIN)/ruff check src tests scripts bench
	$(BIN)/mypy

# A wheel and an sdist in dist/.
dist: $(DEV)
	rm -rf dist
	$(BIN)/python -m build --quiet --outdir dist

bench: $(DEV)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) $(OUT) dist build .pytest_cache .mypy_cache .ruff_cache
