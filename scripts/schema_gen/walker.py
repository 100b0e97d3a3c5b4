"""SDK types -> IR: the walk that rebuilds every TypedDict reachable from the roots.

Unions are normalised on the way (null pulled out, members grouped by JSON kind, objects tagged
on their ``type`` / ``role`` literal) and each SDK response model is merged into the request
block of the same ``type``. Any type shape not handled here fails loudly.
"""

from __future__ import annotations

import collections.abc
import importlib
import os
import pkgutil
import sys
import types
import typing
from dataclasses import dataclass
from typing import Any, Union, get_args, get_origin

import anthropic.types
import pydantic
import typing_extensions as te

from .ir import (
    Constrained,
    Fld,
    KindUnion,
    ListOf,
    Lit,
    MapOf,
    Nullable,
    Obj,
    Prim,
    Ref,
    T,
    TagUnion,
    camel,
    json_kind,
)

TAG_KEYS = ("type", "role")  # discriminating keys tried, in order, for unions of objects
_PRIMS: dict[Any, str] = {str: "str", int: "int", float: "float", bool: "bool", object: "object"}
_LISTS = {list, collections.abc.Iterable, collections.abc.Sequence}
_FILES = {bytes, os.PathLike, typing.IO}


@dataclass(frozen=True)
class Overrides:
    """What the real API enforces beyond the SDK's types (the table in scripts/gen_schema.py).

    Keys are SDK classes as "module:qualname" (plus a field): ``constraints`` on scalar fields,
    ``added`` fields (type, constraints), ``removed`` fields, classes whose ``extra_allowed``.
    """

    constraints: dict[tuple[str, str], dict[str, object]]
    added: dict[str, dict[str, tuple[type, dict[str, object]]]]
    removed: dict[str, set[str]]
    extra_allowed: set[str]

    def entries(self) -> set[object]:
        """Every entry, as ``Converter.used_overrides`` records it when the walk applies it."""
        expected: set[object] = set(self.constraints)
        expected |= {(cid, key) for cid, keys in self.removed.items() for key in keys}
        expected |= {(cid, key) for cid, added in self.added.items() for key in added}
        expected |= self.extra_allowed
        return expected


def _class_id(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _is_beta(cls: type) -> bool:
    return cls.__module__.startswith("anthropic.types.beta.")


def _type_hints(cls: type) -> dict[str, Any]:
    """get_type_hints, with Literal values in the order this class declares them.

    typing caches Unions by their args, and Literal["a", "b"] == Literal["b", "a"]: a cached
    Optional[Literal["b", "a"]] from another class would reorder this one's values (and the
    "Input should be 'a' or 'b'" messages). Clearing typing's caches first prevents it.
    """
    for clear in typing._cleanups:  # type: ignore[attr-defined]
        clear()
    return typing.get_type_hints(cls, include_extras=True)


class Converter:
    """Walks the SDK's types from the roots down, building one ``Obj`` per class (memoised)."""

    def __init__(self, overrides: Overrides) -> None:
        self.overrides = overrides
        self.objs: dict[type, Obj] = {}
        self.used_overrides: set[object] = set()
        self.merged: dict[tuple[int, ...], Obj] = {}
        # id(obj) -> the merged object that replaces it everywhere: one schema per block type,
        # so a text block accepts response-only keys wherever text blocks are allowed.
        self.replaced: dict[int, Obj] = {}
        self.aliases = self._sdk_aliases()

    @staticmethod
    def _sdk_aliases() -> dict[Any, str]:
        """Names of the SDK's union aliases (`ContentBlockParam`...), to name generated unions."""
        # import every types module first, so the names do not depend on what happens to be loaded
        for info in pkgutil.walk_packages(anthropic.types.__path__, "anthropic.types."):
            importlib.import_module(info.name)
        found: dict[Any, str] = {}
        for mod_name, mod in sorted(sys.modules.items()):
            if not mod_name.startswith("anthropic.types") or mod is None:
                continue
            beta = mod_name.startswith("anthropic.types.beta")
            for name, value in vars(mod).items():
                # only the SDK's public `...Param` aliases; local ones (`Source`) are too vague
                if not name.endswith("Param") or get_origin(value) not in (Union, te.Annotated):
                    continue
                alias = "Beta" + name if beta and not name.startswith("Beta") else name
                try:
                    found.setdefault(value, alias)
                except TypeError:  # unhashable metadata in Annotated
                    continue
        return found

    def root(self, name: str, class_id: str) -> Obj:
        module, qualname = class_id.split(":")
        cls = getattr(sys.modules[module], qualname)
        return self.obj(cls, name)

    def obj(self, cls: type, name: str | None = None) -> Obj:
        if cls in self.objs:
            return self.objs[cls]
        cid = _class_id(cls)
        if name is None:
            name = cls.__name__
            if _is_beta(cls) and not name.startswith("Beta"):
                name = "Beta" + name
        obj = Obj(name=name, sources=[cid])
        self.objs[cls] = obj  # before recursing: tolerate self-referencing types
        removed = self.overrides.removed.get(cid, set())
        self.used_overrides.update((cid, key) for key in removed)
        if te.is_typeddict(cls):
            if cls.__total__:
                raise TypeError(f"{cid}: total=True TypedDicts are not handled")
            extra = (getattr(cls, "__pydantic_config__", None) or {}).get("extra")
            obj.extra = (
                "allow" if extra == "allow" or cid in self.overrides.extra_allowed else "forbid"
            )
            self.used_overrides.add(cid)
            for key, hint in _type_hints(cls).items():
                if key in removed:
                    continue
                required = get_origin(hint) is te.Required
                fld = Fld(self.conv(hint, name + camel(key)), required)
                obj.fields[key] = self._constrain(cid, key, fld)
        elif isinstance(cls, type) and issubclass(cls, pydantic.BaseModel):
            obj.is_param = False
            for attr, info in cls.model_fields.items():
                key = info.alias or attr
                fld = Fld(self.conv(info.annotation, name + camel(key)), info.is_required())
                obj.fields[key] = self._constrain(cid, key, fld)
        else:
            raise TypeError(f"not a TypedDict or model: {cls!r}")
        for key, (py_type, constraints) in self.overrides.added.get(cid, {}).items():
            self.used_overrides.add((cid, key))
            base = Prim(_PRIMS[py_type])
            typ = Constrained(base, tuple(constraints.items())) if constraints else base
            obj.fields[key] = Fld(typ, required=False)
        return obj

    def _constrain(self, cid: str, key: str, fld: Fld) -> Fld:
        constraints = self.overrides.constraints.get((cid, key))
        if constraints is None:
            return fld
        self.used_overrides.add((cid, key))
        typ, nullable = fld.type, False
        if isinstance(typ, Nullable):
            typ, nullable = typ.inner, True
        if not isinstance(typ, Prim):
            raise TypeError(f"{cid}.{key}: constraints apply to scalars, got {typ!r}")
        typ = Constrained(typ, tuple(constraints.items()))
        return Fld(Nullable(typ) if nullable else typ, fld.required)

    def conv(self, tp: Any, hint: str) -> T:
        origin = get_origin(tp)
        args = get_args(tp)
        if origin in (te.Required, te.NotRequired, te.Annotated):
            return self.conv(args[0], hint)  # SDK metadata (UnionDiscriminator...) is re-derived
        if tp is type(None):
            return Prim("none")
        if tp in _PRIMS:
            return Prim(_PRIMS[tp])
        if tp is Any:
            return Prim("object")
        if tp in _FILES or origin in _FILES:
            return Prim("file")
        if origin is te.Literal:
            return Lit(tuple(args))
        if origin in _LISTS:
            return ListOf(self.conv(args[0], hint + "Item"))
        if origin in (dict, collections.abc.Mapping):
            if args[0] is not str:
                raise TypeError(f"{hint}: non-str mapping keys: {tp!r}")
            return MapOf(self.conv(args[1], hint + "Value"))
        if origin in (Union, types.UnionType):
            hint = self.aliases.get(tp, hint)
            return self.union([self.conv(a, hint) for a in args], hint)
        if isinstance(tp, type) and (te.is_typeddict(tp) or issubclass(tp, pydantic.BaseModel)):
            return Ref(self.obj(tp))
        raise TypeError(f"{hint}: unsupported annotation {tp!r}")

    def union(self, members: list[T], hint: str) -> T:
        """Normalise a union: flatten, pull out null, group by JSON kind, tag the objects."""
        flat: list[T] = []
        nullable = False
        pending = list(members)
        while pending:
            t = pending.pop(0)
            if t == Prim("none"):
                nullable = True
            elif isinstance(t, Nullable):
                nullable = True
                pending.insert(0, t.inner)
            elif isinstance(t, KindUnion):
                pending[:0] = [m for _, m in t.members]
            elif isinstance(t, TagUnion):
                pending[:0] = [Ref(o) for _, o in t.variants]
            elif t == Prim("file"):
                continue  # SDK-side file inputs (IO, PathLike); the wire only carries str
            elif t not in flat:
                flat.append(t)
        if Prim("object") in flat:
            return Prim("object")
        by_kind: dict[str, list[T]] = {}
        for t in flat:
            by_kind.setdefault(json_kind(t), []).append(t)
        merged: list[tuple[str, T]] = []
        for kind, group in by_kind.items():
            # the alias name goes to the kind union; its object arm gets a suffixed one
            sub = hint + "Object" if kind == "dict" and len(by_kind) > 1 else hint
            merged.append((kind, self._merge_kind(kind, group, sub)))
        result: T = merged[0][1] if len(merged) == 1 else KindUnion(tuple(merged), hint)
        return Nullable(result) if nullable else result

    def _merge_kind(self, kind: str, group: list[T], hint: str) -> T:
        if len(group) == 1:
            return group[0]
        constrained = [t for t in group if isinstance(t, Constrained)]
        if len(constrained) == 1 and all(t in (constrained[0], constrained[0].base) for t in group):
            return constrained[0]  # the API's rule survives merging with a response model
        if kind == "str":
            if Prim("str") in group:
                return Prim("str")  # Literal[...] | str (e.g. model ids) is just str
            values: list[Any] = []
            for t in group:
                assert isinstance(t, Lit)
                values += [v for v in t.values if v not in values]
            return Lit(tuple(values))
        if kind == "list":
            items = [t.item for t in group if isinstance(t, ListOf)]
            return ListOf(self.union(items, hint + "Item"))
        if kind == "dict":
            objs = [t.obj for t in group if isinstance(t, Ref)]
            maps = [t for t in group if isinstance(t, MapOf)]
            if objs and maps and all(m.value == Prim("object") for m in maps):
                # `TypedDict | Dict[str, object]` (a tool's input_schema): the dict arm exists so
                # callers may pass any mapping type; the TypedDict is the API's shape.
                return self.tagged(objs, hint)
            if not maps:
                return self.tagged(objs, hint)
            if not objs:
                return MapOf(self.union([m.value for m in maps], hint + "Value"))
        raise TypeError(f"{hint}: cannot merge {kind} members {group!r}")

    def tagged(self, objs: list[Obj], hint: str) -> T:
        """A union of objects: a TagUnion on the first key every member tags with a Literal."""
        unique: list[Obj] = []
        for o in map(self.resolve, objs):
            if o not in unique:
                unique.append(o)
        if len(unique) == 1:
            return Ref(unique[0])
        for key in TAG_KEYS:
            tags = [_tags_of(o, key) for o in unique]
            if all(t is not None for t in tags):
                break
        else:
            # No discriminating key: the members are one object in two spellings (a param and
            # its response model, e.g. BetaFallbackInfo); accept the union of their keys.
            return Ref(self.merge_objs(unique))
        groups: list[tuple[list[str], list[Obj], bool]] = []
        for o, tag in zip(unique, tags, strict=True):
            assert tag is not None
            values, optional = tag
            hit = [g for g in groups if set(g[0]) & set(values)]
            new = ([v for g in hit for v in g[0]], [x for g in hit for x in g[1]], False)
            new[0].extend(v for v in values if v not in new[0])
            new[1].append(o)
            groups = [g for g in groups if g not in hit]
            groups.append((new[0], new[1], optional or any(g[2] for g in hit)))
        groups.sort(key=lambda g: unique.index(g[1][0]))
        defaults = [g[0][0] for g in groups if g[2]]
        if len(defaults) > 1:
            raise TypeError(f"{hint}: several members may omit {key!r}: {defaults}")
        variants = tuple((tuple(vals), self.merge_objs(members)) for vals, members, _ in groups)
        if len(variants) == 1:  # all members were one block in two spellings
            return Ref(variants[0][1])
        return TagUnion(key, variants, defaults[0] if defaults else None, hint)

    def resolve(self, o: Obj) -> Obj:
        while id(o) in self.replaced:
            o = self.replaced[id(o)]
        return o

    def merge_objs(self, objs: list[Obj]) -> Obj:
        """One object accepting every member's keys (a request block and its echoed response)."""
        heads: list[Obj] = []
        for o in map(self.resolve, objs):
            if o not in heads:
                heads.append(o)
        if len(heads) == 1:
            return heads[0]
        cache_key = tuple(id(o) for o in heads)
        if cache_key in self.merged:
            return self.merged[cache_key]
        primary = next((o for o in heads if o.is_param), heads[0])
        out = Obj(name=primary.name, sources=[s for o in heads for s in o.sources])
        self.merged[cache_key] = out
        for o in heads:
            self.replaced[id(o)] = out
        objs = heads
        out.extra = "allow" if any(o.extra == "allow" for o in objs) else "forbid"
        keys: list[str] = []
        for o in objs:
            keys += [k for k in o.fields if k not in keys]
        for key in keys:
            present = [o.fields[key] for o in objs if key in o.fields]
            required = len(present) == len(objs) and all(f.required for f in present)
            typ = self.union([f.type for f in present], out.name + camel(key))
            out.fields[key] = Fld(typ, required)
        return out


def _tags_of(obj: Obj, key: str) -> tuple[list[str], bool] | None:
    """(literal values of `key`, may the key be absent or null) or None if not a tag."""
    fld = obj.fields.get(key)
    if fld is None:
        return None
    typ, nullable = fld.type, False
    if isinstance(typ, Nullable):
        typ, nullable = typ.inner, True
    if not isinstance(typ, Lit) or not all(isinstance(v, str) for v in typ.values):
        return None
    return list(typ.values), nullable or not fld.required
