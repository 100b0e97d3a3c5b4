"""IR -> Python source: the TypedDicts, tagged-union aliases and tag functions of generated.py.

Structurally equal objects and unions (GA/beta twins, repeated merges) are emitted once, in
dependency order (aliases are evaluated at import), named after the SDK's own aliases where
one exists.
"""

from __future__ import annotations

import keyword

import anthropic

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
)
from .walker import Converter

# Union keys whose tags are hidden from error paths: the real API reports `messages.0.content`,
# not `messages.0.user.content`. (Block `type` and source `type` tags stay, as in real paths.)
HIDDEN_TAG_KEYS = {"role"}
HIDDEN = "~"  # prefix of hidden tags; app/schema/validators.py strips them from `loc`

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
            name = wanted + "_" + camel(module)
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
        imports = "from typing import Annotated, Literal, Union\n\n"
        pyd = "ConfigDict, Discriminator" + (", Field" if self.uses_field else "") + ", Tag"
        imports += f"from pydantic import {pyd}\n"
        imports += "from typing_extensions import Required, TypedDict\n\n"
        names = ["_kind", *sorted(self.tag_funcs.values())]
        # The tag constants are re-exported: readers of this module (sdk-check) find them here.
        imports += "from .tags import DISCRIMINATOR_KEYS as DISCRIMINATOR_KEYS\n"
        imports += "from .tags import HIDDEN_TAG_PREFIX as HIDDEN_TAG_PREFIX\n"
        imports += f"from .tags import {', '.join(names)}\n"
        return HEADER.format(version=anthropic.__version__) + "\n".join(
            [
                imports,
                f"__all__ = {sorted(self.roots)!r}\n",
                '_FORBID = ConfigDict(extra="forbid")\n_ALLOW = ConfigDict(extra="allow")\n',
                *self.blocks,
            ]
        )

    def render_tags(self) -> str:
        """The tag functions the unions of ``render``'s module dispatch on (call it after
        ``render``): a module of their own, so the compiled schema (``core.json``) can name
        them without importing the TypedDicts."""
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
        return TAGS_HEADER.format(version=anthropic.__version__) + "\n".join(
            [
                f"HIDDEN_TAG_PREFIX = {HIDDEN!r}\n"
                "# pydantic's `discriminator` error context of each tag function -> its key\n"
                f"DISCRIMINATOR_KEYS = {{{disc_keys}}}\n",
                KIND_FUNC,
                *funcs,
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

TAGS_HEADER = '''\
# GENERATED FILE - DO NOT EDIT. Source: anthropic=={version} (the installed SDK's request types).
# Regenerate with `make schema` (python scripts/gen_schema.py).
"""The tags the request schema's unions are told apart by (``generated`` and ``core.json``)."""

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
