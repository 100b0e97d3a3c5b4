"""The generator's intermediate representation: a JSON-shaped type language between the SDK's
Python types (``walker``) and the emitted TypedDicts (``emitter``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Prim:
    name: str  # str | int | float | bool | object | file (SDK-only file inputs, dropped)


@dataclass(frozen=True)
class Lit:
    values: tuple[Any, ...]


@dataclass(frozen=True)
class ListOf:
    item: T


@dataclass(frozen=True)
class MapOf:
    value: T


@dataclass(frozen=True)
class Nullable:
    inner: T


@dataclass(frozen=True)
class Constrained:
    base: Prim
    constraints: tuple[tuple[str, object], ...]


@dataclass(frozen=True)
class Fld:
    type: T
    required: bool


@dataclass(eq=False)
class Obj:
    name: str
    sources: list[str]
    fields: dict[str, Fld] = field(default_factory=dict)
    extra: str = "forbid"
    is_param: bool = True  # from a request TypedDict (vs a response model merged in)


@dataclass(frozen=True)
class Ref:
    obj: Obj  # Obj compares by identity


@dataclass(frozen=True)
class TagUnion:
    key: str
    variants: tuple[tuple[tuple[str, ...], Obj], ...]  # (tags owned, object)
    default: str | None  # tag chosen when the key is absent or null
    hint: str = field(compare=False)


@dataclass(frozen=True)
class KindUnion:
    members: tuple[tuple[str, T], ...]  # (JSON kind, type)
    hint: str = field(compare=False)


T = Prim | Lit | ListOf | MapOf | Nullable | Constrained | Ref | TagUnion | KindUnion


def camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[_\W]+", name) if part)


def json_kind(t: T) -> str:
    if isinstance(t, Lit):
        return {str: "str", bool: "bool", int: "int"}[type(t.values[0])]
    if isinstance(t, Prim | Constrained):
        return t.name if isinstance(t, Prim) else t.base.name
    if isinstance(t, ListOf):
        return "list"
    if isinstance(t, MapOf | Ref | TagUnion):
        return "dict"
    raise TypeError(f"no JSON kind for {t!r}")
