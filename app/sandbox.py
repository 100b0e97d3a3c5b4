"""The composition root: everything a server needs, built once from ``Settings``.

``Sandbox`` owns the stores (files, batches, threads, prompt cache, rate-limit counts,
sessions with their script counters, play counts and runtime rules, the journal), the
current ``Snapshot`` of the fixtures directory and the ``Pipeline`` that answers requests
with them. It holds no request logic of its own: the web edge calls ``sandbox.pipeline``;
a hot reload calls ``reload``, which swaps one snapshot in with one assignment.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import orjson

from .batches import BatchStore
from .caching import PromptCache
from .errors import FixtureError, StateUnavailableError
from .files import FileStore
from .fixtures.loader import Rule
from .fixtures.playback import Playback
from .fixtures.runtime import compile_runtime
from .headers import SCOPE_HEADERS_KEY, credentials
from .journal.feed import Feed
from .metrics import Metrics
from .pipeline import Pipeline
from .ratelimits import Limits, RateLimiter
from .schema import RequestValidators
from .schema.betas import KNOWN_BETAS
from .settings import Settings
from .signatures import Signer
from .snapshot import Snapshot, load_snapshot
from .state import open_state

RATE_LIMIT_ROWS_KEY = "sandbox.ratelimit_rows"
"""Where the ``anthropic-ratelimit-*`` rows read from Redis wait on the scope."""

log = logging.getLogger("messages_sandbox")


class Sandbox:
    def __init__(
        self,
        settings: Settings,
        *,
        snapshot: Snapshot | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.clock = clock
        # Read first: a fixtures directory that does not load stops the server here.
        self.snapshot = snapshot or load_snapshot(settings)
        # Outside strict mode unknown betas pass: real clients send names no SDK lists.
        self.known_betas: frozenset[str] | None = KNOWN_BETAS if settings.strict else None
        # Resolved once: an unset data dir is a fresh temp dir, shared by files and batches.
        self.data_dir = settings.resolved_data_dir()
        self.organization_id = str(
            uuid.uuid5(uuid.NAMESPACE_URL, "messages-sandbox/" + settings.signing_key)
        )
        # Memory, or Redis with SANDBOX_STATE_URL (shared by every worker and replica).
        self.state = open_state(
            settings,
            clock=clock,
            organization_id=self.organization_id,
            compile_source=self._compile_source,
        )
        self.shared = self.state.shared
        self.call = self.state.call
        self.sessions = self.state.sessions
        self.playback = Playback(self.sessions, strict=settings.strict)
        self.rate_limiter = self.state.rate_limiter
        self.files = FileStore(self.data_dir / "files", clock=clock, index=self.state.files)
        self.batches = BatchStore(
            self.data_dir / "batches",
            delay=settings.batch_delay,
            clock=clock,
            index=self.state.batches,
        )
        self.threads = self.state.threads
        self.journal = self.state.journal
        self.feed = Feed(self.journal)
        self.metrics = Metrics()
        self.pipeline = Pipeline(
            self.current,
            validators=RequestValidators(settings.unknown_fields),
            signer=Signer(
                settings.signing_key,
                accept_foreign=not settings.strict,
                # Signatures recorded from the real API (``recorder``), from the snapshot in force.
                trusted=lambda: self.snapshot.fixtures.signatures,
            ),
            playback=self.playback,
            prompt_cache=PromptCache(clock, entries=self.state.cache_entries),
            rate_limiter=self.rate_limiter,
            files=self.files,
            threads=self.threads,
        )

    def current(self) -> Snapshot:
        return self.snapshot

    def _compile_source(self, text: str, is_json: bool) -> tuple[Rule, ...]:
        """A runtime rules document another process accepted, compiled here (``RedisSessions``)."""
        data = orjson.loads(text) if is_json else None
        return compile_runtime(
            text,
            data,
            fixtures=self.snapshot.fixtures,
            taken={},
            chunk_size=self.settings.stream_chunk_size,
        )

    def reload(self) -> Snapshot:
        """Read the fixtures directory again and swap it in whole. On ``FixtureError``
        nothing changes (the last good snapshot keeps serving); in-flight requests keep
        the snapshot they started with. Sessions (script counters, play counts, rules added
        at run time) and rate-limit counts are kept. Either way ``/metrics`` counts it."""
        try:
            snapshot = load_snapshot(self.settings)
        except FixtureError:
            self.metrics.reloaded(ok=False)
            raise
        self.snapshot = snapshot  # one assignment: atomic for readers
        self.metrics.reloaded(ok=True)
        return snapshot

    def close(self) -> None:
        """Release what the stores hold open (the server's shutdown)."""
        self.journal.close()

    def describe(self) -> str:
        """What is being served, for the start-up log."""
        return f"serving {self.snapshot.summary()}; {self.state.describe()}"

    def rate_limit_headers(self, scope: Mapping[str, Any]) -> list[tuple[bytes, bytes]]:
        """The ``anthropic-ratelimit-*`` family for a response (every response, so cheap)."""
        limits = self.snapshot.limits
        if limits is None:
            return self.rate_limiter.headers("", None)  # the same rows for every key
        if self.shared:
            # Read from Redis beforehand (``note_rate_limits``): this runs on the loop.
            rows = scope.get(RATE_LIMIT_ROWS_KEY)
            return rows if rows is not None else RateLimiter.headers(self.rate_limiter, "", limits)
        return self._rate_limit_rows(scope, limits)

    def note_rate_limits(self, scope: Mapping[str, Any]) -> None:
        """With Redis and rate limits: read the caller's window now (under the bridge) for
        ``rate_limit_headers``; a Redis that does not answer leaves the full limits shown."""
        limits = self.snapshot.limits
        if limits is None or not self.shared:
            return
        try:
            rows = self._rate_limit_rows(scope, limits)
        except StateUnavailableError:
            return
        scope[RATE_LIMIT_ROWS_KEY] = rows  # type: ignore[index]

    async def prepare_response(self, scope: Mapping[str, Any]) -> None:
        """What the response headers of a request other than ``POST /v1/messages`` need
        from Redis (web.front calls this with ``SANDBOX_STATE_URL`` set)."""
        if self.snapshot.limits is not None:
            await self.call(self.note_rate_limits, scope)

    def _rate_limit_rows(
        self, scope: Mapping[str, Any], limits: Limits
    ) -> list[tuple[bytes, bytes]]:
        # The routes keep the headers dict on the scope; a request refused before any route
        # ran (404, preflight) has it made here.
        headers = scope.get(SCOPE_HEADERS_KEY) or dict(scope.get("headers", ()))
        keys = credentials(headers)
        return self.rate_limiter.headers(keys[0] if keys else "", limits)
