# The same names locally and in CI. `make serve` and `make test` are the README's two commands.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: serve test install install-dev lint format schema bench clean smoke browser compat

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEVSTAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP) $@

# The TypeScript SDK checks (tests/ts) need node + npm; without them those tests skip.
NPM := $(shell command -v npm 2>/dev/null)
NODE_DEPS := $(if $(NPM),tests/ts/node_modules/.package-lock.json)

tests/ts/node_modules/.package-lock.json: tests/ts/package-lock.json
	npm ci --prefix tests/ts --no-audit --no-fund --loglevel=error

install: $(STAMP)
install-dev: $(DEVSTAMP)

## serve: install and serve on 127.0.0.1:8080 with the shipped fixtures/
serve: $(STAMP)
	$(BIN)/python -m messages_sandbox serve

## test: install the dev extras and run the whole test suite (lint included)
test: $(DEVSTAMP) $(NODE_DEPS)
	$(BIN)/ruff check app tests scripts bench
	$(BIN)/hadolint --failure-threshold warning Dockerfile
	$(BIN)/python -m pytest -n 2 -q

lint: $(DEVSTAMP)
	$(BIN)/ruff check app tests scripts bench
	$(BIN)/hadolint --failure-threshold warning Dockerfile
	$(BIN)/ruff format --check app tests scripts bench

format: $(DEVSTAMP)
	$(BIN)/ruff format app tests scripts bench
	$(BIN)/ruff check --fix app tests scripts bench

## schema: regenerate the request schema from the pinned SDK (after bumping it in pyproject)
schema: $(DEVSTAMP)
	$(BIN)/python scripts/gen_schema.py
	$(BIN)/python scripts/gen_betas.py

## bench: throughput vs a bare Starlette app, and fixture-matching latency
bench: $(DEVSTAMP)
	$(BIN)/python bench/run.py

## smoke: build the Docker image and run the compose service for real
smoke: $(DEVSTAMP)
	PYTHON=$(abspath $(BIN)/python) bash tests/container/smoke.sh

## compat: older official SDKs, LangChain, LiteLLM and the Vercel AI SDK against a live sandbox
compat: $(DEVSTAMP)
	PYTHON=$(abspath $(BIN)/python) bash tests/compat/run.sh

## browser: install Debian's Chromium and the page's npm packages (tests/test_browser.py)
browser:
	bash tests/browser/install.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
