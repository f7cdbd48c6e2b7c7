"""Migrations: the fast start-up check agrees with Alembic, and the schema matches the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from storage.db import create_engine
from storage.migrate import MIGRATIONS, expected_heads, include_object, upgrade
from storage.models import Base


def test_light_head_detection_agrees_with_alembic() -> None:
    assert expected_heads() == frozenset(ScriptDirectory(str(MIGRATIONS)).get_heads())


async def test_upgrade_is_idempotent_and_matches_the_models(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        await upgrade(engine)  # already migrated by the fixture: a no-op
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"include_object": include_object}),
                    Base.metadata,
                )
            )
        assert diff == []
    finally:
        await engine.dispose()
