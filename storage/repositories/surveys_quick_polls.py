"""Quick poll rows and the votes of non-anonymous quick polls."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import QuickPoll, QuickPollVote


class QuickPollRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, poll: QuickPoll) -> QuickPoll:
        self._session.add(poll)
        await self._session.flush()
        return poll

    async def get(self, quick_poll_id: int) -> QuickPoll | None:
        return await self._session.get(QuickPoll, quick_poll_id)

    async def by_poll_id(self, poll_id: str) -> QuickPoll | None:
        return await self._session.scalar(select(QuickPoll).where(QuickPoll.poll_id == poll_id))

    async def due(self, now: datetime) -> list[QuickPoll]:
        query = select(QuickPoll).where(QuickPoll.closed_at.is_(None), QuickPoll.closes_at <= now)
        return list(await self._session.scalars(query))

    async def latest_in(self, chat_id: int, limit: int, *, open_only: bool) -> list[QuickPoll]:
        """The chat's newest quick polls (the open ones only if ``open_only``)."""
        query = select(QuickPoll).where(QuickPoll.chat_id == chat_id)
        if open_only:
            query = query.where(QuickPoll.closed_at.is_(None))
        return list(await self._session.scalars(query.order_by(QuickPoll.id.desc()).limit(limit)))

    async def next_closing(self) -> datetime | None:
        query = select(func.min(QuickPoll.closes_at)).where(QuickPoll.closed_at.is_(None))
        return await self._session.scalar(query)

    async def put_vote(self, quick_poll_id: int, member_id: int, choices: str) -> None:
        vote = await self._session.get(QuickPollVote, (quick_poll_id, member_id))
        if vote is None:
            self._session.add(
                QuickPollVote(quick_poll_id=quick_poll_id, member_id=member_id, choices=choices)
            )
        else:
            vote.choices = choices
        await self._session.flush()

    async def remove_vote(self, quick_poll_id: int, member_id: int) -> None:
        await self._session.execute(
            delete(QuickPollVote).where(
                QuickPollVote.quick_poll_id == quick_poll_id, QuickPollVote.member_id == member_id
            )
        )

    async def vote_counts(self, quick_poll_id: int) -> list[tuple[str, int]]:
        query = (
            select(QuickPollVote.choices, func.count())
            .where(QuickPollVote.quick_poll_id == quick_poll_id)
            .group_by(QuickPollVote.choices)
        )
        return [(choices, n) for choices, n in await self._session.execute(query)]
