"""How a streamed answer is written: chunking, pacing and injected faults.

A fixture's ``stream:`` options (``defaults.stream`` of the whole set, then the rule's, then
a script step's) are compiled into one ``StreamPlan`` when the fixtures are loaded, so a
request only picks the plan of the action that answers it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import DEFAULT_MESSAGES, ApiError, api_error
from ..fixtures.format import Stream


@dataclass(frozen=True)
class StreamPlan:
    chunk_size: int = 16
    first_token_delay: float = 0.0
    tokens_per_second: float | None = None
    jitter: float = 0.0
    ping_interval: float | None = None
    error_after: int | None = None
    error: ApiError | None = None
    drop_after: int | None = None
    omit_message_stop: bool = False

    paced: bool = field(init=False)
    whole: bool = field(init=False)
    """Written in one go: no pacing and no injected fault."""

    def __post_init__(self) -> None:
        paced = bool(self.first_token_delay or self.tokens_per_second)
        whole = not (
            paced
            or self.error_after is not None
            or self.drop_after is not None
            or self.omit_message_stop
        )
        object.__setattr__(self, "paced", paced)
        object.__setattr__(self, "whole", whole)


def merge_stream(base: Stream | None, over: Stream | None) -> Stream | None:
    """``over``'s given keys on top of ``base``."""
    if base is None or over is None:
        return over or base
    return base.model_copy(update={k: getattr(over, k) for k in over.model_fields_set})


def compile_plan(stream: Stream | None, chunk_size: int) -> StreamPlan:
    """The plan for ``stream`` options (None: the settings' chunking, nothing else)."""
    if stream is None:
        return StreamPlan(chunk_size=chunk_size)
    error = None
    error_after = stream.error_after_events
    if stream.error is not None or error_after is not None:
        kind = stream.error.type if stream.error else "overloaded_error"
        text = (stream.error.message if stream.error else None) or DEFAULT_MESSAGES.get(
            kind, "Error"
        )
        error = api_error(kind, text)
        if error_after is None:
            error_after = 1  # right after message_start
    return StreamPlan(
        chunk_size=stream.chunk_size or chunk_size,
        first_token_delay=(stream.first_token_ms or 0) / 1000,
        tokens_per_second=stream.tokens_per_second,
        jitter=stream.jitter or 0.0,
        ping_interval=stream.ping_interval_ms / 1000 if stream.ping_interval_ms else None,
        error_after=error_after,
        error=error,
        drop_after=stream.drop_after_events,
        omit_message_stop=bool(stream.omit_message_stop),
    )
