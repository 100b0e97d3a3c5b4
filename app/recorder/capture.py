"""From a relayed ``POST /v1/messages`` to a recorded exchange: parse, scrub, keep, write.

Shared by ``record`` (the proxy) and ``serve --record-on-miss`` (the sandbox forwarding
what no rule answered).

Deliberate choices, what is recorded:
- a Message (JSON or a whole stream) and every error in Anthropic's envelope, except
  401 and 403: those are about the caller's key, not the conversation, and a replay with
  CI's dummy key would be refused forever;
- not: a stream that did not reach ``message_stop`` (the client went away, the upstream
  failed or sent an ``error`` event), an error body that is not the envelope (a proxy's HTML
  page), a request body that is not a JSON object.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import Any

import anyio
import orjson

from .exchange import Exchange, UpstreamError
from .recording import Recording
from .redact import Redactor
from .upstream import Relayed

log = logging.getLogger("messages_sandbox.recorder")

NOT_RECORDED_STATUSES = frozenset({401, 403})


class Capture:
    def __init__(self, recording: Recording, redactor: Redactor) -> None:
        self.recording = recording
        self.redactor = redactor

    def exchange(
        self, body: bytes, headers: Iterable[tuple[bytes, bytes]], relayed: Relayed
    ) -> Exchange | None:
        """The exchange to record, secrets scrubbed; None when there is nothing to record."""
        try:
            request = orjson.loads(body)
        except orjson.JSONDecodeError:
            return None
        if not isinstance(request, dict):
            return None
        answer: dict[str, Any] | UpstreamError
        secrets = self.redactor.secrets(
            {k.decode("latin-1"): v.decode("latin-1") for k, v in headers}
        )
        scrub = self.redactor.scrub
        if relayed.message is not None:
            answer = scrub(relayed.message, secrets)
        elif relayed.error is not None:
            if relayed.error.status in NOT_RECORDED_STATUSES:
                log.info("not recorded: a %d is about the key", relayed.error.status)
                return None
            error = relayed.error
            answer = UpstreamError(
                error.status,
                error.type,
                self.redactor.text(error.message, secrets),
                error.headers,
                error.error_code,
            )
        else:
            log.warning("not recorded: a %d answer that is no Message nor error", relayed.status)
            return None
        return Exchange(
            request=scrub(request, secrets),
            answer=answer,
            request_id=relayed.request_id,
            at=time.time(),
            stream=relayed.pacing.options() if relayed.pacing is not None else {},
        )

    async def record(
        self, body: bytes, headers: Iterable[tuple[bytes, bytes]], relayed: Relayed
    ) -> Exchange | None:
        """Record the exchange (the file is written in a worker thread: the event loop
        keeps serving meanwhile); OSError when the file cannot be written."""
        exchange = self.exchange(body, headers, relayed)
        if exchange is not None:
            await anyio.to_thread.run_sync(self.recording.add, exchange)
            log.info("recorded %s into %s", exchange.request_id, self.recording.path)
        return exchange
