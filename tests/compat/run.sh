#!/usr/bin/env bash
# Compatibility sweep: older official SDKs and other real clients against a live sandbox.
#
#   PYTHON=.venv/bin/python bash tests/compat/run.sh      (or: make compat)
#
# Each client gets its own venv (node_modules for the JS ones) under
# ~/.cache/messages-sandbox/compat, built once from the pinned versions below and reused
# while the pins are unchanged. One sandbox (shipped fixtures, an API key required) serves
# every driver; each driver prints one line per check. Exit status 1 if any check fails.
#
# PYTHON         interpreter with the app's dependencies; it serves the sandbox and runs the
#                sdk checks with whatever anthropic SDK it has (default: python3)
# COMPAT_PYTHON  interpreter the client venvs are made from (default: python3)
# COMPAT_CACHE   where the venvs live (default: ~/.cache/messages-sandbox/compat)
# COMPAT_CLAUDE_CODE=0  skip Claude Code (its npm package carries a ~400 MB native binary)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/tests/compat"
PYTHON=${PYTHON:-python3}
COMPAT_PYTHON=${COMPAT_PYTHON:-python3}
CACHE=${COMPAT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/messages-sandbox/compat}
KEY=sk-ant-compat

# venv name | pip requirements (pinned) | driver
CLIENTS=(
  # httpx 0.28 dropped the `proxies` argument that 0.3x SDKs pass: their users pin it too.
  "sdk-0.39.0|anthropic==0.39.0 httpx==0.27.2|sdk_checks.py"
  "sdk-0.75.0|anthropic==0.75.0|sdk_checks.py"
  "sdk-1.17.0|anthropic==1.17.0|sdk_checks.py"
  "langchain-0.3|langchain-anthropic==0.3.22 anthropic==0.125.0|langchain_checks.py"
  "langchain-1.7|langchain-anthropic==1.7.10 anthropic==2.13.0|langchain_checks.py"
  "litellm|litellm==1.110.2|litellm_checks.py"
  "instructor|instructor==1.17.0 anthropic==2.17.0|instructor_checks.py"
  "pydantic-ai|pydantic-ai-slim[anthropic]==2.68.0 anthropic==2.17.0|pydantic_ai_checks.py"
)

mkdir -p "$CACHE"
WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# -- client venvs (in parallel; a stamp records the pins each was built from) ---------------
build_venv() {
  local name=$1 reqs=$2 dir="$CACHE/$1"
  if [[ -f "$dir/.compat-pins" && "$(cat "$dir/.compat-pins")" == "$reqs" ]]; then
    return 0
  fi
  rm -rf "$dir"
  "$COMPAT_PYTHON" -m venv "$dir"
  # shellcheck disable=SC2086  # the pins are a word list on purpose
  "$dir/bin/pip" install --quiet --disable-pip-version-check $reqs
  echo "$reqs" >"$dir/.compat-pins"
}

build_node() {
  local dir="$CACHE/node"
  mkdir -p "$dir"
  if ! cmp -s "$HERE/node/package-lock.json" "$dir/package-lock.json" \
    || [[ ! -d "$dir/node_modules" ]]; then
    cp "$HERE/node/package.json" "$HERE/node/package-lock.json" "$dir/"
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
  fi
  cp "$HERE/node/checks.mjs" "$dir/"
}

# Claude Code: its own package (the native binary comes from an npm optional dependency).
build_claude_code() {
  local dir="$CACHE/claude-code"
  mkdir -p "$dir"
  if ! cmp -s "$HERE/claude_code/package-lock.json" "$dir/package-lock.json" \
    || [[ ! -d "$dir/node_modules" ]]; then
    cp "$HERE/claude_code/package.json" "$HERE/claude_code/package-lock.json" "$dir/"
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
  fi
}

builds=()
for entry in "${CLIENTS[@]}"; do
  IFS='|' read -r name reqs _ <<<"$entry"
  build_venv "$name" "$reqs" >"$WORK/build-$name.log" 2>&1 &
  builds+=("$!:$name")
done
HAVE_NPM=""
if command -v npm >/dev/null && command -v node >/dev/null; then
  HAVE_NPM=1
  build_node >"$WORK/build-node.log" 2>&1 &
  builds+=("$!:node")
  if [[ "${COMPAT_CLAUDE_CODE:-1}" != 0 ]]; then
    build_claude_code >"$WORK/build-claude-code.log" 2>&1 &
    builds+=("$!:claude-code")
  fi
fi
for build in "${builds[@]}"; do
  if ! wait "${build%%:*}"; then
    echo "FAIL  could not build the ${build#*:} client environment:" >&2
    cat "$WORK/build-${build#*:}.log" >&2
    exit 1
  fi
done

# -- the sandbox ------------------------------------------------------------------------------
PORT=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
(
  cd "$ROOT"
  SANDBOX_HOST=127.0.0.1 SANDBOX_PORT="$PORT" SANDBOX_FIXTURES="$ROOT/fixtures" \
    SANDBOX_DATA_DIR="$WORK/data" SANDBOX_API_KEYS="$KEY" SANDBOX_RELOAD=0 \
    SANDBOX_LOG_LEVEL=warning exec "$PYTHON" -m messages_sandbox serve
) >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
# Generous: on a loaded machine the imports alone can take many seconds; a server that
# exits is reported at once.
"$PYTHON" - "$URL" "$SERVER_PID" <<'EOF' || { cat "$WORK/server.log" >&2; exit 1; }
import os, sys, time, urllib.request

def alive(pid: int) -> bool:
    """Running, not a zombie (the server is the shell's child, not waited for yet)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except FileNotFoundError:
        if os.path.isdir("/proc"):
            return False
    try:
        os.kill(pid, 0)  # no /proc (macOS): a zombie passes, the deadline still ends the wait
        return True
    except ProcessLookupError:
        return False

deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    try:
        urllib.request.urlopen(sys.argv[1] + "/health", timeout=1)
        sys.exit(0)
    except OSError:
        if not alive(int(sys.argv[2])):
            sys.exit("the sandbox exited before it answered")
        time.sleep(0.05)
sys.exit("the sandbox did not answer /health within 120 s")
EOF

# -- the drivers, in parallel; their reports in a fixed order -------------------------------
export SANDBOX_URL="$URL" SANDBOX_KEY="$KEY" PYTHONWARNINGS=ignore
runs=()
for entry in "${CLIENTS[@]}"; do
  IFS='|' read -r name _ driver <<<"$entry"
  "$CACHE/$name/bin/python" "$HERE/$driver" >"$WORK/run-$name.log" 2>&1 &
  runs+=("$!:$name")
done
if "$PYTHON" -c 'import anthropic' 2>/dev/null; then
  "$PYTHON" "$HERE/sdk_checks.py" >"$WORK/run-current.log" 2>&1 &
  runs+=("$!:current")
fi
if [[ -n "$HAVE_NPM" ]]; then
  (cd "$CACHE/node" && node checks.mjs) >"$WORK/run-node.log" 2>&1 &
  runs+=("$!:node")
  if [[ "${COMPAT_CLAUDE_CODE:-1}" != 0 ]]; then
    # Starts its own sandbox (it needs its rules loaded and a journal of its own).
    "$PYTHON" "$HERE/claude_code_checks.py" "$CACHE/claude-code/node_modules/.bin/claude" \
      >"$WORK/run-claude-code.log" 2>&1 &
    runs+=("$!:claude-code")
  else
    echo "skip  claude-code (COMPAT_CLAUDE_CODE=0)"
  fi
else
  echo "skip  node clients and claude-code (no node/npm on PATH)"
fi

status=0
for run in "${runs[@]}"; do
  wait "${run%%:*}" || status=1
  cat "$WORK/run-${run#*:}.log"
done
if [[ $status -ne 0 ]]; then
  echo "compat: FAILED (sandbox log follows)" >&2
  tail -n 50 "$WORK/server.log" >&2
else
  echo "compat: all clients passed"
fi
exit $status
