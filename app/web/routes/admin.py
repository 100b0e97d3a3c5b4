"""The sandbox's own surface under ``/_sandbox/``, a prefix no real API path uses.

    GET    /_sandbox/requests              the journal, newest first (path, rule, status,
                                           session, limit filters; ``rule=none``: unmatched)
    GET    /_sandbox/requests/{request_id} one entry
    GET    /_sandbox/requests/{request_id}/fixture
                                           the entry as a fixture rule (YAML)
    DELETE /_sandbox/requests              clear the journal
    GET    /_sandbox/rules                 every rule: file:line, hits, last hit
                                           (``?unused=true``: rules never played), and
                                           whether a reload failed (``fixtures_status``)
    POST   /_sandbox/rules                 add rules at run time (the fixture file format)
    DELETE /_sandbox/rules/{id}            remove a rule added at run time
    POST   /_sandbox/reset                 clear the journal, play counts, script sessions and
                                           runtime rules
    GET    /_sandbox/sessions              the live sessions
    GET    /_sandbox/sessions/{name}       one; POST sets its settings (``{"strict": true}``)
    GET    /_sandbox/config                effective settings, secrets masked, and
                                           whether a reload failed (``fixtures_status``)

Every route but ``sessions`` and ``config`` is scoped by a session when one is named, by
``?session=S``, the ``/session/S`` prefix or the ``x-sandbox-session`` header: it then reads
and changes session S alone. Without one, it means the whole server. An unknown query
parameter is a 400 (a typo must not silently widen a reset to the whole server).

Who may call these routes (loopback or configured Host names, never another web origin, an
optional token) is decided before any of them runs (``admin_guard``). No API key is asked
for: a CI job reads the journal with plain curl. Errors leave in Anthropic's envelope.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response

from ...errors import FixtureError, InvalidRequestError, NotFoundError, RequestTooLargeError
from ...fixtures.loader import Rule
from ...fixtures.runtime import RuleSet, compile_runtime, parse_document
from ...headers import (
    DEFAULT_SESSION,
    SESSION_HEADER,
    SESSION_NAME_RULE,
    Caller,
    session_name,
    valid_session_name,
)
from ...journal.redaction import mask
from ...journal.view import Filter, iso_time, session_of, unmatched, valid_status_filter
from ...recorder.entry import entry_fixture
from ...sandbox import Sandbox
from ...sessions import (
    FILE,
    GLOBAL,
    SESSION,
    DuplicateRule,
    Hit,
    RuleKey,
    SessionInfo,
    SessionSettings,
)
from ...settings import Settings
from ...state.connection import shown_url
from ..responses import json_response
from ..scope import sandbox_of

log = logging.getLogger("messages_sandbox")

PREFIX = "/_sandbox"
RULES_BODY_LIMIT = 4 * 1024 * 1024
_TRUE = {"1", "true", "yes"}
_FALSE = {"0", "false", "no"}


def mount(app: Starlette) -> None:
    app.add_route(f"{PREFIX}/requests", list_requests, methods=["GET"])
    app.add_route(f"{PREFIX}/requests", clear_requests, methods=["DELETE"])
    app.add_route(f"{PREFIX}/requests/{{request_id}}", get_request, methods=["GET"])
    app.add_route(f"{PREFIX}/requests/{{request_id}}/fixture", get_fixture, methods=["GET"])
    app.add_route(f"{PREFIX}/rules", list_rules, methods=["GET"])
    app.add_route(f"{PREFIX}/rules", add_rules, methods=["POST"])
    app.add_route(f"{PREFIX}/rules/{{rule_id}}", remove_rule, methods=["DELETE"])
    app.add_route(f"{PREFIX}/reset", reset, methods=["POST"])
    app.add_route(f"{PREFIX}/sessions", list_sessions, methods=["GET"])
    app.add_route(f"{PREFIX}/sessions/{{name}}", get_session, methods=["GET"])
    app.add_route(f"{PREFIX}/sessions/{{name}}", configure_session, methods=["POST"])
    app.add_route(f"{PREFIX}/config", config, methods=["GET"])


def _json(value: Any) -> Response:
    return json_response(orjson.dumps(value))


def _scope(request: Request, *allowed: str) -> str | None:
    """The session a route is asked about (None: the whole server), after refusing any query
    parameter the route does not take."""
    query = request.query_params
    takes = ("session", *allowed)
    for name in query:
        if name not in takes:
            raise InvalidRequestError(
                f"unknown query parameter `{name}`; {request.url.path} takes "
                + ", ".join(f"`{t}`" for t in sorted(takes))
            )
    named = query.getlist("session")
    if len(named) > 1:
        raise InvalidRequestError("session: give one session")
    session = None
    if named:
        session = _name(named[0], "session")
        if session is None:
            raise InvalidRequestError(
                f"session: expected a session name, got {named[0]!r} (`{DEFAULT_SESSION}` "
                "names the requests outside any session; leave `session` out for the whole "
                "server)"
            )
    # The last one: a /session/S prefix is appended after any header the client sent.
    sent = request.headers.getlist(SESSION_HEADER)
    header = _name(sent[-1] if sent else "", SESSION_HEADER)
    if session is not None and header is not None and header != session:
        raise InvalidRequestError(
            f"session: `?session={session}` and the request's session `{header}` differ"
        )
    return session or header


def _name(raw: str, where: str) -> str | None:
    if raw and not valid_session_name(raw):
        raise InvalidRequestError(f"{where}: {SESSION_NAME_RULE}")
    return session_name(raw)


def _flag(query: Mapping[str, str], name: str) -> bool:
    raw = query.get(name)
    if raw is None:
        return False
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise InvalidRequestError(f"{name}: expected true or false, got {raw!r}")


# -- the journal ------------------------------------------------------------------------------
async def list_requests(request: Request) -> Response:
    session = _scope(request, "path", "rule", "status", "limit")
    query = request.query_params
    status = query.get("status")
    if status is not None and not valid_status_filter(status):
        raise InvalidRequestError(
            f"status: expected a status such as 404 or a class such as 4xx, got {status!r}"
        )
    keep = Filter(path=query.get("path"), rule=query.get("rule"), status=status, session=session)
    sandbox = sandbox_of(request)
    limit = _limit(query.get("limit"))

    def listed() -> list[dict[str, Any]]:
        return [_with_near_misses(sandbox, v) for v in sandbox.journal.views(keep, limit)]

    return _json({"data": await sandbox.call(listed)})


def _limit(raw: str | None) -> int | None:
    if raw is None:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise InvalidRequestError(f"limit: expected a positive integer, got {raw!r}")
    return int(raw)


async def get_request(request: Request) -> Response:
    session = _scope(request)
    request_id = request.path_params["request_id"]
    sandbox = sandbox_of(request)
    view = await sandbox.call(sandbox.journal.get, request_id)
    if view is None or (session is not None and view["session"] != session):
        where = f" of session {session!r}" if session is not None else ""
        raise NotFoundError(f"No request {request_id!r} in the journal{where}.")
    return _json(await sandbox.call(_with_near_misses, sandbox, view))


async def get_fixture(request: Request) -> Response:
    session = _scope(request)
    request_id = request.path_params["request_id"]
    sandbox = sandbox_of(request)
    journal = sandbox.journal
    record = await sandbox.call(journal.find, request_id)
    if record is None or (session is not None and session_of(record) != session):
        where = f" of session {session!r}" if session is not None else ""
        raise NotFoundError(f"No request {request_id!r} in the journal{where}.")
    validate = sandbox_of(request).pipeline.validators.messages
    text = entry_fixture(record, journal.epoch, validate)
    return Response(text.encode(), media_type="application/yaml; charset=utf-8")


def _with_near_misses(sandbox: Sandbox, view: dict[str, Any]) -> dict[str, Any]:
    """An entry no rule answered gets the rules closest to matching it, judged now, against
    the rules in force (computed when read: recording stays cheap)."""
    if not unmatched(view) or not isinstance(view["body"], dict):
        return view
    headers: dict[str, str] = view["headers"]
    betas = tuple(b.strip() for b in headers.get("anthropic-beta", "").split(",") if b.strip())
    beta = bool(betas) or "beta=true" in view["query"]
    caller = Caller(view["id"], "", headers.get("anthropic-version", ""), betas, beta, headers)
    try:
        miss = sandbox.playback.explain(sandbox.snapshot.fixtures, view["body"], caller)
    except Exception:
        # The journal keeps the body redacted, and the rules may have changed since: an
        # entry they cannot judge is shown without near misses rather than failing the read.
        log.debug("no near misses for %s", view["id"], exc_info=True)
        return view
    view["near_misses"] = [
        {"rule": n.rule_id, "where": n.where, "failed": list(n.failed)} for n in miss.near
    ]
    return view


async def clear_requests(request: Request) -> Response:
    session = _scope(request)
    sandbox = sandbox_of(request)
    cleared = await sandbox.call(sandbox.journal.clear, session)
    sandbox.feed.notify("reset", {"session": session, "cleared": cleared})
    return _json({"cleared": cleared, "session": session})


# -- rules ----------------------------------------------------------------------------------
async def list_rules(request: Request) -> Response:
    session = _scope(request, "unused")
    unused = _flag(request.query_params, "unused")
    sandbox = sandbox_of(request)
    rules = await sandbox.call(_rules, sandbox, session)
    if unused:
        rules = [r for r in rules if not r["hits"]]
    return _json({"data": rules, "fixtures_status": request.app.state.fixture_status.view()})


def _rules(sandbox: Sandbox, session: str | None) -> list[dict[str, Any]]:
    """Every rule a request in ``session`` tries, in the order it tries them, with its play
    counts in that session (whole server: every runtime rule of every session, and the
    server-wide counts)."""
    sessions = sandbox.sessions
    out: list[dict[str, Any]] = []
    if session is None:
        hits: Mapping[RuleKey, Hit] = {}
        for owner, rule_set, counted in sessions.all_rules():
            if owner is None:
                hits = counted
                out += _listed(rule_set.rules, GLOBAL, None, counted)
            else:
                out += _listed(rule_set.rules, SESSION, owner, counted)
    else:
        hits = sessions.hits(session)
        out += _listed(sessions.rules(session).rules, SESSION, session, hits)
        out += _listed(sessions.rules(None).rules, GLOBAL, None, hits)
    out += _listed(sandbox.snapshot.fixtures.rules, FILE, None, hits)
    return out


def _listed(
    rules: tuple[Rule, ...], origin: str, session: str | None, hits: Mapping[RuleKey, Hit]
) -> list[dict[str, Any]]:
    out = []
    for rule in rules:
        hit = hits.get((origin, rule.id))
        file, _, line = rule.where.rpartition(":")
        if not line.isdigit():
            file, line = rule.where, ""
        out.append(
            {
                "id": rule.id,
                "file": file,
                "line": int(line) if line else None,
                "origin": "file" if origin == FILE else "runtime",
                "session": session,
                "script": rule.advance,
                "steps": len(rule.steps),
                "hits": hit.count if hit else 0,
                "last_hit": iso_time(hit.last if hit else None),
            }
        )
    return out


async def add_rules(request: Request) -> Response:
    """The fixture file format, checked by the fixture loader: all the rules are added or,
    on the first problem, none."""
    session = _scope(request)
    sandbox = sandbox_of(request)
    body = await _body(request, RULES_BODY_LIMIT)
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    existing: RuleSet = await sandbox.call(sandbox.sessions.rules, session)
    try:
        text, data = parse_document(body, media)
        rules = compile_runtime(
            text,
            data,
            fixtures=sandbox.snapshot.fixtures,
            taken={r.id: r.where for r in existing.rules},
            chunk_size=sandbox.settings.stream_chunk_size,
        )
    except FixtureError as exc:
        raise InvalidRequestError(str(exc)) from None
    try:
        await sandbox.call(sandbox.sessions.add_rules, session, rules, (text, data is not None))
    except DuplicateRule as exc:  # a shared store may have had another writer meanwhile
        raise InvalidRequestError(f"duplicate rule id `{exc.rule_id}` in this session") from None
    return _json({"added": [r.id for r in rules], "session": session})


async def _body(request: Request, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RequestTooLargeError(f"Rules documents are limited to {limit} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


async def remove_rule(request: Request) -> Response:
    session = _scope(request)
    rule_id = request.path_params["rule_id"]
    sandbox = sandbox_of(request)
    if not await sandbox.call(sandbox.sessions.remove_rule, session, rule_id):
        scope = f"session {session!r}" if session is not None else "no session"
        hint = ""
        if any(r.id == rule_id for r in sandbox.snapshot.fixtures.rules):
            hint = " (a rule of that id is in the fixture files: edit the file to remove it)"
        raise NotFoundError(f"No rule {rule_id!r} was added at run time in {scope}{hint}.")
    return _json({"removed": rule_id, "session": session})


# -- reset and sessions ------------------------------------------------------------------
async def reset(request: Request) -> Response:
    session = _scope(request)
    sandbox = sandbox_of(request)
    cleared = await sandbox.call(sandbox.journal.clear, session)
    await sandbox.call(sandbox.sessions.reset, session)
    sandbox.feed.notify("reset", {"session": session, "cleared": cleared})
    return _json(
        {"cleared": cleared, "hits": "zeroed", "sessions": "restarted", "session": session}
    )


async def list_sessions(request: Request) -> Response:
    _scope(request)
    sandbox = sandbox_of(request)
    sessions = sandbox.sessions
    return _json(
        {
            "data": [_session(info) for info in await sandbox.call(sessions.sessions)],
            "idle_seconds": sessions.idle,
            "capacity": sessions.capacity,
        }
    )


async def get_session(request: Request) -> Response:
    name = _named(request)
    sandbox = sandbox_of(request)
    live = await sandbox.call(sandbox.sessions.sessions)
    info = next((i for i in live if i.name == name), None)
    if info is None:
        raise NotFoundError(
            f"No live session {name!r}: a session lives once something is kept for it "
            "(a script step, a hit, a rule, a setting), until it is idle too long."
        )
    return _json(_session(info))


async def configure_session(request: Request) -> Response:
    """``{"strict": true | false | null}`` (null: the server's mode)."""
    name = _named(request)
    body = await _body(request, 64 * 1024)
    try:
        data = orjson.loads(body or b"{}")
    except orjson.JSONDecodeError as exc:
        raise InvalidRequestError(f"There was an error parsing the body: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidRequestError('expected a JSON object such as {"strict": true}')
    for key in data:
        if key != "strict":
            raise InvalidRequestError(f"{key}: unknown session setting; known: `strict`")
    strict = data.get("strict")
    if strict is not None and not isinstance(strict, bool):
        raise InvalidRequestError(f"strict: expected true, false or null, got {strict!r}")
    sandbox = sandbox_of(request)
    sessions = sandbox.sessions
    await sandbox.call(sessions.configure, name, SessionSettings(strict=strict))
    info = next(i for i in await sandbox.call(sessions.sessions) if i.name == name)
    return _json(_session(info))


def _named(request: Request) -> str:
    _scope(request)
    raw = request.path_params["name"]
    name = _name(raw, "session")
    if name is None:
        raise InvalidRequestError(f"{raw!r} names no session")
    return name


def _session(info: SessionInfo) -> dict[str, Any]:
    return {
        "session": info.name,
        "strict": info.settings.strict,
        "rules": info.rules,
        "last_used": iso_time(info.last_used),
        "expires_at": iso_time(info.expires_at),
    }


# -- configuration ------------------------------------------------------------------------
async def config(request: Request) -> Response:
    _scope(request)
    shown = effective_settings(sandbox_of(request).settings)
    return _json({**shown, "fixtures_status": request.app.state.fixture_status.view()})


def effective_settings(settings: Settings) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if isinstance(value, Path):
            value = str(value)
        if value is not None and _secret_setting(name):
            value = [mask(v) for v in value] if isinstance(value, tuple) else mask(str(value))
        elif isinstance(value, tuple):
            value = list(value)
        elif name == "state_url" and value is not None:
            value = shown_url(value)  # its password, if any, masked
        out[name] = value
    return out


def _secret_setting(name: str) -> bool:
    return any(
        p.removesuffix("s") in {"key", "secret", "token", "password"} for p in name.split("_")
    )
