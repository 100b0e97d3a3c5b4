"""What the server reads from the fixtures directory, as one immutable value.

A ``Snapshot`` holds the compiled rules (with their stream plans), the model catalogue and
the rate limits. ``load_snapshot`` reads every file before it returns, so a bad file raises
``FixtureError`` and nothing is half-loaded; the sandbox swaps a new snapshot in with one
assignment, and a request reads the current one once, so a reload never mixes two sets in
one answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from .catalogue import Catalogue
from .catalogue.loader import load_catalogue
from .errors import FixtureError
from .fixtures.loader import FixtureSet, load_fixture_set
from .message.stream_plan import StreamPlan
from .ratelimits import Limits, load_limits
from .settings import Settings


@dataclass(frozen=True, slots=True)
class Snapshot:
    fixtures: FixtureSet
    catalogue: Catalogue
    limits: Limits | None
    """None: no rate limits configured (nothing is counted)."""

    @property
    def default_plan(self) -> StreamPlan:
        """How answers no rule chose are streamed (``defaults.stream``)."""
        return self.fixtures.default_plan

    def summary(self) -> str:
        limits = "" if self.limits is None else "; rate limits on"
        return f"{self.fixtures.summary()}; {self.catalogue.summary()}{limits}"


def load_snapshot(settings: Settings) -> Snapshot:
    """Read the fixtures directory whole; a ``FixtureError`` names every problem of the rules,
    the catalogue and the rate limits at once, not just the first."""
    root = settings.fixtures_dir()
    problems: list[FixtureError] = []
    fixtures = catalogue = None
    limits: Limits | None = None
    try:
        fixtures = load_fixture_set(root, chunk_size=settings.stream_chunk_size)
    except FixtureError as exc:
        problems.append(exc)
    try:
        extra = fixtures.models if fixtures is not None else ()
        catalogue = load_catalogue(root, extra=extra, builtin=settings.builtin_models)
    except FixtureError as exc:
        problems.append(exc)
    try:
        limits = load_limits(settings.rate_limits, root)
    except FixtureError as exc:
        problems.append(exc)
    if problems:
        raise FixtureError.of(problems)
    assert fixtures is not None and catalogue is not None
    return Snapshot(fixtures, catalogue, limits)
