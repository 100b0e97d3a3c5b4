"""Server-held message threads (beta ``message-threads-2026-08-12``), driven by the official
SDK's thread state machine: the tool runner threads by default, so this is the path every
``client.beta.messages.tool_runner`` takes. Also the other SDK helpers that must work unchanged:
``messages.parse``, the streaming runner, the async client's streams."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import anthropic
import httpx
import pytest
from anthropic import beta_async_tool, beta_tool
from anthropic.types import (
    ThreadAlreadyContinuedError,
    ThreadContinueInFlightError,
    ThreadFingerprintMismatchError,
    ThreadNotFoundError,
)
from conftest import HEADERS, Harness, InProcess
from pydantic import BaseModel

MODEL = "claude-sonnet-4-6"
BETA = "message-threads-2026-08-12"
WEATHER = "Weather demo: what's the weather in Paris?"


@beta_tool
def get_weather(location: str, unit: str = "celsius") -> str:
    """Get the current weather for a location.

    Args:
        location: The city.
        unit: celsius or fahrenheit.
    """
    return f"Sunny, 21 degrees {unit} in {location}"


class Recorder:
    """A client whose request bodies are kept, to see what the SDK put on the wire."""

    def __init__(self, server: Harness) -> None:
        self.bodies: list[dict[str, Any]] = []
        http_client = server.http_client(event_hooks={"request": [self._record]})
        self.client = server.client(http_client=http_client)

    def _record(self, request: Any) -> None:
        if request.url.path == "/v1/messages":
            self.bodies.append(json.loads(request.content))

    @property
    def threads(self) -> list[dict[str, Any] | None]:
        return [body.get("thread") for body in self.bodies]


@pytest.fixture
def recorder(sandbox: InProcess) -> Iterator[Recorder]:
    rec = Recorder(sandbox)
    with rec.client:
        yield rec


def _create(client: anthropic.Anthropic, text: str = "Hello there", **params: Any) -> Any:
    params.setdefault("thread", {"type": "create"})
    return client.beta.messages.create(
        model=MODEL,
        max_tokens=200,
        messages=[{"role": "user", "content": text}],
        betas=[BETA],
        **params,
    )


def _continue(client: anthropic.Anthropic, previous_id: str, text: Any = "Go on", **params: Any):
    params.setdefault("model", MODEL)
    params.setdefault("max_tokens", 200)
    return client.beta.messages.create(
        messages=[{"role": "user", "content": text}],
        thread={"type": "continue", "previous_message_id": previous_id},
        betas=[BETA],
        **params,
    )


# -- the tool runner ---------------------------------------------------------------------------
def test_tool_runner_continues_the_thread_with_only_the_tool_results(recorder: Recorder) -> None:
    runner = recorder.client.beta.messages.tool_runner(
        model=MODEL,
        max_tokens=512,
        system="You are a weather bot.",
        tools=[get_weather],
        messages=[{"role": "user", "content": WEATHER}],
    )
    replies = list(runner)

    # The fixture matched the question, which only the first request carried: the server
    # answered the continue on the whole conversation it holds.
    assert [r.stop_reason for r in replies] == ["tool_use", "end_turn"]
    assert "Sunny, 21 degrees celsius in Paris" in replies[-1].content[0].text
    first, second = recorder.bodies
    assert first["thread"] == {"type": "create"}
    assert first["system"] == "You are a weather bot."
    assert second["thread"] == {"type": "continue", "previous_message_id": replies[0].id}
    assert "system" not in second and "tools" not in second
    (results,) = second["messages"]
    assert results["content"][0]["type"] == "tool_result"


def test_tool_runner_runs_several_rounds_on_one_thread(recorder: Recorder) -> None:
    runner = recorder.client.beta.messages.tool_runner(
        model=MODEL,
        max_tokens=512,
        tools=[get_weather],
        tool_choice={"type": "tool", "name": "get_weather"},
        messages=[{"role": "user", "content": "Check the weather, again and again."}],
        max_iterations=3,
    )
    replies = list(runner)

    assert len(replies) == 3
    assert recorder.threads == [
        {"type": "create"},
        {"type": "continue", "previous_message_id": replies[0].id},
        {"type": "continue", "previous_message_id": replies[1].id},
    ]
    assert [len(b["messages"]) for b in recorder.bodies] == [1, 1, 1]


def test_streaming_tool_runner_threads_and_accumulates_each_reply(recorder: Recorder) -> None:
    runner = recorder.client.beta.messages.tool_runner(
        model=MODEL,
        max_tokens=512,
        tools=[get_weather],
        messages=[{"role": "user", "content": WEATHER}],
        stream=True,
    )
    finals = []
    for stream in runner:
        texts = [
            e.delta.text
            for e in stream
            if e.type == "content_block_delta" and e.delta.type == "text_delta"
        ]
        final = stream.get_final_message()
        assert "".join(texts) == "".join(b.text for b in final.content if b.type == "text")
        finals.append(final)

    assert [m.stop_reason for m in finals] == ["tool_use", "end_turn"]
    assert "Sunny, 21 degrees celsius in Paris" in finals[-1].content[0].text
    assert all(body["stream"] for body in recorder.bodies)
    assert recorder.threads[1] == {"type": "continue", "previous_message_id": finals[0].id}


# -- client.beta.messages.thread ---------------------------------------------------------------
def test_thread_send_sends_only_the_new_turn_and_the_server_keeps_the_rest(
    recorder: Recorder,
) -> None:
    thread = recorder.client.beta.messages.thread(
        model=MODEL, max_tokens=200, system="Be brief.", messages=[]
    )
    first = thread.send({"role": "user", "content": "My name is Ada."})
    second = thread.send({"role": "user", "content": "Weather demo: what's the weather in Oslo?"})

    assert thread.previous_message_id == second.id
    assert recorder.threads == [
        {"type": "create"},
        {"type": "continue", "previous_message_id": first.id},
    ]
    assert recorder.bodies[1]["messages"] == [
        {"role": "user", "content": "Weather demo: what's the weather in Oslo?"}
    ]
    assert [m["role"] for m in thread.messages] == ["user", "assistant", "user", "assistant"]


def test_thread_stream_continues_like_send(recorder: Recorder) -> None:
    thread = recorder.client.beta.messages.thread(model=MODEL, max_tokens=200)
    first = thread.send({"role": "user", "content": "Hello"})
    with thread.stream({"role": "user", "content": "And again"}) as stream:
        streamed = stream.get_final_message()

    assert thread.previous_message_id == streamed.id
    assert recorder.threads[1] == {"type": "continue", "previous_message_id": first.id}


def test_a_lost_thread_is_replayed_and_an_unsupported_one_runs_unthreaded(make_sandbox) -> None:
    # One stored reply at most, and threads refuse `thinking`.
    server = make_sandbox(SANDBOX_THREAD_CAPACITY="1", SANDBOX_THREAD_UNSUPPORTED="thinking")
    rec = Recorder(server)
    with rec.client as client:
        runner = client.beta.messages.tool_runner(
            model=MODEL,
            max_tokens=512,
            tools=[get_weather],
            messages=[{"role": "user", "content": WEATHER}],
        )
        replies = []
        for reply in runner:
            replies.append(reply)
            if len(replies) == 1:
                _create(client)  # evicts the runner's reply: its continue finds no thread
        assert "Sunny" in replies[-1].content[0].text
        assert rec.threads == [
            {"type": "create"},
            {"type": "create"},  # the interloper
            {"type": "continue", "previous_message_id": replies[0].id},  # 404 thread_not_found
            {"type": "create"},  # the SDK's replay of the whole history
        ]
        assert len(rec.bodies[3]["messages"]) == 3

        with pytest.raises(ThreadNotFoundError):
            _continue(client, replies[0].id)

        rec.bodies.clear()
        thinking = client.beta.messages.tool_runner(
            model=MODEL,
            max_tokens=2048,
            thinking={"type": "enabled", "budget_tokens": 1024},
            tools=[get_weather],
            messages=[{"role": "user", "content": "Use get_weather for Rome."}],
        )
        assert thinking.until_done().stop_reason == "end_turn"
        # Refused with thread_unsupported_request, then the same turn went out unthreaded.
        assert rec.threads == [{"type": "create"}, None, None]


# -- the thread errors -------------------------------------------------------------------------
def test_continue_from_an_unknown_id_is_thread_not_found(client: anthropic.Anthropic) -> None:
    with pytest.raises(ThreadNotFoundError) as info:
        _continue(client, "msg_01NeverAnsweredXXXXXXXXXX")
    assert info.value.status_code == 404
    assert info.value.body["error"]["details"] == {"error_code": "thread_not_found"}


def test_a_reply_can_be_continued_only_once(client: anthropic.Anthropic) -> None:
    first = _create(client)
    second = _continue(client, first.id)
    with pytest.raises(ThreadAlreadyContinuedError):
        _continue(client, first.id)
    assert _continue(client, second.id).id  # the newest reply still continues


def test_a_continue_that_fails_leaves_its_reply_open(client: anthropic.Anthropic) -> None:
    first = _create(client)
    stray = [{"type": "tool_result", "tool_use_id": "toolu_01Nowhere", "content": "?"}]
    # The path counts the messages the client sent, not the ones the server held.
    with pytest.raises(anthropic.BadRequestError) as refused:
        _continue(client, first.id, text=stray)  # type: ignore[arg-type]
    assert refused.value.body["error"]["message"].startswith("messages.0.content.0: unexpected")
    assert _continue(client, first.id).id


def test_continue_while_another_is_streaming_is_in_flight(client: anthropic.Anthropic) -> None:
    first = _create(client)
    # The shipped `paced-stream` fixture takes about a second to stream.
    with client.beta.messages.stream(
        model=MODEL,
        max_tokens=200,
        messages=[{"role": "user", "content": "Paced demo: tell me slowly"}],
        thread={"type": "continue", "previous_message_id": first.id},
        betas=[BETA],
    ) as stream:
        next(iter(stream))  # message_start: the continue is being answered
        with pytest.raises(ThreadContinueInFlightError):
            _continue(client, first.id)
        stream.until_done()
    with pytest.raises(ThreadAlreadyContinuedError):
        _continue(client, first.id)


def test_another_model_on_a_continue_is_a_fingerprint_mismatch(
    client: anthropic.Anthropic,
) -> None:
    first = _create(client)
    with pytest.raises(ThreadFingerprintMismatchError) as info:
        _continue(client, first.id, model="claude-opus-4-6")
    assert "`model`" in info.value.body["error"]["message"]
    assert _continue(client, first.id).id  # the mismatch did not use the reply up


def test_system_or_tools_on_a_continue_is_refused(http: httpx.Client, client) -> None:
    first = _create(client, system="Be brief.")
    body = {
        "model": MODEL,
        "max_tokens": 100,
        "system": "Be verbose.",
        "messages": [{"role": "user", "content": "Go on"}],
        "thread": {"type": "continue", "previous_message_id": first.id},
    }
    response = http.post("/v1/messages", json=body, headers={**HEADERS, "anthropic-beta": BETA})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert error["message"].startswith("system: `system` cannot be sent with `thread.type")


def test_thread_without_the_beta_is_an_extra_input(http: httpx.Client) -> None:
    body = {
        "model": MODEL,
        "max_tokens": 100,
        "messages": [{"role": "user", "content": "Hi"}],
        "thread": {"type": "create"},
    }
    response = http.post("/v1/messages", json=body, headers=HEADERS)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "thread: Extra inputs are not permitted"


def test_thread_inside_a_batch_is_an_errored_result(client: anthropic.Anthropic) -> None:
    params = {
        "model": MODEL,
        "max_tokens": 100,
        "messages": [{"role": "user", "content": "Hi"}],
        "thread": {"type": "create"},
    }
    batch = client.beta.messages.batches.create(
        requests=[{"custom_id": "threaded", "params": params}], betas=[BETA]
    )
    (result,) = list(client.beta.messages.batches.results(batch.id))
    assert result.result.type == "errored"
    error = result.result.error.error
    assert error.type == "invalid_request_error"
    assert "thread" in error.message


# -- the other SDK helpers, end to end ---------------------------------------------------------
class Forecast(BaseModel):
    city: str
    temperature_c: float
    sunny: bool


def test_messages_parse_returns_the_pydantic_model(client: anthropic.Anthropic) -> None:
    parsed = client.messages.parse(
        model=MODEL,
        max_tokens=500,
        messages=[{"role": "user", "content": "Forecast for Lisbon as JSON"}],
        output_format=Forecast,
    )
    assert isinstance(parsed.parsed_output, Forecast)


@beta_async_tool(name="get_weather")
async def get_weather_async(location: str, unit: str = "celsius") -> str:
    """Get the current weather for a location.

    Args:
        location: The city.
        unit: celsius or fahrenheit.
    """
    return f"Sunny, 21 degrees {unit} in {location}"


def test_async_client_streams_text_and_runs_a_streaming_tool_runner(sandbox: InProcess) -> None:
    async def run() -> tuple[str, Any, list[Any]]:
        client = sandbox.async_client()
        async with client:
            async with client.messages.stream(
                model=MODEL, max_tokens=200, messages=[{"role": "user", "content": "Hi"}]
            ) as stream:
                text = "".join([t async for t in stream.text_stream])
                final = await stream.get_final_message()
            runner = client.beta.messages.tool_runner(
                model=MODEL,
                max_tokens=512,
                tools=[get_weather_async],
                messages=[{"role": "user", "content": WEATHER}],
                stream=True,
            )
            replies = [await s.get_final_message() async for s in runner]
        return text, final, replies

    text, final, replies = asyncio.run(run())
    assert text and text == final.content[0].text
    assert [r.stop_reason for r in replies] == ["tool_use", "end_turn"]
    assert "Sunny, 21 degrees celsius in Paris" in replies[-1].content[0].text
