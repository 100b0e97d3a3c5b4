"""Generate ``app/schema/generated.py`` (the request-body schema) from the installed SDK.

Run ``make schema`` (``python scripts/gen_schema.py``) after bumping the pinned SDK. ``--check``
exits 1 when the committed file is stale. The SDK is a build/dev dependency only: the generated
module imports nothing but pydantic and typing.

Why generate instead of validating the SDK's TypedDicts directly: those are written for type
checkers. Extra keys would be ignored, ``Iterable[...]`` fields are validated lazily (a bad nested
block passes), and unions are plain ``Union``s that make pydantic try every member and report the
errors of all of them. So the walk below rebuilds every reachable TypedDict with

* ``extra="forbid"`` (unless the SDK itself allows extra keys, e.g. a tool's JSON schema);
* ``list[...]`` for ``Iterable`` / ``Sequence`` / ``SequenceNotStr``;
* unions of objects as tagged unions on their ``type`` (or ``role``) literal, dispatched by a
  small callable so that a tool without ``type`` still reaches the custom tool, and a variant
  owning several literals (``tool_search_tool_bm25`` / ``..._20251119``) is reachable by each;
* unions of different JSON kinds (``str | list[...]``) dispatched on the Python type of the value;
* ``Literal[...] | str`` as ``str``; ``TypedDict | Dict[str, object]`` as the TypedDict; the SDK's
  file-input arms (``IO``, ``PathLike``) dropped: the wire only carries strings;
* the SDK's *response* block models merged into the request block of the same ``type``, because
  clients echo ``response.content`` back verbatim (response-only keys such as ``caller`` or
  ``citations: null`` must pass).

Tags that must not appear in error paths (message roles, JSON kinds) start with ``~``; the
validators drop them from ``loc`` so paths read like the real API's (``messages.0.content.1...``).

The few rules the SDK types do not carry but the real API enforces live in the override table
below (``CONSTRAINTS``, ``ADDED_FIELDS``, ``REMOVED_FIELDS``, ``EXTRA_ALLOWED``), never as hand
edits of the output. The walk fails loudly on any type shape it does not know.
"""

from __future__ import annotations

import argparse
import collections.abc
import importlib
import keyword
import os
import pkgutil
import re
import subprocess
import sys
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import anthropic
import anthropic.types
import pydantic
import typing_extensions as te

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "app" / "schema" / "generated.py"

# Public name in generated.py -> the SDK TypedDict it is generated from.
ROOTS: dict[str, str] = {
    "MessageCreateParams": "anthropic.types.message_create_params:MessageCreateParamsBase",
    "BetaMessageCreateParams": "anthropic.types.beta.message_create_params:MessageCreateParamsBase",
    "MessageCountTokensParams": (
        "anthropic.types.message_count_tokens_params:MessageCountTokensParams"
    ),
    "BetaMessageCountTokensParams": (
        "anthropic.types.beta.message_count_tokens_params:MessageCountTokensParams"
    ),
}
_GA_CREATE = ROOTS["MessageCreateParams"]
_BETA_CREATE = ROOTS["BetaMessageCreateParams"]
_GA_COUNT = ROOTS["MessageCountTokensParams"]
_BETA_COUNT = ROOTS["BetaMessageCountTokensParams"]

# ---------------------------------------------------------------------------------------------
# Override table: what the real API enforces beyond the SDK's types. Keys are SDK classes as
# "module:qualname" plus a field; every entry must be used (a renamed SDK type fails loudly).
# ---------------------------------------------------------------------------------------------

_TOOL_NAME = {"pattern": r"^[a-zA-Z0-9_-]{1,128}$"}  # real error text in the spec, §7.5
_BUDGET = {"ge": 1024}  # "budget_tokens of at least 1,024" (SDK docstring + real error text)
_MAX_TOKENS = {"ge": 0}  # 0 is valid: it pre-warms the prompt cache without generating

CONSTRAINTS: dict[tuple[str, str], dict[str, object]] = {
    ("anthropic.types.tool_param:ToolParam", "name"): _TOOL_NAME,
    ("anthropic.types.beta.beta_tool_param:BetaToolParam", "name"): _TOOL_NAME,
    (
        "anthropic.types.thinking_config_enabled_param:ThinkingConfigEnabledParam",
        "budget_tokens",
    ): _BUDGET,
    (
        "anthropic.types.beta.beta_thinking_config_enabled_param:BetaThinkingConfigEnabledParam",
        "budget_tokens",
    ): _BUDGET,
    (_GA_CREATE, "max_tokens"): _MAX_TOKENS,
    (_BETA_CREATE, "max_tokens"): _MAX_TOKENS,
}

# SDK 2.x dropped the legacy sampling parameters from its types, but the API still honours them on
# models that predate the change (older SDKs and apps send them routinely). They are accepted
# here; app/rules decides per model / anthropic-version whether a value is allowed.
_LEGACY_SAMPLING: dict[str, tuple[type, dict[str, object]]] = {
    "temperature": (float, {"ge": 0, "le": 1}),
    "top_p": (float, {"ge": 0, "le": 1}),
    "top_k": (int, {"ge": 0}),
}
ADDED_FIELDS: dict[str, dict[str, tuple[type, dict[str, object]]]] = {
    # `stream` lives on the SDK's Streaming/NonStreaming subclasses, not on the Base we walk.
    _GA_CREATE: {"stream": (bool, {}), **_LEGACY_SAMPLING},
    _BETA_CREATE: {"stream": (bool, {}), **_LEGACY_SAMPLING},
}

# Keyword arguments the SDK turns into headers, never body keys (`betas` -> anthropic-beta,
# `workspace_id` -> anthropic-workspace-id). `user_profile_id` stays: batch request params carry
# it as a body field (SDK docstring of batch_create_params).
_HEADER_ONLY = {"workspace_id"}
REMOVED_FIELDS: dict[str, set[str]] = {
    _GA_CREATE: _HEADER_ONLY,
    _BETA_CREATE: _HEADER_ONLY | {"betas"},
    _GA_COUNT: _HEADER_ONLY,
    _BETA_COUNT: _HEADER_ONLY | {"betas"},
}

# A tool's input_schema is a JSON Schema: any keyword ($schema, additionalProperties...) is fine.
# The GA SDK type says so (set_pydantic_config extra=allow); its beta copy does not.
EXTRA_ALLOWED = {"anthropic.types.beta.beta_tool_param:InputSchemaTyped"}

# Union keys whose tags are hidden from error paths: the real API reports `messages.0.content`,
# not `messages.0.user.content`. (Block `type` and source `type` tags stay, as in real paths.)
HIDDEN_TAG_KEYS = {"role"}
TAG_KEYS = ("type", "role")  # discriminating keys tried, in order, for unions of objects
HIDDEN = "~"  # prefix of hidden tags; app/schema/validators.py strips them from `loc`

# ---------------------------------------------------------------------------------------------
# Intermediate representation
# ---------------------------------------------------------------------------------------------


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

_PRIMS: dict[Any, str] = {str: "str", int: "int", float: "float", bool: "bool", object: "object"}
_LISTS = {list, collections.abc.Iterable, collections.abc.Sequence}
_FILES = {bytes, os.PathLike, typing.IO}


def _camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[_\W]+", name) if part)


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


def _kind(t: T) -> str:
    if isinstance(t, Lit):
        return {str: "str", bool: "bool", int: "int"}[type(t.values[0])]
    if isinstance(t, Prim | Constrained):
        return t.name if isinstance(t, Prim) else t.base.name
    if isinstance(t, ListOf):
        return "list"
    if isinstance(t, MapOf | Ref | TagUnion):
        return "dict"
    raise TypeError(f"no JSON kind for {t!r}")


# ---------------------------------------------------------------------------------------------
# SDK types -> IR
# ---------------------------------------------------------------------------------------------


class Converter:
    def __init__(self) -> None:
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
        removed = REMOVED_FIELDS.get(cid, set())
        self.used_overrides.update((cid, key) for key in removed)
        if te.is_typeddict(cls):
            if cls.__total__:
                raise TypeError(f"{cid}: total=True TypedDicts are not handled")
            extra = (getattr(cls, "__pydantic_config__", None) or {}).get("extra")
            obj.extra = "allow" if extra == "allow" or cid in EXTRA_ALLOWED else "forbid"
            self.used_overrides.add(cid)
            for key, hint in _type_hints(cls).items():
                if key in removed:
                    continue
                required = get_origin(hint) is te.Required
                fld = Fld(self.conv(hint, name + _camel(key)), required)
                obj.fields[key] = self._constrain(cid, key, fld)
        elif isinstance(cls, type) and issubclass(cls, pydantic.BaseModel):
            obj.is_param = False
            for attr, info in cls.model_fields.items():
                key = info.alias or attr
                fld = Fld(self.conv(info.annotation, name + _camel(key)), info.is_required())
                obj.fields[key] = self._constrain(cid, key, fld)
        else:
            raise TypeError(f"not a TypedDict or model: {cls!r}")
        for key, (py_type, constraints) in ADDED_FIELDS.get(cid, {}).items():
            self.used_overrides.add((cid, key))
            base = Prim(_PRIMS[py_type])
            typ = Constrained(base, tuple(constraints.items())) if constraints else base
            obj.fields[key] = Fld(typ, required=False)
        return obj

    def _constrain(self, cid: str, key: str, fld: Fld) -> Fld:
        constraints = CONSTRAINTS.get((cid, key))
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
            by_kind.setdefault(_kind(t), []).append(t)
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
            typ = self.union([f.type for f in present], out.name + _camel(key))
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


# ---------------------------------------------------------------------------------------------
# IR -> Python source
# ---------------------------------------------------------------------------------------------

_KIND_PHRASES = {
    "str": "a valid string",
    "list": "a valid list",
    "dict": "a valid dictionary",
    "bool": "a valid boolean",
    "int": "a valid integer",
    "float": "a valid number",
}


def _join_or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


class Emitter:
    def __init__(self, roots: dict[str, Obj], conv: Converter) -> None:
        self.roots = roots
        self.replaced = conv.replaced
        self.sdk_names = set(conv.aliases.values())
        self.union_hints: dict[str, str] = {}  # union signature -> alias name to emit
        self.kind_unions: list[KindUnion] = []
        self.sigs: dict[int, str] = {}
        self.canon: dict[str, Obj] = {}  # signature -> the object emitted for it
        self.names: dict[int, str] = {}  # id(canonical obj) -> emitted class name
        self.taken: set[str] = set()
        self.blocks: list[str] = []
        self.union_names: dict[str, str] = {}  # union signature -> alias name
        self.tag_funcs: dict[tuple[str, str | None], str] = {}
        self.uses_field = False
        self.in_progress: set[int] = set()

    # -- structural signatures, so GA/beta twins and repeated merges are emitted once --------
    def sig(self, t: T) -> str:
        if isinstance(t, Ref):
            return self.obj_sig(t.obj)
        if isinstance(t, TagUnion):
            parts = ",".join(f"{tags}:{self.obj_sig(o)}" for tags, o in t.variants)
            return f"Tag({t.key},{t.default},{parts})"
        if isinstance(t, KindUnion):
            return "Kind(" + ",".join(f"{k}:{self.sig(m)}" for k, m in t.members) + ")"
        if isinstance(t, ListOf):
            return f"List({self.sig(t.item)})"
        if isinstance(t, MapOf):
            return f"Map({self.sig(t.value)})"
        if isinstance(t, Nullable):
            return f"Null({self.sig(t.inner)})"
        return repr(t)

    def resolve(self, o: Obj) -> Obj:
        while id(o) in self.replaced:
            o = self.replaced[id(o)]
        return o

    def obj_sig(self, o: Obj) -> str:
        o = self.resolve(o)
        if id(o) in self.sigs:
            return self.sigs[id(o)]
        self.sigs[id(o)] = f"Rec({o.name})"  # provisional, for cycles
        body = ";".join(
            f"{k}{'!' if f.required else '?'}{self.sig(f.type)}" for k, f in o.fields.items()
        )
        self.sigs[id(o)] = f"Obj({o.name},{o.extra},{body})"
        return self.sigs[id(o)]

    def _unique(self, wanted: str, sources: list[str]) -> str:
        name = wanted
        if name in self.taken and sources:
            module = sources[0].split(":")[0].rsplit(".", 1)[-1]
            name = wanted + "_" + _camel(module)
        n = 2
        base = name
        while name in self.taken:
            name, n = f"{base}{n}", n + 1
        self.taken.add(name)
        return name

    # -- emission (dependencies first: aliases are evaluated at import) ----------------------
    def ref(self, t: T) -> str:
        """Python source of a type expression, emitting any class/alias it needs first."""
        if isinstance(t, Prim):
            return t.name
        if isinstance(t, Lit):
            return "Literal[" + ", ".join(repr(v) for v in t.values) + "]"
        if isinstance(t, Constrained):
            self.uses_field = True
            kwargs = ", ".join(f"{k}={v!r}" for k, v in t.constraints)
            return f"Annotated[{t.base.name}, Field({kwargs})]"
        if isinstance(t, ListOf):
            return f"list[{self.ref(t.item)}]"
        if isinstance(t, MapOf):
            return f"dict[str, {self.ref(t.value)}]"
        if isinstance(t, Nullable):
            return f"{self.ref(t.inner)} | None"
        if isinstance(t, Ref):
            return self.emit_obj(t.obj)
        if isinstance(t, TagUnion | KindUnion):
            return self.emit_union(t)
        raise TypeError(t)

    def emit_obj(self, o: Obj, public: str | None = None) -> str:
        o = self.resolve(o)
        sig = self.obj_sig(o)
        if sig in self.canon:
            if id(self.canon[sig]) in self.in_progress:
                # aliases are evaluated at import: a type cannot mention itself (none does yet)
                raise TypeError(f"recursive type {o.name}: needs forward references")
            return self.names[id(self.canon[sig])]
        self.in_progress.add(id(o))
        self.canon[sig] = o
        name = self._unique(public or o.name, o.sources)
        self.names[id(o)] = name
        lines: list[str] = []
        plain = {k: f for k, f in o.fields.items() if k.isidentifier() and not keyword.iskeyword(k)}
        reserved = {k: f for k, f in o.fields.items() if k not in plain}
        bases = "TypedDict"
        rendered = {k: self._field_src(f) for k, f in o.fields.items()}
        if reserved:
            base = f"_{name}Keywords"
            entries = ", ".join(f"{k!r}: {rendered[k]}" for k in reserved)
            lines.append(f"{base} = TypedDict({base!r}, {{{entries}}}, total=False)\n")
            bases = base
        lines.append(f"class {name}({bases}, total=False):")
        for source in o.sources:  # provenance, relative to anthropic.types
            lines.append(f"    # from {source.removeprefix('anthropic.types.').replace(':', '.')}")
        lines.append(f"    __pydantic_config__ = {'_ALLOW' if o.extra == 'allow' else '_FORBID'}")
        lines.append("")
        for key in plain:
            lines.append(f"    {key}: {rendered[key]}")
        self.blocks.append("\n".join(lines) + "\n")
        self.in_progress.discard(id(o))
        return name

    def _field_src(self, f: Fld) -> str:
        src = self.ref(f.type)
        return f"Required[{src}]" if f.required else src

    def emit_union(self, t: TagUnion | KindUnion) -> str:
        sig = self.sig(t)
        if sig in self.union_names:
            return self.union_names[sig]
        members: list[str] = []
        if isinstance(t, TagUnion):
            hidden = HIDDEN if t.key in HIDDEN_TAG_KEYS else ""
            for tags, o in t.variants:
                cls = self.emit_obj(o)
                members += [f"Annotated[{cls}, Tag({hidden + tag!r})]" for tag in tags]
            disc = f"Discriminator({self.tag_func(t.key, t.default)})"
        else:
            kinds = [k for k, _ in t.members]
            for kind, m in t.members:
                owned = [kind] + (["int"] if kind == "float" and "int" not in kinds else [])
                src = self.ref(m)
                members += [f"Annotated[{src}, Tag({HIDDEN + k!r})]" for k in owned]
            phrases = [
                _join_or([repr(v) for v in m.values]) if isinstance(m, Lit) else _KIND_PHRASES[k]
                for k, m in t.members
            ]
            message = "Input should be " + _join_or(phrases)
            disc = (
                f'Discriminator(_kind, custom_error_type="invalid_type", '
                f"custom_error_message={message!r})"
            )
        name = self._unique(self.union_hints.get(sig, t.hint), [])
        self.union_names[sig] = name
        body = ",\n        ".join(members)
        self.blocks.append(
            f"{name} = Annotated[\n    Union[\n        {body},\n    ],\n    {disc},\n]\n"
        )
        return name

    def tag_func(self, key: str, default: str | None) -> str:
        fname = f"_tag_{key}" + (f"_or_{default}" if default else "")
        if (key, default) not in self.tag_funcs:
            self.tag_funcs[(key, default)] = fname
        return fname

    def collect_hints(self) -> None:
        """Name each distinct union after an SDK alias when any occurrence has one."""
        seen: set[int] = set()

        def walk(t: T) -> None:
            if isinstance(t, Ref):
                o = self.resolve(t.obj)
                if id(o) not in seen:
                    seen.add(id(o))
                    for f in o.fields.values():
                        walk(f.type)
            elif isinstance(t, TagUnion | KindUnion):
                if isinstance(t, KindUnion):
                    self.kind_unions.append(t)
                sig = self.sig(t)
                known = self.union_hints.get(sig)
                if known is None or (t.hint in self.sdk_names and known not in self.sdk_names):
                    self.union_hints[sig] = t.hint
                inner = [Ref(o) for _, o in t.variants] if isinstance(t, TagUnion) else None
                for m in inner or [m for _, m in t.members]:  # type: ignore[union-attr]
                    walk(m)
            elif isinstance(t, ListOf | Nullable):
                walk(t.item if isinstance(t, ListOf) else t.inner)
            elif isinstance(t, MapOf):
                walk(t.value)

        for obj in self.roots.values():
            walk(Ref(obj))
        # A kind union without an SDK name is named after its arms (`StrOrTextBlockParamList`):
        # the first field it was met in (`system`) would mislead where it is reused.
        for t in list(self.kind_unions):
            sig = self.sig(t)
            if self.union_hints[sig] not in self.sdk_names:
                self.union_hints[sig] = "Or".join(self._label(m) for _, m in t.members)

    def _label(self, t: T) -> str:
        if isinstance(t, Prim | Constrained):
            return (t if isinstance(t, Prim) else t.base).name.capitalize()
        if isinstance(t, Lit):
            return "Literal"
        if isinstance(t, ListOf):
            return self._label(t.item) + "List"
        if isinstance(t, MapOf):
            return "Map"
        if isinstance(t, Nullable):
            return self._label(t.inner)
        if isinstance(t, Ref):
            return self.resolve(t.obj).name
        return self.union_hints.get(self.sig(t), t.hint)

    def render(self) -> str:
        self.collect_hints()
        for public, obj in self.roots.items():
            emitted = self.emit_obj(obj, public)
            if emitted != public:
                raise RuntimeError(f"root {public} emitted as {emitted}")
        funcs = []
        for (key, default), fname in sorted(self.tag_funcs.items(), key=lambda kv: kv[1]):
            head = (
                f"def {fname}(value: object) -> object:\n"
                f'    """The tag of a union discriminated by {key!r}."""\n'
                f"    if not isinstance(value, dict):\n"
                f"        return None\n"
            )
            if key in HIDDEN_TAG_KEYS:
                # absent -> "role: Field required"; any other value is an invalid tag, reported
                # by the validators as "role: Input should be 'user', ..."
                body = (
                    f"    if {key!r} not in value:\n"
                    f"        return None\n"
                    f"    tag = value[{key!r}]\n"
                    f"    return {HIDDEN!r} + tag if isinstance(tag, str) else {HIDDEN!r}\n"
                )
            else:
                # an unhashable tag (list, dict) must not reach pydantic's tag lookup
                body = (
                    f"    tag = value.get({key!r})\n"
                    f"    if tag is None:\n"
                    f"        return {default!r}\n"
                    f"    return tag if isinstance(tag, str | int | float) else None\n"
                )
            funcs.append(head + body)
        disc_keys = ", ".join(
            f"{fname + '()'!r}: {key!r}"
            for (key, _), fname in sorted(self.tag_funcs.items(), key=lambda kv: kv[1])
        )
        imports = "from typing import Annotated, Literal, Union\n\n"
        pyd = "ConfigDict, Discriminator" + (", Field" if self.uses_field else "") + ", Tag"
        imports += f"from pydantic import {pyd}\n"
        imports += "from typing_extensions import Required, TypedDict\n"
        return HEADER.format(version=anthropic.__version__) + "\n".join(
            [
                imports,
                f"__all__ = {sorted(self.roots)!r}\n",
                f"HIDDEN_TAG_PREFIX = {HIDDEN!r}\n"
                "# pydantic's `discriminator` error context of each tag function -> its key\n"
                f"DISCRIMINATOR_KEYS = {{{disc_keys}}}\n",
                '_FORBID = ConfigDict(extra="forbid")\n_ALLOW = ConfigDict(extra="allow")\n',
                KIND_FUNC,
                *funcs,
                *self.blocks,
            ]
        )


HEADER = '''\
# GENERATED FILE - DO NOT EDIT. Source: anthropic=={version} (the installed SDK's request types).
# Regenerate with `make schema` (python scripts/gen_schema.py); constraints beyond the SDK types
# come from the override table in scripts/gen_schema.py.
"""Request-body TypedDicts for /v1/messages and /v1/messages/count_tokens, GA and beta.

Validated by pydantic-core (app/schema/validators.py compiles them once), they yield plain
dicts. Importing this module only defines types; no validator is built here.
"""

'''

KIND_FUNC = f'''\
def _kind(value: object) -> str | None:
    """Tag of a `str | list | ...` union member: the JSON kind of the value (hidden from paths)."""
    if isinstance(value, str):
        return "{HIDDEN}str"
    if isinstance(value, list):
        return "{HIDDEN}list"
    if isinstance(value, dict):
        return "{HIDDEN}dict"
    if isinstance(value, bool):  # before int: bool is an int subclass
        return "{HIDDEN}bool"
    if isinstance(value, int):
        return "{HIDDEN}int"
    if isinstance(value, float):
        return "{HIDDEN}float"
    return None
'''


def generate() -> str:
    conv = Converter()
    roots = {name: conv.root(name, cid) for name, cid in ROOTS.items()}
    expected = {key for key in CONSTRAINTS}
    expected |= {(cid, key) for cid, keys in REMOVED_FIELDS.items() for key in keys}
    expected |= {(cid, key) for cid, added in ADDED_FIELDS.items() for key in added}
    expected |= EXTRA_ALLOWED
    unused = expected - conv.used_overrides
    if unused:
        raise SystemExit(f"override table entries matched nothing in the SDK: {sorted(unused)}")
    source = Emitter(roots, conv).render()
    return ruff_format(source)


def ruff_format(source: str) -> str:
    # --isolated: the same output whatever the caller's directory or ruff configuration
    cmd = [sys.executable, "-m", "ruff", "format", "--isolated", "--line-length", "100"]
    cmd += ["--target-version", "py311", "-"]
    done = subprocess.run(cmd, input=source, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"ruff format failed:\n{done.stderr}")
    return done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="exit 1 if the output is stale")
    args = parser.parse_args(argv)
    source = generate()
    if args.check:
        current = args.output.read_text() if args.output.exists() else ""
        if current != source:
            print(f"{args.output} is stale: run `make schema`", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(source)
    print(f"wrote {args.output} (anthropic=={anthropic.__version__})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
