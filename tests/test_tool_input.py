"""The responder's JSON Schema generator: a caller's schema is either refused with what is wrong
and where (``caller_schema``) or answered with a value, quickly, whatever the schema says.

``FUZZ_EXAMPLES=20000 pytest tests/test_tool_input.py`` fuzzes longer than the default run.
"""

from __future__ import annotations

import os
import random
import time
from typing import Any

import jsonschema
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from messages_sandbox.responder import regex_sample
from messages_sandbox.responder.caller_schema import MAX_DEPTH, schema_problem
from messages_sandbox.responder.tool_input import generate, generate_instance, generate_tool_input

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))


def _nested(levels: int) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(levels):
        schema = {"type": "object", "properties": {"a": schema}, "required": ["a"]}
    return schema


# -- refused: what is wrong, and where --------------------------------------------------------
@pytest.mark.parametrize(
    ("schema", "where", "says"),
    [
        ({"$ref": "#/$defs/nope"}, "$ref", "cannot resolve '#/$defs/nope'"),
        ({"properties": {"a": {"minLength": "abc"}}}, "properties.a.minLength", "'abc'"),
        ({"minimum": "abc"}, "minimum", "not of type 'number'"),
        ({"enum": True}, "enum", "not of type 'array'"),
        ({"allOf": [5]}, "allOf.0", "not of type"),
        ({"minProperties": ["a"]}, "minProperties", "not of type 'integer'"),
        ({"pattern": "(["}, "pattern", "is not a 'regex'"),
        ({"$schema": [1]}, "$schema", "not of type 'string'"),
        ({"$ref": "#/required", "required": ["a"]}, "$ref", "does not point at a schema"),
        ({"properties": {"enum": {"$ref": "#/x"}}}, "properties.enum.$ref", "cannot resolve"),
        ({"$ref": "https://example.com/elsewhere.json"}, "$ref", "cannot resolve"),
        (_nested(MAX_DEPTH), "", f"at most {MAX_DEPTH} are supported"),
    ],
    ids=lambda v: str(v)[:40],
)
def test_an_unusable_schema_is_refused_with_the_place_and_the_reason(
    schema: dict[str, Any], where: str, says: str
) -> None:
    problem = schema_problem(schema)
    assert problem is not None
    assert problem.where == where
    assert says in problem.message


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
        {"const": {"$ref": "#/not-a-reference"}},  # data, not a schema
        {"$defs": {"n": {"properties": {"next": {"$ref": "#/$defs/n"}}}}, "$ref": "#/$defs/n"},
        {"$schema": "http://json-schema.org/draft-07/schema#", "exclusiveMinimum": 5},
        {
            "$schema": "http://json-schema.org/draft-04/schema#",
            "minimum": 1,
            "exclusiveMinimum": True,
        },
        _nested(MAX_DEPTH // 2 - 1),
    ],
    ids=lambda v: str(v)[:40],
)
def test_a_usable_schema_is_answered_with_a_valid_value(schema: dict[str, Any]) -> None:
    assert schema_problem(schema) is None
    value = generate(schema, 7)
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    assert cls(schema).is_valid(value), value


# -- bounded: schemas that ask for too much ------------------------------------------------------
@pytest.mark.parametrize(
    "schema",
    [
        {"type": "array", "minItems": 2_000_000},
        {"type": "string", "pattern": "^a{10000000}$"},
        {"type": "string", "minLength": 300_000_000},
        {"type": "object", "minProperties": 10**12},
        {"type": "array", "minItems": 1000, "items": {"type": "array", "minItems": 1000}},
        {"type": "string", "pattern": "((?:){60000}){60000}"},
        {"type": "number", "minimum": 1e308, "multipleOf": 1e-308},
        {"type": "integer", "minimum": -1e308, "maximum": 1e308},
    ],
    ids=lambda v: str(v)[:40],
)
def test_a_schema_asking_for_too_much_is_answered_within_a_budget(schema: dict[str, Any]) -> None:
    started = time.perf_counter()
    value = generate(schema, 1)
    # Liveness, not speed: without the budget these ran for 5 to 41 s.
    assert time.perf_counter() - started < 5
    assert len(orjson.dumps(value)) < 1024 * 1024


def test_the_same_schema_and_seed_give_the_same_value() -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer"}, "s": {"type": "string"}}}
    assert generate_tool_input(schema, 3) == generate_tool_input(schema, 3)


def test_a_pattern_needing_a_longer_string_than_the_limit_is_unusable() -> None:
    assert regex_sample.sample("^a{5000}$", random.Random(0), limit=100) is None
    assert regex_sample.sample("^a{50}$", random.Random(0), limit=100) == "a" * 50


# -- fuzz ----------------------------------------------------------------------------------------
WIRE_INTEGERS = st.integers(-(2**63), 2**64 - 1)  # what orjson reads as int (else float)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | WIRE_INTEGERS
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
NUMBERS = (
    WIRE_INTEGERS
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from([0, 1, -1, 1e308, -1e308, 1e-308, 5e-324, 2**63, 1e30])
)
COUNTS = st.integers(0, 40) | st.sampled_from([2_000_000, 10**12, 2**63, 2**64 - 1])
PATTERNS = st.sampled_from(
    [
        "^[a-z]+$",
        "^a{10000000}$",
        "(a|b)\\1",
        "^(?=x)y$",
        "[^\\W\\d]{3,}",
        "((?:){9999}){9999}",
        "^\\d{3}-\\d{4}$",
        "x*?y+?",
        "(?i)abc",
        "[\\u0000-\\uffff]",
        ".{2,4}$",
        "([",
    ]
) | st.text(max_size=8)
TYPES = st.sampled_from(["object", "array", "string", "integer", "number", "boolean", "null"])
REFS = st.sampled_from(["#", "#/$defs/a", "#/$defs/b", "#/properties/x", "#/required", "#/nope"])


def _schemas(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    names = st.text(min_size=1, max_size=4)
    keywords: dict[str, st.SearchStrategy[Any]] = {
        "type": TYPES | st.lists(TYPES, max_size=3),
        "properties": st.dictionaries(names, inner, max_size=3),
        "required": st.lists(names, max_size=3),
        "additionalProperties": st.booleans() | inner,
        "patternProperties": st.dictionaries(PATTERNS, inner, max_size=2),
        "items": inner | st.lists(inner, max_size=2),
        "prefixItems": st.lists(inner, max_size=2),
        "contains": inner,
        "uniqueItems": st.booleans(),
        "minItems": COUNTS,
        "maxItems": COUNTS,
        "minLength": COUNTS,
        "maxLength": COUNTS,
        "minProperties": COUNTS,
        "maxProperties": COUNTS,
        "minimum": NUMBERS,
        "maximum": NUMBERS,
        "exclusiveMinimum": NUMBERS,
        "exclusiveMaximum": NUMBERS,
        "multipleOf": NUMBERS,
        "pattern": PATTERNS,
        "format": st.sampled_from(["date-time", "email", "uuid", "ipv4", "regex", "nope"]),
        "enum": st.lists(JSON, max_size=3),
        "const": JSON,
        "anyOf": st.lists(inner, min_size=1, max_size=2),
        "oneOf": st.lists(inner, min_size=1, max_size=2),
        "allOf": st.lists(inner, min_size=1, max_size=2),
        "not": inner,
        "if": inner,
        "then": inner,
        "else": inner,
        "$ref": REFS,
        "$defs": st.fixed_dictionaries({}, optional={"a": inner, "b": inner}),
    }
    # Each keyword holds a value of its own kind, or (to reach the checks) any JSON at all.
    return st.fixed_dictionaries(
        {}, optional={k: v | JSON if k != "type" else v for k, v in keywords.items()}
    )


SCHEMAS = st.recursive(st.just({}), _schemas, max_leaves=12)


@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(schema=SCHEMAS, seed=st.integers(0, 2**32))
def test_any_schema_is_refused_or_answered_and_never_crashes(
    schema: dict[str, Any], seed: int
) -> None:
    if schema_problem(schema) is None:
        value = generate(schema, seed)  # no safety net: a crash here is a bug to fix
        orjson.dumps(value)
        assert generate(schema, seed) == value
    else:
        orjson.dumps(generate_instance(schema, seed))  # refused live; still never a crash
