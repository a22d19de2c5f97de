# Brouette: `make run` serves the site on the embedded defaults; `make test` runs everything.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
PYTEST_ARGS ?=

.PHONY: run test lint format venv dev-deps migrate demo worker clean bench

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required (Python 3.11)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(VENV)/.installed
dev-deps: $(VENV)/.dev-installed

migrate: venv
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

## run: set up, migrate, load demo content, then serve with a background worker.
run: demo
	@echo ""
	@echo "  Brouette is starting at http://$(HOST):$(PORT)/"
	@echo "  Demo login: username 'demo', password 'brouette-demo'"
	@echo ""
	@trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py requeue_stale_tasks --older-than 0 >/dev/null; \
	$(PY) manage.py db_worker --no-reload --interval 0.5 & WORKER=$$!; \
	$(PY) manage.py runserver --noreload $(HOST):$(PORT)

worker: venv
	$(PY) manage.py requeue_stale_tasks
	$(PY) manage.py db_worker

## lint: ruff check and format check.
lint: dev-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: dev-deps
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## test: lint, then the whole suite on SQLite + local disk and on PostgreSQL + SeaweedFS.
test: lint
	@echo "=== Pass 1: SQLite + local disk (plus the S3 integration tests on SeaweedFS) ==="
	BROUETTE_VAR_DIR=$(CURDIR)/var/test $(PY) -m pytest $(PYTEST_ARGS)
	@echo "=== Pass 2: PostgreSQL + SeaweedFS ==="
	@if ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then \
	  BROUETTE_VAR_DIR=$(CURDIR)/var/test BROUETTE_TEST_S3=1 \
	    $(PY) -m tests.services run --postgres -- $(PY) -m pytest $(PYTEST_ARGS); \
	else \
	  echo "PostgreSQL is not installed (apt-get install postgresql): pass 2 cannot run"; exit 1; \
	fi

bench: dev-deps
	$(PY) bench/renditions.py

clean:
	rm -rf var/test test-output .pytest_cache
