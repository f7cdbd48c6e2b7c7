"""Migration 0013_rsvp keeps what members said: « Je viens » keeps its reminder, « Me rappeler »
becomes a reminder without an answer, « Je ne viens pas » stays without one; and back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from storage.db import create_engine
from storage.migrate import alembic_config
from tests.support.databases import (
    create_postgres_database,
    drop_postgres_database,
    require_postgres,
)

BEFORE = "0012_networking_rounds"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    require_postgres()
    url = create_postgres_database()
    yield url
    drop_postgres_database(url)


async def test_old_answers_become_an_answer_and_a_reminder_toggle(empty_db_url: str) -> None:
    engine = create_engine(empty_db_url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(lambda sync: command.upgrade(alembic_config(sync), BEFORE))
            await conn.execute(
                text(
                    "INSERT INTO events (id, slug, title, description, place, address, commune,"
                    " starts_at, created_at, updated_at) VALUES (1, 'e', 'E', '', '', '', '',"
                    " '2027-03-01 08:00:00+00:00', '2027-01-01 08:00:00+00:00',"
                    " '2027-01-01 08:00:00+00:00')"
                )
            )
            for member_id, old in ((1, "yes"), (2, "remind"), (3, "no")):
                await conn.execute(
                    text(
                        "INSERT INTO rsvps (event_id, member_id, answer, updated_at)"
                        " VALUES (1, :m, :a, '2027-01-01 08:00:00+00:00')"
                    ),
                    {"m": member_id, "a": old},
                )
        async with engine.begin() as conn:
            await conn.run_sync(lambda sync: command.upgrade(alembic_config(sync), "0013_rsvp"))
            rows = await conn.execute(
                text("SELECT member_id, answer, remind FROM rsvps ORDER BY member_id")
            )
            assert [(r[0], r[1], bool(r[2])) for r in rows] == [
                (1, "yes", True),
                (2, "", True),
                (3, "no", False),
            ]
            await conn.execute(text("UPDATE rsvps SET answer = 'maybe' WHERE member_id = 3"))
        async with engine.begin() as conn:
            await conn.run_sync(lambda sync: command.downgrade(alembic_config(sync), BEFORE))
            rows = await conn.execute(text("SELECT member_id, answer FROM rsvps ORDER BY 1"))
            assert [tuple(r) for r in rows] == [(1, "yes"), (2, "remind"), (3, "no")]
        async with engine.begin() as conn:  # and up again (events.queue_seq was kept)
            await conn.run_sync(lambda sync: command.upgrade(alembic_config(sync), "0013_rsvp"))
    finally:
        await engine.dispose()
