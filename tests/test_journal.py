"""The request journal and the ``/_sandbox/`` admin surface, driven like a CI job would.

The session sandbox (in process) is shared with other tests, so those tests find their own
entries by a unique ``x-sandbox-session``; what needs a known rule set (play counts, unused
rules, reset) runs on a dedicated sandbox with its own fixtures.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import anthropic
import httpx
import pytest
from conftest import API_KEY, HEADERS, Server, start_server

from messages_sandbox.journal.redaction import mask

MODEL = "claude-sonnet-4-6"

RULES = """
rules:
  - id: hello
    match:
      last_user_text: {contains: "hello"}
    reply:
      text: "Hello from the journal test!"
  - id: two-step
    match:
      last_user_text: {contains: "script"}
    script:
      advance: session
      after: stop
      steps:
        - reply: {text: "first"}
        - reply: {text: "second"}
  - id: never-asked
    match:
      last_user_text: {contains: "nobody says this"}
    reply:
      text: "unused"
"""


def session_client(client: anthropic.Anthropic) -> tuple[anthropic.Anthropic, str]:
    session = f"journal-{uuid.uuid4().hex[:12]}"
    return client.with_options(default_headers={"x-sandbox-session": session}), session


def entries(http: httpx.Client, **query: str) -> list[dict]:
    response = http.get("/_sandbox/requests", params=query)
    assert response.status_code == 200, response.text
    return response.json()["data"]


def of_session(http: httpx.Client, session: str) -> list[dict]:
    return entries(http, session=session)


def test_sdk_calls_are_recorded_with_bodies_rules_and_request_ids(client, http) -> None:
    sdk, session = session_client(client.with_options(max_retries=2))
    raw = sdk.messages.with_raw_response.create(
        model=MODEL,
        max_tokens=64,
        messages=[{"role": "user", "content": "Retry demo: succeed on the second attempt"}],
        metadata={"user_id": "ci-user"},
    )
    assert raw.parse().content[0].text == "Succeeded on the second attempt."

    retried, first = of_session(http, session)  # newest first
    assert retried["id"] == raw.headers["request-id"] != first["id"]
    assert (first["method"], first["path"], first["status"]) == ("POST", "/v1/messages", 529)
    assert first["body"]["metadata"] == {"user_id": "ci-user"}
    assert first["body"]["messages"][0]["content"].startswith("Retry demo")
    assert first["body_size"] > 0 and "anthropic-version" in first["headers"]
    assert (first["rule"], first["session"], first["step"]) == ("retry-once", session, "1/2")
    assert first["error"] == {"type": "overloaded_error", "message": "Overloaded"}
    assert (retried["status"], retried["step"], retried["error"]) == (200, "2/2", None)
    # The Message shown is the one the app received (kept as the JSON bytes it was sent as).
    assert (first["response"], retried["response"]) == (None, raw.http_response.json())
    assert http.get(f"/_sandbox/requests/{first['id']}").json() == first


def test_journal_never_shows_the_api_key(client, http) -> None:
    sdk, session = session_client(client)
    sdk.messages.create(
        model=MODEL,
        max_tokens=16,
        messages=[{"role": "user", "content": f"my key is {API_KEY}, keep it safe"}],
    )
    http.post(
        "/v1/messages?token=hunter2-query-secret",
        headers={
            **HEADERS,
            "x-api-key": "",
            "authorization": f"Bearer {API_KEY}",
            "x-sandbox-session": session,
        },
        json={
            "model": MODEL,
            "max_tokens": 16,
            "messages": [{"role": "user", "content": "hi"}],
            "mcp_servers": [
                {
                    "type": "url",
                    "url": "https://mcp.example.com/sse",
                    "name": "example",
                    "authorization_token": "mcp-secret-token-value",
                }
            ],
        },
    )
    recorded = of_session(http, session)
    assert len(recorded) == 2
    whole = http.get("/_sandbox/requests").text
    for secret in (API_KEY, "mcp-secret-token-value", "hunter2-query-secret"):
        assert secret not in whole
    newest, oldest = recorded
    assert oldest["headers"]["authorization"].startswith("<redacted")
    assert "<redacted" in oldest["body"]["messages"][0]["content"]
    assert newest["body"]["mcp_servers"][0]["authorization_token"] == "<redacted …alue>"


def test_invalid_request_is_recorded_with_its_error(client, http) -> None:
    sdk, session = session_client(client)
    with pytest.raises(anthropic.BadRequestError) as caught:
        sdk.messages.create(model=MODEL, max_tokens=0, messages=[])
    [entry] = of_session(http, session)
    assert entry["status"] == 400
    assert entry["id"] == caught.value.request_id
    assert entry["error"]["type"] == "invalid_request_error"
    assert entry["error"]["message"] == caught.value.body["error"]["message"]
    assert entry["body"] == {"model": MODEL, "max_tokens": 0, "messages": []}


def test_stream_is_recorded_as_stream(client, http) -> None:
    sdk, session = session_client(client)
    with sdk.messages.stream(
        model=MODEL, max_tokens=32, messages=[{"role": "user", "content": "Hello there"}]
    ) as stream:
        text = stream.get_final_text()
    [entry] = of_session(http, session)
    assert text
    assert entry["stream"] is True and entry["complete"] is True
    assert entry["status"] == 200 and entry["body"]["stream"] is True


def test_error_event_ending_a_stream_is_recorded_as_its_error(client, http) -> None:
    sdk, session = session_client(client)
    faulted = sdk.messages.stream(
        model=MODEL, max_tokens=64, messages=[{"role": "user", "content": "Error demo: mid-stream"}]
    )
    with pytest.raises(anthropic.APIStatusError) as caught, faulted as stream:
        stream.get_final_text()
    [entry] = of_session(http, session)
    assert entry["status"] == 200 and entry["stream"] is True
    assert entry["rule"] == "error-mid-stream"
    assert entry["error"] == {"type": "overloaded_error", "message": "Overloaded"}
    assert caught.value.body["error"] == entry["error"]  # what the client was told


def test_filters_and_limit(client, http) -> None:
    sdk, session = session_client(client)
    sdk.messages.count_tokens(model=MODEL, messages=[{"role": "user", "content": "count me"}])
    sdk.messages.create(model=MODEL, max_tokens=8, messages=[{"role": "user", "content": "x"}])
    http.get("/health")
    mine = of_session(http, session)
    assert [e["path"] for e in mine] == ["/v1/messages", "/v1/messages/count_tokens"]
    assert mine[1] in entries(http, path="/v1/messages/count_tokens")
    assert mine[0] not in entries(http, path="/v1/messages/count_tokens")
    assert all(e["path"].startswith("/v1/messages") for e in entries(http, path="/v1/messages*"))
    assert all(e["status"] // 100 == 4 for e in entries(http, status="4xx"))
    assert len(entries(http, limit="1")) == 1
    assert all(not e["path"].startswith(("/_sandbox", "/health")) for e in entries(http))


def test_large_body_is_recorded_as_size_and_sha256(http) -> None:
    session = f"journal-{uuid.uuid4().hex[:12]}"
    text = "long " * 250_000  # over the 1 MB a journal entry keeps
    body = json.dumps(
        {"model": MODEL, "max_tokens": 8, "messages": [{"role": "user", "content": text}]}
    ).encode()
    response = http.post(
        "/v1/messages", content=body, headers={**HEADERS, "x-sandbox-session": session}
    )
    assert response.status_code == 200, response.text
    [entry] = of_session(http, session)
    assert entry["body"] is None and entry["body_size"] == len(body)
    assert entry["body_sha256"] == hashlib.sha256(body).hexdigest()


def test_admin_errors_use_anthropic_envelope(http) -> None:
    missing = http.get("/_sandbox/requests/req_nope")
    assert missing.status_code == 404
    assert missing.json()["error"]["type"] == "not_found_error"
    assert missing.json()["request_id"].startswith("req_")
    bad = http.get("/_sandbox/requests", params={"limit": "lots"})
    assert bad.status_code == 400 and bad.json()["error"]["type"] == "invalid_request_error"


def test_rules_hits_reset_and_jsonl_file(make_sandbox, tmp_path: Path) -> None:
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    (fixtures / "rules.yaml").write_text(RULES)
    journal_file = tmp_path / "artifacts" / "journal.jsonl"
    srv = make_sandbox(
        fixtures,
        SANDBOX_JOURNAL_FILE=str(journal_file),
        SANDBOX_API_KEYS=f"{API_KEY},sk-ant-configured-secret-0001",
    )
    with srv.client() as client, srv.http() as http:
        config = http.get("/_sandbox/config").json()
        assert config["journal_file"] == str(journal_file)
        assert config["api_keys"] == ["<redacted>", "<redacted …0001>"]

        def say(text: str) -> str:
            reply = client.messages.create(
                model=MODEL, max_tokens=16, messages=[{"role": "user", "content": text}]
            )
            return reply.content[0].text

        assert say("hello") == "Hello from the journal test!"
        assert [say("script"), say("script")] == ["first", "second"]
        assert say("script") != "second"  # after: stop -> the default responder answers

        rules = {r["id"]: r for r in http.get("/_sandbox/rules").json()["data"]}
        assert rules["hello"]["hits"] == 1 and rules["two-step"]["hits"] == 2
        assert rules["hello"]["file"].endswith("rules.yaml") and rules["hello"]["line"] == 3
        assert rules["hello"]["last_hit"].endswith("Z")
        unused = http.get("/_sandbox/rules", params={"unused": "true"}).json()["data"]
        assert [r["id"] for r in unused] == ["never-asked"]
        assert [e["rule"] for e in entries(http, rule="two-step")] == ["two-step"] * 2

        assert http.post("/_sandbox/reset").json()["cleared"] == 4
        assert entries(http) == []
        assert len(http.get("/_sandbox/rules", params={"unused": "1"}).json()["data"]) == 3
        assert say("script") == "first"  # the script starts over

    lines = journal_file.read_text().splitlines()
    assert len(lines) == 5  # the file is an append-only record: reset does not truncate it
    assert [json.loads(line)["rule"] for line in lines][:2] == ["hello", "two-step"]
    assert API_KEY not in journal_file.read_text()


@pytest.fixture(scope="module")
def journaled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    """A server that also writes its journal to a JSONL file."""
    root = tmp_path_factory.mktemp("journaled")
    journal_file = root / "journal.jsonl"
    srv = start_server(root, SANDBOX_JOURNAL_FILE=str(journal_file))
    yield srv, journal_file
    srv.stop()


def _lines_of(journal_file: Path, *ids: str) -> list[dict]:
    lines = [json.loads(line) for line in journal_file.read_text().splitlines()]
    return [line for line in lines if line["id"] in ids]


def test_the_callers_key_is_masked_wherever_it_appears(journaled) -> None:
    srv, journal_file = journaled
    key = API_KEY
    with srv.http() as http:
        headers = {**HEADERS, "x-client-note": f"key={key}", "x-sandbox-session": key}
        body = {"model": MODEL, "max_tokens": 8,
                "messages": [{"role": "user", "content": f"what is {key} for?"}]}  # fmt: skip
        asked = http.post(f"/v1/messages?note={key}&{key}", headers=headers, json=body)
        missing = http.get(f"/v1/models/{key}", headers=headers)
        assert (asked.status_code, missing.status_code) == (200, 404)
        ids = (asked.headers["request-id"], missing.headers["request-id"])
        shown = [http.get(f"/_sandbox/requests/{i}").json() for i in ids]
        whole = http.get("/_sandbox/requests").text
    masked = mask(key)
    messages, models = shown
    assert models["path"] == f"/v1/models/{masked}"
    assert messages["query"].startswith("note=%3Credacted%3E&")
    assert messages["headers"]["x-client-note"] == f"key={masked}"
    assert messages["session"] == masked
    assert masked in messages["body"]["messages"][0]["content"]
    # The file holds the same redacted views (near misses are judged when the API is read).
    assert _lines_of(journal_file, *ids) == [
        {k: v for k, v in entry.items() if k != "near_misses"} for entry in shown
    ]
    for text in (whole, journal_file.read_text(), srv.log()):
        assert key not in text


def test_a_strict_mode_near_miss_log_line_masks_the_callers_key(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from messages_sandbox.errors import InvalidRequestError
    from messages_sandbox.fixtures.loader import load_fixture_set
    from messages_sandbox.fixtures.playback import Playback
    from messages_sandbox.headers import Caller
    from messages_sandbox.request import RequestView

    (tmp_path / "rules.yaml").write_text(RULES)
    playback, fixtures = Playback(strict=True), load_fixture_set(tmp_path)
    caller = Caller("req_1", API_KEY, "2023-06-01", headers={"x-api-key": API_KEY})
    request = {"model": MODEL, "max_tokens": 8,
               "messages": [{"role": "user", "content": f"what is {API_KEY} for?"}]}  # fmt: skip
    with (
        pytest.raises(InvalidRequestError),
        caplog.at_level("WARNING", "messages_sandbox.fixtures"),
    ):
        playback.play(fixtures, RequestView(request, caller))
    assert "(strict mode). Closest rules" in caplog.text
    assert f"what is {mask(API_KEY)} for?" in caplog.text  # the report quotes the prompt
    assert API_KEY not in caplog.text


def test_a_deeply_nested_body_keeps_the_journal_and_its_file_whole(journaled) -> None:
    from messages_sandbox.nesting import dumps

    srv, journal_file = journaled
    deep: object = 1
    for _ in range(1000):
        deep = {"a": deep}
    tool_turns = {
        "model": MODEL,
        "max_tokens": 8,
        "messages": [
            {"role": "user", "content": "hi"},
            {"role": "assistant",
             "content": [{"type": "tool_use", "id": "toolu_1", "name": "t", "input": deep}]},
            {"role": "user",
             "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "ok"}]},
        ],
        "tools": [{"name": "t", "input_schema": {"type": "object"}}],
    }  # fmt: skip
    with srv.http() as http:
        answered = http.post("/v1/messages", content=dumps(tool_turns), headers=HEADERS)
        refused = http.post(
            "/v1/messages", content=dumps({**tool_turns, "max_tokens": -1}), headers=HEADERS
        )
        assert answered.status_code == 200 and answered.json()["type"] == "message"
        assert refused.status_code == 400 and refused.json()["type"] == "error"
        ids = (answered.headers["request-id"], refused.headers["request-id"])
        listing = http.get("/_sandbox/requests")
        assert listing.status_code == 200
        shown = [e for e in listing.json()["data"] if e["id"] in ids]
    for entries_ in (shown, _lines_of(journal_file, *ids)):
        assert sorted(e["status"] for e in entries_) == [200, 400]
        for entry in entries_:
            assert entry["body"] is None and entry["body_size"] > 5000
            assert len(entry["body_sha256"]) == 64 and "nests deeper" in entry["body_note"]


def test_journal_size_zero_keeps_nothing(make_sandbox) -> None:
    srv = make_sandbox(SANDBOX_JOURNAL_SIZE="0")
    with srv.client() as client, srv.http() as http:
        client.messages.create(
            model=MODEL, max_tokens=8, messages=[{"role": "user", "content": "x"}]
        )
        assert entries(http) == []


# -- records (pure: no server) -----------------------------------------------------------
def test_a_record_keeps_a_small_body_whole_and_a_large_one_as_size_and_hash() -> None:
    from messages_sandbox.journal import BODY_CAP, NO_ANSWER_HEADERS, record

    headers = [(b"x-api-key", b"sk-ant-secret"), (b"content-type", b"application/json")]
    small = record(
        1.0, "POST", "/v1/messages", b"", headers, b"{}", 200, b"application/json",
        NO_ANSWER_HEADERS, None, "req_01a",
    )  # fmt: skip
    assert (small.body, small.digest, small.complete) == (b"{}", None, True)
    assert small.headers == b"x-api-key:sk-ant-secret\ncontent-type:application/json"
    big = b"x" * (BODY_CAP + 1)
    large = record(
        1.0, "POST", "/v1/messages", b"", headers, big, 200, b"application/json",
        NO_ANSWER_HEADERS, None, "req_01b",
    )  # fmt: skip
    assert large.body is None
    assert large.digest == (len(big), hashlib.sha256(big).hexdigest())
