"""Aggregate queries over a survey's answers: counted by the database, not row by row.

Counts go through the index (question_id, skipped, choices), so tallying 80,000 answers reads
the index only; no join with the responses is needed since questions belong to one survey.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SurveyAnswer, SurveyResponse
from storage.repositories.surveys import gave_an_answer


class SurveyTallyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def counts(self, question_ids: Sequence[int]) -> list[tuple[int, bool, str, int]]:
        """(question_id, skipped, choices, count) for the given questions."""
        query = (
            select(
                SurveyAnswer.question_id,
                SurveyAnswer.skipped,
                SurveyAnswer.choices,
                func.count(),
            )
            .where(SurveyAnswer.question_id.in_(list(question_ids)))
            .group_by(SurveyAnswer.question_id, SurveyAnswer.skipped, SurveyAnswer.choices)
        )
        return [(q, bool(s), c, n) for q, s, c, n in await self._session.execute(query)]

    async def texts(self, question_ids: Sequence[int]) -> list[tuple[int, str]]:
        """(question_id, text) of free-text answers, oldest first."""
        if not question_ids:
            return []
        query = (
            select(SurveyAnswer.question_id, SurveyAnswer.text)
            .where(
                SurveyAnswer.question_id.in_(list(question_ids)),
                SurveyAnswer.skipped.is_(False),
                SurveyAnswer.text != "",
            )
            .order_by(SurveyAnswer.answered_at, SurveyAnswer.id)
        )
        return [(q, t) for q, t in await self._session.execute(query)]

    async def respondents(self, survey_id: int) -> int:
        """Members who gave at least one answer (skips alone do not count)."""
        query = select(func.count()).where(SurveyResponse.survey_id == survey_id, gave_an_answer())
        return int(await self._session.scalar(query) or 0)

    async def completed(self, survey_id: int) -> int:
        query = select(func.count()).where(
            SurveyResponse.survey_id == survey_id, SurveyResponse.completed_at.is_not(None)
        )
        return int(await self._session.scalar(query) or 0)
