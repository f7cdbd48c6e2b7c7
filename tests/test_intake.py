"""The intake journal: written before handling, a second delivery handled once, what waits
after a crash handled first and in order, done rows cleared then pruned, erasure."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update

from bot.context import BotApp, Deps
from bot.intake import Intake, arrival
from bot.runner import journal_of
from bot.services.intake.journal import MAX_STARTS, Arrival, IntakeJournal
from bot.services.privacy.service import PrivacyService
from storage.db import Sessions
from storage.models import InboundUpdate, utcnow
from tests.support.bot_api import FakeTelegram
from tests.support.driver import plain

ANNE, BOB = 4242, 4343
WEEK = timedelta(days=7)


def _engine(sessions: Sessions) -> AsyncEngine:
    engine = sessions.kw["bind"]
    assert isinstance(engine, AsyncEngine)
    return engine


def _arrival(update_id: int, member: int = ANNE) -> Arrival:
    return Arrival(update_id, member, member, f'{{"update_id": {update_id}}}')


async def _rows(sessions: Sessions) -> dict[int, InboundUpdate]:
    async with sessions() as session:
        return {r.update_id: r for r in await session.scalars(select(InboundUpdate))}


async def test_a_second_delivery_is_not_new_on_both_databases(sessions: Sessions) -> None:
    journal = IntakeJournal(_engine(sessions), keep_done=WEEK)
    assert await journal.record([_arrival(1), _arrival(2)]) == {1, 2}
    assert await journal.record([_arrival(2), _arrival(3)]) == {3}
    await journal.done([1])
    assert await journal.record([_arrival(1)]) == set()  # done, and still recognised
    rows = await _rows(sessions)
    assert (rows[1].payload, rows[1].member_id, rows[1].chat_id) == (None, None, None)
    assert rows[1].done_at is not None
    assert rows[2].payload == '{"update_id": 2}'
    assert rows[2].member_id == ANNE


async def test_waiting_rows_come_back_in_order_and_a_poison_update_is_given_up(
    sessions: Sessions,
) -> None:
    journal = IntakeJournal(_engine(sessions), keep_done=WEEK)
    await journal.record([_arrival(7)])
    await journal.record([_arrival(5), _arrival(6)])
    await journal.done([5])
    assert [update_id for update_id, _ in await journal.waiting()] == [7, 6]
    for _ in range(MAX_STARTS - 1):
        assert len(await journal.waiting()) == 2
    assert await journal.waiting() == []  # found at MAX_STARTS + 1 starts: it kills the bot
    assert await journal.oldest_waiting() is None


async def test_done_rows_are_pruned_after_the_configured_time(sessions: Sessions) -> None:
    journal = IntakeJournal(_engine(sessions), keep_done=WEEK)
    await journal.record([_arrival(1), _arrival(2), _arrival(3)])
    await journal.done([1, 2])
    async with sessions.begin() as session:
        old = utcnow() - WEEK - timedelta(minutes=1)
        await session.execute(
            update(InboundUpdate).where(InboundUpdate.update_id == 1).values(done_at=old)
        )
    assert await journal.prune() == 1
    assert set(await _rows(sessions)) == {2, 3}


async def test_erasure_clears_the_members_waiting_updates(sessions: Sessions) -> None:
    journal = IntakeJournal(_engine(sessions), keep_done=WEEK)
    await journal.record([_arrival(1, ANNE), _arrival(2, BOB)])
    privacy = PrivacyService(sessions)
    assert [row["update_id"] for row in (await privacy.export(ANNE))["intake"]] == [1]
    await privacy.erase(ANNE)
    rows = await _rows(sessions)
    assert (rows[1].payload, rows[1].member_id, rows[1].chat_id) == (None, None, None)
    assert rows[1].done_at is not None  # nothing of it is handled again after a restart
    assert rows[2].payload is not None
    assert rows[2].member_id == BOB
    assert await journal.record([_arrival(1)]) == set()


async def test_the_same_update_twice_is_answered_once(
    app: BotApp, deps: Deps, fake: FakeTelegram
) -> None:
    fake.add_user(ANNE, "Anne", language_code="fr")
    update = Update.de_json(fake.send_text(ANNE, "/start"), app.bot)
    intake = Intake(app, journal_of(deps))
    intake.start()
    try:
        await intake.receive([(update, arrival(update)), (update, arrival(update))])
        await intake.receive([(update, arrival(update))])  # a webhook retry, a replayed batch
        await intake.idle()
        await intake.receive([(update, arrival(update))])
        await intake.idle()
    finally:
        await intake.stop()
    assert len(fake.bot_messages(ANNE)) == 1
    rows = await _rows(deps.sessions)
    assert rows[update.update_id].done_at is not None
    assert rows[update.update_id].payload is None


async def test_updates_left_by_a_crash_are_handled_first_in_order(
    app: BotApp, deps: Deps, fake: FakeTelegram
) -> None:
    fake.add_user(ANNE, "Anne", language_code="fr")
    fake.add_user(BOB, "Bob", language_code="en")
    before = [
        Update.de_json(fake.send_text(m, t), app.bot)
        for m, t in ((ANNE, "/start"), (BOB, "/start"), (ANNE, "/aide"))
    ]
    # Journaled by a process that died before handling them.
    await journal_of(deps).record([arrival(u) for u in before])
    after = Update.de_json(fake.send_text(ANNE, "/langue"), app.bot)
    intake = Intake(app, journal_of(deps))
    assert await intake.recover() == 3
    intake.start()
    try:
        await intake.receive([(after, arrival(after))])
        await intake.idle()
    finally:
        await intake.stop()
    anne = [plain(text) for text in fake.bot_texts(ANNE)]
    assert [text.split()[0] for text in anne] == ["Bonjour", "Ce", "Dans"]
    assert plain(fake.bot_texts(BOB)[0]).startswith("Hello Bob")
    assert await journal_of(deps).oldest_waiting() is None
