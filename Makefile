# The two commands of the README: `make run` and `make test`. Each creates .venv and installs
# what it needs on first use (and again whenever pyproject.toml changes).

# The newest Python >= 3.12 on this machine: python3.13, python3.12, python3, or a pyenv build.
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	  $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { command -v $$p; exit 0; }; \
	done; \
	for p in $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3; do \
	  [ -x "$$p" ] && { echo "$$p"; exit 0; }; \
	done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint bench demo

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Tiny Steps needs Python 3.12 or newer (python3.12 / python3.13)."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/tinysteps serve

demo: $(STAMP)
	$(BIN)/tinysteps demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# pytest's exit code 5 ("no tests ran") is turned into a failure with a clear message.
test: lint
	@$(BIN)/pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure here."; exit 1; fi; \
	exit $$rc

# The quick loop while working: lint and everything but the slow tests (the Docker install
# steps, replicas killed at random, the browser). `make test` and CI run those too.
test-fast: lint
	@$(BIN)/pytest -m "not slow and not e2e"; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure here."; exit 1; fi; \
	exit $$rc

bench: $(STAMP)
	$(BIN)/python -m bench
