"""The request, read once: every fact the flow derives from it, computed at most once.

The pipeline makes one ``RequestView`` as soon as a body is validated and hands it down:
the API's checks fill ``found`` in their pass over the conversation, and fixture matching,
the default responder, token counting and the prompt cache read the facts below instead of
walking the request again. What every request needs (model, last user text, whether tools
are offered) is read in ``__init__``; the rest when someone first asks.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Generic, TypeVar, overload

from .. import nesting, tokens
from ..headers import Caller
from . import seed
from .found import Found, file_ids_in

ReadFile = tokens.ReadFile
T = TypeVar("T")


class fact(Generic[T]):
    """``functools.cached_property`` without its lock: Python 3.11 takes an ``RLock`` on
    every first read, and a default answer reads three facts (seed, prompt, token count):
    the lock cost 18,400 of 165,800 instructions per small request (callgrind, in process;
    bench/results.md). A view lives for one request on one thread, so it needs no lock.
    Non-data descriptor: once the value is in the instance ``__dict__``, reads never come
    back here."""

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
        # Not ``instance.__dict__[name] = value``: reading ``__dict__`` makes Python 3.11 turn
        # the instance's inline attribute values into a dict, which makes every later
        # attribute read and write slower (~3,000 instructions a small request, callgrind).
        setattr(instance, self.name, value)
        return value


def text_of(content: Any) -> str:
    """A message's text: string content as it is, else its text blocks joined."""
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
    """One validated request and what is derived from it, shared by every stage."""

    def __init__(
        self,
        request: Mapping[str, Any],
        caller: Caller | None = None,
        read_file: ReadFile | None = None,
        tool_json: list[bytes] | None = None,
    ) -> None:
        self.request = request
        if tool_json is not None:  # made once for these tools (``schema.KnownTools``)
            self.tool_json = tool_json
        self.caller = caller
        self.read_file = read_file
        """Bytes of an uploaded file by id, so file images and PDFs are counted too."""
        self.found: Found | None = None
        """Set by the API's checks (``constraints``) after their pass over the blocks."""
        self.segmented = False
        """Whether ``segments`` has been read (``input_tokens`` then sums them)."""
        self.model = str(request.get("model", ""))
        self.offers_tools = bool(request.get("tools"))
        """False: ``tool_names`` is empty, so rules that need a tool can be skipped unseen."""
        self.last_user_text = ""
        """Text of the last user message (string content or its text blocks joined)."""
        self.last_user: Mapping[str, Any] | None = None
        messages = request.get("messages")
        for message in reversed(messages) if isinstance(messages, (list, tuple)) else ():
            if isinstance(message, dict) and message.get("role") == "user":
                content = message.get("content")
                if isinstance(content, str):
                    # String content (most turns) is the text as is: no call to ``text_of``.
                    self.last_user_text = content
                    # Nor a ``tool_result``: the last turn, when it is the user's, is this one.
                    self.ends_with_tool_results = False
                else:
                    self.last_user_text = text_of(content)
                self.last_user = message
                break

    # -- what the default responder reads ------------------------------------------------
    @fact
    def seed(self) -> int:
        """A seed from what shapes the answer: the tools, system and settings, the length of
        the conversation and its last two messages (not the earlier ones: hashing a long
        conversation whole cost more than the rest of the answer; nor ``stream``,
        ``max_tokens`` or ``stop_sequences``, which only cut the same answer, so ``create``
        and ``stream`` of one request agree). Each turn of a conversation gets a new seed,
        so the ids made from it stay unique within the conversation."""
        tools = self.request.get("tools")
        tool_json = self.tool_json if tools and isinstance(tools, list) else None
        return seed.of_request(self.request, tool_json)

    @fact
    def prompt(self) -> str:
        """The user's words in the last user turn (Claude Code's ``<system-reminder>``s
        aside): its texts, each stripped, empty ones left out."""
        message = self.last_user
        if message is None:
            return ""
        content = message.get("content")
        if isinstance(content, str):
            # The usual turn: no reminder in it, so no call to ``without_reminders``.
            return without_reminders(content) if _REMINDER_TAG in content else content.strip()
        texts = [without_reminders(b.get("text", "")) for b in content or ()]
        return "\n".join(t for t in texts if t)

    @fact
    def ends_with_tool_results(self) -> bool:
        """Whether the last turn is the user's and carries ``tool_result`` blocks."""
        messages = self.request.get("messages") or ()
        last = messages[-1] if messages else None
        if last is not None and last.get("role") == "system":
            last = self.last_turn  # a mid-conversation system message is not a turn
        if last is None or last.get("role") != "user":
            return False
        content = last.get("content")
        return not isinstance(content, str) and any(
            b.get("type") == "tool_result" for b in content or ()
        )

    @fact
    def tool_use_names(self) -> dict[str, str]:
        """Tool name by call id, over every assistant turn (client and server tools)."""
        names: dict[str, str] = {}
        for message in self.messages:
            content = message.get("content")
            if message.get("role") == "assistant" and isinstance(content, list):
                for block in content:
                    kind = block.get("type") if isinstance(block, dict) else None
                    if kind in ("tool_use", "server_tool_use") and block.get("id"):
                        names[str(block["id"])] = str(block.get("name", ""))
        return names

    @fact
    def result_blocks(self) -> list[Mapping[str, Any]]:
        """The ``tool_result`` blocks of the last turn when it is the user's."""
        last = self.last_turn
        if last is None or last.get("role") != "user":
            return []
        content = last.get("content")
        if not isinstance(content, list):
            return []
        return [b for b in content if isinstance(b, dict) and b.get("type") == "tool_result"]

    # -- tokens, cache and files -----------------------------------------------------------
    @fact
    def tool_json(self) -> list[bytes]:
        """Each tool's JSON (``nesting.dumps``), made once for everything keyed by a tool's
        content: the schema check, the token count, the prompt cache and the seed. Clients
        send the same tools every turn, so each of those remembers its answer by these
        bytes (a bytes object keeps its hash: only the first lookup reads all of it)."""
        return [nesting.dumps(t) for t in self.request.get("tools") or ()]

    @fact
    def segments(self) -> list[tokens.Segment]:
        """The prompt as the model reads it (tools, system, messages), counted."""
        segments = list(
            tokens.segments(self.request, read_file=self.read_file, tool_json=self._tool_json)
        )
        self.segmented = True
        return segments

    @fact
    def input_tokens(self) -> int:
        """What ``count_tokens`` answers; the prompt cache splits the same total."""
        if self.segmented:  # (not ``"segments" in self.__dict__``: see ``fact``)
            return tokens.REQUEST_OVERHEAD + sum(s.tokens for s in self.segments)
        # ``_tool_json`` inlined: a property call is ~1,000 instructions on every request.
        return tokens.count_request(
            self.request,
            read_file=self.read_file,
            tool_json=self.tool_json if self.offers_tools else None,
        )

    @property
    def _tool_json(self) -> list[bytes] | None:
        # No tools (most chat requests): nothing to make.
        return self.tool_json if self.offers_tools else None

    @property
    def may_cache(self) -> bool:
        """False when no block, tool or the request itself carries ``cache_control``."""
        if self.found is not None:
            return self.found.breakpoints > 0
        from ..caching import may_have_breakpoints  # a view no check has seen (tests)

        return may_have_breakpoints(self.request)

    @property
    def file_ids(self) -> list[str]:
        """Every ``file_id`` the messages point at."""
        if self.found is not None:
            return self.found.file_ids
        out: list[str] = []
        file_ids_in(self.request.get("messages"), out)
        return out

    # -- what fixture rules test -----------------------------------------------------------
    @fact
    def stream(self) -> bool:
        return bool(self.request.get("stream"))

    @fact
    def messages(self) -> list[Mapping[str, Any]]:
        return [m for m in self.request.get("messages") or () if isinstance(m, dict)]

    @fact
    def texts(self) -> list[str]:
        return [text_of(m.get("content")) for m in self.messages]

    @fact
    def system(self) -> str:
        return text_of(self.request.get("system") or "")

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
        names = self.tool_use_names
        return [
            {
                "name": names.get(str(b.get("tool_use_id")), ""),
                "is_error": bool(b.get("is_error")),
                "text": text_of(b.get("content") or ""),
            }
            for b in self.result_blocks
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


def as_view(request: RequestView | Mapping[str, Any]) -> RequestView:
    """``request`` itself when it is a view, else a new view of it (pure functions take
    either, so tests can pass a plain dict)."""
    return request if isinstance(request, RequestView) else RequestView(request)


_REMINDER_TAG = "<system-reminder>"
_REMINDER = re.compile(rf"{_REMINDER_TAG}.*?</system-reminder>", re.S)


def without_reminders(text: str) -> str:
    # Most texts have no reminder at all: a substring test is far cheaper than the regex.
    if _REMINDER_TAG in text:
        text = _REMINDER.sub("", text)
    return text.strip()


def media_type(source: Mapping[str, Any]) -> str:
    if source.get("media_type"):
        return str(source["media_type"])
    return "text/plain" if source.get("type") == "text" else ""


def sha256(source: Mapping[str, Any]) -> str | None:
    if source.get("type") == "base64":
        try:
            raw = base64.b64decode(str(source.get("data", "")), validate=True)
        except (binascii.Error, ValueError):
            return None
        return hashlib.sha256(raw).hexdigest()
    if source.get("type") == "text":
        return hashlib.sha256(str(source.get("data", "")).encode()).hexdigest()
    return None
