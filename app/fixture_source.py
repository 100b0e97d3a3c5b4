"""Read one fixture file: YAML that remembers line numbers, validated by ``fixture_models``.

Every problem (unreadable file, invalid YAML, a key the format does not allow) becomes a
``FixtureError`` naming the file, the line and the key path (``rules[2].match.regx``), found by
following the path through the YAML nodes as far as it goes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .errors import FixtureError
from .fixture_models import FixtureFile

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_Loader):  # type: ignore[misc, valid-type]
    """Records the first line of every mapping it builds (by object id), so each rule knows
    its ``file:line`` without a second parse of the file."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.lines: dict[int, int] = {}

    def construct_yaml_map(self, node: yaml.MappingNode) -> Iterator[dict[Any, Any]]:
        data: dict[Any, Any] = {}
        self.lines[id(data)] = node.start_mark.line + 1
        yield data
        data.update(self.construct_mapping(node))


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_yaml_map)


class FixtureSource:
    """One fixture file being loaded: its validated model, and the line of any key path."""

    def __init__(self, path: Path, root: Path) -> None:
        self.path = path
        self.root = root
        self.text = ""
        self.rule_lines: list[int | None] = []
        self._lines: yaml.Node | None = None

    def fail(self, loc: Sequence[str | int], message: str, *, key: str | None = None) -> None:
        raise self.error(loc, message, key=key)

    def error(
        self, loc: Sequence[str | int], message: str, *, key: str | None = None
    ) -> FixtureError:
        found, line = self._locate([*loc, key] if key is not None else list(loc))
        where = _dotted(found)
        return FixtureError(
            f"{where}: {message}" if where else message, file=str(self.path), line=line
        )

    def model(self) -> FixtureFile:
        try:
            self.text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise FixtureError(f"cannot read: {exc}", file=str(self.path)) from None
        loader = _LineLoader(self.text)
        try:
            data = loader.get_single_data()
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or str(exc)
            raise FixtureError(
                f"invalid YAML: {problem}",
                file=str(self.path),
                line=mark.line + 1 if mark else None,
            ) from None
        finally:
            loader.dispose()
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise FixtureError(
                "a fixture file is a mapping with `rules:` (and optionally `defaults:`, "
                f"`models:`), not a {type(data).__name__}",
                file=str(self.path),
                line=1,
            )
        rules = data.get("rules")
        if isinstance(rules, list):
            self.rule_lines = [loader.lines.get(id(r)) for r in rules]
        try:
            return FixtureFile.model_validate(data)
        except ValidationError as exc:
            raise self._from_validation(exc) from None

    def _from_validation(self, exc: ValidationError) -> FixtureError:
        errors = exc.errors(include_url=False)
        first = errors[0]
        key = None
        loc = list(first["loc"])
        if first["type"] == "unknown_key":
            key = (first.get("ctx") or {}).get("key")
        message = first["msg"]
        if first["type"] == "missing":
            message = "required key missing"
        err = self.error(loc, message, key=key)
        if first["type"] == "missing" and loc:
            # The missing key has no line of its own: name it after the parent's path.
            found, line = self._locate(loc)
            if not found or found[-1] != loc[-1]:
                where = _dotted([*found, loc[-1]])
                err = FixtureError(f"{where}: {message}", file=str(self.path), line=line)
        if len(errors) > 1:
            extra = len(errors) - 1
            err = FixtureError(
                f"{err.reason} (and {extra} more problem{'s' if extra > 1 else ''})",
                file=err.file,
                line=err.line,
            )
        return err

    def _locate(self, loc: Sequence[Any]) -> tuple[list[str | int], int | None]:
        """Follow ``loc`` through the YAML nodes as far as it goes: (path found, line)."""
        if self._lines is None:
            try:
                self._lines = yaml.compose(self.text, Loader=_Loader)
            except yaml.YAMLError:
                return [], None
        node = self._lines
        if node is None:
            return [], 1
        found: list[str | int] = []
        line = node.start_mark.line + 1
        for part in loc:
            child, key_line = _child(node, part)
            if child is None:
                continue  # a pydantic union tag or a key that is not in the file
            found.append(part)
            node = child
            line = key_line
        return found, line


def _child(node: yaml.Node, part: Any) -> tuple[yaml.Node | None, int]:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == part:
                return value_node, key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        item = node.value[part]
        return item, item.start_mark.line + 1
    return None, 0


def _dotted(loc: Sequence[str | int]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
