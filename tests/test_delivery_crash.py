"""A real worker process on the loopback HTTP double, killed (SIGKILL) or stopped (SIGTERM)
in the middle of 1,000 sends, then restarted on the same database."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import func, select

from bot.services.delivery.outbox import DeliveryService
from storage.db import create_engine, create_sessions
from storage.models import OutboxMessage
from tests.support.bot_api import FakeTelegram
from tests.support.http_server import BotApiHttpServer

CHATS = range(1, 1001)
CONCURRENCY = 4
PAYLOAD = {"kind": "text", "text": "Rappel : débriefing jeudi à Rennes"}


@asynccontextmanager
async def double() -> AsyncIterator[tuple[FakeTelegram, str]]:
    fake = FakeTelegram()
    for chat in CHATS:
        fake.add_user(chat, f"Membre {chat}")
    # Every answer takes a little while, so sends are always in flight when the kill comes.
    fake.accept_then_timeout("sendMessage", delay=0.01, times=5000)
    server = BotApiHttpServer(fake)
    base_url = await server.start()
    try:
        yield fake, base_url
    finally:
        await server.stop()


async def _worker(url: str, base_url: str, *policies: str) -> asyncio.subprocess.Process:
    args = ["--database", url, "--base-url", base_url, "--rate", "400"]
    args += ["--concurrency", str(CONCURRENCY)]
    for policy in policies:
        args += ["--policy", policy]
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.delivery_process", *args, stdout=asyncio.subprocess.PIPE
    )
    assert process.stdout is not None
    assert await asyncio.wait_for(process.stdout.readline(), 30) == b"ready\n"
    return process


async def _rows(url: str) -> list[OutboxMessage]:
    engine = create_engine(url)
    try:
        async with create_sessions(engine)() as session:
            return list(await session.scalars(select(OutboxMessage)))
    finally:
        await engine.dispose()


async def _plan(url: str) -> None:
    engine = create_engine(url)
    try:
        await DeliveryService(create_sessions(engine)).plan("announce:1", CHATS, PAYLOAD)
    finally:
        await engine.dispose()


async def _finish(url: str, base_url: str, *policies: str) -> None:
    """Restart the worker and let it send everything left, then stop it cleanly."""
    process = await _worker(url, base_url, *policies)
    engine = create_engine(url)
    try:
        for _ in range(600):
            async with engine.connect() as conn:
                left = await conn.scalar(
                    select(func.count()).where(OutboxMessage.state.in_(["pending", "sending"]))
                )
            if not left:
                break
            await asyncio.sleep(0.25)
    finally:
        await engine.dispose()
    process.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(process.wait(), 30) == 0


def _received(fake: FakeTelegram, chat: int) -> int:
    return len(fake.bot_messages(chat))


async def test_sigkill_then_restart_skip_policy(db_url: str) -> None:
    """Both databases; in-flight sends are kept as "doubt" (the default for announcements)."""
    await _sigkill_then_restart(db_url, "skip")


async def test_sigkill_then_restart_resend_policy(sqlite_url: str) -> None:
    await _sigkill_then_restart(sqlite_url, "resend")


async def _sigkill_then_restart(db_url: str, policy: str) -> None:
    await _plan(db_url)
    async with double() as (fake, base_url):
        process = await _worker(db_url, base_url)
        await fake.wait_for(lambda: len(fake.send_log) >= 400, timeout=60)
        process.kill()  # SIGKILL: no chance to record anything
        await process.wait()
        in_flight = {r.chat_id for r in await _rows(db_url) if r.state == "sending"}
        assert 0 < len(in_flight) <= CONCURRENCY

        await _finish(db_url, base_url, f"announce={policy}")
        rows = {r.chat_id: r for r in await _rows(db_url)}
    doubted = {chat for chat, row in rows.items() if row.in_doubt}
    assert doubted == in_flight
    for chat in CHATS:
        if chat in in_flight:
            continue
        assert _received(fake, chat) == 1, chat
        assert rows[chat].state == "sent"
        assert rows[chat].message_id is not None
    for chat in in_flight:
        if policy == "skip":
            assert rows[chat].state == "doubt"
            assert _received(fake, chat) <= 1
        else:
            assert rows[chat].state == "sent"
            assert 1 <= _received(fake, chat) <= 2


async def test_sigterm_leaves_nobody_in_doubt(sqlite_url: str) -> None:
    await _plan(sqlite_url)
    async with double() as (fake, base_url):
        process = await _worker(sqlite_url, base_url)
        await fake.wait_for(lambda: len(fake.send_log) >= 300, timeout=60)
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 30) == 0
        stopped = await _rows(sqlite_url)
        assert not [r for r in stopped if r.state == "sending"]
        assert 300 <= len([r for r in stopped if r.state == "sent"]) < 1000

        await _finish(sqlite_url, base_url)
        rows = await _rows(sqlite_url)
    assert not [r for r in rows if r.in_doubt]
    assert all(r.state == "sent" for r in rows)
    assert all(_received(fake, chat) == 1 for chat in CHATS)
