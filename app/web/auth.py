"""Auth for every route of the real API: one FastAPI dependency.

Each companion router declares ``authenticate`` for all its routes, so a route cannot forget
it; a handler that needs the caller asks for it as ``caller: Authenticated`` (FastAPI calls the
dependency once per request either way). ``POST /v1/messages``, which bypasses FastAPI, reads
its caller with the same ``scope_caller``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from starlette.requests import Request

from ..headers import Caller
from .scope import sandbox_of, scope_caller


def authenticate(request: Request) -> Caller:
    """API key, ``anthropic-version`` and ``anthropic-beta``: the real API's 401/400 first."""
    return scope_caller(request.scope, sandbox_of(request))


Authenticated = Annotated[Caller, Depends(authenticate)]
"""A handler parameter that is the request's authenticated ``Caller``."""
