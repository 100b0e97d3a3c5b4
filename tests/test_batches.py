"""Message Batches through the official SDK: create, poll, results, cancel, delete, list."""

from __future__ import annotations

from datetime import timedelta

import anthropic
import pytest
from conftest import HEADERS

MODEL = "claude-haiku-4-5"


def params(text: str = "hi", **extra: object) -> dict:
    return {
        "model": MODEL,
        "max_tokens": 64,
        "messages": [{"role": "user", "content": text}],
        **extra,
    }


def test_batch_with_one_invalid_request_ends_with_two_succeeded_and_one_errored(client, sandbox):
    batch = client.messages.batches.create(
        requests=[
            {"custom_id": "first", "params": params("one")},
            {"custom_id": "too-long", "params": params(max_tokens=999_999)},
            {"custom_id": "third", "params": params("three")},
        ]
    )
    assert batch.processing_status == "in_progress"
    assert batch.request_counts.processing == 3
    assert batch.results_url is None and batch.ended_at is None
    assert batch.expires_at - batch.created_at == timedelta(hours=24)

    ended = client.messages.batches.retrieve(batch.id)
    assert ended.processing_status == "ended"
    counts = ended.request_counts
    assert (counts.processing, counts.succeeded, counts.errored) == (0, 2, 1)
    assert ended.results_url == f"{sandbox.base_url}/v1/messages/batches/{batch.id}/results"
    assert ended.ended_at >= ended.created_at

    results = {r.custom_id: r.result for r in client.messages.batches.results(batch.id)}
    assert set(results) == {"first", "too-long", "third"}
    assert results["first"].type == "succeeded"
    assert results["first"].message.usage.service_tier == "batch"
    error = results["too-long"].error
    assert results["too-long"].type == "errored"
    assert error.error.type == "invalid_request_error"
    assert "max_tokens: 999999 > 64000" in error.error.message


def test_cancel_before_processing_ends_with_every_request_canceled(client):
    batch = client.messages.batches.create(
        requests=[{"custom_id": f"r{i}", "params": params()} for i in range(3)]
    )
    canceling = client.messages.batches.cancel(batch.id)
    assert canceling.processing_status == "canceling"
    assert canceling.cancel_initiated_at is not None

    ended = client.messages.batches.retrieve(batch.id)
    assert ended.processing_status == "ended"
    assert ended.request_counts.canceled == 3 and ended.request_counts.succeeded == 0
    assert ended.ended_at >= ended.cancel_initiated_at
    assert [r.result.type for r in client.messages.batches.results(batch.id)] == ["canceled"] * 3

    deleted = client.messages.batches.delete(batch.id)
    assert (deleted.id, deleted.type) == (batch.id, "message_batch_deleted")
    with pytest.raises(anthropic.NotFoundError):
        client.messages.batches.retrieve(batch.id)


def test_results_are_jsonl_without_blank_lines(client, http):
    batch = client.messages.batches.create(
        requests=[{"custom_id": "a", "params": params()}, {"custom_id": "b", "params": params()}]
    )
    url = client.messages.batches.retrieve(batch.id).results_url
    response = http.get(url, headers=HEADERS)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-jsonl"
    assert response.content.endswith(b"\n") and b"\n\n" not in response.content
    assert len(response.content.splitlines()) == 2


@pytest.mark.parametrize(
    ("requests", "fragment"),
    [
        ([{"custom_id": "same", "params": params()}] * 2, "custom_id must be unique"),
        ([], "requests: List should have at least 1 item"),
        ([{"custom_id": "bad id!", "params": params()}], "requests.0.custom_id"),
        ([{"custom_id": "x"}], "requests.0.params: Field required"),
    ],
)
def test_malformed_batch_create_is_refused_as_a_whole(client, requests, fragment):
    with pytest.raises(anthropic.BadRequestError) as info:
        client.messages.batches.create(requests=requests)
    assert fragment in info.value.body["error"]["message"]


def test_streaming_params_inside_a_batch_become_an_errored_result(http):
    body = {"requests": [{"custom_id": "s", "params": params(stream=True)}]}
    created = http.post("/v1/messages/batches", json=body, headers=HEADERS).json()
    batch = http.get(f"/v1/messages/batches/{created['id']}", headers=HEADERS).json()
    assert batch["request_counts"]["errored"] == 1
    line = http.get(batch["results_url"], headers=HEADERS).json()
    assert line["result"]["error"]["error"]["type"] == "invalid_request_error"


def test_unknown_batch_is_404(client):
    with pytest.raises(anthropic.NotFoundError):
        client.messages.batches.retrieve("msgbatch_01DoesNotExist")


def test_with_a_delay_batches_stay_in_progress_list_pages_and_delete_is_refused(
    make_sandbox, request
):
    server = make_sandbox(SANDBOX_BATCH_DELAY="3600")
    client = server.client()
    request.addfinalizer(client.close)
    ids = [
        client.messages.batches.create(requests=[{"custom_id": "a", "params": params()}]).id
        for _ in range(3)
    ]
    assert client.messages.batches.retrieve(ids[0]).processing_status == "in_progress"
    with pytest.raises(anthropic.BadRequestError, match="cannot be deleted while it is"):
        client.messages.batches.delete(ids[0])
    with pytest.raises(anthropic.AnthropicError, match="No `results_url`"):
        list(client.messages.batches.results(ids[0]))

    first = client.messages.batches.list(limit=2)
    assert [b.id for b in first.data] == ids[::-1][:2]
    assert first.has_more and first.last_id == ids[1]
    assert [b.id for b in client.messages.batches.list(limit=2)] == ids[::-1]

    client.messages.batches.cancel(ids[0])
    assert client.messages.batches.retrieve(ids[0]).request_counts.canceled == 1
    assert client.messages.batches.delete(ids[0]).type == "message_batch_deleted"


def test_batch_list_with_both_cursors_follows_before_id(client):
    oldest, middle, newest = (
        client.messages.batches.create(requests=[{"custom_id": "r", "params": params()}])
        for _ in range(3)
    )
    page = client.messages.batches.list(after_id=newest.id, before_id=oldest.id, limit=1)
    assert [b.id for b in page.data] == [middle.id] and page.has_more is True
