"""Matching: which fixture rule answers a request, and why the others did not.

Pure. ``compile_match`` turns a validated ``match:`` into ``Condition`` values (regexes and
globs compiled once, at load); ``Index`` buckets rules by their cheapest discriminator
(exact last user text, else exact model) so a request only visits the few rules that can
concern it, in rank order; ``select`` returns the first match or a ``Miss`` naming the
closest rules with, for each, the conditions that failed (expected vs actual).
"""

from __future__ import annotations

import fnmatch
import hashlib
import heapq
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from typing import Any, Protocol

from . import media
from .fixture_models import IntMatch, Match, MediaMatch, StrMatch, ValueMatch
from .headers import Caller

Captures = dict[Any, Any]
Loc = tuple[str | int, ...]


class CompileError(Exception):
    """A matcher that cannot be compiled (bad regex, bad path); ``loc`` points into the file."""

    def __init__(self, loc: Loc, message: str) -> None:
        super().__init__(message)
        self.loc = loc
        self.message = message


# -- facts about a request -----------------------------------------------------------------


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "\n".join(
        b.get("text", "") for b in content or () if isinstance(b, dict) and b.get("type") == "text"
    )


def _walk_blocks(content: Any) -> Iterator[Mapping[str, Any]]:
    """Every block of a message's content, including blocks nested in tool results."""
    if not isinstance(content, list):
        return
    for block in content:
        if not isinstance(block, dict):
            continue
        yield block
        if block.get("type") == "tool_result":
            yield from _walk_blocks(block.get("content"))


class RequestView:
    """What rules test, each fact computed at most once per request and shared by rules."""

    def __init__(self, request: Mapping[str, Any], caller: Caller | None = None) -> None:
        self.request = request
        self.caller = caller

    @cached_property
    def model(self) -> str:
        return str(self.request.get("model", ""))

    @cached_property
    def stream(self) -> bool:
        return bool(self.request.get("stream"))

    @cached_property
    def messages(self) -> list[Mapping[str, Any]]:
        return [m for m in self.request.get("messages") or () if isinstance(m, dict)]

    @cached_property
    def last_user_text(self) -> str:
        for message in reversed(self.messages):
            if message.get("role") == "user":
                return _text_of(message.get("content"))
        return ""

    @cached_property
    def texts(self) -> list[str]:
        return [_text_of(m.get("content")) for m in self.messages]

    @cached_property
    def system(self) -> str:
        return _text_of(self.request.get("system") or "")

    @cached_property
    def tool_names(self) -> list[str]:
        return [
            str(t.get("name", "")) for t in self.request.get("tools") or () if isinstance(t, dict)
        ]

    @cached_property
    def tool_choice(self) -> Mapping[str, Any]:
        # Deliberate choice: an absent tool_choice reads as the API's default, `auto`.
        return self.request.get("tool_choice") or {"type": "auto"}

    @cached_property
    def turn(self) -> int:
        return sum(1 for m in self.messages if m.get("role") == "assistant")

    @cached_property
    def thinking(self) -> bool:
        thinking = self.request.get("thinking") or {}
        return thinking.get("type") in ("enabled", "adaptive")

    @cached_property
    def tool_results(self) -> list[dict[str, Any]]:
        """``tool_result`` blocks of the last user message: name, is_error, text."""
        if not self.messages or self.messages[-1].get("role") != "user":
            return []
        content = self.messages[-1].get("content")
        if not isinstance(content, list):
            return []
        names: dict[str, str] = {}
        for message in self.messages:
            if message.get("role") == "assistant" and isinstance(message.get("content"), list):
                for b in message["content"]:
                    if isinstance(b, dict) and b.get("type") == "tool_use":
                        names[str(b.get("id"))] = str(b.get("name", ""))
        return [
            {
                "name": names.get(str(b.get("tool_use_id")), ""),
                "is_error": bool(b.get("is_error")),
                "text": _text_of(b.get("content") or ""),
            }
            for b in content
            if isinstance(b, dict) and b.get("type") == "tool_result"
        ]

    def _media(self, kind: str) -> list[Mapping[str, Any]]:
        sources = []
        for message in self.messages:
            for block in _walk_blocks(message.get("content")):
                if block.get("type") == kind and isinstance(block.get("source"), dict):
                    sources.append(block["source"])
        return sources

    @cached_property
    def images(self) -> list[Mapping[str, Any]]:
        return self._media("image")

    @cached_property
    def documents(self) -> list[Mapping[str, Any]]:
        return self._media("document")

    @cached_property
    def metadata_user_id(self) -> str | None:
        value = (self.request.get("metadata") or {}).get("user_id")
        return None if value is None else str(value)

    @cached_property
    def betas(self) -> list[str]:
        return list(self.caller.betas) if self.caller else []

    @cached_property
    def headers(self) -> Mapping[str, str]:
        return self.caller.headers if self.caller else {}


def media_type(source: Mapping[str, Any]) -> str:
    if source.get("media_type"):
        return str(source["media_type"])
    return "text/plain" if source.get("type") == "text" else ""


def sha256(source: Mapping[str, Any]) -> str | None:
    if source.get("type") == "base64":
        raw = media.decode_base64(str(source.get("data", "")))
        return hashlib.sha256(raw).hexdigest() if raw is not None else None
    if source.get("type") == "text":
        return hashlib.sha256(str(source.get("data", "")).encode()).hexdigest()
    return None


# -- conditions ----------------------------------------------------------------------------


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


def _any_str(test: StrTest) -> Callable[[Iterable[str], Captures], bool]:
    return lambda values, c: any(test(v, c) for v in values)


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
            some = _any_str(test)
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
        some = _any_str(stest)
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


# -- selection -------------------------------------------------------------------------------


class Candidate(Protocol):
    """What matching needs from a rule (``fixtures.Rule`` provides it)."""

    @property
    def id(self) -> str: ...
    @property
    def rank(self) -> tuple[int, int]: ...
    @property
    def conditions(self) -> tuple[Condition, ...]: ...
    @property
    def where(self) -> str: ...
    @property
    def index_key(self) -> tuple[str, str] | None: ...
    @property
    def test(self) -> Callable[[RequestView, Captures], bool]: ...
    @property
    def needle(self) -> str: ...


def index_key(match: Match) -> tuple[str, str] | None:
    """The cheapest exact discriminator of a rule: last user text, else model."""
    for kind, m in (("text", match.last_user_text), ("model", match.model)):
        if (
            m is not None
            and m.equals is not None
            and not m.ignore_case
            and m.model_fields_set <= {"equals"}
        ):
            return kind, m.equals
    return None


def required_literal(match: Match) -> str:
    """A substring the last user text must contain for the rule to match ("" when none is
    known): a C-speed ``in`` test skips most rules before any of their conditions run."""
    m = match.last_user_text
    if m is None or m.ignore_case:
        return ""
    found = [x for x in (m.equals, m.contains, m.startswith, m.endswith) if x]
    if m.regex:
        found.append(_regex_literal(m.regex))
    return max(found, key=len, default="")


def _regex_literal(pattern: str) -> str:
    """The longest run of literal characters every match of ``pattern`` contains."""
    try:
        parsed = re._parser.parse(pattern)  # type: ignore[attr-defined]
    except Exception:
        return ""
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return ""
    runs = [""]

    def walk(items: Any) -> None:
        for op, arg in items:
            name = str(op)
            if name == "LITERAL":
                runs[-1] += chr(arg)
            elif name == "SUBPATTERN" and not (arg[1] or arg[2]):
                walk(arg[-1])  # a plain group: its literals are required too
            elif name == "AT":
                continue  # anchors consume nothing
            else:
                runs.append("")

    walk(parsed)
    return max(runs, key=len)


Ranked = tuple[list[Any], list[str]]
"""Rules in rank order and, aligned, the literal each needs in the last user text."""


@dataclass
class Index:
    """Rules bucketed by discriminator, each bucket in rank order. A request visits the rules
    for its exact last user text, plus one pre-merged list (the rules for its model and the
    rules with no exact discriminator) filtered by required literals."""

    rules: list[Any]
    by_text: dict[str, list[Any]] = field(default_factory=dict)
    by_model: dict[str, Ranked] = field(default_factory=dict)
    rest: Ranked = field(default_factory=lambda: ([], []))

    @classmethod
    def of(cls, rules: Iterable[Candidate]) -> Index:
        ordered = sorted(rules, key=lambda r: r.rank)
        index = cls(ordered)
        models: dict[str, list[Any]] = {}
        rest: list[Any] = []
        for rule in ordered:
            key = rule.index_key
            if key is None:
                rest.append(rule)
            elif key[0] == "text":
                index.by_text.setdefault(key[1], []).append(rule)
            else:
                models.setdefault(key[1], []).append(rule)
        index.rest = _ranked(rest)
        index.by_model = {
            model: _ranked(list(heapq.merge(bucket, rest, key=lambda r: r.rank)))
            for model, bucket in models.items()
        }
        return index


def _ranked(rules: list[Any]) -> Ranked:
    return rules, [r.needle for r in rules]


def matching(view: RequestView, index: Index) -> Iterator[tuple[Any, Captures]]:
    """Every rule that matches, best first, with its regex captures."""
    few = index.by_text.get(view.last_user_text, ()) if index.by_text else ()
    ranked, needles = index.by_model.get(view.model, index.rest)
    text = view.last_user_text
    many = [r for r, n in zip(ranked, needles, strict=True) if n in text]
    i, n = 0, len(few)
    for rule in many:
        # Merge the handful of exact-text rules into the ranked list as we go.
        while i < n and few[i].rank < rule.rank:
            captures: Captures = {}
            if few[i].test(view, captures):
                yield few[i], captures
            i += 1
        captures = {}
        if rule.test(view, captures):
            yield rule, captures
    for rule in few[i:]:
        captures = {}
        if rule.test(view, captures):
            yield rule, captures


@dataclass(frozen=True)
class Selection:
    rule: Any
    captures: Captures


@dataclass(frozen=True)
class NearMiss:
    rule_id: str
    where: str
    failed: tuple[str, ...]


@dataclass(frozen=True)
class Miss:
    near: tuple[NearMiss, ...]

    def explain(self) -> str:
        if not self.near:
            return "No fixture rule matched this request (there are no rules)."
        lines = ["No fixture rule matched this request. Closest rules:"]
        for n in self.near:
            lines.append(f"- `{n.rule_id}` ({n.where}): " + "; ".join(n.failed))
        return "\n".join(lines)


def select(request: Mapping[str, Any], caller: Caller | None, index: Index) -> Selection | Miss:
    view = RequestView(request, caller)
    for rule, captures in matching(view, index):
        return Selection(rule, captures)
    return near_misses(view, index.rules)


def near_misses(
    view: RequestView,
    rules: Iterable[Candidate],
    *,
    passed_over: Mapping[str, str] | None = None,
    limit: int = 3,
) -> Miss:
    """The ``limit`` rules with the fewest failed conditions (ties: more conditions held,
    then rank order).

    ``passed_over`` names rules that matched but declined (e.g. a finished script) and why.
    """
    scored: list[tuple[int, int, tuple[int, int], NearMiss]] = []
    for rule in rules:
        failed = [c.explain(view) for c in rule.conditions if not c.check(view, {})]
        passed = len(rule.conditions) - len(failed)
        if not failed:
            reason = (passed_over or {}).get(rule.id)
            if reason is None:
                continue
            failed = [reason]
        near = NearMiss(rule.id, rule.where, tuple(failed))
        scored.append((len(failed), -passed, rule.rank, near))
    best = heapq.nsmallest(limit, scored, key=lambda s: s[:3])
    return Miss(tuple(s[3] for s in best))
