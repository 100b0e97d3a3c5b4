"""Deeply nested JSON values: measured and serialised without recursion.

orjson parses up to 1,024 levels of nesting but serialises at most 255, and Python's own
recursion stops near 1,000 frames, so a free-form request field (a tool's ``input_schema``,
a ``tool_use.input``) nested a few hundred levels deep would break any recursive walk over
it. Everything here is iterative: ``dumps`` is orjson's output for any depth the parser
accepts, and ``depth`` measures a value without walking the call stack.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import orjson

ORJSON_DEPTH = 254
"""Containers orjson serialises inside one another (its limit is 255 levels, root included)."""

_END = object()


def dumps(value: Any, *, sort_keys: bool = False) -> bytes:
    """``orjson.dumps(value)`` for a value of any depth (same bytes up to orjson's limit)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort_keys else None)
    except orjson.JSONEncodeError as exc:
        if "Recursion limit" not in str(exc):
            raise
    return _deep_dumps(value, sort_keys)


def _deep_dumps(value: Any, sort_keys: bool) -> bytes:
    out: list[bytes] = []
    # One frame per open container: [its items, is a dict, has written an item].
    frames: list[list[Any]] = []

    def open_or_write(item: Any) -> None:
        if isinstance(item, dict):
            out.append(b"{")
            pairs = sorted(item.items()) if sort_keys else item.items()
            frames.append([iter(pairs), True, False])
        elif isinstance(item, list | tuple):
            out.append(b"[")
            frames.append([iter(item), False, False])
        else:
            out.append(orjson.dumps(item))

    open_or_write(value)
    while frames:
        frame = frames[-1]
        item: Any = next(frame[0], _END)
        if item is _END:
            frames.pop()
            out.append(b"}" if frame[1] else b"]")
            continue
        if frame[2]:
            out.append(b",")
        frame[2] = True
        if frame[1]:
            key, item = item
            if not isinstance(key, str):
                raise orjson.JSONEncodeError("Dict key must be str")
            out.append(orjson.dumps(key) + b":")
        open_or_write(item)
    return b"".join(out)


def depth(value: Any) -> int:
    """Levels of containers in ``value`` (a scalar is 0, ``{}`` and ``[1]`` are 1)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Iterator[Any] = iter(item.values())
        elif isinstance(item, list | tuple):
            children = iter(item)
        else:
            continue
        level += 1
        deepest = max(deepest, level)
        stack.extend((child, level) for child in children)
    return deepest


KEEP: Any = object()
"""From a ``rebuild`` item hook: copy the item as usual."""


def rebuild(
    value: Any,
    *,
    leaf: Callable[[Any], Any] = lambda v: v,
    key: Callable[[str], str] = lambda k: k,
    item: Callable[[str, Any], Any] | None = None,
) -> Any:
    """A copy of the JSON value ``value``, without recursion: each scalar goes through
    ``leaf``, each dict key through ``key``; ``item(key, child)`` may answer a dict item's
    new value itself (anything but ``KEEP``: the child is then not descended into)."""
    root: list[Any] = [None]
    # (source, the container the copy goes into, its slot there)
    stack: list[tuple[Any, Any, Any]] = [(value, root, 0)]
    while stack:
        source, target, slot = stack.pop()
        if isinstance(source, dict):
            copied: dict[str, Any] = {}
            target[slot] = copied
            for k, child in source.items():
                new_key = key(k)
                replaced = KEEP if item is None else item(k, child)
                copied[new_key] = None if replaced is KEEP else replaced  # keeps the order
                if replaced is KEEP:
                    stack.append((child, copied, new_key))
        elif isinstance(source, list):
            items: list[Any] = [None] * len(source)
            target[slot] = items
            stack.extend((child, items, i) for i, child in enumerate(source))
        else:
            target[slot] = leaf(source)
    return root[0]
