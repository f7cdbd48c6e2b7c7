"""A database that looks lived in, for migrate-db and backup tests: members, proposals with
their moderation trail, gatherings with RSVPs and reminders, surveys with answers, the outbox and
the intake journal, written through the models (a few thousand rows), with holes in the ids
(deleted rows) so that a sequence reset to the row count instead of max(id) would collide."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Sessions
from storage.models import (
    Event,
    EventReminder,
    EventSubscription,
    InboundUpdate,
    LeaderLease,
    Member,
    OutboxMessage,
    Proposal,
    ProposalEvent,
    Rsvp,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)

MEMBERS = 300
EVENTS = 20
SURVEYS = 5
QUESTIONS = 3
BASE_ID = 50_000
WHEN = datetime(2027, 3, 14, 9, 26, 53, 589_793, tzinfo=UTC)  # microseconds must survive


async def generate(sessions: Sessions) -> None:
    """Write the rows (on a migrated, possibly seeded database)."""
    async with sessions.begin() as session:
        members = [
            Member(
                telegram_id=BASE_ID + n,
                first_name=f"Maëlle 🌊 {n}",
                language=("fr", "en", "br")[n % 3],
                opt_in_announcements=n % 4 != 0,
                created_at=WHEN - timedelta(days=n),
                last_seen_at=WHEN - timedelta(minutes=n),
            )
            for n in range(MEMBERS)
        ]
        session.add_all(members)
        events = [
            Event(
                slug=f"rencontre-{n}",
                title=f"Rencontre « {n} » à Lannion",
                starts_at=WHEN + timedelta(days=n),
                capacity=50 if n % 2 else None,
                reminder_offsets="1440,120",
            )
            for n in range(EVENTS)
        ]
        session.add_all(events)
        await session.flush()
        for event in events:
            for offset in (1440, 120):
                session.add(
                    EventReminder(
                        event_id=event.id,
                        offset_minutes=offset,
                        due_at=event.starts_at - timedelta(minutes=offset),
                    )
                )
        for n, member in enumerate(members):
            event = events[n % EVENTS]
            answer = ("yes", "maybe", "no")[n % 3]
            session.add(Rsvp(event_id=event.id, member_id=member.telegram_id, answer=answer))
            if n % 3 == 0:
                session.add(EventSubscription(member_id=member.telegram_id, theme=""))
            session.add(
                OutboxMessage(
                    purpose=f"reminder:{event.id}:1440",
                    chat_id=member.telegram_id,
                    payload='{"text": "Demain : rencontre"}',
                    due_at=WHEN + timedelta(seconds=n),
                    state=("pending", "sent", "failed")[n % 3],
                )
            )
            session.add(
                InboundUpdate(
                    update_id=900_000 + n,
                    chat_id=member.telegram_id,
                    member_id=member.telegram_id,
                    payload=None if n % 2 else '{"update_id": 1}',
                    received_at=WHEN,
                    done_at=WHEN if n % 2 else None,
                )
            )
        await _proposals(session, members)
        await _surveys(session, events, members)
        now = datetime.now(UTC)
        session.add(
            LeaderLease(name="bot", holder="old", epoch=3, expires_at=now - timedelta(hours=1))
        )
    async with sessions.begin() as session:
        # Holes: the largest ids stay, so max(id) > count(*).
        await session.execute(delete(Event).where(Event.slug.in_(["rencontre-2", "rencontre-5"])))
        await session.execute(delete(Proposal).where(Proposal.id % 7 == 0))


async def _proposals(session: AsyncSession, members: list[Member]) -> None:
    proposals = [
        Proposal(
            member_id=member.telegram_id,
            status=("draft", "pending", "approved", "rejected")[n % 4],
            name=f"Épicerie solidaire n° {n}",
            description="Une épicerie où chacun paie selon ses moyens.\nDeuxième ligne.",
            latitude=48.73 + n / 1000,
            longitude=-3.46,
            decided_at=WHEN if n % 4 >= 2 else None,
        )
        for n, member in enumerate(members[:150])
    ]
    session.add_all(proposals)
    await session.flush()
    for proposal in proposals:
        session.add(ProposalEvent(submission_id=proposal.id, action="submitted", at=WHEN))
        session.add(ProposalEvent(submission_id=proposal.id, action="note", detail="ok"))


async def _surveys(session: AsyncSession, events: list[Event], members: list[Member]) -> None:
    for s in range(SURVEYS):
        survey = Survey(event_id=events[s].id, title=f"Votre avis n° {s}", status="open")
        session.add(survey)
        await session.flush()
        questions = [
            SurveyQuestion(
                survey_id=survey.id, position=q, key=f"q{q}", kind="choice", prompt=f"Q{q} ?"
            )
            for q in range(QUESTIONS)
        ]
        session.add_all(questions)
        responses = [
            SurveyResponse(survey_id=survey.id, member_id=m.telegram_id, completed_at=WHEN)
            for m in members[s * 60 : (s + 1) * 60]
        ]
        session.add_all(responses)
        await session.flush()
        for response in responses:
            for question in questions:
                session.add(
                    SurveyAnswer(
                        response_id=response.id,
                        question_id=question.id,
                        choices=str(response.id % 4),
                        text="Très bien, merci !" if question.position == 2 else "",
                    )
                )
