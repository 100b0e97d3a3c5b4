"""Every request the SDK's own types allow is accepted by the generated schema.

The requests are drawn from the SDK's TypedDicts (and the response models they embed), not from
the generated schema, so a generator bug that makes the schema stricter than the SDK fails here.
The generator's override table is applied on top: its constraints (tool name pattern, budget
>= 1024...), its added fields (legacy sampling params, stream) and its removed header-only keys.
"""

from __future__ import annotations

import collections.abc
import os
import sys
import types
import typing
from typing import Any, Literal, Union, get_args, get_origin

import orjson
import pydantic
import pytest
import typing_extensions as te
from anthropic.types import MessageContentParam, ToolUnionParam
from anthropic.types.beta import BetaMessageContentParam, BetaToolUnionParam
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_schema_generated import load_generator

from messages_sandbox.schema.validators import RequestValidators, ValidationFailed

gen = load_generator()
JSON_SCALARS = st.none() | st.booleans() | st.integers(-1000, 1000) | st.text(max_size=5)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=4), inner, max_size=2)
    ),
    max_leaves=4,
)
_LISTS = (list, collections.abc.Iterable, collections.abc.Sequence)
_FILES = (bytes, os.PathLike, typing.IO)


def _class_id(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _constrained(py_type: type, constraints: dict[str, Any]) -> st.SearchStrategy[Any]:
    if "pattern" in constraints:
        return st.from_regex(str(constraints["pattern"]), fullmatch=True)
    low, high = constraints.get("ge"), constraints.get("le")
    if py_type is int:
        return st.integers(min_value=low, max_value=high if high is not None else 10**6)
    return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)


class Strategies:
    """hypothesis strategies for SDK types; classes are memoised (and deferred, for recursion)."""

    def __init__(self) -> None:
        self.classes: dict[type, st.SearchStrategy[Any]] = {}

    def for_class(self, cls: type) -> st.SearchStrategy[Any]:
        if cls not in self.classes:
            self.classes[cls] = st.deferred(lambda: self._build_class(cls))
        return self.classes[cls]

    def _build_class(self, cls: type) -> st.SearchStrategy[Any]:
        cid = _class_id(cls)
        required: dict[str, st.SearchStrategy[Any]] = {}
        optional: dict[str, st.SearchStrategy[Any]] = {}
        if te.is_typeddict(cls):
            removed = gen.REMOVED_FIELDS.get(cid, set())
            for key, hint in typing.get_type_hints(cls, include_extras=True).items():
                if key not in removed:
                    target = required if get_origin(hint) is te.Required else optional
                    target[key] = self.for_field(cid, key, hint)
        else:
            for attr, info in cls.model_fields.items():
                key = info.alias or attr
                target = required if info.is_required() else optional
                target[key] = self.for_field(cid, key, info.annotation)
        for key, (py_type, constraints) in gen.ADDED_FIELDS.get(cid, {}).items():
            optional[key] = _constrained(py_type, constraints) if constraints else self.of(py_type)
        return st.fixed_dictionaries(required, optional=optional)

    def for_field(self, cid: str, key: str, hint: Any) -> st.SearchStrategy[Any]:
        constraints = gen.CONSTRAINTS.get((cid, key))
        if constraints is None:
            return self.of(hint)
        inner = hint
        while get_origin(inner) in (te.Required, te.NotRequired, typing.Annotated):
            inner = get_args(inner)[0]
        nullable = type(None) in get_args(inner)
        base = next(a for a in get_args(inner) if a is not type(None)) if nullable else inner
        strategy = _constrained(base, constraints)
        return st.none() | strategy if nullable else strategy

    def of(self, tp: Any) -> st.SearchStrategy[Any]:
        origin, args = get_origin(tp), get_args(tp)
        if origin in (te.Required, te.NotRequired, typing.Annotated):
            return self.of(args[0])
        if tp is type(None):
            return st.none()
        if tp is str:
            return st.text(max_size=6)
        if tp is bool:
            return st.booleans()
        if tp is int:
            return st.integers(-1000, 10**6)
        if tp is float:
            return st.floats(allow_nan=False, allow_infinity=False)
        if tp is object or tp is Any:
            return JSON_VALUES
        if origin is Literal:
            return st.sampled_from(args)
        if origin in _LISTS:
            return st.lists(self.of(args[0]), max_size=2)
        if origin in (dict, collections.abc.Mapping):
            return st.dictionaries(st.text(max_size=4), self.of(args[1]), max_size=2)
        if origin in (Union, types.UnionType):
            members = [a for a in args if a not in _FILES and get_origin(a) not in _FILES]
            objects = [a for a in members if te.is_typeddict(a)]
            if objects:
                # The generator's rule: `TypedDict | Dict[str, object]` (a tool's input_schema)
                # means the TypedDict; the dict arm only lets callers pass any mapping type.
                members = [a for a in members if get_origin(a) is not dict]
            return st.one_of([self.of(a) for a in members])
        if isinstance(tp, type) and (te.is_typeddict(tp) or issubclass(tp, pydantic.BaseModel)):
            return self.for_class(tp)
        raise TypeError(f"no strategy for {tp!r}")


def _root(class_id: str) -> type:
    module, qualname = class_id.split(":")
    return typing.cast(type, getattr(sys.modules[module], qualname))


STRATEGIES = Strategies()
CASES = [
    ("MessageCreateParams", "messages", False),
    ("BetaMessageCreateParams", "messages", True),
    ("MessageCountTokensParams", "count_tokens", False),
    ("BetaMessageCountTokensParams", "count_tokens", True),
]
VALIDATORS = RequestValidators()


def _check_accepted(
    strategy: st.SearchStrategy[dict[str, Any]], endpoint: str, beta: bool, examples: int
) -> None:
    validate = getattr(VALIDATORS, endpoint)

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(strategy)
    def accepted(request: dict[str, Any]) -> None:
        raw = orjson.dumps(request)
        try:
            result = validate(raw, beta=beta)
        except ValidationFailed as exc:
            raise AssertionError(f"{exc}\n{raw.decode()[:2000]}") from None
        assert result == orjson.loads(raw)  # nothing dropped or added

    accepted()


@pytest.mark.parametrize(("root", "endpoint", "beta"), CASES, ids=[c[0] for c in CASES])
def test_requests_valid_for_the_sdk_are_accepted(root: str, endpoint: str, beta: bool) -> None:
    strategy = STRATEGIES.for_class(_root(gen.ROOTS[root]))
    _check_accepted(strategy, endpoint, beta, examples=100)


def _members(union: Any) -> list[Any]:
    """The classes of an SDK union alias (content blocks: the list item union)."""
    flat = []
    for arg in get_args(union):
        if get_origin(arg) in _LISTS:
            return _members(get_args(arg)[0])
        if get_origin(arg) is typing.Annotated:  # the response ContentBlock union
            flat += list(get_args(get_args(arg)[0]))
        elif arg is not str:
            flat.append(arg)
    return flat


# One case per content block and per tool, so each is drawn often, whatever the root draws.
MEMBERS = [
    (cls, field, beta)
    for union, field, beta in (
        (MessageContentParam, "messages", False),
        (BetaMessageContentParam, "messages", True),
        (ToolUnionParam, "tools", False),
        (BetaToolUnionParam, "tools", True),
    )
    for cls in _members(union)
]


@pytest.mark.parametrize(
    ("cls", "field", "beta"), MEMBERS, ids=[f"{c.__name__}-{f}" for c, f, _ in MEMBERS]
)
def test_each_block_and_tool_is_accepted(cls: type, field: str, beta: bool) -> None:
    item = STRATEGIES.for_class(cls)
    fields: dict[str, st.SearchStrategy[Any]] = {
        "model": st.just("claude-haiku-4-5"),
        "max_tokens": st.just(16),
        "messages": st.just([{"role": "user", "content": "Hi"}]),
    }
    if field == "messages":
        fields["messages"] = st.builds(lambda b: [{"role": "assistant", "content": [b]}], item)
    else:
        fields["tools"] = st.lists(item, min_size=1, max_size=1)
    request = st.fixed_dictionaries(fields)
    _check_accepted(request, "messages", beta, examples=8)
