# migration-analysis — `make help` lists the targets.
# The set-up is shared by every target: a virtual environment in .venv/ installed from
# requirements.lock (exact versions, bytecode compiled), redone only when the lock or pyproject changes.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.setup-done
OUT ?= reports
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.DEFAULT_GOAL := help
.PHONY: help setup data validate figures report test test-unit test-notebooks lab lock bench clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

setup: $(STAMP) ## create .venv/ from requirements.lock (idempotent: seconds when up to date)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --compile -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation --compile -e .
	$(BIN)/python -m compileall -q src
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (migration-analysis)" >/dev/null
	touch $(STAMP)

data: setup ## validate data/raw and rebuild data/processed
	$(BIN)/migration-analysis build

validate: setup ## check data/raw against the schema
	$(BIN)/migration-analysis validate

report: data ## the main job: build the data, run the notebooks, export figures and the HTML report
	$(BIN)/migration-analysis report --out $(OUT)

test: setup ## run every test: unit, CLI, figures, notebooks (nbval) and JupyterLab end to end
	$(BIN)/pytest tests notebooks $(NBVAL)

lab: setup ## open JupyterLab on notebooks/ with the project kernel
	$(BIN)/jupyter lab notebooks/

bench: setup ## print the benchmark ratios
	$(BIN)/python benchmarks/bench_load.py

lock: ## re-resolve requirements.lock from pyproject (needs the package registry)
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet hatchling
	.venv-lock/bin/pip install --quiet --no-build-isolation -e '.[dev]'
	(echo "# Exact versions installed by 'make setup' (URL-free pin list; regenerate with 'make lock')."; \
	 .venv-lock/bin/pip freeze --exclude-editable | grep -v '^migration') > requirements.lock
	rm -rf .venv-lock

clean: ## remove generated reports and caches (keeps .venv/)
	rm -rf $(OUT) .pytest_cache test-artifacts
