"""The rules routes: every rule with its hits, rules added and removed at run time."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ....errors import FixtureError, InvalidRequestError, NotFoundError
from ....fixtures.loader import Rule
from ....fixtures.runtime import RuleSet, compile_runtime, parse_document
from ....journal.view import iso_time
from ....sandbox import Sandbox
from ....sessions import (
    FILE,
    GLOBAL,
    SESSION,
    DuplicateRule,
    Hit,
    RuleKey,
)
from ...scope import sandbox_of
from .common import RULES_BODY_LIMIT, flag, json_of, read_admin_body, scope_of


async def list_rules(request: Request) -> Response:
    session = scope_of(request, "unused")
    unused = flag(request.query_params, "unused")
    sandbox = sandbox_of(request)
    rules = await sandbox.call(_rules, sandbox, session)
    if unused:
        rules = [r for r in rules if not r["hits"]]
    return json_of({"data": rules, "fixtures_status": request.app.state.fixture_status.view()})


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
    session = scope_of(request)
    sandbox = sandbox_of(request)
    body = await read_admin_body(request, RULES_BODY_LIMIT)
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
    return json_of({"added": [r.id for r in rules], "session": session})


async def remove_rule(request: Request) -> Response:
    session = scope_of(request)
    rule_id = request.path_params["rule_id"]
    sandbox = sandbox_of(request)
    if not await sandbox.call(sandbox.sessions.remove_rule, session, rule_id):
        scope = f"session {session!r}" if session is not None else "no session"
        hint = ""
        if any(r.id == rule_id for r in sandbox.snapshot.fixtures.rules):
            hint = " (a rule of that id is in the fixture files: edit the file to remove it)"
        raise NotFoundError(f"No rule {rule_id!r} was added at run time in {scope}{hint}.")
    return json_of({"removed": rule_id, "session": session})
