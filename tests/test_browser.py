"""The official TypeScript SDK in a real browser, against the sandbox on another origin.

tests/browser/run.mjs serves tests/browser/page on its own port, opens it in headless
Debian Chromium (playwright-core, no browser download) and prints what the page saw: the
SDK (``dangerouslyAllowBrowser: true``) streams a message and creates one; a bare fetch
without ``anthropic-dangerous-direct-browser-access`` is refused by the browser's CORS check.

Needs ``bash tests/browser/install.sh`` (Chromium from Debian, ``npm ci``, the esbuild bundle).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

BROWSER_DIR = Path(__file__).resolve().parent / "browser"
CHROMIUM = Path("/usr/bin/chromium")
MODEL = "claude-sonnet-4-6"
PROMPT = "Hello from a page on another origin"

_missing = [
    why
    for why, ok in (
        ("/usr/bin/chromium is missing", CHROMIUM.exists()),
        ("node/npm is missing", bool(shutil.which("node") and shutil.which("npm"))),
        ("tests/browser/node_modules is missing", (BROWSER_DIR / "node_modules").is_dir()),
    )
    if not ok
]
pytestmark = pytest.mark.skipif(
    bool(_missing), reason="; ".join(_missing) + " (run: bash tests/browser/install.sh)"
)


def _bundle() -> None:
    """Bundle page/app.mjs with the SDK (esbuild, under a second): the page matches its source."""
    subprocess.run(["npm", "run", "--silent", "build"], cwd=BROWSER_DIR, check=True, timeout=60)


def _run_page(base_url: str) -> dict:
    _bundle()
    proc = subprocess.run(
        ["node", "run.mjs", base_url, "--model", MODEL, "--prompt", PROMPT, "--timeout", "30000"],
        cwd=BROWSER_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        out = f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
        pytest.fail(f"run.mjs exit {proc.returncode}\n{out}")
    assert report["status"] == "done", json.dumps(report, indent=2)
    assert report["pageOrigin"] != base_url  # a real cross-origin page
    return report["result"]


def _expected_text(base_url: str) -> str:
    r = httpx.post(
        base_url + "/v1/messages",
        headers={"x-api-key": "sk-ant-test", "anthropic-version": "2023-06-01"},
        json={"model": MODEL, "max_tokens": 256, "messages": [{"role": "user", "content": PROMPT}]},
        timeout=30,
    )
    r.raise_for_status()
    return "".join(b.get("text", "") for b in r.json()["content"])


def test_typescript_sdk_streams_in_chromium(server) -> None:
    result = _run_page(server.base_url)
    expected = _expected_text(server.base_url)
    assert expected

    stream = result["stream"]
    assert stream["text"] == expected  # the text that arrived in the page, delta by delta
    assert stream["finalText"] == expected
    assert stream["deltas"] >= 2
    assert stream["stopReason"] == "end_turn"
    assert stream["contentType"].startswith("text/event-stream")
    assert stream["requestId"].startswith("req_")  # readable: headers are exposed

    assert result["create"]["text"] == expected
    assert result["create"]["id"].startswith("msg_")
    assert result["create"]["requestId"].startswith("req_")

    # The same page without the opt-in header: the browser blocks the answer.
    assert result["withoutOptIn"]["blocked"], result["withoutOptIn"]


def test_allow_any_origin_lets_plain_fetch_through(shared_server) -> None:
    srv = shared_server(SANDBOX_CORS_ALLOW_ANY_ORIGIN="true")
    result = _run_page(srv.base_url)
    assert result["withoutOptIn"] == {"blocked": False, "status": 200}
    assert result["stream"]["text"] == _expected_text(srv.base_url)
