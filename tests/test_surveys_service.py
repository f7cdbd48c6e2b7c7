"""Survey services without Telegram, on SQLite and PostgreSQL: planning, answering, quick polls."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.services.delivery.outbox import DeliveryService
from bot.services.surveys.answering import Outcome, SurveyService, is_skip
from bot.services.surveys.planning import (
    SurveyClosed,
    SurveyInfo,
    SurveyPlanningService,
    default_send_time,
)
from bot.services.surveys.quick_polls import QuickPollService, QuickPollUsage, parse_command
from bot.services.surveys.results import SurveyResultsService
from bot.services.surveys.templates import SurveySpecError, parse_spec, template
from storage.db import Sessions, create_engine, create_sessions
from storage.models import OutboxMessage, Rsvp, Survey
from tests.support.surveys import add_event

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 3, 30, 10, 0, tzinfo=UTC)


class RecordingPlanner:
    """Stands for the delivery engine's DeliveryService: records what would be sent."""

    def __init__(self) -> None:
        self.plans: list[tuple[str, list[int], dict[str, Any], datetime]] = []
        self.cancelled: list[str] = []

    async def plan(
        self, purpose: str, chat_ids: Iterable[int], payload: dict[str, Any], due_at: datetime
    ) -> int:
        self.plans.append((purpose, list(chat_ids), payload, due_at))
        return len(self.plans[-1][1])

    async def cancel_pending(self, purpose_prefix: str) -> int:
        self.cancelled.append(purpose_prefix)
        return 0


@pytest.fixture
async def sessions(db_url: str) -> AsyncIterator[Sessions]:
    engine = create_engine(db_url)
    yield create_sessions(engine)
    await engine.dispose()


def test_default_time_is_nine_the_morning_after_in_paris() -> None:
    # The night of the change to summer time (29 March 2026): 9:00 CEST is 7:00 UTC.
    assert default_send_time(datetime(2026, 3, 28, 17, 30, tzinfo=UTC), PARIS) == datetime(
        2026, 3, 29, 7, 0, tzinfo=UTC
    )
    # Winter: 9:00 CET is 8:00 UTC; an event ending at 23:30 Paris (22:30 UTC) counts that day.
    assert default_send_time(datetime(2026, 1, 15, 22, 30, tzinfo=UTC), PARIS) == datetime(
        2026, 1, 16, 8, 0, tzinfo=UTC
    )


def test_survey_files_are_checked() -> None:
    assert [q.kind for q in template().questions].count("satisfaction") == 6
    with pytest.raises(SurveySpecError, match="question 1: kind"):
        parse_spec('title = "T"\n[[questions]]\nkey = "a"\nkind = "stars"\nprompt = "?"')
    with pytest.raises(SurveySpecError, match="2 to 12 options"):
        parse_spec('title = "T"\n[[questions]]\nkey = "a"\nkind = "single"\nprompt = "?"')
    with pytest.raises(SurveySpecError, match="TOML"):
        parse_spec("title = ")
    assert is_skip(" Passer. ")
    assert not is_skip("passer le sel")


async def test_schedule_answer_and_close(sessions: Sessions) -> None:
    event_id = await add_event(
        sessions,
        "rencontre-2026",
        starts_at=NOW - timedelta(days=1, hours=8),
        ends_at=NOW - timedelta(days=1),
    )
    async with sessions.begin() as session:
        session.add_all(
            [
                Rsvp(event_id=event_id, member_id=m, answer=a)
                for m, a in ((1, "yes"), (2, "yes"), (3, "no"))
            ]
        )
    planner = RecordingPlanner()
    planning = SurveyPlanningService(sessions, planner, PARIS)
    spec = parse_spec(
        'title = "Bilan"\n'
        '[[questions]]\nkey = "overall"\nkind = "satisfaction"\nprompt = "Satisfait·e ?"\n'
        '[[questions]]\nkey = "what"\nkind = "text"\nprompt = "Un mot ?"\n'
    )
    info = await planning.create(spec, "rencontre-2026", created_by=9)
    scheduled = await planning.schedule(
        info.id,
        lambda _chosen, _telegram, event: {"kind": "text", "text": event},
        now=datetime(2026, 3, 29, 12, 0, tzinfo=UTC),  # the evening of the event
    )
    assert scheduled.invited == 2
    assert scheduled.scheduled_for == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)
    assert planner.plans == [
        (
            f"survey:1:{int(scheduled.scheduled_for.timestamp())}",
            [1, 2],
            {"kind": "text", "text": "Rencontre Innov'Deizh 2013"},
            scheduled.scheduled_for,
        )
    ]

    answering = SurveyService(sessions)
    early = await answering.begin(info.id, 1, now=datetime(2026, 3, 30, 6, 0, tzinfo=UTC))
    assert early.outcome is Outcome.NOT_OPEN
    assert (await answering.begin(info.id, 3, now=NOW)).outcome is Outcome.NOT_INVITED
    step = await answering.begin(info.id, 1, now=NOW)
    assert step.outcome is Outcome.ASK
    assert step.first
    assert step.question is not None
    assert step.question.number == 1
    await answering.poll_sent(info.id, 1, step.question.id, ("poll-1", 1, 10))
    assert await answering.on_vote("poll-1", 2, [0], now=NOW) is None  # not the voter's poll
    assert await answering.on_vote("unknown", 1, [0], now=NOW) is None
    assert (await answering.on_text(1, "bof", now=NOW)).outcome is Outcome.USE_POLL
    moved = await answering.on_vote("poll-1", 1, [1], now=NOW)
    assert moved is not None
    assert moved[1] == 1
    assert moved[0].question is not None
    assert moved[0].question.kind == "text"
    assert (await answering.resume(1, now=NOW)).question == moved[0].question  # no skip
    done = await answering.on_text(1, "Très bien", now=NOW)
    assert done.outcome is Outcome.DONE
    assert (await answering.begin(info.id, 1, now=NOW)).outcome is Outcome.ALREADY_DONE
    assert (await answering.on_text(1, "encore", now=NOW)).outcome is Outcome.NOTHING

    second = await answering.begin(info.id, 2, now=NOW)
    assert second.question is not None
    await answering.poll_sent(info.id, 2, second.question.id, ("poll-2", 2, 11))
    await planning.close(info.id)
    assert planner.cancelled[-1] == "survey:1:"
    assert await answering.on_vote("poll-2", 2, [3], now=NOW) is None  # closed: ignored
    results = await SurveyResultsService(sessions).results(info.id)
    assert results is not None
    assert (results.invited, results.respondents, results.response_rate) == (2, 1, 50)
    assert results.questions[0].counts == (0, 1, 0, 0)
    assert results.questions[1].comments == ("Très bien",)
    assert await answering.own_answers(1) == (
        "Bilan",
        [("Overall", "Plutôt satisfait·e"), ("What", "Très bien")],
    )
    assert await answering.own_answers(3) is None


def test_quick_poll_commands_are_read() -> None:
    draft = parse_command("10 anonyme Le café ? | Bon | Mauvais")
    assert (draft.minutes, draft.anonymous, draft.question, draft.options) == (
        10, True, "Le café ?", ("Bon", "Mauvais"),
    )  # fmt: skip
    with pytest.raises(QuickPollUsage):
        parse_command("Le café ? | Bon | Mauvais")
    with pytest.raises(QuickPollUsage):
        parse_command("5 Une seule option ? | Oui")


async def test_quick_poll_votes_and_closing(sessions: Sessions) -> None:
    service = QuickPollService(sessions)
    draft = parse_command("5 Pause ? | Oui | Non")
    poll = await service.posted(draft, ("p1", -1, 7), 9, NOW + timedelta(minutes=5))
    assert await service.on_vote("p1", 1, [0])
    assert await service.on_vote("p1", 2, [1])
    assert await service.on_vote("p1", 2, [0])  # changed
    assert not await service.on_vote("other", 2, [0])
    live = await service.results(poll.id)
    assert live is not None
    assert (live.counts, live.voters, live.percents) == ((2, 0), 2, (100, 0))
    assert await service.due(NOW) == []
    assert [p.id for p in await service.due(NOW + timedelta(minutes=5))] == [poll.id]
    await service.closed(poll.id, [3, 1])
    final = await service.results(poll.id)
    assert final is not None
    assert (final.closed, final.counts, final.voters) == (True, (3, 1), 4)


async def test_moving_the_time_moves_unsent_invitations_only(sessions: Sessions) -> None:
    event_id = await add_event(sessions, "rencontre-2026")
    async with sessions.begin() as session:
        session.add_all([Rsvp(event_id=event_id, member_id=m, answer="yes") for m in (1, 2)])
    delivery = DeliveryService(sessions)
    planning = SurveyPlanningService(sessions, delivery, PARIS)
    info = await planning.create(template(), "rencontre-2026", created_by=9)
    first, later = NOW + timedelta(hours=1), NOW + timedelta(days=1)
    await planning.schedule(info.id, lambda *_: {"kind": "text", "text": "?"}, first, now=NOW)
    [claimed] = await delivery.claim([(await delivery.due(first, 10))[0][0]], "test", first)
    assert claimed.chat_id == 1
    await delivery.record_sent(claimed.id, 77, first)
    await planning.schedule(info.id, lambda *_: {"kind": "text", "text": "?"}, later, now=NOW)
    async with sessions() as session:
        rows = await session.execute(
            select(OutboxMessage.purpose, OutboxMessage.chat_id, OutboxMessage.state).order_by(
                OutboxMessage.id
            )
        )
        outbox = [tuple(row) for row in rows]
    assert outbox == [
        (f"survey:1:{int(first.timestamp())}", 1, "sent"),
        (f"survey:1:{int(first.timestamp())}", 2, "cancelled"),
        (f"survey:1:{int(later.timestamp())}", 2, "pending"),
    ]


async def test_close_racing_schedule_leaves_no_invitation(db_url: str) -> None:
    """Two processes: one organiser schedules while another closes, 10 times; whichever wins,
    a closed survey has no invitation left to send, and closing twice keeps the first time."""
    engines = [create_engine(db_url), create_engine(db_url)]
    try:
        first, second = (create_sessions(engine) for engine in engines)
        event_id = await add_event(first, "rencontre-2026")
        async with first.begin() as session:
            session.add_all([Rsvp(event_id=event_id, member_id=m, answer="yes") for m in (1, 2)])
        scheduling = SurveyPlanningService(first, DeliveryService(first), PARIS)
        closing = SurveyPlanningService(second, DeliveryService(second), PARIS)
        when = datetime.now(UTC) + timedelta(days=1)
        for _trial in range(10):
            info = await scheduling.create(template(), "rencontre-2026", created_by=9)
            results = await asyncio.gather(
                scheduling.schedule(info.id, lambda *_: {"kind": "text", "text": "?"}, when),
                closing.close(info.id),
                return_exceptions=True,
            )
            assert not [r for r in results if not isinstance(r, SurveyInfo | SurveyClosed)]
            async with first() as session:
                pending = await session.scalars(
                    select(OutboxMessage.chat_id).where(
                        OutboxMessage.purpose.like(f"survey:{info.id}:%"),
                        OutboxMessage.state == "pending",
                    )
                )
                assert list(pending) == []
                survey = await session.get(Survey, info.id)
                assert survey is not None
                closed_at = survey.closed_at
            assert survey.status == "closed"
            again = await closing.close(info.id, public=True)
            async with first() as session:
                survey = await session.get(Survey, info.id)
                assert survey is not None
            assert again.status == "closed"
            assert (survey.closed_at, survey.public_results) == (closed_at, True)
    finally:
        for engine in engines:
            await engine.dispose()
