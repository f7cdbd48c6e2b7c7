"""Alembic environment, in the shape of Alembic's ``async`` template.

``storage.migrate`` (at start-up and in ``innovdeizh db upgrade``) hands over its connection in
``config.attributes["connection"]``, and the migrations run on it. The ``alembic`` command, run
from the repository root with ``alembic.ini``, opens its own engine on the database the bot
would use (see ``storage.migrate.configured_url``).
"""

from __future__ import annotations

import asyncio
from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy import pool
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import async_engine_from_config

from storage.migrate import configured_url, include_object
from storage.models import Base

config = context.config
handed_over: Connection | None = config.attributes.get("connection")

# Only the command line configures logging (alembic.ini's); the bot keeps its own.
if config.config_file_name is not None and handed_over is None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def options(dialect: str) -> dict[str, Any]:
    """Alembic's options for ``dialect`` (batch mode on SQLite)."""
    return {
        "target_metadata": Base.metadata,
        "render_as_batch": dialect == "sqlite",  # SQLite alters tables by copying them
        "compare_type": True,
        "include_object": include_object,
    }


def database_url() -> str:
    """The URL of the database the migrations run on."""
    return configured_url(config.get_main_option("sqlalchemy.url"))


def run_migrations_offline() -> None:
    """``alembic upgrade --sql``: print the SQL instead of running it."""
    url = database_url()
    context.configure(
        url=url,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        **options(make_url(url).get_backend_name()),
    )
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    """Run the migrations on ``connection``, in one transaction."""
    context.configure(connection=connection, **options(connection.dialect.name))
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations() -> None:
    """Run the migrations on an engine of our own, closed afterwards."""
    section = config.get_section(config.config_ini_section, {})
    section["sqlalchemy.url"] = database_url()
    engine = async_engine_from_config(section, prefix="sqlalchemy.", poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(do_run_migrations)
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    """Run the migrations on the handed-over connection, or our own."""
    if handed_over is not None:
        do_run_migrations(handed_over)
    else:
        asyncio.run(run_async_migrations())


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
