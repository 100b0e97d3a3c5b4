"""Scale out (issue #17): two workers of one server and a second replica, their state in a
real ``redis-server`` on a free port, behave as one sandbox. Skipped when Debian's
``redis-server`` is not installed (``apt-get install -y redis-server``; ``.ci/run`` does).
"""

from __future__ import annotations

import concurrent.futures
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import anthropic
import httpx
import pytest

from tests.conftest import HEADERS, ROOT, Server, free_port

REDIS = shutil.which("redis-server") or (
    "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
)
pytestmark = pytest.mark.skipif(
    REDIS is None,
    reason="redis-server is not installed (apt-get install -y redis-server): the scale-out "
    "tests start a real one",
)

MODEL = "claude-sonnet-4-5"
STEPS = 40
SCRIPT = f"""
rules:
  - id: story
    match:
      last_user_text: "next chapter"
    script:
      advance: session
      after: stop
      steps:
{
    "".join(
        f'''        - reply:
            text: "chapter {n}"
'''
        for n in range(1, STEPS + 1)
    )
}
"""


PACED = """
  - id: paced
    match:
      last_user_text: "paced turn"
    reply:
      text: "a paced answer in a few chunks"
    stream:
      first_token_ms: 20
      chunk_size: 8
"""


class Redis:
    """A real redis-server on a free port, without persistence; ``stop`` and ``start`` again
    on the same port."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        assert REDIS is not None
        self.process = subprocess.Popen(
            [
                REDIS,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                import socket

                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


@pytest.fixture(scope="module")
def redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Redis]:
    server = Redis(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


def start(tmp: Path, redis: Redis, fixtures: Path, *args: str, **env: str) -> Server:
    """A sandbox on a free port, its state in ``redis``, its data dir shared by every
    replica of the test (as a compose volume would be)."""
    port = free_port()
    log_path = tmp / f"server-{port}.log"
    environ = {
        **os.environ,
        "SANDBOX_HOST": "127.0.0.1",
        "SANDBOX_PORT": str(port),
        "SANDBOX_FIXTURES": str(fixtures),
        "SANDBOX_DATA_DIR": str(tmp / "data"),
        "SANDBOX_STATE_URL": redis.url,
        **env,
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "messages_sandbox", "serve", *args],
            cwd=ROOT,
            env=environ,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"sandbox exited with {process.returncode}:\n{server.log()}")
        try:
            if httpx.get(server.base_url + "/health", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"sandbox did not start:\n{server.log()}")


@pytest.fixture(scope="module")
def replicas(
    tmp_path_factory: pytest.TempPathFactory, redis: Redis
) -> Iterator[tuple[Server, Server]]:
    """Replica A with two worker processes, replica B with one: three processes, one state
    (started once for the module: each test uses its own session names, or resets)."""
    tmp_path = tmp_path_factory.mktemp("replicas")
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    (fixtures / "story.yaml").write_text(SCRIPT + PACED)
    # Generous limits, counted: each response says what is left of the shared window.
    limits = {"SANDBOX_RATE_LIMITS": "requests=1000"}
    a = start(tmp_path, redis, fixtures, "--workers", "2", **limits)
    try:
        b = start(tmp_path, redis, fixtures, **limits)
    except BaseException:
        a.stop()
        raise
    a.fixtures = b.fixtures = fixtures  # type: ignore[attr-defined]
    yield a, b
    a.stop()
    b.stop()


def chapter(server: Server, session: str) -> tuple[int, str | None]:
    """One call of the script in ``session``: (status, its text or None)."""
    response = httpx.post(
        server.base_url + "/v1/messages",
        headers={**HEADERS, "x-sandbox-session": session},
        json={
            "model": MODEL,
            "max_tokens": 50,
            "messages": [{"role": "user", "content": "next chapter"}],
        },
        timeout=30,
    )
    if response.status_code != 200:
        return response.status_code, None
    assert response.headers["x-sandbox-rule"] == "story"
    return 200, response.json()["content"][0]["text"]


def test_a_sessions_script_advances_in_order_across_two_workers_and_two_replicas(
    replicas: tuple[Server, Server],
) -> None:
    a, b = replicas
    texts = [chapter((a, a, b)[i % 3], "ci-job-1")[1] for i in range(12)]
    assert texts == [f"chapter {n}" for n in range(1, 13)]
    # Another session has its own counters, wherever it is served.
    assert chapter(b, "ci-job-2")[1] == "chapter 1"


def test_concurrent_requests_on_one_session_never_skip_or_repeat_a_step(
    replicas: tuple[Server, Server],
) -> None:
    a, b = replicas
    with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(lambda i: chapter((a, b)[i % 2], "race"), range(STEPS)))
    assert sorted(text for _, text in answers) == sorted(
        f"chapter {n}" for n in range(1, STEPS + 1)
    )
    # The script is over (after: stop): the default responder answers, on either replica.
    response = httpx.post(
        a.base_url + "/v1/messages",
        headers={**HEADERS, "x-sandbox-session": "race"},
        json={
            "model": MODEL,
            "max_tokens": 50,
            "messages": [{"role": "user", "content": "next chapter"}],
        },
    )
    assert response.status_code == 200 and "x-sandbox-rule" not in response.headers


def test_the_journal_lists_every_request_once_read_from_any_replica(
    replicas: tuple[Server, Server],
) -> None:
    a, b = replicas
    httpx.post(b.base_url + "/_sandbox/reset")
    ids = []
    for i in range(9):
        response = httpx.post(
            (a, b, a)[i % 3].base_url + "/v1/messages",
            headers=HEADERS,
            json={
                "model": MODEL,
                "max_tokens": 20,
                "messages": [{"role": "user", "content": f"hello {i}"}],
            },
        )
        ids.append(response.headers["request-id"])
    for replica in (a, b):
        listed = httpx.get(replica.base_url + "/_sandbox/requests").json()["data"]
        assert [entry["id"] for entry in listed] == ids[::-1]
        one = httpx.get(replica.base_url + f"/_sandbox/requests/{ids[4]}").json()
        assert one["body"]["messages"][0]["content"] == "hello 4"
        assert one["response"]["content"][0]["type"] == "text"


def test_the_inspector_of_any_replica_shows_the_shared_journal(
    replicas: tuple[Server, Server],
) -> None:
    a, b = replicas
    streamed = httpx.post(
        a.base_url + "/v1/messages",
        headers={**HEADERS, "x-sandbox-session": "inspected"},
        json={
            "model": MODEL,
            "max_tokens": 20,
            "stream": True,
            "messages": [{"role": "user", "content": "hello inspector"}],
        },
    )
    request_id = streamed.headers["request-id"]
    events = httpx.get(b.base_url + f"/_sandbox/requests/{request_id}/events").json()
    assert events["events"][-1]["event"] == "message_stop"
    seen: list[str] = []
    sent: list[str] = []
    stop = threading.Event()

    def send_on_a() -> None:
        # Until the feed shows one (its subscription to the other replicas may take a moment).
        while not stop.is_set() and len(sent) < 20:
            response = httpx.post(
                a.base_url + "/v1/messages",
                headers={**HEADERS, "x-sandbox-session": "inspected"},
                json={
                    "model": MODEL,
                    "max_tokens": 20,
                    "messages": [{"role": "user", "content": "live from A"}],
                },
            )
            sent.append(response.headers["request-id"])
            stop.wait(0.5)

    sender = threading.Thread(target=send_on_a)
    deadline = time.monotonic() + 30
    try:
        # A generous read timeout: on a loaded machine (the suite runs beside other work)
        # the feed's keep-alive ping may come later than httpx's default 5 s.
        with httpx.stream(
            "GET", b.base_url + "/_sandbox/events?session=inspected", timeout=30
        ) as feed:
            for line in feed.iter_lines():
                if time.monotonic() > deadline:  # the feed pings: lines keep coming
                    break
                if line.startswith("event: "):
                    seen.append(line.removeprefix("event: "))
                if request_id in line and not sender.is_alive() and not sent:
                    sender.start()  # in the backlog; now requests on the other replica
                elif any(rid in line for rid in sent):
                    break
    finally:
        stop.set()
        if sender.is_alive():
            sender.join()
    assert seen[:2] == ["hello", "backlog"] and seen[-1] == "entries"


def test_a_reset_on_one_replica_applies_to_all(replicas: tuple[Server, Server]) -> None:
    a, b = replicas
    assert [chapter(a, "job")[1] for _ in range(3)] == ["chapter 1", "chapter 2", "chapter 3"]
    assert httpx.post(b.base_url + "/_sandbox/reset").status_code == 200
    assert chapter(a, "job")[1] == "chapter 1"
    assert len(httpx.get(a.base_url + "/_sandbox/requests").json()["data"]) == 1
    # A session reset on one replica only restarts that session, seen from the other.
    chapter(a, "other")
    httpx.post(b.base_url + "/_sandbox/reset?session=job")
    assert chapter(a, "job")[1] == "chapter 1"
    assert chapter(a, "other")[1] == "chapter 2"


def test_rules_added_on_one_replica_answer_on_another_and_show_their_hits(
    replicas: tuple[Server, Server],
) -> None:
    a, b = replicas
    rule = {
        "rules": [
            {
                "id": "hello",
                "match": {"last_user_text": "hi there"},
                "reply": {"text": "added at run time"},
            }
        ]
    }
    assert httpx.post(a.base_url + "/_sandbox/rules?session=s1", json=rule).status_code == 200
    duplicate = httpx.post(b.base_url + "/_sandbox/rules?session=s1", json=rule)
    assert duplicate.status_code == 400 and "hello" in duplicate.json()["error"]["message"]
    for replica in (b, a, b):
        response = httpx.post(
            replica.base_url + "/v1/messages",
            headers={**HEADERS, "x-sandbox-session": "s1"},
            json={
                "model": MODEL,
                "max_tokens": 20,
                "messages": [{"role": "user", "content": "hi there"}],
            },
        )
        assert response.json()["content"][0]["text"] == "added at run time"
    listed = httpx.get(a.base_url + "/_sandbox/rules?session=s1").json()["data"]
    assert [(r["id"], r["hits"]) for r in listed if r["origin"] == "runtime"] == [("hello", 3)]
    sessions = httpx.get(b.base_url + "/_sandbox/sessions").json()["data"]
    assert (sessions[0]["session"], sessions[0]["rules"]) == ("s1", 1)  # most recent first
    assert httpx.delete(b.base_url + "/_sandbox/rules/hello?session=s1").status_code == 200
    response = httpx.post(
        a.base_url + "/v1/messages",
        headers={**HEADERS, "x-sandbox-session": "s1"},
        json={
            "model": MODEL,
            "max_tokens": 20,
            "messages": [{"role": "user", "content": "hi there"}],
        },
    )
    assert "x-sandbox-rule" not in response.headers


def test_a_thread_created_on_one_replica_continues_on_another(
    replicas: tuple[Server, Server],
) -> None:
    a, b = replicas
    beta = "message-threads-2026-08-12"
    with a.client() as on_a, b.client() as on_b:
        first = on_a.beta.messages.create(
            model=MODEL,
            max_tokens=100,
            system="You are terse.",
            messages=[{"role": "user", "content": "My name is Ada."}],
            thread={"type": "create"},
            betas=[beta],
        )
        second = on_b.beta.messages.create(
            model=MODEL,
            max_tokens=100,
            messages=[{"role": "user", "content": "What is my name?"}],
            thread={"type": "continue", "previous_message_id": first.id},
            betas=[beta],
        )
        with pytest.raises(anthropic.BadRequestError) as again:
            on_a.beta.messages.create(
                model=MODEL,
                max_tokens=100,
                messages=[{"role": "user", "content": "Again"}],
                thread={"type": "continue", "previous_message_id": first.id},
                betas=[beta],
            )
    assert again.value.body["error"]["details"]["error_code"] == "thread_already_continued"
    # A paced stream continues the thread when its last event is out (the writer's on_end,
    # bridged to Redis too): the next turn, on the other replica, continues from it.
    with b.client() as on_b, a.client() as on_a:
        with on_b.beta.messages.stream(
            model=MODEL,
            max_tokens=100,
            messages=[{"role": "user", "content": "paced turn"}],
            thread={"type": "continue", "previous_message_id": second.id},
            betas=[beta],
        ) as stream:
            paced = stream.get_final_message()
        assert paced.content[0].text == "a paced answer in a few chunks"
        after = on_a.beta.messages.create(
            model=MODEL,
            max_tokens=100,
            messages=[{"role": "user", "content": "And then?"}],
            thread={"type": "continue", "previous_message_id": paced.id},
            betas=[beta],
        )
        assert after.usage.input_tokens > paced.usage.input_tokens
    # The replica that answered the continue saw the whole conversation (journal entry).
    entry = httpx.get(b.base_url + f"/_sandbox/requests/{second._request_id}").json()
    assert entry["status"] == 200
    assert second.usage.input_tokens > first.usage.input_tokens


def test_a_file_uploaded_to_one_replica_is_served_by_another(
    replicas: tuple[Server, Server],
) -> None:
    a, b = replicas
    with a.client() as on_a, b.client() as on_b:
        uploaded = on_a.files.upload(file=("notes.txt", b"hello from replica A", "text/plain"))
        assert on_b.files.retrieve_metadata(uploaded.id) == uploaded
        assert uploaded.id in [f.id for f in on_b.files.list()]
        reply = on_b.messages.create(
            model=MODEL,
            max_tokens=50,
            messages=[
                {
                    "role": "user",
                    "content": [
                        {"type": "document", "source": {"type": "file", "file_id": uploaded.id}},
                        {"type": "text", "text": "Summarise"},
                    ],
                }
            ],
        )
        assert reply.usage.input_tokens > 0
        on_b.files.delete(uploaded.id)
        with pytest.raises(anthropic.NotFoundError):
            on_a.files.retrieve_metadata(uploaded.id)


def test_every_worker_of_every_replica_hot_reloads_the_fixtures(
    replicas: tuple[Server, Server],
) -> None:
    a, b = replicas
    rule = 'rules:\n  - id: fresh\n    match: {last_user_text: "reload probe"}\n'
    rule += '    reply: {text: "reloaded"}\n'
    (a.fixtures / "fresh.yaml").write_text(rule)  # type: ignore[attr-defined]

    def answer(server: Server) -> str:
        response = httpx.post(
            server.base_url + "/v1/messages",
            headers=HEADERS,
            json={
                "model": MODEL,
                "max_tokens": 20,
                "messages": [{"role": "user", "content": "reload probe"}],
            },
        )
        return str(response.json()["content"][0]["text"])

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and "reloaded" not in (answer(a), answer(b)):
        time.sleep(0.2)
    time.sleep(1)  # every watcher's debounce
    # New connections each time: the kernel hands them to either worker of replica A.
    assert {answer(server) for server in (a, b) * 8} == {"reloaded"}


def test_a_batch_created_on_one_replica_is_read_on_another(
    replicas: tuple[Server, Server],
) -> None:
    a, b = replicas
    with a.client() as on_a, b.client() as on_b:
        batch = on_a.messages.batches.create(
            requests=[
                {
                    "custom_id": f"r{i}",
                    "params": {
                        "model": MODEL,
                        "max_tokens": 20,
                        "messages": [{"role": "user", "content": f"question {i}"}],
                    },
                }
                for i in range(3)
            ]
        )
        assert on_b.messages.batches.retrieve(batch.id).processing_status == "ended"
        results = list(on_b.messages.batches.results(batch.id))
        assert sorted(r.custom_id for r in results) == ["r0", "r1", "r2"]
        assert batch.id in [item.id for item in on_a.messages.batches.list()]


def test_rate_limit_windows_and_the_prompt_cache_are_shared(
    replicas: tuple[Server, Server],
) -> None:
    a, b = replicas
    headers = {**HEADERS, "x-api-key": "sk-ant-shared-window"}
    system = [
        {"type": "text", "text": "Shared prefix. " * 700, "cache_control": {"type": "ephemeral"}}
    ]
    remaining, usages = [], []
    for replica in (a, b, a):
        response = httpx.post(
            replica.base_url + "/v1/messages",
            headers=headers,
            json={
                "model": MODEL,
                "max_tokens": 20,
                "system": system,
                "messages": [{"role": "user", "content": "hello"}],
            },
        )
        remaining.append(int(response.headers["anthropic-ratelimit-requests-remaining"]))
        usages.append(response.json()["usage"])
    assert remaining == [999, 998, 997]
    written = usages[0]["cache_creation_input_tokens"]
    assert written > 0
    assert [u["cache_read_input_tokens"] for u in usages[1:]] == [written, written]
    # Any other route shows the same window.
    models = httpx.get(b.base_url + "/v1/models", headers=headers)
    assert models.headers["anthropic-ratelimit-requests-remaining"] == "997"


def test_redis_stopped_and_restarted_mid_run_gives_clear_errors_then_recovers(
    replicas: tuple[Server, Server], redis: Redis
) -> None:
    # Last in the module: Redis comes back empty (no persistence).
    a, b = replicas
    assert chapter(a, "outage") == (200, "chapter 1")
    redis.stop()
    response = httpx.post(
        b.base_url + "/v1/messages",
        headers={**HEADERS, "x-sandbox-session": "outage"},
        json={
            "model": MODEL,
            "max_tokens": 20,
            "messages": [{"role": "user", "content": "next chapter"}],
        },
        timeout=30,
    )
    assert response.status_code == 503
    assert response.headers["x-should-retry"] == "true"
    error = response.json()
    assert error["type"] == "error" and error["error"]["type"] == "api_error"
    assert "SANDBOX_STATE_URL" in error["error"]["message"]
    assert error["request_id"] == response.headers["request-id"]
    admin = httpx.get(a.base_url + "/_sandbox/requests")
    assert admin.status_code == 503 and admin.json()["error"]["type"] == "api_error"
    health = httpx.get(a.base_url + "/health").json()
    assert health["status"] == "ok" and health["state"] == {"store": "redis", "reachable": False}
    redis.start()  # empty: no persistence, so the script starts again
    statuses = [chapter(server, "outage")[0] for server in (a, a, b)]
    assert statuses == [200, 200, 200]
    assert httpx.get(b.base_url + "/health").json()["state"]["reachable"] is True
    assert a.process.poll() is None and b.process.poll() is None
    assert "Traceback" not in a.log() + b.log()


def test_workers_without_a_state_url_refuse_to_start() -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}
    done = subprocess.run(
        [sys.executable, "-m", "messages_sandbox", "serve", "--workers", "2"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "SANDBOX_STATE_URL" in done.stderr
