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

from .batches import BatchStore
from .caching import PromptCache
from .errors import FixtureError
from .files import FileStore
from .fixtures.playback import Playback
from .headers import SCOPE_HEADERS_KEY, credentials
from .journal import Journal
from .journal.feed import Feed
from .metrics import Metrics
from .pipeline import Pipeline
from .ratelimits import RateLimiter
from .schema import RequestValidators
from .schema.betas import KNOWN_BETAS
from .sessions import MemorySessions
from .settings import Settings
from .signatures import Signer
from .snapshot import Snapshot, load_snapshot
from .threads import ThreadStore

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
        self.sessions = MemorySessions(
            idle=settings.session_idle, capacity=settings.session_capacity, clock=clock
        )
        self.playback = Playback(self.sessions, strict=settings.strict)
        self.rate_limiter = RateLimiter(
            window=settings.rate_limit_window, clock=clock, organization_id=self.organization_id
        )
        self.files = FileStore(self.data_dir / "files", clock=clock)
        self.batches = BatchStore(
            self.data_dir / "batches", delay=settings.batch_delay, clock=clock
        )
        self.threads = ThreadStore(settings.thread_capacity, settings.thread_unsupported)
        self.journal = Journal(settings.journal_size, settings.journal_file)
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
            prompt_cache=PromptCache(clock),
            rate_limiter=self.rate_limiter,
            files=self.files,
            threads=self.threads,
        )

    def current(self) -> Snapshot:
        return self.snapshot

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
        return f"serving {self.snapshot.summary()}"

    def rate_limit_headers(self, scope: Mapping[str, Any]) -> list[tuple[bytes, bytes]]:
        """The ``anthropic-ratelimit-*`` family for a response (every response, so cheap)."""
        limits = self.snapshot.limits
        if limits is None:
            return self.rate_limiter.headers("", None)  # the same rows for every key
        # The routes keep the headers dict on the scope; a request refused before any route
        # ran (404, preflight) has it made here.
        headers = scope.get(SCOPE_HEADERS_KEY) or dict(scope.get("headers", ()))
        keys = credentials(headers)
        return self.rate_limiter.headers(keys[0] if keys else "", limits)
