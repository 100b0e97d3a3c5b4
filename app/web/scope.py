"""What the web edge reads off a request's ASGI scope: its sandbox, its headers (decoded once),
its caller (auth, version, betas) and the base URL absolute links are built from."""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import Scope

from ..headers import SCOPE_HEADERS_KEY, Caller, RawHeaders, read_caller
from ..sandbox import Sandbox
from .session_path import PREFIX_KEY


def sandbox_of(request: Request) -> Sandbox:
    sandbox: Sandbox = request.app.state.sandbox
    return sandbox


def scope_headers(scope: Scope) -> RawHeaders:
    """The request headers as a ``bytes -> bytes`` dict, built once per request (in C) and
    kept on the scope. ASGI servers deliver header names lower-cased already."""
    headers = scope.get(SCOPE_HEADERS_KEY)
    if headers is None:
        headers = scope[SCOPE_HEADERS_KEY] = dict(scope["headers"])
    return headers


def scope_caller(scope: Scope, sandbox: Sandbox) -> Caller:
    # Positional, in order (request id, beta query, accepted keys, known betas): keyword
    # arguments cost ~300 instructions more on every request (callgrind).
    return read_caller(
        scope_headers(scope),
        scope["state"]["request_id"],
        b"beta=true" in scope.get("query_string", b""),
        sandbox.settings.api_keys,
        sandbox.known_betas,
    )


def base_url_of(request: Request) -> str:
    """The base of absolute URLs handed out (batch ``results_url``), with the request's
    ``/session/S`` prefix: ``SANDBOX_PUBLIC_URL`` when set; else the scheme and Host the
    client used when that Host is trusted (``admin_guard``); else the address the connection
    reached. Never a foreign Host: an SDK follows ``results_url`` with its API key."""
    settings = sandbox_of(request).settings
    prefix: str = request.scope.get(PREFIX_KEY, "")
    if settings.public_url:
        return settings.public_url + prefix
    headers = request.headers
    host = headers.get("host")
    if host and request.app.state.admin_guard.trusted(host):
        scheme = headers.get("x-forwarded-proto") or request.url.scheme
        return f"{scheme}://{host}{prefix}"
    address, port = request.scope.get("server") or (settings.host, settings.port)
    if ":" in address:
        address = f"[{address}]"
    return f"{request.url.scheme}://{address}:{port}{prefix}"
