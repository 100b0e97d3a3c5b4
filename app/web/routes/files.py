"""``/v1/files``: upload (multipart, streamed to disk), list, metadata, download, delete."""

from __future__ import annotations

from functools import partial

import orjson
from fastapi import APIRouter, Depends
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, Response

from ...errors import InvalidRequestError, RequestTooLargeError
from ...files import MAX_FILE_BYTES, TOO_LARGE, FileStore, StoredFile, Upload, parse_expiry
from ...pages import read_limit
from ..auth import authenticate
from ..body import body_not_received
from ..responses import json_response
from ..scope import sandbox_of

router = APIRouter(dependencies=[Depends(authenticate)])
FIELD_LIMIT = 64 * 1024
# Room for the multipart framing around a file of the maximum size.
BODY_LIMIT = MAX_FILE_BYTES + 1024 * 1024


@router.post("/v1/files", include_in_schema=False)
async def upload_file(request: Request) -> Response:
    sandbox = sandbox_of(request)
    store = sandbox.files
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > BODY_LIMIT:
        raise RequestTooLargeError(TOO_LARGE)
    form = _FormReader(store, request.headers.get("content-type", ""))
    try:
        async for chunk in request.stream():
            form.feed(chunk)
        form.finish()
        stored = await sandbox.call(form.commit)
    except ClientDisconnect:
        form.discard()
        raise body_not_received(request.scope) from None
    except BaseException:
        form.discard()
        raise
    return json_response(orjson.dumps(stored.metadata()))


@router.get("/v1/files", include_in_schema=False)
async def list_files(request: Request) -> Response:
    query = request.query_params
    ids = query.getlist("ids[]") or query.getlist("ids")
    sandbox = sandbox_of(request)
    listing = partial(
        sandbox.files.list,
        limit=read_limit(query),
        page=query.get("page") or None,
        after_id=query.get("after_id") or None,
        before_id=query.get("before_id") or None,
        ids=ids,
    )
    page = await sandbox.call(listing)
    return json_response(orjson.dumps(page))


@router.get("/v1/files/{file_id}", include_in_schema=False)
async def file_metadata(request: Request, file_id: str) -> Response:
    sandbox = sandbox_of(request)
    stored = await sandbox.call(sandbox.files.get, file_id)
    return json_response(orjson.dumps(stored.metadata()))


@router.get("/v1/files/{file_id}/content", include_in_schema=False)
async def download_file(request: Request, file_id: str) -> Response:
    sandbox = sandbox_of(request)
    store = sandbox.files
    path = await sandbox.call(store.download_path, file_id)
    stored = await sandbox.call(store.get, file_id)
    return FileResponse(path, media_type=stored.mime_type, filename=stored.filename)


@router.delete("/v1/files/{file_id}", include_in_schema=False)
async def delete_file(request: Request, file_id: str) -> Response:
    sandbox = sandbox_of(request)
    await sandbox.call(sandbox.files.delete, file_id)
    return json_response(orjson.dumps({"id": file_id, "type": "file_deleted"}))


class _FormReader:
    """Feeds the body to python-multipart; the ``file`` part goes straight to disk."""

    def __init__(self, store: FileStore, content_type: str) -> None:
        media, options = parse_options_header(content_type)
        if media != b"multipart/form-data" or b"boundary" not in options:
            # Deliberate choice: the real API's wording for a non-multipart upload is not public.
            raise InvalidRequestError(
                "The request body must be multipart/form-data with a `file` part."
            )
        self.store = store
        self.upload: Upload | None = None
        self.filename: str | None = None
        self.file_type: str | None = None
        self.fields: dict[str, str] = {}
        self._headers: dict[bytes, bytes] = {}
        self._name = self._value = b""
        self._field: str | None = None
        self._target: Upload | bytearray | None = None
        self._size = 0
        self._ended = False
        self._parser = MultipartParser(
            options[b"boundary"],
            {
                "on_part_begin": self._part_begin,
                "on_header_field": self._header_field,
                "on_header_value": self._header_value,
                "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished,
                "on_part_data": self._part_data,
                "on_part_end": self._part_end,
                "on_end": self._end,
            },
        )

    def feed(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size > BODY_LIMIT:
            raise RequestTooLargeError(TOO_LARGE)
        try:
            self._parser.write(chunk)
        except MultipartParseError as exc:
            raise InvalidRequestError(f"Malformed multipart body: {exc}") from None

    def finish(self) -> None:
        try:
            self._parser.finalize()
        except MultipartParseError as exc:
            raise InvalidRequestError(f"Malformed multipart body: {exc}") from None
        if not self._ended:
            # python-multipart takes a body that stops mid-part as it is: without the closing
            # boundary nothing says the file is whole, so nothing is stored.
            # Deliberate choice: the real API's wording for a truncated upload is not public.
            raise InvalidRequestError(
                "Malformed multipart body: it ends before the closing boundary, so the "
                "upload is incomplete."
            )

    def commit(self) -> StoredFile:
        if self.upload is None:
            raise InvalidRequestError("file: Field required")
        expires = parse_expiry(self.fields.get("expires_in_seconds"))
        return self.store.commit(
            self.upload,
            filename=self.filename,
            content_type=self.file_type,
            expires_in_seconds=expires,
        )

    def discard(self) -> None:
        if self.upload is not None:
            self.upload.discard()

    # -- parser callbacks ---------------------------------------------------------------
    def _part_begin(self) -> None:
        self._headers = {}

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._name += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._name.lower()] = self._value
        self._name = self._value = b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        name = options.get(b"name", b"").decode("utf-8", "replace")
        self._field = name
        if name == "file":
            if self.upload is not None:
                raise InvalidRequestError("file: only one file may be uploaded per request.")
            self.upload = self.store.begin_upload()
            raw_name = options.get(b"filename")
            self.filename = raw_name.decode("utf-8", "replace") if raw_name is not None else None
            self.file_type = self._headers.get(b"content-type", b"").decode("latin-1") or None
            self._target = self.upload
        else:
            self._target = bytearray()

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        target = self._target
        if isinstance(target, bytearray):
            if len(target) + end - start > FIELD_LIMIT:
                raise InvalidRequestError(f"{self._field}: form field too large.")
            target += data[start:end]
        elif target is not None:
            target.write(data[start:end])

    def _end(self) -> None:
        self._ended = True

    def _part_end(self) -> None:
        if isinstance(self._target, bytearray) and self._field:
            self.fields[self._field] = self._target.decode("utf-8", "replace")
        self._target = None
