"""Everything a sandbox remembers between requests, behind a small set of stores, chosen
once from ``Settings``: in this process's memory (the default), or in Redis when
``SANDBOX_STATE_URL`` is set, so that any number of worker processes and replicas behave
as one sandbox.

    store                 interface              memory                 Redis
    sessions              sessions.SessionStore  MemorySessions         redis_sessions
    journal               journal.Journal        Journal                redis_journal
    threads               threads.ThreadStore    ThreadStore            redis_threads
    prompt-cache entries  caching.CacheEntries   MemoryEntries          redis_small
    rate-limit windows    ratelimits.RateLimiter RateLimiter            redis_small
    file, batch metadata  index.Index            MemoryIndex (+ disk)   redis_small

File bytes and batch results stay on disk under ``SANDBOX_DATA_DIR`` (replicas mount one
volume); the fixtures are read by every process from its fixtures directory.

The stores answer synchronously, because the pipeline that calls them is plain functions.
In memory that costs nothing. In Redis each operation is a round trip made with the
asyncio client; the web edge runs state-touching calls with ``State.call``, which runs
them under ``bridge.run_bridged`` so the event loop serves other requests meanwhile (see
``bridge`` for why). In memory ``State.call`` is a plain call, and the hot route does not
even go through it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from ..caching import CacheEntries, MemoryEntries
from ..journal import Journal
from ..ratelimits import RateLimiter
from ..sessions import MemorySessions, SessionStore
from ..settings import Settings
from ..threads import ThreadStore

if TYPE_CHECKING:
    from ..batches import Batch
    from ..files import StoredFile
    from ..index import Index
    from .connection import Connection
    from .redis_sessions import Compile

log = logging.getLogger("messages_sandbox.state")
T = TypeVar("T")


@dataclass
class State:
    sessions: SessionStore
    journal: Journal
    threads: ThreadStore
    cache_entries: CacheEntries
    rate_limiter: RateLimiter
    files: Index[StoredFile] | None
    """None: the file store's own index in memory, loaded from the data dir at start."""
    batches: Index[Batch] | None
    connection: Connection | None = None
    """The Redis connection; None in memory."""

    @property
    def shared(self) -> bool:
        return self.connection is not None

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)``; with Redis, under the bridge (its round trips awaited)."""
        if self.connection is None:
            return fn(*args)
        from .bridge import run_bridged  # greenlet: with Redis only

        return await run_bridged(fn, *args)

    def describe(self) -> str:
        if self.connection is None:
            return "state in memory (this process)"
        from .connection import shown_url

        where = shown_url(self.connection.url)
        return f"state in Redis at {where} (keys {self.connection.prefix}*)"


def open_state(
    settings: Settings,
    *,
    clock: Callable[[], float] = time.time,
    organization_id: str,
    compile_source: Compile,
) -> State:
    """The stores ``settings`` ask for: Redis when ``state_url`` is set, else memory."""
    rate_window = settings.rate_limit_window
    if settings.state_url is None:
        return State(
            sessions=MemorySessions(
                idle=settings.session_idle, capacity=settings.session_capacity, clock=clock
            ),
            journal=Journal(settings.journal_size, settings.journal_file),
            threads=ThreadStore(settings.thread_capacity, settings.thread_unsupported),
            cache_entries=MemoryEntries(),
            rate_limiter=RateLimiter(
                window=rate_window, clock=clock, organization_id=organization_id
            ),
            files=None,
            batches=None,
        )
    from ..batches import Batch
    from ..files import StoredFile
    from .connection import Connection
    from .redis_journal import RedisJournal
    from .redis_sessions import RedisSessions
    from .redis_small import RedisCacheEntries, RedisIndex, RedisRateLimiter
    from .redis_threads import RedisThreads

    db = Connection(settings.state_url, settings.state_prefix)
    if settings.data_dir is None:
        log.warning(
            "SANDBOX_STATE_URL is set but SANDBOX_DATA_DIR is not: uploaded files and batch "
            "results go to a temporary directory only this process (and its workers) sees; "
            "give every replica the same SANDBOX_DATA_DIR volume"
        )
    return State(
        sessions=RedisSessions(
            db,
            compile_source,
            idle=settings.session_idle,
            capacity=settings.session_capacity,
            clock=clock,
        ),
        journal=RedisJournal(db, settings.journal_size, settings.journal_file),
        threads=RedisThreads(
            db, settings.thread_capacity, settings.thread_unsupported, clock=clock
        ),
        cache_entries=RedisCacheEntries(db),
        rate_limiter=RedisRateLimiter(
            db, window=rate_window, clock=clock, organization_id=organization_id
        ),
        files=RedisIndex(db, "files", StoredFile),
        batches=RedisIndex(db, "batches", Batch),
        connection=db,
    )
