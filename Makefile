# Footprint: the two commands a newcomer needs are `make demo` and `make test`.
# Everything runs inside .venv, built from the pinned requirements.lock.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DAGSTER_TELEMETRY_ENABLED := false
export DO_NOT_TRACK := 1

.PHONY: setup demo test test-full test-reliability lint format lock clean

$(BIN)/footprint: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --python $(BIN)/python --compile-bytecode --quiet -r requirements.lock
	$(BIN)/uv pip install --python $(BIN)/python --compile-bytecode --quiet --no-deps -e .
	touch $@

setup: $(BIN)/footprint ## create .venv with the pinned dependencies

demo: setup ## generate 24 months of synthetic deliveries at scale 1 and run the nightly job
	$(BIN)/footprint demo

test: setup ## the test suite CI runs
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -m "not slow"

test-full: setup ## every test, including the slow 24-month ones
	$(BIN)/pytest

test-reliability: setup ## the reliability suite in full: faults, kills of the nightly job, readers, privacy
	$(BIN)/pytest tests/reliability

lint: setup
	$(BIN)/ruff check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

lock: ## re-resolve requirements.lock after changing pyproject.toml
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean: ## remove generated data, warehouse and build output (keeps .venv)
	rm -rf landing warehouse published dagster_home logs target
