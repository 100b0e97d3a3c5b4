"""Start-up loads what serving a plain request needs, and nothing only some requests need
(bench/results.md, "Start-up"): a library imported at start-up is paid by every start."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ONLY_SOME_REQUESTS = (
    "jinja2",  # a fixture set with templates
    "PIL",  # images whose size is checked
    "jsonschema",  # tool input schemas
    "referencing",
    "httpx",  # record, record-on-miss
    "fastapi",  # every route but POST /v1/messages
    "redis",  # SANDBOX_STATE_URL
    "greenlet",  # SANDBOX_STATE_URL (the bridge to Redis)
    "difflib",  # a fixture key the format does not know (did-you-mean)
    "prometheus_client",  # a metrics scrape
    "anthropic",  # the SDK: tests and scripts only
)

# One process as `serve` makes it (settings, then the app), answering one request in process.
SERVE_ONE = """
import asyncio, json, sys
from messages_sandbox.settings import Settings
settings = Settings(fixtures=sys.argv[1], reload=False)
from messages_sandbox.web.app import create_app
app = create_app(settings)
body = json.dumps({"model": "claude-sonnet-4-5", "max_tokens": 64,
                   "messages": [{"role": "user", "content": "hi"}]}).encode()
headers = [(b"x-api-key", b"sk-ant-test"), (b"anthropic-version", b"2023-06-01"),
           (b"content-type", b"application/json")]
scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
         "scheme": "http", "path": "/v1/messages", "raw_path": b"/v1/messages",
         "query_string": b"", "root_path": "", "headers": headers,
         "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8080)}
sent = []
async def receive():
    return {"type": "http.request", "body": body, "more_body": False}
async def send(message):
    sent.append(message)
asyncio.run(app(scope, receive, send))
assert sent[0]["status"] == 200, sent
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_a_plain_request_imports_none_of_the_libraries_only_some_requests_need(
    tmp_path: Path,
) -> None:
    (tmp_path / "hello.yaml").write_text(
        "rules:\n  - id: hello\n    match: {last_user_text: hi}\n    reply: {text: hello}\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", SERVE_ONE, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    imported = set(done.stdout.split('"'))
    assert not imported & set(ONLY_SOME_REQUESTS), sorted(imported & set(ONLY_SOME_REQUESTS))
