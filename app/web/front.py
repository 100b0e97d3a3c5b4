"""The one middleware every HTTP request passes: CORS for a browser's request, its request id,
the real API's common headers, its journal entry, and a 500 envelope for anything unexpected.

* A request with an ``Origin`` header (a browser's) goes through the CORS rules (``cors``)
  first, before anything else, and then comes back here; any other request (SDKs, curl,
  servers: almost all of them) pays one dict lookup for it, where a middleware of its own
  around this one cost ~5,300 instructions per request (bench/results.md).

* It assigns the request id (``scope["state"]["request_id"]``) before routing and stamps
  ``request-id``, ``anthropic-organization-id`` and the ``anthropic-ratelimit-*`` family on
  every response.
* It records the exchange in the request journal (``journal.Journal``): the request body is
  teed as the app reads it (never read a second time); the final status and headers come
  from ``http.response.start``; an error response's body is kept (up to ``ERROR_CAP``) for
  its ``error.type`` and message. The sandbox's own surface (``/_sandbox/...``) and
  ``/health`` are not recorded. An entry is recorded just before the last body message is
  passed on, so a client that has seen the end of its response always finds it.
* An exception nothing handled becomes a 500 envelope (the traceback goes to the log, never
  to the client), stamped and recorded like any other answer.
* A path under ``/session/S`` enters session S here (``session_path``), once, before
  anything else reads the path; an admin path passes ``admin_guard`` before any route.
* It keeps the figures of ``GET /metrics`` (``app.metrics``): one dict entry per answer of
  the API surface; a stream's duration and time to first token; the streams in flight.

One layer with one ``send`` wrapper rather than one middleware per concern: each layer's
extra awaits per ASGI message cost ~5 µs per request live (bench/results.md).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from time import perf_counter

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import ApiError, ApiInternalError
from ..fixtures.playback import RULE_HEADER
from ..ids import request_id
from ..journal import MESSAGE_KEY, Journal, Recorder, record
from ..metrics import UNROUTED, Metrics
from .admin_guard import AdminGuard, page_file
from .body import BODY_KEY
from .cors import CorsMiddleware
from .responses import (
    BODY_FOLLOWS,
    HEAD_TAIL,
    JSON_BYTES,
    SSE_BYTES,
    HeadTail,
    WholeBody,
    error_response,
)
from .routes.messages import PATH as MESSAGES
from .routes.messages import Endpoint
from .scope import scope_headers
from .session_path import SESSION_PREFIX, enter_session, is_admin

log = logging.getLogger("messages_sandbox")

HeaderSource = Callable[[Scope], list[tuple[bytes, bytes]]]
ADMIN_PREFIX = "/_sandbox/"
UNRECORDED = frozenset({"/health", "/metrics", "/_sandbox"})
_RULE_HEADER = RULE_HEADER.encode()
_FIRST_TOKEN = b"event: content_block_delta"
CORS_PASSED_KEY = "sandbox.cors_passed"
"""On the scope of a browser's request the CORS rules have let through (``Front.__call__``)."""


class Front:
    """``app`` serves every route; ``messages`` (``POST /v1/messages``) is asked for its
    answer directly, and a complete answer is stamped, recorded and written here with no
    wrapper around ``send`` (the hot path of every client)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        messages: Endpoint,
        organization_id: str,
        extra: HeaderSource,
        journal: Journal,
        metrics: Metrics,
        guard: AdminGuard | None = None,
        prepare: Callable[[Scope], Awaitable[None]] | None = None,
        allow_any_origin: bool = False,
    ) -> None:
        self.app = app
        self.cors = CorsMiddleware(self, allow_any_origin=allow_any_origin)
        """The CORS rules, around this very layer: a browser's request passes them first (a
        preflight is answered there, before auth; an answer, even a 500, gets their headers
        on its way out), then comes back in."""
        self.messages = messages
        self.org = organization_id.encode()
        self.extra = extra
        self._tail = HeadTail((), None)
        """The organization id and ``extra``'s last rows, which end every head (``_head``)."""
        self.journal = journal
        self.guard = guard or AdminGuard()
        self.metrics = metrics
        self.tally = metrics.messages
        self.prepare = prepare
        """With Redis (``SANDBOX_STATE_URL``): reads what ``extra`` will need, before a route
        other than ``POST /v1/messages`` runs (``extra`` runs on the loop, never waits)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if b"origin" in scope_headers(scope) and CORS_PASSED_KEY not in scope:
            scope[CORS_PASSED_KEY] = True
            await self.cors(scope, receive, send)
            return
        rid = request_id()
        scope.setdefault("state", {})["request_id"] = rid
        path: str = scope["path"]
        if path != MESSAGES and path.startswith(SESSION_PREFIX):
            try:
                path = enter_session(scope)
            except ApiError as exc:
                await self._stamped(error_response(exc, rid), scope, receive, send, rid, None)
                return
        if path == MESSAGES and scope["method"] == "POST":
            # The endpoint's answer, written here: inline rather than in a method of its own,
            # one coroutine fewer on every client's path (~1,000 instructions).
            started = perf_counter()
            try:
                response: ASGIApp = await self.messages.respond(scope, receive)
            except Exception:
                response = internal_error(scope, rid)
            if isinstance(response, WholeBody):
                await self._write(response, scope, rid, started, send)
            else:
                await self._streamed(response, scope, receive, send, rid, started)
            return
        if is_admin(path):
            refusal = self.guard.refusal(
                scope_headers(scope), token=not page_file(scope["method"], path)
            )
            if refusal is not None:
                await self._stamped(error_response(refusal, rid), scope, receive, send, rid, None)
                return
        if self.prepare is not None:
            await self.prepare(scope)
        recorder = self._recorder(scope)
        if recorder is not None:
            receive = _teed(receive, recorder)
        await self._stamped(self.app, scope, receive, send, rid, recorder)

    async def _streamed(
        self,
        response: ASGIApp,
        scope: Scope,
        receive: Receive,
        send: Send,
        rid: str,
        started: float,
    ) -> None:
        """``POST /v1/messages`` answered by a stream that writes itself (paced or faulted)."""
        recorder = self._recorder(scope, started)
        if recorder is not None:
            # The endpoint read the body with ``read_body``, which leaves it on the scope.
            recorder.add_body(scope[BODY_KEY])
        # A stream written over time (paced or faulted; or an upstream's answer forwarded by
        # ``serve --record-on-miss``, which may be JSON): its figures for ``/metrics``.
        metrics = self.metrics
        stream = False
        first_token: float | None = None

        async def timed(message: Message) -> None:
            nonlocal stream, first_token
            kind = message["type"]
            if kind == "http.response.start":
                stream = _is_stream(message.get("headers", ()))
                if stream:
                    metrics.active_streams += 1
            elif (
                stream
                and first_token is None
                and kind == "http.response.body"
                and _FIRST_TOKEN in message.get("body", b"")
            ):
                first_token = perf_counter() - started
            await send(message)

        try:
            await self._stamped(response, scope, receive, timed, rid, recorder)
        finally:
            if stream:
                metrics.active_streams -= 1
                metrics.streamed(perf_counter() - started, first_token)

    async def _stamped(
        self,
        app: ASGIApp,
        scope: Scope,
        receive: Receive,
        send: Send,
        rid: str,
        recorder: Recorder | None,
    ) -> None:
        """Run ``app`` with a ``send`` that stamps and records what it writes; an answer
        cut short (the app failed mid-answer, or a stream was cut on purpose) is recorded
        as incomplete."""
        started = finished = False

        async def stamped(message: Message) -> None:
            nonlocal started, finished
            kind = message["type"]
            if kind == "http.response.start":
                started = True
                own = message.get("headers", ())
                self._count(scope, message["status"], own)
                if recorder is not None:
                    recorder.answered(message["status"], own)
                message["headers"], message[HEAD_TAIL] = self._head(own, rid, scope)
            elif kind == "http.response.body" and not message.get("more_body", False):
                finished = True
                if recorder is not None and not recorder.recorded:
                    recorder.add_answer(message.get("body", b""))
                    answer = scope.get(MESSAGE_KEY)
                    entry = recorder.finish(rid, complete=True, message=answer)
                    if self.journal.shared:
                        await self.journal.add_async(entry)
                    else:
                        self.journal.add(entry)
            elif recorder is not None:
                recorder.add_answer(message.get("body", b""))
            await send(message)

        try:
            await app(scope, receive, stamped)
        except Exception:
            if finished:
                # Starlette re-raises after its error handler answered (``api``'s
                # ``_unhandled`` logged it and wrote the envelope): nothing left to do.
                return
            if started:
                raise
            await internal_error(scope, rid).send(stamped)
        finally:
            if recorder is not None and not recorder.recorded:
                answer = scope.get(MESSAGE_KEY)
                entry = recorder.finish(rid, complete=False, message=answer)
                if self.journal.shared:
                    await self.journal.add_async(entry)
                else:
                    self.journal.add(entry)

    async def _write(
        self, response: WholeBody, scope: Scope, rid: str, started: float, send: Send
    ) -> None:
        """A complete answer: counted, recorded, then written in two messages back to back
        (``BODY_FOLLOWS``: our server writes them in one system call), no wrapper. Recorded
        before anything goes out, so a client that has seen its response always finds it in
        the journal, and nothing can fail between the head and the body."""
        journal = self.journal
        status = response.status
        # The metrics: a plain dict entry (``metrics.Metrics.messages``), inline; an answer
        # with no header of its own (the default responder's) is keyed by its status alone.
        tally = self.tally
        extra = response.extra
        key = (status, extra.get(RULE_HEADER)) if extra else status
        tally[key] = tally.get(key, 0) + 1
        if response.content_type is SSE_BYTES:
            # A stream written in one piece: its first token and its end are now.
            elapsed = perf_counter() - started
            self.metrics.streamed(elapsed, elapsed)
        if journal.enabled:
            message = scope.get(MESSAGE_KEY)
            if message is not None and status < 400 and response.content_type is JSON_BYTES:
                message = response.body  # the same Message, with no tree of objects to keep
            entry = record(
                started,
                # The constants, not the scope's: those are new strings on every request,
                # and what a record holds stays alive for a thousand requests.
                "POST",
                MESSAGES,
                scope["query_string"],
                scope["headers"],
                scope.get(BODY_KEY),
                status,
                response.content_type,
                response.extra,
                response.body if status >= 400 else None,
                rid,
                # By position (``record``): complete, digest, message, message_size.
                True,
                None,
                message,
                len(response.body),
            )
            if journal.shared:
                await journal.add_async(entry)
            else:
                journal.add(entry)
        headers, tail = self._head(response.headers, rid, scope)
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": headers,
                BODY_FOLLOWS: True,
                HEAD_TAIL: tail,
            }
        )
        await send({"type": "http.response.body", "body": response.body})

    def _head(
        self, own: Iterable[tuple[bytes, bytes]], rid: str, scope: Scope
    ) -> tuple[list[tuple[bytes, bytes]], HeadTail]:
        """A response's headers, stamped, and the ``HeadTail`` that ends them: a new one when
        ``extra`` gives new rows (every second without configured limits), so that our
        server checks and joins those ~13 headers once, not per answer (live small request:
        365 K -> 343 K instructions)."""
        rows = self.extra(scope)
        tail = self._tail
        if rows is not tail.source:
            tail = self._tail = HeadTail(((b"anthropic-organization-id", self.org), *rows), rows)
        return [*own, (b"request-id", rid.encode()), *tail.pairs], tail

    def _count(self, scope: Scope, status: int, headers: Iterable[tuple[bytes, bytes]]) -> None:
        """The metrics of an answer that does not pass ``_write``."""
        path: str = scope["path"]
        if path == MESSAGES and scope["method"] == "POST":
            # A stream written over time (complete answers are counted by ``_write``).
            rule = next((v.decode("latin-1") for k, v in headers if k == _RULE_HEADER), None)
            self.metrics.answered_message(status, rule)
        elif not (path in UNRECORDED or path.startswith(ADMIN_PREFIX)):
            # Starlette's router leaves the route it chose on the scope: its template keeps
            # the label's values bounded (``/v1/files/{file_id}``).
            route = scope.get("route")
            self.metrics.answered_route(getattr(route, "path", UNROUTED), status)

    def _recorder(self, scope: Scope, started: float | None = None) -> Recorder | None:
        path: str = scope["path"]
        if not self.journal.enabled or path in UNRECORDED or path.startswith(ADMIN_PREFIX):
            return None
        query = scope.get("query_string", b"")
        return Recorder(scope["method"], path, query, scope["headers"], started)


def _is_stream(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    return any(k == b"content-type" and v.startswith(b"text/event-stream") for k, v in headers)


def _teed(receive: Receive, recorder: Recorder) -> Receive:
    async def teed() -> Message:
        message = await receive()
        if message["type"] == "http.request":
            recorder.add_body(message.get("body", b""))
        return message

    return teed


def internal_error(scope: Scope, rid: str) -> WholeBody:
    """An exception nothing handled: logged with its traceback, answered with the envelope."""
    log.exception("unhandled error while serving %s %s", scope["method"], scope["path"])
    return error_response(ApiInternalError("Internal server error"), rid)
