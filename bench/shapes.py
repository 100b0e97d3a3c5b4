"""Request bodies for the benchmarks, made here (deterministic, no files to ship).

* ``small()``: one short user message (what most SDK examples send);
* ``conversation()``: an agent app's turn, ~302 KB: 100 messages with tool calls and their
  results, and a 75 KB PNG in the first user message;
* ``claude_code()``: a Claude-Code-sized turn, ~100 KB: 25 tools whose schemas carry
  ``$schema``/``additionalProperties``, a long cached system prompt, ``<system-reminder>``
  texts, thinking, ``metadata.user_id`` and cache breakpoints on system and message blocks,
  modelled on the capture in shared/captures;
* ``sized(n)``: the agent conversation without the image, scaled to about ``n`` bytes (the
  1 KB - 1 MB curve).

Every body is valid and answered 200 by the default responder (no shipped fixture matches).
The texts are varied words, not one repeated sentence, so per-string memos see as many
distinct strings as a real conversation has.
"""

from __future__ import annotations

import random
import struct
import zlib
from typing import Any

import orjson

MODEL = "claude-sonnet-4-5"
_PROSE = (
    "the a request answer model token stream block server client tool result message "
    "conversation fixture rule sandbox python json schema field value list object string "
    "number error retry timeout cache prompt system user assistant function call input output "
    "image document page table column row index query search fetch read write update "
    "delete create check test build render parse validate count measure compare report"
)
_WORDS = tuple(_PROSE.split())


def small() -> dict[str, Any]:
    return {
        "model": MODEL,
        "max_tokens": 256,
        "messages": [{"role": "user", "content": "Hello, how are you today?"}],
    }


def _text(rng: random.Random, size: int) -> str:
    """About ``size`` characters of varied prose (sentences of 6-18 words)."""
    out: list[str] = []
    length = 0
    while length < size:
        words = rng.choices(_WORDS, k=rng.randint(6, 18))
        sentence = " ".join(words).capitalize() + rng.choice((". ", "? ", ", and ", "; "))
        if rng.random() < 0.15:
            sentence += f"{rng.randint(0, 99999)} "
        out.append(sentence)
        length += len(sentence)
    return "".join(out).strip()


def png(size: int = 75_000, seed: int = 7) -> bytes:
    """A valid RGB PNG of about ``size`` bytes (random pixels, so it does not compress)."""
    rng = random.Random(seed)
    side = max(1, int((size / 3) ** 0.5))
    rows = b"".join(b"\x00" + rng.randbytes(side * 3) for _ in range(side))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 1))
        + chunk(b"IEND", b"")
    )


_AGENT_TOOLS = [
    {
        "name": name,
        "description": description,
        "input_schema": {
            "type": "object",
            "properties": {arg: {"type": "string", "description": f"The {arg}."}},
            "required": [arg],
        },
    }
    for name, description, arg in (
        ("search_docs", "Search the documentation for a phrase.", "query"),
        ("read_file", "Read a file of the project.", "path"),
        ("run_tests", "Run the test suite and report failures.", "selector"),
    )
]


def _agent_messages(rng: random.Random, count: int, text_size: int) -> list[dict[str, Any]]:
    """``count`` messages after the first: an assistant calls a tool, the user returns its
    result, the assistant comments, the user asks again; the last one is a user text."""
    messages: list[dict[str, Any]] = []
    for i in range(1, count):
        phase = (i - 1) % 4
        call_id = f"toolu_bench{i - 1:05d}"
        if i == count - 1:
            last: Any = _text(rng, text_size)
            if phase == 1:  # the call just before still needs its result
                last = [
                    {"type": "tool_result", "tool_use_id": call_id, "content": _text(rng, 200)},
                    {"type": "text", "text": last},
                ]
            messages.append({"role": "user", "content": last})
        elif phase == 0:
            tool = _AGENT_TOOLS[i % len(_AGENT_TOOLS)]
            arg = tool["input_schema"]["required"][0]
            messages.append(
                {
                    "role": "assistant",
                    "content": [
                        {"type": "text", "text": _text(rng, text_size // 4)},
                        {
                            "type": "tool_use",
                            "id": f"toolu_bench{i:05d}",
                            "name": tool["name"],
                            "input": {arg: _text(rng, 40)},
                        },
                    ],
                }
            )
        elif phase == 1:
            messages.append(
                {
                    "role": "user",
                    "content": [
                        {
                            "type": "tool_result",
                            "tool_use_id": call_id,
                            "content": [{"type": "text", "text": _text(rng, text_size)}],
                        }
                    ],
                }
            )
        elif phase == 2:
            messages.append({"role": "assistant", "content": _text(rng, text_size)})
        else:
            messages.append({"role": "user", "content": _text(rng, text_size)})
    return messages


def conversation(
    messages: int = 100, size: int = 302_000, image_bytes: int = 75_000, seed: int = 1
) -> dict[str, Any]:
    """An agent app's turn: ``messages`` messages, an image, about ``size`` bytes of JSON."""
    rng = random.Random(seed)
    image = png(image_bytes) if image_bytes else b""
    encoded = len(image) * 4 // 3
    # Texts share what the image leaves; a tool-result text is the typical message's size.
    text_size = max(40, int((size - encoded - 2_000) / messages / 0.95))
    first: list[dict[str, Any]] = [{"type": "text", "text": _text(rng, text_size)}]
    if image:
        import base64

        source = {"type": "base64", "media_type": "image/png", "data": base64.b64encode(image)}
        first.insert(0, {"type": "image", "source": {**source, "data": source["data"].decode()}})
    shaped = {
        "model": MODEL,
        "max_tokens": 1024,
        "system": "You are a careful coding agent. Use the tools to answer.",
        "tools": _AGENT_TOOLS,
        "messages": [
            {"role": "user", "content": first},
            *_agent_messages(rng, messages, text_size),
        ],
    }
    return _fit(shaped, size)


def sized(size: int) -> dict[str, Any]:
    """The agent conversation without an image, about ``size`` bytes of JSON (>= ~400)."""
    count = max(1, round(size / 3_000))
    if count > 1 and count % 4 == 2:
        count += 1  # end on a user text after a comment, not right after a tool result
    return conversation(messages=count, size=size, image_bytes=0, seed=size)


def _fit(body: dict[str, Any], size: int) -> dict[str, Any]:
    """Trim or pad the first user text so the body is ``size`` bytes within ~1% (the last
    turn keeps a typical length: it is what the responder reads)."""
    first = body["messages"][0]
    block = first["content"][-1] if isinstance(first["content"], list) else None
    text = block["text"] if block is not None else first["content"]
    excess = len(orjson.dumps(body)) - size
    if excess > 0:
        text = text[: max(20, len(text) - excess)].strip()
    elif excess < 0:
        text += " " + _text(random.Random(size), -excess)
    if block is not None:
        block["text"] = text
    else:
        first["content"] = text
    return body


def _schema(rng: random.Random, properties: int) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for i in range(properties):
        kind = rng.choice(("string", "integer", "boolean", "array", "enum"))
        name = f"{rng.choice(_WORDS)}_{i}"
        if kind == "array":
            prop: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
        elif kind == "enum":
            prop = {"type": "string", "enum": rng.sample(_WORDS, 3)}
        else:
            prop = {"type": kind}
        prop["description"] = _text(rng, rng.randint(40, 250))
        props[name] = prop
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": props,
        "required": list(props)[: max(1, properties // 2)],
        "additionalProperties": False,
    }


_CLAUDE_CODE_NAMES = (
    "Agent Bash CronCreate CronDelete CronList Edit EnterWorktree ExitWorktree Glob Grep "
    "NotebookEdit Read ReportFindings ScheduleWakeup SendMessage Skill TaskCreate TaskGet "
    "TaskList TaskOutput TaskStop TaskUpdate WebFetch WebSearch Write"
)
_CLAUDE_CODE_TOOLS = tuple(_CLAUDE_CODE_NAMES.split())


def claude_code(seed: int = 3) -> dict[str, Any]:
    """A Claude Code turn: 25 tools, a 26 KB cached system prompt, reminders, ~100 KB."""
    rng = random.Random(seed)
    tools = [
        {
            "name": name,
            "description": _text(rng, rng.choice((200, 600, 1_000, 1_800, 3_000))),
            "input_schema": _schema(rng, rng.randint(1, 6)),
        }
        for name in _CLAUDE_CODE_TOOLS
    ]
    system = [
        {"type": "text", "text": "x-anthropic-billing-header: cc_version=2.1.197"},
        {
            "type": "text",
            "text": "You are Claude Code, Anthropic's official CLI for Claude.",
            "cache_control": {"type": "ephemeral"},
        },
        {"type": "text", "text": _text(rng, 26_000), "cache_control": {"type": "ephemeral"}},
    ]
    reminder = "<system-reminder>\n" + _text(rng, 1_800) + "\n</system-reminder>"
    context = "<system-reminder>\n" + _text(rng, 4_500) + "\n</system-reminder>"
    messages: list[dict[str, Any]] = [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": reminder},
                {"type": "text", "text": context},
                {"type": "text", "text": "Find where the request is validated and explain it."},
            ],
        }
    ]
    # A few tool round trips, as in the middle of a session; thinking blocks come back with
    # the (foreign) signature the real API gave them.
    for i, (tool, command) in enumerate(
        (("Grep", "def validate"), ("Read", "app/schema/validators.py"), ("Bash", "git log -5"))
    ):
        call_id = f"toolu_cc{i:03d}"
        messages.append(
            {
                "role": "assistant",
                "content": [
                    {
                        "type": "thinking",
                        "thinking": _text(rng, 300),
                        "signature": "EuYBCkQYAiJA" + "x" * 300,
                    },
                    {"type": "text", "text": _text(rng, 120)},
                    {"type": "tool_use", "id": call_id, "name": tool, "input": {"q": command}},
                ],
            }
        )
        messages.append(
            {
                "role": "user",
                "content": [
                    {"type": "tool_result", "tool_use_id": call_id, "content": _text(rng, 2_500)}
                ],
            }
        )
    messages[-1]["content"].append(
        {"type": "text", "text": "Go on.", "cache_control": {"type": "ephemeral"}}
    )
    return {
        "model": MODEL,
        "max_tokens": 32_000,
        "system": system,
        "tools": tools,
        "messages": messages,
        "metadata": {"user_id": '{"device_id":"b19f3cd5","account_uuid":"","session_id":"a2"}'},
        "thinking": {"type": "enabled", "budget_tokens": 31_999},
    }


def body(shape: dict[str, Any]) -> bytes:
    return orjson.dumps(shape)


if __name__ == "__main__":
    for label, shape in (
        ("small", small()),
        ("conversation", conversation()),
        ("claude_code", claude_code()),
        *((f"sized {n}", sized(n)) for n in (1_000, 10_000, 100_000, 1_000_000)),
    ):
        print(f"{label:<14} {len(body(shape)):>9,} bytes, {len(shape['messages'])} messages")
