"""The waiting list on both databases: the last place under real concurrency, strict order of
arrival, reminders to those coming with the toggle on, the member's data (export, erasure)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.config import parse_config
from bot.services.events import build_events
from bot.services.events.service import EventService
from bot.services.privacy.service import PrivacyService
from storage.db import Sessions, create_engine, create_sessions
from storage.models import OutboxMessage, Rsvp

NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
PRESSES = 12


@pytest.fixture
async def sessions(db_url: str) -> AsyncIterator[Sessions]:
    engine = create_engine(db_url)
    yield create_sessions(engine)
    await engine.dispose()


@pytest.fixture
def events(sessions: Sessions) -> EventService:
    return build_events(sessions, parse_config({}))


async def _answer(events: EventService, event_id: int, member_id: int) -> str:
    mine = (await events.card(event_id, now=NOW, member_id=member_id)).mine
    assert mine is not None
    return mine.answer


async def test_presses_for_the_last_place_never_both_win(events: EventService) -> None:
    event = await events.create(
        title="Atelier", starts_at=NOW + timedelta(days=3), capacity=3, now=NOW
    )
    for member_id in (1, 2):
        await events.rsvp(event.id, member_id, "yes", now=NOW)
    # Each press has its own connection and transaction, all in flight at once.
    outcomes = await asyncio.gather(
        *(events.rsvp(event.id, 100 + n, "yes", now=NOW) for n in range(PRESSES))
    )
    results = sorted(outcome.result for outcome in outcomes)
    assert results == ["queued"] * (PRESSES - 1) + ["yes"]
    card = await events.card(event.id, now=NOW)
    assert (card.coming, card.waiting) == (3, PRESSES - 1)
    positions = sorted(o.event.mine.position for o in outcomes if o.event.mine and o.full)
    assert positions == list(range(1, PRESSES))  # one ticket each, no two alike


async def test_strict_order_of_arrival_and_one_offer_per_freed_place(
    events: EventService, sessions: Sessions
) -> None:
    event = await events.create(
        title="Atelier", starts_at=NOW + timedelta(days=3), capacity=1, now=NOW
    )
    await events.rsvp(event.id, 1, "yes", now=NOW)
    for member_id in (5, 3, 4):  # arrival order, not id order
        assert (await events.rsvp(event.id, member_id, "yes", now=NOW)).full
    await events.rsvp(event.id, 3, "maybe", now=NOW)  # leaves the line
    await events.rsvp(event.id, 1, "no", now=NOW)  # the place is freed
    await events.rsvp(event.id, 1, "no", now=NOW)  # pressed twice: still one offer
    async with sessions.begin() as session:
        rows = {r.member_id: r.answer for r in await session.scalars(select(Rsvp))}
        offers = list(
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.purpose.like("waitlist:%"))
            )
        )
    assert rows == {1: "no", 3: "maybe", 4: "wait", 5: "offer"}
    assert [o.chat_id for o in offers] == [5]
    assert offers[0].expires_at == NOW + timedelta(hours=24)
    # A newcomer does not jump the line while a place is held.
    assert (await events.rsvp(event.id, 6, "yes", now=NOW)).full
    # Member 5 passes: the place goes to 4 (next in line), then 6.
    await events.rsvp(event.id, 5, "no", now=NOW)
    card = await events.card(event.id, now=NOW, member_id=4)
    assert card.mine is not None
    assert card.mine.answer == "offer"
    assert card.mine.offer_until == NOW + timedelta(hours=24)
    await events.rsvp(event.id, 4, "yes", now=NOW)
    card = await events.card(event.id, now=NOW, member_id=6)
    assert (card.coming, card.offered, card.waiting) == (1, 0, 1)
    assert card.mine is not None
    assert card.mine.position == 1


async def test_an_unconfirmed_place_goes_to_the_next_one(events: EventService) -> None:
    start = NOW + timedelta(hours=30)
    event = await events.create(
        title="Atelier", starts_at=start, capacity=1, reminder_offsets=(120,), now=NOW
    )
    await events.rsvp(event.id, 1, "yes", now=NOW)
    await events.rsvp(event.id, 2, "yes", now=NOW)
    await events.rsvp(event.id, 3, "yes", now=NOW)
    await events.rsvp(event.id, 1, "no", now=NOW)
    assert await events.reminders.next_due_at() == NOW + timedelta(hours=24)
    await events.reminders.tick(NOW + timedelta(hours=23))
    assert await _answer(events, event.id, 2) == "offer"
    report = await events.reminders.tick(NOW + timedelta(hours=24, minutes=1))
    assert report.offered == 1
    assert await _answer(events, event.id, 2) == "maybe"
    third = await events.card(event.id, now=NOW, member_id=3)
    assert third.mine is not None
    assert third.mine.answer == "offer"
    # Offered 6 hours before the start: held until the start, not 24 h.
    assert third.mine.offer_until == start


async def test_reminders_go_to_those_who_come_or_maybe_with_the_toggle_on(
    events: EventService, sessions: Sessions
) -> None:
    start = NOW + timedelta(days=3)
    event = await events.create(
        title="Débrief", starts_at=start, capacity=3, reminder_offsets=(120,), now=NOW
    )
    await events.rsvp(event.id, 11, "yes", now=NOW)  # reminder on with the yes
    await events.rsvp(event.id, 12, "yes", now=NOW)
    await events.rsvp(event.id, 12, "remind", now=NOW)  # ...turned off
    await events.rsvp(event.id, 13, "maybe", now=NOW)
    await events.rsvp(event.id, 13, "remind", now=NOW)  # maybe, reminder asked
    await events.rsvp(event.id, 14, "maybe", now=NOW)  # maybe, no reminder
    await events.rsvp(event.id, 15, "remind", now=NOW)  # only the reminder
    await events.rsvp(event.id, 16, "yes", now=NOW)  # the last place
    await events.rsvp(event.id, 17, "yes", now=NOW)  # waiting
    await events.rsvp(event.id, 17, "remind", now=NOW)
    await events.rsvp(event.id, 18, "no", now=NOW)
    await events.reminders.tick(start - timedelta(hours=2))
    async with sessions.begin() as session:
        sent = {
            row.chat_id: json.loads(row.payload)
            for row in await session.scalars(
                select(OutboxMessage).where(OutboxMessage.purpose.like("reminder:%"))
            )
        }
    assert sorted(sent) == [11, 13, 15, 16]
    labels = {chat: sent[chat]["buttons"][0][0]["text"] for chat in sent}
    assert labels[11] == "✅ Je viens"  # each sees their own answer on the reminder
    assert sent[13]["buttons"][0][1]["text"] == "✅ Peut-être"
    assert labels[15] == "⏳ Liste d'attente"  # full, and someone waits


async def test_the_member_data_holds_the_answer_toggle_and_place_in_line(
    events: EventService, sessions: Sessions
) -> None:
    event = await events.create(
        title="Atelier", starts_at=NOW + timedelta(days=3), capacity=1, now=NOW
    )
    await events.rsvp(event.id, 21, "yes", now=NOW)
    await events.rsvp(event.id, 22, "yes", now=NOW)
    await events.rsvp(event.id, 22, "remind", now=NOW)
    privacy = PrivacyService(sessions)
    exported = await privacy.export(22)
    (rsvp,) = exported["events"]["rsvps"]
    assert (rsvp["answer"], rsvp["remind"], rsvp["waiting_position"]) == ("wait", True, 1)
    assert rsvp["offered_at"] is None

    # Erasing the member coming frees the place: the first waiting is offered it.
    await privacy.erase(21)
    await events.reminders.tick(NOW)
    exported = await privacy.export(22)
    (rsvp,) = exported["events"]["rsvps"]
    assert rsvp["answer"] == "offer"
    assert rsvp["offered_at"] is not None
    await privacy.erase(22)
    assert (await privacy.export(22))["events"]["rsvps"] == []
