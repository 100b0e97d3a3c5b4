"""Sessions: many tests on one server, each in its own session, never seeing the others.

A session is named by a ``/session/S`` base URL (an app that only reads its environment) or
the ``x-sandbox-session`` header. Driven with the official SDK over real HTTP against one
server with its own fixtures (shared by this module's tests, each in fresh sessions).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import anthropic
import httpx
import pytest
from conftest import API_KEY, HEADERS, Server, start_server

MODEL = "claude-sonnet-4-6"

RULES = """
rules:
  - id: story
    match: {last_user_text: "Tell the story"}
    script:
      advance: session
      after: stop
      steps:
        - reply: {text: "Once"}
        - reply: {text: "upon"}
        - reply: {text: "a time"}
  - id: greet
    match: {last_user_text: {contains: "hello"}}
    reply: {text: "Hello from the file"}
  - id: never
    match: {last_user_text: "nobody says this"}
    reply: {text: "unused"}
"""


@pytest.fixture(scope="module")
def fixtures_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    fixtures = tmp_path_factory.mktemp("sessions") / "fixtures"
    fixtures.mkdir()
    (fixtures / "rules.yaml").write_text(RULES)
    return fixtures


@pytest.fixture(scope="module")
def srv(fixtures_dir: Path) -> Iterator[Server]:
    server = start_server(fixtures_dir.parent, fixtures_dir)
    yield server
    server.stop()


@pytest.fixture
def admin(srv: Server) -> Iterator[httpx.Client]:
    with srv.http() as c:
        yield c


def fresh() -> str:
    return f"t-{uuid.uuid4().hex[:12]}"


def sdk_in(srv: Server, session: str) -> anthropic.Anthropic:
    """What an app configured with ``ANTHROPIC_BASE_URL=<server>/session/S`` builds."""
    return anthropic.Anthropic(
        base_url=f"{srv.base_url}/session/{session}", api_key=API_KEY, max_retries=0
    )


def say(sdk: anthropic.Anthropic, text: str) -> str:
    message = sdk.messages.create(
        model=MODEL, max_tokens=64, messages=[{"role": "user", "content": text}]
    )
    return message.content[0].text


def journal(admin: httpx.Client, session: str | None = None, **query: str) -> list[dict]:
    params = {**query, **({"session": session} if session else {})}
    response = admin.get("/_sandbox/requests", params=params)
    assert response.status_code == 200, response.text
    return response.json()["data"]


def rules(admin: httpx.Client, session: str | None = None, **query: str) -> dict[str, dict]:
    params = {**query, **({"session": session} if session else {})}
    response = admin.get("/_sandbox/rules", params=params)
    assert response.status_code == 200, response.text
    return {(r["id"], r["origin"], r["session"]): r for r in response.json()["data"]}


# -- the prefix ---------------------------------------------------------------------------


def test_two_sessions_play_the_same_script_concurrently_through_the_prefix(srv) -> None:
    sessions = [fresh(), fresh()]
    heard: dict[str, list[str]] = {s: [] for s in sessions}
    barrier = threading.Barrier(len(sessions))

    def run(session: str) -> None:
        with sdk_in(srv, session) as sdk:
            for _ in range(4):
                barrier.wait(timeout=10)  # each step of both scripts at the same moment
                heard[session].append(say(sdk, "Tell the story"))

    threads = [threading.Thread(target=run, args=(s,)) for s in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    # after: stop, then the default responder answers (not the script's text)
    for session in sessions:
        assert heard[session][:3] == ["Once", "upon", "a time"]
        assert heard[session][3] not in ("Once", "upon", "a time")


def test_every_route_under_the_prefix_behaves_as_at_the_root(srv, admin) -> None:
    session = fresh()
    with sdk_in(srv, session) as sdk:
        raw = sdk.messages.with_raw_response.create(
            model=MODEL, max_tokens=16, messages=[{"role": "user", "content": "hello"}]
        )
        assert raw.headers["x-sandbox-session"] == session
        assert raw.parse().content[0].text == "Hello from the file"
        count = sdk.messages.count_tokens(
            model=MODEL, messages=[{"role": "user", "content": "hello"}]
        )
        assert count.input_tokens > 0
        assert sdk.models.retrieve(MODEL).id == MODEL
        assert any(m.id == MODEL for m in sdk.models.list())
        uploaded = sdk.beta.files.upload(file=("notes.txt", b"some notes", "text/plain"))
        assert sdk.beta.files.retrieve_metadata(uploaded.id).filename == "notes.txt"
        batch = sdk.messages.batches.create(
            requests=[
                {
                    "custom_id": "one",
                    "params": {
                        "model": MODEL,
                        "max_tokens": 16,
                        "messages": [{"role": "user", "content": "hello"}],
                    },
                }
            ]
        )
        ended = sdk.messages.batches.retrieve(batch.id)
        assert ended.results_url == (
            f"{srv.base_url}/session/{session}/v1/messages/batches/{batch.id}/results"
        )
        [result] = list(sdk.messages.batches.results(batch.id))
        assert result.result.type == "succeeded"
        assert result.result.message.content[0].text == "Hello from the file"
    paths = [e["path"] for e in journal(admin, session)]
    assert "/v1/messages" in paths and "/v1/messages/count_tokens" in paths
    assert all(not p.startswith("/session/") for p in paths)
    assert {e["session"] for e in journal(admin, session)} == {session}


def test_a_cors_preflight_under_the_prefix_is_answered_as_at_the_root(srv) -> None:
    preflight = {
        "origin": "http://127.0.0.1:5173",
        "access-control-request-method": "POST",
        "access-control-request-headers": "anthropic-dangerous-direct-browser-access,x-api-key",
    }
    root = httpx.options(f"{srv.base_url}/v1/messages", headers=preflight)
    prefixed = httpx.options(f"{srv.base_url}/session/{fresh()}/v1/messages", headers=preflight)
    assert root.status_code == prefixed.status_code == 204
    assert prefixed.headers["access-control-allow-origin"] == "*"


def test_a_bad_or_overlong_session_name_is_refused(srv) -> None:
    response = httpx.post(
        f"{srv.base_url}/session/{'x' * 300}/v1/messages",
        headers=HEADERS,
        json={"model": MODEL, "max_tokens": 8, "messages": [{"role": "user", "content": "hi"}]},
    )
    assert response.status_code == 400
    assert "session name" in response.json()["error"]["message"]
    by_header = httpx.post(
        f"{srv.base_url}/v1/messages",
        headers={**HEADERS, "x-sandbox-session": "y" * 300},
        json={"model": MODEL, "max_tokens": 8, "messages": [{"role": "user", "content": "hi"}]},
    )
    assert by_header.status_code == 400  # sessions are kept by name: names are bounded
    assert "x-sandbox-session" in by_header.json()["error"]["message"]


def test_any_name_a_header_carries_is_reachable_through_an_encoded_prefix(srv, admin) -> None:
    session = f"tests/test_app.py::test checkout[{fresh()}]"  # a pytest node id, say
    encoded = quote(session, safe="")
    with srv.client() as plain:
        by_header = plain.with_options(default_headers={"x-sandbox-session": session})
        assert say(by_header, "Tell the story") == "Once"
    with anthropic.Anthropic(
        base_url=f"{srv.base_url}/session/{encoded}", api_key=API_KEY, max_retries=0
    ) as prefixed:
        assert say(prefixed, "Tell the story") == "upon"  # the same session's counters
    assert [e["session"] for e in journal(admin, session)] == [session, session]


def test_the_header_and_the_prefix_name_the_same_sessions(srv, admin) -> None:
    session = fresh()
    with sdk_in(srv, session) as prefixed, srv.client() as plain:
        by_header = plain.with_options(default_headers={"x-sandbox-session": session})
        assert say(prefixed, "Tell the story") == "Once"
        assert say(by_header, "Tell the story") == "upon"  # the same counters
        assert say(prefixed, "Tell the story") == "a time"
    assert len(journal(admin, session)) == 3
    assert len(admin.get(f"/session/{session}/_sandbox/requests").json()["data"]) == 3
    # Both given and different: the base URL's prefix wins, for the API and the admin routes.
    other = fresh()
    with sdk_in(srv, other) as prefixed:
        raw = prefixed.with_options(
            default_headers={"x-sandbox-session": session}
        ).messages.with_raw_response.create(
            model=MODEL, max_tokens=16, messages=[{"role": "user", "content": "Tell the story"}]
        )
    assert raw.headers["x-sandbox-session"] == other and raw.parse().content[0].text == "Once"
    listed = admin.get(
        f"/session/{other}/_sandbox/requests", headers={"x-sandbox-session": session}
    )
    assert [e["session"] for e in listed.json()["data"]] == [other]


# -- what a session owns -----------------------------------------------------------------


def test_reset_of_one_session_leaves_the_others(srv, admin) -> None:
    a, b = fresh(), fresh()
    with sdk_in(srv, a) as in_a, sdk_in(srv, b) as in_b:
        assert [say(in_a, "Tell the story") for _ in range(2)] == ["Once", "upon"]
        assert say(in_b, "Tell the story") == "Once"
        reset = admin.post("/_sandbox/reset", params={"session": a})
        assert reset.status_code == 200 and reset.json()["cleared"] == 2
        assert journal(admin, a) == []
        assert len(journal(admin, b)) == 1
        assert say(in_a, "Tell the story") == "Once"  # a starts over
        assert say(in_b, "Tell the story") == "upon"  # b is where it was


def test_a_journal_delete_under_the_prefix_removes_that_session_only(srv, admin) -> None:
    a, b = fresh(), fresh()
    with sdk_in(srv, a) as in_a, sdk_in(srv, b) as in_b:
        say(in_a, "hello")
        say(in_b, "hello")
    deleted = admin.delete(f"/session/{a}/_sandbox/requests")
    assert deleted.json() == {"cleared": 1, "session": a}
    assert journal(admin, a) == [] and len(journal(admin, b)) == 1


def test_hit_counts_and_unused_rules_are_per_session(srv, admin) -> None:
    a, b = fresh(), fresh()
    with sdk_in(srv, a) as in_a:
        say(in_a, "hello")
        say(in_a, "hello")
    seen_by_a = rules(admin, a)
    assert seen_by_a[("greet", "file", None)]["hits"] == 2
    assert seen_by_a[("greet", "file", None)]["last_hit"] is not None
    assert rules(admin, b)[("greet", "file", None)]["hits"] == 0
    unused_in_b = rules(admin, b, unused="true")
    assert ("greet", "file", None) in unused_in_b and ("never", "file", None) in unused_in_b
    assert ("greet", "file", None) not in rules(admin, a, unused="true")
    # The whole server counts every session's plays.
    assert rules(admin)[("greet", "file", None)]["hits"] >= 2


def test_unknown_query_parameters_on_admin_routes_are_refused(admin) -> None:
    for method, path, query in [
        ("POST", "/_sandbox/reset", {"sesion": "x"}),
        ("GET", "/_sandbox/requests", {"rules": "greet"}),
        ("DELETE", "/_sandbox/requests", {"all": "1"}),
        ("GET", "/_sandbox/rules", {"unused": "true", "limit": "1"}),
    ]:
        response = admin.request(method, path, params=query)
        assert response.status_code == 400, (path, response.text)
        error = response.json()["error"]
        assert error["type"] == "invalid_request_error"
        assert "unknown query parameter" in error["message"]
    wrong = admin.get("/_sandbox/rules", params={"unused": "maybe"})
    assert wrong.status_code == 400
    global_scope = admin.post("/_sandbox/reset", params={"session": "global"})
    assert global_scope.status_code == 400  # never silently the whole server


# -- rules at run time ---------------------------------------------------------------------


def add(admin: httpx.Client, session: str | None, doc: object, **kw: object) -> httpx.Response:
    params = {"session": session} if session else {}
    if isinstance(doc, str):
        return admin.post(
            "/_sandbox/rules",
            params=params,
            content=textwrap.dedent(doc),
            headers={"content-type": "application/yaml"},
        )
    return admin.post("/_sandbox/rules", params=params, json=doc)


def test_parallel_sessions_each_add_their_own_rule_with_the_same_id(srv, admin) -> None:
    a, b = fresh(), fresh()
    for session, text in ((a, "Hi from A"), (b, "Hi from B")):
        rule = {"id": "greet", "match": {"last_user_text": {"contains": "hello"}}}
        added = add(admin, session, {"rules": [{**rule, "reply": {"text": text}}]})
        assert added.status_code == 200, added.text
        assert added.json() == {"added": ["greet"], "session": session}
    with sdk_in(srv, a) as in_a, sdk_in(srv, b) as in_b, sdk_in(srv, fresh()) as other:
        assert say(in_a, "hello") == "Hi from A"  # the session's rule wins over the file's
        assert say(in_b, "hello") == "Hi from B"
        assert say(other, "hello") == "Hello from the file"
    listed = rules(admin, a)
    assert listed[("greet", "runtime", a)]["hits"] == 1
    assert listed[("greet", "runtime", a)]["file"] == "<POST /_sandbox/rules>"
    assert listed[("greet", "file", None)]["hits"] == 0
    assert ("greet", "runtime", b) not in listed
    whole = rules(admin)
    assert ("greet", "runtime", a) in whole and ("greet", "runtime", b) in whole


def test_yaml_rules_under_the_prefix_and_removal_by_id(srv, admin) -> None:
    session = fresh()
    added = admin.post(
        f"/session/{session}/_sandbox/rules",
        content="rules:\n  - id: weather\n    match: {last_user_text: Weather?}\n"
        "    reply: {text: Sunny}\n",
        headers={"content-type": "application/yaml"},
    )
    assert added.json() == {"added": ["weather"], "session": session}
    with sdk_in(srv, session) as sdk:
        assert say(sdk, "Weather?") == "Sunny"
        again = add(admin, session, {"rules": [{"id": "weather", "reply": {"text": "Rain"}}]})
        assert again.status_code == 400
        assert "duplicate rule id `weather`" in again.json()["error"]["message"]
        removed = admin.delete(f"/_sandbox/rules/weather?session={session}")
        assert removed.json() == {"removed": "weather", "session": session}
        assert say(sdk, "Weather?") != "Sunny"
    assert admin.delete(f"/_sandbox/rules/weather?session={session}").status_code == 404
    file_rule = admin.delete(f"/_sandbox/rules/greet?session={session}")
    assert file_rule.status_code == 404 and "fixture files" in file_rule.json()["error"]["message"]


def test_a_bad_rule_is_a_400_with_the_key_path_and_nothing_is_added(srv, admin) -> None:
    session = fresh()
    bad = add(
        admin,
        session,
        """
        rules:
          - id: fine
            reply: {text: ok}
          - id: typo
            match: {last_user_text: {regx: "^hi"}}
            reply: {text: nope}
        """,
    )
    assert bad.status_code == 400
    message = bad.json()["error"]["message"]
    assert message.startswith("<POST /_sandbox/rules>:6: rules[1].match.last_user_text.regx")
    assert "did you mean `regex`" in message
    assert rules(admin, session).get(("fine", "runtime", session)) is None
    both_bad = [{"id": "a", "reply": {"txt": "x"}}, {"id": "b", "priorty": 1, "reply": {}}]
    two = add(admin, session, {"rules": both_bad})
    listed = two.json()["error"]["message"]
    assert "rules[0].reply.txt" in listed and "rules[1].priorty" in listed  # every problem
    not_json = admin.post("/_sandbox/rules", params={"session": session}, content=b"{nope")
    assert not_json.status_code == 400 and "invalid JSON" in not_json.json()["error"]["message"]
    defaults = add(admin, session, {"defaults": {"strict": True}, "rules": []})
    assert defaults.status_code == 400 and "`defaults:`" in defaults.json()["error"]["message"]


def test_session_rules_go_with_its_reset_and_global_ones_with_the_servers(srv, admin) -> None:
    session, other = fresh(), fresh()
    rule = {"id": "only-mine", "match": {"last_user_text": "Whose?"}, "reply": {"text": "Mine"}}
    add(admin, session, {"rules": [rule]})
    with sdk_in(srv, session) as sdk, sdk_in(srv, other) as elsewhere:
        assert say(sdk, "Whose?") == "Mine"
        assert say(elsewhere, "Whose?") != "Mine"
        admin.post(f"/session/{session}/_sandbox/reset")
        assert say(sdk, "Whose?") != "Mine"


def test_session_rules_survive_a_hot_reload_of_the_files(srv, admin, fixtures_dir) -> None:
    session = fresh()
    with sdk_in(srv, session) as sdk:
        add(admin, session, {"rules": [{"id": "kept", "match": {"last_user_text": "Keep?"},
                                        "reply": {"text": "Kept"}}]})  # fmt: skip
        (fixtures_dir / "more.yaml").write_text(
            "rules:\n  - id: fresh\n    match: {last_user_text: New?}\n    reply: {text: New}\n"
        )
        deadline = time.monotonic() + 15
        while say(sdk, "New?") != "New":
            assert time.monotonic() < deadline, "the edit was not reloaded"
            time.sleep(0.1)
        assert say(sdk, "Keep?") == "Kept"


def test_a_rule_added_without_a_session_serves_everyone_until_the_server_reset(srv, admin) -> None:
    # This module's tests run one after another on their server, each in fresh sessions:
    # a whole-server reset between them takes nothing any of them still needs.
    with sdk_in(srv, fresh()) as sdk, srv.client() as plain:
        rule = {"id": "everyone", "match": {"last_user_text": "All?"}, "reply": {"text": "All"}}
        assert add(admin, None, {"rules": [rule]}).json() == {
            "added": ["everyone"],
            "session": None,
        }
        assert say(sdk, "All?") == "All" and say(plain, "All?") == "All"
        assert rules(admin)[("everyone", "runtime", None)]["hits"] == 2
        admin.post("/_sandbox/reset")
        assert say(plain, "All?") != "All"


# -- strict mode and near misses -------------------------------------------------------------


def test_strict_mode_per_request_and_per_session(srv, admin) -> None:
    session = fresh()
    with sdk_in(srv, session) as sdk:
        assert say(sdk, "Tell me a story")  # lenient: the default responder answers
        strict_call = sdk.with_options(default_headers={"x-sandbox-strict": "true"})
        with pytest.raises(anthropic.BadRequestError) as refused:
            say(strict_call, "Tell me a story")
        assert "Closest rules" in refused.value.body["error"]["message"]
        configured = admin.post(f"/_sandbox/sessions/{session}", json={"strict": True})
        assert configured.status_code == 200 and configured.json()["strict"] is True
        with pytest.raises(anthropic.BadRequestError):
            say(sdk, "Tell me a story")
        lenient_call = sdk.with_options(default_headers={"x-sandbox-strict": "false"})
        assert say(lenient_call, "Tell me a story")
    with sdk_in(srv, fresh()) as other:
        assert say(other, "Tell me a story")  # other sessions keep the server's mode
    listed = admin.get("/_sandbox/sessions").json()
    assert {"session": session, "strict": True}.items() <= next(
        s for s in listed["data"] if s["session"] == session
    ).items()
    assert listed["idle_seconds"] > 0 and listed["capacity"] > 0


def test_unmatched_entries_carry_their_near_misses_in_lenient_mode(srv, admin) -> None:
    session = fresh()
    close = {"id": "close", "match": {"model": MODEL, "last_user_text": "Tell the story"}}
    add(admin, session, {"rules": [{**close, "reply": {"text": "The story"}}]})
    with sdk_in(srv, session) as sdk:
        say(sdk, "Tell the stroy")
        say(sdk, "hello")
    [unmatched] = journal(admin, session, rule="none")
    assert unmatched["status"] == 200 and unmatched["rule"] is None
    # Its own session's rule is the closest: the model held, the text did not.
    closest = unmatched["near_misses"][0]
    assert closest["rule"] == "close" and closest["where"] == "<POST /_sandbox/rules>:1"
    assert len(closest["failed"]) == 1 and "Tell the stroy" in closest["failed"][0]
    assert "story" in [n["rule"] for n in unmatched["near_misses"]]
    matched = journal(admin, session, rule="greet")[0]
    assert "near_misses" not in matched


# -- other ecosystems ------------------------------------------------------------------------

TS_DIR = Path(__file__).parent / "ts"


def test_a_typescript_suite_gives_each_test_its_own_session(srv) -> None:
    if not (TS_DIR / "node_modules" / "@anthropic-ai" / "sdk").is_dir() or not shutil.which("node"):
        pytest.skip("TypeScript SDK not installed: run `npm ci --prefix tests/ts`")
    done = subprocess.run(
        ["node", "--test", "--test-reporter=tap", "sessions.test.mjs"],
        cwd=TS_DIR,
        env={**os.environ, "SANDBOX_URL": srv.base_url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "# pass 3" in done.stdout and "# fail 0" in done.stdout
