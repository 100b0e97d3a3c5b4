"""The sandbox core: ``handle(caller, body) -> Outcome``, with no HTTP in sight.

Flow, one way only:
    headers (done by the caller) -> validate -> rules -> choose a reply -> build -> Outcome
A request with ``thread`` is expanded to its full conversation before the rules and stored
with its reply after the build (``app.threads``).
The routes render the Outcome as JSON or as SSE events.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from types import MappingProxyType
from typing import Any

from . import files
from .batches import BatchStore
from .caching import PromptCache
from .catalogue import Catalogue, Model, load_catalogue
from .constraints import request as rules
from .errors import ApiError, InvalidRequestError
from .files import FileStore
from .fixtures.loader import FixtureSet, load_fixture_set
from .fixtures.playback import Playback
from .headers import SCOPE_HEADERS_KEY, Caller, credentials
from .journal import Journal
from .message.build import Message, Usage, build_message
from .ratelimits import RateLimiter, load_limits
from .responder import default_reply
from .schema import RequestValidators, ValidationFailed
from .schema.betas import KNOWN_BETAS
from .settings import Settings
from .signatures import Signer
from .threads import ThreadStore, unsupported_error
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

    paced: bool = field(init=False)
    whole: bool = field(init=False)
    """Written in one go: no pacing and no injected fault."""

    def __post_init__(self) -> None:
        # Decided when the plan is made (the default plan: once per fixture load), not on
        # every read.
        paced = bool(self.first_token_delay or self.tokens_per_second)
        whole = not (
            paced
            or self.error_after is not None
            or self.drop_after is not None
            or self.omit_message_stop
        )
        object.__setattr__(self, "paced", paced)
        object.__setattr__(self, "whole", whole)


_NO_HEADERS: Mapping[str, str] = MappingProxyType({})
"""The headers of an answer no fixture rule chose: none (shared, so read-only)."""


@dataclass(slots=True)
class Outcome:
    message: Message
    stream: bool
    plan: StreamPlan
    headers: Mapping[str, str] = field(default_factory=dict)
    on_end: Callable[[bool], None] | None = None
    """Called by the writer of a paced or faulted stream: did it reach ``message_stop``?"""


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
        fixture_set = load_fixture_set(settings.fixtures_dir())
        self._own_catalogue = catalogue is None
        self.catalogue = catalogue or load_catalogue(
            settings.fixtures_dir(), extra=fixture_set.models, builtin=settings.builtin_models
        )
        self.signer = Signer(settings.signing_key, accept_foreign=not settings.strict)
        self.playback = Playback(
            fixture_set, strict=settings.strict, chunk_size=settings.stream_chunk_size
        )
        self.default_plan = self.stream_plan(self.playback.default_plan())
        # Outside strict mode unknown betas pass: real clients send names no SDK lists.
        self.known_betas: frozenset[str] | None = KNOWN_BETAS if settings.strict else None
        # Resolved once: an unset data dir is a fresh temp dir, shared by files and batches.
        self.data_dir = settings.resolved_data_dir()
        self.organization_id = str(
            uuid.uuid5(uuid.NAMESPACE_URL, "messages-sandbox/" + settings.signing_key)
        )
        self.prompt_cache = PromptCache(clock)
        self.rate_limiter = RateLimiter(
            load_limits(settings.rate_limits, settings.fixtures_dir()),
            window=settings.rate_limit_window,
            clock=clock,
            organization_id=self.organization_id,
        )
        self.files = FileStore(self.data_dir / "files", clock=clock)
        self.batches = BatchStore(
            self.data_dir / "batches", delay=settings.batch_delay, clock=clock
        )
        self.threads = ThreadStore(settings.thread_capacity, settings.thread_unsupported)
        self.journal = Journal(settings.journal_size, settings.journal_file)

    def rate_limit_headers(self, scope: Mapping[str, Any]) -> list[tuple[bytes, bytes]]:
        """The ``anthropic-ratelimit-*`` family for a response (every response, so cheap)."""
        if not self.rate_limiter.enabled:
            return self.rate_limiter.headers("")  # the same rows for every key
        # The routes keep the headers dict on the scope; a request refused before any route
        # ran (404, preflight) has it made here.
        headers = scope.get(SCOPE_HEADERS_KEY) or dict(scope.get("headers", ()))
        keys = credentials(headers)
        return self.rate_limiter.headers(keys[0] if keys else "")

    # -- POST /v1/messages -------------------------------------------------------------
    def messages(self, caller: Caller, body: bytes) -> Outcome:
        request = _validated(self.validators.messages, body, caller)
        if request.get("thread") is not None:
            return self.threaded(caller, request)
        return self.admitted(caller, request, self.check_rules(caller, request))

    def admitted(self, caller: Caller, request: Mapping[str, Any], model: Model) -> Outcome:
        """``answer`` within the caller's rate limits."""
        limiter = self.rate_limiter
        if not limiter.enabled:
            # No limits configured: nothing to count.
            return self.answer(caller, request, model)
        admission = limiter.admit(
            caller.api_key, input_tokens=self.count_input(request), model=request["model"]
        )
        outcome = self.answer(caller, request, model)
        limiter.record_output(admission, outcome.message["usage"]["output_tokens"])
        return outcome

    def threaded(self, caller: Caller, request: Mapping[str, Any]) -> Outcome:
        """A request with ``thread``: answered on the full conversation, then stored under the
        reply's id (``app.threads``). Rules and fixtures never see the ``thread`` field."""
        turn = self.threads.begin(request, caller.api_key)
        try:
            model = self.check_rules(caller, turn.request)
            outcome = self.admitted(caller, turn.request, model)
        except ApiError as exc:
            self.threads.abandon(turn)
            raise turn.relocate(exc) from None
        except BaseException:
            self.threads.abandon(turn)
            raise
        if outcome.stream and not outcome.plan.whole:
            # A paced or faulted stream is still being answered until its writer says so.
            outcome.on_end = partial(self.threads.end, turn, outcome.message)
        else:
            self.threads.end(turn, outcome.message)
        return outcome

    # -- POST /v1/messages/count_tokens ------------------------------------------------
    def count_tokens(self, caller: Caller, body: bytes) -> dict[str, Any]:
        """``{"input_tokens": N}``: the same estimator as ``usage`` (cache never touched)."""
        request = _validated(self.validators.count_tokens, body, caller)
        rules.check_count_tokens_request(request, caller, self.catalogue, self.signer)
        files.check_references(request, self.files)
        total = self.count_input(request)
        answer: dict[str, Any] = {"input_tokens": total}
        if request.get("context_management") is not None:
            # Deliberate choice: nothing is cleared or compacted when counting, so the
            # original count is the count.
            answer["context_management"] = {"original_input_tokens": total}
        return answer

    def validate_messages(self, caller: Caller, body: bytes) -> dict[str, Any]:
        request = _validated(self.validators.messages, body, caller)
        self.check_rules(caller, request)
        return request

    def check_rules(self, caller: Caller, request: Mapping[str, Any]) -> Model:
        """What the real API refuses in a schema-valid request (live calls and batches);
        the model it names, resolved."""
        model = rules.check_messages_request(request, caller, self.catalogue, self.signer)
        files.check_references(request, self.files)
        return model

    # -- one request of a Message Batch ----------------------------------------------------
    def answer_params(self, caller: Caller, params: Mapping[str, Any]) -> Message:
        """Validate one batch ``params`` object and answer it exactly as a live call would;
        raises the ``ApiError`` the live call would have returned."""
        request = _validated(self.validators.messages_params, dict(params), caller)
        if request.get("stream"):
            # Deliberate choice: the real API's wording for `stream` inside a batch is not public.
            raise InvalidRequestError("stream: Streaming is not supported in Message Batches.")
        if request.get("thread") is not None:
            # Deliberate choice: a batch request answers once and is never continued.
            raise unsupported_error()
        model = self.check_rules(caller, request)
        return self.answer(caller, request, model).message

    def answer(self, caller: Caller, request: Mapping[str, Any], model: Model) -> Outcome:
        """A fixture rule's reply when one matches, else the default responder's, built
        (``model``: the one the rules resolved, so a reload in between cannot swap it)."""
        played = self.playback.play(request, caller)
        if played is None:
            # The usual case: no rule matched, so the default plan and no extra headers.
            reply, plan, headers = default_reply(request, model), self.default_plan, _NO_HEADERS
        elif played.error is not None:
            raise played.error
        else:
            assert played.reply is not None
            reply, headers = played.reply, played.headers
            plan = self.default_plan if played.plan is None else self.stream_plan(played.plan)
        usage = self._input_usage(request, model)
        message = build_message(reply, request, usage, sign=self.signer.sign)
        return Outcome(message, bool(request.get("stream")), plan, headers)

    # -- fixtures ------------------------------------------------------------------------
    def stream_plan(self, options: Mapping[str, Any] | None) -> StreamPlan:
        if options is None:
            return StreamPlan(chunk_size=self.settings.stream_chunk_size)
        return StreamPlan(**options)

    def reload_fixtures(self) -> FixtureSet:
        """Load the fixtures directory again and swap it in; on FixtureError nothing changes
        (the last good set keeps serving). In-flight requests keep the set they started with."""
        fixtures = self.settings.fixtures_dir()
        fixture_set = load_fixture_set(fixtures)
        catalogue = self.catalogue
        if self._own_catalogue:
            catalogue = load_catalogue(
                fixtures, extra=fixture_set.models, builtin=self.settings.builtin_models
            )
        # Every file is read before anything is swapped: a bad one changes nothing.
        limits = load_limits(self.settings.rate_limits, fixtures)
        self.rate_limiter.limits = limits  # counts so far are kept
        self.catalogue = catalogue
        self.playback.swap(fixture_set)
        self.default_plan = self.stream_plan(self.playback.default_plan())
        return fixture_set

    def input_usage(self, request: Mapping[str, Any]) -> Usage:
        """Input tokens split by the prompt cache (written and read as a side effect)."""
        return self._input_usage(request, self.catalogue.get(request["model"]))

    def _input_usage(self, request: Mapping[str, Any], model: Model | None) -> Usage:
        return self.prompt_cache.usage(
            request,
            model_id=model.id if model else request["model"],
            min_tokens=model.min_cache_tokens if model else 1024,
            read_file=self._file_bytes,
        )

    def count_input(self, request: Mapping[str, Any]) -> int:
        """What ``count_tokens`` answers (and the cache splits) for ``request``."""
        return count_request(request, read_file=self._file_bytes)

    def _file_bytes(self, file_id: str) -> bytes | None:
        # References were checked with the request; a file deleted since counts as unknown.
        try:
            return self.files.read_bytes(file_id)
        except (ApiError, OSError):
            return None


def _validated(
    validate: Callable[..., dict[str, Any]], payload: Any, caller: Caller
) -> dict[str, Any]:
    """Run a schema validator; its failure is the real API's 400."""
    try:
        return validate(payload, beta=caller.beta)
    except ValidationFailed as exc:
        raise InvalidRequestError(str(exc)) from None
