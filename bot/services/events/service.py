"""Events as organisers run them: create, RSVP, move, cancel, follow; reminders follow along.

Decisions: answers, the reminder toggle and the waiting list are in attendance.py; moving an
event re-arms every reminder still in the future (new revision, so members get the
reminders relative to the new time, even one already sent for the old time); a move or a
cancellation is told once to everyone it concerns: coming, maybe, waiting, a place on offer, or
a reminder asked (not those who said « Je ne viens pas »).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.delivery.outbox import DeliveryService
from bot.services.events.attendance import ACTIONS, Waitlist, answer
from bot.services.events.calendar_feeds import CalendarFeeds
from bot.services.events.messages import EventMessages
from bot.services.events.reminder_rules import ReminderSettings, arm, offsets_of
from bot.services.events.reminders import ReminderService
from bot.services.events.views import EventLink, EventView, view_in, view_of, views_of
from storage.db import Sessions
from storage.models import utcnow
from storage.repositories.conversations import OrganiserDraftRepository
from storage.repositories.events import EventRepository


class EventNotFound(LookupError):
    """No such event (or it was removed)."""


@dataclass(frozen=True)
class RsvpOutcome:
    """The card after the press (as the member sees it) and what happened (attendance.answer)."""

    event: EventView
    answer: str
    result: str = ""

    @property
    def full(self) -> bool:
        """« Je viens » did not get a place: the member waits."""
        return self.result in ("queued", "waiting")


class EventService:
    """Everything about events that members and organisers do."""

    def __init__(
        self,
        sessions: Sessions,
        delivery: DeliveryService,
        messages: EventMessages,
        reminders: ReminderSettings | None = None,
        *,
        public_url: str = "",
    ) -> None:
        self._sessions = sessions
        self.delivery = delivery  # the outbox its notices and reminders go through
        self.waitlist = Waitlist(sessions, delivery, messages)
        self.reminders = ReminderService(sessions, delivery, messages, reminders, self.waitlist)
        self.messages = messages
        # Members' calendar links (config.http.public_url: the address members reach us at).
        self.feeds = CalendarFeeds(sessions, messages, public_url)
        self._reminders = reminders or ReminderSettings()
        self._schedule_listeners: list[Callable[[], None]] = []

    def on_schedule_changed(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after an event is created, moved or cancelled (reminders moved)."""
        self._schedule_listeners.append(listener)

    def _schedule_changed(self) -> None:
        for listener in self._schedule_listeners:
            listener()

    # --- creation ---------------------------------------------------------------------------

    async def create(
        self,
        *,
        title: str,
        starts_at: datetime,
        place: str = "",
        address: str = "",
        description: str = "",
        theme: str = "",
        capacity: int | None = None,
        repeats_yearly: bool = False,
        reminder_offsets: tuple[int, ...] = (),
        now: datetime | None = None,
    ) -> EventView:
        """Publish an event: reminders armed, followers told."""
        now = now or utcnow()
        async with self._sessions.begin() as session:
            repo = EventRepository(session)
            event = await repo.add_event(
                slug=f"rencontre-{starts_at:%Y%m%d}-{secrets.token_hex(3)}",
                title=title.strip(),
                starts_at=starts_at,
                place=place.strip(),
                address=address.strip(),
                description=description.strip(),
                theme=theme.strip(),
                capacity=capacity,
                repeats_yearly=repeats_yearly,
                reminder_offsets=",".join(str(o) for o in reminder_offsets),
            )
            await arm(repo, event, offsets_of(event, self._reminders), now)
            view = view_of(event, 0, now)
            planned = await self._tell(session, repo.subscribers(event.theme), view, "new")
        if planned:
            self.delivery.notify()
        self._schedule_changed()
        return view

    async def draft(self, member_id: int) -> dict[str, Any]:
        async with self._sessions.begin() as session:
            return await OrganiserDraftRepository(session).get(member_id, "event")

    async def save_answer(self, member_id: int, **fields: Any) -> dict[str, Any]:
        """Keep one more answer of the organiser's draft; returns the whole draft."""
        async with self._sessions.begin() as session:
            drafts = OrganiserDraftRepository(session)
            data = await drafts.get(member_id, "event")
            data.update(fields)
            await drafts.save(member_id, "event", data)
            return data

    async def discard_draft(self, member_id: int) -> None:
        async with self._sessions.begin() as session:
            await OrganiserDraftRepository(session).drop(member_id, "event")

    async def publish_draft(self, member_id: int) -> EventView:
        """Create the event the organiser composed, then forget the draft."""
        data = await self.draft(member_id)
        view = await self.create(
            title=data["title"],
            starts_at=datetime.fromisoformat(data["starts_at"]),
            place=data.get("place", ""),
            address=data.get("address", ""),
            description=data.get("description", ""),
            theme=data.get("theme", ""),
            capacity=data.get("capacity"),
            repeats_yearly=bool(data.get("repeats_yearly", False)),
        )
        await self.discard_draft(member_id)
        return view

    # --- members ----------------------------------------------------------------------------

    async def card(
        self,
        event_id: int | None = None,
        *,
        slug: str = "",
        now: datetime | None = None,
        member_id: int | None = None,
    ) -> EventView:
        """The card of one event (by id, else by slug): figures, follow-ups, people coming,
        and ``member_id``'s own answer when given."""
        async with self._sessions.begin() as session:
            repo = EventRepository(session)
            if event_id is not None:
                event = await repo.event(event_id)
            else:
                event = await repo.event_by_slug(slug)
            if event is None:
                raise EventNotFound(event_id if event_id is not None else slug)
            return await view_in(repo, event, now or utcnow(), member_id)

    async def upcoming(
        self, now: datetime, limit: int = 10, member_id: int | None = None
    ) -> list[EventView]:
        """Events still to come (not cancelled), soonest first (as ``member_id`` sees them)."""
        async with self._sessions.begin() as session:
            repo = EventRepository(session)
            return await views_of(repo, await repo.upcoming(now, limit), now, member_id)

    async def next_event(self, now: datetime, member_id: int | None = None) -> EventView | None:
        """The soonest event still to come, if any."""
        soonest = await self.upcoming(now, limit=1, member_id=member_id)
        return soonest[0] if soonest else None

    async def past(self, now: datetime, limit: int = 8) -> list[EventLink]:
        """Events that took place, latest first (as buttons to their cards)."""
        async with self._sessions.begin() as session:
            rows = await EventRepository(session).past(now, limit)
        return [EventLink(event_id, title) for event_id, title in rows]

    async def rsvp(
        self, event_id: int, member_id: int, action: str, now: datetime | None = None
    ) -> RsvpOutcome:
        """« Je viens » (the waiting list when full), « Peut-être », « Je ne viens pas », or the
        « Me rappeler » toggle ("remind"); a place freed goes to the first member waiting."""
        if action not in ACTIONS:
            raise ValueError(action)
        now = now or utcnow()
        async with self._sessions.begin() as session:
            repo = EventRepository(session)
            event = await repo.lock_event(event_id)  # first: answers to one event take turns
            if event is None or event.cancelled_at is not None:
                raise EventNotFound(event_id)
            planned = await self.waitlist.settle(session, repo, event, now)
            full = (await view_in(repo, event, now)).full
            result = await answer(repo, event, member_id, action, now=now, full=full)
            await session.flush()
            planned += await self.waitlist.settle(session, repo, event, now)
            view = await view_in(repo, event, now, member_id)
        if planned:
            self.delivery.notify()
        return RsvpOutcome(view, action, result)

    async def follows(self, member_id: int) -> set[str]:
        async with self._sessions.begin() as session:
            return await EventRepository(session).themes_of(member_id)

    async def toggle_follow(self, member_id: int, theme: str) -> bool:
        """Follow all events (theme "") or one theme, or stop; True when now following."""
        async with self._sessions.begin() as session:
            return await EventRepository(session).toggle_subscription(member_id, theme)

    async def themes(self) -> list[str]:
        async with self._sessions.begin() as session:
            return await EventRepository(session).event_themes()

    # --- organisers -------------------------------------------------------------------------

    async def hold_choice(self, member_id: int, kind: str, event_id: int) -> None:
        """Remember the event an organiser picked with a button, for the answer they type next
        (``kind``: "event_move"); kept with the dialogue drafts, so a restart keeps it."""
        async with self._sessions.begin() as session:
            await OrganiserDraftRepository(session).save(member_id, kind, {"event_id": event_id})

    async def held_choice(self, member_id: int, kind: str) -> int | None:
        """The event :meth:`hold_choice` remembered, if any."""
        async with self._sessions.begin() as session:
            data = await OrganiserDraftRepository(session).get(member_id, kind)
        event_id = data.get("event_id")
        return event_id if isinstance(event_id, int) else None

    async def reschedule(
        self, event_id: int, starts_at: datetime, now: datetime | None = None
    ) -> EventView:
        """Move the event: reminders follow, those coming are told."""
        now = now or utcnow()
        async with self._sessions.begin() as session:
            repo = EventRepository(session)
            event = await repo.event(event_id)
            if event is None or event.cancelled_at is not None:
                raise EventNotFound(event_id)
            if event.ends_at is not None:
                event.ends_at = starts_at + (event.ends_at - event.starts_at)
            event.starts_at = starts_at
            event.schedule_rev += 1
            await arm(repo, event, offsets_of(event, self._reminders), now)
            view = await view_in(repo, event, now)
            recipients = repo.recipients(event_id)
            planned = await self._tell(session, recipients, view, f"moved:{event.schedule_rev}")
        if planned:
            self.delivery.notify()
        self._schedule_changed()
        return view

    async def cancel(self, event_id: int, now: datetime | None = None) -> EventView:
        """Cancel the event: no more reminders; those coming or reminded are told once."""
        async with self._sessions.begin() as session:
            repo = EventRepository(session)
            event = await repo.event(event_id)
            if event is None:
                raise EventNotFound(event_id)
            if event.cancelled_at is None:
                event.cancelled_at = now or utcnow()
                # A revision of the schedule too: calendars keep the entry with the highest
                # SEQUENCE, so the cancelled one (file or feed) replaces the one they hold.
                event.schedule_rev += 1
            await repo.cancel_reminders(event_id)
            view = await view_in(repo, event, now or utcnow())
            planned = await self._tell(session, repo.recipients(event_id), view, "cancelled")
        await self.delivery.cancel_pending(f"reminder:{event_id}:")
        if planned:
            self.delivery.notify()
        self._schedule_changed()
        return view

    async def _tell(
        self, session: AsyncSession, recipients: Any, view: EventView, what: str
    ) -> int:
        """Plan one notice per recipient, in their language (purpose "event:<id>:<what>")."""
        texts = self.messages.texts
        by_language: dict[str, list[int]] = {}
        for member_id, chosen, telegram in await recipients:
            by_language.setdefault(texts.pick_language(chosen, telegram), []).append(member_id)
        kind = what.split(":", 1)[0]
        planned = 0
        for language, chat_ids in by_language.items():
            if kind == "cancelled":
                payload = self.messages.notice_payload(view, language, "events.notice.cancelled")
            else:
                header = texts.get(language, f"events.notice.{kind}")
                payload = self.messages.card_payload(view, language, header)
            purpose = f"event:{view.id}:{what}"
            planned += await self.delivery.plan_in(session, purpose, chat_ids, payload)
        return planned
