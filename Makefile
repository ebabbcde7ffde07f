# The two commands of the README. Each creates what it needs on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint venv system-deps bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

venv: $(BIN)/.installed

system-deps:
	@bash scripts/system-deps.sh

demo: venv
	$(BIN)/miv demo --out out

# ruff over all code, mypy --strict over the layers in [tool.mypy]; `ruff check --fix` repairs most findings.
lint: venv
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy

# Two workers (pytest-xdist): the suite waits on Chromium, PostgreSQL and WeasyPrint in turn, so
# two processes keep both cores busy; `make test WORKERS=0` runs it in one process.
WORKERS ?= 2
test: venv system-deps lint
	$(BIN)/python -m pytest -p no:cacheprovider -n $(WORKERS) --dist loadgroup

bench: venv
	$(BIN)/pip install -q -e '.[bench]'
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) out
