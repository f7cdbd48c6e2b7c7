"""Answering a survey in a private chat, one question at a time; every answer stored at once.

The database is the conversation's memory: a response's ``next_position`` is the question to ask
next, and each poll sent is kept with its poll id, so a vote cast after a restart is still
attributed. Decisions: a vote on the question being asked moves on to the next one; a changed
vote on an earlier poll only updates that answer; a retracted vote deletes the answer and asks
nothing (the member may vote again on the same poll). « passer » skips the current question. A
survey is answered once: a finished response is never reopened. Votes on a closed survey are
ignored, so closed results do not move.
"""

from __future__ import annotations

from datetime import datetime

from bot.services.surveys.steps import (
    Outcome,
    Question,
    Step,
    current_question,
    is_open,
    is_skip,
    next_step,
    refusal_of,
    step_of,
)
from storage.db import Sessions
from storage.models import SurveyPoll, SurveyResponse, utcnow
from storage.repositories.surveys import SurveyRepository

__all__ = ["Outcome", "Question", "Step", "SurveyService", "is_open", "is_skip"]


class SurveyService:
    """A member starts, answers, skips and resumes a survey; their answers are theirs alone."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def preview(self, survey_id: int, member_id: int, now: datetime | None = None) -> Step:
        """ASK if the member may answer now (nothing is stored), else why not."""
        now = now or utcnow()
        async with self._sessions() as session:
            repo = SurveyRepository(session)
            survey = await repo.get(survey_id)
            if survey is None:
                return Step(Outcome.UNKNOWN)
            response = await repo.response(survey_id, member_id)
            refusal = refusal_of(survey, response, now)
            return step_of(refusal or Outcome.ASK, survey)

    async def begin(self, survey_id: int, member_id: int, now: datetime | None = None) -> Step:
        """Start or resume: the next unanswered question, or why there is none."""
        now = now or utcnow()
        async with self._sessions.begin() as session:
            repo = SurveyRepository(session)
            survey = await repo.get(survey_id)
            if survey is None:
                return Step(Outcome.UNKNOWN)
            response = await repo.response(survey_id, member_id)
            refusal = refusal_of(survey, response, now)
            if refusal is not None:
                return step_of(refusal, survey)
            if response is None:
                response = await repo.add_response(
                    SurveyResponse(survey_id=survey_id, member_id=member_id, next_position=0)
                )
            first = response.started_at is None
            if first:
                response.started_at = now
            return await next_step(repo, survey, response, now, first=first)

    async def resume(self, member_id: int, now: datetime | None = None) -> Step:
        """The survey the member left halfway, if any."""
        async with self._sessions() as session:
            response = await SurveyRepository(session).open_response_of(member_id)
        if response is None:
            return Step(Outcome.NOTHING)
        return await self.begin(response.survey_id, member_id, now)

    async def open_to(self, member_id: int, now: datetime | None = None) -> list[tuple[int, str]]:
        """(id, title) of the surveys the member may answer now, newest first."""
        now = now or utcnow()
        async with self._sessions() as session:
            found = await SurveyRepository(session).answerable(member_id)
        return [(s.id, s.title) for s, response in found if refusal_of(s, response, now) is None]

    async def poll_sent(
        self, survey_id: int, member_id: int, question_id: int, poll: tuple[str, int, int]
    ) -> None:
        """Remember which question a sent poll asks (``poll`` = id, chat id, message id)."""
        poll_id, chat_id, message_id = poll
        async with self._sessions.begin() as session:
            repo = SurveyRepository(session)
            response = await repo.response(survey_id, member_id)
            if response is None:
                return
            await repo.add_poll(
                SurveyPoll(
                    poll_id=poll_id,
                    response_id=response.id,
                    question_id=question_id,
                    chat_id=chat_id,
                    message_id=message_id,
                )
            )

    async def on_vote(
        self, poll_id: str, member_id: int, option_ids: list[int], now: datetime | None = None
    ) -> tuple[Step, int] | None:
        """Store a vote; (next step, chat id) when the member moves on, else None."""
        now = now or utcnow()
        async with self._sessions.begin() as session:
            repo = SurveyRepository(session)
            poll = await repo.poll(poll_id)
            response = await repo.response_by_id(poll.response_id) if poll else None
            survey = await repo.get(response.survey_id) if response else None
            if (
                poll is None
                or response is None
                or survey is None
                or response.member_id != member_id
                or not is_open(survey, now)
            ):
                return None
            if not option_ids:
                await repo.remove_answer(response.id, poll.question_id)
                return None
            choices = ",".join(str(i) for i in sorted(set(option_ids)))
            await repo.put_answer(response.id, poll.question_id, now=now, choices=choices)
            questions = await repo.questions(survey.id)
            current = current_question(questions, response)
            # Only a vote on the question being asked moves on; earlier polls just update.
            if (
                response.completed_at is not None
                or current is None
                or current.id != poll.question_id
            ):
                return None
            response.next_position += 1
            return await next_step(repo, survey, response, now, questions=questions), poll.chat_id

    async def on_text(self, member_id: int, text: str, now: datetime | None = None) -> Step:
        """A message typed during a survey: the free-text answer, « passer », or a reminder."""
        now = now or utcnow()
        async with self._sessions.begin() as session:
            repo = SurveyRepository(session)
            response = await repo.open_response_of(member_id)
            survey = await repo.get(response.survey_id) if response else None
            if response is None or survey is None or not is_open(survey, now):
                return Step(Outcome.NOTHING)
            questions = await repo.questions(survey.id)
            current = current_question(questions, response)
            if current is None:
                return Step(Outcome.NOTHING)
            if is_skip(text):
                await repo.put_answer(response.id, current.id, now=now, skipped=True)
            elif current.kind == "text":
                await repo.put_answer(response.id, current.id, now=now, text=text.strip())
            else:
                return await next_step(
                    repo, survey, response, now, questions=questions, again=True
                )
            response.next_position += 1
            return await next_step(repo, survey, response, now, questions=questions)

    async def own_answers(
        self, member_id: int, survey_id: int | None = None
    ) -> tuple[str, list[tuple[str, str]]] | None:
        """(survey title, [(question, answer)]) of this member only, newest survey by default.

        A skipped question has the answer "".
        """
        async with self._sessions() as session:
            repo = SurveyRepository(session)
            if survey_id is None:
                response = await repo.latest_response_of(member_id)
            else:
                response = await repo.response(survey_id, member_id)
            survey = await repo.get(response.survey_id) if response else None
            if response is None or survey is None:
                return None
            questions = await repo.questions(survey.id)
            answers = {a.question_id: a for a in await repo.answers_of(response.id)}
        pairs = []
        for question in questions:
            answer = answers.get(question.id)
            if answer is None:
                continue
            options = question.option_labels
            picked = [int(i) for i in answer.choices.split(",") if i.isdigit()]
            value = answer.text or " | ".join(options[i] for i in picked if i < len(options))
            pairs.append((question.label or question.prompt, "" if answer.skipped else value))
        return survey.title, pairs
