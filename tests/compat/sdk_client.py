"""What every SDK check shares: the sandbox's address, a client factory, a few requests.

Stdlib and ``anthropic`` only: it runs in venvs pinned to old SDKs (see ``sdk_checks``).
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from typing import Any

import anthropic

BASE_URL = os.environ.get("SANDBOX_URL", "http://127.0.0.1:8080")
API_KEY = os.environ.get("SANDBOX_KEY", "sk-ant-compat")
MODEL = "claude-sonnet-4-6"
LABEL = f"anthropic {anthropic.__version__}"
HELLO = [{"role": "user", "content": "Hello there"}]
WEATHER = {
    "name": "get_weather",
    "description": "Current weather in a city.",
    "input_schema": {
        "type": "object",
        "properties": {
            "location": {"type": "string"},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
        },
        "required": ["location"],
    },
}


def accepts(method: Callable[..., object], name: str) -> bool:
    return name in inspect.signature(method).parameters


def client(**kwargs: Any) -> anthropic.Anthropic:
    kwargs.setdefault("max_retries", 0)
    kwargs.setdefault("api_key", API_KEY)
    return anthropic.Anthropic(base_url=BASE_URL, **kwargs)


def text_of(message: Any) -> str:
    return "".join(b.text for b in message.content if b.type == "text")
