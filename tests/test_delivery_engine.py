"""The delivery engine through the Bot API double: once each, at the pace, errors handled."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.delivery_worker import telegram_sender
from bot.services.delivery.engine import DeliveryEngine
from bot.services.delivery.outbox import DeliveryService
from bot.services.delivery.types import DeliverySettings, DoubtPolicy
from storage.db import create_engine, create_sessions
from storage.models import OutboxMessage
from tests.support.clock import FakeClock
from tests.support.delivery import START, bot_on, limited_double

TEXT = {"kind": "text", "text": "Réunion <b>jeudi</b>"}


async def _rows(service_url: str) -> list[OutboxMessage]:
    engine = create_engine(service_url)
    try:
        async with create_sessions(engine)() as session:
            return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    finally:
        await engine.dispose()


async def test_plan_twice_is_a_no_op(db_url: str) -> None:
    engine = create_engine(db_url)
    service = DeliveryService(create_sessions(engine))
    try:
        assert await service.plan("announce:1", [1, 2, 3, 2], TEXT, START) == 3
        assert await service.plan("announce:1", [3, 4], TEXT, START) == 1
        progress = await service.progress("announce:1")
        assert (progress.total, progress.pending) == (4, 4)
    finally:
        await engine.dispose()


async def test_every_chat_gets_one_message_within_the_limits(db_url: str) -> None:
    clock = FakeClock(START)
    fake = limited_double(clock, range(1, 121))
    fake.add_group(-100, "Groupe")
    engine = create_engine(db_url)
    service = DeliveryService(create_sessions(engine))
    try:
        await service.plan("announce:1", [*range(1, 121), -100], TEXT, START)
        await service.plan("announce:2", [1, -100], TEXT, START)
        async with bot_on(fake) as bot:
            await DeliveryEngine(service, telegram_sender(bot), clock=clock).drain()
        progress = await service.progress("announce:1")
        assert (progress.sent, progress.pending) == (121, 0)
        assert all(len(fake.bot_messages(chat)) == 1 for chat in range(2, 121))
        assert len(fake.bot_messages(1)) == 2
        assert fake.max_sends_in_window(1.0) <= 30
        assert not [call for call in fake.calls if call.status == 429]
        rows = await _rows(db_url)
        assert all(row.message_id for row in rows)
    finally:
        await engine.dispose()


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_blocked_429_and_network_errors(db_url: str) -> None:
    clock = FakeClock(START)
    fake = limited_double(clock, range(1, 31))
    fake.block(5)
    fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
    fake.drop_connections("sendMessage", times=2)
    engine = create_engine(db_url)
    sessions = create_sessions(engine)
    service = DeliveryService(sessions)
    blocked: list[int] = []

    async def on_blocked(chat_id: int) -> None:
        blocked.append(chat_id)

    try:
        await service.plan("announce:9", range(1, 31), TEXT, START)
        async with bot_on(fake) as bot:
            engine_ = DeliveryEngine(
                service, telegram_sender(bot), clock=clock, on_blocked=on_blocked
            )
            await engine_.drain()
        progress = await service.progress("announce:9")
        assert (progress.sent, progress.blocked, progress.pending) == (29, 1, 0)
        assert blocked == [5]
        assert all(len(fake.bot_messages(chat)) == 1 for chat in range(1, 31) if chat != 5)
    finally:
        await engine.dispose()


async def test_timeout_after_acceptance_is_in_doubt(sqlite_url: str) -> None:
    clock = FakeClock(START)
    fake = limited_double(clock, range(1, 4))
    fake.accept_then_timeout("sendMessage", delay=0.2, times=2)
    engine = create_engine(sqlite_url)
    settings = DeliverySettings(policies={"poll": DoubtPolicy.RESEND})
    service = DeliveryService(create_sessions(engine), settings)
    try:
        await service.plan("announce:1", [1], TEXT, START)
        await service.plan("poll:1", [2], TEXT, START)
        async with bot_on(fake, read_timeout=0.05) as bot:
            await DeliveryEngine(service, telegram_sender(bot), clock=clock).drain()
        skipped = await service.progress("announce:1")
        resent = await service.progress("poll:1")
        assert (skipped.doubt, skipped.in_doubt, len(fake.bot_messages(1))) == (1, 1, 1)
        assert (resent.sent, resent.in_doubt, len(fake.bot_messages(2))) == (1, 1, 2)
    finally:
        await engine.dispose()
