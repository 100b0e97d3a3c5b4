"""Test servers: real uvicorn processes on free ports, driven over real HTTP.

``server`` is one shared sandbox per test session (shipped fixtures, lenient mode).
``make_server(**env)`` starts a dedicated one with its own settings or fixtures dir; it is
stopped at the end of the test that asked for it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from hypothesis import settings

# CI replays the same examples every run (a failure there is reproducible, never a fluke);
# locally hypothesis keeps exploring new ones.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
CAPTURES = Path(os.environ.get("CAPTURES_DIR") or ROOT.parent / "shared" / "captures")
"""Requests recorded from real clients (Claude Code, the SDKs, LangChain): the team keeps
them beside the checkout in ``../shared/captures``; ``CAPTURES_DIR`` names another place."""
NO_CAPTURES = (
    f"no recorded client requests at {CAPTURES} (../shared/captures beside the checkout, "
    "or set CAPTURES_DIR): see README, Testing"
)


def capture_files() -> list[Path]:
    return sorted(CAPTURES.glob("*.json")) if CAPTURES.is_dir() else []


def capture_params() -> list:
    """One parameter per capture file, or one skipped parameter saying where they are looked
    for (rather than pytest's bare "got empty parameter set")."""
    found = capture_files()
    if found:
        return [pytest.param(path, id=path.stem) for path in found]
    return [pytest.param(None, id="no-captures", marks=pytest.mark.skip(reason=NO_CAPTURES))]


API_KEY = "sk-ant-test-key"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    base_url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def client(self, **kwargs: object):  # -> anthropic.Anthropic
        import anthropic

        kwargs.setdefault("max_retries", 0)
        return anthropic.Anthropic(base_url=self.base_url, api_key=API_KEY, **kwargs)

    def http(self) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=30)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(tmp_dir: Path, fixtures: Path = FIXTURES, **env: str) -> Server:
    port = free_port()
    log_path = tmp_dir / f"server-{port}.log"
    environ = {
        **os.environ,
        "SANDBOX_HOST": "127.0.0.1",
        "SANDBOX_PORT": str(port),
        "SANDBOX_FIXTURES": str(fixtures),
        "SANDBOX_DATA_DIR": str(tmp_dir / f"data-{port}"),
        "SANDBOX_LOG_LEVEL": "info",
        **env,
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "messages_sandbox", "serve"],
            cwd=ROOT,
            env=environ,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log_path)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"sandbox exited with {process.returncode}:\n{server.log()}")
        try:
            if httpx.get(server.base_url + "/health", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    server.stop()
    raise RuntimeError(f"sandbox did not start:\n{server.log()}")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = start_server(tmp_path_factory.mktemp("server"))
    yield srv
    srv.stop()


@pytest.fixture
def make_server(tmp_path: Path) -> Iterator:
    started: list[Server] = []

    def make(fixtures: Path = FIXTURES, **env: str) -> Server:
        srv = start_server(tmp_path, fixtures, **env)
        started.append(srv)
        return srv

    yield make
    for srv in started:
        srv.stop()


@pytest.fixture
def client(server: Server) -> Iterator:
    with server.client() as c:
        yield c


HEADERS = {
    "x-api-key": API_KEY,
    "anthropic-version": "2023-06-01",
    "content-type": "application/json",
}


@pytest.fixture
def http(server: Server) -> Iterator[httpx.Client]:
    with server.http() as c:
        yield c
