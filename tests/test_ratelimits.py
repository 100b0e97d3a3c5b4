"""Rate limits: truthful anthropic-ratelimit-* headers, the real 429, and SDK retries."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import anthropic
import pytest
from conftest import HEADERS, Harness, InProcess, start_sandbox

from messages_sandbox.errors import RateLimitError
from messages_sandbox.ratelimits import Limits, RateLimiter

WINDOW = 4  # seconds: short, so the SDK's retry succeeds without waiting a minute
PROMPT = [{"role": "user", "content": "Hello"}]
MODEL = "claude-haiku-4-5"


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcess]:
    srv = start_sandbox(
        tmp_path_factory.mktemp("limited"),
        SANDBOX_RATE_LIMITS="requests=5,input_tokens=2000",
        SANDBOX_RATE_LIMIT_WINDOW=str(WINDOW),
    )
    yield srv
    srv.stop()


def client_for(server: Harness, **kwargs: Any) -> anthropic.Anthropic:
    """Limits are per API key: each test uses its own key so tests cannot interfere."""
    return server.client(api_key=f"sk-{uuid.uuid4()}", **kwargs)


def test_sixth_request_gets_the_real_429_and_the_sdk_retry_then_succeeds(limited) -> None:
    # One scenario on one dedicated sandbox.
    client = client_for(limited)
    remaining, input_left = [], []
    for _ in range(5):
        raw = client.messages.with_raw_response.create(model=MODEL, max_tokens=16, messages=PROMPT)
        assert raw.headers["anthropic-ratelimit-requests-limit"] == "5"
        remaining.append(int(raw.headers["anthropic-ratelimit-requests-remaining"]))
        input_left.append(int(raw.headers["anthropic-ratelimit-input-tokens-remaining"]))
        used = raw.parse().usage.input_tokens
    assert remaining == [4, 3, 2, 1, 0]
    assert input_left == [2000 - used * n for n in range(1, 6)]

    with pytest.raises(anthropic.RateLimitError) as caught:
        client.messages.create(model=MODEL, max_tokens=16, messages=PROMPT)
    response = caught.value.response
    assert response.status_code == 429
    assert 1 <= int(response.headers["retry-after"]) <= WINDOW
    assert response.headers["x-should-retry"] == "true"
    assert response.headers["anthropic-ratelimit-requests-remaining"] == "0"
    error = caught.value.body["error"]
    assert error["type"] == "rate_limit_error"
    assert error["message"].startswith(
        f"This request would exceed your organization's rate limit of 5 requests per "
        f"{WINDOW} seconds (org: {response.headers['anthropic-organization-id']}, model: {MODEL})."
    )
    assert "https://docs.claude.com/en/api/rate-limits" in error["message"]

    # The SDK's own retry waits `retry-after` and gets through once a slot is free.
    retrying = client.with_options(max_retries=2)
    raw = retrying.messages.with_raw_response.create(model=MODEL, max_tokens=16, messages=PROMPT)
    assert raw.http_request.headers["x-stainless-retry-count"] == "1"
    assert raw.parse().type == "message"

    # Another key has its own window; its input tokens are limited too.
    other = client_for(limited)
    big = [{"role": "user", "content": "word " * 1500}]
    assert other.messages.create(model=MODEL, max_tokens=16, messages=big)
    with pytest.raises(anthropic.RateLimitError) as caught:
        other.messages.create(model=MODEL, max_tokens=16, messages=big)
    assert "rate limit of 2,000 input tokens per" in caught.value.body["error"]["message"]


def test_without_limits_generous_limits_are_advertised_and_never_run_out(http) -> None:
    body = {"model": MODEL, "max_tokens": 16, "messages": PROMPT}
    for _ in range(2):
        headers = http.post("/v1/messages", json=body, headers=HEADERS).headers
        for name in ("requests", "tokens", "input-tokens", "output-tokens"):
            prefix = f"anthropic-ratelimit-{name}"
            assert headers[f"{prefix}-remaining"] == headers[f"{prefix}-limit"]
            datetime.strptime(headers[f"{prefix}-reset"], "%Y-%m-%dT%H:%M:%SZ")
    tokens = int(headers["anthropic-ratelimit-tokens-limit"])
    assert tokens == int(headers["anthropic-ratelimit-input-tokens-limit"]) + int(
        headers["anthropic-ratelimit-output-tokens-limit"]
    )


# -- the limiter itself, on an injected clock --------------------------------------------
class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


class Limited:
    """A limiter and the limits it is called with (the sandbox passes its snapshot's)."""

    def __init__(self, clock: Clock, limits: Limits) -> None:
        self.limiter = RateLimiter(window=60, clock=clock, organization_id="org")
        self.limits = limits

    def admit(self, key: str, **kwargs: Any) -> Any:
        return self.limiter.admit(key, self.limits, **kwargs)

    def record_output(self, admission: Any, tokens: int) -> None:
        self.limiter.record_output(admission, tokens)

    def headers(self, key: str) -> list[tuple[bytes, bytes]]:
        return self.limiter.headers(key, self.limits)


def limiter(clock: Clock, **limits: int) -> Limited:
    return Limited(clock, Limits(**limits))


def test_retry_after_counts_until_the_oldest_request_leaves_the_window() -> None:
    clock = Clock()
    rl = limiter(clock, requests=2)
    rl.admit("k", input_tokens=1, model=MODEL)
    clock.now += 20
    rl.admit("k", input_tokens=1, model=MODEL)
    clock.now += 10
    with pytest.raises(RateLimitError) as caught:
        rl.admit("k", input_tokens=1, model=MODEL)
    assert caught.value.headers["retry-after"] == "30"  # first one leaves at t0 + 60
    assert "rate limit of 2 requests per minute" in caught.value.message
    clock.now += 30
    rl.admit("k", input_tokens=1, model=MODEL)


def test_output_tokens_are_recorded_after_the_reply_and_then_refuse() -> None:
    clock = Clock()
    rl = limiter(clock, output_tokens=100)
    rl.record_output(rl.admit("k", input_tokens=5, model=MODEL), 100)
    headers = dict(rl.headers("k"))
    assert headers[b"anthropic-ratelimit-output-tokens-remaining"] == b"0"
    assert headers[b"anthropic-ratelimit-input-tokens-remaining"] == b"1999995"
    with pytest.raises(RateLimitError) as caught:
        rl.admit("k", input_tokens=5, model=MODEL)
    assert "100 output tokens per minute" in caught.value.message
    clock.now += 60
    assert dict(rl.headers("k"))[b"anthropic-ratelimit-output-tokens-remaining"] == b"100"
