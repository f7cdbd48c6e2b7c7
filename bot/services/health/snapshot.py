"""One look at the database for /readyz and /metrics: does it answer, how deep is the outbox,
how long has the oldest update waited, who holds the lease.

Read at request time, in one short read-only session, with a time limit: a database that does
not answer within ``timeout`` is reported unreachable instead of holding the request (and a
probe's own timeout) open.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from storage.db import Sessions
from storage.models import utcnow
from storage.repositories.health import OPEN_STATES, HealthRepository
from storage.repositories.leadership import LeadershipRepository

log = logging.getLogger(__name__)
DATABASE_TIMEOUT_SECONDS = 3.0


@dataclass(frozen=True)
class Lease:
    """Who led last (ha mode): the lease row as stored, expired or not."""

    holder: str
    epoch: int
    expires_at: datetime


@dataclass(frozen=True)
class Snapshot:
    """The database as one request saw it; ``database_error`` is "" when it answered."""

    database_error: str = ""
    outbox: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OPEN_STATES, 0))
    # How late the most overdue pending send is (0: none is overdue).
    outbox_late_seconds: float = 0.0
    intake_waiting: int = 0
    # How long the oldest update not yet handled has waited (0: none waits).
    intake_lag_seconds: float = 0.0
    lease: Lease | None = None

    @property
    def database_ok(self) -> bool:
        return not self.database_error


class HealthService:
    """Reads a :class:`Snapshot` and judges whether intake is stuck."""

    def __init__(
        self,
        sessions: Sessions,
        *,
        stuck_after: timedelta,
        timeout: float = DATABASE_TIMEOUT_SECONDS,
    ) -> None:
        self._sessions = sessions
        self.stuck_after = stuck_after
        self._timeout = timeout

    async def snapshot(self) -> Snapshot:
        """The database now; never raises (a failure is the snapshot's ``database_error``)."""
        try:
            async with asyncio.timeout(self._timeout):
                return await self._read()
        except TimeoutError:
            return Snapshot(database_error=f"no answer within {self._timeout:g} s")
        except Exception as exc:  # any driver error means the same here: unreachable
            log.debug("health: the database did not answer", exc_info=True)
            return Snapshot(database_error=type(exc).__name__)

    async def _read(self) -> Snapshot:
        async with self._sessions() as session:
            repo = HealthRepository(session)
            outbox = await repo.outbox_open()
            first_due = await repo.outbox_first_due()
            waiting, oldest = await repo.intake_waiting()
            row = await LeadershipRepository(session).current()
        now = utcnow()
        return Snapshot(
            outbox=outbox,
            outbox_late_seconds=_since(first_due, now),
            intake_waiting=waiting,
            intake_lag_seconds=_since(oldest, now),
            lease=Lease(row.holder, row.epoch, row.expires_at) if row else None,
        )

    def stuck(self, snapshot: Snapshot) -> str:
        """Why intake counts as stuck ("" when it does not): an update waited too long."""
        if snapshot.intake_lag_seconds > self.stuck_after.total_seconds():
            return f"intake stuck: an update has waited {int(snapshot.intake_lag_seconds)} s"
        return ""


def _since(moment: datetime | None, now: datetime) -> float:
    return max(0.0, (now - moment).total_seconds()) if moment is not None else 0.0
