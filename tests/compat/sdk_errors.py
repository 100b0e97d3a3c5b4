"""SDK checks of errors and retries: each status's exception class, retry counts, a mid-stream
error."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import anthropic
from harness import Checks, expect
from sdk_client import HELLO, MODEL, client, text_of

checks = Checks()
check = checks.check


def _raises(kind: type[Exception], call: Callable[[], object]) -> Any:
    try:
        call()
    except kind as exc:
        return exc
    raise AssertionError(f"no {kind.__name__}")


def _say(text: str, c: anthropic.Anthropic | None = None, **kwargs: Any) -> Any:
    c = c or client()
    return c.messages.create(
        model=MODEL, max_tokens=64, messages=[{"role": "user", "content": text}], **kwargs
    )


@check
def error_400_bad_request() -> str:
    exc = _raises(
        anthropic.BadRequestError,
        lambda: client().messages.create(
            model=MODEL, max_tokens=64, messages=HELLO, tool_choice={"type": "auto"}
        ),
    )
    expect(exc.status_code == 400 and exc.body["error"]["type"] == "invalid_request_error", exc)
    expect(getattr(exc, "request_id", "req_").startswith("req_"), "request id")
    return exc.body["error"]["message"][:60]


@check
def error_401_wrong_key() -> str:
    exc = _raises(anthropic.AuthenticationError, lambda: _say("hi", client(api_key="sk-wrong")))
    expect(exc.status_code == 401, f"{exc}")
    return exc.body["error"]["message"]


@check
def error_404_unknown_model() -> str:
    exc = _raises(
        anthropic.NotFoundError,
        lambda: client().messages.create(model="claude-nope", max_tokens=8, messages=HELLO),
    )
    expect(exc.body["error"]["message"] == "model: claude-nope", f"{exc.body}")
    return exc.body["error"]["message"]


@check
def error_429_is_retried_then_raised() -> str:
    exc = _raises(anthropic.RateLimitError, lambda: _say("Error demo: 429", client(max_retries=1)))
    attempt = exc.response.request.headers.get("x-stainless-retry-count")
    expect(attempt == "1", f"last attempt's retry count {attempt}")
    expect(exc.response.headers.get("retry-after") == "1", f"{dict(exc.response.headers)}")
    return "retried once"


@check
def error_529_overloaded() -> str:
    # Older SDKs have no OverloadedError (or not under InternalServerError): any status error.
    exc = _raises(anthropic.APIStatusError, lambda: _say("Error demo: 529"))
    expect(exc.status_code == 529 and exc.body["error"]["type"] == "overloaded_error", f"{exc}")
    return type(exc).__name__


@check
def error_529_retry_succeeds() -> str:
    session = f"compat-{uuid.uuid4().hex}"
    c = client(max_retries=2, default_headers={"x-sandbox-session": session})
    raw = c.messages.with_raw_response.create(
        model=MODEL,
        max_tokens=64,
        messages=[{"role": "user", "content": "Retry demo: succeed on the second attempt"}],
    )
    msg = raw.parse()
    expect(text_of(msg) == "Succeeded on the second attempt.", text_of(msg))
    expect(raw.headers.get("x-sandbox-step") == "2/2", f"step {raw.headers.get('x-sandbox-step')}")
    return "retried after 529"


@check
def error_mid_stream_raises() -> str:
    def consume() -> None:
        with client().messages.stream(
            model=MODEL,
            max_tokens=64,
            messages=[{"role": "user", "content": "Error demo: mid-stream"}],
        ) as stream:
            for _ in stream:
                pass

    exc = _raises(anthropic.APIStatusError, consume)
    expect("overloaded" in str(exc).lower(), str(exc))
    return type(exc).__name__
