"""Deterministic instances of a JSON Schema: tool inputs and structured outputs.

``generate_tool_input(schema, seed)`` returns an object valid against a tool's
``input_schema``; ``generate_instance`` does the same for any schema (``output_config``
formats). The same (schema, seed) always gives the same value.

Deliberate choice, after evaluating the alternatives: hypothesis-jsonschema 0.23 is
unmaintained and crashes on current hypothesis (``'many' object has no attribute 'more'``),
and ``jsf`` drags in faker and random state. So this is a small generator over the
``referencing`` library (the ``$ref``/``$defs`` resolver jsonschema itself uses); every
result is checked with ``jsonschema`` (formats included) and retried with the next seed.
"""

from __future__ import annotations

import math
import random
import string
from collections.abc import Mapping
from typing import Any

import jsonschema
from referencing import Registry, Resource
from referencing._core import Resolver
from referencing.jsonschema import DRAFT202012

from . import regex_sample

_MAX_DEPTH = 8
_ATTEMPTS = 8
_FILL_OPTIONAL = 8  # properties filled in an object that requires none
_WORDS = ("alpha", "bravo", "sample", "value", "example", "delta", "sandbox", "item")
_FORMATS: dict[str, Any] = {
    "date-time": lambda r: f"2025-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T12:00:00Z",
    "date": lambda r: f"2025-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
    "time": lambda r: f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:00Z",
    "duration": lambda r: f"PT{r.randint(1, 59)}M",
    "email": lambda r: f"{r.choice(_WORDS)}@example.com",
    "idn-email": lambda r: f"{r.choice(_WORDS)}@example.com",
    "hostname": lambda r: f"{r.choice(_WORDS)}.example.com",
    "idn-hostname": lambda r: f"{r.choice(_WORDS)}.example.com",
    "uri": lambda r: f"https://example.com/{r.choice(_WORDS)}",
    "url": lambda r: f"https://example.com/{r.choice(_WORDS)}",
    "iri": lambda r: f"https://example.com/{r.choice(_WORDS)}",
    "uri-reference": lambda r: f"/{r.choice(_WORDS)}",
    "iri-reference": lambda r: f"/{r.choice(_WORDS)}",
    "uri-template": lambda r: "https://example.com/{id}",
    "uuid": lambda r: _uuid(r),
    "ipv4": lambda r: f"192.0.2.{r.randint(1, 254)}",
    "ipv6": lambda r: f"2001:db8::{r.randint(1, 0xFFFF):x}",
    "json-pointer": lambda r: f"/{r.choice(_WORDS)}",
    "relative-json-pointer": lambda r: "0",
    "regex": lambda r: "^[a-z]+$",
}


def generate_tool_input(schema: Mapping[str, Any], seed: int) -> dict[str, Any]:
    """An object valid against a tool's ``input_schema`` (tool inputs are always objects)."""
    value = generate_instance(
        {"type": "object", **schema} if "type" not in schema else schema, seed
    )
    return value if isinstance(value, dict) else {}


def generate_instance(schema: Mapping[str, Any], seed: int) -> Any:
    """A value valid against ``schema`` when one can be found (checked with jsonschema)."""
    resolver = Registry().resolver_with_root(Resource.from_contents(dict(schema), DRAFT202012))
    validator = _validator(schema)
    first: Any = None
    for attempt in range(_ATTEMPTS):
        rng = random.Random(seed * 1_000_003 + attempt)
        value = _Generator(rng).value(schema, resolver, 0, hint="")
        if validator is None or validator.is_valid(value):
            return value
        if attempt == 0:
            first = value
    # Unsatisfiable or beyond this generator: the first attempt is the most natural.
    return first


def is_valid(schema: Mapping[str, Any], value: Any) -> bool:
    validator = _validator(schema)
    return validator is None or validator.is_valid(value)


def _validator(schema: Mapping[str, Any]) -> Any:
    try:
        cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
        # An invalid schema would make validation itself raise later: check it up front.
        cls.check_schema(schema)
        return cls(schema, format_checker=cls.FORMAT_CHECKER)
    except Exception:  # a schema jsonschema cannot compile is checked by nobody
        return None


def _uuid(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


class _Generator:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def value(self, schema: Any, resolver: Resolver, depth: int, hint: str) -> Any:
        if schema is True or schema is None or schema == {}:
            return self._word(hint)
        if schema is False or not isinstance(schema, Mapping):
            return None
        ref = schema.get("$ref")
        if isinstance(ref, str) and depth < _MAX_DEPTH:
            resolved = resolver.lookup(ref)
            merged = {**resolved.contents, **{k: v for k, v in schema.items() if k != "$ref"}}
            return self.value(merged, resolved.resolver, depth + 1, hint)
        if "const" in schema:
            return schema["const"]
        if schema.get("enum"):
            return self.rng.choice(list(schema["enum"]))
        if "allOf" in schema:
            return self.value(_merge_all_of(schema), resolver, depth + 1, hint)
        for key in ("oneOf", "anyOf"):
            branches = schema.get(key)
            if branches:
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

    # -- containers ----------------------------------------------------------------------
    def _object(self, schema: Mapping[str, Any], resolver: Resolver, depth: int) -> dict:
        props: Mapping[str, Any] = schema.get("properties") or {}
        required = [k for k in schema.get("required") or () if isinstance(k, str)]
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
        minimum = int(schema.get("minProperties") or 0)
        patterns = schema.get("patternProperties") or {}
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

    def _array(self, schema: Mapping[str, Any], resolver: Resolver, depth: int, hint: str) -> list:
        prefix = schema.get("prefixItems")
        items = schema.get("items")
        if isinstance(items, list):  # draft 4-7 tuple form
            prefix, items = items, schema.get("additionalItems", {})
        low = int(schema.get("minItems") or 0)
        high = schema.get("maxItems")
        count = max(low, len(prefix or ()), 0 if depth >= _MAX_DEPTH else self.rng.randint(1, 2))
        if isinstance(high, int):
            count = min(count, high)
        out: list[Any] = []
        unique = bool(schema.get("uniqueItems"))
        tries = 0
        while len(out) < count and tries < count * 4 + 4:
            tries += 1
            i = len(out)
            sub = prefix[i] if prefix and i < len(prefix) else items
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
            text = regex_sample.sample(pattern, self.rng)
            if text is not None:
                return text
        if isinstance(fmt, str) and fmt in _FORMATS:
            text = _FORMATS[fmt](self.rng)
        else:
            text = self._word(hint)
        low = int(schema.get("minLength") or 0)
        high = schema.get("maxLength")
        if len(text) < low:
            text += "x" * (low - len(text))
        if isinstance(high, int) and len(text) > high:
            text = text[:high]
        return text

    def _word(self, hint: str) -> str:
        word = self.rng.choice(_WORDS)
        cleaned = "".join(c if c in string.ascii_letters + string.digits else " " for c in hint)
        return f"{word} {cleaned.strip().lower()}".strip() if hint else word

    def _integer(self, schema: Mapping[str, Any]) -> int:
        low, high = _bounds(schema, integer=True)
        step = schema.get("multipleOf")
        if isinstance(step, int) and step > 0:
            first = -(-low // step) * step
            options = max(0, (high - first) // step)
            return first + step * self.rng.randint(0, min(options, 20))
        return self.rng.randint(low, max(low, min(high, low + 100)))

    def _number(self, schema: Mapping[str, Any]) -> float | int:
        step = schema.get("multipleOf")
        if isinstance(step, int | float) and step > 0:
            low, high = _bounds(schema, integer=False)
            k = int(-(-low // step))
            return round(k * step, 10) if k * step <= high else low
        low, high = _bounds(schema, integer=False)
        span = min(high - low, 100.0)
        return round(low + span * self.rng.random(), 2) or low


def _bounds(schema: Mapping[str, Any], *, integer: bool) -> tuple[Any, Any]:
    low = schema.get("minimum", 0 if schema.get("maximum") is None else schema["maximum"] - 100)
    high = schema.get("maximum", low + 100)
    ex_low, ex_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if isinstance(ex_low, int | float) and not isinstance(ex_low, bool):
        low = max(low, ex_low + (1 if integer else 0.01))
    if isinstance(ex_high, int | float) and not isinstance(ex_high, bool):
        high = min(high, ex_high - (1 if integer else 0.01))
    if integer:
        return math.ceil(low), math.floor(high)
    return low, high


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
    for part in schema.get("allOf") or ():
        if not isinstance(part, Mapping):
            continue
        for key, value in part.items():
            if key == "properties":
                merged["properties"] = {**merged.get("properties", {}), **value}
            elif key == "required":
                merged["required"] = [*merged.get("required", []), *value]
            else:
                merged.setdefault(key, value)
    return merged
