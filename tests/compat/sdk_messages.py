"""SDK checks of ``messages``: create, streams, tools, thinking, token counts, models, beta
surfaces, structured output, the tool runner, paced streams, the async client."""

from __future__ import annotations

import asyncio
import json

import anthropic
import pydantic
from harness import Checks, expect, need
from sdk_client import API_KEY, BASE_URL, HELLO, MODEL, WEATHER, accepts, client, text_of

checks = Checks()
check = checks.check


class Contact(pydantic.BaseModel):
    name: str
    email: str


@check
def messages_create() -> str:
    msg = client().messages.create(model=MODEL, max_tokens=64, messages=HELLO)
    expect(msg.id.startswith("msg_") and msg.type == "message", f"id/type {msg.id} {msg.type}")
    expect(text_of(msg) and msg.stop_reason == "end_turn", f"reply {msg}")
    expect(msg.usage.input_tokens > 0 and msg.usage.output_tokens > 0, f"usage {msg.usage}")
    expect(getattr(msg, "_request_id", "req_").startswith("req_"), "request id")
    return msg.id


@check
def messages_stream_text() -> str:
    with client().messages.stream(model=MODEL, max_tokens=64, messages=HELLO) as stream:
        streamed = "".join(stream.text_stream)
        final = stream.get_final_message()
    expect(streamed and streamed == text_of(final), f"{streamed!r} != {text_of(final)!r}")
    expect(final.stop_reason == "end_turn" and final.usage.output_tokens > 0, f"{final}")
    return f"{len(streamed)} chars"


@check
def messages_raw_stream_event_names() -> str:
    """The older decoders yield only the six named events; all must be there, in order."""
    stream = client().messages.create(model=MODEL, max_tokens=64, messages=HELLO, stream=True)
    kinds = [event.type for event in stream]
    expect(kinds[0] == "message_start" and kinds[-2:] == ["message_delta", "message_stop"], kinds)
    expect(
        {"content_block_start", "content_block_delta", "content_block_stop"} <= set(kinds), kinds
    )
    return f"{len(kinds)} events"


@check
def forced_tool_use_stream_accumulates_input() -> str:
    partial = ""
    with client().messages.stream(
        model=MODEL,
        max_tokens=256,
        tools=[WEATHER],
        tool_choice={"type": "tool", "name": "get_weather"},
        messages=[{"role": "user", "content": "Weather in Paris?"}],
    ) as stream:
        for event in stream:
            if event.type == "input_json":
                partial += event.partial_json
        final = stream.get_final_message()
    calls = [b for b in final.content if b.type == "tool_use"]
    expect(len(calls) == 1 and calls[0].name == "get_weather", f"{final.content}")
    expect(json.loads(partial) == calls[0].input, f"{partial!r} vs {calls[0].input}")
    expect("location" in calls[0].input and final.stop_reason == "tool_use", f"{final}")
    return json.dumps(calls[0].input)


@check
def tool_loop_round_trip() -> str:
    """An agent loop as apps write it: the SDK's own content objects go back as params."""
    c = client()
    ask = [{"role": "user", "content": "Weather demo: what's the weather in Paris?"}]
    first = c.messages.create(model=MODEL, max_tokens=256, tools=[WEATHER], messages=ask)
    call = next(b for b in first.content if b.type == "tool_use")
    result = {"type": "tool_result", "tool_use_id": call.id, "content": "18 degrees and sunny"}
    second = c.messages.create(
        model=MODEL,
        max_tokens=256,
        tools=[WEATHER],
        messages=[
            *ask,
            {"role": "assistant", "content": first.content},
            {"role": "user", "content": [result]},
        ],
    )
    expect("18 degrees and sunny" in text_of(second), text_of(second))
    return text_of(second)[:40]


@check
def thinking_create_stream_and_round_trip() -> str:
    c = client()
    need(accepts(c.messages.create, "thinking"), "no thinking parameter")
    thinking = {"type": "enabled", "budget_tokens": 1024}
    msg = c.messages.create(model=MODEL, max_tokens=2048, thinking=thinking, messages=HELLO)
    block = msg.content[0]
    expect(block.type == "thinking" and block.signature, f"{msg.content}")
    thought = ""
    signatures = 0
    with c.messages.stream(
        model=MODEL, max_tokens=2048, thinking=thinking, messages=HELLO
    ) as stream:
        for event in stream:
            if event.type == "thinking":
                thought += event.thinking
            elif event.type == "signature":
                signatures += 1
        final = stream.get_final_message()
    expect(final.content[0].type == "thinking", f"{final.content}")
    expect(thought == final.content[0].thinking and signatures == 1, f"{thought!r} {signatures}")
    # The signed thinking block goes back unchanged on the next turn and must verify.
    again = c.messages.create(
        model=MODEL,
        max_tokens=2048,
        thinking=thinking,
        messages=[
            *HELLO,
            {"role": "assistant", "content": msg.content},
            {"role": "user", "content": "And again?"},
        ],
    )
    expect(again.content, f"{again}")
    return f"{len(thought)} thinking chars"


@check
def count_tokens() -> str:
    c = client()
    need(hasattr(c.messages, "count_tokens"), "no messages.count_tokens")
    counted = c.messages.count_tokens(model=MODEL, messages=HELLO, tools=[WEATHER])
    expect(counted.input_tokens > 0, f"{counted}")
    return str(counted.input_tokens)


@check
def beta_count_tokens() -> str:
    beta = client().beta.messages
    need(hasattr(beta, "count_tokens"), "no beta.messages.count_tokens")
    counted = beta.count_tokens(model=MODEL, messages=HELLO, betas=["token-counting-2024-11-01"])
    expect(counted.input_tokens > 0, f"{counted}")
    return str(counted.input_tokens)


@check
def models_list_auto_paginates() -> str:
    c = client()
    need(hasattr(c, "models"), "no models resource")
    walked = [m.id for m in c.models.list(limit=3)]
    whole = [m.id for m in c.models.list(limit=1000).data]
    expect(walked == whole and len(whole) > 3, f"{walked} vs {whole}")
    expect(c.models.retrieve(whole[0]).id == whole[0], "retrieve")
    return f"{len(walked)} models"


@check
def beta_messages_create() -> str:
    betas = ["interleaved-thinking-2025-05-14", "token-efficient-tools-2025-02-19"]
    msg = client().beta.messages.create(model=MODEL, max_tokens=64, messages=HELLO, betas=betas)
    expect(text_of(msg), f"{msg}")
    return msg.id


@check
def beta_messages_stream() -> str:
    beta = client().beta.messages
    need(hasattr(beta, "stream"), "no beta.messages.stream")
    betas = ["interleaved-thinking-2025-05-14"]
    with beta.stream(model=MODEL, max_tokens=64, messages=HELLO, betas=betas) as stream:
        streamed = "".join(stream.text_stream)
        final = stream.get_final_message()
    expect(streamed and streamed == text_of(final), f"{streamed!r}")
    return f"{len(streamed)} chars"


@check
def beta_prompt_caching_surface() -> str:
    """0.3x SDKs cached prompts through ``beta.prompt_caching`` (a beta header + ?beta=true)."""
    caching = getattr(client().beta, "prompt_caching", None)
    need(caching is not None, "no beta.prompt_caching")
    system = [
        {"type": "text", "text": "You are terse. " * 400, "cache_control": {"type": "ephemeral"}}
    ]
    msg = caching.messages.create(model=MODEL, max_tokens=64, system=system, messages=HELLO)
    written = msg.usage.cache_creation_input_tokens or msg.usage.cache_read_input_tokens
    expect(written, f"{msg.usage}")
    return f"{written} cached tokens"


@check
def structured_output_parse() -> str:
    """0.7x: ``beta.messages.parse`` sends the legacy top-level ``output_format``; 1.x+ sends
    ``output_config.format``; 2.x also has a GA ``messages.parse``."""
    c = client()
    parsers = [getattr(c.beta.messages, "parse", None), getattr(c.messages, "parse", None)]
    parsers = [p for p in parsers if p is not None]
    need(parsers, "no messages.parse helper")
    ask = [{"role": "user", "content": "Alice, alice@example.com"}]
    for parse in parsers:
        parsed = parse(model=MODEL, max_tokens=256, output_format=Contact, messages=ask)
        found = parsed.parsed_output
        expect(isinstance(found, Contact) and found.name and found.email, f"{parsed}")
    return f"{len(parsers)} helper(s)"


@check
def beta_output_format_field() -> str:
    """The raw legacy field, as 0.7x apps pass it to ``beta.messages.create``."""
    beta = client().beta.messages
    need(accepts(beta.create, "output_format"), "no output_format parameter")
    schema = Contact.model_json_schema()
    msg = beta.create(
        model=MODEL,
        max_tokens=256,
        betas=["structured-outputs-2025-11-13"],
        output_format={"type": "json_schema", "schema": schema},
        messages=[{"role": "user", "content": "Alice, alice@example.com"}],
    )
    found = Contact.model_validate_json(text_of(msg))
    return f"{found!r}"


@check
def tool_runner_agent_loop() -> str:
    beta = client().beta.messages
    need(hasattr(beta, "tool_runner"), "no beta.messages.tool_runner")
    from anthropic import beta_tool

    @beta_tool
    def get_weather(location: str) -> str:
        """Current weather in a city.

        Args:
            location: The city.
        """
        return f"18 degrees and sunny in {location}"

    runner = beta.tool_runner(
        model=MODEL,
        max_tokens=256,
        tools=[get_weather],
        messages=[{"role": "user", "content": "What's the weather? Use get_weather."}],
    )
    turns = list(runner)
    expect(len(turns) == 2 and turns[0].stop_reason == "tool_use", f"{turns}")
    expect("18 degrees and sunny" in text_of(turns[-1]), text_of(turns[-1]))
    return f"{len(turns)} turns"


@check
def paced_stream_with_keepalive_pings() -> str:
    """A paced fixture interleaves keep-alive pings; the older decoders must skip them."""
    ask = [{"role": "user", "content": "Paced demo: hello"}]
    with client().messages.stream(model=MODEL, max_tokens=256, messages=ask) as stream:
        streamed = "".join(stream.text_stream)
        final = stream.get_final_message()
    expect(streamed.startswith("Streaming at a human pace"), streamed)
    expect(streamed == text_of(final), f"{streamed!r}")
    return f"{len(streamed)} chars"


@check
def async_stream() -> str:
    async def run() -> str:
        c = anthropic.AsyncAnthropic(base_url=BASE_URL, api_key=API_KEY, max_retries=0)
        async with c.messages.stream(model=MODEL, max_tokens=64, messages=HELLO) as stream:
            streamed = "".join([t async for t in stream.text_stream])
            final = await stream.get_final_message()
        await c.close()
        expect(streamed == text_of(final), f"{streamed!r}")
        return f"{len(streamed)} chars"

    return asyncio.run(run())
