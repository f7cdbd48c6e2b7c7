"""``/metrics``: Prometheus' text format, the counters of ``bot/metrics.py`` and the database.

Counters (updates handled, sends by outcome, 429s, leader changes) count what happened in this
process since it started. Gauges read at scrape time from the database say where things stand
for the whole deployment (all instances share it): outbox rows per open state and how late the
most overdue send is, updates waiting and the oldest one's age, the lease's epoch; plus whether
this instance leads and whether the database answered the scrape. When it does not, the
counters are still served and ``innovdeizh_database_up`` is 0.
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from tornado.web import RequestHandler

from bot.metrics import REGISTRY
from bot.services.health.snapshot import HealthService, Snapshot
from bot.web.role import Role


class Scrape(RequestHandler):
    def initialize(self, role: Role, health: HealthService) -> None:
        self.role = role
        self.health = health

    async def get(self) -> None:
        snapshot = await self.health.snapshot()
        self.set_header("Content-Type", CONTENT_TYPE_LATEST)
        self.set_header("Cache-Control", "no-store")
        self.finish(generate_latest(REGISTRY) + generate_latest(_Database(snapshot, self.role)))


class _Database:
    """A one-scrape collector over a snapshot already read (collectors cannot await)."""

    def __init__(self, snapshot: Snapshot, role: Role) -> None:
        self._snapshot = snapshot
        self._role = role

    def collect(self) -> Iterable[Metric]:
        snap = self._snapshot
        yield _gauge(
            "innovdeizh_database_up",
            "Whether the database answered this scrape",
            1.0 if snap.database_ok else 0.0,
        )
        yield _gauge(
            "innovdeizh_is_leader",
            "Whether this instance receives and handles updates (single mode: always)",
            1.0 if self._role.handles_updates else 0.0,
        )
        if not snap.database_ok:
            return
        depth = GaugeMetricFamily(
            "innovdeizh_outbox_depth", "Outbox rows per open state", labels=["state"]
        )
        for state, count in snap.outbox.items():
            depth.add_metric([state], count)
        yield depth
        yield _gauge(
            "innovdeizh_outbox_oldest_pending_age_seconds",
            "How late the most overdue pending send is (0: none is overdue)",
            snap.outbox_late_seconds,
        )
        yield _gauge(
            "innovdeizh_intake_waiting",
            "Updates journaled and not yet handled",
            snap.intake_waiting,
        )
        yield _gauge(
            "innovdeizh_intake_lag_seconds",
            "How long the oldest update not yet handled has waited (0: none waits)",
            snap.intake_lag_seconds,
        )
        yield _gauge(
            "innovdeizh_leader_epoch",
            "The lease's epoch: one more at each take-over (0: no instance has led yet)",
            snap.lease.epoch if snap.lease else 0,
        )


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)
