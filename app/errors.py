"""The one error tree.

    ApiError                      status  error.type
    ├── InvalidRequestError        400    invalid_request_error
    ├── AuthenticationError        401    authentication_error
    ├── BillingError               402    billing_error
    ├── PermissionDeniedError      403    permission_error
    ├── NotFoundError              404    not_found_error
    ├── RequestTooLargeError       413    request_too_large
    ├── RateLimitError             429    rate_limit_error
    ├── ApiInternalError           500    api_error
    │   └── StateUnavailableError  503    api_error (the shared Redis is unreachable)
    ├── TimeoutError_              504    timeout_error
    └── OverloadedError            529    overloaded_error

    FixtureError                  (load time, never HTTP: file, line, key, what is wrong)

Every ``ApiError`` leaves the server through one handler as Anthropic's envelope
``{"type":"error","error":{"type":..,"message":..},"request_id":"req_.."}``; a mid-stream
failure is the same object rendered as an SSE ``error`` event (see ``render``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import orjson

# Client-error statuses the SDKs retry when no ``x-should-retry`` says otherwise.
RETRYABLE_4XX = frozenset({408, 409, 429})

# Messages the real API sends for these types when a fixture gives none (errors.md §7.5).
DEFAULT_MESSAGES = {
    "overloaded_error": "Overloaded",
    "rate_limit_error": "Number of request tokens has exceeded your per-minute rate limit",
    "api_error": "Internal server error",
    "invalid_request_error": "Invalid request",
    "authentication_error": "invalid x-api-key",
    "permission_error": "Your API key does not have permission to use the specified resource.",
    "not_found_error": "Not Found",
    "request_too_large": "Request exceeds the maximum allowed number of bytes.",
    "timeout_error": "The request timed out while processing. Consider using streaming",
    "billing_error": "Your credit balance is too low to access the Anthropic API.",
}


def retryable(status: int) -> bool:
    """Whether the SDKs retry ``status`` by default (408, 409, 429 and every 5xx)."""
    return status in RETRYABLE_4XX or status >= 500


class ApiError(Exception):
    status: ClassVar[int] = 500
    type: ClassVar[str] = "api_error"

    def __init__(
        self,
        message: str,
        *,
        headers: Mapping[str, str] | None = None,
        details: Mapping[str, Any] | None = None,
        status: int | None = None,
        error_type: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.headers = dict(headers or {})
        self.details = dict(details) if details else None
        # Fixture-injected errors may use any status/type pair the real API uses.
        self.status_code = status if status is not None else self.status
        self.error_type = error_type if error_type is not None else self.type

    def error_object(self) -> dict[str, Any]:
        err: dict[str, Any] = {"type": self.error_type, "message": self.message}
        if self.details:
            err["details"] = self.details
        return err

    def body(self, request_id: str | None) -> dict[str, Any]:
        return {"type": "error", "error": self.error_object(), "request_id": request_id}

    def response_headers(self) -> dict[str, str]:
        headers = dict(self.headers)
        if 400 <= self.status_code < 500 and self.status_code not in RETRYABLE_4XX:
            # The real API tells SDKs not to retry client errors (seen on real 400s); the
            # statuses SDKs retry by default (408, 409, 429) keep that default.
            headers.setdefault("x-should-retry", "false")
        return headers


class InvalidRequestError(ApiError):
    status = 400
    type = "invalid_request_error"


class AuthenticationError(ApiError):
    status = 401
    type = "authentication_error"


class BillingError(ApiError):
    status = 402
    type = "billing_error"


class PermissionDeniedError(ApiError):
    status = 403
    type = "permission_error"


class NotFoundError(ApiError):
    status = 404
    type = "not_found_error"


class RequestTooLargeError(ApiError):
    status = 413
    type = "request_too_large"


class RateLimitError(ApiError):
    status = 429
    type = "rate_limit_error"


class ApiInternalError(ApiError):
    status = 500
    type = "api_error"


class StateUnavailableError(ApiInternalError):
    """The shared state store (``SANDBOX_STATE_URL``) did not answer.

    Deliberate choice: 503 ``api_error`` with ``x-should-retry: true`` and ``retry-after: 1``.
    503 is the status the real API uses for a backend it depends on being unreachable (the
    SDKs map it to ``ServiceUnavailableError`` and retry it); ``api_error`` because the
    envelope's types have no "unavailable" of their own and ``overloaded_error`` would
    blame load rather than a missing dependency."""

    status = 503

    def __init__(self, reason: str) -> None:
        super().__init__(
            "The sandbox's shared state store (Redis, SANDBOX_STATE_URL) is unavailable: "
            f"{reason}. Retry shortly.",
            headers={"x-should-retry": "true", "retry-after": "1"},
        )


class TimeoutError_(ApiError):  # trailing underscore: avoid shadowing the builtin
    status = 504
    type = "timeout_error"


class OverloadedError(ApiError):
    status = 529
    type = "overloaded_error"


_BY_TYPE: dict[str, type[ApiError]] = {
    cls.type: cls
    for cls in (
        InvalidRequestError,
        AuthenticationError,
        BillingError,
        PermissionDeniedError,
        NotFoundError,
        RequestTooLargeError,
        RateLimitError,
        ApiInternalError,
        TimeoutError_,
        OverloadedError,
    )
}

# Status codes the real API uses for each error type, for fixtures that give only one.
DEFAULT_STATUS: dict[str, int] = {t: c.status for t, c in _BY_TYPE.items()} | {
    "conflict_error": 409,
}


def api_error(
    error_type: str,
    message: str,
    *,
    status: int | None = None,
    headers: Mapping[str, str] | None = None,
    details: Mapping[str, Any] | None = None,
) -> ApiError:
    """An error of any type/status pair (fixture-injected errors use this)."""
    cls = _BY_TYPE.get(error_type, ApiError)
    if status is None:
        status = DEFAULT_STATUS.get(error_type, 500)
    return cls(message, headers=headers, details=details, status=status, error_type=error_type)


def envelope_bytes(error: ApiError, request_id: str | None) -> bytes:
    return orjson.dumps(error.body(request_id))


class FixtureError(Exception):
    """A fixture file (or set) that cannot be loaded: says where and what is wrong.

    One error may stand for several (``FixtureError.of``): ``problems`` lists each, and the
    message lists them all, one ``file:line: what`` per line."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.reason = message
        self.problems: tuple[FixtureError, ...] = (self,)
        where = file or "<fixtures>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")

    @classmethod
    def of(cls, errors: Sequence[FixtureError]) -> FixtureError:
        """One error for all of ``errors`` (the first itself when there is only one)."""
        flat = [p for e in errors for p in e.problems]
        problems = tuple(sorted(flat, key=lambda p: (p.file or "", p.line or 0)))
        if len(problems) == 1:
            return problems[0]
        first = problems[0]
        listed = "\n".join(f"  {p}" for p in problems)
        combined = cls(f"{len(problems)} problems:\n{listed}", file=first.file, line=first.line)
        combined.problems = problems
        Exception.__init__(combined, f"{len(problems)} problems in the fixtures:\n{listed}")
        return combined


class OutDirError(Exception):
    """The directory recordings go to cannot be written (said at start-up)."""
