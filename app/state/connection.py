"""The one Redis connection of a process: the asyncio client, the key prefix, the scripts.

Every Redis store of the process shares it. Store operations are synchronous (they run
inside the pipeline) and wait with ``run``, which hands the coroutine to the event loop
through the bridge (``bridge.await_only``); ``arun`` is the same for async callers (the
journal's writer in ``web.front``). Either way a Redis that does not answer becomes
``StateUnavailableError`` (503, in Anthropic's envelope) for that request; the client
connects again on the next command, so the server recovers by itself when Redis is back.

Deliberate choices:
* short timeouts (connect 1 s, a reply 2 s) and one immediate retry, so a request that
  finds a connection Redis closed (Redis restarted) succeeds on a fresh one, and a Redis
  that is down costs a request a refused connection, not a long wait;
* one standalone Redis (or a Sentinel/managed primary behind one URL): scripts touch keys
  they derive from their arguments, which Redis Cluster would refuse.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from ..errors import StateUnavailableError
from .bridge import await_only

log = logging.getLogger("messages_sandbox.state")

T = TypeVar("T")
CONNECT_TIMEOUT = 1.0
REPLY_TIMEOUT = 2.0


class Connection:
    def __init__(self, url: str, prefix: str) -> None:
        # Imported here: memory mode never loads the client.
        from redis.asyncio import Redis
        from redis.asyncio.retry import Retry
        from redis.backoff import NoBackoff
        from redis.exceptions import ConnectionError, TimeoutError

        self.client: Any = Redis.from_url(
            url,
            socket_connect_timeout=CONNECT_TIMEOUT,
            socket_timeout=REPLY_TIMEOUT,
            retry=Retry(NoBackoff(), 1),
            health_check_interval=0,
        )
        self.url = url
        self.prefix = prefix + ":"
        self._unavailable: tuple[type[Exception], ...] = (ConnectionError, TimeoutError, OSError)
        self._down_since: float | None = None

    def key(self, *parts: str) -> str:
        return self.prefix + ":".join(parts)

    def script(self, source: str) -> Any:
        """A Lua script, run by its SHA (loaded again by itself after a Redis restart)."""
        return self.client.register_script(source)

    def run(self, awaitable: Awaitable[T]) -> T:
        """Wait for a Redis operation from synchronous code (under ``bridge.run_bridged``)."""
        try:
            result = await_only(awaitable)
        except self._unavailable as exc:
            raise self._failed(exc) from None
        self._answered()
        return result

    async def arun(self, awaitable: Awaitable[T]) -> T:
        try:
            result = await awaitable
        except self._unavailable as exc:
            raise self._failed(exc) from None
        self._answered()
        return result

    def _failed(self, exc: Exception) -> StateUnavailableError:
        if self._down_since is None:
            self._down_since = time.monotonic()
            log.error("Redis at %s is unavailable: %s", shown_url(self.url), exc)
        return StateUnavailableError(f"{type(exc).__name__}: {exc}")

    def _answered(self) -> None:
        if self._down_since is not None:
            log.warning(
                "Redis at %s answers again (after %.1f s)",
                shown_url(self.url),
                time.monotonic() - self._down_since,
            )
            self._down_since = None

    async def ping(self) -> bool:
        try:
            await self.client.ping()
        except self._unavailable:
            return False
        return True

    async def aclose(self) -> None:
        await self.client.aclose()


def shown_url(url: str) -> str:
    """``url`` without its password, for logs and ``/_sandbox/config``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host += f":{parts.port}"
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))
