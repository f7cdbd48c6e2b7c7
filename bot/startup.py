"""What happens before the bot answers anything: reachable database, schema, seed."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import text

from bot.config import ConfigError
from bot.context import Deps
from storage.db import safe_url
from storage.locks import STARTUP_LOCK, exclusive
from storage.migrate import upgrade
from storage.seeding import import_catalogue

log = logging.getLogger(__name__)
CONNECT_TIMEOUT_SECONDS = 10


async def check_database(deps: Deps) -> None:
    """Raise ConfigError naming ``database.url`` when the database cannot be reached."""
    try:
        async with asyncio.timeout(CONNECT_TIMEOUT_SECONDS):
            async with deps.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means the same thing to the organiser
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        url = safe_url(deps.config.database.url)
        raise ConfigError("database.url", f"cannot connect to {url} ({reason})") from None


async def prepare_database(deps: Deps) -> None:
    """Check the connection, apply migrations and import the seed catalogue (idempotent).

    Instances starting together on PostgreSQL take turns, so only the first migrates and seeds.
    """
    await check_database(deps)
    async with exclusive(deps.engine, STARTUP_LOCK):
        await upgrade(deps.engine)
        report = await import_catalogue(deps.sessions)
    log.info("catalogue ready (%s)", report)
