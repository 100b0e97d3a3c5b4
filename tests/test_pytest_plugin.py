"""The pytest plugin, used as a project would: a small app that reads only its environment,
tested by a separate pytest run (a subprocess, with the plugin registered by the package's
entry point) across two xdist workers sharing one sandbox, and alone with a sandbox it
starts itself."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import Server

APP = '''
import anthropic

MODEL = "claude-sonnet-4-6"


def ask(text):
    """The app under test: its client comes from ANTHROPIC_BASE_URL / ANTHROPIC_API_KEY."""
    client = anthropic.Anthropic(max_retries=0)
    message = client.messages.create(
        model=MODEL,
        max_tokens=64,
        system="You are terse.",
        messages=[{"role": "user", "content": text}],
    )
    return message.content[0].text


async def ask_async(text):
    async with anthropic.AsyncAnthropic(max_retries=0) as client:
        message = await client.messages.create(
            model=MODEL, max_tokens=64, messages=[{"role": "user", "content": text}]
        )
    return message.content[0].text
'''

PARALLEL_TESTS = """
import asyncio
import os

import pytest

import myapp
from messages_sandbox.pytest_plugin import SandboxError


@pytest.mark.parametrize("n", range(6))
def test_each_test_has_its_own_rules_steps_and_journal(anthropic_sandbox, n):
    added = anthropic_sandbox.add_rules([
        {"id": "greet", "match": {"last_user_text": {"contains": "hello"}},
         "reply": {"text": f"hi from test {n}"}},
        {"id": "steps", "match": {"last_user_text": "Next"},
         "script": {"advance": "session", "steps": [{"reply": {"text": "one"}},
                                                     {"reply": {"text": "two"}}]}},
    ])
    assert added == ["greet", "steps"]
    assert myapp.ask("hello there") == f"hi from test {n}"
    assert [myapp.ask("Next"), myapp.ask("Next")] == ["one", "two"]
    calls = anthropic_sandbox.requests(path="/v1/messages")
    assert [c["rule"] for c in calls] == ["greet", "steps", "steps"]
    assert [c["step"] for c in calls] == [None, "1/2", "2/2"]
    assert calls[0]["body"]["system"] == "You are terse."
    assert {c["session"] for c in calls} == {anthropic_sandbox.name}
    mine = [r for r in anthropic_sandbox.rules() if r["origin"] == "runtime"]
    assert [(r["id"], r["hits"]) for r in mine] == [("greet", 1), ("steps", 2)]


def test_the_async_sdk_and_yaml_rules(anthropic_sandbox):
    anthropic_sandbox.add_rules("rules:\\n  - id: greet\\n    reply: {text: async hi}\\n")
    assert asyncio.run(myapp.ask_async("hello")) == "async hi"
    [call] = anthropic_sandbox.requests()
    assert call["rule"] == "greet" and call["path"] == "/v1/messages"


def test_reset_starts_the_session_over(anthropic_sandbox):
    anthropic_sandbox.add_rules([{"id": "once", "match": {"last_user_text": "Once?"},
                                  "reply": {"text": "yes"}}])
    assert myapp.ask("Once?") == "yes"
    anthropic_sandbox.reset()
    assert anthropic_sandbox.requests() == []
    assert myapp.ask("Once?") != "yes"


def test_a_bad_rule_says_where_and_what(anthropic_sandbox):
    with pytest.raises(SandboxError, match=r"rules\\[0\\]\\.match\\.last_user_txt.*did you mean"):
        anthropic_sandbox.add_rules([{"id": "x", "match": {"last_user_txt": "hi"},
                                      "reply": {"text": "no"}}])


def test_the_environment_points_at_the_session_only_during_the_test(anthropic_sandbox):
    assert os.environ["ANTHROPIC_BASE_URL"] == anthropic_sandbox.base_url
    assert anthropic_sandbox.base_url.endswith("/session/" + anthropic_sandbox.name)


def test_without_the_fixture_nothing_is_set():
    assert "ANTHROPIC_BASE_URL" not in os.environ
"""

OWN_SERVER_TESTS = """
import myapp


def test_a_rule_of_the_fixtures_directory(anthropic_sandbox):
    assert myapp.ask("What is the plan?") == "The plan, from the file."
    assert anthropic_sandbox.url.startswith("http://127.0.0.1:")


def test_a_failure_shows_what_was_sent(anthropic_sandbox):
    myapp.ask("What is the plam?")
    assert anthropic_sandbox.requests()[0]["rule"] == "plan"
"""

PLAN_RULE = """
rules:
  - id: plan
    match: {last_user_text: "What is the plan?"}
    reply: {text: "The plan, from the file."}
"""


def _pytest(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "ANTHROPIC_"))}
    env.pop("SANDBOX_URL", None)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:hypothesispytest",
            *args,
        ],
        cwd=project,
        env={**env, "PYTHONPATH": str(project)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _project(tmp_path: Path, tests: str) -> Path:
    (tmp_path / "myapp.py").write_text(textwrap.dedent(APP))
    (tmp_path / "test_app.py").write_text(textwrap.dedent(tests))
    return tmp_path


def test_two_xdist_workers_on_one_sandbox_never_see_each_others_rules_or_journal(
    tmp_path: Path, server: Server
) -> None:
    project = _project(tmp_path, PARALLEL_TESTS)
    run = _pytest(project, "-n", "2", "-v", "--durations=5", "--sandbox-url", server.base_url)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "11 passed" in run.stdout
    assert "[gw0]" in run.stdout and "[gw1]" in run.stdout  # both workers ran tests
    # Each test's session was reset when it ended: nothing of theirs is left on the server.
    left = [e for e in _journal(server) if (e["session"] or "").startswith("test_")]
    assert left == []


def _journal(server: Server) -> list[dict]:
    with server.http() as http:
        return http.get("/_sandbox/requests", params={"rule": "greet"}).json()["data"]


def test_a_sandbox_started_for_the_run_and_a_failure_report(tmp_path: Path) -> None:
    project = _project(tmp_path, OWN_SERVER_TESTS)
    fixtures = project / "fx"
    fixtures.mkdir()
    (fixtures / "plan.yaml").write_text(PLAN_RULE)
    run = _pytest(project, "-q", "-p", "no:xdist", "--sandbox-fixtures", "fx")
    assert "1 failed, 1 passed" in run.stdout, run.stdout + run.stderr
    report = run.stdout.split("anthropic_sandbox: what this test sent", 1)[1]
    assert "1 request(s) in session 'test_a_failure_shows_what_was_sent-" in report
    assert "POST /v1/messages -> 200, no rule matched (default reply)" in report
    assert "model=claude-sonnet-4-6" in report and "What is the plam?" in report
    assert "near miss 'plan' (" in report
