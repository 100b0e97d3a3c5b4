"""``x-sandbox-session`` and ``x-sandbox-strict`` are read when the flow first needs them: a
request that sends neither has both as plain values, and an invalid one is refused only when
the request reaches the fixtures (after its body was found valid), with the same words."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from messages_sandbox.errors import InvalidRequestError
from messages_sandbox.headers import Caller, read_caller
from messages_sandbox.sandbox import Sandbox
from messages_sandbox.settings import Settings

BASE = {b"x-api-key": b"sk-ant-test-key", b"anthropic-version": b"2023-06-01"}
BODY = {
    "model": "claude-sonnet-4-5",
    "max_tokens": 16,
    "messages": [{"role": "user", "content": "Hi"}],
}
BAD_STRICT = "x-sandbox-strict: expected true or false, got 'maybe'"
BAD_SESSION = "x-sandbox-session: a session name is 1 to 256 characters, no control characters"


def caller(**extra: bytes) -> Caller:
    raw = {**BASE, **{k.replace("_", "-").encode(): v for k, v in extra.items()}}
    return read_caller(raw, request_id="req_test", query_beta=False, api_keys=(), known_betas=None)


@pytest.mark.parametrize(
    ("headers", "session", "strict"),
    [
        ({}, None, None),
        ({"x_sandbox_session": b"team-a"}, "team-a", None),
        ({"x_sandbox_session": b" global "}, None, None),
        ({"x_sandbox_session": b""}, None, None),
        ({"x_sandbox_strict": b" TRUE "}, None, True),
        ({"x_sandbox_strict": b"off", "x_sandbox_session": b"s"}, "s", False),
    ],
)
def test_session_and_strict_from_the_headers(
    headers: dict[str, bytes], session: str | None, strict: bool | None
) -> None:
    seen = caller(**headers)
    assert (seen.session, seen.strict) == (session, strict)
    assert (seen.session, seen.strict) == (session, strict)  # kept, read again


@pytest.mark.parametrize(
    ("headers", "message", "read"),
    [
        ({"x_sandbox_strict": b"maybe"}, BAD_STRICT, "strict"),
        ({"x_sandbox_session": b"a\x00b"}, BAD_SESSION, "session"),
        ({"x_sandbox_session": b"x" * 257}, BAD_SESSION, "session"),
    ],
)
def test_an_invalid_header_is_refused_when_read_every_time(
    headers: dict[str, bytes], message: str, read: str
) -> None:
    seen = caller(**headers)  # reading the headers refuses nothing yet
    for _ in range(2):
        with pytest.raises(InvalidRequestError) as refused:
            getattr(seen, read)
        assert str(refused.value) == message


def test_a_caller_made_from_decoded_headers_reads_them_too() -> None:
    seen = Caller("req_1", "sk", "2023-06-01", headers={"x-sandbox-strict": "maybe"})
    with pytest.raises(InvalidRequestError, match="x-sandbox-strict"):
        getattr(seen, "strict")  # noqa: B009 (read for its refusal)
    plain = Caller("req_1", "sk", "2023-06-01", headers={"x-sandbox-session": "team-b"})
    assert (plain.session, plain.strict) == ("team-b", None)
    assert (Caller("req_1", "sk", "2023-06-01").session, Caller("r", "k", "v").strict) == (
        None,
        None,
    )


def test_the_body_is_checked_before_an_invalid_strict_header(tmp_path: Path) -> None:
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    sandbox = Sandbox(Settings(fixtures=fixtures, reload=False, data_dir=tmp_path / "data"))
    pipeline = sandbox.pipeline
    bad_body = orjson.dumps({**BODY, "max_tokens": "many"})
    with pytest.raises(InvalidRequestError, match="max_tokens"):
        pipeline.messages(caller(x_sandbox_strict=b"maybe"), bad_body)
    with pytest.raises(InvalidRequestError) as refused:
        pipeline.messages(caller(x_sandbox_strict=b"maybe"), orjson.dumps(BODY))
    assert str(refused.value) == BAD_STRICT
    with pytest.raises(InvalidRequestError) as refused:
        pipeline.messages(caller(x_sandbox_session=b"a\x00b"), orjson.dumps(BODY))
    assert str(refused.value) == BAD_SESSION
    assert pipeline.messages(caller(), orjson.dumps(BODY)).message["role"] == "assistant"
