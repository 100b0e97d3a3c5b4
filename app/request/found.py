"""What the one pass over a request's conversation gathered, for whoever needs it next.

The API's own checks (``constraints.content``) visit every block of ``system`` and
``messages`` once. On the way they fill a ``Found``: what only the whole request can judge
(cache breakpoints, images, PDFs) and what the rest of the flow needs from the blocks (the
files the request points at). The request view keeps it, so the file references, the prompt
cache and the token count do not walk the conversation again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FILE_KINDS = ("file", "container_upload")
"""``type`` of the objects that name an uploaded file by ``file_id``."""
NO_FILES = frozenset(
    {"text", "thinking", "redacted_thinking", "tool_result", "search_result", "image", "document"}
)
"""Blocks the pass needs no search for file references in: those that cannot hold one, and
those it reads the references of itself (sources, nested blocks); any other block (tool
inputs, server-tool results) is searched whole with ``file_ids_in``."""


class Found:
    """What the pass saw. One per request: a plain slotted class, as a dataclass's
    default-factory ``__init__`` costs half again as much."""

    __slots__ = ("breakpoints", "file_ids", "images", "last_block_marked", "pdfs")

    breakpoints: int
    """Blocks and tools with ``cache_control``, plus the top-level one (automatic caching)
    unless the last block is marked itself: 0 means the prompt cache has nothing to do."""
    last_block_marked: bool
    """Whether the conversation's final block carries ``cache_control`` itself."""
    images: list[tuple[str, Mapping[str, Any]]]
    """(API path, source) of every base64 image."""
    pdfs: list[tuple[str, Mapping[str, Any]]]
    """(API path, source) of every base64 PDF."""
    file_ids: list[str]
    """Every ``file_id`` the messages point at, in order (images, documents, container
    uploads, at any depth)."""

    def __init__(self) -> None:
        self.breakpoints = 0
        self.last_block_marked = False
        self.images = []
        self.pdfs = []
        self.file_ids = []


def file_ids_in(node: Any, out: list[str]) -> None:
    """Append every ``file_id`` named by ``node`` or anything inside it, in document order."""
    # Iterative, depth first: a free-form value (a ``tool_use.input``) may nest as deep as
    # the JSON parser allows, far past Python's recursion limit.
    stack: list[Any] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            file_id = item.get("file_id")
            if isinstance(file_id, str) and item.get("type") in FILE_KINDS:
                out.append(file_id)
            stack.extend(v for v in reversed(item.values()) if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend(v for v in reversed(item) if isinstance(v, dict | list))
