"""When reminders fall: offsets before the start, grace window, arming them for an event."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.models import Event
from storage.repositories.events import EventRepository

DEFAULT_OFFSETS = (7 * 24 * 60, 24 * 60, 2 * 60)


@dataclass(frozen=True)
class ReminderSettings:
    """Offsets (minutes before the start) unless an event has its own, grace, group chat."""

    offsets: tuple[int, ...] = DEFAULT_OFFSETS
    grace: timedelta = timedelta(hours=1)
    group_chat_id: int = 0


def offsets_of(event: Event, settings: ReminderSettings) -> tuple[int, ...]:
    """The event's own offsets ("10080,1440,120"), else the global ones."""
    if event.reminder_offsets.strip():
        return tuple(int(p) for p in event.reminder_offsets.split(",") if p.strip())
    return settings.offsets


async def arm(repo: EventRepository, event: Event, offsets: Iterable[int], now: datetime) -> None:
    """Create or move the event's reminders for its current start (revision ``schedule_rev``).

    A reminder whose time is already past when armed (an event created 2 days ahead has no
    7-days reminder) is not created pending: it would only be "missed".
    """
    existing = {r.offset_minutes: r for r in await repo.reminders_of(event.id)}
    for offset in offsets:
        due = event.starts_at - timedelta(minutes=offset)
        state = "pending" if due > now else "cancelled"
        reminder = existing.get(offset)
        if reminder is None:
            await repo.add_reminder(
                event_id=event.id,
                offset_minutes=offset,
                due_at=due,
                state=state,
                rev=event.schedule_rev,
            )
        else:  # a new schedule: whatever happened to the old one (fired, missed) is history
            reminder.due_at, reminder.state, reminder.rev = due, state, event.schedule_rev
            reminder.fired_at = None
