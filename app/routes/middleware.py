"""Pure ASGI middleware that gives every response the real API's common headers.

It assigns the request id (``scope["state"]["request_id"]``) before routing, stamps
``request-id``, ``anthropic-organization-id`` and the ``anthropic-ratelimit-*`` family on
every response, and turns any unexpected exception into a 500 envelope (a traceback goes
to the log, never to the client).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import ApiInternalError, envelope_bytes
from ..ids import request_id

log = logging.getLogger("messages_sandbox")

HeaderSource = Callable[[Scope], list[tuple[bytes, bytes]]]


class CommonHeaders:
    def __init__(self, app: ASGIApp, *, organization_id: str, extra: HeaderSource) -> None:
        self.app = app
        self.org = organization_id.encode()
        self.extra = extra

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = request_id()
        scope.setdefault("state", {})["request_id"] = rid
        started = False

        async def stamped(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", ()))
                headers.append((b"request-id", rid.encode()))
                headers.append((b"anthropic-organization-id", self.org))
                headers.extend(self.extra(scope))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, stamped)
        except Exception:
            log.exception("unhandled error while serving %s %s", scope["method"], scope["path"])
            if started:
                raise
            error = ApiInternalError("Internal server error")
            body = envelope_bytes(error, rid)
            await stamped(
                {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
