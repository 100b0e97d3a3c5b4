"""What the journal, the admin surface and recordings may show, in process, as tables: which
header and field names are secret, how a secret is masked, and the request's own key scrubbed
wherever it appears. The cheap pre-check (``may_hold_secrets``) is a fast path of the walk
(``redact_value``): a property test holds them to the same answer. (Through the server, with
the SDK: tests/test_journal.py.)"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from messages_sandbox.journal.redaction import (
    REDACTED,
    credentials_in,
    mask,
    may_hold_secrets,
    redact_headers,
    redact_pairs,
    redact_value,
    secret_field,
    secret_header,
)

KEY = "sk-ant-api03-abcdefghijklmnop-WXYZ"


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("x-api-key", True),
        ("Authorization", True),
        ("proxy-authorization", True),
        ("cookie", True),
        ("x-auth-token", True),
        ("x-client-secret", True),
        ("idempotency-key", False),  # public, though it has a `key` part
        ("x-stainless-retry-count", False),
        ("anthropic-version", False),
        ("content-type", False),
        ("x-keyboard-layout", False),  # parts, not substrings
    ],
)
def test_secret_headers_by_the_parts_of_their_name(name: str, secret: bool) -> None:
    assert secret_header(name) is secret


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("authorization_token", True),
        ("password", True),
        ("client_secret", True),
        ("api_key", True),
        ("apikey", True),
        ("apiKey", True),  # case does not matter
        ("session-cookie", True),
        ("credentials", True),
        ("max_tokens", False),  # a `tokens` part is a count, not a secret
        ("input_tokens", False),
        ("budget_tokens", False),
        ("keyword", False),
    ],
)
def test_secret_fields_by_the_parts_of_their_name(name: str, secret: bool) -> None:
    assert secret_field(name) is secret


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("short", REDACTED),
        ("fifteen-chars-x", REDACTED),
        ("sixteen-chars-xy", "<redacted …s-xy>"),
        (KEY, "<redacted …WXYZ>"),
    ],
)
def test_only_long_secrets_keep_their_last_four_characters(value: str, shown: str) -> None:
    assert mask(value) == shown


def test_credentials_are_the_presented_keys_bearer_stripped_short_ones_ignored() -> None:
    headers = {
        "x-api-key": KEY,
        "authorization": "Bearer sk-ant-oauth-0123456789",
        "cookie": "short",
        "content-type": "application/json",
    }
    assert credentials_in(headers) == (KEY, "sk-ant-oauth-0123456789")
    assert redact_headers(headers) == {
        "x-api-key": "<redacted …WXYZ>",
        "authorization": "<redacted …6789>",
        "cookie": REDACTED,
        "content-type": "application/json",
    }


def test_bodies_mask_secret_fields_and_scrub_the_key_everywhere() -> None:
    body = {
        "max_tokens": 16,
        "messages": [{"role": "user", "content": f"my key is {KEY}, keep it safe"}],
        "mcp_servers": [{"name": "x", "authorization_token": "mcp-secret-token-value"}],
        "metadata": {"user_id": "u-1"},
    }
    assert redact_value(body, [KEY]) == {
        "max_tokens": 16,
        "messages": [{"role": "user", "content": "my key is <redacted …WXYZ>, keep it safe"}],
        "mcp_servers": [{"name": "x", "authorization_token": "<redacted …alue>"}],
        "metadata": {"user_id": "u-1"},
    }
    assert body["messages"][0]["content"].endswith("keep it safe")  # a copy: input untouched
    assert KEY in body["messages"][0]["content"]


def test_query_parameters_mask_secret_names() -> None:
    pairs = [("beta", "true"), ("token", "hunter2-query-secret"), ("x-api-key", "k")]
    assert redact_pairs(pairs) == [
        ("beta", "true"),
        ("token", "<redacted …cret>"),
        ("x-api-key", REDACTED),
    ]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "text",
                    "max_tokens",
                    "token",
                    "api_key",
                    "api-key",
                    "API.Key",
                    "Cookie",
                    "tokens",
                    "a",
                ]
            )
            | st.text(max_size=10),
            inner,
            max_size=3,
        )
    ),
    max_leaves=8,
)


@given(value=json_values, secret=st.sampled_from(["", KEY]))
def test_the_cheap_pre_check_never_says_no_when_the_walk_would_change_something(
    value: Any, secret: str
) -> None:
    if secret and isinstance(value, dict):
        value = {**value, "quoted": f"the key {secret}"}
    secrets = [secret] if secret else []
    raw = json.dumps(value).encode()
    if not may_hold_secrets(raw, secrets):
        assert redact_value(value, secrets) == value


def test_a_caller_shows_no_secret_in_its_repr() -> None:
    from messages_sandbox.headers import Caller

    headers = {"x-api-key": KEY, "x-client-note": f"mine is {KEY}", "anthropic-version": "v"}
    caller = Caller("req_1", KEY, "2023-06-01", headers=headers)
    shown = repr(caller)
    assert KEY not in shown
    assert "<redacted …WXYZ>" in shown and "'anthropic-version': 'v'" in shown


def test_settings_show_no_secret_in_their_repr() -> None:
    from messages_sandbox.settings import Settings

    settings = Settings(api_keys=KEY, admin_token="admin-tok3n", signing_key="sign1ng")
    shown = repr(settings)
    assert KEY not in shown and "admin-tok3n" not in shown and "sign1ng" not in shown
    assert settings.api_keys == (KEY,)  # only the repr hides them
