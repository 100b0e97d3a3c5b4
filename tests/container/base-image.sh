#!/usr/bin/env bash
# Build the local base image localhost/debian-python:12 for machines without an
# image registry (see shared/reference/containers.md).
#
#   tests/container/base-image.sh            # needs DOCKER_HOST pointing at a working engine
#
# 1. debootstrap a minimal Debian bookworm (python3, venv, pip, ca-certificates) once
#    and cache it as a tarball (default ~/.cache/messages-sandbox/debian-python-12.tar);
# 2. `docker import` it as localhost/debian-python:12-rootfs;
# 3. build localhost/debian-python:12 on top, copying in the host's extra CA
#    certificates (/usr/local/share/ca-certificates) so pip behind a TLS-intercepting
#    proxy works inside `docker build`. This happens only here, never in the Dockerfile.
#
# Env: BASE_IMAGE (default localhost/debian-python:12), SMOKE_CACHE_DIR, DEBIAN_SUITE
# (default bookworm), DEBIAN_MIRROR (default: first URI in the host's apt sources).
set -euo pipefail
# debootstrap (and dockerd from Debian) live in the sbin directories, which are not on every
# user's PATH.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

BASE_IMAGE=${BASE_IMAGE:-localhost/debian-python:12}
CACHE_DIR=${SMOKE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/messages-sandbox}
SUITE=${DEBIAN_SUITE:-bookworm}
TARBALL="$CACHE_DIR/debian-python-$SUITE.tar"
RAW_IMAGE="${BASE_IMAGE}-rootfs"

log() { printf '[base-image] %s\n' "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }

# debootstrap must run as root (it chroots and makes device nodes): through sudo otherwise.
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

default_mirror() {
  local uri
  uri=$(grep -hoE '^URIs:[[:space:]]*[^[:space:]]+' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1 | awk '{print $2}' || true)
  if [[ -z "$uri" ]]; then
    uri=$(grep -hoE '^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?[^[:space:]]+' /etc/apt/sources.list 2>/dev/null | head -n1 | awk '{print $NF}' || true)
  fi
  printf '%s\n' "${uri:-http://deb.debian.org/debian}"
}

build_tarball() {
  local debootstrap mirror rootfs
  debootstrap=$(command -v debootstrap) \
    || die "debootstrap is not installed (apt-get install debootstrap; it goes to /usr/sbin)"
  mirror=${DEBIAN_MIRROR:-$(default_mirror)}
  mkdir -p "$CACHE_DIR"
  rootfs=$(mktemp -d "$CACHE_DIR/rootfs.XXXXXX")
  log "debootstrap $SUITE from $mirror as root (about a minute; log: $CACHE_DIR/debootstrap.log)"
  if ! with_progress "$CACHE_DIR/debootstrap.log" as_root "$debootstrap" --variant=minbase \
      --include=python3,python3-venv,python3-pip,ca-certificates "$SUITE" "$rootfs" "$mirror"; then
    tail -n 30 "$CACHE_DIR/debootstrap.log" >&2
    as_root rm -rf "$rootfs"
    die "debootstrap failed (the lines above are the end of $CACHE_DIR/debootstrap.log)"
  fi
  # Keep the image small: apt lists, caches and docs are not needed at runtime. The files
  # belong to root, and some (/etc/shadow) only root can read: root tars them, the tarball
  # is then the user's.
  as_root sh -c 'cd "$1" && rm -rf var/lib/apt/lists/* var/cache/apt/*.bin \
    var/cache/apt/archives/*.deb usr/share/doc/* usr/share/man/* usr/share/locale/*' _ "$rootfs"
  as_root tar -C "$rootfs" -cf "$TARBALL.tmp" .
  as_root chown "$(id -u):$(id -g)" "$TARBALL.tmp"
  mv "$TARBALL.tmp" "$TARBALL"
  as_root rm -rf "$rootfs"
  log "cached $TARBALL ($(du -h "$TARBALL" | cut -f1))"
}

if [[ ! -s "$TARBALL" ]]; then
  build_tarball
else
  log "using cached $TARBALL"
fi

if ! docker image inspect "$RAW_IMAGE" >/dev/null 2>&1; then
  log "docker import -> $RAW_IMAGE"
  docker import "$TARBALL" "$RAW_IMAGE" >/dev/null
fi

ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
mkdir -p "$ctx/certs"
if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$ctx/certs/"
fi
cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $RAW_IMAGE
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
COPY certs/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null 2>&1 && python3 --version
CMD ["python3"]
DOCKERFILE
log "docker build -> $BASE_IMAGE (with the host's extra CA certificates)"
if ! DOCKER_BUILDKIT=0 docker build -q -t "$BASE_IMAGE" "$ctx" >"$ctx/build.log" 2>&1; then
  cat "$ctx/build.log" >&2
  exit 1
fi
log "ready: $BASE_IMAGE"
