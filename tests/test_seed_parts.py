"""The seed's remembered parts (``request.view``): the CRC of a system prompt taken from the
memo is the CRC of its JSON, whatever the prompt is made of."""

from __future__ import annotations

import zlib
from typing import Any

import pytest

from messages_sandbox import nesting
from messages_sandbox.request.view import _system_crc

CACHED = {"type": "ephemeral"}

SYSTEMS: list[Any] = [
    None,
    "",
    "You are terse.",
    [],
    [{"type": "text", "text": "x"}],
    [{"text": "x", "type": "text"}],  # other key order: other JSON
    [{"type": "text", "text": 'é \\n \u2028 "q"'}],
    [{"type": "text", "text": "a"}, {"type": "text", "text": "b", "cache_control": CACHED}],
    [{"type": "text", "text": "b", "cache_control": {"ttl": "1h", "type": "ephemeral"}}],
    [{"type": "text", "text": "b", "cache_control": {"type": "ephemeral", "ttl": "1h"}}],
    [{"type": "text", "text": "b", "cache_control": None}],
    [{"type": "text", "text": "b", "citations": [{"type": "x"}]}],
    [{"type": "text", "text": "b", "cache_control": {"type": "ephemeral", "n": 1}}],
    ["not a block"],
    [{"type": "text", "text": "big " * 70_000}],  # too big to remember
]


@pytest.mark.parametrize("system", SYSTEMS)
def test_the_system_crc_is_the_crc_of_its_json(system: Any) -> None:
    expected = zlib.crc32(b"[" + nesting.dumps(system) + b",[")
    assert _system_crc(system) == expected
    assert _system_crc(system) == expected  # remembered
