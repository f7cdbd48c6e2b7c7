"""A survey poll whose id the bot never learnt (it stopped right after sendPoll): the member's
vote still answers the question being asked, and nobody else's vote does."""

from __future__ import annotations

from sqlalchemy import select, update

from bot.services.surveys.answering import Outcome, SurveyService
from bot.services.surveys.templates import parse_spec
from storage.db import Sessions
from storage.models import Survey, SurveyAnswer, SurveyPoll
from tests.support.surveys import add_event, create_survey

MEMBER, OTHER = 7001, 7002
SPEC = """
title = "Bilan"
intro = ""

[[questions]]
key = "again"
kind = "single"
prompt = "Reviendrais-tu ?"
options = ["Oui", "Peut-être", "Non"]

[[questions]]
key = "why"
kind = "text"
prompt = "Pourquoi ?"
"""


async def _asked(sessions: Sessions) -> tuple[SurveyService, int, int]:
    await add_event(sessions)
    survey_id = await create_survey(sessions, parse_spec(SPEC))
    async with sessions.begin() as session:
        await session.execute(
            update(Survey).where(Survey.id == survey_id).values(status="open", open_to_all=True)
        )
    service = SurveyService(sessions)
    step = await service.begin(survey_id, MEMBER)
    assert step.outcome is Outcome.ASK
    assert step.question is not None
    await service.poll_asking(survey_id, MEMBER, step.question.id, MEMBER)
    return service, survey_id, step.question.id


async def test_a_vote_on_the_unrecorded_poll_answers_the_pending_question(
    sessions: Sessions,
) -> None:
    service, _, question_id = await _asked(sessions)
    assert await service.on_vote("5550001", MEMBER, [1]) is None  # unknown id
    assert await service.on_unknown_vote("5550001", OTHER, [1]) is None  # not theirs
    assert await service.on_unknown_vote("5550001", MEMBER, [7]) is None  # not its options
    moved = await service.on_unknown_vote("5550001", MEMBER, [1])
    assert moved is not None
    step, chat_id = moved
    assert chat_id == MEMBER
    assert step.question is not None
    assert step.question.kind == "text"
    # The poll is now known by its id: a changed vote updates the same answer.
    assert await service.on_vote("5550001", MEMBER, [2]) is None
    async with sessions() as session:
        answers = list(await session.scalars(select(SurveyAnswer)))
        polls = list(await session.scalars(select(SurveyPoll)))
    assert [(a.question_id, a.choices) for a in answers] == [(question_id, "2")]
    assert [p.poll_id for p in polls] == ["5550001"]


async def test_poll_sent_replaces_the_pending_record(sessions: Sessions) -> None:
    service, survey_id, question_id = await _asked(sessions)
    await service.poll_sent(survey_id, MEMBER, question_id, ("5550002", MEMBER, 42))
    async with sessions() as session:
        polls = [(p.poll_id, p.message_id) for p in await session.scalars(select(SurveyPoll))]
    assert polls == [("5550002", 42)]
    # Nothing is pending any more: a vote on some other unknown poll is not taken for it.
    assert await service.on_unknown_vote("5550003", MEMBER, [0]) is None
    assert await service.on_vote("5550002", MEMBER, [0]) is not None
