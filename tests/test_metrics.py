"""``GET /metrics``: the Prometheus text format, read back with prometheus-client's own parser.

A module server takes the requests (each test compares the figures before and after what it
sent); reloads need their own fixtures directory; registries per app are checked in process.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import FIXTURES, HEADERS, start_server
from prometheus_client.parser import text_string_to_metric_families

from messages_sandbox.settings import Settings
from messages_sandbox.web.app import create_app

MODEL = "claude-sonnet-4-6"
P = "messages_sandbox_"

Figures = dict[tuple[str, frozenset[tuple[str, str]]], float]


def figures(text: str) -> Figures:
    out: Figures = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out[sample.name, frozenset(sample.labels.items())] = sample.value
    return out


def scrape(http: httpx.Client) -> Figures:
    response = http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    return figures(response.text)


def value(f: Figures, name: str, **labels: str) -> float:
    return f.get((P + name, frozenset(labels.items())), 0.0)


def ask(http: httpx.Client, text: str, **extra: Any) -> httpx.Response:
    body = {"model": MODEL, "max_tokens": 64, "messages": [{"role": "user", "content": text}]}
    return http.post("/v1/messages", json={**body, **extra}, headers=HEADERS)


def eventually(
    probe: Callable[[], Any],
    want: Any,
    timeout: float = 10.0,
    key: Callable[[Any], Any] = lambda got: got,
) -> Any:
    deadline = time.monotonic() + timeout
    got = probe()
    while key(got) != want and time.monotonic() < deadline:
        time.sleep(0.05)
        got = probe()
    return got


@pytest.fixture(scope="module")
def http(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    srv = start_server(tmp_path_factory.mktemp("metrics"))
    with srv.http() as client:
        yield client
    srv.stop()


def test_requests_are_counted_by_route_template_and_status(http) -> None:
    before = scrape(http)
    assert ask(http, "count me").status_code == 200
    assert ask(http, "count me", max_tokens="many").status_code == 400
    assert http.get("/v1/files/file_nope", headers=HEADERS).status_code == 404
    assert http.get("/v1/files/file_other", headers=HEADERS).status_code == 404
    assert http.get("/v1/nothing-here", headers=HEADERS).status_code == 404
    after = scrape(http)

    def moved(route: str, status: str) -> float:
        name = "requests_total"
        return value(after, name, route=route, status=status) - value(
            before, name, route=route, status=status
        )

    assert moved("/v1/messages", "200") == 1
    assert moved("/v1/messages", "400") == 1
    assert moved("/v1/files/{file_id}", "404") == 2  # one label value for every file id
    assert moved("unrouted", "404") == 1


def test_rule_hits_and_unmatched_requests_are_counted(http) -> None:
    before = scrape(http)
    ask(http, "Error demo: 429")
    ask(http, "Error demo: 429")
    ask(http, "nothing matches this")
    after = scrape(http)
    hits = "rule_hits_total"
    assert value(after, hits, rule="error-429") - value(before, hits, rule="error-429") == 2
    unmatched = "unmatched_requests_total"
    assert value(after, unmatched) - value(before, unmatched) == 1


def test_streams_record_their_duration_and_time_to_first_token(http) -> None:
    before = scrape(http)
    ask(http, "an unpaced stream", stream=True).read()
    ask(http, "Paced demo: measured", stream=True).read()  # first_token_ms: 300, jitter: 0.1
    # The paced stream's writer finishes just after its last event reached the client.
    count = "stream_duration_seconds_count"
    want = value(before, count) + 2
    after = eventually(lambda: scrape(http), want, key=lambda f: value(f, count))

    def moved(name: str) -> float:
        return value(after, name) - value(before, name)

    assert moved("stream_duration_seconds_count") == 2
    assert moved("time_to_first_token_seconds_count") == 2
    assert moved("time_to_first_token_seconds_sum") >= 0.27  # 300 ms, jitter 0.1
    assert moved("stream_duration_seconds_sum") >= moved("time_to_first_token_seconds_sum")
    # The unpaced stream lands in the 0.25 s bucket, the paced one (300 ms) above it.
    key = "time_to_first_token_seconds_bucket"
    assert value(after, key, le="0.25") - value(before, key, le="0.25") == 1
    assert value(after, key, le="+Inf") - value(before, key, le="+Inf") == 2


def test_active_streams_counts_a_paced_stream_while_it_is_written(http) -> None:
    body = {
        "model": MODEL,
        "max_tokens": 64,
        "stream": True,
        "messages": [{"role": "user", "content": "Paced demo: in flight"}],
    }
    with http.stream("POST", "/v1/messages", json=body, headers=HEADERS) as response:
        chunks = response.iter_bytes()
        next(chunks)  # message_start is out; the deltas wait 300 ms
        assert value(scrape(http), "active_streams") >= 1
        for _ in chunks:
            pass
    deadline = time.monotonic() + 5
    while value(scrape(http), "active_streams") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert value(scrape(http), "active_streams") == 0


def test_journal_size_is_a_gauge_and_metrics_are_not_themselves_recorded(http) -> None:
    for _ in range(3):
        scrape(http)
    entries = http.get("/_sandbox/requests").json()["data"]
    assert not any(e["path"] == "/metrics" for e in entries)
    assert value(scrape(http), "journal_entries") == len(entries)
    routes = {dict(labels).get("route") for name, labels in scrape(http) if "requests" in name}
    assert not any(r and (r == "/metrics" or r.startswith("/_sandbox")) for r in routes)


def test_metrics_answer_any_host_name(http) -> None:
    # A Prometheus scraper addresses the service by its compose name.
    response = http.get("/metrics", headers={"host": "sandbox:8080"})
    assert response.status_code == 200 and "messages_sandbox_requests_total" in response.text


RULES = """rules:
  - id: probe
    match: {last_user_text: "probe"}
    reply: {text: "ok"}
"""


def test_fixture_reloads_are_counted_by_outcome(tmp_path: Path) -> None:
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    rules = fixtures / "rules.yaml"
    rules.write_text(RULES)
    srv = start_server(tmp_path, fixtures, SANDBOX_RELOAD="true")
    try:
        with srv.http() as http:

            def reloads() -> tuple[float, float]:
                f = scrape(http)
                ok = value(f, "fixture_reloads_total", outcome="ok")
                return ok, value(f, "fixture_reloads_total", outcome="failed")

            assert reloads() == (0, 0)
            _write(rules, RULES.replace('"ok"', '"still ok"'))
            assert eventually(reloads, (1, 0)) == (1, 0)
            _write(rules, "rules:\n  - id: broken\n    match: {nope: 1}\n")
            assert eventually(reloads, (1, 1)) == (1, 1)
    finally:
        srv.stop()


def _write(path: Path, text: str) -> None:
    tmp = path.with_name("." + path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def test_each_app_has_its_own_figures(tmp_path: Path) -> None:
    def app() -> Any:
        return create_app(Settings(fixtures=FIXTURES, reload=False, data_dir=tmp_path))

    async def scenario() -> tuple[Figures, Figures]:
        one, two = app(), app()
        transport_one = httpx.ASGITransport(one)
        transport_two = httpx.ASGITransport(two)
        async with (
            httpx.AsyncClient(transport=transport_one, base_url="http://a") as a,
            httpx.AsyncClient(transport=transport_two, base_url="http://b") as b,
        ):
            body = {"model": MODEL, "max_tokens": 8, "messages": [{"role": "user", "content": "x"}]}
            for _ in range(3):
                assert (await a.post("/v1/messages", json=body, headers=HEADERS)).status_code == 200
            return figures((await a.get("/metrics")).text), figures((await b.get("/metrics")).text)

    first, second = asyncio.run(scenario())
    assert value(first, "requests_total", route="/v1/messages", status="200") == 3
    assert value(second, "requests_total", route="/v1/messages", status="200") == 0
