"""Hot reload with the real file watcher: a good edit takes effect, a broken edit is refused
with the loader's file:line message while the last good set keeps serving, deleting a file
removes its rules, and a stream in flight during a reload finishes untouched.

The first test runs a server process as a user does; the others watch from a sandbox in this
process (the same watcher thread, started by the app's lifespan)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anthropic
import httpx
from conftest import InProcess, Server

MODEL = "claude-sonnet-4-6"
RULE = """rules:
  - id: probe
    match: {{last_user_text: "Reload probe"}}
    reply: {{text: "{answer}"}}
  - id: slow
    match: {{last_user_text: "Slow stream"}}
    reply: {{text: "one two three four five six seven eight nine ten"}}
    stream: {{chunk_size: 4, tokens_per_second: 8}}
"""


def write(path: Path, text: str) -> None:
    # Atomic, as editors and `kubectl cp` do: the watcher never sees half a file.
    tmp = path.with_name("." + path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def eventually(probe: Callable[[], Any], want: Any, timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    got = probe()
    while got != want and time.monotonic() < deadline:
        time.sleep(0.05)
        got = probe()
    return got


def answer(sdk: anthropic.Anthropic) -> tuple[str | None, str]:
    raw = sdk.messages.with_raw_response.create(
        model=MODEL, max_tokens=64, messages=[{"role": "user", "content": "Reload probe"}]
    )
    return raw.headers.get("x-sandbox-rule"), raw.parse().content[0].text


def probe_fixtures(tmp_path: Path, answer: str) -> tuple[Path, Path]:
    """A fixtures dir of its own: the catalogue plus one probe rule answering ``answer``."""
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    rules = fixtures / "probe.yaml"
    rules.write_text(RULE.format(answer=answer))
    return fixtures, rules


def fixtures_statuses(http: httpx.Client) -> list[dict]:
    """What /health, /_sandbox/config and /_sandbox/rules say about the fixtures serving."""
    return [
        http.get("/health").json()["fixtures_status"],
        http.get("/_sandbox/config").json()["fixtures_status"],
        http.get("/_sandbox/rules").json()["fixtures_status"],
    ]


def test_good_edit_bad_edit_and_delete_take_effect_without_restart(
    tmp_path: Path, make_server: Callable[..., Server]
) -> None:
    fixtures, rules = probe_fixtures(tmp_path, "v1")
    server = make_server(fixtures)
    with server.client() as sdk, server.http() as http:
        assert answer(sdk) == ("probe", "v1")
        assert [s["state"] for s in fixtures_statuses(http)] == ["current"] * 3

        write(rules, RULE.format(answer="v2"))
        assert eventually(lambda: answer(sdk), ("probe", "v2")) == ("probe", "v2")

        # Two problems at once: both are named, each at its line, in the log and for clients.
        bad = RULE.format(answer="v3").replace("reply:", "repyl:", 1)
        bad = bad.replace('"one two', '"{{ requst.model }} one two')
        write(rules, bad)
        message = f"{rules}:4: rules[0].repyl: unknown key `repyl` (did you mean `reply`?)"
        assert eventually(lambda: message in server.log(), True)
        assert "the last good set keeps serving" in server.log()
        assert answer(sdk) == ("probe", "v2")
        health, config, listed = fixtures_statuses(http)
        assert health == config == listed and health["state"] == "stale"
        assert health["errors"] == [
            f"{message}; allowed: description, error, id, match, priority, reply, script, stream",
            f"{rules}:7: rules[1].reply.text: template error: unknown name `requst` (templates "
            "see `documents`, `images`, `last_user_text`, `match`, `model`, `request`, `rule`, "
            "`session`, `step`, `system`, `tool_results`, `tools` and `turn`)",
        ]
        assert health["reload_failed_at"] >= health["loaded_at"]
        assert "2 rules" in health["serving"]  # the last good set, still serving

        rules.unlink()
        assert eventually(lambda: fixtures_statuses(http)[0]["state"], "current") == "current"
        assert "errors" not in fixtures_statuses(http)[0]
        assert eventually(lambda: answer(sdk)[0], None) is None

        write(fixtures / "new.yaml", RULE.format(answer="back"))
        assert eventually(lambda: answer(sdk), ("probe", "back")) == ("probe", "back")


def test_stream_in_flight_during_a_reload_finishes(
    tmp_path: Path, make_sandbox: Callable[..., InProcess]
) -> None:
    fixtures, rules = probe_fixtures(tmp_path, "before")
    server = make_sandbox(fixtures, SANDBOX_RELOAD="1")
    with server.client() as sdk, server.client() as other:
        with sdk.messages.stream(
            model=MODEL, max_tokens=64, messages=[{"role": "user", "content": "Slow stream"}]
        ) as stream:
            events = iter(stream)
            assert next(events).type == "message_start"
            write(rules, RULE.format(answer="after"))
            assert eventually(lambda: answer(other)[1], "after") == "after"
            message = stream.get_final_message()
        assert message.content[0].text == "one two three four five six seven eight nine ten"
        assert message.stop_reason == "end_turn"


def test_rate_limits_file_is_reloaded_and_a_bad_edit_keeps_the_limits_in_force(
    tmp_path: Path, make_sandbox: Callable[..., InProcess]
) -> None:
    fixtures, _ = probe_fixtures(tmp_path, "v1")
    limits = fixtures / "rate_limits.yaml"
    server = make_sandbox(fixtures, SANDBOX_RELOAD="1")

    def requests_limit() -> str:
        with server.client() as sdk:
            raw = sdk.messages.with_raw_response.create(
                model=MODEL, max_tokens=8, messages=[{"role": "user", "content": "hi"}]
            )
        return raw.headers["anthropic-ratelimit-requests-limit"]

    assert requests_limit() == "4000"  # no limits: the generous ones are advertised
    write(limits, "requests: 50\n")
    assert eventually(requests_limit, "50") == "50"

    write(limits, "requests: fifty\n")
    assert eventually(
        lambda: "rate_limits.yaml:1: requests: Input should be a valid integer" in server.log(),
        True,
    )
    assert "the last good set keeps serving" in server.log()
    assert requests_limit() == "50"


def test_a_reload_that_fails_outside_the_loader_is_refused_and_the_watcher_goes_on(
    tmp_path: Path,
) -> None:
    # What a directory removed while it is walked raises (a `git checkout` mid-reload).
    from types import SimpleNamespace

    from messages_sandbox.fixtures.watch import FixtureStatus, FixtureWatcher

    status = FixtureStatus("14 rules")
    gone = SimpleNamespace(reload=lambda: os.scandir(tmp_path / "removed"))
    watcher = FixtureWatcher(tmp_path, gone, status)
    assert watcher.reload() is False
    shown = status.view()
    assert shown["state"] == "stale" and shown["serving"] == "14 rules"
    assert "reload failed: FileNotFoundError" in shown["errors"][0]
