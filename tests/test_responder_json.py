"""JSON asked for in the prompt, through the official SDK: the default answer is JSON valid
against the schema (or shaped like the example) the prompt carries, streamed or not."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import anthropic
import jsonschema
import pytest
from conftest import start_sandbox
from pydantic import BaseModel


class Address(BaseModel):
    street: str
    city: str


class User(BaseModel):
    name: str
    age: int
    addresses: list[Address]


USER = User.model_json_schema()
# instructor 1.17's ANTHROPIC_JSON mode, word for word (its system message).
INSTRUCTOR = f"""
As a genius expert, your task is to understand the content and provide
the parsed objects in json that match the following json_schema:\n
{json.dumps(USER, indent=2, ensure_ascii=False)}

Make sure to return an instance of the JSON, not the schema itself
"""
# LangChain's PydanticOutputParser format instructions: an example schema first, the real one
# last (with `title` and `type` taken off its top, as LangChain does).
LANGCHAIN_SCHEMA = {k: v for k, v in USER.items() if k not in ("title", "type")}
LANGCHAIN = (
    "The output should be formatted as a JSON instance that conforms to the JSON schema below."
    '\n\nAs an example, for the schema {"properties": {"foo": {"title": "Foo", "description": '
    '"a list of strings", "type": "array", "items": {"type": "string"}}}, "required": ["foo"]}'
    '\nthe object {"foo": ["bar", "baz"]} is a well-formatted instance of the schema. The '
    'object {"properties": {"foo": ["bar", "baz"]}} is not well-formatted.\n\nHere is the '
    f"output schema:\n```\n{json.dumps(LANGCHAIN_SCHEMA)}\n```"
)
EXAMPLE = {"title": "", "year": 0, "rating": 0.5, "tags": ["drama"], "sequel": False}


def _shape_of(example: Any) -> dict[str, Any]:
    """What 'shaped like the example' means: same keys, same JSON types."""
    if isinstance(example, dict):
        return {
            "type": "object",
            "properties": {k: _shape_of(v) for k, v in example.items()},
            "required": list(example),
            "additionalProperties": False,
        }
    if isinstance(example, list):
        return {"type": "array", "items": _shape_of(example[0]), "minItems": 1}
    names = {bool: "boolean", int: "integer", float: "number", str: "string"}
    return {"type": names[type(example)]}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[anthropic.Anthropic]:
    root = tmp_path_factory.mktemp("json-prompt")
    (root / "fixtures").mkdir()
    server = start_sandbox(root, root / "fixtures", SANDBOX_STREAM_CHUNK_SIZE="7")
    try:
        with server.client() as sdk:
            yield sdk
    finally:
        server.stop()


def ask(client: anthropic.Anthropic, text: str, **extra: Any) -> anthropic.types.Message:
    request: dict[str, Any] = {
        "model": "claude-haiku-4-5",  # takes a prefill
        "max_tokens": 2048,
        "messages": [{"role": "user", "content": text}],
        **extra,
    }
    message = client.messages.create(**request)
    with client.messages.stream(**request) as stream:
        streamed = stream.get_final_message()
    assert streamed.model_dump(exclude={"id"}) == message.model_dump(exclude={"id"})
    return message


# id, system, user text, prefill, schema the answer must satisfy, fenced
CASES = [
    ("instructor_json_mode", INSTRUCTOR, "Jason is 25 and lives at 1 Main St, Springfield.",
     None, USER, False),
    ("langchain_pydantic_parser", None, f"Extract the user.\n{LANGCHAIN}\nJason is 25.",
     None, USER, False),
    ("example_object_in_user_text", None,
     f"Return ONLY a JSON object like {json.dumps(EXAMPLE)} for the film: Heat (1995).",
     None, _shape_of(EXAMPLE), False),
    ("example_array_of_objects", "Respond with a JSON array shaped like "
     '[{"name": "", "qty": 1}]. No prose.', "Two apples and a pear.",
     None, _shape_of([{"name": "", "qty": 1}]), False),
    ("schema_asked_in_a_code_block", "Reply in JSON within a ```json code block that matches "
     f"this schema: {json.dumps(USER)}", "Jason is 25.", None, USER, True),
    ("prefilled_brace_is_continued", None,
     f"Return ONLY a JSON object like {json.dumps(EXAMPLE)} for: Heat.", "{",
     _shape_of(EXAMPLE), False),
    ("instruction_without_a_shape", None, "Return a JSON object.", None,
     {"type": "object", "minProperties": 1}, False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("system", "text", "prefill", "schema", "fenced"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_json_asked_for_in_the_prompt_is_answered_with_valid_json(
    client: anthropic.Anthropic,
    system: str | None,
    text: str,
    prefill: str | None,
    schema: dict[str, Any],
    fenced: bool,
) -> None:
    extra: dict[str, Any] = {"system": system} if system else {}
    if prefill:
        extra["messages"] = [
            {"role": "user", "content": text},
            {"role": "assistant", "content": prefill},
        ]
    message = ask(client, text, **extra)
    assert [b.type for b in message.content] == ["text"] and message.stop_reason == "end_turn"
    answer = (prefill or "") + message.content[0].text
    if fenced:
        assert answer.startswith("```json\n") and answer.endswith("\n```")
        answer = answer[len("```json\n") : -len("\n```")]
    jsonschema.validate(json.loads(answer), schema)
    assert message.content == ask(client, text, **extra).content  # deterministic


def test_prose_when_json_is_only_talked_about(client: anthropic.Anthropic) -> None:
    text = 'How do I return JSON like {"a": 1} from Flask?'
    answer = ask(client, text).content[0].text
    assert "You wrote" in answer
