"""Message Batches: a store of batches on disk and their (simulated) processing.

Every request of a batch is answered once, at create time, by the same pipeline as a live
call (``Sandbox.answer_params``, fixtures included); the answers are written to the results
file straight away and revealed when the batch ends. Lifecycle, with ``delay`` =
``SANDBOX_BATCH_DELAY`` seconds:

    create ──> in_progress ──(first read at or after created_at + delay)──> ended
                    └──cancel──> canceling ──(next read)──> ended, every result canceled

Deliberate choice: create always answers ``in_progress`` (as the real API does) and
processing completes when the batch is next *read* (retrieve, list, results) once the
delay has passed. With the default delay of 0 an SDK polling loop sees ``ended`` on its
first poll, and a cancel sent before that first read still cancels the batch, so cancel
flows are testable without sleeping. A delay longer than 24 h lets the batch expire:
it ends at ``expires_at`` with every result ``expired``.

Layout under ``<data dir>/batches``: ``msgbatch_….json`` (state) and ``msgbatch_….jsonl``
(results, one line per request, no blank lines), both written atomically.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import orjson

from .errors import ApiError, ApiInternalError, InvalidRequestError, NotFoundError
from .files import rfc3339, write_atomic
from .ids import new_id
from .index import Index, MemoryIndex
from .pages import paginate

log = logging.getLogger("messages_sandbox")

MAX_REQUESTS = 100_000
BATCH_BODY_LIMIT = 256 * 1024 * 1024
LIFETIME = 24 * 3600
_CUSTOM_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")

Answer = Callable[[Mapping[str, Any]], dict[str, Any]]
"""Answers one ``params`` object with a Message, or raises the ``ApiError`` a live call would."""


@dataclass
class Batch:
    id: str
    created_at: float
    due_at: float
    total: int
    succeeded: int
    errored: int
    status: str = "in_progress"
    canceled: int = 0
    expired: int = 0
    ended_at: float | None = None
    cancel_initiated_at: float | None = None

    @property
    def expires_at(self) -> float:
        return self.created_at + LIFETIME

    def body(self, base_url: str) -> dict[str, Any]:
        """The wire ``MessageBatch``; ``results_url`` on the host the client used."""
        ended = self.status == "ended"
        if ended:
            counts = {"processing": 0, "succeeded": self.succeeded, "errored": self.errored,
                      "canceled": self.canceled, "expired": self.expired}  # fmt: skip
        else:
            # Requests stay `processing` until the whole batch ends (real behaviour).
            counts = {"processing": self.total, "succeeded": 0, "errored": 0,
                      "canceled": 0, "expired": 0}  # fmt: skip
        return {
            "id": self.id,
            "type": "message_batch",
            "processing_status": self.status,
            "request_counts": counts,
            "ended_at": _time(self.ended_at),
            "created_at": rfc3339(self.created_at),
            "expires_at": rfc3339(self.expires_at),
            "archived_at": None,
            "cancel_initiated_at": _time(self.cancel_initiated_at),
            "results_url": f"{base_url}/v1/messages/batches/{self.id}/results" if ended else None,
        }


def _time(ts: float | None) -> str | None:
    return rfc3339(ts) if ts is not None else None


class BatchStore:
    def __init__(
        self,
        root: Path,
        *,
        delay: float = 0.0,
        clock: Callable[[], float] = time.time,
        index: Index[Batch] | None = None,
    ) -> None:
        self.root = root
        self.delay = delay
        self.clock = clock
        root.mkdir(parents=True, exist_ok=True)
        if index is not None:  # shared (Redis): the index is the record, results on disk
            self._batches: Index[Batch] = index
            return
        self._batches = MemoryIndex()
        for meta in root.glob("msgbatch_*.json"):
            try:
                batch = Batch(**orjson.loads(meta.read_bytes()))
            except (orjson.JSONDecodeError, TypeError):
                continue  # a damaged state file: skip it rather than refuse to start
            if self._results(batch.id).exists():
                self._batches.put(batch.id, batch)

    # -- create --------------------------------------------------------------------------
    def create(self, body: Any, answer: Answer) -> Batch:
        """Check, answer every request and store the batch in one go."""
        builder = self.begin(body)
        while builder.step(answer):
            pass
        return builder.finish()

    def begin(self, body: Any) -> BatchBuilder:
        """A batch being answered in steps, so a server can stay responsive meanwhile."""
        return BatchBuilder(self, _check_requests(body))

    def _add(self, lines: list[bytes], succeeded: int, errored: int) -> Batch:
        now = self.clock()
        batch = Batch(
            id=new_id("msgbatch_"),
            created_at=now,
            due_at=now + self.delay,
            total=len(lines),
            succeeded=succeeded,
            errored=errored,
        )
        write_atomic(self._results(batch.id), b"\n".join(lines) + b"\n")
        self._save(batch)
        return batch

    # -- read ----------------------------------------------------------------------------
    def retrieve(self, batch_id: str) -> Batch:
        return self._advance(self._get(batch_id))

    def list(
        self, *, limit: int, after_id: str | None = None, before_id: str | None = None
    ) -> dict[str, Any]:
        items = sorted(self._batches.values(), key=lambda b: (-b.created_at, b.id))
        page = paginate(items, lambda b: b.id, after_id=after_id, before_id=before_id, limit=limit)
        batches = [self._advance(b) for b in page.items]
        return {
            "batches": batches,
            "has_more": page.has_more,
            "first_id": batches[0].id if batches else None,
            "last_id": batches[-1].id if batches else None,
        }

    def results(self, batch_id: str) -> Iterator[bytes]:
        """The results file in chunks (JSONL, newline-terminated, no blank lines)."""
        batch = self.retrieve(batch_id)
        if batch.status != "ended":
            # Deliberate choice: the real API's wording here is not public.
            raise InvalidRequestError(
                f"Message batch {batch_id} is still {batch.status}; its results are available "
                "once processing_status is 'ended'."
            )
        return _chunks(self._results(batch_id))

    # -- change --------------------------------------------------------------------------
    def cancel(self, batch_id: str) -> Batch:
        batch = self._get(batch_id)
        if batch.status == "in_progress":
            batch.status = "canceling"
            batch.cancel_initiated_at = self.clock()
            self._save(batch)
        # Deliberate choice: cancelling a batch that is canceling or ended returns it as is.
        return batch

    def delete(self, batch_id: str) -> dict[str, str]:
        batch = self.retrieve(batch_id)
        if batch.status != "ended":
            # Deliberate choice: the real API's wording here is not public.
            raise InvalidRequestError(
                f"Message batch {batch_id} cannot be deleted while it is {batch.status}: "
                "cancel it first and wait until processing_status is 'ended'."
            )
        self._batches.remove(batch_id)
        (self.root / f"{batch_id}.json").unlink(missing_ok=True)
        self._results(batch_id).unlink(missing_ok=True)
        return {"id": batch_id, "type": "message_batch_deleted"}

    # -- internals -----------------------------------------------------------------------
    def _get(self, batch_id: str) -> Batch:
        batch = self._batches.get(batch_id)
        if batch is None:
            # Deliberate choice: wording of the real 404 for an unknown batch.
            raise NotFoundError(f"Message batch {batch_id} not found.")
        return batch

    def _advance(self, batch: Batch) -> Batch:
        """Bring a batch up to date with the clock (see the module docstring)."""
        now = self.clock()
        if batch.status == "canceling":
            self._end(batch, now, "canceled")
        elif batch.status == "in_progress":
            if batch.due_at > batch.expires_at and now >= batch.expires_at:
                self._end(batch, batch.expires_at, "expired")
            elif now >= batch.due_at:
                self._end(batch, now, None)
        return batch

    def _end(self, batch: Batch, now: float, replaced_by: str | None) -> None:
        if replaced_by is not None:
            # No request had been processed yet: every result becomes canceled/expired.
            path = self._results(batch.id)
            ids = [orjson.loads(line)["custom_id"] for line in path.read_bytes().splitlines()]
            result = orjson.dumps({"type": replaced_by})
            write_atomic(
                path,
                b"".join(
                    b'{"custom_id":' + orjson.dumps(cid) + b',"result":' + result + b"}\n"
                    for cid in ids
                ),
            )
            batch.succeeded = batch.errored = 0
            setattr(batch, replaced_by, batch.total)
        batch.status = "ended"
        batch.ended_at = now
        self._save(batch)

    def _save(self, batch: Batch) -> None:
        write_atomic(self.root / f"{batch.id}.json", orjson.dumps(asdict(batch)))
        self._batches.put(batch.id, batch)

    def _results(self, batch_id: str) -> Path:
        return self.root / f"{batch_id}.jsonl"


class BatchBuilder:
    """Answers a checked batch's requests, ``step`` by ``step``; ``finish`` stores it."""

    def __init__(self, store: BatchStore, requests: Sequence[Mapping[str, Any]]) -> None:
        self._store = store
        self._requests = requests
        self._lines: list[bytes] = []
        self._succeeded = self._errored = 0

    def step(self, answer: Answer, count: int = 1000) -> bool:
        """Answer up to ``count`` more requests; True while some remain."""
        done = len(self._lines)
        for item in self._requests[done : done + count]:
            try:
                message = answer(item["params"])
            except Exception as exc:
                if not isinstance(exc, ApiError):
                    # One request the sandbox failed on is that request's `api_error` row,
                    # as a live call would get a 500: never the whole batch.
                    log.exception("batch request %r failed", item["custom_id"])
                    exc = ApiInternalError("Internal server error")
                self._errored += 1
                error = {"type": "error", "error": exc.error_object(), "request_id": None}
                result: dict[str, Any] = {"type": "errored", "error": error}
            else:
                self._succeeded += 1
                message["usage"]["service_tier"] = "batch"
                result = {"type": "succeeded", "message": message}
            self._lines.append(orjson.dumps({"custom_id": item["custom_id"], "result": result}))
        return len(self._lines) < len(self._requests)

    def finish(self) -> Batch:
        return self._store._add(self._lines, self._succeeded, self._errored)


def _check_requests(body: Any) -> Sequence[Mapping[str, Any]]:
    """The create body's own shape; each ``params`` is checked later, per request."""
    if not isinstance(body, dict):
        raise InvalidRequestError("Input should be a valid dictionary")
    extra = sorted(set(body) - {"requests"})
    if extra:
        raise InvalidRequestError(f"{extra[0]}: Extra inputs are not permitted")
    requests = body.get("requests")
    if requests is None:
        raise InvalidRequestError("requests: Field required")
    if not isinstance(requests, list):
        raise InvalidRequestError("requests: Input should be a valid list")
    if not requests:
        raise InvalidRequestError("requests: List should have at least 1 item after validation")
    if len(requests) > MAX_REQUESTS:
        raise InvalidRequestError(
            f"requests: List should have at most {MAX_REQUESTS} items after validation, "
            f"not {len(requests)}"
        )
    seen: dict[str, int] = {}
    for i, item in enumerate(requests):
        where = f"requests.{i}"
        if not isinstance(item, dict):
            raise InvalidRequestError(f"{where}: Input should be a valid dictionary")
        for key in ("custom_id", "params"):
            if key not in item:
                raise InvalidRequestError(f"{where}.{key}: Field required")
        extra = sorted(set(item) - {"custom_id", "params"})
        if extra:
            raise InvalidRequestError(f"{where}.{extra[0]}: Extra inputs are not permitted")
        custom_id = item["custom_id"]
        if not isinstance(custom_id, str):
            raise InvalidRequestError(f"{where}.custom_id: Input should be a valid string")
        if not _CUSTOM_ID.match(custom_id):
            raise InvalidRequestError(
                f"{where}.custom_id: String should match pattern '^[a-zA-Z0-9_-]{{1,64}}$'"
            )
        if not isinstance(item["params"], dict):
            raise InvalidRequestError(f"{where}.params: Input should be a valid dictionary")
        if custom_id in seen:
            # Deliberate choice: the real API refuses duplicates; its exact wording is not public.
            raise InvalidRequestError(
                f"{where}.custom_id: '{custom_id}' is already used by requests.{seen[custom_id]}; "
                "custom_id must be unique within a batch."
            )
        seen[custom_id] = i
    return requests


def _chunks(path: Path, size: int = 1 << 16) -> Iterator[bytes]:
    with path.open("rb") as f:
        while chunk := f.read(size):
            yield chunk
