"""What happens before the bot answers anything: reachable database, schema, seed."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import inspect, text

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


async def prepare_database(deps: Deps, *, seed: bool = True) -> None:
    """Check the connection, apply migrations and import the seed catalogue (idempotent;
    ``seed`` False: migrations only, see :func:`seed`).

    Instances starting together on PostgreSQL take turns, so only the first migrates and seeds.
    """
    await check_database(deps)
    async with exclusive(deps.engine, STARTUP_LOCK):
        await upgrade(deps.engine)
        if seed:
            await import_seed(deps)


async def import_seed(deps: Deps) -> None:
    """Import the seed catalogue (idempotent: what is there already is left as it is)."""
    report = await import_catalogue(deps.sessions)
    log.info("catalogue ready (%s)", report)


async def prepare_lease(deps: Deps) -> None:
    """ha mode, before waiting for the lease: a database without the lease table (new, or from
    before ha mode) is migrated and seeded now, by the first instance to start (no instance can
    be leading it). Otherwise migrations wait for the lease: only the leader runs them, so an
    upgraded standby never changes the schema under the leader still running the old code."""
    async with deps.engine.connect() as conn:
        has_lease = await conn.run_sync(lambda sync: inspect(sync).has_table("leader_lease"))
    if not has_lease:
        log.info("no lease table yet: migrating before anyone leads")
        await prepare_database(deps)
