"""POST /v1/messages/count_tokens: validated like Messages, and equal to Messages usage."""

from __future__ import annotations

import base64
import io
import uuid
from typing import Any

import anthropic
import pytest
from PIL import Image

from tests.conftest import HEADERS

MODEL = "claude-sonnet-4-6"


def png(width: int, height: int) -> dict[str, Any]:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 30)).save(buf, format="PNG")
    data = base64.b64encode(buf.getvalue()).decode()
    return {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": data}}


def pdf(pages: int) -> dict[str, Any]:
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objects = [
        b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj",
        f"2 0 obj << /Type /Pages /Kids [{kids}] /Count {pages} >> endobj".encode(),
    ]
    objects += [
        f"{3 + i} 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj".encode()
        for i in range(pages)
    ]
    raw = b"%PDF-1.4\n" + b"\n".join(objects) + b"\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    data = base64.b64encode(raw).decode()
    return {
        "type": "document",
        "source": {"type": "base64", "media_type": "application/pdf", "data": data},
    }


def ask(*blocks: dict[str, Any], text: str = "Describe this.") -> list[dict[str, Any]]:
    return [{"role": "user", "content": [*blocks, {"type": "text", "text": text}]}]


WEATHER_TOOL = {
    "name": "get_weather",
    "description": "Current weather for a city.",
    "input_schema": {
        "type": "object",
        "properties": {"city": {"type": "string"}, "unit": {"enum": ["c", "f"]}},
        "required": ["city"],
    },
}

CASES: dict[str, dict[str, Any]] = {
    "text": {"messages": [{"role": "user", "content": "Say hi"}]},
    "system": {
        "system": "You are a pirate. Answer in one sentence.",
        "messages": [{"role": "user", "content": "Where is the treasure?"}],
    },
    "system_blocks": {
        "system": [{"type": "text", "text": "Be terse."}, {"type": "text", "text": "Be kind."}],
        "messages": [{"role": "user", "content": "Hello"}],
    },
    "tools": {
        "tools": [WEATHER_TOOL],
        "tool_choice": {"type": "auto"},
        "messages": [{"role": "user", "content": "Weather in Paris?"}],
    },
    "conversation": {
        "messages": [
            {"role": "user", "content": "What is 2+2?"},
            {"role": "assistant", "content": "4."},
            {"role": "user", "content": "And times 10?"},
        ]
    },
    "small_image": {"messages": ask(png(200, 200))},
    "square_image": {"messages": ask(png(1000, 1000))},
    "large_image": {"messages": ask(png(3000, 2000))},
    "two_images": {"messages": ask(png(64, 48), png(800, 600))},
    "pdf": {"messages": ask(pdf(3), text="Summarise this document.")},
}


@pytest.mark.parametrize("case", list(CASES))
def test_count_tokens_equals_messages_usage(client, case: str) -> None:
    params = CASES[case]
    counted = client.messages.count_tokens(model=MODEL, **params)
    message = client.messages.create(model=MODEL, max_tokens=256, **params)
    assert counted.input_tokens > 0
    assert message.usage.input_tokens == counted.input_tokens


@pytest.mark.parametrize(
    ("width", "height", "tokens"),
    [
        (200, 200, 53),  # docs: 200x200 ~ 54
        (1000, 1000, 1333),  # docs: 1000x1000 ~ 1334
        (1092, 1092, 1590),  # docs: 1092x1092 ~ 1590, the largest unscaled square
    ],
)
def test_image_costs_width_times_height_over_750(client, width, height, tokens) -> None:
    bare = client.messages.count_tokens(model=MODEL, messages=ask())
    with_image = client.messages.count_tokens(model=MODEL, messages=ask(png(width, height)))
    assert with_image.input_tokens - bare.input_tokens == tokens


def test_oversized_image_is_counted_after_the_documented_downscale(client) -> None:
    bare = client.messages.count_tokens(model=MODEL, messages=ask()).input_tokens
    big = client.messages.count_tokens(model=MODEL, messages=ask(png(4000, 3000))).input_tokens
    assert 1500 < big - bare <= 1640  # capped near the documented ~1,600


def test_pdf_is_counted_per_page(client) -> None:
    one = client.messages.count_tokens(model=MODEL, messages=ask(pdf(1))).input_tokens
    four = client.messages.count_tokens(model=MODEL, messages=ask(pdf(4))).input_tokens
    assert four - one == 3 * (
        one - client.messages.count_tokens(model=MODEL, messages=ask()).input_tokens
    )


def test_tools_are_counted_from_their_definitions(client) -> None:
    plain = client.messages.count_tokens(model=MODEL, messages=ask())
    tooled = client.messages.count_tokens(model=MODEL, messages=ask(), tools=[WEATHER_TOOL])
    bigger_tool = {**WEATHER_TOOL, "description": WEATHER_TOOL["description"] + " " * 10 + "x" * 60}
    bigger = client.messages.count_tokens(model=MODEL, messages=ask(), tools=[bigger_tool])
    assert plain.input_tokens < tooled.input_tokens < bigger.input_tokens


def test_count_tokens_includes_cached_and_uncached_input(client) -> None:
    """With caching, usage.input_tokens + cache creation + cache read == count_tokens."""
    system = [
        {
            "type": "text",
            "text": f"{uuid.uuid4()} " + "Background facts about the project. " * 300,
            "cache_control": {"type": "ephemeral"},
        }
    ]
    params = {"system": system, "messages": [{"role": "user", "content": "Go"}]}
    counted = client.messages.count_tokens(model=MODEL, **params).input_tokens
    for _ in range(2):
        usage = client.messages.create(model=MODEL, max_tokens=64, **params).usage
        total = (
            usage.input_tokens
            + (usage.cache_creation_input_tokens or 0)
            + (usage.cache_read_input_tokens or 0)
        )
        assert total == counted


def test_count_tokens_unknown_model_is_404(client) -> None:
    with pytest.raises(anthropic.NotFoundError) as caught:
        client.messages.count_tokens(
            model="claude-nope-9", messages=[{"role": "user", "content": "hi"}]
        )
    assert caught.value.body["error"]["message"] == "model: claude-nope-9"


def test_count_tokens_refuses_tool_choice_without_tools(client) -> None:
    with pytest.raises(anthropic.BadRequestError) as caught:
        client.messages.count_tokens(
            model=MODEL,
            messages=[{"role": "user", "content": "hi"}],
            tool_choice={"type": "any"},
        )
    assert "tool_choice may only be specified while providing tools." in str(caught.value)


def test_count_tokens_requires_headers_like_messages(http) -> None:
    body = {"model": MODEL, "messages": [{"role": "user", "content": "hi"}]}
    headers = {k: v for k, v in HEADERS.items() if k != "anthropic-version"}
    response = http.post("/v1/messages/count_tokens", json=body, headers=headers)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "anthropic-version: header is required"
    assert response.headers["request-id"].startswith("req_")


def test_count_tokens_answers_only_input_tokens(http) -> None:
    body = {"model": "claude-haiku-4-5", "messages": [{"role": "user", "content": "Say hi"}]}
    response = http.post("/v1/messages/count_tokens", json=body, headers=HEADERS)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert set(response.json()) == {"input_tokens"}


def test_count_tokens_has_its_own_schema_without_max_tokens(http) -> None:
    body = {"model": MODEL, "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}]}
    response = http.post("/v1/messages/count_tokens", json=body, headers=HEADERS)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "max_tokens: Extra inputs are not permitted"


def test_beta_count_tokens_counts_the_same(client) -> None:
    params = CASES["tools"]
    beta = client.beta.messages.count_tokens(model=MODEL, **params)
    assert beta.input_tokens == client.messages.count_tokens(model=MODEL, **params).input_tokens


def test_uploaded_files_are_counted_from_their_bytes(client) -> None:
    image, document = png(1000, 1000), pdf(2)
    inline = client.messages.count_tokens(model=MODEL, messages=ask(image, document))
    ids = [
        client.beta.files.upload(file=(name, base64.b64decode(block["source"]["data"]), mime)).id
        for name, block, mime in (
            ("square.png", image, "image/png"),
            ("two-pages.pdf", document, "application/pdf"),
        )
    ]
    by_id = ask(
        {"type": "image", "source": {"type": "file", "file_id": ids[0]}},
        {"type": "document", "source": {"type": "file", "file_id": ids[1]}},
    )
    counted = client.beta.messages.count_tokens(model=MODEL, messages=by_id)
    assert counted.input_tokens == inline.input_tokens
    usage = client.beta.messages.create(model=MODEL, max_tokens=16, messages=by_id).usage
    assert usage.input_tokens == inline.input_tokens
