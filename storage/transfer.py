"""Copy a whole database into an empty one (``innovdeizh migrate-db``): SQLite to PostgreSQL.

The target is migrated by Alembic first, so it has exactly the schema a fresh start would give
it (search index and its triggers included: they fill the index as the rows arrive). Tables are
copied in foreign-key order (``Base.metadata.sorted_tables``) through the models' own column
types, so ``UtcDateTime`` reads SQLite's naive UTC and writes PostgreSQL's aware timestamps. The
copy is one transaction on the target: a failure leaves it as empty as it was. Then every
table's row count is compared with the source's, and each PostgreSQL sequence is set past the
largest id copied, since rows inserted with explicit ids do not move it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Table, func, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.migrate import upgrade
from storage.models import Base

BATCH_ROWS = 1000  # rows per INSERT batch: bounded memory whatever the table's size


class TargetNotEmpty(Exception):
    """The target already holds rows: copying into it would mix two histories."""

    def __init__(self, tables: dict[str, int]) -> None:
        self.tables = tables
        listed = ", ".join(f"{name} ({rows})" for name, rows in sorted(tables.items()))
        super().__init__(f"the target database is not empty, rows in: {listed}")


class CountMismatch(Exception):
    """After the copy, some table does not hold as many rows as the source's."""

    def __init__(self, tables: dict[str, tuple[int, int]]) -> None:
        self.tables = tables
        listed = ", ".join(f"{t} (source {s}, target {d})" for t, (s, d) in tables.items())
        super().__init__(f"row counts differ after the copy: {listed}")


@dataclass(frozen=True)
class Copied:
    """What the copy did: rows per table (source = target, checked) and sequences set."""

    rows: dict[str, int]
    sequences: dict[str, int]  # table -> the next id its sequence will give


def tables() -> list[Table]:
    """Every table of the models, parents before children."""
    return list(Base.metadata.sorted_tables)


async def row_counts(connection: AsyncConnection) -> dict[str, int]:
    """Rows in every model table."""
    counts = {}
    for table in tables():
        counts[table.name] = await connection.scalar(select(func.count()).select_from(table)) or 0
    return counts


async def non_empty_tables(engine: AsyncEngine) -> dict[str, int]:
    """Every table of ``engine``'s database that holds rows (Alembic's own table aside)."""
    async with engine.connect() as conn:
        names = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
        found = {}
        for name in names:
            if name == "alembic_version":
                continue
            quoted = conn.dialect.identifier_preparer.quote(name)
            rows = await conn.scalar(text(f"SELECT count(*) FROM {quoted}"))
            if rows:
                found[name] = int(rows)
    return found


async def copy_database(source: AsyncEngine, target: AsyncEngine) -> Copied:
    """Copy every row of ``source`` into the empty ``target`` and check the result."""
    if found := await non_empty_tables(target):
        raise TargetNotEmpty(found)
    await upgrade(target)
    async with source.connect() as src, target.begin() as dst:
        for table in tables():
            await _copy_table(src, dst, table)
    async with source.connect() as src, target.connect() as dst:
        expected, got = await row_counts(src), await row_counts(dst)
    if differ := {t: (n, got[t]) for t, n in expected.items() if got[t] != n}:
        raise CountMismatch(differ)
    sequences = await reset_sequences(target)
    return Copied(rows=expected, sequences=sequences)


async def _copy_table(src: AsyncConnection, dst: AsyncConnection, table: Table) -> None:
    # Ordered by primary key: a row referring to an earlier row of its own table finds it.
    query = select(table).order_by(*table.primary_key.columns)
    result = await src.stream(query)
    async for batch in result.mappings().partitions(BATCH_ROWS):
        await dst.execute(table.insert(), [dict(row) for row in batch])


async def reset_sequences(engine: AsyncEngine) -> dict[str, int]:
    """PostgreSQL: each serial id's sequence set to max(id) + 1, then read back and checked;
    returns table -> next id. SQLite needs nothing (it takes max(rowid) + 1)."""
    if engine.dialect.name != "postgresql":
        return {}
    async with engine.begin() as conn:
        return await conn.run_sync(_reset_sequences)


def _reset_sequences(conn: Connection) -> dict[str, int]:
    following = {}
    for table in tables():
        column = table.autoincrement_column
        if column is None:
            continue
        sequence = conn.scalar(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": table.name, "column": column.name},
        )
        if sequence is None:
            continue
        largest = conn.scalar(select(func.coalesce(func.max(column), 0))) or 0
        conn.execute(
            text("SELECT setval(CAST(:seq AS regclass), :next, false)"),
            {"seq": sequence, "next": largest + 1},
        )
        last, called = conn.execute(text(f"SELECT last_value, is_called FROM {sequence}")).one()
        following[table.name] = next_id = last + 1 if called else last
        if next_id <= largest:  # pragma: no cover (setval refused silently: never seen)
            raise RuntimeError(f"sequence {sequence} gives {next_id}, {table.name} has {largest}")
    return following
