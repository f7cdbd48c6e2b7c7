"""Gatherings that come back every year: once an edition is over, the next one is scheduled.

Decisions: the same event row moves to the same local time one year later (so the .ics UID and
its yearly RRULE keep describing one series, and the schedule revision goes up); every answer
(« je viens », « peut-être », « je ne viens pas », the waiting list) belonged to the past edition
and is cleared with its reminder toggle, while a « me rappeler » given without an answer is kept:
those members asked to be reminded of this gathering, and they will be, every year.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.events.reminder_rules import ReminderSettings, arm, offsets_of
from storage.models import Event, Rsvp
from storage.repositories.events import NONE, EventRepository

# An edition is over a few hours after its start (events rarely say when they end).
OVER_AFTER = timedelta(hours=6)


def next_year(when: datetime, tz: ZoneInfo) -> datetime:
    """The same local day and time one year later (29 February becomes 28 February)."""
    local = when.astimezone(tz)
    try:
        moved = local.replace(year=local.year + 1)
    except ValueError:
        moved = local.replace(year=local.year + 1, day=28)
    return moved.replace(tzinfo=tz).astimezone(UTC)


async def roll_yearly(
    session: AsyncSession, now: datetime, tz: ZoneInfo, settings: ReminderSettings
) -> int:
    """Schedule the next edition of every yearly gathering that is over; returns how many."""
    query = select(Event).where(
        Event.repeats_yearly.is_(True),
        Event.cancelled_at.is_(None),
        Event.starts_at < now - OVER_AFTER,
    )
    repo = EventRepository(session)
    rolled = 0
    for event in await session.scalars(query):
        length = None if event.ends_at is None else event.ends_at - event.starts_at
        while event.starts_at < now - OVER_AFTER:
            event.starts_at = next_year(event.starts_at, tz)
        event.ends_at = None if length is None else event.starts_at + length
        event.schedule_rev += 1
        await session.execute(delete(Rsvp).where(Rsvp.event_id == event.id, Rsvp.answer != NONE))
        await arm(repo, event, offsets_of(event, settings), now)
        rolled += 1
    return rolled
