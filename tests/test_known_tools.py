"""Tools the schema has seen (``schema.KnownTools``): a body whose tools are all known is
validated to the same request, with the same error, as by a validator seeing them first."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import orjson
import pytest
from conftest import capture_files

from messages_sandbox import nesting
from messages_sandbox.schema import RequestValidators, ValidationFailed

# bench/shapes.py by its path: bench/ on sys.path would shadow the tests' own modules.
_SPEC = importlib.util.spec_from_file_location(
    "bench_shapes", Path(__file__).resolve().parents[1] / "bench" / "shapes.py"
)
assert _SPEC is not None and _SPEC.loader is not None
shapes = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(shapes)

TOOL = {"name": "get_weather", "description": "Weather", "input_schema": {"type": "object"}}


def _bodies() -> list[dict[str, Any]]:
    made = [shapes.claude_code(seed) for seed in (1, 3)]
    made.append(
        {
            "model": "claude-sonnet-4-5",
            "max_tokens": "16",  # coerced by the schema
            "messages": [{"role": "user", "content": "hi"}],
            "tools": [
                # Keys in another order than the schema's, a coerced number, a server tool.
                {"input_schema": {"type": "object"}, "name": "a", "type": "custom"},
                {"type": "web_search_20250305", "name": "web_search", "max_uses": "3"},
                TOOL,
            ],
        }
    )
    for path in capture_files():
        body = orjson.loads(path.read_bytes()).get("body")
        if isinstance(body, dict) and body.get("tools") and body.get("messages"):
            made.append(body)
    return made


def _outcome(validators: RequestValidators, raw: bytes, beta: bool) -> tuple[bytes, Any]:
    try:
        result = validators.messages(raw, beta=beta)
    except ValidationFailed as exc:
        return b"", exc.message
    return orjson.dumps(result), validators.tool_json(result)


@pytest.mark.parametrize("beta", [False, True])
def test_a_body_with_known_tools_validates_as_on_first_sight(beta: bool) -> None:
    seen = RequestValidators()
    for body in _bodies():
        raw = orjson.dumps(body)
        first = _outcome(RequestValidators(), raw, beta)
        _outcome(seen, raw, beta)
        again, tool_json = _outcome(seen, raw, beta)
        assert again == first[0]
        if not again:  # refused both times, with the same error
            continue
        validated = orjson.loads(again)
        assert tool_json == first[1] == [nesting.dumps(t) for t in validated["tools"]]


@pytest.mark.parametrize(
    "change",
    [
        {"max_tokens": "many"},
        {"messages": [{"role": "user", "content": [{"type": "text"}]}]},
        {"messages": [{"role": "robot", "content": "hi"}]},
        {"tool_choice": {"type": "sometimes"}},
        {"system": [{"type": "text", "text": 1}]},
        {"tools": [TOOL, {"name": "b"}]},  # one known tool, one broken
        {"tools": [TOOL, {**TOOL, "input_schema": {"type": "object"}, "cache_control": 5}]},
    ],
)
def test_an_error_beside_known_tools_is_the_same_error(change: dict[str, Any]) -> None:
    body = {"model": "m", "max_tokens": 8, "messages": [{"role": "user", "content": "hi"}]}
    seen = RequestValidators()
    seen.messages(orjson.dumps({**body, "tools": [TOOL]}), beta=False)
    raw = orjson.dumps({**body, "tools": [TOOL], **change})
    fresh = _outcome(RequestValidators(), raw, False)
    assert fresh[0] == b""  # each change is an error
    assert _outcome(seen, raw, False) == fresh


def test_tools_not_from_the_validator_have_no_known_json() -> None:
    seen = RequestValidators()
    raw = orjson.dumps({"model": "m", "max_tokens": 8, "messages": [], "tools": [TOOL]})
    seen.messages(raw, beta=False)
    assert seen.tool_json(seen.messages(raw, beta=False)) is not None
    assert seen.tool_json({"tools": [dict(TOOL)]}) is None  # equal, but another object
    assert seen.tool_json({"tools": []}) is None


def test_tools_known_one_by_one_and_as_a_recent_set_validate_alike() -> None:
    # Turn 1 learns each tool, turn 2 finds them one by one, turn 3 finds the set; a set
    # differing in one tool (or in the order) is looked up tool by tool again.
    seen = RequestValidators()
    other = {**TOOL, "name": "other"}
    body = {"model": "m", "max_tokens": 8, "messages": [{"role": "user", "content": "hi"}]}
    for tools in ([TOOL, other], [TOOL, other], [TOOL, other], [other, TOOL], [TOOL]):
        raw = orjson.dumps({**body, "tools": tools})
        result = seen.messages(raw, beta=False)
        assert orjson.dumps(result) == orjson.dumps(RequestValidators().messages(raw, beta=False))
        assert seen.tool_json(result) == [nesting.dumps(t) for t in result["tools"]]


def test_tools_remembered_stay_within_their_byte_budget() -> None:
    """A client sending ever new tools (a fuzzer) cannot grow what is remembered."""
    from messages_sandbox.schema.validators import KnownTools

    validators = RequestValidators()
    known = validators._known_tools[False]
    for n in range(400):
        tool = {"name": f"t{n}", "description": "x" * 20_000, "input_schema": {"type": "object"}}
        body = {"model": "claude-sonnet-4-5", "max_tokens": 16, "tools": [tool]}
        body["messages"] = [{"role": "user", "content": "hi"}]
        validators.messages(orjson.dumps(body), beta=False)
        held = sum(len(raw) + len(entry[1]) for raw, entry in known.known.items())
        assert held == known.held <= KnownTools.MAX_BYTES
    assert known.known  # the newest are remembered after the others were forgotten
