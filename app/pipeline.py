"""One request through the flow, with no HTTP in sight:

    headers (read by the web edge into a ``Caller``) -> validate -> ``RequestView``
        -> constraints -> a fixture rule, else the default responder -> build ONE Message
        -> ``Outcome``

The web edge renders the ``Outcome`` as JSON or as SSE events. The validated request is read
once: one ``RequestView`` carries what every stage derives from it (the constraints' pass
over the blocks, the file references, the token count and segments, the seed), so no stage
walks the request again. Each request reads the current ``Snapshot`` once (rules,
catalogue, limits), so a reload in between never mixes two sets. A request with ``thread``
is expanded to its full conversation before the constraints and stored with its reply
after the build (``threads``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from types import MappingProxyType
from typing import Any

from . import files
from .caching import PromptCache
from .catalogue import Model
from .constraints import request as constraints
from .errors import ApiError, InvalidRequestError
from .files import FileStore
from .fixtures.playback import Playback
from .headers import Caller
from .journal.redaction import scrubbed
from .message.build import Message, build_message
from .message.stream_plan import StreamPlan
from .ratelimits import RateLimiter
from .request import RequestView
from .responder import default_reply
from .schema import UNKNOWN_FIELDS_HEADER, RequestValidators, Stripped, ValidationFailed
from .signatures import Signer
from .snapshot import Snapshot
from .threads import ThreadStore, unsupported_error

_NO_HEADERS: Mapping[str, str] = MappingProxyType({})
"""The headers of an answer no fixture rule chose: none (shared, so read-only)."""


@dataclass(slots=True)
class Outcome:
    message: Message
    stream: bool
    plan: StreamPlan
    headers: Mapping[str, str] = field(default_factory=dict)
    on_end: Callable[[bool], Awaitable[None] | None] | None = None
    """Called by the writer of a paced or faulted stream: did it reach ``message_stop``?
    (It returns an awaitable when the state is in Redis: the writer awaits it.)"""


class Pipeline:
    """The request-handling functions; ``current`` gives the snapshot in force."""

    def __init__(
        self,
        current: Callable[[], Snapshot],
        *,
        validators: RequestValidators,
        signer: Signer,
        playback: Playback,
        prompt_cache: PromptCache,
        rate_limiter: RateLimiter,
        files: FileStore,
        threads: ThreadStore,
    ) -> None:
        self.current = current
        self.validators = validators
        self.signer = signer
        self.playback = playback
        self.prompt_cache = prompt_cache
        self.rate_limiter = rate_limiter
        self.files = files
        self.threads = threads

    # -- POST /v1/messages -------------------------------------------------------------
    def messages(self, caller: Caller, body: bytes) -> Outcome:
        snapshot = self.current()
        # ``_validated`` inlined, and the key scrubbed only where warn mode logs (~1,700
        # instructions a request, callgrind).
        validators = self.validators
        secrets = scrubbed(caller.api_key) if validators.warns else ()
        try:
            request = validators.messages(body, beta=caller.beta, secrets=secrets)
        except ValidationFailed as exc:
            raise InvalidRequestError(str(exc)) from None
        view = self.view(request, caller)
        if request.get("thread") is not None:
            outcome = self.threaded(snapshot, caller, view)
        else:
            model = self.check(snapshot, caller, view)
            outcome = self.admitted(snapshot, caller, view, model)
        if isinstance(request, Stripped):  # SANDBOX_UNKNOWN_FIELDS=warn took keys out
            outcome.headers = {**outcome.headers, UNKNOWN_FIELDS_HEADER: request.header()}
        return outcome

    def view(self, request: Mapping[str, Any], caller: Caller) -> RequestView:
        """The one view of a validated request that every stage reads."""
        # Positional: keyword arguments cost ~1,000 instructions more on every request.
        tools = self.validators.tool_json(request) if request.get("tools") else None
        return RequestView(request, caller, self._file_bytes, tools)

    def admitted(
        self, snapshot: Snapshot, caller: Caller, view: RequestView, model: Model
    ) -> Outcome:
        """``answer`` within the caller's rate limits."""
        limits = snapshot.limits
        if limits is None:
            # No limits configured: nothing to count.
            return self.answer(snapshot, view, model)
        limiter = self.rate_limiter
        admission = limiter.admit(
            caller.api_key, limits, input_tokens=view.input_tokens, model=view.model
        )
        outcome = self.answer(snapshot, view, model)
        limiter.record_output(admission, outcome.message["usage"]["output_tokens"])
        return outcome

    def threaded(self, snapshot: Snapshot, caller: Caller, view: RequestView) -> Outcome:
        """A request with ``thread``: answered on the full conversation, then stored under the
        reply's id (``threads``). Rules and fixtures never see the ``thread`` field."""
        turn = self.threads.begin(view.request, caller.api_key)
        try:
            full = self.view(turn.request, caller)
            model = self.check(snapshot, caller, full)
            outcome = self.admitted(snapshot, caller, full, model)
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

    def answer(self, snapshot: Snapshot, view: RequestView, model: Model) -> Outcome:
        """A fixture rule's reply when one matches, else the default responder's, built."""
        played = self.playback.play(snapshot.fixtures, view)
        if played is None:
            # The usual case: no rule matched, so the default plan and no extra headers.
            reply, plan, headers = default_reply(view, model), snapshot.default_plan, _NO_HEADERS
        elif played.error is not None:
            raise played.error
        else:
            assert played.reply is not None
            reply, headers = played.reply, played.headers
            plan = played.plan or snapshot.default_plan
        usage = self.prompt_cache.usage(view, model_id=model.id, min_tokens=model.min_cache_tokens)
        request = view.request
        message = build_message(reply, request, usage, sign=self.signer.sign)
        return Outcome(message, bool(request.get("stream")), plan, headers)

    def check(self, snapshot: Snapshot, caller: Caller, view: RequestView) -> Model:
        """What the real API refuses in a schema-valid request (live calls and batches);
        the model it names, resolved."""
        model = constraints.check_messages_request(view, caller, snapshot.catalogue, self.signer)
        found = view.found
        # Most requests point at no file: then neither the ``file_ids`` property nor the
        # check is called (1,500 instructions a request).
        if found is None or found.file_ids:
            files.check_references(view.file_ids, self.files)
        return model

    # -- POST /v1/messages/count_tokens ------------------------------------------------
    def count_tokens(self, caller: Caller, body: bytes) -> dict[str, Any]:
        """``{"input_tokens": N}``: the same estimator as ``usage`` (cache never touched)."""
        snapshot = self.current()
        request = _validated(self.validators.count_tokens, body, caller)
        view = self.view(request, caller)
        constraints.check_count_tokens_request(view, caller, snapshot.catalogue, self.signer)
        files.check_references(view.file_ids, self.files)
        total = view.input_tokens
        answer: dict[str, Any] = {"input_tokens": total}
        if view.request.get("context_management") is not None:
            # Deliberate choice: nothing is cleared or compacted when counting, so the
            # original count is the count.
            answer["context_management"] = {"original_input_tokens": total}
        if isinstance(request, Stripped):  # the route names them in a header
            return Stripped(answer, request.unknown_fields)
        return answer

    # -- one request of a Message Batch ----------------------------------------------------
    def answer_params(self, caller: Caller, params: Mapping[str, Any]) -> Message:
        """Validate one batch ``params`` object and answer it exactly as a live call would;
        raises the ``ApiError`` the live call would have returned."""
        snapshot = self.current()
        request = _validated(self.validators.messages_params, dict(params), caller)
        if request.get("stream"):
            # Deliberate choice: the real API's wording for `stream` inside a batch is not public.
            raise InvalidRequestError("stream: Streaming is not supported in Message Batches.")
        if request.get("thread") is not None:
            # Deliberate choice: a batch request answers once and is never continued.
            raise unsupported_error()
        view = self.view(request, caller)
        model = self.check(snapshot, caller, view)
        return self.answer(snapshot, view, model).message

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
        return validate(payload, beta=caller.beta, secrets=scrubbed(caller.api_key))
    except ValidationFailed as exc:
        raise InvalidRequestError(str(exc)) from None
