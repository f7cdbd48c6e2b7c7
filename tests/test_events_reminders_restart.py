"""A restart: the new process reads the database, sends in-grace reminders once, marks the
too-late ones missed, and sleeps until the next one with a single JobQueue job."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.app import build_application
from bot.console.bot_api import FakeTelegram, InProcessBotApi
from bot.context import Deps
from bot.delivery_worker import telegram_sender
from bot.jobs import WAKE_JOB, wake
from bot.services.delivery.engine import DeliveryEngine
from storage.models import EventReminder
from tests.conftest import MEMBER_ID
from tests.support.clock import FakeClock


async def test_restart_sends_in_grace_once_and_marks_too_late_missed(
    deps: Deps, fake: FakeTelegram
) -> None:
    now = datetime.now(UTC)
    # Planned by the process before the stop (a day ago): start in 1 hour, reminders 5 h
    # before (4 h ago: too late), 90 min before (30 min ago: in grace) and 50 min before.
    event = await deps.events.create(
        title="Débrief",
        starts_at=now + timedelta(hours=1),
        reminder_offsets=(300, 90, 50),
        now=now - timedelta(days=1),
    )
    await deps.events.rsvp(event.id, MEMBER_ID, "remind")
    fake.add_user(MEMBER_ID, "Anne")

    for _restart in range(2):
        app = build_application(deps, request=InProcessBotApi(fake))
        async with app:
            assert app.job_queue is not None
            job = app.job_queue.run_once(wake, when=0, name="meetings:test-start")
            await job.run(app)
            wakes = app.job_queue.get_jobs_by_name(WAKE_JOB)
            assert len(wakes) == 1
            wake_at = wakes[0].job.trigger.run_date  # the scheduler is not started here
            assert abs(wake_at - (event.starts_at - timedelta(minutes=50))) < timedelta(seconds=1)
            engine = DeliveryEngine(deps.delivery, telegram_sender(app.bot), clock=FakeClock(now))
            await engine.drain()
            for queued in app.job_queue.jobs():
                queued.schedule_removal()

    reminders = [t for t in fake.bot_texts(MEMBER_ID) if "Rappel" in t]
    assert len(reminders) == 1
    assert "dans 90 minutes" in reminders[0]
    async with deps.sessions() as session:
        states = {r.offset_minutes: r.state for r in await session.scalars(select(EventReminder))}
    assert states == {300: "missed", 90: "fired", 50: "pending"}
