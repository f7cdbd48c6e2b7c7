"""The search service on SQLite (FTS5) and PostgreSQL (tsvector): same cases, same answers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import delete, update

from bot.services.search.service import SearchService
from storage.db import Sessions, create_engine, create_sessions
from storage.models import Innovation
from storage.repositories import search_index
from storage.seeding import import_catalogue

HOSTILE = [
    '"',
    "'",
    'monnaie" OR 1=1 --',
    "AND",
    "OR OR OR",
    "NEAR(monnaie locale, 2)",
    "*",
    "-monnaie",
    "(((",
    "monnaie)",
    "'; DROP TABLE labs; --",
    "title:monnaie",
    "^monnaie",
    "🌱🚲💶",
    "x" * 4000,
    "économie " * 500,
    "اقتصاد اجتماعي",
    "כלכלה חברתית",
    "\u202emonnaie\u202c",
    "\x00\x01",
    "a_b c_d",
    "monnaie:* & !locale | (x",
    "%_%",
    "{}[]\\",
]


@pytest.fixture
async def sessions(db_url: str) -> AsyncIterator[Sessions]:
    engine = create_engine(db_url)
    sessions = create_sessions(engine)
    await import_catalogue(sessions)
    async with sessions.begin() as session:
        session.add(
            Innovation(
                title="La Recyclerie du Pays de Morlaix",
                summary="Réemploi d'objets et de meubles, ateliers de réparation.",
                theme="Économie circulaire",
                commune="Morlaix",
                departement="29",
            )
        )
    try:
        yield sessions
    finally:
        await engine.dispose()


async def titles(service: SearchService, text: str) -> list[str]:
    return [hit.title for hit in (await service.search(text)).hits]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("economie circulaire", "Économie circulaire : le réemploi créateur de richesses"),
        ("ÉCONOMIE CIRCULAIRE", "Économie circulaire : le réemploi créateur de richesses"),
        ("recycl", "La Recyclerie du Pays de Morlaix"),
        ("recycleries", "La Recyclerie du Pays de Morlaix"),
        ("monnaies locales", "Redonner du sens à la monnaie"),
        ("mobilité", "Vers une mobilité durable"),
        ("energie citoyens", "Les citoyens acteurs du développement des énergies nouvelles"),
    ],
)
async def test_accents_case_prefixes_and_plurals(
    sessions: Sessions, typed: str, expected: str
) -> None:
    found = await titles(SearchService(sessions), typed)
    assert found
    assert found[0] == expected


async def test_one_typo_per_word_is_corrected(sessions: Sessions) -> None:
    service = SearchService(sessions)
    result = await service.search("monaie locale")
    assert result.corrected == "monnaie locale"
    assert result.hits[0].title == "Redonner du sens à la monnaie"
    assert (await service.search("mobilte durrable")).hits[0].title == "Vers une mobilité durable"


async def test_nothing_found_suggests_close_titles_or_themes(sessions: Sessions) -> None:
    service = SearchService(sessions)
    result = await service.search("xylophone quantique")
    assert result.hits == ()
    assert result.total == 0
    assert "Mobilité" in await service.suggestions("mobilitay")


async def test_any_input_is_safe(sessions: Sessions) -> None:
    service = SearchService(sessions)
    for text in HOSTILE:
        result = await service.search(text)
        assert result.total >= 0, text
        await service.suggestions(text)
    assert (await service.search('"monnaie" AND (locale*)')).hits[0].title.endswith("monnaie")


@pytest.mark.parametrize(
    ("question", "kind", "title"),
    [
        ("c'est quoi un PTCE ?", "faq", "Qu'est-ce qu'un PTCE ?"),
        ("une SCOP ?", "faq", "Qu'est-ce qu'une SCOP ?"),
        ("l'IAE ?", "faq", "Qu'est-ce que l'IAE ?"),
        ("quand a lieu la prochaine réunion ?", "faq", "Quand a lieu la prochaine rencontre ?"),
        (
            "combien de participants en 2013 ?",
            "faq",
            "Combien de participants à la journée 2013 ?",
        ),
    ],
)
async def test_everyday_questions_find_their_faq_entry(
    sessions: Sessions, question: str, kind: str, title: str
) -> None:
    top = (await SearchService(sessions).search(question)).top
    assert top is not None
    assert (top.kind, top.title) == (kind, title)


async def test_pages_of_five(sessions: Sessions) -> None:
    service = SearchService(sessions)
    first = await service.search("innovation")
    assert len(first.hits) == 5
    assert first.pages > 1
    second = await service.search("innovation", page=1)
    assert not {h.ref_id for h in first.hits if h.kind == "lab"} & {
        h.ref_id for h in second.hits if h.kind == "lab"
    }


async def test_index_follows_moderation_edits_and_deletions(sessions: Sessions) -> None:
    service = SearchService(sessions)
    async with sessions.begin() as session:
        session.add(Innovation(title="Vélo-école solidaire", status="pending"))
    assert await titles(service, "velo ecole") == []
    async with sessions.begin() as session:
        await session.execute(
            update(Innovation).where(Innovation.status == "pending").values(status="approved")
        )
    assert await titles(service, "velo ecole") == ["Vélo-école solidaire"]
    async with sessions.begin() as session:
        await session.execute(delete(Innovation).where(Innovation.title.like("V%")))
    assert await titles(service, "velo ecole") == []


async def test_lost_triggers_are_put_back(sessions: Sessions) -> None:
    async with sessions.begin() as session:
        connection = await session.connection()
        await connection.run_sync(search_index.uninstall)
    service = SearchService(sessions)
    assert await titles(service, "mobilite") == ["Vers une mobilité durable"]
    async with sessions.begin() as session:
        session.add(Innovation(title="Mobilité partagée en Centre-Bretagne"))
    assert len(await titles(service, "mobilite")) == 2
