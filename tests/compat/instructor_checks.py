"""Drive a running sandbox with instructor, the structured-extraction library: its tool modes
(one, an iterable, parallel tools), its JSON mode (the schema asked for in the system prompt)
and its streamed partial and iterable extraction, sync and async.

Run by ``tests/compat/run.sh`` in its own venv; one line per check, exit 1 on any failure.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Iterable
from importlib.metadata import version
from typing import Literal

import anthropic
import instructor
from harness import Checks, expect
from pydantic import BaseModel

BASE_URL = os.environ.get("SANDBOX_URL", "http://127.0.0.1:8080")
API_KEY = os.environ.get("SANDBOX_KEY", "sk-ant-compat")
MODEL = "claude-sonnet-4-6"
LABEL = f"instructor {version('instructor')}"
checks = Checks()
check = checks.check


class Address(BaseModel):
    street: str
    city: str


class User(BaseModel):
    name: str
    age: int
    addresses: list[Address]


class Weather(BaseModel):
    """The weather in a city."""

    city: str
    units: Literal["metric", "imperial"]


class Search(BaseModel):
    """A web search."""

    query: str


def client(mode: instructor.Mode) -> instructor.Instructor:
    sdk = anthropic.Anthropic(base_url=BASE_URL, api_key=API_KEY, max_retries=0)
    return instructor.from_anthropic(sdk, mode=mode)


def extract(mode: instructor.Mode, response_model: object, text: str, **extra: object) -> object:
    return client(mode).messages.create(
        model=MODEL,
        max_tokens=1024,
        messages=[{"role": "user", "content": text}],
        response_model=response_model,
        max_retries=0,  # a reask would hide a first answer that did not validate
        **extra,
    )


@check
def tools_mode_extracts_a_nested_model() -> str:
    user = extract(instructor.Mode.ANTHROPIC_TOOLS, User, "Jason is 25 and lives in Paris.")
    expect(isinstance(user, User) and user.addresses, user)
    return f"{len(user.addresses)} address(es)"


@check
def json_mode_answers_the_schema_in_the_system_prompt() -> str:
    user = extract(instructor.Mode.ANTHROPIC_JSON, User, "Jason is 25 and lives in Paris.")
    expect(isinstance(user, User), user)
    again = extract(instructor.Mode.ANTHROPIC_JSON, User, "Jason is 25 and lives in Paris.")
    expect(again.model_dump() == user.model_dump(), (again, user))  # the same answer again
    return user.model_dump_json()[:60]


@check
def iterable_extraction_in_both_modes() -> str:
    counts = []
    for mode in (instructor.Mode.ANTHROPIC_TOOLS, instructor.Mode.ANTHROPIC_JSON):
        users = list(extract(mode, Iterable[User], "Jason is 25, Ann is 31."))
        expect(users and all(isinstance(u, User) for u in users), users)
        counts.append(len(users))
    return f"{counts[0]} and {counts[1]} users"


@check
def parallel_tools_call_the_tools_the_prompt_names() -> str:
    calls = list(
        extract(
            instructor.Mode.ANTHROPIC_PARALLEL_TOOLS,
            Iterable[Weather | Search],
            "Give me the weather in Toronto, and a search for the super bowl winner.",
        )
    )
    expect({type(c) for c in calls} == {Weather, Search}, calls)
    return ", ".join(type(c).__name__ for c in calls)


@check
def streamed_partial_ends_with_the_full_object() -> str:
    details = []
    for mode in (instructor.Mode.ANTHROPIC_TOOLS, instructor.Mode.ANTHROPIC_JSON):
        text = "Jason is 25 and lives in Paris."
        partials = list(
            client(mode).messages.create_partial(
                model=MODEL,
                max_tokens=1024,
                messages=[{"role": "user", "content": text}],
                response_model=User,
                max_retries=0,
            )
        )
        # The last partial is the whole object, every field filled and valid.
        User.model_validate(partials[-1].model_dump())
        expect(len(partials) > 2, partials)
        details.append(f"{len(partials)} partials")
    return " / ".join(details)


@check
def streamed_iterable_yields_each_object() -> str:
    users = list(
        client(instructor.Mode.ANTHROPIC_TOOLS).messages.create_iterable(
            model=MODEL,
            max_tokens=1024,
            messages=[{"role": "user", "content": "Jason is 25, Ann is 31."}],
            response_model=User,
            max_retries=0,
        )
    )
    expect(users and all(isinstance(u, User) for u in users), users)
    return f"{len(users)} users"


@check
def async_client_extracts() -> str:
    async def run() -> User:
        sdk = anthropic.AsyncAnthropic(base_url=BASE_URL, api_key=API_KEY, max_retries=0)
        async_client = instructor.from_anthropic(sdk, mode=instructor.Mode.ANTHROPIC_TOOLS)
        return await async_client.messages.create(
            model=MODEL,
            max_tokens=1024,
            messages=[{"role": "user", "content": "Jason is 25."}],
            response_model=User,
            max_retries=0,
        )

    user = asyncio.run(run())
    expect(isinstance(user, User), user)
    return user.name


def main() -> int:
    return checks.run(LABEL)


if __name__ == "__main__":
    sys.exit(main())
