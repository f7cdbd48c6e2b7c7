"""Migration 0010_answer_figures on a bot seeded before it: « plus de 300 » and the new ways of
asking reach a database whose seeded items are never re-imported; organisers' edits stay."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from bot.services.search.service import SearchService
from storage.db import create_engine, create_sessions
from storage.migrate import alembic_config, upgrade
from tests.support.databases import (
    create_postgres_database,
    drop_postgres_database,
    require_postgres,
)

OLD_PHRASINGS = "\n".join(
    [
        "Quand a lieu la prochaine réunion ?",
        "Prochain rendez-vous",
        "Prochaine journée",
        "Prochain événement",
        "Date de la prochaine rencontre",
    ]
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database never migrated, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}"
        return
    require_postgres()
    url = create_postgres_database()
    yield url
    drop_postgres_database(url)


async def test_a_database_seeded_before_gets_the_source_figure_and_phrasings(
    empty_url: str,
) -> None:
    engine = create_engine(empty_url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(
                lambda sync: command.upgrade(alembic_config(sync), "0007_search_folding")
            )
            await conn.execute(
                text(
                    "INSERT INTO events (id, slug, title, description, place, address, commune,"
                    " starts_at, theme, repeats_yearly, reminder_offsets, schedule_rev,"
                    " created_at, updated_at) VALUES (1, 'innov-deizh-2013', 'Journée', '', '',"
                    " '', 'Rennes', '2013-10-24 07:00:00', '', false, '', 0,"
                    " '2013-10-24 07:00:00', '2013-10-24 07:00:00')"
                )
            )
            await conn.execute(
                text(
                    "INSERT INTO event_figures (id, event_id, key, label, value, unit, detail,"
                    " position) VALUES (1, 1, 'participants', 'Participants', 300, 'personnes',"
                    " '', 4), (2, 1, 'reponses-questionnaire', 'Réponses', 47, 'personnes', '',"
                    " 12)"
                )
            )
            await conn.execute(
                text(
                    "INSERT INTO faq_entries (id, slug, question, phrasings, answer, shows,"
                    " position, created_at, updated_at) VALUES (1, 'prochaine-rencontre',"
                    " 'Quand a lieu la prochaine rencontre ?', :old, '', 'next-event', 7,"
                    " '2026-01-01 00:00:00', '2026-01-01 00:00:00'), (2, 'scop',"
                    " 'Qu''est-ce qu''une SCOP ?', 'Édité par un organisateur', 'Une SCOP…', '',"
                    " 2, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                ),
                {"old": OLD_PHRASINGS},
            )
        await upgrade(engine)
        async with engine.connect() as conn:
            figures: dict[str, object] = dict(
                (await conn.execute(text("SELECT key, more_than FROM event_figures"))).all()
            )
            phrasings: dict[str, str] = dict(
                (await conn.execute(text("SELECT slug, phrasings FROM faq_entries"))).all()
            )
        assert {key: bool(more) for key, more in figures.items()} == {
            "participants": True,
            "reponses-questionnaire": False,
        }
        assert phrasings["prochaine-rencontre"].startswith(OLD_PHRASINGS + "\n")
        assert "Is there an event near me?" in phrasings["prochaine-rencontre"]
        assert phrasings["scop"] == "Édité par un organisateur"  # an organiser's edit stays
        result = await SearchService(create_sessions(engine)).search("y a-t-il un évènement ?")
        assert result.top is not None
        assert (result.top.kind, result.answers) == ("faq", True)  # the index followed
    finally:
        await engine.dispose()
