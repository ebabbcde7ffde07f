# The two commands of the README. Each creates what it needs on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint venv bytecode system-deps bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

venv: $(BIN)/.installed

# Python writes no bytecode where PYTHONDONTWRITEBYTECODE is set (CI machines set it): then every
# process of a run, and of the test suite, compiles miv's modules again. Written here once.
bytecode: venv
	$(BIN)/python -m compileall -q src

system-deps:
	@bash scripts/system-deps.sh

demo: bytecode
	$(BIN)/miv demo --out out

# ruff over all code, mypy --strict over the layers in [tool.mypy]; `ruff check --fix` repairs most findings.
lint: venv
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy

# Two workers (pytest-xdist): the suite waits on Chromium, PostgreSQL and WeasyPrint in turn, so
# two processes keep both cores busy; `make test WORKERS=0` runs it in one process.
WORKERS ?= 2
test: bytecode system-deps lint
	$(BIN)/python -m pytest -p no:cacheprovider -n $(WORKERS) --dist loadgroup

bench: venv
	$(BIN)/pip install -q -e '.[bench]'
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) out
