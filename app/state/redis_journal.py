"""The request journal in Redis: every worker and replica records into one list, and any of
them lists it.

One key, ``P:journal``: a list of records, newest first, trimmed to ``SANDBOX_JOURNAL_SIZE``
by the same round trip that adds one (``LPUSH`` + ``LTRIM`` in one Lua script: one reply to
read, where a transaction has four). A record
is the in-memory ``Record`` tuple as JSON, its bytes as Latin-1 text (lossless) and its
clock readings as wall-clock times, so any process reads it back as it was made.

Deliberate choices: the journal is capped by count only in Redis (the in-memory journal's
budget of body bytes is per process; a record still keeps at most ``BODY_CAP`` of body);
a record whose write fails (Redis away) is logged and dropped, since the answer it
describes has already been sent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import orjson

from ..journal import Journal, Record
from ..journal.view import session_of
from .connection import Connection

log = logging.getLogger("messages_sandbox.state")


_PUSH = """
redis.call('lpush', KEYS[1], ARGV[1])
redis.call('ltrim', KEYS[1], 0, tonumber(ARGV[2]))
return 1
"""


class RedisJournal(Journal):
    shared = True

    def __init__(self, connection: Connection, size: int, file: Any = None) -> None:
        super().__init__(size, file)
        self.db = connection
        self._key = connection.key("journal")
        self._push = connection.script(_PUSH)
        # Records hold wall-clock times (``_encode``): no offset to add when read.
        self._offset = self._epoch
        self._epoch = 0.0

    def add(self, record: Record) -> None:
        """From synchronous code under the bridge; the web edge uses ``add_async``."""
        record = self._local(record)
        if self.size:
            self.db.run(self._append(record))

    async def add_async(self, record: Record) -> None:
        record = self._local(record)
        if not self.size:
            return
        try:
            await self.db.arun(self._append(record))
        except Exception:
            log.warning("journal entry %s not kept: Redis unavailable", record.request_id)

    def _local(self, record: Record) -> Record:
        """What this process does with a new record besides Redis: the JSONL mirror and the
        listeners (the inspector's live feed shows the entries of the process it is connected
        to as they come; its backlog and the journal are everybody's). Returns it with
        wall-clock times, what every process reads the same."""
        offset = self._offset
        timeline = record.timeline
        if timeline is not None:
            timeline = tuple((at + offset, event) for at, event in timeline)
        record = record._replace(
            started=record.started + offset, finished=record.finished + offset, timeline=timeline
        )
        if self.path is not None:
            self._write(record)
        for listener in self._listeners:
            listener(record)
        return record

    def _append(self, record: Record) -> Any:
        return self._push(keys=[self._key], args=[_encode(record), self.size - 1])

    def _raw(self) -> list[bytes]:
        return list(self.db.run(self.db.client.lrange(self._key, 0, -1)))

    def newest_first(self) -> Iterator[Record]:
        return (_decode(raw) for raw in self._raw())

    def find(self, request_id: str) -> Record | None:
        needle = orjson.dumps(request_id)
        for raw in self._raw():
            if needle in raw:  # decoded only when it may be the one
                record = _decode(raw)
                if record.request_id == request_id:
                    return record
        return None

    def clear(self, session: str | None = None) -> int:
        client = self.db.client
        if session is None:
            count, _ = self.db.run(client.pipeline(transaction=True).llen(self._key)
                                   .delete(self._key).execute())  # fmt: skip
            return int(count)
        doomed = [raw for raw in self._raw() if session_of(_decode(raw)) == session]
        if doomed:
            pipe = client.pipeline(transaction=False)
            for raw in doomed:
                pipe.lrem(self._key, 1, raw)
            self.db.run(pipe.execute())
        return len(doomed)

    def __len__(self) -> int:
        return int(self.db.run(self.db.client.llen(self._key)))


def _text(value: bytes | None) -> str | None:
    return None if value is None else value.decode("latin-1")


def _bytes(value: str | None) -> bytes | None:
    return None if value is None else value.encode("latin-1")


def _encode(record: Record) -> bytes:
    return orjson.dumps(
        [
            record.started,
            record.finished,
            record.method,
            record.path,
            _text(record.query),
            _text(record.headers),
            _text(record.body),
            record.digest,
            record.status,
            _text(record.content_type),
            dict(record.answer),
            _text(record.error),
            record.request_id,
            record.complete,
            record.message,
            record.message_size,
            None
            if record.timeline is None
            else [(at, event.decode("latin-1")) for at, event in record.timeline],
        ]
    )


def _decode(raw: bytes) -> Record:
    fields = orjson.loads(raw)
    (started, finished, method, path, query, headers, body, digest, status, content_type,
     answer, error, request_id, complete, message, message_size, timeline) = fields  # fmt: skip
    return Record(
        started,
        finished,
        method,
        path,
        _bytes(query) or b"",
        _bytes(headers) or b"",
        _bytes(body),
        tuple(digest) if digest is not None else None,
        status,
        _bytes(content_type) or b"",
        answer,
        _bytes(error),
        request_id,
        complete,
        message,
        message_size,
        None
        if timeline is None
        else tuple((at, event.encode("latin-1")) for at, event in timeline),
    )
