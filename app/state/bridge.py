"""Plain functions that wait on Redis without blocking the event loop, and without threads.

The pipeline is synchronous: validation, matching and building are plain functions, and
the stores they call (sessions, threads, prompt cache, rate limits, file index) answer
synchronously. In memory that is free. With ``SANDBOX_STATE_URL`` each store operation is
a Redis round trip made with the asyncio client, and the synchronous caller must not
block the loop meanwhile. So the web edge runs the synchronous call with ``run_bridged``:
it runs in a greenlet, and where a Redis store calls ``await_only(coroutine)`` the
greenlet switches back to the edge's coroutine, which awaits it on the event loop (other
requests run meanwhile) and switches back in with the result or the exception. This is
how SQLAlchemy's asyncio extension runs its synchronous ORM over asyncio drivers
(``greenlet_spawn`` / ``await_only``), here in its smallest form.

Why not the alternatives (bench/results.md, "Shared state"):
* a synchronous Redis client on the loop blocks every request for each round trip, and
  for a whole connect timeout when Redis is away;
* the pipeline in a worker thread pays a thread hand-off per request and waits for the
  GIL behind the busy loop thread (up to the 5 ms switch interval) after each reply;
* an async pipeline makes every call in it a coroutine in memory mode too, where no I/O
  ever happens.

Memory mode never enters a greenlet: the edge calls the pipeline directly.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import greenlet

T = TypeVar("T")


class _Bridged(greenlet.greenlet):
    """A greenlet whose synchronous code may ``await_only``; ``driver`` awaits for it."""

    def __init__(self, fn: Callable[..., Any], driver: greenlet.greenlet) -> None:
        super().__init__(fn, driver)
        self.driver = driver
        # Context variables (logging, request-scoped values) as the awaiting coroutine has them.
        self.gr_context = driver.gr_context


def in_bridge() -> bool:
    """Whether the running code may ``await_only`` (it runs under ``run_bridged``)."""
    return isinstance(greenlet.getcurrent(), _Bridged)


def await_only(awaitable: Awaitable[T]) -> T:
    """Wait for ``awaitable`` from synchronous code running under ``run_bridged``."""
    current = greenlet.getcurrent()
    if not isinstance(current, _Bridged):
        close = getattr(awaitable, "close", None)
        if close is not None:
            close()  # no "coroutine was never awaited" warning on top of this error
        raise RuntimeError(
            "a shared-state store was called outside run_bridged: the web edge must run "
            "state-touching calls with Sandbox.call (SANDBOX_STATE_URL is set)"
        )
    return current.driver.switch(awaitable)  # type: ignore[no-any-return]


async def run_bridged(fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)``, awaiting on the event loop whatever it hands to ``await_only``."""
    child = _Bridged(fn, greenlet.getcurrent())
    result = child.switch(*args)
    while not child.dead:
        try:
            value = await result
        except BaseException:
            result = child.throw(*sys.exc_info())
        else:
            result = child.switch(value)
    return result  # type: ignore[no-any-return]
