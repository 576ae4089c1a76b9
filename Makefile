# khabar: `make demo` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: demo test lint typecheck pytest install install-dev browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade --quiet pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,ray]'
	touch $(STAMP)

install-dev: $(STAMP)

demo: install
	$(BIN)/khabar analyze examples/000_3ad8789db8de2740.txt --published 2026-01-06 --format text
	$(BIN)/khabar ingest examples/ --db demo.db --published 2026-01-06
	$(BIN)/khabar entities --db demo.db --limit 10 --format text
	$(BIN)/khabar search जेलेंस्की --db demo.db --format text --limit 3
	@echo "khabar is installed in $(VENV): run $(BIN)/khabar --help, or 'source $(BIN)/activate' and then khabar --help"

lint: install-dev
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

typecheck: install-dev
	$(BIN)/mypy

# The end-to-end tests drive Debian's chromium; this installs it (apt-get) when it is missing.
browser:
	bash scripts/install-browser.sh

pytest: install-dev browser
	$(BIN)/pytest -q -ra

test: lint typecheck pytest

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache demo.db artifacts
