"""Rules beyond the schema: what the real API refuses in a schema-valid request.

Each check raises the real API's error with its real wording
(../shared/reference/messages-api.md sections 2.3, 3 and 7.5). Request-level rules (model,
limits, sampling, thinking, tools) live here; the pass over the conversation lives in
``content``. Everything reads the validated request as plain dicts, in one pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..catalogue import Catalogue, Model
from ..errors import InvalidRequestError, NotFoundError
from ..headers import Caller
from ..request import Found, RequestView
from ..responder.caller_schema import schema_problem
from ..signatures import Signer
from . import content as conversation
from .tools import ToolFacts, tool_facts

SAMPLING_PARAMS = ("temperature", "top_p", "top_k")
MAX_CACHE_BREAKPOINTS = 4
MIN_THINKING_BUDGET = 1024
# Versions under which no model accepts the legacy sampling parameters.
NO_SAMPLING_VERSIONS = frozenset({"2026-10-21"})
THINKING_TYPES_ON = frozenset({"enabled", "adaptive"})
MIN_THINKING_TOP_P = 0.95
_THINKING_DOCS = (
    "Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/"
    "extended-thinking#important-considerations-when-using-extended-thinking"
)
# Every optional request parameter the request-level checks in ``_check`` read (not
# ``cache_control``, which is read after the conversation pass).
_RULED_PARAMS = frozenset(
    {
        *SAMPLING_PARAMS,
        "inference_geo",
        "thinking",
        "tool_choice",
        "output_config",
        "tools",
        "system",
    }
)


def resolve_model(catalogue: Catalogue, name: str) -> Model:
    model = catalogue.usable.get(name)
    if model is None:  # unknown or retired
        raise NotFoundError(f"model: {name}")
    return model


def check_messages_request(
    view: RequestView, caller: Caller, catalogue: Catalogue, signer: Signer
) -> Model:
    """Every rule for ``POST /v1/messages``; returns the resolved model and leaves what the
    pass over the blocks found in ``view.found``."""
    request = view.request
    name = request["model"]
    model = catalogue.usable.get(name)  # ``resolve_model``, inlined as below
    if model is None:
        raise NotFoundError(f"model: {name}")
    max_tokens = request["max_tokens"]
    if max_tokens > model.max_tokens:
        check_max_tokens(request, model)  # raises
    # The plain request (none of the optional parameters the rules read, string turns
    # only) in one call, where ``_check`` makes eight (the check: 15,200 -> 10,700 instructions
    # in process, callgrind). The same checks in the same order; ``plain_turns`` raises
    # nothing before it finds a turn with blocks, and ``_check`` then starts over.
    if _RULED_PARAMS.isdisjoint(request) and conversation.plain_turns(request["messages"], model):
        found = Found()
        if request.get("cache_control") is not None:
            # As ``_check`` counts it: a plain turn is never a marked block.
            found.breakpoints = 1
        view.found = found
        return model
    return _check(view, caller, catalogue, signer, counting=False)


def check_count_tokens_request(
    view: RequestView, caller: Caller, catalogue: Catalogue, signer: Signer
) -> Model:
    """The same rules for ``POST /v1/messages/count_tokens``, which has no ``max_tokens``."""
    return _check(view, caller, catalogue, signer, counting=True)


def _check(
    view: RequestView,
    caller: Caller,
    catalogue: Catalogue,
    signer: Signer,
    *,
    counting: bool,
) -> Model:
    request = view.request
    model = resolve_model(catalogue, request["model"])
    if not counting:
        check_max_tokens(request, model)
    found = Found()
    thinking_enabled = False
    # The request-level rules below only read optional parameters: a request naming none of
    # them (the plain small request) skips them all on one cheap check.
    if not _RULED_PARAMS.isdisjoint(request):
        if not counting:
            check_sampling(request, caller, model)
            check_inference_geo(request, model)
        thinking_enabled = check_thinking(request, model, counting=counting)
        check_tool_choice(request, model)
        tools = request.get("tools")
        facts = tool_facts(tools, view.tool_json) if tools else None
        check_deferred_tools(request, facts)
        check_effort(request, model)
        check_output_schema(request)
        if facts is not None:
            check_tool_schemas(facts)
            found.breakpoints += facts.breakpoints
        conversation.check_system(request.get("system"), found)

    conversation.check_messages(
        request["messages"], model, signer, found, thinking_enabled=thinking_enabled
    )
    if request.get("cache_control") is not None and not found.last_block_marked:
        # Deliberate choice: automatic caching marks the last block, taking one of the four
        # slots unless that block is already a breakpoint (as ``caching.breakpoints`` counts).
        found.breakpoints += 1
    if found.breakpoints > MAX_CACHE_BREAKPOINTS:
        raise InvalidRequestError(
            f"A maximum of {MAX_CACHE_BREAKPOINTS} blocks with cache_control may be provided. "
            f"Found {found.breakpoints}."
        )
    if found.images or found.pdfs:
        conversation.finish(found, model)
    view.found = found
    return model


def check_max_tokens(request: Mapping[str, Any], model: Model) -> None:
    max_tokens = request["max_tokens"]
    if max_tokens > model.max_tokens:
        raise InvalidRequestError(
            f"max_tokens: {max_tokens} > {model.max_tokens}, which is the maximum allowed "
            f"number of output tokens for {model.id}"
        )


def check_sampling(request: Mapping[str, Any], caller: Caller, model: Model) -> None:
    given = [name for name in SAMPLING_PARAMS if request.get(name) is not None]
    if not given:
        return
    if caller.version in NO_SAMPLING_VERSIONS or not model.sampling_params:
        # Deliberate choice: under 2026-10-21 we reuse the per-model wording; the version's
        # own text is not public.
        raise InvalidRequestError(f"`{given[0]}` is deprecated for this model.")
    if model.exclusive_sampling and "temperature" in given and "top_p" in given:
        raise InvalidRequestError(
            "`temperature` and `top_p` cannot both be specified for this model. "
            "Please use only one."
        )
    if (request.get("thinking") or {}).get("type") not in THINKING_TYPES_ON:
        return
    # The extended-thinking docs: thinking "isn't compatible with temperature or top_k
    # modifications", and top_p may only be set between 0.95 and 1. Deliberate choice:
    # adaptive thinking counts as thinking here, as for the tool_choice rule.
    temperature = request.get("temperature")
    if temperature is not None and temperature != 1:
        raise InvalidRequestError(
            f"`temperature` may only be set to 1 when thinking is enabled. {_THINKING_DOCS}"
        )
    if request.get("top_k") is not None:
        raise InvalidRequestError(
            f"`top_k` must be unset when thinking is enabled. {_THINKING_DOCS}"
        )
    top_p = request.get("top_p")
    if top_p is not None and top_p < MIN_THINKING_TOP_P:
        # Deliberate choice: the real wording for a low top_p is not public.
        raise InvalidRequestError(
            f"`top_p` must be between {MIN_THINKING_TOP_P} and 1 when thinking is enabled. "
            f"{_THINKING_DOCS}"
        )


def check_output_schema(request: Mapping[str, Any]) -> None:
    """Structured outputs compile the caller's schema: an invalid one is the caller's 400
    (the older beta's top-level ``output_format`` arrives here as ``output_config.format``)."""
    config = request.get("output_config")
    if config:
        _check_format(config.get("format"), "output_config.format.schema")


def _check_format(fmt: Any, field: str) -> None:
    if not isinstance(fmt, Mapping) or fmt.get("type") != "json_schema":
        return
    schema = fmt.get("schema")
    if not isinstance(schema, Mapping):
        return
    problem = schema_problem(schema)
    if problem is not None:
        # Deliberate choice: the real API's wording for an invalid output schema is not
        # public; this names the field, the place inside the schema and what is wrong.
        where = f".{problem.where}" if problem.where else ""
        raise InvalidRequestError(f"{field}{where}: Invalid JSON Schema: {problem.message}")


def check_tool_schemas(facts: ToolFacts) -> None:
    """Every custom tool's ``input_schema`` must be a valid JSON Schema, as on the real API."""
    if facts.schema_problem is not None:
        i, problem = facts.schema_problem
        # The real API's wording (seen in the field), then what the sandbox found wrong.
        raise InvalidRequestError(
            f"tools.{i}.custom.input_schema: JSON schema is invalid. It must match JSON "
            "Schema draft 2020-12 (https://json-schema.org/draft/2020-12). Learn more "
            "about tool use at https://docs.anthropic.com/en/docs/tool-use. "
            f"(messages-sandbox: {problem})"
        )


def check_inference_geo(request: Mapping[str, Any], model: Model) -> None:
    if request.get("inference_geo") is not None and not model.inference_geo:
        # Deliberate choice: documented as a 400 on older models; the real text is not public.
        raise InvalidRequestError("inference_geo: `inference_geo` is not supported for this model.")


def check_tool_choice(request: Mapping[str, Any], model: Model) -> None:
    choice = request.get("tool_choice")
    if choice is None:
        return
    if not request.get("tools"):
        raise InvalidRequestError("tool_choice may only be specified while providing tools.")
    if choice.get("type") not in ("any", "tool") or model.forced_tool_choice == "always":
        return
    if model.forced_tool_choice == "never":
        # Claude Opus 5.5's wording (client issues, September 2026). Fable and Mythos 5 were
        # seen in June 2026 with "tool_choice forces tool use is not compatible with this
        # model."; deliberate choice: the newer wording for every such model.
        raise InvalidRequestError(
            'tool_choice: type "tool" and "any" are not supported for this model.'
        )
    thinking = request.get("thinking") or {}
    # Deliberate choice: adaptive thinking counts as thinking here, like `enabled`.
    if thinking.get("type") in THINKING_TYPES_ON:
        raise InvalidRequestError("Thinking may not be enabled when tool_choice forces tool use.")


def check_deferred_tools(request: Mapping[str, Any], facts: ToolFacts | None) -> None:
    """Tool search's rules (API docs, "Tool search tool", errors): one tool at least stays
    loaded, and every ``tool_reference`` names a tool of the request (``facts``: its
    tools', None when it has none)."""
    if facts is None:
        return
    if facts.all_deferred:
        raise InvalidRequestError(
            "At least one tool must have defer_loading=false. All tools cannot be deferred."
        )
    names = facts.names
    for message in request["messages"]:
        content = message.get("content")
        if isinstance(content, str):
            continue
        for block in content:
            kind = block.get("type")
            if kind == "tool_result" and not isinstance(block.get("content"), str | None):
                refs = [r for r in block["content"] if r.get("type") == "tool_reference"]
            elif kind == "tool_search_tool_result":
                refs = (block.get("content") or {}).get("tool_references") or []
            else:
                continue
            for ref in refs:
                if ref.get("tool_name") not in names:
                    raise InvalidRequestError(
                        f"Tool reference '{ref.get('tool_name')}' not found in available tools"
                    )


def check_effort(request: Mapping[str, Any], model: Model) -> None:
    """``output_config.effort`` against the levels the model's capabilities list."""
    config = request.get("output_config")
    effort = config.get("effort") if config else None
    if effort is None:
        return
    levels = model.effort_levels
    if levels is None:
        raise InvalidRequestError("This model does not support the effort parameter.")
    if effort not in levels:
        raise InvalidRequestError(
            f"This model does not support effort level '{effort}'. "
            f"Supported levels: {', '.join(sorted(levels))}."
        )


def check_thinking(request: Mapping[str, Any], model: Model, *, counting: bool = False) -> bool:
    """Refuse thinking settings the model does not take; True when ``type`` is ``enabled``."""
    thinking = request.get("thinking")
    if not thinking:
        return False
    kind = thinking.get("type")
    if kind not in model.thinking:
        raise InvalidRequestError(_unsupported_thinking(kind))
    if kind != "enabled":
        return False
    budget = thinking.get("budget_tokens", 0)
    if budget < MIN_THINKING_BUDGET:
        raise InvalidRequestError(
            "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024"
        )
    if not counting and budget >= request["max_tokens"]:
        raise InvalidRequestError(
            "`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our "
            "documentation at https://docs.claude.com/en/docs/build-with-claude/"
            "extended-thinking#max-tokens-and-context-window-size"
        )
    return True


def _unsupported_thinking(kind: str | None) -> str:
    if kind == "enabled":
        return (
            '"thinking.type.enabled" is not supported for this model. Use '
            '"thinking.type.adaptive" and "output_config.effort" to control thinking behavior.'
        )
    if kind == "adaptive":
        return "adaptive thinking is not supported on this model"
    # Deliberate choice: worded like the `enabled` refusal; the real text is not public.
    return f'"thinking.type.{kind}" is not supported for this model.'
