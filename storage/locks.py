"""Cluster-wide locks: several bot instances may share one PostgreSQL database.

On PostgreSQL a session-level advisory lock serialises the holders; on SQLite (one machine, one
bot process by design) the lock is a no-op.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

# Arbitrary, fixed keys: one per purpose.
STARTUP_LOCK = 0x1D_2013


@asynccontextmanager
async def exclusive(engine: AsyncEngine, key: int) -> AsyncIterator[None]:
    """Hold the lock ``key`` for the duration of the block (waits for other holders)."""
    if engine.dialect.name != "postgresql":
        yield
        return
    async with engine.connect() as conn:
        await conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
        await conn.commit()
        try:
            yield
        finally:
            await conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            await conn.commit()
