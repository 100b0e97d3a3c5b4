"""Drive a running sandbox with LiteLLM, which speaks to Anthropic with its own HTTP code
and SSE parser (not the SDK) and turns everything into OpenAI-shaped objects.

Run by ``tests/compat/run.sh`` in its own venv; one line per check, exit 1 on any failure.
"""

from __future__ import annotations

import json
import os
import sys
from importlib.metadata import version
from typing import Any

# LiteLLM fetches its model price list from GitHub at import unless told to use its own copy.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import litellm  # after the variable above, on purpose

litellm.suppress_debug_info = True
from harness import Checks, expect  # noqa: E402 - beside this script

BASE_URL = os.environ.get("SANDBOX_URL", "http://127.0.0.1:8080")
API_KEY = os.environ.get("SANDBOX_KEY", "sk-ant-compat")
MODEL = "anthropic/claude-sonnet-4-6"
LABEL = f"litellm {version('litellm')}"
HELLO = [{"role": "user", "content": "Hello there"}]
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather in a city.",
        "parameters": {
            "type": "object",
            "properties": {"location": {"type": "string"}},
            "required": ["location"],
        },
    },
}
checks = Checks()
check = checks.check


def complete(**kwargs: Any) -> Any:
    kwargs.setdefault("max_tokens", 256)
    return litellm.completion(
        model=MODEL, api_base=BASE_URL, api_key=API_KEY, num_retries=0, **kwargs
    )


@check
def completion_with_usage() -> str:
    reply = complete(messages=HELLO)
    choice = reply.choices[0]
    expect(choice.message.content and choice.finish_reason == "stop", reply)
    expect(reply.usage.prompt_tokens > 0 and reply.usage.completion_tokens > 0, reply.usage)
    return f"{reply.usage.prompt_tokens} in / {reply.usage.completion_tokens} out"


@check
def streaming_completion() -> str:
    pieces: list[str] = []
    finish = None
    usage = None
    for chunk in complete(messages=HELLO, stream=True, stream_options={"include_usage": True}):
        if chunk.choices:
            pieces.append(chunk.choices[0].delta.content or "")
            finish = chunk.choices[0].finish_reason or finish
        usage = getattr(chunk, "usage", None) or usage
    text = "".join(pieces)
    expect(text == complete(messages=HELLO).choices[0].message.content, text)
    expect(finish == "stop" and usage and usage.completion_tokens > 0, (finish, usage))
    return f"{len(text)} chars"


@check
def forced_tool_call_streamed_and_not() -> str:
    forced = {"type": "function", "function": {"name": "get_weather"}}
    ask = [{"role": "user", "content": "Weather in Paris?"}]
    reply = complete(messages=ask, tools=[WEATHER], tool_choice=forced)
    calls = reply.choices[0].message.tool_calls
    expect(calls and calls[0].function.name == "get_weather", reply)
    args = json.loads(calls[0].function.arguments)
    expect("location" in args and reply.choices[0].finish_reason == "tool_calls", reply)
    streamed = ""
    for chunk in complete(messages=ask, tools=[WEATHER], tool_choice=forced, stream=True):
        for call in (chunk.choices[0].delta.tool_calls or []) if chunk.choices else []:
            streamed += call.function.arguments or ""
    expect(json.loads(streamed) == args, streamed)
    return json.dumps(args)


@check
def tool_loop_round_trip() -> str:
    ask = [{"role": "user", "content": "Weather demo: what's the weather in Paris?"}]
    first = complete(messages=ask, tools=[WEATHER]).choices[0].message
    call = first.tool_calls[0]
    history = [
        *ask,
        first.model_dump(exclude_none=True),
        {"role": "tool", "tool_call_id": call.id, "content": "18 degrees and sunny"},
    ]
    answer = complete(messages=history, tools=[WEATHER]).choices[0].message.content
    expect("18 degrees and sunny" in answer, answer)
    return answer[:40]


@check
def thinking() -> str:
    reply = complete(
        messages=HELLO, max_tokens=2048, thinking={"type": "enabled", "budget_tokens": 1024}
    )
    message = reply.choices[0].message
    expect(message.reasoning_content and message.content, message)
    return f"{len(message.reasoning_content)} reasoning chars"


@check
def error_maps_to_not_found() -> str:
    try:
        litellm.completion(
            model="anthropic/claude-nope",
            api_base=BASE_URL,
            api_key=API_KEY,
            num_retries=0,
            max_tokens=8,
            messages=HELLO,
        )
    except litellm.NotFoundError as exc:
        expect("model: claude-nope" in str(exc), str(exc))
        return "NotFoundError"
    raise AssertionError("no error")


def main() -> int:
    return checks.run(LABEL)


if __name__ == "__main__":
    sys.exit(main())
