"""The inspector page (``GET /_sandbox/``) in real headless Chromium.

Debian's /usr/bin/chromium driven by playwright-core (tests/browser/inspector.mjs, through
``inspector_page.InspectorPage``). Requests are sent with the official SDK while the page is
open, as a developer keeps it open beside their app. Needs ``bash tests/browser/install.sh``.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import anthropic
import httpx
import pytest
from conftest import API_KEY, FIXTURES, HEADERS, Server, start_server
from inspector_page import InspectorPage, missing

pytestmark = pytest.mark.skipif(
    bool(missing()), reason="; ".join(missing()) + " (run: bash tests/browser/install.sh)"
)

MODEL = "claude-sonnet-4-6"
PNG = (FIXTURES / "media").glob("*.png")


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = start_server(tmp_path_factory.mktemp("inspector-page"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[InspectorPage]:
    page = InspectorPage()
    yield page
    page.close()


@pytest.fixture
def page(browser: InspectorPage, srv: Server) -> InspectorPage:
    browser.open(srv.base_url + "/_sandbox/")
    return browser


@pytest.fixture
def sdk() -> Iterator[Callable[[Server], tuple[anthropic.Anthropic, str]]]:
    """An SDK client in a session of its own: ``client, session = sdk(srv)``."""
    made: list[anthropic.Anthropic] = []

    def make(srv: Server) -> tuple[anthropic.Anthropic, str]:
        session = f"page-{uuid.uuid4().hex[:10]}"
        client = anthropic.Anthropic(
            base_url=srv.base_url,
            api_key=API_KEY,
            max_retries=0,
            default_headers={"x-sandbox-session": session},
        )
        made.append(client)
        return client, session

    yield make
    for client in made:
        client.close()


def test_an_exchange_sent_after_the_page_loaded_appears_live(page, srv, sdk) -> None:
    client, session = sdk(srv)
    raw = client.messages.with_raw_response.create(
        model=MODEL, max_tokens=32, messages=[{"role": "user", "content": "live row"}]
    )
    row = page.row(raw.headers["request-id"])
    text = page.text(row)
    for shown in (session, "POST", "/v1/messages", MODEL, "200", "default responder"):
        assert shown in text
    assert not [m for m in page.log() if "pageerror" in m]


def test_opening_an_exchange_shows_the_prompt_and_the_answer(page, srv, sdk) -> None:
    client, _ = sdk(srv)
    image = base64.b64encode(next(PNG).read_bytes()).decode()
    raw = client.messages.with_raw_response.create(
        model=MODEL,
        max_tokens=64,
        system="You are a careful assistant.",
        tools=[{"name": "get_weather", "input_schema": {"type": "object"}}],
        messages=[
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "What is in this picture?"},
                    {"type": "image", "source": {"type": "base64", "media_type": "image/png",
                                                 "data": image}},
                ],
            }
        ],
    )  # fmt: skip
    answer = raw.parse().content[0].text
    page.open_exchange(raw.headers["request-id"])
    prompt = page.text(".card.conversation")
    assert "You are a careful assistant." in prompt and "What is in this picture?" in prompt
    assert "get_weather" in prompt
    assert page.count(".card.conversation img.thumb") == 1
    assert page.eval("document.querySelector('img.thumb').naturalWidth") > 0  # it decoded
    assert answer in page.text(".card.answer")
    assert API_KEY not in page.text("#detail")


def test_a_stream_shows_its_events_with_their_timing(page, srv, sdk) -> None:
    client, _ = sdk(srv)
    with client.messages.stream(
        model=MODEL, max_tokens=64, messages=[{"role": "user", "content": "Paced demo: page"}]
    ) as stream:
        text = stream.get_final_text()
        rid = stream.response.headers["request-id"]
    page.open_exchange(rid)
    page.wait('table.events[data-timing="recorded"]')
    events = page.texts("table.events td.ev")
    assert events[0] == "message_start" and events[-1] == "message_stop"
    assert "content_block_delta" in events
    first_delta = page.texts("table.events td.at")[events.index("content_block_delta")]
    assert float(first_delta.lstrip("+")) >= 270  # first_token_ms 300 of the fixture, jitter 0.1
    assert text.split()[0] in page.text("table.events")


def test_an_unmatched_request_shows_its_near_misses(page, srv, sdk) -> None:
    client, _ = sdk(srv)
    raw = client.messages.with_raw_response.create(
        model=MODEL, max_tokens=32, messages=[{"role": "user", "content": "Error demo: 42"}]
    )
    page.open_exchange(raw.headers["request-id"])
    page.wait(".card.miss-card .near li")
    near = page.text(".card.miss-card")
    assert "default responder" in near
    assert "error-429" in near and "errors.yaml" in near  # the closest rule, where it is


def test_copy_as_fixture_gives_yaml_that_validate_accepts(page, srv, sdk, tmp_path) -> None:
    client, _ = sdk(srv)
    raw = client.messages.with_raw_response.create(
        model=MODEL, max_tokens=32, messages=[{"role": "user", "content": "Make me a fixture"}]
    )
    page.open_exchange(raw.headers["request-id"])
    page.click('button[data-action="fixture"]')
    page.wait('body[data-copied="fixture YAML"]', state="attached")
    yaml_text = page.clipboard()
    assert "Make me a fixture" in yaml_text
    fixtures = tmp_path / "copied"
    fixtures.mkdir()
    (fixtures / "copied.yaml").write_text(yaml_text)
    check = subprocess.run(
        [sys.executable, "-m", "messages_sandbox", "validate", str(fixtures)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr + yaml_text


def test_copy_as_curl_carries_a_placeholder_never_the_key(page, srv, sdk) -> None:
    client, session = sdk(srv)
    raw = client.messages.with_raw_response.create(
        model=MODEL, max_tokens=32, messages=[{"role": "user", "content": "curl me"}]
    )
    page.open_exchange(raw.headers["request-id"])
    page.click('button[data-action="curl"]')
    page.wait('body[data-copied="curl command"]', state="attached")
    curl = page.clipboard()
    assert API_KEY not in curl
    assert "$ANTHROPIC_API_KEY" in curl and session in curl
    # The command works as given, once the placeholder is set.
    out = subprocess.run(
        ["bash", "-c", curl], env={**os.environ, "ANTHROPIC_API_KEY": API_KEY}, capture_output=True
    )
    assert out.returncode == 0 and b'"type":"message"' in out.stdout


def test_replay_from_the_page_adds_the_new_exchange_and_opens_it(page, srv, sdk) -> None:
    client, _ = sdk(srv)
    raw = client.messages.with_raw_response.create(
        model=MODEL, max_tokens=32, messages=[{"role": "user", "content": "replay from the page"}]
    )
    rid = raw.headers["request-id"]
    page.open_exchange(rid)
    page.click('button[data-action="replay"]')
    page.wait(f'.d-head .d-meta:has-text("replay of {rid}")')


def test_pause_holds_new_exchanges_until_resume(page, srv, sdk) -> None:
    client, _ = sdk(srv)
    page.click("#pause")
    raw = client.messages.with_raw_response.create(
        model=MODEL, max_tokens=32, messages=[{"role": "user", "content": "while paused"}]
    )
    rid = raw.headers["request-id"]
    page.wait('#pause:has-text("Resume (1 new)")')
    assert page.count(f'.list-body .row[data-id="{rid}"]') == 0
    page.click("#pause")
    page.row(rid)


def test_filters_by_status_and_rule(page, srv, sdk) -> None:
    client, session = sdk(srv)
    ok = client.messages.with_raw_response.create(
        model=MODEL, max_tokens=32, messages=[{"role": "user", "content": "fine"}]
    )
    with pytest.raises(anthropic.RateLimitError) as refused:
        client.messages.create(
            model=MODEL, max_tokens=32, messages=[{"role": "user", "content": "Error demo: 429"}]
        )
    bad = refused.value.response.headers["request-id"]
    page.row(bad)
    page.select("#f-status", "4xx")
    page.wait(f'.list-body .row[data-id="{ok.headers["request-id"]}"]', state="detached")
    page.row(bad)
    page.select("#f-status", "")
    page.fill("#f-rule", "error-429")
    page.wait(f'.list-body .row[data-id="{ok.headers["request-id"]}"]', state="detached")
    assert "error-429" in page.text(page.row(bad))
    page.fill("#f-rule", "")
    assert session


def test_the_rules_view_shows_where_each_rule_is_and_highlights_unused_ones(page) -> None:
    page.click('button[data-tab="rules"]')
    page.wait("#rules-table tbody tr")
    row = '#rules-table tr[data-rule="paced-stream"]'
    assert "paced.yaml:" in page.text(row)
    assert page.count("#rules-table tr.unused") >= 1
    page.click('button[data-tab="exchanges"]')


def test_reset_of_one_session_leaves_the_others(page, srv, sdk) -> None:
    mine, my_session = sdk(srv)
    theirs, _ = sdk(srv)
    gone = mine.messages.with_raw_response.create(
        model=MODEL, max_tokens=32, messages=[{"role": "user", "content": "mine"}]
    ).headers["request-id"]
    kept = theirs.messages.with_raw_response.create(
        model=MODEL, max_tokens=32, messages=[{"role": "user", "content": "theirs"}]
    ).headers["request-id"]
    page.row(gone)
    page.click('button[data-tab="sessions"]')
    mine_row = f'#sessions-table tr[data-session="{my_session}"]'
    page.click(f'{mine_row} button[data-action="reset-session"]')
    page.click('button[data-tab="exchanges"]')
    page.wait(f'.list-body .row[data-id="{gone}"]', state="detached")
    page.row(kept)
    with httpx.Client(base_url=srv.base_url) as http:
        entries = http.get("/_sandbox/requests", params={"session": my_session}).json()["data"]
    assert entries == []


def test_thousands_of_exchanges_keep_the_page_small(browser, tmp_path) -> None:
    srv = start_server(tmp_path, SANDBOX_JOURNAL_SIZE="3000")
    try:
        body = {"model": MODEL, "max_tokens": 8, "messages": [{"role": "user", "content": "x"}]}
        with httpx.Client(base_url=srv.base_url, headers=HEADERS, timeout=30) as http:
            for n in range(3000):
                session = {"x-sandbox-session": f"bulk-{n % 60}"}
                assert http.post("/v1/messages", json=body, headers=session).status_code == 200
        browser.open(srv.base_url + "/_sandbox/")
        browser.wait('#count-exchanges:text-is("3000")')
        assert browser.count(".list-body .row") < 120  # only the rows on screen exist
        assert browser.count("#session-names option") == 61  # "(none)" and 60 sessions
        browser.fill("#f-session", "bulk-7")
        browser.wait('#shown:text-is("50 of 3000 shown")')
        browser.eval("document.querySelector('#list-body').scrollTop = 1e9")
        browser.wait('.list-body .row:has-text("bulk-7")')
    finally:
        srv.stop()


RULES = """rules:
  - id: banner-probe
    match: {last_user_text: "banner"}
    reply: {text: "fine"}
"""


def test_a_failed_reload_shows_a_banner_until_a_good_edit(browser, tmp_path) -> None:
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    rules = fixtures / "rules.yaml"
    rules.write_text(RULES)
    srv = start_server(tmp_path, fixtures, SANDBOX_RELOAD="true")
    try:
        browser.open(srv.base_url + "/_sandbox/")
        assert browser.count("#reload-banner:visible") == 0
        _write(rules, RULES + "  - id: broken\n    match: {no_such_key: 1}\n    reply: {text: x}\n")
        browser.wait("#reload-banner")
        assert "stale fixtures are serving" in browser.text("#reload-banner")
        where = browser.text("#reload-where")
        assert where.startswith(str(rules)) and ":" in where.removeprefix(str(rules))
        assert "no_such_key" in browser.text("#reload-error")
        _write(rules, RULES)
        browser.wait("#reload-banner", state="hidden")
    finally:
        srv.stop()


def _write(path: Path, text: str) -> None:
    tmp = path.with_name("." + path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)
    time.sleep(0)  # the watcher sees one atomic change


def test_with_an_admin_token_the_page_asks_for_it_once_and_keeps_it_in_the_tab(
    browser, tmp_path
) -> None:
    token = "admin-" + uuid.uuid4().hex
    srv = start_server(tmp_path, SANDBOX_ADMIN_TOKEN=token)
    try:
        browser.call("goto", url=srv.base_url + "/_sandbox/")
        browser.wait("#token-dialog[open]")
        browser.fill("#token-input", "not-the-token")
        browser.click('#token-dialog button[value="ok"]')
        browser.wait("#token-error")  # refused: asked again
        browser.fill("#token-input", token)
        browser.click('#token-dialog button[value="ok"]')
        browser.wait('#conn[data-state="live"]')
        with httpx.Client(base_url=srv.base_url, headers=HEADERS) as http:
            body = {"model": MODEL, "max_tokens": 8, "messages": [{"role": "user", "content": "x"}]}
            rid = http.post("/v1/messages", json=body).headers["request-id"]
            assert http.get("/_sandbox/requests").status_code == 401  # no token: refused
        browser.open_exchange(rid)
        stored = browser.eval("sessionStorage.getItem('messages-sandbox.admin-token')")
        assert stored == token
        # A reload of the page does not ask again: the token is kept for the tab.
        browser.open(srv.base_url + "/_sandbox/")
        assert browser.count("#token-dialog[open]") == 0
    finally:
        srv.stop()


def test_the_page_under_a_session_prefix_shows_that_session_only(browser, srv, sdk) -> None:
    mine, session = sdk(srv)
    theirs, _ = sdk(srv)
    browser.open(f"{srv.base_url}/session/{session}/_sandbox/")
    other = theirs.messages.with_raw_response.create(
        model=MODEL, max_tokens=16, messages=[{"role": "user", "content": "theirs"}]
    ).headers["request-id"]
    own = mine.messages.with_raw_response.create(
        model=MODEL, max_tokens=16, messages=[{"role": "user", "content": "mine"}]
    ).headers["request-id"]
    browser.open_exchange(own)
    assert browser.count(f'.list-body .row[data-id="{other}"]') == 0
    # Its curl command goes through the same prefix.
    browser.click('button[data-action="curl"]')
    browser.wait('body[data-copied="curl command"]', state="attached")
    assert f"/session/{session}/v1/messages" in browser.clipboard()
