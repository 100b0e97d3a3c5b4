"""Identifiers shaped like the real API's: ``<prefix>01`` + base58 characters."""

from __future__ import annotations

import hashlib
import os
import random

_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


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

# Ids only need to be unique, not unguessable: a Mersenne Twister seeded from the OS costs a
# third of ``os.urandom`` (a system call) per id. A private one, so code that seeds the
# global ``random`` (test suites do) cannot make ids repeat; reseeded in a forked child so
# two worker processes never share a sequence.
_RANDOM = random.Random()
if hasattr(os, "register_at_fork"):  # no fork (nor this hook) on Windows
    os.register_at_fork(after_in_child=_RANDOM.seed)


def new_id(prefix: str, length: int = 22) -> str:
    """A fresh random id, e.g. ``new_id("msg_")`` -> ``msg_01Xy...`` (24 chars after the prefix)."""
    # ``getrandbits(...).to_bytes`` is what ``randbytes`` does, minus its Python-level call.
    raw = _RANDOM.getrandbits(length * 8).to_bytes(length, "little")
    return f"{prefix}01{raw.translate(_BYTE_TO_BASE58).decode()}"


def stable_id(prefix: str, *parts: str, length: int = 22) -> str:
    """A deterministic id derived from ``parts`` (tool_use ids of a pinned reply)."""
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=20).digest()
    return f"{prefix}01{_base58(digest, length)}"


def request_id() -> str:
    return new_id("req_")
