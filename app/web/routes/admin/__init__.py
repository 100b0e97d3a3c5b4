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

from starlette.applications import Starlette

from .common import PREFIX
from .config import config
from .journal import clear_requests, get_fixture, get_request, list_requests
from .rules import add_rules, list_rules, remove_rule
from .sessions import configure_session, get_session, list_sessions, reset


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
