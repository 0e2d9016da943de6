# Set-up, run and test. Every target sets up what it needs first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= out

.PHONY: setup run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,spacy]'
	@for script in scripts/setup-*.sh; do [ -f "$$script" ] && bash "$$script"; done; true
	touch $(STAMP)

setup: $(STAMP)

# The main job: batch the bundled corpus into OUT (JSON per plan + plans.duckdb) and print
# the comparison of targets between localities.
run: setup
	$(BIN)/kehoach batch corpus --out $(OUT) --include '*.txt' --quiet
	$(BIN)/kehoach compare $(OUT)

test: setup
	$(BIN)/python -m pytest -q -n 2

lint: setup
	$(BIN)/ruff check src tests scripts
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache
