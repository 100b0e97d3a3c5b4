"""SDK checks of the batches and files resources, GA and beta."""

from __future__ import annotations

from typing import Any

import anthropic
from harness import Checks, expect, need
from sdk_client import HELLO, MODEL, client, text_of

checks = Checks()
check = checks.check


def _batch_round_trip(batches: Any) -> str:
    params = {"model": MODEL, "max_tokens": 32, "messages": HELLO}
    batch = batches.create(
        requests=[
            {"custom_id": "good", "params": params},
            {"custom_id": "bad", "params": {**params, "model": "claude-no-such-model"}},
        ]
    )
    expect(batch.id.startswith("msgbatch_"), batch.id)
    ended = batches.retrieve(batch.id)
    expect(ended.processing_status == "ended" and ended.results_url, f"{ended}")
    results = {r.custom_id: r.result for r in batches.results(batch.id)}
    expect(results["good"].type == "succeeded", f"{results}")
    expect(text_of(results["good"].message), f"{results['good']}")
    expect(results["bad"].type == "errored", f"{results}")
    listed = [b.id for b in batches.list(limit=1)]
    expect(batch.id in listed, f"{batch.id} not in {listed}")
    return f"{ended.request_counts.succeeded} ok / {ended.request_counts.errored} errored"


@check
def batches_create_retrieve_results() -> str:
    messages = client().messages
    need(hasattr(messages, "batches"), "no messages.batches")
    return _batch_round_trip(messages.batches)


@check
def beta_batches_create_retrieve_results() -> str:
    beta = client().beta.messages
    need(hasattr(beta, "batches"), "no beta.messages.batches")
    return _batch_round_trip(beta.batches)


# -- files ----------------------------------------------------------------------------------


def _files_round_trip(files: Any) -> str:
    uploaded = files.upload(file=("notes.txt", b"The meeting is at noon.", "text/plain"))
    expect(uploaded.id.startswith("file_") and uploaded.size_bytes == 23, f"{uploaded}")
    others = [files.upload(file=(f"n{i}.txt", b"x", "text/plain")) for i in range(2)]
    # One file a page: the SDK's own paginator (has_more/after_id or next_page) walks them.
    listed = [f.id for f in files.list(limit=1)]
    expect({uploaded.id, *(o.id for o in others)} <= set(listed), f"{listed}")
    expect(len(listed) == len(set(listed)), f"duplicates in {listed}")
    for other in others:
        files.delete(other.id)
    expect(files.retrieve_metadata(uploaded.id).filename == "notes.txt", "metadata")
    try:
        files.download(uploaded.id)
        raise AssertionError("an uploaded file downloaded")
    except anthropic.BadRequestError as exc:
        expect(exc.status_code == 400, f"{exc}")
    deleted = files.delete(uploaded.id)
    expect(deleted.id == uploaded.id and deleted.type == "file_deleted", f"{deleted}")
    try:
        files.retrieve_metadata(uploaded.id)
        raise AssertionError("a deleted file is still there")
    except anthropic.NotFoundError:
        pass
    return f"{len(listed)} listed"


@check
def beta_files_upload_list_download_delete() -> str:
    beta = client().beta
    need(hasattr(beta, "files"), "no beta.files")
    return _files_round_trip(beta.files)


@check
def files_upload_list_download_delete() -> str:
    c = client()
    need(hasattr(c, "files"), "no GA files")
    return _files_round_trip(c.files)


@check
def beta_file_document_in_a_message() -> str:
    c = client()
    files = getattr(c.beta, "files", None) or getattr(c, "files", None)
    need(files is not None, "no files")
    uploaded = files.upload(file=("notes.txt", b"The meeting is at noon.", "text/plain"))
    document = {"type": "document", "source": {"type": "file", "file_id": uploaded.id}}
    msg = c.beta.messages.create(
        model=MODEL,
        max_tokens=64,
        betas=["files-api-2025-04-14"],
        messages=[{"role": "user", "content": [document, {"type": "text", "text": "When?"}]}],
    )
    files.delete(uploaded.id)
    expect(text_of(msg), f"{msg}")
    return msg.id
