"""Optional, deterministic per-API-key rate limits and the ``anthropic-ratelimit-*`` headers.

Configured with ``SANDBOX_RATE_LIMITS="requests=5,input_tokens=40000,output_tokens=8000"``
(any subset; or the same keys in ``<fixtures>/rate_limits.yaml``) over a window of
``SANDBOX_RATE_LIMIT_WINDOW`` seconds (60 by default). Each API key has its own window.

Deliberate choices (the real API uses token buckets whose exact refill is not public):
  * a sliding window log: a request, its input tokens and its output tokens count for
    exactly ``window`` seconds after the request was admitted, then free up at once, so
    ``remaining`` and ``retry-after`` are exact and tests are deterministic;
  * input tokens are the request's whole ``count_tokens`` figure, cached or not, checked
    before the request is answered; output tokens are the reply's real ``output_tokens``,
    recorded after it is built (a request is refused once they are used up), because
    counting ``max_tokens`` up front would make small test limits unusable;
  * ``-reset`` is when the window is fully replenished (the newest use + window); ``-tokens-*``
    is input + output, as in the real header set recorded in messages-api.md section 6;
  * remaining input tokens are exact, not rounded to the thousand;
  * without configured limits, fixed generous limits are advertised, nothing is counted,
    and ``remaining`` always equals ``limit`` (nothing ever runs out).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from pydantic import Field

from .errors import RateLimitError
from .fixtures.source import FixtureSource
from .fixtures.strict import Strict

RATE_LIMITS_FILE = "rate_limits.yaml"
_DOCS = "https://docs.claude.com/en/api/rate-limits"
_SALES = "https://claude.com/contact-sales"
_NAMES = ("requests", "input_tokens", "output_tokens")


@dataclass(frozen=True)
class Limits:
    requests: int = 4000
    input_tokens: int = 2_000_000
    output_tokens: int = 400_000


GENEROUS = Limits()


def parse_limits(spec: str | Mapping[str, Any], *, source: str) -> Limits:
    """``"requests=5,output_tokens=8000"`` or a mapping; unnamed limits stay generous.
    Raises ``ValueError`` saying what is wrong (``source`` first)."""
    if isinstance(spec, str):
        pairs: dict[str, Any] = {}
        for item in spec.split(","):
            name, sep, value = item.partition("=")
            if not item.strip():
                continue
            if not sep:
                raise ValueError(f"{source}: expected name=value, got {item.strip()!r}")
            pairs[name.strip()] = value.strip()
        spec = pairs
    unknown = set(spec) - set(_NAMES)
    if unknown:
        raise ValueError(f"{source}: unknown limit(s) {sorted(unknown)}; allowed: {list(_NAMES)}")
    values: dict[str, int] = {}
    for name, raw in spec.items():
        try:
            values[name] = int(str(raw).replace("_", ""))
        except ValueError:
            raise ValueError(f"{source}: {name} must be an integer, got {raw!r}") from None
        if values[name] < 1:
            raise ValueError(f"{source}: {name} must be at least 1, got {values[name]}")
    return Limits(**values)


class LimitsFile(Strict):
    """``<fixtures>/rate_limits.yaml``: any of the three limits; unnamed ones stay generous."""

    document: ClassVar[str] = "rate_limits.yaml"
    shape: ClassVar[str] = (
        "a mapping of limit name to a number (requests, input_tokens, output_tokens)"
    )
    requests: int | None = Field(default=None, ge=1)
    input_tokens: int | None = Field(default=None, ge=1)
    output_tokens: int | None = Field(default=None, ge=1)


def load_limits(spec: str, fixtures_dir: Path) -> Limits | None:
    """The configured limits (env first, then the YAML file), or None when there are none.

    A bad ``SANDBOX_RATE_LIMITS`` stops the server at start (``SystemExit``); a bad
    ``rate_limits.yaml`` is a ``FixtureError`` with its line (the fixtures' strict loader), so
    a hot reload refuses it and keeps the limits it had."""
    if spec.strip():
        try:
            return parse_limits(spec, source="SANDBOX_RATE_LIMITS")
        except ValueError as exc:
            raise SystemExit(str(exc)) from None
    path = fixtures_dir / RATE_LIMITS_FILE
    if not path.is_file():
        return None
    given = FixtureSource(path, fixtures_dir).document(LimitsFile)
    return Limits(**given.model_dump(exclude_none=True))


@dataclass(eq=False)
class _Use:
    at: float
    input_tokens: int
    output_tokens: int = 0
    expired: bool = False


@dataclass
class _Window:
    """One API key's uses within the last ``window`` seconds, with running sums."""

    uses: deque[_Use] = field(default_factory=deque)
    input_tokens: int = 0
    output_tokens: int = 0

    def prune(self, now: float, window: float) -> None:
        while self.uses and self.uses[0].at + window <= now:
            gone = self.uses.popleft()
            gone.expired = True
            self.input_tokens -= gone.input_tokens
            self.output_tokens -= gone.output_tokens


@dataclass(frozen=True)
class Admission:
    """A counted request; its output tokens are added once the reply is built."""

    use: _Use | None
    window: _Window | None
    key: tuple[str, str] | None = None
    """(API key, use id) of a use counted in Redis (``state.redis_small``)."""


_UNCOUNTED = Admission(None, None)
"""Every request's admission when no limits are configured (nothing to count)."""


class RateLimiter:
    """Counts per key. The limits themselves come with each call (they are part of the
    fixtures snapshot, so a reload changes them while the counts so far are kept)."""

    def __init__(
        self,
        *,
        window: float,
        clock: Callable[[], float],
        organization_id: str,
    ) -> None:
        self.window = window
        self.clock = clock
        self.org = organization_id
        self._windows: dict[str, _Window] = {}
        self._idle: tuple[int, list[tuple[bytes, bytes]]] = (-1, [])
        self._lock = threading.Lock()

    def admit(
        self, api_key: str, limits: Limits | None, *, input_tokens: int, model: str
    ) -> Admission:
        """Count a request, or raise the real 429 with a ``retry-after`` that is right."""
        if limits is None:
            return _UNCOUNTED
        with self._lock:
            now = self.clock()
            win = self._windows.setdefault(api_key, _Window())
            win.prune(now, self.window)
            refusal = self.over(win, limits, input_tokens, now, model)
            if refusal is not None:
                raise refusal
            use = _Use(now, input_tokens)
            win.uses.append(use)
            win.input_tokens += input_tokens
            return Admission(use, win)

    def over(
        self, win: _Window, limits: Limits, input_tokens: int, now: float, model: str
    ) -> RateLimitError | None:
        """The 429 for one more request of ``input_tokens`` in ``win`` (pruned), or None."""
        waits: list[tuple[float, str]] = []
        if len(win.uses) + 1 > limits.requests:
            waits.append((self._free_at(win, "requests", 1, limits.requests), "requests"))
        if win.input_tokens + input_tokens > limits.input_tokens:
            waits.append(
                (
                    self._free_at(win, "input_tokens", input_tokens, limits.input_tokens),
                    "input_tokens",
                )
            )
        if win.output_tokens >= limits.output_tokens:
            waits.append(
                (self._free_at(win, "output_tokens", 1, limits.output_tokens), "output_tokens")
            )
        if not waits:
            return None
        at, name = max(waits)
        return self._refusal(limits, name, max(1, math.ceil(at - now)), model)

    def record_output(self, admission: Admission, output_tokens: int) -> None:
        if admission.use is None or admission.window is None:
            return
        with self._lock:
            admission.use.output_tokens += output_tokens
            if not admission.use.expired:
                admission.window.output_tokens += output_tokens

    def _free_at(self, win: _Window, name: str, need: int, limit: int) -> float:
        """When enough of the oldest uses leave the window for ``need`` more to fit."""
        used = len(win.uses) if name == "requests" else getattr(win, name)
        for use in win.uses:
            used -= 1 if name == "requests" else getattr(use, name)
            if used + need <= limit:
                return use.at + self.window
        # Deliberate choice: a single request larger than the whole limit can never pass;
        # tell the client to wait a full window, as a retry will not help sooner.
        return self.clock() + self.window

    def _refusal(self, limits: Limits, name: str, retry_after: int, model: str) -> RateLimitError:
        limit = getattr(limits, name)
        what = "requests" if name == "requests" else name.replace("_", " ")
        per = "minute" if self.window == 60 else f"{self.window:g} seconds"
        return RateLimitError(
            f"This request would exceed your organization's rate limit of {limit:,} {what} "
            f"per {per} (org: {self.org}, model: {model}). For details, refer to: {_DOCS}. "
            "You can see the response headers for current usage. Please reduce the prompt "
            "length or the maximum tokens requested, or try again later. You may also contact "
            f"sales at {_SALES} to discuss your options for a rate limit increase.",
            headers={"retry-after": str(retry_after), "x-should-retry": "true"},
        )

    # -- headers ------------------------------------------------------------------------
    def headers(self, api_key: str, configured: Limits | None) -> list[tuple[bytes, bytes]]:
        """The ``anthropic-ratelimit-*`` family for ``api_key``'s current window."""
        limits = configured or GENEROUS
        now = self.clock()
        win = self._windows.get(api_key) if configured is not None else None
        if win is None:
            # Nothing used: full limits, replenished now. This is every response when no
            # limits are configured, so the rows are built once per second.
            second = math.ceil(now)
            if self._idle[0] != second:
                # A new list, never the old one changed in place: ``web.front`` keeps the
                # rows it has seen by their identity (its ``HeadTail``) until they change.
                self._idle = (second, _header_rows(limits, limits, (now, now, now)))
            return self._idle[1]
        with self._lock:
            win.prune(now, self.window)
            left = Limits(
                requests=max(0, limits.requests - len(win.uses)),
                input_tokens=max(0, limits.input_tokens - win.input_tokens),
                output_tokens=max(0, limits.output_tokens - win.output_tokens),
            )
            resets = (
                self._last_use(win, None, now),
                self._last_use(win, "input_tokens", now),
                self._last_use(win, "output_tokens", now),
            )
        return _header_rows(limits, left, resets)

    def _last_use(self, win: _Window, name: str | None, now: float) -> float:
        for use in reversed(win.uses):
            if name is None or getattr(use, name):
                return use.at + self.window
        return now


def _header_rows(
    limits: Limits, left: Limits, resets: tuple[float, float, float]
) -> list[tuple[bytes, bytes]]:
    requests_reset, input_reset, output_reset = (rfc3339(t) for t in resets)
    return [
        (b"anthropic-ratelimit-requests-limit", b"%d" % limits.requests),
        (b"anthropic-ratelimit-requests-remaining", b"%d" % left.requests),
        (b"anthropic-ratelimit-requests-reset", requests_reset),
        (b"anthropic-ratelimit-tokens-limit", b"%d" % (limits.input_tokens + limits.output_tokens)),
        (b"anthropic-ratelimit-tokens-remaining", b"%d" % (left.input_tokens + left.output_tokens)),
        (b"anthropic-ratelimit-tokens-reset", max(input_reset, output_reset)),
        (b"anthropic-ratelimit-input-tokens-limit", b"%d" % limits.input_tokens),
        (b"anthropic-ratelimit-input-tokens-remaining", b"%d" % left.input_tokens),
        (b"anthropic-ratelimit-input-tokens-reset", input_reset),
        (b"anthropic-ratelimit-output-tokens-limit", b"%d" % limits.output_tokens),
        (b"anthropic-ratelimit-output-tokens-remaining", b"%d" % left.output_tokens),
        (b"anthropic-ratelimit-output-tokens-reset", output_reset),
    ]


def rfc3339(timestamp: float) -> bytes:
    # Rounded up: a client that waits until the advertised second finds the window free.
    return _rfc3339_second(math.ceil(timestamp))


@lru_cache(maxsize=64)
def _rfc3339_second(second: int) -> bytes:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(second)).encode()
