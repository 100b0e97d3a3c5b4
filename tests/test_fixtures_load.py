"""Fixture-load errors: each class names the file, the line and the key, and says what is
allowed; `python -m messages_sandbox validate` and the server use the same loader."""

# ruff: noqa: E501 - tables of YAML rules and requests read best one per line

from __future__ import annotations

import contextlib
import io
import re
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES, start_server

from messages_sandbox import cli
from messages_sandbox.errors import FixtureError
from messages_sandbox.fixtures.loader import load_fixture_set

# (case, file text, "line: message" the error must contain)
CASES = [
    # The parser notices at the end of the file; the bracket is open on line 3.
    ("yaml syntax", "rules:\n  - id: a\n    reply: {text: [unclosed\n", ":3: invalid YAML"),
    (
        "yaml syntax, blank lines after",
        "rules:\n  - id: a\n    reply: {text: 'unclosed}\n\n\n",
        ":3: invalid YAML",
    ),
    (
        "yaml syntax mid-file",
        "rules:\n  - id: a\n    reply: {text: hi}\n   bad: indent\n",
        ":4: invalid YAML",
    ),
    ("not a mapping", "- id: a\n", ":1: a fixture file is a mapping with `rules:`"),
    (
        "unknown rule key",
        "rules:\n  - id: a\n    reply: {text: hi}\n    repy: {text: hi}\n",
        ":4: rules[0].repy: unknown key `repy` (did you mean `reply`?); allowed: description,",
    ),
    (
        "unsupported operator",
        "rules:\n  - id: a\n    match:\n      model:\n        regx: claude\n    reply: {text: hi}\n",
        ":5: rules[0].match.model.regx: unknown key `regx` (did you mean `regex`?); allowed:",
    ),
    (
        "matcher without operator",
        "rules:\n  - id: a\n    match:\n      model: {ignore_case: true}\n    reply: {text: hi}\n",
        ":4: rules[0].match.model: give at least one of: equals, contains",
    ),
    (
        "missing key",
        "rules:\n  - match: {model: x}\n    reply: {text: hi}\n",
        ":2: rules[0].id: required",
    ),
    (
        "wrong type",
        "rules:\n  - id: a\n    priority: high\n    reply: {text: hi}\n",
        ":3: rules[0].priority: Input should be a valid integer",
    ),
    (
        "bad enum",
        "rules:\n  - id: a\n    script:\n      after: forever\n      steps: [{reply: {text: hi}}]\n",
        ":4: rules[0].script.after: Input should be 'repeat_last', 'cycle' or 'stop'",
    ),
    (
        "unknown block type",
        "rules:\n  - id: a\n    reply:\n      content:\n        - {type: txt, text: hi}\n",
        ":5: rules[0].reply.content[0]: Input tag 'txt'",
    ),
    (
        "two actions",
        "rules:\n  - id: a\n    reply: {text: hi}\n    error: {type: api_error}\n",
        ":2: rules[0]: give exactly one of `reply`, `error`, `script`",
    ),
    (
        "invalid regex",
        "rules:\n  - id: a\n    match:\n      last_user_text: {regex: '(x'}\n    reply: {text: hi}\n",
        ":4: rules[0].match.last_user_text.regex: invalid regular expression '(x'",
    ),
    (
        "invalid field path",
        "rules:\n  - id: a\n    match:\n      fields: {'a[x]': 1}\n    reply: {text: hi}\n",
        ":4: rules[0].match.fields.a[x]: invalid field path",
    ),
    (
        "template syntax",
        "rules:\n  - id: a\n    reply:\n      text: 'Hello {{ name '\n",
        ":4: rules[0].reply.text: template error:",
    ),
    (
        "template naming an unknown name",
        "rules:\n  - id: a\n    reply:\n      text: '{{ requst.model }}'\n",
        ":4: rules[0].reply.text: template error: unknown name `requst` (templates see",
    ),
    (
        "file outside the fixtures dir",
        "rules:\n  - id: a\n    reply: {text_file: ../outside.md}\n",
        ":3: rules[0].reply.text_file: `../outside.md` points outside the fixtures directory",
    ),
    (
        "missing text file",
        "rules:\n  - id: a\n    reply: {text_file: nope.md}\n",
        ":3: rules[0].reply.text_file: cannot read `nope.md`",
    ),
]


@pytest.mark.parametrize(("case", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_load_error_names_file_line_and_key(
    tmp_path: Path, case: str, text: str, expected: str
) -> None:
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    (tmp_path / "outside.md").write_text("secret")
    (fixtures / "rules.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(FixtureError) as caught:
        load_fixture_set(fixtures)
    assert str(caught.value).startswith(str(fixtures / "rules.yaml") + ":")
    assert expected in str(caught.value)


def test_duplicate_rule_ids_across_files_name_both_places(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("rules:\n  - id: same\n    reply: {text: a}\n")
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "b.yaml").write_text(
        "rules:\n  - {id: other, reply: {text: b}}\n  - id: same\n    reply: {text: b}\n"
    )
    with pytest.raises(FixtureError) as caught:
        load_fixture_set(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path / 'nested' / 'b.yaml'}:3: rules[1].id: duplicate rule id `same` "
        f"(first at {tmp_path / 'a.yaml'}:2)"
    )


def test_every_problem_of_a_bad_set_is_listed_each_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "rules:\n"
        "  - id: a\n    match: {modle: x}\n    reply: {text: hi}\n"  # lines 2-4
        "  - id: b\n    reply: {text: '{{ requst.model }}'}\n"  # lines 5-6
        "  - id: c\n    repyl: {text: x}\n"  # lines 7-8
    )
    (tmp_path / "b.yaml").write_text("rules:\n  - id: d\n    reply: {text: [unclosed\n")
    with pytest.raises(FixtureError) as caught:
        load_fixture_set(tmp_path)
    lines = str(caught.value).splitlines()
    assert lines[0] == "4 problems in the fixtures:"
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    assert [line.split(": ", 1)[0].strip() for line in lines[1:]] == [
        f"{a}:3",
        f"{a}:6",
        f"{a}:8",
        f"{b}:3",
    ]
    assert "unknown key `modle`" in lines[1] and "unknown name `requst`" in lines[2]
    assert len(caught.value.problems) == 4


def test_a_duplicate_id_is_named_even_when_a_rule_sharing_it_has_another_problem(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.yaml").write_text(
        "rules:\n"
        "  - id: greet\n    reply: {text: '{{ requst.model }}'}\n"  # lines 2-3
        "  - id: greet\n    reply: {text: hi}\n"  # lines 4-5
    )
    with pytest.raises(FixtureError) as caught:
        load_fixture_set(tmp_path)
    a = tmp_path / "a.yaml"
    template, duplicate = (str(p) for p in caught.value.problems)
    assert template.startswith(f"{a}:3: rules[0].reply.text: template error: unknown name")
    assert duplicate == f"{a}:4: rules[1].id: duplicate rule id `greet` (first at {a}:2)"


def test_template_names_match_what_playback_gives_templates() -> None:
    import inspect

    from messages_sandbox.fixtures.playback import Playback
    from messages_sandbox.fixtures.templates import CONTEXT_NAMES

    source = inspect.getsource(Playback.context)
    given = set(re.findall(r'^\s+"(\w+)":', source, re.M))
    assert given == CONTEXT_NAMES


def test_rules_are_ranked_by_priority_then_path_then_position(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text("rules:\n  - {id: b1, reply: {text: x}}\n")
    (tmp_path / "a.yaml").write_text(
        "rules:\n  - {id: a1, reply: {text: x}}\n  - {id: a2, priority: 5, reply: {text: x}}\n"
    )
    loaded = load_fixture_set(tmp_path)
    assert [r.id for r in loaded.index.rules] == ["a2", "a1", "b1"]


def validate(path: Path) -> subprocess.CompletedProcess[str]:
    """``messages-sandbox validate PATH``, run in this process (the entry point itself is run
    as a process by tests/test_docs.py and the packaging check)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["validate", str(path)])
    return subprocess.CompletedProcess(
        ["validate", str(path)], code, out.getvalue(), err.getvalue()
    )


def test_validate_command_accepts_the_shipped_fixtures() -> None:
    done = validate(FIXTURES)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok: ") and " rules " in done.stdout


def test_validate_command_exits_non_zero_with_the_load_error(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "rules:\n  - id: a\n    match: {modle: x}\n    reply: {text: hi}\n"
    )
    done = validate(tmp_path)
    assert done.returncode == 1
    assert (
        f"{tmp_path / 'bad.yaml'}:3: rules[0].match.modle: unknown key `modle` (did you mean `model`?)"
        in done.stderr
    )


def test_validate_command_checks_the_rate_limits_file_too(tmp_path: Path) -> None:
    (tmp_path / "rate_limits.yaml").write_text("requests: 5\noutput_token: 100\n")
    done = validate(tmp_path)
    assert done.returncode == 1
    assert (
        f"{tmp_path / 'rate_limits.yaml'}:2: output_token: unknown key `output_token` "
        "(did you mean `output_tokens`?)" in done.stderr
    )


def test_validate_command_lists_the_problems_of_rules_and_rate_limits_together(
    tmp_path: Path,
) -> None:
    (tmp_path / "rate_limits.yaml").write_text("output_token: 100\n")
    (tmp_path / "bad.yaml").write_text("rules:\n  - id: a\n    repyl: {text: hi}\n")
    done = validate(tmp_path)
    assert done.returncode == 1
    assert "2 problems in the fixtures:" in done.stderr
    assert f"{tmp_path / 'bad.yaml'}:3: rules[0].repyl" in done.stderr
    assert f"{tmp_path / 'rate_limits.yaml'}:1: output_token: unknown key" in done.stderr


def test_server_refuses_to_start_on_a_bad_fixture_set(tmp_path: Path) -> None:
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    (fixtures / "bad.yaml").write_text("rules:\n  - id: a\n")
    with pytest.raises(RuntimeError) as caught:
        start_server(tmp_path, fixtures)
    assert "bad.yaml:2: rules[0]: give exactly one of `reply`, `error`, `script`" in str(
        caught.value
    )
