"""Files through the official SDK: upload, reference in a message, list, download, delete."""

from __future__ import annotations

import anthropic
import pytest
from conftest import HEADERS, start_sandbox

MODEL = "claude-haiku-4-5"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n%%EOF\n"
AUTH = {k: v for k, v in HEADERS.items() if k != "content-type"}


def ask_about(client: anthropic.Anthropic, block: dict):
    return client.messages.create(
        model=MODEL,
        max_tokens=64,
        messages=[{"role": "user", "content": [block, {"type": "text", "text": "Summarise."}]}],
    )


def document(file_id: str) -> dict:
    return {"type": "document", "source": {"type": "file", "file_id": file_id}}


def test_upload_reference_delete_then_reference_fails(client):
    uploaded = client.files.upload(file=("report.pdf", PDF, "application/pdf"))
    assert uploaded.id.startswith("file_") and uploaded.type == "file"
    assert (uploaded.filename, uploaded.mime_type, uploaded.size_bytes) == (
        "report.pdf",
        "application/pdf",
        len(PDF),
    )
    assert uploaded.downloadable is False
    assert client.files.retrieve_metadata(uploaded.id) == uploaded

    assert ask_about(client, document(uploaded.id)).stop_reason == "end_turn"

    deleted = client.files.delete(uploaded.id)
    assert (deleted.id, deleted.type) == (uploaded.id, "file_deleted")
    with pytest.raises(anthropic.NotFoundError, match=uploaded.id):
        ask_about(client, document(uploaded.id))
    with pytest.raises(anthropic.NotFoundError):
        client.files.retrieve_metadata(uploaded.id)


@pytest.mark.parametrize(
    "block",
    [
        {"type": "image", "source": {"type": "file", "file_id": "file_01Missing"}},
        {"type": "container_upload", "file_id": "file_01Missing"},
    ],
)
def test_unknown_file_id_in_a_message_is_404(http, block):
    body = {
        "model": MODEL,
        "max_tokens": 16,
        "messages": [{"role": "user", "content": [block, {"type": "text", "text": "hi"}]}],
    }
    response = http.post("/v1/messages", json=body, headers=HEADERS)
    assert response.status_code == 404
    assert response.json()["error"] == {
        "type": "not_found_error",
        "message": "File not found: file_01Missing",
    }


def test_download_of_an_uploaded_file_is_the_real_400(client):
    uploaded = client.files.upload(file=("notes.txt", b"hello", "text/plain"))
    with pytest.raises(anthropic.BadRequestError) as info:
        client.files.download(uploaded.id)
    assert info.value.status_code == 400
    assert info.value.body["error"]["details"] == {"error_code": "file_not_downloadable"}


def test_list_paginates_with_next_page_and_with_after_id(client, http):
    ids = [client.files.upload(file=(f"f{i}.txt", b"x", "text/plain")).id for i in range(3)]
    newest_first = ids[::-1]

    page = client.files.list(limit=2)
    assert len(page.data) == 2 and page.next_page and page.next_page.startswith("page_")
    walked = [f.id for f in client.files.list(limit=2)]
    assert [i for i in walked if i in ids] == newest_first

    raw = http.get("/v1/files", params={"limit": 2}, headers=AUTH).json()
    assert raw["has_more"] and raw["first_id"] == newest_first[0]
    after = http.get(
        "/v1/files", params={"limit": 1, "after_id": raw["last_id"]}, headers=AUTH
    ).json()
    assert after["data"][0]["id"] == newest_first[2]

    picked = client.files.list(ids=[ids[0], "file_01Unknown"])
    assert [f.id for f in picked.data] == [ids[0]] and picked.next_page is None


def test_upload_keeps_the_last_path_component_and_sniffs_an_unknown_type(http):
    files = {"file": ("dir/sub/scan.bin", PDF, "application/octet-stream")}
    meta = http.post("/v1/files", files=files, headers=AUTH).json()
    assert (meta["filename"], meta["mime_type"]) == ("scan.bin", "application/pdf")

    large = bytes(range(256)) * 8192  # 2 MiB, many chunks
    meta = http.post("/v1/files", files={"file": ("big", large)}, headers=AUTH).json()
    assert meta["size_bytes"] == len(large)


@pytest.mark.parametrize(
    ("data", "files", "fragment"),
    [
        ({"expires_in_seconds": "60"}, {"file": ("a.txt", b"a")}, "expires_in_seconds"),
        ({"other": "x"}, None, "file: Field required"),
    ],
)
def test_bad_upload_is_400(http, data, files, fragment):
    if files is None:
        # A multipart body with a text field only.
        response = http.post("/v1/files", data=data, files={"x": (None, "y")}, headers=AUTH)
    else:
        response = http.post("/v1/files", data=data, files=files, headers=AUTH)
    assert response.status_code == 400
    assert fragment in response.json()["error"]["message"]


def _file_ids(http) -> set[str]:
    listed = http.get("/v1/files", params={"limit": 1000}, headers=AUTH).json()["data"]
    return {f["id"] for f in listed}


def test_an_upload_cut_before_its_closing_boundary_is_400_and_stores_nothing(http, server):
    head = (
        b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\n"
    )
    cut = head + b"hello world, 29 bytes of text"  # no "\r\n--XyZ--": the body just ends
    headers = {**AUTH, "content-type": "multipart/form-data; boundary=XyZ"}
    stored = {
        f["id"] for f in http.get("/v1/files", params={"limit": 1000}, headers=AUTH).json()["data"]
    }
    response = http.post("/v1/files", content=cut, headers=headers)
    assert response.status_code == 400
    assert "closing boundary" in response.json()["error"]["message"]
    after = {
        f["id"] for f in http.get("/v1/files", params={"limit": 1000}, headers=AUTH).json()["data"]
    }
    assert after == stored
    port = server.base_url.rsplit(":", 1)[1]
    assert not list((server.log_path.parent / f"data-{port}" / "files").glob(".upload-*"))
    whole = http.post("/v1/files", content=cut + b"\r\n--XyZ--\r\n", headers=headers)
    assert whole.json()["size_bytes"] == 29


def test_upload_with_expiry_reports_expires_at(client):
    uploaded = client.files.upload(file=("e.txt", b"e", "text/plain"), expires_in_seconds=3600)
    assert (uploaded.expires_at - uploaded.created_at).total_seconds() == 3600


def test_files_and_batches_survive_a_restart_with_the_same_data_dir(tmp_path):
    env = {"SANDBOX_DATA_DIR": str(tmp_path / "data")}
    request = {"model": MODEL, "max_tokens": 8, "messages": [{"role": "user", "content": "x"}]}
    first = start_sandbox(tmp_path, **env)
    try:
        with first.client() as client:
            uploaded = client.files.upload(file=("keep.pdf", PDF, "application/pdf"))
            batch = client.messages.batches.create(requests=[{"custom_id": "k", "params": request}])
    finally:
        first.stop()
    second = start_sandbox(tmp_path, **env)
    try:
        with second.client() as client:
            assert client.files.retrieve_metadata(uploaded.id) == uploaded
            assert ask_about(client, document(uploaded.id)).stop_reason == "end_turn"
            results = list(client.messages.batches.results(batch.id))
            assert [r.result.type for r in results] == ["succeeded"]
    finally:
        second.stop()
