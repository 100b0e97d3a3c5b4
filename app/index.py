"""``Index``: metadata by id (uploaded files, message batches), the one thing their stores
keep besides the bytes on disk. ``MemoryIndex`` keeps it in this process;
``state.redis_small.RedisIndex`` in Redis, for every worker and replica."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol, TypeVar

T = TypeVar("T")


class Index(Protocol[T]):
    def get(self, item_id: str) -> T | None: ...

    def put(self, item_id: str, item: T) -> None:
        """Store ``item`` (again, after a change: an index may keep a copy)."""
        ...

    def remove(self, item_id: str) -> None: ...

    def values(self) -> Iterator[T]: ...

    def __contains__(self, item_id: str) -> bool: ...

    def __len__(self) -> int: ...


class MemoryIndex(dict[str, T]):
    """A plain dict: ``put`` of an item already there is free (it is the same object)."""

    def put(self, item_id: str, item: T) -> None:
        self[item_id] = item

    def remove(self, item_id: str) -> None:
        self.pop(item_id, None)

    def values(self) -> Iterator[T]:  # type: ignore[override]
        return iter(list(super().values()))
