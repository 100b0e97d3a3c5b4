"""Strings for JSON Schema ``pattern`` keywords (the responder's generated tool inputs), in
process: every pattern of the table gets, for many seeds, a string the regex accepts, the same
for the same seed; a pattern that cannot be sampled is None, never an exception."""

from __future__ import annotations

import random
import re

import pytest

from messages_sandbox.responder.regex_sample import sample

PATTERNS = [
    r"^[A-Z]{2}-\d{3}$",
    r"^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$",
    r"^(red|green|blue)$",
    r"^\w+\s\w+$",
    r"^\D\S\W$",
    r"^[^0-9]{3}$",
    r"^[^a-z]+$",
    r"^x?y*z+$",
    r"^a{2,4}?b{3}$",
    r"^(?P<word>ab)(?P=word)$",
    r"^(\d)-\1$",
    r"^.{5}$",
    r"^[\x00-\x7f]{4}$",
    r"^\d+(\.\d{1,2})?$",
    r"^(?:ISO|EU)-[0-9A-F]{4}$",
    r"^[\[\]]$",
    r"^(?=.*\d)[a-z\d]{6}$",  # a lookahead: best effort, validated by the sampler
    r"colou?r",  # unanchored: searched, as JSON Schema does
    r"^[a-c]$|^[x-z]$",
    r"^\$\{[A-Z_]+\}$",
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_samples_match_their_pattern_and_repeat_for_a_seed(pattern: str) -> None:
    for seed in range(30):
        text = sample(pattern, random.Random(seed))
        if text is None:  # only best-effort constructs may give up
            assert "(?=" in pattern, (pattern, seed)
            continue
        assert re.search(pattern, text), (pattern, seed, text)
        assert sample(pattern, random.Random(seed)) == text


@pytest.mark.parametrize("pattern", ["(unclosed", "[z-a]", "a{3,1}", "(?P<x>a)(?P=y)", "*a"])
def test_an_invalid_pattern_is_none(pattern: str) -> None:
    assert sample(pattern, random.Random(0)) is None


@pytest.mark.parametrize("pattern", [r"^(?!a)a$", r"^a\bb$", r"^(?<=x)y$"])
def test_an_unsatisfiable_pattern_is_none_not_a_wrong_string(pattern: str) -> None:
    assert sample(pattern, random.Random(0)) is None
