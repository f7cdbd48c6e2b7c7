"""Rows of the surveys feature about one member, for the RGPD export and erasure.

A forgotten respondent's rows keep counting in the totals under an anonymous number: -1, -2, ...
within each survey (or quick poll). Telegram user ids are positive, so these never point back to
anyone, and the unique (survey, member) keys still hold.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    QuickPoll,
    QuickPollVote,
    Survey,
    SurveyAnswer,
    SurveyPoll,
    SurveyQuestion,
    SurveyResponse,
)


class SurveyPrivacyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def responses(self, member_id: int) -> list[tuple[SurveyResponse, str]]:
        """The member's responses, with each survey's title."""
        query = (
            select(SurveyResponse, Survey.title)
            .join(Survey, Survey.id == SurveyResponse.survey_id)
            .where(SurveyResponse.member_id == member_id)
            .order_by(SurveyResponse.id)
        )
        return [(row, title) for row, title in await self._session.execute(query)]

    async def answers(self, response_ids: list[int]) -> list[tuple[SurveyAnswer, SurveyQuestion]]:
        query = (
            select(SurveyAnswer, SurveyQuestion)
            .join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
            .where(SurveyAnswer.response_id.in_(response_ids))
            .order_by(SurveyAnswer.response_id, SurveyQuestion.position)
        )
        return [(a, q) for a, q in await self._session.execute(query)]

    async def polls(self, response_ids: list[int]) -> list[SurveyPoll]:
        query = select(SurveyPoll).where(SurveyPoll.response_id.in_(response_ids))
        return list(await self._session.scalars(query.order_by(SurveyPoll.sent_at)))

    async def quick_votes(self, member_id: int) -> list[tuple[QuickPollVote, QuickPoll]]:
        query = (
            select(QuickPollVote, QuickPoll)
            .join(QuickPoll, QuickPoll.id == QuickPollVote.quick_poll_id)
            .where(QuickPollVote.member_id == member_id)
            .order_by(QuickPoll.id)
        )
        return [(v, p) for v, p in await self._session.execute(query)]

    async def created(self, member_id: int) -> tuple[list[Survey], list[QuickPoll]]:
        """Surveys and quick polls the member created as an organiser."""
        surveys = await self._session.scalars(
            select(Survey).where(Survey.created_by == member_id).order_by(Survey.id)
        )
        polls = await self._session.scalars(
            select(QuickPoll).where(QuickPoll.created_by == member_id).order_by(QuickPoll.id)
        )
        return list(surveys), list(polls)

    async def anonymise_responses(self, member_id: int) -> None:
        """Answers stay counted; free texts, sent polls and the link to the member go."""
        rows = await self.responses(member_id)
        ids = [row.id for row, _ in rows]
        await self._session.execute(delete(SurveyPoll).where(SurveyPoll.response_id.in_(ids)))
        await self._session.execute(
            update(SurveyAnswer).where(SurveyAnswer.response_id.in_(ids)).values(text="")
        )
        for row, _ in rows:
            lowest = await self._session.scalar(
                select(func.min(SurveyResponse.member_id)).where(
                    SurveyResponse.survey_id == row.survey_id
                )
            )
            await self._session.execute(
                update(SurveyResponse)
                .where(SurveyResponse.id == row.id)
                .values(member_id=min(lowest or 0, 0) - 1)
            )

    async def anonymise_quick_votes(self, member_id: int) -> None:
        """Votes of non-anonymous quick polls stay counted, under an anonymous number."""
        for vote, _ in await self.quick_votes(member_id):
            lowest = await self._session.scalar(
                select(func.min(QuickPollVote.member_id)).where(
                    QuickPollVote.quick_poll_id == vote.quick_poll_id
                )
            )
            await self._session.execute(
                update(QuickPollVote)
                .where(
                    QuickPollVote.quick_poll_id == vote.quick_poll_id,
                    QuickPollVote.member_id == member_id,
                )
                .values(member_id=min(lowest or 0, 0) - 1)
            )

    async def forget_creator(self, member_id: int) -> None:
        """Surveys and quick polls stay, without the organiser who created them."""
        await self._session.execute(
            update(Survey).where(Survey.created_by == member_id).values(created_by=None)
        )
        await self._session.execute(
            update(QuickPoll).where(QuickPoll.created_by == member_id).values(created_by=0)
        )
