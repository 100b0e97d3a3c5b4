"""The sandbox core: ``handle(caller, body) -> Outcome``, with no HTTP in sight.

Flow, one way only:
    headers (done by the caller) -> validate -> rules -> choose a reply -> build -> Outcome
The routes render the Outcome as JSON or as SSE events.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import rules
from .build import Message, Usage, build_message
from .catalogue import Catalogue, load_catalogue
from .errors import ApiError, InvalidRequestError
from .headers import Caller
from .reply import Reply
from .responder import default_reply
from .schema import RequestValidators, ValidationFailed
from .schema.betas import KNOWN_BETAS
from .settings import Settings
from .signatures import Signer
from .tokens import count_request


@dataclass(frozen=True)
class StreamPlan:
    """How to write a stream: chunking, pacing and injected faults (fixture `stream:`)."""

    chunk_size: int = 16
    first_token_delay: float = 0.0
    tokens_per_second: float | None = None
    jitter: float = 0.0
    ping_interval: float | None = None
    error_after: int | None = None
    error: ApiError | None = None
    drop_after: int | None = None
    omit_message_stop: bool = False

    @property
    def paced(self) -> bool:
        return bool(self.first_token_delay or self.tokens_per_second)


@dataclass
class Outcome:
    message: Message
    stream: bool
    plan: StreamPlan
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Choice:
    """What the reply chooser decided: a reply to build, or an error to raise."""

    reply: Reply | None = None
    error: ApiError | None = None
    plan: StreamPlan | None = None
    headers: dict[str, str] = field(default_factory=dict)


Chooser = Callable[[Mapping[str, Any], Caller], Choice | None]


class Sandbox:
    """Everything a request needs, built once at start-up from ``Settings``."""

    def __init__(
        self,
        settings: Settings,
        *,
        catalogue: Catalogue | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.validators = RequestValidators()
        self.catalogue = catalogue or load_catalogue(Path(settings.fixtures))
        self.signer = Signer(settings.signing_key)
        self.default_plan = StreamPlan(chunk_size=settings.stream_chunk_size)
        # The fixture engine plugs in here; the default responder is the fallback.
        self.choosers: list[Chooser] = []
        # Outside strict mode unknown betas pass: real clients send names no SDK lists.
        self.known_betas: frozenset[str] | None = KNOWN_BETAS if settings.strict else None

    def rate_limit_headers(self, scope: Mapping[str, Any]) -> list[tuple[bytes, bytes]]:
        """The ``anthropic-ratelimit-*`` family for a response (no limits configured)."""
        return []

    # -- POST /v1/messages -------------------------------------------------------------
    def messages(self, caller: Caller, body: bytes) -> Outcome:
        request = self.validate_messages(caller, body)
        return self.answer(caller, request)

    def validate_messages(self, caller: Caller, body: bytes) -> dict[str, Any]:
        try:
            request = self.validators.messages(body, beta=caller.beta)
        except ValidationFailed as exc:
            raise InvalidRequestError(str(exc)) from None
        rules.check_messages_request(
            request, caller, self.catalogue, self.signer, strict=self.settings.strict
        )
        return request

    def answer(self, caller: Caller, request: Mapping[str, Any]) -> Outcome:
        choice = self.choose(request, caller)
        if choice.error is not None:
            raise choice.error
        assert choice.reply is not None
        message = build_message(
            choice.reply, request, self.input_usage(request), sign=self.signer.sign
        )
        return Outcome(
            message=message,
            stream=bool(request.get("stream")),
            plan=choice.plan or self.default_plan,
            headers=choice.headers,
        )

    def choose(self, request: Mapping[str, Any], caller: Caller) -> Choice:
        for chooser in self.choosers:
            choice = chooser(request, caller)
            if choice is not None:
                return choice
        return Choice(reply=default_reply(request))

    def input_usage(self, request: Mapping[str, Any]) -> Usage:
        return Usage(input_tokens=count_request(request))
