"""The default responder's seed: a CRC-32 of what shapes a request's answer
(``RequestView.seed`` says which parts). A Claude Code turn resends ~26 KB of system prompt
and ~50 KB of tools every turn, so their parts of the CRC are remembered; each memo is
checked against the general computation (tests/test_turn_memos.py, tests/test_fast_paths.py).
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import orjson

from .. import nesting


def of_request(request: Mapping[str, Any], tool_json: list[bytes] | None) -> int:
    """The seed of ``request``; ``tool_json``: its tools' JSON, when it has tools."""
    get = request.get
    messages = get("messages") or ()
    if tool_json is None:
        parts = (
            get("system"),
            get("tools"),
            get("tool_choice"),
            get("thinking"),
            get("output_config"),
            len(messages),
            messages[-2:],
        )
        try:
            # ``seed_of_parts`` inlined for the usual request, which orjson serialises:
            # two calls fewer (~1,000 instructions per small request).
            return zlib.crc32(orjson.dumps(parts))
        except orjson.JSONEncodeError:
            return seed_of_parts(parts)  # nested deeper than orjson goes
    rest = (get("tool_choice"), get("thinking"), get("output_config"), len(messages))
    # CRC-32 of the same bytes, carried on from one piece to the next, with the tools' JSON
    # the view has made already.
    crc = _system_crc(get("system"))
    crc = _tools_crc(crc, tuple(tool_json))
    return zlib.crc32(b"]," + nesting.dumps((*rest, messages[-2:]))[1:], crc)


def seed_of_parts(parts: tuple[Any, ...]) -> int:
    """The seed from its parts: (system, tools, tool_choice, thinking, output_config, the
    number of messages, the last two messages)."""
    # CRC-32: deterministic everywhere (unlike ``hash``) and a third of the cost of a
    # cryptographic digest; the seed only needs to spread requests, not resist anyone.
    return zlib.crc32(nesting.dumps(parts))


def _system_crc(system: Any) -> int:
    """``crc32(b"[" + dumps(system) + b",[")``, the seed's start: remembered for a system
    prompt of text blocks (Claude Code's is 26 KB, the same every turn) by what its JSON is
    made of, each block's keys in order and their string values (a ``cache_control``'s
    too), whose hashes the token count has computed already."""
    key = _system_key(system)
    if key is None:
        return zlib.crc32(b"[" + nesting.dumps(system) + b",[")
    return _system_crc_memo(key)


def _system_key(system: Any) -> tuple[Any, ...] | None:
    """A key equal to another only when both systems have the same JSON: None for one not
    made of blocks of strings (or of dicts of strings), or too big to remember."""
    if type(system) is not list or not system:
        return None
    key = []
    size = 0
    for block in system:
        if type(block) is not dict:
            return None
        items = []
        for name, value in block.items():
            if type(value) is dict:
                if not all(type(v) is str for v in value.values()):
                    return None
                value = tuple(value.items())
            elif type(value) is str:
                size += len(value)
            else:
                return None
            items.append((name, value))
        key.append(tuple(items))
    return tuple(key) if size <= _TOOLS_MEMO_MAX else None


@lru_cache(maxsize=64)
def _system_crc_memo(key: tuple[Any, ...]) -> int:
    # The system's JSON again from the key: the same keys in the same order, the same strings.
    system = [{k: dict(v) if type(v) is tuple else v for k, v in items} for items in key]
    return zlib.crc32(b"[" + nesting.dumps(system) + b",[")


def _tools_crc(start: int, tool_json: tuple[bytes, ...]) -> int:
    if sum(map(len, tool_json)) > _TOOLS_MEMO_MAX:
        return zlib.crc32(b",".join(tool_json), start)
    return _tools_crc_memo(start, tool_json)


@lru_cache(maxsize=64)
def _tools_crc_memo(start: int, tool_json: tuple[bytes, ...]) -> int:
    # The bytes' hashes are computed already (the schema check and the token count looked
    # them up), so a hit costs a comparison of the bytes, not a CRC of them.
    return zlib.crc32(b",".join(tool_json), start)


_TOOLS_MEMO_MAX = 256 * 1024
"""A system prompt or a set of tools remembered when at most this (64 of each: 32 MB held at
most, as the token memos of the tools)."""
