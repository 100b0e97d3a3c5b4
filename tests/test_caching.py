"""Prompt caching: breakpoints create entries keyed by the exact prefix, repeats read them."""

from __future__ import annotations

import uuid
from typing import Any

from messages_sandbox.caching import PromptCache
from messages_sandbox.tokens import count_request

MODEL = "claude-sonnet-4-6"  # min cacheable prefix 1024 tokens
LONG = "Background facts about the project, repeated to pass the minimum. " * 200


def cached_system(ttl: str | None = None, text: str = LONG) -> list[dict[str, Any]]:
    cache_control: dict[str, Any] = {"type": "ephemeral"}
    if ttl:
        cache_control["ttl"] = ttl
    # A fresh prefix per test: the session server's cache is shared by every test.
    return [{"type": "text", "text": f"{uuid.uuid4()} {text}", "cache_control": cache_control}]


def user(text: str) -> list[dict[str, Any]]:
    return [{"role": "user", "content": text}]


def total(usage: Any) -> int:
    return usage.input_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens


def test_cached_system_prompt_is_created_then_read(client) -> None:
    params = {"model": MODEL, "system": cached_system(), "messages": user("First question")}
    counted = client.messages.count_tokens(**params).input_tokens

    first = client.messages.create(max_tokens=64, **params).usage
    assert first.cache_creation_input_tokens > 1024
    assert first.cache_read_input_tokens == 0
    assert first.cache_creation.ephemeral_5m_input_tokens == first.cache_creation_input_tokens
    assert first.cache_creation.ephemeral_1h_input_tokens == 0
    assert total(first) == counted

    second = client.messages.create(max_tokens=64, **params).usage
    assert second.cache_read_input_tokens == first.cache_creation_input_tokens
    assert second.cache_creation_input_tokens == 0
    assert second.input_tokens == first.input_tokens
    assert total(second) == counted


def test_streamed_usage_reports_the_cache_like_json(client) -> None:
    params = {"model": MODEL, "system": cached_system(), "messages": user("Stream it")}
    with client.messages.stream(max_tokens=64, **params) as stream:
        events = list(stream)
        created = stream.get_final_message().usage
    start = next(e for e in events if e.type == "message_start").message.usage
    assert start.cache_creation_input_tokens == created.cache_creation_input_tokens > 0
    assert start.cache_creation.ephemeral_5m_input_tokens == created.cache_creation_input_tokens

    with client.messages.stream(max_tokens=64, **params) as stream:
        read = stream.get_final_message().usage
    assert read.cache_read_input_tokens == created.cache_creation_input_tokens
    assert read.cache_creation_input_tokens == 0


def test_one_hour_breakpoint_reports_ephemeral_1h(client) -> None:
    usage = client.messages.create(
        model=MODEL, max_tokens=32, system=cached_system("1h"), messages=user("Hi")
    ).usage
    assert usage.cache_creation.ephemeral_1h_input_tokens == usage.cache_creation_input_tokens > 0
    assert usage.cache_creation.ephemeral_5m_input_tokens == 0


def test_prefix_below_the_model_minimum_is_not_cached(client) -> None:
    short = cached_system(text="Too short to cache.")
    for _ in range(2):
        usage = client.messages.create(
            model=MODEL, max_tokens=32, system=short, messages=user("Hi")
        ).usage
        assert usage.cache_creation_input_tokens == 0
        assert usage.cache_read_input_tokens == 0


def test_minimum_cacheable_length_is_per_model(client) -> None:
    # ~2,000 tokens: enough for Sonnet 4.6 (1,024), not for Haiku 4.5 (4,096).
    system = cached_system(text=LONG[: len(LONG) * 2 // 3])
    sonnet = client.messages.create(model=MODEL, max_tokens=8, system=system, messages=user("a"))
    haiku = client.messages.create(
        model="claude-haiku-4-5", max_tokens=8, system=system, messages=user("a")
    )
    assert 1024 <= sonnet.usage.cache_creation_input_tokens < 4096
    assert haiku.usage.cache_creation_input_tokens == 0


def test_automatic_caching_moves_forward_with_the_conversation(client) -> None:
    opening = f"{uuid.uuid4()} {LONG}"
    turn1 = [{"role": "user", "content": opening}]
    first = client.messages.create(
        model=MODEL, max_tokens=64, messages=turn1, cache_control={"type": "ephemeral"}
    )
    assert first.usage.cache_creation_input_tokens > 1024
    assert first.usage.input_tokens > 0  # the fixed request overhead is never cached

    turn2 = [
        *turn1,
        {"role": "assistant", "content": first.content[0].text},
        {"role": "user", "content": "Tell me more."},
    ]
    second = client.messages.create(
        model=MODEL, max_tokens=64, messages=turn2, cache_control={"type": "ephemeral"}
    ).usage
    assert second.cache_read_input_tokens == first.usage.cache_creation_input_tokens
    assert second.cache_creation_input_tokens > 0  # the new turn is written for next time
    counted = client.messages.count_tokens(model=MODEL, messages=turn2).input_tokens
    assert total(second) == counted


def test_a_change_before_the_breakpoint_is_a_miss(client) -> None:
    system = cached_system()
    tool = {"name": "lookup", "input_schema": {"type": "object"}}
    base = {"model": MODEL, "max_tokens": 16, "system": system, "messages": user("q")}
    client.messages.create(**base, tools=[tool])
    changed = client.messages.create(**base, tools=[{**tool, "description": "changed"}]).usage
    assert changed.cache_read_input_tokens == 0
    assert changed.cache_creation_input_tokens > 0
    # A change after the breakpoint keeps the hit.
    later = client.messages.create(**{**base, "messages": user("other")}, tools=[tool]).usage
    assert later.cache_read_input_tokens > 0


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def request(ttl: str) -> dict[str, Any]:
    return {
        "model": MODEL,
        "system": cached_system(ttl),
        "messages": user("Hi"),
    }


def test_entries_expire_after_their_ttl_and_a_read_refreshes_them() -> None:
    clock = Clock()
    cache = PromptCache(clock)
    five, hour = request("5m"), request("1h")
    for req in (five, hour):
        assert cache.usage(req, model_id=MODEL, min_tokens=1024).cache_creation_input_tokens

    clock.now += 299
    assert cache.usage(five, model_id=MODEL, min_tokens=1024).cache_read_input_tokens
    clock.now += 299  # 598 s after the write, 299 s after the refreshing read
    assert cache.usage(five, model_id=MODEL, min_tokens=1024).cache_read_input_tokens
    clock.now += 301
    expired = cache.usage(five, model_id=MODEL, min_tokens=1024)
    assert expired.cache_read_input_tokens == 0
    assert expired.cache_creation_input_tokens > 0

    # 899 s after it was written the 1h entry is alive; an hour after that read it is gone.
    assert cache.usage(hour, model_id=MODEL, min_tokens=1024).cache_read_input_tokens
    clock.now += 3601
    assert cache.usage(hour, model_id=MODEL, min_tokens=1024).cache_read_input_tokens == 0


def test_usage_always_adds_up_to_the_estimate() -> None:
    cache = PromptCache(Clock())
    req = request("5m")
    for _ in range(2):
        usage = cache.usage(req, model_id=MODEL, min_tokens=1024)
        parts = usage.input_tokens + usage.cache_creation_input_tokens
        assert parts + usage.cache_read_input_tokens == count_request(req)


def test_count_tokens_never_writes_the_cache(client) -> None:
    params = {"model": MODEL, "system": cached_system(), "messages": user("Hi")}
    client.messages.count_tokens(**params)
    usage = client.messages.create(max_tokens=16, **params).usage
    assert usage.cache_read_input_tokens == 0
    assert usage.cache_creation_input_tokens > 0
