"""Scalars for the schema generator (``tool_input``): format samples, numeric bounds, and
numbers JSON can carry.

Every function takes whatever a schema holds (a metaschema-valid schema may still say
``minimum: 1e308``) and answers with finite numbers orjson can write.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from typing import Any

WORDS = ("alpha", "bravo", "sample", "value", "example", "delta", "sandbox", "item")
FORMATS: dict[str, Any] = {
    "date-time": lambda r: f"2025-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T12:00:00Z",
    "date": lambda r: f"2025-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
    "time": lambda r: f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:00Z",
    "duration": lambda r: f"PT{r.randint(1, 59)}M",
    "email": lambda r: f"{r.choice(WORDS)}@example.com",
    "idn-email": lambda r: f"{r.choice(WORDS)}@example.com",
    "hostname": lambda r: f"{r.choice(WORDS)}.example.com",
    "idn-hostname": lambda r: f"{r.choice(WORDS)}.example.com",
    "uri": lambda r: f"https://example.com/{r.choice(WORDS)}",
    "url": lambda r: f"https://example.com/{r.choice(WORDS)}",
    "iri": lambda r: f"https://example.com/{r.choice(WORDS)}",
    "uri-reference": lambda r: f"/{r.choice(WORDS)}",
    "iri-reference": lambda r: f"/{r.choice(WORDS)}",
    "uri-template": lambda r: "https://example.com/{id}",
    "uuid": lambda r: _uuid(r),
    "ipv4": lambda r: f"192.0.2.{r.randint(1, 254)}",
    "ipv6": lambda r: f"2001:db8::{r.randint(1, 0xFFFF):x}",
    "json-pointer": lambda r: f"/{r.choice(WORDS)}",
    "relative-json-pointer": lambda r: "0",
    "regex": lambda r: "^[a-z]+$",
}


def _uuid(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def count(value: Any) -> int:
    """A ``minItems``-style keyword as a count (0 for anything else)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    return max(int(value), 0) if math.isfinite(value) else 0


def on_the_wire(number: int) -> int | float:
    """``number`` as JSON can carry it here: an integer beyond 64 bits as the float it
    equals (JSON Schema counts ``1e+30`` as an integer; orjson writes no larger int)."""
    return number if -(2**63) <= number < 2**64 else float(number)


_FINITE_MAX = 1e300
"""Bounds are clamped to this, so ``bound ± 100`` and ``high - low`` stay finite."""


def _number_or(value: Any, default: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    if isinstance(value, float):
        return min(max(value, -_FINITE_MAX), _FINITE_MAX)
    return value


def bounds(schema: Mapping[str, Any], *, integer: bool) -> tuple[Any, Any]:
    maximum = _number_or(schema.get("maximum"), None)
    low = _number_or(schema.get("minimum"), 0 if maximum is None else maximum - 100)
    high = maximum if maximum is not None else low + 100
    ex_low = _number_or(schema.get("exclusiveMinimum"), None)
    ex_high = _number_or(schema.get("exclusiveMaximum"), None)
    if ex_low is not None:
        low = max(low, ex_low + (1 if integer else 0.01))
    if ex_high is not None:
        high = min(high, ex_high - (1 if integer else 0.01))
    if integer:
        return math.ceil(low), math.floor(high)
    return low, high
