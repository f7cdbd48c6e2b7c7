"""/readyz over loopback HTTP: 503 until the intake runs, 200 while it keeps up, 503 with the
reason when an update is stuck or the database is away; a standby is ready as a standby and
refuses Telegram's POSTs (503: sent again later); /healthz answers throughout and /metrics keeps
its counters when the database is away."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import create_async_engine

from bot.context import BotApp, Deps
from bot.intake import Intake
from bot.runner import journal_of
from bot.services.intake.journal import Arrival
from bot.web.role import Role
from bot.web.webhook import SECRET_HEADER
from storage.db import create_sessions
from storage.models import InboundUpdate, LeaderLease, utcnow
from tests.support.bot_api import FakeTelegram
from tests.support.web import samples, web_server

ANNE = 4242


async def test_ready_once_the_intake_runs_and_503_when_an_update_is_stuck(
    deps: Deps, app: BotApp
) -> None:
    role = Role("single", "here")
    intake = Intake(app, journal_of(deps))
    async with web_server(deps, role) as base, httpx.AsyncClient(base_url=base) as client:
        starting = await client.get("/readyz")
        intake.start()
        role.lead(intake, app.bot)
        try:
            ready = await client.get("/readyz")
            # Journaled by the webhook or polling, then not handled for 6 minutes (> 5 min).
            await intake.journal.record([Arrival(1, ANNE, ANNE, '{"update_id": 1}')])
            async with deps.sessions.begin() as session:
                await session.execute(
                    update(InboundUpdate).values(received_at=utcnow() - timedelta(minutes=6))
                )
            stuck = await client.get("/readyz")
            health = await client.get("/healthz")
        finally:
            await intake.stop()
    assert starting.status_code == 503
    assert starting.json()["reason"] == "intake not running"
    assert ready.status_code == 200, ready.text
    assert ready.json() == {
        "ready": True,
        "role": "single",
        "instance": "here",
        "leader": None,
        "epoch": None,
        "database": "ok",
        "intake_lag_seconds": 0,
    }
    assert stuck.status_code == 503
    body = stuck.json()
    assert body["reason"].startswith("intake stuck: an update has waited 36")
    assert 360 <= body["intake_lag_seconds"] < 370
    assert (body["ready"], body["database"]) == (False, "ok")
    assert (health.status_code, health.text) == (200, "ok\n")


async def test_database_away_is_503_and_metrics_still_answer(deps: Deps) -> None:
    engine = create_async_engine("sqlite+aiosqlite:////nonexistent-folder/x.sqlite3")
    away = replace(deps, engine=engine, sessions=create_sessions(engine))
    try:
        async with (
            web_server(away, Role("single")) as base,
            httpx.AsyncClient(base_url=base) as client,
        ):
            ready = await client.get("/readyz")
            metrics = await client.get("/metrics")
            health = await client.get("/healthz")
    finally:
        await engine.dispose()
    assert ready.status_code == 503
    assert ready.json()["database"] == "error"
    assert ready.json()["reason"] == "database unreachable (OperationalError)"
    assert metrics.status_code == 200
    values = samples(metrics.text)
    assert values["innovdeizh_database_up", ()] == 0
    assert ("innovdeizh_updates_handled_total", ()) in values
    assert not [name for name, _ in values if name.startswith("innovdeizh_outbox")]
    assert health.status_code == 200


async def test_a_standby_is_ready_as_a_standby_and_names_the_leader(
    deps: Deps, app: BotApp
) -> None:
    async with deps.sessions.begin() as session:
        session.add(
            LeaderLease(
                name="bot", holder="bot-b", epoch=7, expires_at=utcnow() + timedelta(seconds=9)
            )
        )
    role = Role("ha", "bot-a")
    intake = Intake(app, journal_of(deps))
    async with web_server(deps, role) as base, httpx.AsyncClient(base_url=base) as client:
        standby = await client.get("/readyz")
        leader_only = await client.get("/readyz", params={"role": "leader"})
        standby_metrics = samples((await client.get("/metrics")).text)
        intake.start()
        role.lead(intake, app.bot)  # bot-b's lease expired; bot-a took it over
        try:
            leading = await client.get("/readyz", params={"role": "leader"})
            leading_metrics = samples((await client.get("/metrics")).text)
        finally:
            await intake.stop()
    assert standby.status_code == 200, standby.text
    assert standby.json() | {"intake_lag_seconds": 0} == {
        "ready": True,
        "role": "standby",
        "instance": "bot-a",
        "leader": "bot-b",
        "epoch": 7,
        "database": "ok",
        "intake_lag_seconds": 0,
    }
    assert leader_only.status_code == 503
    assert leader_only.json()["reason"] == "standby, not the leader"
    assert standby_metrics["innovdeizh_is_leader", ()] == 0
    assert standby_metrics["innovdeizh_leader_epoch", ()] == 7
    assert leading.status_code == 200, leading.text
    assert leading.json()["role"] == "leader"
    assert leading_metrics["innovdeizh_is_leader", ()] == 1


async def test_a_standby_answers_telegrams_posts_503_and_journals_nothing(
    deps: Deps, fake: FakeTelegram
) -> None:
    telegram = deps.config.telegram
    hook = replace(telegram.webhook, url="https://bot.example.org/hook", port=0, secret_token="s")
    config = replace(deps.config, telegram=replace(telegram, mode="webhook", webhook=hook))
    fake.add_user(ANNE, "Anne", language_code="fr")
    update = fake.send_text(ANNE, "/start")
    async with (
        web_server(replace(deps, config=config), Role("ha", "bot-a")) as base,
        httpx.AsyncClient(base_url=base) as client,
    ):
        forged = await client.post("/telegram", json=update)
        posted = await client.post("/telegram", json=update, headers={SECRET_HEADER: "s"})
    assert forged.status_code == 403
    assert (posted.status_code, posted.text) == (503, "not handling updates now\n")
    async with deps.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(InboundUpdate)) == 0
