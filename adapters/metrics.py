"""Prometheus metrics: one registry per app, so two servers in one test process never collide.

Outbound calls (GitHub, Slack, Teams) are counted by an `Outbound` per
service, handed to that service's client at its one hook, so the label
values stay a small fixed set: the service, an endpoint family (never a
raw URL with ids in it) and one of `OUTCOMES`.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.metrics_core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector

from storage.stats import Backlog

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
ACK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 15.0)
Service = Literal["github", "slack", "teams"]
Outcome = Literal["ok", "client_error", "server_error", "rate_limited", "network_error"]


def outcome_of(status: int) -> Outcome:
    """An HTTP answer's outcome; a 403 that is a rate limit must be said by the caller."""
    if status == 429:
        return "rate_limited"
    if status >= 500:
        return "server_error"
    return "client_error" if status >= 400 else "ok"


@dataclass(frozen=True)
class Outbound:
    """One service's outbound requests and rate-limit waits."""

    requests: Counter
    waits: Counter
    service: Service

    def count(self, endpoint: str, outcome: Outcome) -> None:
        self.requests.labels(self.service, endpoint, outcome).inc()

    def waited(self, seconds: float) -> None:
        """Time spent waiting because the service said so (Retry-After, a rate-limit reset)."""
        self.waits.labels(self.service).inc(max(seconds, 0.0))

    @classmethod
    def detached(cls, service: Service) -> Outbound:
        """Counted in a registry nobody scrapes: for clients built outside the server."""
        return Metrics(_no_backlog).outbound(service)


class OutageCounts(Protocol):
    """What the log filter counted (adapters.logs.OUTAGES), by kind of outage."""

    @property
    def counts(self) -> Mapping[str, int]: ...


class Metrics:
    """Request metrics counted as they happen; backlog gauges read from the database per scrape."""

    def __init__(
        self, backlog: Callable[[], Awaitable[Backlog]], outages: OutageCounts | None = None
    ) -> None:
        self._backlog = backlog
        self.registry = CollectorRegistry()
        if outages is not None:
            self.registry.register(_OutageCounts(outages))
        self.outbox_depth = Gauge(
            "dslp_outbox_depth", "Notifications waiting to be delivered", registry=self.registry
        )
        self.outbox_age = Gauge(
            "dslp_outbox_oldest_age_seconds",
            "Age of the oldest notification waiting to be delivered",
            registry=self.registry,
        )
        self.inbox_waiting = Gauge(
            "dslp_inbox_waiting",
            "Tracker deliveries accepted, not yet worked",
            registry=self.registry,
        )
        self.filings_waiting = Gauge(
            "dslp_filings_waiting", "Submitted drafts not yet filed", registry=self.registry
        )
        self.digest_runs = Gauge(
            "dslp_digest_runs",
            "Digest runs recorded, by status",
            ["status"],
            registry=self.registry,
        )
        self.requests = Counter(
            "dslp_http_requests_total",
            "Inbound requests by route and status class",
            ["route", "outcome"],
            registry=self.registry,
        )
        self.ack_seconds = Histogram(
            "dslp_http_ack_seconds",
            "Time from request to response (the ack that platforms wait for)",
            ["route"],
            buckets=ACK_BUCKETS,
            registry=self.registry,
        )

        self.outbound_requests = Counter(
            "dslp_outbound_requests_total",
            "Requests to GitHub, Slack and Teams, by endpoint family and outcome",
            ["service", "endpoint", "outcome"],
            registry=self.registry,
        )
        self.rate_limit_wait = Counter(
            "dslp_rate_limit_wait_seconds_total",
            "Seconds spent waiting because a service rate-limited us",
            ["service"],
            registry=self.registry,
        )

    def outbound(self, service: Service) -> Outbound:
        return Outbound(self.outbound_requests, self.rate_limit_wait, service)

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        route = _route_name(request)
        started = time.perf_counter()
        status = 500
        try:
            response = await handler(request)
            status = response.status
            return response
        except web.HTTPException as error:
            status = error.status
            raise
        finally:
            self.ack_seconds.labels(route).observe(time.perf_counter() - started)
            self.requests.labels(route, f"{status // 100}xx").inc()

    async def expose(self, _: web.Request) -> web.Response:
        self._show(await self._backlog())
        body = generate_latest(self.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    def _show(self, backlog: Backlog) -> None:
        self.outbox_depth.set(backlog.outbox_depth)
        self.outbox_age.set(backlog.outbox_oldest_seconds)
        self.inbox_waiting.set(backlog.inbox_waiting)
        self.filings_waiting.set(backlog.filings_waiting)
        for status, count in backlog.digest_runs.items():
            self.digest_runs.labels(status).set(count)


async def _no_backlog() -> Backlog:
    raise NotImplementedError("a detached registry is never scraped")


class _OutageCounts(Collector):
    """`dslp_outage_events_total{kind}`: what the log filter counted, read at each scrape."""

    def __init__(self, outages: OutageCounts) -> None:
        self._outages = outages

    def collect(self) -> Iterator[Metric]:
        family = CounterMetricFamily(
            "dslp_outage_events",
            "Failures of what the bot depends on (database, github, chat), by kind",
            labels=["kind"],
        )
        for kind, count in sorted(self._outages.counts.items()):
            family.add_metric([kind], count)
        yield family


def _route_name(request: web.Request) -> str:
    """The route's path pattern, never the raw path: unknown paths must not grow the label set."""
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else "unmatched"
