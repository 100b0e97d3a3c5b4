# The same names locally and in CI. `make serve` and `make test` are the README's two commands.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: serve test install install-dev lint format schema sdk-check bench clean smoke browser compat

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

# The TypeScript SDK checks (tests/ts, tests/sdk_surface) need node + npm; without them those
# tests skip.
NPM := $(shell command -v npm 2>/dev/null)
NODE_DEPS := $(if $(NPM),tests/ts/node_modules/.package-lock.json tests/sdk_surface/node_modules/.package-lock.json)

tests/%/node_modules/.package-lock.json: tests/%/package-lock.json
	npm ci --prefix tests/$* --no-audit --no-fund --loglevel=error

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
	@# A newer official SDK than the pin gets one warning line (never fails; skipped offline)
	-@$(BIN)/python scripts/sdk_check.py --quick --timeout 5

lint: $(DEVSTAMP)
	$(BIN)/ruff check app tests scripts bench
	$(BIN)/hadolint --failure-threshold warning Dockerfile
	$(BIN)/ruff format --check app tests scripts bench

format: $(DEVSTAMP)
	$(BIN)/ruff format app tests scripts bench
	$(BIN)/ruff check --fix app tests scripts bench

## schema: regenerate all that is generated from the pinned SDK; SDK=X.Y.Z upgrades to it first
## (pin, install, regenerate, CHANGELOG line, test suite)
schema: $(DEVSTAMP)
ifdef SDK
	$(BIN)/python scripts/sdk_upgrade.py bump $(SDK) --save $(VENV)/sdk-before.json
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP) $(DEVSTAMP)
	$(BIN)/python scripts/sdk_upgrade.py regenerate --since $(VENV)/sdk-before.json
	$(BIN)/python -m pytest -n 2 -q
else
	$(BIN)/python scripts/sdk_upgrade.py regenerate
endif

## sdk-check: what the newest anthropic release can send that the committed schema refuses
## (SDK=X.Y.Z checks that release; SDK_CHECK_ARGS=--warn-only never fails, as CI runs it)
sdk-check: $(DEVSTAMP)
	$(BIN)/python scripts/sdk_check.py $(if $(SDK),--sdk $(SDK)) $(SDK_CHECK_ARGS)

## bench: throughput vs a bare Starlette app, and fixture-matching latency
bench: $(DEVSTAMP)
	$(BIN)/python bench/run.py

## smoke: build the Docker image and run the compose service for real
smoke: $(DEVSTAMP)
	PYTHON=$(abspath $(BIN)/python) bash tests/container/smoke.sh

## compat: older official SDKs, LangChain, LiteLLM, instructor, Pydantic AI, the Vercel AI SDK and Claude Code against a live sandbox
compat: $(DEVSTAMP)
	PYTHON=$(abspath $(BIN)/python) bash tests/compat/run.sh

## browser: install Debian's Chromium and the page's npm packages (tests/test_browser.py)
browser:
	bash tests/browser/install.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
