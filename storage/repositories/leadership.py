"""The lease row of ha mode (``storage/models/leadership.py``): who leads, since when.

Every write is one conditional statement in its own transaction, so the lease holds behind a
transaction-pooling proxy (no session state, no advisory lock), and two instances racing for
it are serialised by the row's lock: PostgreSQL re-checks the ``WHERE`` of the second on the
row the first committed, so exactly one wins.

Times come from the database's clock (``statement_timestamp()``), never from the instances':
every instance compares against the same clock, so one whose clock is late cannot take a lease
still live, and one whose clock is early cannot keep one that expired. PostgreSQL only (ha
mode requires it).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import ColumnElement, Interval, func, literal, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import LeaderLease
from storage.models.base import UtcDateTime

LEASE_NAME = "bot"


class LeaseView(NamedTuple):
    """The lease as stored, with the database's time of the reading."""

    holder: str
    epoch: int
    expires_at: datetime
    now: datetime

    @property
    def live(self) -> bool:
        return self.expires_at > self.now


def _now() -> ColumnElement[datetime]:
    # The time the statement started: one value for the whole statement, taken before any wait
    # for the row's lock (so a take-over judged "expired" was expired when it was asked).
    return func.statement_timestamp(type_=UtcDateTime())


def _later(seconds: float) -> ColumnElement[datetime]:
    return _now() + literal(timedelta(seconds=seconds), Interval())


class LeadershipRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def current(self, name: str = LEASE_NAME) -> LeaderLease | None:
        """The lease row as stored (expired or not), or None before any instance led."""
        return await self._session.get(LeaderLease, name)

    async def view(self, name: str = LEASE_NAME) -> LeaseView | None:
        """The lease and the database's time now (None before any instance led)."""
        row = (
            await self._session.execute(
                select(
                    LeaderLease.holder,
                    LeaderLease.epoch,
                    LeaderLease.expires_at,
                    _now().label("now"),
                ).where(LeaderLease.name == name)
            )
        ).one_or_none()
        if row is None:
            return None
        return LeaseView(row.holder, row.epoch, row.expires_at, row.now)

    async def acquire(self, holder: str, seconds: float, name: str = LEASE_NAME) -> int | None:
        """Take the lease if nobody holds it or it expired; returns the new epoch, or None.

        One statement: insert the first row (epoch 1), or take over an expired one (epoch + 1).
        """
        now, until = _now(), _later(seconds)
        first = insert(LeaderLease).values(
            name=name, holder=holder, epoch=1, acquired_at=now, renewed_at=now, expires_at=until
        )
        statement = first.on_conflict_do_update(
            index_elements=[LeaderLease.name],
            set_={
                "holder": first.excluded.holder,
                "epoch": LeaderLease.epoch + 1,
                "acquired_at": now,
                "renewed_at": now,
                "expires_at": until,
            },
            where=LeaderLease.expires_at <= now,
        ).returning(LeaderLease.epoch)
        return (await self._session.execute(statement)).scalar_one_or_none()

    async def renew(self, holder: str, epoch: int, seconds: float, name: str = LEASE_NAME) -> bool:
        """Push the expiry ``seconds`` past now if ``holder`` still holds ``epoch``.

        False: the lease is lost (taken over, or released).
        """
        statement = (
            update(LeaderLease)
            .where(LeaderLease.name == name, LeaderLease.holder == holder)
            .where(LeaderLease.epoch == epoch)
            .values(renewed_at=_now(), expires_at=_later(seconds))
            .returning(LeaderLease.epoch)
        )
        return (await self._session.execute(statement)).scalar_one_or_none() is not None

    async def release(self, holder: str, epoch: int, name: str = LEASE_NAME) -> bool:
        """Expire the lease now if ``holder`` still holds ``epoch``: a standby takes it at once."""
        statement = (
            update(LeaderLease)
            .where(LeaderLease.name == name, LeaderLease.holder == holder)
            .where(LeaderLease.epoch == epoch)
            .values(expires_at=_now())
            .returning(LeaderLease.epoch)
        )
        return (await self._session.execute(statement)).scalar_one_or_none() is not None

    async def holds(self, holder: str, epoch: int, name: str = LEASE_NAME) -> bool:
        """Whether ``holder`` holds ``epoch`` and it has not expired (by the database's clock)."""
        statement = select(LeaderLease.epoch).where(
            LeaderLease.name == name,
            LeaderLease.holder == holder,
            LeaderLease.epoch == epoch,
            LeaderLease.expires_at > _now(),
        )
        return (await self._session.execute(statement)).scalar_one_or_none() is not None
