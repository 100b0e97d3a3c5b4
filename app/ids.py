"""Identifiers shaped like the real API's: ``<prefix>01`` + base58 characters."""

from __future__ import annotations

import hashlib
import os
import random
from collections.abc import Iterator

_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_LENGTH = 22
"""Base58 characters after ``<prefix>01`` (the real API's ids)."""


def _base58(raw: bytes, length: int) -> str:
    n = int.from_bytes(raw, "big")
    out = []
    for _ in range(length):
        n, r = divmod(n, 58)
        out.append(_ALPHABET[r])
    return "".join(out)


# Random byte -> base58 character in one C call (``bytes.translate``): every request makes
# two fresh ids, and big-integer base conversion was the costliest line of the hot path.
# The slight skew of ``byte % 58`` does not matter for ids that only need to be unique.
_BYTE_TO_BASE58 = bytes(ord(_ALPHABET[i % 58]) for i in range(256))

_BATCH = 128
"""Ids drawn at once (``_Draws``)."""
_SLICES = tuple(slice(at, at + _LENGTH) for at in range(0, _BATCH * _LENGTH, _LENGTH))


class _Draws:
    """The random characters of the next ids, drawn ``_BATCH`` ids at a time.

    Ids only need to be unique, not unguessable: a Mersenne Twister seeded from the OS costs a
    third of ``os.urandom`` (a system call) per id. A private one, so code that seeds the
    global ``random`` (test suites do) cannot make ids repeat. Drawn in batches because the
    fixed cost of one draw (``getrandbits``, ``to_bytes``, ``translate``, ``decode``: four C
    calls and four objects) was most of an id's: an id is now one ``next`` on a C iterator of
    slices of one string (4.8 K -> 3.8 K instructions an id, measured with callgrind).
    """

    __slots__ = ("ahead", "random")

    def __init__(self) -> None:
        self.random = random.Random()
        self.ahead: Iterator[str] = iter(())

    def draw(self) -> str:
        """The next ``_BATCH`` ids' characters, the first of them returned."""
        size = _BATCH * _LENGTH
        raw = self.random.getrandbits(size * 8).to_bytes(size, "little")
        ahead = self.ahead = map(raw.translate(_BYTE_TO_BASE58).decode().__getitem__, _SLICES)
        return next(ahead)

    def forked(self) -> None:
        """In a forked child: a fresh seed, and none of the parent's drawn ids, so two worker
        processes never share a sequence."""
        self.random.seed()
        self.ahead = iter(())


_DRAWS = _Draws()
if hasattr(os, "register_at_fork"):  # no fork (nor this hook) on Windows
    os.register_at_fork(after_in_child=_DRAWS.forked)


def new_id(prefix: str, length: int = _LENGTH) -> str:
    """A fresh random id, e.g. ``new_id("msg_")`` -> ``msg_01Xy...`` (24 chars after the prefix)."""
    if length == _LENGTH:
        return f"{prefix}01{next(_DRAWS.ahead, None) or _DRAWS.draw()}"
    # ``getrandbits(...).to_bytes`` is what ``randbytes`` does, minus its Python-level call.
    raw = _DRAWS.random.getrandbits(length * 8).to_bytes(length, "little")
    return f"{prefix}01{raw.translate(_BYTE_TO_BASE58).decode()}"


def stable_id(prefix: str, *parts: str, length: int = _LENGTH) -> str:
    """A deterministic id derived from ``parts`` (tool_use ids of a pinned reply)."""
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=20).digest()
    return f"{prefix}01{_base58(digest, length)}"


def message_id() -> str:
    # ``new_id("msg_")`` inlined: one Python call less on every Message.
    return f"msg_01{next(_DRAWS.ahead, None) or _DRAWS.draw()}"


def request_id() -> str:
    # ``new_id("req_")`` inlined: one Python call less on every request.
    return f"req_01{next(_DRAWS.ahead, None) or _DRAWS.draw()}"
