"""Request headers: who is calling, with which API version and which betas.

Pure functions over a header mapping (lower-cased names); the routes call ``read_caller``
before anything reads the body.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .errors import AuthenticationError, InvalidRequestError

API_VERSIONS = frozenset({"2023-06-01", "2023-01-01", "2026-10-21"})
SESSION_HEADER = "x-sandbox-session"


@dataclass(frozen=True)
class Caller:
    """What the headers said about a request; passed down the pipeline."""

    request_id: str
    api_key: str
    version: str
    betas: tuple[str, ...] = ()
    beta: bool = False
    """Whether the beta request surface applies (``?beta=true`` or any ``anthropic-beta``)."""
    headers: Mapping[str, str] = field(default_factory=dict)
    base_url: str = "http://127.0.0.1:8080"
    """Scheme and host the client used; absolute URLs we hand out (batch results) use it."""


def decode_headers(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    """Raw ASGI headers as a plain dict (servers deliver names lower-cased already)."""
    return {k.decode("latin-1"): v.decode("latin-1") for k, v in raw}


def credentials(headers: Mapping[str, str]) -> list[str]:
    """The keys a request presents: ``x-api-key`` first, then an ``Authorization: Bearer``."""
    keys = []
    key = headers.get("x-api-key", "").strip()
    if key:
        keys.append(key)
    scheme, _, token = headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        keys.append(token.strip())
    return keys


def read_caller(
    headers: Mapping[str, str],
    *,
    request_id: str,
    query_beta: bool,
    api_keys: tuple[str, ...],
    known_betas: frozenset[str] | None,
    base_url: str,
    require_version: bool = True,
) -> Caller:
    """Check auth, version and betas; raise the real API's errors.

    ``known_betas`` is None outside strict mode: unknown beta names are then accepted, since
    real clients (Claude Code) send names no SDK lists.
    """
    keys = credentials(headers)
    if not keys:
        raise AuthenticationError("x-api-key header is required")
    key = keys[0]
    if api_keys:
        # The TypeScript SDK sends both headers when given both; either may be the good one.
        accepted = [k for k in keys if k in api_keys]
        if not accepted:
            raise AuthenticationError("invalid x-api-key")
        key = accepted[0]

    version = headers.get("anthropic-version", "")
    if require_version:
        if not version:
            raise InvalidRequestError("anthropic-version: header is required")
        if version not in API_VERSIONS:
            # Deliberate choice: the real wording for an unknown version is not public.
            raise InvalidRequestError(
                f"anthropic-version: invalid version '{version}'. "
                f"Supported versions: {', '.join(sorted(API_VERSIONS))}"
            )

    betas = tuple(b.strip() for b in headers.get("anthropic-beta", "").split(",") if b.strip())
    if known_betas is not None:
        unknown = [b for b in betas if b not in known_betas]
        if unknown:
            raise InvalidRequestError(
                f"Unexpected value(s) `{', '.join(unknown)}` for the `anthropic-beta` header. "
                "Please consult our documentation at platform.claude.com/docs or try again "
                "without the header."
            )
    return Caller(
        request_id=request_id,
        api_key=key,
        version=version,
        betas=betas,
        beta=query_beta or bool(betas),
        headers=headers,
        base_url=base_url,
    )
