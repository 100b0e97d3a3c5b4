"""Whatever a client sends, the answer is a 2xx or a 4xx in Anthropic's envelope, never a 500.

Hypothesis takes real, valid requests and replaces one value somewhere inside them with an
arbitrary JSON value (or deletes the key), which reaches the rules, the matcher and the
responder with shapes the schema may still let through.
"""

from __future__ import annotations

import copy
from typing import Any

import httpx
import orjson
import pytest
from conftest import HEADERS, Server
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

BASES: list[dict[str, Any]] = [
    {
        "model": "claude-haiku-4-5",
        "max_tokens": 64,
        "system": [{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}],
        "messages": [
            {"role": "user", "content": "What's the weather in Paris?"},
            {
                "role": "assistant",
                "content": [
                    {"type": "text", "text": "Checking."},
                    {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {}},
                ],
            },
            {
                "role": "user",
                "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "Sunny"}],
            },
        ],
        "tools": [
            {
                "name": "get_weather",
                "description": "Weather for a city",
                "input_schema": {
                    "type": "object",
                    "properties": {"city": {"type": "string"}},
                    "required": ["city"],
                },
            }
        ],
        "tool_choice": {"type": "auto"},
        "stop_sequences": ["END"],
        "metadata": {"user_id": "ci"},
    },
    {
        "model": "claude-sonnet-4-6",
        "max_tokens": 2048,
        "stream": True,
        "thinking": {"type": "enabled", "budget_tokens": 1024},
        "output_config": {"format": {"type": "json_schema", "schema": {"type": "object"}}},
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "Describe"},
                    {
                        "type": "document",
                        "source": {"type": "text", "media_type": "text/plain", "data": "Hi."},
                        "citations": {"enabled": True},
                    },
                ],
            }
        ],
    },
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            out.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out.extend(_paths(item, (*prefix, i)))
    return out


@st.composite
def mutated_requests(draw: st.DrawFn) -> dict[str, Any]:
    request = copy.deepcopy(draw(st.sampled_from(BASES)))
    path = draw(st.sampled_from(_paths(request)))
    parent = request
    for key in path[:-1]:
        parent = parent[key]
    if draw(st.booleans()) and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = draw(json_values)
    return request


@pytest.fixture(scope="module")
def raw(server: Server) -> httpx.Client:
    with server.http() as c:
        yield c


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(request=mutated_requests())
def test_any_mutation_of_a_valid_request_gets_an_answer_never_a_500(
    raw: httpx.Client, request: dict[str, Any]
) -> None:
    response = raw.post("/v1/messages", content=orjson.dumps(request), headers=HEADERS)
    assert response.status_code < 500, response.text
    assert response.headers["request-id"].startswith("req_")
    if response.status_code >= 400:
        body = response.json()
        assert body["type"] == "error"
        assert body["error"]["type"] and body["error"]["message"]
