"""Server-held message threads (beta ``message-threads-2026-08-12``).

A request with ``thread: {"type": "create"}`` is answered like any other, then the sandbox
keeps the whole conversation (its messages plus the reply, as an assistant message) with the
create-only fields ``system`` and ``tools``, under the reply's message id. A later request
with ``thread: {"type": "continue", "previous_message_id": id}`` sends only the new messages:
``begin`` expands it into the full request (stored history + new messages, the thread's
``system``/``tools``), so rules, fixture matching and the builder see exactly what an
unthreaded client would have sent. The newest Python SDK's tool runner threads by default.

Each stored reply can be continued once. Its states: ``open`` -> ``in_flight`` while a
continue of it is answered (a paced stream stays in flight until its last event) ->
``continued``; a continue that fails before its reply exists, or whose stream ends before
``message_stop``, puts it back to ``open`` (the server holds the whole turn or none of it).

Deliberate choices (the real service's internals are not public):
- Bounded by count, least recently used first out (``SANDBOX_THREAD_CAPACITY`` stored
  replies); no TTL. An evicted reply answers ``thread_not_found``, which the SDK recovers from
  by replaying the full history under a new thread, exactly as after a real expiry.
- A thread is visible only to the API key that created it; another key gets
  ``thread_not_found``.
- The fingerprint is the ``model``: a continue naming another model gets
  ``thread_fingerprint_mismatch``. Every other field (``max_tokens``, ``thinking``,
  ``output_config``...) may change from turn to turn, as the SDK's thread state assumes.
- ``system`` or ``tools`` on a continue is a plain 400 (the SDK refuses it client-side
  before sending, so only raw clients see it); the wording is ours.
- ``thread_unsupported_request`` is raised only for the features listed in
  ``SANDBOX_THREAD_UNSUPPORTED``, so CI can exercise the SDK's unthreaded fallback.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError, InvalidRequestError, api_error

CREATE_ONLY = ("system", "tools")
# The SDK's ``ThreadUnsupportedFeatureName``: what a server may refuse to thread.
FEATURES = (
    "cache_control",
    "context_management",
    "fallbacks",
    "hipaa",
    "inference_hooks",
    "thinking",
)
# Organization settings, not request fields: when listed, every threaded request is refused.
_ORG_SETTINGS = frozenset({"hipaa", "inference_hooks"})

_MESSAGE_PATH = re.compile(r"messages\.(\d+)")
_UNTHREADED = "send the full conversation without `thread`."

OPEN, IN_FLIGHT, CONTINUED = "open", "in_flight", "continued"


@dataclass(slots=True)
class _Stored:
    """One stored reply: the conversation up to and including it, and what a continue reuses."""

    api_key: str
    model: str
    messages: list[dict[str, Any]]
    create_only: dict[str, Any]
    state: str = OPEN


@dataclass(slots=True)
class Turn:
    """A threaded request being answered: the full request to answer, and where it continues."""

    request: dict[str, Any]
    api_key: str
    create_only: dict[str, Any]
    previous: _Stored | None = None
    previous_id: str | None = None
    held: int = 0
    """How many messages of ``request`` the server held (the client sent the rest)."""
    done: bool = field(default=False, repr=False)

    def relocate(self, error: ApiError) -> ApiError:
        """``error`` with a ``messages.N`` path counted among the messages the client sent,
        which are the only ones it knows; a path into the held history stays as it is."""
        found = _MESSAGE_PATH.match(error.message) if self.held else None
        if found is not None and int(found[1]) >= self.held:
            error.message = f"messages.{int(found[1]) - self.held}{error.message[found.end() :]}"
            error.args = (error.message,)
        return error


class ThreadStore:
    """Stored replies by message id, bounded LRU; safe to call from several threads."""

    def __init__(self, capacity: int = 10_000, unsupported: Iterable[str] = ()) -> None:
        self.capacity = max(1, capacity)
        unknown = sorted(set(unsupported) - set(FEATURES))
        if unknown:
            raise ValueError(
                f"SANDBOX_THREAD_UNSUPPORTED: unknown feature {unknown[0]!r} "
                f"(known: {', '.join(FEATURES)})"
            )
        self.unsupported = tuple(f for f in FEATURES if f in set(unsupported))
        self._replies: OrderedDict[str, _Stored] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._replies)

    def begin(self, request: Mapping[str, Any], api_key: str) -> Turn:
        """The full request ``request`` stands for; a continue claims its previous reply
        (in flight) until ``end`` or ``abandon``. Raises the API's thread errors."""
        thread = request["thread"]
        refused = self.refused_features(request)
        if refused:
            raise unsupported_error(refused)
        own = {k: v for k, v in request.items() if k != "thread"}
        if thread["type"] == "create":
            create_only = {k: own[k] for k in CREATE_ONLY if k in own}
            return Turn(request=own, api_key=api_key, create_only=create_only)
        repeated = [k for k in CREATE_ONLY if k in own]
        if repeated:
            names = " and ".join(f"`{k}`" for k in repeated)
            # Deliberate choice: the real wording is not public.
            raise InvalidRequestError(
                f'{repeated[0]}: {names} cannot be sent with `thread.type: "continue"`; '
                "a thread keeps the `system` and `tools` it was created with."
            )
        previous_id = thread["previous_message_id"]
        stored = self._claim(previous_id, api_key, own["model"])
        full = {
            **own,
            **stored.create_only,
            "messages": [*stored.messages, *own.get("messages", ())],
        }
        return Turn(
            request=full,
            api_key=api_key,
            create_only=stored.create_only,
            previous=stored,
            previous_id=previous_id,
            held=len(stored.messages),
        )

    def _claim(self, previous_id: str, api_key: str, model: str) -> _Stored:
        """The stored reply a continue names, put in flight; raises the API's errors."""
        with self._lock:
            stored = self._replies.get(previous_id)
            if stored is None or stored.api_key != api_key:
                raise not_found_error(previous_id)
            refusal = claim_refusal(stored.state, stored.model, previous_id, model)
            if refusal is not None:
                raise refusal
            stored.state = IN_FLIGHT
            self._replies.move_to_end(previous_id)
        return stored

    def end(self, turn: Turn, message: Mapping[str, Any], completed: bool = True) -> None:
        """The reply was delivered (``completed``) or cut short: store it or forget it."""
        with self._lock:
            if turn.done:
                return
            turn.done = True
            previous = turn.previous
            if not completed:
                if previous is not None and previous.state == IN_FLIGHT:
                    previous.state = OPEN
                return
            if previous is not None:
                previous.state = CONTINUED
                previous.messages = []  # only its state is needed from now on
            reply = {"role": "assistant", "content": message["content"]}
            self._replies[message["id"]] = _Stored(
                api_key=turn.api_key,
                model=turn.request["model"],
                messages=[*turn.request["messages"], reply],
                create_only=turn.create_only,
            )
            while len(self._replies) > self.capacity:
                self._replies.popitem(last=False)

    def abandon(self, turn: Turn) -> None:
        """The request failed before a reply existed: its previous reply may be continued."""
        self.end(turn, {}, completed=False)

    def refused_features(self, request: Mapping[str, Any]) -> list[str]:
        """Which of the configured unsupported features ``request`` uses."""
        if not self.unsupported:
            return []
        return [f for f in self.unsupported if f in _ORG_SETTINGS or _uses(request, f)]


def _uses(request: Mapping[str, Any], feature: str) -> bool:
    if feature == "thinking":
        thinking = request.get("thinking")
        return isinstance(thinking, Mapping) and thinking.get("type") != "disabled"
    if feature == "cache_control":
        return request.get("cache_control") is not None or any(
            _has_cache_control(request.get(k)) for k in ("system", "messages", "tools")
        )
    return request.get(feature) is not None


def _has_cache_control(value: Any) -> bool:
    if isinstance(value, Mapping):
        if value.get("cache_control") is not None:
            return True
        return any(_has_cache_control(value.get(k)) for k in ("content", "tool", "definition"))
    if isinstance(value, list):
        return any(_has_cache_control(item) for item in value)
    return False


def not_found_error(previous_id: str) -> ApiError:
    return thread_error(
        "thread_not_found",
        f"No thread state was found for previous_message_id `{previous_id}`. "
        'Replay the full conversation with `thread: {"type": "create"}` to start '
        "a new thread.",
        status=404,
    )


def claim_refusal(state: str, stored_model: str, previous_id: str, model: str) -> ApiError | None:
    """Why a stored reply (in ``state``, made with ``stored_model``) cannot be continued by a
    request for ``model`` now; None: it can."""
    if state == CONTINUED:
        return thread_error(
            "thread_already_continued",
            f"The response `{previous_id}` has already been continued; each response can "
            "be continued only once. Continue from the thread's most recent response `id`.",
        )
    if state == IN_FLIGHT:
        return thread_error(
            "thread_continue_in_flight",
            f"Another request is still continuing from `{previous_id}`. Wait for it to "
            "complete and continue from its response `id`, or replay the full "
            'conversation with `thread: {"type": "create"}`.',
        )
    if model != stored_model:
        return thread_error(
            "thread_fingerprint_mismatch",
            f"`model` differs from the value stored with the thread (`{stored_model}`). "
            "Send the stored value, or replay the full conversation with "
            '`thread: {"type": "create"}` to change it.',
        )
    return None


def thread_error(code: str, message: str, *, status: int = 400) -> ApiError:
    """A thread rejection: the SDK picks its class from ``error.details.error_code``."""
    error_type = "not_found_error" if status == 404 else "invalid_request_error"
    return api_error(error_type, message, status=status, details={"error_code": code})


def unsupported_error(features: list[str] | None = None) -> ApiError:
    """``thread_unsupported_request``; ``features`` fill ``details.unsupported`` when known."""
    details: dict[str, Any] = {"error_code": "thread_unsupported_request"}
    if features:
        details["unsupported"] = features
        what = ", ".join(f"`{f}`" for f in features)
        message = (
            f"thread: Threads do not support {what}; send the full conversation without `thread`."
        )
    else:
        message = (
            "thread: Threads are not supported here; send the full conversation without `thread`."
        )
    # Deliberate choice: the real wording is not public.
    return api_error("invalid_request_error", message, status=400, details=details)
