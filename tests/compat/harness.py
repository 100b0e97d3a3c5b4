"""The check runner shared by the compat drivers (stdlib only: each driver runs in its own
venv with its own client library).

A driver registers checks with ``@checks.check``; each returns an optional detail string,
raises ``Skip`` when its client lacks the surface, or fails by raising anything else.
``checks.run(label)`` prints one line per check and returns the exit code.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable

Check = Callable[[], str | None]


class Skip(Exception):
    """This client version has no such surface."""


def need(condition: object, why: str) -> None:
    if not condition:
        raise Skip(why)


def expect(condition: object, what: object) -> None:
    if not condition:
        raise AssertionError(what)


class Checks:
    def __init__(self) -> None:
        self.registered: list[Check] = []

    def check(self, fn: Check) -> Check:
        self.registered.append(fn)
        return fn

    def run(self, label: str) -> int:
        failed = skipped = 0
        for fn in self.registered:
            name = f"{label}: {fn.__name__}"
            try:
                detail = fn()
            except Skip as skip:
                print(f"skip  {name} ({skip})")
                skipped += 1
                continue
            except Exception as exc:  # every failure is reported, then counted
                failed += 1
                where = traceback.extract_tb(exc.__traceback__)[-1]
                print(f"FAIL  {name}: {type(exc).__name__}: {str(exc)[:300]} (line {where.lineno})")
                continue
            print(f"ok    {name}" + (f" ({detail})" if detail else ""))
        ran = len(self.registered) - skipped
        tail = f", {skipped} skipped (not in this client)" if skipped else ""
        print(f"{label}: {ran - failed}/{ran} checks passed{tail}")
        return 1 if failed else 0
