"""Every fast path that restates a general path gives the same answer as that path.

Property tests, in process: the hot path's shortcuts (token counting without the regex, the
plain-turn check, the chat reply, the facts the constraints' pass gathers for the prompt
cache and the file checks, the tool-name search, the table of openings) against the general
code they stand in for.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from messages_sandbox import tokens
from messages_sandbox.caching import PromptCache, may_have_breakpoints
from messages_sandbox.catalogue.loader import load_catalogue
from messages_sandbox.constraints import content
from messages_sandbox.constraints.request import check_messages_request
from messages_sandbox.errors import InvalidRequestError
from messages_sandbox.headers import Caller
from messages_sandbox.request import Found, RequestView
from messages_sandbox.request.found import file_ids_in
from messages_sandbox.responder import (
    _NOT_FOUND,
    _OPENING_PERIOD,
    _OPENINGS,
    _OPENINGS_ZH,
    _SENTENCES,
    _SENTENCES_ZH,
    _find_word,
    _opening,
    default_reply,
    general_reply,
)
from messages_sandbox.signatures import Signer

MODEL = "claude-sonnet-4-5"
CATALOGUE = load_catalogue(Path(__file__).parent / "nowhere")  # the built-in catalogue
SIGNER = Signer("test-key")
CALLER = Caller("req_test", "sk-ant-test", "2023-06-01")
CHECKED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ascii_text = st.text(st.characters(min_codepoint=0, max_codepoint=127), max_size=600)
any_text = st.text(max_size=300)


# -- token counting ------------------------------------------------------------------------
@CHECKED
@given(st.one_of(ascii_text, any_text, st.text("ab 1\t\n.", min_size=250, max_size=2000)))
def test_counting_a_text_agrees_with_its_pieces(text: str) -> None:
    assert tokens.count_text(text) == len(tokens.pieces(text))
    assert tokens._count(text) == len(tokens.pieces(text))


# -- requests ------------------------------------------------------------------------------
words = st.text(st.sampled_from("abcdefgh xyz0123"), min_size=1, max_size=40).filter(
    lambda s: not s.isspace()
)
marks = st.one_of(st.none(), st.just({"type": "ephemeral"}))


def _marked(block: dict[str, Any], mark: dict[str, Any] | None) -> dict[str, Any]:
    return {**block, "cache_control": mark} if mark else block


@st.composite
def sources(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    if draw(st.booleans()):
        return {"type": "file", "file_id": f"file_{draw(st.integers(0, 99))}"}
    if kind == "image":
        return {"type": "url", "url": "https://example.com/a.png"}
    return {"type": "text", "media_type": "text/plain", "data": draw(words)}


@st.composite
def user_blocks(draw: st.DrawFn) -> list[dict[str, Any]]:
    out = []
    for kind in draw(st.lists(st.sampled_from(["text", "image", "document"]), min_size=1)):
        block: dict[str, Any]
        if kind == "text":
            block = {"type": "text", "text": draw(words)}
        else:
            block = {"type": kind, "source": draw(sources(kind))}
        out.append(_marked(block, draw(marks)))
    return out


@st.composite
def requests(draw: st.DrawFn) -> dict[str, Any]:
    """Valid requests: plain and block turns, tool calls answered by results holding text
    and images, files at any depth, breakpoints anywhere."""
    messages: list[dict[str, Any]] = []
    for turn in range(draw(st.integers(1, 4))):
        if draw(st.booleans()):
            messages.append({"role": "user", "content": draw(words)})
        else:
            messages.append({"role": "user", "content": draw(user_blocks())})
        if turn == 0 or not draw(st.booleans()):
            continue
        call = f"toolu_{turn}"
        tool_use = {"type": "tool_use", "id": call, "name": "t", "input": {"q": draw(words)}}
        messages.append(
            {"role": "assistant", "content": [{"type": "text", "text": "ok"}, tool_use]}
        )
        inner = draw(
            st.one_of(
                words,
                st.lists(
                    st.one_of(
                        st.builds(lambda t: {"type": "text", "text": t}, words),
                        st.builds(lambda s: {"type": "image", "source": s}, sources("image")),
                    ),
                    min_size=1,
                    max_size=3,
                ),
            )
        )
        result = _marked(
            {"type": "tool_result", "tool_use_id": call, "content": inner}, draw(marks)
        )
        messages.append({"role": "user", "content": [result, {"type": "text", "text": "go"}]})
    request: dict[str, Any] = {"model": MODEL, "max_tokens": 100, "messages": messages}
    system = draw(
        st.one_of(
            st.none(),
            words,
            st.lists(st.builds(dict, type=st.just("text"), text=words), min_size=1, max_size=2),
        )
    )
    if system is not None:
        request["system"] = system
    if draw(st.booleans()):
        request["tools"] = [_marked({"name": "t", "input_schema": {"type": "object"}}, draw(marks))]
    if draw(st.booleans()):
        request["cache_control"] = {"type": "ephemeral"}
    return request


def _checked(request: dict[str, Any]) -> RequestView:
    view = RequestView(request, CALLER)
    try:
        check_messages_request(view, CALLER, CATALOGUE, SIGNER)
    except InvalidRequestError:
        assume(False)  # e.g. more than four breakpoints: not what is compared here
    return view


@CHECKED
@given(requests())
def test_counting_a_request_agrees_with_its_segments(request: dict[str, Any]) -> None:
    segments = list(tokens.segments(request))
    assert tokens.count_request(request) == tokens.REQUEST_OVERHEAD + sum(
        s.tokens for s in segments
    )


@CHECKED
@given(requests())
def test_the_cache_gate_of_the_pass_agrees_with_the_request(request: dict[str, Any]) -> None:
    view = _checked(request)
    assert view.found is not None
    if may_have_breakpoints(request):
        assert view.may_cache
    # Whichever path the gate takes, the usage is the one the request walk gives.
    gated = PromptCache(lambda: 0.0).usage(view, model_id=MODEL, min_tokens=1)
    walked = PromptCache(lambda: 0.0).usage(dict(request), model_id=MODEL, min_tokens=1)
    assert gated == walked


@CHECKED
@given(requests())
def test_file_references_of_the_pass_are_those_of_the_full_walk(request: dict[str, Any]) -> None:
    view = _checked(request)
    walked: list[str] = []
    file_ids_in(request["messages"], walked)
    assert view.file_ids == walked


# -- the plain-turn check ------------------------------------------------------------------
turn_text = st.one_of(st.just(""), st.just("  "), words)


@CHECKED
@given(st.lists(st.tuples(st.sampled_from(["user", "assistant", "system"]), turn_text), min_size=1))
def test_the_plain_turn_check_agrees_with_the_full_pass(turns: list[tuple[str, str]]) -> None:
    messages = [{"role": role, "content": text} for role, text in turns]
    model = CATALOGUE.get(MODEL)
    assert model is not None
    outcomes = []
    for check in (content.check_messages, content.full_pass):
        try:
            if check is content.full_pass and messages[-1]["role"] == "assistant":
                content._check_prefill(messages[-1], model)  # as check_messages does first
            check(messages, model, SIGNER, Found(), thinking_enabled=False)
            outcomes.append(None)
        except InvalidRequestError as exc:
            outcomes.append(str(exc))
    assert outcomes[0] == outcomes[1]


# -- the default responder -------------------------------------------------------------------
@CHECKED
@given(st.lists(st.tuples(st.sampled_from(["user", "assistant"]), words), min_size=1, max_size=4))
def test_the_chat_reply_is_the_general_reply(turns: list[tuple[str, str]]) -> None:
    messages = [{"role": role, "content": text} for role, text in turns]
    request = {"model": MODEL, "max_tokens": 50, "messages": messages}
    assert default_reply(request).content == general_reply(RequestView(request), None).content


@CHECKED
@given(st.text("abc _-xyzé", max_size=60), st.text("abc_-x", min_size=1, max_size=5))
def test_the_tool_name_search_agrees_with_the_regex(text: str, word: str) -> None:
    match = re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)
    assert _find_word(text, word) == (match.start() if match else _NOT_FOUND)


@pytest.mark.parametrize("seed", [0, 1, 6, 7, 27, 28, 29, 1_000_003, 2**32 - 1])
def test_the_table_of_openings_is_the_openings(seed: int) -> None:
    assert _OPENINGS[seed % _OPENING_PERIOD] == _opening(_SENTENCES, seed, " ")
    assert _OPENINGS_ZH[seed % _OPENING_PERIOD] == _opening(_SENTENCES_ZH, seed, "")
