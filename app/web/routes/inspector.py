"""The inspector: a live page over the journal, and the routes it needs beyond the admin API.

    GET  /_sandbox/                          the page (``web/inspector``: HTML, JS, CSS)
    GET  /_sandbox/assets/{name}             its script and style sheet
    GET  /_sandbox/events                    server-sent events: ``hello``, ``backlog``,
                                             ``entries``, ``reset``, ``reload``, ``lagged``
                                             (``?session=S``, ``?backlog=N``)
    GET  /_sandbox/requests/{id}/events      a stream's events with their timing
    POST /_sandbox/requests/{id}/replay      send the recorded request again

They are admin routes like the others (``/_sandbox/...``): the same Host check, origin check
and admin token apply, and nothing here is ever answered with CORS headers.

Deliberate choices:
- replay happens on the server: the recorded request (its original headers, API key
  included, which never leave the process) goes through the whole server again as a new
  exchange with ``x-sandbox-replay-of: <id>``; the page only learns the new request id. A
  script advances as it would for the app's own retry, and a body over the journal's cap
  (not kept) cannot be replayed;
- ``events`` sends the journal's entries first (up to ``BACKLOG_MAX``), then each new one;
  a subscriber that falls behind is sent ``lagged`` and should connect again.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from itertools import islice
from typing import Any

import orjson
from sse_starlette import EventSourceResponse, ServerSentEvent
from sse_starlette.sse import SendTimeoutError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import Message, Receive, Scope, Send

from ... import __version__
from ...errors import InvalidRequestError, NotFoundError
from ...journal import Record, message_of
from ...journal.feed import REPLAY_HEADER, Notice, summary
from ...journal.redaction import credentials_in
from ...journal.timeline import stream_events
from ...sandbox import Sandbox
from ..inspector import ASSETS, PAGE, read_asset
from ..responses import json_response
from ..scope import sandbox_of
from .admin.common import scope_of as admin_scope

PREFIX = "/_sandbox"
BACKLOG_MAX = 10_000
"""Entries ``events`` sends first at most: the whole journal up to this, or ``?backlog=N``."""
BATCH = 250
"""Entries per ``entries`` event while the backlog is sent (the loop breathes between)."""
KEEPALIVE = 15.0
"""Seconds between keep-alive comments on an idle event stream."""
SEND_TIMEOUT = 30.0
"""A subscriber whose connection takes no data for this long is dropped."""
REPLAY_WAIT = 5.0
"""Seconds ``replay`` waits for the replayed answer to end before it answers anyway."""

# What a replay does not re-send: the browser's and the connection's, not the app's.
_NOT_REPLAYED = frozenset(
    {b"origin", b"referer", b"cookie", b"x-sandbox-admin-token", REPLAY_HEADER.encode()}
)

# The page shows what requests sent: nothing it shows may run as script, and no other site
# may frame it.
_PAGE_HEADERS = {
    "cache-control": "no-cache",
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def mount(app: Starlette) -> None:
    app.add_route(PREFIX, to_page, methods=["GET"])
    app.add_route(f"{PREFIX}/", page, methods=["GET"])
    app.add_route(f"{PREFIX}/assets/{{name}}", asset, methods=["GET"])
    app.add_route(f"{PREFIX}/events", events, methods=["GET"])
    app.add_route(f"{PREFIX}/requests/{{request_id}}/events", request_events, methods=["GET"])
    app.add_route(f"{PREFIX}/requests/{{request_id}}/replay", replay, methods=["POST"])
    app.state.replays = set()


# -- the page ---------------------------------------------------------------------------------
async def to_page(request: Request) -> Response:
    # Relative, so a ``/session/S`` prefix stays in the address.
    return RedirectResponse("_sandbox/", status_code=307)


async def page(request: Request) -> Response:
    return Response(read_asset(PAGE), media_type=ASSETS[PAGE], headers=_PAGE_HEADERS)


async def asset(request: Request) -> Response:
    name = request.path_params["name"]
    if name == PAGE or name not in ASSETS:
        raise NotFoundError(f"No inspector file {name!r}.")
    return Response(read_asset(name), media_type=ASSETS[name], headers=_PAGE_HEADERS)


# -- the live feed ----------------------------------------------------------------------------
async def events(request: Request) -> Response:
    # ``?session=S`` or the page's own session prefix (``/session/S/_sandbox/``), as the
    # other admin routes read it.
    session = admin_scope(request, "backlog")
    sandbox = sandbox_of(request)
    backlog = _count(request.query_params.get("backlog"), sandbox.journal.size)
    return _FeedResponse(
        _feed(sandbox, session, backlog, request.app.state.fixture_status.view),
        ping=KEEPALIVE,
        send_timeout=SEND_TIMEOUT,
        sep="\n",
        headers={"cache-control": "no-cache", "x-accel-buffering": "no"},
    )


class _FeedResponse(EventSourceResponse):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        except* SendTimeoutError:
            # A page that stopped reading (a stuck tab): dropped, its subscription closed by
            # the feed's ``finally``; nothing went wrong on the server's side.
            pass


def _count(raw: str | None, default: int) -> int:
    if raw is not None and not raw.isdigit():
        raise InvalidRequestError(f"backlog: expected a number of entries, got {raw!r}")
    return min(default if raw is None else int(raw), BACKLOG_MAX)


async def _feed(
    sandbox: Sandbox,
    session: str | None,
    backlog: int,
    fixtures_status: Callable[[], dict[str, Any]],
) -> AsyncIterator[Any]:
    journal, feed = sandbox.journal, sandbox.feed
    # Subscribed and the backlog taken in one step (no await between): every entry is sent
    # exactly once, from the backlog or from the queue.
    subscription = feed.subscribe()
    try:
        # (With Redis the backlog is read with a round trip: an entry of this process added
        # meanwhile may come in both.)
        records = await sandbox.call(lambda: list(islice(journal.newest_first(), backlog)))
        records.reverse()
        yield _event("hello", await sandbox.call(hello, sandbox, session, fixtures_status()))
        for start in range(0, len(records), BATCH):
            rows = _rows(sandbox, records[start : start + BATCH], session)
            if rows:
                yield _event("backlog", rows)
            await asyncio.sleep(0)
        while True:
            batch = await subscription.next()
            if batch.dropped:
                yield _event("lagged", {"dropped": batch.dropped})
            pending: list[Record] = []
            for item in batch.items:
                if isinstance(item, Notice):
                    if pending:
                        yield _event("entries", _rows(sandbox, pending, session))
                        pending = []
                    yield _event(item.kind, item.data)
                else:
                    pending.append(item)
            rows = _rows(sandbox, pending, session)
            if rows:
                yield _event("entries", rows)
    finally:
        subscription.close()


def hello(sandbox: Sandbox, session: str | None, fixtures_status: dict[str, Any]) -> dict[str, Any]:
    """What the page needs to know first: the server, and whether stale fixtures serve
    (``fixtures_status``, as ``/health`` shows it; each later change comes as ``reload``)."""
    settings = sandbox.settings
    return {
        "version": __version__,
        "session": session,
        "strict": settings.strict,
        "journal_size": sandbox.journal.size,
        "entries": len(sandbox.journal),
        "fixtures": str(settings.fixtures_dir()),
        "fixtures_status": fixtures_status,
    }


def _rows(sandbox: Sandbox, records: list[Record], session: str | None) -> list[dict[str, Any]]:
    journal = sandbox.journal
    rows = (summary(journal.view(r)) for r in records)
    return [r for r in rows if session is None or r["session"] == session]


def _event(kind: str, data: Any) -> ServerSentEvent:
    return ServerSentEvent(data=orjson.dumps(data).decode(), event=kind, sep="\n")


# -- one exchange -----------------------------------------------------------------------------
async def _record(request: Request) -> tuple[Sandbox, Record]:
    sandbox = sandbox_of(request)
    request_id = request.path_params["request_id"]
    record = await sandbox.call(sandbox.journal.find, request_id)
    if record is None:
        raise NotFoundError(f"No request {request_id!r} in the journal.")
    return sandbox, record


async def request_events(request: Request) -> Response:
    sandbox, record = await _record(request)
    if not record.content_type.startswith(b"text/event-stream"):
        raise InvalidRequestError(f"Request {record.request_id!r} was not answered with a stream.")
    headers = dict(_unpacked(record.headers))
    secrets = credentials_in({k.decode("latin-1"): v.decode("latin-1") for k, v in headers.items()})
    events = stream_events(record, message_of(record), _chunk_size(sandbox, record), secrets)
    return json_response(orjson.dumps({"id": record.request_id, **events}))


def _chunk_size(sandbox: Sandbox, record: Record) -> int:
    """The chunk size of the plan that answered ``record`` (as the rules are now)."""
    snapshot = sandbox.snapshot
    chunk_size = snapshot.default_plan.chunk_size
    rule_id = record.answer.get("x-sandbox-rule")
    rule = next((r for r in snapshot.fixtures.rules if r.id == rule_id), None)
    if rule is None:
        return chunk_size
    step, _, _ = (record.answer.get("x-sandbox-step") or "1").partition("/")
    index = int(step) - 1 if step.isdigit() else 0
    action = rule.steps[min(max(index, 0), len(rule.steps) - 1)]
    return action.plan.chunk_size if action.plan is not None else chunk_size


def _unpacked(packed: bytes) -> list[tuple[bytes, bytes]]:
    """``journal.pack_headers`` undone."""
    out = []
    for line in packed.split(b"\n"):
        name, sep, value = line.partition(b":")
        if sep:
            out.append((name, value))
    return out


async def replay(request: Request) -> Response:
    _, record = await _record(request)
    if record.body is None and record.digest is not None:
        raise InvalidRequestError(
            f"Request {record.request_id!r} cannot be replayed: its body "
            f"({record.digest[0]} bytes) was over the journal's cap and was not kept."
        )
    headers = [(k, v) for k, v in _unpacked(record.headers) if k not in _NOT_REPLAYED]
    headers.append((REPLAY_HEADER.encode(), record.request_id.encode()))
    body = record.body or b""
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": record.method,
        "scheme": request.url.scheme,
        "path": record.path,
        "raw_path": record.path.encode(),
        "query_string": record.query,
        "root_path": "",
        "headers": headers,
        "client": request.scope.get("client"),
        "server": request.scope.get("server"),
    }
    answer: dict[str, Any] = {}
    ended = asyncio.Event()
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # like a client that stays connected
        raise AssertionError("unreachable")

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
            for name, value in message.get("headers", ()):
                if name == b"request-id":
                    answer["id"] = value.decode("latin-1")
        elif message["type"] == "http.response.body" and not message.get("more_body", False):
            ended.set()

    # The whole server (``Front``): the exchange is stamped, recorded and counted like any
    # other. The CORS rules never apply: ``origin`` is not replayed (``_NOT_REPLAYED``).
    task = asyncio.create_task(request.app.state.front(scope, receive, send))
    replays: set[asyncio.Task[None]] = request.app.state.replays
    replays.add(task)
    task.add_done_callback(replays.discard)
    waiter = asyncio.create_task(ended.wait())
    await asyncio.wait({task, waiter}, timeout=REPLAY_WAIT, return_when=asyncio.FIRST_COMPLETED)
    waiter.cancel()
    return json_response(
        orjson.dumps(
            {
                "replay_of": record.request_id,
                "id": answer.get("id"),
                "status": answer.get("status"),
                "complete": ended.is_set(),
            }
        )
    )
