"""/metrics after real traffic through the double: updates handled, outbox depth and lateness,
sends by outcome and 429s, parsed with prometheus_client's own parser; and what the health
snapshot reads, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import update

from bot.context import BotApp, Deps
from bot.delivery_worker import telegram_sender
from bot.intake import Intake, received
from bot.runner import journal_of
from bot.services.delivery.engine import DeliveryEngine
from bot.services.delivery.outbox import DeliveryService
from bot.services.health.snapshot import HealthService, Lease
from bot.services.intake.journal import Arrival, IntakeJournal
from bot.web.role import Role
from storage.db import Sessions
from storage.models import InboundUpdate, LeaderLease, utcnow
from tests.support.bot_api import FakeTelegram
from tests.support.web import Samples, samples, web_server

MEMBERS = range(1, 11)
TEXT = {"kind": "text", "text": "Assemblée générale jeudi"}


def _delta(after: Samples, before: Samples, name: str, **labels: str) -> float:
    key = (name, tuple(sorted(labels.items())))
    return after.get(key, 0.0) - before.get(key, 0.0)


async def test_metrics_count_updates_and_sends_and_read_the_outbox(
    deps: Deps, app: BotApp, fake: FakeTelegram
) -> None:
    for member in MEMBERS:
        fake.add_user(member, f"Membre {member}", language_code="fr")
    role = Role("single")
    intake = Intake(app, journal_of(deps))
    async with web_server(deps, role) as base, httpx.AsyncClient(base_url=base) as client:
        intake.start()
        role.lead(intake, app.bot)
        try:
            before = samples((await client.get("/metrics")).text)
            updates = [fake.send_text(member, "/start") for member in MEMBERS]
            await intake.receive([received(data, app.bot) for data in updates])
            await intake.idle()
            handled = samples((await client.get("/metrics")).text)
            late = utcnow() - timedelta(seconds=90)
            assert await deps.delivery.plan("announce:metrics", MEMBERS, TEXT, late) == 10
            planned = samples((await client.get("/metrics")).text)
            fake.block(3)
            fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
            await DeliveryEngine(deps.delivery, telegram_sender(app.bot)).drain()
            answer = await client.get("/metrics")
        finally:
            await intake.stop()
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=")
    after = samples(answer.text)
    assert _delta(handled, before, "innovdeizh_updates_handled_total") == 10
    assert handled["innovdeizh_intake_waiting", ()] == 0
    assert handled["innovdeizh_intake_lag_seconds", ()] == 0
    assert handled["innovdeizh_database_up", ()] == 1
    assert handled["innovdeizh_is_leader", ()] == 1
    assert planned["innovdeizh_outbox_depth", (("state", "pending"),)] == 10
    assert planned["innovdeizh_outbox_depth", (("state", "sending"),)] == 0
    assert 90 <= planned["innovdeizh_outbox_oldest_pending_age_seconds", ()] < 120
    assert _delta(after, planned, "innovdeizh_sends_total", outcome="sent") == 9
    assert _delta(after, planned, "innovdeizh_sends_total", outcome="blocked") == 1
    assert _delta(after, planned, "innovdeizh_sends_total", outcome="retry") == 1
    assert _delta(after, planned, "innovdeizh_telegram_429_total") == 1
    assert after["innovdeizh_outbox_depth", (("state", "pending"),)] == 0
    assert after["innovdeizh_outbox_oldest_pending_age_seconds", ()] == 0
    assert after["innovdeizh_leader_epoch", ()] == 0
    assert after["process_resident_memory_bytes", ()] > 0
    assert sum(len(fake.bot_messages(member)) for member in MEMBERS) == 10 + 9


async def test_the_snapshot_reads_outbox_intake_and_lease_on_both_databases(
    sessions: Sessions,
) -> None:
    health = HealthService(sessions, stuck_after=timedelta(minutes=5))
    empty = await health.snapshot()
    engine = sessions.kw["bind"]
    journal = IntakeJournal(engine, keep_done=timedelta(days=7))
    await journal.record([Arrival(n, 1, 1, f'{{"update_id": {n}}}') for n in (1, 2, 3)])
    await journal.done([1])
    async with sessions.begin() as session:
        await session.execute(
            update(InboundUpdate)
            .where(InboundUpdate.update_id == 2)
            .values(received_at=utcnow() - timedelta(minutes=6))
        )
        expires = utcnow() + timedelta(seconds=10)
        session.add(LeaderLease(name="bot", holder="bot-a", epoch=2, expires_at=expires))
    delivery = DeliveryService(sessions)
    await delivery.plan("announce:1", [1, 2], TEXT, utcnow() - timedelta(seconds=30))
    await delivery.plan("announce:2", [1], TEXT, utcnow() + timedelta(hours=1))
    snapshot = await health.snapshot()
    assert empty.database_ok
    assert (empty.intake_waiting, empty.intake_lag_seconds, empty.lease) == (0, 0.0, None)
    assert empty.outbox == {"pending": 0, "sending": 0, "doubt": 0}
    assert snapshot.database_ok
    assert snapshot.intake_waiting == 2
    assert 360 <= snapshot.intake_lag_seconds < 370
    assert health.stuck(snapshot).startswith("intake stuck: an update has waited 36")
    assert health.stuck(empty) == ""
    assert snapshot.outbox == {"pending": 3, "sending": 0, "doubt": 0}
    assert 30 <= snapshot.outbox_late_seconds < 60
    assert snapshot.lease is not None
    assert snapshot.lease == Lease("bot-a", 2, snapshot.lease.expires_at)
    assert abs((snapshot.lease.expires_at - expires).total_seconds()) < 1
