# SciDip task runner. `make run` and `make test` are the two commands of the README.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SCIDIP := $(BIN)/scidip
DATASET ?= japan-mofa
PORT ?= 8000

.PHONY: help install install-dev run test lint format clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,spark]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed  ## Install SciDip into ./.venv

install-dev: $(VENV)/.installed-dev  ## Install SciDip with the test and Spark extras

run: install  ## Create the embedded database, load the bundled dataset, serve the workbench
	$(SCIDIP) init
	$(SCIDIP) load $(DATASET)
	$(SCIDIP) summary
	$(SCIDIP) serve --host 127.0.0.1 --port $(PORT)

test: install-dev  ## Run the whole test suite (PostgreSQL too when SCIDIP_TEST_DATABASE_URL is set)
	$(BIN)/python -m pytest

lint: install-dev  ## ruff (lint and format check), mypy and the layering (import-linter)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

format: install-dev  ## Format the code
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

clean:  ## Remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
