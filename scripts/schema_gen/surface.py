"""The request surface of a generated schema: every field path, ``type`` variant and literal
value a client may send, as plain data (``Surface``) that two SDK releases can be compared by.

It reads a generated module (``app/schema/generated.py``, or the same file generated from
another SDK into a temporary place), not the SDK: what is compared is what the sandbox accepts.
The module imports only pydantic and typing, so any interpreter with pydantic reads it.

Paths are written like the real API's error paths with ``*`` for list indexes and map keys:
``messages.*.content.*.image.source.base64.media_type``. Hidden tags (message roles, JSON
kinds) are not path parts, as in the API's paths. Each entry is one of::

    field:<path>            a key a request may carry
    type:<path>             a ``type`` variant of a union (the last part is the tag)
    value:<path>=<value>    a literal value a key accepts (discriminators excluded)

and maps to the request bodies it appears in (``ROOTS``: GA and beta, messages and
count_tokens).
"""

from __future__ import annotations

import importlib.util
import json
import sys
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType, UnionType
from typing import Any, get_args, get_origin

import typing_extensions as te

# Public name in the generated module -> the name a report shows.
ROOTS: dict[str, str] = {
    "MessageCreateParams": "messages",
    "BetaMessageCreateParams": "beta messages",
    "MessageCountTokensParams": "count_tokens",
    "BetaMessageCountTokensParams": "beta count_tokens",
}
_REQUIRED = {typing.Required, typing.NotRequired, te.Required, te.NotRequired}
_SCALARS = {str, int, float, bool, object, type(None)}
_DEPTH = 40  # generated types are not recursive; this only stops a generator bug early


@dataclass
class Surface:
    """What a client may send, by entry (see the module doc), with where each is accepted."""

    source: str
    """Where it was read from, e.g. ``anthropic 2.17.0``."""
    entries: dict[str, list[str]] = field(default_factory=dict)
    betas: list[str] = field(default_factory=list)
    models: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        data = {
            "source": self.source,
            "betas": sorted(self.betas),
            "models": sorted(self.models),
            "entries": {k: self.entries[k] for k in sorted(self.entries)},
        }
        return json.dumps(data, indent=0) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Surface:
        data = json.loads(text)
        return cls(data["source"], dict(data["entries"]), data["betas"], data["models"])


def load_module(path: Path, name: str = "_surface_generated") -> ModuleType:
    """Import a generated schema file by path (registered, so its annotations resolve), as a
    module of a package made for its folder, so its ``from .tags import ...`` finds the
    ``tags.py`` generated beside it."""
    package = f"{name}_{abs(hash(str(path.resolve())))}"
    if package not in sys.modules:
        folder = ModuleType(package)
        folder.__path__ = [str(path.parent)]
        sys.modules[package] = folder
    unique = f"{package}.{path.stem}"
    spec = importlib.util.spec_from_file_location(unique, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[unique] = module
    spec.loader.exec_module(module)
    return module


def read_betas(path: Path) -> list[str]:
    """``KNOWN_BETAS`` of a generated ``betas.py``."""
    return sorted(load_module(path, "_surface_betas").KNOWN_BETAS)


def surface_of(
    module: ModuleType, *, source: str, betas: Iterable[str] = (), models: Iterable[str] = ()
) -> Surface:
    """The surface of a generated schema module (plus the beta and model names beside it)."""
    hidden = module.HIDDEN_TAG_PREFIX
    found: dict[str, set[str]] = {}
    for public, root in ROOTS.items():
        for entry in _walk(getattr(module, public), (), hidden, 0):
            found.setdefault(entry, set()).add(root)
    order = list(ROOTS.values())
    entries = {k: sorted(v, key=order.index) for k, v in found.items()}
    return Surface(source, entries, sorted(set(betas)), sorted(set(models)))


def _walk(
    tp: Any, path: tuple[str, ...], hidden: str, depth: int, tag_key: str | None = None
) -> Iterable[str]:
    """Entries under ``tp`` at ``path``; ``tag_key``: the key a union chose ``tp`` by."""
    if depth > _DEPTH:
        raise TypeError(f"{'.'.join(path)}: nested deeper than {_DEPTH}; recursive type?")
    origin, args = get_origin(tp), get_args(tp)
    if origin in _REQUIRED:
        yield from _walk(args[0], path, hidden, depth)
    elif origin is te.Annotated or origin is typing.Annotated:
        tags = _tagged_members(args[0])
        if tags is None:  # Annotated[int, Field(ge=0)]: a constrained scalar
            yield from _walk(args[0], path, hidden, depth)
            return
        for tag, member in tags:
            key = _discriminator_key(args[1:])
            if isinstance(tag, str) and tag.startswith(hidden):
                yield from _walk(member, path, hidden, depth + 1, key)
            else:
                yield "type:" + ".".join((*path, str(tag)))
                yield from _walk(member, (*path, str(tag)), hidden, depth + 1, key)
    elif origin in (typing.Union, UnionType):
        for arm in args:
            yield from _walk(arm, path, hidden, depth)
    elif origin is list or origin is dict:
        yield from _walk(args[-1], (*path, "*"), hidden, depth + 1)
    elif origin is typing.Literal or origin is te.Literal:
        for value in args:
            yield f"value:{'.'.join(path)}={value}"
    elif te.is_typeddict(tp):
        for key, hint in typing.get_type_hints(tp, include_extras=True).items():
            yield "field:" + ".".join((*path, key))
            if key == tag_key and tag_key != "role":
                continue  # the variant's own tag: reported as a type, not as values
            yield from _walk(hint, (*path, key), hidden, depth + 1)
    elif tp not in _SCALARS:
        raise TypeError(f"{'.'.join(path)}: unexpected annotation {tp!r}")


def _tagged_members(tp: Any) -> list[tuple[object, Any]] | None:
    """(tag, member) of a tagged union ``Union[Annotated[X, Tag(t)], ...]``, else None."""
    if get_origin(tp) is not typing.Union:
        return None
    out: list[tuple[object, Any]] = []
    for arm in get_args(tp):
        if get_origin(arm) is not te.Annotated and get_origin(arm) is not typing.Annotated:
            return None
        member, *meta = get_args(arm)
        tags = [m.tag for m in meta if type(m).__name__ == "Tag"]
        if not tags:
            return None
        out.append((tags[0], member))
    return out


def _discriminator_key(meta: tuple[Any, ...]) -> str | None:
    """The key a tagged union's tag function reads: ``_tag_type_or_custom`` -> ``type``."""
    for m in meta:
        func = getattr(m, "discriminator", None)
        name = getattr(func, "__name__", "")
        if name.startswith("_tag_"):
            return name.removeprefix("_tag_").split("_or_")[0]
    return None
