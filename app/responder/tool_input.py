"""Deterministic instances of a JSON Schema: tool inputs and structured outputs.

``generate_tool_input(schema, seed)`` returns an object valid against a tool's
``input_schema``; ``generate_instance`` does the same for any schema (``output_config``
formats). The same (schema, seed) always gives the same value.

Deliberate choice, after evaluating the alternatives: hypothesis-jsonschema 0.23 is
unmaintained and crashes on current hypothesis (``'many' object has no attribute 'more'``),
and ``jsf`` drags in faker and random state. So this is a small generator over the
``referencing`` library (the ``$ref``/``$defs`` resolver jsonschema itself uses); every
result is checked with ``jsonschema`` (formats included, patterns not: see
``caller_schema.checkable``) and retried with the next seed.

The caller's schema was checked first (``caller_schema``: requests with an unusable one are
refused), and each attempt has a budget of values and characters, so no schema (``minItems:
2000000``) holds the event loop for more than milliseconds.
"""

from __future__ import annotations

import logging
import math
import random
import string
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import caller_schema, regex_sample, scalars

if TYPE_CHECKING:
    from referencing._core import Resolver

log = logging.getLogger("messages_sandbox")

_MAX_DEPTH = 8
"""Past this depth only required properties and minimum counts are generated."""
_HARD_DEPTH = 32
"""Past this depth every value is the smallest of its type: a chain of required
properties may recurse forever."""
_ATTEMPTS = 8
_FILL_OPTIONAL = 8  # properties filled in an object that requires none
_NODES = 2_000
"""Values one attempt may generate. Deliberate choice: a schema asking for more
(``minItems: 2000000``) gets an answer within budget that does not meet it, rather than
minutes of work on the event loop: the reply is cut at ``max_tokens`` anyway."""
_CHARS = 64 * 1024
"""Characters of strings one attempt may generate (``minLength: 300000000``)."""
_HINT_CHARS = frozenset(string.ascii_letters + string.digits)


def generate_tool_input(schema: Mapping[str, Any], seed: int) -> dict[str, Any]:
    """An object valid against a tool's ``input_schema`` (tool inputs are always objects)."""
    value = generate_instance(
        {"type": "object", **schema} if "type" not in schema else schema, seed
    )
    return value if isinstance(value, dict) else {}


def generate_instance(schema: Mapping[str, Any], seed: int) -> Any:
    """A value valid against ``schema`` when one can be found (checked with jsonschema).

    The schema is checked first (``caller_schema``; requests with an invalid one are refused
    before they get here). Deliberate choice: should generating still fail, the answer is
    ``{}`` and a logged warning rather than a 500 for the whole request.
    """
    try:
        return generate(schema, seed)
    except Exception:
        log.warning("could not generate from a schema; answering an empty object", exc_info=True)
        return {}


def generate(schema: Mapping[str, Any], seed: int) -> Any:
    """``generate_instance`` without its safety net (the tests fuzz this)."""
    usable = caller_schema.schema_problem(schema) is None
    validator = _validator(schema) if usable else None
    resolver = _resolver(schema)
    first: Any = None
    for attempt in range(_ATTEMPTS):
        generator = _Generator(random.Random(seed * 1_000_003 + attempt))
        value = generator.value(schema, resolver, 0, hint="")
        if validator is None:
            return value
        valid = _is_valid(validator, value)
        if valid or valid is None:
            return value  # valid, or no value can be checked (``{"$ref": "#"}`` loops)
        if attempt == 0:
            first = value
        if generator.exhausted:
            break  # the schema asks for more than the budget: another seed is no better
    # Unsatisfiable or beyond this generator: the first attempt is the most natural.
    return first


def is_valid(schema: Mapping[str, Any], value: Any) -> bool:
    """Whether ``value`` meets ``schema`` (True when that cannot be checked)."""
    if caller_schema.schema_problem(schema) is not None:
        return True  # nobody can check against a schema that is not one
    return _is_valid(_validator(schema), value) is not False


def _is_valid(validator: Any, value: Any) -> bool | None:
    """None when the schema cannot check anything (it refers to itself endlessly)."""
    try:
        return bool(validator.is_valid(value))
    except RecursionError:
        return None
    except _unresolvable():
        return False


def _validator(schema: Mapping[str, Any]) -> Any:
    """A validator for a schema ``caller_schema`` found nothing wrong with (its patterns
    left out: see ``caller_schema.checkable``)."""
    import jsonschema  # with the first schema to generate from (most runs have none)

    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    return cls(caller_schema.checkable(schema), format_checker=cls.FORMAT_CHECKER)


def _resolver(schema: Mapping[str, Any]) -> Resolver:
    # referencing with the first schema to generate from (most runs have none; ~16 ms of
    # start-up with attrs and rpds).
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    return Registry().resolver_with_root(DRAFT202012.create_resource(dict(schema)))


def _unresolvable() -> type[Exception]:
    """``referencing``'s error for a ``$ref`` that resolves to nothing (an ``except`` clause
    evaluates this only when an exception reaches it, by when a resolver was made)."""
    from referencing.exceptions import Unresolvable

    return Unresolvable


class _Generator:
    """One attempt: values drawn from ``rng`` within the ``_NODES`` / ``_CHARS`` budget."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.nodes = _NODES
        self.chars = _CHARS
        self.exhausted = False
        """Some count or length was cut to stay within the budget."""

    def value(self, schema: Any, resolver: Resolver, depth: int, hint: str) -> Any:
        self.nodes -= 1
        if schema is True or schema is None or schema == {}:
            return self._word(hint)
        if schema is False or not isinstance(schema, Mapping):
            return None
        if depth >= _HARD_DEPTH or self.nodes <= 0:
            self.exhausted = self.exhausted or self.nodes <= 0
            return _smallest(schema)
        ref = schema.get("$ref")
        if isinstance(ref, str) and depth < _MAX_DEPTH:
            try:
                resolved = resolver.lookup(ref)
            except _unresolvable():
                resolved = None
            if resolved is not None and isinstance(resolved.contents, Mapping):
                rest = {k: v for k, v in schema.items() if k != "$ref"}
                merged = {**resolved.contents, **rest}
                return self.value(merged, resolved.resolver, depth + 1, hint)
        if "const" in schema:
            return schema["const"]
        enum = schema.get("enum")
        if enum and isinstance(enum, list):
            return self.rng.choice(enum)
        if isinstance(schema.get("allOf"), list):
            return self.value(_merge_all_of(schema), resolver, depth + 1, hint)
        for key in ("oneOf", "anyOf"):
            branches = schema.get(key)
            if branches and isinstance(branches, list):
                rest = {k: v for k, v in schema.items() if k != key}
                branch = self._pick_branch(branches, depth)
                if isinstance(branch, Mapping):
                    return self.value({**rest, **branch}, resolver, depth + 1, hint)
        kind = _type_of(schema, self.rng)
        if kind == "object":
            return self._object(schema, resolver, depth)
        if kind == "array":
            return self._array(schema, resolver, depth, hint)
        if kind == "integer":
            return self._integer(schema)
        if kind == "number":
            return self._number(schema)
        if kind == "boolean":
            return self.rng.random() < 0.5
        if kind == "null":
            return None
        return self._string(schema, hint)

    def _pick_branch(self, branches: list[Any], depth: int) -> Any:
        # Deep in a recursive schema, prefer a branch that does not recurse again.
        if depth >= _MAX_DEPTH // 2:
            flat = [b for b in branches if isinstance(b, Mapping) and "$ref" not in b]
            if flat:
                return flat[0]
        non_null = [b for b in branches if not (isinstance(b, Mapping) and b.get("type") == "null")]
        return self.rng.choice(non_null or branches)

    def _within_budget(self, wanted: int) -> int:
        """``wanted`` values, or as many as the budget has left."""
        if wanted > self.nodes:
            self.exhausted = True
            return max(self.nodes, 0)
        return wanted

    # -- containers ----------------------------------------------------------------------
    def _object(self, schema: Mapping[str, Any], resolver: Resolver, depth: int) -> dict[str, Any]:
        props = _mapping(schema.get("properties"))
        required = [k for k in _list(schema.get("required")) if isinstance(k, str)]
        out: dict[str, Any] = {}
        deep = depth >= _MAX_DEPTH
        for name in required:
            out[name] = self.value(props.get(name, {}), resolver, depth + 1, name)
        # Deliberate choice: a model fills some optional fields, not all of them; but an
        # object with properties and nothing required (a wrapper like `{"items": [...]}`
        # that extraction libraries send) is filled in declaration order up to a bound,
        # never answered `{}`.
        fill = 0 if required else _FILL_OPTIONAL
        for index, (name, sub) in enumerate(props.items()):
            if name in out or deep:
                continue
            if index < fill or self.rng.random() < 0.35:
                out[name] = self.value(sub, resolver, depth + 1, name)
        extra = schema.get("additionalProperties")
        minimum = self._within_budget(scalars.count(schema.get("minProperties")))
        patterns = _mapping(schema.get("patternProperties"))
        n = 0
        while len(out) < minimum and n < minimum + 8:
            n += 1
            if patterns:
                pattern, sub = next(iter(patterns.items()))
                key = regex_sample.sample(pattern, self.rng) or f"key{n}"
            elif extra is not False:
                key, sub = f"{self._word('')}_{n}", extra if isinstance(extra, Mapping) else {}
            else:
                spare = [p for p in props if p not in out]
                if not spare:
                    break
                key, sub = spare[0], props[spare[0]]
            out[key] = self.value(sub, resolver, depth + 1, key)
        max_props = schema.get("maxProperties")
        if isinstance(max_props, int) and len(out) > max_props:
            keep = required + [k for k in out if k not in required]
            out = {k: out[k] for k in keep[:max_props]}
        return out

    def _array(
        self, schema: Mapping[str, Any], resolver: Resolver, depth: int, hint: str
    ) -> list[Any]:
        prefix = _list(schema.get("prefixItems"))
        items = schema.get("items")
        if isinstance(items, list):  # draft 4-7 tuple form
            prefix, items = items, schema.get("additionalItems", {})
        low = scalars.count(schema.get("minItems"))
        high = schema.get("maxItems")
        count = max(low, len(prefix), 0 if depth >= _MAX_DEPTH else self.rng.randint(1, 2))
        if isinstance(high, int) and not isinstance(high, bool):
            count = min(count, max(high, 0))
        count = self._within_budget(count)
        out: list[Any] = []
        unique = schema.get("uniqueItems") is True
        tries = 0
        while len(out) < count and tries < count * 4 + 4:
            tries += 1
            i = len(out)
            sub = prefix[i] if i < len(prefix) else items
            if sub is False:
                break
            item = self.value(sub if sub is not None else {}, resolver, depth + 1, hint)
            if unique and item in out:
                continue
            out.append(item)
        contains = schema.get("contains")
        if isinstance(contains, Mapping) and not out:
            out.append(self.value(contains, resolver, depth + 1, hint))
        return out

    # -- scalars -------------------------------------------------------------------------
    def _string(self, schema: Mapping[str, Any], hint: str) -> str:
        fmt = schema.get("format")
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            text = regex_sample.sample(pattern, self.rng, limit=max(self.chars, 0))
            if text is not None:
                self.chars -= len(text)
                return text
        if isinstance(fmt, str) and fmt in scalars.FORMATS:
            text = scalars.FORMATS[fmt](self.rng)
        else:
            text = self._word(hint)
        low = scalars.count(schema.get("minLength"))
        high = schema.get("maxLength")
        if len(text) < low:
            pad = low - len(text)
            if pad > self.chars:
                self.exhausted = True
                pad = max(self.chars, 0)
            text += "x" * pad
        if isinstance(high, int) and not isinstance(high, bool) and len(text) > high:
            text = text[: max(high, 0)]
        self.chars -= len(text)
        return text

    def _word(self, hint: str) -> str:
        word = self.rng.choice(scalars.WORDS)
        if not hint:
            return word
        cleaned = "".join(c if c in _HINT_CHARS else " " for c in hint[:64])
        return f"{word} {cleaned.strip().lower()}".strip()

    def _integer(self, schema: Mapping[str, Any]) -> int | float:
        low, high = scalars.bounds(schema, integer=True)
        step = schema.get("multipleOf")
        if isinstance(step, int) and not isinstance(step, bool) and step > 0:
            first = -(-low // step) * step
            options = max(0, (high - first) // step)
            return scalars.on_the_wire(first + step * self.rng.randint(0, min(options, 20)))
        return scalars.on_the_wire(self.rng.randint(low, max(low, min(high, low + 100))))

    def _number(self, schema: Mapping[str, Any]) -> float | int:
        low: float | int
        high: float | int
        low, high = scalars.bounds(schema, integer=False)
        step = schema.get("multipleOf")
        if isinstance(step, int | float) and not isinstance(step, bool) and step > 0:
            k = low / step
            if not math.isfinite(k) or abs(k) > 2**53:
                return low  # no multiple to find at this scale: the bound itself
            multiple = math.ceil(k) * step
            return round(multiple, 10) if multiple <= high else low
        span = min(high - low, 100.0) if math.isfinite(high - low) else 100.0
        return round(low + span * self.rng.random(), 2) or low


def _smallest(schema: Mapping[str, Any]) -> Any:
    """The least a schema can be answered with, nothing generated below it."""
    if "const" in schema:
        return schema["const"]
    enum = schema.get("enum")
    if enum and isinstance(enum, list):
        return enum[0]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), kind[0] if kind else None)
    smallest: dict[Any, Any] = {"object": {}, "array": [], "integer": 0, "number": 0,
                                "boolean": False, "null": None}  # fmt: skip
    return smallest.get(kind, "")


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _type_of(schema: Mapping[str, Any], rng: random.Random) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        options = [k for k in kind if k != "null"] or kind
        return str(options[0]) if options else "string"
    if isinstance(kind, str):
        return kind
    if "properties" in schema or "required" in schema or "additionalProperties" in schema:
        return "object"
    if "items" in schema or "prefixItems" in schema:
        return "array"
    if "minimum" in schema or "maximum" in schema or "multipleOf" in schema:
        return "number"
    return "string"


def _merge_all_of(schema: Mapping[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    for part in _list(schema.get("allOf")):
        if not isinstance(part, Mapping):
            continue
        for key, value in part.items():
            if key == "properties" and isinstance(value, Mapping):
                merged["properties"] = {**_mapping(merged.get("properties")), **value}
            elif key == "required" and isinstance(value, list):
                merged["required"] = [*_list(merged.get("required")), *value]
            else:
                merged.setdefault(key, value)
    return merged
