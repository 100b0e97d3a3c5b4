"""The effective settings, secrets masked, and whether a reload failed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ....journal.redaction import mask
from ....settings import Settings
from ....state.connection import shown_url
from ...scope import sandbox_of
from .common import json_of, scope_of


async def config(request: Request) -> Response:
    scope_of(request)
    shown = effective_settings(sandbox_of(request).settings)
    return json_of({**shown, "fixtures_status": request.app.state.fixture_status.view()})


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
