"""The ``match:`` of a recorded rule: minimal, yet picking its own request and no other.

Every rule starts from the facts that name a request in most recordings: the ``model``, the
last user text exactly, the ``turn`` (assistant turns so far) and, in a tool loop, whether the
last turn carries tool results. When one recorded rule would also take another's request,
``separate`` adds to both the first fact of ``LADDER`` on which the two differ, until the
real matcher (the one the server runs, ``fixtures.conditions``) keeps them apart: the system
prompt, the tools offered, thinking on or off, the first user text, the tool results' text.
Requests that nothing here tells apart are "the same request": their answers become one
rule's script steps (``recording``).

A text that lost a secret to redaction cannot be matched exactly: it becomes an anchored
regex in which each ``<redacted>`` stands for any text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from ..fixtures.conditions import compile_match, conjunction
from ..fixtures.format_match import Match
from ..request import RequestView
from .redact import REDACTED

Facet = Callable[[RequestView], dict[str, Any] | None]
"""Part of a ``match:`` mapping for a request (None: says nothing about this one)."""


# Only what a regex would read as syntax (``re.escape`` also escapes spaces: unreadable).
_METACHARS = re.compile(r"[.^$*+?{}\[\]\\|()]")


def text_test(text: str) -> str | dict[str, str]:
    """A string test for ``text``: itself (equals), or a regex when parts were redacted."""
    if REDACTED not in text:
        return text
    pieces = (_METACHARS.sub(r"\\\g<0>", part) for part in text.split(REDACTED))
    return {"regex": r"\A" + "(?s:.+?)".join(pieces) + r"\Z"}


def _model(view: RequestView) -> dict[str, Any]:
    return {"model": text_test(view.model)}


def _last_user_text(view: RequestView) -> dict[str, Any]:
    return {"last_user_text": text_test(view.last_user_text)}


def _turn(view: RequestView) -> dict[str, Any]:
    return {"turn": view.turn}


def _tool_loop(view: RequestView) -> dict[str, Any] | None:
    """Tool-result presence, said only where tools are in play."""
    if view.tool_results or view.offers_tools:
        return {"tool_result": bool(view.tool_results)}
    return None


def _system(view: RequestView) -> dict[str, Any]:
    return {"system": text_test(view.system)}


def _tools(view: RequestView) -> dict[str, Any]:
    names = view.tool_names
    return {"tools": {"include": names, "count": len(names)} if names else {"count": 0}}


def _thinking(view: RequestView) -> dict[str, Any]:
    return {"thinking": view.thinking}


def _first_user_text(view: RequestView) -> dict[str, Any] | None:
    for message in view.messages[:1]:
        content = message.get("content")
        if isinstance(content, str):
            path, text = "messages[0].content", content
        else:
            texts = [b.get("text") for b in content or () if isinstance(b, dict)]
            found = next((t for t in texts if isinstance(t, str)), None)
            if found is None:
                return None
            path, text = "messages[0].content[*].text", found
        if REDACTED in text:  # an equality test could never hold again
            return None
        return {"fields": {path: {"equals": text}}}
    return None


def _tool_result_text(view: RequestView) -> dict[str, Any] | None:
    if not view.tool_results:
        return None
    return {"tool_result": {"present": True, "content": text_test(view.tool_results[0]["text"])}}


BASE: tuple[Facet, ...] = (_model, _last_user_text, _turn, _tool_loop)
LADDER: tuple[Facet, ...] = (_system, _tools, _thinking, _first_user_text, _tool_result_text)


def base_match(request: Mapping[str, Any]) -> dict[str, Any]:
    """The match of a rule recorded alone (the journal's ``/fixture`` route)."""
    return match_of(RequestView(request))


def match_of(view: RequestView, ladder: Iterable[int] = ()) -> dict[str, Any]:
    """The base facts, and the facts of ``LADDER`` at the indexes in ``ladder``."""
    out: dict[str, Any] = {}
    for facet in (*BASE, *(LADDER[i] for i in sorted(ladder))):
        part = facet(view)
        if part:
            out.update(part)
    return out


def identity(request: Mapping[str, Any]) -> bytes:
    """Equal for requests no facet tells apart (they share one rule)."""
    every = range(len(LADDER))
    return orjson.dumps(match_of(RequestView(request), every), option=orjson.OPT_SORT_KEYS)


@dataclass
class _Candidate:
    view: RequestView
    ladder: set[int] = field(default_factory=set)
    test: Callable[[RequestView, dict[str, Any]], bool] | None = None

    def match(self) -> dict[str, Any]:
        return match_of(self.view, self.ladder)

    def takes(self, other: RequestView) -> bool:
        if self.test is None:
            self.test = conjunction(compile_match(Match.model_validate(self.match())))
        return self.test(other, {})


def separate(requests: Sequence[Mapping[str, Any]]) -> tuple[list[dict[str, Any]], list[int]]:
    """The match of each request, and for each request the index of the one whose rule
    answers it: itself, or the first request no fact tells apart from it (identical
    requests share one rule).

    When one rule would take another's request, the first fact of ``LADDER`` on which the
    two requests differ is added to both, until the real matcher keeps every pair apart:
    each rule says only what tells it from the others."""
    candidates = [_Candidate(RequestView(r)) for r in requests]
    first: dict[bytes, int] = {}
    owner = [first.setdefault(identity(r), i) for i, r in enumerate(requests)]
    changed = True
    while changed:
        changed = False
        for a, ca in enumerate(candidates):
            for b, cb in enumerate(candidates):
                if a == b or owner[a] != a or owner[b] != b or not ca.takes(cb.view):
                    continue
                changed = True
                step = _telling(ca, cb)
                if step is not None:
                    ca.ladder.add(step)
                    cb.ladder.add(step)
                    ca.test = cb.test = None
                    continue
                # Nothing left to tell them apart: the later one joins the earlier.
                keep, join = min(a, b), max(a, b)
                owner = [keep if o == join else o for o in owner]
    return [c.match() for c in candidates], owner


def _telling(a: _Candidate, b: _Candidate) -> int | None:
    """The first fact of ``LADDER`` not yet in both matches on which the two differ."""
    for i, facet in enumerate(LADDER):
        if not (i in a.ladder and i in b.ladder) and facet(a.view) != facet(b.view):
            return i
    return None
