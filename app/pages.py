"""List pagination as the real API does it: newest first, ``after_id`` / ``before_id`` /
``limit``, with ``has_more`` pointing in the direction of travel (what the SDK's ``SyncPage``
follows: ``after_id=<last_id>`` forwards, ``before_id=<first_id>`` backwards).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from .errors import InvalidRequestError

T = TypeVar("T")
MIN_LIMIT, MAX_LIMIT, DEFAULT_LIMIT = 1, 1000, 20


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    has_more: bool


def paginate(
    items: Sequence[T],
    key: Callable[[T], str],
    *,
    after_id: str | None = None,
    before_id: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> Page[T]:
    """One page of ``items`` (already newest first).

    Deliberate choice: an ``after_id``/``before_id`` that names no item gives an empty page
    rather than an error (the item may have been deleted between two page requests).

    Both cursors at once: ``before_id`` wins and ``after_id`` is ignored. That is how the
    SDK's ``SyncPage.next_page_info`` reads such a request (``before_id`` present means
    "paging backwards"), and its auto-paging keeps the caller's ``after_id`` on every later
    request (``_info_to_options`` merges params), so a 400 here would break its iteration.
    Deliberate choice: the real API's answer to both is not documented.
    """
    if before_id:
        after_id = None
    ids = [key(item) for item in items]
    if before_id:
        end = ids.index(before_id) if before_id in ids else 0
        start = max(0, end - limit)
        return Page(list(items[start:end]), start > 0)
    start = 0
    if after_id:
        start = ids.index(after_id) + 1 if after_id in ids else len(ids)
    chunk = list(items[start : start + limit])
    return Page(chunk, start + limit < len(items))


def read_limit(query: Mapping[str, str], default: int = DEFAULT_LIMIT) -> int:
    """``limit`` from a query string, with the real range check."""
    raw = query.get("limit")
    if raw is None or raw == "":
        return default
    try:
        limit = int(raw)
    except ValueError:
        raise InvalidRequestError("limit: Input should be a valid integer") from None
    if not MIN_LIMIT <= limit <= MAX_LIMIT:
        # Deliberate choice: pydantic-style wording, as the real validation errors use.
        bound = "greater than or equal to 1" if limit < MIN_LIMIT else "less than or equal to 1000"
        raise InvalidRequestError(f"limit: Input should be {bound}")
    return limit
