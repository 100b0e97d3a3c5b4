"""The inspector's server side: the live feed (``journal.feed``), ``GET /_sandbox/events``,
a stream's events with their timing, replay, and the page's files.

The feed's guarantees are checked in process (bounded queues, nothing kept when nobody
listens, notices from another thread); the routes are driven over HTTP like the page does,
on one server for this module whose tests each keep to their own session.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from conftest import API_KEY, FIXTURES, HEADERS, start_server

from messages_sandbox.journal import Journal, record
from messages_sandbox.journal.feed import QUEUE_SIZE, Feed, Notice
from messages_sandbox.journal.timeline import NOT_KEPT, ONE_PIECE, RECORDED, stream_events
from messages_sandbox.message.render import encode_event, iter_events

MODEL = "claude-sonnet-4-6"


def _record(n: int = 0) -> Any:
    return record(
        time.perf_counter(), "POST", "/v1/messages", b"", [(b"x-api-key", b"k")], b"{}",
        200, b"application/json", {}, None, f"req_{n}",
    )  # fmt: skip


# -- the feed ----------------------------------------------------------------------------------
def test_a_subscriber_gets_each_new_record_and_nothing_is_kept_once_it_leaves() -> None:
    async def scenario() -> None:
        journal = Journal(10)
        feed = Feed(journal)
        journal.add(_record(0))  # before anyone listens: not queued anywhere
        subscription = feed.subscribe()
        journal.add(_record(1))
        journal.add(_record(2))
        batch = await subscription.next()
        assert [r.request_id for r in batch.items] == ["req_1", "req_2"]
        assert batch.dropped == 0
        subscription.close()
        assert len(feed) == 0
        journal.add(_record(3))
        assert not subscription.queue  # the journal no longer calls the feed

    asyncio.run(scenario())


def test_a_subscriber_that_never_reads_holds_a_bounded_queue_and_learns_what_it_missed() -> None:
    async def scenario() -> None:
        journal = Journal(10)
        feed = Feed(journal)
        stuck = feed.subscribe()
        reader = feed.subscribe()
        for n in range(QUEUE_SIZE + 500):
            journal.add(_record(n))
            if n == 10:
                assert len((await reader.next()).items) == 11
        assert len(stuck.queue) == QUEUE_SIZE
        batch = await stuck.next()
        assert batch.dropped == 500
        assert batch.items[0].request_id == "req_500"  # the oldest went first
        assert len(journal) == 10  # the journal keeps its own size whatever subscribers do

    asyncio.run(scenario())


def test_a_notice_from_another_thread_reaches_subscribers_on_the_loop() -> None:
    async def scenario() -> None:
        feed = Feed(Journal(10))
        subscription = feed.subscribe()
        thread = threading.Thread(target=feed.notify, args=("reload", {"state": "stale"}))
        thread.start()
        batch = await asyncio.wait_for(subscription.next(), 5)
        thread.join()
        assert batch.items == [Notice("reload", {"state": "stale"})]

    asyncio.run(scenario())


# -- a stream's events --------------------------------------------------------------------------
MESSAGE = {
    "id": "msg_1",
    "type": "message",
    "role": "assistant",
    "model": MODEL,
    "content": [{"type": "text", "text": "Hello there, how are you?"}],
    "stop_reason": "end_turn",
    "stop_sequence": None,
    "usage": {"input_tokens": 3, "output_tokens": 7},
}


def _stream_record(timeline: Any = None) -> Any:
    return record(
        100.0, "POST", "/v1/messages", b"", [(b"x-api-key", b"sk-ant-secret-0123456789")],
        b'{"stream": true}', 200, b"text/event-stream; charset=utf-8", {}, None, "req_s",
        timeline=timeline,
    )  # fmt: skip


def test_a_paced_stream_shows_each_event_as_written_with_its_time() -> None:
    written = [encode_event(n, d) for n, d in iter_events(MESSAGE, 8)]
    keepalive = b"event: ping\ndata: {}\n\n"
    timeline = [(100.0 + 0.01 * i, chunk) for i, chunk in enumerate(written)]
    timeline.insert(3, (100.025, keepalive))
    shown = stream_events(_stream_record(tuple(timeline)), None, 8, ())
    assert shown["timing"] == RECORDED
    names = [e["event"] for e in shown["events"]]
    assert names[:4] == ["message_start", "content_block_start", "ping", "ping"]
    assert names[-1] == "message_stop"
    times = [e["at_ms"] for e in shown["events"]]
    assert times == sorted(times) and times[0] == 0.0 and times[3] == 25.0
    assert shown["events"][0]["data"]["message"]["id"] == "msg_1"


def test_a_stream_written_whole_is_rendered_again_from_its_message() -> None:
    shown = stream_events(_stream_record(), MESSAGE, 8, ())
    assert shown["timing"] == ONE_PIECE
    rendered = [{"event": n, "data": d} for n, d in iter_events(MESSAGE, 8)]
    assert [{"event": e["event"], "data": e["data"]} for e in shown["events"]] == rendered
    assert len({e["at_ms"] for e in shown["events"]}) == 1
    assert "rendered again" in shown["note"]


def test_a_stream_with_neither_events_nor_message_says_so() -> None:
    assert stream_events(_stream_record(), None, 8, ())["timing"] == NOT_KEPT


def test_a_streamed_event_never_shows_the_key_the_request_used() -> None:
    secret = "sk-ant-secret-0123456789"
    message = {**MESSAGE, "content": [{"type": "text", "text": f"your key is {secret}"}]}
    shown = stream_events(_stream_record(), message, 64, (secret,))
    assert secret not in json.dumps(shown)


# -- over HTTP -----------------------------------------------------------------------------------
def sse(response: httpx.Response) -> Iterator[tuple[str, Any]]:
    name, data = "message", []
    for line in response.iter_lines():
        if line == "":
            if data:
                yield name, json.loads("\n".join(data))
            name, data = "message", []
        elif line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].strip())


def send(http: httpx.Client, text: str, **extra: Any) -> httpx.Response:
    body = {"model": MODEL, "max_tokens": 64, "messages": [{"role": "user", "content": text}]}
    headers = {**HEADERS, **extra.pop("headers", {})}
    return http.post("/v1/messages", json={**body, **extra}, headers=headers)


REPLAY_KEY = "sk-ant-only-this-key-0123456789"


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    # Only two keys are accepted: a replay that did not send the original key would be a 401.
    keys = f"{API_KEY},{REPLAY_KEY}"
    srv = start_server(tmp_path_factory.mktemp("inspector"), SANDBOX_API_KEYS=keys)
    with srv.http() as http:
        yield http
    srv.stop()


def session() -> dict[str, str]:
    return {"x-sandbox-session": f"inspector-{uuid.uuid4().hex[:10]}"}


def test_events_sends_hello_then_the_backlog_then_each_new_exchange_live(own) -> None:
    mine = session()
    name = mine["x-sandbox-session"]
    send(own, "before the page opened", headers=mine)
    with own.stream("GET", "/_sandbox/events", params={"session": name}) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        events = sse(stream)
        kind, hello = next(events)
        assert kind == "hello" and hello["journal_size"] == 1000
        assert hello["fixtures_status"]["state"] == "current"
        kind, backlog = next(events)
        assert kind == "backlog"
        assert [(e["model"], e["session"]) for e in backlog] == [(MODEL, name)]

        rid = send(own, "after the page opened", headers=mine).headers["request-id"]
        kind, rows = next(events)
        assert kind == "entries"
        (row,) = rows
        assert row["id"] == rid and row["session"] == name and row["status"] == 200
        assert row["answered_by"] == "default" and row["rule"] is None and not row["stream"]


def test_a_reset_is_told_to_every_page(make_server) -> None:
    with make_server().http() as http, http.stream("GET", "/_sandbox/events") as stream:
        events = sse(stream)
        assert next(events)[0] == "hello"
        send(http, "one")
        assert next(events)[0] == "entries"
        http.post("/_sandbox/reset")
        assert next(events) == ("reset", {"session": None, "cleared": 1})


def test_events_of_one_session_leave_out_the_others(own) -> None:
    mine, theirs = session(), session()
    with own.stream("GET", "/_sandbox/events", params={"session": mine["x-sandbox-session"]}) as s:
        events = sse(s)
        assert next(events)[0] == "hello"
        send(own, "not mine", headers=theirs)
        rid = send(own, "mine", headers=mine).headers["request-id"]
        kind, rows = next(events)
        while kind != "entries":  # a backlog of this session's earlier entries: none
            kind, rows = next(events)
        assert [r["id"] for r in rows] == [rid]


def test_events_refuses_an_unknown_parameter(own) -> None:
    response = own.get("/_sandbox/events", params={"sesion": "x"})
    assert response.status_code == 400
    assert "unknown query parameter `sesion`" in response.json()["error"]["message"]


def test_a_paced_stream_keeps_its_events_with_their_timing(own) -> None:
    with own.stream(
        "POST",
        "/v1/messages",
        headers=HEADERS,
        json={
            "model": MODEL,
            "max_tokens": 64,
            "stream": True,
            "messages": [{"role": "user", "content": "Paced demo: timing"}],
        },
    ) as response:
        rid = response.headers["request-id"]
        response.read()
    shown = own.get(f"/_sandbox/requests/{rid}/events").json()
    assert shown["timing"] == RECORDED
    events = shown["events"]
    first_delta = next(e for e in events if e["event"] == "content_block_delta")
    assert first_delta["at_ms"] >= 270  # the fixture's first_token_ms: 300, jitter 0.1
    assert events[-1]["event"] == "message_stop"
    text = "".join(
        e["data"]["delta"].get("text", "") for e in events if e["event"] == "content_block_delta"
    )
    assert text.startswith("Streaming at a human pace")


def test_the_events_of_an_answer_that_was_not_a_stream_are_refused(own) -> None:
    rid = send(own, "plain").headers["request-id"]
    response = own.get(f"/_sandbox/requests/{rid}/events")
    assert response.status_code == 400
    assert own.get("/_sandbox/requests/req_nope/events").status_code == 404


def test_replay_sends_the_request_again_with_its_key_kept_on_the_server(own) -> None:
    mine = session()
    original = send(own, "Replay me", headers={"x-api-key": REPLAY_KEY, **mine})
    assert original.status_code == 200
    rid = original.headers["request-id"]

    replayed = own.post(f"/_sandbox/requests/{rid}/replay")
    assert replayed.status_code == 200
    answer = replayed.json()
    assert REPLAY_KEY not in replayed.text
    assert answer["replay_of"] == rid and answer["status"] == 200 and answer["complete"]

    entry = own.get(f"/_sandbox/requests/{answer['id']}").json()
    assert entry["headers"]["x-sandbox-replay-of"] == rid
    assert REPLAY_KEY not in json.dumps(entry)
    assert entry["body"] == own.get(f"/_sandbox/requests/{rid}").json()["body"]
    assert entry["session"] == mine["x-sandbox-session"] and entry["status"] == 200


def test_replay_of_a_body_the_journal_did_not_keep_is_refused(own) -> None:
    big = "x" * (1024 * 1024 + 10)
    rid = send(own, big).headers["request-id"]
    response = own.post(f"/_sandbox/requests/{rid}/replay")
    assert response.status_code == 400
    assert "over the journal's cap" in response.json()["error"]["message"]
    assert own.post("/_sandbox/requests/req_nope/replay").status_code == 404


def test_the_page_and_its_files_are_served_from_the_package(http) -> None:
    page = http.get("/_sandbox/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert 'src="assets/app.js"' in page.text and "http" not in page.text.split("<body")[0]
    for name, kind in (("app.js", "text/javascript"), ("app.css", "text/css")):
        response = http.get(f"/_sandbox/assets/{name}")
        assert response.status_code == 200 and response.headers["content-type"].startswith(kind)
    assert http.get("/_sandbox/assets/index.html").status_code == 404
    assert http.get("/_sandbox/assets/..%2Fapp.py").status_code == 404
    redirect = http.get("/_sandbox", follow_redirects=False)
    assert redirect.status_code == 307 and redirect.headers["location"] == "_sandbox/"


def test_the_page_is_not_recorded_in_the_journal(own) -> None:
    own.get("/_sandbox/")
    own.get("/_sandbox/assets/app.js")
    paths = {e["path"] for e in own.get("/_sandbox/requests").json()["data"]}
    assert not any(p.startswith("/_sandbox") for p in paths)


def test_page_files_ship_in_the_wheel() -> None:
    from messages_sandbox.web.inspector import ASSETS, read_asset

    for name in ASSETS:
        assert read_asset(name)
    pyproject = (FIXTURES.parent / "pyproject.toml").read_text()
    assert '"messages_sandbox.web.inspector" = ["*.html", "*.js", "*.css"]' in pyproject


def test_a_page_under_a_session_prefix_follows_that_session_only(own) -> None:
    mine, theirs = session(), session()
    name = mine["x-sandbox-session"]
    page = own.get(f"/session/{name}/_sandbox/")
    assert page.status_code == 200 and 'src="assets/app.js"' in page.text  # relative: prefixed
    assert own.get(f"/session/{name}/_sandbox/assets/app.css").status_code == 200
    with own.stream("GET", f"/session/{name}/_sandbox/events") as stream:
        events = sse(stream)
        kind, hello = next(events)
        assert kind == "hello" and hello["session"] == name
        send(own, "not mine", headers=theirs)
        rid = send(own, "mine", headers=mine).headers["request-id"]
        kind, rows = next(events)
        while kind != "entries":
            kind, rows = next(events)
        assert [r["id"] for r in rows] == [rid]


def test_with_an_admin_token_only_the_page_files_go_without_it(make_server) -> None:
    token = "inspector-token-0123456789"
    srv = make_server(SANDBOX_ADMIN_TOKEN=token)
    with srv.http() as http:
        # The browser loads these before the page can ask for the token: static, no data.
        for path in ("/_sandbox/", "/_sandbox/assets/app.js", "/_sandbox/assets/app.css"):
            assert http.get(path).status_code == 200, path
        for method, path in (
            ("GET", "/_sandbox/events"),
            ("GET", "/_sandbox/requests/req_x/events"),
            ("POST", "/_sandbox/requests/req_x/replay"),
            ("GET", "/_sandbox/assets/../requests"),
        ):
            assert http.request(method, path).status_code == 401, path
        with http.stream("GET", "/_sandbox/events", headers={"x-sandbox-admin-token": token}) as s:
            assert s.status_code == 200 and next(sse(s))[0] == "hello"
        # The Host and Origin checks still apply to the page.
        assert http.get("/_sandbox/", headers={"host": "rebound.example"}).status_code == 403
        foreign = {"origin": "http://elsewhere.example"}
        assert http.get("/_sandbox/", headers=foreign).status_code == 403
