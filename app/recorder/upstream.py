"""The upstream a recorder forwards to: one request relayed over ASGI, answer passed through.

``Upstream.relay`` sends the caller's request (its own auth and ``anthropic-*`` headers;
hop-by-hop headers and ``host`` are the connection's, not the caller's) and writes the
upstream's answer back as it arrives: its status, its headers, and its body chunk by chunk,
never buffered whole, so a stream reaches the client at the upstream's pace. A ``Tap`` sees
the same chunks go by to assemble what will be recorded.

Deliberate choices:
- the upstream is asked for ``accept-encoding: identity``, so the bytes the client gets are
  the bytes the upstream sent, framing (``content-length``) included; an upstream that
  compresses anyway is decoded and passed on without ``content-encoding``;
- an upstream that cannot be reached is a **502** ``api_error``, one that does not answer in
  time a **504** ``timeout_error``, both in Anthropic's envelope (the SDKs retry both);
  an upstream that fails after its answer began ends the stream with an ``error`` event
  (``api_error``) or, for JSON, cuts the connection; none of these is recorded;
- a client that goes away mid-answer closes the upstream request at once; nothing of that
  exchange is recorded.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

import anyio
import httpx
import orjson

from ..errors import ApiError, TimeoutError_, envelope_bytes
from ..message.render import encode_event
from .exchange import UpstreamError
from .stream import MessageAccumulator, Pacing, SseDecoder, StreamError

log = logging.getLogger("messages_sandbox.recorder")

DEFAULT_UPSTREAM = "https://api.anthropic.com"
# Connection-level headers (RFC 9110 7.6.1) and those httpx sets from the request itself.
_HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
    }
)
_NOT_FORWARDED = _HOP_BY_HOP | {b"host", b"content-length", b"accept-encoding"}
_JSON_CAP = 64 * 1024 * 1024
"""A JSON answer larger than this is passed on but not recorded."""


class UpstreamUnreachable(ApiError):
    status = 502
    type = "api_error"


@dataclass
class Relayed:
    """What went by, once the whole answer has been passed on."""

    status: int
    headers: dict[str, str]
    """Lower-cased names."""
    message: dict[str, Any] | None = None
    """The Message of a successful ``/v1/messages`` answer (JSON or reassembled stream)."""
    error: UpstreamError | None = None
    json: Any = None
    """Any other JSON answer the tap kept."""
    pacing: Pacing | None = None

    @property
    def request_id(self) -> str | None:
        return self.headers.get("request-id")


@dataclass
class Tap:
    """Assembles what an answer says while its chunks go by. ``messages``: a Message or an
    error; otherwise the JSON body (``GET /v1/models``)."""

    messages: bool = True
    keep_json: bool = False
    _sse: SseDecoder | None = None
    _acc: MessageAccumulator | None = None
    _parts: list[bytes] = field(default_factory=list)
    _size: int = 0
    pacing: Pacing | None = None
    broken: str | None = None
    """Why the stream going by cannot be recorded (it is still passed on whole)."""

    def start(self, status: int, content_type: str) -> None:
        if status == 200 and self.messages and content_type.startswith("text/event-stream"):
            self._sse, self._acc, self.pacing = SseDecoder(), MessageAccumulator(), Pacing()

    def feed(self, chunk: bytes, at: float) -> None:
        if self._sse is not None and self._acc is not None and self.pacing is not None:
            if self.broken is not None:
                return
            try:
                for name, data in self._sse.feed(chunk):
                    delta = self._acc.add(name, data)
                    if delta is not None:
                        self.pacing.delta(at, delta)
            except StreamError as exc:
                # A stream the client may still read, but not one to record: pass it on.
                self.broken = f"{type(exc).__name__}: {exc}"
            return
        self._size += len(chunk)
        if self._size <= _JSON_CAP:
            self._parts.append(chunk)

    def finish(self, relayed: Relayed) -> None:
        """Fill in ``relayed`` (raises StreamError for a stream that cannot be folded)."""
        acc = self._acc
        if self.broken is not None:
            raise StreamError(f"the stream could not be folded into a Message ({self.broken})")
        if acc is not None and self._sse is not None and self.pacing is not None:
            for name, data in self._sse.close():
                delta = acc.add(name, data)
                if delta is not None:
                    self.pacing.delta(self.pacing.last_delta or 0.0, delta)
            if acc.error is not None or not acc.complete or acc.message is None:
                raise StreamError("the stream ended without message_stop")
            relayed.message, relayed.pacing = acc.message, self.pacing
            return
        if self._size > _JSON_CAP:
            return
        body = b"".join(self._parts)
        if relayed.status >= 400:
            relayed.error = UpstreamError.of(relayed.status, body, relayed.headers)
            return
        try:
            value = orjson.loads(body)
        except orjson.JSONDecodeError:
            return
        if self.messages:
            if isinstance(value, dict) and value.get("type") == "message":
                relayed.message = value
        elif self.keep_json:
            relayed.json = value


OnComplete = Callable[[Relayed], Awaitable[None]]
HeaderList = list[tuple[bytes, bytes]]
HeaderFilter = Callable[[HeaderList], HeaderList]
# ASGI, spelled out here (as starlette.types has it): only app/web knows Starlette.
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
Asgi = Callable[[Scope, Receive, Send], Awaitable[None]]


class Upstream:
    def __init__(self, base_url: str = DEFAULT_UPSTREAM, *, timeout: float = 600.0) -> None:
        self.base_url = base_url.rstrip("/")
        # One pool for every forwarded request. Read timeout as the SDKs' default (10 min):
        # a long generation is not a failure.
        self.client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=10.0), follow_redirects=False
        )

    async def aclose(self) -> None:
        await self.client.aclose()

    async def relay(
        self,
        *,
        method: str,
        path: str,
        query: bytes,
        headers: Iterable[tuple[bytes, bytes]],
        body: bytes | AsyncIterator[bytes],
        receive: Receive,
        send: Send,
        request_id: str,
        tap: Tap | None = None,
        headers_out: HeaderFilter | None = None,
        on_complete: OnComplete | None = None,
    ) -> Relayed | None:
        """Forward one request and pass its answer on; the ``Relayed`` answer once it was
        passed on whole (``on_complete`` ran just before its last byte), else None.

        ``headers_out`` rewrites the response headers; it is given when the sandbox forwards
        a miss, and then the sandbox stamps its own ``request-id`` (on a failure's envelope
        too, whose body names ``request_id``)."""
        url = self.base_url + path + ("?" + query.decode("latin-1") if query else "")
        # A streamed body keeps the caller's content-length (httpx then sends it as is).
        skip = _NOT_FORWARDED if isinstance(body, bytes) else _NOT_FORWARDED - {b"content-length"}
        sent_headers = [(k, v) for k, v in headers if k.lower() not in skip]
        sent_headers.append((b"accept-encoding", b"identity"))
        started = time.perf_counter()
        try:
            request = self.client.build_request(method, url, headers=sent_headers, content=body)
            response = await self.client.send(request, stream=True)
        except httpx.TimeoutException as exc:
            error: ApiError = TimeoutError_(
                f"The upstream {self.base_url} did not answer in time ({type(exc).__name__})."
            )
            await _send_error(send, error, request_id, stamp=headers_out is None)
            return None
        except httpx.HTTPError as exc:
            error = UpstreamUnreachable(
                f"The upstream {self.base_url} could not be reached ({type(exc).__name__}: {exc})."
            )
            await _send_error(send, error, request_id, stamp=headers_out is None)
            return None
        try:
            return await self._pass_on(
                response, receive, send, started, tap, headers_out, on_complete, request_id
            )
        finally:
            await response.aclose()

    async def _pass_on(
        self,
        response: httpx.Response,
        receive: Receive,
        send: Send,
        started: float,
        tap: Tap | None,
        headers_out: HeaderFilter | None,
        on_complete: OnComplete | None,
        request_id: str,
    ) -> Relayed | None:
        encoded = "content-encoding" in response.headers
        out_headers = []
        for name, value in response.headers.raw:
            name = name.lower()
            if name in _HOP_BY_HOP:
                continue
            if encoded and name in (b"content-encoding", b"content-length"):
                continue  # aiter_bytes decodes: the client gets the decoded body
            out_headers.append((name, value))
        if headers_out is not None:
            out_headers = headers_out(out_headers)
        relayed = Relayed(response.status_code, {k.lower(): v for k, v in response.headers.items()})
        content_type = response.headers.get("content-type", "")
        if tap is not None:
            tap.start(response.status_code, content_type)
        await send(
            {"type": "http.response.start", "status": response.status_code, "headers": out_headers}
        )
        # With a content-length the client is done at the last byte, not at the end of the
        # body: that last chunk waits for ``on_complete``, so a client that has its whole
        # answer finds it recorded (and, on a miss, served).
        length = None if encoded else response.headers.get("content-length")
        left = int(length) if length is not None and length.isdigit() else None
        last = b""
        gone = failed = False
        async with anyio.create_task_group() as group:

            async def watch() -> None:
                nonlocal gone
                while (await receive())["type"] != "http.disconnect":
                    pass
                gone = True
                group.cancel_scope.cancel()

            group.start_soon(watch)
            try:
                async for chunk in response.aiter_bytes():
                    if tap is not None:
                        tap.feed(chunk, time.perf_counter() - started)
                    if left is not None:
                        left -= len(chunk)
                        if left <= 0:
                            last = chunk
                            continue
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
            except httpx.HTTPError as exc:
                failed = True
                log.warning("upstream failed mid-answer (%s): nothing recorded", exc)
            group.cancel_scope.cancel()
        if gone:
            log.info("client went away mid-answer: nothing recorded")
            return None
        if failed:
            if last:
                await send({"type": "http.response.body", "body": last, "more_body": True})
            if content_type.startswith("text/event-stream"):
                error = UpstreamUnreachable("The upstream connection was lost mid-stream.")
                event = encode_event("error", error.body(request_id))
                await send({"type": "http.response.body", "body": event, "more_body": False})
            # A JSON answer cut short: returning unfinished makes the server cut the
            # connection, so the client sees an incomplete read rather than bad JSON.
            return None
        complete: Relayed | None = relayed
        if tap is not None:
            try:
                tap.finish(relayed)
            except StreamError as exc:
                log.warning("upstream stream not recorded: %s", exc)
                complete = None
        if complete is not None and on_complete is not None:
            try:
                await on_complete(complete)
            except Exception:
                log.exception("could not record the exchange")
        await send({"type": "http.response.body", "body": last, "more_body": False})
        return complete


async def _send_error(send: Send, error: ApiError, request_id: str, *, stamp: bool) -> None:
    body = envelope_bytes(error, request_id)
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", b"%d" % len(body)),
        (b"x-should-retry", b"true"),
    ]
    if stamp:
        headers.append((b"request-id", request_id.encode()))
    await send({"type": "http.response.start", "status": error.status_code, "headers": headers})
    await send({"type": "http.response.body", "body": body})
