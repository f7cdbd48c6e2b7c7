"""Reminders from the database: restart, grace window, missed, never twice, DST, moves."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config import parse_config
from bot.services.events import build_events
from bot.services.events.service import EventService
from storage.db import create_engine, create_sessions
from storage.repositories.events import EventRepository

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
async def events(db_url: str) -> AsyncIterator[EventService]:
    engine = create_engine(db_url)
    yield build_events(create_sessions(engine), parse_config({}))
    await engine.dispose()


async def _purposes(events: EventService, event_id: int) -> dict[str, int]:
    result = {}
    for offset in (10080, 1440, 120):
        progress = await events.delivery.progress(f"reminder:{event_id}:{offset}:0")
        result[str(offset)] = progress.total
    return result


async def test_reminders_fire_once_each_and_late_ones_follow_the_grace(
    events: EventService,
) -> None:
    start = NOW + timedelta(days=10)
    event = await events.create(title="Débrief", starts_at=start, now=NOW)
    await events.rsvp(event.id, 11, "yes")
    await events.rsvp(event.id, 12, "remind")
    await events.rsvp(event.id, 13, "no")
    assert await events.reminders.next_due_at() == start - timedelta(days=7)

    # "Restart" just after the 7-day reminder: still within the grace window, sent once.
    late = start - timedelta(days=7) + timedelta(minutes=30)
    assert (await events.reminders.tick(late)).fired == 1
    assert (await events.reminders.tick(late)).fired == 0  # a second wake-up: nothing
    # Down for a day and more: the 1-day reminder is found 2 hours late -> missed.
    report = await events.reminders.tick(start - timedelta(days=1) + timedelta(hours=2))
    assert (report.fired, report.missed) == (0, 1)
    assert (await events.reminders.tick(start - timedelta(hours=2))).fired == 1
    assert await _purposes(events, event.id) == {"10080": 2, "1440": 0, "120": 2}
    assert await events.reminders.next_due_at() is None


async def test_reminders_keep_local_time_across_dst(events: EventService) -> None:
    # Sunday 28 March 2027 is the switch to summer time: 9h30 local on the 29th is 07:30 UTC,
    # and the 7-day reminder (22 March, winter) is at 9h30 local too, i.e. 08:30 UTC.
    start = datetime(2027, 3, 29, 9, 30, tzinfo=PARIS)
    event = await events.create(title="Printemps", starts_at=start, now=NOW)
    async with events._sessions.begin() as session:
        reminders = await EventRepository(session).reminders_of(event.id)
    local = {r.offset_minutes: r.due_at.astimezone(PARIS) for r in reminders}
    assert local[1440].strftime("%d %H:%M") == "28 09:30"
    assert local[10080].strftime("%d %H:%M") == "22 09:30"
    assert local[120].strftime("%d %H:%M") == "29 07:30"


async def test_moving_an_event_moves_reminders_and_tells_those_coming(
    events: EventService,
) -> None:
    start = NOW + timedelta(days=3)
    event = await events.create(title="Débrief", starts_at=start, now=NOW)
    await events.rsvp(event.id, 11, "yes")
    await events.rsvp(event.id, 12, "remind")
    await events.rsvp(event.id, 13, "maybe")
    await events.rsvp(event.id, 14, "no")
    moved = await events.reschedule(event.id, start + timedelta(days=7), now=NOW)
    assert moved.schedule_rev == 1
    assert await events.reminders.next_due_at() == start
    notice = await events.delivery.progress(f"event:{event.id}:moved:1")
    assert notice.total == 3  # coming, reminded, maybe: not the one who said no

    await events.cancel(event.id, now=NOW)
    await events.cancel(event.id, now=NOW)
    told = await events.delivery.progress(f"event:{event.id}:cancelled")
    assert told.total == 3
    assert await events.reminders.next_due_at() is None


async def test_capacity_puts_the_next_ones_on_the_waiting_list(events: EventService) -> None:
    event = await events.create(
        title="Atelier", starts_at=NOW + timedelta(days=3), capacity=1, now=NOW
    )
    assert not (await events.rsvp(event.id, 11, "yes")).full
    assert (await events.rsvp(event.id, 12, "yes")).result == "queued"
    assert (await events.rsvp(event.id, 11, "yes")).result == "already"
    card = await events.card(event.id)
    assert (card.coming, card.waiting) == (1, 1)


async def test_a_yearly_gathering_comes_back_next_year(events: EventService) -> None:
    start = datetime(2027, 11, 12, 9, 30, tzinfo=PARIS)
    event = await events.create(
        title="Rencontre annuelle", starts_at=start, repeats_yearly=True, now=NOW
    )
    await events.rsvp(event.id, 11, "yes")
    await events.rsvp(event.id, 12, "remind")
    after = start + timedelta(days=2)
    await events.reminders.tick(after)
    card = await events.card(event.id)
    assert card.starts_at == datetime(2028, 11, 12, 9, 30, tzinfo=PARIS)
    assert (card.schedule_rev, card.coming) == (1, 0)
    assert await events.reminders.next_due_at() == card.starts_at - timedelta(days=7)
    await events.reminders.tick(card.starts_at - timedelta(days=7))
    progress = await events.delivery.progress(f"reminder:{event.id}:10080:1")
    assert progress.total == 1  # the member who asked to be reminded, not last year's "yes"
