"""« Envoyer » pressed twice at the same moment (a double tap, two processes on one database):
the announcement is planned once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from bot.app import build_deps
from bot.config import parse_config
from bot.context import Deps
from bot.services.members.service import Identity
from bot.startup import prepare_database
from storage.models import Announcement, OutboxMessage
from tests.conftest import ADMIN_ID

TRIALS = 20
MEMBERS = range(61001, 61006)


@pytest.fixture
async def two_processes(db_url: str) -> AsyncIterator[tuple[Deps, Deps]]:
    config = parse_config({"database": {"url": db_url}, "bot": {"admin_ids": [ADMIN_ID]}})
    first, second = build_deps(config), build_deps(config)
    await prepare_database(first)
    try:
        yield first, second
    finally:
        for deps in (first, second):
            await deps.engine.dispose()


async def test_confirm_twice_at_once_plans_once(two_processes: tuple[Deps, Deps]) -> None:
    first, second = two_processes
    for user_id in (ADMIN_ID, *MEMBERS):
        await first.members.remember(Identity(user_id, f"Membre {user_id}"))
    for trial in range(TRIALS):
        await first.delivery.announcements.save_text(ADMIN_ID, f"Annonce n° {trial}")
        results = await asyncio.gather(
            first.delivery.announcements.confirm(ADMIN_ID, ADMIN_ID, 1000 + trial),
            second.delivery.announcements.confirm(ADMIN_ID, ADMIN_ID, 2000 + trial),
            return_exceptions=True,
        )
        planned = [r for r in results if not isinstance(r, BaseException)]
        refused = [r for r in results if isinstance(r, LookupError)]
        assert (len(planned), len(refused)) == (1, 1), results
        async with first.sessions() as session:
            announcements = await session.scalar(
                select(func.count())
                .select_from(Announcement)
                .where(Announcement.text == f"Annonce n° {trial}")
            )
            sends = await session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.purpose.like("announce:%"))
            )
        assert announcements == 1
        assert sends == (trial + 1) * (len(MEMBERS) + 1)
