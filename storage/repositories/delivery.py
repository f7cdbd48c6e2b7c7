"""Outbox rows: plan (insert, ignoring duplicates), claim, record the outcome, count."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Announcement, LeaderLease, Member, OutboxMessage
from storage.models.base import UtcDateTime
from storage.repositories.leadership import LEASE_NAME

PENDING = "pending"
CLAIMED_COLUMNS = (
    OutboxMessage.id,
    OutboxMessage.purpose,
    OutboxMessage.chat_id,
    OutboxMessage.payload,
    OutboxMessage.attempts,
    OutboxMessage.in_doubt,
)


class ClaimedRow(NamedTuple):
    id: int
    purpose: str
    chat_id: int
    payload: str
    attempts: int
    in_doubt: bool


SENDING = "sending"
# SQLite allows 32766 bound parameters per statement; 6 columns per row.
_INSERT_CHUNK = 2000


def lease_is_live(epoch: int) -> ColumnElement[bool]:
    """The lease of ``epoch`` is the current one and has not expired (the database's clock)."""
    return exists().where(
        LeaderLease.name == LEASE_NAME,
        LeaderLease.epoch == epoch,
        LeaderLease.expires_at > func.statement_timestamp(type_=UtcDateTime()),
    )


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @property
    def _dialect(self) -> str:
        return self._session.get_bind().dialect.name

    async def add_ignoring_duplicates(self, rows: Sequence[dict[str, object]]) -> int:
        """Insert rows; a (purpose, chat_id) already planned is left as it is. Returns new rows."""
        added = 0
        insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        for start in range(0, len(rows), _INSERT_CHUNK):
            chunk = rows[start : start + _INSERT_CHUNK]
            statement = (
                insert(OutboxMessage)
                .values(list(chunk))
                .on_conflict_do_nothing(index_elements=["purpose", "chat_id"])
                .returning(OutboxMessage.id)
            )
            added += len((await self._session.execute(statement)).all())
        return added

    async def due(
        self, now: datetime, limit: int, exclude: Sequence[int] = ()
    ) -> list[tuple[int, int]]:
        """(id, chat_id) of pending rows due by ``now``, oldest first."""
        query = (
            select(OutboxMessage.id, OutboxMessage.chat_id)
            .where(OutboxMessage.state == PENDING, OutboxMessage.due_at <= now)
            .order_by(OutboxMessage.due_at, OutboxMessage.id)
            .limit(limit)
        )
        if exclude:
            query = query.where(OutboxMessage.id.not_in(list(exclude)))
        return [(row.id, row.chat_id) for row in await self._session.execute(query)]

    async def next_due_at(self) -> datetime | None:
        return await self._session.scalar(
            select(func.min(OutboxMessage.due_at)).where(OutboxMessage.state == PENDING)
        )

    async def claim(
        self, row_ids: Sequence[int], worker: str, now: datetime, epoch: int = 0
    ) -> list[ClaimedRow]:
        """Mark these rows, if still pending, as being sent by ``worker``; return those taken.

        One conditional UPDATE ... RETURNING: on PostgreSQL the rows are first locked with
        SKIP LOCKED, so several instances never wait on (or both take) the same row. With an
        ``epoch`` (ha mode) the claim names it and takes effect only while that epoch's lease
        is live by the database's clock: a leader that lost its lease claims nothing.
        """
        ids = list(row_ids)
        chosen: Any = ids
        if self._dialect == "postgresql":
            chosen = (
                select(OutboxMessage.id)
                .where(OutboxMessage.id.in_(ids))
                .with_for_update(skip_locked=True)
            )
        statement = (
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(chosen), OutboxMessage.state == PENDING)
            .values(
                state=SENDING,
                claimed_by=worker,
                claimed_at=now,
                claim_epoch=epoch,
                attempts=OutboxMessage.attempts + 1,
            )
            .returning(*CLAIMED_COLUMNS)
            .execution_options(synchronize_session=False)
        )
        if epoch:
            statement = statement.where(lease_is_live(epoch))
        return [ClaimedRow(*row) for row in await self._session.execute(statement)]

    async def release(self, row_id: int) -> None:
        """A row claimed but not sent goes back to pending (its claim does not count)."""
        await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, OutboxMessage.state == SENDING)
            .values(state=PENDING, claimed_by="", attempts=OutboxMessage.attempts - 1)
        )

    async def set_state(self, row_id: int, state: str, **values: object) -> None:
        await self._session.execute(
            update(OutboxMessage).where(OutboxMessage.id == row_id).values(state=state, **values)
        )

    async def expire(self, now: datetime) -> int:
        """Pending rows past their expiry become "missed"; returns how many."""
        result = await self._session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.state == PENDING,
                OutboxMessage.expires_at.is_not(None),
                OutboxMessage.expires_at < now,
            )
            .values(state="missed")
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def in_flight(
        self, worker: str | None = None, *, before_epoch: int = 0
    ) -> list[OutboxMessage]:
        """Rows claimed and not yet recorded (by ``worker``, or by anyone; with
        ``before_epoch``, only those claimed under an older epoch)."""
        query = select(OutboxMessage).where(OutboxMessage.state == SENDING)
        if worker is not None:
            query = query.where(OutboxMessage.claimed_by == worker)
        if before_epoch:
            query = query.where(OutboxMessage.claim_epoch < before_epoch)
        return list(await self._session.scalars(query))

    async def cancel_pending(self, purpose_prefix: str) -> int:
        result = await self._session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.state == PENDING, OutboxMessage.purpose.startswith(purpose_prefix)
            )
            .values(state="cancelled")
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def counts(self, purpose: str) -> dict[str, int]:
        """Number of rows per state for one purpose (plus "in_doubt")."""
        rows = await self._session.execute(
            select(OutboxMessage.state, func.count())
            .where(OutboxMessage.purpose == purpose)
            .group_by(OutboxMessage.state)
        )
        counts = {str(row[0]): int(row[1]) for row in rows}
        counts["in_doubt"] = int(
            await self._session.scalar(
                select(func.count()).where(
                    OutboxMessage.purpose == purpose, OutboxMessage.in_doubt.is_(True)
                )
            )
            or 0
        )
        return counts

    async def get(self, row_id: int) -> OutboxMessage | None:
        return await self._session.get(OutboxMessage, row_id)


class AnnouncementRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def audience(self) -> list[int]:
        """Members who accept announcements and have not blocked the bot."""
        query = select(Member.telegram_id).where(
            Member.is_reachable.is_(True), Member.opt_in_announcements.is_(True)
        )
        return list(await self._session.scalars(query.order_by(Member.telegram_id)))

    async def unfinished(self) -> list[Announcement]:
        """Announcements not yet marked finished, oldest first."""
        query = select(Announcement).where(Announcement.finished.is_(False))
        return list(await self._session.scalars(query.order_by(Announcement.id)))

    async def refusing(self) -> int:
        """Reachable members who turned « Annonces du réseau » off in /abonnements."""
        query = select(func.count()).where(
            Member.is_reachable.is_(True), Member.opt_in_announcements.is_(False)
        )
        return int(await self._session.scalar(query) or 0)
