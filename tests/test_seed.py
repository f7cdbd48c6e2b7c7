"""The seed catalogue and its importer, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, func, select, update

from storage.db import Sessions, create_engine, create_sessions
from storage.models import Event, EventFigure, EventFollowUp, Innovation, Lab, SeedRecord
from storage.seeding import DEFAULT_CATALOGUE, SeedError, SeedReport, import_catalogue

PARIS = ZoneInfo("Europe/Paris")
# The debrief meeting takes the day's 9 follow-ups (follow_ups_from): 18 rows, written once.
FIRST = SeedReport(events=2, figures=12, follow_ups=18, labs=17, innovations=1, faq_entries=12)
WOMEN_LAB = "les-femmes-au-pouvoir"


@pytest.fixture
async def sessions(db_url: str) -> AsyncIterator[Sessions]:
    engine = create_engine(db_url)
    try:
        yield create_sessions(engine)
    finally:
        await engine.dispose()


async def counts(sessions: Sessions) -> dict[str, int]:
    models = (Event, EventFigure, EventFollowUp, Lab, Innovation, SeedRecord)
    async with sessions() as session:
        return {
            model.__tablename__: int(
                await session.scalar(select(func.count()).select_from(model)) or 0
            )
            for model in models
        }


async def test_three_imports_make_one_copy(sessions: Sessions) -> None:
    reports = [await import_catalogue(sessions) for _ in range(3)]
    assert reports == [FIRST, SeedReport(), SeedReport()]
    assert await counts(sessions) == {
        "events": 2,
        "event_figures": 12,
        "event_follow_ups": 18,
        "labs": 17,
        "innovations": 1,
        "seed_records": 62,
    }
    async with sessions() as session:
        labs = list(await session.scalars(select(Lab).order_by(Lab.position)))
        innovation = await session.scalar(select(Innovation))
        event = await session.scalar(select(Event).where(Event.slug == "innov-deizh-2013"))
        kinds = list(await session.scalars(select(EventFollowUp.kind)))
    assert [lab.position for lab in labs] == list(range(1, 18))
    assert labs[0].title == "L'économie du spectacle vivant réinventé"
    assert labs[-1].theme == "Monnaie locale"
    ageing = labs[10]
    assert ageing.title.endswith("de l'expérimentation à la pérennisation")
    assert ageing.outcome.startswith("Mutualisons les idées")
    assert event is not None
    assert event.participants == 300
    assert {lab.event_id for lab in labs} == {event.id}
    assert "Disco Soupe" in event.description
    assert not any("disco" in lab.title.lower() for lab in labs)
    assert sorted(kinds) == ["platform"] * 8 + ["proposal"] * 10
    async with sessions() as session:
        more = await session.scalar(select(EventFigure).where(EventFigure.key == "participants"))
    assert more is not None
    assert (more.value, more.unit, more.more_than) == (300, "personnes", True)  # « Plus de 300 »
    assert innovation is not None
    assert innovation.title == "Marrainage des femmes migrantes"
    assert innovation.organisation == "Maison internationale de Rennes"
    assert (innovation.commune, innovation.departement) == ("Rennes", "35")
    assert innovation.lab_id == next(lab.id for lab in labs if lab.slug == WOMEN_LAB)


async def test_organisers_edits_and_deletions_survive_a_reimport(sessions: Sessions) -> None:
    await import_catalogue(sessions)
    async with sessions.begin() as session:
        await session.execute(
            update(Lab).where(Lab.slug == "vers-une-mobilite-durable").values(title="Mobilités")
        )
        await session.execute(delete(Lab).where(Lab.slug == WOMEN_LAB))
        await session.execute(delete(EventFigure).where(EventFigure.key == "participants"))
    assert await import_catalogue(sessions) == SeedReport()
    async with sessions() as session:
        titles = dict((await session.execute(select(Lab.slug, Lab.title))).all())
        figures = set(await session.scalars(select(EventFigure.key)))
        innovation = await session.scalar(select(Innovation))
    assert titles["vers-une-mobilite-durable"] == "Mobilités"
    assert WOMEN_LAB not in titles
    assert len(titles) == 16
    assert "participants" not in figures
    assert len(figures) == 11
    assert innovation is not None
    assert innovation.lab_id is None


async def test_dates_of_the_day_and_of_the_debrief(sessions: Sessions) -> None:
    await import_catalogue(sessions)
    async with sessions() as session:
        day, debrief = list(await session.scalars(select(Event).order_by(Event.starts_at)))
    assert day.slug == "innov-deizh-2013"
    assert day.starts_at == datetime(2013, 10, 24, 7, 0, tzinfo=UTC)
    assert day.starts_at.astimezone(PARIS).hour == 9
    assert day.ends_at == datetime(2013, 10, 24, 15, 30, tzinfo=UTC)
    assert day.commune == "Rennes"
    assert debrief.slug == "debrief-2014-02-13"
    assert debrief.starts_at.astimezone(PARIS).date() == date(2014, 2, 13)
    assert debrief.starts_at == datetime(2014, 2, 13, 13, 0, tzinfo=UTC)
    assert debrief.commune == "Rennes"


async def test_items_added_to_the_file_later_are_imported(
    sessions: Sessions, tmp_path: Path
) -> None:
    await import_catalogue(sessions)
    grown = tmp_path / "catalogue.toml"
    extra = '\n[[labs]]\nkey = "nouveau-labo"\nevent = "innov-deizh-2013"\ntitle = "Nouveau"\n'
    grown.write_text(DEFAULT_CATALOGUE.read_text(encoding="utf-8") + extra, encoding="utf-8")
    assert await import_catalogue(sessions, grown) == SeedReport(labs=1)
    assert (await counts(sessions))["labs"] == 18


LAB = '[[labs]]\nkey = "labo"\nevent = "jour"\n'
EVENT = '[[events]]\nkey = "jour"\ntitle = "Jour"\nstarts_at = 2013-10-24T09:00:00+02:00\n'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(EVENT + LAB, r"labs\[0\] \(labo\): field 'title' is missing", id="title"),
        pytest.param(
            EVENT + LAB.replace('"jour"', '"nuit"') + 'title = "L"\n',
            r"labs\[0\] \(labo\): field 'event' refers to unknown event 'nuit'",
            id="event",
        ),
        pytest.param(
            EVENT.replace("+02:00", ""),
            r"events\[0\] \(jour\): field 'starts_at' is naive",
            id="naive",
        ),
        pytest.param(
            EVENT.replace("+02:00", "+01:00"),
            r"field 'starts_at' has not the Europe/Paris offset",
            id="offset",
        ),
        pytest.param(EVENT + '[[innovations]]\nkey = "Bad Key"\n', r"field 'key'", id="key"),
    ],
)
async def test_a_broken_file_is_refused_before_any_write(
    sqlite_url: str, tmp_path: Path, text: str, expected: str
) -> None:
    broken = tmp_path / "catalogue.toml"
    broken.write_text(text, encoding="utf-8")
    engine = create_engine(sqlite_url)
    try:
        sessions = create_sessions(engine)
        with pytest.raises(SeedError, match=expected):
            await import_catalogue(sessions, broken)
        assert set((await counts(sessions)).values()) == {0}
    finally:
        await engine.dispose()
