"""Token estimation: one estimator for ``usage`` and ``count_tokens`` (see docs/tokens.md).

Deliberate choice: Anthropic's current tokenizer is not public, so text is split into
pieces that behave like BPE tokens (a short run of letters, up to three digits, one CJK
character or symbol, with leading whitespace attached). The split is deterministic and
additive, so the builder can cut a reply at exactly N output tokens and the stream can
send whole pieces.

A request is counted as a sequence of ``Segment``s in the order the model reads the prompt
(tools, then system, then messages). The prompt cache splits the same sequence at its
breakpoints, so ``input_tokens + cache_creation + cache_read`` always equals
``count_request`` (and therefore ``count_tokens``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

import orjson

from . import nesting
from .constraints import media

_PIECE = re.compile(r"\s*(?:[A-Za-z]{1,6}|[0-9]{1,3}|[^\sA-Za-z0-9])|\s+")


def pieces(text: str) -> list[str]:
    """Split ``text`` into token-like pieces whose concatenation is ``text``."""
    return _PIECE.findall(text)


def count_text(text: str) -> int:
    """``len(pieces(text))``, computed without building the pieces when it can be."""
    size = len(text)
    if size < _MEMO_MIN:
        return _count_short(text)
    if size <= _MEMO_MAX:
        return _count_memo(text)
    return _count(text)


# Conversations resend every earlier turn, system prompt and tool on each call, and the
# default responder's replies are built from a few fixed sentences, so the same texts are
# counted again and again; hashing a seen string is far cheaper than counting it. Short and
# mid-sized strings have separate bounded memos (so a stream of one-off prompts cannot evict
# a long system prompt); huge ones would pin memory and are counted each time. At most
# 4,096 * 255 + 1,024 * 32,768 characters are held (~35 MB).
_MEMO_MIN, _MEMO_MAX = 256, 32_768


@lru_cache(maxsize=4096)
def _count_short(text: str) -> int:
    return _count(text)


@lru_cache(maxsize=1024)
def _count_memo(text: str) -> int:
    return _count(text)


def _count(text: str) -> int:
    if not text.isascii():
        return len(_PIECE.findall(text))
    # ASCII text (almost every prompt and reply) is counted from its character classes in a
    # few C-speed passes, several times faster than the regex and with the same result: a
    # letter run makes ceil(n/6) pieces, a digit run ceil(n/3), any other non-space character
    # one; whitespace joins the next piece, and a trailing run is a piece of its own.
    classes = text.encode("ascii").translate(_ASCII_CLASSES)
    # Each full chunk of a run (6 letters, 3 digits) is a piece of its own: an "x".
    classes = classes.replace(b"aaaaaa", b"x").replace(b"000", b"x")
    # What remains of each run is one more piece: count where a letter or digit run starts
    # (one bit per byte; a byte is a start unless the byte before it has the same bit).
    runs = int.from_bytes(classes.translate(_RUN_BITS), "big")
    starts = (runs & ~(runs >> 8)).bit_count()
    return classes.count(b"x") + starts + classes.endswith(b" ")


def _ascii_class(byte: int) -> int:
    char = chr(byte)
    if re.fullmatch(r"[A-Za-z]", char):
        return ord("a")
    if re.fullmatch(r"[0-9]", char):
        return ord("0")
    return ord(" ") if re.fullmatch(r"\s", char) else ord("x")


# Each ASCII byte -> its class as ``_PIECE`` sees it: a letter, a digit, whitespace, other.
_ASCII_CLASSES = bytes(_ascii_class(b) if b < 128 else ord("x") for b in range(256))
_RUN_BITS = bytes(1 if b == ord("a") else 2 if b == ord("0") else 0 for b in range(256))


def truncate_text(text: str, max_tokens: int) -> str:
    """The longest prefix of ``text`` that is at most ``max_tokens`` tokens."""
    if max_tokens <= 0:
        return ""
    if len(text) <= max_tokens or count_text(text) <= max_tokens:
        # It fits (a piece is at least one character): the usual case, as budgets are far
        # larger than the texts cut to them, and counting is many times cheaper than pieces.
        return text
    out = []
    for i, m in enumerate(_PIECE.finditer(text)):
        if i >= max_tokens:
            break
        out.append(m.group())
    return "".join(out)


# -- whole requests ---------------------------------------------------------------------
# Fixed overheads per structural element, so that an empty-looking request still costs
# something, as on the real API (a one-word prompt reports ~8-10 input tokens).
REQUEST_OVERHEAD = 4
"""Never cached: even a fully cached prompt reports a few ``input_tokens``, as the real API does."""
_PER_MESSAGE = 3
_PER_TOOL = 8
_UNKNOWN_IMAGE = 1600  # url/file images we cannot measure: the documented per-image cap
_PDF_PAGE = 1500


class Segment(NamedTuple):
    """One unit of the prompt that can carry a cache breakpoint (a tool, a block).

    A NamedTuple (immutable, and twice as cheap to make as a frozen dataclass): every
    request makes one per tool and content block."""

    tokens: int
    part: str
    """``tools``, ``system`` or the role of the message the block belongs to."""
    value: Any
    """The JSON value the block was read from (the prompt cache hashes it)."""
    cache_control: Mapping[str, Any] | None = None
    starts_message: bool = False
    sent: bytes | None = None
    """A tool's JSON as it was counted (``RequestView.tool_json``): the prompt cache keys
    the tool by these bytes instead of serialising it again."""


ReadFile = Callable[[str], bytes | None]
"""Bytes of an uploaded file by id (None when unknown), so file images and PDFs count too."""


def count_request(
    request: Mapping[str, Any],
    *,
    read_file: ReadFile | None = None,
    tool_json: Sequence[bytes] | None = None,
) -> int:
    """Estimated input tokens of a Messages / count_tokens request: ``REQUEST_OVERHEAD``
    plus the tokens of every ``segments`` item, summed here without making the segments
    (every request is counted; most need no segments at all). ``tool_json``: each tool's
    ``nesting.dumps``, when the caller has them already."""
    # Strings (most system prompts and turns) are counted here; the block counter is made
    # only for the first list of blocks.
    count: _Blocks | None = None
    total = REQUEST_OVERHEAD
    tools = request.get("tools")
    if tools:  # most chat requests offer none: no loop to set up
        for raw in tool_json if tool_json is not None else map(nesting.dumps, tools):
            total += _PER_TOOL + count_json(raw)
    system = request.get("system")
    if system:
        count = _Blocks(read_file)
        total += count.content(system)
    for message in request.get("messages") or ():
        content = message.get("content")
        if isinstance(content, str):
            # ``count_text``'s short-string memo called directly (most turns are short):
            # one Python call less per message.
            size = len(content)
            total += _PER_MESSAGE + (
                _count_short(content) if size < _MEMO_MIN else count_text(content)
            )
        else:
            count = count or _Blocks(read_file)
            total += _PER_MESSAGE + count.content(content)
    return total


def count_json(raw: bytes) -> int:
    """``count_text(raw.decode())`` for a tool's JSON: remembered by the bytes, like texts
    (the same tools come with every turn), whose hash the prompt cache then reuses."""
    size = len(raw)
    if size < _MEMO_MIN:
        return _count_short(raw.decode())
    if size <= _MEMO_MAX:
        return _count_json_memo(raw)
    return _count(raw.decode())


@lru_cache(maxsize=1024)
def _count_json_memo(raw: bytes) -> int:
    return _count(raw.decode())


def segments(
    request: Mapping[str, Any],
    *,
    read_file: ReadFile | None = None,
    tool_json: Sequence[bytes] | None = None,
) -> Iterator[Segment]:
    """The prompt as the model reads it: tools, then system, then the messages."""
    count = _Blocks(read_file)
    tools = request.get("tools") or ()
    sent = tool_json if tool_json is not None else [nesting.dumps(t) for t in tools]
    yield from tool_segments(tools, tuple(sent))
    system = request.get("system")
    if isinstance(system, str):
        if system:
            yield Segment(count_text(system), "system", system)
    else:
        for block in system or ():
            yield Segment(count.block(block), "system", block, block.get("cache_control"))
    for message in request.get("messages") or ():
        role = message.get("role", "user")
        content = message.get("content")
        if isinstance(content, str) or not content:
            yield Segment(_PER_MESSAGE + count.content(content), role, content, starts_message=True)
            continue
        for i, block in enumerate(content):
            yield Segment(
                count.block(block) + (_PER_MESSAGE if i == 0 else 0),
                role,
                block,
                cache_control_of(block),
                starts_message=i == 0,
            )


def tool_segments(tools: Sequence[Any], sent: tuple[bytes, ...]) -> Sequence[Segment]:
    """The tools' segments; remembered by the tools' JSON (``sent``), since clients send the
    same tools every turn (a remembered segment's ``value`` is the tool parsed from that
    JSON: an equal value, not the request's own object)."""
    if len(sent) != len(tools):
        raise ValueError("one JSON per tool")
    if not sent:
        return ()
    if sum(map(len, sent)) > _TOOLS_MEMO_MAX:
        return _tool_segments(tools, sent)
    return _tool_segments_memo(sent)


@lru_cache(maxsize=64)
def _tool_segments_memo(sent: tuple[bytes, ...]) -> tuple[Segment, ...]:
    return _tool_segments([orjson.loads(raw) for raw in sent], sent)


def _tool_segments(tools: Sequence[Any], sent: tuple[bytes, ...]) -> tuple[Segment, ...]:
    return tuple(
        Segment(_PER_TOOL + count_json(raw), "tools", tool, tool.get("cache_control"), sent=raw)
        for tool, raw in zip(tools, sent, strict=True)
    )


_TOOLS_MEMO_MAX = 256 * 1024
"""Tools remembered when their JSON is at most this (64 sets: at most 16 MB held)."""


def cache_control_of(block: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The breakpoint a message content block carries, if any."""
    if block.get("cache_control"):
        marked: Mapping[str, Any] = block["cache_control"]
        return marked
    # A breakpoint on a block inside a tool result marks the end of that result.
    inner = block.get("content")
    if block.get("type") == "tool_result" and isinstance(inner, list):
        for item in reversed(inner):
            if isinstance(item, Mapping) and item.get("cache_control"):
                inside: Mapping[str, Any] = item["cache_control"]
                return inside
    return None


class _Blocks:
    """Counts content blocks; reads uploaded files through ``read_file`` when given."""

    __slots__ = ("read_file",)  # one is made per counted request

    def __init__(self, read_file: ReadFile | None) -> None:
        self.read_file = read_file

    def content(self, content: Any) -> int:
        if isinstance(content, str):
            return count_text(content)
        if not content:
            return 0
        return sum(self.block(b) for b in content)

    def block(self, block: Mapping[str, Any]) -> int:
        kind = block.get("type")
        if kind == "text":
            return count_text(block.get("text", ""))
        if kind == "image":
            return self.image(block.get("source") or {})
        if kind == "document":
            return self.document(block.get("source") or {})
        if kind == "thinking":
            return count_text(block.get("thinking", ""))
        if kind == "tool_result":
            return 4 + self.content(block.get("content"))
        if kind in ("tool_use", "server_tool_use"):
            return 4 + count_text(nesting.dumps(block.get("input", {})).decode())
        if kind == "search_result":
            return count_text(block.get("title", "")) + self.content(block.get("content"))
        return count_text(nesting.dumps(block).decode()) // 2

    def image(self, source: Mapping[str, Any]) -> int:
        """``w*h/750`` after the documented downscale (long edge <= 1568 px, <= ~1.23 MP)."""
        size = media.image_size(source)
        raw = self._file(source)
        if size is None and raw is not None:
            facts = media.sniff_image(raw)
            size = None if facts is None else (facts[1], facts[2])
        if size is None:
            return _UNKNOWN_IMAGE
        width, height = media.scaled_size(*size)
        return max(1, round(width * height / 750))

    def document(self, source: Mapping[str, Any]) -> int:
        kind = source.get("type")
        if kind == "text":
            return count_text(source.get("data", ""))
        if kind == "content":
            return self.content(source.get("content"))
        pages = media.pdf_pages(source)
        raw = self._file(source)
        if pages is None and raw is not None and media.looks_like_pdf(raw):
            pages = media.count_pdf_pages(raw)
        return _PDF_PAGE * (pages or 1)

    def _file(self, source: Mapping[str, Any]) -> bytes | None:
        if source.get("type") != "file" or self.read_file is None:
            return None
        return self.read_file(str(source.get("file_id", "")))
