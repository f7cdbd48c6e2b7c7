"""Engine and session factory for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

Sessions = async_sessionmaker[AsyncSession]
log = logging.getLogger(__name__)


def is_sqlite(url: str) -> bool:
    """Whether ``url`` names a SQLite database."""
    return url.startswith("sqlite")


def create_engine(url: str) -> AsyncEngine:
    """An engine with SQLite in WAL mode and foreign keys on; the parent folder is created."""
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        # hide_parameters: an SQL error is logged without its values, i.e. members' texts.
        engine = create_async_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_pre_ping=True, hide_parameters=True)


def create_sessions(engine: AsyncEngine) -> Sessions:
    """The session factory services open their transactions with."""
    # expire_on_commit=False: services hand detached rows to handlers after the commit.
    return async_sessionmaker(engine, expire_on_commit=False)


def safe_url(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Deleted rows are overwritten with zeros, so an erased member's text leaves the file.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


async def checkpoint(sessions: Sessions) -> None:
    """SQLite: copy the WAL into the main file and empty it (after an erasure, so the erased
    texts are not kept in the ``-wal`` file until it is overwritten). PostgreSQL: nothing."""
    async with sessions() as session:
        connection = await session.connection()
        if connection.dialect.name == "sqlite":
            result = await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            busy = result.first()
            if busy is not None and busy[0]:
                # A reader (another process) holds the WAL: the next checkpoint empties it.
                log.warning("WAL checkpoint after an erasure was partial (a reader was busy)")
