"""Introductions between members, blocks, reports, and the log of relayed messages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Block, Introduction, Relay, Report, utcnow

PENDING = "pending"


class IntroductionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self, requester_id: int, target_id: int, note: str, expires_at: datetime
    ) -> Introduction:
        row = Introduction(
            requester_id=requester_id,
            target_id=target_id,
            note=note,
            state=PENDING,
            shared=False,
            expires_at=expires_at,
        )
        self._session.add(row)
        await self._session.flush()
        return row

    async def get(self, introduction_id: int) -> Introduction | None:
        return await self._session.get(Introduction, introduction_id)

    async def pending_count(self, requester_id: int) -> int:
        query = select(func.count()).where(
            Introduction.requester_id == requester_id, Introduction.state == PENDING
        )
        return int(await self._session.scalar(query) or 0)

    async def latest_between(self, requester_id: int, target_id: int) -> Introduction | None:
        """The newest request from ``requester_id`` to ``target_id``."""
        query = (
            select(Introduction)
            .where(Introduction.requester_id == requester_id)
            .where(Introduction.target_id == target_id)
            .order_by(Introduction.created_at.desc(), Introduction.id.desc())
            .limit(1)
        )
        return await self._session.scalar(query)

    async def between(self, a: int, b: int) -> list[Introduction]:
        """Every introduction between two members, either way, oldest first."""
        query = select(Introduction).where(_between(a, b)).order_by(Introduction.id)
        return list(await self._session.scalars(query))

    async def due(self, now: datetime, limit: int = 200) -> list[Introduction]:
        query = (
            select(Introduction)
            .where(Introduction.state == PENDING, Introduction.expires_at <= now)
            .order_by(Introduction.expires_at, Introduction.id)
            .limit(limit)
        )
        return list(await self._session.scalars(query))

    async def next_expiry(self) -> datetime | None:
        query = select(func.min(Introduction.expires_at)).where(Introduction.state == PENDING)
        value: datetime | None = await self._session.scalar(query)
        return value

    async def cancel_between(self, a: int, b: int) -> list[Introduction]:
        """Pending introductions between two members become "cancelled"; returns them."""
        rows = list(
            await self._session.scalars(
                select(Introduction).where(_between(a, b), Introduction.state == PENDING)
            )
        )
        for row in rows:
            row.state, row.answered_at = "cancelled", utcnow()
        await self._session.flush()
        return rows

    async def naming(self, member_id: int) -> list[Introduction]:
        query = select(Introduction).where(
            or_(Introduction.requester_id == member_id, Introduction.target_id == member_id)
        )
        return list(await self._session.scalars(query.order_by(Introduction.id)))

    async def delete_naming(self, member_id: int) -> list[int]:
        """Delete every introduction (and its relay log) naming the member; returns their ids."""
        ids = [row.id for row in await self.naming(member_id)]
        if ids:
            await self._session.execute(delete(Relay).where(Relay.introduction_id.in_(ids)))
            await self._session.execute(delete(Introduction).where(Introduction.id.in_(ids)))
        return ids


class BlockRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, blocker_id: int, blocked_id: int) -> None:
        if await self._session.get(Block, (blocker_id, blocked_id)) is None:
            self._session.add(Block(blocker_id=blocker_id, blocked_id=blocked_id))
            await self._session.flush()

    async def either_way(self, a: int, b: int) -> bool:
        query = select(func.count()).where(
            or_(
                and_(Block.blocker_id == a, Block.blocked_id == b),
                and_(Block.blocker_id == b, Block.blocked_id == a),
            )
        )
        return bool(await self._session.scalar(query))

    async def around(self, member_id: int) -> set[int]:
        """Everyone the member blocked or who blocked them."""
        query = select(Block.blocker_id, Block.blocked_id).where(
            or_(Block.blocker_id == member_id, Block.blocked_id == member_id)
        )
        return {
            other
            for blocker, blocked in await self._session.execute(query)
            for other in (blocker, blocked)
            if other != member_id
        }

    async def pairs_among(self, member_ids: Sequence[int]) -> set[frozenset[int]]:
        """Blocked pairs (either way) whose both members are in ``member_ids``."""
        ids = list(member_ids)
        if not ids:
            return set()
        query = select(Block.blocker_id, Block.blocked_id).where(
            Block.blocker_id.in_(ids), Block.blocked_id.in_(ids)
        )
        return {frozenset(pair) for pair in await self._session.execute(query)}

    async def made_by(self, member_id: int) -> list[Block]:
        query = select(Block).where(Block.blocker_id == member_id).order_by(Block.created_at)
        return list(await self._session.scalars(query))

    async def delete_naming(self, member_id: int) -> None:
        await self._session.execute(
            delete(Block).where(or_(Block.blocker_id == member_id, Block.blocked_id == member_id))
        )


class ReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, reporter_id: int, reported_id: int) -> Report:
        row = Report(reporter_id=reporter_id, reported_id=reported_id)
        self._session.add(row)
        await self._session.flush()
        return row

    async def made_by(self, member_id: int) -> list[Report]:
        query = select(Report).where(Report.reporter_id == member_id).order_by(Report.id)
        return list(await self._session.scalars(query))

    async def naming(self, member_id: int) -> list[int]:
        query = select(Report.id).where(
            or_(Report.reporter_id == member_id, Report.reported_id == member_id)
        )
        return list(await self._session.scalars(query))

    async def delete_naming(self, member_id: int) -> None:
        await self._session.execute(
            delete(Report).where(
                or_(Report.reporter_id == member_id, Report.reported_id == member_id)
            )
        )


class RelayRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, introduction_id: int, sender_id: int, recipient_id: int) -> Relay:
        row = Relay(
            introduction_id=introduction_id, sender_id=sender_id, recipient_id=recipient_id
        )
        self._session.add(row)
        await self._session.flush()
        return row

    async def of(self, introduction_ids: Sequence[int]) -> list[Relay]:
        if not introduction_ids:
            return []
        query = select(Relay).where(Relay.introduction_id.in_(list(introduction_ids)))
        return list(await self._session.scalars(query.order_by(Relay.id)))

    async def mark_shared(self, introduction_id: int) -> None:
        await self._session.execute(
            update(Introduction).where(Introduction.id == introduction_id).values(shared=True)
        )


def _between(a: int, b: int) -> ColumnElement[bool]:
    return or_(
        and_(Introduction.requester_id == a, Introduction.target_id == b),
        and_(Introduction.requester_id == b, Introduction.target_id == a),
    )
