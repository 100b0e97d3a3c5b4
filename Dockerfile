# messages-sandbox: a local emulation of Anthropic's Messages API.
#
#   docker build -t messages-sandbox .
#   docker run --rm -p 127.0.0.1:8080:8080 messages-sandbox
#
# Works with the classic builder (DOCKER_BUILDKIT=0) as well as BuildKit. BASE may be any
# Debian-like image with python3 >= 3.11 and the venv module, e.g. the locally built
# localhost/debian-python:12 used by tests/container/smoke.sh where no registry is reachable.
ARG BASE=python:3.12-slim

# The dependency list alone: [project].dependencies and [build-system].requires, read from
# pyproject.toml with tomllib (Python >= 3.11). Copied into the image below by content, so an
# edit of pyproject.toml that leaves the list as it is (tool settings, version) reuses the
# installed-dependencies layer instead of downloading them all again.
FROM ${BASE} AS requirements
COPY pyproject.toml /tmp/
RUN python3 -c "import tomllib; p = tomllib.load(open('/tmp/pyproject.toml', 'rb')); print('\n'.join(p['project'].get('dependencies', []) + p['build-system']['requires']))" > /tmp/requirements.txt

FROM ${BASE}

LABEL org.opencontainers.image.title="messages-sandbox" \
      org.opencontainers.image.description="A local emulation of Anthropic's Messages API answering from YAML fixtures"

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# A venv works both on python:slim and on Debian's externally-managed python3.
RUN python3 -m venv /opt/venv \
 && useradd --system --uid 10001 --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin sandbox \
 && mkdir -p /data \
 && chown sandbox:sandbox /data

WORKDIR /app

# Dependency layer: only the dependency list is copied, so editing app/, fixtures/ or the
# rest of pyproject.toml reuses it; the build requirements are in it too, so that installing
# the project below needs no network.
COPY --from=requirements /tmp/requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

# The project itself: no dependency resolution, no build isolation (all installed above).
COPY . ./
RUN pip install --no-cache-dir --no-deps --no-build-isolation . \
 && rm -rf build ./*.egg-info

USER 10001:10001

# Shipped fixtures are the default; mount a directory over /app/fixtures to use your own
# (changes are picked up by hot reload). Files and batches live in /data: mount a volume
# there to keep them. The admin surface answers loopback names and `sandbox`, the usual
# service name (compose, CI service containers).
ENV SANDBOX_HOST=0.0.0.0 \
    SANDBOX_PORT=8080 \
    SANDBOX_FIXTURES=/app/fixtures \
    SANDBOX_DATA_DIR=/data \
    SANDBOX_GRACEFUL_TIMEOUT=5 \
    SANDBOX_ADMIN_HOSTS=sandbox
EXPOSE 8080

HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('SANDBOX_PORT', '8080'), timeout=2)"]

# Exec form: python (uvicorn) is PID 1 and receives SIGTERM directly; it stops accepting
# connections and finishes in-flight requests for up to SANDBOX_GRACEFUL_TIMEOUT seconds.
STOPSIGNAL SIGTERM
ENTRYPOINT ["python3", "-m", "messages_sandbox"]
CMD ["serve"]
