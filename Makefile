# danvan — two commands: `make run` (set up and serve) and `make test` (the whole suite).
# Everything is installed from package registries into .venv and node_modules; nothing
# third-party is committed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DANVAN_PORT ?= 8000
# vietnam-provinces 2026.9.0 carries the pre-2025 structure and the old→new mapping; it is
# pure Python but declares Python >= 3.12, so on 3.11 it is installed past that marker.
VIETNAM_PROVINCES := vietnam-provinces==2026.9.0
PYTEST_ARGS ?=

.PHONY: run setup test deps frontend browser lint typecheck bench clean

run: setup
	$(BIN)/danvan serve --port $(DANVAN_PORT)

setup: deps frontend
	$(BIN)/danvan setup

test: deps frontend browser
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

deps: $(BIN)/.deps-installed

$(BIN)/.deps-installed: requirements/lock.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --no-deps --ignore-requires-python $(VIETNAM_PROVINCES)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

frontend: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

# The browser tests drive Debian's Chromium; install it when we may (root with apt).
browser:
	@sh scripts/ensure-chromium.sh

lint:
	$(BIN)/ruff check src tests bench

typecheck:
	$(BIN)/mypy

bench: deps
	$(BIN)/python -m bench

clean:
	rm -rf var/static .pytest_cache
