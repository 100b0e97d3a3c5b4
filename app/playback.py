"""Playback: turn the fixture rule a request matches into what the sandbox answers.

``Playback.play(request, caller)`` finds the first matching rule (``matching``), picks the
script step (``scripts``), renders templates over the request (``templates``) and returns a
``Played``: a ``Reply`` or an ``ApiError``, stream-plan options and the ``x-sandbox-*``
headers. No match: None in lenient mode (the default responder answers), a 400 naming the
closest rules in strict mode. The current ``FixtureSet`` is read once per request, so a hot
reload swapping it never mixes two sets within one answer.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError, InvalidRequestError, api_error
from .fixture_models import Stream
from .fixtures import GENERATE, Action, ErrorTemplate, FixtureSet, ReplyTemplate, Rule, merge_stream
from .headers import Caller
from .hits import RuleHits
from .matching import matching, near_misses
from .predicates import Captures
from .reply import Reply
from .request_view import RequestView
from .responder import generate_tool_input, seed_of
from .scripts import ScriptState, session_of, step_index
from .templates import TemplateError, render_value

log = logging.getLogger("sandbox.fixtures")

RULE_HEADER = "x-sandbox-rule"
SESSION_RESPONSE_HEADER = "x-sandbox-session"
STEP_HEADER = "x-sandbox-step"

# Messages the real API sends for these types when a fixture gives none (errors.md §7.5).
DEFAULT_MESSAGES = {
    "overloaded_error": "Overloaded",
    "rate_limit_error": "Number of request tokens has exceeded your per-minute rate limit",
    "api_error": "Internal server error",
    "invalid_request_error": "Invalid request",
    "authentication_error": "invalid x-api-key",
    "permission_error": "Your API key does not have permission to use the specified resource.",
    "not_found_error": "Not Found",
    "request_too_large": "Request exceeds the maximum allowed number of bytes.",
    "timeout_error": "The request timed out while processing. Consider using streaming",
    "billing_error": "Your credit balance is too low to access the Anthropic API.",
}


@dataclass
class Played:
    reply: Reply | None = None
    error: ApiError | None = None
    plan: dict[str, Any] | None = None
    """``StreamPlan`` keyword arguments, None when nothing was configured."""
    headers: dict[str, str] = field(default_factory=dict)


class Playback:
    """Holds the current fixture set and the script counters; swapped sets keep counters."""

    def __init__(self, fixtures: FixtureSet, *, strict: bool = False, chunk_size: int = 16) -> None:
        self.fixtures = fixtures
        self.scripts = ScriptState()
        self.hits = RuleHits()
        self.settings_strict = strict
        self.chunk_size = chunk_size

    def swap(self, fixtures: FixtureSet) -> None:
        self.fixtures = fixtures  # one reference assignment: atomic for readers

    def reset(self) -> None:
        """Every script back to its first step and every play count to zero."""
        self.scripts.reset()
        self.hits.reset()

    def strict(self, fixtures: FixtureSet) -> bool:
        return self.settings_strict or bool(fixtures.strict)

    def default_plan(self) -> dict[str, Any] | None:
        """Stream options for answers no rule chose (fixture ``defaults.stream``)."""
        return self.plan(self.fixtures.stream)

    def play(self, request: Mapping[str, Any], caller: Caller) -> Played | None:
        fixtures = self.fixtures
        view = RequestView(request, caller)
        passed_over: dict[str, str] = {}
        for rule, captures in matching(view, fixtures.index):
            session = session_of(caller.headers)
            step = self.step(rule, view, session)
            if step is None:
                passed_over[rule.id] = "matched, but its script is over (after: stop)"
                continue
            self.hits.record(rule.id)
            return self.render(rule, step, view, captures, session, fixtures)
        if not (self.settings_strict or fixtures.strict):  # ``strict``, minus a call per miss
            return None
        miss = near_misses(view, fixtures.rules, passed_over=passed_over)
        text = miss.explain().replace("this request", "this request (strict mode)", 1)
        log.warning("%s %s", caller.request_id, text)
        raise InvalidRequestError(text, headers={"x-should-retry": "false"})

    def step(self, rule: Rule, view: RequestView, session: str) -> int | None:
        if rule.advance is None:
            return 0
        if rule.advance == "session":
            return self.scripts.advance(rule.id, session, len(rule.steps), rule.after)
        return step_index(view.turn, len(rule.steps), rule.after)

    def render(
        self,
        rule: Rule,
        step: int,
        view: RequestView,
        captures: Captures,
        session: str,
        fixtures: FixtureSet,
    ) -> Played:
        action: Action = rule.steps[step]
        headers = {RULE_HEADER: rule.id, SESSION_RESPONSE_HEADER: session}
        if rule.advance is not None:
            headers[STEP_HEADER] = f"{step + 1}/{len(rule.steps)}"
        # The context reads many request facts; a reply or error without templates needs none.
        context = self.context(rule, step, view, captures, session) if action.templated else None
        plan = self.plan(merge_stream(fixtures.stream, merge_stream(rule.stream, action.stream)))
        try:
            if action.error is not None:
                return Played(error=self.error(action.error, context, headers), headers=headers)
            assert action.reply is not None
            reply = self.reply(action.reply, view, context)
        except TemplateError as exc:
            message = f"fixture rule `{rule.id}` ({rule.where}): template error: {exc}"
            log.error("%s", message)
            error = api_error("api_error", message, headers={**headers, "x-should-retry": "false"})
            return Played(error=error, headers=headers)
        return Played(reply=reply, plan=plan, headers=headers)

    def context(
        self, rule: Rule, step: int, view: RequestView, captures: Captures, session: str
    ) -> dict[str, Any]:
        """What templates see."""
        return {
            "request": view.request,
            "model": view.model,
            "last_user_text": view.last_user_text,
            "system": view.system,
            "match": captures,
            "tools": view.tool_names,
            "tool_results": view.tool_results,
            "turn": view.turn,
            "images": len(view.images),
            "documents": len(view.documents),
            "session": session,
            "step": step + 1,
            "rule": rule.id,
        }

    def reply(
        self, spec: ReplyTemplate, view: RequestView, context: Mapping[str, Any] | None
    ) -> Reply:
        """``context`` is None when the reply has no templates."""
        content = (
            [dict(b) for b in spec.content]
            if context is None
            else render_value(spec.content, context)
        )
        for i, block in enumerate(content):
            if block.get("input") == GENERATE:
                block["input"] = self.generated_input(str(block.get("name")), view, i)
        return Reply(
            content=content,
            stop_reason=spec.stop_reason,
            stop_sequence=spec.stop_sequence,
            stop_details=spec.stop_details,
            usage=dict(spec.usage),
            model=spec.model,
            apply_limits=spec.apply_limits,
        )

    def generated_input(self, name: str, view: RequestView, index: int) -> dict[str, Any]:
        for tool in view.request.get("tools") or ():
            if isinstance(tool, dict) and tool.get("name") == name:
                schema = tool.get("input_schema") or {"type": "object"}
                return generate_tool_input(schema, seed_of(view.request) + index)
        return {}  # a tool the request does not offer has no schema to follow

    def error(
        self, spec: ErrorTemplate, context: Mapping[str, Any] | None, headers: Mapping[str, str]
    ) -> ApiError:
        """``context`` is None when the message is no template."""
        text = spec.message if context is None else render_value(spec.message, context)
        message = text or DEFAULT_MESSAGES.get(spec.type, "Error")
        out = {**headers, **spec.headers}
        error = api_error(
            spec.type,
            message,
            status=spec.status,
            headers=out,
            details={"error_code": spec.error_code} if spec.error_code else None,
        )
        return error

    def plan(self, stream: Stream | None) -> dict[str, Any] | None:
        if stream is None:
            return None
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
        return {
            "chunk_size": stream.chunk_size or self.chunk_size,
            "first_token_delay": (stream.first_token_ms or 0) / 1000,
            "tokens_per_second": stream.tokens_per_second,
            "jitter": stream.jitter or 0.0,
            "ping_interval": stream.ping_interval_ms / 1000 if stream.ping_interval_ms else None,
            "error_after": error_after,
            "error": error,
            "drop_after": stream.drop_after_events,
            "omit_message_stop": bool(stream.omit_message_stop),
        }
