"""Conditions: a validated ``match:`` compiled into tests over a ``RequestView``.

``compile_match`` returns ``Condition`` values (key, expected, check, actual, cost) so a
miss can explain itself; ``conjunction`` turns a rule's conditions into one callable that
tries the cheap ones first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from .fixture_match import Match, MediaMatch, StrMatch, ValueMatch
from .predicates import (
    Captures,
    Loc,
    any_str,
    int_test,
    parse_path,
    resolve_path,
    str_cost,
    str_test,
)
from .request_view import RequestView, media_type, sha256


@dataclass(frozen=True)
class Condition:
    """One compiled test: ``check`` may record regex captures; ``actual`` explains a miss."""

    key: str
    expected: str
    check: Callable[[RequestView, Captures], bool]
    actual: Callable[[RequestView], Any]
    cost: int = 2
    """0 cheap (equality) .. 3 regex/composite: the order a rule tries its conditions in."""

    def explain(self, view: RequestView) -> str:
        return f"{self.key}: expected {self.expected}, got {_short(self.actual(view))}"


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def compile_match(match: Match, loc: Loc = ("match",)) -> tuple[Condition, ...]:
    """The conditions of a ``match:`` mapping (all must hold). Raises CompileError."""
    out: list[Condition] = []
    key = ".".join(str(p) for p in loc)

    def add(
        name: str,
        expected: str,
        check: Any,
        actual: Callable[[RequestView], Any],
        cost: int = 2,
    ) -> None:
        out.append(Condition(f"{key}.{name}", expected, check, actual, cost))

    def string(
        name: str, m: StrMatch | None, fact: Callable[[RequestView], Any], nullable: bool = False
    ) -> None:
        if m is not None:
            test, said = str_test(m, (*loc, name), nullable=nullable)
            add(name, said, lambda v, c: test(fact(v), c), fact, str_cost(m))

    def strings(name: str, m: StrMatch | None, fact: Callable[[RequestView], list[str]]) -> None:
        if m is not None:
            test, said = str_test(m, (*loc, name), nullable=False)
            some = any_str(test)
            add(name, "some value " + said, lambda v, c: some(fact(v), c), fact, 2 + str_cost(m))

    string("model", match.model, attrgetter("model"))
    string("last_user_text", match.last_user_text, attrgetter("last_user_text"))
    strings("any_text", match.any_text, attrgetter("texts"))
    string("system", match.system, attrgetter("system"))
    if match.tools is not None:
        _tools(match.tools, (*loc, "tools"), out)
    if match.tool_choice is not None:
        tc = match.tool_choice
        string("tool_choice.type", tc.type, lambda v: v.tool_choice.get("type"), True)
        string("tool_choice.name", tc.name, lambda v: v.tool_choice.get("name"), True)
    if match.tool_result is not None:
        out.append(_tool_result(match.tool_result, f"{key}.tool_result", loc))
    if match.turn is not None:
        test, said = int_test(match.turn)
        add("turn", said, lambda v, c: test(v.turn), lambda v: v.turn, 1)
    if match.stream is not None:
        want = match.stream
        add("stream", repr(want), lambda v, c: v.stream == want, lambda v: v.stream, 0)
    if match.thinking is not None:
        on = match.thinking
        add("thinking", repr(on), lambda v, c: v.thinking == on, lambda v: v.thinking, 1)
    if match.images is not None:
        out.extend(_media(match.images, f"{key}.images", (*loc, "images"), lambda v: v.images))
    if match.documents is not None:
        out.extend(
            _media(match.documents, f"{key}.documents", (*loc, "documents"), lambda v: v.documents)
        )
    string("metadata_user_id", match.metadata_user_id, attrgetter("metadata_user_id"), True)
    strings("beta", match.beta, attrgetter("betas"))
    for name, hm in (match.headers or {}).items():
        lower = name.lower()
        string(f"headers.{lower}", hm, lambda v, h=lower: v.headers.get(h), True)
    for path, vm in (match.fields or {}).items():
        out.append(_field(path, vm, f"{key}.fields[{path!r}]", (*loc, "fields", path)))
    for name, subs in (("any", match.any), ("all", match.all)):
        if subs is None:
            continue
        alts = [compile_match(sub, (*loc, name, i)) for i, sub in enumerate(subs)]
        tests = tuple(_scratch(conjunction(a)) for a in alts)
        combine = any if name == "any" else all
        add(
            name,
            f"{name} of {len(alts)} alternatives to hold",
            lambda v, c, tests=tests, combine=combine: combine(t(v, c) for t in tests),
            lambda v, alts=alts: (
                "; ".join(cond.explain(v) for a in alts for cond in a if not cond.check(v, {}))
                or "all hold"
            ),
            3,
        )
    if match.not_ is not None:
        inner = conjunction(compile_match(match.not_, (*loc, "not")))
        add(
            "not",
            "the inner conditions not all to hold",
            lambda v, c: not inner(v, {}),
            lambda v: "they all hold",
            3,
        )
    return tuple(out)


def conjunction(conditions: Sequence[Condition]) -> Callable[[RequestView, Captures], bool]:
    """One callable testing every condition, cheapest first (runs per candidate rule)."""
    checks = tuple(c.check for c in sorted(conditions, key=lambda c: c.cost))
    if not checks:
        return lambda v, c: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        a, b = checks
        return lambda v, c: a(v, c) and b(v, c)
    if len(checks) == 3:
        a, b, d = checks
        return lambda v, c: a(v, c) and b(v, c) and d(v, c)

    def every(view: RequestView, captures: Captures) -> bool:
        return all(check(view, captures) for check in checks)

    return every


def _scratch(
    test: Callable[[RequestView, Captures], bool],
) -> Callable[[RequestView, Captures], bool]:
    """Captures of an alternative count only when the whole alternative holds."""

    def run(view: RequestView, captures: Captures) -> bool:
        scratch: Captures = {}
        if test(view, scratch):
            captures.update(scratch)
            return True
        return False

    return run


def _tools(m: Any, loc: Loc, out: list[Condition]) -> None:
    key = ".".join(str(p) for p in loc)
    if m.include is not None:
        need = list(m.include)
        out.append(
            Condition(
                f"{key}.include",
                f"all of {need}",
                lambda v, c: all(n in v.tool_names for n in need),
                lambda v: v.tool_names,
            )
        )
    if m.exclude is not None:
        banned = list(m.exclude)
        out.append(
            Condition(
                f"{key}.exclude",
                f"none of {banned}",
                lambda v, c: not any(n in v.tool_names for n in banned),
                lambda v: v.tool_names,
            )
        )
    if m.count is not None:
        test, said = int_test(m.count)
        out.append(
            Condition(
                f"{key}.count",
                said,
                lambda v, c: test(len(v.tool_names)),
                lambda v: len(v.tool_names),
            )
        )
    if m.name is not None:
        stest, ssaid = str_test(m.name, (*loc, "name"))
        some = any_str(stest)
        out.append(
            Condition(
                f"{key}.name",
                "some tool name " + ssaid,
                lambda v, c: some(v.tool_names, c),
                lambda v: v.tool_names,
            )
        )


def _tool_result(m: Any, key: str, loc: Loc) -> Condition:
    if not m.present:
        return Condition(
            key, "no tool_result", lambda v, c: not v.tool_results, lambda v: v.tool_results
        )
    parts: list[Callable[[dict[str, Any], Captures], bool]] = []
    said = ["a tool_result"]
    if m.name is not None:
        nt, ns = str_test(m.name, (*loc, "tool_result", "name"))
        parts.append(lambda r, c: nt(r["name"], c))
        said.append(f"for a tool whose name {ns}")
    if m.is_error is not None:
        want = m.is_error
        parts.append(lambda r, c: r["is_error"] == want)
        said.append(f"with is_error {want}")
    if m.content is not None:
        ct, cs = str_test(m.content, (*loc, "tool_result", "content"))
        parts.append(lambda r, c: ct(r["text"], c))
        said.append(f"whose text {cs}")
    return Condition(
        key,
        " ".join(said),
        lambda v, c: any(all(p(r, c) for p in parts) for r in v.tool_results),
        lambda v: v.tool_results,
    )


def _media(
    m: MediaMatch,
    key: str,
    loc: Loc,
    fact: Callable[[RequestView], list[Mapping[str, Any]]],
) -> list[Condition]:
    out = []
    if m.present is not None:
        want = m.present
        out.append(
            Condition(
                key,
                "some present" if want else "none present",
                lambda v, c: bool(fact(v)) == want,
                lambda v: len(fact(v)),
            )
        )
    if m.count is not None:
        test, said = int_test(m.count)
        out.append(
            Condition(f"{key}.count", said, lambda v, c: test(len(fact(v))), lambda v: len(fact(v)))
        )
    if m.media_type is not None:
        st, ss = str_test(m.media_type, (*loc, "media_type"))
        out.append(
            Condition(
                f"{key}.media_type",
                "some " + ss,
                lambda v, c: any(st(media_type(s), c) for s in fact(v)),
                lambda v: [media_type(s) for s in fact(v)],
            )
        )
    if m.sha256 is not None:
        digest = m.sha256.lower()
        out.append(
            Condition(
                f"{key}.sha256",
                f"some item with sha256 {digest}",
                lambda v, c: any(sha256(s) == digest for s in fact(v)),
                lambda v: [sha256(s) for s in fact(v)],
            )
        )
    return out


def _field(path: str, m: ValueMatch, key: str, loc: Loc) -> Condition:
    parts = parse_path(path, loc)
    given = m.model_fields_set
    exists = m.exists
    checks: list[Callable[[Any, Captures], bool]] = []
    said: list[str] = []
    if "equals" in given:
        want = m.equals
        checks.append(lambda x, c: _same(x, want))
        said.append(f"== {want!r}")
    str_ops = {k: getattr(m, k) for k in ("contains", "startswith", "endswith", "regex", "glob")}
    str_ops = {k: v for k, v in str_ops.items() if v is not None}
    if str_ops:
        st, ss = str_test(StrMatch(**str_ops, ignore_case=m.ignore_case), loc)
        checks.append(st)
        said.append(ss)
    if m.in_ is not None:
        options = list(m.in_)
        checks.append(lambda x, c: x in options)
        said.append(f"in {options!r}")
    for op, sym in (("gt", ">"), ("gte", ">="), ("lt", "<"), ("lte", "<=")):
        bound = getattr(m, op)
        if bound is None:
            continue
        cmp = {
            "gt": lambda x, b: x > b,
            "gte": lambda x, b: x >= b,
            "lt": lambda x, b: x < b,
            "lte": lambda x, b: x <= b,
        }[op]
        checks.append(
            lambda x, c, b=bound, cmp=cmp: (
                isinstance(x, int | float) and not isinstance(x, bool) and cmp(x, b)
            )
        )
        said.append(f"{sym} {bound}")

    def check(view: RequestView, captures: Captures) -> bool:
        values = resolve_path(view.request, parts)
        if exists is not None and bool(values) != exists:
            return False
        if not checks:
            return exists is not None or bool(values)
        return any(all(t(x, captures) for t in checks) for x in values)

    if exists is not None:
        said.insert(0, "present" if exists else "absent")

    def actual(view: RequestView) -> Any:
        values = resolve_path(view.request, parts)
        if not values:
            return "<absent>"
        return values[0] if len(values) == 1 else values

    return Condition(key, " and ".join(said) or "present", check, actual)


def _same(value: Any, want: Any) -> bool:
    # JSON equality: true is not 1.
    if isinstance(value, bool) or isinstance(want, bool):
        return type(value) is type(want) and value == want
    return bool(value == want)
