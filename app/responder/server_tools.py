"""Server tools the default responder can run itself: a call and its result, both blocks.

The real API runs ``web_search``, ``web_fetch`` and ``code_execution`` on its side and
returns a ``server_tool_use`` block followed by the matching ``*_tool_result`` block in the
same turn. The results here are deterministic placeholders shaped like the SDK's types;
fixtures supply real-looking ones when a test needs them.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from ..ids import stable_id

_EXAMPLE_URL = "https://example.com/"


def server_tool_name(tool: Mapping[str, Any]) -> str | None:
    """``web_search`` / ``web_fetch`` / ``code_execution`` for a server tool definition."""
    kind = str(tool.get("type", ""))
    for name in ("web_search", "web_fetch", "code_execution"):
        if kind.startswith(name + "_"):
            return name
    return None


def server_tool_turn(tool: Mapping[str, Any], prompt: str, seed: int) -> list[dict[str, Any]]:
    """The ``server_tool_use`` block and its result block for one server tool call."""
    name = server_tool_name(tool) or ""
    call_id = stable_id("srvtoolu_", str(seed), name)
    query = " ".join(prompt.split())[:100] or "example"
    caller = {"type": "direct"}
    if name == "web_search":
        tool_input: dict[str, Any] = {"query": query}
        result: dict[str, Any] = {
            "type": "web_search_tool_result",
            "content": [
                {
                    "type": "web_search_result",
                    "title": f"Example result {i} for {query}",
                    "url": f"{_EXAMPLE_URL}result-{i}",
                    "encrypted_content": _opaque(seed, i),
                    "page_age": None,
                }
                for i in (1, 2)
            ],
            "caller": caller,
        }
    elif name == "web_fetch":
        tool_input = {"url": _EXAMPLE_URL}
        result = {
            "type": "web_fetch_tool_result",
            "content": {
                "type": "web_fetch_result",
                "url": _EXAMPLE_URL,
                "retrieved_at": "2025-01-01T00:00:00Z",
                "content": {
                    "type": "document",
                    "source": {
                        "type": "text",
                        "media_type": "text/plain",
                        "data": "Example Domain. This domain is for use in examples.",
                    },
                    "title": "Example Domain",
                    "citations": None,
                },
            },
            "caller": caller,
        }
    else:
        tool_input = {"code": "print('hello from messages-sandbox')"}
        result = {
            "type": "code_execution_tool_result",
            "content": {
                "type": "code_execution_result",
                "stdout": "hello from messages-sandbox\n",
                "stderr": "",
                "return_code": 0,
                "content": [],
            },
        }
    call = {
        "type": "server_tool_use",
        "id": call_id,
        "name": name,
        "input": tool_input,
        "caller": caller,
    }
    return [call, {**result, "tool_use_id": call_id}]


def _opaque(seed: int, index: int) -> str:
    return base64.b64encode(f"sandbox:{seed}:{index}".encode()).decode()
