"""Token estimation: one estimator for ``usage`` and ``count_tokens``.

Deliberate choice: Anthropic's current tokenizer is not public, so text is split into
pieces that behave like BPE tokens (a short run of letters, up to three digits, one CJK
character or symbol, with leading whitespace attached). The split is deterministic and
additive, so the builder can cut a reply at exactly N output tokens and the stream can
send whole pieces.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import orjson

from . import media

_PIECE = re.compile(r"\s*(?:[A-Za-z]{1,6}|[0-9]{1,3}|[^\sA-Za-z0-9])|\s+")


def pieces(text: str) -> list[str]:
    """Split ``text`` into token-like pieces whose concatenation is ``text``."""
    return _PIECE.findall(text)


def count_text(text: str) -> int:
    return len(_PIECE.findall(text))


def truncate_text(text: str, max_tokens: int) -> str:
    """The longest prefix of ``text`` that is at most ``max_tokens`` tokens."""
    if max_tokens <= 0:
        return ""
    out = []
    for i, m in enumerate(_PIECE.finditer(text)):
        if i >= max_tokens:
            break
        out.append(m.group())
    return "".join(out)


# -- whole requests ---------------------------------------------------------------------
# Fixed overheads per structural element, so that an empty-looking request still costs
# something, as on the real API (a one-word prompt reports ~8-10 input tokens).
_PER_MESSAGE = 3
_PER_REQUEST = 4
_PER_TOOL = 8
_UNKNOWN_IMAGE = 1600  # url/file images we cannot measure: the documented per-image cap
_PDF_PAGE = 1500


def count_request(request: Mapping[str, Any]) -> int:
    """Estimated input tokens of a Messages / count_tokens request."""
    total = _PER_REQUEST
    system = request.get("system")
    if system:
        total += _count_content(system)
    for message in request.get("messages") or ():
        total += _PER_MESSAGE + _count_content(message.get("content"))
    for tool in request.get("tools") or ():
        total += _PER_TOOL + count_text(orjson.dumps(tool).decode())
    return total


def _count_content(content: Any) -> int:
    if isinstance(content, str):
        return count_text(content)
    return sum(_count_block(b) for b in content or ())


def _count_block(block: Mapping[str, Any]) -> int:
    kind = block.get("type")
    if kind == "text":
        return count_text(block.get("text", ""))
    if kind == "image":
        return image_tokens(block.get("source") or {})
    if kind == "document":
        return _document_tokens(block.get("source") or {})
    if kind == "thinking":
        return count_text(block.get("thinking", ""))
    if kind == "tool_result":
        return 4 + _count_content(block.get("content"))
    if kind in ("tool_use", "server_tool_use"):
        return 4 + count_text(orjson.dumps(block.get("input", {})).decode())
    if kind == "search_result":
        return count_text(block.get("title", "")) + _count_content(block.get("content"))
    return count_text(orjson.dumps(block).decode()) // 2


def image_tokens(source: Mapping[str, Any]) -> int:
    """``w*h/750`` after the documented downscale (long edge <= 1568 px, <= ~1.15 MP)."""
    size = media.image_size(source)
    if size is None:
        return _UNKNOWN_IMAGE
    width, height = media.scaled_size(*size)
    return max(1, round(width * height / 750))


def _document_tokens(source: Mapping[str, Any]) -> int:
    kind = source.get("type")
    if kind == "text":
        return count_text(source.get("data", ""))
    if kind == "content":
        return _count_content(source.get("content"))
    pages = media.pdf_pages(source)
    return _PDF_PAGE * (pages or 1)
