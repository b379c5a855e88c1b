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
.PHONY: help setup browser java data validate figures report notebooks test coverage mutation floors lab lock bench bench-activity baselines clean

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

figures: setup ## export the report figures (PNG, SVG, PDF and a CSV each) to $(OUT)/figures
	$(BIN)/migration-analysis figures --out $(OUT)/figures

report: data ## the main job: build the data, run the notebooks, export figures and the HTML report
	$(BIN)/migration-analysis report --out $(OUT)

notebooks: data ## after a data change: rebuild the data, re-execute every notebook in place (no timings), redo the figure baselines
	$(BIN)/python -c "import sys; from migration_analysis.report import execute_in_place; [execute_in_place(p) for p in sys.argv[1:]]" notebooks/[0-9][0-9]_*.ipynb
	$(MAKE) baselines

browser: ## install Debian's chromium for the JupyterLab end-to-end tests, if missing
	@if command -v chromium >/dev/null 2>&1; then echo "chromium: $$(command -v chromium)"; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	elif command -v sudo >/dev/null 2>&1; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "install Debian's chromium package (apt-get install chromium) to run the e2e tests" >&2; exit 1; fi

java: ## install Debian's default-jre-headless for the Spark tests, if no java is on PATH
	@if command -v java >/dev/null 2>&1; then echo "java: $$(command -v java)"; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	elif command -v sudo >/dev/null 2>&1; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	else echo "install Debian's default-jre-headless package (apt-get install default-jre-headless) to run the Spark tests" >&2; exit 1; fi

test: setup browser java ## run every test: unit, CLI, lint, Spark and DuckDB, figures (pytest-mpl), notebooks (nbval, also under MPLBACKEND=Agg) and JupyterLab end to end
	$(BIN)/pytest --mpl tests notebooks $(NBVAL)
	MPLBACKEND=Agg $(BIN)/pytest -q -p no:cacheprovider notebooks $(NBVAL)

coverage: setup ## measure line and branch coverage of the non-e2e tests, CLI subprocesses included, and print the total
	rm -f .coverage .coverage.*
	$(BIN)/coverage run -m pytest -q -p no:cacheprovider tests --ignore=tests/e2e; status=$$?; \
	$(BIN)/coverage combine -q && $(BIN)/coverage report --skip-covered && \
	echo "total coverage (lines and branches): $$($(BIN)/coverage report --format=total)%"; exit $$status

mutation: setup ## mutation-test the analysis and evidence rules with mutmut (slow; outside make test): what survives is in docs/mutation.md
	$(BIN)/mutmut run --max-children 2
	$(BIN)/mutmut results

floors: ## check the declared floors: the lock with every runtime dependency at its lowest allowed version, then the tests and strict nbval (needs the package registry)
	rm -rf .venv-floors && $(PYTHON) -m venv .venv-floors
	.venv-floors/bin/pip install --quiet --no-deps -r requirements.lock
	.venv-floors/bin/pip install --quiet --no-deps $$($(BIN)/python -c "import tomllib; print(' '.join(d.replace('>=', '==') for d in tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))")
	.venv-floors/bin/pip install --quiet --no-deps --no-build-isolation -e .
	.venv-floors/bin/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	.venv-floors/bin/pytest -q -p no:cacheprovider tests --ignore=tests/e2e --deselect tests/test_packaging.py::test_the_sdist_passes_its_own_tests
	.venv-floors/bin/pytest -q -p no:cacheprovider notebooks $(NBVAL)
	MPLBACKEND=Agg .venv-floors/bin/pytest -q -p no:cacheprovider notebooks $(NBVAL)
	rm -rf .venv-floors

LAB_PORT ?= 8888
lab: setup ## open JupyterLab on notebooks/ with the project kernel (LAB_PORT=8888)
	$(BIN)/jupyter lab --notebook-dir=notebooks --port=$(LAB_PORT) --ServerApp.open_browser=$(if $(SSH_CONNECTION),False,True) $(if $(filter 0,$(shell id -u)),--allow-root,)

bench: setup ## print the benchmark ratios and timings
	$(BIN)/python benchmarks/bench_load.py
	$(BIN)/python benchmarks/bench_figures.py
	$(BIN)/python benchmarks/bench_activity.py

baselines: setup ## regenerate the figure-regression baselines (after a deliberate change to a chart or the data)
	rm -rf tests/baseline && $(BIN)/pytest tests/test_figures.py --mpl-generate-path=tests/baseline -q

lock: ## re-resolve requirements.lock from pyproject (needs the package registry)
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet hatchling
	.venv-lock/bin/pip install --quiet --no-build-isolation -e '.[dev]'
	(echo "# Exact versions installed by 'make setup' (URL-free pin list; regenerate with 'make lock')."; \
	 .venv-lock/bin/pip freeze --exclude-editable | grep -v '^migration') > requirements.lock
	rm -rf .venv-lock

clean: ## remove generated reports and caches (keeps .venv/)
	rm -rf $(OUT) .pytest_cache test-artifacts .coverage .coverage.* htmlcov mutants
