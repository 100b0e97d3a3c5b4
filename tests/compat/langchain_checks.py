"""Drive a running sandbox with LangChain's ``ChatAnthropic`` (langchain-anthropic).

Run by ``tests/compat/run.sh`` in its own venv. LangChain reads the SDK's objects its own
way: usage into ``usage_metadata``, ``tool_use`` blocks into ``tool_calls``, stream chunks
summed into one message, structured output through a forced tool. One line per check; exit
status 1 when any check fails.
"""

from __future__ import annotations

import os
import sys
from importlib.metadata import version

from harness import Checks, expect
from langchain_anthropic import ChatAnthropic
from langchain_core.messages import AIMessageChunk, BaseMessage, HumanMessage, ToolMessage
from pydantic import BaseModel, Field

BASE_URL = os.environ.get("SANDBOX_URL", "http://127.0.0.1:8080")
API_KEY = os.environ.get("SANDBOX_KEY", "sk-ant-compat")
MODEL = "claude-sonnet-4-6"
LABEL = f"langchain-anthropic {version('langchain-anthropic')}"
checks = Checks()
check = checks.check


class GetWeather(BaseModel):
    """Current weather in a city."""

    location: str = Field(description="City name")


class Contact(BaseModel):
    """A person's contact details."""

    name: str
    email: str


def text(message: BaseMessage) -> str:
    """``.text`` is a property in langchain-core 1.x and a method in 0.3."""
    value = message.text
    return value if isinstance(value, str) else value()


def chat(**kwargs: object) -> ChatAnthropic:
    kwargs.setdefault("max_tokens", 256)
    return ChatAnthropic(model=MODEL, base_url=BASE_URL, api_key=API_KEY, max_retries=0, **kwargs)


@check
def invoke_with_usage_metadata() -> str:
    reply = chat().invoke("Hello there")
    expect(isinstance(reply.content, str) and reply.content, reply)
    usage = reply.usage_metadata
    expect(usage and usage["input_tokens"] > 0 and usage["output_tokens"] > 0, usage)
    expect(usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"], usage)
    expect(reply.response_metadata.get("stop_reason") == "end_turn", reply.response_metadata)
    return f"{usage['input_tokens']} in / {usage['output_tokens']} out"


@check
def stream_chunks_sum_to_the_answer() -> str:
    model = chat()
    chunks = list(model.stream("Hello there"))
    expect(len(chunks) > 2, f"{len(chunks)} chunks")
    total = chunks[0]
    for chunk in chunks[1:]:
        total = total + chunk
    expect(isinstance(total, AIMessageChunk), type(total))
    expect(text(total) == text(model.invoke("Hello there")), text(total))
    usage = total.usage_metadata
    expect(usage and usage["input_tokens"] > 0 and usage["output_tokens"] > 0, usage)
    return f"{len(chunks)} chunks"


@check
def bind_tools_forced_call_and_tool_loop() -> str:
    model = chat().bind_tools([GetWeather], tool_choice="GetWeather")
    question = HumanMessage("Weather in Paris?")
    reply = model.invoke([question])
    expect(len(reply.tool_calls) == 1, reply.tool_calls)
    call = reply.tool_calls[0]
    expect(call["name"] == "GetWeather" and "location" in call["args"], call)
    answer = (
        chat()
        .bind_tools([GetWeather])
        .invoke([question, reply, ToolMessage("18 degrees and sunny", tool_call_id=call["id"])])
    )
    expect("18 degrees and sunny" in text(answer), text(answer))
    return f"{call['args']}"


@check
def bind_tools_streamed_tool_call_chunks() -> str:
    model = chat().bind_tools([GetWeather], tool_choice="GetWeather")
    total = None
    for chunk in model.stream("Weather in Paris?"):
        total = chunk if total is None else total + chunk
    expect(total is not None and len(total.tool_calls) == 1, total)
    expect("location" in total.tool_calls[0]["args"], total.tool_calls)
    return f"{total.tool_calls[0]['args']}"


@check
def structured_output() -> str:
    found = chat().with_structured_output(Contact).invoke("Alice, alice@example.com")
    expect(isinstance(found, Contact) and found.name and found.email, found)
    return f"{found!r}"


@check
def thinking_blocks_in_content() -> str:
    model = chat(max_tokens=2048, thinking={"type": "enabled", "budget_tokens": 1024})
    reply = model.invoke("Hello there")
    kinds = [b["type"] for b in reply.content if isinstance(b, dict)]
    expect(kinds and kinds[0] == "thinking", reply.content)
    again = model.invoke([HumanMessage("Hello there"), reply, HumanMessage("And again?")])
    expect(again.content, again)
    return ",".join(kinds)


@check
def structured_output_json_schema() -> str:
    model = chat().with_structured_output(Contact, method="json_schema")
    found = model.invoke("Alice, alice@example.com")
    expect(isinstance(found, Contact) and found.name and found.email, found)
    return f"{found!r}"


@check
def async_invoke() -> str:
    import asyncio

    reply = asyncio.run(chat().ainvoke("Hello there"))
    expect(text(reply), reply)
    return f"{len(text(reply))} chars"


def main() -> int:
    return checks.run(LABEL)


if __name__ == "__main__":
    sys.exit(main())
