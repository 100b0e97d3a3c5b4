"""Matching: which fixture rule answers a request, and why the others did not.

Pure. Rules arrive compiled (``conditions``); ``Index`` buckets them by their cheapest
discriminator (exact last user text, else exact model), keeps the rules that need a tool out of
the lists for requests offering none, and pre-filters the rest by a literal their text test
requires, so a request only runs the conditions of the few rules that can concern it, in rank
order. ``select`` returns the first match or a ``Miss`` naming the
closest rules with, for each, the conditions that failed (expected vs actual).
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from .conditions import Condition
from .fixture_match import Match
from .headers import Caller
from .predicates import Captures, int_test
from .request_view import RequestView


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
    @property
    def needs_tool(self) -> bool: ...
    @property
    def toolless_needle(self) -> str: ...


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


def required_literal(match: Match, *, toolless: bool = False) -> str:
    """A substring the last user text must contain for the rule to match ("" when none is
    known): a C-speed ``in`` test skips most rules before any of their conditions run.
    ``toolless``: for requests offering no tools, where ``any`` alternatives needing a tool
    cannot hold (so one alternative left means its literal is required)."""
    found: list[str] = []
    m = match.last_user_text
    if m is not None and not m.ignore_case:
        found += [x for x in (m.equals, m.contains, m.startswith, m.endswith) if x]
        if m.regex:
            found.append(_regex_literal(m.regex))
    found += [required_literal(sub, toolless=toolless) for sub in match.all or ()]
    if match.any:
        viable = [sub for sub in match.any if not (toolless and needs_tool(sub))]
        if len(viable) == 1:
            found.append(required_literal(viable[0], toolless=toolless))
    return max(found, key=len, default="")


def needs_tool(match: Match) -> bool:
    """True when the rule can only match a request offering at least one tool (it includes or
    names a tool, or its tool count excludes 0): requests offering none never visit it."""
    tools = match.tools
    if tools is not None:
        if tools.include or tools.name is not None:
            return True
        if tools.count is not None and not int_test(tools.count)[0](0):
            return True
    if match.all and any(needs_tool(m) for m in match.all):
        return True
    return bool(match.any) and all(needs_tool(m) for m in match.any)


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
    rules with no exact discriminator) filtered by required literals. That list comes in two
    versions: every rule, and (for requests offering no tools, the usual case) every rule that
    does not need a tool."""

    rules: list[Any]
    by_text: dict[str, list[Any]] = field(default_factory=dict)
    by_model: dict[str, Ranked] = field(default_factory=dict)
    rest: Ranked = field(default_factory=lambda: ([], []))
    toolless_by_model: dict[str, Ranked] = field(default_factory=dict)
    toolless_rest: Ranked = field(default_factory=lambda: ([], []))

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
        index.by_model, index.rest = _merged(models, rest, toolless=False)
        index.toolless_by_model, index.toolless_rest = _merged(
            {model: _toolless(bucket) for model, bucket in models.items()},
            _toolless(rest),
            toolless=True,
        )
        return index


def _merged(
    models: dict[str, list[Any]], rest: list[Any], *, toolless: bool
) -> tuple[dict[str, Ranked], Ranked]:
    """Each model's rules merged with the undiscriminated ones (rank order), and those alone."""
    by_model = {
        model: _ranked(list(heapq.merge(bucket, rest, key=lambda r: r.rank)), toolless)
        for model, bucket in models.items()
    }
    return by_model, _ranked(rest, toolless)


def _toolless(rules: list[Any]) -> list[Any]:
    return [r for r in rules if not r.needs_tool]


def _ranked(rules: list[Any], toolless: bool) -> Ranked:
    return rules, [r.toolless_needle if toolless else r.needle for r in rules]


def matching(view: RequestView, index: Index) -> Iterable[tuple[Any, Captures]]:
    """Every rule that matches, best first, with its regex captures."""
    text = view.last_user_text
    few = index.by_text.get(text, ())
    if view.offers_tools:
        ranked, needles = index.by_model.get(view.model, index.rest)
    else:
        ranked, needles = index.toolless_by_model.get(view.model, index.toolless_rest)
    many = [r for r, n in zip(ranked, needles) if n in text]  # noqa: B905 - same lengths
    if not few and not many:
        return ()  # the usual miss: no candidate, so no generator to set up
    return _matches(view, few, many)


def _matches(
    view: RequestView, few: Sequence[Any], many: list[Any]
) -> Iterator[tuple[Any, Captures]]:
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
