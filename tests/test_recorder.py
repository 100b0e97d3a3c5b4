"""Record once, replay offline: ``record`` and ``serve --record-on-miss`` against a second
sandbox process standing in for the real API (there is no internet here).

The upstream signs thinking blocks with its own key, as the real API would, so a replay
that accepts them sent back proves recorded signatures are trusted, not merely ours.
Every process here is real: the upstream and the replay are ``serve``, the recorder is
``record``; the app is the official SDK.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import anthropic
import httpx
import orjson
import pytest
import uvicorn
import yaml
from conftest import API_KEY, ROOT, Harness, Server, free_port, start_server

from messages_sandbox.headers import Caller
from messages_sandbox.recorder.proxy import recording_proxy
from messages_sandbox.sandbox import Sandbox
from messages_sandbox.settings import Settings

MODEL = "claude-sonnet-4-5"
WEATHER_TOOL = {
    "name": "get_weather",
    "description": "Current weather for a city",
    "input_schema": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    },
}
UPSTREAM_RULES = """
rules:
  - id: flaky
    match: {last_user_text: "Flaky: succeed on the retry"}
    script:
      advance: session
      steps:
        - error: {type: overloaded_error, headers: {retry-after-ms: 20, x-should-retry: true}}
        - reply: {text: "Succeeded after a 529."}
  - id: thinker
    match: {last_user_text: "Think it over"}
    reply:
      content:
        - {type: thinking, thinking: "Weigh both options before answering."}
        - type: text
          text: |-
            Option B, on balance.
            Braces stay braces: {{ '{{' }} not a template }}
  - id: dropped
    match: {last_user_text: "Drop the line"}
    stream: {drop_after_events: 4}
    reply: {text: "This answer never arrives whole."}
  - id: errored
    match: {last_user_text: "Fail mid-stream"}
    stream: {error_after_events: 4}
    reply: {text: "This answer ends in an error event."}
  - id: paced
    match: {last_user_text: "Stream slowly"}
    stream: {first_token_ms: 150, tokens_per_second: 300}
    reply: {text: "One two three four five six seven eight nine ten eleven twelve thirteen."}
"""


def _user(text: str) -> list[dict[str, Any]]:
    return [{"role": "user", "content": text}]


def start_process(tmp: Path, args: list[str], *, wait_path: str = "/health", **env: str) -> Server:
    """``python -m messages_sandbox <args>`` on a free port, up once ``wait_path`` answers."""
    port = free_port()
    log_path = tmp / f"process-{port}.log"
    environ = {**os.environ, "SANDBOX_LOG_LEVEL": "info", **env}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "messages_sandbox", *args, "--port", str(port)],
            cwd=ROOT,
            env=environ,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log_path)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}:\n{server.log()}")
        try:
            httpx.get(server.base_url + wait_path, timeout=1)
            return server
        except httpx.TransportError:
            time.sleep(0.05)
    server.stop()
    raise RuntimeError(f"did not start:\n{server.log()}")


def start_upstream(tmp: Path) -> Server:
    rules = tmp / "upstream-fixtures"
    rules.mkdir()
    (rules / "rules.yaml").write_text(UPSTREAM_RULES, encoding="utf-8")
    return start_server(tmp, rules, SANDBOX_SIGNING_KEY="the-upstream-own-key")


@pytest.fixture
def upstream(tmp_path: Path) -> Iterator[Server]:
    """An upstream of this test's own (it may stop it)."""
    server = start_upstream(tmp_path)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def shared_upstream(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = start_upstream(tmp_path_factory.mktemp("upstream"))
    yield server
    server.stop()


@pytest.fixture
def fresh_upstream(shared_upstream: Server) -> Server:
    """The module's upstream with an empty journal and every script at its first step."""
    with shared_upstream.http() as http:
        http.post("/_sandbox/reset").raise_for_status()
    return shared_upstream


class InProcess:
    """The ``record`` app served by uvicorn in a thread, on a free port."""

    def __init__(self, upstream: str, out: Path) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        settings = Settings(upstream=upstream, record_dir=out, log_level="warning")
        config = uvicorn.Config(
            recording_proxy(settings),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            date_header=False,
            server_header=False,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.01)

    def client(self) -> anthropic.Anthropic:
        return anthropic.Anthropic(base_url=self.base_url, api_key=API_KEY, max_retries=0)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def in_process(tmp_path: Path) -> Iterator[Callable[[str], InProcess]]:
    started: list[InProcess] = []

    def start(upstream: str) -> InProcess:
        started.append(InProcess(upstream, tmp_path / "out"))
        return started[-1]

    yield start
    for recorder in started:
        recorder.stop()


@pytest.fixture
def processes() -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for server in started:
        server.stop()


def record(tmp: Path, started: list[Server], upstream: str, out: Path, *extra: str) -> Server:
    server = start_process(tmp, ["record", "--upstream", upstream, "--out", str(out), *extra])
    started.append(server)
    return server


def upstream_calls(upstream: Server) -> list[dict[str, Any]]:
    with upstream.http() as http:
        return http.get("/_sandbox/requests", params={"path": "/v1/messages"}).json()["data"]


def without_id(message: anthropic.types.Message) -> dict[str, Any]:
    return {k: v for k, v in message.model_dump().items() if k != "id"}


def conversation(client: anthropic.Anthropic) -> dict[str, Any]:
    """What the app does: a text answer, a stream, a tool loop, thinking sent back on the
    next turn, a 529 retried. Returns each answer the app received."""
    got: dict[str, Any] = {}
    got["text"] = client.messages.create(
        model=MODEL, max_tokens=200, messages=_user(f"Hello! My key is {API_KEY}, keep it.")
    )
    with client.messages.stream(
        model=MODEL, max_tokens=200, messages=_user("Stream slowly")
    ) as stream:
        got["stream"] = stream.get_final_message()
    ask = _user("What's the weather in Paris?")
    call = client.messages.create(
        model=MODEL, max_tokens=200, tools=[WEATHER_TOOL], tool_choice={"type": "any"}, messages=ask
    )
    [tool_use] = [b for b in call.content if b.type == "tool_use"]
    result = [{"type": "tool_result", "tool_use_id": tool_use.id, "content": "18°C, sunny"}]
    got["tool_use"] = call
    got["tool_answer"] = client.messages.create(
        model=MODEL,
        max_tokens=200,
        tools=[WEATHER_TOOL],
        messages=[
            *ask,
            {"role": "assistant", "content": call.content},
            {"role": "user", "content": result},
        ],
    )
    thinking = {"type": "enabled", "budget_tokens": 1024}
    first = client.messages.create(
        model=MODEL, max_tokens=2048, thinking=thinking, messages=_user("Think it over")
    )
    got["thinking"] = first
    got["thinking_next"] = client.messages.create(
        model=MODEL,
        max_tokens=2048,
        thinking=thinking,
        messages=[
            *_user("Think it over"),
            {"role": "assistant", "content": first.content},
            *_user("Why?"),
        ],
    )
    got["retried"] = client.with_options(max_retries=2).messages.create(
        model=MODEL, max_tokens=100, messages=_user("Flaky: succeed on the retry")
    )
    return got


def test_recorded_conversation_replays_in_strict_mode_with_the_upstream_gone(
    upstream: Server, processes: list[Server], tmp_path: Path
) -> None:
    out = tmp_path / "recorded"
    recorder = record(tmp_path, processes, upstream.base_url, out)
    with recorder.client() as client:
        recorded = conversation(client)
    assert recorded["retried"].content[0].text == "Succeeded after a 529."
    assert [c["status"] for c in upstream_calls(upstream)][:2] == [200, 529]  # newest first
    recorder.stop()
    upstream.stop()

    # A readable, valid fixtures dir holding no secret.
    [file] = list(out.iterdir())
    text = file.read_text(encoding="utf-8")
    for path in out.rglob("*"):
        assert API_KEY not in path.read_text(encoding="utf-8")
    assert "<redacted>" in text and "# recorded " in text
    check = subprocess.run(
        [sys.executable, "-m", "messages_sandbox", "validate", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    rules = {r["id"].rsplit("-", 2)[0]: r for r in yaml.safe_load(text)["rules"]}
    assert rules["stream-slowly"]["stream"]["first_token_ms"] >= 150
    # The upstream paces at 300 tokens/s. A loaded machine delivers chunks bunched, so the rate
    # measured on arrival can overshoot it (306 seen at -n 4): the order of magnitude is checked.
    assert 0 < rules["stream-slowly"]["stream"]["tokens_per_second"] <= 3000
    steps = rules["flaky-succeed-on-the-retry"]["script"]["steps"]
    assert steps[0]["error"] == {
        "type": "overloaded_error",
        "status": 529,
        "message": "Overloaded",
        "headers": {"retry-after-ms": "20", "x-should-retry": "true"},
    }

    replay = start_server(tmp_path, out, SANDBOX_STRICT="1")
    processes.append(replay)
    with replay.client() as client:
        # The first try meets the recorded 529 again.
        with pytest.raises(anthropic.InternalServerError) as overloaded:
            client.messages.create(
                model=MODEL, max_tokens=100, messages=_user("Flaky: succeed on the retry")
            )
        assert overloaded.value.status_code == 529
        with replay.http() as http:
            http.post("/_sandbox/reset")
        replayed = conversation(client)
    for name, message in recorded.items():
        # Equal to what the upstream sent, but for the message id and the key it echoed.
        sent = json.loads(json.dumps(without_id(message)).replace(API_KEY, "<redacted>"))
        assert without_id(replayed[name]) == sent, name


def test_record_on_miss_forwards_only_the_miss_and_serves_it_next_time(
    fresh_upstream: Server, processes: list[Server], tmp_path: Path
) -> None:
    upstream = fresh_upstream
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    (fixtures / "mine.yaml").write_text(
        "rules:\n  - id: mine\n    match: {last_user_text: Known}\n    reply: {text: Local.}\n"
    )
    sandbox = start_server(
        tmp_path,
        fixtures,
        SANDBOX_STRICT="1",
        SANDBOX_RECORD_ON_MISS="1",
        SANDBOX_UPSTREAM=upstream.base_url,
        SANDBOX_RECORD_DIR=str(fixtures / "recorded"),
    )
    processes.append(sandbox)
    with sandbox.client() as client:
        local = client.messages.with_raw_response.create(
            model=MODEL, max_tokens=64, messages=_user("Known")
        )
        assert local.parse().content[0].text == "Local."
        assert upstream_calls(upstream) == []

        thinking = {"type": "enabled", "budget_tokens": 1024}
        miss = client.messages.with_raw_response.create(
            model=MODEL, max_tokens=2048, thinking=thinking, messages=_user("Think it over")
        )
        [forwarded] = upstream_calls(upstream)
        assert miss.headers["x-sandbox-upstream-request-id"] == forwarded["id"]
        assert miss.headers["request-id"] != forwarded["id"]
        first = miss.parse()
        assert first.content[0].type == "thinking"

        again = client.messages.with_raw_response.create(
            model=MODEL, max_tokens=2048, thinking=thinking, messages=_user("Think it over")
        )
        assert len(upstream_calls(upstream)) == 1  # answered locally
        assert again.headers["x-sandbox-rule"].startswith("think-it-over-")
        assert without_id(again.parse()) == without_id(first)

        # The upstream's signature, sent back, passes strict validation (then it is a miss).
        client.messages.create(
            model=MODEL,
            max_tokens=2048,
            thinking=thinking,
            messages=[
                *_user("Think it over"),
                {"role": "assistant", "content": first.content},
                *_user("Why?"),
            ],
        )
        assert len(upstream_calls(upstream)) == 2

    with sandbox.http() as http:
        entry = http.get(f"/_sandbox/requests/{miss.headers['request-id']}").json()
    assert entry["response"] == miss.http_response.json()
    [file] = (fixtures / "recorded").glob("*.yaml")
    assert "Think it over" in file.read_text(encoding="utf-8")


def test_unreachable_upstream_is_a_502_envelope_and_writes_nothing(
    in_process: Callable[[str], InProcess], tmp_path: Path
) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    recorder = in_process(dead)
    with recorder.client() as client, pytest.raises(anthropic.InternalServerError) as caught:
        client.messages.create(model=MODEL, max_tokens=16, messages=_user("hello"))
    assert caught.value.status_code == 502
    assert caught.value.body["error"]["type"] == "api_error"
    assert dead in caught.value.body["error"]["message"]
    assert caught.value.request_id and caught.value.body["request_id"] == caught.value.request_id
    assert list((tmp_path / "out").iterdir()) == []


def test_client_gone_mid_stream_records_nothing(
    fresh_upstream: Server, in_process: Callable[[str], InProcess], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    recorder = in_process(fresh_upstream.base_url)
    body = {"model": MODEL, "max_tokens": 100, "stream": True, "messages": _user("Stream slowly")}
    headers = {"x-api-key": API_KEY, "anthropic-version": "2023-06-01"}
    with (
        httpx.Client(base_url=recorder.base_url, timeout=10) as http,
        http.stream("POST", "/v1/messages", json=body, headers=headers) as response,
    ):
        assert next(response.iter_bytes()).startswith(b"event: message_start")
    time.sleep(0.6)  # longer than the stream would have taken
    assert list(out.iterdir()) == []
    with recorder.client() as client:
        client.messages.create(model=MODEL, max_tokens=16, messages=_user("still recording"))
    [file] = out.iterdir()
    assert [r["match"]["last_user_text"] for r in yaml.safe_load(file.read_text())["rules"]] == [
        "still recording"
    ]


def test_upstream_failing_mid_stream_is_passed_on_and_not_recorded(
    fresh_upstream: Server,
    in_process: Callable[[str], InProcess],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    out = tmp_path / "out"
    recorder = in_process(fresh_upstream.base_url)
    with recorder.client() as client:
        with (
            pytest.raises(anthropic.APIStatusError) as dropped,
            client.messages.stream(
                model=MODEL, max_tokens=100, messages=_user("Drop the line")
            ) as stream,
        ):
            stream.until_done()
        assert dropped.value.body["error"]["type"] == "api_error"
        assert "lost mid-stream" in dropped.value.body["error"]["message"]
        with (
            pytest.raises(anthropic.APIStatusError) as errored,
            client.messages.stream(
                model=MODEL, max_tokens=100, messages=_user("Fail mid-stream")
            ) as stream,
        ):
            stream.until_done()
        assert errored.value.body["error"]["type"] == "overloaded_error"  # the upstream's own
    assert list(out.iterdir()) == []
    # The recorder logs once the upstream side of the exchange is closed, which may be just
    # after the client has read the error event. The second exchange ends one of two ways,
    # both recording nothing: the upstream's stream ends and is refused ("not recorded"), or
    # the SDK, done at the error event, closes the connection first ("client went away").
    deadline = time.monotonic() + 10
    while not (
        "upstream failed mid-answer" in caplog.text
        and ("stream not recorded" in caplog.text or "client went away" in caplog.text)
    ):
        assert time.monotonic() < deadline, caplog.text
        time.sleep(0.02)


def test_companion_endpoints_pass_through_unrecorded(
    fresh_upstream: Server, in_process: Callable[[str], InProcess], tmp_path: Path
) -> None:
    recorder = in_process(fresh_upstream.base_url)
    with recorder.client() as client, fresh_upstream.client() as direct:
        uploaded = client.beta.files.upload(file=("notes.txt", b"hello " * 1000, "text/plain"))
        assert direct.beta.files.retrieve_metadata(uploaded.id) == uploaded
        counted = client.messages.count_tokens(model=MODEL, messages=_user("How many?"))
        assert counted == direct.messages.count_tokens(model=MODEL, messages=_user("How many?"))
        models = client.models.list()
        assert models.data == direct.models.list().data
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["record", "--out", "{file}/below"], "cannot write recordings to"),
        (["record"], "record needs --out"),
        (["record", "--out", "{tmp}/o", "--redact", "(unclosed"], "--redact '(unclosed'"),
    ],
)
def test_bad_recording_setup_is_refused_at_start(
    args: list[str], said: str, tmp_path: Path
) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    argv = [a.format(file=a_file, tmp=tmp_path) for a in args]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}
    done = subprocess.run(
        [sys.executable, "-m", "messages_sandbox", *argv, "--port", str(free_port())],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert said in done.stderr
    assert "Traceback" not in done.stderr


def test_journal_entry_becomes_a_rule_that_replays_it(sandbox: Harness, tmp_path: Path) -> None:
    tools = [WEATHER_TOOL]
    server = sandbox  # the journal and its fixture export, in process
    with server.client() as client:
        raw = client.messages.with_raw_response.create(
            model=MODEL,
            max_tokens=200,
            tools=tools,
            tool_choice={"type": "any"},
            messages=_user("Weather in Lisbon, for the journal fixture test"),
        )
    rid = raw.headers["request-id"]
    with server.http() as http:
        entry = http.get(f"/_sandbox/requests/{rid}").json()
        fixture = http.get(f"/_sandbox/requests/{rid}/fixture")
        models = http.get("/v1/models", headers={"x-api-key": API_KEY})
        not_messages = http.get(f"/_sandbox/requests/{models.headers['request-id']}/fixture")
        unknown = http.get("/_sandbox/requests/req_nope/fixture")
    assert entry["response"] == raw.http_response.json()  # what the app received
    assert fixture.status_code == 200
    assert fixture.headers["content-type"].startswith("application/yaml")
    assert not_messages.status_code == 400
    assert "Only POST /v1/messages" in not_messages.json()["error"]["message"]
    assert unknown.status_code == 404

    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    (fixtures / "from-journal.yaml").write_text(fixture.text, encoding="utf-8")
    replay = Sandbox(Settings(fixtures=fixtures, strict=True, data_dir=tmp_path / "data"))
    request = orjson.dumps(entry["body"])
    caller = Caller("req_replay", API_KEY, "2023-06-01", headers={})
    again = replay.pipeline.messages(caller, request).message
    assert {**again, "id": "_"} == {**raw.http_response.json(), "id": "_"}
