"""The facts fixture rules test about one request, each computed at most once.

``RequestView`` wraps the validated request body and the caller; rules share one view per
request, so e.g. the last user text or an image's SHA-256 is computed once however many
rules look at it. The facts every request's rule lookup needs (model, last user text, whether
tools are offered) are read in ``__init__``; the rest only when a rule or template asks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Generic, TypeVar, overload

from .constraints import media
from .headers import Caller

T = TypeVar("T")


class fact(Generic[T]):
    """``functools.cached_property`` without its lock (Python 3.11 takes a lock on every first
    read, ~0.5 µs): a view lives for one request on one thread. Non-data descriptor, so once
    the value is in the instance ``__dict__`` reads never come back here."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> fact[T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> fact[T] | T:
        if instance is None:
            return self
        value = self.func(instance)
        instance.__dict__[self.name] = value
        return value


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "\n".join(
        b.get("text", "") for b in content or () if isinstance(b, dict) and b.get("type") == "text"
    )


def _walk_blocks(content: Any) -> Iterator[Mapping[str, Any]]:
    """Every block of a message's content, including blocks nested in tool results."""
    if not isinstance(content, list):
        return
    for block in content:
        if not isinstance(block, dict):
            continue
        yield block
        if block.get("type") == "tool_result":
            yield from _walk_blocks(block.get("content"))


def last_turn(messages: Iterable[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The final user/assistant message: mid-conversation ``system`` messages (Claude Code
    appends one after tool results) are not a turn. ``None`` for an empty conversation."""
    for message in reversed(list(messages)):
        if message.get("role") != "system":
            turn: Mapping[str, Any] = message
            return turn
    return None


class RequestView:
    """What rules test, each fact computed at most once per request and shared by rules."""

    def __init__(self, request: Mapping[str, Any], caller: Caller | None = None) -> None:
        self.request = request
        self.caller = caller
        self.model = str(request.get("model", ""))
        self.offers_tools = bool(request.get("tools"))
        """False: ``tool_names`` is empty, so rules that need a tool can be skipped unseen."""
        self.last_user_text = ""
        """Text of the last user message (string content or its text blocks joined)."""
        messages = request.get("messages")
        for message in reversed(messages) if isinstance(messages, (list, tuple)) else ():
            if isinstance(message, dict) and message.get("role") == "user":
                content = message.get("content")
                # String content (most turns) is the text as is: no call to ``_text_of``.
                self.last_user_text = content if isinstance(content, str) else _text_of(content)
                break

    @fact
    def stream(self) -> bool:
        return bool(self.request.get("stream"))

    @fact
    def messages(self) -> list[Mapping[str, Any]]:
        return [m for m in self.request.get("messages") or () if isinstance(m, dict)]

    @fact
    def texts(self) -> list[str]:
        return [_text_of(m.get("content")) for m in self.messages]

    @fact
    def system(self) -> str:
        return _text_of(self.request.get("system") or "")

    @fact
    def tool_names(self) -> list[str]:
        return [
            str(t.get("name", "")) for t in self.request.get("tools") or () if isinstance(t, dict)
        ]

    @fact
    def tool_choice(self) -> Mapping[str, Any]:
        # Deliberate choice: an absent tool_choice reads as the API's default, `auto`.
        return self.request.get("tool_choice") or {"type": "auto"}

    @fact
    def turn(self) -> int:
        return sum(1 for m in self.messages if m.get("role") == "assistant")

    @fact
    def thinking(self) -> bool:
        thinking = self.request.get("thinking") or {}
        return thinking.get("type") in ("enabled", "adaptive")

    @fact
    def last_turn(self) -> Mapping[str, Any] | None:
        return last_turn(self.messages)

    @fact
    def tool_results(self) -> list[dict[str, Any]]:
        """``tool_result`` blocks of the last user message: name, is_error, text."""
        last = self.last_turn
        if last is None or last.get("role") != "user":
            return []
        content = last.get("content")
        if not isinstance(content, list):
            return []
        names: dict[str, str] = {}
        for message in self.messages:
            if message.get("role") == "assistant" and isinstance(message.get("content"), list):
                for b in message["content"]:
                    if isinstance(b, dict) and b.get("type") == "tool_use":
                        names[str(b.get("id"))] = str(b.get("name", ""))
        return [
            {
                "name": names.get(str(b.get("tool_use_id")), ""),
                "is_error": bool(b.get("is_error")),
                "text": _text_of(b.get("content") or ""),
            }
            for b in content
            if isinstance(b, dict) and b.get("type") == "tool_result"
        ]

    def _media(self, kind: str) -> list[Mapping[str, Any]]:
        sources = []
        for message in self.messages:
            for block in _walk_blocks(message.get("content")):
                if block.get("type") == kind and isinstance(block.get("source"), dict):
                    sources.append(block["source"])
        return sources

    @fact
    def images(self) -> list[Mapping[str, Any]]:
        return self._media("image")

    @fact
    def documents(self) -> list[Mapping[str, Any]]:
        return self._media("document")

    @fact
    def metadata_user_id(self) -> str | None:
        value = (self.request.get("metadata") or {}).get("user_id")
        return None if value is None else str(value)

    @fact
    def betas(self) -> list[str]:
        return list(self.caller.betas) if self.caller else []

    @fact
    def headers(self) -> Mapping[str, str]:
        return self.caller.headers if self.caller else {}


def media_type(source: Mapping[str, Any]) -> str:
    if source.get("media_type"):
        return str(source["media_type"])
    return "text/plain" if source.get("type") == "text" else ""


def sha256(source: Mapping[str, Any]) -> str | None:
    if source.get("type") == "base64":
        raw = media.decode_base64(str(source.get("data", "")))
        return hashlib.sha256(raw).hexdigest() if raw is not None else None
    if source.get("type") == "text":
        return hashlib.sha256(str(source.get("data", "")).encode()).hexdigest()
    return None
