"""Two ways to reach a sandbox, one interface (``Harness``):

* in process (``InProcess``): the app built by ``create_app`` runs on its own event loop in
  this process and the official SDK reaches it through an httpx transport, no socket
  (``tests/inprocess.py``). Almost every test uses this: it is what a client sees, minus the
  wire, at a fraction of the cost of a server process.
* a real server (``Server``): ``python -m messages_sandbox serve`` in a subprocess (it binds
  port 0 and says where), driven over real HTTP. Kept for what the wire decides: SSE bytes
  and timing, disconnects, a body refused while it streams in, CORS, browsers, containers,
  hot reload with a real file watcher, start-up refusals.

Fixtures: ``sandbox`` (in process) and ``server`` (real) are one shared instance per test
session (shipped fixtures); ``client`` / ``http`` are the SDK and a raw httpx client on
``sandbox``. ``make_sandbox(fixtures, **env)`` / ``make_server(fixtures, **env)`` give a test
its own, with ``SANDBOX_*`` settings as a server's environment would; ``start_sandbox`` /
``start_server`` do the same for module fixtures. ``server`` and ``shared_server(**env)`` (one
real server per distinct setting) are started once per run and shared by all xdist workers.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import itertools
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import anthropic
import httpx
import httpx2
import pytest
from hypothesis import settings
from inprocess import AppThread, async_transport, sync_transport

# CI replays the same examples every run (a failure there is reproducible, never a fluke);
# locally hypothesis keeps exploring new ones.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"


def _beside_the_checkout() -> Path:
    """``shared/captures`` beside the checkout, or beside the folder holding it (a worktree)."""
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "captures").is_dir():
            return base / "shared" / "captures"
    return ROOT.parent / "shared" / "captures"


CAPTURES = Path(os.environ.get("CAPTURES_DIR") or _beside_the_checkout())
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
HEADERS = {
    "x-api-key": API_KEY,
    "anthropic-version": "2023-06-01",
    "content-type": "application/json",
}

START_DEADLINE = float(os.environ.get("SANDBOX_TEST_START_DEADLINE", "180"))
"""Seconds a server process may take to start. Generous: on a loaded machine an import can
take many seconds, and a process that dies is reported at once, not at the deadline."""


class Harness:
    """What a test needs from a sandbox, however it is reached."""

    base_url: str

    def http_client(self, **kwargs: Any) -> httpx2.Client:
        """A client for the SDK's ``http_client`` (kwargs: event hooks...); the SDK speaks
        ``httpx2``."""
        raise NotImplementedError

    def async_http_client(self, **kwargs: Any) -> httpx2.AsyncClient:
        raise NotImplementedError

    def client(self, **kwargs: Any) -> anthropic.Anthropic:
        """The official SDK, no retries unless asked for."""
        kwargs.setdefault("max_retries", 0)
        kwargs.setdefault("api_key", API_KEY)
        if "http_client" not in kwargs:
            kwargs["http_client"] = self.http_client()
        return anthropic.Anthropic(base_url=self.base_url, **kwargs)

    def async_client(self, **kwargs: Any) -> anthropic.AsyncAnthropic:
        kwargs.setdefault("max_retries", 0)
        kwargs.setdefault("api_key", API_KEY)
        if "http_client" not in kwargs:
            kwargs["http_client"] = self.async_http_client()
        return anthropic.AsyncAnthropic(base_url=self.base_url, **kwargs)

    def http(self) -> httpx.Client:
        """A raw client: bytes and headers exactly as the app wrote them."""
        raise NotImplementedError

    def log(self) -> str:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError


# -- in process ---------------------------------------------------------------------------------
class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


class InProcess(Harness):
    """``create_app(settings)`` on its own loop thread; clients reach it with no socket."""

    _ids = itertools.count(1)

    def __init__(self, settings: Any) -> None:
        from messages_sandbox.sandbox import Sandbox
        from messages_sandbox.web.app import create_app

        self.settings = settings
        number = next(self._ids)
        # A loopback name: the admin surface answers those only (a DNS-rebinding guard).
        self.base_url = f"http://sandbox-{number}.localhost"
        self._records = _Records()
        logging.getLogger().addHandler(self._records)
        try:
            self.sandbox = Sandbox(settings)
            self.app = create_app(settings, sandbox=self.sandbox)
            self.thread = AppThread(self.app, name=f"sandbox-{number}")
        except BaseException:
            logging.getLogger().removeHandler(self._records)
            raise

    def http_client(self, **kwargs: Any) -> httpx2.Client:
        kwargs.setdefault("timeout", 30)
        return httpx2.Client(transport=sync_transport(self.thread, httpx2), **kwargs)

    def async_http_client(self, **kwargs: Any) -> httpx2.AsyncClient:
        kwargs.setdefault("timeout", 30)
        return httpx2.AsyncClient(transport=async_transport(self.thread, httpx2), **kwargs)

    def http(self) -> httpx.Client:
        return httpx.Client(
            transport=sync_transport(self.thread), base_url=self.base_url, timeout=30
        )

    def log(self) -> str:
        """What the app logged (warnings and up) while this sandbox was alive."""
        return "\n".join(self._records.lines)

    def stop(self) -> None:
        self.thread.stop()
        logging.getLogger().removeHandler(self._records)
        # What the app's shutdown does (the in-process harness runs no lifespan): the
        # journal file is closed, or its finaliser warns in a later test.
        self.sandbox.close()


def sandbox_settings(tmp_dir: Path, fixtures: Path = FIXTURES, **env: str) -> Any:
    """Settings as a server started with the ``SANDBOX_*`` variables ``env`` reads them
    (same names, same string values, same validation); no file watcher unless asked for."""
    from messages_sandbox.settings import PREFIX, Settings

    environ = {
        "SANDBOX_FIXTURES": str(fixtures),
        "SANDBOX_DATA_DIR": str(tmp_dir / f"data-{next(_data_dirs)}"),
        "SANDBOX_RELOAD": "0",
        **env,
    }
    return Settings(**{name.removeprefix(PREFIX).lower(): value for name, value in environ.items()})


_data_dirs = itertools.count(1)


def start_sandbox(tmp_dir: Path, fixtures: Path = FIXTURES, **env: str) -> InProcess:
    return InProcess(sandbox_settings(tmp_dir, fixtures, **env))


# -- a real server ------------------------------------------------------------------------------
def free_port() -> int:
    """A port free now (another process may take it before it is bound: prefer port 0)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


_RUNNING = re.compile(r"Uvicorn running on (http://\S+)")

# Starts the server in a new session and exits: the server is nobody's child in the test
# process, so any process of the run can stop it (a shared server outlives its starter).
_DETACH = (
    "import subprocess, sys\n"
    "log = open(sys.argv[1], 'ab')\n"
    "child = subprocess.Popen(sys.argv[2:], stdout=log, stderr=subprocess.STDOUT,"
    " stdin=subprocess.DEVNULL, start_new_session=True)\n"
    "print(child.pid)\n"
)


class Server(Harness):
    """``python -m messages_sandbox serve`` in a subprocess: a child of this process
    (``process``), or a detached one known by its pid."""

    def __init__(
        self,
        base_url: str,
        process: subprocess.Popen[bytes] | None,
        log_path: Path,
        pid: int | None = None,
    ) -> None:
        self.base_url = base_url
        self.process = process
        self.log_path = log_path
        self.pid = process.pid if process is not None else pid
        assert self.pid is not None

    @classmethod
    def attach(cls, base_url: str, pid: int, log: str) -> Server:
        return cls(base_url, None, Path(log), pid)

    def where(self) -> dict[str, Any]:
        return {"base_url": self.base_url, "pid": self.pid, "log": str(self.log_path)}

    def http_client(self, **kwargs: Any) -> httpx2.Client:
        """The SDK's own default client (its limits, timeouts and redirects)."""
        return anthropic.DefaultHttpxClient(**kwargs)

    def async_http_client(self, **kwargs: Any) -> httpx2.AsyncClient:
        return anthropic.DefaultAsyncHttpxClient(**kwargs)

    def http(self) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=30)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def running(self) -> bool:
        if self.process is not None:
            return self.process.poll() is None
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        # Exited but not reaped (a container whose PID 1 reaps nothing): a zombie, not running.
        with contextlib.suppress(OSError):
            stat = Path(f"/proc/{self.pid}/stat").read_text()
            return stat.rsplit(")", 1)[1].split()[0] != "Z"
        return True

    def stop(self) -> None:
        if self.process is None:
            self._stop_detached()
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def _stop_detached(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        until = time.monotonic() + 10
        while self.running() and time.monotonic() < until:
            time.sleep(0.05)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)

    def wait_until_serving(self, deadline: float = START_DEADLINE) -> None:
        """Ready when uvicorn says where it listens (it binds port 0: no port can be taken by
        another test in between), which it says after the app's start-up completed."""
        until = time.monotonic() + deadline
        pause = 0.02
        while time.monotonic() < until:
            found = _RUNNING.search(self.log())
            if found:
                self.base_url = found.group(1)
                return
            if not self.running():
                raise RuntimeError(f"sandbox exited:\n{self.log()}")
            time.sleep(pause)
            pause = min(pause * 1.5, 0.25)
        self.stop()
        raise RuntimeError(f"sandbox did not start in {deadline:.0f} s:\n{self.log()}")


_logs = itertools.count(1)


def start_server(
    tmp_dir: Path, fixtures: Path = FIXTURES, *, detached: bool = False, **env: str
) -> Server:
    number = next(_logs)
    log_path = tmp_dir / f"server-{os.getpid()}-{number}.log"
    environ = {
        **os.environ,
        "SANDBOX_HOST": "127.0.0.1",
        "SANDBOX_PORT": "0",
        "SANDBOX_FIXTURES": str(fixtures),
        "SANDBOX_DATA_DIR": str(tmp_dir / f"data-{os.getpid()}-{number}"),
        "SANDBOX_LOG_LEVEL": "info",  # the start-up line with the port is at info
        **env,
    }
    command = [sys.executable, "-m", "messages_sandbox", "serve"]
    if detached:
        launched = subprocess.run(
            [sys.executable, "-c", _DETACH, str(log_path), *command],
            cwd=ROOT,
            env=environ,
            capture_output=True,
            text=True,
            check=True,
        )
        server = Server("", None, log_path, int(launched.stdout))
    else:
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command, cwd=ROOT, env=environ, stdout=log, stderr=subprocess.STDOUT
            )
        server = Server("", process, log_path)
    server.wait_until_serving()
    return server


# -- fixtures -----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcess]:
    """The shared in-process sandbox: shipped fixtures, lenient mode."""
    app = start_sandbox(tmp_path_factory.mktemp("sandbox"))
    yield app
    app.stop()


@pytest.fixture
def client(sandbox: InProcess) -> Iterator[anthropic.Anthropic]:
    with sandbox.client() as c:
        yield c


@pytest.fixture
def http(sandbox: InProcess) -> Iterator[httpx.Client]:
    with sandbox.http() as c:
        yield c


@pytest.fixture
def make_sandbox(tmp_path: Path) -> Iterator[Callable[..., InProcess]]:
    started: list[InProcess] = []

    def make(fixtures: Path = FIXTURES, **env: str) -> InProcess:
        app = start_sandbox(tmp_path, fixtures, **env)
        started.append(app)
        return app

    yield make
    for app in started:
        app.stop()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Server:
    """The shared real server: shipped fixtures, lenient mode (one per run, all workers)."""
    return _shared(tmp_path_factory)


@pytest.fixture
def make_server(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    started: list[Server] = []

    def make(fixtures: Path = FIXTURES, **env: str) -> Server:
        srv = start_server(tmp_path, fixtures, **env)
        started.append(srv)
        return srv

    yield make
    for srv in started:
        srv.stop()


@pytest.fixture(scope="session")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Server]:
    """A real server on the shipped fixtures per distinct ``env``, shared by every test (in
    every worker) asking for the same settings: such tests must not depend on its state."""
    return functools.partial(_shared, tmp_path_factory)


# -- real servers shared by the workers of a run --------------------------------------------------
def _run_dir(factory: pytest.TempPathFactory) -> Path:
    """The directory every xdist worker of this run shares (each has its own below it)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _shared(factory: pytest.TempPathFactory, **env: str) -> Server:
    """The first worker to ask starts the server and writes where it is; the others attach.
    The end of the run (``pytest_runtestloop`` in the controller) stops them all."""
    key = hashlib.sha256(json.dumps(sorted(env.items())).encode()).hexdigest()[:12]
    run = _run_dir(factory)
    found = run / f"shared-server-{key}.json"
    with (run / "shared-servers.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if found.exists():
            return Server.attach(**json.loads(found.read_text()))
        directory = run / f"shared-server-{key}"
        directory.mkdir()
        srv = start_server(directory, FIXTURES, detached=True, **env)
        found.write_text(json.dumps(srv.where()))
        return srv


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtestloop(session: pytest.Session) -> Iterator[object]:
    """Once every test of the run is done (in the controller, when every worker is), stop
    the shared servers. Innermost, so a coverage run has their data before it combines."""
    try:
        return (yield)
    finally:
        if not os.environ.get("PYTEST_XDIST_WORKER"):
            _stop_shared(session.config)


def _stop_shared(config: pytest.Config) -> None:
    # The session's tmp_path_factory (set by pytest's tmpdir plugin; no public accessor).
    factory = getattr(config, "_tmp_path_factory", None)
    if factory is None:
        return
    for found in sorted(factory.getbasetemp().glob("shared-server-*.json")):
        Server.attach(**json.loads(found.read_text())).stop()
        found.unlink()
