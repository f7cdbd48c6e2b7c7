"""Figures for /stats, each one aggregate query (nothing loads all the rows of a table).

Members are counted in one pass (a few thousand rows, no index needed); the outbox and the
intake journal are read through their (state, due_at) and (done_at, received_at) indexes, so
sent rows and done updates, however many, are never scanned.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Member, Proposal, Survey, SurveyResponse
from storage.repositories.surveys import gave_an_answer

OPEN, CLOSED = "open", "closed"


class MemberCounts(NamedTuple):
    total: int
    active: int  # seen since the given time
    blocked: int  # Telegram answered 403 to the last send


class SurveyRow(NamedTuple):
    id: int
    title: str
    status: str
    open_to_all: bool
    invited: int


class Backlog(NamedTuple):
    waiting: int
    oldest: datetime | None  # the oldest waiting row's time (due_at, received_at)


class StatsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def members(self, active_since: datetime) -> MemberCounts:
        query = select(
            func.count(),
            func.count().filter(Member.last_seen_at >= active_since),
            func.count().filter(Member.is_reachable.is_(False)),
        ).select_from(Member)
        total, active, blocked = (await self._session.execute(query)).one()
        return MemberCounts(int(total), int(active), int(blocked))

    async def proposals_by_status(self) -> dict[str, int]:
        query = select(Proposal.status, func.count()).group_by(Proposal.status)
        return {str(status): int(n) for status, n in await self._session.execute(query)}

    async def surveys_by_status(self) -> dict[str, int]:
        query = select(Survey.status, func.count()).group_by(Survey.status)
        return {str(status): int(n) for status, n in await self._session.execute(query)}

    async def latest_surveys(self, limit: int) -> list[SurveyRow]:
        """Open surveys first (newest first), then the most recently closed ones."""
        query = (
            select(
                Survey.id, Survey.title, Survey.status, Survey.open_to_all, Survey.invited_count
            )
            .where(Survey.status.in_([OPEN, CLOSED]))
            .order_by(
                (Survey.status == OPEN).desc(),
                func.coalesce(Survey.closed_at, Survey.created_at).desc(),
                Survey.id.desc(),
            )
            .limit(limit)
        )
        return [
            SurveyRow(int(i), str(title), str(status), bool(everyone), int(invited or 0))
            for i, title, status, everyone, invited in await self._session.execute(query)
        ]

    async def respondents(self, survey_ids: list[int]) -> dict[int, int]:
        """Per survey, the members who gave an answer (the surveys' own rule)."""
        if not survey_ids:
            return {}
        query = (
            select(SurveyResponse.survey_id, func.count())
            .where(SurveyResponse.survey_id.in_(survey_ids), gave_an_answer())
            .group_by(SurveyResponse.survey_id)
        )
        return {int(i): int(n) for i, n in await self._session.execute(query)}
