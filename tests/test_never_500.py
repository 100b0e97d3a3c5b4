"""Whatever a client sends, the answer is a 2xx or a 4xx in Anthropic's envelope, never a 500,
and the journal stays readable after it.

The rows are inputs that once gave a 500 (issue #11): nesting as deep as the JSON parser
accepts, invalid JSON Schemas in forced tools and structured outputs, a batch holding one of
them. Hypothesis then takes real, valid requests and replaces one value somewhere inside them
with an arbitrary JSON value, a deeply nested one or an arbitrary JSON Schema (or deletes the
key), which reaches the rules, the matcher and the responder with shapes the schema may still
let through.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest
from conftest import HEADERS, InProcess
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_tool_input import SCHEMAS

from messages_sandbox.nesting import dumps

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


def nested(levels: int, leaf: Any = 1) -> Any:
    """``leaf`` inside ``levels`` containers, alternating objects and arrays (an object
    outermost)."""
    value = leaf
    for i in range(levels):
        value = {"a": value} if (levels - i) % 2 else [value]
    return value


def deepest(make: Any) -> int:
    """The deepest nesting ``make(levels)`` can have and still be parsed by the server."""
    levels = 1030
    while True:
        try:
            orjson.loads(dumps(make(levels)))
            return levels
        except orjson.JSONDecodeError:
            levels -= 1


def _request(**fields: Any) -> dict[str, Any]:
    return {
        "model": "claude-sonnet-4-6",
        "max_tokens": 64,
        "messages": [{"role": "user", "content": "hi"}],
        **fields,
    }


def _tool_turns(tool_input: Any) -> dict[str, Any]:
    return _request(
        messages=[
            {"role": "user", "content": "hi"},
            {
                "role": "assistant",
                "content": [
                    {"type": "tool_use", "id": "toolu_1", "name": "t", "input": tool_input}
                ],
            },
            {
                "role": "user",
                "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "ok"}],
            },
        ],
        tools=[{"name": "t", "input_schema": {"type": "object"}}],
    )


def _forced(schema: Any) -> dict[str, Any]:
    return _request(
        tools=[{"name": "t", "input_schema": schema}], tool_choice={"type": "tool", "name": "t"}
    )


def _structured(schema: Any) -> dict[str, Any]:
    return _request(output_config={"format": {"type": "json_schema", "schema": schema}})


def _deep_schema(levels: int) -> dict[str, Any]:
    return {"type": "object", "properties": {"x": nested(levels)}}


def _deep_required(levels: int) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(levels):
        schema = {"type": "object", "properties": {"a": schema}, "required": ["a"]}
    return schema


_DEPTHS = (249, 252, 255, 500, 1000)
# name -> (schema, where the answer says the problem is)
_INVALID_SCHEMAS = {
    "unresolvable_ref": ({"type": "object", "$ref": "#/$defs/nope"}, "$ref"),
    "min_length_text": ({"type": "object", "properties": {"a": {"minLength": "abc"}}},
                        "properties.a.minLength"),
    "minimum_text": ({"type": "object", "properties": {"a": {"minimum": "abc"}}},
                     "properties.a.minimum"),
    "enum_true": ({"type": "object", "properties": {"a": {"enum": True}}}, "properties.a.enum"),
    "all_of_number": ({"type": "object", "allOf": [5]}, "allOf.0"),
    "min_properties_list": ({"type": "object", "minProperties": ["a"]}, "minProperties"),
}  # fmt: skip
# (name, endpoint, body, statuses it may get, text the answer holds)
ROWS: list[tuple[str, str, Any, set[int], str]] = [
    *[(f"tool_use_input_{n}", "/v1/messages", _tool_turns(nested(n)), {200}, "")
      for n in (*_DEPTHS, deepest(lambda n: _tool_turns(nested(n))))],
    *[(f"count_tool_use_input_{n}", "/v1/messages/count_tokens",
       {k: v for k, v in _tool_turns(nested(n)).items() if k != "max_tokens"}, {200}, "")
      for n in (*_DEPTHS, deepest(lambda n: _tool_turns(nested(n))))],
    *[(f"input_schema_{n}", "/v1/messages", _forced(_deep_schema(n)), {400},
       "tools.0.custom.input_schema: JSON schema is invalid") for n in _DEPTHS],
    *[(f"output_schema_{n}", "/v1/messages", _structured(_deep_schema(n)), {400},
       "output_config.format.schema") for n in _DEPTHS],
    ("forced_required_chain_30", "/v1/messages", _forced(_deep_required(30)), {200}, ""),
    ("structured_required_chain_30", "/v1/messages", _structured(_deep_required(30)), {200}, ""),
    ("forced_required_chain_300", "/v1/messages", _forced(_deep_required(300)), {400},
     "at most 64"),
    *[(f"forced_{name}", "/v1/messages", _forced(schema), {400},
       f"(messages-sandbox: {where}: ") for name, (schema, where) in _INVALID_SCHEMAS.items()],
    *[(f"structured_{name}", "/v1/messages", _structured(schema), {400},
       f"output_config.format.schema.{where}: Invalid JSON Schema: ")
      for name, (schema, where) in _INVALID_SCHEMAS.items()],
    ("forced_min_items_2000000", "/v1/messages",
     _forced({"type": "object", "properties": {"a": {"type": "array", "minItems": 2_000_000}},
              "required": ["a"]}), {200}, ""),
    ("structured_pattern_a_10000000", "/v1/messages",
     _structured({"type": "object", "properties": {"a": {"pattern": "^a{10000000}$"}},
                  "required": ["a"]}), {200}, ""),
    ("forced_min_length_300000000", "/v1/messages",
     _forced({"type": "object", "properties": {"a": {"type": "string", "minLength": 300_000_000}},
              "required": ["a"]}), {200}, ""),
    *[(f"prompt_json_example_{n}", "/v1/messages",
       _request(messages=[{"role": "user", "content": "Respond with JSON like this: "
                           + dumps(nested(n)).decode()}]), {200}, "")
      for n in (100, 800, 990)],
    ("batch_with_deep_and_invalid_requests", "/v1/messages/batches",
     {"requests": [
         {"custom_id": "deep", "params": _tool_turns(nested(1000))},
         {"custom_id": "bad_schema", "params": _forced(_INVALID_SCHEMAS["unresolvable_ref"][0])},
         {"custom_id": "plain", "params": _request()},
     ]}, {200}, ""),
]  # fmt: skip


@pytest.mark.parametrize(("endpoint", "body", "statuses", "says"), [r[1:] for r in ROWS],
                         ids=[r[0] for r in ROWS])  # fmt: skip
def test_a_request_that_once_gave_a_500_gets_its_answer(
    raw: httpx.Client, endpoint: str, body: Any, statuses: set[int], says: str
) -> None:
    response = raw.post(endpoint, content=dumps(body), headers=HEADERS)
    assert response.status_code in statuses, response.text[:500]
    assert says in response.text
    if endpoint.endswith("/batches"):
        batch = response.json()["id"]
        results = raw.get(f"/v1/messages/batches/{batch}/results", headers=HEADERS)
        rows = {r["custom_id"]: r["result"] for r in map(orjson.loads, results.text.splitlines())}
        assert rows["deep"]["type"] == "succeeded" and rows["plain"]["type"] == "succeeded"
        assert rows["bad_schema"]["error"]["error"]["type"] == "invalid_request_error"
    assert_journal_readable(raw, response.headers["request-id"])


def assert_journal_readable(raw: httpx.Client, request_id: str) -> None:
    """The journal lists, shows and turns into a fixture rule the request just answered."""
    journal = raw.get("/_sandbox/requests", params={"limit": "3"})
    assert journal.status_code == 200, journal.text[:500]
    assert len(journal.json()["data"]) >= 1
    for path in (f"/_sandbox/requests/{request_id}", f"/_sandbox/requests/{request_id}/fixture"):
        shown = raw.get(path)
        assert shown.status_code < 500, (path, shown.text[:500])


@st.composite
def mutated_requests(draw: st.DrawFn) -> dict[str, Any]:
    request = copy.deepcopy(draw(st.sampled_from(BASES)))
    path = draw(st.sampled_from(_paths(request)))
    parent = request
    for key in path[:-1]:
        parent = parent[key]
    how = draw(st.sampled_from(["delete", "value", "value", "deep", "schema"]))
    if how == "delete" and isinstance(parent, dict):
        del parent[path[-1]]
    elif how == "deep":
        parent[path[-1]] = nested(draw(st.integers(1, 1010)), draw(json_values))
    elif how == "schema":
        # A forced tool's or a structured output's schema, replaced by an arbitrary one.
        schema = draw(SCHEMAS)
        if draw(st.booleans()):
            request["tools"] = [{"name": "t", "input_schema": {"type": "object", **schema}}]
            request["tool_choice"] = {"type": "tool", "name": "t"}
            request.pop("thinking", None)
        else:
            request["output_config"] = {"format": {"type": "json_schema", "schema": schema}}
    else:
        parent[path[-1]] = draw(json_values)
    return request


@pytest.fixture(scope="module")
def raw(sandbox: InProcess) -> Iterator[httpx.Client]:
    with sandbox.http() as c:
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
    body = dumps(request)
    try:
        orjson.loads(body)
    except orjson.JSONDecodeError:
        return  # deeper than any JSON parser here takes: not a request a client can send
    response = raw.post("/v1/messages", content=body, headers=HEADERS)
    assert response.status_code < 500, response.text
    assert response.headers["request-id"].startswith("req_")
    if response.status_code >= 400:
        envelope = response.json()
        assert envelope["type"] == "error"
        assert envelope["error"]["type"] and envelope["error"]["message"]
    assert_journal_readable(raw, response.headers["request-id"])
