"""Queries of events: lists and cards (figures, follow-ups), RSVPs, reminders, subscriptions,
drafts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Event,
    EventFigure,
    EventFollowUp,
    EventReminder,
    EventSubscription,
    Member,
    Rsvp,
)

# Answers stored in rsvps.answer; « Me rappeler » is the separate rsvps.remind toggle.
COMING = "yes"
MAYBE = "maybe"
NOT_COMING = "no"
WAIT = "wait"  # on the waiting list (rsvps.ticket: order of arrival)
OFFER = "offer"  # a freed place is held for the member since rsvps.offered_at
NONE = ""  # no answer: only the reminder asked
ANSWERS = (COMING, MAYBE, NOT_COMING, WAIT, OFFER)
REMINDED = (COMING, MAYBE, NONE)


def _concerned() -> ColumnElement[bool]:
    """Rows of members a change of the event concerns: anyone but those who said no."""
    return or_(Rsvp.answer.in_((COMING, MAYBE, WAIT, OFFER)), Rsvp.remind.is_(True)) & (
        Rsvp.answer != NOT_COMING
    )


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

    async def lock_event(self, event_id: int) -> Event | None:
        """The event, locked until the transaction ends: answers to one event take turns.

        A no-op write on the event's row: PostgreSQL locks the row (a second « Je viens »
        waits, then counts again), SQLite takes its write lock before anything is read (the
        lock statement comes first, so its busy wait applies). Two presses for the last place
        therefore never both see it free.
        """
        result = await self._session.execute(
            update(Event)
            .where(Event.id == event_id)
            .values(queue_seq=Event.queue_seq, updated_at=Event.updated_at)
            .execution_options(synchronize_session=False)
        )
        if not getattr(result, "rowcount", 0):
            return None
        return await self._session.get(Event, event_id, populate_existing=True)

    async def rsvp_of(self, event_id: int, member_id: int) -> Rsvp | None:
        return await self._session.get(Rsvp, (event_id, member_id))

    async def new_rsvp(self, event_id: int, member_id: int) -> Rsvp:
        """A member's row with no answer and no reminder yet (flushed)."""
        rsvp = Rsvp(event_id=event_id, member_id=member_id, answer=NONE, remind=False)
        self._session.add(rsvp)
        await self._session.flush()
        return rsvp

    async def attendance(self, event_ids: list[int]) -> dict[int, dict[str, int]]:
        """Per event: how many rows have each answer (yes, maybe, no, wait, offer)."""
        query = (
            select(Rsvp.event_id, Rsvp.answer, func.count())
            .where(Rsvp.event_id.in_(event_ids), Rsvp.answer != NONE)
            .group_by(Rsvp.event_id, Rsvp.answer)
        )
        result: dict[int, dict[str, int]] = {}
        for event_id, answer, count in await self._session.execute(query):
            result.setdefault(int(event_id), {})[str(answer)] = int(count)
        return result

    async def rsvps_of_member(self, event_ids: list[int], member_id: int) -> dict[int, Rsvp]:
        query = select(Rsvp).where(Rsvp.event_id.in_(event_ids), Rsvp.member_id == member_id)
        return {rsvp.event_id: rsvp for rsvp in await self._session.scalars(query)}

    async def queue_position(self, event_id: int, ticket: int) -> int:
        """1 for the first waiting member: how many wait with an earlier ticket, plus one."""
        query = select(func.count()).where(
            Rsvp.event_id == event_id, Rsvp.answer == WAIT, Rsvp.ticket < ticket
        )
        return int(await self._session.scalar(query) or 0) + 1

    async def waiting(self, event_id: int, limit: int) -> list[Rsvp]:
        """The first ``limit`` members of the waiting list, in order of arrival."""
        query = (
            select(Rsvp)
            .where(Rsvp.event_id == event_id, Rsvp.answer == WAIT)
            .order_by(Rsvp.ticket, Rsvp.updated_at, Rsvp.member_id)
            .limit(limit)
        )
        return list(await self._session.scalars(query))

    async def offers(self, event_id: int) -> list[Rsvp]:
        """Members a freed place is held for."""
        query = select(Rsvp).where(Rsvp.event_id == event_id, Rsvp.answer == OFFER)
        return list(await self._session.scalars(query))

    async def events_with_queue(self, now: datetime) -> list[int]:
        """Upcoming events with someone waiting or a place on offer."""
        query = (
            select(Rsvp.event_id)
            .join(Event, Event.id == Rsvp.event_id)
            .where(Rsvp.answer.in_((WAIT, OFFER)), Event.starts_at > now)
            .where(Event.cancelled_at.is_(None))
            .distinct()
        )
        return sorted(int(event_id) for event_id in await self._session.scalars(query))

    async def earliest_offer(self) -> datetime | None:
        """When the oldest place still on offer was offered (its hold runs from there)."""
        query = select(func.min(Rsvp.offered_at)).where(Rsvp.answer == OFFER)
        return await self._session.scalar(query)

    async def languages_of(self, member_ids: list[int]) -> dict[int, tuple[str, str]]:
        """(chosen language, Telegram language) of ``member_ids``, less those who blocked the
        bot (an id with no member row is kept, with no language, as ``recipients`` does)."""
        query = select(
            Member.telegram_id, Member.language, Member.telegram_language, Member.is_reachable
        ).where(Member.telegram_id.in_(member_ids))
        found = {int(r[0]): r for r in await self._session.execute(query)}
        result: dict[int, tuple[str, str]] = {}
        for member_id in member_ids:
            row = found.get(member_id)
            if row is None:
                result[member_id] = ("", "")
            elif row[3]:
                result[member_id] = (row[1] or "", row[2] or "")
        return result

    async def recipients(
        self, event_id: int, answers: tuple[str, ...] = ()
    ) -> list[tuple[int, str, str]]:
        """(member id, chosen language, Telegram language) of reachable members concerned.

        With ``answers``: those whose answer is one of them; without: everyone who did not say
        « Je ne viens pas » (coming, maybe, waiting, a place on offer, or a reminder asked).
        """
        query = (
            select(Rsvp.member_id, Member.language, Member.telegram_language)
            .join(Member, Member.telegram_id == Rsvp.member_id, isouter=True)
            .where(Rsvp.event_id == event_id)
            .where(Rsvp.answer.in_(answers) if answers else _concerned())
            .where((Member.is_reachable.is_(True)) | (Member.telegram_id.is_(None)))
            .order_by(Rsvp.member_id)
        )
        return [(r[0], r[1] or "", r[2] or "") for r in await self._session.execute(query)]

    async def events_by_id(self, event_ids: list[int]) -> dict[int, Event]:
        query = select(Event).where(Event.id.in_(event_ids))
        return {event.id: event for event in await self._session.scalars(query)}

    async def recipients_of(
        self, event_ids: list[int]
    ) -> dict[int, list[tuple[int, str, str, str]]]:
        """Per event: reachable members to remind (one query), with their answer.

        Reminders go to members whose « Me rappeler » is on and who come, maybe come, or only
        asked the reminder; not to those who said no nor to those still waiting for a place.
        """
        query = (
            select(
                Rsvp.event_id,
                Rsvp.member_id,
                Member.language,
                Member.telegram_language,
                Rsvp.answer,
            )
            .join(Member, Member.telegram_id == Rsvp.member_id, isouter=True)
            .where(Rsvp.event_id.in_(event_ids), Rsvp.remind.is_(True))
            .where(Rsvp.answer.in_(REMINDED))
            .where((Member.is_reachable.is_(True)) | (Member.telegram_id.is_(None)))
            .order_by(Rsvp.event_id, Rsvp.member_id)
        )
        result: dict[int, list[tuple[int, str, str, str]]] = {}
        for row in await self._session.execute(query):
            result.setdefault(row[0], []).append((row[1], row[2] or "", row[3] or "", row[4]))
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
