"""``/healthz`` (liveness) and ``/readyz`` (readiness, as JSON).

``/healthz`` is 200 while the process serves HTTP. ``/readyz`` answers, in one JSON object,
this instance's role ("single", "leader" or "standby"), the lease's holder and epoch (ha mode;
null before any instance led), whether the database answers, and the intake lag (seconds the
oldest update not yet handled has waited). It is 200 when:

- the database answers, and
- single mode or leader: the intake runs and no update has waited longer than
  ``intake.stuck_after_seconds``;
- standby: nothing more. A standby is ready *as a standby* (it serves health, metrics and open
  data, and is ready to take over); the lag it reports is the leader's, not its own fault.
  ``/readyz?role=leader`` is 503 on a standby, for a proxy that must reach the leader only.

Otherwise 503, with ``"reason"`` saying why.
"""

from __future__ import annotations

from typing import Any

from tornado.web import RequestHandler

from bot.services.health.snapshot import HealthService, Snapshot
from bot.web.role import Role


class Alive(RequestHandler):
    def get(self) -> None:
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish("ok\n")


class Ready(RequestHandler):
    def initialize(self, role: Role, health: HealthService) -> None:
        self.role = role
        self.health = health

    async def get(self) -> None:
        snapshot = await self.health.snapshot()
        reason = self._not_ready(snapshot)
        body: dict[str, Any] = {
            "ready": not reason,
            "role": self.role.name,
            "instance": self.role.instance,
            "leader": snapshot.lease.holder if snapshot.lease else None,
            "epoch": snapshot.lease.epoch if snapshot.lease else None,
            "database": "ok" if snapshot.database_ok else "error",
            "intake_lag_seconds": round(snapshot.intake_lag_seconds, 3),
        }
        if reason:
            body["reason"] = reason
        self.set_status(503 if reason else 200)
        self.set_header("Cache-Control", "no-store")
        self.finish(body)

    def _not_ready(self, snapshot: Snapshot) -> str:
        if not snapshot.database_ok:
            return f"database unreachable ({snapshot.database_error})"
        role = self.role
        if not role.handles_updates:
            wanted = self.get_query_argument("role", "")
            return "standby, not the leader" if wanted == "leader" else ""
        if role.intake is None or not role.intake.alive:
            return "intake not running"
        return self.health.stuck(snapshot)
