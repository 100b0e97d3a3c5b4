"""Predicates: the closed set of value tests fixture matchers compile to.

String tests (``equals``, ``contains``, ``startswith``, ``endswith``, ``regex``, ``glob``,
``in``, optionally case-insensitive), number tests, and JSON-path style paths into a request.
Everything is compiled once at load; a bad regex or path is a ``CompileError`` pointing at
its place in the fixture file.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .fixture_match import IntMatch, StrMatch

Captures = dict[Any, Any]
Loc = tuple[str | int, ...]


class CompileError(Exception):
    """A matcher that cannot be compiled (bad regex, bad path); ``loc`` points into the file."""

    def __init__(self, loc: Loc, message: str) -> None:
        super().__init__(message)
        self.loc = loc
        self.message = message


StrTest = Callable[[Any, Captures], bool]


def str_test(m: StrMatch, loc: Loc, *, nullable: bool = True) -> tuple[StrTest, str]:
    """A test over one string and its description; ``nullable``: the value may be absent
    (None or not a string), which fails. Single-operator tests are one plain closure, since
    they run for every candidate rule."""
    ci = m.ignore_case
    tests: list[StrTest] = []
    said: list[str] = []

    def folded(text: str) -> str:
        return text.casefold() if ci else text

    if m.equals is not None:
        eq = folded(m.equals)
        tests.append((lambda v, c: v.casefold() == eq) if ci else (lambda v, c: v == eq))
        said.append(f"== {m.equals!r}")
    if m.contains is not None:
        n = folded(m.contains)
        tests.append((lambda v, c: n in v.casefold()) if ci else (lambda v, c: n in v))
        said.append(f"contains {m.contains!r}")
    if m.startswith is not None:
        p = folded(m.startswith)
        tests.append(
            (lambda v, c: v.casefold().startswith(p)) if ci else (lambda v, c: v.startswith(p))
        )
        said.append(f"startswith {m.startswith!r}")
    if m.endswith is not None:
        e = folded(m.endswith)
        tests.append(
            (lambda v, c: v.casefold().endswith(e)) if ci else (lambda v, c: v.endswith(e))
        )
        said.append(f"endswith {m.endswith!r}")
    flags = re.IGNORECASE if ci else 0
    if m.regex is not None:
        rx = _compile(m.regex, flags, (*loc, "regex"))
        tests.append(lambda v, c: _search(rx, v, c))
        said.append(f"regex {m.regex!r}")
    if m.glob is not None:
        gx = _compile(fnmatch.translate(m.glob), flags, (*loc, "glob"))
        tests.append(lambda v, c: gx.match(v) is not None)
        said.append(f"glob {m.glob!r}")
    if m.in_ is not None:
        options = frozenset(folded(o) for o in m.in_)
        tests.append((lambda v, c: v.casefold() in options) if ci else (lambda v, c: v in options))
        said.append(f"in {m.in_!r}")
    if ci:
        said.append("(ignoring case)")
    if len(tests) == 1:
        test = tests[0]
    else:
        all_tests = tuple(tests)

        def test(value: Any, captures: Captures) -> bool:
            return all(t(value, captures) for t in all_tests)

    if nullable:
        inner = test

        def test(value: Any, captures: Captures) -> bool:
            return isinstance(value, str) and inner(value, captures)

    return test, " and ".join(said)


def str_cost(m: StrMatch) -> int:
    """Relative cost, so a rule tries its cheap conditions first."""
    if m.regex is not None or m.glob is not None:
        return 3
    return 1 if m.ignore_case or m.equals is None else 0


def _search(rx: re.Pattern[str], value: Any, captures: Captures) -> bool:
    if not isinstance(value, str):
        return False
    found = rx.search(value)
    if found is None:
        return False
    captures[0] = found.group(0)
    for i, group in enumerate(found.groups(), start=1):
        captures[i] = group
    captures.update(found.groupdict())
    return True


def _compile(pattern: str, flags: int, loc: Loc) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise CompileError(loc, f"invalid regular expression {pattern!r}: {exc}") from None


def int_test(m: IntMatch) -> tuple[Callable[[int], bool], str]:
    checks: list[tuple[Callable[[int], bool], str]] = []
    if m.equals is not None:
        checks.append((lambda v: v == m.equals, f"== {m.equals}"))
    if m.gt is not None:
        checks.append((lambda v: v > m.gt, f"> {m.gt}"))  # type: ignore[operator]
    if m.gte is not None:
        checks.append((lambda v: v >= m.gte, f">= {m.gte}"))  # type: ignore[operator]
    if m.lt is not None:
        checks.append((lambda v: v < m.lt, f"< {m.lt}"))  # type: ignore[operator]
    if m.lte is not None:
        checks.append((lambda v: v <= m.lte, f"<= {m.lte}"))  # type: ignore[operator]
    if m.in_ is not None:
        checks.append((lambda v: v in m.in_, f"in {m.in_}"))  # type: ignore[operator]
    fns = [f for f, _ in checks]
    return (lambda v: all(f(v) for f in fns)), " and ".join(s for _, s in checks) or "any"


def any_str(test: StrTest) -> Callable[[Iterable[str], Captures], bool]:
    return lambda values, c: any(test(v, c) for v in values)


# -- JSON-path style field tests -------------------------------------------------------------

_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+|\*)\]")


def parse_path(path: str, loc: Loc) -> list[str | int | None]:
    """``a.b[0].c`` / ``tools[*].name`` -> keys, indexes and None for ``[*]``."""
    parts: list[str | int | None] = []
    pos = 0
    for found in _PATH_PART.finditer(path):
        between = path[pos : found.start()]
        if between not in ("", "."):
            break
        pos = found.end()
        name, index = found.groups()
        if name is not None:
            parts.append(name)
        else:
            parts.append(None if index == "*" else int(index))
    if pos != len(path) or not parts:
        raise CompileError(loc, f"invalid field path {path!r}: use keys, [n] and [*]")
    return parts


def resolve_path(value: Any, parts: Sequence[str | int | None]) -> list[Any]:
    found = [value]
    for part in parts:
        nxt: list[Any] = []
        for item in found:
            if part is None:
                if isinstance(item, list):
                    nxt.extend(item)
            elif isinstance(part, int):
                if isinstance(item, list) and -len(item) <= part < len(item):
                    nxt.append(item[part])
            elif isinstance(item, dict) and part in item:
                nxt.append(item[part])
        found = nxt
    return found
