"""The request journal in Redis: every worker and replica records into one list, and any of
them lists it.

One key, ``P:journal``: a list of records, newest first, trimmed to ``SANDBOX_JOURNAL_SIZE``
by the same round trip that adds one (``LPUSH`` + ``LTRIM`` in one Lua script: one reply to
read, where a transaction has four). A record
is the in-memory ``Record`` tuple as JSON, its bytes as Latin-1 text (lossless) and its
clock readings as wall-clock times, so any process reads it back as it was made.

The same script publishes the record on ``P:journal:new``. While somebody listens to the
journal in a process (the inspector's live feed), that process subscribes to the channel and
hands its listeners the records the other processes made, so a page sees every replica's
requests as they come (its own process's records go to them directly).

Deliberate choices: the journal is capped by count only in Redis (the in-memory journal's
budget of body bytes is per process; a record still keeps at most ``BODY_CAP`` of body);
a record whose write fails (Redis away) is logged and dropped, since the answer it
describes has already been sent; a live feed misses what other processes record while
Redis is away (the journal keeps what it could write).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import orjson

from ..journal import Journal, Listener, Record, message_of
from ..journal.view import session_of
from .connection import Connection

log = logging.getLogger("messages_sandbox.state")


# KEYS: 1 the list, ARGV: 1 the record, 2 the last index kept, 3 the channel, 4 the sender.
_PUSH = """
redis.call('lpush', KEYS[1], ARGV[1])
redis.call('ltrim', KEYS[1], 0, tonumber(ARGV[2]))
redis.call('publish', ARGV[3], ARGV[4] .. ARGV[1])
return 1
"""
RETRY_SECONDS = 1.0
"""How soon a live feed's subscription to the other processes' records is made again."""


class RedisJournal(Journal):
    shared = True

    def __init__(self, connection: Connection, size: int, file: Any = None) -> None:
        super().__init__(size, file)
        self.db = connection
        self._key = connection.key("journal")
        self._push = connection.script(_PUSH)
        self._channel = connection.key("journal", "new")
        # A record published by this process starts with this (16 bytes): not handed twice.
        self._sender = uuid.uuid4().hex[:16].encode()
        self._follower: asyncio.Task[None] | None = None
        # Records hold wall-clock times (``_encode``): no offset to add when read.
        self._offset = self._epoch
        self._epoch = 0.0

    def listen(self, listener: Listener) -> Callable[[], None]:
        """Also the records of every other process, while anybody listens (on the loop)."""
        stop = super().listen(listener)
        if self._follower is None:
            self._follower = asyncio.get_running_loop().create_task(self._follow())

        def stop_following() -> None:
            stop()
            if not self._listeners and self._follower is not None:
                self._follower.cancel()
                self._follower = None

        return stop_following

    async def _follow(self) -> None:
        """Hand the listeners what the other processes record, until nobody listens."""
        sender = self._sender
        while True:
            pubsub = self.db.client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self._channel)
                async for message in pubsub.listen():
                    data: bytes = message["data"]
                    if data[:16] == sender:
                        continue
                    record = _decode(data[16:])
                    for listener in self._listeners:
                        listener(record)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("live journal feed interrupted (%s); following again", exc)
                await asyncio.sleep(RETRY_SECONDS)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()

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
        listeners. Returns it with wall-clock times, what every process reads the same."""
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
        args = [_encode(record), self.size - 1, self._channel, self._sender]
        return self._push(keys=[self._key], args=args)

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
            message_of(record),
            record.held,
            None
            if record.timeline is None
            else [(at, event.decode("latin-1")) for at, event in record.timeline],
        ]
    )


def _decode(raw: bytes) -> Record:
    fields = orjson.loads(raw)
    (started, finished, method, path, query, headers, body, digest, status, content_type,
     answer, error, request_id, complete, message, held, timeline) = fields  # fmt: skip
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
        held,
        None
        if timeline is None
        else tuple((at, event.encode("latin-1")) for at, event in timeline),
    )
