"""The registry of reply block kinds: every kind has a fixture model in the format's union,
and build and render refuse a kind with no entry."""

from __future__ import annotations

import typing

import pytest

from messages_sandbox.message.build import Usage, build_message
from messages_sandbox.message.kinds import KINDS, FixtureBlock, UnknownBlockKind
from messages_sandbox.message.render import events
from messages_sandbox.message.reply import Reply


def _union_models() -> set[type]:
    union = typing.get_args(FixtureBlock)[0]
    return set(typing.get_args(union))


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_kind_has_its_model_in_the_fixture_format(name: str) -> None:
    model = KINDS[name].fixture
    assert model in _union_models()
    # The model's `type` literal names the kind, so the union's discriminator finds it.
    assert name in typing.get_args(model.model_fields["type"].annotation)


def test_the_fixture_format_has_no_model_without_a_kind() -> None:
    assert _union_models() == {kind.fixture for kind in KINDS.values()}


def test_a_block_of_no_known_kind_is_refused_by_build_and_render() -> None:
    request = {"model": "m", "max_tokens": 100, "messages": []}
    with pytest.raises(UnknownBlockKind):
        build_message(Reply([{"type": "hologram"}]), request, Usage(1), sign=str)
    message = build_message(Reply([{"type": "text", "text": "hi"}]), request, Usage(1), sign=str)
    message["content"].append({"type": "hologram"})
    with pytest.raises(UnknownBlockKind):
        events(message)
