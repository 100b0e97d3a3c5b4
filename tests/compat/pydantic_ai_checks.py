"""Drive a running sandbox with Pydantic AI, an agent framework on the official SDK: tool
loops, streamed events, and structured output in its three modes (an output tool, the schema
prompted in the instructions, native structured outputs), plain and streamed.

Run by ``tests/compat/run.sh`` in its own venv; one line per check, exit 1 on any failure.
"""

from __future__ import annotations

import asyncio
import os
import sys
from importlib.metadata import version

from harness import Checks, expect
from pydantic import BaseModel
from pydantic_ai import Agent, AgentRunResultEvent, NativeOutput, PromptedOutput
from pydantic_ai.messages import FunctionToolCallEvent, FunctionToolResultEvent, ToolCallPart
from pydantic_ai.models.anthropic import AnthropicModel
from pydantic_ai.providers.anthropic import AnthropicProvider

BASE_URL = os.environ.get("SANDBOX_URL", "http://127.0.0.1:8080")
API_KEY = os.environ.get("SANDBOX_KEY", "sk-ant-compat")
LABEL = f"pydantic-ai {version('pydantic-ai-slim')}"
MODEL = AnthropicModel(
    "claude-sonnet-4-6", provider=AnthropicProvider(base_url=BASE_URL, api_key=API_KEY)
)
checks = Checks()
check = checks.check


class City(BaseModel):
    name: str
    country: str
    population: int


def weather_agent() -> Agent[None, str]:
    agent = Agent(MODEL, instructions="Be concise.")

    @agent.tool_plain
    def get_weather(city: str) -> str:
        """The current weather in a city."""
        return f"18 degrees and sunny in {city}"

    return agent


@check
def tool_loop_round_trip() -> str:
    result = weather_agent().run_sync("What's the weather in Paris?")
    calls = [p for m in result.all_messages() for p in m.parts if isinstance(p, ToolCallPart)]
    expect([c.tool_name for c in calls] == ["get_weather"], calls)
    expect("18 degrees and sunny" in result.output, result.output)
    usage = result.usage
    expect(usage.input_tokens > 0 and usage.output_tokens > 0 and usage.requests == 2, usage)
    return result.output[:50]


@check
def streamed_events_through_a_tool_loop() -> str:
    async def run() -> tuple[list[str], str]:
        kinds: list[str] = []
        output = ""
        async with weather_agent().run_stream_events("What's the weather in Rome?") as events:
            async for event in events:
                kinds.append(type(event).__name__)
                if isinstance(event, AgentRunResultEvent):
                    output = event.result.output
        return kinds, output

    kinds, output = asyncio.run(run())
    expect(FunctionToolCallEvent.__name__ in kinds, kinds)
    expect(FunctionToolResultEvent.__name__ in kinds, kinds)
    expect("18 degrees and sunny" in output, output)
    return f"{len(kinds)} events"


@check
def structured_output_in_every_mode() -> str:
    outputs = []
    for output_type in (City, PromptedOutput(City), NativeOutput(City)):
        city = Agent(MODEL, output_type=output_type).run_sync("Tell me about Oslo.").output
        expect(isinstance(city, City), city)
        outputs.append(city)
    return "tool, prompted, native"


@check
def streamed_structured_output() -> str:
    async def run(output_type: object) -> list[City]:
        agent = Agent(MODEL, output_type=output_type)
        async with agent.run_stream("Tell me about Lima.") as result:
            return [partial async for partial in result.stream_output(debounce_by=None)]

    details = []
    for name, output_type in (("tool", City), ("prompted", PromptedOutput(City))):
        partials = asyncio.run(run(output_type))
        expect(partials and isinstance(partials[-1], City), partials)
        City.model_validate(partials[-1].model_dump())
        details.append(f"{name}: {len(partials)} partials")
    return ", ".join(details)


@check
def list_output_is_never_empty() -> str:
    # A list output comes back through an output tool whose schema wraps the list.
    cities = Agent(MODEL, output_type=list[City]).run_sync("Three big cities, please.").output
    expect(cities and all(isinstance(c, City) for c in cities), cities)
    return f"{len(cities)} cities"


def main() -> int:
    return checks.run(LABEL)


if __name__ == "__main__":
    sys.exit(main())
