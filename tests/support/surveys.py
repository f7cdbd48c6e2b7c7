"""Test helpers for surveys: an event, a survey from a spec, and answers written in bulk."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select

from bot.services.surveys.planning import SurveyPlanningService
from bot.services.surveys.templates import SurveySpec
from storage.db import Sessions
from storage.models import Event, SurveyAnswer, SurveyQuestion, SurveyResponse

PARIS_EVENT_START = datetime(2013, 10, 24, 7, 0, tzinfo=UTC)  # 9:00 in Paris (CEST)
PARIS_EVENT_END = datetime(2013, 10, 24, 15, 30, tzinfo=UTC)

# The 2013 questionnaire answered by 47 people, figures close to the report: one list per
# question in template order, one entry per respondent (option index, text, or None = skipped).
FIGURES_2013: dict[str, Sequence[int | None]] = {
    "overall": [0] * 15 + [1] * 22 + [2] * 3 + [3] * 1 + [None] * 6,  # 37/41 = 90 %
    "new_edition": [0] * 25 + [1] * 21 + [None] * 1,  # « une nécessité » 25/46 = 54 %
    "opening_plenary": [0] * 20 + [1] * 22 + [2] * 4 + [3] * 1,  # 42/47 = 89 %
    "labs": [0] * 18 + [1] * 23 + [2] * 4 + [3] * 1 + [None] * 1,  # 41/46 = 89 %
    "networking_lunch": [0] * 20 + [1] * 16 + [2] * 3 + [None] * 8,  # 36/39 = 92 %
    "closing_plenary": [0] * 25 + [1] * 15 + [2] * 2 + [None] * 5,  # 40/42 = 95 %
    "organisation": [0] * 29 + [1] * 18,  # 100 %, dont 29/47 = 62 % tout à fait
}
COMMENTS_2013 = ["Vivement la prochaine !", "Plus de temps pour les labos", "Bravo <b>!</b>"]


async def add_event(sessions: Sessions, slug: str = "rencontre-2013", **fields: object) -> int:
    values: dict[str, object] = {
        "slug": slug,
        "title": "Rencontre Innov'Deizh 2013",
        "starts_at": PARIS_EVENT_START,
        "ends_at": PARIS_EVENT_END,
        **fields,
    }
    async with sessions.begin() as session:
        event = Event(**values)
        session.add(event)
        await session.flush()
        return event.id


async def create_survey(
    sessions: Sessions, spec: SurveySpec, event_slug: str = "rencontre-2013"
) -> int:
    service = SurveyPlanningService(sessions, None, tz=ZoneInfo("Europe/Paris"))
    return (await service.create(spec, event_slug, created_by=1)).id


async def add_answers(
    sessions: Sessions,
    survey_id: int,
    columns: Mapping[str, Sequence[int | str | None]],
    *,
    first_member: int = 100_000,
    completed: bool = True,
) -> int:
    """Write respondents' answers directly (not through the conversation); returns how many."""
    now = datetime(2013, 10, 25, 8, 0, tzinfo=UTC)
    respondents = max(len(values) for values in columns.values())
    async with sessions.begin() as session:
        questions = {
            q.key: q
            for q in await session.scalars(
                select(SurveyQuestion).where(SurveyQuestion.survey_id == survey_id)
            )
        }
        ids = list(
            await session.scalars(
                insert(SurveyResponse).returning(SurveyResponse.id),
                [
                    {
                        "survey_id": survey_id,
                        "member_id": first_member + n,
                        "invited": True,
                        "next_position": len(questions) if completed else 0,
                        "started_at": now,
                        "completed_at": now if completed else None,
                    }
                    for n in range(respondents)
                ],
            )
        )
        rows = []
        for key, values in columns.items():
            question = questions[key]
            for response_id, value in zip(ids, values, strict=False):
                rows.append(_answer_row(response_id, question, value, now))
        if rows:
            await session.execute(insert(SurveyAnswer), rows)
    return respondents


def _answer_row(
    response_id: int, question: SurveyQuestion, value: int | str | None, now: datetime
) -> dict[str, object]:
    row: dict[str, object] = {
        "response_id": response_id,
        "question_id": question.id,
        "choices": "",
        "text": "",
        "skipped": value is None,
        "answered_at": now,
    }
    if isinstance(value, str):
        row["text"] = value
    elif isinstance(value, int):
        row["choices"] = str(value)
    return row
