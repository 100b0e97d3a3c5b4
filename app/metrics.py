"""Prometheus metrics (``GET /metrics``): plain counters on the request path, families when
scraped.

The request path only bumps plain Python values (a dict entry per answer, a histogram bucket
per stream); ``prometheus-client`` turns them into metric families when ``/metrics`` is read
(``registry``). Its own ``Counter``/``Histogram`` take a lock and walk their label sets on
every call, which the small-request bench would notice; read at scrape time instead, the
figures cost the request path ~0.2 µs (bench/results.md).

Each ``Sandbox`` has its own ``Metrics`` and each app its own ``CollectorRegistry``: nothing
lives at module level, so several apps in one process never share a figure.

Deliberate choices:
- ``messages_sandbox_requests_total{route,status}`` counts the API surface only (what the
  journal records): ``/_sandbox/...``, ``/health`` and ``/metrics`` are not counted; ``route``
  is the route's template (``/v1/files/{file_id}``), ``unrouted`` for an unknown path, so the
  label's values are bounded;
- rule hits count live ``POST /v1/messages`` answers by the rule that chose them (a rule's
  error answers too); unlike ``GET /_sandbox/rules`` they are never reset, as Prometheus
  counters must not go down;
- the stream histograms measure from the request's arrival: to the last event written
  (duration) and to the first ``content_block_delta`` (time to first token); a stream
  written in one piece has both equal to the time it took to answer.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry
    from prometheus_client.core import Metric

    from .sandbox import Sandbox

PREFIX = "messages_sandbox"

SECONDS_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
"""Upper bounds of the stream histograms: from an unpaced stream (~1 ms) to a slow paced one."""

MESSAGES_ROUTE = "/v1/messages"
UNROUTED = "unrouted"


class Histogram:
    """Counts per bucket and the sum: what a Prometheus histogram exports, nothing more."""

    __slots__ = ("counts", "sum")

    def __init__(self) -> None:
        self.counts = [0] * (len(SECONDS_BUCKETS) + 1)
        self.sum = 0.0

    def observe(self, seconds: float) -> None:
        self.counts[bisect_left(SECONDS_BUCKETS, seconds)] += 1
        self.sum += seconds

    def cumulative(self) -> list[tuple[str, float]]:
        out: list[tuple[str, float]] = []
        total = 0
        for bound, count in zip((*SECONDS_BUCKETS, float("inf")), self.counts, strict=True):
            total += count
            out.append(("+Inf" if bound == float("inf") else repr(bound), total))
        return out


class Metrics:
    """The figures the request path keeps (one per ``Sandbox``)."""

    __slots__ = (
        "active_streams",
        "first_token_seconds",
        "messages",
        "reloads",
        "routes",
        "stream_seconds",
    )

    def __init__(self) -> None:
        self.messages: dict[tuple[int, str | None] | int, int] = {}
        """``POST /v1/messages`` answers by (status, rule that chose it or None), or by
        status alone for an answer no rule chose (the cheapest key: ``web.front``)."""
        self.routes: dict[tuple[str, int], int] = {}
        """Every other API route's answers by (route template, status)."""
        self.stream_seconds = Histogram()
        self.first_token_seconds = Histogram()
        self.active_streams = 0
        """Streams being written over time right now (paced or faulted)."""
        self.reloads = {"ok": 0, "failed": 0}

    def answered_route(self, route: str, status: int) -> None:
        key = (route, status)
        self.routes[key] = self.routes.get(key, 0) + 1

    def answered_message(self, status: int, rule: str | None) -> None:
        key = status if rule is None else (status, rule)
        self.messages[key] = self.messages.get(key, 0) + 1

    def by_status_and_rule(self) -> dict[tuple[int, str | None], int]:
        out: dict[tuple[int, str | None], int] = {}
        for key, n in self.messages.items():
            pair = (key, None) if isinstance(key, int) else key
            out[pair] = out.get(pair, 0) + n
        return out

    def streamed(self, seconds: float, first_token: float | None) -> None:
        self.stream_seconds.observe(seconds)
        if first_token is not None:
            self.first_token_seconds.observe(first_token)

    def reloaded(self, ok: bool) -> None:
        self.reloads["ok" if ok else "failed"] += 1


class _Collector:
    """What ``prometheus_client`` asks for on each scrape (its ``Collector`` protocol).
    prometheus-client is imported with the first scrape: most runs are never scraped, and
    importing it cost ~35 ms of start-up (bench/results.md)."""

    def __init__(self, metrics: Metrics, gauges: Callable[[], dict[str, float]]) -> None:
        self.metrics = metrics
        self.gauges = gauges

    def collect(self) -> Iterator[Metric]:
        from prometheus_client.core import (
            CounterMetricFamily,
            GaugeMetricFamily,
            HistogramMetricFamily,
        )

        m = self.metrics
        # ``/metrics`` is scraped on the event loop: nothing adds a key while this reads.
        messages, routes = m.by_status_and_rule(), m.routes

        requests = CounterMetricFamily(
            f"{PREFIX}_requests",
            "API requests answered, by route template and status.",
            labels=("route", "status"),
        )
        by_status: dict[int, int] = {}
        for (status, _rule), n in messages.items():
            by_status[status] = by_status.get(status, 0) + n
        for status, n in sorted(by_status.items()):
            requests.add_metric((MESSAGES_ROUTE, str(status)), n)
        for (route, status), n in sorted(routes.items()):
            requests.add_metric((route, str(status)), n)
        yield requests

        hits = CounterMetricFamily(
            f"{PREFIX}_rule_hits",
            "POST /v1/messages answers chosen by each fixture rule.",
            labels=("rule",),
        )
        by_rule: dict[str, int] = {}
        for (_status, rule), n in messages.items():
            if rule is not None:
                by_rule[rule] = by_rule.get(rule, 0) + n
        for rule, n in sorted(by_rule.items()):
            hits.add_metric((rule,), n)
        yield hits

        gauges = self.gauges()
        yield CounterMetricFamily(
            f"{PREFIX}_unmatched_requests",
            "Messages requests no fixture rule matched (the default responder answered, "
            "or strict mode refused them).",
            value=gauges.pop("unmatched"),
        )
        for name, doc, histogram in (
            ("stream_duration_seconds", "Streams: arrival to last event.", m.stream_seconds),
            (
                "time_to_first_token_seconds",
                "Streams: arrival to the first content_block_delta.",
                m.first_token_seconds,
            ),
        ):
            family = HistogramMetricFamily(f"{PREFIX}_{name}", doc)
            family.add_metric((), histogram.cumulative(), histogram.sum)
            yield family
        yield GaugeMetricFamily(
            f"{PREFIX}_active_streams",
            "Streams being written over time (paced or faulted) right now.",
            value=m.active_streams,
        )
        reloads = CounterMetricFamily(
            f"{PREFIX}_fixture_reloads",
            "Hot reloads of the fixtures directory, by outcome (failed: the last good set "
            "keeps serving).",
            labels=("outcome",),
        )
        for outcome, n in m.reloads.items():
            reloads.add_metric((outcome,), n)
        yield reloads
        yield GaugeMetricFamily(
            f"{PREFIX}_journal_entries",
            "Exchanges the request journal holds.",
            value=gauges["journal_entries"],
        )
        yield GaugeMetricFamily(
            f"{PREFIX}_inspector_subscribers",
            "Live inspector pages (GET /_sandbox/events) connected.",
            value=gauges["subscribers"],
        )


def registry(sandbox: Sandbox) -> CollectorRegistry:
    """A registry of ``sandbox``'s figures, read afresh on each scrape."""

    def gauges() -> dict[str, float]:
        return {
            "unmatched": sandbox.playback.unmatched,
            "journal_entries": len(sandbox.journal),
            "subscribers": len(sandbox.feed),
        }

    from prometheus_client import CollectorRegistry

    out = CollectorRegistry(auto_describe=False)
    out.register(_Collector(sandbox.metrics, gauges))
    return out
