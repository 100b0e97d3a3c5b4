"""The default responder: a deterministic answer that honours what the request asks for.

Used whenever no fixture rule matches (lenient mode). Seeded from the request, so the
same request always gets the same content.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from .reply import Reply

_SENTENCES = (
    "This is a deterministic reply from messages-sandbox.",
    "No fixture rule matched this request, so the default responder answered.",
    "Add a rule under fixtures/ to choose exactly what the model says.",
    "Every answer parses with the official SDKs, streamed or not.",
)


def seed_of(request: Mapping[str, Any]) -> int:
    text = last_user_text(request)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def last_user_text(request: Mapping[str, Any]) -> str:
    for message in reversed(request.get("messages") or ()):
        if message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, str):
            return content
        texts = [b.get("text", "") for b in content or () if b.get("type") == "text"]
        if texts:
            return "\n".join(texts)
    return ""


def default_reply(request: Mapping[str, Any]) -> Reply:
    seed = seed_of(request)
    first = _SENTENCES[seed % len(_SENTENCES)]
    second = _SENTENCES[(seed // 7 + 1) % len(_SENTENCES)]
    return Reply(content=[{"type": "text", "text": f"{first} {second}"}])
