"""Rules beyond the schema: what the real API refuses in a schema-valid request.

Each check raises the real API's error with its real wording
(../shared/reference/messages-api.md section 7.5).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .catalogue import Catalogue, Model
from .errors import InvalidRequestError, NotFoundError
from .headers import Caller
from .signatures import Signer

SAMPLING_PARAMS = ("temperature", "top_p", "top_k")


def resolve_model(catalogue: Catalogue, name: str) -> Model:
    model = catalogue.get(name)
    if model is None or model.retired:
        raise NotFoundError(f"model: {name}")
    return model


def check_messages_request(
    request: Mapping[str, Any],
    caller: Caller,
    catalogue: Catalogue,
    signer: Signer,
    *,
    strict: bool = False,
) -> Model:
    model = resolve_model(catalogue, request["model"])
    max_tokens = request["max_tokens"]
    if max_tokens > model.max_tokens:
        raise InvalidRequestError(
            f"max_tokens: {max_tokens} > {model.max_tokens}, which is the maximum allowed "
            f"number of output tokens for {model.id}"
        )
    check_sampling(request, caller, model)
    check_tool_choice(request)
    check_thinking(request, model)
    return model


def check_sampling(request: Mapping[str, Any], caller: Caller, model: Model) -> None:
    for name in SAMPLING_PARAMS:
        if request.get(name) is None:
            continue
        if caller.version == "2026-10-21" or not model.sampling_params:
            raise InvalidRequestError(f"`{name}` is deprecated for this model.")


def check_tool_choice(request: Mapping[str, Any]) -> None:
    if request.get("tool_choice") is not None and not request.get("tools"):
        raise InvalidRequestError("tool_choice may only be specified while providing tools.")


def check_thinking(request: Mapping[str, Any], model: Model) -> None:
    thinking = request.get("thinking")
    if not thinking:
        return
    if thinking.get("type") == "enabled":
        if thinking["budget_tokens"] >= request["max_tokens"]:
            raise InvalidRequestError(
                "`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our "
                "documentation at https://docs.claude.com/en/docs/build-with-claude/"
                "extended-thinking#max-tokens-and-context-window-size"
            )
