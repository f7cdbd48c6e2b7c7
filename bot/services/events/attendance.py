"""Who comes: « Je viens », « Peut-être », « Je ne viens pas », « Me rappeler », the waiting list.

Decisions (docs/events.md):
- The answer and « Me rappeler » are separate: answering « Je viens » turns the reminder on (the
  member can turn it off), « Je ne viens pas » turns it off, « Peut-être » leaves it as it was;
  pressing « Me rappeler » never changes the answer. After « Je ne viens pas » the reminder
  cannot be turned on (the toast says to change the answer first).
- Full event: « Je viens » puts the member on the waiting list with the next ticket of the event
  (``events.queue_seq``, given under the event's lock: strict order of arrival). « Peut-être » or
  « Je ne viens pas » leaves the list.
- A freed place (someone coming changes their answer, an erasure) is offered to the first
  waiting member: held for them ``OFFER_HOLD`` (24 h, never past the start) and told once
  through the outbox (purpose ``waitlist:<event>:<ticket>``: the unique key per chat makes a
  second send impossible). « Je viens » (« Je prends la place ») confirms; « Peut-être » or
  « Je ne viens pas » passes it on. Not confirmed in time: the member leaves the list (their
  answer becomes « Peut-être », so they still hear of a move or a cancellation) and the place
  goes to the next one. Lapsed offers are passed on at the next answer to the event or by the
  reminders job (woken when the oldest offer lapses, at most 15 minutes late).
- Every answer to an event runs under the event's row lock (``EventRepository.lock_event``), so
  two presses for the last place never both get it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.formatting import format_when
from bot.services.delivery.outbox import DeliveryService, outbox_rows
from bot.services.events.messages import EventMessages
from bot.services.events.views import OFFER_HOLD, Mine, offer_until, view_in
from storage.db import Sessions
from storage.models import Event, Rsvp
from storage.repositories.events import (
    COMING,
    MAYBE,
    NOT_COMING,
    OFFER,
    WAIT,
    EventRepository,
)

# What a member can press on a card; "remind" toggles the reminder.
ACTIONS = ("yes", "maybe", "no", "remind")


async def answer(
    repo: EventRepository, event: Event, member_id: int, action: str, *, now: datetime, full: bool
) -> str:
    """Apply one press to the member's row; returns what happened (the toast's key).

    yes | confirmed | queued | waiting | already | maybe | no | remind_on | remind_off |
    remind_waiting | remind_refused
    """
    row = await repo.rsvp_of(event.id, member_id) or await repo.new_rsvp(event.id, member_id)
    if action == "remind":
        return _toggle_reminder(row, now)
    if action == "yes":
        return _coming(row, event, now, full)
    _set(row, MAYBE if action == "maybe" else NOT_COMING, now)
    if action == "no":
        row.remind = False
    return action


def _toggle_reminder(row: Rsvp, now: datetime) -> str:
    if row.answer == NOT_COMING:
        return "remind_refused"
    row.remind, row.updated_at = not row.remind, now
    if not row.remind:
        return "remind_off"
    return "remind_waiting" if row.answer == WAIT else "remind_on"


def _coming(row: Rsvp, event: Event, now: datetime, full: bool) -> str:
    previous = row.answer
    if previous in (COMING, WAIT):
        return "already" if previous == COMING else "waiting"
    if previous != OFFER and full:
        event.queue_seq += 1
        _set(row, WAIT, now, ticket=event.queue_seq)
        return "queued"
    _set(row, COMING, now)
    row.remind = True  # on when coming; the member may turn it off
    return "confirmed" if previous == OFFER else "yes"


def _set(row: Rsvp, value: str, now: datetime, ticket: int | None = None) -> None:
    row.answer, row.ticket, row.offered_at, row.updated_at = value, ticket, None, now


class Waitlist:
    """Pass freed places to the waiting list, in order, each offer told once."""

    def __init__(self, sessions: Sessions, delivery: DeliveryService, messages: EventMessages):
        self._sessions = sessions
        self._delivery = delivery
        self._messages = messages

    async def settle(
        self, session: AsyncSession, repo: EventRepository, event: Event, now: datetime
    ) -> int:
        """Under the event's lock: lapsed offers passed on, free places offered in order of
        arrival; returns how many offers were planned into the outbox."""
        if event.capacity is None or event.cancelled_at is not None or event.starts_at <= now:
            return 0
        for row in await repo.offers(event.id):
            if row.offered_at is None or offer_until(row.offered_at, event.starts_at) <= now:
                _set(row, MAYBE, now)
        await session.flush()
        planned = 0
        while True:
            counts = (await repo.attendance([event.id])).get(event.id, {})
            free = event.capacity - counts.get(COMING, 0) - counts.get(OFFER, 0)
            chosen = await repo.waiting(event.id, free) if free > 0 else []
            if not chosen:
                return planned
            languages = await repo.languages_of([row.member_id for row in chosen])
            offered = []
            for row in chosen:
                if row.member_id in languages:
                    row.answer, row.offered_at, row.updated_at = OFFER, now, now
                    offered.append(row)
                else:  # blocked the bot: a place held for them would only lapse
                    _set(row, MAYBE, now)
            await session.flush()
            planned += await self._tell(
                session, repo, event, offered, languages=languages, now=now
            )

    async def _tell(
        self,
        session: AsyncSession,
        repo: EventRepository,
        event: Event,
        offered: list[Rsvp],
        *,
        languages: dict[int, tuple[str, str]],
        now: datetime,
    ) -> int:
        if not offered:
            return 0
        texts = self._messages.texts
        view = await view_in(repo, event, now)
        until = offer_until(now, event.starts_at)
        rows: list[dict[str, object]] = []
        for row in offered:
            language = texts.pick_language(*languages[row.member_id])
            header = texts.get(
                language,
                "events.waitlist.offer",
                until=format_when(until, self._messages.tz, language),
            )
            mine = Mine(OFFER, row.remind, offer_until=until)
            payload = self._messages.card_payload(replace(view, mine=mine), language, header)
            purpose = f"waitlist:{event.id}:{row.ticket}"
            rows += outbox_rows(purpose, [row.member_id], payload, now, until)
        return await self._delivery.insert_in(session, rows)

    async def tick(self, now: datetime) -> int:
        """Pass on every lapsed offer and fill every free place (reminders job); returns the
        offers planned."""
        async with self._sessions.begin() as session:
            event_ids = await EventRepository(session).events_with_queue(now)
        planned = 0
        for event_id in event_ids:
            async with self._delivery.exclusive(), self._sessions.begin() as session:
                repo = EventRepository(session)
                event = await repo.lock_event(event_id)
                if event is not None:
                    planned += await self.settle(session, repo, event, now)
        if planned:
            self._delivery.notify()
        return planned

    async def next_lapse_at(self) -> datetime | None:
        """When the oldest place on offer lapses (the reminders job wakes then)."""
        async with self._sessions.begin() as session:
            oldest = await EventRepository(session).earliest_offer()
        return None if oldest is None else oldest + OFFER_HOLD
