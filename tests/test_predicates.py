"""The value tests fixture matchers compile to, in process, as tables: string operators (with
and without case), counts, JSON-path style field paths, and the compile errors that point into
the fixture file. (Each matcher end to end, through the SDK: tests/test_fixtures_matching.py.)"""

from __future__ import annotations

from typing import Any

import pytest

from messages_sandbox.fixtures.format_match import IntMatch, StrMatch
from messages_sandbox.fixtures.predicates import (
    CompileError,
    int_test,
    parse_path,
    resolve_path,
    str_cost,
    str_test,
)

# (the match as written in a fixture, value, holds?, the description a near miss shows)
STRINGS: list[tuple[dict[str, Any], Any, bool, str]] = [
    ({"equals": "Paris"}, "Paris", True, "== 'Paris'"),
    ({"equals": "Paris"}, "paris", False, "== 'Paris'"),
    ({"equals": "Paris", "ignore_case": True}, "PARIS", True, "== 'Paris' and (ignoring case)"),
    ({"contains": "needle"}, "a needle here", True, "contains 'needle'"),
    ({"contains": "NEEDLE", "ignore_case": True}, "a needle here", True, "contains 'NEEDLE'"),
    ({"startswith": "claude-"}, "claude-haiku", True, "startswith 'claude-'"),
    ({"startswith": "Claude-", "ignore_case": True}, "claude-x", True, "startswith 'Claude-'"),
    ({"endswith": "-4-5"}, "claude-haiku-4-5", True, "endswith '-4-5'"),
    ({"endswith": "-4-5"}, "claude-haiku-4-6", False, "endswith '-4-5'"),
    ({"endswith": "-X", "ignore_case": True}, "model-x", True, "endswith '-X'"),
    ({"regex": r"^\d+$"}, "12345", True, r"regex '^\\d+$'"),
    ({"regex": r"^\d+$"}, "12a45", False, r"regex '^\\d+$'"),
    ({"regex": "b", "ignore_case": True}, "ABC", True, "regex 'b'"),
    ({"glob": "claude-*-4-5"}, "claude-haiku-4-5", True, "glob 'claude-*-4-5'"),
    ({"glob": "claude-*-4-5"}, "gpt-4-5", False, "glob 'claude-*-4-5'"),
    ({"glob": "CLAUDE-*", "ignore_case": True}, "claude-x", True, "glob 'CLAUDE-*'"),
    ({"in": ["acme", "globex"]}, "globex", True, "in ['acme', 'globex']"),
    ({"in": ["acme", "globex"]}, "initech", False, "in ['acme', 'globex']"),
    ({"in": ["Acme"], "ignore_case": True}, "ACME", True, "in ['Acme']"),
    ({"startswith": "a", "endswith": "z"}, "abcz", True, "startswith 'a' and endswith 'z'"),
    ({"startswith": "a", "endswith": "z"}, "abcy", False, "startswith 'a' and endswith 'z'"),
    ({"equals": "x"}, None, False, "== 'x'"),  # absent: never holds
    ({"contains": "1"}, 1, False, "contains '1'"),  # not a string: never holds
]


@pytest.mark.parametrize(("written", "value", "holds", "said"), STRINGS)
def test_string_operators(written: dict[str, Any], value: Any, holds: bool, said: str) -> None:
    test, description = str_test(StrMatch.model_validate(written), ("match", "x"))
    assert test(value, {}) is holds
    assert description.startswith(said)


def test_a_regex_match_records_its_groups_and_names() -> None:
    test, _ = str_test(StrMatch(regex=r"^You are (?P<who>\w+), (\w+)"), ("match", "system"))
    captures: dict[Any, Any] = {}
    assert test("You are Ada, helper", captures)
    assert captures == {0: "You are Ada, helper", 1: "Ada", 2: "helper", "who": "Ada"}


@pytest.mark.parametrize(
    ("written", "cost"),
    [
        ({"equals": "a"}, 0),
        ({"equals": "a", "ignore_case": True}, 1),
        ({"contains": "a"}, 1),
        ({"regex": "a"}, 3),
        ({"glob": "a*"}, 3),
    ],
)
def test_cheap_string_tests_are_tried_first(written: dict[str, Any], cost: int) -> None:
    assert str_cost(StrMatch.model_validate(written)) == cost


def test_a_bad_regex_is_a_compile_error_at_its_place() -> None:
    with pytest.raises(CompileError) as caught:
        str_test(StrMatch(regex="(unclosed"), ("match", "system"))
    assert caught.value.loc == ("match", "system", "regex")
    assert caught.value.message.startswith("invalid regular expression '(unclosed': ")


# (the count test as written, counts that hold, counts that do not, description)
COUNTS: list[tuple[dict[str, Any], list[int], list[int], str]] = [
    ({"equals": 2}, [2], [1, 3], "== 2"),
    ({"gt": 1}, [2, 9], [0, 1], "> 1"),
    ({"gte": 1}, [1, 2], [0], ">= 1"),
    ({"lt": 3}, [0, 2], [3, 4], "< 3"),
    ({"lte": 3}, [3], [4], "<= 3"),
    ({"in": [1, 5]}, [1, 5], [2], "in [1, 5]"),
    ({"gte": 1, "lte": 2}, [1, 2], [0, 3], ">= 1 and <= 2"),
    ({}, [0, 7], [], "any"),
]


@pytest.mark.parametrize(("written", "hold", "fail", "said"), COUNTS)
def test_count_operators(
    written: dict[str, Any], hold: list[int], fail: list[int], said: str
) -> None:
    test, description = int_test(IntMatch.model_validate(written))
    assert [test(n) for n in hold] == [True] * len(hold)
    assert [test(n) for n in fail] == [False] * len(fail)
    assert description == said


REQUEST = {
    "model": "claude-haiku-4-5",
    "messages": [
        {"role": "user", "content": "a"},
        {"role": "assistant", "content": [{"type": "text", "text": "b"}]},
    ],
    "tools": [{"name": "lookup"}, {"name": "other"}],
}


@pytest.mark.parametrize(
    ("path", "parts", "found"),
    [
        ("model", ["model"], ["claude-haiku-4-5"]),
        ("messages[*].role", ["messages", None, "role"], ["user", "assistant"]),
        ("messages[1].content[0].text", ["messages", 1, "content", 0, "text"], ["b"]),
        ("messages[-1]", None, None),  # negative indexes are not path syntax
        ("tools[*].name", ["tools", None, "name"], ["lookup", "other"]),
        ("tools[5].name", ["tools", 5, "name"], []),  # out of range: nothing, no error
        ("messages[*].content.text", ["messages", None, "content", "text"], []),
        ("stop_sequences", ["stop_sequences"], []),
    ],
)
def test_field_paths_parse_and_resolve(
    path: str, parts: list[Any] | None, found: list[Any] | None
) -> None:
    if parts is None:
        with pytest.raises(CompileError):
            parse_path(path, ("match", "fields", path))
        return
    assert parse_path(path, ("match", "fields", path)) == parts
    assert resolve_path(REQUEST, parts) == found


@pytest.mark.parametrize("path", ["", ".", "a..b", "a[x]", "a[1", "a]", "a[-1]"])
def test_a_malformed_field_path_names_the_syntax(path: str) -> None:
    with pytest.raises(CompileError) as caught:
        parse_path(path, ("match", "fields", path))
    assert caught.value.loc == ("match", "fields", path)
    assert "use keys, [n] and [*]" in caught.value.message
