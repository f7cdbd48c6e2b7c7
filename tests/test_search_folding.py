"""One accent folding: the search index's SQL folds every letter as ``storage.folding.fold``."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.catalogue.communes import fold_place
from bot.services.search.query import words
from bot.services.search.service import SearchService
from storage.db import Sessions, create_engine, create_sessions
from storage.folding import SQL_CHARACTERS, fold
from storage.models import Lab

HARD_WORDS = [
    "Œuvre",
    "cœur",
    "Kemperlé",
    "ÇA",
    "naïve",
    "L'Haÿ-les-Roses",
    "L’Haÿ",
    "Cæsar",
    "ÆSOP",
    "ﬁlm ﬂeur eﬀort",  # typographic ligatures of text pasted from a PDF
    "Straße",
    "c'hoari",  # Breton « c'h » (a letter of its own, written with an apostrophe)
    "C’HWEC’H",
    "Pen-ar-C'hoat",
    "Ploërmel",
    "ÉCOLE",
    "Île-Tudy",
    "Noël",
    "Łódź",
    "Ørsted",
    "Đakovo",
    "Việt",
    "Ŵrecsam",
]
_WORD = re.compile(r"[^\W_]+")


@pytest.fixture
async def sessions(db_url: str) -> AsyncIterator[Sessions]:
    engine = create_engine(db_url)
    try:
        yield create_sessions(engine)
    finally:
        await engine.dispose()


def test_one_folding_for_search_and_places() -> None:
    assert fold("Œuvre ÇA naïve Kemperlé ﬁlm Straße") == "oeuvre ca naive kemperle film strasse"
    assert words("L'Haÿ-les-Roses, c'hoari") == ["hay", "roses", "hoari"]
    assert fold_place("Plœmeur") == fold_place("PLOEMEUR") == "ploemeur"


async def test_the_database_folds_every_letter_as_fold_does(sessions: Sessions) -> None:
    texts = [*HARD_WORDS, *SQL_CHARACTERS]
    async with sessions.begin() as session:
        labs = [Lab(slug=f"fold-{n}", title=value) for n, value in enumerate(texts)]
        session.add_all(labs)
        await session.flush()
        if session.get_bind().dialect.name == "sqlite":
            indexed = await _sqlite_words(session, [lab.id * 4 for lab in labs])
            for lab in labs:
                assert indexed.get(lab.id * 4, set()) == set(_WORD.findall(fold(lab.title))), (
                    lab.title
                )
        else:
            rows = await session.execute(
                text("SELECT title, search_fold(title), tsv FROM search_documents")
            )
            for title, folded, vector in rows:
                assert folded == fold(title), title
                # What the member types is searched word by word: each word is a lexeme.
                lexemes = {lexeme.split("'")[1] for lexeme in str(vector).split()}
                assert set(_WORD.findall(fold(title))) <= lexemes, title


async def test_ligatures_are_found_and_shown_as_written(sessions: Sessions) -> None:
    title = "L'Œuvre des ﬁlles : cœur de Kemperlé"
    async with sessions.begin() as session:
        session.add(Lab(slug="oeuvre", title=title))
    service = SearchService(sessions)
    for typed in ("oeuvre", "Œuvre", "coeur", "filles", "kemperle"):
        assert [hit.title for hit in (await service.search(typed)).hits] == [title], typed


async def _sqlite_words(session: AsyncSession, doc_ids: list[int]) -> dict[int, set[str]]:
    await session.execute(
        text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_instances "
            "USING fts5vocab(main, search_fts, 'instance')"
        )
    )
    rows = await session.execute(text("SELECT doc, term FROM temp.search_instances"))
    found: dict[int, set[str]] = {}
    for doc, term in rows:
        found.setdefault(int(doc), set()).add(str(term))
    return {doc: found.get(doc, set()) for doc in doc_ids}
