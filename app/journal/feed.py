"""The live feed: journal records and the server's notices, fanned out to subscribers.

The inspector (``GET /_sandbox/events``) subscribes; each subscriber has its own bounded
queue. The feed listens to the journal only while somebody is subscribed, so a server nobody
watches pays nothing (``Journal.add`` tests an empty list). Handing a record to a subscriber
is an append to a ``deque`` and an ``asyncio.Event.set``: the view of the record is built by
the subscriber when it sends it, never on the request's path.

Deliberate choices:
- a queue holds at most ``QUEUE_SIZE`` items; when a subscriber falls behind (a stuck tab,
  a slow link) the oldest items go and it is told how many it missed (``Batch.dropped``), so
  it can start over from the journal. Nothing a subscriber does can grow memory or slow a
  request;
- notices (a reset, a fixture reload) may come from another thread (the fixture watcher):
  they are handed to the event loop with ``call_soon_threadsafe``.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import Journal, Record

QUEUE_SIZE = 2000
"""Items a subscriber's queue holds before the oldest go."""


@dataclass(frozen=True, slots=True)
class Notice:
    """Something that happened to the server: ``kind`` is ``reset`` or ``reload``."""

    kind: str
    data: dict[str, Any]


Item = Record | Notice


@dataclass(slots=True)
class Batch:
    items: list[Item]
    dropped: int
    """Items that went before they could be sent (the queue was full)."""


@dataclass(eq=False)
class Subscription:
    feed: Feed
    queue: deque[Item] = field(default_factory=lambda: deque(maxlen=QUEUE_SIZE))
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    dropped: int = 0

    def put(self, item: Item) -> None:
        if len(self.queue) == self.queue.maxlen:
            self.dropped += 1
        self.queue.append(item)
        self.ready.set()

    async def next(self) -> Batch:
        """Everything queued since the last call (waits until there is something)."""
        await self.ready.wait()
        self.ready.clear()
        batch = Batch(list(self.queue), self.dropped)
        self.queue.clear()
        self.dropped = 0
        return batch

    def close(self) -> None:
        self.feed.unsubscribe(self)


class Feed:
    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self._subscribers: list[Subscription] = []
        self._stop_listening: Callable[[], None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None

    def __len__(self) -> int:
        return len(self._subscribers)

    def subscribe(self) -> Subscription:
        """A new subscriber (call it on the event loop)."""
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        subscription = Subscription(self)
        if not self._subscribers:
            self._stop_listening = self.journal.listen(self._added)
        self._subscribers = [*self._subscribers, subscription]
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self._subscribers = [s for s in self._subscribers if s is not subscription]
        if not self._subscribers and self._stop_listening is not None:
            self._stop_listening()
            self._stop_listening = None

    def _added(self, record: Record) -> None:
        for subscription in self._subscribers:
            subscription.put(record)

    def notify(self, kind: str, data: dict[str, Any]) -> None:
        """Tell every subscriber (safe from any thread)."""
        notice = Notice(kind, data)
        loop = self._loop
        if not self._subscribers or loop is None:
            return
        if threading.get_ident() == self._loop_thread:
            self._publish(notice)
            return
        # A closed loop (RuntimeError) has nobody listening any more.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(self._publish, notice)

    def _publish(self, notice: Notice) -> None:
        for subscription in self._subscribers:
            subscription.put(notice)


SUMMARY_FIELDS = (
    "id",
    "time",
    "method",
    "path",
    "status",
    "stream",
    "complete",
    "duration_ms",
    "rule",
    "session",
    "step",
)
REPLAY_HEADER = "x-sandbox-replay-of"
"""The request header a replayed exchange carries: the id of the one it re-sent."""
_MESSAGES = "/v1/messages"
_STRICT_MISS = "No fixture rule matched"


def summary(view: Mapping[str, Any]) -> dict[str, Any]:
    """The row of the inspector's list for a journal view: what it filters and shows."""
    out = {name: view.get(name) for name in SUMMARY_FIELDS}
    body = view.get("body")
    model = body.get("model") if isinstance(body, dict) else None
    out["model"] = model if isinstance(model, str) else None
    error = view.get("error") or {}
    out["error"] = error.get("type")
    out["replay_of"] = (view.get("headers") or {}).get(REPLAY_HEADER)
    out["answered_by"] = answered_by(view)
    return out


def answered_by(view: Mapping[str, Any]) -> str | None:
    """``rule``, ``default`` (the default responder: no rule matched), ``no_match`` (strict
    mode refused it), or None where no rule could answer (another route, a malformed
    request)."""
    if view.get("rule"):
        return "rule"
    if view.get("method") != "POST" or view.get("path") != _MESSAGES:
        return None
    if view.get("status") == 200:
        return "default"
    message = str((view.get("error") or {}).get("message") or "")
    return "no_match" if message.startswith(_STRICT_MISS) else None
