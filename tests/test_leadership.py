"""ha mode's lease on a real PostgreSQL: one winner among racing standbys, renewals only by the
holder of the epoch, take-over on expiry or release, and a leader that lost its lease sends
nothing (through the Bot API double); outbox sends claimed under an older epoch are in doubt,
and an update found "answering" at a leader's start is reported, not answered again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any

import pytest
from sqlalchemy import inspect, select, text, update

from bot.app import build_application, build_deps
from bot.config import Config, parse_config
from bot.console.bot_api import InProcessBotApi
from bot.console.bot_api.records import Upload
from bot.context import Deps
from bot.delivery_worker import telegram_sender
from bot.intake import Intake, received
from bot.leadership import Fenced, leader_requests
from bot.metrics import LEADER_CHANGES, UPDATES_IN_DOUBT
from bot.runner import journal_of
from bot.services.delivery.engine import DeliveryEngine
from bot.services.delivery.outbox import DeliveryService
from bot.services.delivery.types import Claimed, DeliverySettings, DoubtPolicy, TransientError
from bot.services.leadership.lease import Leadership, Term
from bot.startup import prepare_database, prepare_lease
from storage.db import Sessions, create_engine, create_sessions
from storage.models import InboundUpdate, LeaderLease, OutboxMessage, utcnow
from storage.repositories.leadership import LeadershipRepository
from tests.support.bot_api import FakeTelegram
from tests.support.databases import (
    create_postgres_database,
    drop_postgres_database,
    require_postgres,
)
from tests.support.delivery import bot_on

pytestmark = pytest.mark.postgres
MEMBER = 4242


@pytest.fixture
async def pool(postgres_url: str) -> AsyncIterator[list[Sessions]]:
    """Three independent connection pools on one database: three instances."""
    engines = [create_engine(postgres_url) for _ in range(3)]
    try:
        yield [create_sessions(engine) for engine in engines]
    finally:
        for engine in engines:
            await engine.dispose()


async def acquire(sessions: Sessions, holder: str, seconds: float = 30) -> int | None:
    async with sessions.begin() as session:
        return await LeadershipRepository(session).acquire(holder, seconds)


async def renew(sessions: Sessions, holder: str, epoch: int) -> bool:
    async with sessions.begin() as session:
        return await LeadershipRepository(session).renew(holder, epoch, 30)


async def release(sessions: Sessions, holder: str, epoch: int) -> bool:
    async with sessions.begin() as session:
        return await LeadershipRepository(session).release(holder, epoch)


async def test_of_three_standbys_racing_for_the_lease_exactly_one_wins_20_times(
    pool: list[Sessions],
) -> None:
    names = ("a", "b", "c")
    for sessions in pool:  # connections open: the three statements leave together
        async with sessions.begin() as session:
            await session.execute(select(1))
    for round_ in range(1, 21):
        won = await asyncio.gather(
            *(acquire(s, name) for s, name in zip(pool, names, strict=True))
        )
        winners = [(name, epoch) for name, epoch in zip(names, won, strict=True) if epoch]
        assert len(winners) == 1, won
        ((winner, epoch),) = winners
        assert epoch == round_  # the first round inserts the row, the others take it over
        assert await release(pool[0], winner, epoch)


async def test_only_the_holder_of_the_current_epoch_renews(pool: list[Sessions]) -> None:
    a, b, _ = pool
    assert await acquire(a, "a") == 1
    assert not await renew(b, "b", 1)  # not the holder
    assert not await renew(a, "a", 2)  # not its epoch
    assert await renew(a, "a", 1)
    assert not await release(b, "b", 1)  # a standby cannot release the leader's lease
    assert await acquire(b, "b") is None


async def test_an_expired_lease_goes_to_a_standby_with_the_next_epoch(
    pool: list[Sessions],
) -> None:
    a, b, _ = pool
    assert await acquire(a, "a", seconds=0.5) == 1
    assert await acquire(b, "b") is None
    await asyncio.sleep(0.6)
    assert await acquire(b, "b") == 2
    assert not await renew(a, "a", 1)  # the old leader learns it lost the lease
    async with b.begin() as session:
        view = await LeadershipRepository(session).view()
    assert view is not None
    assert (view.holder, view.epoch, view.live) == ("b", 2, True)


async def test_a_released_lease_is_taken_at_once(pool: list[Sessions]) -> None:
    a, b, _ = pool
    assert await acquire(a, "a") == 1
    assert await release(a, "a", 1)
    assert await acquire(b, "b") == 2
    assert not await release(a, "a", 1)  # twice: the lease is b's now


def ha_config(url: str, instance: str, lease: int = 3, renew: int = 1) -> Config:
    deployment = {
        "mode": "ha",
        "instance": instance,
        "lease_seconds": lease,
        "renew_seconds": renew,
    }
    return parse_config({"database": {"url": url}, "deployment": deployment})


async def test_a_standby_waits_logs_the_leader_and_leads_once_released(
    postgres_url: str, pool: list[Sessions], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    leader = Leadership(pool[0], ha_config(postgres_url, "a").deployment)
    standby = Leadership(pool[1], ha_config(postgres_url, "b").deployment)
    became = LEADER_CHANGES.labels(change="became_leader")._value.get()
    term = await leader.wait(asyncio.Event())
    assert term is not None
    assert (term.epoch, leader.role) == (1, "leader")
    waiting = asyncio.create_task(standby.wait(asyncio.Event()))
    await asyncio.sleep(1.5)  # longer than the lease's renewals: the lease stays a's
    assert not waiting.done()
    assert standby.role == "standby"
    assert "standby: a leads (epoch 1)" in caplog.text
    released = time.monotonic()
    await leader.release()
    taken = await asyncio.wait_for(waiting, timeout=2)
    assert taken is not None
    assert taken.epoch == 2
    assert time.monotonic() - released < 1.0  # polled every 0.5 s
    assert leader.role == "standby"
    assert LEADER_CHANGES.labels(change="became_leader")._value.get() == became + 2
    await standby.release()


async def test_a_term_past_its_deadline_is_lost_even_before_anyone_takes_it(
    postgres_url: str, pool: list[Sessions]
) -> None:
    leadership = Leadership(pool[0], ha_config(postgres_url, "a").deployment)
    term = await leadership.acquire()
    assert term is not None
    assert term.holds
    lost = LEADER_CHANGES.labels(change="lost_lease")._value.get()
    term.deadline = time.monotonic() - 0.01  # a paused process waking up after its lease
    assert not term.holds
    assert term.why == "not renewed in time"
    assert not await leadership.renew(term)  # never taken back
    assert LEADER_CHANGES.labels(change="lost_lease")._value.get() == lost + 1


@pytest.fixture
async def ha_deps(postgres_url: str) -> AsyncIterator[Deps]:
    deps = build_deps(ha_config(postgres_url, "a"))
    await prepare_database(deps)
    yield deps
    await deps.engine.dispose()


async def steal(deps: Deps, holder: str = "b") -> int:
    """Another instance takes the lease over (as after this one was paused past it)."""
    async with deps.sessions.begin() as session:
        await session.execute(update(LeaderLease).values(expires_at=utcnow()))
        epoch = await LeadershipRepository(session).acquire(holder, 30)
    assert epoch is not None
    return epoch


async def test_a_leader_that_lost_its_lease_sends_nothing(ha_deps: Deps) -> None:
    deps = ha_deps
    fake = FakeTelegram()
    fake.add_user(MEMBER, "Anne", language_code="fr")
    leadership = Leadership(deps.sessions, deps.config.deployment)
    term = await leadership.acquire()
    assert term is not None
    journal = journal_of(deps)
    requests = leader_requests(term, journal, (InProcessBotApi(fake), InProcessBotApi(fake)))
    app = build_application(deps, request=requests[0], updates_request=requests[1])
    deps.delivery.lead(term.epoch)
    intake = Intake(app, journal, answering=True)
    async with app:
        intake.start()
        try:
            await intake.receive([received(fake.send_text(MEMBER, "/aide"), app.bot)])
            await intake.idle()
            assert len(fake.bot_messages(MEMBER)) == 1  # leading: answered

            await steal(deps)
            assert not await leadership.renew(term)
            assert term.why == "another instance holds it now"
            fenced = fake.send_text(MEMBER, "/aide")
            await intake.receive([received(fenced, app.bot)])
            await intake.idle()
            with pytest.raises(Fenced):
                await app.bot.send_message(MEMBER, "encore là ?")
            row = Claimed(1, "x:1", MEMBER, {"kind": "text", "text": "rappel"}, 1, False)
            with pytest.raises(TransientError):  # not sent: the engine would retry it later
                await telegram_sender(app.bot)(row)
            planned = await deps.delivery.plan("x:1", [MEMBER], {"kind": "text", "text": "…"})
            assert planned == 1
            due = await deps.delivery.due(utcnow(), 10)
            assert await deps.delivery.claim([due[0][0]], "w", utcnow()) == []  # fenced in SQL
        finally:
            await intake.stop()
    assert len(fake.bot_messages(MEMBER)) == 1
    assert not [call for call in fake.calls if call.method.lower() == "sendmessage"][1:]
    async with deps.engine.connect() as conn:
        done_at = await conn.scalar(
            select(InboundUpdate.done_at).where(InboundUpdate.update_id == fenced["update_id"])
        )
    assert done_at is None  # left to the next leader, which answers it


def outbox_row(purpose: str, epoch: int) -> OutboxMessage:
    now = utcnow()
    return OutboxMessage(
        purpose=purpose,
        chat_id=MEMBER,
        payload='{"kind": "text", "text": "Rappel"}',
        due_at=now,
        state="sending",
        claimed_by="worker-old",
        claimed_at=now,
        claim_epoch=epoch,
        attempts=1,
    )


async def test_sends_claimed_under_an_older_epoch_are_in_doubt_not_resent_silently(
    ha_deps: Deps, caplog: pytest.LogCaptureFixture
) -> None:
    deps = ha_deps
    async with deps.sessions.begin() as session:
        session.add_all([outbox_row("reminder:1", 1), outbox_row("poll:1", 1)])
    assert await acquire(deps.sessions, "a") == 1
    await steal(deps)  # the first leader was killed mid-send; this instance leads, epoch 2
    settings = DeliverySettings(policies={"poll": DoubtPolicy.RESEND})
    service = DeliveryService(deps.sessions, settings)
    service.lead(2)
    fake = FakeTelegram()
    fake.add_user(MEMBER, "Anne", language_code="fr")
    async with bot_on(fake) as bot:
        await DeliveryEngine(service, telegram_sender(bot)).drain()
    assert "1 resent, 1 kept as doubt (claimed under epoch 1)" in caplog.text
    async with deps.sessions.begin() as session:
        rows = {
            row.purpose: (row.state, row.in_doubt, row.claim_epoch)
            for row in await session.scalars(select(OutboxMessage))
        }
    # The reminder (better never than twice) is kept as doubt; the poll, resent under epoch 2.
    assert rows == {"reminder:1": ("doubt", True, 1), "poll:1": ("sent", True, 2)}
    assert len(fake.bot_messages(MEMBER)) == 1


class HoldingTelegram(FakeTelegram):
    """Holds the next ``sendMessage`` until ``go`` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.held = asyncio.Event()
        self.go = asyncio.Event()

    async def call(
        self,
        method: str,
        params: dict[str, Any],
        files: Mapping[str, bytes | Upload] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        if method.lower() == "sendmessage" and not self.go.is_set():
            self.held.set()
            await self.go.wait()
        return await super().call(method, params, files)


async def journal_row(deps: Deps, update_id: int) -> tuple[Any, Any]:
    async with deps.engine.connect() as conn:
        row = (
            await conn.execute(
                select(InboundUpdate.answering_at, InboundUpdate.done_at).where(
                    InboundUpdate.update_id == update_id
                )
            )
        ).one()
    return row.answering_at, row.done_at


async def test_an_update_is_marked_answering_before_its_reply_leaves_and_then_in_doubt(
    ha_deps: Deps, caplog: pytest.LogCaptureFixture
) -> None:
    deps = ha_deps
    fake = HoldingTelegram()
    fake.add_user(MEMBER, "Anne", language_code="fr")
    term = Term("a", 1, time.monotonic() + 60)
    journal = journal_of(deps)
    requests = leader_requests(term, journal, (InProcessBotApi(fake), InProcessBotApi(fake)))
    app = build_application(deps, request=requests[0], updates_request=requests[1])
    intake = Intake(app, journal, answering=True)
    async with app:
        intake.start()
        try:
            update = fake.send_text(MEMBER, "/aide")
            await intake.receive([received(update, app.bot)])
            await asyncio.wait_for(fake.held.wait(), timeout=5)
            answering, done = await journal_row(deps, update["update_id"])
            assert answering is not None  # committed while the reply is on its way
            assert done is None
            # The leader dies here: the next one finds the update answering, not done.
            in_doubt = UPDATES_IN_DOUBT._value.get()
            assert await journal.waiting() == []
            assert UPDATES_IN_DOUBT._value.get() == in_doubt + 1
            assert "1 update(s) in doubt, not handled again" in caplog.text
            fake.go.set()
            await intake.idle()
        finally:
            await intake.stop()
    assert len(fake.bot_messages(MEMBER)) == 1
    assert (await journal_row(deps, update["update_id"]))[1] is not None


@pytest.fixture
def empty_postgres_url() -> Iterator[str]:
    require_postgres()
    url = create_postgres_database()
    yield url
    drop_postgres_database(url)


async def test_standbys_migrate_only_a_database_nobody_can_lead_yet(
    empty_postgres_url: str, postgres_url: str
) -> None:
    # A new database: the first instance migrates and seeds it before waiting for the lease.
    deps = build_deps(ha_config(empty_postgres_url, "a"))
    try:
        await prepare_lease(deps)
        async with deps.engine.connect() as conn:
            assert await conn.scalar(text("SELECT count(*) FROM leader_lease")) == 0
            assert await conn.scalar(text("SELECT count(*) FROM innovations")) > 0
    finally:
        await deps.engine.dispose()
    # A database some instance may be leading, one migration behind this code: a standby
    # leaves it to the leader, which migrates once it holds the lease.
    deps = build_deps(ha_config(postgres_url, "b"))
    try:
        async with deps.engine.begin() as conn:
            await conn.execute(text("ALTER TABLE inbound_updates DROP COLUMN answering_at"))
            await conn.execute(text("UPDATE alembic_version SET version_num = '0014_leadership'"))
        await prepare_lease(deps)
        assert not await has_answering_column(deps)
        await prepare_database(deps)
        assert await has_answering_column(deps)
    finally:
        await deps.engine.dispose()


async def has_answering_column(deps: Deps) -> bool:
    async with deps.engine.connect() as conn:
        columns = await conn.run_sync(lambda sync: inspect(sync).get_columns("inbound_updates"))
    return "answering_at" in {column["name"] for column in columns}


async def test_a_standbys_prebuilt_application_speaks_only_once_the_lease_is_won(
    ha_deps: Deps,
) -> None:
    deps = ha_deps
    fake = FakeTelegram()
    fake.add_user(MEMBER, "Anne", language_code="fr")
    leadership = Leadership(deps.sessions, deps.config.deployment)
    inner = (InProcessBotApi(fake), InProcessBotApi(fake))
    requests, updates = leader_requests(leadership, journal_of(deps), inner)
    app = build_application(deps, request=requests, updates_request=updates)
    assert await acquire(deps.sessions, "z") == 1  # another instance leads
    with pytest.raises(Fenced):
        await app.bot.send_message(MEMBER, "je ne suis qu'en attente")
    async with deps.sessions.begin() as session:
        assert await LeadershipRepository(session).release("z", 1)
    assert await leadership.wait(asyncio.Event()) is not None
    async with app:
        await app.bot.send_message(MEMBER, "me voici")
    await leadership.release()
    assert [m["text"] for m in fake.bot_messages(MEMBER)] == ["me voici"]
