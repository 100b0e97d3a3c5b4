# The same names locally and in CI. `make serve` and `make test` are the README's two commands.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: serve test install install-dev lint format schema sdk-check bench clean smoke browser compat \
	coverage wheel-check bench-scale redis

# The suite on both cores. PYTHONDONTWRITEBYTECODE emptied: pytest caches its rewritten test
# modules, and every server process the app's bytecode, instead of compiling them again in
# each process of each run (seconds of CPU per worker).
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n 2 -q
# Branch coverage of the app, servers in subprocesses included; the floor is
# [tool.coverage.report] fail_under in pyproject.toml.
COVERAGE := --cov --cov-report=term

# A .venv made by another Python (or one whose Python is gone) is rebuilt, not reused: after
# a first `make serve` with an old python3, `make serve PYTHON=python3.12` just works.
IDENTITY := import sys; print(sys.base_prefix, *sys.version_info[:2])
WANT_PY := $(shell $(PYTHON) -c '$(IDENTITY)' 2>/dev/null)
HAVE_PY := $(shell $(BIN)/python -c '$(IDENTITY)' 2>/dev/null)
ifneq ($(WANT_PY),)
ifneq ($(wildcard $(VENV)),)
ifneq ($(WANT_PY),$(HAVE_PY))
STALE_VENV := stale-venv
endif
endif
endif

.PHONY: stale-venv
stale-venv:
	@echo "[make] $(VENV) was made by another Python ($(or $(HAVE_PY),one that is gone)): rebuilding it with $(PYTHON) ($(WANT_PY))"
	rm -rf $(VENV)

# Refuses a Python the package cannot run on before spending a minute on pip.
CHECK_PY = @$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	echo "[make] messages-sandbox needs Python >= 3.11; $(PYTHON) is" \
	"$$($(PYTHON) --version 2>&1). Run it again with PYTHON=python3.12 (any python >= 3.11)."; \
	exit 1; }

$(STAMP): pyproject.toml $(STALE_VENV)
	$(CHECK_PY)
	@echo "[make] creating $(VENV) and installing messages-sandbox (first time: about a minute)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --progress-bar off -e .
	@echo "[make] installed into $(VENV)"
	touch $@

$(DEVSTAMP): pyproject.toml $(STALE_VENV)
	$(CHECK_PY)
	@echo "[make] creating $(VENV) and installing messages-sandbox with the dev extras (first time: 1-2 minutes)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --progress-bar off -e '.[dev]'
	@echo "[make] installed into $(VENV)"
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

## test: install the dev extras, lint, then the whole test suite (with CI=1: coverage and its floor)
test: lint $(NODE_DEPS)
	$(PYTEST) $(if $(CI),$(COVERAGE))
	@# A newer official SDK than the pin gets one warning line (never fails; skipped offline)
	-@$(BIN)/python scripts/sdk_check.py --quick --timeout 5

## lint: ruff, ruff format --check, hadolint, mypy (configured in pyproject.toml)
lint: $(DEVSTAMP)
	$(BIN)/ruff check app tests scripts bench
	$(BIN)/ruff format --check app tests scripts bench
	$(BIN)/hadolint --failure-threshold warning Dockerfile deploy/*/Dockerfile
	$(BIN)/mypy

## coverage: the whole suite with branch coverage, failing under the floor
coverage: $(DEVSTAMP) $(NODE_DEPS)
	$(PYTEST) $(COVERAGE)

## wheel-check: build the wheel, install it in a throwaway project with its own `app`, serve, ask
wheel-check: $(DEVSTAMP)
	PYTHON=$(abspath $(BIN)/python) bash tests/packaging/check.sh

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

## bench-scale: state in Redis against memory per request, and 1 against 2 workers (needs redis-server)
bench-scale: $(DEVSTAMP)
	$(BIN)/python bench/scale.py

## redis: Debian's redis-server, which tests/test_scale.py starts on a free port (skipped without it)
redis:
	@command -v redis-server >/dev/null || test -x /usr/bin/redis-server || { \
	  echo "[make] installing Debian's redis-server"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends redis-server \
	  || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends redis-server; }; }

## smoke: build the Docker image and run the compose service for real (and the `scale` profile)
smoke: $(DEVSTAMP)
	PYTHON=$(abspath $(BIN)/python) bash tests/container/smoke.sh

## compat: older official SDKs, LangChain, LiteLLM, instructor, Pydantic AI, the Vercel AI SDK and Claude Code against a live sandbox
compat: $(DEVSTAMP)
	PYTHON=$(abspath $(BIN)/python) bash tests/compat/run.sh

## browser: install Debian's Chromium and the page's npm packages (tests/test_browser.py)
browser:
	bash tests/browser/install.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .coverage .coverage.*
