"""Recorded rules as a YAML fixture file a person can read: a comment above each rule saying
where it came from, multi-line text as literal blocks, no anchors or aliases."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from .exchange import Rule

_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Readable(_Dumper):  # type: ignore[misc]  # C or pure dumper, picked at run time
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    # Literal blocks for multi-line text; the emitter falls back to quoting by itself when
    # a literal block could not hold the string exactly (trailing spaces, control chars).
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Readable.add_representer(str, _str)


def dump(value: Any) -> str:
    return yaml.dump(
        value, Dumper=_Readable, sort_keys=False, allow_unicode=True, width=100, indent=2
    )


def render(
    header: Sequence[str], rules: Sequence[Rule], models: Sequence[dict[str, Any]] = ()
) -> str:
    """The whole file: ``header`` comment lines, ``rules:``, then ``models:`` if any."""
    parts = [_comment(line) for line in header]
    parts.append("rules:\n" if rules else "rules: []\n")
    for rule in rules:
        parts.extend(_comment(note) for note in rule.notes)
        parts.append(dump([rule.body]))
    if models:
        parts.append("models:\n")
        parts.append(dump(list(models)))
    return "".join(parts)


def _comment(text: str) -> str:
    return "".join(f"# {line}".rstrip() + "\n" for line in text.splitlines() or [""])
