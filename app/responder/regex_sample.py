"""A string matching a regular expression, for JSON Schema ``pattern`` keywords.

Walks the parse tree of Python's own regex parser (``re._parser``), so the syntax read is
exactly the syntax ``jsonschema`` later checks the result with. Repeats are kept short and
the whole string within a limit (a pattern that needs more gives None); lookarounds and
backreferences are best effort (the caller validates and retries).
"""

from __future__ import annotations

import random
import re
from typing import Any

try:  # Python 3.11+
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _c
    import sre_parse as _p

_REPEAT_CAP = 3
_STEPS = 20_000
_CATEGORIES = {
    _c.CATEGORY_DIGIT: "0123456789",
    _c.CATEGORY_NOT_DIGIT: "abcxyz",
    _c.CATEGORY_SPACE: " ",
    _c.CATEGORY_NOT_SPACE: "abcxyz",
    _c.CATEGORY_WORD: "abcdefghijklmnopqrstuvwxyz0123456789_",
    _c.CATEGORY_NOT_WORD: "-. ",
}
_CATEGORY_RE = {
    _c.CATEGORY_DIGIT: r"\d",
    _c.CATEGORY_NOT_DIGIT: r"\D",
    _c.CATEGORY_SPACE: r"\s",
    _c.CATEGORY_NOT_SPACE: r"\S",
    _c.CATEGORY_WORD: r"\w",
    _c.CATEGORY_NOT_WORD: r"\W",
}
_PRINTABLE = [chr(c) for c in range(0x21, 0x7F)]
_REPEATS = frozenset(
    op for op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)) if op
)


def sample(pattern: str, rng: random.Random, limit: int = 4096) -> str | None:
    """A string that ``re.search(pattern, s)`` accepts, or None when the pattern is unusable
    or needs more than ``limit`` characters (``^a{10000000}$``)."""
    try:
        tree = _p.parse(pattern)
    except (re.error, RecursionError, OverflowError, ValueError):
        return None
    try:
        text = _Emitter(rng, limit).emit(tree)
    except (ValueError, IndexError, RecursionError, StopIteration):
        return None
    try:
        return text if re.search(pattern, text) else None
    except (re.error, RecursionError, OverflowError):
        return None


class _Emitter:
    def __init__(self, rng: random.Random, limit: int) -> None:
        self.rng = rng
        self.left = limit
        self.steps = _STEPS
        self.groups: dict[int, str] = {}

    def emit(self, items: Any) -> str:
        return "".join(self.one(op, arg) for op, arg in items)

    def _step(self) -> None:
        self.steps -= 1
        if self.steps < 0:
            raise ValueError("the pattern takes too many steps to sample")

    def one(self, op: Any, arg: Any) -> str:
        self._step()
        text = self._one(op, arg)
        if op is not _c.SUBPATTERN and op not in _REPEATS and op is not _c.BRANCH:
            self.left -= len(text)
            if self.left < 0:
                raise ValueError("the pattern needs a longer string than the limit")
        return text

    def _one(self, op: Any, arg: Any) -> str:
        rng = self.rng
        if op is _c.LITERAL:
            return chr(arg)
        if op is _c.NOT_LITERAL:
            return next(c for c in "abcxyz0" if ord(c) != arg)
        if op is _c.ANY:
            return rng.choice("abcxyz")
        if op is _c.IN:
            return _in(arg, rng)
        if op is _c.BRANCH:
            return self.emit(rng.choice(arg[1]))
        if op is _c.SUBPATTERN:
            group, _add, _del, sub = arg
            text = self.emit(sub)
            if group is not None:
                self.groups[group] = text
            return text
        if op in _REPEATS:
            low, high, sub = arg
            if low > self.left:
                raise ValueError("the pattern needs a longer string than the limit")
            top = low + _REPEAT_CAP if high is _c.MAXREPEAT else min(high, low + _REPEAT_CAP)
            parts = []
            for _ in range(rng.randint(low, max(low, top))):
                self._step()  # an empty repeat (``(?:){60000}``) costs steps, not characters
                parts.append(self.emit(sub))
            return "".join(parts)
        if op is _c.GROUPREF:
            return self.groups.get(arg, "")
        if op is _c.CATEGORY:
            return rng.choice(_CATEGORIES.get(arg, "a"))
        # AT (anchors), ASSERT, ASSERT_NOT and the like produce no characters.
        return ""


def _in(items: list[tuple[Any, Any]], rng: random.Random) -> str:
    if items and items[0][0] is _c.NEGATE:
        return next(c for c in _PRINTABLE if not _in_class(c, items[1:]))
    allowed: list[str] = []
    for op, arg in items:
        if op is _c.LITERAL:
            allowed.append(chr(arg))
        elif op is _c.RANGE:
            low, high = arg
            if low < 0x20 <= high:
                low = 0x20  # prefer printable characters when the range has them
            allowed.extend(chr(c) for c in range(low, min(high, low + 64) + 1))
        elif op is _c.CATEGORY:
            allowed.extend(_CATEGORIES.get(arg, "a"))
    return rng.choice(allowed) if allowed else "a"


def _in_class(char: str, items: list[tuple[Any, Any]]) -> bool:
    code = ord(char)
    for op, arg in items:
        if op is _c.LITERAL and arg == code:
            return True
        if op is _c.RANGE and arg[0] <= code <= arg[1]:
            return True
        if op is _c.CATEGORY and re.fullmatch(_CATEGORY_RE.get(arg, "a"), char):
            return True
    return False
