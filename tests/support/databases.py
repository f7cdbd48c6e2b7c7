"""Test databases: a migrated SQLite file per test, and a throw-away PostgreSQL database.

PostgreSQL tests run against ``INNOVDEIZH_TEST_POSTGRES`` (default: the local server,
``postgresql+asyncpg://postgres@127.0.0.1:5432``). When no server answers they skip with the
reason, unless ``INNOVDEIZH_REQUIRE_POSTGRES=1`` (set by CI), where they fail instead.
"""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from urllib.parse import urlsplit

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

POSTGRES_SERVER = os.environ.get(
    "INNOVDEIZH_TEST_POSTGRES", "postgresql+asyncpg://postgres@127.0.0.1:5432"
)


def postgres_unavailable_reason() -> str | None:
    parts = urlsplit(POSTGRES_SERVER)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), 1):
            return None
    except OSError as exc:
        return f"no PostgreSQL server at {parts.hostname}:{parts.port} ({exc})"


def require_postgres() -> None:
    reason = postgres_unavailable_reason()
    if reason is None:
        return
    if os.environ.get("INNOVDEIZH_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"PostgreSQL is required here (INNOVDEIZH_REQUIRE_POSTGRES=1): {reason}")
    pytest.skip(reason)


async def _admin(statement: str) -> None:
    engine = create_async_engine(f"{POSTGRES_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


def create_postgres_database(template: str | None = None) -> str:
    """A new empty (or copied) database; returns its SQLAlchemy URL."""
    name = f"innovdeizh_test_{uuid.uuid4().hex[:12]}"
    suffix = f" TEMPLATE {template}" if template else ""
    asyncio.run(_admin(f"CREATE DATABASE {name}{suffix}"))
    return f"{POSTGRES_SERVER}/{name}"


def drop_postgres_database(url: str) -> None:
    name = url.rsplit("/", 1)[-1]
    asyncio.run(_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
