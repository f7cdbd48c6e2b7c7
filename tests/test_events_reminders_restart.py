"""A restart: the new process reads the database, sends in-grace reminders once, marks the
too-late ones missed, and sleeps until the next one with a single JobQueue job."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.app import build_application
from bot.console.bot_api import FakeTelegram, InProcessBotApi
from bot.context import BotApp, Deps
from bot.delivery_worker import telegram_sender
from bot.jobs import REMINDERS
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
            (at_start,) = app.job_queue.get_jobs_by_name(REMINDERS.name)  # runs at once
            await at_start.run(app)
            wakes = app.job_queue.get_jobs_by_name(REMINDERS.name)
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


async def test_a_new_event_wakes_the_reminders_at_once(app: BotApp, deps: Deps) -> None:
    assert app.job_queue is not None
    (at_start,) = app.job_queue.get_jobs_by_name(REMINDERS.name)
    await at_start.run(app)
    (asleep,) = app.job_queue.get_jobs_by_name(REMINDERS.name)
    now = datetime.now(UTC)
    assert asleep.job.trigger.run_date > now + timedelta(minutes=14)  # nothing due: a long nap
    event = await deps.events.create(
        title="Atelier", starts_at=now + timedelta(minutes=30), reminder_offsets=(25,)
    )
    (woken,) = app.job_queue.get_jobs_by_name(REMINDERS.name)  # the service said it changed
    assert woken.job.trigger.run_date <= datetime.now(UTC)
    await woken.run(app)
    (next_one,) = app.job_queue.get_jobs_by_name(REMINDERS.name)
    reminder_at = event.starts_at - timedelta(minutes=25)  # sooner than the long nap
    assert abs(next_one.job.trigger.run_date - reminder_at) < timedelta(seconds=1)


async def test_reminders_due_back_to_back_are_fired_by_the_same_run(
    app: BotApp, deps: Deps
) -> None:
    # A run that put its own job at "now" while still running was skipped by APScheduler
    # (« maximum number of running instances reached ») and never came back: what falls due
    # within a second is handled by the run itself, and the next run is put a second ahead.
    assert app.job_queue is not None
    now = datetime.now(UTC)
    events = [
        await deps.events.create(
            title=f"Atelier {i}",
            starts_at=now + timedelta(minutes=1, seconds=0.3 * i),
            reminder_offsets=(1,),
        )
        for i in (1, 2)
    ]
    for event in events:
        await deps.events.rsvp(event.id, MEMBER_ID, "remind")
    (woken,) = app.job_queue.get_jobs_by_name(REMINDERS.name)
    await woken.run(app)
    async with deps.sessions() as session:
        states = [r.state for r in await session.scalars(select(EventReminder))]
    assert states == ["fired", "fired"]
    (next_run,) = app.job_queue.get_jobs_by_name(REMINDERS.name)
    assert next_run.job.trigger.run_date >= datetime.now(UTC) + timedelta(seconds=0.9)
