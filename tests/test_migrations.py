"""Migrations: the fast start-up check agrees with Alembic, an out-of-date database is upgraded,
the schema matches the models, and the ``alembic`` command works from the repository root."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection

from storage.db import create_engine
from storage.migrate import (
    HEADS_CACHE,
    MIGRATIONS,
    alembic_config,
    configured_url,
    database_heads,
    expected_heads,
    include_object,
    script_heads,
    upgrade,
)
from storage.models import Base
from tests.support.databases import (
    create_postgres_database,
    drop_postgres_database,
    require_postgres,
)

ROOT = Path(__file__).resolve().parents[1]
HEAD = "0015_answering"  # the newest migration: update it with each new one
OLDER = "0007_search_folding"  # an older revision an edit can point at instead


def down_revision(revision: str) -> str:
    """``"<revision>"`` padded, so that pointing at another revision keeps the file's size."""
    return f'"{revision}"'.ljust(max(len(HEAD), len(OLDER)) + 2)


NEW_REVISION = f'''"""a migration added later"""

revision = "0099_later"
down_revision = {down_revision(HEAD)}


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
'''


def alembic_heads(migrations: Path = MIGRATIONS) -> frozenset[str]:
    return frozenset(ScriptDirectory(str(migrations)).get_heads())


def alembic_current(sync: Connection) -> frozenset[str]:
    return frozenset(MigrationContext.configure(sync).get_current_heads())


def schema_diff(sync: Connection) -> list[object]:
    context = MigrationContext.configure(sync, opts={"include_object": include_object})
    return list(compare_metadata(context, Base.metadata))


@pytest.fixture
def migrations(tmp_path: Path) -> Path:
    """A copy of the migrations folder, without its cache."""
    copy = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database never migrated, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    require_postgres()
    url = create_postgres_database()
    yield url
    drop_postgres_database(url)


def test_cached_heads_agree_with_alembic_and_follow_the_files(migrations: Path) -> None:
    cache = migrations / HEADS_CACHE
    assert expected_heads(migrations) == alembic_heads(migrations) == {HEAD}
    assert cache.is_file()  # computed by Alembic once, then read back
    assert expected_heads(migrations) == alembic_heads(migrations)
    assert script_heads() == alembic_heads() == expected_heads()  # the real folder too

    (migrations / "versions" / "0099_later.py").write_text(NEW_REVISION, encoding="utf-8")
    # After the newest migration: it is the one head.
    assert expected_heads(migrations) == alembic_heads(migrations) == {"0099_later"}

    # An edit keeping the file's size and mtime (as from a wheel with fixed timestamps) counts.
    later = migrations / "versions" / "0099_later.py"
    before = later.stat()
    edited = NEW_REVISION.replace(down_revision(HEAD), down_revision(OLDER))
    assert len(edited) == len(NEW_REVISION)
    later.write_text(edited, encoding="utf-8")
    os.utime(later, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert expected_heads(migrations) == alembic_heads(migrations)
    assert expected_heads(migrations) == {HEAD, "0099_later"}  # now beside the newest

    cache.write_text("{not json", encoding="utf-8")  # a damaged cache is recomputed
    assert expected_heads(migrations) == alembic_heads(migrations)


def test_start_up_check_does_not_import_alembic(sqlite_url: str) -> None:
    expected_heads()  # the cache is warm, as after the first start
    probe = (
        "import asyncio, sys\n"
        "from storage.db import create_engine\n"
        "from storage.migrate import upgrade\n"
        f"engine = create_engine({sqlite_url!r})\n"
        "asyncio.run(upgrade(engine))\n"
        "asyncio.run(engine.dispose())\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'alembic'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"


async def test_database_heads_agree_with_alembic(empty_db_url: str) -> None:
    engine = create_engine(empty_db_url)
    try:
        async with engine.connect() as conn:
            assert await conn.run_sync(database_heads) == frozenset()
            assert await conn.run_sync(alembic_current) == frozenset()
        await upgrade(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(database_heads) == await conn.run_sync(alembic_current)
            assert await conn.run_sync(database_heads) == alembic_heads()
    finally:
        await engine.dispose()


async def test_an_out_of_date_database_is_upgraded(empty_db_url: str) -> None:
    engine = create_engine(empty_db_url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(
                lambda sync: command.upgrade(alembic_config(sync), "0001_foundation")
            )
        async with engine.connect() as conn:
            assert await conn.run_sync(alembic_current) == {"0001_foundation"}
            assert await conn.run_sync(schema_diff) != []
        await upgrade(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(alembic_current) == alembic_heads()
            assert await conn.run_sync(schema_diff) == []
    finally:
        await engine.dispose()


async def test_upgrade_is_idempotent_and_matches_the_models(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        await upgrade(engine)  # already migrated by the fixture: a no-op
        async with engine.connect() as conn:
            assert await conn.run_sync(schema_diff) == []
            count = await conn.scalar(text("SELECT count(*) FROM alembic_version"))
        assert count == len(alembic_heads())
    finally:
        await engine.dispose()


def test_alembic_command_line_works_from_the_repository_root(db_url: str) -> None:
    env = os.environ | {"INNOVDEIZH_DATABASE_URL": db_url}

    def alembic(*args: str) -> str:
        return subprocess.run(
            [sys.executable, "-m", "alembic", *args],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env=env,
        ).stdout

    assert alembic("heads") == f"{HEAD} (head)\n"
    assert alembic("current").endswith(f"{HEAD} (head)\n")
    assert "No new upgrade operations detected." in alembic("check")  # else it exits with 1


def test_configured_url_reads_like_the_bot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = "sqlite+aiosqlite:///data/innovdeizh.sqlite3"
    config = tmp_path / "bot.toml"
    config.write_text('[database]\nurl = "postgresql+asyncpg://db/bot"\n', encoding="utf-8")
    env = {"INNOVDEIZH_CONFIG": str(config)}
    assert configured_url(default, env) == "postgresql+asyncpg://db/bot"
    env["INNOVDEIZH_DATABASE_URL"] = "sqlite+aiosqlite:///other.sqlite3"
    assert configured_url(default, env) == "sqlite+aiosqlite:///other.sqlite3"
    monkeypatch.chdir(tmp_path)  # no config.toml here
    assert configured_url(default, {}) == default
    config.write_text("[bot]\n", encoding="utf-8")
    assert configured_url(default, {"INNOVDEIZH_CONFIG": str(config)}) == default
    with pytest.raises(FileNotFoundError, match="INNOVDEIZH_CONFIG"):
        configured_url(default, {"INNOVDEIZH_CONFIG": str(tmp_path / "missing.toml")})
