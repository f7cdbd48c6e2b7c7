"""Start-up: the catalogue survives restarts, and instances starting together take turns."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.app import build_deps
from bot.config import parse_config
from bot.startup import prepare_database
from storage.models import Event, Lab


async def test_three_restarts_keep_one_catalogue_and_concurrent_starts_are_safe(
    db_url: str,
) -> None:
    config = parse_config({"database": {"url": db_url}})
    if db_url.startswith("postgresql"):
        # Several instances sharing one PostgreSQL database may start at the same moment,
        # here on a database never seeded: without the lock, all but one fail on duplicates.
        instances = [build_deps(config) for _ in range(3)]
        await asyncio.gather(*(prepare_database(deps) for deps in instances))
        for deps in instances:
            await deps.engine.dispose()
    for _ in range(3):
        deps = build_deps(config)
        await prepare_database(deps)
        await deps.engine.dispose()
    deps = build_deps(config)
    try:
        async with deps.sessions() as session:
            labs = await session.scalar(select(func.count()).select_from(Lab))
            events = list(await session.scalars(select(Event.slug).order_by(Event.starts_at)))
        assert labs == 17
        assert events == ["innov-deizh-2013", "debrief-2014-02-13"]
    finally:
        await deps.engine.dispose()
