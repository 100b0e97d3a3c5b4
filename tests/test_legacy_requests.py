"""Request shapes of older official SDKs that the pinned schema dropped (app/schema/legacy.py).

The full sweep with the old SDKs themselves is ``tests/compat/run.sh``; these pin the wire
behaviour with raw requests, as anthropic 0.75's ``beta.messages.parse`` sends them.
"""

from __future__ import annotations

import json

from conftest import HEADERS

CONTACT = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "email": {"type": "string"}},
    "required": ["name", "email"],
    "additionalProperties": False,
}
BETA = {**HEADERS, "anthropic-beta": "structured-outputs-2025-11-13"}
ASK = {
    "model": "claude-sonnet-4-6",
    "max_tokens": 256,
    "messages": [{"role": "user", "content": "Alice, alice@example.com"}],
}
LEGACY = {"type": "json_schema", "schema": CONTACT}


def test_beta_output_format_answers_like_output_config_format(http) -> None:
    legacy = http.post(
        "/v1/messages?beta=true", headers=BETA, json={**ASK, "output_format": LEGACY}
    )
    current = http.post(
        "/v1/messages?beta=true", headers=BETA, json={**ASK, "output_config": {"format": LEGACY}}
    )
    assert legacy.status_code == 200, legacy.text
    contact = json.loads(legacy.json()["content"][0]["text"])
    assert set(contact) == {"name", "email"}
    assert legacy.json()["content"] == current.json()["content"]


def test_beta_output_format_counts_tokens(http) -> None:
    body = {k: v for k, v in ASK.items() if k != "max_tokens"}
    response = http.post(
        "/v1/messages/count_tokens?beta=true", headers=BETA, json={**body, "output_format": LEGACY}
    )
    assert response.status_code == 200, response.text
    assert response.json()["input_tokens"] > 0


def test_output_format_with_output_config_format_is_refused(http) -> None:
    body = {**ASK, "output_format": LEGACY, "output_config": {"format": LEGACY}}
    response = http.post("/v1/messages?beta=true", headers=BETA, json=body)
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith(
        "Both output_format and output_config.format were provided."
    )


def test_output_format_is_not_a_ga_field(http) -> None:
    response = http.post("/v1/messages", headers=HEADERS, json={**ASK, "output_format": LEGACY})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "output_format: Extra inputs are not permitted"
