"""An ASGI app served in this process, reached through httpx transports (no socket).

``AppThread`` runs the app (and its lifespan) on a private event loop in a daemon thread.
``sync_transport`` and ``async_transport`` hand each request to that loop and stream the
answer back as the app writes it: a paced stream arrives event by event, a client that closes
a response early is a disconnect the app sees, an answer cut short is the
``RemoteProtocolError`` a real connection gives. They are built for ``httpx`` (raw HTTP in
tests) or ``httpx2`` (the official SDK's HTTP client, which refuses ``httpx`` objects), so a
test drives the app exactly as a client would, minus the socket (~1 ms per SDK request).

Why not ``httpx.ASGITransport`` / Starlette's ``TestClient``: the SDK cannot take them (both
are ``httpx``, not ``httpx2``), and both run the app to the end before the client sees the
first byte, so a stream could not be read while it is written (a thread continued while its
stream is in flight, pings before the first delta). One app loop for the sync and the async
clients also keeps every app object on one loop, as under uvicorn.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import Future
from typing import Any

import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("tests.inprocess")

# What the app side sends the client side, in order: ("start", message), ("body", bytes),
# ("end", None) when the body is complete, ("cut", None) when the app returned or failed
# with the body unfinished, ("fail", exc) when it failed before answering.
Event = tuple[str, Any]
DEFAULT_WAIT = 60.0
"""Seconds a client waits for the app's next message when the request sets no timeout."""


class AppThread:
    """``app`` on its own event loop thread, started (lifespan) and stopped like a server."""

    def __init__(self, app: ASGIApp, name: str = "asgi-app") -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._state: dict[str, Any] = {}
        self._shutdown: asyncio.Event | None = None
        self._lifespan: Future[None] | None = None
        self._thread.start()
        self._start_lifespan()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def submit(self, coro: Any) -> Future[Any]:
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    # -- lifespan, as uvicorn's "auto": an app without one is served all the same ------------
    def _start_lifespan(self) -> None:
        started: Future[None] = Future()
        self._lifespan = self.submit(self._run_lifespan(started))
        started.result(timeout=DEFAULT_WAIT)

    async def _run_lifespan(self, started: Future[None]) -> None:
        self._shutdown = asyncio.Event()
        stage = "startup"

        async def receive() -> Message:
            if stage == "startup":
                return {"type": "lifespan.startup"}
            assert self._shutdown is not None
            await self._shutdown.wait()
            return {"type": "lifespan.shutdown"}

        async def send(message: Message) -> None:
            nonlocal stage
            if message["type"] == "lifespan.startup.complete":
                stage = "running"
                started.set_result(None)
            elif message["type"] == "lifespan.startup.failed":
                started.set_exception(RuntimeError(message.get("message", "startup failed")))

        scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": self._state}
        try:
            await self.app(scope, receive, send)
        except BaseException as exc:
            if not started.done():
                # No lifespan support: serve without one (uvicorn's "auto").
                log.debug("app has no lifespan: %r", exc)
                started.set_result(None)
            elif stage == "running":
                raise

    def stop(self) -> None:
        if not self._thread.is_alive():
            return
        if self._shutdown is not None:
            self.loop.call_soon_threadsafe(self._shutdown.set)
        if self._lifespan is not None:
            with contextlib.suppress(Exception):
                self._lifespan.result(timeout=DEFAULT_WAIT)
        self.submit(self._cancel_the_rest()).result(timeout=DEFAULT_WAIT)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(DEFAULT_WAIT)
        self.loop.close()

    async def _cancel_the_rest(self) -> None:
        current = asyncio.current_task()
        tasks = [t for t in asyncio.all_tasks() if t is not current]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self.loop.shutdown_asyncgens()

    # -- one HTTP exchange --------------------------------------------------------------------
    def exchange(self, request: httpx.Request, body: bytes, deliver: Callable[[Event], None]):
        """Start serving ``request``; what the app writes goes to ``deliver`` (called on the
        app loop). Returns the function a client calls to disconnect."""
        disconnected = threading.Event()
        holder: dict[str, asyncio.Event] = {}

        def disconnect() -> None:
            if disconnected.is_set():
                return
            disconnected.set()
            event = holder.get("event")
            if event is not None and not self.loop.is_closed():
                with contextlib.suppress(RuntimeError):
                    self.loop.call_soon_threadsafe(event.set)

        async def serve() -> None:
            holder["event"] = gone = asyncio.Event()
            if disconnected.is_set():
                gone.set()
            await _serve(self.app, _scope(request, self._state), body, deliver, gone)

        self.submit(serve())
        return disconnect


def _scope(request: httpx.Request, state: dict[str, Any]) -> Scope:
    url = request.url
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": request.method,
        "scheme": url.scheme,
        "path": url.path,
        "raw_path": url.raw_path.split(b"?")[0],
        "query_string": url.query,
        "root_path": "",
        "headers": [(k.lower(), v) for k, v in request.headers.raw],
        "client": ("127.0.0.1", 50000),
        "server": (url.host, url.port or (443 if url.scheme == "https" else 80)),
        "state": dict(state),
    }


async def _serve(
    app: ASGIApp, scope: Scope, body: bytes, deliver: Callable[[Event], None], gone: asyncio.Event
) -> None:
    """Run the app for one request as uvicorn would: the body in one message, then
    ``http.disconnect`` once the client went away or the answer is complete."""
    sent_request = False
    started = finished = False

    async def receive() -> Message:
        nonlocal sent_request
        if not sent_request:
            sent_request = True
            return {"type": "http.request", "body": body, "more_body": False}
        await gone.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        nonlocal started, finished
        if gone.is_set() and not finished:
            return  # the client went away: uvicorn drops what is written after that
        kind = message["type"]
        if kind == "http.response.start":
            started = True
            deliver(("start", message))
        elif kind == "http.response.body":
            chunk = message.get("body", b"")
            if chunk:
                deliver(("body", chunk))
            if not message.get("more_body", False):
                finished = True
                deliver(("end", None))
                gone.set()  # like uvicorn: receive() answers disconnect once the answer is out

    receive_: Receive = receive
    send_: Send = send
    try:
        await app(scope, receive_, send_)
    except BaseException as exc:
        # uvicorn logs an exception after a complete answer and cuts an unfinished one.
        if finished:
            log.error("exception after the response was complete", exc_info=exc)
        elif started:
            deliver(("cut", None))
        else:
            deliver(("fail", exc))
        if not isinstance(exc, Exception):
            raise
        return
    if not finished:
        deliver(("cut", None) if started else ("fail", RuntimeError("no response")))


def _wait(request: Any) -> float:
    timeout = request.extensions.get("timeout", {})
    read = timeout.get("read") if isinstance(timeout, dict) else None
    return DEFAULT_WAIT if read is None else float(read)


class _Http:
    """The parts of one httpx package the transports use: ``httpx`` for raw HTTP in tests,
    ``httpx2`` for the official SDK (which refuses ``httpx`` objects)."""

    def __init__(self, mod: Any) -> None:
        self.mod = mod
        self.sync_body = type("SyncBody", (_SyncBody, mod.SyncByteStream), {})
        self.async_body = type("AsyncBody", (_AsyncBody, mod.AsyncByteStream), {})

    def response(self, request: Any, start: Message, stream: Any) -> Any:
        headers = [(bytes(k), bytes(v)) for k, v in start.get("headers", ())]
        return self.mod.Response(start["status"], headers=headers, stream=stream, request=request)

    def no_answer(self, request: Any, kind: str, value: Any) -> Any:
        if kind == "fail":
            # uvicorn's answer to an app that failed before answering.
            log.error("exception before the response started", exc_info=value)
            return self.mod.Response(
                500,
                headers=[(b"content-type", b"text/plain; charset=utf-8")],
                content=b"Internal Server Error",
                request=request,
            )
        raise self.mod.RemoteProtocolError("Server disconnected without sending a response.")

    def cut(self) -> Exception:
        return self.mod.RemoteProtocolError(
            "peer closed connection without sending complete message body"
        )

    def timeout(self, request: Any) -> Exception:
        return self.mod.ReadTimeout("the app wrote nothing in time", request=request)


def sync_transport(app: AppThread, mod: Any = httpx) -> Any:
    """A transport for ``mod.Client(transport=...)``."""
    http = _Http(mod)

    class SyncTransport(mod.BaseTransport):  # type: ignore[misc,name-defined]
        def handle_request(self, request: Any) -> Any:
            events: queue.Queue[Event] = queue.Queue()
            disconnect = app.exchange(request, request.read(), events.put)
            wait = _wait(request)

            def get() -> Event:
                try:
                    return events.get(timeout=wait)
                except queue.Empty:
                    disconnect()
                    raise http.timeout(request) from None

            kind, value = get()
            if kind != "start":
                disconnect()
                return http.no_answer(request, kind, value)
            return http.response(request, value, http.sync_body(get, disconnect, http.cut))

    return SyncTransport()


def async_transport(app: AppThread, mod: Any = httpx) -> Any:
    """A transport for ``mod.AsyncClient(transport=...)``: the app stays on its own loop;
    what it writes is handed to the client's loop."""
    http = _Http(mod)

    class AsyncTransport(mod.AsyncBaseTransport):  # type: ignore[misc,name-defined]
        async def handle_async_request(self, request: Any) -> Any:
            body = await request.aread()
            loop = asyncio.get_running_loop()
            events: asyncio.Queue[Event] = asyncio.Queue()

            def deliver(event: Event) -> None:
                with contextlib.suppress(RuntimeError):  # the client's loop is already closed
                    loop.call_soon_threadsafe(events.put_nowait, event)

            disconnect = app.exchange(request, body, deliver)
            wait = _wait(request)

            async def get() -> Event:
                try:
                    return await asyncio.wait_for(events.get(), wait)
                except TimeoutError:
                    disconnect()
                    raise http.timeout(request) from None

            kind, value = await get()
            if kind != "start":
                disconnect()
                return http.no_answer(request, kind, value)
            return http.response(request, value, http.async_body(get, disconnect, http.cut))

    return AsyncTransport()


class _SyncBody:
    def __init__(
        self,
        get: Callable[[], Event],
        disconnect: Callable[[], None],
        cut: Callable[[], Exception],
    ) -> None:
        self._get = get
        self._disconnect = disconnect
        self._cut = cut

    def __iter__(self) -> Iterator[bytes]:
        while True:
            kind, value = self._get()
            if kind == "body":
                yield value
            elif kind == "end":
                return
            else:
                self._disconnect()
                raise self._cut()

    def close(self) -> None:
        self._disconnect()


class _AsyncBody:
    def __init__(
        self,
        get: Callable[[], Awaitable[Event]],
        disconnect: Callable[[], None],
        cut: Callable[[], Exception],
    ) -> None:
        self._get = get
        self._disconnect = disconnect
        self._cut = cut

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while True:
            kind, value = await self._get()
            if kind == "body":
                yield value
            elif kind == "end":
                return
            else:
                self._disconnect()
                raise self._cut()

    async def aclose(self) -> None:
        self._disconnect()
