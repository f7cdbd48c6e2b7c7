# Two commands set everything up on a fresh machine: `make run` and `make test`.
# Both install the pinned, hash-checked versions of requirements/run.txt or requirements/dev.txt,
# then the project itself with --no-deps. `make lock` re-pins both files from pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
LOCK_ARGS ?=
LOCK_FLAGS := --universal --fork-strategy fewest --python-version 3.11 --generate-hashes \
	--custom-compile-command 'make lock' --quiet $(LOCK_ARGS)

.PHONY: run test lint bench console clean lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# pip check fails when pyproject.toml asks for something the lock lacks (run `make lock`).
$(VENV)/.installed: pyproject.toml requirements/run.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/run.txt
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pip check
	touch $@

$(VENV)/.installed-dev: pyproject.toml requirements/dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pip check
	touch $(VENV)/.installed $@

run: $(VENV)/.installed  ## start the bot (console chat when no token is configured)
	$(BIN)/innovdeizh run

test: $(VENV)/.installed-dev  ## install dev dependencies and run the whole test suite
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench.updates

# Keeps existing pins; `make lock LOCK_ARGS=--upgrade` (or --upgrade-package NAME) moves them.
# dev.txt is constrained by run.txt, so both files pin shared packages to the same versions.
lock: | $(BIN)/python  ## re-pin requirements/run.txt and requirements/dev.txt from pyproject.toml
	$(BIN)/pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip compile pyproject.toml $(LOCK_FLAGS) -o requirements/run.txt
	$(BIN)/uv pip compile pyproject.toml --extra dev -c requirements/run.txt $(LOCK_FLAGS) \
		-o requirements/dev.txt

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
