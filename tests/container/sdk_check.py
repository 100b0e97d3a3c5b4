"""Drive a running sandbox with the official Python SDK (used by smoke.sh).

    python tests/container/sdk_check.py http://127.0.0.1:PORT [MODEL]

Sends one plain and one streamed ``messages`` request; prints what arrived and exits
non-zero when a reply is missing or malformed.
"""

from __future__ import annotations

import sys

import anthropic


def main() -> int:
    base_url = sys.argv[1]
    model = sys.argv[2] if len(sys.argv) > 2 else "claude-sonnet-4-6"
    client = anthropic.Anthropic(
        base_url=base_url, api_key="sk-ant-smoke", max_retries=0, timeout=20
    )

    message = client.messages.create(
        model=model,
        max_tokens=128,
        messages=[{"role": "user", "content": "Hello from the smoke test (Python SDK)"}],
    )
    text = "".join(b.text for b in message.content if b.type == "text")
    assert message.type == "message" and message.id.startswith("msg_"), message
    assert text, f"empty reply: {message!r}"
    assert message._request_id, "no request-id header"
    print(f"sdk create: {message.stop_reason} {text!r}")

    deltas: list[str] = []
    with client.messages.stream(
        model=model,
        max_tokens=128,
        messages=[{"role": "user", "content": "Hello again (streamed, Python SDK)"}],
    ) as stream:
        for chunk in stream.text_stream:
            deltas.append(chunk)
        final = stream.get_final_message()
    streamed = "".join(deltas)
    assert streamed, "no text_delta arrived"
    assert streamed == "".join(b.text for b in final.content if b.type == "text")
    print(f"sdk stream: {len(deltas)} deltas, {final.stop_reason} {streamed!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
