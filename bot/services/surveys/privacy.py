"""What the surveys feature exports and erases for a member (registered with privacy).

Erasure keeps a survey's published figures: the member's responses and their chosen options
stay counted, under an anonymous number instead of their id (respondents, percentages and the
response rate do not move). Free-text answers are blanked (they may say who wrote them); the
answer itself stays, so nothing else shifts, but the comment is gone from the results. The polls
sent to the member's chat are deleted, and so are their links. Votes of non-anonymous quick polls
stay counted the same way. Surveys and quick polls the member created lose their creator.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SurveyQuestion
from storage.repositories.surveys_privacy import SurveyPrivacyRepository


async def export_surveys(session: AsyncSession, telegram_id: int) -> dict[str, Any]:
    """The member's responses and answers, polls sent to them, quick poll votes, creations."""
    repo = SurveyPrivacyRepository(session)
    responses = await repo.responses(telegram_id)
    ids = [row.id for row, _ in responses]
    answers = await repo.answers(ids)
    surveys, quick_polls = await repo.created(telegram_id)
    return {
        "responses": [
            {
                "survey_id": row.survey_id,
                "survey": title,
                "invited": row.invited,
                "started_at": row.started_at,
                "completed_at": row.completed_at,
                "answers": [
                    {
                        "question": q.prompt,
                        "choices": _labels(q, a.choices),
                        "text": a.text,
                        "skipped": a.skipped,
                        "at": a.answered_at,
                    }
                    for a, q in answers
                    if a.response_id == row.id
                ],
            }
            for row, title in responses
        ],
        "polls_sent": [
            {"poll_id": p.poll_id, "message_id": p.message_id, "sent_at": p.sent_at}
            for p in await repo.polls(ids)
        ],
        "quick_poll_votes": [
            {"question": poll.question, "choices": _option_labels(poll.options, vote.choices)}
            for vote, poll in await repo.quick_votes(telegram_id)
        ],
        "surveys_created": [{"id": s.id, "title": s.title} for s in surveys],
        "quick_polls_created": [{"id": p.id, "question": p.question} for p in quick_polls],
    }


async def erase_surveys(session: AsyncSession, telegram_id: int) -> None:
    """Keep the answers counted without the member; drop comments, sent polls and links."""
    repo = SurveyPrivacyRepository(session)
    await repo.anonymise_responses(telegram_id)
    await repo.anonymise_quick_votes(telegram_id)
    await repo.forget_creator(telegram_id)


def _labels(question: SurveyQuestion, choices: str) -> list[str]:
    return _option_labels(question.options, choices)


def _option_labels(options: str, choices: str) -> list[str]:
    """Chosen option labels; a score or unknown index is given as it is."""
    labels = options.split("\n") if options else []
    return [
        labels[int(c)] if c.isdigit() and int(c) < len(labels) else c
        for c in choices.split(",")
        if c
    ]
