"""Every fast path that restates a general path gives the same answer as that path.

Property tests, in process: the hot path's shortcuts (token counting without the regex, the
plain-turn check, the chat reply, the facts the constraints' pass gathers for the prompt
cache and the file checks, the tool-name search, the table of openings) against the general
code they stand in for.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from messages_sandbox import caching, nesting, tokens
from messages_sandbox.caching import PromptCache, may_have_breakpoints
from messages_sandbox.catalogue.loader import load_catalogue
from messages_sandbox.constraints import content
from messages_sandbox.constraints.request import _check, check_messages_request
from messages_sandbox.errors import ApiError, InvalidRequestError
from messages_sandbox.headers import Caller
from messages_sandbox.request import Found, RequestView
from messages_sandbox.request.found import file_ids_in
from messages_sandbox.request.seed import seed_of_parts
from messages_sandbox.responder import (
    _NOT_FOUND,
    _OPENING_PERIOD,
    _OPENINGS,
    _OPENINGS_ZH,
    _SENTENCES,
    _SENTENCES_ZH,
    _find_word,
    _opening,
    _quote,
    _quote_whole,
    default_reply,
    general_reply,
    json_prompt,
)
from messages_sandbox.responder.caller_schema import schema_problem, tool_schema_problem
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


@CHECKED
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["user", "assistant", "system"]),
            st.one_of(turn_text, st.builds(lambda t: [{"type": "text", "text": t}], words)),
        ),
        max_size=4,
    ),
    st.sampled_from([MODEL, "claude-opus-4-7", "claude-mythos-preview", "claude-nope"]),
    st.sampled_from([1, 64_000, 10**9]),
    st.booleans(),
)
def test_the_plain_request_check_agrees_with_the_general_one(
    turns: list[tuple[str, Any]], model: str, max_tokens: int, cached: bool
) -> None:
    request: dict[str, Any] = {
        "model": model,
        "max_tokens": max_tokens,
        "messages": [{"role": role, "content": text} for role, text in turns],
    }
    if cached:
        request["cache_control"] = {"type": "ephemeral"}
    outcomes = []
    for check in (check_messages_request, _general_check):
        view = RequestView(request, CALLER)
        try:
            resolved = check(view, CALLER, CATALOGUE, SIGNER)
        except ApiError as exc:
            outcomes.append((type(exc), str(exc)))
            continue
        found = view.found
        assert found is not None
        facts = (found.breakpoints, found.last_block_marked, found.images, found.file_ids)
        outcomes.append((resolved.id, facts))
    assert outcomes[0] == outcomes[1]


def _general_check(view: RequestView, *args: Any) -> Any:
    return _check(view, *args, counting=False)


# -- the default responder -------------------------------------------------------------------
@CHECKED
@given(st.lists(st.tuples(st.sampled_from(["user", "assistant"]), words), min_size=1, max_size=4))
def test_the_chat_reply_is_the_general_reply(turns: list[tuple[str, str]]) -> None:
    messages = [{"role": role, "content": text} for role, text in turns]
    request = {"model": MODEL, "max_tokens": 50, "messages": messages}
    assert default_reply(request).content == general_reply(RequestView(request), None).content


@CHECKED
@given(st.lists(st.tuples(st.sampled_from(["user", "assistant", "system"]), st.booleans())))
def test_a_string_turn_known_at_once_not_to_end_with_tool_results(
    turns: list[tuple[str, bool]],
) -> None:
    result = [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "ok"}]
    messages = [{"role": role, "content": "hi" if text else result} for role, text in turns]
    view = RequestView({"model": MODEL, "max_tokens": 50, "messages": messages})
    general = RequestView.ends_with_tool_results.func(RequestView({"messages": messages}))
    assert view.ends_with_tool_results == general


@CHECKED
@given(st.one_of(any_text, st.text("jJsSſoOnN ", max_size=12)))
def test_the_json_mention_test_agrees_with_the_regex(text: str) -> None:
    assert json_prompt._mentions_json(text) == (json_prompt._JSON_WORD.search(text) is not None)
    assert json_prompt._read(text).asking == json_prompt._Reading(text).asking


@CHECKED
@given(st.text("abc _-xyzé", max_size=60), st.text("abc_-x", min_size=1, max_size=5))
def test_the_tool_name_search_agrees_with_the_regex(text: str, word: str) -> None:
    match = re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)
    assert _find_word(text, word) == (match.start() if match else _NOT_FOUND)


@pytest.mark.parametrize("seed", [0, 1, 6, 7, 27, 28, 29, 1_000_003, 2**32 - 1])
def test_the_table_of_openings_is_the_openings(seed: int) -> None:
    assert _OPENINGS[seed % _OPENING_PERIOD] == _opening(_SENTENCES, seed, " ")
    assert _OPENINGS_ZH[seed % _OPENING_PERIOD] == _opening(_SENTENCES_ZH, seed, "")


# -- what is remembered by content across requests ------------------------------------------
spaced_text = st.text(st.sampled_from("ab cd\t\n  é"), max_size=2_000)


@CHECKED
@given(spaced_text)
def test_quoting_the_head_of_a_long_text_is_quoting_all_of_it(text: str) -> None:
    assert _quote(text) == _quote_whole(text)


@pytest.mark.parametrize(
    "space", [chr(c) for c in range(0x110000) if chr(c).isspace()] + ["", "  "], ids=repr
)
def test_a_short_text_is_quoted_as_collapsing_it_would(space: str) -> None:
    # The short path returns the text as it is: right only if no whitespace it lets through
    # would have been collapsed.
    for text in (f"a{space}b", f"{space}ab", f"ab{space}", space, f"a {space}b"):
        assert _quote(text) == _quote_whole(text)


@CHECKED
@given(st.one_of(ascii_text, any_text), st.integers(-2, 400))
def test_a_text_that_fits_its_budget_is_not_cut(text: str, budget: int) -> None:
    pieces = tokens.pieces(text)
    assert tokens.truncate_text(text, budget) == ("".join(pieces[:budget]) if budget > 0 else "")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=False) | words,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(words, inner, max_size=3),
    max_leaves=8,
)
tools = st.lists(
    st.builds(
        lambda name, schema, mark: _marked({"name": name, "input_schema": schema}, mark),
        words,
        st.dictionaries(st.sampled_from(["type", "properties", "x"]), json_values, max_size=3),
        marks,
    ),
    max_size=3,
)


@CHECKED
@given(requests(), tools, st.one_of(st.none(), json_values))
def test_the_seed_from_the_tools_json_is_the_seed_of_the_whole(
    request: dict[str, Any], offered: list[dict[str, Any]], choice: Any
) -> None:
    request = {**request, "tools": offered, "tool_choice": choice}
    messages = request["messages"]
    get = request.get
    whole = seed_of_parts(
        (
            get("system"),
            get("tools"),
            get("tool_choice"),
            get("thinking"),
            get("output_config"),
            len(messages),
            messages[-2:],
        )
    )
    assert RequestView(request).seed == whole
    assert RequestView(request).seed == whole  # the tools' part remembered


@CHECKED
@given(requests())
def test_the_seed_without_tools_is_the_seed_of_the_whole(request: dict[str, Any]) -> None:
    deep: Any = "x"
    for _ in range(300):  # deeper than orjson serialises
        deep = [deep]
    for asked in (request, {**request, "output_config": {"format": deep}}):
        messages = asked["messages"]
        get = asked.get
        whole = seed_of_parts(
            (
                get("system"),
                None,
                get("tool_choice"),
                get("thinking"),
                get("output_config"),
                len(messages),
                messages[-2:],
            )
        )
        assert RequestView({**asked, "tools": None}).seed == whole


@CHECKED
@given(tools)
def test_counting_a_tool_by_its_json_is_counting_its_text(offered: list[dict[str, Any]]) -> None:
    for tool in offered:
        raw = nesting.dumps(tool)
        assert tokens.count_json(raw) == tokens.count_text(raw.decode())


@CHECKED
@given(st.dictionaries(words, json_values, max_size=4))
def test_a_tools_schema_problem_by_its_json_is_that_of_its_schema(schema: dict[str, Any]) -> None:
    tool = {"name": "t", "input_schema": schema}
    assert tool_schema_problem(nesting.dumps(tool)) == schema_problem(schema)


content_values = st.one_of(
    words,
    st.builds(lambda t, m: _marked({"type": "text", "text": t}, m), words, marks),
    st.builds(lambda t: {"text": t, "type": "text"}, words),  # the same block, keys reordered
    st.builds(lambda t: {"type": "text", "text": t, "citations": []}, words),
    st.builds(
        lambda i, c, m: _marked({"type": "tool_result", "tool_use_id": i, "content": c}, m),
        words,
        st.one_of(words, st.lists(st.builds(lambda t: {"type": "text", "text": t}, words))),
        marks,
    ),
    json_values,
)


@CHECKED
@given(content_values)
def test_a_contents_digest_by_its_text_is_its_digest_by_its_json(value: Any) -> None:
    by_json = caching._digest_of(orjson.dumps(value)) if not isinstance(value, str) else None
    if by_json is not None:
        assert caching._content_digest(value) == by_json
    canonical = nesting.dumps(caching._without_cache_control(value), sort_keys=True)
    assert caching._content_digest(value) == hashlib.sha1(canonical).digest()


segment = st.tuples(st.sampled_from(["tools", "system", "user"]), st.booleans(), content_values)


@CHECKED
@given(st.lists(segment, min_size=1, max_size=5), st.lists(segment, min_size=1, max_size=5))
def test_two_prompts_share_a_cache_key_exactly_when_their_prefixes_agree(
    first: list[tuple[str, bool, Any]], second: list[tuple[str, bool, Any]]
) -> None:
    def segs(items: list[tuple[str, bool, Any]]) -> list[tokens.Segment]:
        return [
            tokens.Segment(1, part, value, starts_message=starts) for part, starts, value in items
        ]

    def canonical(item: tuple[str, bool, Any]) -> tuple[str, bool, bytes]:
        part, starts, value = item
        return part, starts, nesting.dumps(caching._without_cache_control(value), sort_keys=True)

    keys_a = caching._prefix_keys(MODEL, segs(first))
    keys_b = caching._prefix_keys(MODEL, segs(second))
    for i in range(min(len(first), len(second))):
        same = [canonical(x) for x in first[: i + 1]] == [canonical(x) for x in second[: i + 1]]
        assert (keys_a[i] == keys_b[i]) == same


@CHECKED
@given(st.lists(st.one_of(words, json_values), max_size=4), st.lists(json_values, max_size=3))
def test_the_shape_found_per_text_is_the_shape_found_in_all_of_them(
    prose: list[Any], objects: list[Any]
) -> None:
    texts = [
        f"Return JSON. {p if isinstance(p, str) else orjson.dumps(p).decode()} "
        + " then ".join(orjson.dumps(o).decode() for o in objects[i:])
        for i, p in enumerate(prose)
    ]
    schema: Any = None
    example: Any = None
    for text in texts:  # the reading of every object in turn, as before the memo
        for value in json_prompt._objects(text):
            if nesting.depth(value) > json_prompt.MAX_DEPTH:
                continue
            if json_prompt._is_schema(value):
                schema = value
            elif isinstance(value, dict) or (
                isinstance(value, list) and value and all(isinstance(v, dict) for v in value)
            ):
                example = value
    whole = (
        schema
        if schema is not None
        else (json_prompt._schema_of(example) if example is not None else None)
    )
    assert json_prompt._shape([json_prompt._read(t) for t in texts]) == whole
