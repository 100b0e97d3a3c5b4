"""pytest plugin: ``anthropic_sandbox``, a sandbox session of its own for every test.

Installing messages-sandbox registers it (entry point ``pytest11``); nothing starts unless a
test asks for the fixture::

    def test_summary(anthropic_sandbox):
        anthropic_sandbox.add_rules([{"id": "sum", "reply": {"text": "Short."}}])
        assert my_app.summarize("long text") == "Short."   # builds anthropic.Anthropic()
        [call] = anthropic_sandbox.requests(path="/v1/messages")
        assert call["body"]["model"] == "claude-sonnet-4-6"

The first test that uses it starts one sandbox for the pytest process (``python -m
messages_sandbox serve`` on a free loopback port, ``--sandbox-fixtures DIR`` or the ini option
``sandbox_fixtures``, default the shipped examples), or uses a running one (``--sandbox-url``
or ``SANDBOX_URL``, e.g. a compose service). Each test gets a fresh session: for its
duration ``ANTHROPIC_BASE_URL`` is ``<sandbox>/session/<name>`` and ``ANTHROPIC_API_KEY`` is
set, so an app that builds its client from the environment (sync or async SDK) talks to its
own session, and parallel workers (pytest-xdist) never see each other's rules, script steps
or journal. The session is reset when the test ends. A failing test's report shows what it
sent (a section listing its journal entries).

Only the standard library is used here (``urllib``): the plugin adds no dependency to the
projects that install it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

DEFAULT_API_KEY = "sk-ant-sandbox-test"
START_TIMEOUT = 60.0
_SESSION_KEY = pytest.StashKey["SandboxSession"]()
_UNSAFE = re.compile(r"[^A-Za-z0-9._~:@+=-]+")


class SandboxError(Exception):
    """The sandbox refused an admin call; the message is its explanation."""


class SandboxServer:
    """One sandbox for this pytest process: started here, or a running one."""

    def __init__(self, url: str, api_key: str, process: subprocess.Popen[bytes] | None = None):
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.process = process
        self.admin_token = os.environ.get("SANDBOX_ADMIN_TOKEN") or None

    @classmethod
    def start(cls, fixtures: Path | None, log_dir: Path, api_key: str) -> SandboxServer:
        last = ""
        for _ in range(3):  # a port taken between choosing it and binding it: another one
            port = _free_port()
            log = log_dir / f"sandbox-{port}.log"
            env = {
                **os.environ,
                "SANDBOX_HOST": "127.0.0.1",
                "SANDBOX_PORT": str(port),
                "SANDBOX_LOG_LEVEL": os.environ.get("SANDBOX_LOG_LEVEL", "warning"),
            }
            if fixtures is not None:
                env["SANDBOX_FIXTURES"] = str(fixtures)
            with log.open("wb") as out:
                process = subprocess.Popen(
                    [sys.executable, "-m", "messages_sandbox", "serve"],
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            server = cls(f"http://127.0.0.1:{port}", api_key, process)
            if server._wait_healthy():
                return server
            server.stop()
            last = log.read_text(errors="replace")[-4000:]
        raise RuntimeError(f"the sandbox did not start (log: {log_dir}):\n{last}")

    def _wait_healthy(self) -> bool:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=1) as response:
                    if response.status == 200:
                        return True
            except OSError:
                pass
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def call(
        self,
        method: str,
        path: str,
        query: Mapping[str, Any] | None = None,
        body: bytes | None = None,
        content_type: str = "application/json",
    ) -> Any:
        """An admin call; its JSON answer, or ``SandboxError`` with the sandbox's message."""
        __tracebackhide__ = True  # a failing test's report shows its own line, not ours
        url = self.url + path
        if query:
            url += "?" + urllib.parse.urlencode({k: _text(v) for k, v in query.items()})
        headers = {"content-type": content_type} if body is not None else {}
        if self.admin_token:
            headers["x-sandbox-admin-token"] = self.admin_token
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            try:
                message = json.loads(raw)["error"]["message"]
            except (ValueError, KeyError, TypeError):
                message = raw.decode(errors="replace")
            raise SandboxError(f"{method} {path}: {exc.code}: {message}") from None


class SandboxSession:
    """One test's session. Everything it reads and changes is this session's alone."""

    def __init__(self, server: SandboxServer, name: str) -> None:
        self.server = server
        self.name = name

    @property
    def url(self) -> str:
        """The sandbox itself (no session prefix)."""
        return self.server.url

    @property
    def base_url(self) -> str:
        """What ``ANTHROPIC_BASE_URL`` is set to: the sandbox with this session's prefix."""
        return f"{self.server.url}/session/{self.name}"

    @property
    def api_key(self) -> str:
        return self.server.api_key

    def add_rules(self, rules: Sequence[Mapping[str, Any]] | Mapping[str, Any] | str) -> list[str]:
        """Add rules for this test only (tried before the fixture files'): a list of rule dicts,
        a ``{"rules": [...]}`` document, or the same as YAML text. Returns the ids added; a bad
        rule raises ``SandboxError`` naming its key path, and then none is added."""
        __tracebackhide__ = True
        if isinstance(rules, str):
            body, media = rules.encode(), "application/yaml"
        else:
            doc = dict(rules) if isinstance(rules, Mapping) else {"rules": list(rules)}
            body, media = json.dumps(doc).encode(), "application/json"
        answer = self._call("POST", "/_sandbox/rules", body=body, content_type=media)
        return list(answer["added"])

    def remove_rule(self, rule_id: str) -> None:
        __tracebackhide__ = True
        self._call("DELETE", f"/_sandbox/rules/{urllib.parse.quote(rule_id, safe='')}")

    def requests(self, **filters: Any) -> list[dict[str, Any]]:
        """This test's journal entries, oldest first (the dicts ``GET /_sandbox/requests``
        gives). Filters: ``path`` (exact, or a prefix ending in ``*``), ``rule`` (``"none"``:
        the requests no rule answered, with their ``near_misses``), ``status`` (``404`` or
        ``"4xx"``), ``limit``."""
        __tracebackhide__ = True
        answer = self._call("GET", "/_sandbox/requests", query=filters)
        return list(reversed(answer["data"]))

    def rules(self, unused: bool = False) -> list[dict[str, Any]]:
        """Every rule this test's requests try, with its hits in this session."""
        __tracebackhide__ = True
        query = {"unused": "true"} if unused else {}
        return list(self._call("GET", "/_sandbox/rules", query=query)["data"])

    def configure(self, *, strict: bool | None) -> None:
        """Session settings: ``strict=True`` makes an unmatched request a 400 naming the
        closest rules (None: the server's mode)."""
        __tracebackhide__ = True
        body = json.dumps({"strict": strict}).encode()
        self.server.call("POST", f"/_sandbox/sessions/{self.name}", body=body)

    def reset(self) -> None:
        """Forget this session: its journal entries, script steps, hits, rules, settings."""
        self._call("POST", "/_sandbox/reset")

    def report(self) -> str:
        """What this session sent, one entry per request, for a failing test's report."""
        entries = self.requests()
        if not entries:
            return f"no request reached session {self.name!r} ({self.base_url})"
        lines = [f"{len(entries)} request(s) in session {self.name!r}, oldest first:"]
        for n, entry in enumerate(entries, 1):
            lines.append(f"{n}. {_summary(entry)}")
        return "\n".join(lines)

    def _call(self, method: str, path: str, **kw: Any) -> Any:
        __tracebackhide__ = True
        query = {**kw.pop("query", {}), "session": self.name}
        return self.server.call(method, path, query=query, **kw)

    def __repr__(self) -> str:
        return f"<anthropic_sandbox session={self.name!r} base_url={self.base_url!r}>"


def _summary(entry: Mapping[str, Any]) -> str:
    status = entry.get("status")
    head = f"{entry.get('method')} {entry.get('path')} -> {status}"
    if entry.get("rule"):
        step = f" step {entry['step']}" if entry.get("step") else ""
        head += f", rule {entry['rule']!r}{step}"
    elif entry.get("path") == "/v1/messages" and status == 200:
        head += ", no rule matched (default reply)"
    out = [head]
    error = entry.get("error")
    if error:
        out.append(f"   error {error.get('type')}: {error.get('message')}")
    body = entry.get("body")
    if isinstance(body, dict):
        shown = {k: body[k] for k in ("model", "system", "tools", "stream") if k in body}
        if "tools" in shown:
            shown["tools"] = [t.get("name") for t in shown["tools"] if isinstance(t, dict)]
        messages = body.get("messages")
        if isinstance(messages, list) and messages:
            shown["messages"] = f"{len(messages)}, last: {_clip(messages[-1])}"
        out.append("   " + ", ".join(f"{k}={_clip(v)}" for k, v in shown.items()))
    for miss in entry.get("near_misses") or ():
        out.append(f"   near miss {miss['rule']!r} ({miss['where']}): {'; '.join(miss['failed'])}")
    return "\n".join(out)


def _clip(value: Any, width: int = 160) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def session_name(nodeid: str) -> str:
    """A readable, unique session name for a test (what the journal and logs show)."""
    readable = _UNSAFE.sub("-", nodeid.rsplit("::", 1)[-1]).strip("-")[:100] or "test"
    return f"{readable}-{uuid.uuid4().hex[:10]}"


# -- pytest hooks and fixtures ------------------------------------------------------------
def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("messages-sandbox", "Anthropic Messages API sandbox")
    group.addoption(
        "--sandbox-url",
        default=None,
        help="use a running sandbox (default: $SANDBOX_URL, else start one per process)",
    )
    group.addoption(
        "--sandbox-fixtures",
        default=None,
        help="fixtures directory of the sandbox started for the tests (ini: sandbox_fixtures)",
    )
    group.addoption(
        "--sandbox-api-key",
        default=None,
        help="API key the tests' apps send (default: the first of $SANDBOX_API_KEYS, or any)",
    )
    parser.addini("sandbox_fixtures", "fixtures directory of the sandbox started for the tests")


@pytest.fixture(scope="session")
def anthropic_sandbox_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SandboxServer]:
    """The sandbox of this pytest process (started on first use, stopped at the end)."""
    config = request.config
    keys = [k.strip() for k in os.environ.get("SANDBOX_API_KEYS", "").split(",") if k.strip()]
    api_key = config.getoption("sandbox_api_key") or (keys[0] if keys else DEFAULT_API_KEY)
    url = config.getoption("sandbox_url") or os.environ.get("SANDBOX_URL")
    if url:
        yield SandboxServer(url, api_key)
        return
    fixtures = config.getoption("sandbox_fixtures") or config.getini("sandbox_fixtures") or None
    if fixtures:
        fixtures = Path(fixtures)
        if not fixtures.is_absolute():
            fixtures = config.rootpath / fixtures
    server = SandboxServer.start(fixtures, tmp_path_factory.mktemp("anthropic-sandbox"), api_key)
    yield server
    server.stop()


@pytest.fixture
def anthropic_sandbox(
    anthropic_sandbox_server: SandboxServer,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[SandboxSession]:
    """A fresh sandbox session for this test; ``ANTHROPIC_BASE_URL`` and
    ``ANTHROPIC_API_KEY`` point at it while the test runs."""
    session = SandboxSession(anthropic_sandbox_server, session_name(request.node.nodeid))
    monkeypatch.setenv("ANTHROPIC_BASE_URL", session.base_url)
    monkeypatch.setenv("ANTHROPIC_API_KEY", session.api_key)
    # A real token in the environment must not ride along to the sandbox.
    monkeypatch.delenv("ANTHROPIC_AUTH_TOKEN", raising=False)
    request.node.stash[_SESSION_KEY] = session
    yield session
    with contextlib.suppress(SandboxError, OSError):  # the sandbox went away: nothing to clean
        session.reset()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call" and report.failed:
        session = item.stash.get(_SESSION_KEY, None)
        if session is not None:
            try:
                text = session.report()
            except (SandboxError, OSError) as exc:
                text = f"(could not read the journal: {exc})"
            report.sections.append(("anthropic_sandbox: what this test sent", text))
    return report
