"""The one middleware (``routes.front``): an exception nothing handled is a 500 in Anthropic's
envelope, stamped with the common headers and recorded in the journal, on the hot route and
on the FastAPI routes alike.

No input a client can send reaches this path (``test_never_500.py``), so the fault is
injected: a ``Sandbox`` whose pipeline raises, served in-process over ASGI.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import API_KEY, FIXTURES

from messages_sandbox.headers import Caller
from messages_sandbox.pipeline import Outcome, Pipeline
from messages_sandbox.sandbox import Sandbox
from messages_sandbox.settings import Settings
from messages_sandbox.web.app import create_app

HEADERS = {"x-api-key": API_KEY, "anthropic-version": "2023-06-01"}
BODY = {
    "model": "claude-sonnet-4-5",
    "max_tokens": 16,
    "messages": [{"role": "user", "content": "hi"}],
}


class _BrokenPipeline(Pipeline):
    def messages(self, caller: Caller, body: bytes) -> Outcome:
        raise RuntimeError("injected fault")

    def count_tokens(self, caller: Caller, body: bytes) -> dict[str, Any]:
        raise RuntimeError("injected fault")


def _broken(settings: Settings) -> Sandbox:
    """A real sandbox whose pipeline fails: what an unforeseen bug would look like."""
    sandbox = Sandbox(settings)
    sandbox.pipeline.__class__ = _BrokenPipeline
    return sandbox


async def _call(app: Any, path: str) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://s") as c:
        return await c.post(path, json=BODY, headers=HEADERS)


@pytest.mark.parametrize("path", ["/v1/messages", "/v1/messages/count_tokens"])
def test_unhandled_exception_is_a_stamped_recorded_500_envelope(tmp_path: Path, path: str) -> None:
    settings = Settings(fixtures=FIXTURES, reload=False, data_dir=tmp_path)
    sandbox = _broken(settings)
    response = asyncio.run(_call(create_app(settings, sandbox=sandbox), path))

    assert response.status_code == 500
    body = response.json()
    assert body["error"] == {"type": "api_error", "message": "Internal server error"}
    assert body["request_id"] == response.headers["request-id"]
    assert response.headers["anthropic-organization-id"] == sandbox.organization_id
    assert "anthropic-ratelimit-requests-limit" in response.headers
    assert "injected fault" not in response.text  # the traceback goes to the log only

    [entry] = sandbox.journal.views()
    assert entry["status"] == 500 and entry["path"] == path
    assert entry["id"] == response.headers["request-id"]
    assert entry["error"] == {"type": "api_error", "message": "Internal server error"}
    assert entry["body"] == BODY
