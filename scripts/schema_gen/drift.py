"""What one SDK release can send that another cannot: ``compare(old, new) -> Drift``, and the
words a maintainer acts on (``report``) or a CHANGELOG keeps (``changelog``).

Pure functions over two ``Surface`` values: no SDK, no network, no files. A request shape both
accept, spelled differently by the two generations, is no difference (``coverage``).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field

from .coverage import uncovered
from .surface import ROOTS, Surface

_ALL_ROOTS = list(ROOTS.values())
_LIST_CAP = 12  # nested keys named under a new field or type before "and N more"


@dataclass
class Drift:
    old: Surface
    new: Surface
    added: dict[str, list[str]] = field(default_factory=dict)
    """Entry -> the request bodies that accept it only in ``new``."""
    removed: dict[str, list[str]] = field(default_factory=dict)
    betas_added: list[str] = field(default_factory=list)
    betas_removed: list[str] = field(default_factory=list)
    models_added: list[str] = field(default_factory=list)
    models_removed: list[str] = field(default_factory=list)

    @property
    def behind(self) -> bool:
        """``new`` can send something ``old`` refuses (what is removed refuses nothing)."""
        return bool(self.added or self.betas_added or self.models_added)

    @property
    def empty(self) -> bool:
        return not (self.behind or self.removed or self.betas_removed or self.models_removed)


def compare(old: Surface, new: Surface, catalogue: Iterable[str] = ()) -> Drift:
    """What ``new`` adds to and drops from ``old``; a model the sandbox's ``catalogue``
    already serves is not missing, whichever SDK lists it."""
    added = uncovered(new.entries, old.entries)
    drift = Drift(old, new, added, uncovered(old.entries, new.entries))
    drift.betas_added = sorted(set(new.betas) - set(old.betas))
    drift.betas_removed = sorted(set(old.betas) - set(new.betas))
    drift.models_added = sorted(set(new.models) - set(old.models) - set(catalogue))
    drift.models_removed = sorted(set(old.models) - set(new.models))
    return drift


@dataclass(frozen=True)
class Change:
    """One line of a report: an entry, with what it brings along folded into it."""

    kind: str  # field | type | value
    path: str
    value: str | None
    roots: tuple[str, ...]
    nested: tuple[str, ...]  # keys under a new field or type, relative to it

    def words(self) -> str:
        where = _where(self.roots)
        if self.kind == "value":
            return f"{self.path} = {self.value!r}{where}"
        head, _, tag = self.path.rpartition(".")
        text = f"{tag} at {head}{where}" if self.kind == "type" else f"{self.path}{where}"
        if self.nested:
            shown = ", ".join(self.nested[:_LIST_CAP])
            more = len(self.nested) - _LIST_CAP
            text += f" (with {shown}{f' and {more} more' if more > 0 else ''})"
        return text


def changes(entries: dict[str, list[str]]) -> dict[str, list[Change]]:
    """Entries grouped as a reader wants them: what is under a new type or field is folded
    into that line; tool types apart from other types. Keys: tool types, types, fields,
    values (each list sorted by path)."""
    parsed = [_parse(e, roots) for e, roots in entries.items()]
    heads = {path for kind, path, _, _ in parsed if kind in ("type", "field")}
    groups: dict[str, list[Change]] = {"tool types": [], "types": [], "fields": [], "values": []}
    nested: dict[str, list[str]] = {}
    for kind, path, _, _ in parsed:
        owner = _owner(path, heads)
        if owner is not None and kind == "field":
            nested.setdefault(owner, []).append(path[len(owner) + 1 :])
    for kind, path, value, roots in parsed:
        if _owner(path, heads) is not None:
            continue  # folded into its new field or type
        if kind == "type" and path.rpartition(".")[0].endswith("tools.*"):
            group = "tool types"
        else:
            group = {"type": "types", "field": "fields", "value": "values"}[kind]
        change = Change(kind, path, value, tuple(roots), tuple(nested.get(path, ())))
        groups[group].append(change)
    for items in groups.values():
        items.sort(key=lambda c: (c.path, c.value or ""))
    return groups


def _parse(entry: str, roots: list[str]) -> tuple[str, str, str | None, list[str]]:
    kind, _, rest = entry.partition(":")
    if kind == "value":
        path, _, value = rest.partition("=")
        return kind, path, value, roots
    return kind, rest, None, roots


def _owner(path: str, heads: set[str]) -> str | None:
    """The shortest new type or field ``path`` lies strictly under."""
    parts = path.split(".")
    for i in range(1, len(parts)):
        prefix = ".".join(parts[:i])
        if prefix in heads:
            return prefix
    return None


def _where(roots: tuple[str, ...]) -> str:
    if list(roots) == _ALL_ROOTS:
        return ""
    return f"  [{', '.join(roots)}]"


_TITLES = {
    "tool types": "tool types",
    "types": "block and other `type` variants",
    "fields": "request fields",
    "values": "accepted values",
}


def report(drift: Drift) -> str:
    """The difference in words, newest first: what to add, then what went away."""
    old, new = drift.old.source, drift.new.source
    if drift.empty:
        return f"The committed schema ({old}) accepts everything {new} can send: nothing to do.\n"
    lines: list[str] = []
    if drift.behind:
        lines.append(f"The committed schema ({old}) is behind {new}. {new} adds:")
    else:
        lines.append(f"{new} adds nothing the committed schema ({old}) refuses.")
    lines += _section(changes(drift.added), "+", drift.betas_added, drift.models_added)
    if drift.removed or drift.betas_removed or drift.models_removed:
        lines.append(f"{new} no longer has (the sandbox keeps accepting them; review):")
        lines += _section(changes(drift.removed), "-", drift.betas_removed, drift.models_removed)
    return "\n".join(lines) + "\n"


def _section(
    groups: dict[str, list[Change]], sign: str, betas: list[str], models: list[str]
) -> list[str]:
    lines: list[str] = []
    for key, items in groups.items():
        if items:
            lines.append(f"  {_TITLES[key]} ({len(items)}):")
            lines += [f"    {sign} {c.words()}" for c in items]
    if betas:
        lines.append(f"  betas ({len(betas)}):")
        lines += [f"    {sign} {b}" for b in betas]
    if models:
        lines.append(f"  models ({len(models)}):")
        lines += [f"    {sign} {m}" for m in models]
    return lines


def changelog(drift: Drift, version: str) -> str:
    """One CHANGELOG bullet (Markdown) of what ``version`` added; empty when nothing."""
    if not drift.behind:
        return ""
    groups = changes(drift.added)
    parts: list[str] = []
    for key, items in groups.items():
        if items:
            shown = ", ".join(f"`{_short(c)}`" for c in items)
            parts.append(f"{_TITLES[key]}: {shown}")
    if drift.betas_added:
        parts.append("betas: " + ", ".join(f"`{b}`" for b in drift.betas_added))
    if drift.models_added:
        parts.append("models: " + ", ".join(f"`{m}`" for m in drift.models_added))
    text = (
        f"- **anthropic {version}** (`make schema SDK={version}`): the request schema, betas and "
        f"model catalogue regenerated; new in this SDK: {'; '.join(parts)}."
    )
    # wrapped like the hand-written entries; a path in backticks is never split
    lines = textwrap.wrap(
        text, width=96, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False
    )
    return "\n".join(lines) + "\n"


def _short(change: Change) -> str:
    if change.kind == "value":
        return f"{change.path}={change.value}"
    return change.path
