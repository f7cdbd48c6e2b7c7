"""Aggregate queries over a survey's answers: counted by the database, not row by row."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SurveyAnswer, SurveyResponse


class SurveyTallyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def choice_counts(self, survey_id: int) -> list[tuple[int, str, int]]:
        """(question_id, choices, count) of given (not skipped) poll answers."""
        query = (
            select(SurveyAnswer.question_id, SurveyAnswer.choices, func.count())
            .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
            .where(
                SurveyResponse.survey_id == survey_id,
                SurveyAnswer.skipped.is_(False),
                SurveyAnswer.choices != "",
            )
            .group_by(SurveyAnswer.question_id, SurveyAnswer.choices)
        )
        return [(q, c, n) for q, c, n in await self._session.execute(query)]

    async def skip_counts(self, survey_id: int) -> dict[int, int]:
        query = (
            select(SurveyAnswer.question_id, func.count())
            .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
            .where(SurveyResponse.survey_id == survey_id, SurveyAnswer.skipped.is_(True))
            .group_by(SurveyAnswer.question_id)
        )
        return {q: n for q, n in await self._session.execute(query)}

    async def texts(self, survey_id: int) -> list[tuple[int, str]]:
        """(question_id, text) of free-text answers, oldest first."""
        query = (
            select(SurveyAnswer.question_id, SurveyAnswer.text)
            .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
            .where(
                SurveyResponse.survey_id == survey_id,
                SurveyAnswer.skipped.is_(False),
                SurveyAnswer.text != "",
            )
            .order_by(SurveyAnswer.answered_at, SurveyAnswer.id)
        )
        return [(q, t) for q, t in await self._session.execute(query)]

    async def respondents(self, survey_id: int) -> int:
        """Members who gave at least one answer (skips alone do not count)."""
        query = (
            select(func.count(func.distinct(SurveyAnswer.response_id)))
            .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
            .where(SurveyResponse.survey_id == survey_id, SurveyAnswer.skipped.is_(False))
        )
        return int(await self._session.scalar(query) or 0)

    async def completed(self, survey_id: int) -> int:
        query = select(func.count()).where(
            SurveyResponse.survey_id == survey_id, SurveyResponse.completed_at.is_not(None)
        )
        return int(await self._session.scalar(query) or 0)
