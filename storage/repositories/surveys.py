"""Survey rows: surveys and questions, responses and answers, the polls sent for them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, case, delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Event,
    Member,
    Survey,
    SurveyAnswer,
    SurveyPoll,
    SurveyQuestion,
    SurveyResponse,
)


def gave_an_answer() -> ColumnElement[bool]:
    """A respondent: at least one answer that is not a skip.

    The one rule of who counts, for the results and the exports alike: a survey skipped from
    the first question to the last says nothing, so it is counted nowhere.
    """
    return exists().where(
        SurveyAnswer.response_id == SurveyResponse.id, SurveyAnswer.skipped.is_(False)
    )


class SurveyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # --- surveys and questions ------------------------------------------------------------

    async def add(self, survey: Survey, questions: Sequence[SurveyQuestion]) -> Survey:
        self._session.add(survey)
        await self._session.flush()
        for question in questions:
            question.survey_id = survey.id
            self._session.add(question)
        await self._session.flush()
        return survey

    async def get(self, survey_id: int) -> Survey | None:
        return await self._session.get(Survey, survey_id)

    async def close(self, survey_id: int, at: datetime, public: bool) -> bool:
        """Close in one conditional UPDATE (``… WHERE status <> 'closed'``): True for the call
        that closed it; a later one only changes whether results are public."""
        closing = await self._session.execute(
            update(Survey)
            .where(Survey.id == survey_id, Survey.status != "closed")
            .values(status="closed", closed_at=at, public_results=public)
            .execution_options(synchronize_session=False)
        )
        if int(getattr(closing, "rowcount", 0) or 0) == 1:
            return True
        await self._session.execute(
            update(Survey)
            .where(Survey.id == survey_id)
            .values(public_results=public)
            .execution_options(synchronize_session=False)
        )
        return False

    async def schedulable(self, survey_id: int) -> Survey | None:
        """Mark the survey scheduled unless it is closed, by one conditional UPDATE that comes
        first in the transaction (a concurrent close waits, or has won); None if closed or
        unknown."""
        scheduling = await self._session.execute(
            update(Survey)
            .where(Survey.id == survey_id, Survey.status != "closed")
            .values(status=case((Survey.status == "draft", "scheduled"), else_=Survey.status))
            .execution_options(synchronize_session=False)
        )
        if int(getattr(scheduling, "rowcount", 0) or 0) != 1:
            return None
        return await self.fresh(survey_id)

    async def fresh(self, survey_id: int) -> Survey | None:
        """The row as the database has it now (after a conditional update)."""
        return await self._session.get(Survey, survey_id, populate_existing=True)

    async def get_for_update(self, survey_id: int) -> Survey | None:
        return await self._session.get(Survey, survey_id, with_for_update=True)

    async def event(self, event_id: int | None) -> Event | None:
        return None if event_id is None else await self._session.get(Event, event_id)

    async def event_by_slug(self, slug: str) -> Event | None:
        return await self._session.scalar(select(Event).where(Event.slug == slug))

    async def events_newest_first(self, limit: int = 200) -> list[Event]:
        """Events not cancelled, the latest to start first (to find one by its title)."""
        query = select(Event).where(Event.cancelled_at.is_(None))
        return list(
            await self._session.scalars(query.order_by(Event.starts_at.desc()).limit(limit))
        )

    async def latest(self, limit: int = 20) -> list[Survey]:
        query = select(Survey).order_by(Survey.id.desc()).limit(limit)
        return list(await self._session.scalars(query))

    async def questions(self, survey_id: int) -> list[SurveyQuestion]:
        query = select(SurveyQuestion).where(SurveyQuestion.survey_id == survey_id)
        return list(await self._session.scalars(query.order_by(SurveyQuestion.position)))

    async def previous_edition(self, survey: Survey) -> Survey | None:
        """The newest other survey of an event that started before this survey's event."""
        event = await self.event(survey.event_id)
        if event is None:
            return None
        query = (
            select(Survey)
            .join(Event, Event.id == Survey.event_id)
            .where(Event.starts_at < event.starts_at, Survey.id != survey.id)
            .order_by(Event.starts_at.desc(), Survey.id.desc())
            .limit(1)
        )
        return await self._session.scalar(query)

    # --- responses ----------------------------------------------------------------------------

    async def response(self, survey_id: int, member_id: int) -> SurveyResponse | None:
        query = select(SurveyResponse).where(
            SurveyResponse.survey_id == survey_id, SurveyResponse.member_id == member_id
        )
        return await self._session.scalar(query)

    async def add_response(self, response: SurveyResponse) -> SurveyResponse:
        self._session.add(response)
        await self._session.flush()
        return response

    async def response_by_id(self, response_id: int) -> SurveyResponse | None:
        return await self._session.get(SurveyResponse, response_id)

    async def respondents(self, survey_id: int) -> list[SurveyResponse]:
        """The responses that count (see ``gave_an_answer``), in the order members started."""
        query = select(SurveyResponse).where(
            SurveyResponse.survey_id == survey_id, gave_an_answer()
        )
        return list(await self._session.scalars(query.order_by(SurveyResponse.id)))

    async def invited_ids(self, survey_id: int) -> set[int]:
        query = select(SurveyResponse.member_id).where(
            SurveyResponse.survey_id == survey_id, SurveyResponse.invited.is_(True)
        )
        return set(await self._session.scalars(query))

    async def answerable(
        self, member_id: int, limit: int = 8
    ) -> list[tuple[Survey, SurveyResponse | None]]:
        """Newest open or scheduled surveys, each with the member's response if any."""
        query = (
            select(Survey, SurveyResponse)
            .outerjoin(
                SurveyResponse,
                (SurveyResponse.survey_id == Survey.id) & (SurveyResponse.member_id == member_id),
            )
            .where(Survey.status.in_(("open", "scheduled")))
            .order_by(Survey.id.desc())
            .limit(limit)
        )
        return [(survey, response) for survey, response in await self._session.execute(query)]

    async def open_response_of(self, member_id: int) -> SurveyResponse | None:
        """The member's newest started, unfinished response to an open survey."""
        query = (
            select(SurveyResponse)
            .join(Survey, Survey.id == SurveyResponse.survey_id)
            .where(
                SurveyResponse.member_id == member_id,
                SurveyResponse.started_at.is_not(None),
                SurveyResponse.completed_at.is_(None),
                Survey.status.in_(("open", "scheduled")),
            )
            .order_by(SurveyResponse.started_at.desc())
            .limit(1)
        )
        return await self._session.scalar(query)

    async def names_of(self, member_ids: Sequence[int]) -> dict[int, str]:
        """Members' full names, for the exports of identified surveys only."""
        query = select(Member.telegram_id, Member.first_name, Member.last_name).where(
            Member.telegram_id.in_(list(member_ids))
        )
        rows = await self._session.execute(query)
        return {member_id: f"{first} {last}".strip() for member_id, first, last in rows}

    async def latest_response_of(self, member_id: int) -> SurveyResponse | None:
        query = (
            select(SurveyResponse)
            .where(SurveyResponse.member_id == member_id, SurveyResponse.started_at.is_not(None))
            .order_by(SurveyResponse.started_at.desc(), SurveyResponse.id.desc())
            .limit(1)
        )
        return await self._session.scalar(query)

    # --- answers ------------------------------------------------------------------------------

    async def answer(self, response_id: int, question_id: int) -> SurveyAnswer | None:
        query = select(SurveyAnswer).where(
            SurveyAnswer.response_id == response_id, SurveyAnswer.question_id == question_id
        )
        return await self._session.scalar(query)

    async def put_answer(
        self,
        response_id: int,
        question_id: int,
        *,
        now: datetime,
        choices: str = "",
        text: str = "",
        skipped: bool = False,
    ) -> SurveyAnswer:
        row = await self.answer(response_id, question_id)
        if row is None:
            row = SurveyAnswer(response_id=response_id, question_id=question_id)
            self._session.add(row)
        row.choices, row.text, row.skipped, row.answered_at = choices, text, skipped, now
        await self._session.flush()
        return row

    async def remove_answer(self, response_id: int, question_id: int) -> None:
        await self._session.execute(
            delete(SurveyAnswer).where(
                SurveyAnswer.response_id == response_id, SurveyAnswer.question_id == question_id
            )
        )

    async def answers_of(self, response_id: int) -> list[SurveyAnswer]:
        query = select(SurveyAnswer).where(SurveyAnswer.response_id == response_id)
        return list(await self._session.scalars(query))

    async def answer_rows(self, survey_id: int) -> list[tuple[int, int, str, str, bool]]:
        """(response_id, question_id, choices, text, skipped) of every answer, for exports."""
        query = (
            select(
                SurveyAnswer.response_id,
                SurveyAnswer.question_id,
                SurveyAnswer.choices,
                SurveyAnswer.text,
                SurveyAnswer.skipped,
            )
            .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
            .where(SurveyResponse.survey_id == survey_id)
        )
        return [tuple(row) for row in await self._session.execute(query)]  # type: ignore[misc]

    # --- polls --------------------------------------------------------------------------------

    async def add_poll(self, poll: SurveyPoll) -> None:
        self._session.add(poll)
        await self._session.flush()

    async def poll(self, poll_id: str) -> SurveyPoll | None:
        return await self._session.get(SurveyPoll, poll_id)
