"""The Files store: uploaded bytes on disk, a metadata JSON beside each, nothing in RAM but
the metadata.

Layout under ``<data dir>/files``::

    file_01Ab...           the bytes, exactly as uploaded
    file_01Ab....json      FileMetadata as served (plus ``deleted`` once deleted)
    .upload-*              an upload in progress (removed on failure, renamed on success)

Every write is atomic (temp file + ``os.replace``), so a restart with the same directory
finds every committed file and never a half-written one.
"""

from __future__ import annotations

import base64
import mimetypes
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from .errors import InvalidRequestError, NotFoundError, RequestTooLargeError
from .ids import new_id
from .index import Index, MemoryIndex
from .pages import Page, paginate

MAX_FILE_BYTES = 500 * 1024 * 1024
MIN_EXPIRY, MAX_EXPIRY = 3600, 7_776_000
TOO_LARGE = "Request exceeds the maximum allowed number of bytes."
_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg",
               "image/gif": ".gif", "image/webp": ".webp", "text/plain": ".txt"}  # fmt: skip
_FILE_ID = re.compile(r"^file_[A-Za-z0-9]{1,64}$")


def rfc3339(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat().replace("+00:00", "Z")


def write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class StoredFile:
    id: str
    filename: str
    mime_type: str
    size_bytes: int
    created_at: float
    downloadable: bool = False
    expires_at: float | None = None
    deleted: bool = False

    def metadata(self) -> dict[str, Any]:
        """The wire ``FileMetadata``."""
        return {
            "id": self.id,
            "type": "file",
            "filename": self.filename,
            "mime_type": self.mime_type,
            "size_bytes": self.size_bytes,
            "created_at": rfc3339(self.created_at),
            "downloadable": self.downloadable,
            "expires_at": rfc3339(self.expires_at) if self.expires_at is not None else None,
        }


class Upload:
    """Bytes of one multipart ``file`` part, written to disk as they arrive."""

    def __init__(self, root: Path, limit: int) -> None:
        fd, name = tempfile.mkstemp(dir=root, prefix=".upload-")
        self.path = Path(name)
        self._out: BinaryIO = os.fdopen(fd, "wb")
        self._limit = limit
        self.size = 0
        self.head = b""

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self._limit:
            raise RequestTooLargeError(TOO_LARGE)
        if len(self.head) < 64:
            self.head = (self.head + chunk)[:64]
        self._out.write(chunk)

    def close(self) -> None:
        if not self._out.closed:
            self._out.close()

    def discard(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)


class FileStore:
    """Uploaded files by id. Other modules read bytes through ``read_bytes``."""

    def __init__(
        self,
        root: Path,
        *,
        clock: Callable[[], float] = time.time,
        index: Index[StoredFile] | None = None,
    ) -> None:
        self.root = root
        self.clock = clock
        root.mkdir(parents=True, exist_ok=True)
        if index is not None:
            # A shared index (Redis): other replicas use the same directory right now, so
            # only uploads older than an hour are taken for leftovers of a shutdown.
            self._files: Index[StoredFile] = index
            _remove_stale_uploads(root, older_than=3600, now=time.time())
            return
        self._files = MemoryIndex()
        for meta in root.glob("file_*.json"):
            try:
                stored = StoredFile(**orjson.loads(meta.read_bytes()))
            except (orjson.JSONDecodeError, TypeError):
                continue  # a foreign or damaged file: ignore it rather than refuse to start
            if not stored.deleted and (root / stored.id).exists():
                self._files.put(stored.id, stored)
        _remove_stale_uploads(root)  # uploads cut off by the last shutdown

    # -- writing -------------------------------------------------------------------------
    def begin_upload(self, limit: int = MAX_FILE_BYTES) -> Upload:
        return Upload(self.root, limit)

    def commit(
        self,
        upload: Upload,
        *,
        filename: str | None,
        content_type: str | None,
        expires_in_seconds: int | None = None,
        downloadable: bool = False,
    ) -> StoredFile:
        upload.close()
        now = self.clock()
        mime_type = _mime_type(content_type, filename, upload.head)
        stored = StoredFile(
            id=new_id("file_"),
            filename=_clean_filename(filename, mime_type),
            mime_type=mime_type,
            size_bytes=upload.size,
            created_at=now,
            downloadable=downloadable,
            expires_at=now + expires_in_seconds if expires_in_seconds is not None else None,
        )
        os.replace(upload.path, self.root / stored.id)
        self._save(stored)
        self._files.put(stored.id, stored)
        return stored

    def add_bytes(
        self, data: bytes, *, filename: str, mime_type: str, downloadable: bool
    ) -> StoredFile:
        """A file created by the sandbox itself (e.g. a tool output), downloadable if asked."""
        upload = self.begin_upload(limit=len(data))
        upload.write(data)
        return self.commit(
            upload, filename=filename, content_type=mime_type, downloadable=downloadable
        )

    def delete(self, file_id: str) -> None:
        stored = self.get(file_id)
        stored.deleted = True
        self._save(stored)  # first the tombstone, so a crash never resurrects the file
        self._files.remove(file_id)
        (self.root / file_id).unlink(missing_ok=True)
        (self.root / f"{file_id}.json").unlink(missing_ok=True)

    def _save(self, stored: StoredFile) -> None:
        write_atomic(self.root / f"{stored.id}.json", orjson.dumps(asdict(stored)))

    # -- reading -------------------------------------------------------------------------
    def get(self, file_id: str) -> StoredFile:
        stored = self._files.get(file_id)
        if stored is None:
            # Deliberate choice: the real API's exact wording for an unknown file is not public.
            raise NotFoundError(f"File not found: {file_id}")
        return stored

    def readable(self, file_id: str) -> StoredFile:
        """The file if its bytes can still be used; expired files are 404 ``file_expired``."""
        stored = self.get(file_id)
        if stored.expires_at is not None and self.clock() >= stored.expires_at:
            raise NotFoundError(
                f"File {file_id} has expired and its contents are no longer available.",
                details={"error_code": "file_expired"},
            )
        return stored

    def path(self, file_id: str) -> Path:
        return self.root / self.readable(file_id).id

    def read_bytes(self, file_id: str) -> bytes:
        """The uploaded bytes (token counting and image checks read these)."""
        return self.path(file_id).read_bytes()

    def download_path(self, file_id: str) -> Path:
        stored = self.readable(file_id)
        if not stored.downloadable:
            # Real behaviour: only files created by tools/skills can be downloaded.
            raise InvalidRequestError(
                f"File {file_id} is not downloadable. Only files created by the code "
                "execution tool or skills can be downloaded; uploaded files cannot.",
                details={"error_code": "file_not_downloadable"},
            )
        return self.root / stored.id

    def list(
        self,
        *,
        limit: int = 20,
        page: str | None = None,
        after_id: str | None = None,
        before_id: str | None = None,
        ids: Sequence[str] = (),
    ) -> dict[str, Any]:
        """One page in both cursor styles: ``next_page`` and ``has_more/first_id/last_id``."""
        if ids:
            if len(set(ids)) > 100:
                raise InvalidRequestError("ids: at most 100 ids may be given.")
            # Unknown and deleted ids are silently omitted (SDK docstring).
            found = [f for f in map(self._files.get, dict.fromkeys(ids)) if f is not None]
            return _page_body(Page(sorted(found, key=_newest_first), False), None)
        items = sorted(self._files.values(), key=_newest_first)
        if page:
            after_id = _decode_cursor(page)
        result = paginate(
            items, lambda f: f.id, after_id=after_id, before_id=before_id, limit=limit
        )
        next_page = None
        if result.has_more and not before_id and result.items:
            next_page = _encode_cursor(result.items[-1].id)
        return _page_body(result, next_page)

    def __iter__(self) -> Iterator[StoredFile]:
        return self._files.values()


def _remove_stale_uploads(root: Path, *, older_than: float = 0.0, now: float = 0.0) -> None:
    for stale in root.glob(".upload-*"):
        try:
            if older_than and stale.stat().st_mtime > now - older_than:
                continue
        except OSError:
            continue
        stale.unlink(missing_ok=True)


def _newest_first(f: StoredFile) -> tuple[float, str]:
    return (-f.created_at, f.id)


def _page_body(page: Page[StoredFile], next_page: str | None) -> dict[str, Any]:
    data = [f.metadata() for f in page.items]
    return {
        "data": data,
        "has_more": page.has_more,
        "first_id": data[0]["id"] if data else None,
        "last_id": data[-1]["id"] if data else None,
        "next_page": next_page,
    }


def _encode_cursor(last_id: str) -> str:
    return "page_" + base64.urlsafe_b64encode(last_id.encode()).decode().rstrip("=")


def _decode_cursor(page: str) -> str:
    raw = page.removeprefix("page_")
    try:
        last_id = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        last_id = ""
    if not _FILE_ID.match(last_id):
        raise InvalidRequestError(f"page: invalid page cursor '{page}'.")
    return last_id


def _mime_type(content_type: str | None, filename: str | None, head: bytes) -> str:
    declared = (content_type or "").split(";", 1)[0].strip().lower()
    if declared and declared != "application/octet-stream":
        return declared
    for magic, mime in _MAGIC:
        if head.startswith(magic):
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    guessed = mimetypes.guess_type(filename or "")[0]
    return guessed or "application/octet-stream"


def _clean_filename(filename: str | None, mime_type: str) -> str:
    # Only the final path component is kept; empty -> ``unnamed`` + extension (SDK docstring).
    name = re.split(r"[\\/]", filename or "")[-1].strip()
    if name:
        return name
    return "unnamed" + (_EXTENSIONS.get(mime_type) or mimetypes.guess_extension(mime_type) or "")


def parse_expiry(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    try:
        seconds = int(raw)
    except ValueError:
        raise InvalidRequestError("expires_in_seconds: Input should be a valid integer") from None
    if not MIN_EXPIRY <= seconds <= MAX_EXPIRY:
        raise InvalidRequestError(
            f"expires_in_seconds: must be between {MIN_EXPIRY} and {MAX_EXPIRY}, got {seconds}."
        )
    return seconds


# -- references from Messages requests ---------------------------------------------------
def check_references(file_ids: Iterable[str], store: FileStore) -> None:
    """Refuse a request that points at a file the store does not have (or no longer has);
    ``file_ids`` are gathered by the request's one pass (``request.Found.file_ids``)."""
    for file_id in file_ids:
        store.readable(file_id)
