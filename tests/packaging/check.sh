#!/usr/bin/env bash
# The wheel, installed as a user installs it (`make wheel-check`, run by .ci/run).
#
#   bash tests/packaging/check.sh
#
#   1. Builds the sdist and, from it, the wheel (python -m build, as a release would).
#   2. Makes a throwaway project with its own `app` package (app/__init__.py, app/main.py with
#      `create_app()` taking no arguments: most FastAPI/Flask projects look like this) and a
#      fresh venv inside it, and installs the wheel there.
#   3. From that project, serves with `messages-sandbox serve --fixtures DIR`, DIR holding one
#      rule and no models.yaml: one official-SDK request is answered by that rule on
#      claude-sonnet-4-5 (the built-in catalogue is in the wheel), /v1/models is not empty.
#   4. `python -m messages_sandbox --help`, `messages-sandbox --help` and `validate` work.
#   5. The project's own `app` still imports as its own from that venv, and nothing named
#      `app` was installed.
#
# Env: PYTHON (interpreter with `build` and the anthropic SDK; default .venv/bin/python),
# KEEP=1 keeps the work directory.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
T0=$(date +%s)
log() { printf '[wheel-check %3ds] %s\n' "$(($(date +%s) - T0))" "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }

W=$(mktemp -d "${TMPDIR:-/tmp}/msbx-wheel.XXXXXX")
SERVER_PID=""
cleanup() {
  if [[ -n $SERVER_PID ]]; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ ${KEEP:-0} == 1 ]]; then log "kept $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT

# ------------------------------------------------------------------------------------ build
log "building the sdist and the wheel from it"
# From a copy of the tracked files (plus uncommitted edits), so a stray local file (a venv,
# caches, node_modules) can neither leak into the sdist nor hide a file the sdist misses.
mkdir -p "$W/src"
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard --deduplicate |
  tar --null --files-from=- --ignore-failed-read -cf - 2>/dev/null) | tar -xf - -C "$W/src"
"$PYTHON" -m build --outdir "$W/dist" "$W/src" >"$W/build.log" 2>&1 || {
  cat "$W/build.log"
  die "build failed"
}
WHEEL=$(ls "$W"/dist/*.whl)
log "built $(basename "$WHEEL")"
"$PYTHON" -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' \
  "$WHEEL" >"$W/wheel.txt"
if grep -E '^app/' "$W/wheel.txt"; then die "the wheel installs a top-level app/"; fi
for data in messages_sandbox/catalogue/models.yaml messages_sandbox/py.typed \
  messages_sandbox/examples/weather.yaml messages_sandbox/examples/media/poster.png; do
  grep -qx "$data" "$W/wheel.txt" || die "the wheel lacks $data"
done

# ------------------------------------------------------------------- a project of the user's
PROJECT="$W/project"
mkdir -p "$PROJECT/app" "$PROJECT/fixtures"
: >"$PROJECT/app/__init__.py"
cat >"$PROJECT/app/main.py" <<'EOF'
def create_app():
    return "the project's own app"
EOF
cat >"$PROJECT/fixtures/rules.yaml" <<'EOF'
rules:
  - id: packaging-check
    match: {last_user_text: {contains: "packaging check"}}
    reply: {text: "Answered by the user's own rule."}
EOF

log "installing the wheel into a fresh venv inside the project"
python3 -m venv "$PROJECT/.venv"
VPY="$PROJECT/.venv/bin/python"
"$VPY" -m pip install --quiet --disable-pip-version-check "$WHEEL" >"$W/install.log" 2>&1 || {
  cat "$W/install.log"
  die "pip install of the wheel failed"
}
cd "$PROJECT"

# ----------------------------------------------------------------------- entry points, validate
"$VPY" -m messages_sandbox --help | grep -q serve || die "python -m messages_sandbox --help"
"$PROJECT/.venv/bin/messages-sandbox" --help | grep -q validate || die "messages-sandbox --help"
validated=$("$PROJECT/.venv/bin/messages-sandbox" validate fixtures) || die "validate: $validated"
log "validate: $validated"
[[ $validated == ok:* ]] || die "validate said: $validated"

# ------------------------------------------------------------------------------------- serve
log "serving from the project dir: messages-sandbox serve --fixtures fixtures"
SANDBOX_DATA_DIR="$W/data" "$PROJECT/.venv/bin/messages-sandbox" serve --fixtures fixtures \
  --port 0 --log-level info >"$W/server.log" 2>&1 &
SERVER_PID=$!
URL=""
for _ in $(seq 1 600); do
  URL=$(grep -oE 'Uvicorn running on http://[^ ]+' "$W/server.log" | awk '{print $4}' || true)
  [[ -n $URL ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$W/server.log"; die "the server exited"; }
  sleep 0.1
done
[[ -n $URL ]] || { cat "$W/server.log"; die "the server did not start"; }
log "serving on $URL"

"$PYTHON" - "$URL" <<'EOF' || { cat "$W/server.log"; die "the SDK request failed"; }
import sys

import anthropic

client = anthropic.Anthropic(base_url=sys.argv[1], api_key="sk-ant-wheel-check", max_retries=0)
raw = client.messages.with_raw_response.create(
    model="claude-sonnet-4-5",
    max_tokens=64,
    messages=[{"role": "user", "content": "This is the packaging check."}],
)
message = raw.parse()
assert raw.headers.get("x-sandbox-rule") == "packaging-check", dict(raw.headers)
assert message.content[0].text == "Answered by the user's own rule.", message
models = [m.id for m in client.models.list()]
assert any(m.startswith("claude-sonnet-4-5") for m in models), models
print(f"SDK: answered by the rule; /v1/models lists {len(models)} models", file=sys.stderr)
EOF

# --------------------------------------------------------------------- the project's own app
"$VPY" -c "
import pathlib
from app.main import create_app
import app
assert create_app() == \"the project's own app\", create_app()
assert pathlib.Path(app.__file__).parent == pathlib.Path('app').resolve(), app.__file__
" || die "the project's own app does not import as its own"
(cd "$W" && "$VPY" -c "
import importlib.util
assert importlib.util.find_spec('app') is None, importlib.util.find_spec('app')
") || die "something named app is installed in the venv"

log "ok: the wheel installs as messages_sandbox beside the project's own app"
