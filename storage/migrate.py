"""Apply Alembic migrations from code (at start-up and by ``innovdeizh db upgrade``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(connection: Connection | None = None) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


async def upgrade(engine: AsyncEngine) -> None:
    """Bring the database to the newest schema; cheap when it is already there."""
    async with engine.begin() as conn:
        if await conn.run_sync(_is_current):
            return
        await conn.run_sync(lambda sync: command.upgrade(alembic_config(sync), "heads"))


def _is_current(connection: Connection) -> bool:
    heads = set(ScriptDirectory(str(MIGRATIONS)).get_heads())
    current = set(MigrationContext.configure(connection).get_current_heads())
    return current == heads
