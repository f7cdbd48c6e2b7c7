"""``innovdeizh migrate-db``: a lived-in SQLite database (the seed catalogue plus members,
proposals, gatherings, RSVPs, surveys with answers, outbox, journal) moves to an empty PostgreSQL
database row for row; new rows then get fresh ids; a non-empty target is refused."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import inspect, select, text

from bot.cli import main
from storage.db import create_engine, create_sessions
from storage.locks import single_process
from storage.models import Event, Member, OutboxMessage
from storage.transfer import row_counts, tables
from tests.conftest import SUMMARY
from tests.support.databases import (
    create_postgres_database,
    drop_postgres_database,
    require_postgres,
)
from tests.support.operations import MEMBERS, WHEN, generate

pytestmark = pytest.mark.postgres


@pytest.fixture
def empty_postgres() -> Iterator[str]:
    """A new PostgreSQL database with no table at all."""
    require_postgres()
    url = create_postgres_database()
    yield url
    drop_postgres_database(url)


@pytest.fixture
def lived_in(seeded_sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The configured database: seeded, then filled by ``generate``."""
    asyncio.run(_generate(seeded_sqlite_url))
    monkeypatch.setenv("INNOVDEIZH_DATABASE_URL", seeded_sqlite_url)
    monkeypatch.setenv("INNOVDEIZH_CONFIG", "/dev/null")  # no config.toml of the developer's
    return seeded_sqlite_url


async def _generate(url: str) -> None:
    engine = create_engine(url)
    try:
        await generate(create_sessions(engine))
    finally:
        await engine.dispose()


async def _all_rows(url: str) -> dict[str, list[dict[str, Any]]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return {
                table.name: [
                    dict(row)
                    for row in (
                        await conn.execute(select(table).order_by(*table.primary_key.columns))
                    ).mappings()
                ]
                for table in tables()
            }
    finally:
        await engine.dispose()


def test_migrate_db_copies_every_row_and_new_rows_get_new_ids(
    lived_in: str,
    empty_postgres: str,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> None:
    target = empty_postgres.replace("postgres@", "postgres:s3cr3t-pw@")  # trust: ignored
    started = time.perf_counter()
    assert main(["migrate-db", "--to", target]) == 0
    seconds = time.perf_counter() - started
    out = capsys.readouterr().out
    assert "s3cr3t-pw" not in out
    assert "postgres:***@" in out

    source, copied = asyncio.run(_all_rows(lived_in)), asyncio.run(_all_rows(empty_postgres))
    assert {name: len(rows) for name, rows in copied.items()} == {
        name: len(rows) for name, rows in source.items()
    }
    assert copied == source  # every value: texts, floats, booleans, aware datetimes
    assert len(source["members"]) == MEMBERS
    assert len(source["survey_answers"]) == 900
    assert source["members"][0]["created_at"] == WHEN  # microseconds kept, UTC
    total = sum(map(len, source.values()))
    request.config.stash.setdefault(SUMMARY, []).append(
        f"migrate-db: {total} rows in {len(source)} tables, SQLite to PostgreSQL, {seconds:.1f} s"
    )
    serial = {
        t.name: t.autoincrement_column.name for t in tables() if t.autoincrement_column is not None
    }
    largest = {
        name: max((row[column] for row in source[name]), default=0)
        for name, column in serial.items()
    }
    assert largest["events"] > len(source["events"])  # holes: count + 1 would collide
    assert largest["submissions"] > len(source["submissions"])
    assert asyncio.run(_next_ids(empty_postgres, serial)) == {
        name: top + 1 for name, top in largest.items()
    }
    assert asyncio.run(_insert_new_rows(empty_postgres)) == (
        largest["events"] + 2,  # _next_ids took one from each sequence
        largest["outbox"] + 2,
    )
    assert asyncio.run(_search_documents(empty_postgres)) > 0  # the index followed the rows

    # Again on the same target: refused, named, and nothing added.
    assert main(["migrate-db", "--to", target]) == 2
    err = capsys.readouterr().err
    assert "not empty" in err
    assert "members (301)" in err
    assert "s3cr3t-pw" not in err
    assert asyncio.run(_counts(empty_postgres))["members"] == MEMBERS + 1


async def _next_ids(url: str, serial: dict[str, str]) -> dict[str, int]:
    """What each id sequence hands out next (taking one number from each)."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            found = {}
            for name, column in serial.items():
                found[name] = await conn.scalar(
                    text("SELECT nextval(pg_get_serial_sequence(:t, :c))"),
                    {"t": name, "c": column},
                )
            return found
    finally:
        await engine.dispose()


async def _insert_new_rows(url: str) -> tuple[int, int]:
    """A gathering and an outbox row added as the bot adds them (no id given): their ids."""
    engine = create_engine(url)
    try:
        async with create_sessions(engine).begin() as session:
            event = Event(slug="apres-migration", title="Après la migration", starts_at=WHEN)
            outbox = OutboxMessage(purpose="after", chat_id=1, payload="{}", due_at=WHEN)
            session.add_all([event, outbox, Member(telegram_id=1, first_name="Nouvelle")])
            await session.flush()
            return event.id, outbox.id
    finally:
        await engine.dispose()


async def _search_documents(url: str) -> int:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return int(await conn.scalar(text("SELECT count(*) FROM search_documents")) or 0)
    finally:
        await engine.dispose()


async def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return await row_counts(conn)
    finally:
        await engine.dispose()


@pytest.mark.usefixtures("lived_in")
def test_migrate_db_refuses_a_target_with_one_row(
    empty_postgres: str, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_one_member(empty_postgres))
    assert main(["migrate-db", "--to", empty_postgres]) == 2
    err = capsys.readouterr().err
    assert "not empty, rows in: members (1) (postgresql" in err
    assert err.endswith("nothing was copied\n")
    counts = asyncio.run(_counts(empty_postgres))
    assert sum(counts.values()) == 1


async def _one_member(url: str) -> None:
    from storage.migrate import upgrade

    engine = create_engine(url)
    try:
        await upgrade(engine)
        async with create_sessions(engine).begin() as session:
            session.add(Member(telegram_id=7, first_name="Déjà là"))
    finally:
        await engine.dispose()


def test_migrate_db_refuses_while_a_bot_holds_the_source(
    lived_in: str, empty_postgres: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with single_process(lived_in):  # as a running bot holds it (see test_operations_single)
        assert main(["migrate-db", "--to", empty_postgres]) == 2
    assert "another bot process is already using" in capsys.readouterr().err
    assert asyncio.run(_table_names(empty_postgres)) == []


async def _table_names(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(lambda sync: inspect(sync).get_table_names())
    finally:
        await engine.dispose()


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--to", ""], "--to must be a postgresql+asyncpg or sqlite+aiosqlite URL"),
        (["--to", "postgresql://bot@db/x"], "--to must be a postgresql+asyncpg or sqlite+"),
        (["--to", "mysql+aiomysql://bot@db/x"], "--to must be a postgresql+asyncpg or sqlite+"),
        (["--to", "postgresql+asyncpg://b@d/x", "--from", "sqlite:///x.db"], "--from must be"),
        (["--to", "postgresql+asyncpg://b@d/x", "--from", "sqlite+aiosqlite:///none.db"], "no "),
    ],
)
def test_migrate_db_refuses_what_it_cannot_copy_in_one_line(
    sqlite_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    line: str,
) -> None:
    monkeypatch.setenv("INNOVDEIZH_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("INNOVDEIZH_CONFIG", "/dev/null")
    assert main(["migrate-db", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"migrate-db: {line}")
    assert err.count("\n") == 1


def test_migrate_db_refuses_its_own_source_as_target(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("INNOVDEIZH_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("INNOVDEIZH_CONFIG", "/dev/null")
    assert main(["migrate-db", "--to", sqlite_url]) == 2
    assert capsys.readouterr().err == "migrate-db: --to names the source database itself\n"
