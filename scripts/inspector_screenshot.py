"""Take the README's screenshot of the inspector: docs/inspector.png.

    .venv/bin/python scripts/inspector_screenshot.py [--out docs/inspector.png]

Starts a sandbox on a free port with the shipped fixtures, sends what a frontend team's app
would (an agent loop with a tool, a prompt with an image, a paced stream, a rate-limited
retry, a question no rule answers) in two sessions with the official SDK, opens the page in
headless Chromium (tests/browser/inspector.mjs) with the agent's second turn selected, and
saves a PNG. Needs ``bash tests/browser/install.sh``.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import API_KEY, start_server  # noqa: E402
from inspector_page import InspectorPage, missing  # noqa: E402

MODEL = "claude-sonnet-4-6"
WEATHER_TOOL = {
    "name": "get_weather",
    "description": "Current weather for a city",
    "input_schema": {
        "type": "object",
        "properties": {"location": {"type": "string"}, "unit": {"type": "string"}},
        "required": ["location"],
    },
}


def traffic(base_url: str) -> str:
    """The exchanges on screen; returns the id of the one to show opened."""
    import anthropic

    def client(session: str) -> anthropic.Anthropic:
        return anthropic.Anthropic(
            base_url=base_url,
            api_key=API_KEY,
            max_retries=0,
            default_headers={"x-sandbox-session": session},
        )

    checkout, chat, search = client("checkout-e2e"), client("chat-widget"), client("search-e2e")
    search.models.list()
    search.messages.count_tokens(
        model=MODEL, messages=[{"role": "user", "content": "How long is this prompt?"}]
    )
    for question in ("Summarise the return policy", "Which sizes are in stock?"):
        search.messages.create(
            model=MODEL, max_tokens=128, messages=[{"role": "user", "content": question}]
        )
    question = {"role": "user", "content": "Weather demo: what is the weather in Lisbon?"}
    first = checkout.messages.create(
        model=MODEL, max_tokens=256, tools=[WEATHER_TOOL], messages=[question]
    )
    call = next(b for b in first.content if b.type == "tool_use")
    image = base64.b64encode((ROOT / "fixtures" / "media" / "poster.png").read_bytes()).decode()
    chat.messages.create(
        model=MODEL,
        max_tokens=256,
        messages=[
            {
                "role": "user",
                "content": [
                    {"type": "image", "source": {"type": "base64", "media_type": "image/png",
                                                 "data": image}},
                    {"type": "text", "text": "What does this poster announce?"},
                ],
            }
        ],
    )  # fmt: skip
    with chat.messages.stream(
        model=MODEL,
        max_tokens=256,
        messages=[{"role": "user", "content": "Paced demo: show me streaming"}],
    ) as stream:
        stream.get_final_text()
    with contextlib.suppress(anthropic.RateLimitError):  # the rule answers 429 on purpose
        checkout.messages.create(
            model=MODEL, max_tokens=64, messages=[{"role": "user", "content": "Error demo: 429"}]
        )
    chat.messages.create(
        model=MODEL,
        max_tokens=64,
        messages=[{"role": "user", "content": "Error demo: 42 (no rule says this)"}],
    )
    second = checkout.messages.with_raw_response.create(
        model=MODEL,
        max_tokens=256,
        system="You are the checkout assistant. Answer in one sentence.",
        tools=[WEATHER_TOOL],
        messages=[
            question,
            {"role": "assistant", "content": [b.model_dump() for b in first.content]},
            {
                "role": "user",
                "content": [
                    {"type": "tool_result", "tool_use_id": call.id, "content": "18°C and sunny"}
                ],
            },
        ],
    )
    for c in (checkout, chat, search):
        c.close()
    return second.headers["request-id"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "inspector.png")
    args = parser.parse_args()
    if missing():
        raise SystemExit("; ".join(missing()) + " (run: bash tests/browser/install.sh)")
    with tempfile.TemporaryDirectory(prefix="inspector-shot-") as tmp:
        srv = start_server(Path(tmp), SANDBOX_LOG_LEVEL="warning")
        page = InspectorPage()
        try:
            page.call("viewport", width=1440, height=960)
            page.open(srv.base_url + "/_sandbox/")
            selected = traffic(srv.base_url)
            page.open_exchange(selected)
            page.wait(".card.answer")
            time.sleep(1.5)  # the new rows stop glowing
            page.eval("document.activeElement && document.activeElement.blur()")
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(args.out.resolve())
        finally:
            page.close()
            srv.stop()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
