"""Queries of events: lists and cards (figures, follow-ups), RSVPs, reminders, subscriptions,
drafts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Event,
    EventFigure,
    EventFollowUp,
    EventReminder,
    EventSubscription,
    Member,
    Rsvp,
    utcnow,
)

COMING = "yes"
REMIND = "remind"


class EventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def event(self, event_id: int) -> Event | None:
        return await self._session.get(Event, event_id)

    async def event_by_slug(self, slug: str) -> Event | None:
        return await self._session.scalar(select(Event).where(Event.slug == slug))

    async def upcoming(self, now: datetime, limit: int) -> list[Event]:
        """Events still to come and not cancelled, soonest first."""
        query = (
            select(Event)
            .where(Event.starts_at >= now, Event.cancelled_at.is_(None))
            .order_by(Event.starts_at)
            .limit(limit)
        )
        return list(await self._session.scalars(query))

    async def past(self, now: datetime, limit: int) -> list[tuple[int, str]]:
        """(id, title) of events that took place (not cancelled), latest first."""
        query = (
            select(Event.id, Event.title)
            .where(Event.starts_at < now, Event.cancelled_at.is_(None))
            .order_by(Event.starts_at.desc())
            .limit(limit)
        )
        return [(row[0], row[1]) for row in await self._session.execute(query)]

    async def figures_of(self, event_ids: list[int]) -> dict[int, list[EventFigure]]:
        """Per event: its published figures, in their order."""
        query = select(EventFigure).where(EventFigure.event_id.in_(event_ids))
        result: dict[int, list[EventFigure]] = {}
        for figure in await self._session.scalars(query.order_by(EventFigure.position)):
            result.setdefault(figure.event_id, []).append(figure)
        return result

    async def follow_ups_of(self, event_ids: list[int]) -> dict[int, list[EventFollowUp]]:
        """Per event: what came out of it, in its order."""
        query = select(EventFollowUp).where(EventFollowUp.event_id.in_(event_ids))
        result: dict[int, list[EventFollowUp]] = {}
        for follow_up in await self._session.scalars(query.order_by(EventFollowUp.position)):
            result.setdefault(follow_up.event_id, []).append(follow_up)
        return result

    async def add_event(self, **fields: Any) -> Event:
        event = Event(**fields)
        self._session.add(event)
        await self._session.flush()
        return event

    # --- RSVPs ------------------------------------------------------------------------------

    async def answer_of(self, event_id: int, member_id: int) -> str | None:
        rsvp = await self._session.get(Rsvp, (event_id, member_id))
        return None if rsvp is None else rsvp.answer

    async def set_answer(self, event_id: int, member_id: int, answer: str) -> None:
        rsvp = await self._session.get(Rsvp, (event_id, member_id))
        if rsvp is None:
            self._session.add(Rsvp(event_id=event_id, member_id=member_id, answer=answer))
        else:
            rsvp.answer = answer
            rsvp.updated_at = utcnow()
        await self._session.flush()

    async def count_coming(self, event_id: int) -> int:
        query = select(func.count()).where(Rsvp.event_id == event_id, Rsvp.answer == COMING)
        return int(await self._session.scalar(query) or 0)

    async def recipients(
        self, event_id: int, answers: tuple[str, ...] = (COMING, REMIND)
    ) -> list[tuple[int, str, str]]:
        """(member id, chosen language, Telegram language) of reachable members who answered."""
        query = (
            select(Rsvp.member_id, Member.language, Member.telegram_language)
            .join(Member, Member.telegram_id == Rsvp.member_id, isouter=True)
            .where(Rsvp.event_id == event_id, Rsvp.answer.in_(answers))
            .where((Member.is_reachable.is_(True)) | (Member.telegram_id.is_(None)))
            .order_by(Rsvp.member_id)
        )
        return [(r[0], r[1] or "", r[2] or "") for r in await self._session.execute(query)]

    async def events_by_id(self, event_ids: list[int]) -> dict[int, Event]:
        query = select(Event).where(Event.id.in_(event_ids))
        return {event.id: event for event in await self._session.scalars(query)}

    async def coming_counts(self, event_ids: list[int]) -> dict[int, int]:
        query = (
            select(Rsvp.event_id, func.count())
            .where(Rsvp.event_id.in_(event_ids), Rsvp.answer == COMING)
            .group_by(Rsvp.event_id)
        )
        return {int(row[0]): int(row[1]) for row in await self._session.execute(query)}

    async def recipients_of(self, event_ids: list[int]) -> dict[int, list[tuple[int, str, str]]]:
        """Per event: reachable members who come or asked to be reminded (one query)."""
        query = (
            select(Rsvp.event_id, Rsvp.member_id, Member.language, Member.telegram_language)
            .join(Member, Member.telegram_id == Rsvp.member_id, isouter=True)
            .where(Rsvp.event_id.in_(event_ids), Rsvp.answer.in_((COMING, REMIND)))
            .where((Member.is_reachable.is_(True)) | (Member.telegram_id.is_(None)))
            .order_by(Rsvp.event_id, Rsvp.member_id)
        )
        result: dict[int, list[tuple[int, str, str]]] = {}
        for row in await self._session.execute(query):
            result.setdefault(row[0], []).append((row[1], row[2] or "", row[3] or ""))
        return result

    # --- reminders --------------------------------------------------------------------------

    async def reminders_of(self, event_id: int) -> list[EventReminder]:
        query = select(EventReminder).where(EventReminder.event_id == event_id)
        return list(await self._session.scalars(query.order_by(EventReminder.offset_minutes)))

    async def add_reminder(self, **fields: Any) -> None:
        self._session.add(EventReminder(**fields))
        await self._session.flush()

    async def due_reminders(self, now: datetime, limit: int) -> list[EventReminder]:
        query = (
            select(EventReminder)
            .where(EventReminder.state == "pending", EventReminder.due_at <= now)
            .order_by(EventReminder.due_at)
            .limit(limit)
        )
        return list(await self._session.scalars(query))

    async def next_reminder_at(self) -> datetime | None:
        query = select(func.min(EventReminder.due_at)).where(EventReminder.state == "pending")
        return await self._session.scalar(query)

    async def cancel_reminders(self, event_id: int) -> None:
        await self._session.execute(
            update(EventReminder)
            .where(EventReminder.event_id == event_id, EventReminder.state == "pending")
            .values(state="cancelled")
        )

    # --- subscriptions ----------------------------------------------------------------------

    async def themes_of(self, member_id: int) -> set[str]:
        query = select(EventSubscription.theme).where(EventSubscription.member_id == member_id)
        return set(await self._session.scalars(query))

    async def toggle_subscription(self, member_id: int, theme: str) -> bool:
        """Follow or stop following; True when the member now follows."""
        row = await self._session.get(EventSubscription, (member_id, theme))
        if row is not None:
            await self._session.delete(row)
            await self._session.flush()
            return False
        self._session.add(EventSubscription(member_id=member_id, theme=theme))
        await self._session.flush()
        return True

    async def subscribers(self, theme: str) -> list[tuple[int, str, str]]:
        """Reachable members following all events or ``theme``."""
        themes = {"", theme}
        query = (
            select(EventSubscription.member_id, Member.language, Member.telegram_language)
            .join(Member, Member.telegram_id == EventSubscription.member_id)
            .where(EventSubscription.theme.in_(themes), Member.is_reachable.is_(True))
            .distinct()
        )
        return [(r[0], r[1] or "", r[2] or "") for r in await self._session.execute(query)]

    async def event_themes(self) -> list[str]:
        query = select(Event.theme).where(Event.theme != "").distinct().order_by(Event.theme)
        return list(await self._session.scalars(query))
