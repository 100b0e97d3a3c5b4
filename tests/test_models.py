"""GET /v1/models and /v1/models/{id}: the catalogue, paginated as the real API does."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import anthropic
import pytest

from messages_sandbox.catalogue.loader import load_catalogue
from tests.conftest import FIXTURES, HEADERS

TS_DIR = Path(__file__).parent / "ts"
CAPABILITY_KEYS = {
    "batch",
    "citations",
    "code_execution",
    "context_management",
    "effort",
    "image_input",
    "pdf_input",
    "server_tools",
    "structured_outputs",
    "thinking",
}


def listed_ids(*, include_retired: bool = False) -> list[str]:
    catalogue = load_catalogue(FIXTURES)
    return [m.id for m in catalogue.newest_first(include_retired=include_retired)]


def test_models_list_auto_paginates_the_whole_catalogue_newest_first(client) -> None:
    pages = client.models.list(limit=2)
    assert len(pages.data) == 2
    models = list(pages)
    assert [m.id for m in models] == listed_ids()
    assert all(m.lifecycle != "retired" for m in models)
    created = [m.created_at for m in models]
    assert created == sorted(created, reverse=True)


def test_models_list_pages_backwards_with_before_id(client) -> None:
    ids = listed_ids()
    page = client.models.list(before_id=ids[5], limit=2)
    assert [m.id for m in page.data] == ids[3:5]
    assert page.has_more is True
    # Each page keeps newest-first order; the SDK walks towards the newest page.
    assert [m.id for m in page] == ids[3:5] + ids[1:3] + ids[0:1]


def test_models_list_with_both_cursors_follows_before_id(client) -> None:
    ids = listed_ids()
    page = client.models.list(after_id=ids[0], before_id=ids[5], limit=2)
    assert [m.id for m in page.data] == ids[3:5]
    # The SDK keeps `after_id` on every later page and walks on by `before_id`.
    assert [m.id for m in page] == ids[3:5] + ids[1:3] + ids[0:1]


def test_models_list_page_carries_first_and_last_id(http) -> None:
    body = http.get("/v1/models", params={"limit": 3}, headers=HEADERS).json()
    assert set(body) == {"data", "has_more", "first_id", "last_id"}
    assert body["first_id"] == body["data"][0]["id"]
    assert body["last_id"] == body["data"][-1]["id"]
    assert body["has_more"] is True


def test_model_info_has_every_documented_field(client) -> None:
    info = client.models.retrieve("claude-haiku-4-5-20251001")
    raw = info.model_dump(mode="json")
    assert raw["type"] == "model"
    assert raw["display_name"] == "Claude Haiku 4.5"
    assert raw["created_at"].startswith("2025-10-15T00:00:00")
    assert raw["max_tokens"] == 64000 and raw["max_input_tokens"] == 200000
    assert raw["line"] == "haiku" and raw["lifecycle"] == "active"
    assert set(raw["capabilities"]) == CAPABILITY_KEYS
    thinking = raw["capabilities"]["thinking"]["types"]
    # The same switch request validation enforces: Haiku 4.5 has no adaptive thinking.
    assert thinking["enabled"]["supported"] is True
    assert thinking["adaptive"]["supported"] is False
    assert raw["capabilities"]["effort"]["supported"] is False


def test_models_retrieve_resolves_an_alias_to_its_dated_id(client) -> None:
    info = client.models.retrieve("claude-sonnet-4-5")
    assert info.id == "claude-sonnet-4-5-20250929"
    assert info.lifecycle == "deprecated"
    assert info.retires_at is not None


def test_models_retrieve_unknown_id_is_404(client) -> None:
    with pytest.raises(anthropic.NotFoundError) as caught:
        client.models.retrieve("claude-nonexistent-1")
    assert caught.value.body["error"] == {
        "type": "not_found_error",
        "message": "model: claude-nonexistent-1",
    }


def test_models_list_shows_retired_models_only_when_asked(client) -> None:
    retired = [m.id for m in client.models.list(lifecycle=["retired"])]
    assert retired == ["claude-mythos-preview"]
    everything = [m.id for m in client.models.list(lifecycle=["active", "deprecated", "retired"])]
    assert everything == listed_ids(include_retired=True)
    # Still retrievable: the catalogue is the record of its retirement.
    assert client.models.retrieve("claude-mythos-preview").lifecycle == "retired"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": 0}, "limit: Input should be greater than or equal to 1"),
        ({"limit": 1001}, "limit: Input should be less than or equal to 1000"),
        (
            {"lifecycle[]": "gone"},
            "lifecycle.0: Input should be 'active', 'deprecated' or 'retired'",
        ),
    ],
)
def test_models_list_refuses_bad_query_with_pydantic_style_message(http, params, message) -> None:
    response = http.get("/v1/models", params=params, headers=HEADERS)
    assert response.status_code == 400
    assert response.json()["error"] == {"type": "invalid_request_error", "message": message}


def test_models_list_limit_1000_returns_everything_in_one_page(http) -> None:
    body = http.get("/v1/models", params={"limit": 1000}, headers=HEADERS).json()
    assert [m["id"] for m in body["data"]] == listed_ids()
    assert body["has_more"] is False


def test_typescript_sdk_lists_models_and_counts_tokens(server, client) -> None:
    if not (TS_DIR / "node_modules" / "@anthropic-ai" / "sdk").is_dir() or not shutil.which("node"):
        pytest.skip("TypeScript SDK not installed: run `npm ci --prefix tests/ts`")
    done = subprocess.run(
        ["node", "check.mjs"],
        cwd=TS_DIR,
        env={**os.environ, "SANDBOX_URL": server.base_url},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["ids"] == listed_ids()
    assert seen["alias"] == "claude-sonnet-4-5-20250929"
    expected = client.messages.count_tokens(
        model="claude-haiku-4-5",
        system="You are terse.",
        messages=[{"role": "user", "content": "Say hi from TypeScript"}],
    )
    assert seen["input_tokens"] == expected.input_tokens
